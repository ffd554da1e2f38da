"""`make demo` end to end: the demo serves the bundled sites, crawls them, reports, and adds nothing
when run again. It runs on ports of its own (--first-port), so a demo running beside the tests
does not collide with it. Its summary and its judgement of errors are also tested without a crawl."""

from __future__ import annotations

import json
import random
import socket
import sqlite3
import subprocess
import sys
from contextlib import ExitStack
from pathlib import Path

import pytest
from conftest import ROOT
from localcrawl import query
from scrapy import Request
from scrapy.exceptions import IgnoreRequest

from crawler.demo import LocalOnlyMiddleware, expected_reason, served_ports, summary
from crawler.localsites import LocalSites

slow = pytest.mark.slow

# The demo's sites take ports first..first+8 (8741-8749 shifted), its discovery portals
# first+20..first+23 (8761-8764 shifted).
PORTS = 24


def free_ports(n: int = PORTS) -> int:
    """The first of N consecutive ports on 127.0.0.1 that nothing listens on right now."""
    rng = random.Random()
    for _ in range(200):
        first = rng.randrange(20000, 60000)
        with ExitStack() as stack:
            try:
                for port in range(first, first + n):
                    s = stack.enter_context(socket.socket())
                    s.bind(("127.0.0.1", port))
            except OSError:
                continue
        return first
    raise RuntimeError("no free block of ports on 127.0.0.1")


def demo(db: Path, first_port: int) -> subprocess.CompletedProcess:
    cmd = [sys.executable, "-m", "crawler.demo", "--db", str(db), "--first-port", str(first_port)]
    return subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=300)


def counts(db: Path) -> tuple[int, int]:
    return query(db, "select (select count(*) from documents), (select count(*) from metrics)")[0]


@pytest.fixture(scope="module")
def two_demos(tmp_path_factory):
    db = tmp_path_factory.mktemp("demo") / "data" / "zones.db"
    first_port = free_ports()
    first = demo(db, first_port)
    after_first = counts(db) if db.exists() else (0, 0)
    second = demo(db, first_port)
    return dict(db=db, first=first, second=second, after_first=after_first)


@slow
def test_demo_fills_the_database(two_demos):
    db, first = two_demos["db"], two_demos["first"]
    assert first.returncode == 0, first.stdout[-3000:] + first.stderr[-3000:]
    documents, metrics = two_demos["after_first"]
    assert documents >= 10 and metrics >= 50
    rows = query(db, "select text, sentence from metrics")
    assert all(sentence and text in sentence for text, sentence in rows)
    assert (db.parent / "archive").is_dir() and any((db.parent / "archive").iterdir())


@slow
def test_demo_prints_the_summary(two_demos):
    out = two_demos["first"].stdout
    documents, metrics = two_demos["after_first"]
    assert f"documents {documents:5d} in the database, {documents} new this run" in out
    assert f"metrics   {metrics:5d} in the database, {metrics} new this run" in out
    assert "metrics per subject" in out
    # the fixture sites' broken pages are reported, each with its URL, as expected errors
    assert "all expected demo errors" in out
    for kind in ("connection", "http_404", "http_500", "redirect_loop", "too_large", "robots", "parse"):
        assert f"  {kind} " in out
    assert f"zonecrawl serve --db {two_demos['db']}" in out
    assert "zonecrawl export metrics" in out and "--format csv" in out


def _fact(db: Path, zone: str, basis: str, kind: str) -> list[float]:
    return [
        v
        for (v,) in query(
            db,
            "select value from facts where zone_id = ? and indicator = 'high_tech_enterprises' "
            "and basis = ? and kind = ? and substr(period_end, 1, 4) = '2022'",
            (zone, basis, kind),
        )
    ]


@slow
def test_demo_answers_the_high_tech_enterprise_question(two_demos):
    """Totals, additions and net changes of each zone are separate facts, never mixed."""
    db = two_demos["db"]
    assert _fact(db, "changsha", "stock", "level") == [2168]
    assert _fact(db, "changsha", "net", "change") == [312]
    for zone, total, new in (("changde", 278, 65), ("xiangtan", 512, 136), ("hengyang", 336, 52)):
        assert _fact(db, zone, "stock", "level") == [total], zone
        assert _fact(db, zone, "new", "level") == [new], zone
    # 每平方公里聚集高新技术企业15家 is a density, never a count of high-tech enterprises
    dense = query(db, "select indicator, metric from metrics where value = 15 and unit = '家'")
    assert dense and all(i != "high_tech_enterprises" and m.startswith("每平方公里") for i, m in dense)
    (with_id, total), *_ = query(db, "select count(indicator), count(*) from metrics")
    assert with_id >= 0.6 * total
    out = two_demos["first"].stdout
    assert "carry an indicator id" in out and "0 unreadable" in out


@slow
def test_series_of_the_demo(two_demos):
    from click.testing import CliRunner

    from crawler.cli import cli

    result = CliRunner().invoke(
        cli,
        ["series", "changsha", "high_tech_enterprises", "--db", str(two_demos["db"]), "--format", "jsonl"],
    )
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.output.splitlines()]
    assert {(r["year"], r["value"], r["basis"]) for r in rows} >= {(2022, 2168, "stock"), (2022, 312, "net")}


@slow
def test_second_demo_adds_nothing(two_demos):
    second = two_demos["second"]
    assert second.returncode == 0, second.stdout[-3000:] + second.stderr[-3000:]
    assert counts(two_demos["db"]) == two_demos["after_first"]
    assert second.stdout.count(" 0 new this run") == 2
    assert "nothing added" in second.stdout


@slow
def test_a_taken_port_is_a_one_line_error(tmp_path):
    first_port = free_ports()
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", first_port))
        busy.listen()
        result = demo(tmp_path / "zones.db", first_port)
    assert result.returncode == 2
    assert "in use" in result.stderr
    assert "Traceback" not in result.stderr and len(result.stderr.strip().splitlines()) == 1


@slow
def test_a_file_that_is_not_a_database_is_a_one_line_error(tmp_path):
    db = tmp_path / "zones.db"
    db.write_text("not a database\n")
    result = demo(db, free_ports())
    assert result.returncode == 2
    assert result.stderr.strip() == f"demo: {db}: file is not a database"


# The summary and its judgement of errors, on a database written by hand (no crawl).


def test_each_deliberately_broken_page_is_expected_and_nothing_else():
    with LocalSites(fixed_ports=False) as sites:
        ports = served_ports(sites)
        url = {name: u.rstrip("/") for name, u in sites.base_urls.items()}
    expected = [
        ("connection", url["zzgx"] + "/gxdt/index.html"),
        ("http_404", url["achie"] + "/news/gxqxw/2022/1020/98.html"),
        ("http_500", url["hnkfq"] + "/news/show-1013.html"),
        ("parse", url["hnkfq"] + "/news/show-1007.html"),
        ("redirect_loop", url["chinatorch"] + "/gxq/gzdt/202210/8add504610dd1da2c30972718f460ac3.shtml"),
        ("too_large", url["chinatorch"] + "/gxq/gzdt/202209/21ca884587772adec2ab6d7c2b65ba05.shtml"),
        ("robots", url["chinatorch"] + "/gxq/tzgg/202210/a06528f8fc34f9f9703ac0f44b7cd6f8.shtml"),
    ]
    for kind, u in expected:
        assert expected_reason(kind, u, sites, ports), (kind, u)
    unexpected = [
        ("http_404", url["achie"] + "/news/gxqxw/2022/1108/100.html"),  # the page is there
        ("parse", url["achie"] + "/news/gxqxw/2022/1108/100.html"),  # not an empty page
        ("robots", url["achie"] + "/news/gxqxw/2022/1108/100.html"),  # robots.txt allows it
        ("http_500", url["achie"] + "/news/gxqxw/"),
        ("timeout", url["cshtz"] + "/xwzx/yqdt/list.html"),
        ("other", "http://example.org/"),  # not on 127.0.0.1
    ]
    for kind, u in unexpected:
        assert expected_reason(kind, u, sites, ports) is None, (kind, u)


def test_requests_to_other_hosts_are_refused_before_any_download():
    guard = LocalOnlyMiddleware()
    assert guard.process_request(Request("http://127.0.0.1:8741/news/")) is None
    for url in ("http://localhost:8741/", "http://www.achie.org/news/", "https://10.0.0.1/"):
        with pytest.raises(IgnoreRequest):
            guard.process_request(Request(url))


def _hand_made_db(path: Path, stats: dict) -> None:
    with sqlite3.connect(path) as con:
        con.executescript(
            "create table runs (id integer primary key, status, pages, items, stats);"
            "create table documents (id primary key);"
            "create table metrics (id primary key, subject, zone_id, text, sentence);"
            "create table errors (id integer primary key, run_id, kind, url);"
        )
        con.execute("insert into runs values (1, 'finished', 3, 2, ?)", [json.dumps(stats)])
        con.executemany("insert into documents values (?)", [("d1",), ("d2",)])
        con.executemany(
            "insert into metrics values (?, ?, ?, ?, ?)",
            [
                ("m1", "长沙高新区", "cs", "100家", "新增100家"),
                ("m2", "长沙高新区", "cs", "5%", "增长5%"),
                ("m3", None, None, "3个", "新增3个"),
            ],
        )
        con.execute("insert into errors values (1, 1, 'timeout', 'http://127.0.0.1:1/x')")


def test_summary_groups_metrics_by_subject_and_zone(tmp_path):
    db = tmp_path / "zones.db"
    _hand_made_db(db, {"zonecrawl/archived": 2, "zonecrawl/documents": 2})
    text, unexpected = summary(db, 1, {"documents": {"d1"}, "metrics": set()}, LocalSites(), {})
    assert "documents     2 in the database, 1 new this run" in text
    assert "metrics       3 in the database, 3 new this run" in text
    lines = text.splitlines()
    assert any(line.split() == ["2", "长沙高新区", "cs"] for line in lines)
    assert any(line.split() == ["1", "(no", "subject)", "-"] for line in lines)
    assert "1 of them unexpected" in text and "UNEXPECTED" in text
    assert unexpected == 1


def test_summary_counts_pages_lost_in_the_pipeline(tmp_path):
    db = tmp_path / "zones.db"
    _hand_made_db(db, {"zonecrawl/archived": 5, "zonecrawl/documents": 2, "zonecrawl/errors/parse": 1})
    ids = {"documents": {"d1", "d2"}, "metrics": {"m1", "m2", "m3"}}
    text, unexpected = summary(db, 1, ids, LocalSites(), {})
    assert "2 article pages were archived but neither stored nor recorded" in text
    assert unexpected == 3  # the two lost pages and the unexpected error
    assert "nothing added" in text


@slow
def test_demo_crawls_two_cms_portals_through_discovery(two_demos):
    """The zones spider finds the TRS and DedeCMS portals' columns and paging by itself."""
    first, second = two_demos["first"].stdout, two_demos["second"].stdout
    assert "portals found by discovery" in first
    trs, dede = "新闻动态, 通知公告, 政策文件, 数据发布", "园区新闻, 通知公告, 政策法规, 统计信息"
    assert f"columns {trs}; paging index_{{i}}.html" in first  # TRS: paged by a script call only
    assert f"columns {dede}; paging next link 下一页" in first  # DedeCMS, GBK
    assert first.count("61 documents, 305 metrics stored from it") == 2
    assert second.count("61 documents, 305 metrics stored from it") == 2  # the second run adds nothing
