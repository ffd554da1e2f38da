"""A crawl killed halfway (SIGKILL, no chance to clean up) is completed by the next run, with no
page lost and none stored twice."""

from __future__ import annotations

import signal
import subprocess
import time

import pytest
from conftest import ROOT
from localcrawl import crawl, crawl_command, expected_documents, query

from crawler.localsites import LocalSites

pytestmark = pytest.mark.slow


def documents(db) -> int:
    try:
        return query(db, "select count(*) from documents")[0][0]
    except Exception:  # the crawl has not created the database yet
        return 0


def test_killed_crawl_resumes_without_loss_or_duplicates(tmp_path):
    db, archive = tmp_path / "zones.db", tmp_path / "archive"
    expected = expected_documents()
    with LocalSites(fixed_ports=False) as sites:
        # slow enough to be caught halfway: one page per site every half second
        slow = crawl_command(sites, db, archive, DOWNLOAD_DELAY="0.5", RANDOMIZE_DOWNLOAD_DELAY="False")
        proc = subprocess.Popen(slow, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            deadline = time.monotonic() + 60
            while documents(db) < 3 and time.monotonic() < deadline and proc.poll() is None:
                time.sleep(0.1)
        finally:
            proc.send_signal(signal.SIGKILL)
            proc.wait()
        killed_at = documents(db)
        assert 3 <= killed_at < expected, "the crawl was not caught halfway"
        (status,) = query(db, "select status from runs where id = 1")[0]
        assert status == "running"  # the killed run never closed

        resumed = crawl(sites, db, archive)
        assert resumed.returncode == 1  # the fixture sites' broken pages

    assert query(db, "select count(*), count(distinct url) from documents")[0] == (expected, expected)
    (dupes,) = query(
        db,
        "select count(*) from (select document_id, start, end, metric from metrics "
        "group by document_id, start, end, metric having count(*) > 1)",
    )[0]
    assert dupes == 0
    (items,) = query(db, "select items from runs where id = 2")[0]
    assert items == expected - killed_at  # the second run fetched only what the first had not stored
