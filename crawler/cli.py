"""The `zonecrawl` command line: a thin layer over `extractors` and the crawler modules."""

from __future__ import annotations

import csv
import io
import json
import sys
from collections.abc import Callable, Iterator
from typing import TextIO, TypeVar

import click

from crawler.inputs import iter_paths, read_path
from crawler.merge import merge
from crawler.tables import format_grid, format_table
from extractors.records import Document, UnreadableInput

DEFAULT_DB = "data/zones.db"


def db_option(**path: bool) -> Callable:
    """`--db`: the database file, from $ZONECRAWL_DB when set (PATH: further `click.Path` checks)."""
    return click.option(
        "--db",
        default=DEFAULT_DB,
        envvar="ZONECRAWL_DB",
        show_envvar=True,
        show_default=True,
        type=click.Path(dir_okay=False, **path),
    )


def archive_option(**path: bool) -> Callable:
    """`--archive`: the folder of WARC files, from $ZONECRAWL_ARCHIVE when set."""
    return click.option(
        "--archive",
        default="data/archive",
        envvar="ZONECRAWL_ARCHIVE",
        show_envvar=True,
        show_default=True,
        type=click.Path(file_okay=False, **path),
        help="Folder of the WARC files every response is kept in.",
    )


T = TypeVar("T")


def _read_each(files: tuple[str, ...], then: Callable[[Document], T]) -> Iterator[T]:
    """THEN applied to the document of each of FILES; a file that cannot be read is reported on
    stderr in one line, the others still go through, and the exit status becomes 1."""
    failed = 0
    for path in iter_paths(files):
        try:
            result = then(read_path(path))
        except UnreadableInput as e:
            failed += 1
            click.echo(f"zonecrawl: {path}: {e}", err=True)
            continue
        except Exception as e:  # a bug on one page must not hide the others behind a traceback
            failed += 1
            click.echo(
                f"zonecrawl: {path}: internal error, please report it: {type(e).__name__}: {e}", err=True
            )
            continue
        yield result
    if failed:
        raise click.exceptions.Exit(1)


def _to_stdout(write: Callable[[TextIO], object]) -> None:
    """WRITE given stdout as UTF-8 text whatever the locale, lines ended as written."""
    binary = getattr(sys.stdout, "buffer", None)
    if binary is None:  # already a text-only stream
        write(sys.stdout)
        return
    sys.stdout.flush()
    stream = io.TextIOWrapper(binary, encoding="utf-8", newline="")
    try:
        write(stream)
    finally:
        stream.flush()
        stream.detach()


@click.group()
@click.version_option(package_name="zonecrawl")
def cli() -> None:
    """Crawl China's high-tech zone pages, clean them, and read their figures into SQLite."""


@cli.command()
@click.argument("files", nargs=-1, required=True, type=click.Path())
@click.option("--format", "fmt", type=click.Choice(["text", "jsonl"]), default="text", show_default=True)
def extract(files: tuple[str, ...], fmt: str) -> None:
    """Read pages (HTML in any encoding, or text dumps) into clean simplified documents.

    A directory stands for every file in it. Files that cannot be read are reported on stderr and
    make the exit status 1; the others are still printed.
    """
    for d in _read_each(files, lambda d: d):
        if fmt == "jsonl":
            click.echo(json.dumps(d.to_dict(), ensure_ascii=False))
        else:
            click.echo(_document_text(d))


def _document_text(d: Document) -> str:
    head = [f"# {d.title or '(no title)'}", f"doc: {d.doc}"]
    head += [f"{k}: {v}" for k in ("date", "source", "author", "url") if (v := getattr(d, k))]
    if d.flags:
        head.append("flags: " + ", ".join(d.flags))
    tables = "".join("\n" + format_grid(g, n) + "\n" for n, g in enumerate(d.tables, 1))
    return "\n".join(head) + "\n\n" + d.body + "\n" + tables


METRIC_FIELDS = [
    "doc", "subject", "zone_id", "metric", "indicator", "basis", "value", "unit", "kind", "period",
    "period_start", "period_end", "period_type", "approx", "bound", "text", "sentence", "start", "end",
]  # fmt: skip


@cli.command()
@click.argument("files", nargs=-1, required=True, type=click.Path())
@click.option(
    "--format", "fmt", type=click.Choice(["table", "jsonl", "csv"]), default="table", show_default=True
)
def metrics(files: tuple[str, ...], fmt: str) -> None:
    """Read the dated figures of pages into metric records (subject, metric, value, period, ...)."""
    from extractors.metrics import extract_metrics

    writer = csv.DictWriter(sys.stdout, METRIC_FIELDS, extrasaction="ignore") if fmt == "csv" else None
    if writer:
        writer.writeheader()
    rows: list[dict] = []
    try:
        for records in _read_each(files, extract_metrics):
            for m in records:
                if fmt == "jsonl":
                    click.echo(json.dumps(m, ensure_ascii=False))
                elif writer:
                    writer.writerow(m)
                else:
                    rows.append(m)
    finally:  # the readable files' figures are printed even when another file failed (exit 1)
        if fmt == "table":
            click.echo(format_table(rows))


# The crawl side: each command forwards to the module that does the work.


@cli.command()
@click.argument("spiders", nargs=-1)
@db_option(resolve_path=True)
@archive_option(resolve_path=True)
@click.option(
    "--sites",
    type=click.Path(exists=True, dir_okay=False),
    help="YAML file of zone portals for the config-driven spider.",
)
@click.option("--max-pages", type=int, help="Stop each spider after this many responses.")
@click.option(
    "--zone",
    "zones",
    multiple=True,
    metavar="ID",
    help="With the zones spider: crawl only this registry zone's portal (repeatable).",
)
@click.option(
    "-s",
    "--set",
    "overrides",
    multiple=True,
    metavar="NAME=VALUE",
    help="A Scrapy setting for this run, e.g. -s DOWNLOAD_DELAY=5.",
)
@click.option(
    "--log-file",
    type=click.Path(dir_okay=False, resolve_path=True),
    help="Write the crawl log to this file (appended); stderr then shows only warnings and errors.",
)
@click.option("-q", "--quiet", is_flag=True, help="Only warnings and errors on stderr, no progress lines.")
def crawl(
    spiders: tuple[str, ...],
    db: str,
    archive: str,
    sites: str | None,
    max_pages: int | None,
    zones: tuple[str, ...],
    overrides: tuple[str, ...],
    log_file: str | None,
    quiet: bool,
) -> None:
    """Crawl zone sites politely into the database (all spiders but `zones` when none is named;
    `--zone ID` crawls registry portals through discovery).

    Pages already stored and unchanged are not fetched again. The run is recorded in the `runs`
    table, each failed or skipped page in `errors`; a summary is printed at the end.

    \b
    Exit status:
      0  the run went through; robots-disallowed pages and 404s are skips, not failures
      1  failures: fetch or parse errors, pages that could not be stored, a site where no
         article link matched, a run stopped early (the summary lists them)
      2  the crawl could not run: an unknown spider, a bad --sites file or -s value, a
         database or archive that cannot be written
    """
    from crawler.run import CrawlSetupError, log_warnings_to_stderr, run_crawl

    settings = {}
    for o in overrides:
        name, eq, value = o.partition("=")
        if not eq or not name:
            click.echo(f"zonecrawl crawl: -s expects NAME=VALUE, got {o!r}", err=True)
            raise click.exceptions.Exit(2)
        settings[name] = value
    if quiet:
        settings.setdefault("LOG_LEVEL", "WARNING")
    if zones:  # the registry portals of these zones, found by discovery (crawler/spiders/zones.py)
        from crawler.spiders.zones import zones_problem

        problem = zones_problem(list(zones), settings.get("ZONECRAWL_ZONES_FILE"))
        if problem:
            click.echo(f"zonecrawl crawl: {problem}", err=True)
            raise click.exceptions.Exit(2)
        settings["ZONECRAWL_ZONES"] = ",".join(zones)
        spiders = spiders or ("zones",)
    if log_file:
        settings["LOG_FILE"] = log_file
    try:
        if log_file:
            log_warnings_to_stderr()
        outcome = run_crawl(
            list(spiders),
            db_path=db,
            archive_dir=archive,
            sites_file=sites,
            max_pages=max_pages,
            overrides=settings,
        )
    except CrawlSetupError as e:
        click.echo(f"zonecrawl crawl: {e}", err=True)
        raise click.exceptions.Exit(2) from None
    _to_stdout(lambda out: out.write(outcome.summary() + "\n"))
    if not outcome.ok:
        raise click.exceptions.Exit(1)


@cli.command()
@db_option()
@archive_option(exists=True)
@click.option(
    "-j",
    "--jobs",
    default=1,
    show_default=True,
    type=click.IntRange(min=0),
    help="Processes that read the archive (0: one per core).",
)
def reprocess(db: str, archive: str, jobs: int) -> None:
    """Re-run the extractors over the archived pages, without touching the network.

    The latest successful response of each URL is read again; its document and metrics replace the
    stored ones, the same whatever --jobs is. A page that can no longer be read loses its old
    document and metrics, is recorded as an error, and makes the exit status 1. A progress bar goes
    to stderr, the counts to stdout.
    """
    import sqlite3
    from concurrent.futures.process import BrokenProcessPool

    from crawler.reprocess import reprocess as run

    try:
        counts = run(db_path=db, archive_dir=archive, jobs=jobs)
    except BrokenProcessPool as e:  # a worker killed (out of memory?): the run is closed as failed
        click.echo(f"zonecrawl reprocess: a worker process died: {e}", err=True)
        raise click.exceptions.Exit(1) from None
    except (OSError, sqlite3.Error) as e:  # a database or archive that cannot be used: say so, in one line
        click.echo(f"zonecrawl reprocess: {e}", err=True)
        raise click.exceptions.Exit(2) from None
    click.echo(counts.line())
    if counts.unreadable:
        click.echo(
            f"zonecrawl reprocess: {counts.unreadable} of {counts.pages} pages could not be read; "
            f"{counts.removed} stale documents removed with their metrics (errors of run {counts.run})",
            err=True,
        )
        raise click.exceptions.Exit(1)


@cli.command(context_settings={"ignore_unknown_options": True})
@db_option(exists=True)
@click.option("-p", "--port", default=8001, show_default=True, type=int)
@click.argument("datasette_options", nargs=-1, type=click.UNPROCESSED, metavar="[-- DATASETTE OPTION]...")
def serve(db: str, port: int, datasette_options: tuple[str, ...]) -> None:
    """Browse the database with Datasette, read-only, on 127.0.0.1.

    New pages show while a crawl or `reprocess` writes; no restart is needed. Options after `--`
    go to `datasette serve` as they are, e.g. `zonecrawl serve -- --setting max_returned_rows 2000`.
    """
    from crawler.serve import serve as run

    status = run(db_path=db, port=port, extra=datasette_options)
    if status:
        raise click.exceptions.Exit(status)


@cli.command()
@click.argument("zone")
@click.argument("indicators", nargs=-1, metavar="[INDICATOR]...")
@db_option(exists=True)
@click.option(
    "--format", "fmt", type=click.Choice(["table", "csv", "jsonl"]), default="table", show_default=True
)
def series(zone: str, indicators: tuple[str, ...], db: str, fmt: str) -> None:
    """A zone's figures by year, one value per indicator and period (from the `facts` table).

    ZONE is a registry id (changsha), a name (长沙高新区, 长沙高新技术产业开发区) or an alias
    (麓谷); a subject that is no single zone (湖南省高新区, 国家高新区) is matched as the facts
    write it. INDICATOR ids (high_tech_enterprises, revenue, ...) keep only those indicators.

    Columns: year, period, period_type, indicator, name (the indicator's Chinese name), kind,
    basis, value, unit, n_documents, conflict; rows by indicator, year and period end. A value
    the documents disagree on is marked `*` in the table (conflict true in csv and jsonl); the
    value shown is the one most documents report.

    An unknown ZONE is an error (exit status 2). A zone without facts is not: a line on stderr
    says so and the exit status is 0.
    """
    import sqlite3

    from crawler import series as s

    try:
        target, rows = s.series(db, zone, indicators)
    except s.UnknownZone as e:
        click.echo(f"zonecrawl series: {e}", err=True)
        raise click.exceptions.Exit(2) from None
    except (ValueError, sqlite3.DatabaseError) as e:
        click.echo(f"zonecrawl: {db}: {e}", err=True)
        raise click.exceptions.Exit(1) from None
    _to_stdout(lambda out: s.write(target, rows, fmt, out))
    if not rows:
        click.echo(s.empty_message(target, indicators, db), err=True)


# What `zonecrawl export` writes: crawler.export.TABLES (kept here so that --help needs no import).
EXPORTS = ["facts", "panel", "metrics", "documents", "zones", "runs", "errors", "pages"]


@cli.command()
@click.argument("table", type=click.Choice(EXPORTS), default="metrics")
@db_option(exists=True)
@click.option(
    "--format", "fmt", type=click.Choice(["csv", "jsonl", "parquet"]), default="jsonl", show_default=True
)
@click.option(
    "--bom/--no-bom",
    default=True,
    show_default=True,
    help="CSV: start with a UTF-8 byte-order mark, which Excel needs to show Chinese text; "
    "--no-bom for tools that do not expect one.",
)
@click.option(
    "-o",
    "--output",
    default="-",
    type=click.Path(dir_okay=False, allow_dash=True),
    help="File to write (required for parquet); stdout by default.",
)
def export(table: str, db: str, fmt: str, bom: bool, output: str) -> None:
    """Write a table, the facts or the zone-by-year panel as CSV, JSON lines or Parquet.

    \b
    facts      one consensus value per subject, indicator, basis, kind, period and unit
    panel      one row per (subject, zone_id, year), one column per indicator id holding its
               stock level, and <id>_growth beside it
    metrics    every figure read, with its document's date and URL (document_date, document_url)
    documents, zones, runs, errors, pages   the database's tables

    Every row carries schema_version (Parquet files also in their metadata, under
    zonecrawl_schema_version); docs/schema.md describes every column. CSV starts with a UTF-8
    byte-order mark unless --no-bom; JSON columns are decoded in JSON lines. Rows come in a stable
    order: exporting the same data twice gives the same bytes.
    """
    import os
    import sqlite3

    from crawler.export import export as run

    if fmt == "parquet" and output == "-":
        raise click.UsageError("parquet is binary: name the file to write with -o FILE")
    try:
        if output == "-":
            _to_stdout(lambda out: run(db_path=db, table=table, fmt=fmt, out=out, bom=bom))
            return
        # Written beside the target and moved into place: a failed export leaves no half file.
        partial = f"{output}.partial"
        try:
            if fmt == "parquet":
                run(db_path=db, table=table, fmt=fmt, out=partial)
            else:
                with open(partial, "w", encoding="utf-8", newline="") as f:
                    run(db_path=db, table=table, fmt=fmt, out=f, bom=bom)
            os.replace(partial, output)
        finally:
            if os.path.exists(partial):
                os.remove(partial)
    except (ValueError, OSError, sqlite3.DatabaseError) as e:
        click.echo(f"zonecrawl: {db}: {e}", err=True)
        raise click.exceptions.Exit(1) from None


@cli.command()
@click.argument("url")
@click.option("--name", help="Name of the entry (default: from the host, www.cshtz.gov.cn -> cshtz).")
@click.option(
    "--authority",
    type=click.Choice(["official", "association", "mirror"]),
    default="official",
    show_default=True,
    help="Whose word the site's figures carry when pages disagree.",
)
@click.option("--delay", type=float, default=1.0, show_default=True, help="Seconds between requests.")
@click.option("--allow-private", is_flag=True, help="Allow a portal on 127.0.0.1 or a private network.")
def discover(url: str, name: str | None, authority: str, delay: float, allow_private: bool) -> None:
    """Find a portal's news, notice, policy and statistics columns, its article URL pattern and
    pagination, and print them as a crawler/sites.yaml entry to review and keep.

    Reads the home page, its 政务公开-style hub pages, each column's first list page, robots.txt,
    the sitemap and the RSS/Atom feeds (a few dozen pages, politely, obeying robots.txt); never
    leaves the site.
    Exit status 1 when the home page cannot be read or no column with article links was found, 2
    when URL is not an http(s) address.
    """
    from urllib.parse import urlsplit

    from crawler.discover import default_name, discover_site
    from crawler.discoverfetch import SiteFetcher

    if urlsplit(url).scheme not in ("http", "https") or not urlsplit(url).hostname:
        click.echo(f"zonecrawl discover: {url}: not an http(s) address", err=True)
        raise click.exceptions.Exit(2)
    fetcher = SiteFetcher(url, delay=delay, allow_private=allow_private)
    found = discover_site(url, fetcher)
    if url in fetcher.failures:  # the home page itself: nothing to discover from
        click.echo(f"zonecrawl discover: {url}: cannot be read ({fetcher.failures[url]})", err=True)
        raise click.exceptions.Exit(1)
    if not found.columns:  # a sites.yaml entry needs lists; a feed alone is for `crawl zones`
        feed = f" (the feed {found.feed} lists {len(found.feed_articles)})" if found.feed else ""
        click.echo(f"zonecrawl discover: {url}: no column with article links found{feed}", err=True)
        raise click.exceptions.Exit(1)
    _to_stdout(lambda out: out.write(found.yaml(name or default_name(url), authority)))


cli.add_command(merge)  # crawler/merge.py: combine the databases of several crawl nodes


if __name__ == "__main__":
    cli()
