"""`zonecrawl export`: one table as CSV or JSON lines, for scoring tools and spreadsheets.

Columns come in the table's schema order (metrics lead with `doc`, the document id, as the records
of `zonecrawl metrics` do) and rows in primary-key order, so two exports of the same data are
byte-identical. In JSON lines, columns that hold JSON are decoded and flags are booleans.
"""

from __future__ import annotations

import csv
import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import TextIO

import sqlite_utils

TABLES = ["metrics", "documents", "zones", "runs", "errors", "pages"]
JSON_COLUMNS = {
    "documents": {"flags"},
    "zones": {"aliases"},
    "runs": {"spiders", "settings", "stats"},
}
BOOL_COLUMNS = {"metrics": {"approx"}}


def _open(db_path: str | Path) -> sqlite_utils.Database:
    """The database, read-only (an export may run while a crawl writes)."""
    path = Path(db_path)
    if not path.is_file():
        raise FileNotFoundError(f"no database at {db_path}")
    return sqlite_utils.Database(sqlite3.connect(path.resolve().as_uri() + "?mode=ro", uri=True))


def _query(db: sqlite_utils.Database, table: str) -> tuple[list[str], str]:
    if table not in TABLES:
        raise ValueError(f"unknown table {table!r} (one of {', '.join(TABLES)})")
    t = db[table]
    if not t.exists():
        raise ValueError(f"the database has no {table} table")
    columns = [c.name for c in t.columns]
    order = ", ".join(f"[{c}]" for c in t.pks)
    select = ", ".join(f"[{c}]" for c in columns)
    if table == "metrics":
        columns = ["doc", *columns]
        select = f"[document_id] as doc, {select}"
    return columns, f"select {select} from [{table}] order by {order}"


def rows(db_path: str | Path, table: str, decode: bool = False) -> Iterator[dict]:
    """The rows of TABLE in a stable order; with DECODE, JSON and boolean columns as Python values."""
    db = _open(db_path)
    try:
        columns, sql = _query(db, table)
        as_json, as_bool = JSON_COLUMNS.get(table, set()), BOOL_COLUMNS.get(table, set())
        for values in db.execute(sql):
            row = dict(zip(columns, values))
            # A REAL column gives 15.0 for a count of 15: write it as the extractors do.
            for c, v in row.items():
                if isinstance(v, float) and v.is_integer():
                    row[c] = int(v)
            if decode:
                for c in as_json:
                    if isinstance(row.get(c), str):
                        row[c] = json.loads(row[c])
                for c in as_bool:
                    if row.get(c) is not None:
                        row[c] = bool(row[c])
            yield row
    finally:
        db.close()


def export(db_path: str | Path, table: str, fmt: str, out: TextIO) -> int:
    """Write TABLE to OUT as `csv` or `jsonl`; returns the number of rows."""
    n = 0
    if fmt == "jsonl":
        for row in rows(db_path, table, decode=True):
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
            n += 1
    elif fmt == "csv":
        db = _open(db_path)
        try:
            columns, _ = _query(db, table)
        finally:
            db.close()
        writer = csv.DictWriter(out, columns)
        writer.writeheader()
        for row in rows(db_path, table):
            writer.writerow(row)
            n += 1
    else:
        raise ValueError(f"unknown format {fmt!r} (csv or jsonl)")
    return n
