"""Terminal tables that line up with Chinese text (wide characters take two columns)."""

from __future__ import annotations

import unicodedata


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


def format_table(rows: list[dict]) -> str:
    """Metric records as aligned columns: doc, subject, metric, value with unit, period, kind."""
    if not rows:
        return "(no metrics)"
    header = ["doc", "subject", "metric", "value", "period", "kind"]
    cells = [
        [
            str(r.get("doc") or ""),
            str(r.get("subject") or "-"),
            str(r.get("metric") or ""),
            ("≈" if r.get("approx") else "")
            + {"min": "≥", "max": "≤"}.get(r.get("bound") or "", "")
            + format_value(r["value"], r.get("unit") or ""),
            str(r.get("period") or "-"),
            str(r.get("kind") or ""),
        ]
        for r in rows
    ]
    widths = [max(display_width(c) for c in col) for col in zip(header, *cells)]
    lines = ["  ".join(pad(c, w) for c, w in zip(row, widths)).rstrip() for row in [header, *cells]]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)
