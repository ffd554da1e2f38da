"""`make test-browser`: `zonecrawl serve` in headless Chromium, checked as a person would read it.

Needs the Debian `chromium` package (the make target installs it), so plain `make test` skips this
file. The pages are loaded with --dump-dom after their scripts have run (a virtual-time budget),
and the series chart is saved as a screenshot under build/browser/.
"""

from __future__ import annotations

import html
import os
import re
import shutil
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import quote

import pytest

if not os.environ.get("ZONECRAWL_BROWSER"):
    pytest.skip("browser test: run `make test-browser`", allow_module_level=True)

import handmade  # noqa: E402

from crawler.store import Store  # noqa: E402

HOST = "127.0.0.1"
ROOT = Path(__file__).resolve().parents[2]
SHOTS = ROOT / "build" / "browser"
CHROMIUM_FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip
SCRIPT_TIME_MS = 10000  # virtual time for the page's scripts (the chart fetches its rows, then draws)


def _chromium() -> str:
    for name in ("chromium", "chromium-browser"):
        if path := shutil.which(name):
            return path
    pytest.fail("chromium is not installed: `make test-browser` installs it (apt-get install chromium)")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def db(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("browser") / "zones.db"
    with Store(path) as store:
        handmade.fill(store)
    return path


@pytest.fixture(scope="module")
def site(db) -> str:
    """`zonecrawl serve` on a free port; yields its base URL."""
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "crawler.cli", "serve", "--db", str(db), "-p", str(port)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    base = f"http://{HOST}:{port}"
    try:
        for _ in range(150):
            try:
                urllib.request.urlopen(base + "/-/versions.json", timeout=2).close()
                break
            except OSError:
                time.sleep(0.1)
        else:
            pytest.fail("zonecrawl serve did not start")
        yield base
    finally:
        server.terminate()
        server.wait(timeout=10)


def _browse(url: str, tmp_path: Path, *extra: str) -> str:
    """URL as headless Chromium renders it (stdout: the DOM with --dump-dom)."""
    args = [_chromium(), *CHROMIUM_FLAGS, f"--user-data-dir={tmp_path / 'chromium'}"]
    args += [f"--virtual-time-budget={SCRIPT_TIME_MS}", *extra, url]
    done = subprocess.run(args, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


def _dom(url: str, tmp_path: Path) -> str:
    return _browse(url, tmp_path, "--dump-dom")


def _text(dom: str) -> str:
    """The page's visible text, roughly: tags and scripts dropped, entities decoded."""
    dom = re.sub(r"<(script|style)\b.*?</\1>", " ", dom, flags=re.S)
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", dom)))


def _count(db: Path, sql: str, params=()) -> int:
    with sqlite3.connect(db) as conn:
        return conn.execute(sql, params).fetchone()[0]


def test_home_page(site, tmp_path):
    text = _text(_dom(site + "/", tmp_path))
    assert "zonecrawl" in text
    assert "Source sites' terms" in text  # the data licence, not the code's
    assert "zones" in text and "documents" in text and "metrics" in text


def test_metrics_table_with_descriptions_and_facets(site, db, tmp_path):
    text = _text(_dom(site + "/zones/metrics", tmp_path))
    n = _count(db, "select count(*) from metrics")
    assert f"{n} rows" in text
    assert "One row per figure (mention) in a document" in text  # the table's description
    assert "indicator" in text and "high_tech_enterprises" in text  # the facet and its values
    assert "高新技术企业" in text


def test_a_facet_narrows_the_table(site, db, tmp_path):
    text = _text(_dom(site + "/zones/metrics?indicator=high_tech_enterprises", tmp_path))
    n = _count(db, "select count(*) from metrics where indicator = 'high_tech_enterprises'")
    assert n > 0 and f'{n} row{"s" if n != 1 else ""} where indicator = "high_tech_enterprises"' in text
    assert "营业收入" not in text  # revenue figures are filtered out


def test_two_character_search(site, db, tmp_path):
    dom = _dom(site + "/zones/documents?_search=" + quote("麓谷"), tmp_path)
    text = _text(dom)
    titles = [
        row[0]
        for row in sqlite3.connect(db).execute(
            "select title from documents where title like '%麓谷%' or body like '%麓谷%'"
        )
    ]
    assert titles
    n = len(titles)
    assert f'{n} row{"s" if n != 1 else ""} where search matches "麓谷"' in text
    assert all(t in text for t in titles)
    assert 'value="麓谷"' in dom  # the search box still holds the words


def test_series_chart(site, tmp_path):
    # Follow the link the query's description offers, as a person would.
    query_page = _dom(site + "/zones/zone_chart?zone=changsha&indicator=", tmp_path)
    link = re.search(r'<a href="(zone_chart\?[^"]*#g\.[^"]*)"', query_page)
    assert link, "the zone_chart description links to a chart"
    url = f"{site}/zones/" + html.unescape(link.group(1))
    dom = _dom(url, tmp_path)
    assert "Charting options" in _text(dom)
    assert re.search(r'<canvas[^>]*class="marks"', dom), "the chart was drawn"
    assert "high_tech_enterprises level stock" in _text(query_page)
    SHOTS.mkdir(parents=True, exist_ok=True)
    shot = SHOTS / "zone_chart.png"
    shot.unlink(missing_ok=True)
    _browse(url, tmp_path, f"--screenshot={shot}", "--window-size=1280,1000", "--hide-scrollbars")
    assert _chart_drawn(shot)


def _chart_drawn(png: Path) -> bool:
    """Whether the screenshot shows a drawn line where the chart sits (below the charting options,
    on the left): the series colour (light blue), which nothing else there has."""
    from PIL import Image

    image = Image.open(png).convert("RGB")
    width, height = image.size
    chart = image.crop((0, int(height * 0.72), int(width * 0.35), height))
    colours = chart.getcolors(maxcolors=width * height) or []
    blue = sum(n for n, (r, g, b) in colours if b > 150 and r < 120 and b - r > 60)
    return blue > 30
