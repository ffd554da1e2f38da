"""The database behind zonecrawl: documents, metrics, zones, crawl runs and their errors (sqlite-utils).

One SQLite file (data/zones.db by default) in WAL mode, so Datasette can read while a crawl writes.
Every page is saved in one transaction, keyed by stable ids, so saving a page again, or resuming a
killed crawl, never duplicates a row. The schema grows through an ordered list of migrations,
recorded in `_migrations`; opening a database applies the ones it lacks.
"""

from __future__ import annotations

import hashlib
import json
import re
import sqlite3
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import sqlite_utils

from crawler import facts
from crawler.textsearch import like_pattern, needs_scan
from extractors.records import Document

# Trigram FTS5 (substring search that works for Chinese, which has no spaces between words).
TRIGRAM_MIN_SQLITE = (3, 34, 0)
# How long a connection waits for another process's write lock before giving up.
BUSY_TIMEOUT_S = 60
# A block counts as site chrome once it was seen on this many pages of the site.
RECURRING_MIN_PAGES = 3

METRIC_COLUMNS = [
    "id", "document_id", "subject", "zone_id", "metric", "indicator", "basis", "value", "unit", "kind",
    "period", "period_start", "period_end", "period_type", "approx", "bound", "text", "sentence",
    "start", "end",
]  # fmt: skip
PAGE_STATE = ["url", "etag", "last_modified", "content_hash", "fetched_at", "status"]


def now() -> str:
    """The current time as stored in the database: ISO 8601, UTC, seconds."""
    return datetime.now(UTC).replace(microsecond=0).isoformat()


# Query parameters that name a visitor's session or where a link was shared, never the page: a URL
# with them is the same document as without. Kept short on purpose; a page-selecting name stays.
SESSION_PARAMS = frozenset({"jsessionid", "phpsessid", "sessionid", "session_id", "cfid", "cftoken"})
TRACKING_PARAMS = frozenset({"spm", "fbclid", "gclid", "scene", "isappinstalled", "clicktime", "share_token"})
_DROPPED_PREFIXES = ("utm_", "aspsessionid")
# Names some sites also use for the page itself (`show.asp?sid=123`, `list?from=20`): dropped only
# with a value that cannot select a page (a long session token, a word like `timeline`).
_SESSION_TOKEN = re.compile(r"[0-9A-Za-z._-]{16,}")
_AMBIGUOUS = {"sid": _SESSION_TOKEN.fullmatch, "from": lambda v: bool(v) and not v.isdigit()}


def _dropped_param(pair: str) -> bool:
    name, _, value = pair.partition("=")
    name = name.strip().lower()
    if name in _AMBIGUOUS:
        return bool(_AMBIGUOUS[name](value))
    return name in SESSION_PARAMS or name in TRACKING_PARAMS or name.startswith(_DROPPED_PREFIXES)


def _without_session(path: str, query: str) -> tuple[str, str]:
    """PATH without `;jsessionid=...` style parameters, QUERY without session and tracking pairs.

    Untouched (byte for byte) where there is nothing to drop, so existing ids stay the same.
    """
    if ";" in path:
        head, *params = path.split(";")
        kept = [p for p in params if not _dropped_param(p)]
        path = ";".join([head, *kept])
    if query:
        pairs = query.split("&")
        kept = [p for p in pairs if not _dropped_param(p)]
        if len(kept) != len(pairs):
            query = "&".join(kept)
    return path, query


def canonical_url(url: str) -> str:
    """The URL a page is known by: scheme and host lower-cased, default port and fragment dropped,
    and session ids and tracking parameters (SESSION_PARAMS, TRACKING_PARAMS, utm_*, ...) left out."""
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower()
    path, query = _without_session(parts.path, parts.query)
    try:
        port = parts.port
    except ValueError:  # a port that is not a number: keep what was written
        return urlunsplit((scheme, parts.netloc.lower(), path or "/", query, ""))
    if port and (scheme, port) not in {("http", 80), ("https", 443)}:
        host = f"{host}:{port}"
    return urlunsplit((scheme, host, path or "/", query, ""))


def document_id(url: str) -> str:
    """The stable id of the document at URL (the same page always gets the same id)."""
    return hashlib.sha1(canonical_url(url).encode("utf-8")).hexdigest()[:16]


def metric_id(doc_id: str, start: int, end: int) -> str:
    """The id of a metric: its document and where its figure lies in the body, so that reading the
    same page again gives the same ids."""
    return f"{doc_id}-{start}-{end}"


def _header(headers: Mapping[str, object] | None, name: str) -> str | None:
    """A header value, whatever the case of its name and whether it is str, bytes or a list."""
    for key, value in (headers or {}).items():
        k = key.decode("latin-1") if isinstance(key, bytes) else str(key)
        if k.lower() != name:
            continue
        if isinstance(value, list | tuple):
            value = value[0] if value else None
        if isinstance(value, bytes):
            value = value.decode("latin-1")
        return str(value) if value is not None else None
    return None


@contextmanager
def writing(db: sqlite_utils.Database) -> Iterator[None]:
    """A write transaction that takes the write lock at its start (BEGIN IMMEDIATE), so that a
    process waits its turn (busy timeout) instead of failing with "database is locked" when another
    writer committed between its first read and its first write. Nested, it is a savepoint."""
    if db.conn.in_transaction:
        with db.atomic():
            yield
        return
    db.conn.execute("BEGIN IMMEDIATE")
    try:
        yield
    except BaseException:
        if db.conn.in_transaction:
            db.conn.execute("ROLLBACK")
        raise
    else:
        db.conn.execute("COMMIT")


# Migrations: append only; each one takes the database and leaves it one step newer.


def _m001_tables(db: sqlite_utils.Database) -> None:
    db["runs"].create(
        {
            "id": int, "started": str, "finished": str, "spiders": str, "settings": str,
            "status": str, "stats": str, "error_count": int, "pages": int, "items": int,
        },
        pk="id", if_not_exists=True,
    )  # fmt: skip
    db["errors"].create(
        {"id": int, "run_id": int, "url": str, "spider": str, "kind": str, "message": str, "at": str},
        pk="id",
        foreign_keys=[("run_id", "runs", "id")],
        if_not_exists=True,
    )
    db["documents"].create(
        {
            "id": str, "url": str, "site": str, "title": str, "date": str, "source": str,
            "author": str, "body": str, "flags": str, "spider": str, "fetched_at": str,
            "content_hash": str, "run_id": int,
        },
        pk="id", foreign_keys=[("run_id", "runs", "id")], if_not_exists=True,
    )  # fmt: skip
    db["zones"].create(
        {
            "id": str, "name": str, "short_name": str, "province": str, "city": str,
            "level": str, "aliases": str,
        },
        pk="id", if_not_exists=True,
    )  # fmt: skip
    db["metrics"].create(
        {
            "id": str, "document_id": str, "subject": str, "zone_id": str, "metric": str,
            "value": float, "unit": str, "kind": str, "period": str, "approx": int, "bound": str,
            "text": str, "sentence": str, "start": int, "end": int,
        },
        pk="id",
        foreign_keys=[("document_id", "documents", "id"), ("zone_id", "zones", "id")],
        if_not_exists=True,
    )  # fmt: skip
    db["pages"].create(
        {
            "url": str, "etag": str, "last_modified": str, "content_hash": str, "status": int,
            "fetched_at": str, "document_id": str,
        },
        pk="url", if_not_exists=True,
    )  # fmt: skip


def _m002_indexes(db: sqlite_utils.Database) -> None:
    db["metrics"].create_index(["metric", "period"], if_not_exists=True)
    db["metrics"].create_index(["zone_id"], if_not_exists=True)
    db["metrics"].create_index(["document_id"], if_not_exists=True)
    db["documents"].create_index(["site", "date"], if_not_exists=True)
    db["documents"].create_index(["content_hash"], if_not_exists=True)
    db["errors"].create_index(["run_id"], if_not_exists=True)


def _m003_search(db: sqlite_utils.Database) -> None:
    """Trigram full-text indexes, kept in step with their tables by triggers."""
    if sqlite3.sqlite_version_info < TRIGRAM_MIN_SQLITE:
        raise RuntimeError(
            f"SQLite {sqlite3.sqlite_version} has no trigram tokenizer (3.34 or newer is needed)"
        )
    db["documents"].enable_fts(["title", "body"], tokenize="trigram", create_triggers=True, replace=True)
    db["metrics"].enable_fts(["sentence"], tokenize="trigram", create_triggers=True, replace=True)


def _m004_page_archive(db: sqlite_utils.Database) -> None:
    """Where each page's raw response lies in the WARC archive (file#offset)."""
    if "warc" not in db["pages"].columns_dict:
        db["pages"].add_column("warc", str)


def _m005_site_blocks(db: sqlite_utils.Database) -> None:
    """Which page of a site each block (by `block_key`) was seen on: the site's recurring chrome."""
    db["site_blocks"].create(
        {"site": str, "key": str, "url": str}, pk=("site", "key", "url"), if_not_exists=True
    )
    db["site_blocks"].create_index(["site", "key"], if_not_exists=True)


def _m006_site_block_pages(db: sqlite_utils.Database) -> None:
    """The content of the page a block was seen on, so copies of one article at several URLs count once."""
    if "page" not in db["site_blocks"].columns_dict:
        db["site_blocks"].add_column("page", str)


def _m007_dataset(db: sqlite_utils.Database) -> None:
    """Indicators, basis and periods as data on metrics; a site's authority on documents; content
    ids for metrics (document and offsets, stable across a reprocess, as `metric_id` writes them);
    the facts table."""
    have = db["metrics"].columns_dict
    for name in ("indicator", "basis", "period_start", "period_end", "period_type"):
        if name not in have:
            db["metrics"].add_column(name, str)
    if "authority" not in db["documents"].columns_dict:
        db["documents"].add_column("authority", str)
    db.execute("update metrics set id = document_id || '-' || start || '-' || [end]")
    db["metrics"].create_index(["indicator", "subject"], if_not_exists=True)
    facts.create_table(db)


def _m008_versions(db: sqlite_utils.Database) -> None:
    """Earlier versions of changed articles: what a document said before a re-fetch replaced it."""
    db["document_versions"].create(
        {
            "id": int, "document_id": str, "url": str, "body_hash": str, "fetched_at": str, "warc": str,
            "title": str, "date": str, "body": str, "replaced_at": str,
        },
        pk="id", if_not_exists=True,
    )  # fmt: skip
    db["document_versions"].create_index(["document_id", "fetched_at"], if_not_exists=True)


def _m009_document_tables(db: sqlite_utils.Database) -> None:
    """A document's data tables (JSON), and for an attachment the URL of the page that links to it."""
    have = db["documents"].columns_dict
    for name in ("tables", "parent_url"):
        if name not in have:
            db["documents"].add_column(name, str)


def _drops_parameters(url: str | None) -> bool:
    """Whether URL carries session or tracking parameters that `canonical_url` leaves out."""
    if not url:
        return False
    parts = urlsplit(url.strip())
    return _without_session(parts.path, parts.query) != (parts.path, parts.query)


def _keep_earlier(db: sqlite_utils.Database, old: dict, new: dict, doc_id: str, warc: str | None) -> None:
    """OLD (a document row) as an earlier version of DOC_ID, which NEW is now, when it says
    something else; once per fetch (the rule of `Store.add_version`)."""
    said = ("title", "date", "body")
    if [old[k] for k in said] == [new[k] for k in said] or db.execute(
        "select 1 from document_versions where document_id = ? and fetched_at is ?",
        [doc_id, old["fetched_at"]],
    ).fetchone():
        return
    db["document_versions"].insert(
        {
            "document_id": doc_id, "url": old["url"], "body_hash": old["content_hash"],
            "fetched_at": old["fetched_at"], "warc": warc, "title": old["title"], "date": old["date"],
            "body": old["body"], "replaced_at": new["fetched_at"],
        }
    )  # fmt: skip


def _m010_canonical_urls(db: sqlite_utils.Database) -> None:
    """Rows keyed by a URL whose canonical form lost its session or tracking parameters (written
    before `canonical_url` dropped them) re-keyed by today's canonical URL, all or nothing: pages by
    URL; documents by id (`document_id`), URL and parent URL, with their metrics (whose ids derive
    from it) and earlier versions; the site blocks seen on them; the facts of their metrics. Where
    two keys become one, the later fetch stays; the other document goes with its metrics, kept as an
    earlier version when it says something else. Errors keep the URLs they failed at. With nothing
    to re-key it reads pages.url and the documents whose URLs hold `?` or `;`, and writes nothing."""
    with writing(db):
        docs: dict[str, str] = {}  # old id -> new id
        parents: list[tuple[str, str]] = []  # (canonical parent URL, old id)
        for doc_id, url, parent in db.execute(
            "select id, url, parent_url from documents where instr(url, '?') or instr(url, ';')"
            " or instr(parent_url, '?') or instr(parent_url, ';')"
        ).fetchall():
            if _drops_parameters(url) and document_id(url) != doc_id:
                docs[doc_id] = document_id(url)
            if _drops_parameters(parent):
                parents.append((canonical_url(parent), doc_id))
        moved: dict[str, list[tuple]] = {}  # canonical URL -> its old keys, as (fetched_at, 0, url)
        relinked = []  # (new document id, page URL)
        for url, fetched_at, doc_id in db.execute(
            "select url, fetched_at, document_id from pages"
        ).fetchall():
            if canonical_url(url) != url:
                moved.setdefault(canonical_url(url), []).append((fetched_at or "", 0, url))
            if doc_id in docs:
                relinked.append((docs[doc_id], url))
        if not (docs or moved or parents):
            return

        keys: set[tuple] = set()  # the facts to rebuild
        columns = ("id", "url", "content_hash", "fetched_at", "title", "date", "body")
        by_new: dict[str, list[str]] = {}
        for old, new in docs.items():
            by_new.setdefault(new, []).append(old)
        for new, olds in by_new.items():
            rows = {
                r["id"]: r
                for r in db.query(
                    f"select {', '.join(columns)} from documents where id in (select value from json_each(?))",
                    [json.dumps([*olds, new])],
                )
            }  # a document already saved under NEW (fetched since the upgrade) competes too
            winner = max(rows, key=lambda i: (rows[i]["fetched_at"] or "", i == new, i))
            for doc_id in rows:
                keys |= facts.keys_of(db, doc_id)
            db.conn.executemany(
                "update document_versions set document_id = ? where document_id = ?", [(new, o) for o in olds]
            )
            for loser in sorted(set(rows) - {winner}):
                warc = db.execute("select warc from pages where document_id = ?", [loser]).fetchone()
                _keep_earlier(db, rows[loser], rows[winner], new, warc[0] if warc else None)
                db.execute("delete from metrics where document_id = ?", [loser])
                db.execute("delete from documents where id = ?", [loser])
            if winner != new:
                db.execute(
                    "update documents set id = ?, url = ? where id = ?",
                    [new, canonical_url(rows[winner]["url"]), winner],
                )
                db.conn.executemany(
                    "update metrics set id = ?, document_id = ? where id = ?",
                    [
                        (metric_id(new, start, end), new, mid)
                        for mid, start, end in db.execute(
                            "select id, start, [end] from metrics where document_id = ?", [winner]
                        ).fetchall()
                    ],
                )
            keys |= facts.keys_of(db, new)
        db.conn.executemany(
            "update documents set parent_url = ? where id = ?", [(p, docs.get(i, i)) for p, i in parents]
        )

        db.conn.executemany("update pages set document_id = ? where url = ?", relinked)
        for key, olds in moved.items():
            here = db.execute("select fetched_at from pages where url = ?", [key]).fetchone()
            candidates = olds + ([(here[0] or "", 1, key)] if here else [])
            winner = max(candidates)[2]  # the later fetch; on a tie the page already under KEY
            db.conn.executemany(
                "delete from pages where url = ?", [(c[2],) for c in candidates if c[2] != winner]
            )
            if winner != key:
                db.execute("update pages set url = ? where url = ?", [key, winner])

        db.conn.create_function("zonecrawl_canonical_url", 1, canonical_url, deterministic=True)
        stale = "(instr(url, '?') or instr(url, ';')) and zonecrawl_canonical_url(url) != url"
        db.execute(f"update or ignore site_blocks set url = zonecrawl_canonical_url(url) where {stale}")
        db.execute(f"delete from site_blocks where {stale}")  # a block already known under the new URL
        facts.refresh(db, keys)


def _m011_discoveries(db: sqlite_utils.Database) -> None:
    """What portal discovery found on each site, per run (`crawl zones`, crawler/spiders/zones.py)."""
    db["discoveries"].create(
        {
            "run_id": int, "zone_id": str, "base_url": str, "columns": str, "article": str,
            "pagination": str, "page_rule": str, "max_pages": int, "sitemap": str, "feed": str,
            "list_pages": int, "article_links": int, "discovered_at": str,
        },
        pk=("run_id", "zone_id"), foreign_keys=[("run_id", "runs", "id")], if_not_exists=True,
    )  # fmt: skip


MIGRATIONS: list[Callable[[sqlite_utils.Database], None]] = [
    _m001_tables,
    _m002_indexes,
    _m003_search,
    _m004_page_archive,
    _m005_site_blocks,
    _m006_site_block_pages,
    _m007_dataset,
    _m008_versions,
    _m009_document_tables,
    _m010_canonical_urls,
    _m011_discoveries,
]


@contextmanager
def _migration_lock(db: sqlite_utils.Database) -> Iterator[None]:
    """An exclusive lock on a file beside the database while it is migrated: processes that open a
    new database together (two Scrapyd jobs, a crawl and `reprocess`) migrate it one at a time.
    Migration steps commit on their own (FTS setup), so a SQLite transaction cannot serialise them."""
    try:
        import fcntl
    except ImportError:  # not POSIX: no lock
        yield
        return
    path = db.execute("pragma database_list").fetchone()[2]
    if not path:  # an in-memory database has no other process
        yield
        return
    with open(f"{path}-migrate.lock", "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def migrate(db: sqlite_utils.Database, migrations: list[Callable] | None = None) -> list[str]:
    """Apply the migrations the database has not had yet, in order; returns their names."""
    steps = MIGRATIONS if migrations is None else migrations
    names = [step.__name__.lstrip("_") for step in steps]
    if "_migrations" in db.table_names() and set(names) <= {r["name"] for r in db["_migrations"].rows}:
        return []  # up to date: no lock, no write
    applied = []
    with _migration_lock(db):
        db["_migrations"].create({"name": str, "applied": str}, pk="name", if_not_exists=True)
        done = {r["name"] for r in db["_migrations"].rows}  # again: another process may have migrated it
        for step, name in zip(steps, names):
            if name in done:
                continue
            step(db)
            with writing(db):
                db["_migrations"].insert({"name": name, "applied": now()})
            applied.append(name)
    return applied


def _zone_rows() -> list[dict]:
    """The zone registry as table rows (aliases as a JSON list)."""
    from extractors.zones import zones_table_rows

    rows = []
    for row in zones_table_rows():
        row = dict(row)
        if isinstance(row.get("aliases"), list | tuple | set):
            row["aliases"] = json.dumps(sorted(row["aliases"]), ensure_ascii=False)
        rows.append(row)
    return rows


# The document columns an earlier version keeps (`Store.add_version`).
_VERSION_OF = ("id", "url", "content_hash", "fetched_at", "title", "date", "body")


class Store:
    """The crawl's database: what the pipelines write and what serve, export and reprocess read."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        # Other processes (a crawl, reprocess, exports, serve) share the file: wait for their locks.
        conn = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_S)
        self.db = sqlite_utils.Database(conn)
        self._facts_deferred = False
        if self.db.journal_mode != "wal":
            with _migration_lock(self.db):  # a new file: one process at a time switches it to WAL
                if self.db.journal_mode != "wal":
                    self.db.enable_wal()
        migrate(self.db)
        self.sync_zones()

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # Facts

    @contextmanager
    def deferred_facts(self) -> Iterator[None]:
        """Save many pages without refreshing facts after each, then rebuild them all once (a
        reprocess or a merge): the same table, much faster."""
        self._facts_deferred = True
        try:
            yield
        finally:
            self._facts_deferred = False
            self.refresh_facts()

    def refresh_facts(self) -> int:
        """Rebuild the whole facts table from the metrics; returns its number of rows."""
        with writing(self.db):
            return facts.refresh(self.db)

    # Zones

    def sync_zones(self, rows: Iterable[dict] | None = None) -> int:
        """Fill `zones` from the registry (or ROWS) where it differs; returns how many zones the
        table holds. Opening a store writes nothing when the registry has not changed."""
        rows = _zone_rows() if rows is None else list(rows)
        stored = {r["id"]: r for r in self.db["zones"].rows}
        rows = [r for r in rows if any(stored.get(r["id"], {}).get(k) != v for k, v in r.items())]
        if rows:
            with writing(self.db):
                self.db["zones"].upsert_all(rows, pk="id", alter=True)
        return self.db["zones"].count

    # Pages and documents

    def page_state(self, url: str) -> dict | None:
        """What is known of URL from its last fetch (for conditional requests), or None if never fetched."""
        row = self.db.execute(
            f"select {', '.join(PAGE_STATE)} from pages where url = ?", [canonical_url(url)]
        ).fetchone()
        return dict(zip(PAGE_STATE, row)) if row else None

    def document_date(self, url: str) -> str | None:
        """The date of the stored document of the page at URL (the page an attachment was linked
        from), or None."""
        row = self.db.execute(
            "select date from documents where id in (select document_id from pages where url = ?)"
            " or id = ? order by date is null limit 1",
            [canonical_url(url), document_id(url)],
        ).fetchone()
        return row[0] if row else None

    def save_page(
        self,
        *,
        url: str,
        status: int,
        headers: Mapping[str, object],
        body_hash: str,
        fetched_at: str,
        document: Document | None,
        metrics: list[dict],
        run_id: int,
        warc: str | None = None,
        spider: str | None = None,
        authority: str | None = None,
        parent_url: str | None = None,
    ) -> str | None:
        """Save one fetched page with its document and metrics, all or nothing; returns the document id.

        The document's id is the hash of its canonical URL (the final URL when the page redirected),
        and its metrics replace the ones it had, so saving the same page again changes nothing.
        A 304 (not modified) only records that the page was checked. Without a document (a page
        that held no article) only the page's state is kept.
        """
        key = canonical_url(url)
        old = self.db.execute("select document_id from pages where url = ?", [key]).fetchone()
        doc_id = old[0] if old else None
        with writing(self.db):
            if status == 304 and old:
                self.db.execute(
                    "update pages set fetched_at = ?, status = ? where url = ?", [fetched_at, status, key]
                )
                return doc_id
            if document is not None:
                doc_id = document_id(document.url or url)
                self._keep_version(key, doc_id, document, body_hash, fetched_at)
                self._write_document(doc_id, url, document, fetched_at, body_hash, run_id, spider, authority)
                if parent_url:  # an attachment: which page links to it
                    self.db["documents"].update(doc_id, {"parent_url": parent_url})
                self._write_metrics(doc_id, metrics)
            self.db["pages"].upsert(
                {
                    "url": key,
                    "etag": _header(headers, "etag"),
                    "last_modified": _header(headers, "last-modified"),
                    "content_hash": body_hash,
                    "status": status,
                    "fetched_at": fetched_at,
                    "document_id": doc_id,
                    "warc": warc,
                },
                pk="url",
            )
        return doc_id

    def _keep_version(self, key: str, doc_id: str, new: Document, body_hash: str, fetched_at: str) -> None:
        """Keep the stored document when the page at KEY came back changed (another body hash)."""
        row = self.db.execute(
            "select p.warc from pages p join documents d on d.id = p.document_id"
            " where p.url = ? and d.id = ? and p.content_hash is not null and p.content_hash is not ?",
            [key, doc_id, body_hash],
        ).fetchone()
        if row:
            self.keep_version(doc_id, new, fetched_at, warc=row[0])

    def keep_version(
        self, doc_id: str, new: Document | dict, replaced_at: str, warc: str | None = None
    ) -> bool:
        """Keep the stored document DOC_ID as an earlier version before NEW replaces it (`add_version`)."""
        row = self.db.execute(
            f"select {', '.join(_VERSION_OF)} from documents where id = ?", [doc_id]
        ).fetchone()
        return bool(row) and self.add_version(dict(zip(_VERSION_OF, row)), new, replaced_at, warc)

    def add_version(
        self, old: dict, new: Document | dict, replaced_at: str | None, warc: str | None = None
    ) -> bool:
        """Store OLD (a document row: id, url, content_hash, fetched_at, title, date, body) in
        `document_versions` as what the document said before NEW, when NEW says something else:
        another title, date or text (a page whose only change is its chrome, a visitor counter say,
        keeps no version). WARC: where OLD's page is archived. A version is kept once (by document
        and fetch). Returns whether it was added."""
        said = tuple(
            new.get(k) if isinstance(new, dict) else getattr(new, k) for k in ("title", "date", "body")
        )
        if (old["title"], old["date"], old["body"]) == said:
            return False
        if self.db.execute(
            "select 1 from document_versions where document_id = ? and fetched_at is ?",
            [old["id"], old["fetched_at"]],
        ).fetchone():
            return False
        self.db["document_versions"].insert(
            {
                "document_id": old["id"], "url": old["url"], "body_hash": old["content_hash"],
                "fetched_at": old["fetched_at"], "warc": warc, "title": old["title"], "date": old["date"],
                "body": old["body"], "replaced_at": replaced_at,
            }
        )  # fmt: skip
        return True

    def _write_document(
        self,
        doc_id: str,
        url: str,
        d: Document,
        fetched_at: str,
        body_hash: str,
        run_id: int,
        spider: str | None,
        authority: str | None = None,
    ) -> None:
        row = {
            "id": doc_id,
            "url": d.url or url,
            "site": d.site,
            "title": d.title,
            "date": d.date,
            "source": d.source,
            "author": d.author,
            "body": d.body,
            "flags": json.dumps(sorted(d.flags), ensure_ascii=False),
            "tables": json.dumps([asdict(g) for g in d.tables], ensure_ascii=False) if d.tables else None,
            "fetched_at": fetched_at,
            "content_hash": body_hash,
            "run_id": run_id,
        }
        if spider is not None:
            row["spider"] = spider
        if authority is not None:
            row["authority"] = authority
        self.db["documents"].upsert(row, pk="id")

    def _write_metrics(self, doc_id: str, metrics: list[dict]) -> None:
        """Replace the document's metrics, and the facts they and the old ones took part in
        (unless `deferred_facts` rebuilds them all at its end)."""
        # the facts the old metrics took part in (not asked while a reprocess defers them)
        groups = set() if self._facts_deferred else facts.keys_of(self.db, doc_id)
        self.db.execute("delete from metrics where document_id = ?", [doc_id])
        rows = {}
        for m in metrics:
            row = {c: m.get(c) for c in METRIC_COLUMNS[2:]}
            row["approx"] = int(bool(row["approx"]))
            rows[metric_id(doc_id, m["start"], m["end"])] = row
        if rows:
            self.db["metrics"].insert_all(
                ({"id": k, "document_id": doc_id, **v} for k, v in rows.items()), pk="id"
            )
        if not self._facts_deferred:
            facts.refresh(self.db, groups | facts.keys_of(self.db, doc_id))

    def document_for_hash(self, content_hash: str) -> str | None:
        """The id of a stored document whose page had exactly these bytes (a duplicate elsewhere)."""
        row = self.db.execute(
            "select id from documents where content_hash = ? order by id limit 1", [content_hash]
        ).fetchone()
        return row[0] if row else None

    # Cross-page boilerplate

    def add_site_blocks(self, site: str, url: str, body: str) -> list[str]:
        """Remember the blocks of one page of SITE (its raw body text, one block a line); returns
        the page's block keys."""
        keys = self.block_keys(body)
        self.add_block_keys(site, url, keys)
        return keys

    @staticmethod
    def block_keys(body: str) -> list[str]:
        """The keys of a page's blocks (its raw body text, one block a line), as `add_site_blocks`
        records them; pure, so a reprocess computes them in its worker processes."""
        from extractors.normalise.recurring import MIN_KEY, block_key

        return sorted({k for k in map(block_key, body.splitlines()) if len(k) >= MIN_KEY})

    def add_block_keys(self, site: str, url: str, keys: list[str]) -> None:
        """Remember that one page of SITE at URL has these block KEYS (from `block_keys`)."""
        page = hashlib.sha1("\n".join(keys).encode("utf-8")).hexdigest()
        rows = [{"site": site, "key": k, "url": canonical_url(url), "page": page} for k in keys]
        with writing(self.db):
            self.db["site_blocks"].insert_all(rows, pk=("site", "key", "url"), ignore=True)

    def drop_stale_document(self, url: str, final_url: str, run_id: int) -> int:
        """Remove what a page that no longer reads left behind: the document saved for it (under the
        asked URL, FINAL_URL or the page's link) and its metrics, unless run RUN_ID has just saved
        that document again from another page. Returns how many documents were removed."""
        key = canonical_url(url)
        row = self.db.execute("select document_id from pages where url = ?", [key]).fetchone()
        candidates = {document_id(url), document_id(final_url)} | ({row[0]} if row and row[0] else set())
        stale = [
            r[0]
            for r in self.db.execute(
                "select id from documents where id in (select value from json_each(?)) and run_id is not ?",
                [json.dumps(sorted(candidates)), run_id],
            )
        ]
        if not stale:
            return 0
        with writing(self.db):
            groups = set()
            for doc_id in stale:
                if not self._facts_deferred:
                    groups |= facts.keys_of(self.db, doc_id)
                self.db.execute("delete from metrics where document_id = ?", [doc_id])
                self.db.execute("delete from documents where id = ?", [doc_id])
            self.db.execute(
                "update pages set document_id = null where document_id in (select value from json_each(?))",
                [json.dumps(stale)],
            )
            if groups:
                facts.refresh(self.db, groups)
        return len(stale)

    def site_blocks(
        self, site: str, keys: Iterable[str] | None = None, min_pages: int = RECURRING_MIN_PAGES
    ) -> set[str]:
        """The block keys seen on at least MIN_PAGES pages of SITE: what `normalise(recurring=...)` drops.

        KEYS limits the answer to one page's blocks, so a crawl asks about what it reads rather
        than rescanning the whole site for every page. A page counts once however many URLs carry
        it, and a URL once however often it changed, so an article copied across columns or
        re-fetched is never taken for site chrome.
        """
        only = "" if keys is None else "and key in (select value from json_each(?)) "
        params = [site] + ([] if keys is None else [json.dumps(list(keys), ensure_ascii=False)])
        rows = self.db.execute(
            f"select key from site_blocks where site = ? {only}group by key "
            "having count(distinct url) >= ? and count(distinct page) >= ?",
            [*params, min_pages, min_pages],
        )
        return {r[0] for r in rows}

    # Runs and errors

    def start_run(self, spiders: list[str], settings: dict) -> int:
        """Open a crawl run; its id goes on every page and error of the run."""
        with writing(self.db):
            table = self.db["runs"].insert(
                {
                    "started": now(),
                    "spiders": json.dumps(list(spiders), ensure_ascii=False),
                    "settings": json.dumps(settings, ensure_ascii=False, sort_keys=True, default=str),
                    "status": "running",
                    "error_count": 0,
                    "pages": 0,
                    "items": 0,
                }
            )
        return int(table.last_pk)

    def record_error(
        self, run_id: int, url: str | None, kind: str, message: str, spider: str | None = None
    ) -> None:
        """Keep a failed fetch or parse (kind: dns, timeout, http_500, redirect_loop, too_large, robots, parse)."""
        with writing(self.db):
            self.db["errors"].insert(
                {
                    "run_id": run_id,
                    "url": url,
                    "spider": spider,
                    "kind": kind,
                    "message": message,
                    "at": now(),
                }
            )

    def finish_run(self, run_id: int, stats: dict, status: str) -> None:
        """Close a run with its crawl stats and final status (finished, failed, interrupted, ...)."""
        errors = self.db.execute("select count(*) from errors where run_id = ?", [run_id]).fetchone()[0]
        pages = stats.get("pages", stats.get("response_received_count", 0))
        items = stats.get("items", stats.get("item_scraped_count", 0))
        with writing(self.db):
            self.db["runs"].update(
                run_id,
                {
                    "finished": now(),
                    "status": status,
                    "stats": json.dumps(stats, ensure_ascii=False, sort_keys=True, default=str),
                    "error_count": errors,
                    "pages": pages,
                    "items": items,
                },
            )

    # Reading

    def counts(self) -> dict[str, int]:
        """Rows per table, for summaries."""
        return {
            t: self.db[t].count for t in ("documents", "metrics", "facts", "zones", "pages", "runs", "errors")
        }

    def search(self, q: str, table: str = "documents", limit: int = 50) -> list[dict]:
        """Rows of TABLE (documents or metrics) whose text contains every word of Q, Chinese included.

        As the Datasette search box does: when every word has three characters or more, the
        trigram index; a word of one or two characters, which trigrams cannot match, makes it a
        LIKE scan.
        """
        columns = {"documents": ["title", "body"], "metrics": ["sentence"]}[table]
        terms = q.split()
        if not terms:
            return []
        if not needs_scan(q):
            phrases = " ".join('"' + t.replace('"', '""') + '"' for t in terms)
            sql = (
                f"select {table}.* from {table} join {table}_fts on {table}_fts.rowid = {table}.rowid "
                f"where {table}_fts match ? order by {table}_fts.rank limit ?"
            )
            params: list = [phrases, limit]
        else:
            any_column = "(" + " or ".join(f"{c} like ? escape '\\'" for c in columns) + ")"
            sql = f"select * from {table} where {' and '.join([any_column] * len(terms))} limit ?"
            params = [like_pattern(t) for t in terms for _ in columns] + [limit]
        return [dict(r) for r in self.db.query(sql, params)]
