"""Every registry zone's own portal, walked through discovery (`zonecrawl crawl zones [--zone ID]`).

The zones come from the registry (`extractors/data/zones.tsv`, or the setting
ZONECRAWL_ZONES_FILE), those with a `website`; the setting ZONECRAWL_ZONES (comma-separated ids,
what `--zone` sets) or the spider argument `zone=` narrows them. For each portal the spider reads
the home page, its 政务公开-style hub pages and each column's first list page (crawler.discover
finds the columns, the article URL pattern and the pagination), then walks the lists as every
other spider does: same politeness, robots.txt, incremental skipping, archive and store. What was
discovered per zone (columns, pattern, pagination) goes into the run's stats as
`zonecrawl/discovered/<zone id>` (JSON), and so into the `runs` table.

ZONECRAWL_BASE_URLS[<zone id>] points a zone at another host (127.0.0.1 in tests).
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import AsyncIterator, Iterable
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

import scrapy
from scrapy.http import Response
from twisted.python.failure import Failure

from crawler.discover import (
    ColumnFound,
    SiteDiscovery,
    article_links,
    article_regex,
    choose_pagination,
    find_columns,
    find_hubs,
    next_xpath,
    pagination,
    relative_to_base,
    site_base,
)
from crawler.spiders.base import SiteRules, ZoneSpider

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
    """One zone's discovery in progress: requests still out, columns found, list responses kept."""

    zone: str
    home: str  # the registry's website (it may have a path: http://www.example.gov.cn/gxq/)
    pending: int = 0
    columns: list = field(default_factory=list)
    found: list[ColumnFound] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    lists: list[Response] = field(default_factory=list)

    @property
    def base_url(self) -> str:
        return site_base(self.home)


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

    def _discovery_request(self, portal: _Portal, url: str, callback, **meta) -> scrapy.Request:
        portal.pending += 1
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
        hubs = find_hubs(response.text, response.url, portal.base_url)[:5]
        for hub in hubs:
            yield self._discovery_request(portal, hub, self.parse_hub)
        if not hubs:
            yield from self._probe_columns(portal)

    def parse_hub(self, response: Response) -> Iterable:
        portal = self._done(response)
        known = {c.url for c in portal.columns}
        portal.columns += [
            c for c in find_columns(response.text, response.url, portal.base_url) if c.url not in known
        ]
        if not portal.pending:
            yield from self._probe_columns(portal)

    def _probe_columns(self, portal: _Portal) -> Iterable:
        for i, column in enumerate(portal.columns[:20]):
            yield self._discovery_request(portal, column.url, self.parse_probe, column=i)
        if not portal.columns:
            yield from self._finish(portal)

    def parse_probe(self, response: Response) -> Iterable:
        portal = self._done(response)
        column = portal.columns[response.meta["column"]]
        links = article_links(response.text, response.url, portal.base_url)
        if links:
            portal.found.append(ColumnFound(column, links, pagination(response.text, response.url)))
            portal.lists.append(response)
        else:
            portal.skipped.append(column.url)
        if not portal.pending:
            yield from self._finish(portal)

    def discovery_failed(self, failure: Failure) -> Iterable:
        """A page discovery could not read is an error like any other; discovery goes on."""
        yield from self.on_error(failure)
        portal = self.portals[failure.request.meta["site"]]
        portal.pending -= 1
        if not portal.pending:
            if failure.request.callback == self.parse_hub:
                yield from self._probe_columns(portal)
            elif failure.request.callback == self.parse_probe:
                yield from self._finish(portal)

    def _done(self, response: Response) -> _Portal:
        portal = self.portals[response.meta["site"]]
        portal.pending -= 1
        return portal

    def _finish(self, portal: _Portal) -> Iterable:
        """Turn what was found into the zone's rules, record it, and walk the lists read so far."""
        order = [c.url for c in portal.columns]  # menu order, whatever order the lists came back in
        portal.found.sort(key=lambda c: order.index(c.column.url))
        found = SiteDiscovery(base_url=portal.base_url, columns=portal.found, skipped=portal.skipped)
        urls = [u for c in portal.found for u in c.articles]
        if urls:
            found.article = article_regex(urls)
            choose_pagination(found)
        self.crawler.stats.set_value(
            f"zonecrawl/discovered/{portal.zone}", json.dumps(found.summary(), ensure_ascii=False)
        )
        self.crawler.stats.set_value(f"zonecrawl/discovered/{portal.zone}/columns", len(portal.found))
        if not found.article:
            self.logger.warning("%s (%s): no column with article links found", portal.zone, portal.base_url)
            return
        self.rules[portal.zone] = SiteRules(
            name=portal.zone,
            base_url=portal.base_url,
            lists=[relative_to_base(c.column.url, portal.base_url) for c in portal.found],
            article=found.article,
            next_xpath=next_xpath(found.next_text) if found.next_text and not found.page_template else None,
            page_template=found.page_template,
            max_pages=found.max_pages,
        )
        for response in portal.lists:  # page 1 of each list is read already: walk on from it
            response.meta.update(list_page=1, first_list_url=response.url, guessed=False)
            yield from self.parse_list(response)
