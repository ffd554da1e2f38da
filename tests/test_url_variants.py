"""URL variants of one article (session ids, tracking parameters) are one document."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

import pytest
from localcrawl import ARTICLE, crawl_news_site, query

from crawler.store import canonical_url, document_id

PLAIN = "http://www.cshtz.gov.cn/xwzx/gzdt/202301/t20230105_123.html"


@pytest.mark.parametrize(
    "variant",
    [
        PLAIN + ";jsessionid=0A1B2C3D4E5F60718293A4B5C6D7E8F9",
        PLAIN + ";JSESSIONID=abc.node1",
        PLAIN + "?PHPSESSID=9f8e7d6c5b4a39281706f5e4d3c2b1a0",
        PLAIN + "?sid=4f2a9c0e7b1d3e5f6a8b",
        PLAIN + "?utm_source=wechat&utm_medium=share&utm_campaign=x",
        PLAIN + "?spm=a2c4g.11186623.0.0&from=timeline&isappinstalled=0",
        PLAIN + "#top",
        "HTTP://WWW.cshtz.gov.cn:80/xwzx/gzdt/202301/t20230105_123.html?from=singlemessage",
    ],
)
def test_session_and_tracking_variants_are_the_same_document(variant):
    assert canonical_url(variant) == PLAIN
    assert document_id(variant) == document_id(PLAIN)


@pytest.mark.parametrize(
    "url",
    [
        "http://www.hnkfq.gov.cn/show.asp?id=3&sid=12",  # a short sid selects a section, not a session
        "http://www.achie.gov.cn/list.jsp?from=20",  # a numeric `from` is an offset
        "http://www.achie.gov.cn/info.jsp?id=7&page=2",
        "http://www.achie.gov.cn/a?b=1&&c=2",  # nothing dropped: written as it was
        "http://www.achie.gov.cn/a;type=html",
    ],
)
def test_page_selecting_parameters_are_kept(url):
    assert canonical_url(url) == url


def test_what_remains_keeps_its_order_and_spelling():
    url = "http://a.cn/view.jsp?utm_source=x&Id=5&spm=1.2&lang=zh%2Dcn"
    assert canonical_url(url) == "http://a.cn/view.jsp?Id=5&lang=zh%2Dcn"


def _server(body: str, hits: list[str]) -> ThreadingHTTPServer:
    """Serves the article at /news/1.html whatever session id or parameter the URL carries."""

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802
            hits.append(self.path)
            path = urlsplit(self.path).path.split(";")[0]
            page = {"/news/list.html": body, "/news/1.html": ARTICLE.format(t="长沙高新区新闻")}.get(path)
            data = (page or "").encode()
            self.send_response(200 if page else 404)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


@pytest.mark.slow
def test_one_article_under_30_session_urls_is_one_document(tmp_path):
    variants = [f"/news/1.html;jsessionid={n:032X}" for n in range(10)]
    variants += [f"/news/1.html?sid={n:020x}" for n in range(10)]
    variants += [f"/news/1.html?utm_source=s{n}&from=timeline" for n in range(10)]
    links = "".join(f'<a href="{v}">新闻</a>' for v in variants)
    hits: list[str] = []
    server = _server(f"<html><body>{links}</body></html>", hits)
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    db = tmp_path / "zones.db"
    try:
        crawl_news_site(tmp_path, base, db, tmp_path / "archive")
    finally:
        server.shutdown()
    assert query(db, "select url from documents") == [(base + "news/1.html",)]
    assert [h for h in hits if h.startswith("/news/1")] == ["/news/1.html"]  # fetched once
