"""Every registry zone's own portal, walked through discovery (`zonecrawl crawl zones [--zone ID]`).

The zones come from the registry (`extractors/data/zones.tsv`, or the setting
ZONECRAWL_ZONES_FILE), those with a `website`; the setting ZONECRAWL_ZONES (comma-separated ids,
what `--zone` sets) or the spider argument `zone=` narrows them. For each portal the spider reads
the home page, its 政务公开-style hub pages and each column's first list page (crawler.discover
finds the columns, the article URL pattern and the pagination), then walks the lists as every
other spider does: same politeness, robots.txt, incremental skipping, archive and store. What was
discovered per zone (columns, pattern, pagination, feed, sitemap) goes into the run's stats as
`zonecrawl/discovered/<zone id>` (JSON), and so into the `runs` table, and into the `discoveries`
table, one row per zone and run: written when the zone's discovery ends, its list pages and article
links brought up to the walk's totals when the spider closes.

Discovery also reads robots.txt, the sitemaps it names (and /sitemap.xml), and the RSS/Atom feeds
the home page links to or robots.txt names: their article pages (those matching the discovered
pattern, on the site) are crawled with the lists' own. A feed gives the pattern where the lists
give none (lists drawn by a script).

ZONECRAWL_BASE_URLS[<zone id>] points a zone at another host (127.0.0.1 in tests);
ZONECRAWL_ZONES_MAX_LIST_PAGES bounds the list pages read per column (the discovered bound otherwise).
"""

from __future__ import annotations

import csv
import io
import json
import logging
import sqlite3
from collections.abc import AsyncIterator, Iterable
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from urllib.parse import urljoin

import scrapy
from scrapy.http import Response
from twisted.python.failure import Failure

from crawler.discover import (
    HUB_DEPTH,
    MAX_HUBS,
    ColumnFound,
    Listings,
    SiteDiscovery,
    article_links,
    article_regex,
    choose_pagination,
    feed_links,
    find_columns,
    find_hubs,
    listing_locations,
    next_xpath,
    pagination,
    relative_to_base,
    site_base,
    use_listings,
)
from crawler.middlewares import crawl_store
from crawler.spiders.base import SiteRules, ZoneSpider
from crawler.store import Store, now, writing

log = logging.getLogger(__name__)

NOTHING = r"(?!)"  # the article pattern of a zone not yet discovered: matches no URL


def registry_websites(path: str | Path | None = None) -> dict[str, str]:
    """Zone id -> website of the registry rows that have one, in registry order."""
    if path:
        text = Path(path).read_text(encoding="utf-8")
    else:
        text = resources.files("extractors").joinpath("data/zones.tsv").read_text(encoding="utf-8")
    rows = csv.DictReader(io.StringIO(text, newline=""), delimiter="\t")
    return {r["id"]: r["website"].strip() for r in rows if r.get("id") and (r.get("website") or "").strip()}


def zones_problem(ids: list[str], path: str | Path | None = None) -> str | None:
    """Why `--zone` IDS cannot be crawled (unknown, or no website in the registry), or None."""
    websites = registry_websites(path)
    missing = [i for i in ids if i not in websites]
    if missing:
        return f"no website in the registry for zone {', '.join(missing)} (zones with one: {len(websites)})"
    return None


@dataclass
class _Portal:
    """One zone's discovery in progress: requests still out, what was found, list responses kept.

    Discovery runs in two rounds: the home page's hubs, robots.txt, feeds and sitemaps, then each
    column's first list page; `probed` and `finished` say which round is over."""

    zone: str
    home: str  # the registry's website (it may have a path: http://www.example.gov.cn/gxq/)
    pending: int = 0
    probed: bool = False
    finished: bool = False
    columns: list = field(default_factory=list)
    hubs: set[str] = field(default_factory=set)  # hub pages asked for
    feeds: list[str] = field(default_factory=list)
    listings: Listings = field(default_factory=Listings)
    found: list[ColumnFound] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    lists: list[Response] = field(default_factory=list)
    walked: int = 0  # list pages read, discovery's first pages included
    links: set[str] = field(default_factory=set)  # article links found on them, in feeds and sitemaps

    @property
    def base_url(self) -> str:
        return site_base(self.home)


def discovery_row(run_id: int, zone: str, found: SiteDiscovery, portal: _Portal) -> dict:
    """The `discoveries` row of one zone's discovery."""
    return {
        "run_id": run_id,
        "zone_id": zone,
        "base_url": found.base_url,
        "columns": json.dumps([[c.column.name, c.column.url] for c in found.columns], ensure_ascii=False),
        "article": found.article,
        "pagination": found.pagination_kind(),
        "page_rule": found.page_template or found.next_text,
        "max_pages": found.max_pages,
        "sitemap": found.sitemap,
        "feed": found.feed,
        "list_pages": portal.walked,
        "article_links": len(portal.links),
        "discovered_at": now(),
    }


class ZonesSpider(ZoneSpider):
    name = "zones"

    def __init__(self, *args, zone: str | None = None, zones_file: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.zone_arg = zone
        self.zones_file = zones_file
        self.portals: dict[str, _Portal] = {}

    def site_rules(self) -> list[SiteRules]:
        """A placeholder per portal (its base URL, no lists yet): the safety middleware allows
        exactly these hosts, and a zone whose discovery finds nothing is reported empty."""
        websites = registry_websites(self.zones_file or self.settings.get("ZONECRAWL_ZONES_FILE"))
        wanted = self.zone_arg or self.settings.get("ZONECRAWL_ZONES") or ""
        only = {z.strip() for z in wanted.split(",") if z.strip()}
        overrides = self.settings.getdict("ZONECRAWL_BASE_URLS")
        return [
            SiteRules(name=zone, base_url=overrides.get(zone) or url, lists=[], article=NOTHING)
            for zone, url in websites.items()
            if not only or zone in only
        ]

    async def start(self) -> AsyncIterator[scrapy.Request]:
        for zone, rules in list(self.rules.items()):
            portal = self.portals[zone] = _Portal(zone, rules.base_url)
            yield self._discovery_request(portal, rules.base_url, self.parse_home)

    def _discovery_request(
        self, portal: _Portal, url: str, callback, any_status: bool = False, **meta
    ) -> scrapy.Request:
        portal.pending += 1
        if any_status:  # robots.txt and sitemaps may well be missing: a 404 is no error here
            meta["handle_httpstatus_all"] = True
        return scrapy.Request(
            url,
            callback=callback,
            errback=self.discovery_failed,
            dont_filter=True,  # a hub or list page may be asked again by the walk
            meta={"site": portal.zone, "discovery": True, **meta},
            priority=20,
        )

    def parse_home(self, response: Response) -> Iterable:
        portal = self._done(response)
        portal.columns = find_columns(response.text, response.url, portal.base_url)
        portal.feeds = feed_links(response.text, response.url, portal.base_url)[:3]
        yield from self._hubs(portal, response, depth=1)
        robots = urljoin(portal.base_url, "robots.txt")
        yield self._discovery_request(portal, robots, self.parse_robots, any_status=True)

    def _hubs(self, portal: _Portal, response: Response, depth: int) -> Iterable[scrapy.Request]:
        """The hub pages (政务公开 …) a page links to, two levels down, MAX_HUBS in all."""
        for hub in find_hubs(response.text, response.url, portal.base_url):
            if hub not in portal.hubs and len(portal.hubs) < MAX_HUBS:
                portal.hubs.add(hub)
                yield self._discovery_request(portal, hub, self.parse_hub, depth=depth)

    def parse_hub(self, response: Response) -> Iterable:
        portal = self._done(response)
        known = {c.url for c in portal.columns}
        portal.columns += [
            c for c in find_columns(response.text, response.url, portal.base_url) if c.url not in known
        ]
        if response.meta.get("depth", 1) < HUB_DEPTH:
            yield from self._hubs(portal, response, depth=response.meta.get("depth", 1) + 1)
        yield from self._settled(portal)

    def parse_robots(self, response: Response) -> Iterable:
        """The sitemaps (or feeds) robots.txt names, /sitemap.xml and the home page's feeds."""
        portal = self._done(response)
        text = response.text if response.status == 200 and hasattr(response, "text") else None
        for url in listing_locations(portal.base_url, portal.feeds, text):
            yield self._discovery_request(portal, url, self.parse_listing, any_status=True)
        yield from self._settled(portal)

    def parse_listing(self, response: Response) -> Iterable:
        portal = self._done(response)
        if response.status == 200:
            portal.listings.add(response.body, response.url, portal.base_url)
        yield from self._settled(portal)

    def parse_probe(self, response: Response) -> Iterable:
        portal = self._done(response)
        column = portal.columns[response.meta["column"]]
        links = article_links(response.text, response.url, portal.base_url)
        if links:
            portal.found.append(ColumnFound(column, links, pagination(response.text, response.url)))
            portal.lists.append(response)
        else:
            portal.skipped.append(column.url)
        yield from self._settled(portal)

    def discovery_failed(self, failure: Failure) -> Iterable:
        """A page discovery could not read is an error like any other; discovery goes on."""
        yield from self.on_error(failure)
        portal = self.portals[failure.request.meta["site"]]
        portal.pending -= 1
        yield from self._settled(portal)

    def _done(self, response: Response) -> _Portal:
        portal = self.portals[response.meta["site"]]
        portal.pending -= 1
        return portal

    def _settled(self, portal: _Portal) -> Iterable:
        """Once no discovery request of the zone is out, the next round: the columns' first list
        pages, then the rules and the walk."""
        if portal.pending:
            return
        if not portal.probed:
            portal.probed = True
            for i, column in enumerate(portal.columns[:20]):
                yield self._discovery_request(portal, column.url, self.parse_probe, column=i)
            if portal.pending:
                return
        if not portal.finished:
            portal.finished = True
            yield from self._finish(portal)

    def _finish(self, portal: _Portal) -> Iterable:
        """Turn what was found into the zone's rules, record it, and walk the lists read so far
        and the articles of the feed and the sitemap."""
        order = [c.url for c in portal.columns]  # menu order, whatever order the lists came back in
        portal.found.sort(key=lambda c: order.index(c.column.url))
        found = SiteDiscovery(base_url=portal.base_url, columns=portal.found, skipped=portal.skipped)
        urls = [u for c in portal.found for u in c.articles]
        if urls:
            found.article = article_regex(urls)
            choose_pagination(found)
        use_listings(found, portal.listings)
        portal.links.update(urls, found.feed_articles, found.sitemap_articles)
        walk = list(self._walk(portal, found)) if found.article else []
        self._record(portal, found)  # after page 1 of each list was counted by the walk
        if not found.article:
            self.logger.warning("%s (%s): no column with article links found", portal.zone, portal.base_url)
        yield from walk

    def _walk(self, portal: _Portal, found: SiteDiscovery) -> Iterable:
        """The zone's rules from FOUND; the lists walked on from their first pages (read already),
        and the articles of the feed and the sitemap."""
        rules = self.rules[portal.zone] = SiteRules(
            name=portal.zone,
            base_url=portal.base_url,
            lists=[relative_to_base(u, portal.base_url) for u in found.list_urls()],
            article=found.article or NOTHING,
            next_xpath=next_xpath(found.next_text) if found.next_text and not found.page_template else None,
            page_template=found.page_template,
            max_pages=self._max_pages(found),
        )
        for response in portal.lists:
            response.meta.update(list_page=1, first_list_url=response.url, guessed=False)
            yield from self.parse_list(response)
        for c in portal.found:  # list pages no rule reaches (a Jcms datastore's further groups)
            for url in c.pagination.groups if c.pagination else []:
                yield self.list_request(url, rules, page=1, first=url)
        for source, articles in ((found.feed, found.feed_articles), (found.sitemap, found.sitemap_articles)):
            for url in articles:  # the dupe filter drops those the lists gave already
                yield self.article_request(url, rules, urljoin(portal.base_url, source or ""))

    def _max_pages(self, found: SiteDiscovery) -> int:
        """The discovered bound, within ZONECRAWL_ZONES_MAX_LIST_PAGES when set (a quick pass: the
        first page of each list, and the feed and sitemap, say)."""
        cap = self.settings.getint("ZONECRAWL_ZONES_MAX_LIST_PAGES")
        return min(found.max_pages, cap) if cap > 0 else found.max_pages

    def _record(self, portal: _Portal, found: SiteDiscovery) -> None:
        """What the zone's discovery found, in the run's stats and the `discoveries` table."""
        stats = self.crawler.stats
        stats.set_value(
            f"zonecrawl/discovered/{portal.zone}", json.dumps(found.summary(), ensure_ascii=False)
        )
        stats.set_value(f"zonecrawl/discovered/{portal.zone}/columns", len(portal.found))
        run_id = self.settings.getint("ZONECRAWL_RUN_ID")
        if not run_id:  # no run to file it under (the pipeline opens its own)
            return
        store = crawl_store(self.crawler)
        try:
            with writing(store.db):
                store.db["discoveries"].upsert(
                    discovery_row(run_id, portal.zone, found, portal), pk=("run_id", "zone_id")
                )
        except sqlite3.Error as e:  # the stats still tell; the crawl goes on
            log.error("%s: discovery not recorded: %s", portal.zone, e)

    # The walk's totals, for the discoveries rows.

    def parse_list(self, response: Response) -> Iterable[scrapy.Request]:
        portal = self.portals.get(response.meta.get("site", ""))
        if portal is not None:
            portal.walked += 1
        yield from super().parse_list(response)

    def article_links(self, response: Response, rules: SiteRules) -> list[str]:
        links = super().article_links(response, rules)
        if rules.name in self.portals:
            self.portals[rules.name].links.update(links)
        return links

    def closed(self, reason: str) -> None:
        """Each zone's list pages and article links, over the whole walk, into its row."""
        run_id = self.settings.getint("ZONECRAWL_RUN_ID")
        done = [p for p in self.portals.values() if p.finished]
        if not run_id or not done:
            return
        try:
            with Store(self.settings.get("ZONECRAWL_DB")) as store, writing(store.db):
                for p in done:
                    store.db.execute(
                        "update discoveries set list_pages = ?, article_links = ? where run_id = ? and zone_id = ?",
                        [p.walked, len(p.links), run_id, p.zone],
                    )
        except (OSError, sqlite3.Error) as e:
            log.error("discoveries of run %s not brought up to date: %s", run_id, e)
