"""The item pipeline: archive the raw response, extract the document and its metrics, store them.

Each page is archived (WARC) first, so it can be re-read by `zonecrawl reprocess` even when
extraction fails, then saved with its document and metrics in one transaction. Failed fetches
arrive as FetchError items and are recorded in the run's errors; nothing here stops the crawl.
Validation problems (a document without title, date or body) are counted in the run's stats.
"""

from __future__ import annotations

import hashlib
import logging
from urllib.parse import urlsplit

from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem

from crawler.errors import PARSE
from crawler.items import FetchError, PageItem
from crawler.middlewares import crawl_store
from extractors.dates import parse_date
from extractors.metrics import extract_metrics
from extractors.normalise import normalise, normalise_line
from extractors.records import Document, UnreadableInput

log = logging.getLogger(__name__)


class StorePipeline:
    def __init__(self, crawler: Crawler):
        self.crawler = crawler
        self.stats = crawler.stats
        self.settings = crawler.settings

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> StorePipeline:
        return cls(crawler)

    def open_spider(self, spider=None) -> None:
        from crawler.archive import ArchiveWriter

        self.store = crawl_store(self.crawler)
        self.run_id = self.settings.getint("ZONECRAWL_RUN_ID") or self.store.start_run(
            [self.crawler.spidercls.name], {}
        )
        self.archive = ArchiveWriter(self.settings.get("ZONECRAWL_ARCHIVE"))

    def close_spider(self, spider=None) -> None:
        self.archive.close()

    def process_item(self, item, spider=None):
        if isinstance(item, FetchError):
            self.record(item.url, item.kind, item.message, item.spider)
            raise DropItem(f"{item.kind}: {item.url}")
        if isinstance(item, PageItem):
            return self.save(item)
        return item

    def record(self, url: str | None, kind: str, message: str, spider: str) -> None:
        self.store.record_error(self.run_id, url, kind, message, spider=spider)
        self.stats.inc_value("zonecrawl/errors")
        self.stats.inc_value(f"zonecrawl/errors/{kind}")

    def save(self, item: PageItem) -> PageItem:
        from crawler.store import document_id

        locator = self.archive.write_response(
            url=item.final_url,
            status=item.status,
            headers=item.headers,
            body=item.body,
            fetched_at=item.fetched_at,
        )
        self.stats.inc_value("zonecrawl/archived")
        try:
            document = self.extract(item, document_id(item.final_url))
            metrics = extract_metrics(document)
        except UnreadableInput as e:
            self.record(item.url, PARSE, str(e), item.spider)
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
        )
        self.stats.inc_value("zonecrawl/documents")
        self.stats.inc_value("zonecrawl/metrics", len(metrics))
        return item

    def extract(self, item: PageItem, doc: str) -> Document:
        """The page's document; the site's selectors, where it has them, take precedence."""
        from extractors.article import extract_page
        from extractors.document import document_from_page, site_of

        # Blocks are learnt per host and port: local copies of several sites share one address.
        site = urlsplit(item.final_url).netloc.removeprefix("www.") or site_of(item.final_url) or ""
        # Remember this page's blocks first, so chrome shared with earlier pages is recognised.
        page = extract_page(item.body, url=item.final_url, headers=item.headers)
        keys = self.store.add_site_blocks(site, item.final_url, page[0].body)
        recurring = self.store.site_blocks(site, keys)
        document = document_from_page(page, doc, url=item.final_url, recurring=recurring)
        document.flags = sorted(set(document.flags) | set(item.charset_flags))
        sel = item.selected
        if sel.get("title"):
            document.title = normalise_line(sel["title"])
        if sel.get("date") and (date := parse_date(sel["date"])):
            document.date = date
        if sel.get("body"):
            body, flags = normalise(sel["body"], title=document.title, recurring=recurring)
            if body.strip():
                document.body = body
                document.flags = sorted(set(document.flags) | set(flags))
        return document

    def validate(self, document: Document) -> None:
        """Count documents missing what every article should have (title, date, body)."""
        for name in ("title", "date", "body"):
            if not getattr(document, name):
                self.stats.inc_value(f"zonecrawl/validation/missing_{name}")
