"""`zonecrawl serve`: the database in Datasette, read-only and reachable from this machine only."""

from __future__ import annotations

import asyncio
import sqlite3
from importlib.resources import files
from pathlib import Path

import yaml

HOST = "127.0.0.1"  # never another interface: the database is for the researcher at this machine
SETTINGS = {
    # The short-query search scans whole bodies; give it time on a large database.
    "sql_time_limit_ms": 5000,
    "facet_time_limit_ms": 1000,
}


def database_name(db_path: str | Path) -> str:
    """The name Datasette gives the database: its file's stem."""
    return Path(db_path).stem


# The database the bundled metadata describes, as `datasette data/zones.db` names it.
METADATA_DATABASE = "zones"


def bundled_metadata() -> dict:
    """The bundled Datasette metadata as it is written (for a database named `zones`)."""
    text = files("crawler.datasette").joinpath("metadata.yaml").read_text(encoding="utf-8")
    return yaml.safe_load(text)


def metadata_for(db_path: str | Path) -> dict:
    """The bundled metadata (descriptions, facets, labels, canned queries), applied to the database
    at DB_PATH, whatever its file is called."""
    meta = bundled_metadata()
    databases = meta.get("databases") or {}
    meta["databases"] = {database_name(db_path): databases[METADATA_DATABASE]}
    return meta


def checkpoint(db_path: str | Path) -> None:
    """Fold the write-ahead log into the file: an immutable database is read without its WAL."""
    conn = sqlite3.connect(db_path)
    try:
        conn.execute("pragma wal_checkpoint(truncate)")
    finally:
        conn.close()


def app(db_path: str | Path):
    """The Datasette instance `serve` runs: the file opened immutable, with the bundled metadata."""
    from datasette.app import Datasette

    return Datasette(immutables=[str(db_path)], metadata=metadata_for(db_path), settings=SETTINGS)


def serve(db_path: str | Path, port: int = 8001) -> None:
    """Serve DB_PATH read-only at http://127.0.0.1:PORT/ until interrupted.

    The database is shown as it was when the server started; restart it after a crawl.
    """
    import uvicorn

    checkpoint(db_path)
    ds = app(db_path)
    asyncio.run(ds.invoke_startup())
    name = database_name(db_path)
    print(f"zonecrawl: serving {db_path} read-only at http://{HOST}:{port}/{name} (Ctrl-C stops)")
    uvicorn.run(ds.app(), host=HOST, port=port, log_level="warning")
