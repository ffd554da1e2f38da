"""`zonecrawl serve`: the database in Datasette, read-only and reachable from this machine only."""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Sequence
from importlib.resources import files
from pathlib import Path

import yaml

HOST = "127.0.0.1"  # the default interface: the database is for the researcher at this machine
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


def register_plugins() -> None:
    """Load the bundled plugins (short-query table search) into Datasette, once per process."""
    from datasette.plugins import pm

    from crawler.datasette.plugins import short_search

    if not pm.is_registered(short_search):
        pm.register(short_search, name="zonecrawl_short_search")


def app(db_path: str | Path):
    """The Datasette instance `serve` runs, for tests and embedding: the file opened as a mutable
    database (Datasette reads it over read-only connections, so a crawl may write meanwhile and
    its pages show at once), with the bundled metadata and plugins."""
    from datasette.app import Datasette

    register_plugins()
    return Datasette(files=[str(db_path)], metadata=metadata_for(db_path), settings=SETTINGS)


def datasette_args(
    db_path: str | Path, port: int, metadata_file: str, extra: Sequence[str] = ()
) -> list[str]:
    """The `datasette serve` command line for DB_PATH; EXTRA options come last, so they win."""
    args = [str(db_path), "--host", HOST, "--port", str(port), "-m", metadata_file]
    for name, value in SETTINGS.items():
        args += ["--setting", name, str(value)]
    return args + list(extra)


def serve(db_path: str | Path, port: int = 8001, extra: Sequence[str] = ()) -> int:
    """Serve DB_PATH read-only at http://127.0.0.1:PORT/ until interrupted; returns the exit status.

    The file is not opened immutable: pages a crawl or `reprocess` writes meanwhile show without a
    restart. EXTRA are further `datasette serve` options (`--setting`, `--cors`, `--host` …).
    """
    import click
    from datasette.cli import serve as datasette_serve

    register_plugins()
    fd, metadata_file = tempfile.mkstemp(prefix="zonecrawl-metadata-", suffix=".json")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            json.dump(metadata_for(db_path), out, ensure_ascii=False)
        try:
            ctx = datasette_serve.make_context(
                "zonecrawl serve", datasette_args(db_path, port, metadata_file, extra)
            )
        except click.UsageError as e:  # an option Datasette does not know: its message, no traceback
            e.show()
            return 2
        # Uvicorn prints the address it listens on (options in EXTRA may change it).
        print(f"zonecrawl: serving {db_path} read-only as /{database_name(db_path)} (Ctrl-C stops)")
        with ctx:
            datasette_serve.invoke(ctx)
        return 0
    finally:
        os.unlink(metadata_file)
