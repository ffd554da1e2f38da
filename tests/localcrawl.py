"""Running `zonecrawl crawl` against the bundled sites served on 127.0.0.1, in a subprocess
(Twisted's reactor cannot be restarted inside one test process)."""

from __future__ import annotations

import json
import re
import sqlite3
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from conftest import ROOT

from crawler.localsites import SITES_DIR, LocalSites
from crawler.spiders.achie import AchieSpider
from crawler.spiders.chinatorch import ChinatorchSpider
from crawler.spiders.hnkfq import HnkfqSpider
from crawler.spiders.portals import load_sites
from extractors.attachments import ATTACHMENT_SUFFIXES

# Fast, but the same pipeline: only the waits are shortened.
FAST = {
    "DOWNLOAD_DELAY": "0",
    "AUTOTHROTTLE_ENABLED": "False",
    "RETRY_BACKOFF_BASE": "0.01",
    "DOWNLOAD_TIMEOUT": "10",
    "LOG_LEVEL": "WARNING",
    "ZONECRAWL_ALLOW_PRIVATE_ADDRESSES": "True",  # the test sites are served on 127.0.0.1
}


def crawl_command(sites: LocalSites, db: Path, archive: Path, **settings: str) -> list[str]:
    merged = {**FAST, **settings, "ZONECRAWL_BASE_URLS": json.dumps(sites.base_urls)}
    cmd = [sys.executable, "-m", "crawler.cli", "crawl", "--db", str(db), "--archive", str(archive)]
    for k, v in merged.items():
        cmd += ["-s", f"{k}={v}"]
    return cmd


def crawl(sites: LocalSites, db: Path, archive: Path, **settings: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        crawl_command(sites, db, archive, **settings), cwd=ROOT, capture_output=True, text=True, timeout=180
    )


def served_articles() -> dict[str, set[str]]:
    """Per site folder, the article paths on disk that its spider's article pattern accepts."""
    patterns = {
        "achie": AchieSpider.article_pattern,
        "hnkfq": HnkfqSpider.article_pattern,
        "chinatorch": ChinatorchSpider.article_pattern,
        "cshtz": next(e["article"] for e in load_sites() if e["name"] == "cshtz"),
    }
    out = {}
    for site, pattern in patterns.items():
        root = SITES_DIR / site
        paths = {
            "/" + p.relative_to(root).as_posix() for p in root.rglob("*") if p.suffix in (".html", ".shtml")
        }
        out[site] = {p for p in paths if re.search(pattern, p)}
    return out


def served_attachments() -> dict[str, set[str]]:
    """Per site folder, the attachment files on disk (.xlsx, .xls, .csv, .pdf): articles link to each."""
    out = {}
    for site in served_articles():
        root = SITES_DIR / site
        out[site] = {
            "/" + p.relative_to(root).as_posix() for p in root.rglob("*") if p.suffix in ATTACHMENT_SUFFIXES
        }
    return out


def expected_documents() -> int:
    """How many documents a full crawl stores: every article page but the empty one (unreadable),
    and every attachment an article links to."""
    served = served_articles()
    pages = sum(
        1 for site, paths in served.items() for p in paths if (SITES_DIR / site / p[1:]).stat().st_size
    )
    return pages + sum(len(paths) for paths in served_attachments().values())


def query(db: Path, sql: str, params: tuple = ()) -> list[tuple]:
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as con:
        return con.execute(sql, params).fetchall()


# --- one small news site served by the test itself

ARTICLE = "<html><head><title>{t}</title></head><body><h1>{t}</h1><p>{t}。2022年，园区实现营业收入100亿元。</p></body></html>"


def serve_pages(
    pages: dict[str, tuple[int, dict, str]], hits: list[str] | None = None
) -> ThreadingHTTPServer:
    """Serve PAGES ({path: (status, headers, body)}) on a free port of 127.0.0.1 until `shutdown()`;
    other paths are 404s. Each path asked for is appended to HITS. PAGES may change while served."""

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802
            if hits is not None:
                hits.append(self.path)
            status, headers, body = pages.get(self.path, (404, {}, "not found"))
            data = body.encode("utf-8")
            self.send_response(status)
            for k, v in {"Content-Type": "text/html; charset=utf-8", **headers}.items():
                self.send_header(k, v)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def crawl_news_site(
    tmp_path: Path, base: str, db: Path, archive: Path, **settings: str
) -> subprocess.CompletedProcess:
    """`zonecrawl crawl portals` of one site at BASE: list page news/list.html, articles /news/N.html."""
    sites = tmp_path / "sites.yaml"
    sites.write_text(
        f"- name: t\n  base_url: {base}\n  lists: [news/list.html]\n  article: ^/news/\\d+\\.html$\n", "utf-8"
    )
    cmd = [sys.executable, "-m", "crawler.cli", "crawl", "portals", "--sites", str(sites)]
    cmd += ["--db", str(db), "--archive", str(archive)]
    for k, v in {**FAST, **settings}.items():
        cmd += ["-s", f"{k}={v}"]
    return subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=120)
