"""The polite fetcher `zonecrawl discover` reads a portal with (crawler.discover stays pure).

It sends the crawl's User-Agent, obeys the site's robots.txt, waits `delay` seconds between
requests, never leaves the site it was made for, refuses internal addresses unless allowed (as
the crawl does), and reads at most `max_bytes` of a page. A page it cannot get is None, not an
exception: discovery goes on with the others.
"""

from __future__ import annotations

import time
import urllib.error
import urllib.request
import urllib.robotparser
from urllib.parse import urljoin, urlsplit

from crawler.discover import same_site, site_base
from crawler.safety import internal_address
from crawler.settings import USER_AGENT


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
        self._last = 0.0
        self._robots: urllib.robotparser.RobotFileParser | None = None

    def __call__(self, url: str) -> tuple[bytes, str | None] | None:
        if not same_site(url, self.base) or self._refused(url):
            return None
        return self._get(url)

    def _refused(self, url: str) -> bool:
        host = urlsplit(url).hostname or ""
        if not self.allow_private and internal_address(host):
            return True
        if url.endswith("/robots.txt"):
            return False
        return not self.robots().can_fetch(USER_AGENT, url)

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
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                # a redirect off the site is not the site's page
                if not same_site(response.geturl(), self.base):
                    return None
                return response.read(self.max_bytes), response.headers.get("Content-Type")
        except (urllib.error.URLError, OSError, ValueError):
            return None
        finally:
            self._last = time.monotonic()
