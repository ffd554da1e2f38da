"""What spiders hand to the pipelines (a fetched page as raw bytes, or a fetch that failed), and
the document item that feed exports (`scrapy crawl -O`) write instead of the bytes."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class PageItem:
    """One fetched article page, exactly as received; nothing is decoded or extracted yet."""

    url: str  # the URL that was asked for (the key the store remembers)
    final_url: str  # the URL after redirects
    status: int
    headers: dict[str, str]
    body: bytes
    fetched_at: str  # ISO 8601, UTC
    spider: str
    list_url: str | None = None  # the list page the link was found on
    # Title/date/body text taken by a config-driven portal's selectors; what is missing here,
    # extractors.article reads from the page.
    selected: dict[str, str] = field(default_factory=dict)
    charset_flags: list[str] = field(default_factory=list)
    authority: str | None = None  # official, association or mirror (SiteRules.authority)
    parent_url: str | None = None  # an attachment (.xlsx, .pdf ...): the article page that links to it

    def __repr__(self) -> str:  # logs name the page, not its bytes
        return f"PageItem({self.url!r}, status={self.status}, {len(self.body)} bytes)"


@dataclass
class FetchError:
    """A request that produced no page: recorded in the run's errors, the crawl carries on."""

    url: str
    kind: str  # dns, connection, timeout, http_<status>, redirect_loop, too_large, robots, parse, other
    message: str
    spider: str
    status: int | None = None

    def __repr__(self) -> str:
        return f"FetchError({self.kind}: {self.message})"


def document_item(page: PageItem, document: dict, metrics: int) -> dict:
    """The feed-export form of a saved page: its stored document as plain JSON-ready values, the
    number of metrics read from it, and where it was fetched (no raw bytes)."""
    return {
        "url": page.url,
        "final_url": page.final_url,
        "status": page.status,
        "spider": page.spider,
        "list_url": page.list_url,
        "fetched_at": page.fetched_at,
        **{k: v for k, v in document.items() if k not in ("url", "fetched_at")},
        "metrics": metrics,
    }
