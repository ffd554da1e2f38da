"""`make demo`: crawl the bundled copies of the zone sites on 127.0.0.1 into data/zones.db.

The sites under tests/fixtures/sites/ are served by `crawler.localsites` on their fixed ports
(8741-8744, with 8749 left dead), so every page keeps its URL from one run to the next; the real
spiders then crawl them through the whole pipeline (middlewares, WARC archive, extractors, store),
with the delays shortened to demo speed. A summary follows: documents and metrics (in the
database, and new this run), metrics per subject and zone, the run's errors, and how to browse.
Running it again adds nothing: unchanged pages are not fetched again and the store is idempotent.

Exit status:
  0  the crawl ran, and every error it recorded is one of the fixture sites' deliberately broken
     pages (the dead site, the 404, the 500, the redirect loop, the oversized page, the page
     robots.txt forbids, the empty page), which the summary marks as expected;
  1  the crawl ran but recorded other errors (listed as unexpected), lost pages to an exception
     in the pipeline (archived, yet neither stored nor recorded), or left no document stored;
  2  the crawl could not run at all: a port is taken (another demo?) or the crawl cannot start.

Nothing leaves 127.0.0.1: spiders whose sites are not all served locally are left out, and a
downloader middleware refuses any request to another host.
"""

from __future__ import annotations

import contextlib
import json
import sqlite3
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

import click
from scrapy.exceptions import IgnoreRequest

from crawler.demozones import PORT_OFFSET, discovery_lines, portal_sites, zones_settings
from crawler.localsites import LocalSites
from crawler.tables import pad

LOCAL_HOST = "127.0.0.1"

# Demo speed, the same pipeline: only the waits are shorter than a real crawl's. AutoThrottle is
# off because it would hold each site to the pace of its slowest page.
DEMO_SETTINGS = {
    "DOWNLOAD_DELAY": 0.1,
    "AUTOTHROTTLE_ENABLED": False,
    "RETRY_BACKOFF_BASE": 0.1,
    "RETRY_BACKOFF_MAX": 1.0,
    "DOWNLOAD_TIMEOUT": 10,
    "CLOSESPIDER_TIMEOUT": 300,  # a bound, should a fixture server hang
    "LOG_LEVEL": "INFO",
    "ZONECRAWL_ALLOW_PRIVATE_ADDRESSES": True,  # the bundled sites are served on 127.0.0.1
}

# Error kinds a dead site produces (nothing listens on its port).
_DEAD_KINDS = {"connection", "timeout", "dns"}


class LocalOnlyMiddleware:
    """Refuses every request to a host other than 127.0.0.1 (the demo and benchmarks stay local)."""

    def process_request(self, request) -> None:
        host = urlsplit(request.url).hostname
        if host != LOCAL_HOST:
            raise IgnoreRequest(f"not a local address: {host}")


def local_only_middlewares() -> dict[str, int]:
    """The project's downloader middlewares with LocalOnlyMiddleware in front of them."""
    from crawler import settings

    return {**settings.DOWNLOADER_MIDDLEWARES, "crawler.demo.LocalOnlyMiddleware": 40}


def shift_ports(sites: LocalSites, first: int) -> None:
    """Move the sites' fixed ports (and the dead ones) so that the lowest becomes FIRST."""
    fixed = [int(b["port"]) for b in sites.behaviours.values() if b and b.get("port")]
    fixed += [int(p) for p in sites.dead.values()]
    offset = first - min(fixed)
    sites.behaviours = {
        name: {**b, "port": int(b["port"]) + offset} if b and b.get("port") else b
        for name, b in sites.behaviours.items()
    }
    sites.dead = {name: int(port) + offset for name, port in sites.dead.items()}


def port_range(sites: LocalSites) -> str:
    ports = [int(b["port"]) for b in sites.behaviours.values() if b and b.get("port")]
    ports += list(sites.dead.values())
    return f"{min(ports)}-{max(ports)}" if ports else "(free ports)"


def local_spiders(base_urls: dict[str, str]) -> tuple[list[str], list[str]]:
    """(spiders whose every site is served on 127.0.0.1, spiders left out because one is not)."""
    from scrapy.settings import Settings
    from scrapy.spiderloader import SpiderLoader

    from crawler.spiders.portals import PortalSpider, load_sites

    settings = Settings()
    settings.setmodule("crawler.settings", priority="project")
    loader = SpiderLoader.from_settings(settings)
    run, skipped = [], []
    for name in sorted(loader.list()):
        cls = loader.load(name)
        keys = [e["name"] for e in load_sites()] if issubclass(cls, PortalSpider) else [name]
        local = all(urlsplit(base_urls.get(k, "")).hostname == LOCAL_HOST for k in keys)
        (run if local else skipped).append(name)
    return run, skipped


def served_ports(sites: LocalSites) -> dict[int, str | None]:
    """Port -> site folder of the running servers, and None for the dead sites' ports."""
    ports: dict[int, str | None] = {s.server_port: n for n, s in sites.servers.items()}
    for name in sites.dead:
        ports[urlsplit(sites.base_urls[name]).port or 0] = None
    return ports


def expected_reason(
    kind: str, url: str | None, sites: LocalSites, ports: dict[int, str | None]
) -> str | None:
    """Why an error is one of the fixture sites' deliberate broken pages, or None if it is not.

    PORTS is `served_ports(sites)`, taken while the servers ran.
    """
    parts = urlsplit(url or "")
    if parts.hostname != LOCAL_HOST or parts.port not in ports:
        return None
    folder, path = ports[parts.port], parts.path or "/"
    if folder is None:
        return "dead site: nothing listens on its port" if kind in _DEAD_KINDS else None
    b = sites.behaviours.get(folder) or {}
    file = sites.root / folder / path.lstrip("/")
    if file.is_dir():
        file = file / "index.html"
    if kind.startswith("http_") and str(b.get("status", {}).get(path)) == kind[5:]:
        return f"a page that always answers {kind[5:]}"
    if kind == "redirect_loop" and path in b.get("redirect_loop", []):
        return "a redirect loop"
    if kind == "too_large" and path in b.get("oversize", {}):
        return "a page over DOWNLOAD_MAXSIZE"
    if kind == "robots" and _robots_forbid(sites.root / folder / "robots.txt", path):
        return "disallowed by the site's robots.txt"
    if kind == "http_404" and not file.is_file():
        return "a dead link"
    if kind == "parse" and file.is_file() and file.stat().st_size == 0:
        return "a page served empty"
    return None


def _robots_forbid(robots: Path, path: str) -> bool:
    from protego import Protego  # the parser Scrapy's robots.txt middleware uses

    if not robots.is_file():
        return False
    rules = Protego.parse(robots.read_text(encoding="utf-8", errors="replace"))
    return not rules.can_fetch(f"http://{LOCAL_HOST}{path}", "zonecrawl")


def stored_ids(db: Path) -> dict[str, set[str]]:
    """The ids of the documents and metrics a database holds (none when it does not exist yet)."""
    out: dict[str, set[str]] = {"documents": set(), "metrics": set()}
    if not db.exists():
        return out
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as con:
        for table in out:
            # a database from before the tables existed holds none
            with contextlib.suppress(sqlite3.OperationalError):
                out[table] = {r[0] for r in con.execute(f"select id from {table}")}
    return out


def last_run_id(db: Path) -> int:
    if not db.exists():
        return 0
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as con:
        try:
            return con.execute("select coalesce(max(id), 0) from runs").fetchone()[0]
        except sqlite3.OperationalError:
            return 0


def lost_pages(stats: dict) -> int:
    """Article pages the pipeline archived but that ended as neither a document nor a parse error.

    The pipeline archives a page before extracting it, then stores it or records a parse error;
    an exception it did not expect (a broken extractor) leaves the page in neither place.
    """
    archived = stats.get("zonecrawl/archived", 0)
    return max(0, archived - stats.get("zonecrawl/documents", 0) - stats.get("zonecrawl/errors/parse", 0))


def _command(name: str) -> str:
    """How to call one of the project's commands from here: bare when on PATH, else its path."""
    import shutil

    if shutil.which(name):
        return name
    local = Path(sys.prefix) / "bin" / name
    if local.exists():
        try:
            return str(local.relative_to(Path.cwd()))
        except ValueError:
            return str(local)
    return name


def summary(
    db: Path, run_id: int, before: dict[str, set[str]], sites: LocalSites, ports: dict[int, str | None]
) -> tuple[str, int]:
    """The demo's report, and how many of the run's errors were not expected."""
    after = stored_ids(db)
    lines = []
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as con:
        run = con.execute("select status, pages, items, stats from runs where id = ?", [run_id]).fetchone()
        status, pages, items, stats = run or ("not recorded", 0, 0, None)
        lines.append(f"run {run_id}: {status}; {pages} pages fetched, {items} documents saved")
        lost = lost_pages(json.loads(stats or "{}"))
        if lost:
            lines.append(
                f"  {lost} article pages were archived but neither stored nor recorded as errors "
                f"(an exception in the pipeline: see {db.parent / 'demo.log'})"
            )
        for table, label in (("documents", "documents"), ("metrics", "metrics  ")):
            new = len(after[table] - before[table])
            lines.append(f"  {label} {len(after[table]):5d} in the database, {new} new this run")
        added = any(after[t] - before[t] for t in after)
        if before["documents"] and not added:
            lines.append("  nothing added: unchanged pages were not fetched again, the store is idempotent")
        (unsourced,) = con.execute(
            "select count(*) from metrics where coalesce(sentence, '') = '' or instr(sentence, text) = 0"
        ).fetchone()
        lines.append(
            "  every metric comes with its source sentence"
            if not unsourced
            else f"  {unsourced} metrics lack their source sentence"
        )
        lines += table_lines(con)

        groups = con.execute(
            "select subject, zone_id, count(*) from metrics group by subject, zone_id "
            "order by count(*) desc, subject"
        ).fetchall()
        lines += ["", "metrics per subject (zone id):"]
        shown = 15
        for subject, zone_id, n in groups[:shown]:
            label = subject or "(no subject)"
            lines.append(f"  {n:5d}  {pad(label, 24)}  {zone_id or '-'}")
        if len(groups) > shown:
            rest = sum(n for _, _, n in groups[shown:])
            lines.append(f"  {rest:5d}  ({len(groups) - shown} more subjects)")
        if not groups:
            lines.append("  (no metrics)")

        lines += dataset_lines(con)
        errors = con.execute(
            "select kind, url from errors where run_id = ? order by kind, url", [run_id]
        ).fetchall()
    listed, unexpected = error_lines(errors, sites, ports)
    lines += ["", *listed, ""]
    zc = _command("zonecrawl")
    db_arg = f" --db {db}"
    lines += [
        "browse it:",
        f"  {zc} serve{db_arg}    # Datasette, read-only, on http://127.0.0.1:8001/",
        f"  {zc} series changsha{db_arg}    # a zone's figures by year, from facts",
        f"  {zc} export metrics{db_arg} --format csv > metrics.csv",
    ]
    return "\n".join(lines), unexpected + lost


def table_lines(con: sqlite3.Connection) -> list[str]:
    """How many metrics were read from data tables, and how many from attachments (spreadsheets,
    PDF bulletins): a table figure's offsets lie past its document's body, in the tables' text."""
    have = {r[1] for r in con.execute("pragma table_info(documents)")}
    if "parent_url" not in have:
        return []  # a database from before tables and attachments were stored
    tables, attached, documents = con.execute(
        "select count(*) filter (where m.start > length(coalesce(d.body, ''))),"
        " count(*) filter (where d.parent_url is not null),"
        " (select count(*) from documents where parent_url is not null)"
        " from metrics m join documents d on d.id = m.document_id"
    ).fetchone()
    counts = f"{attached} from {documents} attachments (.xlsx, .pdf …)"
    return [f"  {tables} metrics read from data tables; {counts}"]


def dataset_lines(con: sqlite3.Connection) -> list[str]:
    """What the metrics make as a dataset: indicator coverage, readable names, facts and conflicts,
    and the latest high-tech enterprise total of each zone (the question a researcher asks first)."""
    from extractors.indicators import name_problem

    have = {r[1] for r in con.execute("pragma table_info(metrics)")}
    if "indicator" not in have:
        return []
    total, with_id = con.execute("select count(*), count(indicator) from metrics").fetchone()
    names = [r[0] for r in con.execute("select metric from metrics")]
    problems = [name_problem(n) for n in names]
    n_facts, conflicts = con.execute("select count(*), coalesce(sum(conflict), 0) from facts").fetchone()
    share = f"{100 * with_id / total:.0f} %" if total else "-"
    lines = [
        "",
        "dataset:",
        f"  {with_id} of {total} metrics ({share}) carry an indicator id; "
        f"{len(set(names))} distinct names, {problems.count('junk')} unreadable, "
        f"{problems.count('generic')} generic",
        f"  {n_facts} facts (one value per subject, indicator, basis, kind and period), {conflicts} with a conflict",
    ]
    latest = con.execute(
        "select subject, value, period_end, n_documents from facts f where indicator = 'high_tech_enterprises' "
        "and basis = 'stock' and kind = 'level' and zone_id is not null and period_end = (select max(period_end) "
        "from facts g where g.subject = f.subject and g.indicator = f.indicator and g.basis = f.basis "
        "and g.kind = f.kind) order by value desc"
    ).fetchall()
    if latest:
        lines.append("  latest high-tech enterprise total per zone (facts, high_tech_enterprises, stock):")
        for subject, value, end, n in latest:
            lines.append(f"    {pad(subject, 14)} {value:>8g}  {end}  ({n} document{'s' if n > 1 else ''})")
    return lines


def error_lines(
    errors: list[tuple[str, str | None]], sites: LocalSites, ports: dict[int, str | None]
) -> tuple[list[str], int]:
    """The run's errors (kind, URL) as report lines, each expected one with its reason; and how
    many were not expected."""
    rows = [(kind, url or "-", expected_reason(kind, url, sites, ports)) for kind, url in errors]
    unexpected = sum(reason is None for _, _, reason in rows)
    if not rows:
        head = "errors this run: none"
    elif not unexpected:
        head = (
            f"errors this run: {len(rows)}, all expected demo errors "
            "(the fixture sites' deliberately broken pages):"
        )
    else:
        head = f"errors this run: {len(rows)}, {unexpected} of them unexpected:"
    width = max((len(k) for k, _, _ in rows), default=0)
    return [head] + [f"  {k:<{width}}  {u}  ({r or 'UNEXPECTED'})" for k, u, r in rows], unexpected


def run_demo(db: Path, archive: Path, first_port: int | None = None) -> int:
    """Serve the bundled sites, crawl them into DB, print the summary; returns the exit status."""
    from crawler.run import CrawlSetupError, run_crawl

    try:
        before, previous_run = stored_ids(db), last_run_id(db)
    except sqlite3.DatabaseError as e:
        click.echo(f"demo: {db}: {e}", err=True)
        return 2
    sites, portals = LocalSites(), portal_sites()
    if first_port is not None:
        shift_ports(sites, first_port)
        shift_ports(portals, first_port + PORT_OFFSET)
    try:
        sites.start()
        portals.start()  # two CMS portals the zones spider crawls through discovery
    except OSError as e:
        sites.stop()
        portals.stop()
        click.echo(
            f"demo: cannot serve the bundled sites on {LOCAL_HOST} ports {port_range(sites)}: "
            f"{e.strerror or e} (another demo running? --first-port picks other ports)",
            err=True,
        )
        return 2
    try:
        spiders, skipped = local_spiders(sites.base_urls)
        spiders, skipped = [*spiders, "zones"], [n for n in skipped if n != "zones"]
        served = ", ".join(f"{n} :{urlsplit(u).port}" for n, u in sorted(sites.base_urls.items()))
        click.echo(
            f"demo: serving the bundled sites on {LOCAL_HOST} ({served}; dead: {', '.join(sites.dead)})"
        )
        if skipped:
            click.echo(f"demo: left out (no local copy of their sites): {', '.join(skipped)}")
        log = db.parent / "demo.log"
        click.echo(f"demo: crawling with {', '.join(spiders)} into {db} (crawl log: {log}) ...")
        overrides = {
            **DEMO_SETTINGS,
            "LOG_FILE": str(log),
            "LOG_FILE_APPEND": False,
            "DOWNLOADER_MIDDLEWARES": local_only_middlewares(),
            "ZONECRAWL_BASE_URLS": {**sites.base_urls, **portals.base_urls},
            **zones_settings(),
        }
        db.parent.mkdir(parents=True, exist_ok=True)
        t0 = time.monotonic()
        try:
            run_crawl(spiders, db_path=str(db), archive_dir=str(archive), overrides=overrides)
        except CrawlSetupError as e:
            click.echo(f"demo: the crawl cannot start: {e}", err=True)
            return 2
        elapsed = time.monotonic() - t0
        ports = served_ports(sites)
    finally:
        sites.stop()
        portals.stop()

    run_id = last_run_id(db)
    if run_id <= previous_run:
        click.echo("demo: the crawl recorded no run", err=True)
        return 2
    text, unexpected = summary(db, run_id, before, sites, ports)
    text += "\n" + "\n".join(discovery_lines(db, run_id, portals.base_urls))
    click.echo(f"demo: crawled in {elapsed:.1f} s\n")
    click.echo(text)
    if unexpected:
        click.echo(f"\ndemo: {unexpected} unexpected problems (see {db.parent / 'demo.log'})", err=True)
        return 1
    if not stored_ids(db)["documents"]:
        click.echo("demo: no document was stored", err=True)
        return 1
    return 0


@click.command()
@click.option(
    "--db", default="data/zones.db", show_default=True, type=click.Path(dir_okay=False, path_type=Path)
)
@click.option(
    "--archive",
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder for the WARC archive  [default: archive/ beside the database]",
)
@click.option(
    "--first-port",
    type=click.IntRange(1024, 65000),
    help="Serve the sites from this port up instead of 8741-8749 (keep it across runs: URLs include it).",
)
def main(db: Path, archive: Path | None, first_port: int | None) -> None:
    """Serve the bundled zone sites on 127.0.0.1, crawl them with the real spiders, print a summary."""
    sys.exit(run_demo(db, archive or db.parent / "archive", first_port))


if __name__ == "__main__":
    main()
