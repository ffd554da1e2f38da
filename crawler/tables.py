"""Terminal tables that line up with Chinese text (wide characters take two columns)."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable

from extractors.records import Grid


def display_width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def pad(text: str, width: int) -> str:
    """TEXT filled with spaces to WIDTH terminal columns."""
    return text + " " * max(0, width - display_width(text))


def format_value(value: float, unit: str) -> str:
    """A value as a reader writes it: money in 亿/万, whole numbers without `.0`."""
    if unit in ("元", "美元") and abs(value) >= 1e12:
        return f"{value / 1e12:,.6g}万亿{unit}"
    if unit in ("元", "美元") and abs(value) >= 1e8:
        return f"{value / 1e8:,.6g}亿{unit}"
    if unit in ("元", "美元") and abs(value) >= 1e4:
        return f"{value / 1e4:,.6g}万{unit}"
    return f"{value:,.6g}{unit}"


def _metric_value(r: dict) -> str:
    """A record's value with its unit, `≈` when approximate, `≥`/`≤` when a bound."""
    return (
        ("≈" if r.get("approx") else "")
        + {"min": "≥", "max": "≤"}.get(r.get("bound") or "", "")
        + format_value(r["value"], r.get("unit") or "")
    )


# The columns of `zonecrawl metrics --format table`: a header and how each row's cell reads.
METRIC_COLUMNS: list[tuple[str, Callable[[dict], str]]] = [
    ("doc", lambda r: str(r.get("doc") or "")),
    ("subject", lambda r: str(r.get("subject") or "-")),
    ("metric", lambda r: str(r.get("metric") or "")),
    ("value", _metric_value),
    ("period", lambda r: str(r.get("period") or "-")),
    ("kind", lambda r: str(r.get("kind") or "")),
    ("basis", lambda r: str(r.get("basis") or "-")),
    ("indicator", lambda r: str(r.get("indicator") or "-")),
]


def format_table(
    rows: list[dict],
    columns: list[tuple[str, Callable[[dict], str]]] | None = None,
    empty: str = "(no metrics)",
) -> str:
    """ROWS as aligned columns under a ruled header; COLUMNS (header, cell of a row) default to
    the metric records' doc, subject, metric, value with unit, period, kind. EMPTY when no rows."""
    if not rows:
        return empty
    columns = METRIC_COLUMNS if columns is None else columns
    header = [h for h, _ in columns]
    cells = [[cell(r) for _, cell in columns] for r in rows]
    widths = [max(display_width(c) for c in col) for col in zip(header, *cells)]
    lines = ["  ".join(pad(c, w) for c, w in zip(row, widths)).rstrip() for row in [header, *cells]]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def format_grid(grid: Grid, number: int = 1) -> str:
    """A document's data table for the terminal: `表N`, its caption and unit, then its header rows
    over a rule and its body rows, in aligned columns (merged cells repeated, as the grid holds them)."""
    label = "" if grid.caption.startswith("表") else f"表{number}"  # a caption may number itself
    unit = f"（单位：{grid.unit}）" if grid.unit else ""
    title = " ".join(t for t in (label, grid.caption, unit) if t)
    rows = grid.header + grid.rows
    width = max((len(r) for r in rows), default=0)
    rows = [r + [""] * (width - len(r)) for r in rows]
    widths = [max(display_width(c) for c in col) for col in zip(*rows)] if rows else []
    lines = ["  ".join(pad(c, w) for c, w in zip(row, widths)).rstrip() for row in rows]
    if grid.header:
        lines.insert(len(grid.header), "  ".join("-" * w for w in widths))
    return "\n".join([title, *lines])
