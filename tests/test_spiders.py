"""The spiders read real page structure: list pages give article URLs and the next page; article
pages give items with the raw bytes. Pages are raw responses under tests/fixtures/raw/."""

from __future__ import annotations

import asyncio

import pytest
from rawpages import RAW, raw_response
from scrapy.utils.test import get_crawler

from crawler.items import PageItem
from crawler.spiders.achie import AchieSpider
from crawler.spiders.base import ZoneSpider
from crawler.spiders.chinatorch import ChinatorchSpider
from crawler.spiders.hnkfq import HnkfqSpider
from crawler.spiders.portals import PortalSpider, SitesFileError, load_sites


def make(spidercls: type[ZoneSpider], settings: dict | None = None, **kwargs) -> ZoneSpider:
    crawler = get_crawler(spidercls, settings or {})
    return spidercls.from_crawler(crawler, **kwargs)


def crawl_list(spider: ZoneSpider, name: str, url: str, site: str | None = None, page: int = 1):
    meta = {"list_page": page, "first_list_url": url, "site": site or spider.name}
    out = list(spider.parse_list(raw_response(name, url, meta)))
    articles = [r.url for r in out if r.meta.get("article")]
    pages = [r.url for r in out if "list_page" in r.meta]
    return articles, pages


def start_urls(spider: ZoneSpider) -> list[str]:
    async def collect():
        return [r.url async for r in spider.start()]

    return asyncio.run(collect())


def test_achie_list_page_gives_its_articles_and_the_next_page():
    articles, pages = crawl_list(AchieSpider(), "achie_list_gxqxw_1", "http://www.achie.org/news/gxqxw/")
    assert articles == [
        "http://www.achie.org/news/gxqxw/2023/0315/105.html",
        "http://www.achie.org/news/gxqxw/2023/0220/104.html",
        "http://www.achie.org/news/gxqxw/2023/0110/103.html",
        "http://www.achie.org/news/gxqxw/2022/1222/102.html",
    ]
    assert pages == ["http://www.achie.org/news/gxqxw/list_2_2.html"]


def test_achie_last_list_page_has_no_next_page():
    url = "http://www.achie.org/news/gxqxw/list_2_2.html"
    articles, pages = crawl_list(AchieSpider(), "achie_list_gxqxw_2", url, page=2)
    assert "http://www.achie.org/news/gxqxw/2022/1108/100.html" in articles
    assert pages == []


def test_article_item_keeps_raw_bytes_and_headers():
    url = "http://www.achie.org/news/gxqxw/2023/0220/104.html"
    spider = AchieSpider()
    response = raw_response("achie_article_gbk_lying_header", url, {"article": True, "site": "achie"})
    (item,) = spider.parse_article(response)
    assert isinstance(item, PageItem)
    raw = (RAW / "achie_article_gbk_lying_header.http").read_bytes()
    assert item.body == raw.split(b"\r\n\r\n", 1)[1]  # the bytes as served, GBK, not re-encoded
    assert item.url == url and item.status == 200 and item.spider == "achie"
    assert item.headers["Content-Type"] == "text/html; charset=utf-8"
    assert item.fetched_at.endswith("+00:00")
    # the header said UTF-8; the page is GBK: links and selectors see the right text
    assert "charset_mismatch" in item.charset_flags
    assert "株洲高新区" in response.text


def test_hnkfq_list_pages_and_pagination():
    articles, pages = crawl_list(HnkfqSpider(), "hnkfq_list_1", "http://www.hnkfq.org.cn/news/list-12.html")
    assert articles == [f"http://www.hnkfq.org.cn/news/show-{n}.html" for n in (1012, 1011, 1010, 1013)]
    assert pages == ["http://www.hnkfq.org.cn/news/list-12-2.html"]
    url2 = "http://www.hnkfq.org.cn/news/list-12-2.html"
    articles, pages = crawl_list(HnkfqSpider(), "hnkfq_list_2", url2, page=2)
    assert articles == [f"http://www.hnkfq.org.cn/news/show-{n}.html" for n in (1009, 1008, 1007)]
    assert pages == []


def test_chinatorch_trs_pagination_is_bounded_by_the_page_count():
    spider = ChinatorchSpider()
    first = "http://www.chinatorch.gov.cn/gxq/gzdt/index.shtml"
    articles, pages = crawl_list(spider, "chinatorch_list_gzdt_1", first)
    assert articles == [
        "http://www.chinatorch.gov.cn/gxq/gzdt/202303/24ef4502dbda78b37e6ecf7840dc04b4.shtml",
        "http://www.chinatorch.gov.cn/gxq/gzdt/202302/cc00fb841ffe374f544de135223acd04.shtml",
    ]
    assert pages == ["http://www.chinatorch.gov.cn/gxq/gzdt/index_1.shtml"]
    # the second page is the last one (createPageHTML(2, 1, ...)): no index_2.shtml is asked for
    meta = {"list_page": 2, "first_list_url": first, "site": "chinatorch"}
    url = "http://www.chinatorch.gov.cn/gxq/gzdt/index_1.shtml"
    out = list(spider.parse_list(raw_response("chinatorch_list_gzdt_2", url, meta)))
    assert not [r for r in out if "list_page" in r.meta]
    assert "http://www.chinatorch.gov.cn/gxq/gzdt/202211/7d6b0d8fe96dc4d2350f2fdecdebb6ce.shtml" in [
        r.url for r in out
    ]


def test_chinatorch_article_item():
    url = "http://www.chinatorch.gov.cn/gxq/gzdt/202303/24ef4502dbda78b37e6ecf7840dc04b4.shtml"
    spider = ChinatorchSpider()
    response = raw_response("chinatorch_article", url, {"article": True, "site": "chinatorch"})
    (item,) = spider.parse_article(response)
    assert item.url == url and item.charset_flags == []
    assert b'<meta name="ArticleTitle" content="2022' in item.body
    assert item.headers["Content-Type"] == "text/html"


def test_base_url_points_a_spider_at_a_local_copy():
    local = "http://127.0.0.1:8123/"
    assert start_urls(make(AchieSpider, base_url=local)) == [
        local + "news/gxqxw/",
        local + "news/zcjd/",
    ]
    spider = make(ChinatorchSpider, {"ZONECRAWL_BASE_URLS": {"chinatorch": local}})
    assert all(u.startswith(local) for u in start_urls(spider))
    assert start_urls(make(HnkfqSpider)) == ["http://www.hnkfq.org.cn/news/list-12.html"]


@pytest.fixture
def portal():
    return make(PortalSpider, site="cshtz")


def test_portal_list_page_follows_the_url_template(portal):
    url = "http://www.cshtz.gov.cn/xwzx/yqdt/list.html"
    articles, pages = crawl_list(portal, "cshtz_list_1", url, site="cshtz")
    assert articles == [
        "http://www.cshtz.gov.cn/xwzx/yqdt/20230412/3005.html",
        "http://www.cshtz.gov.cn/xwzx/yqdt/20230322/3004.html",
    ]
    assert pages == ["http://www.cshtz.gov.cn/xwzx/yqdt/list_2.html"]


def test_portal_selectors_fill_title_and_body(portal):
    url = "http://www.cshtz.gov.cn/xwzx/yqdt/20230412/3005.html"
    response = raw_response("cshtz_article", url, {"article": True, "site": "cshtz"})
    (item,) = portal.parse_article(response)
    assert item.selected["title"] == "长沙高新区一季度新增市场主体6126户"
    body = item.selected["body"].split("\n")
    assert len(body) == 2 and body[0].startswith("今年一季度") and "1296.5亿元" in body[1]
    assert "date" not in item.selected  # no date selector: extractors.article reads the date


def test_portal_sitemap_gives_articles_on_the_crawled_host():
    spider = make(PortalSpider, site="cshtz", base_url="http://127.0.0.1:8124/")
    url = "http://127.0.0.1:8124/sitemap.xml"
    response = raw_response("cshtz_sitemap", url, {"site": "cshtz"})
    urls = [r.url for r in spider.parse_sitemap(response)]
    assert len(urls) == 5
    assert "http://127.0.0.1:8124/xwzx/yqdt/20221229/3001.html" in urls  # on no list page


def test_bundled_sites_file_is_valid():
    names = [e["name"] for e in load_sites()]
    assert "cshtz" in names


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("- name: x\n  base_url: http://a/\n  lists: [l.html]\n", "x: missing article"),
        (
            "- name: x\n  base_url: http://a/\n  lists: [l]\n  article: a\n  colour: red\n",
            "unknown keys colour",
        ),
        ("- [unclosed\n", "sites.yaml"),
    ],
)
def test_a_bad_sites_file_gets_a_one_line_reason(tmp_path, text, message):
    path = tmp_path / "sites.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(SitesFileError, match=message) as e:
        load_sites(path)
    assert "\n" not in str(e.value)


def test_crawl_refuses_an_unknown_spider_or_a_bad_sites_file(tmp_path):
    from click.testing import CliRunner

    from crawler.cli import cli

    db = str(tmp_path / "z.db")
    result = CliRunner().invoke(cli, ["crawl", "achie", "nosuch", "--db", db])
    assert result.exit_code == 2
    assert "unknown spider nosuch (known: achie, chinatorch, hnkfq, portals, zones)" in result.output
    bad = tmp_path / "sites.yaml"
    bad.write_text("- name: x\n  base_url: http://a/\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["crawl", "portals", "--sites", str(bad), "--db", db])
    assert result.exit_code == 2 and "x: missing lists, article" in result.output
    assert not (tmp_path / "z.db").exists()  # nothing was started
