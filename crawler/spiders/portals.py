"""Zone portals described in YAML (crawler/sites.yaml, or `zonecrawl crawl --sites FILE`).

An entry needs a name, a base URL, list pages and an article-link regex; pagination is a next-link
XPath or a page URL template with max pages; title/date/body selectors and a sitemap are optional
(extractors.article reads what no selector names):

    - name: xa-gxq
      base_url: http://www.xdz.gov.cn/
      lists: [xwzx/gxxw/index.html]
      article: ^/xwzx/gxxw/\\d+\\.htm$
      page_template: index_{n}.html     # or  next: //a[text()="下一页"]/@href
      max_pages: 10
      selectors: {title: h1.title, date: "span.date", body: "div#content"}
      sitemap: sitemap.xml
      authority: official               # or association, mirror: whose word counts when pages disagree

ZONECRAWL_BASE_URLS[<entry name>] points an entry at another host; the spider argument `site=`
restricts a run to some entries (comma-separated), and `base_url=` points a single one elsewhere.
"""

from __future__ import annotations

import re
from importlib import resources
from pathlib import Path
from urllib.parse import urlsplit

import yaml
from cssselect import SelectorError
from parsel import Selector

from crawler.spiders.base import AUTHORITIES, SiteRules, ZoneSpider

# The bundled sites file, a resource of the crawler package: found in a zipped egg (Scrapyd) too.
BUNDLED_SITES = "sites.yaml"
_KEYS = {
    "name", "base_url", "lists", "article", "next", "page_template", "max_pages", "selectors", "sitemap",
    "authority",
}  # fmt: skip
SELECTOR_NAMES = ("title", "date", "body")


class SitesFileError(ValueError):
    """A sites file that cannot be used; the message names the entry and the problem."""


def load_sites(path: str | Path | None = None) -> list[dict]:
    """The portal entries of a sites file, checked; raises SitesFileError with a one-line reason."""
    path = Path(path) if path else resources.files("crawler").joinpath(BUNDLED_SITES)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or []
    except (OSError, yaml.YAMLError) as e:
        raise SitesFileError(f"{path}: {' '.join(str(e).split())}") from None
    entries = data.get("sites", []) if isinstance(data, dict) else data
    if not isinstance(entries, list):
        raise SitesFileError(f"{path}: expected a list of sites")
    seen: set[str] = set()
    for i, entry in enumerate(entries):
        label = entry.get("name", f"entry {i + 1}") if isinstance(entry, dict) else f"entry {i + 1}"
        problem = _entry_problem(entry)
        if not problem and entry["name"] in seen:
            problem = "a second entry of that name"
        if problem:
            raise SitesFileError(f"{path}: {label}: {problem}")
        seen.add(entry["name"])
    return entries


def _entry_problem(entry) -> str | None:
    """What is wrong with one sites entry, in a few words; None when it can be crawled."""
    if not isinstance(entry, dict):
        return "not a mapping"
    missing = [k for k in ("name", "base_url", "lists", "article") if not entry.get(k)]
    if missing:
        return f"missing {', '.join(missing)}"
    unknown = set(entry) - _KEYS
    if unknown:
        return f"unknown keys {', '.join(sorted(map(str, unknown)))}"
    for key in ("name", "base_url", "article", "next", "page_template", "sitemap"):
        if key in entry and not isinstance(entry[key], str):
            return f"{key} must be a string, not {_type_name(entry[key])}"
    if urlsplit(entry["base_url"]).scheme not in ("http", "https"):
        return "base_url must be an http(s) address"
    if not isinstance(entry["lists"], list) or not all(isinstance(p, str) and p for p in entry["lists"]):
        return "lists must be a list of paths, e.g. [news/index.html]"
    max_pages = entry.get("max_pages", 20)
    if not isinstance(max_pages, int) or isinstance(max_pages, bool) or max_pages < 1:
        return f"max_pages must be a whole number of 1 or more, not {max_pages!r}"
    if entry.get("authority", "official") not in AUTHORITIES:
        return f"authority must be one of {', '.join(AUTHORITIES)}"
    return _pattern_problem(entry) or _selectors_problem(entry)


def _pattern_problem(entry: dict) -> str | None:
    """The article regex compiles, the page template has a page number, the next XPath parses."""
    try:
        re.compile(entry["article"])
    except re.error as e:
        return f"article is not a valid regular expression: {e}"
    template = entry.get("page_template")
    if template is not None:
        try:
            if template.format(n=2, i=1) == template:
                return "page_template must contain {n} or {i}"
        except (KeyError, IndexError, ValueError) as e:
            return f"page_template: only {{n}} and {{i}} may be used ({type(e).__name__}: {e})"
    if entry.get("next"):
        return _selector_problem("next", entry["next"], xpath=True)
    return None


def _selectors_problem(entry: dict) -> str | None:
    selectors = entry.get("selectors") or {}
    if not isinstance(selectors, dict):
        return "selectors must be a mapping of title, date, body to CSS or XPath"
    for name, sel in selectors.items():
        if name not in SELECTOR_NAMES:
            return f"selectors: unknown field {name!r} (known: {', '.join(SELECTOR_NAMES)})"
        if not isinstance(sel, str) or not sel.strip():
            return f"selectors: {name} must be a CSS or XPath string"
        problem = _selector_problem(f"selectors: {name}", sel, xpath=sel.lstrip().startswith(("/", "(")))
        if problem:
            return problem
    return None


def _selector_problem(label: str, selector: str, xpath: bool) -> str | None:
    """A CSS or XPath expression that does not parse (as the spider will read it)."""
    probe = Selector(text="<html><body></body></html>")
    try:
        probe.xpath(selector) if xpath else probe.css(selector)
    except (ValueError, SelectorError) as e:  # cssselect and lxml errors
        kind = "XPath" if xpath else "CSS selector"
        return f"{label}: not a valid {kind}: {selector!r} ({' '.join(str(e).split())[:80]})"
    return None


def _type_name(value) -> str:
    return {list: "a list", dict: "a mapping", int: "a number", float: "a number", bool: "true/false"}.get(
        type(value), type(value).__name__
    )


class PortalSpider(ZoneSpider):
    name = "portals"

    def __init__(self, *args, site: str | None = None, sites_file: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.only = set(site.split(",")) if site else None
        self.sites_file = sites_file

    def site_rules(self) -> list[SiteRules]:
        path = self.sites_file or self.settings.get("ZONECRAWL_SITES_FILE")
        overrides = self.settings.getdict("ZONECRAWL_BASE_URLS")
        entries = [e for e in load_sites(path) if not self.only or e["name"] in self.only]
        if self.base_url_arg and len(entries) == 1:  # base_url= points a single portal elsewhere
            overrides = {**overrides, entries[0]["name"]: self.base_url_arg}
        rules = []
        for e in entries:
            rules.append(
                SiteRules(
                    name=e["name"],
                    base_url=overrides.get(e["name"]) or e["base_url"],
                    lists=list(e["lists"]),
                    article=e["article"],
                    next_xpath=e.get("next"),
                    page_template=e.get("page_template"),
                    max_pages=int(e.get("max_pages", 20)),
                    selectors=dict(e.get("selectors") or {}),
                    sitemap=e.get("sitemap"),
                    authority=e.get("authority", "official"),
                )
            )
        return rules
