"""Lists of figures: which indicator each figure of a list run, or a bare rate, refers to.

`高新技术企业4399家、科技型中小企业4424家,同比分别增长20.32%、47.12%` gives each rate to its own
indicator; `同比增长14.60%` with no name refers back to the amount before it.
"""

from __future__ import annotations

import re

from extractors import indicators as ind
from extractors.kinds import Row


def referent(row: Row, rows: list[Row], levels: list[Row]) -> Row | None:
    """The earlier row a bare rate or change refers back to: 同比增长14.60%, 较上年上升3个位次."""
    if row.unit == "位":
        earlier = [r for r in rows if r.kind == "rank"]
    elif row.unit == "个百分点":
        earlier = [r for r in rows if r.unit == "%"]
    else:
        # 同比增长23.5%，两年平均增长14.8%: with no amount before it, a rate repeats the last rate's
        earlier = levels or [r for r in rows if r.kind == row.kind == "growth"]
    return earlier[-1] if earlier else None


def from_list(
    levels: list[Row], rows: list[Row], row: Row, run_clause: str, left: str, n: int
) -> list[tuple[str, Row | None]]:
    """The indicators of the N figures of a list run, in order, each with the earlier figure it
    refers to where it refers to one; or [].

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
            return [(x, None) for x in names]
    elif row.metric:
        return []  # a run without 分别 that names its own indicator
    if not rate:
        return []
    earlier = [r for r in rows if r.run >= 0 and r.run == rows[-1].run] if rows else []
    if len(earlier) == n:
        return [(r.metric, r) for r in earlier]  # 增幅分别为…，占规上工业的比重分别为…
    # without 分别, only n figures of n different indicators make a list to follow
    if len(levels) >= n and ("分别" in run_clause or len({r.metric for r in levels[-n:]}) == n):
        return [(r.metric, r) for r in levels[-n:]]
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
