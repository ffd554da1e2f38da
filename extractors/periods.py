"""The time a figure is for, read from the words around it.

Zone reports state the period once and let it govern what follows: `2021年,全省高新区建成…;技术合同
交易额…` gives 2021 to every figure of the paragraph until another time expression comes. So a
document is read as a sequence of time expressions (`TimeRef`), each resolved against the document
date and the year in force (`上年` is the document's year minus one, `1-6月` takes the year being
talked about, `十四五` is 2021/2025, `目前` the document's year), and a figure takes the last one
before it in its document, where a top-level heading (`二、下一步打算`) starts afresh.

Periods are `YYYY`, `YYYY-MM`, `YYYY-MM-DD`, or two of them joined by `/` for a span (`2021/2025`,
`2022-01/2022-06`). Placeholders (`20xx年`) and expressions that need a document date the page
does not give resolve to None, and override what came before: a period is never invented.
Comparison bases (`比上年`, `与2020年相比`, `2020年同期`) and years inside titles of works
(`《2021年度报告》`) are not the period of anything.
"""

from __future__ import annotations

import bisect
import calendar
import re
from dataclasses import dataclass

from extractors.booktitles import in_title_of_work

__all__ = ["Period", "PeriodContext", "TimeRef", "find_time_refs", "year_spans"]

_CN_DIGIT = {c: str(i) for i, c in enumerate("〇一二三四五六七八九")} | {"零": "0", "○": "0", "O": "0"}
_Y = r"(?:(?:19|20)\d\d|[〇零○一二三四五六七八九]{4})"
_PH = r"(?:(?:19|20)[xX×*＊_]{2}|[xX×]{4})"  # 20xx, 20××, XXXX
_M = r"(?:1[0-2]|0?[1-9])"
_D = r"(?:3[01]|[12]\d|0?[1-9])"
_DASH = r"\s*(?:-|—|–|~|～|至|到)\s*"
_PLAN = r"十[一二三四五六七八九]五"
_QUARTERS = {
    "上半年": (1, 6), "下半年": (7, 12), "前三季度": (1, 9), "一季度": (1, 3), "二季度": (4, 6),
    "三季度": (7, 9), "四季度": (10, 12), "第一季度": (1, 3), "第二季度": (4, 6), "第三季度": (7, 9),
    "第四季度": (10, 12), "前两季度": (1, 6), "一至三季度": (1, 9),
}  # fmt: skip
_HALVES = {"上半年", "下半年", "前两季度"}
_QUARTER = "|".join(sorted(map(re.escape, _QUARTERS), key=len, reverse=True))
_RELATIVE = {"上年": -1, "去年": -1, "上一年": -1, "前年": -2, "今年": 0, "本年": 0, "明年": 1, "次年": None}
_CONGRESS_YEARS = {"十八大": 2012, "十九大": 2017, "二十大": 2022}  # 党的十八大以来: since late 2012
_NOW = r"截至目前|截止目前|截至当前|到目前为止|目前|当前|现阶段|迄今|至今|现有"

# Every time expression starts with one of these: the lookahead lets the scan skip other text fast.
_FIRST = '(?=[0-9〇零○一二三四五六七八九xX×“"十上去前今本明次截目当现迄至到下第全年党近多这二])'
_TIME = re.compile(
    _FIRST
    + "(?:"
    + "|".join(
        [
            rf"(?P<yy>{_Y})\s*年?{_DASH}(?P<yy2>{_Y})\s*年(?:度)?",
            rf"(?P<dy>(?:19|20)\d\d)\s*(?:年\s*(?P<dm>{_M})\s*月\s*(?P<dd>{_D})\s*[日号]|(?P<sep>[-/.])(?P<dm2>{_M})(?P=sep)(?P<dd2>{_D}))(?!\d)",
            rf"(?P<ry>{_Y})\s*年\s*(?:(?P<rm>{_M})(?:月)?{_DASH}(?P<rm2>{_M})\s*月(?:份)?|(?P<rq>{_QUARTER}))",
            rf"(?P<my>{_Y})\s*年\s*(?P<mm>{_M})\s*月(?:份|底|末|初)?",
            rf"(?P<y>{_Y})\s*年(?P<ysuf>度|底|末|初|内|以来|来|起)?",
            rf"(?P<ph>{_PH})\s*年(?:度|底|末|初)?",
            rf"[“\"]?(?P<plan>{_PLAN})[”\"]?(?:规划)?(?P<plansuf>开局之年|开局年|首年|收官之年|收官年|末|期间|时期|以来)?",
            r"(?P<rel>上一年|上年|去年|前年|今年|本年|明年|次年)(?:度)?(?P<relq>" + _QUARTER + r")?",
            r"(?P<same>全年|年内)",  # not 当年: 跟当年的浦东 is "back then" as often as "that year"
            r"(?:党的)?(?P<congress>十八大|十九大|二十大)以来",
            # years counted back from a date the page does not fix: unknown, and not last year's
            r"(?P<vague>近[一二两三四五六七八九十\d]{1,2}年|近年来|近些年|多年来|这些年)",
            rf"(?P<now>{_NOW})",
            rf"(?<![\d.])(?P<om>{_M})(?:月)?{_DASH}(?P<om2>{_M})\s*月(?:份)?",
            rf"(?P<oq>{_QUARTER})",
            rf"(?<![\d.年])(?P<odm>{_M})\s*月\s*(?P<odd>{_D})\s*[日号]",
            rf"(?<![\d.年个])(?P<oonly>{_M})\s*月(?:份|底|末)",
        ]
    )
    + ")"
)
# Words that make the time after them a comparison base, and words after it that do.
_BASE_BEFORE = re.compile(r"(?:比|较|与|同|和|相比|相较于?|对比|高于|低于|超过)\s*$")
_BASE_AFTER = re.compile(r"^\s*(?:同期|相比|相较|比|对比|的水平|水平|的?基础上|同月)")
# A founding or an approval told as background (1992年经国务院批准, 成立于2011年) dates the event,
# not the figures after it.
_EVENT_AFTER = re.compile(
    r"\s*(?:\d{1,2}月(?:\d{1,2}日)?)?\s*(?:经国务院|经省政府|经省人民政府|经)?(?:批准|成立|设立|创建|建立|组建|升级|升格|获批|挂牌)"
)
_BASE_FIGURE = re.compile(r"(?:同期|末|底)?(?:的|为|是)?")  # between a base and its own figure
_EVENT_BEFORE = re.compile(r"(?:成立于|创建于|始建于|设立于|组建于|诞生于)\s*$")
_YEARLIKE = re.compile(
    rf"{_Y}\s*年|{_PH}\s*年|(?:19|20)\d\d[-/.]\d{{1,2}}(?:[-/.]\d{{1,2}})?|[〔\[【(（]\s*(?:19|20)\d\d\s*[〕\]】)）]"
    rf"|(?<!\d){_M}\s*月\s*{_D}\s*[日号]|(?<!\d){_M}\s*月(?:份)?"
)
_HEADING_LINE = re.compile(
    r"^[ \t]*(?:[一二三四五六七八九十]+、|第[一二三四五六七八九十]+(?:章|节|部分))", re.M
)


@dataclass(frozen=True, slots=True)
class TimeRef:
    """One time expression: its span, the period it stands for, and its role.

    `role` is `time` (it sets the period of what follows), `base` (a comparison base: 比上年, the
    time only of a figure right after it: 上年同期为10%), `event` (a founding or an approval told
    as background: 1992年经国务院批准) or `name` (inside a title of a work: 《2021年度报告》).
    `period` is None for a placeholder year or a relative expression without a document date."""

    start: int
    end: int
    text: str
    period: str | None
    role: str = "time"
    bounds: Period | None = None  # the period as data (dates and type)


@dataclass(frozen=True, slots=True)
class Period:
    """A figure's period as data: the text form (`2022`, `2022-01/2022-09`, `2021/2025`), the ISO
    dates that bound it (`start` None for `截至…` totals, `end` None where the page gives no end)
    and its type: `year`, `ytd` (from January: `1-9月`, `前三季度`), `quarter`, `half`, `month`,
    `day`, `plan` (a span of years: `十四五`, `2016-2020年`), `as_of` (a point: `截至2022年底`,
    `目前`) or `since` (`2020年以来`)."""

    text: str
    start: str | None
    end: str | None
    type: str

    def as_of_end(self) -> Period:
        """The same period read as a point at its end: a count "in 2022" is the count at the end of
        2022, so that it meets the `截至2022年底` count of another page."""
        if self.type == "as_of" or self.end is None:
            return self
        return Period(self.text.rpartition("/")[2], None, self.end, "as_of")

    def year_of_end(self) -> Period:
        """The calendar year the period ends in."""
        y = (self.end or self.start or "")[:4]
        return _year_period(y, int(y)) if y.isdigit() else self


def _last_day(year: int, month: int) -> str:
    return f"{year}-{month:02d}-{calendar.monthrange(year, month)[1]:02d}"


def _year_period(text: str, y: int, ptype: str = "year") -> Period:
    if ptype == "as_of":
        return Period(text, None, f"{y}-12-31", "as_of")
    return Period(text, f"{y}-01-01", f"{y}-12-31", ptype)


def _years_period(first: int, last: int) -> Period:
    """A span of whole years: `十四五`, `2016-2020年`."""
    return Period(f"{first}/{last}", f"{first}-01-01", f"{last}-12-31", "plan")


def _day_period(day: str, as_of: bool) -> Period:
    """One day: an event's (`12月9日`), or the end of a running total (`截至2022年12月31日`)."""
    return Period(day, None if as_of else day, day, "as_of" if as_of else "day")


def _months_period(y: int, m1: int, m2: int, named: str | None = None) -> Period:
    """Months M1..M2 of Y: a quarter or half when NAMED says so or the span is one, else year to
    date (from January) or a month."""
    text = f"{y}-{m1:02d}" if m1 == m2 else f"{y}-{m1:02d}/{y}-{m2:02d}"
    if named in _HALVES:
        ptype = "half"
    elif named is not None and "季度" in named and m2 - m1 == 2:
        ptype = "quarter"
    elif m1 == m2:
        ptype = "month"
    elif (m1, m2) == (1, 12):
        ptype = "year"
    elif m1 == 1:
        ptype = "ytd"
    elif m2 - m1 == 2 and m1 % 3 == 1:
        ptype = "quarter"
    else:
        ptype = "month"
    return Period(text, f"{y}-{m1:02d}-01", _last_day(y, m2), ptype)


def _year(s: str) -> int:
    s = "".join(_CN_DIGIT.get(c, c) for c in s)
    return int(s)


def _plan(name: str, suffix: str | None) -> Period:
    """The years of a five-year plan: 十四五 -> 2021/2025 (the sixth plan began in 1981); its first
    year, its last year, or its end (`十四五末`) where the suffix says so."""
    n = 10 + "一二三四五六七八九".index(name[1]) + 1
    first = 1981 + 5 * (n - 6)
    if suffix in ("开局之年", "开局年", "首年"):
        return _year_period(str(first), first)
    if suffix in ("收官之年", "收官年"):
        return _year_period(str(first + 4), first + 4)
    if suffix == "末":
        return _year_period(str(first + 4), first + 4, "as_of")
    return _years_period(first, first + 4)


# Before a time: it is the end of a running total (截至2022年底, 截止到9月末).
_AS_OF_BEFORE = re.compile(r"(?:截至|截止|截止到|截至到)\s*$")
_AS_OF_SUFFIX = ("底", "末")


class _Resolver:
    """Turns matches into periods, given the document date and the year being talked about."""

    def __init__(self, doc_date: str | None) -> None:
        m = re.match(r"((?:19|20)\d\d)(?:-(\d\d))?(?:-(\d\d))?", doc_date or "")
        self.doc_year = int(m[1]) if m else None
        self.doc_month = int(m[2]) if m and m[2] else None
        self.doc_date = m[0] if m and m[3] else None

    def year_for_month(self, context_year: int | None, month: int) -> int | None:
        """The year of a month named without one: the year in force, or the document's (a month
        after the document's own month is last year's: `1-11月` in a January report)."""
        if context_year is not None:
            return context_year
        if self.doc_year is None:
            return None
        if self.doc_month is not None and month > self.doc_month:
            return self.doc_year - 1
        return self.doc_year

    def since(self, first: int) -> Period | None:
        """From FIRST to the document's date (`2020年以来`, `党的十八大以来`)."""
        if not self.doc_year:
            return None
        end = self.doc_date or f"{self.doc_year}-12-31"
        return Period(f"{first}/{self.doc_year}", f"{first}-01-01", end, "since")

    def now(self) -> Period | None:
        """`目前`, `现有`: the document's year, as a point at the document's date."""
        if not self.doc_year:
            return None
        return Period(str(self.doc_year), None, self.doc_date or f"{self.doc_year}-12-31", "as_of")

    def resolve(
        self, m: re.Match, context_year: int | None, as_of: bool = False
    ) -> tuple[Period | None, int | None]:
        """The period of match M and the year it puts in force (None when it names no year); AS_OF
        when a 截至 before it makes it the end of a running total."""
        g = m.groupdict()
        suffix_as_of = m.group().endswith(_AS_OF_SUFFIX)
        if g["yy"]:
            a, b = _year(g["yy"]), _year(g["yy2"])
            if a > b:
                return None, None
            if a == b:
                return _year_period(str(a), a), b
            return _years_period(a, b), b
        if g["dy"]:
            y, mo, d = int(g["dy"]), int(g["dm"] or g["dm2"]), int(g["dd"] or g["dd2"])
            day = f"{y}-{mo:02d}-{d:02d}"
            return _day_period(day, as_of), y
        if g["ry"]:
            y = _year(g["ry"])
            m1, m2 = _QUARTERS[g["rq"]] if g["rq"] else (int(g["rm"]), int(g["rm2"]))
            return (_months_period(y, m1, m2, g["rq"]), y) if m1 <= m2 else (None, None)
        if g["my"]:
            y, mo = _year(g["my"]), int(g["mm"])
            return self._month(y, mo, as_of or suffix_as_of), y
        if g["y"]:
            y = _year(g["y"])
            if g["ysuf"] in ("以来", "来", "起") and self.doc_year and self.doc_year > y:
                return self.since(y), self.doc_year
            if g["ysuf"] == "初":
                return Period(str(y), None, f"{y}-01-01", "as_of"), y
            return _year_period(str(y), y, "as_of" if as_of or suffix_as_of else "year"), y
        if g["ph"]:
            return None, None
        if g["plan"]:
            p = _plan(g["plan"], g["plansuf"])
            return p, int(p.text[-4:])
        if g["rel"]:
            return self._relative(g["rel"], g["relq"], context_year, as_of)
        if g["same"]:
            # the whole of the year in force (全年 after 截至6月底 is the year, not June)
            y = context_year or self.doc_year
            return (_year_period(str(y), y), y) if y else (None, None)
        if g["congress"]:
            p = self.since(_CONGRESS_YEARS[g["congress"]])
            return (p, self.doc_year) if p else (None, None)
        if g["vague"]:
            return None, None
        if g["now"]:
            return self.now(), self.doc_year
        return self._without_year(g, context_year, as_of or suffix_as_of)

    def _month(self, y: int | None, mo: int, as_of: bool) -> Period | None:
        if y is None:
            return None
        if as_of:
            return Period(f"{y}-{mo:02d}", None, _last_day(y, mo), "as_of")
        return _months_period(y, mo, mo)

    def _relative(
        self, rel: str, quarter: str | None, context_year: int | None, as_of: bool
    ) -> tuple[Period | None, int | None]:
        delta = _RELATIVE[rel]
        if delta is None:  # 次年: the year after the one in force
            y = context_year + 1 if context_year else None
        else:
            y = self.doc_year + delta if self.doc_year else None
        if y is None:
            return None, None
        if quarter:
            m1, m2 = _QUARTERS[quarter]
            return _months_period(y, m1, m2, quarter), y
        return _year_period(str(y), y, "as_of" if as_of else "year"), y

    def _without_year(
        self, g: dict, context_year: int | None, as_of: bool
    ) -> tuple[Period | None, int | None]:
        """Months, quarters and days named without their year (`1-9月`, `一季度`, `12月9日`)."""
        if g["om"]:
            m1, m2 = int(g["om"]), int(g["om2"])
            y = self.year_for_month(context_year, m2)
            return (_months_period(y, m1, m2), y) if y is not None and m1 <= m2 else (None, y)
        if g["oq"]:
            m1, m2 = _QUARTERS[g["oq"]]
            y = self.year_for_month(context_year, m2)
            return (_months_period(y, m1, m2, g["oq"]) if y is not None else None), y
        if g["odm"]:
            mo, d = int(g["odm"]), int(g["odd"])
            y = self.year_for_month(context_year, mo)
            if y is None:
                return None, None
            day = f"{y}-{mo:02d}-{d:02d}"
            return _day_period(day, as_of), y
        mo = int(g["oonly"])
        y = self.year_for_month(context_year, mo)
        return self._month(y, mo, as_of), y


def find_time_refs(text: str, doc_date: str | None = None) -> list[TimeRef]:
    """Every time expression of TEXT in order, resolved against DOC_DATE (`YYYY-MM-DD` or None).

    The year in force for month-only expressions is the last year named before them."""
    resolver = _Resolver(doc_date)
    refs: list[TimeRef] = []
    context_year: int | None = None
    for m in _TIME.finditer(text):
        if text[m.start() : m.start() + 1] in '“"' and not m["plan"]:
            continue
        before = text[max(0, m.start() - 4) : m.start()]
        after = text[m.end() : m.end() + 6]
        found, year = resolver.resolve(m, context_year, bool(_AS_OF_BEFORE.search(before)))
        if in_title_of_work(text, m.start()):
            role = "name"
        elif _BASE_BEFORE.search(before) or _BASE_AFTER.match(after):
            role = "base"
        elif _EVENT_BEFORE.search(before) or _EVENT_AFTER.match(text, m.end()):
            role = "event"
        else:
            role = "time"
            if year is not None:
                context_year = year
            elif m["ph"] or m["rel"] or m["now"] or m["vague"]:
                context_year = None  # an unknown year: what follows is not last year's either
        refs.append(TimeRef(m.start(), m.end(), m.group(), found.text if found else None, role, found))
    return refs


def year_spans(text: str) -> list[tuple[int, int]]:
    """Spans of the dates and years in TEXT (`2021年`, `2021.12`, `〔2020〕`, `12月21日`, `20xx年`),
    so that a reader can tell the numbers inside them from figures."""
    return [m.span() for m in _YEARLIKE.finditer(text)]


_REPORT_TITLE = re.compile(r"统计公报|经济运行|主要经济指标|统计数据|统计月报|统计快报|数据发布")


def _report_period(title: str | None, doc_date: str | None) -> Period | None:
    """The one period a statistical report's title names, or None."""
    if not title or not _REPORT_TITLE.search(title):
        return None
    periods = {r.bounds for r in find_time_refs(title, doc_date) if r.role == "time" and r.bounds}
    return periods.pop() if len(periods) == 1 else None


class PeriodContext:
    """The period in force at each position of a document body.

    A figure takes the last time expression before it; a top-level heading (`一、…`, `第二部分`)
    starts afresh with its own time expression, or none. Without a time expression the period is
    None."""

    def __init__(self, body: str, doc_date: str | None = None, title: str | None = None) -> None:
        found = find_time_refs(body, doc_date)
        # a statistical report's title (`2020年潍坊高新区国民经济和社会发展统计公报`) dates all of it
        # that no time expression of its own dates, its sections included
        whole = _report_period(title, doc_date)
        self.body = body
        # a base right before a figure is that figure's time: 较上年度第11位, 上年同期为10%
        bases = [r for r in found if r.role == "base"]
        self._base_ends = [r.end for r in bases]
        self._base_periods = [r.bounds for r in bases]
        refs = [r for r in found if r.role == "time"]
        for m in _HEADING_LINE.finditer(body):
            refs.append(TimeRef(m.start(), m.start(), "", whole.text if whole else None, "reset", whole))
        if whole is not None:
            refs.append(TimeRef(0, 0, "", whole.text, "reset", whole))
        refs.sort(key=lambda r: (r.end, r.role != "reset"))
        self._ends = [r.end for r in refs]
        self._refs = refs

    def at(self, pos: int) -> Period | None:
        """The period in force at POS, as data."""
        # only the last base before POS can be right before it
        b = bisect.bisect_right(self._base_ends, pos) - 1
        if b >= 0 and _BASE_FIGURE.fullmatch(self.body, self._base_ends[b], pos):
            return self._base_periods[b]
        i = bisect.bisect_right(self._ends, pos) - 1
        return self._refs[i].bounds if i >= 0 else None

    def period_at(self, pos: int) -> str | None:
        """The period in force at POS in its text form (`2022`, `2022-01/2022-09`)."""
        found = self.at(pos)
        return found.text if found else None
