"""The demo's discovery part: two CMS fixture portals (tests/fixtures/cms/) crawled by the `zones`
spider, which finds their columns, article pattern and pagination by itself, as it would on a
registry zone's real portal. crawler.demo serves them beside the bundled sites and reports here
what discovery found and what it stored."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from crawler.localsites import LocalSites

CMS_DIR = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "cms"
# TRS WCM (paginated only by a createPageHTML script call) and DedeCMS (GBK, list_N_M.html pages)
DEMO_PORTALS = ("trs", "dede")
REGISTRY = CMS_DIR / "zones.tsv"  # these portals as registry rows (made by make_sites.py)
PORT_OFFSET = 20  # with --first-port P the portals are served from P + 20 up


def portal_sites() -> LocalSites:
    """The demo portals, on their fixed ports (8761 up), not started."""
    return LocalSites(CMS_DIR, names=list(DEMO_PORTALS))


def zones_settings() -> dict[str, str]:
    """The settings that point the `zones` spider at the demo portals' registry."""
    return {"ZONECRAWL_ZONES_FILE": str(REGISTRY), "ZONECRAWL_ZONES": ",".join(DEMO_PORTALS)}


def discovery_lines(db: Path, run_id: int, base_urls: dict[str, str]) -> list[str]:
    """Per demo portal: the columns, article pattern and pagination discovery found this run, and
    the documents and metrics stored from the portal."""
    lines = ["", "portals found by discovery (zonecrawl crawl zones):"]
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as con:
        (stats,) = con.execute("select stats from runs where id = ?", [run_id]).fetchone() or ("{}",)
        spider = json.loads(stats or "{}").get("spiders", {}).get("zones", {})
        for zone in DEMO_PORTALS:
            found = json.loads(spider.get(f"zonecrawl/discovered/{zone}") or "null")
            base = base_urls.get(zone, "")
            documents, metrics = con.execute(
                "select count(distinct d.id), count(m.id) from documents d"
                " left join metrics m on m.document_id = d.id where d.url like ? || '%'",
                [base],
            ).fetchone()
            if not found:
                lines.append(f"  {zone} ({base}): not discovered this run")
                continue
            columns = ", ".join(c["name"] for c in found["columns"]) or "none"
            paging = found["page_template"] or (f"next link {found['next']}" if found["next"] else "one page")
            lines += [
                f"  {zone} ({base}): columns {columns}; paging {paging}",
                f"    articles {found['article']}",
                f"    {documents} documents, {metrics} metrics stored from it",
            ]
    return lines
