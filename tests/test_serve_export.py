"""`zonecrawl serve` (Datasette with the bundled metadata) and `zonecrawl export`, on a real small database."""

from __future__ import annotations

import asyncio
import csv
import hashlib
import io
import json
from collections import defaultdict

import pytest
from click.testing import CliRunner
from conftest import seed

from crawler import serve as serve_module
from crawler.cli import cli
from crawler.export import export
from crawler.serve import HOST, app, database_name, metadata_for
from crawler.store import Store, document_id
from extractors.document import read_document
from extractors.metrics import extract_metrics

URLS = {"000": "http://www.hnkfqxh.com/news/1.html", "002": "http://doc.example.cn/p/2.html", "003": "http://www.hnkfqxh.com/news/3.html"}  # fmt: skip


def _fill(store: Store) -> None:
    run = store.start_run(["demo"], {})
    for prefix, url in URLS.items():
        raw = seed(prefix).read_bytes()
        doc = read_document(raw, document_id(url), url=url)
        store.save_page(
            url=url, status=200, headers={}, body_hash=hashlib.sha1(raw).hexdigest(),
            fetched_at="2026-01-02T03:04:05+00:00", document=doc, metrics=extract_metrics(doc),
            run_id=run, spider="demo",
        )  # fmt: skip
    store.record_error(run, "http://dead.example.cn/", "dns", "no such host", "demo")
    store.finish_run(run, {"pages": 3}, "finished with errors")
    latest = store.start_run(["demo"], {})
    store.record_error(latest, "http://slow.example.cn/", "timeout", "took too long", "demo")
    store.record_error(latest, "http://x.example.cn/500", "http_500", "server error", "demo")
    store.finish_run(latest, {"pages": 2}, "finished with errors")


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    path = tmp_path_factory.mktemp("serve") / "zones.db"
    with Store(path) as store:
        _fill(store)
    return path


def _get(db_path, path: str) -> dict | list:
    async def go():
        ds = app(db_path)
        await ds.invoke_startup()
        response = await ds.client.get(path)
        assert response.status_code == 200, response.text
        return response.json()

    return asyncio.run(go())


def _all(db_path, sql: str, params=()) -> list[tuple]:
    with Store(db_path) as store:
        return store.db.execute(sql, params).fetchall()


def test_metadata_names_the_served_database(db):
    meta = metadata_for(db)
    assert list(meta["databases"]) == [database_name(db)] == ["zones"]
    assert meta["databases"]["zones"]["tables"]["metrics"]["facets"] == [
        "metric",
        "kind",
        "period",
        "subject",
        "zone_id",
        "unit",
    ]


def test_metric_series_canned_query(db):
    metric, n = _all(db, "select metric, count(*) from metrics group by metric order by 2 desc, 1 limit 1")[0]
    assert n >= 2
    rows = _get(db, f"/zones/metric_series.json?metric={metric}&_shape=array")
    # The same series worked out in Python from the stored figures.
    expected = defaultdict(list)
    for subject, period, kind, unit, value in _all(
        db, "select subject, period, kind, unit, value from metrics where metric = ?", [metric]
    ):
        expected[(subject or "(unknown)", period[:4] if period else None, kind, unit)].append(value)
    got = {(r["zone"], r["year"], r["kind"], r["unit"]): (r["low"], r["high"]) for r in rows}
    assert got == {k: (min(v), max(v)) for k, v in expected.items()}
    assert all(r["example"] for r in rows)  # each group shows a source sentence


def test_search_canned_query_long_and_short(db):
    bodies = dict(_all(db, "select id, coalesce(title, '') || ' ' || body from documents"))
    for q in ("高新技术企业", "积分制", "衡阳", "洛"):
        rows = _get(db, f"/zones/search_documents.json?q={q}&_shape=array")
        assert {r["id"] for r in rows} == {i for i, text in bodies.items() if q in text}, q
        assert rows, q
    assert _get(db, "/zones/search_documents.json?q=&_shape=array") == []
    hits = _get(db, "/zones/search_sentences.json?q=高新技术企业&_shape=array")
    assert hits and all("高新技术企业" in r["sentence"] for r in hits)


def test_latest_run_errors_canned_query(db):
    rows = _get(db, "/zones/latest_run_errors.json?_shape=array")
    assert sorted(r["kind"] for r in rows) == ["http_500", "timeout"]


def test_tables_show_their_facets_and_stay_read_only(db):
    page = _get(db, "/zones/metrics.json?_size=1")
    assert {"metric", "kind", "period", "subject", "unit"} <= set(page["facet_results"])
    assert set(_get(db, "/zones/documents.json?_size=1")["facet_results"]) >= {"site"}

    async def write():
        ds = app(db)
        await ds.invoke_startup()
        assert not ds.databases["zones"].is_mutable
        return await ds.client.get("/zones.json?sql=delete+from+documents")

    assert asyncio.run(write()).status_code >= 400
    assert _all(db, "select count(*) from documents")[0][0] == len(URLS)


def test_serve_binds_to_localhost_and_shows_fresh_writes(tmp_path, monkeypatch):
    path = tmp_path / "live.db"
    store = Store(path)  # still open: its writes sit in the write-ahead log
    _fill(store)
    started = {}

    def run(asgi, **kw):
        started.update(kw, asgi=asgi)

    import uvicorn

    monkeypatch.setattr(uvicorn, "run", run)
    serve_module.serve(path, port=8765)
    assert (started["host"], started["port"]) == (HOST, 8765) == ("127.0.0.1", 8765)
    assert len(_get(path, "/live/documents.json?_shape=array")) == len(URLS)
    store.close()


def test_export_jsonl_and_csv(db, tmp_path):
    out = io.StringIO()
    n = export(db, "metrics", "jsonl", out)
    lines = [json.loads(line) for line in out.getvalue().splitlines()]
    assert n == len(lines) == _all(db, "select count(*) from metrics")[0][0]
    first = lines[0]
    assert list(first)[:3] == ["doc", "id", "document_id"] and first["doc"] == first["document_id"]
    assert all(isinstance(r["approx"], bool) for r in lines)
    assert all(r["sentence"] for r in lines)
    # Numbers read back as the extractors wrote them (a count of 13 is 13, not 13.0).
    fresh = [
        m
        for prefix in URLS
        for m in extract_metrics(read_document(seed(prefix).read_bytes(), "d", URLS[prefix]))
    ]
    assert sorted(map(repr, (r["value"] for r in lines))) == sorted(map(repr, (m["value"] for m in fresh)))

    docs = io.StringIO()
    export(db, "documents", "jsonl", docs)
    rows = [json.loads(line) for line in docs.getvalue().splitlines()]
    assert all(isinstance(r["flags"], list) for r in rows)
    assert any(r["flags"] for r in rows)  # the mirror page was flagged

    text = io.StringIO()
    assert export(db, "metrics", "csv", text) == n
    table = list(csv.DictReader(io.StringIO(text.getvalue())))
    assert list(table[0]) == list(first)
    assert [r["sentence"] for r in table] == [r["sentence"] for r in lines]
    assert [float(r["value"]) for r in table] == [float(r["value"]) for r in lines]

    again = io.StringIO()
    export(db, "metrics", "csv", again)
    assert again.getvalue() == text.getvalue()  # stable order

    runs = io.StringIO()
    export(db, "runs", "jsonl", runs)
    assert [json.loads(line)["spiders"] for line in runs.getvalue().splitlines()] == [["demo"], ["demo"]]


def test_export_command(db, tmp_path):
    target = tmp_path / "metrics.csv"
    result = CliRunner().invoke(
        cli, ["export", "metrics", "--db", str(db), "--format", "csv", "-o", str(target)]
    )
    assert result.exit_code == 0, result.output
    assert target.read_text(encoding="utf-8").startswith("doc,id,document_id,subject,zone_id,metric,value")
    result = CliRunner().invoke(cli, ["export", "errors", "--db", str(db)])
    assert result.exit_code == 0
    assert [json.loads(line)["kind"] for line in result.output.splitlines()] == ["dns", "timeout", "http_500"]
