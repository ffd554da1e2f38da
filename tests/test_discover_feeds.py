"""Portal discovery's feeds: RSS/Atom feeds linked from the home page or named in robots.txt give
article links on the site (and the article pattern where the lists give none); never a link off it."""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from cmssites import CMS_DIR, article_paths, manifest

from crawler.cli import cli
from crawler.discover import discover_site, feed_articles, feed_links, path_and_query
from crawler.discoverfetch import SiteFetcher
from crawler.localsites import LocalSites

BASE = "http://127.0.0.1:8999/"

HEAD = """<html><head>
<link rel="alternate" type="application/rss+xml" title="新闻" href="/rss/news.xml">
<link rel="alternate" type="application/atom+xml" href="http://127.0.0.1:8999/atom.xml">
<link rel="alternate" type="application/rss+xml" href="http://www.xinhuanet.com/rss.xml">
<link rel="stylesheet" type="text/css" href="/style.css">
</head><body></body></html>"""

RSS = b"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Zone</title><link>http://www.zone.gov.cn/</link>
<item><title>a</title><link>http://www.zone.gov.cn/xwdt/202306/t20230630_3007.html</link></item>
<item><title>b</title><link>http://127.0.0.1:8999/xwdt/202306/t20230621_3014.html</link></item>
<item><title>c</title><link>http://www.xinhuanet.com/tech/20230620/c_1129.htm</link></item>
<item><title>d</title><link>http://www.zone.gov.cn/login.html?from=rss</link></item>
</channel></rss>"""

ATOM = b"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Zone</title><link href="/"/>
<link rel="self" href="/atom.xml"/>
<entry><title>a</title><link rel="alternate" href="/tzgg/202306/t20230630_3.html"/></entry>
<entry><title>b</title><link href="/tzgg/202306/t20230629_4.html"/></entry>
</feed>"""


def test_feeds_named_in_a_page_head_on_the_site_only():
    assert feed_links(HEAD, BASE) == [BASE + "rss/news.xml", BASE + "atom.xml"]


def test_feed_items_on_the_feeds_own_host_are_moved_onto_the_site_and_other_hosts_dropped():
    assert feed_articles(RSS, BASE + "rss/news.xml", BASE) == [
        BASE + "xwdt/202306/t20230630_3007.html",  # the real host the feed names, served here
        BASE + "xwdt/202306/t20230621_3014.html",
    ]  # xinhuanet is another site; a login page is never an article
    assert feed_articles(ATOM, BASE + "atom.xml", BASE) == [
        BASE + "tzgg/202306/t20230630_3.html",
        BASE + "tzgg/202306/t20230629_4.html",
    ]
    assert feed_articles(b"<html><body>404</body></html>", BASE + "rss.xml", BASE) == []


def portal(pages: dict[str, bytes]):
    """A fetch over PAGES (path -> body), recording what it was asked."""
    asked: list[str] = []

    def fetch(url: str):
        asked.append(url)
        body = pages.get(url.removeprefix(BASE.rstrip("/")))
        return (body, "text/html; charset=utf-8") if body is not None else None

    return fetch, asked


SCRIPTED_LIST = b'<div id="list"></div><script src="/js/list.js"></script>'


@pytest.mark.parametrize("named_in", ["head", "robots"])
def test_a_feed_gives_the_article_pattern_when_the_lists_are_drawn_by_a_script(named_in):
    head = (
        '<link rel="alternate" type="application/rss+xml" href="/rss/news.xml">' if named_in == "head" else ""
    )
    home = f'<html><head>{head}</head><body><a href="/xwdt/index.html">新闻动态</a></body></html>'
    robots = "User-agent: *\nSitemap: http://www.zone.gov.cn/rss/news.xml\n" if named_in == "robots" else ""
    fetch, _ = portal(
        {
            "/": home.encode(),
            "/xwdt/index.html": SCRIPTED_LIST,
            "/rss/news.xml": RSS,
            "/robots.txt": robots.encode(),
        }
    )
    found = discover_site(BASE, fetch)
    assert found.columns == [] and found.skipped == [BASE + "xwdt/index.html"]
    assert found.feed == "rss/news.xml"
    assert [path_and_query(u) for u in found.feed_articles] == [
        "/xwdt/202306/t20230630_3007.html",
        "/xwdt/202306/t20230621_3014.html",
    ]
    assert found.article == r"^/xwdt/\d+/t\d+_\d+\.html$"
    assert found.summary()["feed"] == "rss/news.xml"


@pytest.fixture(scope="module")
def served():
    with LocalSites(CMS_DIR, names=["dede", "phpcms", "trs"], fixed_ports=False) as sites:
        yield sites


@pytest.mark.parametrize(
    ("family", "feed", "kind"),
    [
        ("dede", "data/rss/1.xml", "news"),  # linked from the home page; GBK, as the site
        ("phpcms", "index.php?m=content&c=rss&rssid=7", "notice"),  # named in robots.txt
    ],
)
def test_on_the_fixture_portals_the_feed_lists_articles_of_the_site_and_nothing_else(
    served, family, feed, kind
):
    base = served.base_urls[family]
    fetcher = SiteFetcher(base, delay=0, allow_private=True)
    found = discover_site(base, fetcher)
    assert found.feed == feed
    assert [path_and_query(u) for u in found.feed_articles] == manifest(family)["articles"][kind][:10]
    assert all(u.startswith(base) for u in found.feed_articles)
    assert not any("xinhuanet" in u for u in fetcher.requested)  # the feed's off-site item is never asked
    assert set(path_and_query(u) for u in found.feed_articles) <= article_paths(family)
    printed = CliRunner().invoke(cli, ["discover", base, "--name", family, "--delay", "0", "--allow-private"])
    assert f"#   feed: {feed} (10 article links)" in printed.output


def test_a_portal_without_a_feed_has_none(served):
    found = discover_site(
        served.base_urls["trs"], SiteFetcher(served.base_urls["trs"], delay=0, allow_private=True)
    )
    assert found.feed is None and found.feed_articles == [] and found.article


def test_discover_prints_no_entry_for_a_portal_whose_articles_only_a_feed_lists(tmp_path):
    site = tmp_path / "scripted"
    (site / "xwdt").mkdir(parents=True)
    (site / "rss").mkdir()
    home = '<html><head><link rel="alternate" type="application/rss+xml" href="/rss/news.xml"></head>'
    (site / "index.html").write_text(home + '<body><a href="/xwdt/index.html">新闻动态</a></body></html>')
    (site / "xwdt" / "index.html").write_bytes(SCRIPTED_LIST)
    (site / "rss" / "news.xml").write_bytes(RSS.replace(b"http://127.0.0.1:8999", b"http://www.zone.gov.cn"))
    with LocalSites(tmp_path, fixed_ports=False) as sites:
        out = CliRunner().invoke(
            cli, ["discover", sites.base_urls["scripted"], "--delay", "0", "--allow-private"]
        )
    assert out.exit_code == 1  # a sites.yaml entry needs lists; `crawl zones` reads the feed
    assert "no column with article links found (the feed rss/news.xml lists 2)" in out.output
