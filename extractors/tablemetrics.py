"""Table figures as metric records: each figure cell of a data table (`extractors.grids`) becomes
a record in the same format as a figure of the prose (see `extractors.metrics`).

A cell is read from what its headers say. The row header (`营业收入`, `长沙高新区`, `2022年`) and
the column header, all its levels (`营业收入` over `亿元` and `增速(%)`), each tell some of: the
indicator, the subject (a zone or region), the period, the unit and the kind (`同比增长`, `增速`,
`增幅`: growth; `比重`, `占比`: share; `位次`, `排名`: rank). What no header says comes from the
unit column or the unit line of the table (`单位：万元`), the caption, the title, the document.
So indicator rows × period columns, subject rows × indicator columns and their transposed forms are
one reading.

A table figure has no place in the body: its `start`/`end` point into the tables' text form that
follows the body (`tables_text`), so that records keep stable, distinct offsets, and it carries
`table`, `row` and `col` (its table in `Document.tables`, its body row and its column, from 0).
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass, replace
from functools import lru_cache

from extractors import basis as bases
from extractors import indicators as ind
from extractors import vocabulary
from extractors.grids import parse_figure
from extractors.kinds import Row
from extractors.periods import Period, find_time_refs
from extractors.quantities import Quantity, find_quantities
from extractors.records import Document, Grid
from extractors.zones import SubjectContext, find_mentions

__all__ = ["grid_lines", "table_records", "tables_text"]

_GROWTH = re.compile(
    r"(?:同比|比上年同期|比上年|较上年同期|较上年|比去年同期|比去年|较去年|与上年同期相比|与上年相比)?"
    r"(?:增长率|增长幅度|增长|增速|增幅|增减率|增减|[±＋+]\s*[%％])|同比"
)
_POINTS = re.compile(r"[（(]?\s*个?百分点\s*[)）]?")  # 同比增减（百分点）: a rate's change
# an absolute change against an earlier point, in the figure's own unit: 比上年末增加（家）, 净增
_CHANGE = re.compile(
    r"(?:比|较|与)(?:上年末|上年同期|上年|去年同期|去年|年初|上月)[\u4e00-\u9fff]{0,2}?(?:增加|减少|增量|净增)|"
    r"增加量|增减量|净增(?:加)?|净减(?:少)?"
)
_SHARE = re.compile(r"占[\u4e00-\u9fff]{0,16}?(?:比重|比例)|比重|占比")
_RANK = re.compile(r"位次|排名|排位|名次|排序")
_UNIT_PAREN = re.compile(r"[（(]\s*(?:计量)?(?:单位\s*[:：])?\s*([^（()）]{1,6}?)\s*[)）]")
_UNIT_LABEL = re.compile(r"(?:计量)?单位\s*[:：]\s*(\S{1,6})")
_UNIT_SLASH = re.compile(r"[/／]\s*([^/／\s]{1,5})$")
_GENERIC = re.compile(
    r"(?:主要)?(?:经济)?(?:指标名称|指标|项目|名称|类别|内容)|绝对值|数值|数量|金额|本期|本年|本年累计|累计|"
    r"累计值|当月|本月|完成值|完成|实绩|总量|计量单位|单位|数据|合计值|值|全年|年度"
)
_NUMBERING = re.compile(r"^(?:其中\s*[:：]?|[（(]?[一二三四五六七八九十\d]{1,3}[)）、.．]\s*)+")
_TOTAL = re.compile(r"^(?:合计|总计|小计|全部|总体|汇总|全区|全市|全省|全县)$")
_SEQUENCE = re.compile(r"^(?:序号|编号|序|No\.?)$", re.IGNORECASE)
_WEEKDAY = re.compile(r"(?:星期|周|礼拜)[一二三四五六日天]")
_BARE_YEAR = re.compile(r"(?:19|20)\d\d")
_THIS_MONTH = re.compile(r"本月|当月")
_BARE_MONTH = re.compile(r"^(1[0-2]|0?[1-9])月(?:份)?")  # a column `9月` over `本月 | 同比增长`
_SAME_TIME_LAST_YEAR = re.compile(r"上年同期|去年同期|上年同月")
_UNIT_HEADER = re.compile(r"^(?:计量)?单位$")
_PADDING = re.compile(r"(?<=[\u4e00-\u9fff])\s+(?=[\u4e00-\u9fff])")  # 合  计: a name spaced out
_YEAR_LABEL = re.compile(r"^(?:19|20)\d\d年?$")  # a row headed by its year: 2020, 2021年
_CUMULATIVE = re.compile(r"累计")
_PART = re.compile(r"^其中\s*[:：]?")  # 其中：a part of the row above
_FOOTNOTE = re.compile(r"\[\d+\]|\[注\d*\]")  # 安新县[71]: a reference to a note
_SUBJECT_HEADER = re.compile(
    r"行政区划|区域|地区|地市|市州|县区|城市|园区|高新区|开发区|单位名称|企业名称|名称"
)
_INDICATOR_HEADER = re.compile(r"指标|项目")
# rows that break the figure of a column down (by industry, product, kind): parts of the table's subject
_BREAKDOWN_HEADER = re.compile(r"^分?(?:行业|产业|门类|类别|分类|产品|领域|类型)(?:名称|分类|类别|门类)?$")
# a region's parks (长沙市各园区): their total is no figure of the region
_PARKS_AFTER = re.compile(
    r"^(?:各|所属|下属|重点|部分)?[\u4e00-\u9fff]{0,3}?(?:园区|产业园|开发区|工业园|工业集中区|高新区|经开区|片区)"
)
# rows of enterprises or projects: their 合计 is the listed ones', never their zone's
_MEMBERS_HEADER = re.compile(r"企业|公司|项目名称|单位名称")
_PERIOD_HEADER = re.compile(r"^(?:年份|年度|时间|月份|期间|日期)$")
_NO_FIGURE = frozenset({"", "—", "-", "--", "——", "/", "…", "……", "...", "－", "―", "x", "X", "×", "*"})


@dataclass(frozen=True)
class _Head:
    """What one header says of the figures under it or to its right."""

    indicator: str = ""
    kind: str | None = None  # growth, share, rank
    unit: str = ""
    period: Period | None = None
    subject: tuple[str | None, str | None] | None = None
    total: bool = False  # 合计/总计: the table's own subject


@lru_cache(maxsize=4096)
def _unit_scale(unit: str) -> tuple[float, str] | None:
    """(multiplier, base unit) of a unit as written: `亿元` -> (1e8, `元`); None when it is no unit."""
    unit = unit.replace("％", "%").strip()
    if unit == "%":
        return 1.0, "%"
    if not unit or re.search(r"[\d年月日季度]", unit):
        return None  # `2020年` is a period, not a unit
    found = find_quantities(f"1{unit}")
    if len(found) == 1 and found[0].text == f"1{unit}" and found[0].unit:
        return found[0].value, found[0].unit
    return None


def _take_unit(text: str) -> tuple[str, str]:
    """The unit a header writes (`收入合计（亿元）`, `单位：万元`, `亿元`, `产值/亿元`) and the rest."""
    if _unit_scale(text.strip()):
        return text.strip(), ""
    for pattern in (_UNIT_PAREN, _UNIT_LABEL, _UNIT_SLASH):
        for m in pattern.finditer(text):
            if _unit_scale(m[1]):
                return m[1], (text[: m.start()] + text[m.end() :]).strip()
    return "", text


class _Reader:
    """Header reading for one document: its date for periods, its subject context for names."""

    def __init__(self, document: Document) -> None:
        self.doc = document
        d = document
        self.subjects = SubjectContext("", d.title, d.source, d.site)
        self.title_period = _last_period(d.title or "", d.date)
        self._heads: dict[tuple[str, str], _Head] = {}

    def head(self, text: str, context: str = "") -> _Head:
        """What header TEXT says; CONTEXT (the caption) gives a month its year."""
        key = (text, context)
        if key not in self._heads:  # the same headers recur row after row, sheet after sheet
            self._heads[key] = self._read_head(text, context)
        return self._heads[key]

    def _read_head(self, text: str, context: str) -> _Head:
        text = _FOOTNOTE.sub("", text or "").replace("人民币", "元").strip()
        if _BARE_YEAR.fullmatch(text):
            text += "年"  # a column headed `2022` is the year 2022
        unit, rest = _take_unit(text)
        kind = None
        if _POINTS.search(text):
            kind, unit, rest = "change", "个百分点", _POINTS.sub("", rest)
        elif (m := _CHANGE.search(rest)) and unit not in ("%", "％"):
            kind, rest = "change", rest[: m.start()] + rest[m.end() :]
        for name, pattern in (("rank", _RANK), ("share", _SHARE), ("growth", _GROWTH)):
            m = pattern.search(rest)
            if m:
                kind = kind or name
                # 营业收入占全省比重: the share of the revenue; the words of the kind are no name
                rest = rest[: m.start()] + rest[m.end() :]
        if kind == "growth" and unit and _unit_scale(unit) and _unit_scale(unit)[1] not in ("%", "个百分点"):
            kind = "change"  # 比上年增减（亿元）: how much, not how fast
        period, rest = self._take_period(rest, context)
        subject, rest = self._take_subject(rest)
        if kind == "rank" and subject is not None and subject[1] is None:
            subject = None  # 全省排名, 全国位次: where the row's subject ranks, not who ranks
        name = _NUMBERING.sub("", rest.strip(" ：:、，,"))
        name = "" if _GENERIC.fullmatch(name) else name.strip(" ：:、，,（）()")
        total = bool(_TOTAL.match(text))
        return _Head(name, kind, unit, period, subject, total)

    def _take_period(self, text: str, context: str) -> tuple[Period | None, str]:
        """The period TEXT names (a month or range without a year takes CONTEXT's year)."""
        joined = f"{context}\n{text}" if context else text
        offset = len(joined) - len(text)
        refs = [
            r
            for r in find_time_refs(joined, self.doc.date)
            if r.start >= offset and r.role in ("time", "base")
        ]
        if not refs:
            return self._bare_month(text, context)
        r = refs[-1]
        s, e = r.start - offset, r.end - offset
        return r.bounds, (text[:s] + text[e:]).strip()

    def _bare_month(self, text: str, context: str) -> tuple[Period | None, str]:
        """A header that is only a month (`9月`): that month of the caption's or title's year, which
        the period reader, rightly wary of a month without a year in prose, does not give."""
        m = _BARE_MONTH.match(text)
        known = _last_period(context, self.doc.date) or self.title_period
        year = (known.end or known.start or "")[:4] if known else ""
        if not m or not year.isdigit():
            return None, text
        month = f"{year}-{int(m[1]):02d}"
        days = calendar.monthrange(int(year), int(m[1]))[1]
        return Period(month, f"{month}-01", f"{month}-{days:02d}", "month"), text[m.end() :].strip()

    def _take_subject(self, text: str) -> tuple[tuple[str | None, str | None] | None, str]:
        for m in find_mentions(text):
            whole = text.strip() == m.text
            if m.kind == "zone" or (m.kind in ("group", "region") and whole):
                return self.subjects.resolve(m), (text[: m.start] + text[m.end :]).strip()
        return None, text

    def table_subject(self, caption: str) -> tuple[str | None, str | None]:
        """The subject of a table's figures that no header names: its caption's, else the document's."""
        if caption:
            ctx = SubjectContext(caption, self.doc.title, self.doc.source, self.doc.site)
            return ctx.subject_at(len(caption))
        return self.subjects.subject_at(0)

    def total_has_subject(self, caption: str) -> bool:
        """Whether a 合计 row or column of a table titled CAPTION (else the document's title) is a
        figure of the table's subject: not where the title names a region's parks (`长沙市各园区`),
        whose total is theirs, not the region's."""
        text = caption or self.doc.title or ""
        return not any(m.kind == "region" and _PARKS_AFTER.match(text[m.end :]) for m in find_mentions(text))

    def table_period(self, caption: str) -> Period | None:
        """A table's period where no header names one: the caption's, the title's, the document's."""
        found = _last_period(caption, self.doc.date) or self.title_period
        if found is None and self.doc.date and self.doc.date[:4].isdigit():
            y = self.doc.date[:4]
            return Period(y, None, self.doc.date if len(self.doc.date) == 10 else f"{y}-12-31", "as_of")
        return found


def _year_before(period: Period) -> Period:
    def back(s: str | None) -> str | None:
        return re.sub(r"(?:19|20)\d\d", lambda m: str(int(m[0]) - 1), s) if s else s

    return Period(back(period.text) or period.text, back(period.start), back(period.end), period.type)


def _month_of(period: Period) -> Period:
    end = period.end or ""
    if len(end) != 10:
        return period
    return Period(end[:7], f"{end[:7]}-01", end, "month")


def _year_to(period: Period) -> Period:
    """From January to the end of PERIOD, a month (`累计` in a table of `2023年8月`)."""
    end = period.end or ""
    if len(end) != 10 or end[5:7] == "01":
        return period
    return Period(f"{end[:4]}-01/{end[:7]}", f"{end[:4]}-01-01", end, "ytd")


def _last_period(text: str, date: str | None) -> Period | None:
    refs = [r for r in find_time_refs(text, date) if r.role == "time" and r.bounds]
    return refs[-1].bounds if refs else None


def _merge(upper: _Head, lower: _Head) -> _Head:
    """A header level under another: what it says itself, and what it does not say from above."""
    return _Head(
        lower.indicator or upper.indicator,
        lower.kind or upper.kind,
        lower.unit or upper.unit,
        lower.period or upper.period,
        lower.subject or upper.subject,
        lower.total or upper.total,
    )


# the columns of a grid


@dataclass
class _Columns:
    labels: list[int]  # row-header columns
    unit: int | None  # the unit column
    values: list[int]  # figure columns
    rows_are: str  # what the row headers name: indicator, subject, period or any


def _name(text: str) -> str:
    """A header or row name as it reads: `合  计` is 合计."""
    return _PADDING.sub("", text.strip())


def _column_header(grid: Grid, c: int) -> list[str]:
    levels: list[str] = []
    for row in grid.header:
        text = _name(row[c]) if c < len(row) else ""
        if text and (not levels or levels[-1] != text):
            levels.append(text)
    return levels


def _columns(grid: Grid) -> _Columns:
    width = len(grid.rows[0])
    labels, values, unit = [], [], None
    for c in range(width):
        header = " ".join(_column_header(grid, c))
        cells = [r[c].strip() for r in grid.rows if r[c].strip() not in _NO_FIGURE]
        figures = sum(parse_figure(x) is not None for x in cells)
        if _SEQUENCE.match(header.strip()):
            continue
        if (
            not values
            and (not labels or _PERIOD_HEADER.match(header.strip()))
            and cells
            and all(_YEAR_LABEL.match(x) for x in cells)
        ):
            labels.append(c)  # 2020 | 2021 | 2022 down the rows: what year each row is for
            continue
        if _UNIT_HEADER.match(header.strip()) or (
            cells and all(_unit_scale(x) for x in cells) and not figures
        ):
            unit = c if unit is None else unit
        elif cells and figures >= 0.5 * len(cells):
            values.append(c)
        elif not values:
            labels.append(c)  # (text columns after the figures are notes)
    first = " ".join(_column_header(grid, labels[0])) if labels else ""
    if _PERIOD_HEADER.match(first.strip()):
        rows_are = "period"
    elif _INDICATOR_HEADER.search(first):
        rows_are = "indicator"
    elif _SUBJECT_HEADER.search(first):
        rows_are = "subject"
    elif _BREAKDOWN_HEADER.match(first.strip()):
        rows_are = "breakdown"
    else:
        rows_are = "any"
    return _Columns(labels, unit, values, rows_are)


def _row_header(grid: Grid, r: int, labels: list[int]) -> str:
    """The name of row R: its rightmost label cell (a merged category cell stands left of it)."""
    for c in reversed(labels):
        if grid.rows[r][c].strip():
            return _name(grid.rows[r][c])
    return ""


# the records


@dataclass
class _Cell:
    table: int
    row: int
    col: int
    text: str
    start: int
    end: int
    sentence: str


def table_records(document: Document) -> list[dict]:
    """The metric records of the figure cells of DOCUMENT's tables, table by table, row by row."""
    if not document.tables:
        return []
    reader = _Reader(document)
    spans = _cell_spans(document)
    records: list[dict] = []
    for t, grid in enumerate(document.tables):
        if grid.rows and grid.rows[0]:
            records += _grid_records(reader, t, grid, spans)
    return records


def _grid_records(reader: _Reader, t: int, grid: Grid, spans: dict[tuple[int, int, int], int]) -> list[dict]:
    cols = _columns(grid)
    if not cols.values:
        return []
    context = grid.caption or reader.doc.title or ""
    heads = _column_heads(reader, grid, cols, context)
    period = reader.table_period(grid.caption)
    _relative_periods(grid, heads, period)
    if cols.rows_are == "any" and any(h.indicator and h.kind is None for h in heads.values()):
        cols.rows_are = "subject"  # columns that name indicators leave the rows their subjects
    subject = reader.table_subject(grid.caption)
    first = " ".join(_column_header(grid, cols.labels[0])) if cols.labels else ""
    total_named = reader.total_has_subject(grid.caption) and not _MEMBERS_HEADER.search(first)
    out = []
    whole: _Head | None = None  # the row that the `其中` rows below it are parts of
    for r, row in enumerate(grid.rows):
        name = _row_header(grid, r, cols.labels)
        rh = _row_head(reader, name, cols.rows_are, context)
        part_of = whole if _PART.match(name) else None
        if part_of is None:
            whole = rh
        elif rh.subject and part_of.subject and rh.subject[1] and rh.subject[1] == part_of.subject[1]:
            # 长沙高新区 | 其中：麓谷园区: a park of the zone, never the zone's own figure
            rh = replace(rh, subject=(_PART.sub("", name).strip(), None))
        unit_cell = row[cols.unit].strip() if cols.unit is not None else ""
        for c in cols.values:
            cell = row[c].strip()
            found = parse_figure(cell) if cell not in _NO_FIGURE else None
            if found is None:
                continue
            head = heads[c]
            if (rh.total or head.total) and not total_named:
                continue  # the total of the parks of a region: nobody the registry or the page names
            start = spans[(t, r, c)]
            where = _where(grid.caption, name, _column_header(grid, c), cell)
            at = _Cell(t, r, c, cell, start, start + len(cell), where)
            rec = _record(
                reader, at, found, rh, head, cols.rows_are, unit_cell or grid.unit, subject, period, part_of
            )
            if rec is not None:
                out.append(rec)
    return out


def _relative_periods(grid: Grid, heads: dict[int, _Head], period: Period | None) -> None:
    """Columns whose period is told relative to another: `本月` (the last month of the table's
    period) and `上年同期` (the span of the column beside it, a year before)."""
    left = period
    for c, head in heads.items():
        words = " ".join(_column_header(grid, c))
        if head.period is None and period and _THIS_MONTH.search(words):
            heads[c] = replace(head, period=_month_of(period))
        elif head.period is None and period and period.type == "month" and _CUMULATIVE.search(words):
            heads[c] = replace(head, period=_year_to(period))
        elif left and head.kind is None and _SAME_TIME_LAST_YEAR.search(words):
            heads[c] = replace(head, period=_year_before(left))
        left = heads[c].period or left


def _row_head(reader: _Reader, name: str, rows_are: str, context: str) -> _Head:
    head = reader.head(name, context)
    if rows_are == "subject" and head.subject is None and not head.total and name:
        # a subject the registry does not know (an industrial park, a county) is named as written
        return replace(head, subject=(_PART.sub("", _FOOTNOTE.sub("", name)).strip(), None), indicator="")
    if rows_are == "indicator" and not head.indicator and head.subject and not head.period:
        return replace(head, indicator=name)
    if rows_are == "breakdown":  # 电子信息: a part of the column's figure, of the table's subject
        return _Head(indicator="" if head.total else vocabulary_name(name), total=head.total)
    return head


def _column_heads(reader: _Reader, grid: Grid, cols: _Columns, context: str) -> dict[int, _Head]:
    """The reading of each figure column's header; a bare `增速` or `占比` column is of the figure
    column left of it (`营业收入（亿元）| 增速(%)`), and of the latest period left of it
    (`1-9月 | 同比增长(%)`, `2021年 | 2022年 | 增速`)."""
    heads: dict[int, _Head] = {}
    left: _Head | None = None
    periods: list[Period] = []
    for c in cols.values:
        head = _Head()
        for level in _column_header(grid, c):
            head = _merge(head, reader.head(level, context))
        if left is not None and head.kind in ("growth", "share", "rank"):
            if not head.indicator and left.kind is None:
                head = replace(head, indicator=left.indicator, subject=head.subject or left.subject)
            if head.period is None and periods:
                head = replace(head, period=max(periods, key=lambda p: p.end or p.start or ""))
        heads[c] = head
        if head.kind is None:
            left = head
            if head.period is not None:
                periods.append(head.period)
    return heads


def _where(caption: str, row: str, column: list[str], cell: str) -> str:
    """The record's sentence: where in the table the figure stands."""
    parts = [caption if caption.startswith("表") else f"表：{caption}"] if caption else []
    if row:
        parts.append(f"行：{row}")
    if column:
        parts.append(f"列：{'/'.join(column)}")
    parts.append(f"值：{cell}")
    return "；".join(parts)


def _record(
    reader: _Reader,
    at: _Cell,
    found: tuple[float, bool],
    rh: _Head,
    ch: _Head,
    rows_are: str,
    table_unit: str,
    subject: tuple[str | None, str | None],
    period: Period | None,
    part_of: _Head | None = None,
) -> dict | None:
    """The record of one figure cell; PART_OF is the row above a `其中` row (its whole)."""
    number, percent = found
    # the row names the indicator unless the rows are subjects or periods
    if rows_are == "indicator" or (rows_are == "any" and rh.indicator):
        metric = rh.indicator or ch.indicator
        whole = vocabulary_name(part_of.indicator) if part_of and rh.indicator else ""
    elif rows_are == "breakdown" and rh.indicator and ch.indicator:
        # 电子信息 | 产值: the electronics part of the output, named so (电子信息产值)
        metric, whole = f"{rh.indicator}{ch.indicator}", vocabulary_name(ch.indicator)
    elif rows_are == "breakdown":
        metric, whole = rh.indicator or ch.indicator, ""  # 类别 | 数量（家）: the rows name it
    else:
        metric = ch.indicator or rh.indicator
        whole = ""
    metric = vocabulary_name(metric)
    if not metric or ind.name_problem(metric) == "junk" or _WEEKDAY.fullmatch(metric):
        return None  # a figure nobody names (or a calendar's day) is no record
    kind = ch.kind or rh.kind or "level"
    if kind == "change" and percent:
        kind = "growth"  # 比上年增加 written `12.5%`: a rate after all
    unit_text = "%" if percent else (rh.unit or ch.unit or table_unit)
    if kind == "change" and "个百分点" in (ch.unit, rh.unit):
        unit_text = "个百分点"
    elif kind in ("growth", "share"):
        unit_text = unit_text if unit_text in ("%", "个百分点") else "%"
    value, unit = _in_base_units(number, "位" if kind == "rank" else unit_text)
    q = Quantity(value, unit, at.text, at.start, at.end)
    row = _qualified(Row(q, kind, unit, value, metric, clause=metric))
    if whole and whole != metric:
        row = _part(row, whole)
    p = bases.period_for(row, ch.period or rh.period or period)
    if kind in ("level", "growth") and bases.is_future(p, reader.doc.date):
        kind = "target"
    who = rh.subject or ch.subject or subject
    return {
        "doc": reader.doc.doc,
        "subject": who[0],
        "zone_id": who[1],
        "metric": row.metric,
        "indicator": row.indicator,
        "basis": row.basis,
        "value": _round(value),
        "unit": unit,
        "kind": kind,
        "period": p.text if p else None,
        "period_start": p.start if p else None,
        "period_end": p.end if p else None,
        "period_type": p.type if p else None,
        "approx": False,
        "bound": None,
        "text": at.text,
        "sentence": at.sentence,
        "start": at.start,
        "end": at.end,
        "table": at.table,
        "row": at.row,
        "col": at.col,
    }


def _qualified(row: Row) -> Row:
    """ROW with its basis and indicator."""
    bases.qualify(row)
    row.indicator = vocabulary.resolve(row.metric, row.unit, row.kind)
    return row


def _part(row: Row, whole: str) -> Row:
    """A `其中` row of the indicator WHOLE: a part named by its qualifier alone (`其中：新认定`
    under `高新技术企业`) is named with the whole (`新认定高新技术企业`), and a part that would
    read as the whole itself (`其中：规上企业营业收入` under `营业收入`) is no figure of the whole's
    indicator: its indicator is none."""
    of_whole = _qualified(Row(row.q, row.kind, row.unit, row.value, whole, clause=whole))
    if row.indicator is None and not row.metric.endswith(whole):
        named = f"{row.metric}{whole}"
        row = _qualified(Row(row.q, row.kind, row.unit, row.value, named, clause=named))
    if row.indicator is not None and (row.indicator, row.basis) == (of_whole.indicator, of_whole.basis):
        row.indicator = None
    return row


def vocabulary_name(name: str) -> str:
    """A header as a metric name: without white space, numbering and a trailing colon."""
    name = re.sub(r"\s+", "", _NUMBERING.sub("", name or ""))
    return name.strip("：:、，,")


def _in_base_units(number: float, unit: str) -> tuple[float, str]:
    """`2345.6` in `亿元` -> (234560000000, `元`); a unit nobody knows stays as written."""
    if unit in ("位", "个百分点", ""):
        return number, unit
    scale = _unit_scale(unit)
    if scale is None:
        return number, unit
    return number * scale[0], scale[1]


def _round(v: float) -> float | int:
    r = float(f"{v:.12g}")
    return int(r) if r == int(r) and abs(r) < 1e18 else r


# the tables' text form


def grid_lines(grid: Grid) -> list[str]:
    """A grid as lines of tab-separated cells: the caption, the unit line, the header, the body."""
    lines = [grid.caption] if grid.caption else []
    if grid.unit:
        lines.append(f"单位：{grid.unit}")
    return lines + ["\t".join(r) for r in grid.header + grid.rows]


def tables_text(document: Document) -> str:
    """The text form of a document's tables, one table after another, a blank line between."""
    return "\n\n".join("\n".join(grid_lines(g)) for g in document.tables)


def _cell_spans(document: Document) -> dict[tuple[int, int, int], int]:
    """Where each body cell (table, row, col) starts in the body followed by a newline and the
    tables' text form: offsets past the body, distinct for every cell."""
    spans: dict[tuple[int, int, int], int] = {}
    pos = len(document.body or "") + 1
    for t, grid in enumerate(document.tables):
        lines = grid_lines(grid)
        for line in lines[: len(lines) - len(grid.rows)]:  # caption, unit line, header
            pos += len(line) + 1
        for r, row in enumerate(grid.rows):
            for c, cell in enumerate(row):
                spans[(t, r, c)] = pos
                pos += len(cell) + 1
        pos += 1  # the blank line between tables
    return spans
