"""What `scrapy crawl SPIDER -O items.jsonl` exports: the stored documents, not raw page bytes.

DocumentFeedPipeline runs after the store pipeline and only when a feed is configured (FEEDS,
which -o/-O set); it turns each saved page into a plain dict read back from the database, so
the feed holds exactly what the store kept.
"""

from __future__ import annotations

import json

from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured

from crawler.items import PageItem, document_item
from crawler.middlewares import crawl_store


class DocumentFeedPipeline:
    def __init__(self, crawler: Crawler):
        if not crawler.settings.getdict("FEEDS"):
            raise NotConfigured  # no -o/-O: nothing to export, no message in the log
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> DocumentFeedPipeline:
        return cls(crawler)

    def process_item(self, item, spider=None):
        if not isinstance(item, PageItem):
            return item
        from crawler.store import document_id

        db = crawl_store(self.crawler).db
        doc = document_id(item.final_url)
        row = db.execute(
            "select id, url, site, title, date, source, author, body, flags, fetched_at from documents "
            "where id = ?",
            [doc],
        ).fetchone()
        if row is None:  # not stored (a dropped page never gets here): keep the page's address
            return document_item(item, {"id": doc}, 0)
        fields = dict(zip(("id", "url", "site", "title", "date", "source", "author", "body", "flags",
                           "fetched_at"), row, strict=True))  # fmt: skip
        fields["flags"] = json.loads(fields["flags"] or "[]")
        (metrics,) = db.execute("select count(*) from metrics where document_id = ?", [doc]).fetchone()
        return document_item(item, fields, metrics)
