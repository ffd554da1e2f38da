"""Stage 3: traditional -> simplified, only for text that is written in traditional characters.

OpenCC `tw2s` rather than `t2s`: its phrase table reads `帶著`, `接著`, `隨著` as `带着`, `接着`,
`随着`. Simplified text is left alone, so a `乾` or `後` that a simplified page uses on purpose stays.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from functools import lru_cache

import opencc

_CONVERTER = opencc.OpenCC("tw2s")
# Japanese kanji overlap with traditional forms; text with kana is Japanese and left alone.
_KANA = re.compile(r"[\u3040-\u30ff]")
# Share of Han characters with a simplified form above which a line counts as traditional;
# simplified text scores near 0, traditional text 0.15 or more.
TRADITIONAL_SHARE = 0.06
# In simplified text, a line of at least MIN_HAN Han characters is converted on its own only with
# this much more evidence (a traditional quotation), so a lone `後` or `乾` stays.
MIN_HAN = 12
LINE_SHARE = 0.15


@lru_cache(maxsize=16384)
def is_traditional_char(char: str) -> bool:
    return _CONVERTER.convert(char) != char


def traditional_share(text: str) -> tuple[int, int]:
    """(traditional characters, Han characters) in the text."""
    # Counted per distinct character: a long page repeats a few thousand characters at most.
    trad = han = 0
    for c, n in Counter(text).items():
        if "\u3400" <= c <= "\u9fff":
            han += n
            if is_traditional_char(c):
                trad += n
    return trad, han


def is_traditional(text: str) -> bool:
    trad, han = traditional_share(text)
    return han > 0 and trad / han >= TRADITIONAL_SHARE


def to_simplified(text: str) -> tuple[str, int]:
    """The text with its traditional lines converted, and how many lines were converted.

    When the whole text reads as traditional every line with a traditional character is converted;
    otherwise only lines that are clearly traditional themselves (a quotation in a simplified page).
    """
    trad, han = traditional_share(text)
    if not trad or _KANA.search(text):
        return text, 0
    whole = trad / han >= TRADITIONAL_SHARE
    forms = {c for c in set(text) if "\u3400" <= c <= "\u9fff" and is_traditional_char(c)}
    lines = text.split("\n")
    converted = 0
    for i, line in enumerate(lines):
        if forms.isdisjoint(line):
            continue
        if whole or _clearly_traditional(line):
            lines[i] = _CONVERTER.convert(line)
            converted += 1
    return "\n".join(lines), converted


# Variant forms that OpenCC leaves as they are, written by Big5 and Korean encodings or old input
# methods: `陜西` must read as `陕西` for the place to be recognised.
_VARIANTS = str.maketrans("陜衞槪靑淸尙値吿", "陕卫概青清尚值告")
# CJK compatibility ideographs (U+F900-U+FAFF) stand for unified ones; NFKC gives the unified form.
_COMPATIBILITY = re.compile("[\uf900-\ufaff]")


def unify_variants(text: str) -> tuple[str, int]:
    """The text with variant and compatibility forms of characters replaced by their standard
    forms, and how many were replaced."""
    out = text.translate(_VARIANTS)
    out = _COMPATIBILITY.sub(lambda m: unicodedata.normalize("NFKC", m.group()), out)
    return out, sum(a != b for a, b in zip(text, out)) if out != text else 0


def _clearly_traditional(line: str) -> bool:
    t, h = traditional_share(line)
    return h >= MIN_HAN and t >= 2 and t / h >= LINE_SHARE


def convert_line(text: str) -> str:
    """A short line (title, source) converted when it reads as traditional."""
    text = unify_variants(text)[0]
    return _CONVERTER.convert(text) if is_traditional(text) and not _KANA.search(text) else text
