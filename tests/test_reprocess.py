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


def _varied_archive(directory, copies: int = 12) -> list[str]:
    """Copies of the seed pages under URLs of one site (so it has chrome to learn), each with a
    figure of its own, the article pages, and a page that is no page at all; returns the URLs."""
    from conftest import seed

    urls = []
    with ArchiveWriter(directory) as w:
        for n in range(copies):
            body = seed(("000", "002", "003")[n % 3]).read_bytes()
            body += f"\n长沙高新区{2015 + n}年实现技工贸总收入{100 + n}.5亿元，同比增长{n + 3}%。\n".encode()
            url = f"http://www.hnkfqxh.com/news/{n}.html"
            w.write_response(
                url, 200, {"Content-Type": "text/plain; charset=utf-8"}, body, "2026-01-02T00:00:00Z"
            )
            urls.append(url)
        gold = _gold()
        for doc in PAGES:
            w.write_response(gold[doc]["url"], 200, HEADERS, (ARTICLES / f"{doc}.html").read_bytes())
            urls.append(gold[doc]["url"])
        w.write_response(
            "http://www.hnkfqxh.com/logo.png", 200, {"Content-Type": "image/png"}, b"\x89PNG\r\n\x1a\n"
        )
    return urls


def _everything(db) -> dict[str, list]:
    """Every row reprocess writes, in a fixed order (run ids and times aside)."""
    queries = {
        "documents": "select id, url, site, title, date, source, author, body, flags, content_hash "
        "from documents order by id",
        "metrics": "select * from metrics order by id",
        "facts": "select * from facts order by id",
        "pages": "select url, content_hash, status, document_id, warc from pages order by url",
        "site_blocks": "select * from site_blocks order by site, key, url",
        "errors": "select url, kind, message from errors order by url",
    }
    with Store(db) as store:
        return {name: store.db.execute(sql).fetchall() for name, sql in queries.items()}


def test_reprocess_on_two_processes_writes_what_one_process_writes(tmp_path, monkeypatch):
    import crawler.reprocess as module

    monkeypatch.setattr(module, "CHUNK", 2)  # many small tasks, each site's pages spread over both workers
    monkeypatch.setattr(module, "BATCH", 5)
    _varied_archive(tmp_path / "archive")
    one = reprocess(tmp_path / "one.db", tmp_path / "archive", progress=False, jobs=1)
    two = reprocess(tmp_path / "two.db", tmp_path / "archive", progress=False, jobs=2)
    assert (one.pages, one.documents, one.unreadable) == (18, 17, 1)
    assert {k: v for k, v in one.__dict__.items() if k != "run"} == {
        k: v for k, v in two.__dict__.items() if k != "run"
    }
    rows_one, rows_two = _everything(tmp_path / "one.db"), _everything(tmp_path / "two.db")
    assert rows_one == rows_two
    assert len(rows_one["metrics"]) == one.metrics > 30 and rows_one["facts"]
    with Store(tmp_path / "two.db") as store:
        chrome = store.site_blocks("hnkfqxh.com")
    assert chrome  # the site's chrome was learnt: both runs dropped the same blocks from its pages


def _metrics_of(db, url: str) -> int:
    with Store(db) as store:
        return store.db.execute(
            "select count(*) from metrics where document_id = ?", [document_id(url)]
        ).fetchone()[0]


def test_a_page_that_no_longer_reads_loses_its_stale_document_and_metrics(tmp_path):
    urls = _varied_archive(tmp_path / "archive", copies=3)
    db = tmp_path / "zones.db"
    reprocess(db, tmp_path / "archive", progress=False)
    broken, kept = urls[0], urls[1]
    assert _metrics_of(db, broken) > 0 and _metrics_of(db, kept) > 0
    with Store(db) as store:
        facts_before = store.db["facts"].count
        kept_rows = store.db.execute(
            "select * from metrics where document_id = ?", [document_id(kept)]
        ).fetchall()
    # The page is fetched again, and is now a binary file: its old figures must not stay in the database.
    with ArchiveWriter(tmp_path / "archive") as w:
        w.write_response(
            broken, 200, {"Content-Type": "text/html"}, b"\x00\x01\x02\x03" * 300, "2026-02-01T00:00:00Z"
        )

    result = CliRunner().invoke(
        cli, ["reprocess", "--db", str(db), "--archive", str(tmp_path / "archive"), "--jobs", "2"]
    )
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    message = [line for line in result.stderr.splitlines() if line.startswith("zonecrawl reprocess:")]
    assert len(message) == 1 and "2 of 9 pages could not be read" in message[0], result.stderr
    assert "1 stale documents removed" in message[0]
    with Store(db) as store:
        assert store.db["documents"].count_where("id = ?", [document_id(broken)]) == 0
        assert _metrics_of(db, broken) == 0
        assert (
            store.db.execute("select * from metrics where document_id = ?", [document_id(kept)]).fetchall()
            == kept_rows
        )
        assert (
            store.db.execute(
                "select count(*) from facts where metric_ids like ?", [f"%{document_id(broken)}%"]
            ).fetchone()[0]
            == 0
        )
        assert store.db["facts"].count <= facts_before
        run = store.db.execute("select id, status from runs order by id desc limit 1").fetchone()
        assert run[1] == "finished with errors"
        failed = {r[0] for r in store.db.execute("select url from errors where run_id = ?", [run[0]])}
        assert broken in failed and "http://www.hnkfqxh.com/logo.png" in failed


def test_a_page_the_extractors_trip_on_is_counted_and_loses_its_metrics(tmp_path, monkeypatch):
    import extractors.metrics

    urls = _varied_archive(tmp_path / "archive", copies=3)
    db = tmp_path / "zones.db"
    reprocess(db, tmp_path / "archive", progress=False)
    broken = urls[2]
    assert _metrics_of(db, broken) > 0
    real = extractors.metrics.extract_metrics

    def failing(document, max_chars=0):
        if document.url == broken:
            raise RuntimeError("a bug in a new extractor")
        return real(document, max_chars)

    monkeypatch.setattr(extractors.metrics, "extract_metrics", failing)
    counts = reprocess(db, tmp_path / "archive", progress=False)
    assert (counts.unreadable, counts.removed) == (2, 1)  # the broken page and the image
    assert _metrics_of(db, broken) == 0 and _metrics_of(db, urls[1]) > 0
    with Store(db) as store:
        errors = store.db.execute(
            "select message from errors where run_id = ? and url = ?", [counts.run, broken]
        )
        assert [m for (m,) in errors] == ["RuntimeError: a bug in a new extractor"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--jobs", "-1"], "--jobs"),
        (["--jobs", "many"], "--jobs"),
        (["--archive", "no/such/folder"], "no/such/folder"),
    ],
)
def test_reprocess_refuses_bad_options_in_one_line(tmp_path, args, message):
    (tmp_path / "archive").mkdir()
    result = CliRunner().invoke(
        cli, ["reprocess", "--db", str(tmp_path / "zones.db"), "--archive", str(tmp_path / "archive"), *args]
    )
    assert result.exit_code == 2 and message in result.output and "Traceback" not in result.output
    assert not (tmp_path / "zones.db").exists()


def test_reprocess_into_a_file_that_is_no_database_says_so(tmp_path):
    _varied_archive(tmp_path / "archive", copies=1)
    (tmp_path / "zones.db").write_bytes(b"these are notes, not a database\n" * 200)
    result = CliRunner().invoke(
        cli, ["reprocess", "--db", str(tmp_path / "zones.db"), "--archive", str(tmp_path / "archive")]
    )
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert result.stderr.strip().splitlines() == ["zonecrawl reprocess: file is not a database"]
