"""The real spiders crawl the bundled sites end to end into a database, then crawl them again."""

from __future__ import annotations

import json
from urllib.parse import urlsplit

import pytest
from localcrawl import crawl, expected_documents, query

from crawler.localsites import LocalSites

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def two_runs(tmp_path_factory):
    """Crawl once into an empty database, then again; the servers' logs are split per run."""
    tmp = tmp_path_factory.mktemp("crawl")
    db, archive = tmp / "zones.db", tmp / "archive"
    with LocalSites(fixed_ports=False) as sites:
        first = crawl(sites, db, archive)
        after_first = {k: len(v) for k, v in sites.requests.items()}
        counts = query(db, "select (select count(*) from documents), (select count(*) from metrics)")[0]
        second = crawl(sites, db, archive)
        second_requests = {k: v[after_first[k] :] for k, v in sites.requests.items()}
    return dict(
        db=db, archive=archive, first=first, second=second, counts=counts, second_requests=second_requests
    )


def test_first_run_stores_every_article_once(two_runs):
    db = two_runs["db"]
    stored = {(urlsplit(u).port, urlsplit(u).path) for (u,) in query(db, "select url from pages")}
    expected = expected_documents()
    assert len(stored) == expected >= 20
    assert query(db, "select count(*), count(distinct url) from documents")[0] == (expected, expected)
    titles = {t for (t,) in query(db, "select title from documents")}
    # a GBK page without any charset, and one whose header claims UTF-8, both read correctly
    assert "郴州高新区外贸进出口总额增长27.6%" in titles
    assert "株洲高新区轨道交通装备产业集群产值突破1500亿元" in titles


def test_metrics_come_with_their_sentences(two_runs):
    db = two_runs["db"]
    rows = query(db, "select text, sentence, value, unit from metrics")
    assert len(rows) >= 50
    assert all(sentence and text in sentence for text, sentence, _, _ in rows)
    assert "技术合同成交额达到376.96亿元" in " ".join(s for _, s, _, _ in rows)
    assert any(v == 37696000000 and u == "元" for _, _, v, u in rows)


def test_errors_are_recorded_and_the_exit_status_says_so(two_runs):
    db, first = two_runs["db"], two_runs["first"]
    assert first.returncode == 1, first.stderr[-2000:]
    errors = {
        kind: urlsplit(url).path for kind, url in query(db, "select kind, url from errors where run_id = 1")
    }
    assert errors == {
        "http_404": "/news/gxqxw/2022/1020/98.html",  # a dead link
        "http_500": "/news/show-1013.html",  # still failing after the retries
        "redirect_loop": "/gxq/gzdt/202210/8add504610dd1da2c30972718f460ac3.shtml",
        "too_large": "/gxq/gzdt/202209/21ca884587772adec2ab6d7c2b65ba05.shtml",
        "robots": "/gxq/tzgg/202210/a06528f8fc34f9f9703ac0f44b7cd6f8.shtml",
        "connection": "/gxdt/index.html",  # the dead site
        "parse": "/news/show-1007.html",  # served empty
    }
    ((status, error_count, items, stats),) = query(
        db, "select status, error_count, items, stats from runs where id = 1"
    )
    # the dead site gives no article: the run failed, and its summary names the site
    assert status == "failed" and error_count == 7
    assert first.stdout.startswith("run 1: failed; ") and "zzgx (" in first.stdout
    assert "skipped: 2 pages (http_404 1, robots 1), not errors" in first.stdout
    stats = json.loads(stats)
    assert items == stats["zonecrawl/documents"] == expected_documents()
    assert stats["retry/count"] >= 2  # the 500 was retried before it was given up
    assert set(stats["spiders"]) == {"achie", "hnkfq", "chinatorch", "portals"}


def test_second_run_adds_nothing_and_fetches_no_stored_article(two_runs):
    db, second = two_runs["db"], two_runs["second"]
    assert second.returncode == 1  # the broken pages are still broken
    counts = query(db, "select (select count(*) from documents), (select count(*) from metrics)")[0]
    assert counts == two_runs["counts"]
    stored = {urlsplit(u).path for (u,) in query(db, "select url from pages")}
    for site, requests in two_runs["second_requests"].items():
        refetched = [p for p, status in requests if urlsplit(p).path in stored and status == 200]
        assert refetched == [], site
    # list pages are read again; stored articles were asked about (304) or, where the site gives
    # no ETag/Last-Modified, not asked for at all
    achie = two_runs["second_requests"]["achie"]
    assert ("/news/gxqxw/", 200) in achie and ("/news/gxqxw/2023/0315/105.html", 304) in achie
    hnkfq = {p for p, _ in two_runs["second_requests"]["hnkfq"]}
    assert "/news/list-12.html" in hnkfq and not hnkfq & stored
    (items,) = query(db, "select items from runs where id = 2")[0]
    assert items == 0
