"""`zonecrawl serve` (Datasette with the bundled metadata) and `zonecrawl export`, on a real small
database: the seed pages (for search) and the hand-made pages of `handmade` (metrics and facts)."""

from __future__ import annotations

import asyncio
import csv
import hashlib
import io
import json
from collections import defaultdict

import handmade
import pytest
from click.testing import CliRunner
from conftest import seed

from crawler import serve as serve_module
from crawler.cli import cli
from crawler.export import SCHEMA_VERSION, export
from crawler.serve import HOST, app, bundled_metadata, database_name, metadata_for
from crawler.store import Store, document_id
from extractors.document import read_document

URLS = {"000": "http://www.hnkfqxh.com/news/1.html", "002": "http://doc.example.cn/p/2.html", "003": "http://www.hnkfqxh.com/news/3.html"}  # fmt: skip
N_DOCUMENTS = len(URLS) + len(handmade.PAGES)


def _fill(store: Store) -> None:
    run = store.start_run(["demo"], {})
    for prefix, url in URLS.items():
        raw = seed(prefix).read_bytes()
        doc = read_document(raw, document_id(url), url=url)
        store.save_page(
            url=url, status=200, headers={}, body_hash=hashlib.sha1(raw).hexdigest(),
            fetched_at="2026-01-02T03:04:05+00:00", document=doc, metrics=[], run_id=run, spider="demo",
        )  # fmt: skip
    handmade.fill(store, run)
    store.record_error(run, "http://dead.example.cn/", "dns", "no such host", "demo")
    store.finish_run(run, {"pages": N_DOCUMENTS}, "finished with errors")
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


def _get_with(db_path, path: str, metadata: dict) -> dict | list:
    """PATH of a plain Datasette (no zonecrawl code) serving DB_PATH with METADATA."""
    from datasette.app import Datasette

    async def go():
        ds = Datasette(immutables=[str(db_path)], metadata=metadata)
        await ds.invoke_startup()
        response = await ds.client.get(path)
        assert response.status_code == 200, response.text
        return response.json() if path.split("?")[0].endswith(".json") else response.text

    return asyncio.run(go())


def test_metadata_names_the_served_database(db, tmp_path):
    meta = metadata_for(db)
    assert list(meta["databases"]) == [database_name(db)] == ["zones"]
    assert meta["databases"]["zones"]["tables"]["metrics"]["facets"] == [
        "indicator", "metric", "kind", "basis", "period", "period_type", "subject", "zone_id", "unit",
    ]  # fmt: skip
    other = metadata_for(tmp_path / "crawl-2026.db")
    assert list(other["databases"]) == ["crawl-2026"]
    assert other["databases"]["crawl-2026"] == meta["databases"]["zones"]


def test_bundled_metadata_is_plain_datasette_metadata(db):
    """`datasette data/zones.db -m crawler/datasette/metadata.yaml` works without zonecrawl."""
    meta = bundled_metadata()
    assert "database" not in meta and list(meta["databases"]) == ["zones"]
    assert meta["license"] == "Source sites' terms"  # the data is not the code's Apache-2.0
    assert "Apache-2.0" in meta["description"]
    rows = _get_with(db, "/zones/conflicts.json?_shape=array", meta)
    assert [(r["subject"], r["indicator"], r["value"]) for r in rows] == [
        ("长沙高新区", "high_tech_enterprises", 2168)
    ]
    page = _get_with(db, "/zones/facts", meta)
    assert meta["databases"]["zones"]["tables"]["facts"]["columns"]["conflict"] in page


def test_every_column_of_every_table_is_described(db):
    tables = metadata_for(db)["databases"]["zones"]["tables"]
    with Store(db) as store:
        names = [t for t in store.db.table_names() if "_fts" not in t]
        assert {"documents", "metrics", "facts", "zones", "pages", "runs", "errors", "site_blocks"} <= set(
            names
        )
        for table in names:
            described = tables[table].get("columns") or {}
            columns = [c.name for c in store.db[table].columns]
            assert [c for c in columns if not described.get(c)] == [], table
            assert set(described) <= set(columns), table  # nothing described that is not there


def test_metric_series_canned_query(db):
    indicator, n = _all(
        db,
        "select indicator, count(*) from metrics where indicator is not null "
        "group by indicator order by 2 desc, 1 limit 1",
    )[0]
    assert n >= 2
    rows = _get(db, f"/zones/metric_series.json?indicator={indicator}&_shape=array")
    # The same series worked out in Python from the stored figures.
    expected = defaultdict(list)
    for subject, end, kind, basis, unit, value in _all(
        db,
        "select subject, period_end, kind, basis, unit, value from metrics where indicator = ?",
        [indicator],
    ):
        expected[(subject or "(unknown)", end[:4], kind, basis, unit)].append(value)
    got = {(r["zone"], r["year"], r["kind"], r["basis"], r["unit"]): (r["low"], r["high"]) for r in rows}
    assert got == {k: (min(v), max(v)) for k, v in expected.items()}
    assert all(r["example"] for r in rows)  # each group shows a source sentence
    mixed = got[("长沙高新区", "2022", "level", "stock", "家")]
    assert mixed == (2100, 2168)  # the mirror's figure beside the others'


def _series(db, **params) -> list[tuple]:
    query = "&".join(f"{k}={v}" for k, v in params.items())
    rows = _get(db, f"/zones/zone_series.json?{query}&_shape=array")
    return [(r["indicator"], r["year"], r["period_type"], r["kind"], r["value"], r["conflict"]) for r in rows]


def test_zone_series_canned_query_takes_an_id_a_name_or_an_alias(db):
    by_id = _series(db, zone="changsha", indicator="high_tech_enterprises")
    assert by_id == [
        ("high_tech_enterprises", 2021, "as_of", "level", 1856, 0),
        ("high_tech_enterprises", 2021, "year", "level", 1850, 0),
        ("high_tech_enterprises", 2022, "as_of", "level", 2168, 1),
        ("high_tech_enterprises", 2022, "year", "change", 312, 0),
    ]
    for zone in ("长沙高新区", "长沙高新技术产业开发区", "麓谷"):
        assert _series(db, zone=zone, indicator="high_tech_enterprises") == by_id, zone
    everything = _series(db, zone="麓谷", indicator="")
    assert {r[0] for r in everything} == {"high_tech_enterprises", "revenue"}
    assert _series(db, zone="湖南省高新区", indicator="") == [
        ("high_tech_enterprises", 2022, "year", "level", 12000, 0)
    ]
    assert _series(db, zone="nowhere", indicator="") == []


def test_latest_values_canned_query(db):
    rows = _get(db, "/zones/latest_values.json?indicator=high_tech_enterprises&_shape=array")
    totals = [
        (r["subject"], r["value"], r["period_end"])
        for r in rows
        if (r["kind"], r["basis"]) == ("level", "stock")
    ]
    # Each subject's latest total, largest first: changsha's end-2022 consensus, not 2021's.
    assert totals == [
        ("湖南省高新区", 12000, "2022-12-31"),
        ("长沙高新区", 2168, "2022-12-31"),
        ("株洲高新区", 1000, "2022-12-31"),
    ]
    assert [(r["kind"], r["value"]) for r in rows if r["basis"] == "net"] == [("change", 312)]


def test_conflicts_canned_query(db):
    rows = _get(db, "/zones/conflicts.json?_shape=array")
    assert len(rows) == 1
    (row,) = rows
    assert (row["subject"], row["value"], row["n_documents"], row["n_values"]) == ("长沙高新区", 2168, 3, 2)
    values = {v["value"]: v["n_documents"] for v in json.loads(row["values"])}
    assert values == {2100: 1, 2168: 2}


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
    assert set(_get(db, "/zones/documents.json?_size=1")["facet_results"]) >= {"site", "authority"}
    facts = _get(db, "/zones/facts.json?_size=1")["facet_results"]
    assert {"indicator", "kind", "basis", "period_type", "conflict"} <= set(facts)

    async def write():
        ds = app(db)
        await ds.invoke_startup()
        assert not ds.databases["zones"].is_mutable
        return await ds.client.get("/zones.json?sql=delete+from+documents")

    assert asyncio.run(write()).status_code >= 400
    assert _all(db, "select count(*) from documents")[0][0] == N_DOCUMENTS


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
    assert len(_get(path, "/live/documents.json?_shape=array&_size=max")) == N_DOCUMENTS
    assert len(_get(path, "/live/conflicts.json?_shape=array")) == 1  # the canned queries follow the file
    store.close()


def test_export_jsonl_and_csv(db, tmp_path):
    out = io.StringIO()
    n = export(db, "metrics", "jsonl", out)
    lines = [json.loads(line) for line in out.getvalue().splitlines()]
    assert n == len(lines) == _all(db, "select count(*) from metrics")[0][0] == len(handmade.all_metrics())
    first = lines[0]
    assert list(first)[:5] == ["doc", "id", "document_id", "document_date", "document_url"]
    assert first["doc"] == first["document_id"]
    assert list(first)[-1] == "schema_version" and {r["schema_version"] for r in lines} == {SCHEMA_VERSION}
    assert all(isinstance(r["approx"], bool) for r in lines)
    assert all(r["sentence"] for r in lines)
    # Numbers read back as they were written (a count of 13 is 13, not 13.0), each with its record.
    key = lambda r: (r["doc"], r["start"])  # noqa: E731
    written = {key(m): m for m in handmade.all_metrics()}
    assert {key(r): repr(r["value"]) for r in lines} == {k: repr(m["value"]) for k, m in written.items()}
    for r in lines:
        m = written[key(r)]
        assert (r["indicator"], r["basis"], r["period_type"], r["period_end"]) == (
            m["indicator"], m["basis"], m["period_type"], m["period_end"],
        )  # fmt: skip
        assert r["id"] == f"{r['document_id']}-{r['start']}-{r['end']}"

    docs = io.StringIO()
    export(db, "documents", "jsonl", docs)
    rows = [json.loads(line) for line in docs.getvalue().splitlines()]
    assert all(isinstance(r["flags"], list) for r in rows)
    assert any(r["flags"] for r in rows)  # the mirror page was flagged
    assert {r["authority"] for r in rows if r["spider"] == "handmade"} == {
        "official",
        "association",
        "mirror",
    }

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
    assert target.read_text(encoding="utf-8-sig").startswith(
        "doc,id,document_id,document_date,document_url,subject,zone_id,metric,indicator,basis,value"
    )
    result = CliRunner().invoke(cli, ["export", "errors", "--db", str(db)])
    assert result.exit_code == 0
    assert [json.loads(line)["kind"] for line in result.output.splitlines()] == ["dns", "timeout", "http_500"]
