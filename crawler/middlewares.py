"""Downloader middlewares: back-off between retries, skipping stored pages, encoding repair."""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime, timedelta

from scrapy import Request, signals
from scrapy.crawler import Crawler
from scrapy.downloadermiddlewares.retry import RetryMiddleware
from scrapy.exceptions import IgnoreRequest
from scrapy.http import HtmlResponse, Response, TextResponse

from crawler.store import now
from extractors.decode import charset_from_headers, decode_html

log = logging.getLogger(__name__)


class BackoffRetryMiddleware(RetryMiddleware):
    """Scrapy's retries, each one waiting longer: RETRY_BACKOFF_BASE * 2**(n-1) s, capped.

    The wait happens when the retry request comes back through the downloader; it holds no
    download slot, so other sites carry on meanwhile.
    """

    def __init__(self, settings):
        super().__init__(settings)
        self.base = settings.getfloat("RETRY_BACKOFF_BASE", 5.0)
        self.cap = settings.getfloat("RETRY_BACKOFF_MAX", 120.0)

    async def process_request(self, request: Request) -> None:
        delay = request.meta.pop("retry_backoff", 0)
        if delay:
            await asyncio.sleep(delay)

    def _retry(self, request, reason):
        retry = super()._retry(request, reason)
        if retry is not None and self.base > 0:
            n = retry.meta.get("retry_times", 1)
            retry.meta["retry_backoff"] = min(self.cap, self.base * 2 ** (n - 1))
            self.crawler.stats.inc_value("zonecrawl/retry_backoff")
        return retry


def crawl_store(crawler: Crawler):
    """The crawler's one connection to the database (opened on first use, closed with the spider)."""
    store = getattr(crawler, "zonecrawl_store", None)
    if store is None:
        from crawler.store import Store

        store = crawler.zonecrawl_store = Store(crawler.settings.get("ZONECRAWL_DB"))
        crawler.signals.connect(store.close, signal=signals.spider_closed, weak=False)
    return store


class UnchangedPage(IgnoreRequest):
    """An article page the database already holds, unchanged: nothing to fetch or store."""


class StoredPageMiddleware:
    """The incremental crawl: article URLs already in the database are not fetched again.

    Where the stored copy came with an ETag or Last-Modified, a conditional request asks whether it
    changed (304 = unchanged); otherwise the stored copy stands. List pages always go through.
    A stored copy without validators is fetched again once it is ZONECRAWL_RECHECK_DAYS old; a
    changed article then keeps its earlier version (Store.save_page, `document_versions`).
    The database (Store.page_state) is the only memory, so a killed run resumes without duplicates.
    """

    def __init__(self, crawler: Crawler):
        self.crawler = crawler
        self.store = crawl_store(crawler)
        self.stats = crawler.stats

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> StoredPageMiddleware:
        return cls(crawler)

    def process_request(self, request: Request) -> None:
        if not request.meta.get("article") or request.meta.get("redirect_urls"):
            return None
        state = self.store.page_state(request.url)
        if not state:
            return None
        etag, modified = _validator(state, "etag"), _validator(state, "last_modified")
        if not (etag or modified):
            if self.due(state):  # nothing to ask the server with: fetch it again now and then
                self.stats.inc_value("zonecrawl/rechecked")
                return None
            self.stats.inc_value("zonecrawl/skipped_stored")
            raise UnchangedPage("stored")
        if etag:
            request.headers.setdefault("If-None-Match", etag)
        if modified:
            request.headers.setdefault("If-Modified-Since", modified)
        request.meta["conditional"] = True
        self.stats.inc_value("zonecrawl/conditional_requests")
        return None

    def due(self, state) -> bool:
        """Whether a page stored without validators is older than ZONECRAWL_RECHECK_DAYS (0: never)."""
        days = self.crawler.settings.getfloat("ZONECRAWL_RECHECK_DAYS", 30)
        fetched = _validator(state, "fetched_at")
        if days <= 0 or not fetched:
            return False
        try:
            when = datetime.fromisoformat(fetched.replace("Z", "+00:00"))
        except ValueError:
            return True  # an unreadable date: better fetched again than never
        if when.tzinfo is None:
            when = when.replace(tzinfo=UTC)
        return datetime.now(UTC) - when >= timedelta(days=days)

    def process_response(self, request: Request, response: Response) -> Response:
        if response.status == 304 and request.meta.get("conditional"):
            self.stats.inc_value("zonecrawl/unchanged_304")
            run_id = self.crawler.settings.getint("ZONECRAWL_RUN_ID")
            if run_id:  # remember when the page was last checked
                self.store.save_page(
                    url=request.url, status=304, headers={}, body_hash="", fetched_at=now(),
                    document=None, metrics=[], run_id=run_id,
                )  # fmt: skip
            raise UnchangedPage("not modified")
        return response


def _validator(state, name: str) -> str | None:
    value = state.get(name) if isinstance(state, dict) else getattr(state, name, None)
    return value or None


class EncodingRepairMiddleware:
    """Decode HTML by what its bytes are, not by what its headers claim.

    gb2312/gbk are read as gb18030 and a lying charset is overridden (extractors.decode does the
    judging). The body bytes stay as they came, for the archive; only the response's encoding,
    which selectors and links use, changes. What was repaired goes to meta["charset_flags"].
    """

    def __init__(self, crawler: Crawler):
        self.stats = crawler.stats

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> EncodingRepairMiddleware:
        return cls(crawler)

    def process_response(self, request: Request, response: Response) -> Response:
        ctype = response.headers.get("Content-Type", b"").decode("latin-1").lower()
        if not isinstance(response, TextResponse) and "html" not in ctype:
            return response
        if ctype and "html" not in ctype and "xml" not in ctype and "text" not in ctype:
            return response
        _, encoding, flags = decode_html(response.body, charset_from_headers(ctype))
        request.meta["charset_flags"] = flags
        if flags:
            self.stats.inc_value("zonecrawl/charset_repaired")
        cls = HtmlResponse if "xml" not in ctype else type(response)
        if not issubclass(cls, TextResponse):
            cls = HtmlResponse
        return response.replace(cls=cls, encoding=encoding)
