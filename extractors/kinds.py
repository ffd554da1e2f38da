"""Step two of metric reading: what kind of figure each one is, and the phrase that names it.

A figure is a `level` (an amount or count), a `growth` rate, a `share`, a `rank`, a `change` (an
absolute change: `上升3个位次`, `净增312家`, `提高2个百分点`) or a `target` (`力争`, `到2025年`).
`Classifier.classify` reads one figure with the clause before it and the words after it; the
sentence's earlier rows tell what a bare `同比增长` or `占比` refers to.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from extractors import indicators as ind
from extractors.figures import COUNT_UNITS, CURRENCIES, base_unit
from extractors.quantities import Quantity


@dataclass
class Row:
    """One figure read: its kind, unit and value in base units, and the phrase naming it."""

    q: Quantity
    kind: str
    unit: str
    value: float
    metric: str
    run: int = -1  # where the list run this figure belongs to starts (`20.32%、47.12%`)
    item: tuple[int, int] | None = None  # (position, length) in that run
    clause: str = ""  # the words before the figure in its clause
    basis: str | None = None  # stock, new or net (see extractors.basis)
    indicator: str | None = None  # the vocabulary's id (see extractors.vocabulary)
    ref: Row | None = None  # the earlier figure a rate or change is told of


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
# An absolute change of a count or amount against an earlier point: 净增312家, 较上年增长3家,
# 比去年同期增加了72个.
_NET_CHANGE = re.compile(
    r"(?:净增加?|净减少?|(?:较|比|与)(?:上年|去年|上一年|年初|上年末|上年底|\d{4}年(?:末|底)?)?(?:同期)?(?:相比)?"
    r"(?:净增加?|净减少?|增加|增长|减少|下降|增|减|多|少)了?)$"
)
_SCOPE_START = re.compile(r"^(?:全国|全省|全市|全区|全县)")
_RATE_RANK = {"增速", "增幅", "增长速度", "增速排名", "增幅排名", "增长率"}
# Entities named by what they did: 在孵企业累计毕业11万家 counts 毕业企业, 项目开工 开工项目.
_EVENT_VERB = re.compile(r"毕业|入驻|落户|入选|签约|开工|投产|竣工|上市|挂牌|入库|注册|注销|迁入")
_EVENT_HEAD = re.compile(r"企业|项目|机构|人才")
_NET_WORD = re.compile(r"净增加?|净减少?")
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
_IN_WHOLE = re.compile(r"在[\u4e00-\u9fff]{1,12}中的?(?:占比|比重|比例)")
_NEXT_WHOLE = re.compile(r"[和及与、][\u4e00-\u9fff]{1,8}的")
_SCOPE_END = re.compile(r"(?:^|[了有])(?:全国|全省|全市|全球|全区|全行业)$")
_CHANGE_START = re.compile(r"(?:提升|提高|上升|增长|增加|下降|降低|减少|扩大|缩小|升|增|降)(?:到|至)?")
_GENERIC = {"总数", "总量", "累计", "合计", "共计", "总计", "数量", "总额", "规模", "累计达到"}
_SHARE = re.compile(r"占(?!地)|比重|占比|比例")
# what follows a bounded or ranged figure that makes it the class of what is counted
_CLASS_COUNTED = re.compile(r"的[\u4e00-\u9fff]{1,10}?(?:共有|共|有|达到|达|为)\s*[\d一二三四五六七八九十两]")
_CLASS_OF = re.compile(r"的[\u4e00-\u9fff]{0,10}?(?:企业|公司|项目|园区|单位)")


class Classifier:
    """Reads the figures of one document, a sentence at a time (`begin`, then `classify` each)."""

    def __init__(self, body: str, year: int | None) -> None:
        self.body = body
        self.year = year
        self._s_start = self._s_end = 0
        self._plans: list[int] | None = None
        self._done: list[int] = []
        self._rows: list[Row] = []

    def begin(self, start: int, end: int, rows: list[Row]) -> None:
        """Start the sentence START..END; ROWS is the list its rows will be appended to."""
        self._s_start, self._s_end, self._plans, self._rows = start, end, None, rows

    def _ranked(self, q: Quantity, tail: str, right: str) -> bool:
        """A place in a ranking written without 第: `排名分别是：长沙高新区33名`, `在20名的基础上提升3位`."""
        if right.startswith("的基础上"):
            return True
        named = ind.tidy(tail)
        return bool(_PARK_END.search(named)) and "排名" in self.body[self._s_start : q.start]

    def classify(
        self, q: Quantity, clause: str, right: str, levels: list[Row], rank: Row | None = None
    ) -> Row | None:
        """One figure as a row, or None when it is not a statistic; RANK is the rank row a list of
        ranks continues (`第9位、…第13位`)."""
        tail = ind.QUOTES.sub("", ind.SPACE_NEAR_CJK.sub("", clause))
        if q.ordinal:
            return self._rank(q, tail, levels, rank)
        if q.unit in ("位", "名", "强") and tail.endswith("前"):
            return None  # 进入全国前30位的, 位列综合评价前50名: a threshold, not a figure
        if q.unit in COUNT_UNITS and q.value != int(q.value) and q.scale == 1:
            return None  # 3.2个、10.8个百分点: a count is whole; this is a misread rate
        if q.unit in ("位", "名") and _RANK_MOVE.search(tail):  # 上升3个位次, 晋位20名
            return None if q.bound else _rank_change(q, tail)  # 晋升8名以上为显著提升: a rule
        if q.unit == "名" and self._ranked(q, tail, right):
            return Row(q, "rank", "位", q.value, "排名")  # 排名分别是:长沙高新区33名; 在20名的基础上
        if q.chinese and not q.fraction and q.unit != "%" and abs(q.value) <= 10:
            return None  # 两篇文章, 三个代表, 五好: small Chinese numerals are words, not statistics
        if q.fraction or q.unit == "%":
            return self.ratio(q, clause, tail, right, levels)
        if q.unit == "个百分点":
            return _point_change(q, tail)
        return self._amount(q, clause, tail, right, levels)

    def _rank(self, q: Quantity, tail: str, levels: list[Row], rank: Row | None) -> Row | None:
        """A place in a ranking: 排名上升至第13位, 居全国第5, 位列全市第一."""
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
            return Row(q, "rank", "位", q.value, rank.metric)  # 较上年度第11位
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
        if name in _RATE_RANK:
            rates = [r for r in self._rows if r.kind == "growth"]
            if rates:  # 规模以上工业增加值同比增长10.2%，增速居全市第1
                name = rates[-1].metric + "增速排名"
        if name in _GENERIC_RANK and levels:
            name = levels[-1].metric + "排名"  # 经济总量18万亿美元,稳居世界第二位; 数量居全国第二位
        return Row(q, "rank", "位", q.value, name)

    def _amount(self, q: Quantity, clause: str, tail: str, right: str, levels: list[Row]) -> Row | None:
        """A count, an amount or a measure: a level, a net change (`较上年净增312家`) or a target."""
        # 净增312家; 净增量首次突破1000家: a net change, however it is told
        change = _NET_CHANGE.search(tail.strip()) or _NET_WORD.search(tail)
        name = ""
        if q.unit not in CURRENCIES:
            # the counted noun right after the measure word wins: 46家国家及省级高新区, 5项一级指标
            name = ind.right_name(right, org=q.unit in COUNT_UNITS)
        if not name:
            name = ind.clean_name(clause[: change.start()] if change else clause)
            zone = _ZONE_ONLY.fullmatch(name) and (q.unit not in COUNT_UNITS or _ACTION_END.search(tail))
            if len(name) < 2 or zone:
                # 仍有19个…, 国家高新区新增10个, 国家高新区7831.36亿元: a subject or a stray word names
                # nothing (国家高新区8家, 国家高新区共有178家 count the zones)
                name = ""
            elif q.unit in CURRENCIES and "新增" + name in tail:
                name = "新增" + name  # 新增产值282.8亿元 is not the 产值 beside it
        base = base_unit(q, name)
        if base is None or self._not_a_statistic(q, tail, right):
            return None
        unit, value = base
        name = self._name_of_amount(q, name, clause, tail, right, [r for r in levels if r.unit == unit])
        if change is not None:
            down = _DOWN.search(change.group()) or change.group().endswith(("减", "少"))
            return Row(q, "change", unit, -abs(value) if down else value, name)
        return Row(q, "target" if self.target(q) else "level", unit, value, name)

    def _not_a_statistic(self, q: Quantity, tail: str, right: str) -> bool:
        """Thresholds, classes and policy rules written with an amount."""
        if (
            q.unit not in COUNT_UNITS
            and q.bound
            and (right.startswith("的") or q.text.endswith(("以上", "以下")) and _QUALIFIES.match(right))
        ):
            return True  # 投资10亿元以上项目9个, 研发投入超过1000万元的: a threshold, not a figure
        if tail.endswith(("过", "超", "逾", "超过")) and right.startswith("的"):
            return True  # 其中投资过10亿元的项目4个: the class of what the next figure counts
        if (q.bound or q.high is not None) and (
            _CLASS_COUNTED.match(right) or q.unit not in COUNT_UNITS and _CLASS_OF.match(right)
        ):
            return True  # 超过300家的园区共有65个, 年产值20至30亿元的企业: a class, not a figure
        # 给予20万元奖励, 最高不超过200万元: a policy's rule, not a statistic
        return bool(_INCENTIVE_BEFORE.search(tail) or _INCENTIVE_AFTER.match(right))

    def _name_of_amount(
        self, q: Quantity, name: str, clause: str, tail: str, right: str, same: list[Row]
    ) -> str:
        """The amount's name, from the words after it or the figures of the same unit before it
        where its own words name nothing (SAME: those figures)."""
        if not name:
            name = ind.right_name(right) or ind.became(right)  # 其中55家成为“千亿俱乐部”成员
        if same and _QUALIFIER.fullmatch(name):
            # 新增省级两化融合示范企业4家、市级19家: the list item names only another level
            name += _QUALIFIER.sub("", same[-1].metric, count=1)
        if same and _NET_CHANGE.fullmatch(tail.strip()):
            name = same[-1].metric  # 企业6家，较上年增长3家: the change of the count before it
        owned = ind.total_of(clause) if name in _GENERIC else ""
        if owned:
            name = owned  # 目前国家高新区总数已达114家, 试点高新区数量达到9家
        elif (not name or name in _GENERIC) and same:
            name = same[-1].metric  # 新增上市企业2家，累计达到26家 / 总数达到1687家
        if not name:
            name = ind.stated_before(self.body[self._s_start : q.start - len(clause)])
        if _EVENT_VERB.fullmatch(name):
            heads = _EVENT_HEAD.findall(clause)
            name = name + heads[-1] if heads else name
        return name

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

    def ratio(self, q: Quantity, clause: str, tail: str, right: str, levels: list[Row]) -> Row | None:
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
            return Row(q, last.kind, "%", value, last.metric)  # 分别占到全省的10.2%和全市的28.3%
        g = _GROWTH.search(tail)
        if g and not q.fraction:
            value = -abs(value) if _DOWN.search(g.group("verb")) else value
            kind = "target" if self.target(q) else "growth"
            return Row(q, kind, "%", value, ind.clean_name(tail[: g.start()]))
        after = ind.QUOTES.sub("", right.lstrip())
        if after.startswith("的"):
            name = ind.right_name(after[1:])
            if name in ind.GENERIC_NAMES and "占" in tail:
                # 以占全省产业园区33.09%的数量 -> 产业园区数量
                name = _SCOPE_START.sub("", ind.tidy(tail[tail.rfind("占") + 1 :])) + name
            if name:  # 43.77%的技工贸总收入, 全省75%的科创板上市企业
                return Row(q, "target" if self.target(q, near=False) else "share", "%", value, name)
        if _SHARE.search(tail) or q.fraction:
            name = ind.before_share(tail) if "占" in tail else ind.clean_name(tail)
            if _IN_WHOLE.match(ind.tidy(tail)) or name in ("比重", "占比", "比例", "份额"):
                name = ""  # 在工业投资中的占比为42.2%, 全市比重61.1%: the whole, not what it is a share of
            if not name and levels:
                name = levels[-1].metric
            if not name:
                name = ind.share_whole(tail)
            return Row(q, "target" if self.target(q, near=False) else "share", "%", value, name)
        if _SCOPE_END.search(tail):
            name = ind.right_name(after)
            if name:  # 集聚了全国50%以上高新技术企业
                return Row(q, "target" if self.target(q, near=False) else "share", "%", value, name)
        if ind.verb_final(clause) and not _CHANGE_START.match(after):
            name = ind.right_name(after)
            if name:  # 九成以上企业为民营企业 (not 从2020年的2.73%提升至3.35%)
                return Row(q, "target" if self.target(q, near=False) else "share", "%", value, name)
        kind = "target" if self.target(q) else "level"
        return Row(q, kind, "%", value, ind.clean_name(tail))


def _rank_change(q: Quantity, tail: str) -> Row:
    """A move in a ranking: 上升3个位次, 晋位20名 (negative for 下降, 后退)."""
    value = -abs(q.value) if _DOWN.search(tail[-6:]) else q.value
    base = ind.clean_name(_RANK_MOVE.sub("", tail))
    name = _rank_name(base) if base else ""
    return Row(q, "change", "位", value, "" if ind.ZONE_WORD.search(name[-3:]) else name)


def _point_change(q: Quantity, tail: str) -> Row | None:
    """A change in percentage points: 比上年提高0.3个百分点 (not a gap: 高于全市1.2个百分点)."""
    if _COMPARED.search(tail):
        return None
    g = _GROWTH.search(tail)
    value = -abs(q.value) if g and _DOWN.search(g.group("verb")) else q.value
    name = ind.clean_name(tail[: g.start()]) if g else ind.clean_name(tail)
    return Row(q, "change", "个百分点", value, name)


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
