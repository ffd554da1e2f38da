"""Facts: one consolidated value per zone, indicator, basis, kind, period and unit."""

from __future__ import annotations

import json

import pytest

from crawler import facts
from crawler.store import Store, document_id
from extractors.records import Document


def mention(doc: str, value: float, *, authority: str = "official", date: str = "2023-01-10", **kw) -> dict:
    m = {
        "id": f"{doc}-{int(value)}",
        "document_id": doc,
        "subject": "长沙高新区",
        "zone_id": "changsha",
        "indicator": "high_tech_enterprises",
        "basis": "stock",
        "kind": "level",
        "period": "2022",
        "period_start": None,
        "period_end": "2022-12-31",
        "period_type": "as_of",
        "unit": "家",
        "value": value,
        "approx": 0,
        "bound": None,
        "date": date,
        "authority": authority,
    }
    m.update(kw)
    return m


def test_the_value_most_documents_report_wins_and_the_conflict_shows():
    (f,) = facts.consolidate([mention("a", 2168), mention("b", 2168), mention("c", 2100, authority="mirror")])
    assert f["value"] == 2168 and f["n_documents"] == 3
    assert (f["n_values"], f["conflict"]) == (2, 1)
    values = json.loads(f["values"])
    assert [(v["value"], v["documents"]) for v in values] == [(2100, ["c"]), (2168, ["a", "b"])]
    assert f["year"] == 2022 and f["period_end"] == "2022-12-31"


def test_a_tie_goes_to_the_more_authoritative_site_then_the_later_page():
    (f,) = facts.consolidate([mention("a", 2168, authority="mirror"), mention("b", 2100)])
    assert f["value"] == 2100
    (f,) = facts.consolidate([mention("a", 2168, date="2023-03-01"), mention("b", 2100, date="2023-01-01")])
    assert f["value"] == 2168


def test_values_half_a_percent_apart_are_one_value():
    (f,) = facts.consolidate([mention("a", 2168), mention("b", 2170), mention("c", 2168)])
    assert (f["n_values"], f["conflict"], f["value"]) == (1, 0, 2168)


def test_an_exact_value_is_preferred_to_an_approximate_one():
    (f,) = facts.consolidate([mention("a", 3700, approx=1), mention("b", 3712)])
    assert (f["value"], f["approx"], f["n_values"]) == (3712, 0, 1)


def test_new_total_and_net_are_separate_facts():
    rows = facts.consolidate(
        [
            mention("a", 2168),
            mention("a", 312, basis="net", kind="change", period_start="2022-01-01", period_type="year"),
            mention("b", 65, basis="new", period_start="2022-01-01", period_type="year"),
        ]
    )
    assert sorted((f["basis"], f["value"]) for f in rows) == [("net", 312), ("new", 65), ("stock", 2168)]
    assert len({f["id"] for f in rows}) == 3


def test_fact_ids_depend_on_the_key_only():
    (a,) = facts.consolidate([mention("a", 2168)])
    (b,) = facts.consolidate([mention("b", 2100), mention("c", 2100)])
    assert a["id"] == b["id"]


URLS = ["http://127.0.0.1/a.html", "http://127.0.0.1/b.html", "http://127.0.0.1/c.html"]


def _save(store: Store, url: str, value: float, authority: str = "official", date: str = "2023-01-10"):
    doc = Document(doc=document_id(url), url=url, title="长沙高新区", date=date, body="…")
    metric = {
        k: v for k, v in mention("x", value).items() if k not in ("id", "document_id", "date", "authority")
    }
    metric.update(metric="高新技术企业", text=f"{value}家", sentence="…", start=10, end=15)
    store.save_page(
        url=url,
        status=200,
        headers={},
        body_hash=str(value),
        fetched_at="2026-01-01T00:00:00+00:00",
        document=doc,
        metrics=[metric],
        run_id=1,
        authority=authority,
    )


@pytest.fixture
def store(tmp_path):
    s = Store(tmp_path / "zones.db")
    yield s
    s.close()


def _facts(store: Store) -> list[dict]:
    return [dict(r) for r in store.db.query("select * from facts order by id")]


def test_the_store_keeps_facts_current_after_every_page(store):
    _save(store, URLS[0], 2168)
    (f,) = _facts(store)
    assert (f["value"], f["n_documents"], f["conflict"]) == (2168, 1, 0)
    _save(store, URLS[1], 2100, authority="mirror")
    _save(store, URLS[2], 2168)
    (f,) = _facts(store)
    assert (f["value"], f["n_documents"], f["conflict"]) == (2168, 3, 1)
    # a page read again with another figure moves the fact with it
    _save(store, URLS[1], 2168, authority="mirror")
    (f,) = _facts(store)
    assert (f["n_documents"], f["conflict"]) == (3, 0)
    assert json.loads(f["metric_ids"]) == sorted(f"{document_id(u)}-10-15" for u in URLS)
    incremental = _facts(store)
    store.refresh_facts()
    assert _facts(store) == incremental


def test_facts_leave_out_mentions_without_indicator_subject_or_period(store):
    url = URLS[0]
    doc = Document(doc=document_id(url), url=url, title="t", date="2023-01-10", body="…")
    base = {k: v for k, v in mention("x", 1).items() if k not in ("id", "document_id", "date", "authority")}
    rows = [
        {**base, "indicator": None, "start": 1, "end": 2},
        {**base, "subject": None, "start": 3, "end": 4},
        {**base, "period_start": None, "period_end": None, "period": None, "start": 5, "end": 6},
    ]
    for r in rows:
        r.update(metric="高新技术企业", text="1家", sentence="…")
    store.save_page(
        url=url, status=200, headers={}, body_hash="h", fetched_at="2026-01-01T00:00:00+00:00",
        document=doc, metrics=rows, run_id=1,
    )  # fmt: skip
    assert store.db["metrics"].count == 3
    assert _facts(store) == []


def test_a_figure_that_moves_to_another_period_takes_its_fact_along(store):
    # facts are rebuilt per key (facts.keys_of), the page's old keys and its new ones
    _save(store, URLS[0], 2168)
    _save(store, URLS[1], 2100)
    doc = Document(doc=document_id(URLS[1]), url=URLS[1], title="长沙高新区", date="2023-01-10", body="…")
    metric = {
        k: v for k, v in mention("x", 2100).items() if k not in ("id", "document_id", "date", "authority")
    }
    metric.update(period="2021", period_end="2021-12-31", metric="高新技术企业", text="2100家", sentence="…")
    store.save_page(
        url=URLS[1], status=200, headers={}, body_hash="moved", fetched_at="2026-01-02T00:00:00+00:00",
        document=doc, metrics=[{**metric, "start": 10, "end": 15}], run_id=2,
    )  # fmt: skip
    assert sorted((f["period_end"], f["value"], f["n_documents"]) for f in _facts(store)) == [
        ("2021-12-31", 2100, 1),
        ("2022-12-31", 2168, 1),
    ]
    incremental = _facts(store)
    store.refresh_facts()
    assert _facts(store) == incremental
