"""Re-run the extractors over the archived responses and refresh documents and metrics, offline.

After the extractors improve, `zonecrawl reprocess` rebuilds the database from `data/archive/`
without fetching anything: the latest successful response of each URL is read again, the site's
recurring blocks are learnt from all of them first, and each page is saved through the Store like a
crawled page (same ids, so nothing is duplicated).
"""

from __future__ import annotations

import hashlib
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from tqdm import tqdm

from crawler.archive import ArchivedResponse, iter_responses, read_response
from crawler.store import Store, canonical_url, document_id
from extractors.document import site_of
from extractors.records import UnreadableInput


@dataclass
class Counts:
    responses: int = 0  # response records in the archive
    pages: int = 0  # URLs whose latest successful response was read again
    documents: int = 0
    metrics: int = 0
    unreadable: int = 0

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


def _page_urls(store: Store) -> dict[str, str]:
    """The URL each archived response was asked for (the crawl archives the URL after redirects)."""
    rows = store.db.execute("select warc, url from pages where warc is not null")
    return {warc: url for warc, url in rows}


def learn_site_blocks(store: Store, responses: Iterable[ArchivedResponse]) -> None:
    """Record the blocks of every page, so each site's chrome is known before any page is read."""
    from extractors.article import extract_article

    for r in responses:
        try:
            article = extract_article(r.body, url=r.url, headers=r.headers)
        except UnreadableInput:
            continue
        store.add_site_blocks(site_of(r.url) or "", r.url, article.body)


def reprocess_response(
    store: Store,
    r: ArchivedResponse,
    run_id: int,
    page_url: str | None = None,
    recurring: set[str] | None = None,
) -> int:
    """Read one archived response again and save it; returns its number of metrics.

    RECURRING is the site's chrome (`Store.site_blocks`), asked of the store when not given."""
    from extractors.document import read_document
    from extractors.metrics import extract_metrics

    if recurring is None:
        recurring = store.site_blocks(site_of(r.url) or "")
    document = read_document(r.body, document_id(r.url), url=r.url, headers=r.headers, recurring=recurring)
    metrics = extract_metrics(document)
    store.save_page(
        url=page_url or r.url,
        status=r.status,
        headers=r.headers,
        body_hash=hashlib.sha1(r.body).hexdigest(),
        fetched_at=r.fetched_at,
        document=document,
        metrics=metrics,
        run_id=run_id,
        warc=r.locator,
    )
    return len(metrics)


def _read_again(
    store: Store,
    responses: Iterable[ArchivedResponse],
    run_id: int,
    asked: dict[str, str],
    chrome: dict[str, set[str]],
    counts: Counts,
) -> None:
    """Save each response again, counting documents, metrics and pages that could not be read."""
    for r in responses:
        site = site_of(r.url) or ""
        if site not in chrome:
            chrome[site] = store.site_blocks(site)
        try:
            counts.metrics += reprocess_response(store, r, run_id, asked.get(r.locator), chrome[site])
            counts.documents += 1
        except UnreadableInput as e:
            counts.unreadable += 1
            store.record_error(run_id, r.url, "parse", str(e))
        except Exception as e:  # one page the extractors trip on must not stop the rebuild
            counts.unreadable += 1
            store.record_error(run_id, r.url, "parse", f"{type(e).__name__}: {e}")


def reprocess(db_path: str | Path, archive_dir: str | Path, progress: bool = True) -> Counts:
    """Rebuild the documents and metrics of every archived page; returns the counts."""
    counts = Counts()
    latest, counts.responses = latest_responses(archive_dir)
    counts.pages = len(latest)
    with Store(db_path) as store:
        run_id = store.start_run(["reprocess"], {"archive": str(archive_dir)})
        asked = _page_urls(store)
        bar = tqdm(
            total=2 * len(latest), desc="reprocess", unit="step", file=sys.stderr, disable=not progress
        )

        def responses():
            for locator in latest.values():
                r = read_response(archive_dir, locator)
                bar.update(1)
                if r is not None:
                    yield r

        learn_site_blocks(store, responses())
        chrome: dict[str, set[str]] = {}  # every page is learnt: each site's chrome is now fixed
        with store.deferred_facts():
            _read_again(store, responses(), run_id, asked, chrome, counts)
        bar.close()
        store.finish_run(
            run_id,
            {**counts.__dict__, "items": counts.documents},
            "finished" if not counts.unreadable else "finished with errors",
        )
    return counts
