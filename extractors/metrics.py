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
    r"(?:同比|比上年|较上年|比去年|较去年|环比|年均|(?:[两三四五\d]年)?平均|分别|增幅|降幅|名义|实际)*"
    r"(?P<verb>增长|增加|上升|提高|提升|上涨|增幅|增速|涨幅|加快|回升|扩大|下降|减少|降低|下滑|回落|下跌|降幅|减幅|"
    r"收窄|放缓|缩小|比增|比降|同增|同降)"
    r"(?:了|率)?(?:分别)?(?:为|达到|达|是)?$"
)
_DOWN = re.compile(r"下降|减少|降低|下滑|回落|下跌|降幅|减幅|收窄|放缓|缩小|后退|后移|下移|比降|同降")
_RANK_VERB = re.compile(
    r"排名|排位|排在|排|位列|位居|稳居|名列|跃居|跃升至|跃升|上升至|提升至|升至|下降至|降至|跻身|保持|达到|居|列"
)
_RANK_MOVE = re.compile(
    r"(?:上升|提升|前进|前移|上移|提高|跃升|进位|晋位|晋升|下降|后退|后移|下滑|回落|下移)了?(?:达到|达)?$"
)
# a rank with no verb: 初创型企业49家，全国第一
_BARE_RANK = re.compile(r"^(?:全国|全省|全市|全球|全区|世界)$")
_PRIOR_RANK = re.compile(r"(?:较|比|由|从)(?:上年度?|去年|上一年度?|上届)$")
_PARK_END = re.compile(r"(?:高新区|开发区|经开区|园区|新区|产业园|自创区|自贸区|示范区)$")
_QUALIFIER = re.compile(r"^(?:国家级|省级|市级|区级|县级)")
_ACTION_END = re.compile(r"(?:新增|净增|新建|建成|引进|培育|认定|获批|签约|实现|完成)了?$")
_ZONE_ONLY = re.compile(r"(?:[\u4e00-\u9fff]{0,6}?)(?:国家级?|省级|市级)?(?:高新区|开发区|经开区|新区)")
# a change of a count, written against a base: 较上年增长3家, 比去年同期增加了72个
_DELTA = re.compile(
    r"(?:较|比|与)(?:上年|去年|\d{4}年)?(?:同期)?(?:相比)?(?:增长|增加|减少|下降|净增|增)了?|净增|净减|净增加"
)
_GENERIC_RANK = {"排名", "数量", "总数", "总量", "规模", "数量排名", "总量排名"}
_TARGET = re.compile(
    r"力争|目标|争取|确保|计划(?=[到在于用新完实培引达])|预计|规划到|拟|有望|预期|将(?:新|培育|引进|建成|建设|实现|达到|突破|新增)"
    r"|(?:^|[，,；;：:\s])到(20\d\d)年"
)
_DONE = re.compile(r"了|已")
_PLAN = re.compile(r"(?:^|[，,；;：:\s。])到(20\d\d)年|目标(?:任务)?(?:是|为)?[:：]")
_COMPARED = re.compile(r"(?:高于|低于|快于|慢于|领先|落后|超出)[^，,；;]*$")
_INCENTIVE_BEFORE = re.compile(r"(?:给予|最高)(?:不超过)?$")
_INCENTIVE_AFTER = re.compile(r"(?:的)?(?:给予|奖励|补助|补贴|资助|奖补)")
_QUALIFIES = re.compile(r"的?(?!同比|增长|下降|占|比|较|为|是|左右)[\u4e00-\u9fff]")
_NEW_LEVEL = re.compile(
    r"(?:增|增加|增长|提高|提升|上升|升|扩大|下降|降|减少|缩小|跃升|攀升)(?:到|至)(?:\d{4}年(?:的)?)?|达到"
)
_IN_WHOLE = re.compile(r"在[\u4e00-\u9fff]{1,12}中的?(?:占比|比重|比例)")
_NEXT_WHOLE = re.compile(r"[和及与、][\u4e00-\u9fff]{1,8}的")
_SCOPE_END = re.compile(r"(?:^|[了有])(?:全国|全省|全市|全球|全区|全行业)$")
_CHANGE_START = re.compile(r"(?:提升|提高|上升|增长|增加|下降|降低|减少|扩大|缩小|升|增|降)(?:到|至)?")
_LIST_SEPARATORS = {"、", "和", "及", "与"}
_GENERIC = {"总数", "总量", "累计", "合计", "共计", "总计", "数量", "总额", "规模", "累计达到"}
_SHARE = re.compile(r"占(?!地)|比重|占比|比例")
_OPEN_QUOTES = "“\"'‘「『《"
_NUMERAL_NEXT = set("一二三四五六七八九十两")
# what follows a bounded or ranged figure that makes it the class of what is counted
_CLASS_COUNTED = re.compile(r"的[\u4e00-\u9fff]{1,10}?(?:共有|共|有|达到|达|为)\s*[\d一二三四五六七八九十两]")
_CLASS_OF = re.compile(r"的[\u4e00-\u9fff]{0,10}?(?:企业|公司|项目|园区|单位)")
_LETTERS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")
_SIZE_CLASS = ("企业", "级企业", "项目", "级项目", "俱乐部")


@dataclass
class _Row:
    q: Quantity
    kind: str
    unit: str
    value: float
    metric: str
    run: int = -1  # where the list run this figure belongs to starts (`20.32%、47.12%`)
    item: tuple[int, int] | None = None  # (position, length) in that run


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

    def subject(
        self, pos: int, counted: str | None, item: tuple[int, int] | None
    ) -> tuple[str | None, str | None]:
        if self._subjects is None:
            d = self.doc
            self._subjects = SubjectContext(self.body, d.title, d.source, d.site)
        return self._subjects.subject_at(pos, counted, item)

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
        self._s_start, self._s_end, self._plans = s_start, s_end, None
        rows: list[_Row] = []
        self._rows = rows
        levels: list[_Row] = []  # figures a later 同比增长/占/分别 refers back to
        run_clause = ""
        run_names: list[str] = []
        dropped: tuple[Quantity | None, str] = (None, "")
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
                last = rows[-1] if rows else None
                cont = last is not None and last.kind == "rank" and left[:1] in "、和及与，,"
                row = self.classify(q, clause, right, levels, last if cont else None)
            follows, prev_q = prev_q, q
            if row is None:
                dropped = (q, clause)
                continue
            if run_pos and rows and rows[-1].q is follows:
                # 同比分别增长20.32%、47.12%: a list item takes the kind and sign of the first
                row.kind, row.metric = rows[-1].kind, ""
                if rows[-1].value < 0 < row.value:
                    row.value = -row.value
            if run_len > 1:
                if run_pos == 0:
                    run_names = _from_list(levels, rows, row, run_clause, left, run_len)
                row.run = q.start if run_pos == 0 else rows[-1].run if rows else -1
                row.item = (run_pos, run_len)
                if run_names:
                    row.metric = run_names[run_pos] or row.metric
            if not row.metric and row.kind in ("growth", "share") and dropped[0] is follows:
                # 用电量6.42亿度，同比增长39.2%: the amount is not a figure we keep, its name still is
                row.metric = ind.clean_name(dropped[1])
            if not row.metric and row.kind in ("growth", "share", "change", "target", "rank"):
                row.metric = _refers_to(row, rows, levels) or ("排名" if row.unit == "位" else "")
            if row.unit == "个百分点" and row.metric in ("占比", "比重"):
                shares = [r for r in rows if r.kind == "share"]
                if shares:  # 占全国比重为9.80%，占比较上半年提升0.2个百分点
                    row.metric = shares[-1].metric + row.metric
            if not row.metric:
                continue
            rows.append(row)
            if row.kind in ("level", "target") and row.unit != "%":
                levels.append(row)
        sentence = body[s_start:s_end].strip()
        out = []
        for r in rows:
            subject, zone_id = self.subject(r.q.start, r.metric if r.unit == "家" else None, r.item)
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

    def _ranked(self, q: Quantity, tail: str, right: str) -> bool:
        """A place in a ranking written without 第: `排名分别是：长沙高新区33名`, `在20名的基础上提升3位`."""
        if right.startswith("的基础上"):
            return True
        named = ind.tidy(tail)
        return bool(_PARK_END.search(named)) and "排名" in self.body[self._s_start : q.start]

    def classify(
        self, q: Quantity, clause: str, right: str, levels: list[_Row], rank: _Row | None = None
    ) -> _Row | None:
        """One figure as a row; RANK is the rank row a list of ranks continues (`第9位、…第13位`)."""
        tail = ind.QUOTES.sub("", ind.SPACE_NEAR_CJK.sub("", clause))
        # a rank: 排名上升至第13位, 居全国第5, 位列全市第一
        if q.ordinal:
            if q.unit not in ("", "位", "名"):
                return None
            if rank is not None:
                tail = tail.lstrip("、和及与，,")
            if not _RANK_VERB.search(tail) and rank is None and not _BARE_RANK.search(tail):
                wide = ind.left_clause(self.body[max(self._s_start, q.start - 80) : q.start])
                if not _RANK_VERB.search(ind.tidy(wide)):
                    return None
                # 位居全国146个高新区第三位: the verb is before the count of peers, which names nothing
                tail, peers = "", q.start - len(wide)
                levels = [r for r in levels if r.q.end <= peers]
            if _PRIOR_RANK.search(tail) and rank is not None:
                return _Row(q, "rank", "位", q.value, rank.metric)  # 较上年度第11位
            name = _rank_name(tail)
            if rank is not None and not _RANK_VERB.search(tail):
                # 分别列第17位、第37位, 排名第16名，株洲第28名: the list shares its ranking, unless an
                # item names its own (…第9位、全国数字经济百强市第13位)
                board = _board(tail) if _BOARD_WORD.search(tail) else ""
                name = board or rank.metric
            elif rank is not None and name == "排名":
                name = rank.metric
            if name == "排名":
                name = _ranking_of(self.body[max(0, q.start - 60) : q.start]) or name
            if name in _GENERIC_RANK and levels:
                name = levels[-1].metric + "排名"  # 经济总量18万亿美元,稳居世界第二位; 数量居全国第二位
            return _Row(q, "rank", "位", q.value, name)
        if q.unit in ("位", "名", "强") and tail.endswith("前"):
            return None  # 进入全国前30位的, 位列综合评价前50名: a threshold, not a figure
        if q.unit in COUNT_UNITS and q.value != int(q.value) and q.scale == 1:
            return None  # 3.2个、10.8个百分点: a count is whole; this is a misread rate
        if q.unit in ("位", "名") and _RANK_MOVE.search(tail):  # 上升3个位次, 晋位20名
            if q.bound:
                return None  # 晋升8名以上为显著提升: a threshold in a rule
            value = -abs(q.value) if _DOWN.search(tail[-6:]) else q.value
            base = ind.clean_name(_RANK_MOVE.sub("", tail))
            name = _rank_name(base) if base else ""
            return _Row(q, "change", "位", value, "" if ind.ZONE_WORD.search(name[-3:]) else name)
        if q.unit == "名" and self._ranked(q, tail, right):
            return _Row(q, "rank", "位", q.value, "排名")  # 排名分别是:长沙高新区33名; 在20名的基础上
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
            name = ind.right_name(right, org=q.unit in COUNT_UNITS)
        if not name:
            name = ind.clean_name(clause)
            zone = _ZONE_ONLY.fullmatch(name) and (q.unit not in COUNT_UNITS or _ACTION_END.search(tail))
            if len(name) < 2 or zone:
                # 仍有19个…, 国家高新区新增10个, 国家高新区7831.36亿元: a subject or a stray word names
                # nothing (国家高新区8家, 国家高新区共有178家 count the zones)
                name = ""
            elif q.unit in CURRENCIES and "新增" + name in tail:
                name = "新增" + name  # 新增产值282.8亿元 is not the 产值 beside it
        base = _base_unit(q, name)
        if base is None:
            return None
        if (
            q.unit not in COUNT_UNITS
            and q.bound
            and (right.startswith("的") or q.text.endswith(("以上", "以下")) and _QUALIFIES.match(right))
        ):
            return None  # 投资10亿元以上项目9个, 研发投入超过1000万元的: a threshold, not a figure
        if (q.bound or q.high is not None) and (
            _CLASS_COUNTED.match(right) or q.unit not in COUNT_UNITS and _CLASS_OF.match(right)
        ):
            return None  # 超过300家的园区共有65个, 年产值20至30亿元的企业: a class, not a figure
        if _INCENTIVE_BEFORE.search(tail) or _INCENTIVE_AFTER.match(right):
            return None  # 给予20万元奖励, 最高不超过200万元: a policy's rule, not a statistic
        unit, value = base
        if not name:
            name = ind.right_name(right) or ind.became(right)  # 其中55家成为“千亿俱乐部”成员
        same = [r for r in levels if r.unit == unit]  # 55家 cannot be the 营业总收入 before it
        if same and _QUALIFIER.fullmatch(name):
            # 新增省级两化融合示范企业4家、市级19家: the list item names only another level
            name += _QUALIFIER.sub("", same[-1].metric, count=1)
        if same and _DELTA.fullmatch(tail.strip()):
            name = same[-1].metric  # 企业6家，较上年增长3家: the change of the count before it
        owned = ind.total_of(clause) if name in _GENERIC else ""
        if owned:
            name = owned  # 目前国家高新区总数已达114家, 试点高新区数量达到9家
        elif (not name or name in _GENERIC) and same:
            name = same[-1].metric  # 新增上市企业2家，累计达到26家 / 总数达到1687家
        if not name:
            name = ind.stated_before(self.body[self._s_start : q.start - len(clause)])
        kind = "target" if self.target(q) else "level"
        return _Row(q, kind, unit, value, name)

    def target(self, q: Quantity, near: bool = True) -> bool:
        """A plan's year or a list of goals (`到2027年，…`, `主要预期目标是：`) before the figure in its
        sentence, unless a 了/已 between reports it reached; and with NEAR, the words just before it
        (_is_target), which shares do not use (预期寿命…文盲率80% is no plan)."""
        if self._plans is None:
            start, text = self._s_start, self.body[self._s_start : self._s_end]
            year = self.year
            self._plans = (
                [
                    start + m.end()
                    for m in _PLAN.finditer(text)
                    if m.group(1) is None or year is None or int(m.group(1)) > year
                ]
                if "到" in text or "目标" in text
                else []
            )
            self._done = [start + m.start() for m in _DONE.finditer(text)] if self._plans else []
        for end in self._plans:
            if end <= q.start and not any(end <= d < q.start for d in self._done):
                return True
        return near and _is_target(q, self.body, q.start, self.year)

    def ratio(self, q: Quantity, clause: str, tail: str, right: str, levels: list[_Row]) -> _Row | None:
        if _INCENTIVE_AFTER.match(right):
            return None  # 按增量的10%给予补助: a policy's rule
        value = q.value * 100 if q.fraction else q.value
        last = self._rows[-1] if self._rows else None
        if (
            last is not None
            and last.kind in ("share", "target")
            and last.unit == "%"
            and _NEXT_WHOLE.fullmatch(tail)
        ):
            return _Row(q, last.kind, "%", value, last.metric)  # 分别占到全省的10.2%和全市的28.3%
        g = _GROWTH.search(tail)
        if g and not q.fraction:
            value = -abs(value) if _DOWN.search(g.group("verb")) else value
            kind = "target" if self.target(q) else "growth"
            return _Row(q, kind, "%", value, ind.clean_name(tail[: g.start()]))
        after = ind.QUOTES.sub("", right.lstrip())
        if after.startswith("的"):
            name = ind.right_name(after[1:])
            if name:  # 43.77%的技工贸总收入, 全省75%的科创板上市企业
                return _Row(q, "target" if self.target(q, near=False) else "share", "%", value, name)
        if _SHARE.search(tail) or q.fraction:
            name = ind.before_share(tail) if "占" in tail else ind.clean_name(tail)
            if _IN_WHOLE.match(ind.tidy(tail)) or name in ("比重", "占比", "比例", "份额"):
                name = ""  # 在工业投资中的占比为42.2%, 全市比重61.1%: the whole, not what it is a share of
            if not name and levels:
                name = levels[-1].metric
            if not name:
                name = ind.share_whole(tail)
            return _Row(q, "target" if self.target(q, near=False) else "share", "%", value, name)
        if _SCOPE_END.search(tail):
            name = ind.right_name(after)
            if name:  # 集聚了全国50%以上高新技术企业
                return _Row(q, "target" if self.target(q, near=False) else "share", "%", value, name)
        if ind.verb_final(clause) and not _CHANGE_START.match(after):
            name = ind.right_name(after)
            if name:  # 九成以上企业为民营企业 (not 从2020年的2.73%提升至3.35%)
                return _Row(q, "target" if self.target(q, near=False) else "share", "%", value, name)
        kind = "target" if self.target(q) else "level"
        return _Row(q, kind, "%", value, ind.clean_name(tail))


def _refers_to(row: _Row, rows: list[_Row], levels: list[_Row]) -> str:
    """The indicator a bare rate or change refers back to: 同比增长14.60%, 较上年上升3个位次."""
    if row.unit == "位":
        earlier = [r for r in rows if r.kind == "rank"]
    elif row.unit == "个百分点":
        earlier = [r for r in rows if r.unit == "%"]
    else:
        # 同比增长23.5%，两年平均增长14.8%: with no amount before it, a rate repeats the last rate's
        earlier = levels or [r for r in rows if r.kind == row.kind == "growth"]
    return earlier[-1].metric if earlier else ""


def _from_list(
    levels: list[_Row], rows: list[_Row], row: _Row, run_clause: str, left: str, n: int
) -> list[str]:
    """The indicators of the N figures of a list run, in order, or [].

    `分别` lists give the i-th figure to the i-th indicator named before 分别 (`高新技术企业和科技型中小企业
    分别为…`), or in the clause before (`…新材料技术…领跑前三，其产值分别为…`), or else to the i-th of the
    last run or figures before it (`4399家、4424家,同比分别增长20.32%、47.12%`); a run of rates with no
    name of its own does the same without 分别 (`…12172.4亿元，年均增长16.05%、20.8%`)."""
    rate = row.kind in ("growth", "share", "change")
    if "分别" in run_clause:
        head = run_clause.split("分别")[0]
        names = _list_names(head, n, row.kind)
        m = _ITS.fullmatch(ind.tidy(head))
        if not names and m:
            prev = re.split(r"[,，;；:：。]", ind.PAREN.sub("", left[-120:]))[:-1]
            indicator = ind.clean_name(m.group(1)) if m.group(1) else ""
            items = _list_names(_PREDICATE.sub("", prev[-1]), n, row.kind) if prev else []
            names = [x if x.endswith(indicator) else x + indicator for x in items]
        if names:
            return names
    elif row.metric:
        return []  # a run without 分别 that names its own indicator
    if not rate:
        return []
    earlier = [r for r in rows if r.run >= 0 and r.run == rows[-1].run] if rows else []
    if len(earlier) == n:
        return [r.metric for r in earlier]  # 增幅分别为…，占规上工业的比重分别为…
    # without 分别, only n figures of n different indicators make a list to follow
    if len(levels) >= n and ("分别" in run_clause or len({r.metric for r in levels[-n:]}) == n):
        return [r.metric for r in levels[-n:]]
    return []


# 其产值分别为 / 分别超过: the items of the list are in the clause before
_ITS = re.compile(
    r"(?:其|它们的?|两者|二者|三者|全区|全市|全省)?(?!同比|比|较|环比|年均)([\u4e00-\u9fff]{0,6})"
)
# what ends a list of items named before a predicate: 生物与新医药技术领跑前三, 科技型企业在2022年的基础上…
_PREDICATE = re.compile(r"(?:领跑|领先|位居|位列|名列|分列|均|都|在|于|实现|保持|占).*$")
_RATE_WORD = re.compile(r"的?(?:增幅|增速|增长率|涨幅|降幅|增长|下降)$")


def _list_names(head: str, n: int, kind: str) -> list[str]:
    """The N names of a list (`高新技术企业、科技型中小企业和瞪羚企业`), or []."""
    for sep in (r"[、]", r"[、和及与]"):
        parts = [p for p in re.split(sep, head) if p]
        if len(parts) != n:
            continue
        if kind == "growth":
            parts = [_RATE_WORD.sub("", p) for p in parts]  # 电子及通讯设备业的增幅 -> 电子及通讯设备业
        names = [ind.clean_name(p) for p in parts]
        short, last = names[:-1], names[-1]
        if (
            short[0]
            and len({len(x) for x in short}) == 1
            and len(short[0]) <= 3
            and len(last) - len(short[0]) >= 4
        ):
            # 苏南、苏中、苏北高新技术产业产值: places that share the indicator the last one carries
            names = [last[len(short[0]) :]] * n
        if all(names):
            return names
    return []


_RANKING = re.compile(r"([\u4e00-\u9fff]{2,10}?(?:评价|考核|评估|排行榜|榜单|排名))中")


def _ranking_of(before: str) -> str:
    """`在国家高新区综合评价中，…位列第46位` -> `综合评价排名`."""
    found = _RANKING.findall(before)
    name = ind.clean_name(found[-1]) if found else ""
    return name if name.endswith("排名") else name + "排名" if name else ""


def _rank_name(tail: str) -> str:
    """`综合评价中排名上升至` -> `综合评价排名`; a bare `位列全市` -> `排名`."""
    tail = _DURATION.sub("", tail)
    m = _RANK_VERB.search(tail)
    base = tail[: m.start()] if m else tail
    *_, last = _RANK_VERB.finditer(tail) if m else [None]
    board = _board(tail[last.end() :]) if last is not None else ""
    if board:
        return board  # 居中国城市创新能力百强榜第9位 -> 中国城市创新能力百强榜排名
    base = re.sub(r"(?:中|上|里)$", "", re.split(r"[在于的从到由]", base)[-1])
    ranked = "排名" in tail or _EVALUATION.search(base)
    base = ind.clean_name(base)[-10:]
    if ind.ZONE_WORD.search(base[-3:]):
        base = ""  # 洛阳高新区位列第46位: the subject, not the indicator
    if base.endswith("排名"):
        return base
    return base + "排名" if base and ranked else base or "排名"


_DURATION = re.compile(r"(?:持续|连续|已连续)[\d一二三四五六七八九十两]+(?:个)?(?:月|年|季度|届)")
_BOARD_WORD = re.compile(r"榜|百强|十强|强市|强县|排行|指数|城市")
_BOARD_SCOPE = re.compile(r"^(?:全国|全省|全市|全区|全球|世界|国内|省内|市内|同类|国家级|中部|西部|东部)+")
_PEERS = re.compile(r"^(?:城市|地区|省份|省市|园区|高新区|开发区|经开区|县区|区县|区域)$")


def _board(after: str) -> str:
    """The ranking named between the verb and 第 (`中国城市创新能力百强榜`), or ''; a scope or a
    class of peers (`全国`, `全国城市`, `全省高新区`) names none."""
    s = _BOARD_SCOPE.sub("", ind.tidy(after))
    if len(s) < 2 or re.search(r"[\d一二三四五六七八九十]", s) or _PEERS.match(s) or ind.ZONE_WORD.search(s):
        return ""
    s = ind.clean_name(s)
    return (s if s.endswith("排名") else s + "排名") if len(s) >= 2 else ""


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
            first["period"] = r["period"]
    return kept


def extract_metrics(document: Document) -> list[dict]:
    """The metric records of one document, in the order of the text."""
    if not document.body or not document.body.strip():
        return []
    return _Reader(document).run()
