"""Step three of metric reading (with `extractors.vocabulary`): the basis of a count or amount.

`全年新增高新技术企业65家，总数达到278家`: 65 is what was added during the year (`new`), 278 the
total at its end (`stock`); `较上年净增312家` is a net change against an earlier point (`net`, of
kind `change`). Amounts over a period (`实现营业收入`) are stocks of that period. A figure per unit
of something (`每平方公里…15家`, `亩均税收`, `每万人`) is its own indicator, named with its unit,
never the count itself.
"""

from __future__ import annotations

import re

from extractors.figures import CURRENCIES
from extractors.kinds import Row
from extractors.periods import Period

# Added during the period: 新增, 新认定, 新引进 …; and events that add (引进重大项目, 新签约).
_NEW = re.compile(
    r"新增|新认定|新引进|新注册|新登记|新设立|新设|新建|新培育|新入库|新获批|新签约|新签|新开工|新落户|新入驻|"
    r"新招引|新备案|新挂牌|新上市|新晋|新纳入|新纳统|新入统|新升规|引进|招引|签约|入选|获批"
)
_NET = re.compile(r"净增加?|净减少?|净流入")
# What is measured per unit of something: a density, an intensity, an average.
_PER_UNIT = re.compile(
    r"每平方公里|每平方千米|每万人|每万名[\u4e00-\u9fff]{0,6}?中?|每千人|每亩|亩均|人均|地均|户均"
)
_NO_BASIS_UNITS = frozenset({"%", "个百分点", "位"})


def basis_of(clause: str, kind: str) -> str:
    """`stock`, `new` or `net` for a count or amount, from the words before it in its clause."""
    if kind == "change" or _NET.search(clause):
        return "net"
    if _NEW.search(clause):
        return "new"
    return "stock"


def per_unit(clause: str, name: str) -> str:
    """NAME with the per-unit words of its clause (`每平方公里聚集高新技术企业` -> `每平方公里高新技术企业`),
    or NAME when it has none or already says it."""
    m = _PER_UNIT.search(clause)
    if m is None or _PER_UNIT.search(name):
        return name
    return m.group() + name


def qualify(row: Row) -> None:
    """Set ROW's basis (None for ranks, rates of change of a rate and ratios that are levels) and
    name a per-unit figure by its unit."""
    if row.kind != "rank":
        row.metric = per_unit(row.clause, row.metric)
    if row.kind == "rank" or row.unit in ("位", "个百分点"):
        row.basis = None
    elif row.unit == "%":
        if row.kind in ("growth", "share") and row.basis is None:
            row.basis = "new" if _NEW.search(row.clause) else "stock"
        elif row.kind not in ("growth", "share"):
            row.basis = None  # 研发投入强度6.1%: a ratio, neither a stock nor a flow
    else:
        row.basis = basis_of(row.clause, row.kind)


def period_for(row: Row, period: Period | None) -> Period | None:
    """The period of ROW's figure: a stock count in a year, quarter or month is the count at its end
    (`2022年…高新技术企业2168家` is the count at 2022-12-31, as `截至2022年底` says), and a net
    change to a year-end count is the change over that year (`截至2022年底…较上年净增312家`).
    Amounts, additions and rates keep the span they are for."""
    if period is None:
        return None
    if row.basis == "net" and period.type == "as_of" and (period.end or "").endswith("-12-31"):
        return period.year_of_end()
    if row.basis != "stock" or row.unit in CURRENCIES or row.unit in _NO_BASIS_UNITS:
        return period
    return period.as_of_end()


def is_future(period: Period | None, doc_date: str | None) -> bool:
    """Whether PERIOD begins after the document's year: a figure for it is a plan or a forecast
    (`到“十四五”末…达到220家` on a 2022 page), whatever verb it is written with."""
    if period is None or not doc_date or not doc_date[:4].isdigit():
        return False
    first = period.start or period.end
    return first is not None and int(first[:4]) > int(doc_date[:4])
