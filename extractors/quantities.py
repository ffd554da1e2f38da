"""Numbers in Chinese text: Arabic and Chinese numerals, percentages, fractions, ranges, with offsets.

`find_quantities(text)` returns every number it can read, with the unit that follows it (`""` for a
bare number, `%` for percentages and 成/折 forms) and the approximation words around it. Numeric
multipliers are folded into the value (`376.96亿元` -> 37696000000.0 with unit `元`, `十万` -> 100000.0)
and remembered in `scale`, so a reader can still tell `16.8亿` from `1680000000`.
"""

from __future__ import annotations

import math
import re
from collections.abc import Collection
from dataclasses import dataclass

__all__ = ["Quantity", "find_figures", "find_quantities", "parse_chinese_number"]


@dataclass(frozen=True, slots=True)
class Quantity:
    value: float
    unit: str  # "" bare, "%" percent (also 成/折/百分之), else the unit as written without multiplier
    text: str
    start: int
    end: int  # exclusive, as in slicing
    high: float | None = None  # upper end of a range (`3-5家`)
    approx: bool = False  # 近/约/余/多/左右
    bound: str | None = None  # "min" (以上/超过/不少于) or "max" (以下/不足)
    scale: float = 1.0  # the multiplier written with the number (万 -> 1e4, 亿 -> 1e8)
    ordinal: bool = False  # preceded by 第
    fraction: bool = False  # `1/2`, `五分之一`, `千分之六`: value is the ratio
    chinese: bool = False  # written in Chinese numerals


_DIGITS = {
    "零": 0, "〇": 0, "○": 0, "一": 1, "壹": 1, "二": 2, "两": 2, "贰": 2, "貳": 2, "三": 3, "叁": 3,
    "參": 3, "四": 4, "肆": 4, "五": 5, "伍": 5, "六": 6, "陆": 6, "陸": 6, "七": 7, "柒": 7, "八": 8,
    "捌": 8, "九": 9, "玖": 9,
}  # fmt: skip
_SMALL = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}
_TENS = {"廿": 20, "卅": 30, "卌": 40}
_BIG = {"万": 10**4, "萬": 10**4, "亿": 10**8, "億": 10**8}

_D = "".join(_DIGITS)
_CAPITALS = set("壹贰貳叁參肆伍陆陸柒捌玖拾佰仟")
_CN_ALL = _D + "".join(_SMALL) + "".join(_TENS) + "".join(_BIG)
# A Chinese numeral starts with a digit, 十 or 廿; 百/千/万 alone are words (百姓, 千万不要, 万一).
_CN = rf"[{_D}十拾{''.join(_TENS)}][{_CN_ALL}]*(?:点[{_D}]+[万萬亿億]*)?"
_AR = r"\d+(?:,\d{3}(?!\d))*(?:\.\d+)?"
_MULT = r"(?:万亿|千亿|百亿|十亿|亿|億|千万|百万|十万|万|萬|千(?![米克瓦帕焦伏赫卡字兆]))"
_NUM = rf"(?:(?P<ar>{_AR})(?:[ \t]?(?P<mult>{_MULT}))?|(?P<cn>{_CN}))"

# Longest first, so that 个百分点 wins over 个 and 平方公里 over 公里.
_UNIT_WORDS = (
    "个百分点 百分点 个位次 位次 平方公里 平方千米 平方米 立方米 公顷 亩 公里 千米 米 千克 公斤 吨 克 千瓦时 千瓦 "
    "兆瓦 瓦 标箱 人次 家次 项次 个次 个月 小时 分钟 年度 年 月 日 天 周 秒 美元 欧元 日元 英镑 港元 港币 元 块 "
    "家 个 户 人 项 只 名 件 位 所 座 条 台 套 辆 架 艘 栋 幢 间 张 本 篇 部 份 批 次 场 届 期 类 种 款 支 股 枚 "
    "颗 株 头 处 片 倍 号 层 楼 岁 页 章 节 方面 成 折"
)
_UNITS = sorted(_UNIT_WORDS.split(), key=len, reverse=True)
_UNIT_FIX = {"个位次": "位", "位次": "位", "百分点": "个百分点", "平方千米": "平方公里"}
_PRE = r"将近|接近|大约|约为|约|近|逾|超过|超|不少于|不低于|至少|多达|不足|不到|不超过|低于|少于"
_POST = r"及以上|以上|以下|以内|左右|上下(?!游)|有余|之多"

# Every quantity starts with one of these characters; the lookahead lets the scan skip other text fast.
_FIRST = rf"[0-9{_D}十拾百佰千仟万{''.join(_TENS)}负−\\-]|不[少低足到超]|大约|约|近|将近|接近|逾|超|至少|多达|低于|少于|第"
_QUANTITY = re.compile(
    rf"(?={_FIRST})"
    rf"(?P<pre>{_PRE})?"
    r"(?:"
    rf"(?P<ord>第)?"
    rf"(?:(?P<pneg0>负)?百分之(?P<pneg>负)?(?P<pnum>{_CN}|{_AR})"
    rf"|(?P<den>{_CN}|{_AR}|[百千万])分之(?P<fnum>{_CN}|{_AR})"
    r"|(?<![\d/.\-])(?P<fa>\d{1,6})/(?P<fb>\d{1,6})(?![/\d\-])"
    rf"|(?P<neg>(?<![0-9A-Za-z.\-])[-−]|负)?{_NUM})"
    r")"
    r"(?:[ \t]?(?P<mid>余|多|来(?=[个家人名年]))?)"
    rf"(?:[ \t]?(?P<unit>[%％‰]|{'|'.join(_UNITS)}))?"
    rf"(?P<post>{_POST})?"
)
_FULLWIDTH = str.maketrans("０１２３４５６７８９．％", "0123456789.%")
_HAS_FULLWIDTH = re.compile("[０-９％]")
_RATIO_UNITS = {"%", "％", "‰", "成", "折"}
_RANGE_START = set(" \t-~～—–至到")
_RANGE_SEP = re.compile(r"[ \t]?(?:[-~～—–]|至|到)[ \t]?")
# 成 and 折 after a number are words far more often than ratios: 成员, 成立, 一成不变, 折合, 折旧.
_CHENG_NEXT = set("员立为果本功效长熟交型绩就都分品像不效批套")
_ZHE_NEXT = set("合旧算射叠扣线返腾")
_ZHE_AFTER = set("优销出促起左上以，,。、")
# A lone 一 inside a word is not a number: 一是, 统一, 进一步, 唯一.
_YI_WORD_NEXT = set("是些样起直般定切同道并举系站键体流带线律致旦致面方边手时度")
_YI_WORD_PREV = set("统唯万逐单同划合之某进专")
_MAX_DIGITS = 18


def _section(s: str) -> int | None:
    """A numeral below 10000 (十/百/千 and digits), or None when it is not well formed."""
    total = 0
    num: int | None = None
    last_unit = 0
    after_zero = False
    for c in s:
        if c in _DIGITS:
            d = _DIGITS[c]
            if num is not None and d and not after_zero:
                return None  # two digits in a row inside a unit numeral (五五百)
            after_zero = after_zero or (d == 0 and last_unit > 0)
            num = d if d else None
        elif c in _SMALL:
            u = _SMALL[c]
            if last_unit and u >= last_unit:
                return None
            total += (num if num is not None else 1) * u
            num, last_unit, after_zero = None, u, False
        elif c in _TENS:
            total += _TENS[c]
            num, last_unit, after_zero = None, 10, False
        else:
            return None
    if num is not None:
        # 三百五 = 350, 一千二 = 1200: a trailing digit right after a unit counts in the next unit down.
        total += num * (last_unit // 10) if last_unit >= 100 and not after_zero else num
    return total


def _integer(s: str) -> int | None:
    if not s:
        return 0
    if all(c in _DIGITS for c in s):
        # a string of digits: 一七二零 = 1720, 二〇二一 = 2021
        return int("".join(str(_DIGITS[c]) for c in s)) if len(s) <= _MAX_DIGITS else None
    for ch, mult in (("亿", 10**8), ("億", 10**8), ("万", 10**4), ("萬", 10**4)):
        i = s.find(ch)
        if i < 0:
            continue
        left, right = s[:i], s[i + 1 :]
        if not left:
            return None
        hi = _integer(left)
        if hi is None:
            return None
        # 一万五 = 15000: a lone digit after a big unit counts in the unit below it.
        if len(right) == 1 and right in _DIGITS and right not in "零〇○":
            return hi * mult + _DIGITS[right] * mult // 10
        lo = _integer(right.lstrip("零〇○"))
        return None if lo is None else hi * mult + lo
    return _section(s)


def parse_chinese_number(s: str) -> float | None:
    """The value of a Chinese numeral (`一千二百三十四万`, `三十点五`, `壹佰`, `廿二`), or None."""
    s = s.strip()
    scale = 1
    while s and s[-1] in _BIG and "点" in s:
        scale *= _BIG[s[-1]]
        s = s[:-1]
    whole, _, frac = s.partition("点")
    n = _integer(whole)
    if n is None:
        return None
    if frac:
        if any(c not in _DIGITS for c in frac):
            return None
        return float(f"{n}.{''.join(str(_DIGITS[c]) for c in frac)}") * scale
    return float(n) * scale


def _arabic(s: str) -> float | None:
    s = s.replace(",", "")
    if len(s.partition(".")[0]) > _MAX_DIGITS:
        return None  # a run of digits this long is an identifier, not an amount
    return float(s)


def _mult_value(m: str | None) -> float:
    if not m:
        return 1.0
    v = 1.0
    for c in m:
        v *= _BIG.get(c) or _SMALL.get(c, 1)
    return float(v)


def _number(text: str) -> float | None:
    """An Arabic or Chinese number as written inside a percent or fraction."""
    if text[0].isdigit():
        return _arabic(text)
    return parse_chinese_number(text) if text not in "百千万" else float(_mult_value(text))


def _lone_word_yi(text: str, s: int, e: int) -> bool:
    prev = text[s - 1] if s else ""
    nxt = text[e] if e < len(text) else ""
    return prev in _YI_WORD_PREV or nxt in _YI_WORD_NEXT


def _consecutive_digits(cn: str) -> bool:
    return (
        len(cn) == 2
        and cn[0] in _DIGITS
        and cn[1] in _DIGITS
        and cn[0] != "两"
        and 0 < _DIGITS[cn[0]] < 9
        and _DIGITS[cn[1]] == _DIGITS[cn[0]] + 1
    )


def _discount(text: str, s: int, nxt: str) -> bool:
    """八折 is a discount after 打/按 or before 优惠/销售...; elsewhere 折 is a word (一波三折)."""
    return (s > 0 and text[s - 1] in "打按") or not nxt or nxt in _ZHE_AFTER


def _in_word(text: str, s: int, e: int) -> bool:
    prev = text[s - 1] if s else ""
    nxt = text[e] if e < len(text) else ""
    return "\u4e00" <= prev <= "\u9fff" or "\u4e00" <= nxt <= "\u9fff"


def _read(m: re.Match, text: str) -> Quantity | None:
    g = m.groupdict()
    start, end = m.start(), m.end()
    unit = g["unit"] or ""
    keep_unit = True
    high = None
    fraction = chinese = False
    scale = 1.0
    if g["pnum"] is not None:  # 百分之…
        v = _number(g["pnum"])
        if v is None:
            return None
        value = -v if (g["pneg"] or g["pneg0"]) else v
        chinese = not g["pnum"][0].isdigit()
        keep_unit = unit in ("%", "％")
        unit = "%"
    elif g["den"] is not None or g["fa"] is not None:  # 五分之一, 1/2
        if g["den"] is not None:
            den, num = _number(g["den"]), _number(g["fnum"])
            chinese = not g["den"][0].isdigit()
        else:
            den, num = _arabic(g["fb"]), _arabic(g["fa"])
        if not den or num is None:
            return None
        value = num / den
        fraction = True
        keep_unit = False  # 三分之一家: a unit after a fraction belongs to the noun
        unit = ""
    else:
        if g["ar"] is not None:
            ar = g["ar"]
            if ar[0] == "0" and len(ar) > 1 and ar[1].isdigit():
                return None  # 0731, 007: a code, not an amount
            v = _arabic(ar)
            scale = _mult_value(g["mult"])
            value = None if v is None else v * scale
        else:
            cn = g["cn"]
            chinese = True
            if len(cn) == 1 and not unit:
                s0, e0 = m.start("cn"), m.end("cn")
                if (cn in _CAPITALS and _in_word(text, s0, e0)) or (
                    cn == "一" and _lone_word_yi(text, s0, e0)
                ):
                    return None  # 大陆, 一是: a word, not a number
            if _consecutive_digits(cn):
                high = float(_DIGITS[cn[1]])  # 三四家: three or four
            value = parse_chinese_number(cn)
            scale = 1e8 if ("亿" in cn or "億" in cn) else 1e4 if ("万" in cn or "萬" in cn) else 1.0
            v = value
            if high is not None:
                value = v = high - 1
        if value is None:
            return None
        if g["neg"]:
            value = -value
        if unit in ("成", "折"):
            after = m.end("unit")
            nxt = text[after] if after < len(text) else ""
            bad_next = _CHENG_NEXT if unit == "成" else _ZHE_NEXT
            if g["mid"] or nxt in bad_next or scale != 1.0:
                keep_unit = False
            elif unit == "折" and chinese and not _discount(text, m.start("cn"), nxt):
                keep_unit = False  # 一波三折
            elif 0 < v <= 10:
                value, unit = v * 10, "%"  # 九成 = 90%
            elif unit == "折" and 10 < v < 100:
                value, unit = v, "%"  # 八五折 = 85%
            else:
                keep_unit = False
        elif unit in ("%", "％"):
            unit = "%"
        elif unit == "‰":
            value, unit = value / 10, "%"
    approx = False
    bound = None
    if not keep_unit and g["unit"]:
        end = m.start("unit")
        if not fraction and not g["pnum"]:
            unit = ""
    else:
        post = g["post"]
        if post in ("以上", "及以上"):
            bound = "min"
        elif post in ("以下", "以内"):
            bound = "max"
        elif post in ("左右", "上下", "有余"):
            approx = True
    if g["mid"] or high is not None:
        approx = True
    pre = g["pre"]
    if pre:
        if pre in ("将近", "接近", "近", "大约", "约", "约为"):
            approx = True
        elif pre in ("逾", "超过", "超", "不少于", "不低于", "至少", "多达"):
            bound = "min"
        else:
            bound = "max"
    if not math.isfinite(value):
        return None
    unit = _UNIT_FIX.get(unit, unit)
    return Quantity(
        value=float(value),
        unit=unit,
        text=text[start:end].rstrip(" \t"),
        start=start,
        end=end - (len(text[start:end]) - len(text[start:end].rstrip(" \t"))),
        high=high,
        approx=approx,
        bound=bound,
        scale=scale,
        ordinal=bool(g["ord"]),
        fraction=fraction,
        chinese=chinese,
    )


def _merge_ranges(text: str, qs: list[Quantity]) -> list[Quantity]:
    """`3-5家`, `三至五个`, `10%~20%`: one quantity from the low end to the high end."""
    out: list[Quantity] = []
    i = 0
    while i < len(qs):
        q = qs[i]
        if i + 1 < len(qs):
            r = qs[i + 1]
            gap = text[q.end : r.start]
            if (
                gap
                and _RANGE_SEP.fullmatch(gap)
                and (not q.unit or q.unit == r.unit)
                and r.value > q.value
                and not q.ordinal
                and not r.ordinal
                and not q.fraction
                and not r.fraction
                and q.chinese == r.chinese
            ):
                out.append(
                    Quantity(
                        value=q.value * (r.scale if q.scale == 1.0 and r.scale > 1 else 1.0),
                        unit=r.unit,
                        text=text[q.start : r.end],
                        start=q.start,
                        end=r.end,
                        high=r.value,
                        approx=q.approx or r.approx,
                        bound=q.bound or r.bound,
                        scale=r.scale,
                    )
                )
                i += 2
                continue
        out.append(q)
        i += 1
    return out


def find_quantities(text: str) -> list[Quantity]:
    """Every number in TEXT, in order, with its unit, approximation and exact offsets."""
    return _scan(text, figures_only=False)


def find_figures(text: str, units: Collection[str] | None = None) -> list[Quantity]:
    """The quantities of TEXT that can carry a statistic: with a unit (one of UNITS when given, as
    written), a percent, a fraction, an ordinal or a multiplier (`16.8亿`). Other numbers (codes, list
    numbers, dates when UNITS leaves out 年/月/日) are skipped unread, which is much faster."""
    return _scan(text, figures_only=True, units=units)


def _may_be_figure(m: re.Match, src: str, n: int, units: Collection[str] | None) -> bool:
    """Decided from the match alone, before the number is read."""
    if m["mult"] or m["ord"] or m["pnum"] or m["den"] or m["fa"]:
        return True
    unit = m["unit"]
    if unit and (units is None or unit in units or unit in _RATIO_UNITS):
        return True
    if not unit and m["cn"] and ("万" in m["cn"] or "亿" in m["cn"]):
        return True
    return m.end() < n and src[m.end()] in _RANGE_START  # the low end of a range (3-5家)


def _scan(text: str, figures_only: bool, units: Collection[str] | None = None) -> list[Quantity]:
    if not text:
        return []
    # same length, so offsets still point into TEXT
    src = text.translate(_FULLWIDTH) if _HAS_FULLWIDTH.search(text) else text
    qs = []
    n = len(src)
    for m in _QUANTITY.finditer(src):
        if figures_only and not _may_be_figure(m, src, n, units):
            continue
        q = _read(m, src)
        if q is not None:
            if src is not text:
                q = _with_text(q, text)
            qs.append(q)
    return _merge_ranges(src, qs)


def _with_text(q: Quantity, text: str) -> Quantity:
    t = text[q.start : q.end]
    if t == q.text:
        return q
    return Quantity(
        q.value,
        q.unit,
        t,
        q.start,
        q.end,
        q.high,
        q.approx,
        q.bound,
        q.scale,
        q.ordinal,
        q.fraction,
        q.chinese,
    )
