"""The indicator vocabulary: canonical ids for the phrases that name what a figure measures.

`extractors/data/indicators.tsv` lists each indicator once (id, Chinese and English name, unit,
the kinds of figure it takes, the phrases that name it, where it comes from). A metric's raw name
(`园区有效期内高新技术企业总数`) is brought to its base form (`高新技术企业`) by removing what does
not change the indicator: the scope (`园区`, `全区`), the basis words (`新增`, `累计`, `有效期内`,
which become the record's `basis`) and a trailing `总数`/`数量`; the base form must then be a
listed phrase exactly. Nothing is matched by a part of the name: `软件和信息技术服务业营业收入` is
not the zone's `营业收入`, and a per-unit figure (`每平方公里高新技术企业`) is never the count.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources

from extractors.indicators import LEVEL_FLOOR

__all__ = ["Indicator", "base_form", "indicator", "indicators", "resolve"]

COLUMNS = ["id", "name_zh", "name_en", "unit", "kinds", "aliases", "origin"]


@dataclass(frozen=True, slots=True)
class Indicator:
    id: str
    name_zh: str
    name_en: str
    unit: str
    kinds: tuple[str, ...]
    aliases: tuple[str, ...]
    origin: tuple[str, ...]


# Words that bound a name without changing what it measures. Scopes first, then basis and time.
_SCOPE = r"园区内|园区|全区|区内|我区|本区|该区|辖区内|全市|全省|全县|全国|全行业|省内|市内|国家高新区内|高新区内|高新区"
_BASIS = (
    r"新增|新认定|新引进|新注册|新登记|新设立|新建|新培育|新入库|新获批|净增加|净增|净减少|净减|累计|"
    r"有效期内|现有|拥有|入库|在库|当年|全年|年度|年末|期末|共有|总共|共|其中"
)
# A province or municipality before a name (河北省高新技术企业): a scope, like 全省.
_PROVINCES = (
    "北京|天津|河北|山西|内蒙古|辽宁|吉林|黑龙江|上海|江苏|浙江|安徽|福建|江西|山东|河南|湖北|湖南|广东|"
    "广西|海南|重庆|四川|贵州|云南|西藏|陕西|甘肃|青海|宁夏|新疆"
)
_LEADING = re.compile(rf"^(?:{_SCOPE}|{_BASIS}|(?:{_PROVINCES})(?:省|市|自治区)?(?=..))+")
_TRAILING = re.compile(r"(?:总数|数量|总量|存量|家数|个数|总计|合计|(?<!指)数)$")
_NOISE = re.compile(r"[\s“”\"‘’'「」『』《》]|[(（][^()（）]{0,12}[)）]")


@lru_cache(maxsize=1 << 16)  # names repeat across figures and pages
def base_form(name: str) -> str:
    """A name without scope, basis words, level floors and a trailing 总数/数量:
    `园区有效期内高新技术企业总数` -> `高新技术企业`."""
    s = _NOISE.sub("", name or "")
    s = LEVEL_FLOOR.sub("", s)
    while True:
        t = _LEADING.sub("", s)
        cut = _TRAILING.sub("", t)
        t = cut if len(cut) >= 2 else t
        if t == s or len(t) < 2:
            return t if len(t) >= 2 else s
        s = t


def _rows(text: str) -> list[Indicator]:
    reader = csv.DictReader(io.StringIO(text), delimiter="\t")
    if reader.fieldnames != COLUMNS:
        raise ValueError(f"indicators.tsv: expected columns {COLUMNS}, got {reader.fieldnames}")
    out = []
    for row in reader:
        out.append(
            Indicator(
                id=row["id"].strip(),
                name_zh=row["name_zh"].strip(),
                name_en=row["name_en"].strip(),
                unit=row["unit"].strip(),
                kinds=tuple(k for k in row["kinds"].split("|") if k),
                aliases=tuple(a.strip() for a in row["aliases"].split("|") if a.strip()),
                origin=tuple(o for o in row["origin"].split("|") if o),
            )
        )
    return out


@cache
def indicators() -> tuple[Indicator, ...]:
    """Every indicator of the vocabulary, in the file's order (read once, from the package data so
    that it also works from a zipped egg)."""
    text = resources.files("extractors").joinpath("data/indicators.tsv").read_text(encoding="utf-8")
    return tuple(_rows(text))


@cache
def _by_phrase() -> dict[str, str]:
    table: dict[str, str] = {}
    for ind in indicators():
        for phrase in (ind.name_zh, *ind.aliases):
            key = base_form(phrase)
            if table.setdefault(key, ind.id) != ind.id:
                raise ValueError(f"indicators.tsv: {phrase!r} names both {table[key]} and {ind.id}")
    return table


@cache
def indicator(id: str) -> Indicator | None:
    """The indicator with this id, or None."""
    return next((i for i in indicators() if i.id == id), None)


def resolve(name: str | None, unit: str | None = None, kind: str | None = None) -> str | None:
    """The id of the indicator NAME stands for, or None when no listed phrase is its base form;
    with the figure's UNIT and KIND, also None where the indicator is not measured that way (a
    `研发投入6.9%` is no amount of R&D spending, whatever its name says)."""
    if not name:
        return None
    found = _by_phrase().get(base_form(name))
    if found is None or unit is None or kind in ("growth", "share", "rank"):
        return found
    return found if _measured_in(indicator(found).unit, unit) else None


_MONEY = frozenset({"元", "美元", "欧元", "日元", "英镑", "港元"})


def _measured_in(expected: str, unit: str) -> bool:
    """Whether a figure in UNIT can be a value of an indicator stored in EXPECTED: money in any
    currency, a count in any measure word, a percentage or a rank as such, a per-unit figure
    only by its own unit's numerator."""
    head = expected.split("/")[0]
    if unit in _MONEY or head in _MONEY:
        return unit in _MONEY and head in _MONEY
    if unit in ("%", "个百分点") or head == "%":
        return head == "%" and unit in ("%", "个百分点")
    if unit == "位" or head == "位":
        return unit == head
    return True  # counts and measures: the measure word varies (家, 个, 户, 项)


# A ranking named only `综合排名` is the national or a provincial evaluation by what its sentence
# says before the figure: 在2022年国家高新区综合评价中…第28位, 在2022年度全省园区综合评价中…第6位.
_OVERALL_RANK = re.compile(r"(?:综合评价|综合考核|综合|评价|考核)?(?:排名|排位|位次)|综合评价|综合考核")
_NATIONAL = re.compile(r"(?:国家|国家级|全国|全国\d+家|全国[一二三四五六七八九十百]+家)高新区")
_PROVINCIAL = re.compile(r"全省|省内|省级|五好园区|省委省政府")
_ZONE_BEFORE = re.compile(r"^.*(?:高新区|开发区|园区)")
_EVALUATED = re.compile(r"综合评价|综合考核|考核|评价|评估|排名")


def resolve_rank(name: str | None, before: str) -> str | None:
    """The evaluation a rank named by a generic word belongs to, read from BEFORE (its sentence
    up to the figure); None where the sentence does not say."""
    context = before + (name or "")
    name = _ZONE_BEFORE.sub("", base_form(name or ""))  # 国家级高新区排名, 开发区排名: the ranking
    if not name or not _OVERALL_RANK.fullmatch(name) or not _EVALUATED.search(context):
        return None
    if _PROVINCIAL.search(context):
        return "provincial_evaluation_rank"
    if _NATIONAL.search(context):
        return "national_evaluation_rank"
    return None
