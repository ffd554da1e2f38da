"""The item pipeline: archive the raw response, extract the document and its metrics, store them.

Each page is archived (WARC) first, so it can be re-read by `zonecrawl reprocess` even when
extraction fails, then saved with its document and metrics in one transaction. Parsing and metric
reading run in worker threads (the reactor keeps downloading meanwhile), and metrics are read from
at most ZONECRAWL_EXTRACT_MAX_CHARS characters of a page: a longer page is stored whole and flagged
`metrics_truncated`. Every response the crawl receives is archived (`archive_response`), list pages
and errors included; an article reuses its record. Failed fetches arrive as FetchError items and
are recorded in the run's errors; nothing here stops the crawl.
Validation problems (a document without title, date or body) are counted in the run's stats.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
from urllib.parse import urlsplit

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem

from crawler.archive import OTHER, PAGE, ArchiveWriter
from crawler.errors import PARSE, unreadable_line
from crawler.items import FetchError, PageItem
from crawler.middlewares import crawl_store
from crawler.store import now
from extractors.attachments import attachment_kind, inherit_date
from extractors.dates import parse_date
from extractors.document import read_fetched, site_of
from extractors.grids import strip_table_lines
from extractors.metrics import METRICS_TRUNCATED, extract_metrics
from extractors.normalise import normalise, normalise_line
from extractors.records import Document, UnreadableInput

log = logging.getLogger(__name__)


class StorePipeline:
    def __init__(self, crawler: Crawler):
        self.crawler = crawler
        self.stats = crawler.stats
        self.settings = crawler.settings
        self._archive: ArchiveWriter | None = None
        self.locators: dict[str, str] = {}  # article URL -> its response's WARC locator, until saved
        # page URL -> done once the page is stored: its attachments wait for its date
        self.saving: dict[str, asyncio.Future[None]] = {}
        # Every response the engine receives is archived, not only the articles that reach here.
        crawler.signals.connect(self.archive_response, signal=signals.response_received)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> StorePipeline:
        return cls(crawler)

    def open_spider(self, spider=None) -> None:
        self.store = crawl_store(self.crawler)
        self.run_id = self.settings.getint("ZONECRAWL_RUN_ID") or self.store.start_run(
            [self.crawler.spidercls.name], {}
        )

    @property
    def archive(self) -> ArchiveWriter:
        """This crawl's WARC writer, opened on first use (robots.txt may come before the spider opens)."""
        if self._archive is None:
            self._archive = ArchiveWriter(self.settings.get("ZONECRAWL_ARCHIVE"))
        return self._archive

    def close_spider(self, spider=None) -> None:
        if self._archive is not None:
            self._archive.close()

    def archive_response(self, response, request, spider=None) -> None:
        """Archive each received response once: lists, errors, robots.txt and redirects' ends too.

        Only an article's 2xx response is a `page` record, the kind `zonecrawl reprocess` reads.
        """
        page = bool(request.meta.get("article")) and 200 <= response.status < 300
        locator = self.archive.write_response(
            url=response.url,
            status=response.status,
            headers=response.headers,
            body=response.body,
            fetched_at=now(),
            role=PAGE if page else OTHER,
            parent=request.meta.get("parent_url"),  # an attachment: the page that links to it
        )
        self.stats.inc_value("zonecrawl/archived_responses")
        if page:  # `zonecrawl/archived` counts article pages, each of which must end stored or as an error
            self.stats.inc_value("zonecrawl/archived")
            self.locators[response.url] = locator

    async def process_item(self, item, spider=None):
        if isinstance(item, FetchError):
            self.record(item.url, item.kind, item.message, item.spider)
            raise DropItem(f"{item.kind}: {item.url}")
        if isinstance(item, PageItem):
            return await self.save(item)
        return item

    def record(self, url: str | None, kind: str, message: str, spider: str) -> None:
        self.store.record_error(self.run_id, url, kind, message, spider=spider)
        self.stats.inc_value("zonecrawl/errors")
        self.stats.inc_value(f"zonecrawl/errors/{kind}")

    async def save(self, item: PageItem) -> PageItem:
        """Archive, extract in a worker thread, then store; database work stays on this thread.
        An attachment is read once the page that links to it is stored: without a date of its own
        it takes the page's."""
        if item.parent_url:
            return await self.store_item(item, await self.parent_date(item.parent_url))
        done = self.saving[item.final_url] = asyncio.get_running_loop().create_future()
        try:
            return await self.store_item(item)
        finally:
            if self.saving.get(item.final_url) is done:
                del self.saving[item.final_url]
            done.set_result(None)

    async def parent_date(self, url: str) -> str | None:
        """The stored date of the page at URL, once it is stored if it is being saved now (the page
        item comes before its attachments' requests, but its extraction may take longer)."""
        if (pending := self.saving.get(url)) is not None:
            await pending
        return self.store.document_date(url)

    async def store_item(self, item: PageItem, parent_date: str | None = None) -> PageItem:
        from crawler.store import document_id

        locator = self.archived(item)
        try:
            document, metrics = await self.extract_off_thread(item, document_id(item.final_url), parent_date)
        except UnreadableInput as e:  # a password-protected or scanned attachment too: one line, its flag
            self.record(item.url, PARSE, unreadable_line(e), item.spider)
            raise DropItem(f"parse: {item.url}: {e}") from None
        except Exception as e:  # an extractor bug on one page must not end the crawl
            log.exception("extracting %s failed", item.url)
            self.record(item.url, PARSE, f"{type(e).__name__}: {e}", item.spider)
            raise DropItem(f"parse: {item.url}") from None
        self.validate(document)
        self.store.save_page(
            url=item.url,
            status=item.status,
            headers=item.headers,
            body_hash=hashlib.sha1(item.body).hexdigest(),
            fetched_at=item.fetched_at,
            document=document,
            metrics=metrics,
            run_id=self.run_id,
            warc=locator,
            spider=item.spider,
            authority=item.authority,
            parent_url=item.parent_url,
        )
        self.stats.inc_value("zonecrawl/documents")
        if item.parent_url:
            self.stats.inc_value("zonecrawl/attachments")
        self.stats.inc_value("zonecrawl/metrics", len(metrics))
        return item

    def archived(self, item: PageItem) -> str:
        """The page's WARC locator: the one the response was archived under, else a new record."""
        locator = self.locators.pop(item.final_url, None)
        if locator:
            return locator
        locator = self.archive.write_response(
            url=item.final_url,
            status=item.status,
            headers=item.headers,
            body=item.body,
            fetched_at=item.fetched_at,
            parent=item.parent_url,
        )
        self.stats.inc_value("zonecrawl/archived")
        return locator

    async def extract_off_thread(
        self, item: PageItem, doc: str, parent_date: str | None = None
    ) -> tuple[Document, list[dict]]:
        """The document and its metrics; parsing and metric reading run in a worker thread.

        The site's recurring blocks live in the database, whose connection belongs to this
        thread, so they are looked up here between the two pieces of work.
        """
        from extractors.document import read_page

        budget = self.settings.getint("ZONECRAWL_EXTRACT_MAX_CHARS")
        if attachment_kind(item.body, urlsplit(item.final_url).path):  # no site chrome to learn
            return await asyncio.to_thread(self.finish_attachment, item, doc, budget, parent_date)
        page = await asyncio.to_thread(read_page, item.body, url=item.final_url, headers=item.headers)
        # Blocks are learnt per host and port: local copies of several sites share one address.
        site = urlsplit(item.final_url).netloc.removeprefix("www.") or site_of(item.final_url) or ""
        # Remember this page's blocks first, so chrome shared with earlier pages is recognised.
        keys = self.store.add_site_blocks(site, item.final_url, page[0].body)
        recurring = self.store.site_blocks(site, keys)
        document, metrics = await asyncio.to_thread(self.finish_document, item, doc, page, recurring, budget)
        if METRICS_TRUNCATED in document.flags:
            self.stats.inc_value("zonecrawl/metrics_truncated")
        return document, metrics

    @staticmethod
    def finish_attachment(
        item: PageItem, doc: str, budget: int, parent_date: str | None = None
    ) -> tuple[Document, list[dict]]:
        """An attachment's document (its tables, a PDF's text) and metrics, as a reprocess reads it;
        without a date of its own it has PARENT_DATE, its page's (its periods are dated by it)."""
        document = read_fetched(item.body, doc, url=item.final_url, headers=item.headers)
        inherit_date(document, parent_date)
        return document, extract_metrics(document, budget)

    @staticmethod
    def finish_document(item: PageItem, doc: str, page, recurring, budget: int) -> tuple[Document, list]:
        """The page's document (the site's selectors, where it has them, take precedence) and metrics."""
        from extractors.document import document_from_page

        document = document_from_page(page, doc, url=item.final_url, recurring=recurring)
        document.flags = sorted(set(document.flags) | set(item.charset_flags))
        sel = item.selected
        if sel.get("title"):
            document.title = normalise_line(sel["title"])
        if sel.get("date") and (date := parse_date(sel["date"])):
            document.date = date
        if sel.get("body"):
            # the tables are read as tables: their cells are no paragraphs of the body
            text = strip_table_lines(sel["body"], document.tables)
            body, flags = normalise(text, title=document.title, recurring=recurring)
            if body.strip():
                document.body = body
                document.flags = sorted(set(document.flags) | set(flags))
        return document, extract_metrics(document, budget)

    def validate(self, document: Document) -> None:
        """Count documents missing what every article should have (title, date, body)."""
        for name in ("title", "date", "body"):
            if not getattr(document, name):
                self.stats.inc_value(f"zonecrawl/validation/missing_{name}")
