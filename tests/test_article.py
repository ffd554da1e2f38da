"""Article extraction on raw page bytes: fields, body, bad input, and the shared article set."""

from __future__ import annotations

import json
import re
from collections import Counter

import pytest
from conftest import ARTICLES, FIXTURES

from extractors.article import MAX_BYTES, TRUNCATED, extract_article
from extractors.dates import find_date, parse_date, url_date
from extractors.decode import BYTES_REPLACED, CHARSET_MISMATCH, UNUSUAL_ENCODING
from extractors.normalise.markup import drop_invisible
from extractors.pagemeta import read_byline, strip_site_suffix
from extractors.records import UnreadableInput

PAGES = FIXTURES / "pages"
PARAGRAPHS = [
    "2022年，青岛高新区坚持创新驱动发展，全区高新技术企业达到4399家，同比增长20.32%，科技型中小企业4424家，同比增长47.12%。",
    "全年技术合同交易额376.96亿元，比上年增长18.5%，研发平台新增52个，其中国家级研发平台7个。",
    "下一步，高新区将继续深化改革，优化营商环境，力争到2025年高新技术企业突破6000家，为全市高质量发展作出更大贡献。",
]
CHROME = ["首页", "新闻中心", "当前位置", "相关新闻", "召开年度工作会议", "版权所有", "0532-12345678"]


def read(name: str, **kw):
    return extract_article((PAGES / name).read_bytes(), **kw)


def assert_clean_body(body: str) -> None:
    assert body.split("\n") == PARAGRAPHS
    for chrome in CHROME:
        assert chrome not in body


def test_government_meta_tags_gbk():
    a = read("gov_gbk_meta.html", url="http://www.example.gov.cn/art/2022/12/22/art_1.html")
    assert a.title == "高新区高新技术企业突破4000家"
    assert (a.date, a.source, a.author) == ("2022-12-22", "青岛日报", "王明")
    assert a.url == "http://www.example.gov.cn/art/2022/12/22/art_1.html"
    assert_clean_body(a.body)
    assert a.flags == []


def test_undeclared_gbk_with_labelled_byline():
    a = read("gbk_undeclared.html")
    assert a.title == "高新区科技创新成果丰硕"  # not the <title> with ` - 高新区门户网站`
    assert a.date == "2022-12-22"  # not a date of the related list or the footer
    assert a.source == "高新区科技局"
    assert_clean_body(a.body)
    assert "浏览次数" not in a.body


def test_table_layout_portal_with_shortened_title():
    a = read("gov_table_layout.html")
    # The headline cell, not the shortened <title> nor the site logo <h1>.
    assert a.title == "长沙高新区入选全国企业创新积分制试点"
    assert (a.date, a.source) == ("2020-12-18", "科技局")
    assert a.body.split("\n") == [
        "为深入实施创新驱动发展战略，科技部火炬中心近日公布了企业创新积分制试点名单，长沙高新区成功入选。",
        "据悉，全国共有13家国家高新区入选首批试点，试点期限为两年。",
        "下一步，长沙高新区将完善积分指标体系，引导金融资源向创新企业集聚。",
    ]
    assert a.flags == []


def test_lying_http_header():
    a = read("gbk_undeclared.html", headers={"Content-Type": "text/html; charset=UTF-8"})
    assert a.title == "高新区科技创新成果丰硕"
    assert CHARSET_MISMATCH in a.flags
    assert_clean_body(a.body)


def test_og_meta_and_meta_charset_that_lies():
    a = read("utf8_meta_says_gb2312.html")
    assert a.title == "高新区发布三年行动计划"
    assert a.date == "2024-05-16"
    assert CHARSET_MISMATCH in a.flags
    assert_clean_body(a.body)


def test_unlabelled_date_under_headline_beats_related_and_footer_dates():
    a = read("unlabelled_date.html")
    assert a.title == "高新区举行项目集中签约仪式"
    assert a.date == "2021-06-18"
    assert_clean_body(a.body)


def test_ruby_scripts_and_hidden_spam_are_dropped():
    a = read("ruby_hidden.html")
    assert a.title == "高新區簡介"
    assert a.body.startswith("高新區位於城市西部")
    for gone in ("gāo", "qū", "(", "澳门赌场", "脚本", "color"):
        assert gone not in a.body
    assert "hidden_text_removed" in a.flags


def test_markup_stage_keeps_a_script_revealed_article():
    # Some platforms hide the article until a script shows it: that is no hidden spam.
    from lxml import etree

    html = (
        "<html><body><h1>标题</h1><div style='visibility: hidden'>"
        + "".join(f"<p>{p}</p>" for p in PARAGRAPHS)
        + "</div><div style='display:none'>隐藏的关键词</div></body></html>"
    )
    root = etree.fromstring(html, etree.HTMLParser())
    assert drop_invisible(root) == 1
    text = "".join(root.itertext())
    assert PARAGRAPHS[0] in text and "隐藏的关键词" not in text


def test_unusual_encodings_give_a_flagged_document():
    a = read("big5_undeclared.html")
    assert a.title == "園區企業獲獎"
    assert "本園區企業在今年的創新大賽中獲得一等獎" in a.body
    assert UNUSUAL_ENCODING in a.flags
    a = read("shift_jis.html")
    assert a.title == "東京でイベント開催"
    assert "展示会が開催され" in a.body
    assert UNUSUAL_ENCODING in a.flags


def test_truncated_page_gives_what_it_has():
    a = read("truncated.html")
    assert a.title == "高新区高新技术企业突破4000家"
    assert a.date == "2022-12-22"
    assert a.body.startswith(PARAGRAPHS[0])
    assert "全年技术合同交易额376.96亿元" in a.body
    assert BYTES_REPLACED in a.flags


def test_huge_page_is_capped_and_flagged():
    para = "".join(f"<p>{p}</p>" for p in PARAGRAPHS).encode()
    data = b"<html><head><title>x</title></head><body><div class='content'>" + para * (
        50_000_000 // len(para)
    )
    assert len(data) > 40_000_000
    a = extract_article(data)
    assert TRUNCATED in a.flags
    assert a.body.startswith(PARAGRAPHS[0])
    assert len(a.body) < MAX_BYTES


def test_text_dump_goes_to_the_text_reader():
    a = read("dump_gbk.txt")
    assert a.title == "高新区科技创新成果丰硕"
    assert a.date == "2022-12-22"
    assert PARAGRAPHS[0] in a.body


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "empty"),
        (b"  \n\t\r\n ", "white space"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "PDF"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01", "JPEG"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "PNG"),
        (b"PK\x03\x04\x14\x00\x06\x00", "ZIP"),
        (bytes(range(256)) * 8, "binary"),
    ],
)
def test_input_without_a_page_is_refused_in_one_line(data, reason):
    with pytest.raises(UnreadableInput) as e:
        extract_article(data)
    assert reason in str(e.value) and "\n" not in str(e.value)


def test_text_input_is_accepted():
    html = (PAGES / "unlabelled_date.html").read_text(encoding="utf-8")
    a = extract_article('<?xml version="1.0" encoding="utf-8"?>' + html)
    assert a.title == "高新区举行项目集中签约仪式"
    assert_clean_body(a.body)
    with pytest.raises(UnreadableInput):
        extract_article("   ")


@pytest.mark.parametrize(
    ("text", "date"),
    [
        ("发布时间：2022年12月22日 10:30", "2022-12-22"),
        ("2022-12-22 10:30:00", "2022-12-22"),
        ("2022/12/22", "2022-12-22"),
        ("日期 ： 2022.12.22", "2022-12-22"),
        ("2022 年 1 月 5 日", "2022-01-05"),
        ("2022-13-40", None),
        ("电话 0532-8888-1234", None),
        ("版本 2.2022.12", None),
    ],
)
def test_find_date(text, date):
    assert find_date(text) == date


def test_parse_meta_and_url_dates():
    assert parse_date("2024-05-16T19:44:13+08:00") == "2024-05-16"
    assert parse_date("20240516") == "2024-05-16"
    assert parse_date("1715860800") == "2024-05-16"
    assert parse_date("May 16, 2024") == "2024-05-16"
    assert parse_date("最新") is None
    assert url_date("http://finance.people.com.cn/n1/2024/0510/c1004-40232587.html") == "2024-05-10"
    assert url_date("http://www.news.cn/politics/20240509/3dd6e33cc6d7/c.html") == "2024-05-09"
    assert url_date("https://news.youth.cn/gj/202405/t20240520_15263156.htm") == "2024-05-20"
    assert url_date("https://www.toutiao.com/article/7370966182997787176/") is None


def test_byline_labels_with_full_width_colons_and_spacing():
    f = read_byline("来 源 ：新华网　　作者：张三 李四  发布时间： 2024年05月10日 08:00  浏览次数：12")
    assert f == {"source": "新华网", "author": "张三", "date": "2024-05-10"}
    assert read_byline("（编辑：小何）返回搜狐，查看更多") == {"editor": "小何"}


def test_site_suffix_is_stripped_from_title():
    assert strip_site_suffix("高新区召开工作会议_新华网") == "高新区召开工作会议"
    assert strip_site_suffix("高新区召开工作会议 - 人民网") == "高新区召开工作会议"
    assert strip_site_suffix("高新区召开工作会议|中国政府网") == "高新区召开工作会议"
    assert strip_site_suffix("关于印发《高新区2024-2026年行动计划》的通知") == (
        "关于印发《高新区2024-2026年行动计划》的通知"
    )


# The scorer of the shared article set: character-bigram F1 over CJK, Latin and digits.
_KEEP = re.compile(r"[\u3400-\u9fff\uf900-\ufaffA-Za-z0-9]")


def _bigrams(text: str) -> Counter:
    chars = _KEEP.findall(text or "")
    return Counter(a + b for a, b in zip(chars, chars[1:]))


def _f1(pred: str, gold: str) -> float:
    p, g = _bigrams(pred), _bigrams(gold)
    overlap = sum((p & g).values())
    if not overlap:
        return 0.0
    precision, recall = overlap / sum(p.values()), overlap / sum(g.values())
    return 2 * precision * recall / (precision + recall)


def test_body_f1_on_shared_articles():
    gold_path = ARTICLES / "gold.jsonl"
    if not gold_path.exists():
        pytest.skip("shared article set not present")
    scores = []
    for line in gold_path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        g = json.loads(line)
        a = extract_article((ARTICLES / f"{g['doc']}.html").read_bytes())
        body = ((a.title or "") + "\n" + a.body) if g.get("title_in_body") else a.body
        scores.append(_f1(body, g["body"]))
    assert len(scores) == 57
    assert sum(scores) / len(scores) >= 0.93
    assert sum(s < 0.5 for s in scores) == 0
