"""Downloader middlewares: encoding repair, the database-backed skip of stored pages, retries with
back-off, and how failures are named in the run's errors."""

from __future__ import annotations

import asyncio

import pytest
from rawpages import RAW, raw_response
from scrapy import Request
from scrapy.exceptions import (
    CannotResolveHostError,
    DownloadCancelledError,
    DownloadConnectionRefusedError,
    DownloadTimeoutError,
    IgnoreRequest,
)
from scrapy.http import HtmlResponse, Response
from scrapy.spidermiddlewares.httperror import HttpError
from scrapy.utils.test import get_crawler
from twisted.python.failure import Failure

from crawler.errors import classify_failure
from crawler.middlewares import BackoffRetryMiddleware, StoredPageMiddleware, UnchangedPage
from crawler.spiders.achie import AchieSpider
from crawler.store import Store

URL = "http://www.hnkfq.org.cn/news/show-1009.html"


def test_gbk_page_without_any_charset_is_read_as_gb18030():
    response = raw_response("hnkfq_article_gbk_undeclared", URL)
    assert response.encoding == "gb18030"
    assert "郴州高新区外贸进出口总额增长27.6%" in response.text
    assert response.meta["charset_flags"] == ["charset_guessed"]
    raw = (RAW / "hnkfq_article_gbk_undeclared.http").read_bytes().split(b"\r\n\r\n", 1)[1]
    assert response.body == raw


def test_a_utf8_header_on_gbk_bytes_is_overridden():
    url = "http://www.achie.org/news/gxqxw/2023/0220/104.html"
    response = raw_response("achie_article_gbk_lying_header", url)
    assert response.encoding == "gb18030"
    assert response.xpath("//h2/text()").get() == "株洲高新区轨道交通装备产业集群产值突破1500亿元"


@pytest.fixture
def stored(tmp_path):
    """A crawler whose database already holds two article pages, one with validators."""
    db = tmp_path / "z.db"
    with Store(db) as store:
        run = store.start_run(["achie"], {})
        for url, headers in [
            (
                "http://www.achie.org/a/1.html",
                {"ETag": '"abc"', "Last-Modified": "Wed, 01 Mar 2023 00:00:00 GMT"},
            ),
            ("http://www.achie.org/a/2.html", {}),
        ]:
            store.save_page(
                url=url, status=200, headers=headers, body_hash="h", fetched_at="2023-03-01T00:00:00+00:00",
                document=None, metrics=[], run_id=run,
            )  # fmt: skip
    crawler = get_crawler(AchieSpider, {"ZONECRAWL_DB": str(db), "ZONECRAWL_RUN_ID": run})
    crawler.stats.open_spider()
    mw = StoredPageMiddleware(crawler)
    yield mw, db
    mw.store.close()


def test_stored_page_with_validators_gets_a_conditional_request(stored):
    mw, _ = stored
    request = Request("http://www.achie.org/a/1.html", meta={"article": True})
    assert mw.process_request(request) is None
    assert request.headers["If-None-Match"] == b'"abc"'
    assert request.headers["If-Modified-Since"] == b"Wed, 01 Mar 2023 00:00:00 GMT"


def test_a_304_is_unchanged_and_recorded_as_checked(stored):
    mw, db = stored
    request = Request("http://www.achie.org/a/1.html", meta={"article": True})
    mw.process_request(request)
    with pytest.raises(UnchangedPage):
        mw.process_response(request, Response(request.url, status=304, request=request))
    with Store(db) as store:
        state = store.page_state(request.url)
    assert state["status"] == 304 and state["fetched_at"] > "2023-03-01T00:00:00+00:00"
    assert state["etag"] == '"abc"'  # what the page was, is still known


def _store_fresh(db, url: str) -> None:
    from crawler.store import now

    with Store(db) as store:
        store.save_page(
            url=url, status=200, headers={}, body_hash="h", fetched_at=now(), document=None, metrics=[],
            run_id=store.start_run(["achie"], {}),
        )  # fmt: skip


def test_stored_page_without_validators_is_not_fetched_again_while_recent(stored):
    mw, db = stored
    _store_fresh(db, "http://www.achie.org/a/4.html")
    with pytest.raises(IgnoreRequest):
        mw.process_request(Request("http://www.achie.org/a/4.html", meta={"article": True}))
    assert mw.stats.get_value("zonecrawl/skipped_stored") == 1


def test_stored_page_without_validators_is_fetched_again_once_old(stored):
    mw, _ = stored  # a/2.html was fetched in 2023, long before ZONECRAWL_RECHECK_DAYS (30)
    request = Request("http://www.achie.org/a/2.html", meta={"article": True})
    assert mw.process_request(request) is None and b"If-None-Match" not in request.headers
    assert mw.stats.get_value("zonecrawl/rechecked") == 1


def test_no_recheck_when_the_setting_is_zero(tmp_path):
    db = tmp_path / "z.db"
    with Store(db) as store:
        store.save_page(
            url="http://www.achie.org/a/2.html", status=200, headers={}, body_hash="h",
            fetched_at="2023-03-01T00:00:00+00:00", document=None, metrics=[],
            run_id=store.start_run(["achie"], {}),
        )  # fmt: skip
    crawler = get_crawler(AchieSpider, {"ZONECRAWL_DB": str(db), "ZONECRAWL_RECHECK_DAYS": 0})
    crawler.stats.open_spider()
    mw = StoredPageMiddleware(crawler)
    try:
        with pytest.raises(IgnoreRequest):
            mw.process_request(Request("http://www.achie.org/a/2.html", meta={"article": True}))
    finally:
        mw.store.close()


def test_new_articles_and_list_pages_go_through(stored):
    mw, _ = stored
    new = Request("http://www.achie.org/a/3.html", meta={"article": True})
    assert mw.process_request(new) is None and b"If-None-Match" not in new.headers
    listing = Request("http://www.achie.org/a/2.html", meta={"list_page": 1})  # lists are always re-read
    assert mw.process_request(listing) is None


def test_retries_wait_longer_each_time():
    crawler = get_crawler(
        AchieSpider, {"RETRY_TIMES": 3, "RETRY_BACKOFF_BASE": 0.001, "RETRY_BACKOFF_MAX": 0.003}
    )
    crawler.spider = crawler._create_spider()
    crawler.stats.open_spider()
    mw = BackoffRetryMiddleware.from_crawler(crawler)
    request = Request("http://www.achie.org/a/1.html")
    delays = []
    for _ in range(4):
        result = mw.process_response(request, Response(request.url, status=503, request=request))
        if not isinstance(result, Request):
            break
        delays.append(result.meta["retry_backoff"])
        asyncio.run(mw.process_request(result))  # waits, and takes the wait off the request
        assert "retry_backoff" not in result.meta
        request = result
    assert delays == [0.001, 0.002, 0.003]  # doubled each time, then capped
    assert result.status == 503  # given up after RETRY_TIMES


def _failure(exc: Exception, url: str = "http://www.achie.org/a/1.html") -> Failure:
    failure = Failure(exc)
    failure.request = Request(url)
    return failure


@pytest.mark.parametrize(
    ("exc", "kind"),
    [
        (HttpError(HtmlResponse("http://x/", status=500), "Ignoring non-200 response"), "http_500"),
        (HttpError(HtmlResponse("http://x/", status=404), "Ignoring non-200 response"), "http_404"),
        (IgnoreRequest("Forbidden by robots.txt"), "robots"),
        (IgnoreRequest("max redirections reached"), "redirect_loop"),
        (CannotResolveHostError("no such host www.gone.example"), "dns"),
        (DownloadConnectionRefusedError("Connection was refused by other side"), "connection"),
        (DownloadTimeoutError("Getting http://x/ took longer than 30 seconds."), "timeout"),
        (
            DownloadCancelledError(
                "Expected to receive 9000026 bytes which is larger than download max size"
            ),
            "too_large",
        ),
    ],
)
def test_failures_are_named_by_kind(exc, kind):
    got, _, message = classify_failure(_failure(exc))
    assert got == kind
    assert "\n" not in message
