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

from pathlib import Path
from urllib.parse import urlsplit

import yaml

from crawler.spiders.base import AUTHORITIES, SiteRules, ZoneSpider

BUNDLED_SITES = Path(__file__).resolve().parent.parent / "sites.yaml"
_KEYS = {
    "name", "base_url", "lists", "article", "next", "page_template", "max_pages", "selectors", "sitemap",
    "authority",
}  # fmt: skip


class SitesFileError(ValueError):
    """A sites file that cannot be used; the message names the entry and the problem."""


def load_sites(path: str | Path | None = None) -> list[dict]:
    """The portal entries of a sites file, checked; raises SitesFileError with a one-line reason."""
    path = Path(path or BUNDLED_SITES)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or []
    except (OSError, yaml.YAMLError) as e:
        raise SitesFileError(f"{path}: {' '.join(str(e).split())}") from None
    entries = data.get("sites", []) if isinstance(data, dict) else data
    if not isinstance(entries, list):
        raise SitesFileError(f"{path}: expected a list of sites")
    for i, entry in enumerate(entries):
        label = entry.get("name", f"entry {i + 1}") if isinstance(entry, dict) else f"entry {i + 1}"
        if not isinstance(entry, dict):
            raise SitesFileError(f"{path}: {label}: not a mapping")
        missing = [k for k in ("name", "base_url", "lists", "article") if not entry.get(k)]
        if missing:
            raise SitesFileError(f"{path}: {label}: missing {', '.join(missing)}")
        unknown = set(entry) - _KEYS
        if unknown:
            raise SitesFileError(f"{path}: {label}: unknown keys {', '.join(sorted(unknown))}")
        if urlsplit(str(entry["base_url"])).scheme not in ("http", "https"):
            raise SitesFileError(f"{path}: {label}: base_url must be an http(s) address")
        if entry.get("authority", "official") not in AUTHORITIES:
            raise SitesFileError(f"{path}: {label}: authority must be one of {', '.join(AUTHORITIES)}")
    return entries


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
                    lists=list(e["lists"]) if isinstance(e["lists"], list) else [e["lists"]],
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
