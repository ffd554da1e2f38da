"""Scrapy settings for zonecrawl: polite by default (one request at a time per site, a delay,
AutoThrottle, robots.txt), robust (retries with back-off, timeouts, size limits) and incremental
(the database decides which article pages need fetching again).

Tests and the demo shorten the delays through `run_crawl(..., overrides=...)`; these defaults are
what a scheduled crawl of the real sites uses.
"""

from __future__ import annotations

import os
from importlib.metadata import PackageNotFoundError, version

try:
    VERSION = version("zonecrawl")
except PackageNotFoundError:  # running from a source tree that was never installed
    VERSION = "0.1.0"

PROJECT_URL = "https://github.com/zonecrawl/zonecrawl"

BOT_NAME = "zonecrawl"
SPIDER_MODULES = ["crawler.spiders"]
# `scrapy crawl` exits 1 on the failures `zonecrawl crawl` exits 1 on (crawler/commands/crawl.py).
COMMANDS_MODULE = "crawler.commands"
NEWSPIDER_MODULE = "crawler.spiders"

# An honest user agent: who we are and where to read about it.
USER_AGENT = f"zonecrawl/{VERSION} (+{PROJECT_URL}; research crawler)"
ROBOTSTXT_OBEY = True

# One request at a time per site, a 2 s delay (Scrapy adds +-50% jitter), AutoThrottle on top.
CONCURRENT_REQUESTS = 8
CONCURRENT_REQUESTS_PER_DOMAIN = 1
DOWNLOAD_DELAY = 2.0
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 2.0
AUTOTHROTTLE_MAX_DELAY = 60.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0

# Retries: Scrapy 2.19 retries at once and has no back-off of its own, so crawler.middlewares
# replaces its retry middleware with one that waits RETRY_BACKOFF_BASE * 2**(n-1) seconds before
# the n-th retry, capped at RETRY_BACKOFF_MAX.
RETRY_ENABLED = True
RETRY_TIMES = 2
RETRY_HTTP_CODES = [500, 502, 503, 504, 522, 524, 408, 429]
RETRY_BACKOFF_BASE = 5.0
RETRY_BACKOFF_MAX = 120.0

DOWNLOAD_TIMEOUT = 30
DOWNLOAD_MAXSIZE = 8 * 1024 * 1024  # zone news pages are far smaller; bigger is a mistake or a trap
DOWNLOAD_WARNSIZE = 2 * 1024 * 1024
REDIRECT_MAX_TIMES = 5
HTTPCACHE_ENABLED = False  # the WARC archive is the record of what was fetched
COOKIES_ENABLED = False

# Per-run limits; 0 is no limit. `zonecrawl crawl --max-pages` sets CLOSESPIDER_PAGECOUNT.
CLOSESPIDER_PAGECOUNT = 0
CLOSESPIDER_ITEMCOUNT = 0
CLOSESPIDER_TIMEOUT = 6 * 3600
CLOSESPIDER_ERRORCOUNT = 0

DOWNLOADER_MIDDLEWARES = {
    "crawler.safety.SafeRequestMiddleware": 50,  # first: off-site, non-http and internal addresses
    "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
    "crawler.middlewares.BackoffRetryMiddleware": 550,
    "crawler.middlewares.StoredPageMiddleware": 560,  # after robots (100), before the download
    "crawler.middlewares.EncodingRepairMiddleware": 580,
}
# The feed pipeline only runs with a feed (-o/-O): it exports stored documents, not page bytes.
ITEM_PIPELINES = {"crawler.pipelines.StorePipeline": 300, "crawler.feed.DocumentFeedPipeline": 800}
# Every crawl, `scrapy crawl` included, opens and closes its row in `runs` (crawler.runlog).
EXTENSIONS = {"crawler.runlog.RunLog": 500}

# Where pages go: $ZONECRAWL_DB and $ZONECRAWL_ARCHIVE, else data/ under the current folder, made
# absolute so that the log and the runs say exactly where; run_crawl sets these for each run.
ZONECRAWL_DB = os.path.abspath(os.environ.get("ZONECRAWL_DB") or "data/zones.db")
ZONECRAWL_ARCHIVE = os.path.abspath(os.environ.get("ZONECRAWL_ARCHIVE") or "data/archive")
ZONECRAWL_RUN_ID = None
# {spider name: base URL} to point a spider at another host (tests and the demo use 127.0.0.1).
ZONECRAWL_BASE_URLS: dict[str, str] = {}
# Only the tests and the demo, whose sites are served on 127.0.0.1, may fetch internal addresses.
ZONECRAWL_ALLOW_PRIVATE_ADDRESSES = False
ZONECRAWL_SITES_FILE = None  # YAML of config-driven zone portals; None is the bundled crawler/sites.yaml

# Safety and bounded cost (crawler/safety.py, crawler/pipelines.py): host names that resolve to an
# internal address are refused by the resolver; a page's metrics are read from at most
# ZONECRAWL_EXTRACT_MAX_CHARS characters of its text (the document is flagged `metrics_truncated`);
# a stored page without ETag/Last-Modified is fetched again after ZONECRAWL_RECHECK_DAYS days
# (0 turns either off).
TWISTED_DNS_RESOLVER = "crawler.safety.SafeResolver"
ZONECRAWL_EXTRACT_MAX_CHARS = 200_000
ZONECRAWL_RECHECK_DAYS = 30

TWISTED_REACTOR = "twisted.internet.asyncioreactor.AsyncioSelectorReactor"
LOG_LEVEL = "INFO"
# A dropped item is a failed or skipped fetch, already in the errors table and the run's summary:
# not a warning of its own (`--quiet` shows warnings and errors only).
DEFAULT_DROPITEM_LOG_LEVEL = "INFO"
FEED_EXPORT_ENCODING = "utf-8"
