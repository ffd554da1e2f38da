"""Facts: one consolidated value per subject, indicator, basis, kind, period and unit.

A metric row is one mention in one document; the same figure reported by five pages is five rows,
and two pages may disagree. `facts` groups the mentions that carry an indicator, a subject and a
period by (subject, zone_id, indicator, basis, kind, period_start, period_end, unit) and keeps:

- the distinct values, those within 0.5 % of each other counted as one (`n_values`, `values`:
  each value with the documents that report it), and `conflict` when there is more than one;
- the consensus `value`: the one most documents report; on a tie, the one from the most
  authoritative site (official > association > mirror), then from the later document;
- `n_documents`, the first and last publication dates, and the ids of the metric rows.

`consolidate` is pure (rows in, fact rows out); `refresh` keeps the table current for some
keys (those of one page's metrics, old and new: `keys_of`) or for all of them, in the caller's
transaction.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter, defaultdict
from collections.abc import Iterable

import sqlite_utils

KEY = ("subject", "zone_id", "indicator", "basis", "kind", "period_start", "period_end", "unit")
AUTHORITY_RANK = {"official": 3, "association": 2, "mirror": 1}
TOLERANCE = 0.005  # values this close (relative) are one value reported with different rounding

COLUMNS = {
    "id": str, "subject": str, "zone_id": str, "indicator": str, "basis": str, "kind": str,
    "period": str, "period_start": str, "period_end": str, "period_type": str, "year": int,
    "unit": str, "value": float, "approx": int, "bound": str, "n_documents": int, "n_values": int,
    "conflict": int, "values": str, "first_date": str, "last_date": str, "metric_ids": str,
}  # fmt: skip

# The metric rows facts are made of, with what consolidation needs of their documents.
_SOURCE = """
select m.id, m.document_id, m.subject, m.zone_id, m.indicator, m.basis, m.kind, m.period,
       m.period_start, m.period_end, m.period_type, m.unit, m.value, m.approx, m.bound,
       d.date, d.authority
from metrics m join documents d on d.id = m.document_id
where m.indicator is not null and m.subject is not null
  and (m.period_start is not null or m.period_end is not null)
"""
_SOURCE_FIELDS = [
    "id", "document_id", "subject", "zone_id", "indicator", "basis", "kind", "period",
    "period_start", "period_end", "period_type", "unit", "value", "approx", "bound", "date", "authority",
]  # fmt: skip


def fact_id(key: tuple) -> str:
    """A fact's id: the hash of its key, so the same fact keeps its id however it is rebuilt."""
    text = json.dumps(list(key), ensure_ascii=False)
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:16]


def _close(a: float, b: float) -> bool:
    return abs(a - b) <= TOLERANCE * max(abs(a), abs(b), 1e-12)


def _clusters(mentions: list[dict]) -> list[list[dict]]:
    """Mentions grouped by value: sorted, a new group wherever a value is not within the
    tolerance of its group's first value."""
    groups: list[list[dict]] = []
    for m in sorted(mentions, key=lambda m: (m["value"], m["document_id"], m["id"])):
        if groups and _close(groups[-1][0]["value"], m["value"]):
            groups[-1].append(m)
        else:
            groups.append([m])
    return groups


def _weight(group: list[dict]) -> tuple:
    """How strongly a group of mentions is supported: documents, then authority, then recency."""
    docs = {m["document_id"] for m in group}
    authority = max(AUTHORITY_RANK.get(m["authority"] or "", 0) for m in group)
    latest = max((m["date"] or "") for m in group)
    return (len(docs), authority, latest)


def _representative(group: list[dict]) -> dict:
    """The mention that gives a group its value: the value most documents write, exact before
    approximate (`约3700家` beside `3712家`), then the most authoritative and latest."""
    per_value = Counter(m["value"] for m in group)

    def rank(m: dict) -> tuple:
        exact = not m["approx"] and not m["bound"]
        return (per_value[m["value"]], exact, AUTHORITY_RANK.get(m["authority"] or "", 0), m["date"] or "")

    return max(sorted(group, key=lambda m: (m["value"], m["id"])), key=rank)


def _label(mentions: list[dict], field: str) -> str | None:
    """The most common PERIOD or PERIOD_TYPE text of a fact's mentions (ties: the smallest)."""
    counts = Counter(m[field] for m in mentions if m[field])
    if not counts:
        return None
    top = max(counts.values())
    return min(v for v, n in counts.items() if n == top)


def _fact(key: tuple, mentions: list[dict]) -> dict:
    groups = _clusters(mentions)
    best = max(groups, key=lambda g: (_weight(g), -groups.index(g)))
    rep = _representative(best)
    values = [
        {
            "value": _representative(g)["value"],
            "documents": sorted({m["document_id"] for m in g}),
            "n_documents": len({m["document_id"] for m in g}),
        }
        for g in groups
    ]
    dates = sorted(m["date"] for m in mentions if m["date"])
    row = dict(zip(KEY, key))
    end, start = row["period_end"], row["period_start"]
    row.update(
        id=fact_id(key),
        period=_label(mentions, "period"),
        period_type=_label(mentions, "period_type"),
        year=int((end or start)[:4]),
        value=rep["value"],
        approx=int(bool(rep["approx"])),
        bound=rep["bound"],
        n_documents=len({m["document_id"] for m in mentions}),
        n_values=len(groups),
        conflict=int(len(groups) > 1),
        values=json.dumps(values, ensure_ascii=False),
        first_date=dates[0] if dates else None,
        last_date=dates[-1] if dates else None,
        metric_ids=json.dumps(sorted(m["id"] for m in mentions)),
    )
    return {c: row.get(c) for c in COLUMNS}


def consolidate(mentions: Iterable[dict]) -> list[dict]:
    """Fact rows for metric mentions (dicts with the fields of `_SOURCE_FIELDS`), in key order."""
    by_key: dict[tuple, list[dict]] = defaultdict(list)
    for m in mentions:
        by_key[tuple(m[k] for k in KEY)].append(m)
    return [_fact(k, by_key[k]) for k in sorted(by_key, key=lambda k: [(v is None, v or "") for v in k])]


def create_table(db: sqlite_utils.Database) -> None:
    db["facts"].create(COLUMNS, pk="id", if_not_exists=True)
    db["facts"].create_index(["indicator", "year"], if_not_exists=True)
    db["facts"].create_index(["zone_id", "indicator"], if_not_exists=True)
    db["facts"].create_index(["subject", "indicator"], if_not_exists=True)


def keys_of(db: sqlite_utils.Database, document_id: str) -> set[tuple]:
    """The keys (`KEY`) of the facts a document's metrics take part in."""
    rows = db.execute(
        f"select distinct {', '.join(f'[{k}]' for k in KEY)} from metrics where document_id = ? "
        "and subject is not null and indicator is not null "
        "and (period_start is not null or period_end is not null)",
        [document_id],
    )
    return {tuple(r) for r in rows}


# One fact's mentions, found through the metrics (indicator, subject) index.
_SOURCE_OF_KEY = _SOURCE + "".join(
    f" and m.[{k}] {'=' if k in ('subject', 'indicator') else 'is'} ?" for k in KEY
)


def refresh(db: sqlite_utils.Database, keys: Iterable[tuple] | None = None) -> int:
    """Rebuild the facts of KEYS (tuples of `KEY` values, as `keys_of` gives them), or of
    everything when None; returns the number of fact rows written. A fact depends on its own
    key's mentions only, so rebuilding the keys a page's metrics had and have keeps the whole
    table current. Runs in the caller's transaction."""
    if keys is None:
        db.execute("delete from facts")
        cursor = db.execute(_SOURCE)
    else:
        wanted = sorted(set(keys), key=lambda k: [(v is None, v or "") for v in k])
        if not wanted:
            return 0
        db.conn.executemany("delete from facts where id = ?", [(fact_id(k),) for k in wanted])
        cursor = (r for k in wanted for r in db.execute(_SOURCE_OF_KEY, list(k)))
    rows = consolidate(dict(zip(_SOURCE_FIELDS, r)) for r in cursor)
    if rows:
        db["facts"].insert_all(rows, pk="id", replace=True)
    return len(rows)
