"""`zonecrawl merge`: node databases combined by URL, the later fetch winning, idempotently; and a
merge of two nodes' crawls equal to one crawl of both sites."""

from __future__ import annotations

import hashlib
import json
import shutil
import sqlite3
import subprocess
import sys

import pytest
from conftest import ROOT
from localcrawl import crawl_command

from crawler.localsites import LocalSites
from crawler.merge import MergeError, merge_databases
from crawler.store import Store
from extractors.metrics import extract_metrics
from extractors.records import Document

URL_A = "http://www.cshtz.gov.cn/news/1.html"
URL_B = "http://www.hnkfqxh.com/news/2.html"
EARLY, LATE = "2026-01-01T00:00:00+00:00", "2026-02-01T00:00:00+00:00"


def _save(db, url: str, body: str, fetched_at: str, spider: str = "cshtz", error: str | None = None) -> None:
    """One page saved as a crawl node saves it, in a run of its own (with ERROR recorded)."""
    doc = Document(doc="d", url=url, site=url.split("/")[2], title=body[:12], date="2025-03-01", body=body)
    with Store(db) as s:
        run = s.start_run([spider], {"node": str(db)})
        s.save_page(
            url=url,
            status=200,
            headers={},
            body_hash=hashlib.sha256(body.encode("utf-8")).hexdigest(),
            fetched_at=fetched_at,
            document=doc,
            metrics=extract_metrics(doc),
            run_id=run,
            spider=spider,
        )
        if error:
            s.record_error(run, url + "?missing", "http_500", error, spider)
        s.finish_run(run, {"pages": 1}, "finished")


def _table(db, table: str, leave_out: tuple[str, ...] = ()) -> list[tuple]:
    with sqlite3.connect(db) as con:
        cols = [r[1] for r in con.execute(f"pragma table_info({table})") if r[1] not in leave_out]
        sql = f"select {', '.join(f'[{c}]' for c in cols)} from {table}"
        return sorted(con.execute(sql).fetchall(), key=repr)


def _content(db) -> dict[str, list]:
    """What a researcher reads, without the bookkeeping that differs between runs."""
    return {
        "documents": _table(db, "documents", ("run_id", "fetched_at")),
        "metrics": _table(db, "metrics"),
        "facts": _table(db, "facts"),
    }


def _everything(db) -> dict[str, list]:
    return {
        t: _table(db, t)
        for t in (
            "documents",
            "metrics",
            "facts",
            "pages",
            "runs",
            "errors",
            "site_blocks",
            "document_versions",
        )
    }


OLD_BODY = "长沙高新区2024年实现技术合同交易额100亿元。"
NEW_BODY = "长沙高新区2024年实现技术合同交易额120亿元,高新技术企业1500家。"


@pytest.mark.parametrize("order", ["old first", "new first"])
def test_the_later_fetch_wins_whatever_the_order(tmp_path, order):
    old, new = tmp_path / "old.db", tmp_path / "new.db"
    _save(old, URL_A, OLD_BODY, EARLY)
    _save(new, URL_A, NEW_BODY, LATE)
    target = tmp_path / "all.db"
    merge_databases(target, [old, new] if order == "old first" else [new, old])

    with sqlite3.connect(target) as con:
        assert con.execute("select body, fetched_at from documents").fetchall() == [(NEW_BODY, LATE)]
        values = {v for (v,) in con.execute("select value from metrics")}
        fact_values = {v for (v,) in con.execute("select value from facts")}
        pages = con.execute("select fetched_at from pages").fetchall()
    assert 12e9 in values and 10e9 not in values  # the old page's figure went with it
    assert 12e9 in fact_values and 10e9 not in fact_values  # facts rebuilt from the merged metrics
    assert pages == [(LATE,)]
    assert _content(target) == _content(new)


def test_merging_twice_changes_nothing(tmp_path):
    a, b = tmp_path / "a.db", tmp_path / "b.db"
    _save(a, URL_A, OLD_BODY, EARLY, error="Internal Server Error")
    _save(b, URL_B, NEW_BODY, LATE, spider="hnkfq")
    target = tmp_path / "all.db"
    merge_databases(target, [a, b])
    once = _everything(target)
    merge_databases(target, [a, b])
    merge_databases(target, [b])
    assert _everything(target) == once
    assert len(once["documents"]) == 2 and len(once["runs"]) == 2 and len(once["errors"]) == 1


def test_earlier_versions_of_a_changed_article_come_along_once(tmp_path):
    node = tmp_path / "node.db"
    _save(node, URL_A, OLD_BODY, EARLY)
    _save(node, URL_A, NEW_BODY, LATE)  # the page changed: the node keeps what it said before
    target = tmp_path / "all.db"
    merge_databases(target, [node])
    merge_databases(target, [node])
    with sqlite3.connect(target) as con:
        versions = con.execute("select body, fetched_at, replaced_at from document_versions").fetchall()
    assert versions == [(OLD_BODY, EARLY, LATE)]


@pytest.mark.parametrize("order", ["old first", "new first"])
def test_the_earlier_of_two_nodes_copies_becomes_an_earlier_version(tmp_path, order):
    old, new = tmp_path / "old.db", tmp_path / "new.db"
    _save(old, URL_A, OLD_BODY, EARLY)
    _save(new, URL_A, NEW_BODY, LATE)
    target = tmp_path / "all.db"
    merge_databases(target, [old, new] if order == "old first" else [new, old])
    merge_databases(target, [old, new])
    with sqlite3.connect(target) as con:
        versions = con.execute("select body, fetched_at, replaced_at from document_versions").fetchall()
    assert versions == [(OLD_BODY, EARLY, LATE)]  # as one node crawling the page twice would keep


def test_runs_and_errors_keep_their_origin(tmp_path):
    a, b = tmp_path / "a.db", tmp_path / "b.db"
    _save(a, URL_A, OLD_BODY, EARLY, error="from node a")
    _save(b, URL_B, NEW_BODY, LATE, spider="hnkfq", error="from node b")
    target = tmp_path / "all.db"
    merge_databases(target, [a, b])
    with sqlite3.connect(target) as con:
        runs = {i: json.loads(s)["merged_from"] for i, s in con.execute("select id, settings from runs")}
        errors = dict(con.execute("select message, run_id from errors").fetchall())
    # both nodes had a run 1: here they are two runs, each naming its node
    assert sorted(o["db"] for o in runs.values()) == sorted([str(a.resolve()), str(b.resolve())])
    assert {o["run_id"] for o in runs.values()} == {1}
    assert runs[errors["from node a"]]["db"] == str(a.resolve())
    assert runs[errors["from node b"]]["db"] == str(b.resolve())

    # a merged database merged again elsewhere keeps the first origin
    central = tmp_path / "central.db"
    merge_databases(central, [target])
    with sqlite3.connect(central) as con:
        origins = [json.loads(s)["merged_from"]["db"] for (s,) in con.execute("select settings from runs")]
    assert sorted(origins) == sorted([str(a.resolve()), str(b.resolve())])


def test_a_later_crawl_on_a_node_updates_its_merged_run(tmp_path):
    a = tmp_path / "a.db"
    _save(a, URL_A, OLD_BODY, EARLY)
    target = tmp_path / "all.db"
    merge_databases(target, [a])
    _save(a, URL_A, NEW_BODY, LATE)  # the node crawls again: run 2 there
    merge_databases(target, [a])
    with sqlite3.connect(target) as con:
        assert con.execute("select count(*) from runs").fetchone() == (2,)
        assert con.execute("select body from documents").fetchall() == [(NEW_BODY,)]


def test_a_source_that_is_no_zonecrawl_database_is_refused(tmp_path):
    a = tmp_path / "a.db"
    _save(a, URL_A, OLD_BODY, EARLY)
    other = tmp_path / "other.db"
    with sqlite3.connect(other) as con:
        con.execute("create table t (x)")
    text = tmp_path / "notes.db"
    text.write_text("not a database", encoding="utf-8")
    target = tmp_path / "all.db"
    for bad in (other, text, tmp_path / "missing.db"):
        with pytest.raises(MergeError, match=bad.name):
            merge_databases(target, [a, bad])
        assert not target.exists()  # every source is checked before the target is written
    with pytest.raises(MergeError, match="target itself"):
        merge_databases(a, [a])


def test_the_command_reports_and_fails_cleanly(tmp_path):
    a, b = tmp_path / "a.db", tmp_path / "b.db"
    _save(a, URL_A, OLD_BODY, EARLY)
    _save(b, URL_B, NEW_BODY, LATE, spider="hnkfq")
    target = tmp_path / "all.db"
    cmd = [sys.executable, "-m", "crawler.cli", "merge", str(target)]
    ok = subprocess.run([*cmd, str(a), str(b)], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert ok.returncode == 0, ok.stderr
    assert "2 documents" in ok.stdout.splitlines()[-1]

    (tmp_path / "junk.db").write_bytes(b"\0" * 100)
    bad = subprocess.run(
        [*cmd, str(tmp_path / "junk.db")], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert bad.returncode == 2
    assert "junk.db" in bad.stderr and "Traceback" not in bad.stderr
    assert len(bad.stderr.strip().splitlines()) == 1


@pytest.mark.slow
def test_a_merge_of_two_nodes_equals_one_crawl_of_both_sites(tmp_path):
    """Node 1 crawls achie, node 2 crawls hnkfq, a third crawl takes both: merging the nodes'
    databases gives the same documents, metrics and facts as the crawl of both."""
    with LocalSites() as sites:
        for name, spiders in (("node1", ["achie"]), ("node2", ["hnkfq"]), ("both", ["achie", "hnkfq"])):
            cmd = crawl_command(sites, tmp_path / f"{name}.db", tmp_path / f"{name}-archive")
            at = cmd.index("crawl") + 1
            cmd[at:at] = spiders
            done = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=180)
            assert done.returncode in (0, 1), done.stderr[-2000:]  # hnkfq serves a failing page on purpose
    merged = tmp_path / "merged.db"
    merge_databases(merged, [tmp_path / "node1.db", tmp_path / "node2.db"])
    both = _content(tmp_path / "both.db")
    assert both["documents"] and both["metrics"] and both["facts"]
    assert _content(merged) == both

    # the merge into a copy of node 1 gives the same, and doing it again changes nothing
    into_node = tmp_path / "node1-copy.db"
    shutil.copy(tmp_path / "node1.db", into_node)
    merge_databases(into_node, [tmp_path / "node2.db"])
    assert _content(into_node) == both
    before = _everything(into_node)
    merge_databases(into_node, [tmp_path / "node2.db"])
    assert _everything(into_node) == before
