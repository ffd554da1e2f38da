"""`zonecrawl merge TARGET SOURCE...`: combine the databases of several crawl nodes into one.

Each node (a Scrapyd or a cron job on its own machine) crawls its share of the sites into its own
database. Merging them gives what one crawl of all the sites would have given:

- documents and pages by URL (their ids are hashes of the canonical URL), the later fetch winning;
  a document that wins brings its metrics, which replace the older ones (metrics by content id);
- runs keep their origin: each merged run is stored once, its settings naming the node database
  and the run id it had there (`merged_from`), and its errors are stored under it;
- recurring site blocks (the cross-page boilerplate) and the earlier versions of changed documents
  as unions;
- what portal discovery found (`discoveries`), under the merged run it was found in;
- facts rebuilt from the merged metrics; the zone registry is the target's own.

Merging the same databases again changes nothing. Sources are opened read-only and checked before
anything is written.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
import tempfile
from collections.abc import Iterable, Sequence
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path

import click
import sqlite_utils

from crawler.store import MIGRATIONS, Store, migrate, writing

# Tables a node database must have to be merged.
REQUIRED = ("runs", "errors", "documents", "metrics", "pages")
# Tables the merge leaves alone: the target rebuilds or owns them.
OWN = {"zones", "facts", "_migrations", "sqlite_sequence"}
MERGED = {
    "runs",
    "errors",
    "documents",
    "metrics",
    "pages",
    "site_blocks",
    "document_versions",
    "discoveries",
}


class MergeError(ValueError):
    """A database that cannot be merged; the message says which and why, in one line."""


@dataclass
class SourceReport:
    """What one source brought into the target."""

    path: str
    documents: int = 0  # documents taken from the source (new, or fetched later than the target's)
    kept: int = 0  # documents the target already had from the same or a later fetch
    metrics: int = 0
    pages: int = 0
    runs: int = 0
    errors: int = 0
    versions: int = 0  # earlier versions of changed documents
    discoveries: int = 0  # zones' discoveries (crawl zones)
    skipped_tables: list[str] = field(default_factory=list)


# Sources


def open_source(path: str | Path, target: str | Path | None = None) -> sqlite3.Connection:
    """A read-only connection to the node database at PATH, checked to be one zonecrawl can merge."""
    p = Path(path)
    if not p.is_file():
        raise MergeError(f"{path}: no such database file")
    if target is not None and Path(target).exists() and p.resolve() == Path(target).resolve():
        raise MergeError(f"{path}: is the target itself")
    con = sqlite3.connect(p.resolve().as_uri() + "?mode=ro", uri=True)
    con.row_factory = sqlite3.Row
    try:
        tables = {r[0] for r in con.execute("select name from sqlite_master where type = 'table'")}
        applied = (
            {r[0] for r in con.execute("select name from _migrations")} if "_migrations" in tables else set()
        )
    except sqlite3.DatabaseError as e:
        con.close()
        raise MergeError(f"{path}: not a zonecrawl database ({e})") from None
    missing = [t for t in REQUIRED if t not in tables]
    if missing:
        con.close()
        raise MergeError(f"{path}: not a zonecrawl database (no {', '.join(missing)} table)")
    known = {step.__name__.lstrip("_") for step in MIGRATIONS}
    newer = applied - known
    if newer:
        con.close()
        raise MergeError(f"{path}: written by a newer zonecrawl ({', '.join(sorted(newer))}); upgrade first")
    if known - applied:  # an older node: merge a migrated copy, so its rows are keyed as ours are
        con.close()
        return open_upgraded_copy(p)
    return con


def open_upgraded_copy(path: Path) -> sqlite3.Connection:
    """A read-only connection to a migrated copy of the older node database at PATH (its URLs
    keyed by today's rules, say), made in a temporary folder that is gone once the connection is
    open; PATH itself is left as it is."""
    folder = tempfile.mkdtemp(prefix="zonecrawl-merge-")
    copy = Path(folder, path.name)
    try:
        source = sqlite3.connect(path.resolve().as_uri() + "?mode=ro", uri=True)
        with closing(source) as src, closing(sqlite3.connect(copy)) as dst:
            src.backup(dst)
            migrate(sqlite_utils.Database(dst))
            dst.execute("pragma journal_mode = delete")  # one file: no WAL beside a file removed
        con = sqlite3.connect(copy.as_uri() + "?mode=ro", uri=True)
    except sqlite3.Error as e:
        raise MergeError(f"{path}: cannot be upgraded for the merge ({e})") from None
    finally:
        shutil.rmtree(folder, ignore_errors=True)  # an open connection keeps reading the removed file
    con.row_factory = sqlite3.Row
    return con


def _columns(con: sqlite3.Connection, table: str) -> list[str]:
    return [r[1] for r in con.execute(f"pragma table_info([{table}])")]


def _shared_columns(src: sqlite3.Connection, store: Store, table: str) -> list[str]:
    """The columns of TABLE that both databases have (an older node may lack the newer ones)."""
    have = set(store.db[table].columns_dict)
    return [c for c in _columns(src, table) if c in have]


def _rows(src: sqlite3.Connection, table: str, columns: Sequence[str], where: str = "", params=()) -> list:
    cols = ", ".join(f"[{c}]" for c in columns)
    return [dict(r) for r in src.execute(f"select {cols} from [{table}] {where}", params)]


def _unmerged_tables(src: sqlite3.Connection) -> list[str]:
    """Source tables the merge does not know (full-text indexes and their shadow tables aside)."""
    names = [r[0] for r in src.execute("select name from sqlite_master where type = 'table' order by name")]
    fts = {n for n in names if n.endswith("_fts")}
    shadow = {n for n in names for f in fts if n.startswith(f + "_")}
    return [n for n in names if n not in MERGED | OWN | fts | shadow]


# Runs and errors


def origin_of(settings_json: str | None, db_label: str, run_id: int) -> dict:
    """Where a run came from: the node database and its id there, or the origin it already carries
    (a database that was itself merged keeps the first origin, so merges can be chained)."""
    settings = _json_dict(settings_json)
    origin = settings.get("merged_from")
    if isinstance(origin, dict) and "db" in origin and "run_id" in origin:
        return {"db": origin["db"], "run_id": origin["run_id"]}
    return {"db": db_label, "run_id": run_id}


def _json_dict(text: str | None) -> dict:
    try:
        value = json.loads(text) if text else {}
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def merge_runs(store: Store, src: sqlite3.Connection, db_label: str) -> dict[int, int]:
    """Store each source run once (matched by origin); returns {source run id: target run id}."""
    columns = _shared_columns(src, store, "runs")
    mapping = {}
    for run in _rows(src, "runs", columns):
        origin = origin_of(run.get("settings"), db_label, run["id"])
        settings = _json_dict(run.get("settings"))
        settings["merged_from"] = origin
        row = {k: v for k, v in run.items() if k != "id"}
        row["settings"] = json.dumps(settings, ensure_ascii=False, sort_keys=True)
        found = store.db.execute(
            "select id from runs where json_extract(settings, '$.merged_from.db') = ? "
            "and json_extract(settings, '$.merged_from.run_id') = ?",
            [origin["db"], origin["run_id"]],
        ).fetchone()
        if found:
            store.db["runs"].update(found[0], row)
            mapping[run["id"]] = found[0]
        else:
            mapping[run["id"]] = int(store.db["runs"].insert(row).last_pk)
    return mapping


def merge_errors(store: Store, src: sqlite3.Connection, runs: dict[int, int]) -> int:
    """The errors of each merged run, replacing what the target had for it; returns how many."""
    columns = [c for c in _shared_columns(src, store, "errors") if c != "id"]
    count = 0
    for source_run, target_run in runs.items():
        rows = _rows(src, "errors", columns, "where run_id = ? order by id", [source_run])
        store.db.execute("delete from errors where run_id = ?", [target_run])
        store.db["errors"].insert_all({**r, "run_id": target_run} for r in rows)
        count += len(rows)
    return count


# Documents, metrics, pages


def _later(source_time: str | None, target_time: str | None) -> bool:
    """Whether the source's fetch is later than the target's (a tie keeps the target's)."""
    return target_time is None or (source_time or "") > target_time


def merge_documents(
    store: Store, src: sqlite3.Connection, runs: dict[int, int], report: SourceReport
) -> None:
    """Take each source document the target lacks or has from an earlier fetch, with its metrics."""
    columns = _shared_columns(src, store, "documents")
    metric_columns = _shared_columns(src, store, "metrics")
    stored = dict(store.db.execute("select id, fetched_at from documents").fetchall())
    for doc in _rows(src, "documents", columns):
        # Of two copies of a document, the earlier one becomes an earlier version of the later,
        # whichever database it is in, so the order of the sources does not matter.
        if doc["id"] in stored and not _later(doc.get("fetched_at"), stored[doc["id"]]):
            report.kept += 1
            later = store.db["documents"].get(doc["id"])
            report.versions += store.add_version(doc, later, later["fetched_at"], _warc_of(src, doc["id"]))
            continue
        if doc.get("run_id") is not None:
            doc["run_id"] = runs.get(doc["run_id"])
        if doc["id"] in stored:
            report.versions += store.keep_version(
                doc["id"], doc, doc.get("fetched_at"), _warc_of(store.db, doc["id"])
            )
        store.db["documents"].upsert(doc, pk="id")
        metrics = _rows(src, "metrics", metric_columns, "where document_id = ?", [doc["id"]])
        store.db.execute("delete from metrics where document_id = ?", [doc["id"]])
        store.db["metrics"].insert_all(metrics, pk="id")
        report.documents += 1
        report.metrics += len(metrics)


def _warc_of(db, doc_id: str) -> str | None:
    """Where the page of document DOC_ID is archived, in DB (a connection or a sqlite-utils database)."""
    row = db.execute("select warc from pages where document_id = ?", [doc_id]).fetchone()
    return row[0] if row else None


def merge_pages(store: Store, src: sqlite3.Connection) -> int:
    """Each page's state from its later fetch; returns how many pages the source updated."""
    columns = _shared_columns(src, store, "pages")
    stored = dict(store.db.execute("select url, fetched_at from pages").fetchall())
    rows = [p for p in _rows(src, "pages", columns) if _later(p.get("fetched_at"), stored.get(p["url"]))]
    store.db["pages"].upsert_all(rows, pk="url")
    return len(rows)


def merge_site_blocks(store: Store, src: sqlite3.Connection) -> None:
    """The union of the blocks seen on each site's pages."""
    if not src.execute("select 1 from sqlite_master where name = 'site_blocks'").fetchone():
        return
    columns = _shared_columns(src, store, "site_blocks")
    store.db["site_blocks"].insert_all(_rows(src, "site_blocks", columns), ignore=True)


def merge_versions(store: Store, src: sqlite3.Connection) -> int:
    """Earlier versions of documents the target does not hold yet (a version is its document and
    the fetch it came from); returns how many were added."""
    if not src.execute("select 1 from sqlite_master where name = 'document_versions'").fetchone():
        return 0
    columns = [c for c in _shared_columns(src, store, "document_versions") if c != "id"]
    stored = set(store.db.execute("select document_id, fetched_at from document_versions").fetchall())
    rows = [
        v
        for v in _rows(src, "document_versions", columns)
        if (v["document_id"], v["fetched_at"]) not in stored
    ]
    store.db["document_versions"].insert_all(rows)
    return len(rows)


def merge_discoveries(store: Store, src: sqlite3.Connection, runs: dict[int, int]) -> int:
    """What discovery found per zone and run, under the target's id of that run (one row per zone
    and run, so merging again replaces it); returns how many rows."""
    if not src.execute("select 1 from sqlite_master where name = 'discoveries'").fetchone():
        return 0
    columns = _shared_columns(src, store, "discoveries")
    rows = [
        {**r, "run_id": runs[r["run_id"]]} for r in _rows(src, "discoveries", columns) if r["run_id"] in runs
    ]
    store.db["discoveries"].upsert_all(rows, pk=("run_id", "zone_id"))
    return len(rows)


# The whole merge


def merge_source(store: Store, path: str | Path, src: sqlite3.Connection) -> SourceReport:
    """Merge one open source into STORE in one transaction."""
    label = str(Path(path).resolve())
    report = SourceReport(path=str(path), skipped_tables=_unmerged_tables(src))
    with writing(store.db):
        runs = merge_runs(store, src, label)
        report.runs = len(runs)
        report.errors = merge_errors(store, src, runs)
        merge_documents(store, src, runs, report)
        report.pages = merge_pages(store, src)
        merge_site_blocks(store, src)
        report.versions += merge_versions(store, src)
        report.discoveries = merge_discoveries(store, src, runs)
    return report


def merge_databases(target: str | Path, sources: Iterable[str | Path]) -> list[SourceReport]:
    """Merge the node databases SOURCES into TARGET (created if missing); facts are rebuilt once.

    Every source is checked before the target is touched; raises MergeError on one that cannot be
    merged."""
    sources = list(sources)
    connections = []
    try:
        for path in sources:
            connections.append(open_source(path, target))
        with Store(target) as store, store.deferred_facts():
            return [merge_source(store, path, con) for path, con in zip(sources, connections)]
    finally:
        for con in connections:
            con.close()


# The command


@click.command("merge")
@click.argument("target", type=click.Path(dir_okay=False))
@click.argument("sources", nargs=-1, required=True, type=click.Path(dir_okay=False))
def merge(target: str, sources: tuple[str, ...]) -> None:
    """Merge the databases of several crawl nodes (SOURCES) into TARGET.

    Documents and pages are matched by URL (the later fetch wins, with its metrics), runs and
    their errors are kept with the node they came from, and facts are rebuilt. Merging the same
    databases again changes nothing. Exit status 2 when a database cannot be merged.
    """
    try:
        reports = merge_databases(target, sources)
    except MergeError as e:
        click.echo(f"zonecrawl merge: {e}", err=True)
        raise click.exceptions.Exit(2) from None
    except (sqlite3.DatabaseError, OSError) as e:  # the target cannot be opened or written
        click.echo(f"zonecrawl merge: {target}: {e}", err=True)
        raise click.exceptions.Exit(2) from None
    for r in reports:
        click.echo(
            f"{r.path}: {r.documents} documents taken ({r.kept} already as recent), {r.metrics} metrics, "
            f"{r.pages} pages, {r.runs} runs, {r.errors} errors, {r.versions} earlier versions"
        )
        if r.skipped_tables:
            click.echo(f"{r.path}: not merged: {', '.join(r.skipped_tables)}", err=True)
    with Store(target) as store:
        counts = store.counts()
    click.echo(
        f"{Path(target).resolve()}: {counts['documents']} documents, {counts['metrics']} metrics, "
        f"{counts['facts']} facts, {counts['runs']} runs"
    )
