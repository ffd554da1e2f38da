"""`zonecrawl export`: the database's tables, its facts and the zone-by-year panel, as CSV, JSON
lines or Parquet, for scoring tools and spreadsheets.

- Columns come in a documented order (`docs/schema.md`): a table's schema order, metrics with
  `doc` (the document id, as the records of `zonecrawl metrics` have it) and the document's date
  and URL in front. Rows come in a stable order, so two exports of the same data are
  byte-identical.
- Every row carries `schema_version` (`SCHEMA_VERSION`), and a Parquet file also has it in its
  metadata under `zonecrawl_schema_version`: a scoring tool can refuse columns it does not know.
- In JSON lines, columns that hold JSON are decoded and flags are booleans; in CSV they stay as
  stored (JSON text, 0/1). Parquet is typed: text, 64-bit integers and floats, booleans for flags.
- `panel` is wide: one row per (subject, zone_id, year), one column per indicator holding its
  stock level that year, and `<indicator>_growth` beside it (see `panel`).
"""

from __future__ import annotations

import csv
import json
import sqlite3
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, TextIO

import sqlite_utils

# 2: metrics gained indicator, basis, period_start, period_end, period_type and content ids
#    (`<document_id>-<start>-<end>`); the export gained document_date and document_url; the facts
#    table and the panel export; schema_version itself.
SCHEMA_VERSION = 2
PARQUET_KEY = b"zonecrawl_schema_version"

# What to do with a database made before facts existed: reprocessing migrates it and fills them.
NO_FACTS_HINT = "run `zonecrawl reprocess --db PATH` to build it"
TABLES = ["facts", "panel", "metrics", "documents", "zones", "runs", "errors", "pages"]
FORMATS = ["csv", "jsonl", "parquet"]
JSON_COLUMNS = {
    "documents": {"flags", "tables"},
    "zones": {"aliases"},
    "runs": {"spiders", "settings", "stats"},
    "facts": {"values", "metric_ids"},
}
BOOL_COLUMNS = {"metrics": {"approx"}, "facts": {"approx", "conflict"}}
# The order metrics columns are exported in (any other column of the table follows them).
METRIC_ORDER = [
    "id", "document_id", "document_date", "document_url", "subject", "zone_id", "metric", "indicator",
    "basis", "value", "unit", "kind", "period", "period_start", "period_end", "period_type", "approx",
    "bound", "text", "sentence", "start", "end",
]  # fmt: skip
# Facts in a reader's order: a subject's indicators, each through time.
FACTS_ORDER = "subject, zone_id, indicator, kind, basis, unit, period_end, period_start, id"
# Units that are not counts: a panel column never mixes two of them (or one with counts).
_MONEY = "元 美元 欧元 日元 英镑 港元"
_MEASURES = "平方公里 平方米 立方米 公顷 亩 公里 千米 米 千克 公斤 吨 千瓦时 千瓦 兆瓦 标箱"
_NOT_COUNTS = frozenset(f"{_MONEY} % 个百分点 位 {_MEASURES}".split())


@dataclass(frozen=True)
class Column:
    name: str
    type: str  # text, int, float or bool: what Parquet stores; CSV and JSON lines follow the value


def _open(db_path: str | Path) -> sqlite_utils.Database:
    """The database, read-only (an export may run while a crawl writes)."""
    path = Path(db_path)
    if not path.is_file():
        raise FileNotFoundError(f"no database at {db_path}")
    return sqlite_utils.Database(sqlite3.connect(path.resolve().as_uri() + "?mode=ro", uri=True))


def _type(declared: str) -> str:
    declared = (declared or "").upper()
    if "INT" in declared:
        return "int"
    if any(t in declared for t in ("REAL", "FLOA", "DOUB")):
        return "float"
    return "text"


def _table_query(db: sqlite_utils.Database, table: str) -> tuple[list[Column], str]:
    """The columns of TABLE as exported and the query that reads them in a stable order."""
    t = db[table]
    if not t.exists():
        hint = f" ({NO_FACTS_HINT})" if table == "facts" else ""
        raise ValueError(f"the database has no {table} table{hint}")
    bools = BOOL_COLUMNS.get(table, set())
    have = {c.name: Column(c.name, "bool" if c.name in bools else _type(c.type)) for c in t.columns}
    if table == "metrics":
        have["document_date"] = Column("document_date", "text")
        have["document_url"] = Column("document_url", "text")
        names = [c for c in METRIC_ORDER if c in have] + [c for c in have if c not in METRIC_ORDER]
        select = ", ".join(
            {"document_date": "d.[date]", "document_url": "d.[url]"}.get(c, f"m.[{c}]") + f" as [{c}]"
            for c in names
        )
        columns = [Column("doc", "text"), *(have[c] for c in names)]
        sql = (
            f"select m.[document_id] as doc, {select} from metrics m "
            "left join documents d on d.id = m.document_id "
            "order by m.document_id, m.[start], m.[end], m.id"
        )
        return columns, sql
    names = list(have)
    order = FACTS_ORDER if table == "facts" else ", ".join(f"[{c}]" for c in t.pks)
    sql = f"select {', '.join(f'[{c}]' for c in names)} from [{table}] order by {order}"
    return [have[c] for c in names], sql


def _plain(value: object) -> object:
    """A REAL that holds a whole number (a count of 15 stored as 15.0) as the int it was written as."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _family(unit: str | None) -> str:
    """What a panel column may mix: counts in any measure word (家, 个, 项), else one unit."""
    return unit if unit in _NOT_COUNTS else "count"


def _cell_rank(f: dict) -> tuple:
    """How well a fact fills a panel cell: a whole year's figure before a year-end stock, then more
    documents, then an exact value before an approximate one, then the more recent report."""
    exact = not f["approx"] and not f["bound"]
    return (f["period_type"] == "year", f["n_documents"], exact, f["last_date"] or "")


def panel(db: sqlite_utils.Database) -> tuple[list[Column], list[tuple]]:
    """The facts as a wide table: one row per (subject, zone_id, year), and per indicator its stock
    level (kind level, basis stock; a `year` fact, or an `as_of` one at 31 December) and, as
    `<id>_growth`, its growth rate over the year (kind growth, basis stock, `year`).

    Where several facts compete for a cell, a `year` fact wins over an `as_of` one, then the one
    more documents report. A column keeps one unit: counts in any measure word, or else the unit
    most of its facts have (money in 元).
    """
    if not db["facts"].exists():
        raise ValueError(f"the database has no facts table ({NO_FACTS_HINT})")
    sql = """
        select id, subject, zone_id, indicator, kind, period_type, period_end, unit, value, approx,
               bound, n_documents, last_date
        from facts
        where indicator is not null and subject is not null and basis = 'stock'
          and period_end like '____-12-31'
          and ((kind = 'level' and period_type in ('year', 'as_of')) or (kind = 'growth' and period_type = 'year'))
        order by id
    """
    fields = ["id", "subject", "zone_id", "indicator", "kind", "period_type", "period_end", "unit",
              "value", "approx", "bound", "n_documents", "last_date"]  # fmt: skip
    by_column: dict[str, list[dict]] = defaultdict(list)
    for values in db.execute(sql):
        f = dict(zip(fields, values))
        name = f["indicator"] + ("_growth" if f["kind"] == "growth" else "")
        by_column[name].append(f)
    cells: dict[tuple, dict[str, object]] = defaultdict(dict)
    for name, facts in by_column.items():
        families = Counter(_family(f["unit"]) for f in facts)
        family = min(families, key=lambda u: (-families[u], u))
        best: dict[tuple, dict] = {}
        for f in facts:  # in id order, so an exact tie keeps the first
            if _family(f["unit"]) != family:
                continue
            key = (f["subject"], f["zone_id"], int(f["period_end"][:4]))
            if key not in best or _cell_rank(f) > _cell_rank(best[key]):
                best[key] = f
        for key, f in best.items():
            cells[key][name] = f["value"]
    indicators = sorted({n.removesuffix("_growth") for n in by_column})
    names = [n for i in indicators for n in (i, f"{i}_growth") if any(n in row for row in cells.values())]
    columns = [Column("subject", "text"), Column("zone_id", "text"), Column("year", "int")]
    columns += [Column(n, "float") for n in names]
    order = sorted(cells, key=lambda k: (k[0], k[1] or "", k[2]))
    return columns, [(*k, *(cells[k].get(n) for n in names)) for k in order]


def _read(db_path: str | Path, table: str) -> tuple[list[Column], Iterator[tuple]]:
    """The columns of TABLE's export and its rows, read as they are written out."""
    if table not in TABLES:
        raise ValueError(f"unknown table {table!r} (one of {', '.join(TABLES)})")
    db = _open(db_path)
    try:
        if table == "panel":
            columns, data = panel(db)
            cursor = iter(data)
        else:
            columns, sql = _table_query(db, table)
            cursor = db.execute(sql)
    except BaseException:
        db.close()
        raise

    def read() -> Iterator[tuple]:
        try:
            for r in cursor:
                yield (*r, SCHEMA_VERSION)
        finally:
            db.close()

    return [*columns, Column("schema_version", "int")], read()


def columns(db_path: str | Path, table: str) -> list[str]:
    """The names of the columns an export of TABLE has, in order."""
    if table not in TABLES:
        raise ValueError(f"unknown table {table!r} (one of {', '.join(TABLES)})")
    db = _open(db_path)
    try:
        cols = panel(db)[0] if table == "panel" else _table_query(db, table)[0]
    finally:
        db.close()
    return [c.name for c in cols] + ["schema_version"]


def rows(db_path: str | Path, table: str, decode: bool = False) -> Iterator[dict]:
    """The rows of TABLE (or `panel`) in a stable order, whole numbers as ints; with DECODE, JSON
    and flag columns as Python values (lists, dicts, booleans)."""
    cols, data = _read(db_path, table)
    as_json, as_bool = JSON_COLUMNS.get(table, set()), BOOL_COLUMNS.get(table, set())
    for values in data:
        row = {c.name: _plain(v) for c, v in zip(cols, values)}
        if decode:
            for c in as_json:
                if isinstance(row.get(c), str):
                    row[c] = json.loads(row[c], parse_float=lambda t: _plain(float(t)))
            for c in as_bool:
                if row.get(c) is not None:
                    row[c] = bool(row[c])
        yield row


def _parquet(cols: list[Column], data: list[tuple], out: str | Path | BinaryIO) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    types = {"text": pa.string(), "int": pa.int64(), "float": pa.float64(), "bool": pa.bool_()}
    schema = pa.schema(
        [pa.field(c.name, types[c.type]) for c in cols],
        metadata={PARQUET_KEY: str(SCHEMA_VERSION).encode()},
    )

    def typed(c: Column, v: object) -> object:
        if v is None:
            return None
        if c.type == "bool":
            return bool(v)
        if c.type == "float":
            return float(v)
        if c.type == "int" and isinstance(v, float) and v.is_integer():
            return int(v)
        if c.type == "text" and not isinstance(v, str):
            return str(v)
        return v

    arrays = [pa.array([typed(c, r[i]) for r in data], type=types[c.type]) for i, c in enumerate(cols)]
    pq.write_table(pa.Table.from_arrays(arrays, schema=schema), out)


def export(
    db_path: str | Path, table: str, fmt: str, out: TextIO | BinaryIO | str | Path, *, bom: bool = False
) -> int:
    """Write TABLE (or `panel`) to OUT as `csv`, `jsonl` or `parquet`; returns the number of rows.

    OUT is a text stream for csv and jsonl, a path or binary stream for parquet. BOM starts a CSV
    with a UTF-8 byte-order mark (what Excel needs to read Chinese text as UTF-8).
    """
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r} (one of {', '.join(FORMATS)})")
    if fmt == "parquet":
        cols, data = _read(db_path, table)
        table_rows = list(data)
        _parquet(cols, table_rows, out)
        return len(table_rows)
    n = 0
    if fmt == "jsonl":
        for row in rows(db_path, table, decode=True):
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
            n += 1
        return n
    cols, data = _read(db_path, table)
    if bom:
        out.write("\ufeff")
    writer = csv.writer(out)
    writer.writerow([c.name for c in cols])
    for values in data:
        writer.writerow([_plain(v) for v in values])
        n += 1
    return n
