"""The WARC archive: responses read back exactly as written, also from a crawl killed mid-record."""

from __future__ import annotations

import pytest
from conftest import FIXTURES

from crawler.archive import ArchiveWriter, archive_files, iter_responses, read_response

FETCHED = "2026-01-02T03:04:05+00:00"


def _pages() -> list[tuple[str, int, dict, bytes]]:
    gbk = (FIXTURES / "pages" / "gbk_undeclared.html").read_bytes()
    utf8 = (FIXTURES / "pages" / "utf8_meta_says_gb2312.html").read_bytes()
    return [
        ("http://www.achie.org/gxq/1.html", 200, {"Content-Type": "text/html; charset=gbk"}, gbk),
        # The spider hands over decompressed bodies: the encoding header must not make the reader
        # decompress them again.
        (
            "http://www.achie.org/gxq/2.html",
            200,
            {"Content-Type": "text/html", "Content-Encoding": "gzip"},
            utf8,
        ),
        ("http://www.achie.org/missing.html", 404, {"Set-Cookie": ["a=1", "b=2"]}, b"not found"),
        ("http://www.achie.org/empty.html", 200, {}, b""),
    ]


def _write(directory, pages, **kw) -> list[str]:
    with ArchiveWriter(directory, **kw) as w:
        return [w.write_response(url, status, headers, body, FETCHED) for url, status, headers, body in pages]


def test_round_trip(tmp_path):
    pages = _pages()
    locators = _write(tmp_path, pages)
    got = list(iter_responses(tmp_path))
    assert [(r.url, r.status, r.body) for r in got] == [(u, s, b) for u, s, _, b in pages]
    assert all(r.fetched_at == FETCHED for r in got)
    assert got[0].headers["Content-Type"] == "text/html; charset=gbk"
    assert "Content-Encoding" not in got[1].headers
    assert got[2].headers["Set-Cookie"] == "a=1, b=2"
    assert [r.locator for r in got] == locators
    for page, locator in zip(pages, locators):
        again = read_response(tmp_path, locator)
        assert (again.url, again.body) == (page[0], page[3])
    assert read_response(tmp_path, "nofile.warc.gz#0") is None


def test_each_run_writes_its_own_file_and_large_files_rotate(tmp_path):
    pages = _pages()
    _write(tmp_path, pages[:2])
    _write(tmp_path, pages[2:])
    assert len(archive_files(tmp_path)) == 2
    assert [r.url for r in iter_responses(tmp_path)] == [p[0] for p in pages]

    small = tmp_path / "small"
    _write(small, pages, max_bytes=1)
    assert len(archive_files(small)) == len(pages)
    assert [r.body for r in iter_responses(small)] == [p[3] for p in pages]


def test_a_truncated_archive_keeps_every_complete_record(tmp_path):
    pages = _pages()[:3]
    locators = _write(tmp_path, pages)
    path = archive_files(tmp_path)[0]
    data = path.read_bytes()
    last = int(locators[-1].split("#")[1])
    complete = [(u, b) for u, _, _, b in pages]
    for cut in range(last, len(data), 5):
        path.write_bytes(data[:cut])
        got = [(r.url, r.body) for r in iter_responses(tmp_path)]
        # Whatever is cut, the records before stand, and the last is either whole or left out.
        assert got in (complete[:-1], complete), cut
    path.write_bytes(data[: last + (len(data) - last) // 2])
    assert read_response(tmp_path, locators[-1]) is None


def test_an_empty_or_missing_archive(tmp_path):
    assert list(iter_responses(tmp_path / "none")) == []
    (tmp_path / "zero.warc.gz").write_bytes(b"")
    (tmp_path / "junk.warc.gz").write_bytes(b"\x1f\x8b not really gzip")
    assert list(iter_responses(tmp_path)) == []


def test_only_pages_are_read_back_unless_every_response_is_asked_for(tmp_path):
    from crawler.archive import OTHER

    with ArchiveWriter(tmp_path) as w:
        w.write_response(
            "http://a.example/list.html", 200, {}, b"<a>list</a>", "2024-01-01T00:00:00Z", role=OTHER
        )
        w.write_response("http://a.example/1.html", 200, {}, b"<p>page</p>", "2024-01-01T00:00:01Z")
        w.write_response("http://a.example/2.html", 404, {}, b"gone", "2024-01-01T00:00:02Z", role=OTHER)
    assert [r.url for r in iter_responses(tmp_path)] == ["http://a.example/1.html"]
    every = list(iter_responses(tmp_path, every=True))
    assert [(r.status, r.extra["role"]) for r in every] == [(200, "other"), (200, "page"), (404, "other")]


@pytest.mark.slow
def test_a_crawl_archives_every_response_it_receives(tmp_path):
    import json

    from localcrawl import ARTICLE, crawl_news_site, query, serve_pages

    links = "".join(f'<a href="/news/{n}.html">{n}</a>' for n in range(1, 6))
    pages = {
        "/robots.txt": (200, {"Content-Type": "text/plain"}, ""),
        "/news/list.html": (200, {}, f"<html><body>{links}</body></html>"),
        "/news/1.html": (200, {}, ARTICLE.format(t="长沙高新区新闻一")),
        "/news/2.html": (301, {"Location": "/news/9.html"}, ""),  # redirected to an article
        "/news/9.html": (200, {}, ARTICLE.format(t="长沙高新区新闻九")),
        "/news/3.html": (500, {}, "server error"),
        # /news/4.html and /news/5.html are missing: 404
    }
    server = serve_pages(pages, [])
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    db, archive = tmp_path / "zones.db", tmp_path / "archive"
    try:
        crawl_news_site(tmp_path, base, db, archive, RETRY_TIMES="1")
    finally:
        server.shutdown()
    ((stats,),) = query(db, "select stats from runs")
    stats = json.loads(stats)
    received = stats["response_received_count"]
    every = list(iter_responses(archive, every=True))
    assert len(every) == received == stats["zonecrawl/archived_responses"]
    statuses = {(r.url.removeprefix(base), r.status) for r in every}
    assert {
        ("robots.txt", 200),
        ("news/list.html", 200),
        ("news/9.html", 200),
        ("news/3.html", 500),
    } <= statuses
    assert {("news/4.html", 404), ("news/5.html", 404)} <= statuses
    # the stored pages point at their records, and reprocess reads those articles only
    locators = dict(query(db, "select url, warc from pages where warc is not null"))
    assert {r.locator for r in iter_responses(archive)} == set(locators.values())
    assert len(locators) == 2
