"""What a crawl may fetch: only its own sites, over http(s), never an internal address.

Every request passes `SafeRequestMiddleware` before anything else, redirected ones and meta
refreshes included (Scrapy sends those through the downloader middlewares again): a request to a
host that is not one of the spider's sites (host and port, `www.` or not), a scheme other than
http and https, or a loopback, private, link-local or otherwise reserved address is refused and
recorded as a `refused` error. `ZONECRAWL_ALLOW_PRIVATE_ADDRESSES` lets the tests and the demo crawl
their sites on 127.0.0.1; the other checks hold there too.
"""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.exceptions import IgnoreRequest

REFUSED = "refused"


class RefusedRequest(IgnoreRequest):
    """A request the crawl must not make; the message says why in one line."""


def site_key(url: str) -> tuple[str, int | None]:
    parts = urlsplit(url)
    host = (parts.hostname or "").lower().removeprefix("www.")
    try:
        port = parts.port
    except ValueError:
        port = -1
    default = {"http": 80, "https": 443}.get(parts.scheme)
    return host, None if port == default else port


def internal_address(host: str) -> bool:
    """Whether HOST names this machine or a private, link-local or reserved network."""
    host = host.strip("[]").lower()
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        ip = ipaddress.ip_address(host)
    except ValueError:
        return False  # a name: what it resolves to is the resolver's business
    return (
        ip.is_private
        or ip.is_loopback
        or ip.is_link_local
        or ip.is_reserved
        or ip.is_multicast
        or ip.is_unspecified
    )


def refusal(url: str, sites: set[tuple[str, int | None]], allow_private: bool = False) -> str | None:
    """Why URL must not be fetched by a crawl of SITES ((host, port) pairs), or None."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        return f"not an http(s) address: {url}"
    host, port = site_key(url)
    if not host:
        return f"no host in {url}"
    if sites and (host, port) not in sites:
        return f"off site: {parts.netloc} is not one of the spider's sites"
    if not allow_private and internal_address(parts.hostname or ""):
        return f"internal address: {parts.hostname}"
    return None


def spider_sites(spider) -> set[tuple[str, int | None]]:
    """The (host, port) pairs of a spider's sites, from its SiteRules base URLs."""
    rules = getattr(spider, "rules", None) or {}
    return {site_key(r.base_url) for r in rules.values()}


class SafeRequestMiddleware:
    """Refuses requests off the spider's sites, not over http(s), or to internal addresses."""

    def __init__(self, crawler: Crawler):
        self.crawler = crawler
        self.allow_private = crawler.settings.getbool("ZONECRAWL_ALLOW_PRIVATE_ADDRESSES")
        self._sites: set[tuple[str, int | None]] | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> SafeRequestMiddleware:
        return cls(crawler)

    def process_request(self, request: Request, spider=None) -> None:
        if self._sites is None:
            self._sites = spider_sites(spider or self.crawler.spider)
        reason = refusal(request.url, self._sites, self.allow_private)
        if reason:
            self.crawler.stats.inc_value("zonecrawl/refused")
            raise RefusedRequest(reason)
        return None
