"""Page bytes -> text: the charset a page declares is checked against its bytes, never trusted blindly.

Order: a byte-order mark; then bytes that are valid UTF-8 (real GBK text is practically never valid
UTF-8, so this settles the common lie `charset=gb2312` on a UTF-8 page); then the declared charsets
(HTTP header, then `<meta>`), each verified by strict decoding; then undeclared legacy encodings,
GB18030 first, chosen by how plausible the decoded characters are. GB2312 and GBK are always read as
GB18030, their superset. Nothing here raises: the last resort replaces undecodable bytes.
"""

from __future__ import annotations

import codecs
import re

# Flags recorded on the document.
CHARSET_MISMATCH = "charset_mismatch"  # the declared charset did not fit the bytes
CHARSET_GUESSED = "charset_guessed"  # no usable declaration; the encoding was detected
BYTES_REPLACED = "bytes_replaced"  # some bytes could not be decoded and were replaced
UNUSUAL_ENCODING = "unusual_encoding"  # neither UTF-8 nor GB18030 (Big5, Shift-JIS, ...)

_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_META_CHARSET = re.compile(rb"""<meta[^>]+?charset\s*=\s*["']?\s*([-\w.:]+)""", re.IGNORECASE)
_HEADER_CHARSET = re.compile(r"""charset\s*=\s*["']?\s*([-\w.:]+)""", re.IGNORECASE)
# Encodings whose bytes any input satisfies: a declaration of one of them is checked for CJK text.
_SINGLE_BYTE = {"latin-1", "iso8859-1", "cp1252", "ascii"}
# Legacy encodings tried, in this order, when the page is not UTF-8 and its declaration does not fit.
_FALLBACKS = ("gb18030", "big5", "shift_jis", "euc-jp", "euc-kr")
_PLAUSIBLE = 0.85  # share of common characters above which a decoding is taken without comparing
_SAMPLE = 4000  # non-ASCII characters looked at to judge a decoding


def normalise_charset(name: str | None) -> str | None:
    """The codec Python should use for a declared charset name, or None when it is unknown."""
    if not name:
        return None
    try:
        codec = codecs.lookup(name.strip().strip("\"'").lower()).name
    except LookupError:
        return None
    if codec in ("gb2312", "gbk", "hz"):
        return "gb18030"
    if codec.startswith("utf-16") or codec.startswith("utf-32"):
        # Without a BOM such a declaration is wrong (HTML treats it as UTF-8).
        return "utf-8"
    return codec


def charset_from_headers(content_type: str | None) -> str | None:
    """The charset named in a Content-Type header value."""
    m = _HEADER_CHARSET.search(content_type or "")
    return m[1] if m else None


def sniff_meta_charset(data: bytes) -> str | None:
    """The charset a page declares in `<meta charset>` or `http-equiv` within its first 16 kB."""
    m = _META_CHARSET.search(data[:16384])
    return m[1].decode("ascii", "replace") if m else None


def _strict(data: bytes, codec: str) -> str | None:
    try:
        return data.decode(codec)
    except (UnicodeDecodeError, LookupError):
        return None


def _truncated_utf8(data: bytes) -> str | None:
    """UTF-8 cut in the middle of its last character (a truncated download)."""
    for cut in (1, 2, 3):
        if len(data) > cut and (text := _strict(data[:-cut], "utf-8")) is not None:
            return text + "\ufffd"
    return None


def _is_common(ch: str) -> bool:
    """A character ordinary text is made of: frequent CJK ideographs, kana, hangul, CJK punctuation."""
    o = ord(ch)
    if 0x3000 <= o <= 0x30FF or 0xFF00 <= o <= 0xFFEF or 0xAC00 <= o <= 0xD7A3 or o in (0xB7, 0x2014, 0x2026):
        return True
    if 0x2018 <= o <= 0x201D:
        return True
    if not 0x4E00 <= o <= 0x9FFF:
        return False
    # The 3,755 most frequent simplified characters (GB2312 level 1) or the 5,401 frequent
    # traditional ones (Big5 level 1).
    try:
        b = ch.encode("gb2312")
        if 0xB0 <= b[0] <= 0xD7:
            return True
    except UnicodeEncodeError:
        pass
    try:
        b = ch.encode("big5")
        return 0xA440 <= (b[0] << 8 | b[1]) <= 0xC67E
    except UnicodeEncodeError:
        return False


_KANA = re.compile(r"[\u3040-\u30ff]")
KANA_SHARE = 0.05  # of the non-ASCII characters, for a text to read as Japanese


def _has_kana(text: str) -> bool:
    sample = [c for c in text[: _SAMPLE * 8] if c > "\x7f"][:_SAMPLE]
    return bool(sample) and len(_KANA.findall("".join(sample))) >= KANA_SHARE * len(sample)


def sniff_utf16(data: bytes) -> str | None:
    """`utf-16-le` or `utf-16-be` for UTF-16 bytes without a byte-order mark, else None.

    Markup is ASCII, so UTF-16 text has a NUL byte in most code units, always on the same side.
    """
    head = data[:8192]
    if len(head) < 16:
        return None
    even, odd = head[0::2].count(0), head[1::2].count(0)
    half = len(head) // 2
    for zeros, other, codec in ((odd, even, "utf-16-le"), (even, odd, "utf-16-be")):
        if zeros >= 0.3 * half and other <= 0.02 * half:
            text = _strict(data[: len(data) // 2 * 2], codec)
            if text is not None and "<" in text[:2048]:
                return codec
    return None


def plausibility(text: str) -> float:
    """Share of the non-ASCII characters (a sample) that are common ones; 1.0 for ASCII-only text."""
    sample = [c for c in text[: _SAMPLE * 8] if c > "\x7f"][:_SAMPLE]
    if not sample:
        return 1.0
    return sum(map(_is_common, sample)) / len(sample)


def _replaced(data: bytes, codec: str) -> tuple[str, int]:
    text = data.decode(codec, errors="replace")
    return text, text.count("\ufffd")


def _choose(data: bytes, named: list[str]) -> tuple[str, str, bool]:
    """(text, codec, whether bytes were replaced) for non-ASCII bytes without a BOM."""
    text = _strict(data, "utf-8")
    if text is not None:
        return text, "utf-8", False
    utf8, utf8_bad = _replaced(data, "utf-8")
    non_ascii = sum(1 for c in utf8 if c > "\x7f") or 1

    # Declared charsets, in the order of precedence, verified on the bytes.
    for codec in dict.fromkeys(named):
        if codec == "utf-8":
            # UTF-8 cut short, or with a few stray bytes, is still UTF-8.
            if (text := _truncated_utf8(data)) is not None:
                return text, codec, True
            if utf8_bad / non_ascii < 0.01:
                return utf8, codec, True
            continue
        text = _strict(data, codec)
        if codec in _SINGLE_BYTE:
            # Servers default to ISO-8859-1 for pages that are GBK: trust it only when no CJK reading fits.
            cjk = _strict(data, "gb18030")
            if cjk is not None and plausibility(cjk) >= _PLAUSIBLE:
                return cjk, "gb18030", False
            return data.decode(codec, errors="replace"), codec, False
        if text is not None and (codec not in _FALLBACKS or plausibility(text) >= _PLAUSIBLE):
            return text, codec, False
        if text is None:
            text, bad = _replaced(data, codec)
            if bad / non_ascii < 0.01 and plausibility(text) >= _PLAUSIBLE:
                return text, codec, True

    if (text := _truncated_utf8(data)) is not None or utf8_bad / non_ascii < 0.01:
        return text or utf8, "utf-8", True

    # Undeclared (or wrongly declared) legacy encodings: the most plausible clean reading.
    best: tuple[float, str, str] | None = None
    japanese = False
    for codec in _FALLBACKS:
        text = _strict(data, codec)
        if text is None:
            continue
        score = plausibility(text)
        if codec == "gb18030" and score >= _PLAUSIBLE:
            # GB2312 holds the kana at the very bytes EUC-JP uses: kana in a GB reading are a
            # Japanese page's, whose Japanese reading is then as plausible (and wins the tie).
            japanese = _has_kana(text)
            if not japanese:
                return text, codec, False
        tie_wins = japanese and codec in ("shift_jis", "euc-jp")
        if best is None or score > best[0] or (tie_wins and score >= best[0]):
            best = (score, codec, text)
    if best is not None:
        return best[2], best[1], False

    # Nothing decodes cleanly: keep whichever reading loses the fewest bytes.
    gbk, gbk_bad = _replaced(data, "gb18030")
    if gbk_bad < utf8_bad:
        return gbk, "gb18030", True
    return utf8, "utf-8", True


def decode_html(data: bytes, declared: str | None = None) -> tuple[str, str, list[str]]:
    """Decode page bytes: (text, encoding used, flags). `declared` is the HTTP header's charset.

    Never raises; the flags say when the declaration was wrong, the encoding had to be guessed,
    the encoding is an unusual one, or bytes had to be replaced.
    """
    for bom, codec in _BOMS:
        if data.startswith(bom):
            text, bad = _replaced(data[len(bom) :], codec)
            return text, codec, [BYTES_REPLACED] if bad else []

    if codec := sniff_utf16(data):
        text, bad = _replaced(data[: len(data) // 2 * 2], codec)
        return text, codec, [CHARSET_GUESSED, UNUSUAL_ENCODING] + ([BYTES_REPLACED] if bad else [])

    named = [c for c in (normalise_charset(declared), normalise_charset(sniff_meta_charset(data))) if c]
    if data.isascii():
        return data.decode("ascii"), "utf-8", []

    text, codec, replaced = _choose(data, named)
    flags = []
    if named and codec != named[0]:
        flags.append(CHARSET_MISMATCH)
    elif not named and codec != "utf-8":
        flags.append(CHARSET_GUESSED)
    if codec not in ("utf-8", "gb18030"):
        flags.append(UNUSUAL_ENCODING)
    if replaced:
        flags.append(BYTES_REPLACED)
    return text, codec, flags
