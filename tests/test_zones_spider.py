"""`zonecrawl crawl zones --zone ID`: registry portals crawled through discovery, on the CMS
fixture sites served on 127.0.0.1."""

from __future__ import annotations

import json
import subprocess
import sys
from urllib.parse import urlsplit

import pytest
from cmssites import CMS_DIR, article_paths
from conftest import ROOT
from localcrawl import FAST, query

from crawler.localsites import LocalSites
from crawler.spiders.zones import registry_websites, zones_problem

REGISTRY = (
    "id\tname\twebsite\twebsite_source\n"
    "trs\t东湖高新区\thttp://www.trs.example/\tfixture\n"
    "hanweb\t杭州高新区\thttp://www.hanweb.example/index.html\tfixture\n"
    "dede\t株洲高新区\thttp://www.dede.example/\tfixture\n"
    "nosite\t某高新区\t\t\n"
)


@pytest.fixture()
def registry(tmp_path):
    path = tmp_path / "zones.tsv"
    path.write_text(REGISTRY, encoding="utf-8")
    return path


def test_only_zones_with_a_website_can_be_asked_for(registry):
    assert list(registry_websites(registry)) == ["trs", "hanweb", "dede"]
    assert zones_problem(["trs", "dede"], registry) is None
    assert "no website in the registry for zone nosite, xx" in zones_problem(["nosite", "xx"], registry)


def zonecrawl(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "crawler.cli", *args], cwd=ROOT, capture_output=True, text=True, timeout=240
    )


@pytest.mark.slow
def test_crawl_zones_discovers_each_portal_stores_its_articles_and_records_what_it_found(registry, tmp_path):
    db, archive = tmp_path / "zones.db", tmp_path / "archive"
    with LocalSites(CMS_DIR, names=["trs", "hanweb", "dede"], fixed_ports=False) as sites:
        settings = {
            **FAST,
            "ZONECRAWL_ZONES_FILE": str(registry),
            "ZONECRAWL_BASE_URLS": json.dumps(sites.base_urls),
        }
        args = ["crawl", "--zone", "trs", "--zone", "hanweb", "--db", str(db), "--archive", str(archive)]
        args += [a for k, v in settings.items() for a in ("-s", f"{k}={v}")]
        first = zonecrawl(*args)
        ports = {urlsplit(u).port: name for name, u in sites.base_urls.items()}
        documents = query(db, "select count(*) from documents")[0][0]
        second = zonecrawl(*args)
    assert first.returncode == 0, first.stdout + first.stderr[-2000:]
    stored: dict[str, set[str]] = {}
    for (url,) in query(db, "select url from documents"):
        parts = urlsplit(url)
        stored.setdefault(ports[parts.port], set()).add(parts.path)
    assert set(stored) == {"trs", "hanweb"}  # dede was not asked for
    for zone, paths in stored.items():
        assert paths == article_paths(zone), zone
    (stats,) = query(db, "select stats from runs where id = 1")[0]
    found = json.loads(json.loads(stats)["spiders"]["zones"]["zonecrawl/discovered/trs"])
    assert [c["kind"] for c in found["columns"]] == ["news", "notice", "policy", "stats"]
    assert found["page_template"] == "index_{i}.html" and "t\\d+_\\d+" in found["article"]
    assert second.returncode == 0 and "0 documents saved" in second.stdout
    assert query(db, "select count(*) from documents")[0][0] == documents


def test_an_unknown_zone_is_refused_before_the_crawl(registry, tmp_path):
    out = zonecrawl(
        "crawl", "--zone", "nosite", "-s", f"ZONECRAWL_ZONES_FILE={registry}", "--db", str(tmp_path / "z.db")
    )
    assert out.returncode == 2 and "no website in the registry for zone nosite" in out.stderr
