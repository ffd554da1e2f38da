"""Decoding page bytes: declared charsets are verified against the bytes, never trusted blindly."""

from __future__ import annotations

import codecs

import pytest
from conftest import FIXTURES

from extractors.decode import (
    BYTES_REPLACED,
    CHARSET_GUESSED,
    CHARSET_MISMATCH,
    UNUSUAL_ENCODING,
    charset_from_headers,
    decode_html,
    normalise_charset,
    sniff_meta_charset,
)

PAGES = FIXTURES / "pages"
TEXT = "青岛高新区高新技术企业达到4399家，同比增长20.32%；技术合同交易额376.96亿元。"


def page(body: str, head: str = "") -> str:
    return f"<html><head>{head}<title>高新区</title></head><body><p>{body}</p></body></html>"


def test_gb2312_and_gbk_are_read_as_gb18030():
    assert normalise_charset("GB2312") == "gb18030"
    assert normalise_charset("gbk") == "gb18030"
    assert normalise_charset("x-unknown") is None
    # 镕 is outside GB2312 but common in names: a GB2312 declaration must not lose it.
    data = page("朱镕基" + TEXT, '<meta charset="gb2312">').encode("gbk")
    text, enc, flags = decode_html(data)
    assert "朱镕基" in text and TEXT in text
    assert enc == "gb18030" and flags == []


def test_header_and_meta_charset_are_found():
    assert charset_from_headers("text/html; charset=GBK") == "GBK"
    assert charset_from_headers('text/html;charset="utf-8"') == "utf-8"
    assert charset_from_headers(None) is None
    assert (
        sniff_meta_charset(b'<meta http-equiv="Content-Type" content="text/html; charset=gb2312">')
        == "gb2312"
    )
    assert sniff_meta_charset(b"<meta charset='utf-8'>") == "utf-8"


def test_undeclared_gbk_is_detected():
    text, enc, flags = decode_html((PAGES / "gbk_undeclared.html").read_bytes())
    assert enc == "gb18030"
    assert "高新区科技创新成果丰硕" in text
    assert flags == [CHARSET_GUESSED]


def test_header_claiming_utf8_on_gbk_bytes():
    data = (PAGES / "gov_gbk_meta.html").read_bytes()
    text, enc, flags = decode_html(data, declared="utf-8")
    assert enc == "gb18030"
    assert "高新区高新技术企业突破4000家" in text
    assert CHARSET_MISMATCH in flags


def test_meta_claiming_gb2312_on_utf8_bytes():
    text, enc, flags = decode_html((PAGES / "utf8_meta_says_gb2312.html").read_bytes())
    assert enc == "utf-8"
    assert "高新区发布三年行动计划" in text
    assert flags == [CHARSET_MISMATCH]


def test_header_claiming_gbk_on_utf8_bytes():
    text, enc, flags = decode_html(page(TEXT).encode("utf-8"), declared="gbk")
    assert (enc, flags) == ("utf-8", [CHARSET_MISMATCH])
    assert TEXT in text


def test_latin1_header_default_on_gbk_page():
    # Servers send ISO-8859-1 by default; the page is GBK.
    text, enc, flags = decode_html(page(TEXT).encode("gbk"), declared="iso-8859-1")
    assert enc == "gb18030" and TEXT in text
    assert CHARSET_MISMATCH in flags


def test_bom_wins():
    data = codecs.BOM_UTF8 + page(TEXT, '<meta charset="gbk">').encode("utf-8")
    text, enc, flags = decode_html(data, declared="gbk")
    assert (enc, flags) == ("utf-8", [])
    assert TEXT in text and not text.startswith("\ufeff")
    text, enc, _ = decode_html(codecs.BOM_UTF16_LE + page(TEXT).encode("utf-16-le"))
    assert enc == "utf-16-le" and TEXT in text


def test_truncated_utf8_keeps_its_encoding():
    data = page(TEXT).encode("utf-8")
    cut = data[: data.index("亿".encode()) + 1]
    text, enc, flags = decode_html(cut, declared="utf-8")
    assert enc == "utf-8"
    assert text.endswith("376.96\ufffd")
    assert flags == [BYTES_REPLACED]


def test_gbk_with_a_stray_byte_keeps_its_encoding():
    data = page(TEXT * 20, '<meta charset="gbk">').encode("gbk")
    i = data.index(b"4399")
    data = data[:i] + b"\xff" + data[i:]
    text, enc, flags = decode_html(data)
    assert enc == "gb18030"
    assert TEXT in text
    assert flags == [BYTES_REPLACED]


def test_big5_and_shift_jis_are_read_and_flagged():
    text, enc, flags = decode_html((PAGES / "big5_undeclared.html").read_bytes())
    assert enc == "big5" and "園區企業獲獎" in text
    assert UNUSUAL_ENCODING in flags and CHARSET_GUESSED in flags
    text, enc, flags = decode_html((PAGES / "shift_jis.html").read_bytes())
    assert enc == "shift_jis" and "東京でイベント開催" in text
    assert flags == [UNUSUAL_ENCODING]


@pytest.mark.parametrize(
    "data",
    [b"", b"\x00" * 100, bytes(range(256)) * 40, b"\xff\xfe\xfd" * 1000, b"<html>\x81\x82\x83", b"\xe4\xb8"],
)
def test_never_raises(data):
    text, enc, flags = decode_html(data, declared="utf-8")
    assert isinstance(text, str) and enc
    text, enc, flags = decode_html(data, declared="no-such-charset")
    assert isinstance(text, str)


def test_utf16_without_a_byte_order_mark_is_read_and_flagged():
    html = page(TEXT * 5)
    for codec in ("utf-16-le", "utf-16-be"):
        text, enc, flags = decode_html(html.encode(codec))
        assert enc == codec and TEXT in text
        assert CHARSET_GUESSED in flags and UNUSUAL_ENCODING in flags


def test_undeclared_japanese_is_not_read_as_gbk():
    # GB2312 holds the kana at the bytes EUC-JP uses: the kana alone must not settle it.
    ja = "東京で大規模な展示会が開催され、多くの企業が参加しました。来場者は一万人を超えました。"
    for codec in ("euc-jp", "shift_jis"):
        text, enc, flags = decode_html(page(ja).encode(codec))
        assert ja in text and enc == codec and UNUSUAL_ENCODING in flags
    # Chinese GBK stays GBK.
    text, enc, _ = decode_html(page(TEXT * 3).encode("gbk"))
    assert enc == "gb18030" and TEXT in text
