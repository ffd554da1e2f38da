"""The page date on each kind of layout: small hand-written pages, one per layout class, each with
other dates (a related list, a footer, dates in the text) that must not be taken."""

from __future__ import annotations

import pytest

from extractors.article import extract_article
from extractors.dates import (
    comment_date,
    complete_date,
    find_date,
    find_dates,
    lead_date,
    partial_date,
    relative_days,
)

HEADLINE = "高新区举行重点项目集中签约仪式"
PARAGRAPHS = (
    "3月10日上午，高新区举行重点项目集中签约仪式，共有十二个项目现场签约，总投资额超过八十亿元。",
    "据介绍，本次签约项目涵盖新一代信息技术、生物医药、高端装备制造等领域，预计达产后年产值一百亿元。",
    "高新区管委会主任表示，将持续优化营商环境，为企业提供全方位服务，推动项目早开工、早投产、早见效。",
    "2022年12月1日起施行的《促进条例》为园区企业提供了更多支持，今年一季度新增市场主体三百余家。",
)
RELATED = (
    "<div class='related'><h3>相关新闻</h3><ul>"
    "<li><a href='/a/1.html'>高新区召开年度工作会议</a><span class='time'>2023-01-15</span></li>"
    "<li><a href='/a/2.html'>高新区举办创新创业大赛</a><span class='date'>2023-02-03</span></li></ul></div>"
)
FOOTER = "<div class='footer'>版权所有 © 2008-2024 高新区管委会 更新时间：2024-06-01</div>"


def page(
    top: str = "", head: str = "", lead: str = "", title: str = f"{HEADLINE}_高新区新闻网", comments: str = ""
) -> bytes:
    """A news page: `top` under the headline, `lead` opening the text, a related list and a footer
    with their own dates below."""
    body = "".join(f"<p>{p}</p>" for p in PARAGRAPHS)
    return (
        f"<html><head><meta charset='utf-8'><title>{title}</title>{head}</head><body>{comments}"
        "<div class='nav'><a href='/'>首页</a> <a href='/xw/'>新闻中心</a></div>"
        f"<div class='article'><h1>{HEADLINE}</h1>{top}"
        f"<div class='content'>{lead}{body}</div></div>{RELATED}{FOOTER}</body></html>"
    ).encode()


def date_of(data: bytes, **kw) -> str | None:
    return extract_article(data, **kw).date


@pytest.mark.parametrize(
    "top",
    [
        # A bare date-time alone in an element under the title (a span in a div whose class says time).
        "<div class='time-box'><span>2023-03-15 10:30</span></div>",
        "<div class='info'><span>2023-03-15 10:30:12</span><span>高新区新闻网</span></div>",
        # An element whose id or class names the date.
        "<div><span id='paperdate'>2023年03月15日</span> <span>第2版</span></div>",
        "<div class='meta'><em class='pubtime'>2023年3月15日</em></div>",
        # A date followed by a parenthetical note.
        "<div class='info'>2023年3月15日（星期三） 来源：高新区管委会</div>",
        "<div class='info'>发布时间：2023-03-15 10:30 (北京时间)</div>",
        # Site name, date-time and source on one line.
        "<div class='info'>高新区新闻网 2023-03-15 10:30:00 来源：科技日报</div>",
        # An empty source cell before the date.
        "<div class='info'>来源: | 发布时间: 2023-03-15 | 浏览次数: 2168</div>",
    ],
)
def test_bylines_under_the_headline(top):
    assert date_of(page(top=top)) == "2023-03-15"


def test_old_portal_table_cell_byline():
    # A 2005 portal: the headline in a plain cell, the byline in the next row, the text below.
    rows = "".join(f"<tr><td>{p}</td></tr>" for p in PARAGRAPHS)
    html = (
        f"<html><head><meta charset='gbk'><title>{HEADLINE}-中国高新网</title></head><body>"
        "<table><tr><td><a href='/'>首页</a> | <a href='/news/'>新闻</a></td></tr></table>"
        f"<table><tr><td class='bt'>{HEADLINE}</td></tr>"
        "<tr><td>中国高新网&nbsp;&nbsp;2005-03-02 10:20:33&nbsp;&nbsp;来源：科技日报</td></tr>"
        f"{rows}</table>{RELATED}{FOOTER}</body></html>"
    )
    assert date_of(html.encode("gbk", "xmlcharrefreplace")) == "2005-03-02"


def test_byline_inside_the_headline_box():
    # The headline is a div and the h1 is the site name; the title box also holds the time line.
    html = page().replace(
        f"<h1>{HEADLINE}</h1>".encode(),
        (
            "<div class='art-title'><div class='title-text'>" + HEADLINE + "</div>"
            "<div class='title-meta'><div class='title-meta-time'>发布时间： 2023-03-15 10:09:11</div>"
            "</div></div>"
        ).encode(),
    )
    html = html.replace(b"<body>", "<body><h1>明日大盘网</h1>".encode())
    assert date_of(html) == "2023-03-15"


def test_byline_under_an_earlier_copy_of_the_headline():
    # The headline shows twice: over a byline row, and again at the top of the text.
    html = page(top="<div class='info'>来源: | 发布时间: 2023-03-15</div>", lead=f"<p><b>{HEADLINE}</b></p>")
    assert date_of(html) == "2023-03-15"


@pytest.mark.parametrize(
    "lead",
    [
        "<p>【中国高新网2005年3月2日报道】近日，高新区举行签约仪式。</p>",
        "<p>新华社北京2005年3月2日电 高新区举行签约仪式。</p>",
    ],
)
def test_dated_lead_at_the_start_of_the_text(lead):
    assert date_of(page(lead=lead)) == "2005-03-02"


@pytest.mark.parametrize(
    "comments",
    [
        "<!-- 发布时间：2005-03-02 -->",
        "<!--<publishtime>2005-03-02 10:11:12</publishtime><author>王明</author>-->",
        "<!--<meta name='PubDate' content='2005-03-02'>-->",
    ],
)
def test_dates_only_in_cms_comments(comments):
    assert date_of(page(comments=comments)) == "2005-03-02"


def test_page_rendering_stamps_in_comments_are_not_the_date():
    stamp = "<!-- App=CMS(CMS内容管理系统) 3.1.17,CostTime=92,PublishDate=2023-08-16 10:38:36 -->"
    assert date_of(page(comments=stamp)) is None


@pytest.mark.parametrize(
    "meta",
    [
        "<meta itemprop='datePublished' content='2023-03-15T10:30:00+08:00'>",
        "<meta name='PubDate' content='2023-03-15 10:30'>",
        "<meta name='publishdate' content='2023-03-15'>",
        "<meta name='firstpublishedtime' content='2023-03-15-10:30:00'>",
        "<meta property='article:published_time' content='2023-03-15T10:30:00+08:00'>",
        '<script type="application/ld+json">{"@type": "NewsArticle", "datePublished": "2023-03-15"}</script>',
    ],
)
def test_meta_tags_and_json_ld(meta):
    assert date_of(page(head=meta)) == "2023-03-15"


@pytest.mark.parametrize(
    ("top", "want"),
    [
        # No year in the byline: the last-change meta tag on the same day gives it.
        (
            "<div class='source'><span class='date'>发布时间：03-15</span><span>10:30</span></div>",
            "2023-03-15",
        ),
        # A two-digit year, read year first.
        (
            "<div class='source'><span class='date'>发布时间：23-03-15</span><span>10:30</span></div>",
            "2023-03-15",
        ),
    ],
)
def test_short_byline_dates_completed_from_the_page(top, want):
    head = "<meta itemprop='dateUpdate' content='2023-03-15 10:30:57'>"
    assert date_of(page(top=top, head=head)) == want


def test_year_less_byline_without_a_matching_full_date_gives_nothing():
    top = "<div class='source'><span class='date'>发布时间：03-15</span></div>"
    assert date_of(page(top=top)) is None


def test_last_change_meta_alone_is_not_the_date():
    assert date_of(page(head="<meta itemprop='dateUpdate' content='2024-06-01 10:30:57'>")) is None


@pytest.mark.parametrize(("word", "want"), [("昨天", "2020-02-12"), ("前天", "2020-02-11")])
def test_relative_byline_days_count_back_from_when_the_page_was_served(word, want):
    top = f"<div class='info'>发布时间：{word} 22:17</div>"
    served = "<script>var svr_time = '1581560000';</script>"  # 2020-02-13 10:13 in China
    assert date_of(page(top=top, head=served)) == want
    # The server's GMT clock: 20:00 on the 12th is already the 13th in China.
    headers = {"Date": "Wed, 12 Feb 2020 20:00:00 GMT"}
    assert date_of(page(top=top), headers=headers) == want
    assert date_of(page(top=top), headers={"Date": "not a date"}) is None
    assert date_of(page(top=top)) is None  # nothing to count back from


def test_dates_of_related_lists_footers_copyright_and_text_are_not_taken():
    # The only dates are in the text (an event's), the related list, the footer and its copyright line.
    assert date_of(page()) is None


def test_comment_section_dates_are_not_taken():
    comments = (
        "<div class='comments'><h3>网友评论</h3><div class='comment'><span class='time'>2023-03-20 08:00</span>"
        "<p>很好</p></div></div>"
    )
    html = page().replace(RELATED.encode(), (comments + RELATED).encode())
    assert date_of(html) is None


def test_short_date_helpers():
    assert partial_date("18-03-08 23:16") == (18, 3, 8)
    assert partial_date("10-08 12:00") == (None, 10, 8)
    assert partial_date("10月08日") == (None, 10, 8)
    assert partial_date("2018-03-08") is None
    assert complete_date((None, 10, 8), ["2019-10-08"]) == "2019-10-08"
    assert complete_date((None, 10, 8), ["2019-10-09"]) is None
    assert complete_date((18, 3, 8), []) == "2018-03-08"
    assert relative_days("昨天 12:30") == 1
    assert relative_days("昨天下午") is None or relative_days("昨天下午") == 1
    assert lead_date("【本报2024年5月16日讯】") == "2024-05-16"
    assert lead_date("2024年5月16日，高新区召开会议。") is None
    assert comment_date("<!-- pubdate: 2024-05-16 --><!-- pubdate: 2024-05-17 -->") is None


def test_unlabelled_short_dates_in_time_elements():
    head = "<meta itemprop='dateUpdate' content='2023-03-15 10:30:57'>"
    assert date_of(page(top="<div><span class='date'>03-15 10:30</span></div>", head=head)) == "2023-03-15"
    assert date_of(page(top="<div><span class='time'>23-03-15</span></div>")) == "2023-03-15"


def test_unlabelled_relative_day_under_the_headline():
    top = "<div class='rich_media_meta'><em id='publish_time'>昨天</em> <a>高新区发布</a></div>"
    served = "<script>var svr_time = '1581560000';</script>"
    assert date_of(page(top=top, head=served)) == "2020-02-12"


@pytest.mark.parametrize("title", [HEADLINE, f"{HEADLINE}-中国高新网"])
def test_old_portal_page_with_the_byline_in_the_texts_own_table(title):
    # Everything in one table: headline row, byline row, then one row per paragraph, the footer row.
    rows = "".join(f"<tr><td>{p}</td></tr>" for p in PARAGRAPHS)
    html = (
        f"<html><head><meta charset='utf-8'><title>{title}</title></head><body>"
        "<table width='760'><tr><td><a href='/'>首页</a> | <a href='/news/'>高新区动态</a></td></tr>"
        f"<tr><td align='center'><b>{HEADLINE}</b></td></tr>"
        "<tr><td align='center'>2005年03月02日 10:20 来源：科技日报 作者：王明</td></tr>"
        f"{rows}<tr><td>版权所有 中国高新网 2005-2006 更新时间：2006-01-01</td></tr></table></body></html>"
    )
    assert date_of(html.encode()) == "2005-03-02"


def test_date_with_a_note_in_brackets_that_has_a_comma():
    assert date_of(page(top="<div class='info'>2023-03-15 10:30（北京时间，星期三）</div>")) == "2023-03-15"


def test_property_block_inside_a_comment():
    block = '<!--<Property name="pubdate" value="2005-03-02 09:00"/><Property name="author" value="王明"/>-->'
    assert date_of(page(comments=block)) == "2005-03-02"


def test_e_paper_date_in_the_page_header_above_the_headline():
    header = "<div class='header'><span id='paperdate'>2023年03月15日 星期三</span> <span>第02版：要闻</span></div>"
    assert date_of(page().replace(b"<body>", f"<body>{header}".encode())) == "2023-03-15"


def test_a_header_clock_is_not_the_date():
    header = "<div class='header'><span class='today'>2024年06月01日 星期六</span></div>"
    assert date_of(page().replace(b"<body>", f"<body>{header}".encode())) is None


def test_dates_in_chinese_numerals():
    assert find_dates("成文日期：二〇二三年三月十五日") == [(5, "2023-03-15")]
    assert find_date("二〇〇五年十二月三十一日") == "2005-12-31"
    assert find_date("二〇二三年二月三十日") is None  # no such day
    assert date_of(page(top="<div class='info'>发布日期：二〇二三年三月十五日</div>")) == "2023-03-15"
