"""Shared behaviour of every zone spider: list pages -> article links + next page; article -> item.

A spider describes its site with `SiteRules` (list pages, the pattern of article URLs, how the
pagination goes); the rest (skipping stored pages, encoding repair, retries, errors, archive,
store) lives here, in crawler.middlewares and in crawler.pipelines. An article's links to
attachments on its own host (.xlsx, .xls, .csv, .pdf) are followed too: each becomes its own
document, linked to the article (`parent_url`), archived, skipped when stored, and bounded by
DOWNLOAD_MAXSIZE like a page.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from urllib.parse import urljoin, urlsplit, urlunsplit

import scrapy
from parsel import Selector
from scrapy.http import Response
from scrapy.spidermiddlewares.httperror import HttpError
from scrapy.utils.sitemap import Sitemap
from twisted.python.failure import Failure

from crawler.discover import readable_markup
from crawler.errors import classify_failure
from crawler.items import FetchError, PageItem
from crawler.middlewares import UnchangedPage
from crawler.safety import site_key
from crawler.store import canonical_url
from extractors.attachments import ATTACHMENT_SUFFIXES

# How far a site's word counts when pages disagree on a figure, most authoritative first.
AUTHORITIES = ("official", "association", "mirror")


@dataclass
class SiteRules:
    """How to walk one site.

    `lists` are list pages relative to the base URL; `article` is a regex that the path (and query)
    of an article URL matches. Pagination is either `next_xpath` (the next-page link) or
    `page_template` for list page n >= 2, relative to the first list page, where `{n}` is the page
    number and `{i}` is n - 1 (TRS portals number index_1.html as the second page), bounded by
    `max_pages`. `selectors` (title/date/body, CSS or XPath) are optional; `sitemap` too.
    `authority` ranks the site's word when pages disagree on a figure: `official` (the zone's or
    a government's own site), `association`, or `mirror` (a site that reposts others' news).
    """

    name: str
    base_url: str
    lists: list[str]
    article: str
    next_xpath: str | None = None
    page_template: str | None = None
    max_pages: int = 50
    selectors: dict[str, str] = field(default_factory=dict)
    sitemap: str | None = None
    authority: str = "official"

    def __post_init__(self) -> None:
        if self.authority not in AUTHORITIES:
            raise ValueError(f"{self.name}: authority must be one of {', '.join(AUTHORITIES)}")
        self.base_url = self.base_url.rstrip("/") + "/"
        self.article_re = re.compile(self.article)

    def list_urls(self) -> list[str]:
        return [urljoin(self.base_url, p.lstrip("/")) for p in self.lists]

    def is_article(self, url: str) -> bool:
        parts = urlsplit(url)
        return bool(self.article_re.search(parts.path + (f"?{parts.query}" if parts.query else "")))


def utc_now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class ZoneSpider(scrapy.Spider):
    """A site with list pages of article links, described by class attributes.

    `default_base_url` is the site's real address; the spider argument `base_url=` or the setting
    ZONECRAWL_BASE_URLS[name] points it elsewhere (127.0.0.1 in tests and the demo). The other
    attributes are the fields of `SiteRules`.
    """

    default_base_url: str = ""
    list_paths: tuple[str, ...] = ()
    article_pattern: str = ""
    next_xpath: str | None = None
    page_template: str | None = None
    max_list_pages: int = 50
    authority: str = "official"

    def __init__(self, *args, base_url: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.base_url_arg = base_url

    def base_url_for(self, key: str, default: str) -> str:
        overrides = self.settings.getdict("ZONECRAWL_BASE_URLS") if hasattr(self, "settings") else {}
        return self.base_url_arg or overrides.get(key) or default

    def site_rules(self) -> list[SiteRules]:
        return [
            SiteRules(
                name=self.name,
                base_url=self.base_url_for(self.name, self.default_base_url),
                lists=list(self.list_paths),
                article=self.article_pattern,
                next_xpath=self.next_xpath,
                page_template=self.page_template,
                max_pages=self.max_list_pages,
                authority=self.authority,
            )
        ]

    @property
    def rules(self) -> dict[str, SiteRules]:
        """The spider's sites by name, read once (settings are only known once the spider is bound)."""
        if not hasattr(self, "_rules"):
            self._rules = {r.name: r for r in self.site_rules()}
        return self._rules

    def rules_of(self, response: Response) -> SiteRules:
        return self.rules[response.meta.get("site", self.name)]

    async def start(self) -> AsyncIterator[scrapy.Request]:
        for rules in self.rules.values():
            for url in rules.list_urls():
                yield self.list_request(url, rules, page=1, first=url)
            if rules.sitemap:
                yield scrapy.Request(
                    urljoin(rules.base_url, rules.sitemap.lstrip("/")),
                    callback=self.parse_sitemap,
                    errback=self.on_error,
                    dont_filter=True,
                    meta={"site": rules.name},
                    priority=10,
                )

    # List pages are always read again (new articles appear there), so they skip the duplicate
    # filter; the page number bounds the pagination instead.
    def list_request(
        self, url: str, rules: SiteRules, page: int, first: str, guessed: bool = False
    ) -> scrapy.Request:
        return scrapy.Request(
            url,
            callback=self.parse_list,
            errback=self.on_error,
            dont_filter=True,
            # `guessed`: a page URL made from a template, which may lie past the last page
            meta={"list_page": page, "first_list_url": first, "site": rules.name, "guessed": guessed},
            priority=10,  # read lists before articles, so a killed run has lost little
        )

    def article_request(self, url: str, rules: SiteRules, list_url: str) -> scrapy.Request:
        # The canonical URL (no session id, no tracking parameters): its variants are one request.
        return scrapy.Request(
            canonical_url(url),
            callback=self.parse_article,
            errback=self.on_error,
            meta={"article": True, "list_url": list_url, "site": rules.name},
        )

    def parse_list(self, response: Response) -> Iterable[scrapy.Request]:
        rules = self.rules_of(response)
        links = self.article_links(response, rules)
        for url in links:
            yield self.article_request(url, rules, response.url)
        page = response.meta.get("list_page", 1)
        nxt = self.next_page(response, rules, page, bool(links))
        if nxt and page < rules.max_pages:
            first = response.meta.get("first_list_url", response.url)
            yield self.list_request(nxt, rules, page + 1, first, guessed=not rules.next_xpath)

    def parse_sitemap(self, response: Response) -> Iterable[scrapy.Request]:
        rules = self.rules_of(response)
        for entry in Sitemap(response.body):
            url = entry.get("loc", "").strip()
            if url and rules.is_article(url):
                yield self.article_request(self.on_site(url, rules), rules, response.url)

    @staticmethod
    def on_site(url: str, rules: SiteRules) -> str:
        """A sitemap URL moved onto the host the spider crawls (the sitemap names the real host)."""
        parts = urlsplit(url)
        return urljoin(rules.base_url, parts.path.lstrip("/") + (f"?{parts.query}" if parts.query else ""))

    def article_links(self, response: Response, rules: SiteRules) -> list[str]:
        """Article URLs on a list page, in page order, each once, on the list page's host."""
        return list(dict.fromkeys(u for u in same_host_links(response) if rules.is_article(u)))

    def next_page(self, response: Response, rules: SiteRules, page: int, had_links: bool) -> str | None:
        if rules.next_xpath:
            href = response.xpath(rules.next_xpath).get()
            if not href or href.strip().lower().startswith("javascript"):
                return None
            url = response.urljoin(href.strip())
            return url if url != response.url else None
        if rules.page_template and had_links:  # an empty page ends a template-driven pagination
            first = response.meta.get("first_list_url", response.url)
            return urljoin(first, rules.page_template.format(n=page + 1, i=page))
        return None

    def parse_article(self, response: Response) -> Iterable[PageItem | scrapy.Request]:
        yield self.page_item(response, selected=self.selected(response, self.rules_of(response)))
        yield from self.attachment_requests(response)

    def parse_attachment(self, response: Response) -> Iterable[PageItem]:
        """An attachment as fetched; the pipeline reads it (tables, a PDF's text) into its document."""
        yield self.page_item(response, parent_url=response.meta.get("parent_url"))

    def page_item(
        self, response: Response, selected: dict[str, str] | None = None, parent_url: str | None = None
    ) -> PageItem:
        return PageItem(
            url=asked_url(response.request),
            final_url=response.url,
            status=response.status,
            headers=header_dict(response),
            body=response.body,
            fetched_at=utc_now(),
            spider=self.name,
            list_url=response.meta.get("list_url"),
            authority=self.rules_of(response).authority,
            charset_flags=list(response.meta.get("charset_flags", ())),
            selected=selected or {},
            parent_url=parent_url,
        )

    def attachment_requests(self, response: Response) -> Iterable[scrapy.Request]:
        """Requests for the attachments an article links to. They go through the incremental
        crawl like articles (`article` in meta), so a stored, unchanged one is not fetched again."""
        for url in attachment_links(response):
            yield scrapy.Request(
                url,
                callback=self.parse_attachment,
                errback=self.on_error,
                meta={
                    "article": True,
                    "parent_url": response.url,
                    "list_url": response.meta.get("list_url"),
                    "site": response.meta.get("site", self.name),
                },
            )

    def selected(self, response: Response, rules: SiteRules) -> dict[str, str]:
        """Text of the site's title/date/body selectors; a selector that finds nothing is left out."""
        out = {}
        for name, sel in rules.selectors.items():
            nodes = response.xpath(sel) if sel.lstrip().startswith(("/", "(")) else response.css(sel)
            if name == "body":
                # one paragraph per child element (p, div, tr ...), or the node's text when it has none
                paras = [" ".join(t.split()) for t in nodes.xpath("./*").xpath("string()").getall()]
                paras = paras or [" ".join(t.split()) for t in nodes.xpath("string()").getall()]
                text = "\n".join(p for p in paras if p)
            else:
                text = " ".join(" ".join(nodes.xpath("string()").getall()).split())
            if text:
                out[name] = text
        return out

    def on_error(self, failure: Failure) -> Iterable[FetchError]:
        """Every failed request becomes a FetchError item; the pipeline records it."""
        if isinstance(failure.value, UnchangedPage):
            return  # stored and unchanged: not an error
        exc = failure.value
        if isinstance(exc, HttpError) and exc.response.status == 404 and failure.request.meta.get("guessed"):
            return  # a guessed list page past the last one: the pagination simply ends
        kind, status, message = classify_failure(failure)
        yield FetchError(
            url=asked_url(failure.request),
            kind=kind,
            status=status,
            message=message,
            spider=self.name,
        )


def same_host_links(response: Response) -> Iterator[str]:
    """The canonical URL of each link of the page to its own host, in page order (canonical first:
    a session id in the path would hide an article pattern or a file's suffix). A link to the
    site under its other name (`https://zone.gov.cn/…` on `http://www.zone.gov.cn/`) is moved onto
    the page's host; the links of a list written into a script as data (Jcms) count too."""
    here = urlsplit(response.url)
    markup = readable_markup(response.text)
    page = response if markup is response.text else Selector(text=markup)
    for href in page.xpath("//a/@href").getall():
        url = response.urljoin(href.strip()).split("#", 1)[0]
        parts = urlsplit(url)
        if parts.netloc == here.netloc:
            yield canonical_url(url)
        elif parts.scheme in ("http", "https") and site_key(url) == site_key(response.url):
            yield canonical_url(urlunsplit((here.scheme, here.netloc, parts.path, parts.query, "")))


def attachment_links(response: Response) -> list[str]:
    """The spreadsheets and PDF bulletins a page links to on its own host, in page order, each once
    (another host's files are not this site's to fetch)."""
    suffix = ATTACHMENT_SUFFIXES
    return list(
        dict.fromkeys(u for u in same_host_links(response) if urlsplit(u).path.lower().endswith(suffix))
    )


def asked_url(request: scrapy.Request) -> str:
    """The URL the spider asked for, before any redirect: the key pages are stored under."""
    redirects = request.meta.get("redirect_urls")
    return redirects[0] if redirects else request.url


def header_dict(response: Response) -> dict[str, str]:
    """Response headers as a plain dict of str (the last value wins for repeated names)."""
    return {k.decode("latin-1"): v[-1].decode("latin-1") for k, v in response.headers.items() if v}
