"""A crawl stays on its own sites: redirects and meta refreshes elsewhere, other schemes and
internal addresses are refused and recorded, never fetched, stored or archived."""

from __future__ import annotations

import pytest
from localcrawl import ARTICLE, crawl_news_site, query, serve_pages

from crawler.safety import internal_address, refusal, site_key

SITES = {site_key("http://www.cshtz.gov.cn/")}


@pytest.mark.parametrize(
    "url, refused",
    [
        ("http://www.cshtz.gov.cn/xwzx/1.html", False),
        ("https://cshtz.gov.cn/xwzx/1.html", False),  # https and without www: the same site
        ("http://www.cshtz.gov.cn:8080/xwzx/1.html", True),  # another port is another server
        ("http://evil.example.com/1.html", True),
        ("file:///etc/passwd", True),
        ("ftp://www.cshtz.gov.cn/1.html", True),
    ],
)
def test_only_the_spider_s_sites_over_http(url, refused):
    assert (refusal(url, SITES) is not None) == refused


@pytest.mark.parametrize(
    "host",
    [
        "127.0.0.1",
        "localhost",
        "10.1.2.3",
        "192.168.0.1",
        "172.16.5.4",
        "169.254.169.254",
        "[::1]",
        "0.0.0.0",
    ],
)
def test_internal_addresses(host):
    assert internal_address(host)
    assert refusal(f"http://{host}/x.html", set()) is not None
    assert refusal(f"http://{host}/x.html", set(), allow_private=True) is None


def test_public_addresses_and_names_pass():
    assert not internal_address("8.8.8.8") and not internal_address("www.cshtz.gov.cn")


@pytest.mark.slow
def test_redirects_and_meta_refresh_off_the_site_are_refused(tmp_path):
    inner_hits: list[str] = []
    inner = serve_pages(
        {f"/secret{n}.html": (200, {}, ARTICLE.format(t="内部页面")) for n in (1, 2, 3)}, inner_hits
    )
    elsewhere = f"http://127.0.0.1:{inner.server_address[1]}/secret{{}}.html"
    links = "".join(f'<a href="/news/{n}.html">{n}</a>' for n in (1, 2, 3, 4))
    pages = {
        "/robots.txt": (200, {"Content-Type": "text/plain"}, ""),
        "/news/list.html": (200, {}, f"<html><body>{links}</body></html>"),
        "/news/1.html": (302, {"Location": elsewhere.format(1)}, ""),
        "/news/2.html": (301, {"Location": elsewhere.format(2)}, ""),
        "/news/3.html": (200, {}, f'<meta http-equiv="refresh" content="0;url={elsewhere.format(3)}">'),
        "/news/4.html": (200, {}, ARTICLE.format(t="长沙高新区新闻")),
    }
    outer_hits: list[str] = []
    outer = serve_pages(pages, outer_hits)
    base = f"http://127.0.0.1:{outer.server_address[1]}/"
    db, archive = tmp_path / "zones.db", tmp_path / "archive"
    try:
        crawl_news_site(tmp_path, base, db, archive)
    finally:
        inner.shutdown()
        outer.shutdown()
    assert inner_hits == []  # the internal page was never asked for
    urls = [u for (u,) in query(db, "select url from documents")]
    assert urls == [base + "news/4.html"]
    refused = query(db, "select url from errors where kind = 'refused' order by url")
    assert [u for (u,) in refused] == [base + f"news/{n}.html" for n in (1, 2, 3)]


def _resolved(resolver, name):
    """What the resolver's Deferred for NAME gives: an address or the failure's exception."""
    out = []
    resolver.getHostByName(name).addBoth(out.append)
    return out[0].value if hasattr(out[0], "value") else out[0]


@pytest.mark.parametrize("address, refused", [("127.0.0.1", True), ("10.0.0.5", True), ("8.8.8.8", False)])
def test_a_name_resolving_to_an_internal_address_is_refused(address, refused):
    from scrapy.resolver import dnscache
    from twisted.internet.error import DNSLookupError

    from crawler.safety import SafeResolver, refused_names

    name = f"intranet-{address.replace('.', '-')}.example"
    dnscache[name] = address  # a fake resolution: the lookup is answered from the cache, offline
    try:
        result = _resolved(SafeResolver(None, 100, 1.0), name)
        allowed = _resolved(SafeResolver(None, 100, 1.0, allow_private=True), name)
    finally:
        del dnscache[name]
    assert allowed == address
    if refused:
        assert isinstance(result, DNSLookupError) and address in str(result)
        assert refusal(f"http://{name}/a.html", set()) is None  # the URL alone looks harmless
        assert name in refused_names
    else:
        assert result == address


def _loopback_name() -> str | None:
    """A host name (not `localhost`) this machine resolves to a loopback address, if it has one."""
    import socket

    for name in (socket.gethostname(), "ip6-localhost", "localhost.localdomain"):
        try:
            if name and not internal_address(name) and internal_address(socket.gethostbyname(name)):
                return name
        except OSError:
            continue
    return None


@pytest.mark.slow
def test_a_crawl_never_connects_to_a_name_resolving_to_loopback(tmp_path):
    name = _loopback_name()
    if name is None:
        pytest.skip("no host name here resolves to a loopback address")
    hits: list[str] = []
    pages = {
        "/robots.txt": (200, {"Content-Type": "text/plain"}, ""),
        "/news/list.html": (200, {}, '<html><body><a href="/news/1.html">1</a></body></html>'),
        "/news/1.html": (200, {}, ARTICLE.format(t="长沙高新区新闻")),
    }
    server = serve_pages(pages, hits)
    base = f"http://{name}:{server.server_address[1]}/"
    db = tmp_path / "zones.db"
    try:
        crawl_news_site(tmp_path, base, db, tmp_path / "archive", ZONECRAWL_ALLOW_PRIVATE_ADDRESSES="False")
    finally:
        server.shutdown()
    assert hits == []
    assert query(db, "select count(*) from documents") == [(0,)]
    refused = query(db, "select url, message from errors where kind = 'refused'")
    assert refused and all(name in message for _, message in refused)
