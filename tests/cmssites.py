"""The CMS fixture sites (tests/fixtures/cms/, made by its make_sites.py): their manifests, and a
walk of a sites.yaml entry over a served site the way the portals spider walks it."""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import urljoin, urlsplit

from parsel import Selector

from crawler.discover import Fetch, decode_html, page_links, path_and_query, sitemap_urls
from crawler.spiders.base import SiteRules, ZoneSpider

CMS_DIR = Path(__file__).resolve().parent / "fixtures" / "cms"
FAMILIES = ("trs", "hanweb", "jiyue", "dede", "phpcms", "jcms", "aspnet", "gkml", "shtml")


def manifest(family: str) -> dict:
    return json.loads((CMS_DIR / family / "manifest.json").read_text(encoding="utf-8"))


def article_paths(family: str) -> set[str]:
    """Path and query of every article of the site's news, notice, policy and statistics columns."""
    return {p for paths in manifest(family)["articles"].values() for p in paths}


def rules_of(entry: dict) -> SiteRules:
    return SiteRules(
        name=entry["name"],
        base_url=entry["base_url"],
        lists=entry["lists"],
        article=entry["article"],
        next_xpath=entry.get("next"),
        page_template=entry.get("page_template"),
        max_pages=entry.get("max_pages", 20),
        sitemap=entry.get("sitemap"),
    )


def walk(entry: dict, fetch: Fetch) -> set[str]:
    """The article pages (path and query) a crawl with ENTRY reaches: each list followed by its
    next link or page template as ZoneSpider does, plus the sitemap's articles."""
    rules = rules_of(entry)
    found: set[str] = set()
    for first in rules.list_urls():
        url: str | None = first
        page = 1
        while url and page <= rules.max_pages:
            got = fetch(url)
            if not got:
                break
            html = decode_html(*got)
            links = {
                link.url
                for link in page_links(html, url)
                if urlsplit(link.url).netloc == urlsplit(url).netloc and rules.is_article(link.url)
            }
            found |= {path_and_query(u) for u in links}
            url = _next(rules, html, url, first, page, bool(links))
            page += 1
    if rules.sitemap:
        got = fetch(urljoin(rules.base_url, rules.sitemap))
        for loc in sitemap_urls(got[0]) if got else []:
            if rules.is_article(loc):
                found.add(path_and_query(ZoneSpider.on_site(loc, rules)))
    return found


def _next(rules: SiteRules, html: str, url: str, first: str, page: int, had_links: bool) -> str | None:
    if rules.next_xpath:
        href = Selector(text=html).xpath(rules.next_xpath).get()
        return urljoin(url, href.strip()) if href else None
    if rules.page_template and had_links:
        return urljoin(first, rules.page_template.format(n=page + 1, i=page))
    return None
