"""A Scrapy extension that records each crawl in the `runs` table and judges how it went.

`scrapy crawl achie` and `zonecrawl crawl` both go through it. When ZONECRAWL_RUN_ID is not set
(a plain `scrapy crawl`, or a Scrapyd job) it opens a run for its spider and closes it when the
spider closes; under `run_crawl`, which runs several spiders as one run, it only gives its verdict
and `run_crawl` closes the run with all of them.

The verdict: robots-disallowed pages and 404s are skips (recorded, counted, not a failure); any
other error, a page that could not be stored, a spider stopped before its end, and a site where
no article link matched at all are failures, each described in one line that names the site.
"""

from __future__ import annotations

import logging
import sqlite3
from collections import Counter
from collections.abc import Iterable
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path

from scrapy import Request, Spider, signals
from scrapy.crawler import Crawler
from scrapy.settings import BaseSettings
from twisted.python.failure import Failure

from crawler.errors import ROBOTS, STORE

log = logging.getLogger(__name__)

# Error kinds that say a page is not there for us, not that anything went wrong.
SKIP_KINDS = frozenset({ROBOTS, "http_404", "http_410"})
# Spiders that end for one of these reasons ran their course (a page limit is the user's choice).
CLEAN_ENDS = frozenset({"finished", "closespider_pagecount", "closespider_itemcount"})

# Run statuses, from best to worst.
FINISHED = "finished"
WITH_ERRORS = "finished with errors"
FAILED = "failed"
STOPPED = "stopped"


@dataclass
class Verdict:
    """How one spider's part of a run went."""

    spider: str
    reason: str  # Scrapy's finish_reason
    skips: dict[str, int] = field(default_factory=dict)  # by error kind
    errors: dict[str, int] = field(default_factory=dict)  # failures by error kind
    empty_sites: list[str] = field(default_factory=list)  # one line per site without articles

    @property
    def failures(self) -> list[str]:
        lines = list(self.empty_sites)
        if self.errors:
            kinds = ", ".join(f"{k} {n}" for k, n in sorted(self.errors.items()))
            n = sum(self.errors.values())
            lines.append(f"{self.spider}: {n} error{'s' if n > 1 else ''} ({kinds})")
        if self.reason not in CLEAN_ENDS:
            lines.append(f"{self.spider}: stopped before its end ({self.reason})")
        return lines

    @property
    def ok(self) -> bool:
        return not self.failures


def run_status(verdicts: Iterable[Verdict]) -> str:
    """The status a run's row gets from its spiders' verdicts."""
    verdicts = list(verdicts)
    if any(v.reason not in CLEAN_ENDS for v in verdicts):
        return STOPPED
    if any(v.empty_sites for v in verdicts):
        return FAILED
    if any(v.errors for v in verdicts):
        return WITH_ERRORS
    return FINISHED


def error_counts(stats: dict) -> tuple[dict[str, int], dict[str, int]]:
    """(skips, failures) by kind, from the pipeline's zonecrawl/errors/<kind> counters."""
    skips, failures = {}, {}
    prefix = "zonecrawl/errors/"
    for key, n in stats.items():
        if key.startswith(prefix) and n:
            kind = key[len(prefix) :]
            (skips if kind in SKIP_KINDS else failures)[kind] = n
    return skips, failures


def merged_stats(crawlers: Iterable[Crawler]) -> dict:
    """Numbers summed over the spiders, each spider's own stats kept under its name."""
    merged: dict = {"spiders": {}}
    for crawler in crawlers:
        s = crawler.stats.get_stats() if crawler.stats else {}
        name = crawler.spidercls.name
        merged["spiders"][name] = {k: v for k, v in s.items() if isinstance(v, int | float | str)}
        for k, v in s.items():
            if isinstance(v, int | float) and not isinstance(v, bool) and "time" not in k:
                merged[k] = merged.get(k, 0) + v
    merged["pages"] = merged.get("response_received_count", 0)
    merged["items"] = merged.get("zonecrawl/documents", 0)
    merged["skips"] = merged.get("zonecrawl/skips", 0)
    merged["failures"] = merged.get("zonecrawl/failures", 0)
    return merged


def settings_summary(settings: BaseSettings, overrides: dict | None = None) -> dict:
    """What a run's row keeps of its settings."""
    keys = (
        "USER_AGENT", "DOWNLOAD_DELAY", "CONCURRENT_REQUESTS_PER_DOMAIN", "AUTOTHROTTLE_ENABLED",
        "ROBOTSTXT_OBEY", "CLOSESPIDER_PAGECOUNT", "ZONECRAWL_SITES_FILE",
    )  # fmt: skip
    out = {k: settings.get(k) for k in keys}
    out["overrides"] = dict(overrides or {})
    return out


class OneLineNetworkErrors(logging.Filter):
    """Drops the traceback from log records about a host that cannot be reached: a dead host is
    one line in the log, not forty."""

    NAMES = frozenset(
        {
            "DNSLookupError", "CannotResolveHostError", "ConnectionRefusedError", "ConnectError",
            "DownloadConnectionRefusedError", "ConnectionLost", "TCPTimedOutError", "TimeoutError",
            "DownloadTimeoutError", "DownloadFailedError", "ResponseNeverReceived",
        }
    )  # fmt: skip

    def filter(self, record: logging.LogRecord) -> bool:
        if record.exc_info and record.exc_info[1] is not None:
            names = {c.__name__ for c in type(record.exc_info[1]).__mro__}
            if names & self.NAMES:
                record.exc_info = None
                record.exc_text = None
        return True


# Loggers that attach a traceback to a failed download (Scrapy replaces the root handler with
# each crawler, so the filter goes on them rather than on a handler).
NETWORK_LOGGERS = ("scrapy.downloadermiddlewares.robotstxt", "scrapy.core.scraper", "scrapy.core.engine")


def quiet_network_tracebacks() -> None:
    """Put OneLineNetworkErrors on the loggers that report failed downloads (once)."""
    for name in NETWORK_LOGGERS:
        logger = logging.getLogger(name)
        if not any(isinstance(f, OneLineNetworkErrors) for f in logger.filters):
            logger.addFilter(OneLineNetworkErrors())


class RunLog:
    """Opens (when nobody else did) and closes a spider's run; counts what its verdict needs."""

    def __init__(self, crawler: Crawler):
        self.crawler = crawler
        self.matched: Counter[str] = Counter()  # article links scheduled, by site
        self.run_id = crawler.settings.getint("ZONECRAWL_RUN_ID") or None
        self.owns_run = self.run_id is None
        if self.owns_run:
            self.open_run()
        quiet_network_tracebacks()
        crawler.signals.connect(self.request_scheduled, signal=signals.request_scheduled)
        crawler.signals.connect(self.item_error, signal=signals.item_error)
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RunLog:
        return cls(crawler)

    def open_run(self) -> None:
        """Start this spider's run; settings are not frozen yet, so the pipeline sees its id."""
        from crawler.store import Store

        settings = self.crawler.settings
        try:
            with Store(settings.get("ZONECRAWL_DB")) as store:
                self.run_id = store.start_run([self.crawler.spidercls.name], settings_summary(settings))
        except (OSError, sqlite3.Error) as e:  # the pipeline, opening the same store, stops the crawl
            log.error("cannot record the run in %s: %s", settings.get("ZONECRAWL_DB"), e)
            return
        settings.set("ZONECRAWL_RUN_ID", self.run_id, priority="cmdline")

    def request_scheduled(self, request: Request, spider: Spider) -> None:
        if request.meta.get("article"):
            self.matched[request.meta.get("site", spider.name)] += 1

    def item_error(self, item, response, spider: Spider, failure: Failure) -> None:
        """A page the pipeline failed on (a full disk, a read-only database): counted and
        recorded where possible, so that no page is lost unreported."""
        stats = self.crawler.stats
        stats.inc_value("zonecrawl/errors")
        stats.inc_value(f"zonecrawl/errors/{STORE}")
        message = " ".join(f"{type(failure.value).__name__}: {failure.value}".split())
        url = getattr(item, "url", None)
        log.error("could not store %s: %s", url, message)
        try:
            from crawler.store import Store

            with Store(self.crawler.settings.get("ZONECRAWL_DB")) as store:
                store.record_error(self.run_id, url, STORE, message, spider=spider.name)
        except (OSError, sqlite3.Error):
            pass  # the counter in the run's stats still tells

    def spider_closed(self, spider: Spider, reason: str) -> None:
        verdict = self.verdict(spider, reason)
        self.crawler.zonecrawl_verdict = verdict
        stats = self.crawler.stats
        stats.set_value("zonecrawl/skips", sum(verdict.skips.values()))
        stats.set_value("zonecrawl/failures", len(verdict.failures))
        for line in verdict.failures:
            log.warning("run failure: %s", line)
        if self.owns_run and self.run_id:
            self.close_run(verdict)

    def verdict(self, spider: Spider, reason: str) -> Verdict:
        stats = self.crawler.stats.get_stats()
        skips, errors = error_counts(stats)
        for site, n in self.matched.items():
            self.crawler.stats.set_value(f"zonecrawl/matched/{site}", n)
        empty = []
        if reason == "finished":  # a run cut short may simply not have reached a site
            bases = site_bases(spider)
            empty = [self.empty_site_line(site, base) for site, base in bases if not self.matched[site]]
        return Verdict(spider=spider.name, reason=reason, skips=skips, errors=errors, empty_sites=empty)

    def empty_site_line(self, site: str, base_url: str) -> str:
        before = previous_documents(self.crawler.settings.get("ZONECRAWL_DB"), base_url)
        where = f"previous runs stored {before} documents from it" if before else "no document from it so far"
        return f"{site} ({base_url}): no article link matched on its list pages ({where})"

    def close_run(self, verdict: Verdict) -> None:
        from crawler.store import Store

        try:
            with Store(self.crawler.settings.get("ZONECRAWL_DB")) as store:
                store.finish_run(self.run_id, merged_stats([self.crawler]), run_status([verdict]))
        except (OSError, sqlite3.Error) as e:
            log.error("run %s could not be closed: %s", self.run_id, e)


def site_bases(spider: Spider) -> list[tuple[str, str]]:
    """(site name, base URL) of each site a zonecrawl spider walks; none for other spiders."""
    rules = getattr(spider, "rules", None)
    if not isinstance(rules, dict):
        return []
    return [(name, r.base_url) for name, r in rules.items()]


def previous_documents(db_path: str | Path, base_url: str) -> int:
    """Documents the database holds from under BASE_URL (0 when it cannot tell)."""
    try:
        # closing(): `with` on a connection ends a transaction but leaves it open
        with closing(sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)) as con:
            (n,) = con.execute(
                "select count(*) from documents where substr(url, 1, ?) = ?", [len(base_url), base_url]
            ).fetchone()
        return n
    except sqlite3.Error:
        return 0
