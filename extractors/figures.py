"""Step one of metric reading: the figures of a body, sentence by sentence.

A figure is a number with a unit a statistic can carry (a currency, a measure word, a percent, a
fraction, a rank). Numbers that are part of a name (`“1264”发展战略`, `B1栋`, `第二产业`), bare
numbers (codes, list numbers) and the numbers inside dates are not figures.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator
from dataclasses import dataclass

from extractors import indicators as ind
from extractors.periods import year_spans
from extractors.quantities import Quantity, find_figures

CURRENCIES = {"元": "元", "块": "元", "美元": "美元", "欧元": "欧元", "日元": "日元", "英镑": "英镑", "港元": "港元",
              "港币": "港元"}  # fmt: skip
_COUNTS = "家 个 户 人 人次 家次 项次 个次 项 只 名 件 所 座 条 台 套 辆 架 艘 栋 幢 间 张 部 份 批 场 类 种 款 支 枚 颗 株 头 处 片 篇 次 期"
_MEASURES = "平方公里 平方米 立方米 公顷 亩 公里 千米 米 千克 公斤 吨 千瓦时 千瓦 兆瓦 标箱"
COUNT_UNITS = frozenset(_COUNTS.split())
MEASURE_UNITS = frozenset(_MEASURES.split())
# the units as written that find_figures keeps for us
_WRITTEN_UNITS = frozenset(
    set(CURRENCIES)
    | COUNT_UNITS
    | MEASURE_UNITS
    | {"个百分点", "百分点", "位", "位次", "个位次", "名", "平方千米"}
)
_SENTENCE_END = re.compile("[。!?！？]")
# The longest stretch read as one sentence; longer runs are cut at clause marks (see _clause_window).
MAX_SENTENCE = 600
_CLAUSE_MARKS = "；;，,"
_OPEN_QUOTES = "“\"'‘「『《"
_NUMERAL_NEXT = set("一二三四五六七八九十两")
_LETTERS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")
_SIZE_CLASS = ("企业", "级企业", "项目", "级项目", "俱乐部")


@dataclass
class Sentence:
    """A sentence of the body (`start`..`end`, its 。 included) and the figures in it."""

    start: int
    end: int
    figures: list[Quantity]


class _Spans:
    """Sorted, non-overlapping spans; tells whether a figure lies inside one (a date, a year)."""

    def __init__(self, spans: list[tuple[int, int]]) -> None:
        self.spans = sorted(spans)
        self.starts = [s for s, _ in self.spans]

    def overlaps(self, start: int, end: int) -> bool:
        i = bisect.bisect_right(self.starts, end - 1) - 1
        return i >= 0 and self.spans[i][1] > start


def not_a_figure(body: str, q: Quantity) -> bool:
    """Names and labels that contain numbers: “1264”发展战略, 四个一, 三个代表, 第五条, 第二产业,
    B1栋, 20亿元企业."""
    prev = body[q.start - 1] if q.start else ""
    nxt = body[q.end] if q.end < len(body) else ""
    if (prev and prev in _OPEN_QUOTES) or (nxt in _NUMERAL_NEXT and q.chinese):
        return True
    if q.ordinal and not q.unit and "\u4e00" <= nxt <= "\u9fff" and nxt != "的":
        return True  # 第二产业增加值, 第一方阵: the ordinal is part of a name
    if prev in _LETTERS and body[q.start - 2 : q.start - 1] not in _LETTERS:
        return True  # B1栋, G4高速: a one-letter code, not a count (GDP762亿元 is a figure)
    # 新增20亿元企业、10亿元企业: a size class of what is counted
    return q.unit in CURRENCIES and body.startswith(_SIZE_CLASS, q.end)


def base_unit(q: Quantity, name: str) -> tuple[str, float] | None:
    """The record's unit and value in base units, or None when the figure is not a metric."""
    if q.unit in CURRENCIES:
        return CURRENCIES[q.unit], q.value
    if q.unit in COUNT_UNITS or q.unit in MEASURE_UNITS or q.unit in ("%", "个百分点", "位"):
        return q.unit, q.value
    if q.unit == "" and q.scale > 1 and ind.is_money(name):
        return "元", q.value  # 技术合同交易额达到16.8亿: 元 is implied
    return None


class SentenceSplitter:
    """Sentence spans of a body: sentence ends turned into newlines once, then found around each
    figure (far faster than splitting the whole text)."""

    def __init__(self, body: str) -> None:
        self.body = body
        self.lines = _SENTENCE_END.sub("\n", body)
        self._dates: dict[int, _Spans] = {}

    def sentence_at(self, pos: int) -> tuple[int, int]:
        lo = max(0, pos - MAX_SENTENCE)
        start = self.lines.rfind("\n", lo, pos) + 1 or lo
        end = self.lines.find("\n", pos, pos + MAX_SENTENCE)
        if end < 0:
            end = min(len(self.body), pos + MAX_SENTENCE)
        elif self.body[end] != "\n":
            end += 1  # the sentence keeps its 。
        if end - start > MAX_SENTENCE:
            start, end = self._clause_window(pos, start, end)
        return start, end

    def _clause_window(self, pos: int, start: int, end: int) -> tuple[int, int]:
        """A run of text without sentence ends (a table flattened, a page of numbers) is read in
        windows cut at clause marks around POS, so that the cost of a page stays linear in its length."""
        half = MAX_SENTENCE // 2
        left = self.body[max(start, pos - half) : pos]
        cut = max(left.rfind(c) for c in _CLAUSE_MARKS)
        new_start = pos - len(left) + cut + 1 if cut >= 0 else pos - len(left)
        right = self.body[pos : min(end, pos + half)]
        cuts = [i for i in (right.find(c) for c in _CLAUSE_MARKS) if i >= 0]
        return new_start, pos + (min(cuts) + 1 if cuts else len(right))

    def in_date(self, q: Quantity, start: int, end: int) -> bool:
        """Whether a figure without a unit lies in a date or year (`2021.12`, `〔2020〕`).

        Read per sentence and only when asked: most figures carry a unit and need no look."""
        spans = self._dates.get(start)
        if spans is None:
            found = year_spans(self.body[start:end])
            spans = self._dates[start] = _Spans([(a + start, b + start) for a, b in found])
        return spans.overlaps(q.start, q.end)


def sentences(body: str) -> Iterator[Sentence]:
    """The sentences of BODY that hold at least one figure, in order, with their figures."""
    split = SentenceSplitter(body)
    current: Sentence | None = None
    for q in find_figures(body, _WRITTEN_UNITS):
        if not q.unit and q.scale == 1.0 and not q.fraction and not q.ordinal:
            continue  # a bare number (a code, a list number, a year) is never a metric
        if current is None or q.start >= current.end:
            if current is not None and current.figures:
                yield current
            current = Sentence(*split.sentence_at(q.start), [])
        if not_a_figure(body, q) or (not q.unit and split.in_date(q, current.start, current.end)):
            continue
        current.figures.append(q)
    if current is not None and current.figures:
        yield current


_LIST_SEPARATORS = {"、", "和", "及", "与"}


def list_runs(body: str, qs: list[Quantity]) -> list[tuple[int, int]]:
    """Position and length of each figure in a list run (`20.32%、47.12%`)."""
    if len(qs) == 1:
        return [(0, 1)]
    starts = [0]  # where each run starts
    prev = qs[0]
    for i in range(1, len(qs)):
        q = qs[i]
        if not (prev.unit == q.unit and body[prev.end : q.start].strip() in _LIST_SEPARATORS):
            starts.append(i)
        prev = q
    starts.append(len(qs))
    res: list[tuple[int, int]] = []
    for a, b in zip(starts, starts[1:]):
        res.extend((k, b - a) for k in range(b - a))
    return res
