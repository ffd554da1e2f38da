"""Metric extraction: a clean document in, one record per dated figure out.

Each figure a researcher would put in a table (counts, money, growth rates, shares, ranks, areas,
percentage-point and rank changes, plan targets) becomes a record with its subject, indicator,
value in base units, period and source sentence (see the design's record format). Reading is a
sequence of steps, each in its own module and testable alone:

1. figures (`extractors.figures`): the numbers that can carry a statistic, sentence by sentence;
2. kind and name (`extractors.kinds`, `extractors.lists`): level, growth, share, rank, change or
   target, and the phrase naming what is measured;
3. indicator and basis (`extractors.vocabulary`, `extractors.basis`): the canonical id, and
   whether a count or amount is a stock, an addition or a net change;
4. period (`extractors.periods`), 5. subject (`extractors.zones`), 6. the record.
"""

from __future__ import annotations

import re
from dataclasses import replace

from extractors import basis as bases
from extractors import indicators as ind
from extractors import vocabulary
from extractors.figures import Sentence, list_runs, sentences
from extractors.kinds import Classifier, Row
from extractors.lists import from_list, referent
from extractors.periods import Period, PeriodContext
from extractors.quantities import Quantity
from extractors.records import Document
from extractors.tablemetrics import table_records
from extractors.zones import SubjectContext

_NEW_LEVEL = re.compile(
    r"(?:增|增加|增长|提高|提升|上升|升|扩大|下降|降|减少|缩小|跃升|攀升)(?:到|至)(?:\d{4}年(?:的)?)?|达到"
)


def _refer(row: Row, ref: Row) -> None:
    """ROW is about the figure REF: its subject, and for a rate its basis (`新增市场主体6126户，
    同比增长18.7%` is the rate of the additions)."""
    if not (row.item and row.run >= 0 and ref.run == row.run):
        row.ref = ref.ref or ref  # (an item of a list keeps its own place: 第65名和第128名)
    if row.unit == "%":
        row.basis = ref.basis


class _SentenceRows:
    """Step 2 for one sentence: each figure read in turn, with what the figures before it tell
    (the list run it continues, the amount a bare rate refers to)."""

    def __init__(self, body: str, classifier: Classifier, s: Sentence) -> None:
        self.body, self.classifier, self.s = body, classifier, s
        self.rows: list[Row] = []
        self.levels: list[Row] = []  # figures a later 同比增长/占/分别 refers back to
        self.run_clause = ""
        self.run_names: list[tuple[str, Row | None]] = []
        self.dropped: tuple[Quantity | None, str] = (None, "")
        self.prev_q: Quantity | None = None
        self.prev_end = s.start
        classifier.begin(s.start, s.end, self.rows)

    def add(self, q: Quantity, run_pos: int, run_len: int) -> None:
        # the words for a figure start after the figure before it: 从12万人增至39.5万人
        left, self.prev_end = self.body[self.prev_end : q.start], q.end
        clause = ind.left_clause(left)
        if run_pos == 0:
            self.run_clause = ind.list_clause(left) if run_len > 1 else clause
        row = self._read(q, left, clause)
        follows, self.prev_q = self.prev_q, q
        if row is None:
            self.dropped = (q, clause)
            return
        row.clause = clause
        self._join_run(row, follows, left, run_pos, run_len)
        self._name_from_context(row, follows)
        row.metric = ind.trim_name(row.metric)
        if ind.name_problem(row.metric) == "junk":
            return  # a figure whose name was cut mid-phrase or names a clause: better no record
        bases.qualify(row)  # the basis now: a rate after it takes this row's
        self.rows.append(row)
        if row.kind in ("level", "target") and row.unit != "%":
            self.levels.append(row)

    def _read(self, q: Quantity, left: str, clause: str) -> Row | None:
        rows = self.rows
        if rows and rows[-1].q.unit == q.unit and _NEW_LEVEL.fullmatch(ind.tidy(clause)):
            # 从12万人增至39.5万人, 由31.8%上升到84.6%: the same indicator, a later value
            prev = rows[-1]
            value = q.value * 100 if q.fraction else q.value
            return Row(q, prev.kind, prev.unit, value, prev.metric)
        last = rows[-1] if rows else None
        cont = last is not None and last.kind == "rank" and left[:1] in "、和及与，,"
        right = self.body[q.end : min(self.s.end, q.end + 48)]
        return self.classifier.classify(q, clause, right, self.levels, last if cont else None)

    def _join_run(self, row: Row, follows: Quantity | None, left: str, run_pos: int, run_len: int) -> None:
        """A list item (`20.32%、47.12%`) takes the kind and sign of the first, and the i-th name of
        the list's names."""
        rows = self.rows
        if run_pos and rows and rows[-1].q is follows:
            row.kind, row.metric = rows[-1].kind, ""
            if rows[-1].value < 0 < row.value:
                row.value = -row.value
        if run_len > 1:
            if run_pos == 0:
                self.run_names = from_list(self.levels, rows, row, self.run_clause, left, run_len)
            row.run = row.q.start if run_pos == 0 else rows[-1].run if rows else -1
            row.item = (run_pos, run_len)
            if self.run_names:
                name, ref = self.run_names[run_pos]
                if name and ind.name_problem(ind.trim_name(name)) != "junk":
                    row.metric = name  # (a list of subjects names no indicator: 安阳、南阳、焦作高新区位次…)
                if ref is not None:
                    _refer(row, ref)

    def _name_from_context(self, row: Row, follows: Quantity | None) -> None:
        """A rate, share, change or rank without a name of its own takes the one it refers to."""
        if not row.metric and row.kind in ("growth", "share") and self.dropped[0] is follows:
            # 用电量6.42亿度，同比增长39.2%: the amount is not a figure we keep, its name still is
            row.metric = ind.clean_name(self.dropped[1])
        if not row.metric and row.kind in ("growth", "share", "change", "target", "rank"):
            ref = referent(row, self.rows, self.levels)
            row.metric = ref.metric if ref else ("排名" if row.unit == "位" else "")
            if ref is not None:
                _refer(row, ref)
        if row.unit == "个百分点" and row.metric in ("占比", "比重"):
            shares = [r for r in self.rows if r.kind == "share"]
            if shares:  # 占全国比重为9.80%，占比较上半年提升0.2个百分点
                row.metric = shares[-1].metric + row.metric


class _Reader:
    def __init__(self, document: Document) -> None:
        self.doc = document
        self.body = document.body or ""
        date = document.date or ""
        self.classifier = Classifier(self.body, int(date[:4]) if date[:4].isdigit() else None)
        self._periods: PeriodContext | None = None
        self._subjects: SubjectContext | None = None

    def run(self) -> list[dict]:
        records: list[dict] = []
        for s in sentences(self.body):  # 1. figures
            rows = self.rows(s)  # 2. kind and name
            sentence = self.body[s.start : s.end].strip()
            for row in rows:
                self.qualify(row, s)  # 3. indicator (the basis was read with the row)
                records.append(self.record(row, sentence))  # 4-6. period, subject, record
        return _dedupe(records)

    def rows(self, s: Sentence) -> list[Row]:
        reader = _SentenceRows(self.body, self.classifier, s)
        for q, (run_pos, run_len) in zip(s.figures, list_runs(self.body, s.figures)):
            reader.add(q, run_pos, run_len)
        return reader.rows

    def qualify(self, row: Row, s: Sentence) -> None:
        row.indicator = vocabulary.resolve(row.metric, row.unit, row.kind)
        if row.indicator is None and row.unit == "位":
            row.indicator = vocabulary.resolve_rank(row.metric, self.body[s.start : row.q.start])

    def period(self, pos: int) -> Period | None:
        if self._periods is None:
            self._periods = PeriodContext(self.body, self.doc.date, self.doc.title)
        return self._periods.at(pos)

    def subject(
        self, pos: int, counted: str | None, item: tuple[int, int] | None
    ) -> tuple[str | None, str | None]:
        if self._subjects is None:
            d = self.doc
            self._subjects = SubjectContext(self.body, d.title, d.source, d.site)
        return self._subjects.subject_at(pos, counted, item)

    def record(self, r: Row, sentence: str) -> dict:
        # a rate or change told of an earlier figure is about that figure's subject
        about = r.ref or r
        subject, zone_id = self.subject(
            about.q.start, about.metric if about.unit == "家" else None, about.item
        )
        period = bases.period_for(r, self.period(r.q.start))
        kind = r.kind
        if kind in ("level", "growth", "change") and bases.is_future(period, self.doc.date):
            kind = "target"
        return {
            "doc": self.doc.doc,
            "subject": subject,
            "zone_id": zone_id,
            "metric": r.metric,
            "indicator": r.indicator,
            "basis": r.basis,
            "value": _round(r.value),
            "unit": r.unit,
            "kind": kind,
            "period": period.text if period else None,
            "period_start": period.start if period else None,
            "period_end": period.end if period else None,
            "period_type": period.type if period else None,
            "approx": r.q.approx,
            "bound": r.q.bound,
            "text": r.q.text,
            "sentence": sentence,
            "start": r.q.start,
            "end": r.q.end,
        }


def _round(v: float) -> float | int:
    """12 significant digits, as written: 85.6亿 is 8560000000, not 8559999999.999999."""
    r = float(f"{v:.12g}")
    return int(r) if r == int(r) and abs(r) < 1e18 else r


_TOTAL_WORDS = re.compile(r"(?:总数|总量|总额|数量|累计|合计)$")


def _significant_digits(v: float) -> int:
    return len(f"{abs(v):.12g}".replace(".", "").strip("0"))


def _same_name(a: str, b: str, value: float = 0) -> bool:
    a, b = _TOTAL_WORDS.sub("", a) or a, _TOTAL_WORDS.sub("", b) or b
    if a == b or a in b or b in a:
        return True
    sa, sb = set(a), set(b)
    if len(sa & sb) >= 0.6 * len(sa | sb):
        return True  # a copy damaged by PDF extraction: 上新企报创龙头业 / 创新龙头企业
    n = 0
    while n < min(len(a), len(b)) and a[-1 - n] == b[-1 - n]:
        n += 1
    # 创新平台446家 and, in a second copy, 研发平台总数446家: a value of three or more significant
    # digits seldom belongs to two indicators of one document
    return n >= 3 or (n >= 2 and _significant_digits(value) >= 3)


def _same_period(a: str | None, b: str | None) -> bool:
    """Periods that may name the same figure: equal, one unknown, or within one year (an event's
    day, `2020-12-09`, and the year a later mention states, `2020`)."""
    return a is None or b is None or a[:4] == b[:4] and "/" not in a + b or a == b


def _one_sentence(a: dict, b: dict) -> bool:
    """Two figures of one sentence with two names are two facts, however alike the names
    (`20亿元企业、10亿元企业…分别不少于1家、1家`)."""
    return a["sentence"] == b["sentence"] and abs(a["start"] - b["start"]) < len(a["sentence"])


def _dedupe(records: list[dict]) -> list[dict]:
    """A figure repeated in one document (an abstract, a second copy) is one record: the first
    mention, with the period of a later one when only that one states it."""
    kept: list[dict] = []
    seen: dict[tuple, list[dict]] = {}
    for r in sorted(records, key=lambda r: r["start"]):
        same = seen.setdefault((r["value"], r["unit"], r["kind"]), [])
        first = next(
            (
                k
                for k in same
                if _same_name(r["metric"], k["metric"], r["value"])
                and _same_period(r["period"], k["period"])
                and (r["metric"] == k["metric"] or not _one_sentence(r, k))
            ),
            None,
        )
        if first is None:
            same.append(r)
            kept.append(r)
        elif first["period"] is None:
            for k in ("period", "period_start", "period_end", "period_type"):
                first[k] = r[k]
    return kept


METRICS_TRUNCATED = "metrics_truncated"  # document flag: its prose was read from its first part only


def metrics_part(body: str, budget: int) -> str:
    """The first BUDGET characters of BODY, ending at a paragraph or sentence end where one is near."""
    if budget <= 0 or len(body) <= budget:
        return body
    head = body[:budget]
    cut = max(head.rfind("\n"), head.rfind("。"))
    return head[: cut + 1] if cut >= budget * 0.9 else head


def extract_metrics(document: Document, max_chars: int = 0) -> list[dict]:
    """The metric records of one document, in the order of the text, then its tables'.

    With MAX_CHARS > 0 the prose is read from at most that many characters of the body (reading is
    the costly step on long dense pages) and a longer document gets the `metrics_truncated` flag;
    its tables are read whole, and every record's offsets stay those of the whole body.
    """
    body = metrics_part(document.body or "", max_chars)
    if body is not document.body:
        document.flags = sorted(set(document.flags) | {METRICS_TRUNCATED})
    prose = document if body is document.body else replace(document, body=body)
    records = _Reader(prose).run() if body.strip() else []
    return records + table_records(document)  # the figures of its tables, after the text's
