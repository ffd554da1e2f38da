"""Run zonecrawl's spiders in one Scrapy process and record the run in the database.

`run_crawl` is what `zonecrawl crawl`, the demo and the benchmarks call. It needs a fresh process
(Twisted's reactor cannot be restarted), so tests run it in a subprocess. Everything that can be
checked before crawling is (spiders, sites file, setting types, database and archive paths), so a
crawl that cannot run fails at once with CrawlSetupError; how the run went is judged by
crawler.runlog and comes back as a RunOutcome.
"""

from __future__ import annotations

import json
import logging
import sqlite3
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from scrapy.crawler import AsyncCrawlerProcess
from scrapy.settings import Settings
from scrapy.spiderloader import SpiderLoader

from crawler.runlog import Verdict, merged_stats, run_status, settings_summary
from crawler.store import Store

log = logging.getLogger(__name__)


class CrawlSetupError(ValueError):
    """A crawl that cannot start (unknown spider, unreadable sites file); the message says why."""


def crawl_settings(
    db_path: str, archive_dir: str, sites_file: str | None, max_pages: int | None, overrides: Mapping
) -> Settings:
    """crawler.settings with this run's paths and limits, then the caller's overrides on top."""
    settings = Settings()
    settings.setmodule("crawler.settings", priority="project")
    settings.set("ZONECRAWL_DB", str(db_path), priority="cmdline")
    settings.set("ZONECRAWL_ARCHIVE", str(archive_dir), priority="cmdline")
    if sites_file:
        settings.set("ZONECRAWL_SITES_FILE", str(sites_file), priority="cmdline")
    if max_pages:
        settings.set("CLOSESPIDER_PAGECOUNT", int(max_pages), priority="cmdline")
    for name, value in overrides.items():
        if name == "ZONECRAWL_BASE_URLS" and isinstance(value, str):
            try:
                value = json.loads(value)
            except ValueError:
                raise CrawlSetupError(f"-s {name}: not a JSON object: {value!r}") from None
        settings.set(name, value, priority="cmdline")
    return settings


def check_overrides(overrides: Mapping) -> None:
    """Each override has the type its setting needs (a number, a yes/no, a JSON object): Scrapy
    would otherwise fail in the middle of the crawl, or quietly crawl nothing."""
    defaults = Settings()
    defaults.setmodule("crawler.settings", priority="project")
    for name, value in overrides.items():
        problem = _type_problem(name, defaults.get(name), value)
        if problem:
            raise CrawlSetupError(f"-s {name}={value}: {name} must be {problem}")


def _type_problem(name: str, default, value) -> str | None:
    """What VALUE should have been for a setting whose default is DEFAULT; None when it fits."""
    if name == "LOG_LEVEL":
        ok = str(value).upper() in logging.getLevelNamesMapping()
        return None if ok else "a log level (DEBUG, INFO, WARNING, ERROR, CRITICAL)"
    probe = Settings({name: value})
    checks = [
        (bool, probe.getbool, "true or false"),
        (int | float, probe.getfloat, "a number"),
        (dict, probe.getdict, "a JSON object"),
    ]
    for kind, read, wanted in checks:
        if isinstance(default, kind):
            try:
                read(name)
            except (TypeError, ValueError):
                return wanted
            return None
    return None


def check_paths(db_path: str, archive_dir: str) -> None:
    """The archive folder exists (made if need be) and takes files; else CrawlSetupError."""
    try:
        Path(archive_dir).mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=archive_dir):
            pass
    except OSError as e:
        raise CrawlSetupError(f"archive {archive_dir}: cannot write there: {e.strerror or e}") from None
    if Path(db_path).is_dir():
        raise CrawlSetupError(f"database {db_path}: is a folder")


def check_log_file(path: str) -> None:
    """The log file's folder exists (made if need be) and the file takes lines; else CrawlSetupError."""
    try:
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        with open(path, "a", encoding="utf-8"):
            pass
    except OSError as e:
        raise CrawlSetupError(f"log file {path}: cannot write there: {e.strerror or e}") from None


def spider_names(settings: Settings) -> list[str]:
    return sorted(SpiderLoader.from_settings(settings).list())


@dataclass
class RunOutcome:
    """How a run ended: its row in `runs`, its stats and each spider's verdict."""

    run_id: int
    status: str
    stats: dict
    verdicts: list[Verdict]
    db_path: str
    archive_dir: str
    close_error: str | None = None  # the run's row could not be closed (disk full, read-only)
    failures: list[str] = field(init=False)

    def __post_init__(self) -> None:
        self.failures = [line for v in self.verdicts for line in v.failures]
        if self.close_error:
            self.failures.append(f"run {self.run_id} could not be closed in the database: {self.close_error}")

    @property
    def ok(self) -> bool:
        return not self.failures

    def summary(self) -> str:
        """The end-of-run report `zonecrawl crawl` prints on stdout."""
        s = self.stats
        lines = [
            f"run {self.run_id}: {self.status}; {s.get('pages', 0)} pages fetched, "
            f"{s.get('items', 0)} documents saved, {s.get('zonecrawl/metrics', 0)} metrics"
        ]
        skips: dict[str, int] = {}
        for v in self.verdicts:
            for kind, n in v.skips.items():
                skips[kind] = skips.get(kind, 0) + n
        if skips:
            kinds = ", ".join(f"{k} {n}" for k, n in sorted(skips.items()))
            lines.append(f"  skipped: {sum(skips.values())} pages ({kinds}), not errors")
        for v in self.verdicts:
            spider = s.get("spiders", {}).get(v.spider, {})
            lines.append(
                f"  {v.spider}: {spider.get('response_received_count', 0)} pages, "
                f"{spider.get('zonecrawl/documents', 0)} documents, {v.reason}"
            )
        if self.failures:
            lines.append(f"failures ({len(self.failures)}):")
            lines += [f"  {line}" for line in self.failures]
        lines += [
            f"database: {Path(self.db_path).resolve()}",
            f"archive:  {Path(self.archive_dir).resolve()}",
        ]
        lines.append(
            f"each error and skip: select kind, url, message from errors where run_id = {self.run_id}"
        )
        return "\n".join(lines)


def run_crawl(
    spiders: list[str],
    db_path: str,
    archive_dir: str,
    sites_file: str | None = None,
    max_pages: int | None = None,
    overrides: Mapping | None = None,
) -> RunOutcome:
    """Crawl with SPIDERS (all of them when empty) into DB_PATH, archiving responses in ARCHIVE_DIR.

    `sites_file` replaces the bundled crawler/sites.yaml for the config-driven `portals` spider;
    `max_pages` stops each spider after that many responses; `overrides` are Scrapy settings for
    this run (e.g. {"DOWNLOAD_DELAY": 0.05, "ZONECRAWL_BASE_URLS": {"achie": "http://127.0.0.1:8001/"}};
    `localsites.LocalSites.base_urls` gives the latter). One row goes into `runs` with the merged
    stats of all spiders, and every failed fetch or parse into `errors`.

    Returns the run's outcome (`.ok` when nothing failed: robots and 404 skips are not failures).
    Raises CrawlSetupError when it cannot start. Blocks until the crawl ends; call it once per process.
    """
    overrides = dict(overrides or {})
    check_overrides(overrides)
    settings = crawl_settings(db_path, archive_dir, sites_file, max_pages, overrides)
    names = _checked_spiders(spiders, settings)
    check_paths(db_path, archive_dir)
    if settings.get("LOG_FILE"):
        check_log_file(settings.get("LOG_FILE"))
    try:
        with Store(db_path) as store:
            run_id = store.start_run(names, settings_summary(settings, overrides))
    except (OSError, sqlite3.Error) as e:
        raise CrawlSetupError(f"database {db_path}: {e}") from None
    settings.set("ZONECRAWL_RUN_ID", run_id, priority="cmdline")

    process = AsyncCrawlerProcess(settings)
    crawlers = []
    for name in names:
        crawler = process.create_crawler(name)
        crawlers.append(crawler)
        process.crawl(crawler)
    process.start()
    return _close_run(run_id, crawlers, db_path, archive_dir)


OPT_IN_SPIDERS = frozenset({"zones"})


def _checked_spiders(spiders: list[str], settings: Settings) -> list[str]:
    """The spiders to run (all but OPT_IN_SPIDERS when none is named); unknown names or a bad
    sites file refuse."""
    known = spider_names(settings)
    # `zones` reaches every registry portal: it runs only when named
    names = list(spiders) or [n for n in known if n not in OPT_IN_SPIDERS]
    unknown = [n for n in names if n not in known]
    if unknown:
        raise CrawlSetupError(f"unknown spider {', '.join(unknown)} (known: {', '.join(known)})")
    if "portals" in names:
        from crawler.spiders.portals import SitesFileError, load_sites

        try:
            load_sites(settings.get("ZONECRAWL_SITES_FILE"))
        except SitesFileError as e:
            raise CrawlSetupError(str(e)) from None
    return names


def _close_run(run_id: int, crawlers: list, db_path: str, archive_dir: str) -> RunOutcome:
    """Judge the run by its spiders' verdicts and close its row; a row that cannot be written is
    part of the outcome, not an exception."""
    verdicts = [
        getattr(c, "zonecrawl_verdict", None) or Verdict(c.spidercls.name, "not started") for c in crawlers
    ]
    stats = merged_stats(crawlers)
    status = run_status(verdicts)
    close_error = None
    try:
        with Store(db_path) as store:
            store.finish_run(run_id, stats, status)
    except (OSError, sqlite3.Error) as e:
        close_error = " ".join(str(e).split())
    return RunOutcome(run_id, status, stats, verdicts, db_path, archive_dir, close_error)


def log_warnings_to_stderr() -> None:
    """Warnings and errors on stderr besides the log file (Scrapy's own handler writes the file),
    so that cron mails and journald show what went wrong and nothing else."""
    import sys

    from crawler.runlog import OneLineNetworkErrors

    handler = logging.StreamHandler(sys.stderr)
    handler.setLevel(logging.WARNING)
    handler.setFormatter(logging.Formatter("%(asctime)s [%(name)s] %(levelname)s: %(message)s"))
    handler.addFilter(OneLineNetworkErrors())
    logging.getLogger().addHandler(handler)
