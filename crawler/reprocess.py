"""Re-run the extractors over the archived responses and refresh documents and metrics, offline.

After the extractors improve, `zonecrawl reprocess` rebuilds the database from `data/archive/`
without fetching anything: the latest successful response of each URL is read again, the site's
recurring blocks are learnt from all of them first, and each page is saved through the Store like a
crawled page (same ids, so nothing is duplicated).

Reading is the costly part, so it can run on several processes (`jobs`): workers read the archive
and run the extractors on chunks of one site's pages; this process alone writes, in one transaction
per chunk, in the same order whatever the number of workers, so the database ends up the same.
A page that no longer reads loses the document and metrics it had, and is counted as unreadable.
"""

from __future__ import annotations

import hashlib
import multiprocessing
import os
import sqlite3
import sys
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import urlsplit

from tqdm import tqdm

from crawler.archive import iter_responses, read_response
from crawler.errors import unreadable_line
from crawler.store import Store, canonical_url, document_id, writing
from extractors.document import site_of
from extractors.records import UnreadableInput

# What a worker sends back for one page: the `Store.save_page` arguments, or (URL, why it failed).
T = TypeVar("T")
Page = dict[str, Any]
Failure = tuple[str, str]

# Pages per task: large enough that sending a task costs little next to reading it, small enough
# that a transaction holds the write lock only briefly and the workers stay evenly loaded.
CHUNK = 32
# Pages written per transaction: few commits (each one syncs the file), a write lock held briefly.
BATCH = 256
# Tasks in flight per worker: keeps every worker busy without results piling up in memory.
AHEAD = 4


@dataclass
class Counts:
    responses: int = 0  # response records in the archive
    pages: int = 0  # URLs whose latest successful response was read again
    documents: int = 0
    metrics: int = 0
    unreadable: int = 0
    removed: int = 0  # stale documents of unreadable pages, removed with their metrics
    run: int = 0  # the id of the reprocess run, whose errors name the unreadable pages

    def stats(self) -> dict[str, int]:
        """The counts as the run's stats."""
        return {**{k: v for k, v in self.__dict__.items() if k != "run"}, "items": self.documents}

    def line(self) -> str:
        return (
            f"{self.responses} archived responses, {self.pages} pages: "
            f"{self.documents} documents, {self.metrics} metrics, {self.unreadable} unreadable"
        )


def latest_responses(archive_dir: str | Path) -> tuple[dict[str, str], int]:
    """Locator of the latest successful (2xx) response of each URL, and how many responses there are."""
    latest: dict[str, tuple[str, str]] = {}
    total = 0
    for r in iter_responses(archive_dir):
        total += 1
        if not 200 <= r.status < 300:
            continue
        key = canonical_url(r.url)
        # Files and records are in the order they were written, so a later one wins a tie.
        if key not in latest or r.fetched_at >= latest[key][0]:
            latest[key] = (r.fetched_at, r.locator)
    return {url: loc for url, (_, loc) in latest.items()}, total


def resolve_jobs(jobs: int) -> int:
    """The number of processes JOBS asks for: 0 means one per core."""
    if jobs < 0:
        raise ValueError(f"jobs must be 0 (all cores) or more, not {jobs}")
    return jobs or os.cpu_count() or 1


def site_chunks(latest: dict[str, str], size: int) -> list[tuple[str, list[str]]]:
    """The locators of LATEST as (site, up to SIZE locators) tasks, each of one site, in a fixed order."""
    by_site: dict[str, list[str]] = {}
    for url, locator in latest.items():
        by_site.setdefault(site_of(url) or "", []).append(locator)
    return [(site, locs[i : i + size]) for site, locs in by_site.items() for i in range(0, len(locs), size)]


# What the worker processes run: top-level functions of plain arguments, so a spawned process can
# import and call them. They read the archive and run the extractors; they never touch the store.


def learn_chunk(archive_dir: str, locators: list[str]) -> list[tuple[str, list[str]]]:
    """(URL, block keys) of each page of LOCATORS (none for a page that cannot be read): what the
    store learns site chrome from."""
    from extractors.article import extract_page
    from extractors.attachments import attachment_kind

    learnt = []
    for locator in locators:
        r = read_response(archive_dir, locator)
        if r is None or attachment_kind(r.body, urlsplit(r.url).path):  # an attachment has no chrome
            continue
        try:
            body = extract_page(r.body, url=r.url, headers=r.headers)[0].body
        except Exception:  # noqa: BLE001 (the page fails again, and is recorded, when it is read)
            body = ""
        learnt.append((r.url, Store.block_keys(body)))
    return learnt


def read_chunk(
    archive_dir: str, locators: list[str], recurring: frozenset[str]
) -> list[tuple[str, Page | Failure]]:
    """Each page of LOCATORS read again, with its site's chrome RECURRING dropped:
    (locator, the `Store.save_page` arguments) or (locator, why it could not be read)."""
    from crawler.settings import ZONECRAWL_EXTRACT_MAX_CHARS
    from extractors.document import read_fetched
    from extractors.metrics import extract_metrics

    out: list[tuple[str, Page | Failure]] = []
    for locator in locators:
        r = read_response(archive_dir, locator)
        if r is None:
            continue
        try:
            document = read_fetched(
                r.body, document_id(r.url), url=r.url, headers=r.headers, recurring=recurring
            )
            metrics = extract_metrics(document, ZONECRAWL_EXTRACT_MAX_CHARS)  # the crawl's budget
        except UnreadableInput as e:
            out.append((locator, (r.url, unreadable_line(e))))
            continue
        except Exception as e:  # noqa: BLE001 (one page the extractors trip on must not stop the rebuild)
            out.append((locator, (r.url, f"{type(e).__name__}: {e}")))
            continue
        page = {
            "url": r.url,
            "status": r.status,
            "headers": r.headers,
            "body_hash": hashlib.sha1(r.body).hexdigest(),
            "fetched_at": r.fetched_at,
            "document": document,
            "metrics": metrics,
            "warc": locator,
            "parent_url": r.extra.get("parent"),  # an attachment's page, as the crawl archived it
        }
        out.append((locator, page))
    return out


def _in_order(executor: Executor | None, fn: Callable, tasks: Iterable[tuple], ahead: int) -> Iterator[Any]:
    """FN applied to each task's arguments, results in task order; at most AHEAD tasks in flight,
    so results never pile up faster than they are written. Without an executor, in this process."""
    if executor is None:
        yield from (fn(*args) for args in tasks)
        return
    pending: deque[Future] = deque()
    for args in tasks:
        pending.append(executor.submit(fn, *args))
        if len(pending) >= ahead:
            yield pending.popleft().result()
    while pending:
        yield pending.popleft().result()


def _page_urls(store: Store) -> dict[str, str]:
    """The URL each archived response was asked for (the crawl archives the URL after redirects)."""
    rows = store.db.execute("select warc, url from pages where warc is not null")
    return {warc: url for warc, url in rows}


def _batches(results: Iterable[list[T]], size: int) -> Iterator[list[T]]:
    """The chunks' results regrouped into lists of about SIZE, each written in one transaction."""
    batch: list[T] = []
    for chunk in results:
        batch.extend(chunk)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def _learn(store: Store, results: Iterable[list[tuple[str, list[str]]]], bar: tqdm) -> None:
    """Record the block keys of every page, so each site's chrome is known before any page is read."""
    for learnt in _batches(results, BATCH):
        with writing(store.db):
            for url, keys in learnt:
                if keys:
                    store.add_block_keys(site_of(url) or "", url, keys)
        bar.update(len(learnt))


def _save(
    store: Store,
    results: Iterable[list[tuple[str, Page | Failure]]],
    run_id: int,
    asked: dict[str, str],
    counts: Counts,
    bar: tqdm,
) -> None:
    """Save each page read again (one transaction per batch); a page that could not be read is
    recorded as an error and loses its stale document and metrics."""
    for batch in _batches(results, BATCH):
        with writing(store.db):
            for locator, page in batch:
                url = asked.get(locator)
                if isinstance(page, tuple):
                    final, why = page
                    counts.unreadable += 1
                    store.record_error(run_id, final, "parse", why)
                    counts.removed += store.drop_stale_document(url or final, final, run_id)
                    continue
                _date_from_parent(store, page)
                store.save_page(**{**page, "url": url or page["url"]}, run_id=run_id)
                counts.documents += 1
                counts.metrics += len(page["metrics"])
        bar.update(len(batch))


def _date_from_parent(store: Store, page: Page) -> None:
    """An attachment without a date of its own takes its page's, as in a crawl, and its metrics
    are read again with it. Here, in the one writing process, because the page's date is the one
    just stored: pages are saved in archive order, so the page, fetched first, is saved first."""
    document = page["document"]
    if not page.get("parent_url") or document.date:
        return
    from crawler.settings import ZONECRAWL_EXTRACT_MAX_CHARS
    from extractors.attachments import inherit_date
    from extractors.metrics import extract_metrics

    inherit_date(document, store.document_date(page["parent_url"]))
    if document.date:
        page["metrics"] = extract_metrics(document, ZONECRAWL_EXTRACT_MAX_CHARS)


def _chrome(store: Store) -> Callable[[str], frozenset[str]]:
    """A site's recurring blocks, asked of the store once per site."""
    known: dict[str, frozenset[str]] = {}

    def of(site: str) -> frozenset[str]:
        if site not in known:
            known[site] = frozenset(store.site_blocks(site))
        return known[site]

    return of


def _pool(jobs: int) -> ProcessPoolExecutor | None:
    """JOBS worker processes (spawned: the parent holds a database connection and threads), or none."""
    if jobs <= 1:
        return None
    return ProcessPoolExecutor(max_workers=jobs, mp_context=multiprocessing.get_context("spawn"))


def reprocess(db_path: str | Path, archive_dir: str | Path, progress: bool = True, jobs: int = 1) -> Counts:
    """Rebuild the documents and metrics of every archived page on JOBS processes (0: one per
    core); returns the counts. The result is the same whatever JOBS is."""
    jobs = resolve_jobs(jobs)
    counts = Counts()
    latest, counts.responses = latest_responses(archive_dir)
    counts.pages = len(latest)
    chunks = site_chunks(latest, CHUNK)
    archive = str(archive_dir)
    with Store(db_path) as store:
        # A reprocess can always be run again: commits need not wait for the disk (WAL stays
        # consistent), which makes its writes, done in this one process, much cheaper.
        store.db.execute("PRAGMA synchronous = NORMAL")
        run_id = counts.run = store.start_run(["reprocess"], {"archive": archive, "jobs": jobs})
        asked = _page_urls(store)
        bar = tqdm(
            total=2 * len(latest), desc="reprocess", unit="step", file=sys.stderr, disable=not progress
        )
        executor = _pool(jobs)
        ahead = AHEAD * jobs + BATCH // CHUNK  # a whole batch is gathered before it is written
        try:
            learning = ((archive, locs) for _, locs in chunks)
            _learn(store, _in_order(executor, learn_chunk, learning, ahead), bar)
            # every page is learnt: each site's chrome is now fixed, the same for every worker
            chrome = _chrome(store)
            reading = ((archive, locs, chrome(site)) for site, locs in chunks)
            with store.deferred_facts():
                _save(store, _in_order(executor, read_chunk, reading, ahead), run_id, asked, counts, bar)
        except BaseException as e:  # a worker that died, Ctrl-C: the run is closed, not left running
            status = "interrupted" if isinstance(e, KeyboardInterrupt) else "failed"
            with suppress(sqlite3.Error):  # the database may be what failed
                store.finish_run(run_id, counts.stats(), status)
            raise
        finally:
            if executor is not None:
                executor.shutdown(cancel_futures=True)
            bar.close()
        store.finish_run(
            run_id, counts.stats(), "finished" if not counts.unreadable else "finished with errors"
        )
    return counts
