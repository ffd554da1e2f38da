"""Run zonecrawl's spiders in one Scrapy process and record the run in the database.

`run_crawl` is what `zonecrawl crawl`, the demo and the benchmarks call. It needs a fresh process
(Twisted's reactor cannot be restarted), so tests run it in a subprocess.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping
from pathlib import Path

from scrapy.crawler import AsyncCrawlerProcess
from scrapy.settings import Settings
from scrapy.spiderloader import SpiderLoader

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
            value = json.loads(value)
        settings.set(name, value, priority="cmdline")
    return settings


def spider_names(settings: Settings) -> list[str]:
    return sorted(SpiderLoader.from_settings(settings).list())


def run_crawl(
    spiders: list[str],
    db_path: str,
    archive_dir: str,
    sites_file: str | None = None,
    max_pages: int | None = None,
    overrides: Mapping | None = None,
) -> bool:
    """Crawl with SPIDERS (all of them when empty) into DB_PATH, archiving responses in ARCHIVE_DIR.

    `sites_file` replaces the bundled crawler/sites.yaml for the config-driven `portals` spider;
    `max_pages` stops each spider after that many responses; `overrides` are Scrapy settings for
    this run (e.g. {"DOWNLOAD_DELAY": 0.05, "ZONECRAWL_BASE_URLS": {"achie": "http://127.0.0.1:8001/"}};
    `localsites.LocalSites.base_urls` gives the latter). One row goes into `runs` with the merged
    stats of all spiders, and every failed fetch or parse into `errors`.

    Returns True when the run recorded no error. Raises CrawlSetupError when it cannot start.
    Blocks until the crawl ends; call it once per process.
    """
    settings = crawl_settings(db_path, archive_dir, sites_file, max_pages, overrides or {})
    known = spider_names(settings)
    names = list(spiders) or known
    unknown = [n for n in names if n not in known]
    if unknown:
        raise CrawlSetupError(f"unknown spider {', '.join(unknown)} (known: {', '.join(known)})")
    if "portals" in names:
        from crawler.spiders.portals import SitesFileError, load_sites

        try:
            load_sites(settings.get("ZONECRAWL_SITES_FILE"))
        except SitesFileError as e:
            raise CrawlSetupError(str(e)) from None
    Path(archive_dir).mkdir(parents=True, exist_ok=True)

    with Store(db_path) as store:
        run_id = store.start_run(names, _settings_summary(settings, overrides or {}))
    settings.set("ZONECRAWL_RUN_ID", run_id, priority="cmdline")

    process = AsyncCrawlerProcess(settings)
    crawlers = []
    for name in names:
        crawler = process.create_crawler(name)
        crawlers.append(crawler)
        process.crawl(crawler)
    process.start()

    stats, reasons = _merged_stats(crawlers)
    with Store(db_path) as store:
        errors = store.db.execute("select count(*) from errors where run_id = ?", [run_id]).fetchone()[0]
        status = "finished" if all(r in _CLEAN_ENDS for r in reasons.values()) else "stopped"
        store.finish_run(run_id, stats, status if not errors else f"{status} with errors")
    return errors == 0


# Spiders that end for one of these reasons ran their course (a page limit is the user's choice).
_CLEAN_ENDS = {"finished", "closespider_pagecount", "closespider_itemcount"}


def _merged_stats(crawlers) -> tuple[dict, dict[str, str]]:
    """Numbers summed over the spiders, each spider's own stats kept under its name."""
    merged: dict = {"spiders": {}}
    reasons = {}
    for crawler in crawlers:
        s = crawler.stats.get_stats() if crawler.stats else {}
        name = crawler.spidercls.name
        reasons[name] = s.get("finish_reason", "not started")
        merged["spiders"][name] = {k: v for k, v in s.items() if isinstance(v, int | float | str)}
        for k, v in s.items():
            if isinstance(v, int | float) and not isinstance(v, bool) and "time" not in k:
                merged[k] = merged.get(k, 0) + v
    merged["pages"] = merged.get("response_received_count", 0)
    merged["items"] = merged.get("zonecrawl/documents", 0)
    return merged, reasons


def _settings_summary(settings: Settings, overrides: Mapping) -> dict:
    keys = (
        "USER_AGENT", "DOWNLOAD_DELAY", "CONCURRENT_REQUESTS_PER_DOMAIN", "AUTOTHROTTLE_ENABLED",
        "ROBOTSTXT_OBEY", "CLOSESPIDER_PAGECOUNT", "ZONECRAWL_SITES_FILE",
    )  # fmt: skip
    out = {k: settings.get(k) for k in keys}
    out["overrides"] = {k: v for k, v in overrides.items()}
    return out
