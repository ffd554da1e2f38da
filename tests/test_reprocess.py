"""`zonecrawl reprocess`: documents and metrics rebuilt from the WARC archive alone."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from conftest import ARTICLES

from crawler.archive import ArchiveWriter
from crawler.cli import cli
from crawler.reprocess import reprocess
from crawler.store import Store, document_id
from extractors.document import read_document
from extractors.metrics import extract_metrics

HEADERS = {"Content-Type": "text/html"}
pytestmark = pytest.mark.skipif(not ARTICLES.exists(), reason="shared article pages not present")


def _gold() -> dict[str, dict]:
    with open(ARTICLES / "gold.jsonl", encoding="utf-8") as f:
        return {g["doc"]: g for g in map(json.loads, f)}


# Real article pages with figures in them, and one page without.
PAGES = ["0d18823b30fc212d", "1e20e0271231de85", "1f930df31eb35178", "1b929fec5b591f38", "0987b0ff61a8eca7"]


def _archive(directory) -> dict[str, bytes]:
    """Archive the pages as two crawl runs would; returns the latest bytes of each URL."""
    gold = _gold()
    latest = {}
    with ArchiveWriter(directory) as w:  # first run: the first page is an older version
        first = gold[PAGES[0]]["url"]
        w.write_response(
            first, 200, HEADERS, (ARTICLES / f"{PAGES[-1]}.html").read_bytes(), "2026-01-01T00:00:00Z"
        )
        w.write_response("http://gone.example.cn/a.html", 404, HEADERS, b"not found", "2026-01-01T00:00:01Z")
    with ArchiveWriter(directory) as w:
        for doc in PAGES:
            url, body = gold[doc]["url"], (ARTICLES / f"{doc}.html").read_bytes()
            w.write_response(url, 200, HEADERS, body, "2026-01-02T00:00:00Z")
            latest[url] = body
    return latest


def _rows(store: Store) -> tuple[list, list]:
    docs = store.db.execute("select id, url, title, date, body from documents order by id").fetchall()
    metrics = store.db.execute(
        "select document_id, metric, value, unit, kind, period, sentence from metrics order by id"
    ).fetchall()
    return docs, metrics


def test_reprocess_rebuilds_documents_and_metrics_from_the_archive(tmp_path):
    latest = _archive(tmp_path / "archive")
    db = tmp_path / "zones.db"
    counts = reprocess(db, tmp_path / "archive", progress=False)
    assert (counts.responses, counts.pages, counts.documents, counts.unreadable) == (7, 5, 5, 0)

    with Store(db) as store:
        docs, metrics = _rows(store)
        assert [d[0] for d in docs] == sorted(document_id(u) for u in latest)
        assert store.db["documents"].count == len(latest)  # the 404 and the older copy made nothing
        expected_metrics = 0
        for url, body in latest.items():
            row = store.db["documents"].get(document_id(url))
            fresh = read_document(body, "x", url=url, recurring=store.site_blocks(row["site"]))
            assert (row["title"], row["body"]) == (fresh.title, fresh.body)  # the latest version won
            stored = [r["sentence"] for r in store.db["metrics"].rows_where("document_id = ?", [row["id"]])]
            assert stored == [m["sentence"] for m in extract_metrics(fresh)]
            expected_metrics += len(stored)
        assert counts.metrics == len(metrics) == expected_metrics > 10
        assert all(m[-1] for m in metrics)  # every metric keeps its sentence
        run = store.db["runs"].get(store.db.execute("select max(id) from runs").fetchone()[0])
        assert json.loads(run["spiders"]) == ["reprocess"] and run["status"] == "finished"

    # Lost rows come back; nothing is duplicated by running it again.
    with Store(db) as store:
        before = _rows(store)
        store.db.execute("delete from metrics")
        store.db.execute("delete from documents where rowid % 2 = 0")
        store.db.conn.commit()
    reprocess(db, tmp_path / "archive", progress=False)
    with Store(db) as store:
        assert _rows(store) == before


def test_reprocess_keeps_the_crawl_s_page_keys(tmp_path):
    """A page archived under the URL it redirected to is still saved under the URL that was asked."""
    body = (ARTICLES / f"{PAGES[1]}.html").read_bytes()
    final = _gold()[PAGES[1]]["url"]
    with ArchiveWriter(tmp_path / "archive") as w:
        locator = w.write_response(final, 200, HEADERS, body, "2026-01-02T00:00:00Z")
    db = tmp_path / "zones.db"
    with Store(db) as store:
        run = store.start_run(["x"], {})
        store.save_page(
            url="http://short.example.cn/r?id=1", status=200, headers={}, body_hash="h",
            fetched_at="2026-01-02T00:00:00+00:00", document=None, metrics=[], run_id=run, warc=locator,
        )  # fmt: skip
    reprocess(db, tmp_path / "archive", progress=False)
    with Store(db) as store:
        assert [r["url"] for r in store.db["pages"].rows] == ["http://short.example.cn/r?id=1"]
        assert store.page_state("http://short.example.cn/r?id=1")["content_hash"] != "h"
        assert store.db["documents"].get(document_id(final))["url"] == final


def test_reprocess_command_reports_counts(tmp_path):
    _archive(tmp_path / "archive")
    db = tmp_path / "zones.db"
    result = CliRunner().invoke(cli, ["reprocess", "--db", str(db), "--archive", str(tmp_path / "archive")])
    assert result.exit_code == 0, result.output
    assert "5 documents" in result.output
    with Store(db) as store:
        assert store.db["documents"].count == 5


def test_reprocess_an_empty_archive(tmp_path):
    counts = reprocess(tmp_path / "zones.db", tmp_path / "nothing", progress=False)
    assert (counts.responses, counts.documents) == (0, 0)


def test_reprocess_twice_leaves_metric_ids_and_facts_identical(tmp_path):
    """Metric ids come from their document and offsets, and facts from the metrics: reading the same
    archive again changes neither."""
    from conftest import seed

    with ArchiveWriter(tmp_path / "archive") as w:
        for n, prefix in enumerate(("000", "003")):
            w.write_response(
                f"http://www.hnkfqxh.com/news/{n}.html", 200, {"Content-Type": "text/plain; charset=utf-8"},
                seed(prefix).read_bytes(), "2026-01-02T00:00:00Z",
            )  # fmt: skip
        _archive(tmp_path / "archive")
    db = tmp_path / "zones.db"

    def snapshot() -> tuple[list, list]:
        with Store(db) as store:
            ids = [r[0] for r in store.db.execute("select id from metrics order by id")]
            facts = store.db.execute("select * from facts order by id").fetchall()
        return ids, facts

    reprocess(db, tmp_path / "archive", progress=False)
    first = snapshot()
    reprocess(db, tmp_path / "archive", progress=False)
    assert snapshot() == first
    ids, facts = first
    assert facts and len(ids) > 20
    assert all(i.count("-") == 2 for i in ids)  # <document>-<start>-<end>
