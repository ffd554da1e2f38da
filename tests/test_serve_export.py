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
        return [
            await ds.client.get(f"/zones.json?sql={sql}")
            for sql in ("delete+from+documents", "update+documents+set+title=1", "drop+table+runs")
        ]

    assert [r.status_code >= 400 for r in asyncio.run(write())] == [True] * 3
    assert _all(db, "select count(*) from documents")[0][0] == N_DOCUMENTS


def _capture_uvicorn(monkeypatch) -> dict:
    """Stand in for uvicorn.run: what `serve` would listen on, and the ASGI app it would serve."""
    import uvicorn

    started = {}
    monkeypatch.setattr(uvicorn, "run", lambda asgi, **kw: started.update(kw, asgi=asgi))
    return started


def _get_from(asgi, path: str):
    import httpx

    async def go():
        transport = httpx.ASGITransport(app=asgi)
        async with httpx.AsyncClient(transport=transport, base_url="http://localhost") as client:
            response = await client.get(path)
            assert response.status_code == 200, response.text
            return response.json()

    return asyncio.run(go())


def test_serve_binds_to_localhost_and_shows_writes_of_an_open_store(tmp_path, monkeypatch):
    path = tmp_path / "live.db"
    store = Store(path)  # still open: its writes sit in the write-ahead log
    _fill(store)
    started = _capture_uvicorn(monkeypatch)
    assert serve_module.serve(path, port=8765) == 0
    assert (started["host"], started["port"]) == (HOST, 8765) == ("127.0.0.1", 8765)
    asgi = started["asgi"]
    assert len(_get_from(asgi, "/live/documents.json?_shape=array&_size=max")) == N_DOCUMENTS
    assert (
        len(_get_from(asgi, "/live/conflicts.json?_shape=array")) == 1
    )  # the canned queries follow the file
    new_page = ("http://new.example.cn/1.html", *handmade.PAGES[0][1:])
    handmade.fill(store, None, pages=[new_page])  # written while served, no restart
    assert len(_get_from(asgi, "/live/documents.json?_shape=array&_size=max")) == N_DOCUMENTS + 1
    store.close()


def test_serve_passes_further_options_to_datasette(db, monkeypatch):
    started = _capture_uvicorn(monkeypatch)
    args = ["serve", "--db", str(db), "-p", "8766", "--", "--setting", "max_returned_rows", "7"]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    settings = _get_from(started["asgi"], "/-/settings.json")
    assert settings["max_returned_rows"] == 7
    assert settings["sql_time_limit_ms"] == serve_module.SETTINGS["sql_time_limit_ms"]  # ours still apply
    assert started["host"] == HOST and started["port"] == 8766
    # Without `--`, an option zonecrawl does not know goes through too.
    started.clear()
    result = CliRunner().invoke(cli, ["serve", "--db", str(db), "--cors"])
    assert result.exit_code == 0, result.output
    assert started["host"] == HOST


def test_serve_rejects_an_unknown_datasette_option(db, monkeypatch):
    started = _capture_uvicorn(monkeypatch)
    result = CliRunner().invoke(cli, ["serve", "--db", str(db), "--", "--no-such-option"])
    assert result.exit_code == 2
    assert "Error: No such option" in result.output and "'--no-such-option'" in result.output
    assert "Traceback" not in result.output and not started


WRITER = """
import sys, time
sys.path.insert(0, {tests!r})
import handmade
from crawler.store import Store

with Store({path!r}) as store:
    for i in range({n}):
        page = ("http://writer.example.cn/%d.html" % i, *handmade.PAGES[i % len(handmade.PAGES)][1:])
        handmade.fill(store, None, pages=[page])
        time.sleep(0.01)
"""


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def _fetch(url: str) -> tuple[int, str]:
    import urllib.error
    import urllib.request

    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode("utf-8", "replace")


def test_serve_while_another_process_writes(tmp_path):
    """A real `zonecrawl serve` on 127.0.0.1 while a second process saves pages: every request
    answers, none sees a damaged file, and the new documents show without a restart."""
    import subprocess
    import sys
    import time
    from pathlib import Path

    path = tmp_path / "zones.db"
    with Store(path) as store:
        _fill(store)
    port, n = _free_port(), 60
    base = f"http://{HOST}:{port}/zones"
    count_url = f"{base}.json?sql=select+count(*)+as+n+from+documents&_shape=array"
    server = subprocess.Popen(
        [sys.executable, "-m", "crawler.cli", "serve", "--db", str(path), "-p", str(port)],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        for _ in range(100):  # until it listens
            try:
                if _fetch(count_url)[0] == 200:
                    break
            except OSError:
                time.sleep(0.1)
        tests = str(Path(__file__).parent)
        writer = subprocess.Popen([sys.executable, "-c", WRITER.format(tests=tests, path=str(path), n=n)])
        seen, failures = [], []
        while writer.poll() is None:
            for url in (count_url, f"{base}/documents.json?_search=%E9%BA%93%E8%B0%B7&_size=5"):
                status, text = _fetch(url)
                if status != 200 or "malformed" in text:
                    failures.append((status, text[:200]))
                elif url == count_url:
                    seen.append(json.loads(text)[0]["n"])
        assert writer.returncode == 0
        status, text = _fetch(count_url)
        assert status == 200 and json.loads(text)[0]["n"] == N_DOCUMENTS + n
        assert failures == []
        assert seen == sorted(seen) and len(set(seen)) > 1  # the count grew while we watched
    finally:
        server.terminate()
        server.wait(timeout=10)
    assert "malformed" not in server.stderr.read()


def _search(db, table: str, q: str, column: str) -> set[str]:
    from urllib.parse import quote

    rows = _get(db, f"/zones/{table}.json?_search={quote(q)}&_shape=array&_size=max&_col={column}")
    return {r["id"] for r in rows}


def _containing(db, table: str, columns: list[str], terms: list[str]) -> set[str]:
    rows = _all(
        db,
        f"select id, {' || char(10) || '.join(f'coalesce({c}, {chr(39)}{chr(39)})' for c in columns)} from {table}",
    )
    return {i for i, text in rows if all(t.lower() in text.lower() for t in terms)}


def test_table_search_box_finds_short_chinese_words(db):
    for q in ("麓谷", "洛", "长沙", "衡阳", "高新技术企业", "长沙 高新技术企业", "麓谷 2021"):
        expected = _containing(db, "documents", ["title", "body"], q.split())
        assert _search(db, "documents", q, "title") == expected, q
        assert expected, q
    for q in ("企业", "营收", "家", "高新技术企业"):
        expected = _containing(db, "metrics", ["sentence"], [q])
        assert _search(db, "metrics", q, "sentence") == expected, q
    assert _search(db, "documents", "没有这个", "title") == set()
    assert _search(db, "documents", "%", "title") == _containing(db, "documents", ["title", "body"], ["%"])


def test_store_search_answers_as_the_search_box(db):
    """`Store.search` and the table search box find the same rows, short words and several words."""
    with Store(db) as store:
        for q in ("麓谷", "长沙 高新技术企业", "高新技术企业", "麓谷 2021", "没有这个"):
            assert {r["id"] for r in store.search(q, limit=1000)} == _search(db, "documents", q, "title"), q
        for q in ("企业", "营业收入 增长"):
            hits = {r["id"] for r in store.search(q, "metrics", limit=1000)}
            assert hits == _containing(db, "metrics", ["sentence"], q.split()), q


def test_search_page_shows_the_short_query(db):
    async def go():
        ds = app(db)
        await ds.invoke_startup()
        return (await ds.client.get("/zones/documents?_search=%E9%BA%93%E8%B0%B7")).text

    page = asyncio.run(go())
    assert 'value="麓谷"' in page  # the box keeps what was typed
    n = len(_containing(db, "documents", ["title", "body"], ["麓谷"]))
    assert f"{n} row{'s' if n > 1 else ''} where search matches &#34;麓谷&#34;" in page
    assert "麓谷2021年成绩单" in page


def test_zone_chart_canned_query_and_chart_plugin(db):
    rows = _get(db, "/zones/zone_chart.json?zone=麓谷&indicator=high_tech_enterprises&_shape=array")
    assert [(r["series"], r["year"], r["value"]) for r in rows] == [
        ("high_tech_enterprises change net", 2022, 312),
        ("high_tech_enterprises level stock", 2021, 1856),  # the year-end figure beside the year's 1850
        ("high_tech_enterprises level stock", 2022, 2168),
    ]
    plugins = {p["name"] for p in _get(db, "/-/plugins.json")}
    assert "datasette-vega" in plugins  # the chart on every table and query page


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
