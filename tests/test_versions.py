"""Changed articles are re-checked on a schedule and their earlier versions kept."""

from __future__ import annotations

import time

import pytest
from localcrawl import ARTICLE, crawl_news_site, query, serve_pages

from crawler.store import Store
from extractors.records import Document

URL = "http://www.cshtz.gov.cn/xwzx/1.html"


def _save(store: Store, run: int, body_hash: str, title: str, body: str, fetched_at: str, warc: str) -> None:
    store.save_page(
        url=URL, status=200, headers={}, body_hash=body_hash, fetched_at=fetched_at,
        document=Document(doc="", url=URL, title=title, body=body), metrics=[], run_id=run, warc=warc,
    )  # fmt: skip


def test_a_changed_article_keeps_its_earlier_version(tmp_path):
    with Store(tmp_path / "z.db") as store:
        run = store.start_run(["t"], {})
        _save(store, run, "h1", "旧标题", "营业收入100亿元。", "2024-01-01T00:00:00+00:00", "a.warc.gz#0")
        _save(store, run, "h2", "新标题", "营业收入120亿元。", "2024-03-01T00:00:00+00:00", "a.warc.gz#900")
        docs = list(store.db.query("select title, body from documents"))
        versions = list(store.db.query("select * from document_versions"))
    assert docs == [{"title": "新标题", "body": "营业收入120亿元。"}]
    assert len(versions) == 1
    v = versions[0]
    assert (v["title"], v["body"], v["body_hash"]) == ("旧标题", "营业收入100亿元。", "h1")
    assert (v["fetched_at"], v["warc"], v["url"]) == ("2024-01-01T00:00:00+00:00", "a.warc.gz#0", URL)
    assert v["replaced_at"] == "2024-03-01T00:00:00+00:00"


def test_the_same_page_again_or_only_its_chrome_changed_keeps_no_version(tmp_path):
    with Store(tmp_path / "z.db") as store:
        run = store.start_run(["t"], {})
        _save(store, run, "h1", "标题", "正文。", "2024-01-01T00:00:00+00:00", "a#0")
        _save(store, run, "h1", "标题", "正文。", "2024-02-01T00:00:00+00:00", "a#1")  # same bytes
        _save(store, run, "h2", "标题", "正文。", "2024-03-01T00:00:00+00:00", "a#2")  # a visitor counter
        assert store.db["document_versions"].count == 0


@pytest.mark.slow
def test_a_recrawl_after_the_recheck_period_keeps_the_old_version(tmp_path):
    pages = {
        "/robots.txt": (200, {"Content-Type": "text/plain"}, ""),
        "/news/list.html": (200, {}, '<html><body><a href="/news/1.html">1</a></body></html>'),
        "/news/1.html": (200, {}, ARTICLE.format(t="长沙高新区第一版")),
    }
    hits: list[str] = []
    server = serve_pages(pages, hits)
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    db = tmp_path / "zones.db"

    def crawl(**settings: str) -> None:
        crawl_news_site(tmp_path, base, db, tmp_path / "archive", **settings)

    try:
        crawl()
        pages["/news/1.html"] = (200, {}, ARTICLE.format(t="长沙高新区第二版"))
        crawl()  # within the recheck period: the stored copy stands
        assert hits.count("/news/1.html") == 1
        time.sleep(1.5)
        crawl(ZONECRAWL_RECHECK_DAYS="0.00001")  # about a second: the page is due
    finally:
        server.shutdown()
    assert hits.count("/news/1.html") == 2
    assert query(db, "select title from documents") == [("长沙高新区第二版",)]
    versions = query(db, "select title, warc is not null from document_versions")
    assert versions == [("长沙高新区第一版", 1)]
