"""Migration 010: a database written before session and tracking parameters left canonical URLs is
re-keyed by today's canonical URLs, so the crawl finds its pages and saves no duplicate."""

from __future__ import annotations

import hashlib
import json

import pytest
import sqlite_utils

from crawler import facts
from crawler import store as store_module
from crawler.store import MIGRATIONS, Store, _m010_canonical_urls, document_id, migrate, writing

PLAIN = "http://www.cshtz.gov.cn/xwzx/gzdt/202301/t20230105_123.html"
SHARED = PLAIN + "?utm_source=wechat&utm_medium=share"  # two variants of one article
SESSION = PLAIN + ";jsessionid=0A1B2C3D4E5F60718293A4B5C6D7E8F9"
OTHER = "http://www.cshtz.gov.cn/xwzx/gzdt/202301/t20230106_124.html"
SECTION = "http://www.hnkfq.gov.cn/show.asp?id=3&sid=12"  # a short sid selects a page: kept
TABLES = (
    "documents", "metrics", "facts", "pages", "document_versions", "site_blocks", "errors", "runs",
    "documents_fts", "metrics_fts",
)  # fmt: skip
BEFORE_M010 = [m.__name__ for m in MIGRATIONS].index("_m010_canonical_urls")


def _old_id(url: str) -> str:
    """A document id as versions before 010 made it: these URLs were canonical then, as written."""
    return hashlib.sha1(url.encode("utf-8")).hexdigest()[:16]


def _snapshot(db: sqlite_utils.Database) -> dict[str, list]:
    return {t: sorted(map(repr, db.execute(f"select rowid, * from [{t}]").fetchall())) for t in TABLES}


def _old_database(path, pages: list[tuple[str, str, str, str]]) -> None:
    """A database as zonecrawl wrote it before migration 010: for each (url, fetched_at, body, warc)
    a page under its URL, a document under the hash of that URL with one figure, the blocks seen on
    it, and the facts of those figures; one error, and one earlier version of the first document."""
    db = sqlite_utils.Database(path)
    migrate(db, MIGRATIONS[:BEFORE_M010])
    db["runs"].insert({"id": 1, "started": "2024-01-01T00:00:00+00:00", "status": "finished"})
    for url, fetched_at, body, warc in pages:
        doc = _old_id(url)
        db["documents"].insert(
            {
                "id": doc, "url": url, "site": "cshtz.gov.cn", "title": "长沙高新区高新技术企业",
                "date": "2023-01-05", "body": body, "flags": "[]", "spider": "cshtz",
                "fetched_at": fetched_at, "content_hash": f"h-{fetched_at}", "run_id": 1,
                "authority": "official",
            }
        )  # fmt: skip
        value = float(body.split("达")[1].split("家")[0])
        db["metrics"].insert(
            {
                "id": f"{doc}-7-13", "document_id": doc, "subject": "长沙高新区", "zone_id": "changsha",
                "metric": "高新技术企业", "indicator": "high_tech_enterprises", "basis": "stock",
                "value": value, "unit": "家", "kind": "level", "period": "2022",
                "period_start": "2022-01-01", "period_end": "2022-12-31", "period_type": "year",
                "approx": 0, "text": body[7:13], "sentence": body, "start": 7, "end": 13,
            }
        )  # fmt: skip
        db["pages"].insert(
            {
                "url": url, "etag": None, "last_modified": None, "content_hash": f"h-{fetched_at}",
                "status": 200, "fetched_at": fetched_at, "document_id": doc, "warc": warc,
            }
        )  # fmt: skip
        db["site_blocks"].insert({"site": "cshtz.gov.cn", "key": "首页新闻中心", "url": url, "page": "p"})
    first = pages[0][0]
    db["document_versions"].insert(
        {
            "document_id": _old_id(first), "url": first, "body_hash": "h0", "fetched_at": "2023-06-01",
            "warc": "old#0", "title": "旧标题", "date": "2023-01-05", "body": "旧正文", "replaced_at": pages[0][1],
        }
    )  # fmt: skip
    db["errors"].insert({"run_id": 1, "url": SHARED, "spider": "cshtz", "kind": "timeout", "message": "t"})
    with writing(db):
        facts.refresh(db)
    db.close()


def _untouched(snapshot: dict[str, list], ids: tuple[str, ...]) -> dict[str, list]:
    """The rows of SNAPSHOT that name none of the article's URLs and ids, and name IDS if any."""
    article = (_old_id(SHARED), _old_id(SESSION), document_id(PLAIN), PLAIN, SHARED, SESSION)
    rows = {t: [r for r in snapshot[t] if not any(f"'{a}'" in r for a in article)] for t in TABLES}
    for t in ("documents", "metrics", "pages"):
        assert all(any(i in r for i in ids) for r in rows[t]) and rows[t], t
    return {t: rows[t] for t in ("documents", "metrics", "pages", "site_blocks", "runs", "errors")}


BODY = "2022年末全区高新技术企业达1000家。"
VARIANTS = [
    (SHARED, "2024-01-01T00:00:00+00:00", BODY, "a.warc.gz#0"),
    (SESSION, "2024-03-01T00:00:00+00:00", BODY, "a.warc.gz#900"),  # fetched later: it stays
    (OTHER, "2024-02-01T00:00:00+00:00", "2022年末全区高新技术企业达1200家。", "a.warc.gz#400"),
    (SECTION, "2024-02-02T00:00:00+00:00", "2022年末全区高新技术企业达1300家。", "b.warc.gz#0"),
]


def test_old_keys_are_re_keyed_by_todays_canonical_url(tmp_path):
    path = tmp_path / "zones.db"
    _old_database(path, VARIANTS)
    before = _snapshot(sqlite_utils.Database(path))
    unrelated = (_old_id(OTHER), _old_id(SECTION))
    assert unrelated == (document_id(OTHER), document_id(SECTION))  # their keys do not change

    with Store(path) as s:
        db = s.db
        # the crawl finds the stored page under the clean URL (and under either variant)
        state = s.page_state(PLAIN)
        assert state["fetched_at"] == "2024-03-01T00:00:00+00:00"
        assert s.page_state(SHARED) == state == s.page_state(PLAIN + "?spm=a.b.c&from=timeline")
        assert [r[0] for r in db.execute("select url from pages order by url")] == sorted(
            [PLAIN, OTHER, SECTION]
        )
        new = document_id(PLAIN)
        page = db["pages"].get(PLAIN)
        assert (page["document_id"], page["warc"]) == (new, "a.warc.gz#900")

        # one document remains for the article, with its metrics (ids made from its new id)
        docs = {r["id"]: r for r in db["documents"].rows}
        assert set(docs) == {new, *unrelated}
        assert (docs[new]["url"], docs[new]["fetched_at"]) == (PLAIN, "2024-03-01T00:00:00+00:00")
        assert [(m["id"], m["value"]) for m in db["metrics"].rows_where("document_id = ?", [new])] == [
            (f"{new}-7-13", 1000.0)
        ]
        assert db["metrics"].count == 3
        assert [r["id"] for r in s.search("高新技术企业达1000家")] == [new]

        # its facts name it, and are what a full rebuild gives
        (fact,) = db["facts"].rows_where("value = 1000")
        assert (fact["n_documents"], fact["n_values"]) == (3, 3)  # was 4 documents: the article twice
        assert json.loads(fact["metric_ids"]) == sorted(f"{d}-7-13" for d in [new, *unrelated])
        assert [v["documents"] for v in json.loads(fact["values"])] == [[new], [unrelated[0]], [unrelated[1]]]
        table = list(db["facts"].rows)
        with writing(db):
            facts.refresh(db)
        assert list(db["facts"].rows) == table

        # its earlier version follows it; the blocks seen on its variants are one URL's; errors stay
        versions = [(v["document_id"], v["url"], v["fetched_at"]) for v in db["document_versions"].rows]
        assert versions == [(new, SHARED, "2023-06-01")]  # the two variants said the same: no new version
        blocks = sorted(r[0] for r in db.execute("select url from site_blocks"))
        assert blocks == sorted([PLAIN, OTHER, SECTION])
        assert [r["url"] for r in db["errors"].rows] == [SHARED]

        after = _snapshot(db)
    # nothing else changed: the other pages, documents, metrics and blocks, the runs and the errors
    assert _untouched(after, unrelated) == _untouched(before, unrelated)
    assert after["errors"] == before["errors"]  # errors keep the URLs they failed at

    with Store(path) as s:  # opening again changes nothing
        assert _snapshot(s.db) == after
        _m010_canonical_urls(s.db)  # nor does running the step again
        assert _snapshot(s.db) == after


def test_a_variant_that_said_something_else_stays_as_an_earlier_version(tmp_path):
    path = tmp_path / "zones.db"
    _old_database(
        path,
        [
            (SHARED, "2024-01-01T00:00:00+00:00", "2022年末全区高新技术企业达900家。", "a.warc.gz#0"),
            (SESSION, "2024-03-01T00:00:00+00:00", "2022年末全区高新技术企业达1100家。", "a.warc.gz#900"),
            # saved after the upgrade, under the clean URL: the latest fetch, it stays
            (PLAIN, "2024-05-01T00:00:00+00:00", "2022年末全区高新技术企业达1100家。", "c.warc.gz#0"),
        ],
    )
    with Store(path) as s:
        new = document_id(PLAIN)
        assert [r["id"] for r in s.db["documents"].rows] == [new]
        assert s.db["documents"].get(new)["body"] == "2022年末全区高新技术企业达1100家。"
        assert [m["value"] for m in s.db["metrics"].rows] == [1100.0]
        assert s.db["pages"].get(PLAIN)["warc"] == "c.warc.gz#0"
        versions = list(s.db.query("select * from document_versions order by fetched_at"))
        # the earlier version it had, and the variant whose text differs (the other said the same)
        assert [(v["document_id"], v["url"], v["body"], v["warc"]) for v in versions] == [
            (new, SHARED, "旧正文", "old#0"),
            (new, SHARED, "2022年末全区高新技术企业达900家。", "a.warc.gz#0"),
        ]
        assert versions[1]["replaced_at"] == "2024-05-01T00:00:00+00:00"
        assert [json.loads(f["metric_ids"]) for f in s.db["facts"].rows] == [[f"{new}-7-13"]]


def test_the_migration_is_all_or_nothing(tmp_path, monkeypatch):
    path = tmp_path / "zones.db"
    _old_database(path, VARIANTS)
    raw = sqlite_utils.Database(path)
    before = _snapshot(raw)

    def fail(*args, **kwargs):
        raise RuntimeError("interrupted")

    monkeypatch.setattr(store_module.facts, "refresh", fail)
    with pytest.raises(RuntimeError, match="interrupted"):
        Store(path)
    assert _snapshot(raw) == before
    assert "m010_canonical_urls" not in {r["name"] for r in raw["_migrations"].rows}
    monkeypatch.undo()
    with Store(path) as s:
        assert s.page_state(PLAIN)["fetched_at"] == "2024-03-01T00:00:00+00:00"


def test_a_database_with_nothing_to_re_key_is_not_written(tmp_path):
    with Store(tmp_path / "zones.db") as s:
        run = s.start_run(["t"], {})
        s.save_page(
            url=SECTION, status=200, headers={}, body_hash="h", fetched_at="2024-01-01T00:00:00+00:00",
            document=None, metrics=[], run_id=run,
        )  # fmt: skip
        changes = s.db.conn.total_changes
        _m010_canonical_urls(s.db)
        assert s.db.conn.total_changes == changes


def test_an_older_node_database_is_merged_as_if_upgraded_and_left_as_it_was(tmp_path):
    from crawler.merge import merge_databases

    node = tmp_path / "node.db"
    _old_database(node, VARIANTS)
    before = node.read_bytes()
    target = tmp_path / "all.db"
    merge_databases(target, [node])
    with Store(target) as s:
        ids = {r["id"] for r in s.db["documents"].rows}
        assert ids == {document_id(PLAIN), document_id(OTHER), document_id(SECTION)}
        assert s.page_state(PLAIN)["fetched_at"] == "2024-03-01T00:00:00+00:00"
    assert node.read_bytes() == before  # the node's file is not upgraded in place
