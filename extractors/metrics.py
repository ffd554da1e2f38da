"""Metric extraction: a clean document in, one record per dated figure out.

Each figure a researcher would put in a table (counts, money, growth rates, shares, ranks, areas,
percentage-point and rank changes, plan targets) becomes a record with its subject, indicator,
value in base units, period and source sentence (see the design's record format).
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from extractors import indicators as ind
from extractors.periods import PeriodContext, year_spans
from extractors.quantities import Quantity, find_figures
from extractors.records import Document
from extractors.zones import SubjectContext

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

_GROWTH = re.compile(
    r"(?:同比|比上年|较上年|比去年|较去年|环比|年均|平均|分别|增幅|降幅)*"
    r"(?P<verb>增长|增加|上升|提高|提升|上涨|增幅|增速|涨幅|加快|回升|扩大|下降|减少|降低|下滑|回落|下跌|降幅|减幅|"
    r"收窄|放缓|缩小)"
    r"(?:了|率)?(?:分别)?(?:为|达到|达|是)?$"
)
_DOWN = re.compile(r"下降|减少|降低|下滑|回落|下跌|降幅|减幅|收窄|放缓|缩小|后退|后移|下移")
_RANK_VERB = re.compile(
    r"排名|排在|排|位列|位居|稳居|名列|跃居|跃升至|跃升|上升至|提升至|升至|下降至|降至|居|列"
)
_RANK_MOVE = re.compile(r"(?:上升|提升|前进|前移|上移|提高|跃升|进位|下降|后退|后移|下滑|回落|下移)了?$")
_TARGET = re.compile(
    r"力争|目标|争取|确保|计划(?=[到在于用新完实培引达])|预计|规划到|拟|有望|预期|将(?:新|培育|引进|建成|建设|实现|达到|突破|新增)"
    r"|(?:^|[，,；;：:\s])到(20\d\d)年"
)
_DONE = re.compile(r"了|已")
_COMPARED = re.compile(r"(?:高于|低于|快于|慢于|领先|落后|超出)[^，,；;]*$")
_INCENTIVE_BEFORE = re.compile(r"(?:给予|最高)(?:不超过)?$")
_INCENTIVE_AFTER = re.compile(r"(?:的)?(?:给予|奖励|补助|补贴|资助|奖补)")
_QUALIFIES = re.compile(r"的?(?!同比|增长|下降|占|比|较|为|是|左右)[\u4e00-\u9fff]")
_NEW_LEVEL = re.compile(
    r"(?:增|增加|增长|提高|提升|上升|升|扩大|下降|降|减少|缩小|跃升|攀升)(?:到|至)(?:\d{4}年(?:的)?)?|达到"
)
_LIST_SEPARATORS = {"、", "和", "及", "与"}
_GENERIC = {"总数", "总量", "累计", "合计", "共计", "总计", "数量", "总额", "规模", "累计达到"}
_SHARE = re.compile(r"占(?!地)|比重|占比|比例")
_OPEN_QUOTES = "“\"'‘「『《"
_NUMERAL_NEXT = set("一二三四五六七八九十两")


@dataclass
class _Row:
    q: Quantity
    kind: str
    unit: str
    value: float
    metric: str


_SENTENCE_END = re.compile("[。!?！？]")


class _Spans:
    """Sorted, non-overlapping spans; tells whether a figure lies inside one (a date, a year)."""

    def __init__(self, spans: list[tuple[int, int]]) -> None:
        self.spans = sorted(spans)
        self.starts = [s for s, _ in self.spans]

    def overlaps(self, start: int, end: int) -> bool:
        i = bisect.bisect_right(self.starts, end - 1) - 1
        return i >= 0 and self.spans[i][1] > start


def _not_a_figure(body: str, q: Quantity) -> bool:
    """Names and labels that contain numbers: “1264”发展战略, 四个一, 三个代表, 第五条."""
    prev = body[q.start - 1] if q.start else ""
    nxt = body[q.end] if q.end < len(body) else ""
    return bool(prev and prev in _OPEN_QUOTES) or (nxt in _NUMERAL_NEXT and q.chinese)


def _base_unit(q: Quantity, name: str) -> tuple[str, float] | None:
    """The record's unit and value in base units, or None when the figure is not a metric."""
    if q.unit in CURRENCIES:
        return CURRENCIES[q.unit], q.value
    if q.unit in COUNT_UNITS or q.unit in MEASURE_UNITS or q.unit in ("%", "个百分点", "位"):
        return q.unit, q.value
    if q.unit == "" and q.scale > 1 and ind.is_money(name):
        return "元", q.value  # 技术合同交易额达到16.8亿: 元 is implied
    return None


class _Reader:
    def __init__(self, document: Document) -> None:
        self.doc = document
        self.body = document.body or ""
        # sentence ends as newlines: one pass, then find/rfind around each figure
        self.lines = _SENTENCE_END.sub("\n", self.body)  # far faster than str.translate
        self._periods = self._subjects = None
        self._dates: dict[int, _Spans] = {}
        date = document.date or ""
        self.year = int(date[:4]) if date[:4].isdigit() else None

    def sentence_at(self, pos: int) -> tuple[int, int]:
        start = self.lines.rfind("\n", 0, pos) + 1
        end = self.lines.find("\n", pos)
        if end < 0:
            end = len(self.body)
        elif self.body[end] != "\n":
            end += 1  # the sentence keeps its 。
        return start, end

    def in_date(self, q: Quantity, start: int, end: int) -> bool:
        """Whether a figure without a unit lies in a date or year (`2021.12`, `〔2020〕`).

        Read per sentence and only when asked: most figures carry a unit and need no look."""
        spans = self._dates.get(start)
        if spans is None:
            found = year_spans(self.body[start:end])
            spans = self._dates[start] = _Spans([(a + start, b + start) for a, b in found])
        return spans.overlaps(q.start, q.end)

    def period(self, pos: int) -> str | None:
        if self._periods is None:
            self._periods = PeriodContext(self.body, self.doc.date)
        return self._periods.period_at(pos)

    def subject(self, pos: int, counted: str | None) -> tuple[str | None, str | None]:
        if self._subjects is None:
            d = self.doc
            self._subjects = SubjectContext(self.body, d.title, d.source, d.site)
        return self._subjects.subject_at(pos, counted)

    def run(self) -> list[dict]:
        body = self.body
        records: list[dict] = []
        group: list[Quantity] = []
        start = end = -1
        for q in find_figures(body, _WRITTEN_UNITS):
            if not q.unit and q.scale == 1.0 and not q.fraction and not q.ordinal:
                continue  # a bare number (a code, a list number, a year) is never a metric
            if q.start >= end:
                if group:
                    records.extend(self.sentence(start, end, group))
                start, end = self.sentence_at(q.start)
                group = []
            if _not_a_figure(body, q) or (not q.unit and self.in_date(q, start, end)):
                continue
            group.append(q)
        if group:
            records.extend(self.sentence(start, end, group))
        return _dedupe(records)

    def sentence(self, s_start: int, s_end: int, qs: list[Quantity]) -> list[dict]:
        body = self.body
        rows: list[_Row] = []
        levels: list[_Row] = []  # figures a later 同比增长/占/分别 refers back to
        run_clause = ""
        prev_q = None
        prev_end = s_start
        for q, (run_pos, run_len) in zip(qs, _runs(body, qs)):
            # the words for a figure start after the figure before it: 从12万人增至39.5万人
            left, prev_end = body[prev_end : q.start], q.end
            right = body[q.end : min(s_end, q.end + 48)]
            clause = ind.left_clause(left)
            if run_pos == 0:
                run_clause = ind.list_clause(left) if run_len > 1 else clause
            if rows and rows[-1].q.unit == q.unit and _NEW_LEVEL.fullmatch(ind.tidy(clause)):
                # 从12万人增至39.5万人, 由31.8%上升到84.6%: the same indicator, a later value
                prev = rows[-1]
                value = q.value * 100 if q.fraction else q.value
                row = _Row(q, prev.kind, prev.unit, value, prev.metric)
            else:
                row = self.classify(q, clause, right, levels)
            follows, prev_q = prev_q, q
            if row is None:
                continue
            if run_pos and rows and rows[-1].q is follows:
                # 同比分别增长20.32%、47.12%: a list item takes the kind and sign of the first
                row.kind, row.metric = rows[-1].kind, ""
                if rows[-1].value < 0 < row.value:
                    row.value = -row.value
            if run_len > 1:
                row.metric = _from_list(levels, row, run_clause, run_pos, run_len) or row.metric
            if not row.metric and row.kind in ("growth", "share", "change", "target"):
                row.metric = _refers_to(row, rows, levels) or ("排名" if row.unit == "位" else "")
            if not row.metric:
                continue
            rows.append(row)
            if row.kind in ("level", "target") and row.unit != "%":
                levels.append(row)
        sentence = body[s_start:s_end].strip()
        out = []
        for r in rows:
            subject, zone_id = self.subject(r.q.start, r.metric if r.unit == "家" else None)
            out.append(
                {
                    "doc": self.doc.doc,
                    "subject": subject,
                    "zone_id": zone_id,
                    "metric": r.metric,
                    "value": _round(r.value),
                    "unit": r.unit,
                    "kind": r.kind,
                    "period": self.period(r.q.start),
                    "approx": r.q.approx,
                    "bound": r.q.bound,
                    "text": r.q.text,
                    "sentence": sentence,
                    "start": r.q.start,
                    "end": r.q.end,
                }
            )
        return out

    def classify(self, q: Quantity, clause: str, right: str, levels: list[_Row]) -> _Row | None:
        tail = ind.QUOTES.sub("", ind.SPACE_NEAR_CJK.sub("", clause))
        # a rank: 排名上升至第13位, 居全国第5, 位列全市第一
        if q.ordinal:
            nxt = self.body[q.end : q.end + 1]
            if q.unit not in ("", "位", "名") or not _RANK_VERB.search(tail):
                return None
            if not q.unit and nxt and "\u4e00" <= nxt <= "\u9fff" and nxt != "的":
                return None  # 第三产业, 第一大产业: an ordinal inside a name
            name = _rank_name(tail)
            if name == "排名":
                name = _ranking_of(self.body[max(0, q.start - 60) : q.start]) or name
            if name == "排名" and levels:
                name = levels[-1].metric + "排名"  # 经济总量18万亿美元,稳居世界第二位
            return _Row(q, "rank", "位", q.value, name)
        if q.unit == "位" and tail.endswith("前"):
            return None  # 进入全国前30位的: a threshold in a rule, not a figure
        if q.unit == "位" and _RANK_MOVE.search(tail):  # 上升3个位次
            value = -abs(q.value) if _DOWN.search(tail[-4:]) else q.value
            base = ind.clean_name(_RANK_MOVE.sub("", tail))
            return _Row(q, "change", "位", value, _rank_name(base) if base else "")
        if q.chinese and not q.fraction and q.unit != "%" and abs(q.value) <= 10:
            return None  # 两篇文章, 三个代表, 五好: small Chinese numerals are words, not statistics
        if q.fraction or q.unit == "%":
            return self.ratio(q, clause, tail, right, levels)
        if q.unit == "个百分点":
            if _COMPARED.search(tail):
                return None  # 高于全市平均水平1.2个百分点: a gap to another's figure, not a change
            g = _GROWTH.search(tail)
            value = -abs(q.value) if g and _DOWN.search(g.group("verb")) else q.value
            name = ind.clean_name(tail[: g.start()]) if g else ind.clean_name(tail)
            return _Row(q, "change", "个百分点", value, name)
        name = ""
        if q.unit not in CURRENCIES:
            # the counted noun right after the measure word wins: 46家国家及省级高新区, 5项一级指标
            name = ind.right_name(right, org=q.unit == "家")
        if not name:
            name = ind.clean_name(clause)
        base = _base_unit(q, name)
        if base is None:
            return None
        if (
            q.unit not in COUNT_UNITS
            and q.bound
            and (right.startswith("的") or q.text.endswith(("以上", "以下")) and _QUALIFIES.match(right))
        ):
            return None  # 投资10亿元以上项目9个, 研发投入超过1000万元的: a threshold, not a figure
        if _INCENTIVE_BEFORE.search(tail) or _INCENTIVE_AFTER.match(right):
            return None  # 给予20万元奖励, 最高不超过200万元: a policy's rule, not a statistic
        unit, value = base
        if not name:
            name = ind.right_name(right)
        if (not name or name in _GENERIC) and levels:
            name = levels[-1].metric  # 新增上市企业2家，累计达到26家 / 总数达到1687家
        kind = "target" if _is_target(q, self.body, q.start, self.year) else "level"
        return _Row(q, kind, unit, value, name)

    def ratio(self, q: Quantity, clause: str, tail: str, right: str, levels: list[_Row]) -> _Row | None:
        if _INCENTIVE_AFTER.match(right):
            return None  # 按增量的10%给予补助: a policy's rule
        value = q.value * 100 if q.fraction else q.value
        g = _GROWTH.search(tail)
        if g and not q.fraction:
            value = -abs(value) if _DOWN.search(g.group("verb")) else value
            kind = "target" if _is_target(q, self.body, q.start, self.year) else "growth"
            return _Row(q, kind, "%", value, ind.clean_name(tail[: g.start()]))
        after = ind.QUOTES.sub("", right.lstrip())
        if after.startswith("的"):
            name = ind.right_name(after[1:])
            if name:  # 43.77%的技工贸总收入, 全省75%的科创板上市企业
                return _Row(q, "share", "%", value, name)
        if _SHARE.search(tail) or q.fraction:
            name = ind.before_share(tail) if "占" in tail else ind.clean_name(tail)
            if not name and levels:
                name = levels[-1].metric
            if not name:
                name = ind.share_whole(tail)
            return _Row(q, "share", "%", value, name)
        if ind.verb_final(clause):
            name = ind.right_name(after)
            if name:  # 九成以上企业为民营企业
                return _Row(q, "share", "%", value, name)
        kind = "target" if _is_target(q, self.body, q.start, self.year) else "level"
        return _Row(q, kind, "%", value, ind.clean_name(tail))


def _refers_to(row: _Row, rows: list[_Row], levels: list[_Row]) -> str:
    """The indicator a bare rate or change refers back to: 同比增长14.60%, 较上年上升3个位次."""
    if row.unit == "位":
        earlier = [r for r in rows if r.kind == "rank"]
    elif row.unit == "个百分点":
        earlier = [r for r in rows if r.unit == "%"]
    else:
        earlier = levels
    return earlier[-1].metric if earlier else ""


def _from_list(levels: list[_Row], row: _Row, run_clause: str, pos: int, n: int) -> str:
    """`分别` lists: the i-th figure of a list belongs to the i-th indicator named before 分别, or
    else to the i-th of the last figures before it (`4399家、4424家,同比分别增长20.32%、47.12%`)."""
    if "分别" not in run_clause:
        return ""
    before = run_clause.split("分别")[0]
    for sep in (r"[、]", r"[、和及与]"):
        names = [x for x in ind.split_list(before, sep) if x]
        if len(names) == n:
            return names[pos]
    if row.kind in ("growth", "share", "change") and len(levels) >= n:
        return levels[len(levels) - n + pos].metric
    return ""


_RANKING = re.compile(r"([\u4e00-\u9fff]{2,10}?(?:评价|考核|评估|排行榜|榜单|排名))中")


def _ranking_of(before: str) -> str:
    """`在国家高新区综合评价中，…位列第46位` -> `综合评价排名`."""
    found = _RANKING.findall(before)
    name = ind.clean_name(found[-1]) if found else ""
    return name if name.endswith("排名") else name + "排名" if name else ""


def _rank_name(tail: str) -> str:
    """`综合评价中排名上升至` -> `综合评价排名`; a bare `位列全市` -> `排名`."""
    m = _RANK_VERB.search(tail)
    base = tail[: m.start()] if m else tail
    base = re.sub(r"(?:中|上|里)$", "", re.split(r"[在于的从到由]", base)[-1])
    ranked = "排名" in tail or _EVALUATION.search(base)
    base = ind.clean_name(base)[-10:]
    if ind.ZONE_WORD.search(base[-3:]):
        base = ""  # 洛阳高新区位列第46位: the subject, not the indicator
    if base.endswith("排名"):
        return base
    return base + "排名" if base and ranked else base or "排名"


# A ranking's name: 综合评价中位列第28位 -> 综合排名
_EVALUATION = re.compile(r"(?:评价|考核|评估|评比|排行榜?|榜单)$")


def _is_target(q: Quantity, body: str, pos: int, year: int | None) -> bool:
    """A plan or goal: 力争, 目标, 不少于, or `到2025年` when that year is still to come."""
    if q.text.startswith(("不少于", "不低于", "至少")):
        return True
    start = max(0, pos - 60)
    line_start = body.rfind("\n", start, pos)
    window = body[max(start, line_start + 1) : pos]
    cut = max(window.rfind("。"), window.rfind(";"), window.rfind("；"))
    for m in _TARGET.finditer(window, cut + 1):
        if _DONE.search(window, m.end()):
            continue  # 目标任务…实现了: a goal reported as reached
        if m.group(1) is None or year is None or int(m.group(1)) > year:
            return True
    return False


def _runs(body: str, qs: list[Quantity]) -> list[tuple[int, int]]:
    """Position and length of each figure in a list run (`20.32%、47.12%`)."""
    out: list[tuple[int, int]] = []
    run_start = 0
    for i, q in enumerate(qs):
        if not (i and qs[i - 1].unit == q.unit and body[qs[i - 1].end : q.start].strip() in _LIST_SEPARATORS):
            run_start = i
        out.append((i - run_start, 0))
    # second pass: fill in lengths
    i = 0
    res = list(out)
    while i < len(out):
        j = i + 1
        while j < len(out) and out[j][0] > 0:
            j += 1
        for k in range(i, j):
            res[k] = (out[k][0], j - i)
        i = j
    return res


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
                if _same_name(r["metric"], k["metric"], r["value"]) and _same_period(r["period"], k["period"])
            ),
            None,
        )
        if first is None:
            same.append(r)
            kept.append(r)
        elif first["period"] is None:
            first["period"] = r["period"]
    return kept


def extract_metrics(document: Document) -> list[dict]:
    """The metric records of one document, in the order of the text."""
    if not document.body or not document.body.strip():
        return []
    return _Reader(document).run()
