"""The store: idempotent saves in one transaction, migrations, run records and Chinese full-text search."""

from __future__ import annotations

import hashlib
import json

import pytest
import sqlite_utils
from conftest import seed

from crawler import store as store_module
from crawler.store import MIGRATIONS, Store, canonical_url, document_id, migrate
from extractors.document import read_document
from extractors.metrics import extract_metrics
from extractors.normalise import normalise

URL = "http://www.hnkfqxh.com/news/2022/1221.html"


def _page(prefix: str, url: str = URL) -> dict:
    """A real seed page, read and measured as a crawl would, ready for `save_page`."""
    raw = seed(prefix).read_bytes()
    doc = read_document(raw, doc=document_id(url), url=url)
    return {
        "url": url,
        "status": 200,
        "headers": {"ETag": '"abc"', "Last-Modified": "Wed, 21 Dec 2022 08:00:00 GMT"},
        "body_hash": hashlib.sha256(raw).hexdigest(),
        "fetched_at": "2026-01-02T03:04:05+00:00",
        "document": doc,
        "metrics": extract_metrics(doc),
    }


def _snapshot(db: sqlite_utils.Database) -> dict[str, list]:
    return {
        t: list(db.execute(f"select * from {t} order by 1").fetchall())
        for t in ("documents", "metrics", "pages", "documents_fts", "metrics_fts")
    }


@pytest.fixture
def store(tmp_path):
    s = Store(tmp_path / "sub" / "zones.db")
    yield s
    s.close()


def test_saving_the_same_page_twice_changes_nothing(store):
    run = store.start_run(["hnkfqxh"], {})
    page = _page("000")
    assert page["metrics"], "the seed page should carry figures"
    doc_id = store.save_page(**page, run_id=run)
    first = _snapshot(store.db)
    assert store.save_page(**page, run_id=run) == doc_id
    assert _snapshot(store.db) == first
    assert store.db["documents"].count == 1
    assert store.db["metrics"].count == len(page["metrics"])
    stored = store.db["documents"].get(doc_id)
    assert stored["title"] == page["document"].title
    assert json.loads(stored["flags"]) == sorted(page["document"].flags)
    sentences = {r["sentence"] for r in store.db["metrics"].rows}
    assert sentences == {m["sentence"] for m in page["metrics"]}


def test_a_changed_page_replaces_its_metrics(store):
    run = store.start_run(["x"], {})
    page = _page("000")
    store.save_page(**page, run_id=run)
    fewer = page["metrics"][:3]
    store.save_page(**{**page, "metrics": fewer, "body_hash": "other"}, run_id=run)
    assert [r["text"] for r in store.db["metrics"].rows_where(order_by="id")] == [m["text"] for m in fewer]
    assert store.page_state(URL)["content_hash"] == "other"


def test_a_failure_mid_save_keeps_the_previous_data(store, monkeypatch):
    run = store.start_run(["x"], {})
    page = _page("000")
    store.save_page(**page, run_id=run)
    before = _snapshot(store.db)

    def broken(self, doc_id, metrics):
        self.db.execute("delete from metrics where document_id = ?", [doc_id])
        raise RuntimeError("disk went away")

    monkeypatch.setattr(Store, "_write_metrics", broken)
    changed = {**page, "body_hash": "new", "document": read_document(seed("002").read_bytes(), "d", URL)}
    with pytest.raises(RuntimeError):
        store.save_page(**changed, run_id=run)
    assert _snapshot(store.db) == before
    assert store.page_state(URL)["content_hash"] == page["body_hash"]


def test_page_state_for_conditional_requests(store):
    assert store.page_state(URL) is None
    run = store.start_run(["x"], {})
    page = _page("003")
    doc_id = store.save_page(**page, run_id=run, warc="a.warc.gz#0")
    state = store.page_state("HTTP://WWW.HNKFQXH.COM/news/2022/1221.html#top")
    assert state["etag"] == '"abc"'
    assert state["last_modified"] == "Wed, 21 Dec 2022 08:00:00 GMT"
    assert state["status"] == 200
    # A 304 keeps the stored document and validators, and notes the check.
    later = "2026-02-01T00:00:00+00:00"
    no_change = {**page, "status": 304, "headers": {}, "fetched_at": later, "document": None, "metrics": []}
    assert store.save_page(**no_change, run_id=run) == doc_id
    state = store.page_state(URL)
    assert (state["etag"], state["fetched_at"], state["content_hash"]) == ('"abc"', later, page["body_hash"])
    assert store.db["documents"].count == 1


def test_canonical_url_and_document_id():
    assert canonical_url("HTTP://Example.CN:80/a?b=1#frag") == "http://example.cn/a?b=1"
    assert canonical_url("https://example.cn:8443") == "https://example.cn:8443/"
    assert canonical_url("http://Example.cn:x/a") == "http://example.cn:x/a"
    assert document_id("http://example.cn/a#x") == document_id("HTTP://EXAMPLE.cn/a")
    assert document_id("http://example.cn/a") != document_id("http://example.cn/b")


def test_runs_and_errors(store):
    run = store.start_run(["achie", "chinatorch"], {"DOWNLOAD_DELAY": 1})
    store.record_error(run, "http://dead.example/", "dns", "DNS lookup failed", spider="achie")
    store.record_error(run, "http://x.example/500", "http_500", "Internal Server Error", spider="achie")
    store.finish_run(run, {"pages": 12, "items": 10, "elapsed": 3.5}, "finished_with_errors")
    row = store.db["runs"].get(run)
    assert row["status"] == "finished_with_errors"
    assert (row["error_count"], row["pages"], row["items"]) == (2, 12, 10)
    assert json.loads(row["spiders"]) == ["achie", "chinatorch"]
    assert row["finished"] >= row["started"]
    kinds = [r["kind"] for r in store.db["errors"].rows_where("run_id = ?", [run], order_by="id")]
    assert kinds == ["dns", "http_500"]


def test_chinese_search_long_and_short_queries(store):
    run = store.start_run(["x"], {})
    ids = {}
    for prefix, url in (("000", "http://a.cn/1"), ("002", "http://b.cn/2"), ("003", "http://c.cn/3")):
        ids[prefix] = store.save_page(**_page(prefix, url), run_id=run)
    bodies = {p: store.db["documents"].get(i)["body"] for p, i in ids.items()}

    def found(q, table="documents"):
        return {r["id"] for r in store.search(q, table)}

    for q in ("绩效评价", "积分制", "高新区"):  # three characters or more: the trigram index
        assert found(q) == {
            ids[p]
            for p, b in bodies.items()
            if q in b or q in (store.db["documents"].get(ids[p])["title"] or "")
        }
        assert found(q)
    for q in ("衡阳", "积", "洛阳"):  # one or two characters: the LIKE fallback
        expected = {ids[p] for p, b in bodies.items() if q in b}
        assert expected and found(q) == expected
    assert found("这句话不在任何页面里") == set()
    assert found("") == set()
    metric_hits = store.search("高新技术企业", "metrics")
    assert metric_hits and all("高新技术企业" in r["sentence"] for r in metric_hits)


def test_search_index_follows_updates(store):
    run = store.start_run(["x"], {})
    page = _page("003")
    doc_id = store.save_page(**page, run_id=run)
    other = read_document(seed("000").read_bytes(), "d", URL)
    q = "贾敬敦"  # named in the first page only
    assert q in page["document"].body and q not in other.body
    assert [r["id"] for r in store.search(q)] == [doc_id]
    assert store.search(q, "metrics")
    store.save_page(**{**page, "document": other, "metrics": []}, run_id=run)
    assert store.search(q) == []
    assert store.search(q, "metrics") == []
    assert store.db["metrics"].count == 0


def test_migrations_bring_an_old_database_up_to_date(tmp_path):
    path = tmp_path / "old.db"
    old = sqlite_utils.Database(path)
    assert migrate(old, MIGRATIONS[:1]) == ["m001_tables"]
    old["documents"].insert(
        {"id": "d1", "url": "http://a.cn/1", "title": "长沙高新区积分制试点", "body": "正文"}
    )
    old["pages"].insert({"url": "http://a.cn/1", "content_hash": "h", "status": 200, "document_id": "d1"})
    old.close()

    with Store(path) as s:
        names = [r["name"] for r in s.db["_migrations"].rows_where(order_by="rowid")]
        assert names == [m.__name__.lstrip("_") for m in MIGRATIONS]
        assert "warc" in s.db["pages"].columns_dict
        assert s.db["site_blocks"].exists()
        assert [r["id"] for r in s.search("积分制")] == ["d1"]  # rows from before the index are searchable
        assert s.page_state("http://a.cn/1")["content_hash"] == "h"
    with Store(path) as s:  # opening again applies nothing twice
        assert s.db["_migrations"].count == len(MIGRATIONS)


def test_zones_are_filled_from_the_registry(tmp_path, monkeypatch):
    rows = [
        {"id": "cs", "name": "长沙高新技术产业开发区", "short_name": "长沙高新区", "province": "湖南省",
         "city": "长沙市", "level": "national", "aliases": ["长沙高新区", "麓谷"]},
    ]  # fmt: skip
    monkeypatch.setattr(store_module, "_zone_rows", lambda: rows)
    with Store(tmp_path / "z.db") as s:
        zone = s.db["zones"].get("cs")
        assert zone["short_name"] == "长沙高新区"
        assert json.loads(zone["aliases"]) == ["长沙高新区", "麓谷"]


def test_recurring_site_blocks(store):
    footer = "主办单位:湖南省开发区协会 地址:长沙市岳麓区"
    for n in range(3):
        store.add_site_blocks("hnkfqxh.com", f"http://hnkfqxh.com/{n}", f"第{n}篇独有的正文内容\n{footer}")
    store.add_site_blocks("hnkfqxh.com", "http://hnkfqxh.com/0", f"第0篇独有的正文内容\n{footer}")  # again
    blocks = store.site_blocks("hnkfqxh.com")
    assert len(blocks) == 1
    body, _ = normalise(f"今年全区新增高新技术企业100家。\n{footer}", recurring=blocks)
    assert "主办单位" not in body and "100家" in body
    assert store.site_blocks("other.cn") == set()


def test_copies_of_one_article_are_not_site_chrome(store):
    article = "长沙高新区今年新增高新技术企业100家\n技术合同交易额增长20%"
    for column in ("news", "zxdt", "gxq", "print"):  # one article cross-posted under four URLs
        store.add_site_blocks("a.cn", f"http://a.cn/{column}/1.html", article)
    for n in range(4):  # one URL whose page changed between fetches
        store.add_site_blocks("a.cn", "http://a.cn/live.html", f"本页汇总园区最新动态\n浏览次数:{n}")
    assert store.site_blocks("a.cn") == set()
