"""A page too long to read whole is stored whole, its metrics read from its first part and the
document flagged `metrics_truncated`; the crawl carries on with the other pages meanwhile."""

from __future__ import annotations

import pytest
from localcrawl import ARTICLE, crawl_news_site, query, serve_pages

from extractors.metrics import METRICS_TRUNCATED, extract_metrics, metrics_part
from extractors.records import Document

DENSE = "园区实现营业收入{n}亿元，同比增长12.5%，"


def test_a_body_within_the_budget_is_read_whole():
    doc = Document(doc="d", body="2022年，园区实现营业收入100亿元。")
    assert extract_metrics(doc, 1000) and METRICS_TRUNCATED not in doc.flags


def test_a_longer_body_is_read_up_to_the_budget_and_flagged():
    first = "2022年，园区实现营业收入100亿元。\n"
    doc = Document(doc="d", body=first + "其他内容。" * 2000 + "\n2022年，园区实现工业总产值777亿元。")
    metrics = extract_metrics(doc, 1000)
    assert METRICS_TRUNCATED in doc.flags
    assert doc.body.endswith("777亿元。")  # the document keeps its whole text
    values = {str(m.get("value")) for m in metrics}
    assert any(v.startswith("100") for v in values) and not any(v.startswith("777") for v in values)


def test_the_cut_ends_at_a_sentence_when_one_is_near():
    assert metrics_part("一二三。四五六七八九", 9) == "一二三。四五六七八"  # no end near: a hard cut
    text = "一二三四五六七八九十" + "一二三四五六七八。九十"
    assert metrics_part(text, 20) == text[:19]  # ends with the sentence's 。


@pytest.mark.slow
def test_a_crawl_with_a_6_mb_dense_page_stores_it_flagged_and_the_others(tmp_path):
    dense_text = "".join(DENSE.format(n=n % 1000) for n in range(110_000))  # about 6 MB of UTF-8
    big = (
        f"<html><head><title>密集数据</title></head><body><h1>密集数据</h1><p>{dense_text}</p></body></html>"
    )
    assert len(big.encode()) > 6_000_000
    links = "".join(f'<a href="/news/{n}.html">{n}</a>' for n in range(1, 6))
    pages = {
        "/robots.txt": (200, {"Content-Type": "text/plain"}, ""),
        "/news/list.html": (200, {}, f"<html><body>{links}</body></html>"),
        "/news/1.html": (200, {}, big),
        **{f"/news/{n}.html": (200, {}, ARTICLE.format(t=f"长沙高新区新闻{n}")) for n in range(2, 6)},
    }
    server = serve_pages(pages, [])
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    db = tmp_path / "zones.db"
    try:
        crawl_news_site(tmp_path, base, db, tmp_path / "archive", ZONECRAWL_EXTRACT_MAX_CHARS="50000")
    finally:
        server.shutdown()
    docs = dict(query(db, "select url, flags from documents"))
    assert set(docs) == {base + f"news/{n}.html" for n in range(1, 6)}
    assert METRICS_TRUNCATED in docs[base + "news/1.html"]
    assert all(METRICS_TRUNCATED not in docs[base + f"news/{n}.html"] for n in range(2, 6))
    (length,) = query(db, f"select length(body) from documents where url = '{base}news/1.html'")[0]
    assert length > 1_000_000  # stored whole, not cut to the budget


def test_a_cut_body_keeps_its_tables_whole_and_their_records_where_they_stand():
    from dataclasses import replace

    from conftest import FIXTURES

    from extractors.document import read_document

    page = read_document((FIXTURES / "tables" / "monthly.html").read_bytes(), doc="monthly")
    long = replace(page, body=page.body + "\n" + "其他内容。" * 500, flags=list(page.flags))
    whole = [m for m in extract_metrics(replace(long, flags=[])) if m.get("table") is not None]
    cut = [m for m in extract_metrics(long, 100) if m.get("table") is not None]
    assert METRICS_TRUNCATED in long.flags and whole
    assert [(m["value"], m["start"], m["end"]) for m in cut] == [
        (m["value"], m["start"], m["end"]) for m in whole
    ]
