"""Many processes on one database: reprocess writers and export readers side by side."""

from __future__ import annotations

import subprocess
import sys

import pytest
from conftest import ROOT, seed
from localcrawl import query

from crawler.archive import ArchiveWriter
from crawler.reprocess import reprocess


@pytest.mark.slow
def test_writers_and_readers_side_by_side(tmp_path):
    archive = tmp_path / "archive"
    with ArchiveWriter(archive) as w:
        for n, prefix in enumerate(("000", "002", "003")):
            w.write_response(
                f"http://www.hnkfqxh.com/news/{n}.html", 200, {"Content-Type": "text/plain; charset=utf-8"},
                seed(prefix).read_bytes(), "2026-01-02T00:00:00Z",
            )  # fmt: skip
    db = tmp_path / "zones.db"
    reprocess(db, archive, progress=False)
    before = query(db, "select (select count(*) from documents), (select count(*) from metrics)")
    cli = [sys.executable, "-m", "crawler.cli"]
    commands = [[*cli, "reprocess", "--db", str(db), "--archive", str(archive)] for _ in range(3)]
    commands += [
        [*cli, "export", what, "--db", str(db), "--format", "jsonl"] for what in ("metrics", "facts") * 4
    ]
    procs = [
        subprocess.Popen(c, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        for c in commands
    ]
    errors = [(c[3], p.wait(timeout=300), p.stderr.read()) for c, p in zip(commands, procs)]
    assert all(rc == 0 and "Traceback" not in err and "locked" not in err for _, rc, err in errors), errors
    assert query(db, "pragma integrity_check") == [("ok",)]
    after = query(db, "select (select count(*) from documents), (select count(*) from metrics)")
    assert after == before  # nothing lost or doubled
