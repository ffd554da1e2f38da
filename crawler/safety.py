"""What a crawl may fetch: only its own sites, over http(s), never an internal address.

Every request passes `SafeRequestMiddleware` before anything else, redirected ones and meta
refreshes included (Scrapy sends those through the downloader middlewares again): a request to a
host that is not one of the spider's sites (host and port, `www.` or not), a scheme other than
http and https, or a loopback, private, link-local or otherwise reserved address is refused and
recorded as a `refused` error. A host NAME that resolves to such an address is refused too:
`SafeResolver`, installed as the crawl's DNS resolver, fails the lookup, remembers why, and the
middleware turns that failure (and every later request to the name) into the same `refused` error.
`ZONECRAWL_ALLOW_PRIVATE_ADDRESSES` lets the tests and the demo crawl their sites on 127.0.0.1; the
other checks hold there too.
"""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.exceptions import IgnoreRequest
from scrapy.resolver import CachingThreadedResolver
from twisted.internet.error import DNSLookupError

REFUSED = "refused"


class RefusedRequest(IgnoreRequest):
    """A request the crawl must not make; the message says why in one line."""


# Host names the resolver refused, with why. Twisted's endpoints reduce a failed lookup to "no
# results", so the middleware reads the reason here (one crawl per process: a module-level memory).
refused_names: dict[str, str] = {}


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


class SafeResolver(CachingThreadedResolver):
    """Scrapy's caching resolver, failing names that resolve to an internal address.

    Installed with TWISTED_DNS_RESOLVER; names like `intranet.example` or `vm` that point at
    127.0.0.1, 10.x, 169.254.x ... are never connected to unless ZONECRAWL_ALLOW_PRIVATE_ADDRESSES.
    """

    def __init__(self, reactor, cache_size: int, timeout: float, allow_private: bool = False):
        super().__init__(reactor, cache_size, timeout)
        self.allow_private = allow_private

    @classmethod
    def from_crawler(cls, crawler, reactor) -> SafeResolver:
        resolver = super().from_crawler(crawler, reactor)
        resolver.allow_private = crawler.settings.getbool("ZONECRAWL_ALLOW_PRIVATE_ADDRESSES")
        return resolver

    def getHostByName(self, name: str, timeout=()):  # noqa: N802 (Twisted's name)
        d = super().getHostByName(name, timeout)
        if not self.allow_private:
            d.addCallback(self._refuse_internal, name)
        return d

    @staticmethod
    def _refuse_internal(address: str, name: str) -> str:
        if internal_address(address):
            reason = f"internal address: {name} resolves to {address}"
            refused_names[name.lower()] = reason
            raise DNSLookupError(reason)
        return address


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
        reason = refusal(request.url, self._sites, self.allow_private) or self._refused_name(request)
        if reason:
            self.crawler.stats.inc_value("zonecrawl/refused")
            raise RefusedRequest(reason)
        return None

    def process_exception(self, request: Request, exception: Exception, spider=None) -> None:
        """A lookup the resolver refused is a refusal, not a DNS failure."""
        reason = self._refused_name(request)
        if reason and not isinstance(exception, RefusedRequest):
            self.crawler.stats.inc_value("zonecrawl/refused")
            raise RefusedRequest(reason) from None
        return None

    def _refused_name(self, request: Request) -> str | None:
        if self.allow_private:
            return None
        return refused_names.get((urlsplit(request.url).hostname or "").lower())
