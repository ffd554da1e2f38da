"""The polite fetcher `zonecrawl discover` reads a portal with (crawler.discover stays pure).

It sends the crawl's User-Agent, obeys the site's robots.txt, waits `delay` seconds between
requests, never leaves the site it was made for, refuses internal addresses unless allowed (as
the crawl does), and reads at most `max_bytes` of a page. A page it cannot get is None, not an
exception: discovery goes on with the others.
"""

from __future__ import annotations

import functools
import socket
import time
import urllib.error
import urllib.request
import urllib.robotparser
from urllib.parse import urljoin, urlsplit

from crawler.discover import same_site, site_base
from crawler.safety import internal_address
from crawler.settings import USER_AGENT


class _StayOnSite(urllib.request.HTTPRedirectHandler):
    """Follows a redirect only when its target may be fetched (`allowed`); a redirect elsewhere,
    to another site or an internal address, ends the request before anything is sent there."""

    def __init__(self, allowed) -> None:
        self.allowed = allowed

    def redirect_request(self, req, fp, code, msg, headers, newurl):  # urllib's signature
        if not self.allowed(newurl):
            raise urllib.error.URLError(f"a redirect to {newurl} refused (off the site or internal)")
        return super().redirect_request(req, fp, code, msg, headers, newurl)


@functools.lru_cache(maxsize=64)
def resolves_internal(host: str) -> bool:
    """Whether HOST names, or resolves to, a loopback, private or link-local address (a name that
    does not resolve is left to the request, which then fails)."""
    if internal_address(host):
        return True
    try:
        infos = socket.getaddrinfo(host, None)
    except (OSError, UnicodeError):
        return False
    return any(internal_address(info[4][0]) for info in infos)


class SiteFetcher:
    """fetch(url) -> (body, content type) or None; one site, politely. Records what it asked."""

    def __init__(
        self,
        site_url: str,
        delay: float = 1.0,
        timeout: float = 20.0,
        max_bytes: int = 5_000_000,
        allow_private: bool = False,
    ) -> None:
        self.base = site_base(site_url)
        self.delay, self.timeout, self.max_bytes = delay, timeout, max_bytes
        self.allow_private = allow_private
        self.requested: list[str] = []
        self.failures: dict[str, str] = {}  # url -> why it could not be read
        self._last = 0.0
        self._robots: urllib.robotparser.RobotFileParser | None = None
        self._opener = urllib.request.build_opener(_StayOnSite(self._may_fetch))

    def __call__(self, url: str) -> tuple[bytes, str | None] | None:
        if not self._may_fetch(url):
            return None
        if not url.endswith("/robots.txt") and not self.robots().can_fetch(USER_AGENT, url):
            self.failures[url] = "robots.txt forbids it"
            return None
        return self._get(url)

    def _may_fetch(self, url: str) -> bool:
        """On the site, and not at an internal address unless allowed."""
        if not same_site(url, self.base):
            self.failures[url] = "not on the site"
            return False
        if not self.allow_private and resolves_internal(urlsplit(url).hostname or ""):
            self.failures[url] = "an internal address (loopback, private or link-local)"
            return False
        return True

    def robots(self) -> urllib.robotparser.RobotFileParser:
        """The site's robots.txt, read once; none (or unreadable) allows everything."""
        if self._robots is None:
            self._robots = urllib.robotparser.RobotFileParser()
            got = self._get(urljoin(self.base, "robots.txt"))
            self._robots.parse(got[0].decode("utf-8", "replace").splitlines() if got else [])
        return self._robots

    def _get(self, url: str) -> tuple[bytes, str | None] | None:
        wait = self._last + self.delay - time.monotonic()
        if wait > 0:
            time.sleep(wait)
        self.requested.append(url)
        request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})
        try:
            with self._opener.open(request, timeout=self.timeout) as response:
                return response.read(self.max_bytes), response.headers.get("Content-Type")
        except urllib.error.HTTPError as e:
            self.failures[url] = f"HTTP {e.code}"
            return None
        except (urllib.error.URLError, OSError, ValueError) as e:
            self.failures[url] = str(getattr(e, "reason", e))
            return None
        finally:
            self._last = time.monotonic()
