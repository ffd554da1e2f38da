import re

import pytest
from conftest import FIXTURES, seed

from crawler.inputs import read_path
from extractors.normalise.pinyin import remove_pinyin
from extractors.normalise.script import is_traditional_char, to_simplified
from extractors.textdump import is_text_dump, read_text_dump

SENTENCE = re.compile(r"[^。！？；]+[。！？]")
KEY = re.compile(r"[^\w]+")


def key(text: str) -> str:
    return KEY.sub("", text)


@pytest.fixture(scope="module")
def docs():
    return {p: read_path(seed(p)) for p in ("000", "002", "003")}


def test_headers_give_title_date_source(docs):
    d = docs["000"]
    assert d.title == "《湖南省高新区创新发展绩效评价研究报告2022》成果发布会暨湖南省高新区高质量发展论坛举行"
    assert (d.date, d.source) == ("2022-12-22", "高新院 achie.org")
    d = docs["002"]
    assert d.title == "高新区科技创新工作总结暨20xx年工作打算"
    assert (d.date, d.author) == ("2024-08-18", "shokzz")
    d = docs["003"]
    assert d.title == "长沙高新区入选全国13家国家高新区启动企业创新积分制试点"
    assert (d.date, d.source) == ("2020-12-18", "科技部、湖南开发区网")


def test_no_page_furniture_left_in_the_bodies(docs):
    furniture = [
        r"\([a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ]+\)", "[區們發當創價績導學處據鄉進業]", "视频|熟女|一区二区",
        "当前位置|主页 >|点击[:：]|浏览[:：]|来源[:：]", "协会简介|第一章|第一条|总则|章程",
        "VIP|展开|收起|预览|未读|声明|本文档|docx|客服|侵权|KB|摘要", "Network|PARK EXPRESS|欢迎来到",
    ]  # fmt: skip
    for name, d in docs.items():
        for pattern in furniture:
            assert not re.search(pattern, d.body), (name, pattern, re.search(pattern, d.body))
        # No traditional character at all, beyond those simplified text uses too (`显著`).
        fields = d.body + (d.title or "") + (d.source or "")
        assert {c for c in fields if is_traditional_char(c)} <= {"著"}, name


def test_one_copy_with_every_sentence_of_the_article(docs):
    raw = seed("000").read_text(encoding="utf-8")
    text = to_simplified(remove_pinyin(raw)[0])[0]
    lines = text.splitlines()
    start = next(i for i, ln in enumerate(lines) if ln.strip().startswith("12月21日"))
    end = next(i for i, ln in enumerate(lines) if ln.strip().startswith("主页 >"))
    sentences = [s for ln in lines[start:end] for s in SENTENCE.findall(ln)]
    assert len(sentences) >= 15
    body = key(docs["000"].body)
    for s in sentences:
        assert body.count(key(s)) == 1, s
    assert "mojibake_copy_dropped" in docs["000"].flags
    # Every paragraph of the article once, the short ones too (`…提出5方面工作建议:`), which are
    # no sentences above; and nothing else.
    paragraphs = [ln for ln in lines[start:end] if key(ln)]
    assert len(paragraphs) == 9
    for p in paragraphs:
        assert body.count(key(p)) == 1, p
    assert len(docs["000"].body.splitlines()) == len(paragraphs)


def test_association_page_keeps_its_article_and_drops_the_charter(docs):
    raw = seed("003").read_text(encoding="utf-8")
    article = raw[raw.index("为深入贯彻") : raw.index("湘西高新区")]
    body = key(docs["003"].body)
    for s in SENTENCE.findall(article):
        assert key(s) in body, s


def test_wrapped_document_keeps_every_sentence_once(docs):
    raw = seed("002").read_text(encoding="utf-8")
    article = raw[raw.index("为贯彻落实") : raw.index("摘要:")].replace("\n", "")
    sentences = [s for s in re.split(r"[。；;！？]", article) if len(key(s)) >= 4]
    assert len(sentences) >= 60
    body = key(docs["002"].body)
    for s in sentences:
        assert key(s) in body, s
    # The abstract repeating the text's start is dropped: the first sentence is there once.
    assert body.count(key(sentences[0])) == 1


def test_wrapped_document_is_joined_into_paragraphs(docs):
    d = docs["002"]
    assert "lines_joined" in d.flags
    first = d.body.splitlines()[0]
    assert first.startswith("为贯彻落实") and first.endswith("远高于省、市平均水平。")
    assert "我们坚持以新发展理念为引领" in first and "达到446家" in first
    assert "“溢出效应”" in d.body and "“一区多园”" in d.body
    # Numbers as the metrics reader expects them.
    assert "入库318家" in d.body and "16.8亿" in d.body and "6.2%" in d.body


def test_a_portal_page_is_read_without_site_specific_rules():
    a = read_text_dump((FIXTURES / "text" / "portal_page.txt").read_text(encoding="utf-8"))
    assert a.title == "示范高新区一季度主要经济指标实现良好开局"
    assert (a.date, a.source) == ("2023-04-12", "示范高新区管委会")
    d = read_path(FIXTURES / "text" / "portal_page.txt")
    paragraphs = d.body.splitlines()
    assert len(paragraphs) == 3
    assert paragraphs[0].startswith("一季度") and "126.5亿元，同比增长8.3%；" in paragraphs[0]
    assert paragraphs[-1].endswith("早见效。")


def test_a_dump_without_a_byline_takes_its_first_line_as_title():
    a = read_text_dump("高新区召开年度工作会议\n会议总结了过去一年的工作。\n")
    assert (a.title, a.date, a.body) == ("高新区召开年度工作会议", None, "会议总结了过去一年的工作。")
    assert read_text_dump("").title is None
    notice = "高新区举办创新创业大赛\n本次大赛面向全区企业。\n活动时间:2023年5月1日\n"
    assert read_text_dump(notice).date is None


def test_text_dumps_are_told_from_html():
    assert is_text_dump(seed("002").read_text(encoding="utf-8"))
    assert is_text_dump("标题\n展开>> 收起<<\n正文。")
    assert not is_text_dump("<!DOCTYPE html><html><body><p>正文</p></body></html>")


def test_a_byline_above_the_headline():
    a = read_text_dump(
        "发布日期:2023-03-01 来源:高新区管委会\n高新区召开年度工作会议\n会议总结了过去一年的工作。"
    )
    assert (a.title, a.date, a.source) == ("高新区召开年度工作会议", "2023-03-01", "高新区管委会")
    assert a.body == "会议总结了过去一年的工作。"


def test_a_source_line_under_a_short_text_is_not_its_header():
    text = (
        "高新区前三季度经济运行整体平稳\n"
        "今年以来，高新区锚定高质量发展目标，积极推动产业升级和创新驱动，1至9月全区经济运行整体平稳。\n"
        "园区实现规上工业总产值405.97亿元。\n"
        "来源：高新区经济发展局\n"
    )
    article = read_text_dump(text)
    assert article.title == "高新区前三季度经济运行整体平稳"
    assert "405.97亿元" in article.body and "今年以来" in article.body


def test_an_unlabelled_date_before_the_source_and_document_dates():
    article = read_text_dump(
        "山东高新区排名取得历史最好成绩\n2022-03-11 10:11:41 来源:舜网-济南时报\n正文。\n"
    )
    assert (article.date, article.source) == ("2022-03-11", "舜网-济南时报")
    article = read_text_dump(
        "关于印发若干政策的通知\n发文机关:长沙高新区管委会 成文日期:2023-02-15\n正文。\n"
    )
    assert (article.date, article.source) == ("2023-02-15", "长沙高新区管委会")
