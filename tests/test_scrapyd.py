"""The project under Scrapyd: deployed with `scrapyd-deploy` to a Scrapyd started on 127.0.0.1, two
jobs scheduled together against the bundled sites write their documents, runs and WARC archive into
one store, as the README's "Across machines" steps do."""

from __future__ import annotations

import json
import os
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from conftest import ROOT
from localcrawl import FAST, served_articles

from crawler.localsites import LocalSites

pytestmark = pytest.mark.slow

# Processes that open one new database at the same moment, as two Scrapyd jobs do on a node's first run.
OPEN_TOGETHER = """
import sys, time
from crawler.store import Store
start = float(sys.argv[2])
while time.time() < start:
    pass
with Store(sys.argv[1]) as store:
    store.finish_run(store.start_run(["achie"], {}), {}, "finished")
"""

SCRAPYD_CONF = """[scrapyd]
bind_address = 127.0.0.1
http_port = {port}
poll_interval = 0.2
max_proc = 4
eggs_dir = {root}/eggs
logs_dir = {root}/logs
dbs_dir = {root}/dbs
items_dir =
"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str) -> dict:
    with urllib.request.urlopen(url, timeout=10) as r:
        return json.load(r)


def _post(url: str, fields: list[tuple[str, str]]) -> dict:
    data = urllib.parse.urlencode(fields).encode("utf-8")
    with urllib.request.urlopen(url, data=data, timeout=10) as r:
        return json.load(r)


@pytest.fixture
def scrapyd(tmp_path):
    """A Scrapyd on a free port of 127.0.0.1, its eggs, logs and queues under a temporary folder
    (its working folder too, so jobs import the project from the deployed egg only)."""
    pytest.importorskip("scrapyd", reason="scrapyd is not installed (pip install 'zonecrawl[scrapyd]')")
    pytest.importorskip("scrapyd_client", reason="scrapyd-client is not installed")
    home = tmp_path / "scrapyd"
    home.mkdir()
    port = _free_port()
    (home / "scrapyd.conf").write_text(SCRAPYD_CONF.format(port=port, root=home), encoding="utf-8")
    log = open(home / "scrapyd.out", "wb")  # noqa: SIM115 (closed below, after the process)
    proc = subprocess.Popen([sys.executable, "-m", "scrapyd"], cwd=home, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}/"
    try:
        for _ in range(150):
            try:
                if _get(url + "daemonstatus.json")["status"] == "ok":
                    break
            except OSError:
                time.sleep(0.2)
        else:
            pytest.fail(
                "scrapyd did not start: " + (home / "scrapyd.out").read_text(errors="replace")[-2000:]
            )
        yield url, home
    finally:
        proc.terminate()
        proc.wait(timeout=30)
        log.close()


def _deploy(url: str) -> None:
    """`scrapyd-deploy node` with SCRAPYD_URL, as for any Scrapyd other than the local one."""
    deploy = Path(sys.executable).with_name("scrapyd-deploy")
    env = {**os.environ, "SCRAPYD_URL": url}
    done = subprocess.run(
        [str(deploy), "node"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=180
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert '"status": "ok"' in done.stdout, done.stdout + done.stderr
    assert _get(url + "listprojects.json")["projects"] == ["zonecrawl"]


def _wait_for(url: str, jobs: list[str], timeout: float = 240) -> dict:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        listing = _get(url + "listjobs.json?project=zonecrawl")
        finished = {j["id"]: j for j in listing["finished"]}
        if all(j in finished for j in jobs):
            return finished
        time.sleep(0.5)
    pytest.fail(f"jobs not finished after {timeout} s: {listing}")


def test_two_scrapyd_jobs_write_one_store(scrapyd, tmp_path):
    url, home = scrapyd
    _deploy(url)
    spiders = _get(url + "listspiders.json?project=zonecrawl")["spiders"]
    assert {"achie", "portals"} <= set(spiders)

    db, archive = tmp_path / "node" / "zones.db", tmp_path / "node" / "archive"
    with LocalSites() as sites:
        settings = {
            **FAST,
            "LOG_LEVEL": "INFO",  # the job log tells how the spider closed
            "ZONECRAWL_DB": str(db),
            "ZONECRAWL_ARCHIVE": str(archive),
            "ZONECRAWL_ALLOW_PRIVATE_ADDRESSES": "1",
            "ZONECRAWL_BASE_URLS": json.dumps(sites.base_urls),
        }
        fields = [("project", "zonecrawl")] + [("setting", f"{k}={v}") for k, v in settings.items()]
        # started together: both write the same database and archive
        jobs = [
            _post(url + "schedule.json", [*fields, ("spider", "achie")])["jobid"],
            _post(url + "schedule.json", [*fields, ("spider", "portals"), ("site", "cshtz")])["jobid"],
        ]
        _wait_for(url, jobs)

    logs = {j: next((home / "logs").rglob(f"{j}.log")).read_text(errors="replace") for j in jobs}
    for text in logs.values():
        assert "Traceback" not in text and "database is locked" not in text, text[-3000:]
        assert "Spider closed (finished)" in text, text[-3000:]

    served = served_articles()
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as con:
        urls = {u for (u,) in con.execute("select url from documents")}
        runs = con.execute("select spiders, status from runs order by id").fetchall()
        metrics = con.execute("select count(*) from metrics").fetchone()[0]
        zones = con.execute("select count(*) from zones").fetchone()[0]
    for site, base in (("achie", sites.base_urls["achie"]), ("cshtz", sites.base_urls["cshtz"])):
        found = {u.removeprefix(base.rstrip("/")) for u in urls if u.startswith(base)}
        assert found and found <= served[site], site
    assert metrics > 0
    assert zones > 100  # the zone registry was read from inside the egg
    assert sorted(s for s, _ in runs) == sorted([json.dumps(["achie"]), json.dumps(["portals"])])
    assert all(status != "running" for _, status in runs)  # each job closed its run
    assert list(archive.rglob("*.warc*")), "the jobs wrote no WARC archive"


# Run from the egg alone: every data file (sites, zone registry, places, indicators, Datasette
# metadata) must come out of the zip, where no module has a folder of its own.
FROM_EGG = """
import sys
sys.path.insert(0, sys.argv[1])
import crawler, extractors
assert ".egg" in crawler.__file__ and ".egg" in extractors.__file__, (crawler.__file__, extractors.__file__)
from crawler.serve import bundled_metadata
from crawler.spiders.portals import load_sites
from extractors.metrics import extract_metrics
from extractors.records import Document
from extractors.zones import registry
doc = Document(doc="d", body="2024年,长沙高新区技术合同交易额120亿元。")
metric = extract_metrics(doc)[0]
print(len(registry()), len(load_sites()), metric["zone_id"], metric["indicator"], bool(bundled_metadata()))
"""


def test_the_egg_reads_its_data_files_from_inside_the_zip(tmp_path):
    pytest.importorskip("scrapyd_client", reason="scrapyd-client is not installed")
    egg = tmp_path / "zonecrawl.egg"
    deploy = Path(sys.executable).with_name("scrapyd-deploy")
    built = subprocess.run(
        [str(deploy), "--build-egg", str(egg)], cwd=ROOT, capture_output=True, text=True, timeout=180
    )
    assert built.returncode == 0, built.stderr
    run = subprocess.run(
        [sys.executable, "-c", FROM_EGG, str(egg)], cwd=tmp_path, capture_output=True, text=True, timeout=120
    )
    assert run.returncode == 0, run.stderr
    zones, sites, zone_id, indicator, metadata = run.stdout.split()
    assert int(zones) > 100 and int(sites) >= 1
    assert zone_id != "None" and indicator != "None" and metadata == "True"


def test_processes_opening_a_new_database_together_all_get_it(tmp_path):
    for attempt in range(3):
        db = tmp_path / f"new{attempt}" / "zones.db"
        start = time.time() + 1.0
        procs = [
            subprocess.Popen(
                [sys.executable, "-c", OPEN_TOGETHER, str(db), str(start)],
                cwd=ROOT,
                stderr=subprocess.PIPE,
                text=True,
            )
            for _ in range(4)
        ]
        errors = [p.communicate(timeout=120)[1] for p in procs]
        assert [p.returncode for p in procs] == [0] * 4, "\n".join(errors)
        with sqlite3.connect(db) as con:
            assert con.execute("select count(*), min(status) from runs").fetchone() == (4, "finished")
            assert con.execute("pragma journal_mode").fetchone() == ("wal",)
            assert con.execute("pragma integrity_check").fetchone() == ("ok",)
