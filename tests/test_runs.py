"""Runs an operator can schedule: every crawl records and closes its run, robots and 404 pages are
skips, a site without articles is a failure, exit codes 0/1/2, a summary with absolute paths,
settings checked before crawling, `scrapy crawl -O` exporting documents."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import ROOT
from localcrawl import FAST, query, serve_pages

from crawler.cli import cli
from crawler.runlog import FAILED, FINISHED, STOPPED, WITH_ERRORS, Verdict, error_counts, run_status
from crawler.spiders.portals import SitesFileError, load_sites

# Settings the spiders must have to crawl 127.0.0.1 quickly, without the log level.
LOCAL = {k: v for k, v in FAST.items() if k != "LOG_LEVEL"}

# --- the verdict, without a crawl


def test_robots_and_404_are_skips_and_anything_else_a_failure():
    stats = {"zonecrawl/errors/robots": 2, "zonecrawl/errors/http_404": 3, "zonecrawl/errors/http_500": 1}
    skips, failures = error_counts(stats)
    assert skips == {"robots": 2, "http_404": 3} and failures == {"http_500": 1}
    only_skips = Verdict("achie", "finished", skips=skips)
    assert only_skips.ok and run_status([only_skips]) == FINISHED
    broken = Verdict("hnkfq", "finished", skips=skips, errors=failures)
    assert broken.failures == ["hnkfq: 1 error (http_500 1)"]
    assert run_status([only_skips, broken]) == WITH_ERRORS


def test_a_site_without_articles_or_a_cut_run_fails():
    empty = Verdict("portals", "finished", empty_sites=["x (http://a/): no article link matched"])
    assert not empty.ok and run_status([empty]) == FAILED
    cut = Verdict("achie", "shutdown")
    assert cut.failures == ["achie: stopped before its end (shutdown)"] and run_status([cut]) == STOPPED
    assert Verdict("achie", "closespider_pagecount").ok  # a page limit is the user's choice


# --- configuration checked before crawling: exit 2, one line, nothing recorded


def _crawl_cli(args: list[str], tmp_path: Path, env: dict | None = None):
    db = tmp_path / "zones.db"
    result = CliRunner().invoke(
        cli, ["crawl", *args, "--db", str(db), "--archive", str(tmp_path / "a")], env=env
    )
    return result, db


@pytest.mark.parametrize(
    "setting, words",
    [
        ("DOWNLOAD_DELAY=abc", "DOWNLOAD_DELAY must be a number"),
        ("ROBOTSTXT_OBEY=perhaps", "ROBOTSTXT_OBEY must be true or false"),
        ("CLOSESPIDER_PAGECOUNT=ten", "CLOSESPIDER_PAGECOUNT must be a number"),
        ("LOG_LEVEL=LOUD", "LOG_LEVEL must be a log level"),
        ("ZONECRAWL_BASE_URLS={achie", "ZONECRAWL_BASE_URLS must be a JSON object"),
        ("DOWNLOAD_DELAY", "expects NAME=VALUE"),
    ],
)
def test_a_bad_setting_stops_the_crawl_before_it_starts(tmp_path, setting, words):
    result, db = _crawl_cli(["achie", "-s", setting], tmp_path)
    assert result.exit_code == 2, result.output
    assert words in result.output and len(result.output.strip().splitlines()) == 1
    assert not db.exists()  # no run was opened, so none is left `running`


def _sites(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "sites.yaml"
    path.write_text("- name: x\n  base_url: http://a.example/\n  article: ^/n/\\d+\\.html$\n" + body, "utf-8")
    return path


@pytest.mark.parametrize(
    "body, words",
    [
        ("  lists: news/index.html\n", "lists must be a list of paths"),
        ("  lists: [l.html]\n  max_pages: '10'\n", "max_pages must be a whole number"),
        ("  lists: [l.html]\n  max_pages: 0\n", "max_pages must be a whole number"),
        ("  lists: [l.html]\n  page_template: index.html\n", "page_template must contain {n} or {i}"),
        ("  lists: [l.html]\n  page_template: index_{page}.html\n", "page_template: only {n} and {i}"),
        ("  lists: [l.html]\n  next: //a[text()='next'\n", "next: not a valid XPath"),
        ("  lists: [l.html]\n  selectors: {title: 'h1..x'}\n", "selectors: title: not a valid CSS selector"),
        ("  lists: [l.html]\n  selectors: {title: '//h1['}\n", "selectors: title: not a valid XPath"),
        ("  lists: [l.html]\n  selectors: {headline: h1}\n", "unknown field 'headline'"),
        ("  lists: [l.html]\n  selectors: [h1]\n", "selectors must be a mapping"),
        ("  lists: [l.html]\n  sitemap: [a, b]\n", "sitemap must be a string, not a list"),
        (
            "  lists: [l.html]\n- name: x\n  base_url: http://b.example/\n  lists: [l]\n  article: a\n",
            "a second entry of that name",
        ),
    ],
)
def test_wrongly_typed_sites_entries_are_refused(tmp_path, body, words):
    path = _sites(tmp_path, body)
    with pytest.raises(SitesFileError, match="x: ") as e:
        load_sites(path)
    assert words in str(e.value)
    result, db = _crawl_cli(["portals", "--sites", str(path)], tmp_path)
    assert result.exit_code == 2 and words in result.output, result.output
    assert "Traceback" not in result.output and not db.exists()


def test_a_bad_regex_is_refused_with_its_reason(tmp_path):
    path = tmp_path / "sites.yaml"
    path.write_text("- name: x\n  base_url: http://a/\n  lists: [l]\n  article: ^/n/(\\d+\\.html$\n", "utf-8")
    with pytest.raises(SitesFileError, match="x: article is not a valid regular expression"):
        load_sites(path)


def test_the_bundled_sites_pass_the_checks():
    assert {e["name"] for e in load_sites()} >= {"cshtz"}


def test_a_database_or_archive_that_cannot_be_written_is_refused(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    result = CliRunner().invoke(
        cli, ["crawl", "achie", "--db", str(blocker / "zones.db"), "--archive", str(tmp_path / "a")]
    )
    assert result.exit_code == 2 and result.output.startswith("zonecrawl crawl: database "), result.output
    assert len(result.output.strip().splitlines()) == 1
    result = CliRunner().invoke(
        cli, ["crawl", "achie", "--db", str(tmp_path / "zones.db"), "--archive", str(blocker / "archive")]
    )
    assert result.exit_code == 2 and "archive" in result.output and "cannot write there" in result.output
    assert not (tmp_path / "zones.db").exists()


def test_the_database_and_archive_come_from_the_environment(tmp_path):
    from crawler.store import Store

    db = tmp_path / "env.db"
    with Store(db) as store:
        store.finish_run(store.start_run(["achie"], {}), {"pages": 3}, "finished")
    result = CliRunner().invoke(cli, ["export", "runs"], env={"ZONECRAWL_DB": str(db)})
    assert result.exit_code == 0, result.output
    assert json.loads(result.output.splitlines()[0])["status"] == "finished"
    help_text = CliRunner().invoke(cli, ["crawl", "--help"]).output
    assert "ZONECRAWL_DB" in help_text and "ZONECRAWL_ARCHIVE" in help_text and "Exit status" in help_text


# --- crawls of small sites served on 127.0.0.1


def article(title: str) -> str:
    return (
        f"<html><head><title>{title}</title></head><body><h1>{title}</h1><p>2023-05-06</p>"
        f"<p>{title}。2022年，园区实现营业收入100亿元，同比增长12%。</p></body></html>"
    )


class Site:
    """A small news site on 127.0.0.1 ({path: (status, body)}; unknown paths 404)."""

    def __init__(self, pages: dict[str, tuple[int, str]]):
        served = {
            path: (status, {"Content-Type": "text/plain"} if path.endswith(".txt") else {}, body)
            for path, (status, body) in pages.items()
        }
        self.server = serve_pages(served)
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}/"

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def news_site() -> Site:
    """Two good articles, one a robots.txt forbids, one dead link (404)."""
    links = "".join(f'<a href="/news/{n}.html">第{n}条</a>' for n in (1, 2, 3, 4))
    return Site(
        {
            "/robots.txt": (200, "User-agent: *\nDisallow: /news/3.html\n"),
            "/news/list.html": (200, f"<html><body>{links}</body></html>"),
            "/news/1.html": (200, article("长沙高新区第一条新闻")),
            "/news/2.html": (200, article("长沙高新区第二条新闻")),
            "/news/3.html": (200, article("不许抓取的新闻")),
        }
    )


def sites_file(tmp_path: Path, entries: dict[str, tuple[str, str]]) -> Path:
    """A sites file of {name: (base_url, article regex)}, each with the list page news/list.html."""
    lines = []
    for name, (base, pattern) in entries.items():
        lines += [
            f"- name: {name}",
            f"  base_url: {base}",
            "  lists: [news/list.html]",
            f"  article: {pattern}",
        ]
    path = tmp_path / "sites.yaml"
    path.write_text("\n".join(lines) + "\n", "utf-8")
    return path


def run(cmd: list[str], env: dict | None = None, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    return subprocess.run(
        cmd, cwd=cwd, capture_output=True, text=True, timeout=120, env={**os.environ, **(env or {})}
    )


def zonecrawl_crawl(sites: Path, *args: str, settings: dict | None = None) -> list[str]:
    cmd = [sys.executable, "-m", "crawler.cli", "crawl", "portals", "--sites", str(sites), *args]
    for k, v in {**LOCAL, **(settings or {})}.items():
        cmd += ["-s", f"{k}={v}"]
    return cmd


@pytest.mark.slow
def test_skips_only_exit_0_with_a_summary_and_a_closed_run(tmp_path):
    site = news_site()
    try:
        path = sites_file(tmp_path, {"news": (site.base, r"^/news/\d+\.html$")})
        env = {"ZONECRAWL_DB": str(tmp_path / "env.db"), "ZONECRAWL_ARCHIVE": str(tmp_path / "warc")}
        done = run(zonecrawl_crawl(path, "--quiet"), env=env)
    finally:
        site.close()
    assert done.returncode == 0, done.stdout + done.stderr[-3000:]
    out = done.stdout
    assert out.startswith(f"run 1: {FINISHED}; ") and "2 documents saved" in out
    assert "skipped: 2 pages (http_404 1, robots 1), not errors" in out
    assert f"database: {tmp_path / 'env.db'}" in out and f"archive:  {tmp_path / 'warc'}" in out
    assert "failures" not in out
    db = tmp_path / "env.db"
    assert query(db, "select status, items, finished is not null from runs") == [(FINISHED, 2, 1)]
    kinds = query(db, "select kind, substr(url, -11) from errors order by kind")
    assert kinds == [("http_404", "news/4.html"), ("robots", "news/3.html")]
    assert any((tmp_path / "warc").iterdir())
    assert " INFO: " not in done.stderr  # --quiet: warnings and errors only


@pytest.mark.slow
def test_a_site_whose_pattern_matches_nothing_fails_and_says_so(tmp_path):
    site = news_site()
    dead = ThreadingHTTPServer(("127.0.0.1", 0), BaseHTTPRequestHandler)
    dead_base = f"http://127.0.0.1:{dead.server_address[1]}/"
    dead.server_close()  # nothing listens there any more: a dead host
    try:
        entries = {
            "news": (site.base, r"^/news/\d+\.html$"),
            "redesigned": (site.base, r"^/articles/\d+\.shtml$"),
            "gone": (dead_base, r"^/news/\d+\.html$"),
        }
        path = sites_file(tmp_path, entries)
        log = tmp_path / "logs" / "crawl.log"
        db = tmp_path / "zones.db"
        done = run(
            zonecrawl_crawl(path, "--db", str(db), "--archive", str(tmp_path / "a"), "--log-file", str(log))
        )
    finally:
        site.close()
    assert done.returncode == 1, done.stdout + done.stderr[-3000:]
    assert done.stdout.startswith(f"run 1: {FAILED}; ")
    assert f"redesigned ({site.base}): no article link matched on its list pages" in done.stdout
    assert f"gone ({dead_base}): no article link matched" in done.stdout
    assert "news (" not in done.stdout  # the healthy site is no failure
    assert (FAILED,) in query(db, "select status from runs")
    # the full log went to the file; stderr has the warnings and errors, a dead host without traceback
    assert " INFO: " in log.read_text("utf-8") and " INFO: " not in done.stderr
    assert "Traceback" not in done.stderr and "Traceback" not in log.read_text("utf-8")
    assert "Connection refused" in done.stderr


def scrapy_crawl(sites: Path, *args: str) -> list[str]:
    cmd = [sys.executable, "-m", "scrapy", "crawl", "portals", *args]
    for k, v in {**FAST, "ZONECRAWL_SITES_FILE": str(sites)}.items():
        cmd += ["-s", f"{k}={v}"]
    return cmd


@pytest.mark.slow
def test_scrapy_crawl_exits_1_on_a_site_that_gives_nothing(tmp_path):
    site = news_site()
    try:
        path = sites_file(tmp_path, {"redesigned": (site.base, r"^/articles/\d+\.shtml$")})
        db = tmp_path / "scrapy.db"
        done = run(
            scrapy_crawl(path), env={"ZONECRAWL_DB": str(db), "ZONECRAWL_ARCHIVE": str(tmp_path / "w")}
        )
    finally:
        site.close()
    assert done.returncode == 1, done.stderr[-3000:]
    assert "redesigned" in done.stderr and "no article link matched" in done.stderr
    assert query(db, "select status from runs") == [(FAILED,)]


@pytest.mark.slow
def test_scrapy_crawl_closes_its_run_and_exports_documents(tmp_path):
    site = news_site()
    try:
        path = sites_file(tmp_path, {"news": (site.base, r"^/news/\d+\.html$")})
        db = tmp_path / "scrapy.db"
        cmd = scrapy_crawl(path, "-O", str(tmp_path / "items.jsonl"))
        done = run(cmd, env={"ZONECRAWL_DB": str(db), "ZONECRAWL_ARCHIVE": str(tmp_path / "warc")})
    finally:
        site.close()
    assert done.returncode == 0, done.stderr[-3000:]
    ((status, items, stats),) = query(db, "select status, items, stats from runs")
    assert status == FINISHED and items == 2
    assert json.loads(stats)["zonecrawl/skips"] == 2
    rows = [json.loads(line) for line in (tmp_path / "items.jsonl").read_text("utf-8").splitlines()]
    assert sorted(r["title"] for r in rows) == ["长沙高新区第一条新闻", "长沙高新区第二条新闻"]
    stored = dict(query(db, "select url, body from documents"))
    for r in rows:
        assert r["body"] == stored[r["url"]] and "营业收入100亿元" in r["body"]
        assert r["date"] == "2023-05-06" and r["metrics"] >= 1 and r["spider"] == "portals"


def test_a_page_that_cannot_be_stored_is_counted_recorded_and_the_run_closed(tmp_path):
    """What a full disk or a read-only database does to the pipeline: the page's failure reaches
    the run's errors and verdict, and the run the extension opened is closed, not left running."""
    import sqlite3

    from scrapy.utils.test import get_crawler
    from twisted.python.failure import Failure

    from crawler.items import PageItem
    from crawler.runlog import RunLog
    from crawler.spiders.achie import AchieSpider

    db = tmp_path / "zones.db"
    # no ZONECRAWL_RUN_ID: a plain `scrapy crawl`, the extension opens the run
    crawler = get_crawler(
        AchieSpider, {"ZONECRAWL_DB": str(db), "EXTENSIONS": {"crawler.runlog.RunLog": 500}}
    )
    (runlog,) = [m for m in crawler.extensions.middlewares if isinstance(m, RunLog)]
    assert crawler.settings.getint("ZONECRAWL_RUN_ID") == runlog.run_id == 1
    assert query(db, "select status from runs") == [("running",)]
    spider = AchieSpider.from_crawler(crawler)
    crawler.stats.open_spider()
    page = PageItem(
        "http://www.achie.org/news/1.html", "http://www.achie.org/news/1.html", 200, {}, b"", "", "achie"
    )
    try:
        raise sqlite3.OperationalError("database or disk is full")
    except sqlite3.OperationalError:
        failure = Failure()
    runlog.item_error(page, None, spider, failure)
    runlog.spider_closed(spider, "finished")
    assert "achie: 1 error (store 1)" in crawler.zonecrawl_verdict.failures
    ((status, errors, stats),) = query(db, "select status, error_count, stats from runs")
    assert status == FAILED and errors == 1  # and the site without articles is named too
    assert json.loads(stats)["zonecrawl/errors/store"] == 1
    assert query(db, "select kind, url, message from errors") == [
        ("store", page.url, "OperationalError: database or disk is full")
    ]


@pytest.mark.slow
def test_a_site_that_stops_matching_is_a_failure_naming_what_it_used_to_give(tmp_path):
    site = news_site()
    db, archive = tmp_path / "zones.db", tmp_path / "a"
    try:
        good = sites_file(tmp_path, {"news": (site.base, r"^/news/\d+\.html$")})
        first = run(zonecrawl_crawl(good, "--db", str(db), "--archive", str(archive), "-q"))
        again = run(zonecrawl_crawl(good, "--db", str(db), "--archive", str(archive), "-q"))
        broken = sites_file(tmp_path, {"news": (site.base, r"^/news/\d+\.shtml$")})  # after a redesign
        last = run(zonecrawl_crawl(broken, "--db", str(db), "--archive", str(archive), "-q"))
    finally:
        site.close()
    assert first.returncode == 0 and again.returncode == 0, again.stdout
    assert (
        again.stdout.startswith(f"run 2: {FINISHED}; ") and "0 documents saved" in again.stdout
    )  # nothing new
    assert last.returncode == 1
    assert (
        f"news ({site.base}): no article link matched on its list pages (previous runs stored 2"
        in last.stdout
    )
    assert query(db, "select id, status from runs") == [(1, FINISHED), (2, FINISHED), (3, FAILED)]
