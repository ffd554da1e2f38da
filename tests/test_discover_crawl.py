"""The entries `zonecrawl discover` prints for the CMS fixture sites, crawled by the real portals
spider: the articles of every column are stored, no menu, login or search page is, and a second
run adds nothing."""

from __future__ import annotations

import subprocess
import sys
from urllib.parse import urlsplit

import pytest
from cmssites import CMS_DIR, FAMILIES, article_paths, manifest
from conftest import ROOT
from localcrawl import FAST, query

from crawler.localsites import LocalSites

pytestmark = pytest.mark.slow


def zonecrawl(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "crawler.cli", *args], cwd=ROOT, capture_output=True, text=True, timeout=240
    )


@pytest.fixture(scope="module")
def crawled(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("discovered")
    db, archive, sites_file = tmp / "zones.db", tmp / "archive", tmp / "sites.yaml"
    settings = [arg for k, v in FAST.items() for arg in ("-s", f"{k}={v}")]
    with LocalSites(CMS_DIR, fixed_ports=False) as sites:
        entries = []
        for family in FAMILIES:
            out = zonecrawl(
                "discover", sites.base_urls[family], "--name", family, "--delay", "0", "--allow-private"
            )
            assert out.returncode == 0, out.stderr
            entries.append(out.stdout)
        sites_file.write_text("".join(entries), encoding="utf-8")
        run = ["crawl", "portals", "--sites", str(sites_file), "--db", str(db), "--archive", str(archive)]
        first = zonecrawl(*run, *settings)
        documents = query(db, "select count(*) from documents")[0][0]
        second = zonecrawl(*run, *settings)
        ports = {urlsplit(u).port: f for f, u in sites.base_urls.items()}
    return dict(db=db, first=first, second=second, documents=documents, ports=ports)


def stored(crawled) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {f: set() for f in FAMILIES}
    for (url,) in query(crawled["db"], "select url from documents"):
        parts = urlsplit(url)
        out[crawled["ports"][parts.port]].add(parts.path + (f"?{parts.query}" if parts.query else ""))
    return out


def test_the_portals_spider_stores_the_discovered_articles_and_nothing_else(crawled):
    assert crawled["first"].returncode == 0, crawled["first"].stdout + crawled["first"].stderr[-2000:]
    for family, paths in stored(crawled).items():
        expected = article_paths(family)
        assert len(paths & expected) >= 0.95 * len(expected), family
        assert paths <= expected, f"{family}: {sorted(paths - expected)[:3]}"
        assert not paths & set(manifest(family)["not_articles"].values())
    everything = stored(crawled)
    assert set(manifest("jcms")["articles"]["news"]) <= everything["jcms"]  # 15 of 60 from dataproxy.jsp
    assert everything["aspnet"] == article_paths("aspnet") - set(manifest("aspnet")["unreachable"])
    titles = {t for (t,) in query(crawled["db"], "select title from documents")}
    assert "2023年1-6月株洲高新区主要经济指标" in titles  # a GBK (DedeCMS) page, read correctly


def test_the_discovered_documents_carry_metrics_and_a_second_run_adds_nothing(crawled):
    assert query(crawled["db"], "select count(*) from metrics")[0][0] >= 300
    assert crawled["second"].returncode == 0
    assert query(crawled["db"], "select count(*) from documents")[0][0] == crawled["documents"]
    assert "0 documents saved" in crawled["second"].stdout
