"""`zonecrawl series` and `zonecrawl export` (facts, panel, metrics; csv, jsonl, parquet) on the
hand-made pages of `handmade`: what a researcher reads off the pages is what the commands give."""

from __future__ import annotations

import csv
import io
import json
import re
import sqlite3
from pathlib import Path

import handmade
import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner

from crawler import cli as cli_module
from crawler import export as export_module
from crawler.cli import cli
from crawler.export import SCHEMA_VERSION
from crawler.store import Store, document_id
from extractors import vocabulary

ROOT = Path(__file__).resolve().parent.parent
BOM = b"\xef\xbb\xbf"

# 长沙高新区's facts, as the pages give them: (year, period_type, indicator, kind, basis, value,
# n_documents, conflict), ordered by indicator, year and period end.
CHANGSHA = [
    (2021, "as_of", "high_tech_enterprises", "level", "stock", 1856, 1, False),
    (2021, "year", "high_tech_enterprises", "level", "stock", 1850, 1, False),
    (2022, "as_of", "high_tech_enterprises", "level", "stock", 2168, 3, True),
    (2022, "year", "high_tech_enterprises", "change", "net", 312, 1, False),
    (2021, "year", "revenue", "level", "stock", 350_000_000_000, 1, False),
    (2022, "year", "revenue", "growth", "stock", 12.5, 1, False),
    (2022, "year", "revenue", "level", "stock", 400_000_000_000, 1, False),
]


@pytest.fixture(scope="module")
def db(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("dataset") / "zones.db"
    with Store(path) as store:
        handmade.fill(store)
        store.record_error(1, "http://dead.example.cn/", "dns", "no such host", "handmade")
    return path


def run(*args: str):
    return CliRunner().invoke(cli, [str(a) for a in args])


def series_rows(db, *args: str) -> list[dict]:
    result = run("series", *args, "--db", db, "--format", "jsonl")
    assert result.exit_code == 0, result.output
    return [json.loads(line) for line in result.stdout.splitlines()]


def short(rows: list[dict]) -> list[tuple]:
    keys = ["year", "period_type", "indicator", "kind", "basis", "value", "n_documents", "conflict"]
    return [tuple(r[k] for k in keys) for r in rows]


# series


def test_series_by_id_name_short_name_and_alias_give_the_same_rows(db):
    by_id = series_rows(db, "changsha")
    assert short(by_id) == CHANGSHA
    assert list(by_id[0]) == [
        "year", "period", "period_type", "indicator", "name", "kind", "basis", "value", "unit",
        "n_documents", "conflict",
    ]  # fmt: skip
    for zone in ("长沙高新区", "长沙高新技术产业开发区", "麓谷", "长沙国家高新区", "CHANGSHA"):
        assert series_rows(db, zone) == by_id, zone


def test_series_keeps_the_indicators_asked_for(db):
    rows = series_rows(db, "麓谷", "revenue")
    assert short(rows) == [r for r in CHANGSHA if r[2] == "revenue"]
    assert [(r["value"], r["unit"]) for r in rows] == [
        (350_000_000_000, "元"),
        (12.5, "%"),
        (400_000_000_000, "元"),
    ]
    both = series_rows(db, "changsha", "revenue", "high_tech_enterprises")
    assert short(both) == CHANGSHA  # ordered by indicator, whatever the order asked


def test_series_of_a_subject_that_is_no_registry_zone(db):
    assert short(series_rows(db, "湖南省高新区")) == [
        (2022, "year", "high_tech_enterprises", "level", "stock", 12000, 1, False)
    ]


def test_series_marks_the_conflict(db):
    result = run("series", "changsha", "high_tech_enterprises", "--db", db)
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    marked = [line for line in lines if re.search(r"\d家 \*", line)]
    assert len(marked) == 1 and "2,168家 *" in marked[0] and "2022" in marked[0]
    assert lines[-1].startswith("* ") and "disagree" in lines[-1]  # the footnote
    assert not any("*" in line for line in lines if "1,856家" in line or "312家" in line)

    table = list(csv.DictReader(io.StringIO(run("series", "changsha", "--db", db, "--format", "csv").stdout)))
    assert [(r["year"], r["value"], r["conflict"]) for r in table if r["conflict"] == "true"] == [
        ("2022", "2168", "true")
    ]
    assert {r["conflict"] for r in table} == {"true", "false"}


def test_series_table_without_conflict_has_no_footnote(db):
    result = run("series", "changsha", "revenue", "--db", db)
    assert result.exit_code == 0
    assert "*" not in result.stdout
    assert "4,000亿元" in result.stdout and "12.5%" in result.stdout


def test_series_names_indicators_from_the_vocabulary(db, monkeypatch):
    names = {"high_tech_enterprises": "高新技术企业", "revenue": "营业收入"}
    monkeypatch.setattr(
        vocabulary,
        "indicator",
        lambda i: vocabulary.Indicator(i, names[i], "", "", (), (), ()) if i in names else None,
    )
    rows = series_rows(db, "changsha")
    assert {(r["indicator"], r["name"]) for r in rows} == set(names.items())
    assert "高新技术企业" in run("series", "changsha", "--db", db).stdout


def test_series_without_a_vocabulary_still_works(db, monkeypatch):
    def missing(_):
        raise FileNotFoundError("extractors/data/indicators.tsv")

    monkeypatch.setattr(vocabulary, "indicator", missing)
    rows = series_rows(db, "changsha")
    assert short(rows) == CHANGSHA and {r["name"] for r in rows} == {None}
    result = run("series", "changsha", "--db", db)
    assert result.exit_code == 0 and "2,168家 *" in result.stdout


def test_unknown_zone_exits_2_with_one_line(db):
    for zone in ("长沙", "nowhere", ""):
        result = run("series", zone, "--db", db)
        assert result.exit_code == 2, zone
        assert result.stdout == ""
        assert len(result.stderr.strip().splitlines()) == 1 and "unknown zone" in result.stderr
        assert "Traceback" not in result.output
    assert "长沙高新区 (changsha)" in run("series", "长沙", "--db", db).stderr  # a hint


def test_a_zone_without_facts_says_so_and_exits_0(db):
    for fmt in ("table", "jsonl"):
        result = run("series", "株洲高新区", "revenue", "--db", db, "--format", fmt)
        assert result.exit_code == 0
        assert result.stdout == ""
        assert result.stderr.startswith("zonecrawl: no facts for 株洲高新区 (zhuzhou) for revenue")
    result = run("series", "zhuzhou", "--db", db, "--format", "csv")
    assert result.exit_code == 0 and result.stdout.startswith("year,period,")
    assert "exit status is 0" in run("series", "--help").stdout


# export


def export_bytes(db, tmp_path, what: str, fmt: str, *options: str) -> bytes:
    target = tmp_path / f"{what}-{fmt}-{len(list(tmp_path.iterdir()))}.{fmt}"
    result = run("export", what, "--db", db, "--format", fmt, "-o", target, *options)
    assert result.exit_code == 0, result.output
    return target.read_bytes()


def test_panel_parquet(db, tmp_path):
    target = tmp_path / "panel.parquet"
    result = run("export", "panel", "--db", db, "--format", "parquet", "-o", target)
    assert result.exit_code == 0, result.output
    table = pq.read_table(target)
    assert table.schema.metadata[b"zonecrawl_schema_version"] == str(SCHEMA_VERSION).encode() == b"2"
    assert table.column_names == [
        "subject", "zone_id", "year", "high_tech_enterprises", "revenue", "revenue_growth", "schema_version",
    ]  # fmt: skip
    rows = {(r["zone_id"] or r["subject"], r["year"]): r for r in table.to_pylist()}
    assert list(rows) == [("zhuzhou", 2022), ("湖南省高新区", 2022), ("changsha", 2021), ("changsha", 2022)]
    assert rows[("changsha", 2022)]["high_tech_enterprises"] == 2168  # the consensus, not the mirror's 2100
    assert rows[("changsha", 2022)]["revenue"] == 400_000_000_000
    assert rows[("changsha", 2022)]["revenue_growth"] == 12.5
    assert (
        rows[("changsha", 2021)]["high_tech_enterprises"] == 1850
    )  # the year's figure over the year-end stock
    assert rows[("changsha", 2021)]["revenue_growth"] is None
    assert rows[("zhuzhou", 2022)]["high_tech_enterprises"] == 1000
    assert rows[("湖南省高新区", 2022)]["zone_id"] is None
    assert {r["schema_version"] for r in rows.values()} == {2}
    assert 312 not in [v for r in rows.values() for v in r.values()]  # a net change is no level


def test_panel_csv_and_jsonl_agree_with_parquet(db, tmp_path):
    text = export_bytes(db, tmp_path, "panel", "csv", "--no-bom").decode("utf-8")
    assert text.splitlines()[:2] == [
        "subject,zone_id,year,high_tech_enterprises,revenue,revenue_growth,schema_version",
        "株洲高新区,zhuzhou,2022,1000,,,2",
    ]
    lines = [json.loads(line) for line in export_bytes(db, tmp_path, "panel", "jsonl").decode().splitlines()]
    parquet = pq.read_table(tmp_path / _write_parquet(db, tmp_path, "panel")).to_pylist()
    assert lines == parquet


def _write_parquet(db, tmp_path, what: str) -> str:
    name = f"{what}-again.parquet"
    assert run("export", what, "--db", db, "--format", "parquet", "-o", tmp_path / name).exit_code == 0
    return name


def test_parquet_needs_a_file(db):
    result = run("export", "panel", "--db", db, "--format", "parquet")
    assert result.exit_code == 2
    assert "-o FILE" in result.stderr and "Traceback" not in result.output


def test_csv_has_a_byte_order_mark_unless_no_bom(db, tmp_path):
    with_bom = export_bytes(db, tmp_path, "facts", "csv")
    without = export_bytes(db, tmp_path, "facts", "csv", "--no-bom")
    assert with_bom.startswith(BOM + b"id,subject,zone_id,indicator")
    assert without.startswith(b"id,subject,zone_id,indicator")
    assert with_bom == BOM + without
    stdout = run("export", "metrics", "--db", db, "--format", "csv").stdout_bytes
    assert stdout.startswith(BOM + b"doc,")
    assert not run("export", "metrics", "--db", db, "--format", "csv", "--no-bom").stdout_bytes.startswith(
        BOM
    )
    assert "byte-order mark" in run("export", "--help").stdout
    # What Excel and csv readers see: the Chinese text intact.
    rows = list(csv.DictReader(io.StringIO(with_bom.decode("utf-8-sig"))))
    assert {r["subject"] for r in rows} == {"长沙高新区", "株洲高新区", "湖南省高新区"}


def test_facts_export(db, tmp_path):
    lines = [json.loads(line) for line in export_bytes(db, tmp_path, "facts", "jsonl").decode().splitlines()]
    assert len(lines) == len(CHANGSHA) + 2  # and 株洲高新区's, 湖南省高新区's
    (conflict,) = [r for r in lines if r["conflict"]]
    assert (conflict["subject"], conflict["value"], conflict["n_documents"]) == ("长沙高新区", 2168, 3)
    assert conflict["values"] == [
        {"value": 2100, "documents": [document_id(handmade.PAGES[2][0])], "n_documents": 1},
        {
            "value": 2168,
            "documents": sorted(document_id(p[0]) for p in handmade.PAGES[:2]),
            "n_documents": 2,
        },
    ]
    assert all(isinstance(r["metric_ids"], list) and r["metric_ids"] for r in lines)
    assert all(isinstance(r["conflict"], bool) and isinstance(r["approx"], bool) for r in lines)
    assert {r["schema_version"] for r in lines} == {SCHEMA_VERSION}
    # A reader's order: by subject, then indicator, then through time.
    keys = [(r["subject"], r["indicator"]) for r in lines]
    assert keys == sorted(keys)

    table = list(csv.DictReader(io.StringIO(export_bytes(db, tmp_path, "facts", "csv").decode("utf-8-sig"))))
    assert [r["id"] for r in table] == [r["id"] for r in lines]
    assert json.loads(table[0]["values"])  # JSON text in CSV


def test_metrics_export_has_document_date_and_url(db, tmp_path):
    pages = {document_id(p[0]): (p[3], p[0]) for p in handmade.PAGES}
    for fmt in ("jsonl", "csv"):
        data = export_bytes(db, tmp_path, "metrics", fmt).decode("utf-8-sig")
        rows = (
            [json.loads(line) for line in data.splitlines()]
            if fmt == "jsonl"
            else list(csv.DictReader(io.StringIO(data)))
        )
        assert len(rows) == len(handmade.all_metrics())
        for r in rows:
            assert (r["document_date"], r["document_url"]) == pages[r["document_id"]], fmt
            assert str(r["schema_version"]) == "2"
    table = pq.read_table(tmp_path / _write_parquet(db, tmp_path, "metrics"))
    assert {"document_date", "document_url", "indicator", "basis", "period_type"} <= set(table.column_names)
    assert table.schema.field("value").type == "double" and table.schema.field("approx").type == "bool"


def test_every_export_carries_the_schema_version(db, tmp_path):
    for what in export_module.TABLES:
        lines = export_bytes(db, tmp_path, what, "jsonl").decode().splitlines()
        assert lines and all(json.loads(line)["schema_version"] == SCHEMA_VERSION for line in lines), what
        header = export_bytes(db, tmp_path, what, "csv", "--no-bom").decode().splitlines()[0]
        assert header.split(",")[-1] == "schema_version", what
        table = pq.read_table(tmp_path / _write_parquet(db, tmp_path, what))
        assert table.schema.metadata[b"zonecrawl_schema_version"] == b"2", what


def test_two_exports_are_byte_identical(db, tmp_path):
    # The same pages saved in the opposite order make the same facts, panel and metrics.
    other = tmp_path / "other" / "zones.db"
    with Store(other) as store:
        handmade.fill(store, pages=list(reversed(handmade.PAGES)))
    for what in ("facts", "panel", "metrics"):
        for fmt in ("csv", "jsonl", "parquet"):
            first = export_bytes(db, tmp_path, what, fmt)
            assert export_bytes(db, tmp_path, what, fmt) == first, (what, fmt)
            assert export_bytes(other, tmp_path, what, fmt) == first, (what, fmt)


def test_a_failed_export_leaves_no_file(tmp_path):
    empty = tmp_path / "old.db"
    sqlite3.connect(empty).close()
    target = tmp_path / "facts.csv"
    result = run("export", "facts", "--db", empty, "--format", "csv", "-o", target)
    assert result.exit_code == 1 and "no facts table" in result.stderr
    assert not target.exists() and list(tmp_path.iterdir()) == [empty]


def test_the_cli_offers_every_export():
    assert cli_module.EXPORTS == export_module.TABLES


def test_the_schema_document_names_every_column(db, tmp_path):
    """docs/schema.md describes each column of each table and of each export."""
    text = (ROOT / "docs" / "schema.md").read_text(encoding="utf-8")
    assert f"Schema version {SCHEMA_VERSION}" in text
    with Store(db) as store:
        tables = {t: [c.name for c in store.db[t].columns] for t in store.db.table_names() if "_fts" not in t}
    for what in ("facts", "panel", "metrics"):
        tables[f"export {what}"] = export_module.columns(db, what)
    for name, columns in tables.items():
        for column in columns:
            if name == "export panel" and column not in {"subject", "zone_id", "year", "schema_version"}:
                continue  # one per indicator: described by pattern
            assert f"`{column}`" in text, (name, column)
    assert "(docs/schema.md)" in (ROOT / "README.md").read_text(encoding="utf-8")
