"""`zonecrawl series`: one zone's figures by year, read from the `facts` table.

A zone is named as a researcher names it: its registry id (`changsha`), its name
(`长沙高新技术产业开发区`), short name (`长沙高新区`) or an alias (`麓谷`), all resolved through
`extractors.zones.registry()`. A subject that is no registry zone (`湖南省高新区`, `国家高新区`) is
taken as the facts write it. Each row is one fact: the consensus value of the documents for one
indicator, kind, basis and period, with how many documents report it and whether they disagree.
"""

from __future__ import annotations

import csv
import difflib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from crawler.export import NO_FACTS_HINT, _open, _plain
from crawler.tables import format_table, format_value

FIELDS = [
    "year", "period", "period_type", "indicator", "name", "kind", "basis", "value", "unit",
    "n_documents", "conflict",
]  # fmt: skip
FOOTNOTE = (
    "* the documents disagree; the value shown is the one most of them report "
    "(`zonecrawl export facts` lists every value with its documents)"
)


class UnknownZone(ValueError):
    """A ZONE that is neither a registry zone nor a subject of any fact."""


@dataclass(frozen=True)
class Target:
    """What a ZONE argument stands for: a registry zone (ZONE_ID and its names) or a bare subject."""

    label: str
    zone_id: str | None
    subjects: tuple[str, ...]


def _registry() -> tuple:
    try:
        from extractors.zones import registry

        return registry()
    except (ImportError, OSError, ValueError):  # no registry: subjects as written still work
        return ()


def resolve(db, zone: str) -> Target:
    """The zone or subject ZONE names; UnknownZone when it names nothing the database knows."""
    text = zone.strip()
    for z in _registry():
        if text.lower() == z.id.lower() or text in (z.name, z.short_name, *z.aliases):
            return Target(f"{z.short_name} ({z.id})", z.id, (z.name, z.short_name))
    if text and db.execute("select 1 from facts where subject = ? limit 1", [text]).fetchone():
        return Target(text, None, (text,))
    hint = ""
    if text:
        names = [f"{z.short_name} ({z.id})" for z in _registry()]
        names += [r[0] for r in db.execute("select distinct subject from facts where zone_id is null")]
        near = [n for n in names if text in n] or difflib.get_close_matches(text, names, n=3, cutoff=0.6)
        if near:
            hint = f"; did you mean {', '.join(sorted(near)[:3])}?"
    raise UnknownZone(
        f"unknown zone {zone!r}: not a registry id, name or alias, nor the subject of any fact{hint}"
    )


def indicator_name(indicator_id: str | None) -> str | None:
    """The Chinese name of an indicator id, or None (unknown id, or no vocabulary to ask)."""
    if not indicator_id:
        return None
    try:
        from extractors.vocabulary import indicator

        found = indicator(indicator_id)
    except (ImportError, OSError, ValueError):  # the vocabulary file is missing or broken
        return None
    return found.name_zh if found else None


def series(db_path: str | Path, zone: str, indicators: Iterable[str] = ()) -> tuple[Target, list[dict]]:
    """ZONE's facts (only those of INDICATORS when given), ordered by indicator, year and period end."""
    db = _open(db_path)
    try:
        if not db["facts"].exists():
            raise ValueError(f"the database has no facts table ({NO_FACTS_HINT})")
        target = resolve(db, zone)
        where = "(zone_id = ? or subject in (select value from json_each(?)))"
        params: list = [target.zone_id, json.dumps(target.subjects, ensure_ascii=False)]
        if target.zone_id is None:
            where = "subject = ?"
            params = [target.subjects[0]]
        wanted = list(dict.fromkeys(indicators))
        if wanted:
            where += " and indicator in (select value from json_each(?))"
            params.append(json.dumps(wanted))
        sql = (
            "select year, period, period_type, indicator, kind, basis, value, unit, n_documents, "
            f"conflict, approx, bound from facts where {where} "
            "order by indicator, year, period_end, period_start, kind, basis, unit, id"
        )
        cursor = db.execute(sql, params)
        names = [d[0] for d in cursor.description]
        rows = [dict(zip(names, r)) for r in cursor.fetchall()]
    finally:
        db.close()
    found: dict[str, str | None] = {}
    for r in rows:
        if r["indicator"] not in found:
            found[r["indicator"]] = indicator_name(r["indicator"])
        r["name"] = found[r["indicator"]]
        r["value"] = _plain(r["value"])
        r["conflict"] = bool(r["conflict"])
    return target, rows


def empty_message(target: Target, indicators: Iterable[str], db_path: str | Path) -> str:
    """The line that says a series has no rows (and why, where an indicator id is unknown)."""
    wanted = list(dict.fromkeys(indicators))
    what = f" for {', '.join(wanted)}" if wanted else ""
    line = f"zonecrawl: no facts for {target.label}{what} in {db_path}"
    try:
        from extractors.vocabulary import indicator

        unknown = [i for i in wanted if indicator(i) is None]
    except (ImportError, OSError, ValueError):
        unknown = []
    if unknown:
        line += f" ({', '.join(unknown)}: not an indicator id)"
    return line


def _value(r: dict) -> str:
    text = (
        ("≈" if r["approx"] else "")
        + {"min": "≥", "max": "≤"}.get(r["bound"] or "", "")
        + format_value(r["value"], r["unit"] or "")
    )
    return text + (" *" if r["conflict"] else "")


TABLE_COLUMNS = [
    ("year", lambda r: str(r["year"])),
    ("period", lambda r: r["period"] or "-"),
    ("type", lambda r: r["period_type"] or "-"),
    ("indicator", lambda r: r["indicator"]),
    ("name", lambda r: r["name"] or "-"),
    ("kind", lambda r: r["kind"] or "-"),
    ("basis", lambda r: r["basis"] or "-"),
    ("value", _value),
    ("docs", lambda r: str(r["n_documents"])),
]


def write(target: Target, rows: list[dict], fmt: str, out: TextIO) -> None:
    """ROWS as an aligned table (conflicts marked `*`, with a footnote), CSV or JSON lines."""
    if fmt == "jsonl":
        for r in rows:
            out.write(json.dumps({k: r[k] for k in FIELDS}, ensure_ascii=False) + "\n")
    elif fmt == "csv":
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(FIELDS)
        for r in rows:
            writer.writerow([("true" if r[k] else "false") if k == "conflict" else r[k] for k in FIELDS])
    elif fmt == "table":
        if rows:
            out.write(f"{target.label}\n\n{format_table(rows, TABLE_COLUMNS)}\n")
            if any(r["conflict"] for r in rows):
                out.write(f"\n{FOOTNOTE}\n")
    else:
        raise ValueError(f"unknown format {fmt!r} (table, csv or jsonl)")
