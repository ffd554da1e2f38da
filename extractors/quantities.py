"""Numbers in Chinese text: Arabic and Chinese numerals, percentages, fractions, ranges, with offsets.

`find_quantities(text)` returns every number it can read, with the unit that follows it (`""` for a
bare number, `%` for percentages and 成/折 forms) and the approximation words around it. Numeric
multipliers are folded into the value (`376.96亿元` -> 37696000000.0 with unit `元`, `十万` -> 100000.0)
and remembered in `scale`, so a reader can still tell `16.8亿` from `1680000000`.
"""

from __future__ import annotations

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
    approx: bool = False  # 近/约/余/多/几/左右
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
_BIG = {"万": 10**4, "亿": 10**8, "兆": 10**12}
_ZEROS = "零〇○"

# Same-length replacements, so that offsets into the scanned copy are offsets into the text:
# full-width forms and the traditional characters that numbers use.
_TRANSLATE = str.maketrans(
    "０１２３４５６７８９．％－／Ｋｋ兩倆負幾萬億點個圓", "0123456789.%-/Kk两两负几万亿点个圆"
)
_NEEDS_TRANSLATE = re.compile("[０-９．％－／Ｋｋ兩倆負幾萬億點個圓]")

_D = "".join(_DIGITS)
_DEC = _D.replace("两", "")  # 点两 is not a decimal: 两百点两 is 200 and 2
_DEC1 = "".join(c for c in _DEC if _DIGITS[c])
_CAPITALS = set("壹贰貳叁參肆伍陆陸柒捌玖拾佰仟")
_CN_CHARS = _D + "".join(_SMALL) + "".join(_TENS) + "万亿几"
_SP = r"[ \t]{0,3}"
# A Chinese numeral starts with a digit, 十 or 廿; 百/千/万 alone are words (百姓, 千万不要, 万一).
# Its length is capped so that a run of thousands of numeral characters is read in linear time.
# 百三 = 130, 千三 = 1300 (the 一 left out, one digit after), 半百 = 50; never 百三十 or 千万.
_CN_SHORT = rf"[百佰千仟][{_DEC1}](?![{_CN_CHARS}点])|半百(?!分)"
_CN = (
    rf"[{_D}十拾廿卅卌](?:{_SP}(?:[{_CN_CHARS}]|兆(?=[{_D}十拾]))){{0,40}}"
    rf"(?:{_SP}点{_SP}[{_DEC}]{{1,30}}+(?![十拾百佰千仟]|分(?!之))(?:{_SP}[万亿])*)?"
)
_AR = (
    r"(?:\d+(?:[,，]\d{3}(?!\d))*(?:\.\d+)?|(?<![0-9A-Za-z.])\.\d+)"
    r"(?:[eE][+\-]?\d{1,3}(?![0-9A-Za-z])|\^[+\-]{0,2}\d{1,3}(?![0-9.]))?"  # 2e5, 10^8, 2^-1
)
# Multipliers written after Arabic digits; k only where no Latin unit follows (5kg, 3kW).
_MULT = (
    r"(?:[十百千]?万?亿|万万|[十百千]?万|个亿|千(?![米克瓦帕焦伏赫卡字兆])|仟"
    r"|[百佰](?!分)|[kK](?![A-Za-z]))"
)
_CHAIN_MULT = r"(?:亿|万|[千仟](?![米克瓦帕焦伏赫卡字兆])|[百佰](?!分))"
# The later parts of 5万4千6百, 1亿2300万, 3万5000
_CHAIN = rf"(?:[ \t]*\d+[ \t]*{_CHAIN_MULT}){{0,3}}(?:(?<=万)[1-9]\d{{3}}(?![\d.年]))?"
_CHAIN_PART = re.compile(rf"[ \t]*(\d+)[ \t]*({_CHAIN_MULT})?")
# A minus sign, not the dash of a range: 1万-5万元, 2021年-2025年, 10元-20元 (but 全年-5%).
_MINUS = (
    r"(?<![0-9A-Za-z.%\-万亿千百])"
    rf"(?<![0-9{_D}十百千万亿][年月日元家个人项次位名件台户所座条种类批期届%])[-−]"
)
_CURRENCY_SIGNS = {"$": "美元", "￥": "元", "¥": "元", "€": "欧元", "£": "英镑", "₩": "韩元"}
_NUM = (
    rf"(?P<cur>[$￥¥€£₩])?(?P<neg>{_MINUS}|负|零下)?"
    rf"(?:(?P<ar>{_AR})(?:[ \t]*(?P<mult>{_MULT})(?P<chain>{_CHAIN}))?"
    rf"|(?P<cn>{_CN_SHORT}|{_CN})(?P<cmult>个亿)?)"
)

# Longest first, so that 个百分点 wins over 个 and 平方公里 over 公里.
_UNIT_WORDS = (
    "个百分点 百分点 个位次 位次 平方公里 平方千米 平方米 立方米 平方 平米 公顷 亩 公里 千米 厘米 毫米 米 千克 公斤 吨 "
    "克 斤 千瓦时 千瓦 兆瓦 瓦 标箱 人次 家次 项次 个次 个月 小时 分钟 毫秒 年度 年 月 日 天 周 秒 摄氏度 ℃ 美元 "
    "欧元 日元 英镑 港元 港币 澳元 加元 韩元 卢布 新台币 台币 元 圆 块 家 个 户 人 项 只 名 件 位 所 座 条 台 套 辆 "
    "架 艘 栋 幢 间 张 本 篇 部 份 批 次 场 届 期 类 种 款 支 股 枚 颗 株 棵 朵 粒 盒 瓶 杯 册 宗 轮 头 处 "
    "片 倍 号 层 楼 岁 页 章 节 方面 成 折 打"
)
_UNITS = sorted(_UNIT_WORDS.split(), key=len, reverse=True)
_LATIN_UNITS = r"(?:km²|km2|m²|m³|km|kg|kWh|kW|MW|GW)(?![A-Za-z])"
_SPACED_POINT = r"个?[ \t]*百[ \t]*分[ \t]*点"
_UNIT_FIX = {"个位次": "位", "位次": "位", "百分点": "个百分点", "平方千米": "平方公里", "圆": "元"}
_PRE = (
    r"将近|接近|大约|约为|约|近|逾|超过|超|不少于|不低于|不小于|大于等于|大于|多于|至少|多达|不足|不到|"
    r"不超过|不大于|小于等于|低于|小于|少于"
)
_POST = r"及以上|以上|以下|以内|左右|上下(?!游)|有余|之多"
_PRE_FIRST = "".join(sorted({w[0] for w in _PRE.split("|")}))
_UNIT_FIRST = "".join(sorted({w[0] for w in _UNITS} | set("%‰个百kmMG")))
_APPROX_PRE = {"将近", "接近", "近", "大约", "约", "约为"}
_MIN_PRE = {"逾", "超过", "超", "不少于", "不低于", "不小于", "大于等于", "大于", "多于", "至少", "多达"}

# Every quantity starts with one of these; the lookahead lets the scan skip other text fast.
_FIRST = (
    rf"[0-9{_D}十拾廿卅卌负$￥¥€£₩]|[-−](?=[0-9.百])|\.(?=[0-9])|[百佰千万][ \t]*分|{_CN_SHORT}|不[少低足到超小大]"
    r"|大[约于]|约|近"
    r"|将近|接近|逾|超|至少|多[达于]|低于|少于|小于|第"
)
_PNUM = rf"{_CN}|{_AR}|[百佰](?![分万亿千])"
_FIRST_CHARS = f"0-9{_D}十拾廿卅卌负$￥¥€£₩\\-−.百佰千仟万半不大约近将接逾超至多低少小第"
_TAIL_PATTERN = (
    r"(?:[ \t]*(?P<mid>余|多|几|来(?=[个家人名年万亿])))?"
    r"(?(mid)(?:[ \t]*(?P<mult2>万亿|千万|百万|亿|万|千|百))?)"
    rf"(?:[ \t]*(?=[{_UNIT_FIRST}])(?P<unit>[%‰]|{_SPACED_POINT}|{'|'.join(_UNITS)}|{_LATIN_UNITS}))?"
    rf"(?:(?=[及以左上有之])(?P<post>{_POST}))?"
)
_QUANTITY = re.compile(
    rf"(?=[{_FIRST_CHARS}])(?={_FIRST})"
    rf"(?:(?=[{_PRE_FIRST}])(?P<pre>{_PRE}))?"
    r"(?P<ord>第)?"
    r"(?:"
    # 百分之三十, 负百分之五, 百分之百, 百分三十
    rf"(?P<pneg0>负的?|{_MINUS})?[百佰][ \t]*分(?P<ppct>)[ \t]*"
    rf"(?:之[ \t]*(?P<pneg>负)?(?P<pnum>{_PNUM})(?:[ \t]*(?P<pk>[kK])(?![A-Za-z]))?"
    rf"|(?P<pnum2>{_CN}|[百佰](?![分万亿千])))"
    # 千分之六
    rf"|(?P<den1>[千万])[ \t]*分[ \t]*之[ \t]*(?P<fneg1>负)?(?P<fnum1>{_CN}|{_AR})"
    # 1/2, -3/2, 1又1/5
    r"|(?<![\d/.\-])(?P<sneg>负|-)?(?:(?P<swhole>\d++)又)?(?P<fa>\d{1,6}+)/(?P<fb>\d{1,6}+)(?![/\d\-])"
    # a number, or the denominator of 五分之一 (the whole part of 三又五分之一, 负3分之负157)
    rf"|{_NUM}(?P<ne>)(?:[ \t]*(?:又[ \t]*(?P<den2>{_CN}|{_AR}|[百千万])[ \t]*)?分[ \t]*之[ \t]*"
    rf"(?P<fneg>负)?(?P<fnum>{_CN}|{_AR}))?"
    r")"
    rf"(?P<t>){_TAIL_PATTERN}"
)
# The tail again, for a numeral read shorter than the match (八百一千, 二十五千克).
_TAIL = re.compile(_TAIL_PATTERN)
# 七成六 = 76%, 三成半 = 35%; 十二块五 = 12.5块: a digit after 成 or 块 that counts in the unit below.
_CHENG_EXTRA = re.compile(rf"[ \t]*([{_DEC1}1-9半])(?![{_CN_CHARS}0-9个家人名位项年])")
_KUAI_EXTRA = re.compile(rf"([{_DEC1}1-9])(?![{_CN_CHARS}0-9A-Za-z%个家人名年月日])")
_SUBUNITS = re.compile(rf"(?:零?([{_DEC}1-9])[角毛])?(?:零?([{_DEC}1-9])分(?=钱|[^\u4e00-\u9fff]|$))?")
_RATIO_UNITS = {"%", "‰", "成", "折"}
_RANGE_START = set(" \t-~～—–至到")
_RANGE_SEP = re.compile(r"[ \t]*(?:[-~～—–]{1,2}|至|到)[ \t]*")
_URL = re.compile(r"(?:https?|ftp)://[!-~]+|www\.[!-~]+")
# 十四五, 十三五: five-year-plan names, not numbers.
_PLAN = re.compile("十[一二三四五]五")
# Measure words that count things but are not units of a figure: 三双, 十打.
_MEASURE_NEXT = set("双打匹尾幅尊堆串束")
# 一打 is a dozen, but 一打开, 三打白骨精: 打 starts a verb before these.
_DA_VERB = set("开算造击破通响好出下进入工卡印包车电球架扫听捞压拼动扮折断理赢败过白祝了着")
# 成 and 折 after a number are words far more often than ratios: 成员, 成立, 一成不变, 折合, 折旧.
_CHENG_NEXT = set("员立为果本功效长熟交型绩就都分品像不效批套群")
_ZHE_NEXT = set("合旧算射叠扣线返腾")
_ZHE_AFTER = set("优销出促起左上以，,。、")
# A lone 一 inside a word is not a number: 一是, 统一, 进一步, 唯一.
_YI_WORD_NEXT = set("是些样起直般定切同道并举系站键体流带线律致旦致面方边手时度")
_YI_WORD_PREV = set("统唯万逐单同划合之某进专")
_MAX_DIGITS = 18
# 零 is a number before these (零年零月, 零点五) and a word elsewhere (零部件, 零售).
_ZERO_UNIT_WORDS = "年 月 日 号 天 时 点 分钟 秒 小时 个月 周 度 摄氏度 ℃"
_ZERO_UNITS = {"", *_ZERO_UNIT_WORDS.split()}
_MAX_VALUE = 1e20


def _is_cjk(c: str) -> bool:
    return "\u4e00" <= c <= "\u9fff"


_KILO_UNIT = set("米克瓦帕焦伏赫卡字兆")
_UNIT_CHARS = set(_SMALL) | set(_BIG)


def _cn_integer(s: str, pair: bool = True) -> tuple[int, int, bool, int] | None:
    """The longest well-formed Chinese integer at the start of S.

    Returns (value, length used, approx, pair) where approx is set by 几 (十几万) and pair is the
    index of the second digit of a 三四/十七八万 pair (a range), or -1; None when nothing is read."""
    n = len(s)
    if n and s[0] in _DIGITS:
        # a run of two or more digits with no unit after it: 一七二零, 二〇二一, 三四 (a range)
        j = 0
        while j < n and (s[j] in _DIGITS or s[j] in " \t"):
            j += 1
        run = s[:j].rstrip(" \t")
        digits = run.replace(" ", "").replace("\t", "")
        if len(digits) >= 2 and (j == n or s[j] not in _SMALL and s[j] not in _BIG and s[j] != "几"):
            if pair and len(digits) == 2 and _pair(digits[0], digits[1], ""):
                return _DIGITS[digits[0]], len(run), False, run.index(digits[1], 1)
            if "两" in digits or digits[0] in _ZEROS or len(digits) > _MAX_DIGITS:
                return None  # 零零三 is a code, 二两 is two liang
            return int("".join(str(_DIGITS[c]) for c in digits)), len(run), False, -1
    total = 0
    max_big = last_big = 0
    section = 0
    num: int | None = None
    num_at = -1
    last_small = 0
    zero = approx = False
    end = zero_end = 0
    pair_at = -1
    prev = ""
    i = 0
    while i < n:
        c = s[i]
        if c in " \t":
            i += 1
            continue
        if c in _DIGITS or c == "几":
            d = _DIGITS.get(c, 0)
            if c == "几":
                if num is not None or not (last_small or zero or last_big):
                    break
                approx = True
            elif d == 0:
                if num is not None and not zero:
                    break  # 五零: two digits in a row
                zero = True
                if not end:
                    zero_end = i + 1
                prev = c
                i += 1
                continue
            elif num is not None:
                if pair and pair_at < 0 and not zero and _pair(s[num_at], c, s[i + 1 : i + 2]):
                    pair_at = i  # 三四万: keep reading with the low digit
                    end = i + 1
                    i += 1
                    continue
                break
            num, num_at, end = d, i, i + 1
        elif c in _SMALL:
            u = _SMALL[c]
            if (last_small and u >= last_small) or (zero and num is None and not end and u != 10):
                if num is not None:
                    num, end = None, num_at  # 八百一千: the 一 starts the next number
                    if pair_at > num_at:
                        pair_at = -1
                break
            if num is None and u != 10 and not zero:
                break  # 一万千: a unit with no digit is not a numeral
            section += (1 if num is None else num) * u
            num, last_small, zero, end = None, u, False, i + 1
        elif c in _TENS:
            if num is not None or (last_small and last_small <= 10):
                break
            section += _TENS[c]
            last_small, zero, end = 10, False, i + 1
        elif c in _BIG:
            b = _BIG[c]
            v = section + (num or 0)
            if c == prev == "万" and not v:
                total *= b
                b = max_big = 10**8  # 四万万 = 4亿
            elif b > max_big and (v or total):
                total = (total + v) * b  # 一万亿, 三千万亿: the unit scales all before it
                max_big = b
            elif v and last_big and b < last_big:
                total += v * b
            else:
                break
            last_big = b
            section, num, last_small, zero, end = 0, None, 0, False, i + 1
        else:
            break
        prev = c
        i += 1
    if end == 0:
        return (0, zero_end, False, -1) if zero_end else None  # 零
    if num is not None:
        if zero:
            section += num
        elif last_small >= 100:
            section += num * last_small // 10  # 三百五 = 350, 一千二 = 1200
        elif not last_small and last_big and not section:
            total += num * last_big // 10  # 一万五 = 15000
        else:
            section += num
    return total + section, end, approx, pair_at


def _pair(a: str, b: str, after: str) -> bool:
    """三四, 十七八, 一两: two neighbouring digits that mean 'three or four'."""
    x, y = _DIGITS.get(a, -1), _DIGITS.get(b, -1)
    if b == "两":
        return a == "一"
    if x <= 0 or (a == "两" and b != "三"):
        return False
    return y == x + 1 or (x == 3 and y == 5 and after in _UNIT_CHARS)  # 三五百 but not 十三五


def _read_cn(s: str) -> tuple[float, int, bool, float | None] | None:
    """A Chinese numeral, possibly with 点 and a range pair: (value, length used, approx, high)."""
    if len(s) == 1 and s in _DIGITS:
        return float(_DIGITS[s]), 1, False, None
    if s == "半百":
        return 50.0, 2, False, None
    if len(s) == 2 and s[0] in _SMALL and s[1] in _DIGITS:  # 百三 = 130, 千三 = 1300
        u = _SMALL[s[0]]
        return float(u + _DIGITS[s[1]] * u // 10), 2, False, None
    whole, dot, frac = s.partition("点")
    if _PLAN.fullmatch(whole):
        return None
    r = _cn_integer(whole, pair=not dot)
    if r is None:
        return None
    value, k, approx, pair_at = r
    high = None
    if pair_at >= 0:
        low_at = pair_at - 1
        while whole[low_at] in " \t":
            low_at -= 1
        h = _cn_integer(whole[:low_at] + whole[low_at + 1 : k], pair=False)
        if h is None or h[1] != k - 1 or h[0] <= value:
            return None
        high = float(h[0])
    if not dot or k < len(whole.rstrip(" \t")) or high is not None:
        return float(value), k, approx, high
    frac = frac.replace(" ", "").replace("\t", "")
    scale = 1
    while frac and frac[-1] in _BIG:
        scale *= _BIG[frac[-1]]
        frac = frac[:-1]
    if not frac or any(c not in _DIGITS for c in frac):
        return float(value), k, approx, None
    v = float(f"{value}.{''.join(str(_DIGITS[c]) for c in frac)}") * scale
    return v, len(s), approx, None


def parse_chinese_number(s: str) -> float | None:
    """The value of a Chinese numeral (`一千二百三十四万`, `三十点五`, `壹佰`, `廿二`), or None."""
    s = s.strip().translate(_TRANSLATE)
    r = _read_cn(s) if s else None
    if r is None or r[1] != len(s) or r[3] is not None:
        return None
    return r[0]


def _arabic(s: str) -> float | None:
    if s.isdigit():
        return float(s) if len(s) <= _MAX_DIGITS else None
    s = s.replace(",", "").replace("，", "")
    if "^" in s:
        return _power(s)
    mantissa = s.partition("e")[0].partition("E")[0]
    if len(mantissa.partition(".")[0]) > _MAX_DIGITS:
        return None  # a run of digits this long is an identifier, not an amount
    return float(s)


def _power(s: str) -> float | None:
    """`10^8`, `2^-1`, `1.1^--23` (two minus signs make a plus), or None past float range."""
    base, _, exp = s.partition("^")
    digits = exp.lstrip("+-")
    sign = -1 if (len(exp) - len(digits) and exp[: len(exp) - len(digits)].count("-") % 2) else 1
    try:
        return float(base) ** (sign * int(digits))
    except (OverflowError, ZeroDivisionError):
        return None


def _mult_value(m: str | None) -> float:
    if not m:
        return 1.0
    v = 1.0
    for c in m:
        v *= _BIG.get(c) or _SMALL.get(c) or (1000 if c in "kK" else 1)
    return v


def _number(text: str) -> tuple[float, bool] | None:
    """An Arabic or Chinese number as written inside a percent or fraction, and whether Chinese."""
    if text[0].isdigit() or text[0] == ".":
        v = _arabic(text)
        return None if v is None else (v, False)
    if text in "百佰千万":
        return _mult_value(text.replace("佰", "百")), True
    r = _read_cn(text)
    if r is None or r[1] != len(text) or r[3] is not None:
        return None
    return r[0], True


def _lone_word_yi(text: str, s: int, e: int) -> bool:
    prev = text[s - 1] if s else ""
    nxt = text[e] if e < len(text) else ""
    return prev in _YI_WORD_PREV or nxt in _YI_WORD_NEXT


def _discount(text: str, s: int, nxt: str) -> bool:
    """八折 is a discount after 打/按 or before 优惠/销售...; elsewhere 折 is a word (一波三折)."""
    return (s > 0 and text[s - 1] in "打按") or not nxt or nxt in _ZHE_AFTER


def _in_word(text: str, s: int, e: int) -> bool:
    prev = text[s - 1] if s else ""
    nxt = text[e] if e < len(text) else ""
    return _is_cjk(prev) or _is_cjk(nxt)


def _starts_range(text: str, e: int) -> bool:
    """Whether a range separator and another number follow position E (三到五个)."""
    m = _RANGE_SEP.match(text, e)
    return bool(m and m.end() < len(text) and _QUANTITY.match(text, m.end()))


def _lone_word(m: re.Match, t: re.Match, text: str, e: int) -> bool:
    """Whether the single Chinese digit the match ends with at E is part of a word (四川, 一看)."""
    s0 = e - 1
    c = text[s0]
    nxt = text[e] if e < len(text) else ""
    if (c in _CAPITALS and _in_word(text, s0, e)) or (c == "一" and _lone_word_yi(text, s0, e)):
        return True  # 大陆, 一是, 第一时间
    return (
        t["mid"] is None
        and t["post"] is None
        and not (m["ord"] or m["pre"] or m["neg"])
        and _is_cjk(nxt)
        and nxt not in _D
        and nxt not in _MEASURE_NEXT
        and not _starts_range(text, e)
    )


def _read_number(m: re.Match, text: str) -> tuple[float, int, bool, float | None, float, bool] | None:
    """The number of a match in the plain-number branch: (value, end, approx, high, scale, chinese);
    END is short of the match where a numeral is read shorter than written (八百一千)."""
    ar = m["ar"]
    if ar is not None:
        if ar[0] == "0" and len(ar) > 1 and ar[1].isdigit():
            return None  # 0731, 007: a code, not an amount
        v = _arabic(ar)
        if v is None:
            return None
        scale = _mult_value(m["mult"])
        value = v * scale
        end = m.end("mult") if m["mult"] else m.end("ar")
        if m["chain"]:  # 5万4千6百, 1亿2300万
            last = scale
            for p in _CHAIN_PART.finditer(m["chain"]):
                if p[2] is None and last != 1e4:
                    break  # only 3万5000: four digits after 万 count in its unit
                s = _mult_value(p[2] and p[2].replace("佰", "百").replace("仟", "千"))
                part = int(p[1]) * s
                if s >= last or part >= last:
                    break
                value += part
                last = s
                end = m.start("chain") + p.end()
        return value, end, False, None, scale, False
    cn = m["cn"]
    after = m.end("cn")
    if len(cn) > 2 and cn[-2] in "万亿" and cn[-1] in _DIGITS and m["unit"] and m.start("unit") == after:
        cn = cn[:-1]  # 两三万一平米: the 一 counts the 平米, it is not 一万五's 五
    r = _read_cn(cn)
    if (r is None or r[1] < len(cn)) and cn[-1] in "千仟" and text[after : after + 1] in _KILO_UNIT:
        r2 = _read_cn(cn[:-1])  # 二十五千克: 千克 is the unit
        r = r2 if r2 is not None and r2[1] == len(cn) - 1 else r
    if r is None:
        return None
    value, k, approx, high = r
    written = cn[:k]
    scale = 1e8 if "亿" in written else 1e4 if "万" in written else 1.0
    if k == len(cn) and m["cmult"]:  # 两个亿
        return value * 1e8, m.end("cmult"), approx, None if high is None else high * 1e8, 1e8, True
    return value, m.start("cn") + k, approx, high, scale, True


def _read(m: re.Match, text: str, units: Collection[str] | None) -> tuple[Quantity | None, int]:
    """The quantity the match M starts, and where scanning goes on; units: as in find_figures.

    Read in steps: the number, its tail (余/多 and a multiplier, the unit, 以上…), whether
    find_figures wants it, the unit's special forms, a unit that is no unit, the bound words."""
    start = m.start()
    r = _read_plain(m, text) if m["ne"] is not None else _read_ratio_words(m)
    if r is None:
        return None, m.end()
    value, num_end, high, approx, scale, chinese, fraction, percent = r
    t = m if num_end == m.start("t") else _TAIL.match(text, num_end)
    unit = t["unit"] or ""
    if units is not None and not (
        scale != 1.0 or m["ord"] or percent or fraction or _figure_tail(t, unit, units, text, num_end)
    ):
        return None, max(num_end, start + 1)  # find_figures: a bare number, skipped unread
    if t["mid"]:
        value, high, scale, approx = _read_mid(t["mult2"], value, high, scale)
    end = t.end()
    keep_unit = True
    if fraction or percent:
        keep_unit = percent and unit in ("%", "")  # 三分之一家: a unit after a fraction is the noun's
        unit = "%" if percent else ""
    elif m["cn"] is not None and num_end - m.start("cn") == 1 and _numeral_is_word(m, t, text, num_end, unit):
        return None, num_end  # 大陆, 一是, 四川, 零部件: a word, not a number
    elif unit == "打":
        value, high, keep_unit = _read_dozen(text, t.end(), value, high)
        unit = ""
    elif unit in _UNIT_FORMS or unit[-1:] == "点":
        exact = scale == 1.0 and high is None  # only a number with no multiplier or range is 九成
        value, unit, keep_unit, end = _read_unit_form(m, t, text, value, unit, exact, chinese)
    if m["cur"] and not unit:
        unit = _CURRENCY_SIGNS[m["cur"]]
    post = t["post"]
    if not keep_unit and t["unit"]:
        post, end = None, t.start("unit")  # the unit is not one: the quantity ends before it
        if not fraction and not percent:
            unit = ""
            if m["cn"] is not None and end - m.start("cn") == 1 and _lone_word(m, t, text, end):
                return None, end  # 一成不变: 成 is part of the word
    approx = approx or high is not None  # a range is approximate
    bound = None
    if post or m["pre"]:
        bound, approx = _read_bound_words(m["pre"], post, approx)
    if not abs(value) < _MAX_VALUE or (high is not None and not abs(high) < _MAX_VALUE):
        return None, end  # 8e55, 1万亿亿: no amount is this large; an identifier or garbage
    while end > start and text[end - 1] in " \t":
        end -= 1
    q = Quantity(
        float(value), _UNIT_FIX.get(unit, unit), text[start:end], start, end, high, approx, bound, scale,
        bool(m["ord"]), fraction, chinese,
    )  # fmt: skip
    return q, max(end, start + 1)


def _read_dozen(text: str, end: int, value: float, high: float | None) -> tuple[float, float | None, bool]:
    """一打, 五十打: dozens, counted out (value, high, whether 打 stays with the number)."""
    if text[end : end + 1] in _DA_VERB:
        return value, high, False
    return value * 12, None if high is None else high * 12, True


# The number a step reads: (value, where the number ends and its tail begins, high end of a range,
# approx, scale, chinese, fraction, percent).
_Number = tuple[float, int, float | None, bool, float, bool, bool, bool]


def _read_ratio_words(m: re.Match) -> _Number | None:
    """The number of a match outside the plain-number branch: 百分之…, 千分之…, 1/2."""
    if m["ppct"] is not None:
        return _read_percent_words(m)
    if m["den1"] is not None:
        return _read_per_mille_words(m)
    return _read_slash_fraction(m)


def _read_percent_words(m: re.Match) -> _Number | None:
    """百分之十二点五, 负百分之三, 百分之3k: the number after 百分之, as a percent."""
    p = m["pnum"] if m["pnum"] is not None else m["pnum2"]
    r = _read_cn(p) if _is_cjk(p[0]) and p not in "百佰" else None
    high, approx = None, False
    if r is not None:
        value, k, approx, high = r
        if k != len(p):
            return None
    else:
        v = _number(p)
        if v is None:
            return None
        value = v[0] * (1000 if m["pk"] else 1)
    if (m["pneg"] is not None) != (m["pneg0"] is not None):
        value = -value
        high = None if high is None else -high
    return value, m.start("t"), high, approx, 1.0, _is_cjk(p[0]), False, True


def _read_per_mille_words(m: re.Match) -> _Number | None:
    """千分之六, 万分之三: a fraction over a thousand or ten thousand, as its ratio."""
    num = _number(m["fnum1"])
    if num is None:
        return None
    value = num[0] / _BIG.get(m["den1"], 1000) * (-1 if m["fneg1"] else 1)
    return value, m.start("t"), None, False, 1.0, True, True, False


def _read_slash_fraction(m: re.Match) -> _Number | None:
    """1/2, -3/2, 1又1/5: a fraction in digits, as its ratio; None for a zero denominator."""
    den_v, num_v = float(m["fb"]), float(m["fa"])
    if not den_v:
        return None
    value = (float(m["swhole"]) if m["swhole"] else 0.0) + num_v / den_v
    return -value if m["sneg"] else value, m.start("t"), None, False, 1.0, False, True, False


def _read_plain(m: re.Match, text: str) -> _Number | None:
    """A number in digits or numerals with its multiplier and sign; a 五分之一 fraction after it."""
    n = _read_number(m, text)
    if n is None:
        return None
    value, end, approx, high, scale, chinese = n
    start = m.start()
    if chinese and start and text[start - 1] in "数几" and m["cn"][0] == "十":
        approx = True  # 数十家, 几十万: tens of
    fraction = False
    if m["fnum"] is not None and end == m.start("ne") and high is None:
        # 五分之一, 三又五分之一, 一百万又五十万分之二十五, 负3分之负157
        den = (value, chinese) if m["den2"] is None else _number(m["den2"])
        num = _number(m["fnum"])
        if not den or not den[0] or num is None:
            return None
        value = (0.0 if m["den2"] is None else value) + num[0] / den[0]
        chinese, fraction, scale, approx = den[1], True, 1.0, False
        if m["fneg"]:
            value = -value
        end = m.start("t")
    if m["neg"]:
        value = -value
        high = None if high is None else -high
    return value, end, high, approx, scale, chinese, fraction, False


def _figure_tail(t: re.Match, unit: str, units: Collection[str], text: str, num_end: int) -> bool:
    """Whether the tail makes a plain number a figure: 300多亿, a wanted unit, a range after it."""
    return bool(
        t["mult2"]
        or (unit and (unit in units or unit in _RATIO_UNITS))
        or _before_range(text, num_end)
        or _before_range(text, t.end())
    )


def _read_mid(
    mult: str | None, value: float, high: float | None, scale: float
) -> tuple[float, float | None, float, bool]:
    """余/多/几/来 make a number approximate; a multiplier after them scales it (十余万, 300多亿元)."""
    if not mult:
        return value, high, scale, True
    s = _mult_value(mult)
    return value * s, None if high is None else high * s, scale * s, True


def _numeral_is_word(m: re.Match, t: re.Match, text: str, num_end: int, unit: str) -> bool:
    """Whether a lone numeral is part of a word: 大陆, 一是, 四川, 一看, 两岸; 零部件 (零 counts time)."""
    if not unit and _lone_word(m, t, text, num_end):
        return True
    return text[num_end - 1] in _ZEROS and unit not in _ZERO_UNITS


# Units read in a form of their own: 九成, 八五折, 2‰, 百分点, 三元五角, 十二块五.
_UNIT_FORMS = frozenset("成折‰元块圆")


def _read_unit_form(
    m: re.Match, t: re.Match, text: str, value: float, unit: str, exact: bool, chinese: bool
) -> tuple[float, str, bool, int]:
    """成/折 and ‰ as percents, 百分点 in one form, 角/分 after 元: (value, unit, keep_unit, end)."""
    if unit in ("成", "折"):
        return _read_cheng_zhe(m, t, text, value, unit, exact, chinese)
    end = t.end()
    if unit == "‰":
        return value / 10, "%", True, end
    if unit[-1] == "点":
        return value, "个百分点", True, end  # 百分点, 个 百 分 点
    if end < len(text) and (text[end] in _D or "1" <= text[end] <= "9"):
        value, end = _read_jiao_fen(text, value, unit, end)
    return value, unit, True, end


def _read_cheng_zhe(
    m: re.Match, t: re.Match, text: str, v: float, unit: str, exact: bool, chinese: bool
) -> tuple[float, str, bool, int]:
    """九成 = 90%, 七成六 = 76%, 三成半 = 35%, 八五折 = 85%; other 成 and 折 are no unit (一波三折)."""
    end = t.end()
    after = t.end("unit")
    nxt = text[after] if after < len(text) else ""
    if t["mid"] or nxt in (_CHENG_NEXT if unit == "成" else _ZHE_NEXT) or not exact:
        return v, unit, False, end
    if unit == "折" and chinese and not _discount(text, m.start("cn"), nxt):
        return v, unit, False, end  # 一波三折
    if 0 < v < 10 or (unit == "成" and v == 10):
        value = v * 10  # 九成 = 90%, 9.5成 = 95%
        extra = _CHENG_EXTRA.match(text, after)
        if extra and v == int(v) and v < 10:
            value += 5 if extra[1] == "半" else _digit(extra[1])
            end = extra.end()  # 七成六 = 76%, 三成半 = 35%
        return value, "%", True, end
    if unit == "折" and 10 < v < 100 and v == int(v):
        return v, "%", True, end  # 八五折 = 85%
    return v, unit, False, end


def _read_jiao_fen(text: str, value: float, unit: str, end: int) -> tuple[float, int]:
    """The 角 and 分 after 元 (三千三百八十元五角八分), the tenths after 块 (十二块五): (value, end)."""
    sub = _SUBUNITS.match(text, end)
    if sub.end() > end:
        jiao = _digit(sub[1]) if sub[1] else 0
        fen = _digit(sub[2]) if sub[2] else 0
        return value + (jiao * 10 + fen) / 100, sub.end()
    if unit == "块":
        extra = _KUAI_EXTRA.match(text, end)
        if extra:
            return value + _digit(extra[1]) / 10, end + 1  # 十二块五 = 12.5
    return value, end


# The words after a quantity: its bound, or "" for the words of approximation (之多 is neither).
_POST_WORDS = {
    "以上": "min",
    "及以上": "min",
    "以下": "max",
    "以内": "max",
    "左右": "",
    "上下": "",
    "有余": "",
}


def _read_bound_words(pre: str | None, post: str | None, approx: bool) -> tuple[str | None, bool]:
    """以上/以下/左右 after the quantity and 约/超过/不足 before it: (bound, approx)."""
    bound = _POST_WORDS.get(post)
    if bound == "":
        bound, approx = None, True
    if pre:
        if pre in _APPROX_PRE:
            approx = True
        elif pre in _MIN_PRE:
            bound = "min"
        else:
            bound = "max"
    return bound, approx


def _digit(c: str) -> int:
    return _DIGITS[c] if c in _DIGITS else int(c)


def _mantissa_scale(q: Quantity, text: str) -> float:
    """The multiplier the high end of a range is written with, for a low end written without one:
    万 in 两到三万, 亿 in 七千到九千亿, 千 in 两到三千, k in 10~15k."""
    t = text[q.start : q.end]
    if q.scale > 1:
        return q.scale
    if q.chinese:
        s = t.rstrip("".join(_UNITS_CHARS))
        if s and s[-1] in "千仟":
            return 1000.0
        if s and s[-1] in "百佰":
            return 100.0
    return 1.0


_UNITS_CHARS = set("".join(_UNITS)) - set(_CN_CHARS)


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
                and q.high is None
                and r.high is None
                and _RANGE_SEP.fullmatch(gap)
                and (not q.unit or q.unit == r.unit or (not r.unit and q.unit in _CURRENCY_SIGNS.values()))
                and not q.ordinal
                and not r.ordinal
                and not q.fraction
                and not r.fraction
                and q.chinese == r.chinese
            ):
                low = q.value
                s = _mantissa_scale(r, text)
                if q.scale == 1.0 and s > 1 and q.value * s <= r.value:
                    low = q.value * s  # 两到三万: the low end is 2万
                if r.value > low:
                    out.append(
                        Quantity(
                            value=low,
                            unit=r.unit or q.unit,
                            text=text[q.start : r.end],
                            start=q.start,
                            end=r.end,
                            high=r.value,
                            approx=q.approx or r.approx,
                            bound=q.bound or r.bound,
                            scale=r.scale,
                            chinese=q.chinese,
                        )
                    )
                    i += 2
                    continue
        out.append(q)
        i += 1
    return out


_CHAIN_UNITS = {"十": 10, "百": 100, "千": 1000, "万": 10**4, "亿": 10**8}


def _merge_zero_chains(text: str, qs: list[Quantity]) -> list[Quantity]:
    """`1千零1`, `2千零30万`, `100万三千`: a number ending in a multiplier and a smaller one after it
    (past a 零, or written in the other script) are one number; a multiplier after the second part
    scales both (`2千零30万` = 2030万)."""
    out: list[Quantity] = []
    i = 0
    while i < len(qs):
        q = qs[i]
        while True:  # 200亿零四千230: a chain of parts
            j = i + 1
            if j < len(qs) and qs[j].text in _ZEROS and qs[j].start == q.end:
                j += 1  # the 零 between, read as a number of its own
            merged = _zero_chain(text, q, qs[j]) if j < len(qs) else None
            if merged is None:
                break
            q, i = merged, j
        out.append(q)
        i += 1
    return out


def _zero_chain(text: str, q: Quantity, r: Quantity) -> Quantity | None:
    """The number `q` and `r` make together, or None when they are two numbers."""
    gap = text[q.end : r.start]
    last = _CHAIN_UNITS.get(text[q.end - 1 : q.end].replace("仟", "千").replace("佰", "百"))
    if (
        last is None
        or q.unit
        or q.high is not None
        or r.high is not None
        or q.ordinal
        or r.ordinal
        or q.fraction
        or r.fraction
        or r.value <= 0
        or not (len(gap) == 1 and gap in _ZEROS or (not gap and q.chinese != r.chinese))
    ):
        return None
    if r.scale > last:  # 2千零30万: the 万 counts the whole
        value = (q.value + r.value / r.scale) * r.scale
    elif r.value < last:
        value = q.value + r.value
    else:
        return None
    return Quantity(
        value, r.unit, text[q.start : r.end], q.start, r.end, None, q.approx or r.approx, r.bound or q.bound,
        max(q.scale, r.scale), False, False, q.chinese or r.chinese,
    )  # fmt: skip


def find_quantities(text: str) -> list[Quantity]:
    """Every number in TEXT, in order, with its unit, approximation and exact offsets."""
    return _scan(text, None)


def find_figures(text: str, units: Collection[str] | None = None) -> list[Quantity]:
    """The quantities of TEXT that can carry a statistic: with a unit (one of UNITS when given, as
    written), a percent, a fraction, an ordinal or a multiplier (`16.8亿`). Other numbers (codes, list
    numbers, dates when UNITS leaves out 年/月/日) are skipped unread, which is much faster."""
    return _scan(text, frozenset(_UNITS) if units is None else units)


def _may_be_figure(m: re.Match, src: str, units: Collection[str]) -> bool:
    """Decided from the match alone, before the number is read."""
    unit, cn, a, b, c, d, e, f, h, k, p = m.group(
        "unit", "cn", "mult", "ord", "fnum", "fa", "den1", "mult2", "cmult", "cur", "ppct"
    )
    if a or b or c or d or e or f or h or k or p is not None:
        return True
    if unit and (unit in units or unit in _RATIO_UNITS or unit[-1] == "点"):
        return True
    if cn and ("万" in cn or "亿" in cn):
        return True
    # the low end of a range: 3-5家, 2003年至2022年
    e, n = m.start("t"), len(src)
    if e < n and src[e] in _RANGE_START and _RANGE_SEP.match(src, e):
        return True
    e = m.end()
    return e < n and src[e] in _RANGE_START and _RANGE_SEP.match(src, e) is not None


def _before_range(src: str, e: int) -> bool:
    return e < len(src) and src[e] in _RANGE_START and _RANGE_SEP.match(src, e) is not None


def _scan(text: str, units: Collection[str] | None) -> list[Quantity]:
    if not text:
        return []
    # same length, so offsets still point into TEXT
    src = text
    if _NEEDS_TRANSLATE.search(text):
        for c in set(_NEEDS_TRANSLATE.findall(text)):  # a few replaces are faster than translate
            src = src.replace(c, c.translate(_TRANSLATE))
    urls = [(u.start(), u.end()) for u in _URL.finditer(src)] if "://" in src or "www." in src else []
    qs = []
    pos: int | None = 0
    figures = units is not None
    while pos is not None:
        start, pos = pos, None
        for m in _QUANTITY.finditer(src, start):
            s = m.start()
            while urls and urls[0][1] <= s:
                urls.pop(0)
            if urls and urls[0][0] <= s:
                pos = urls[0][1]  # numbers in a link are not quantities
                break
            if figures and not _may_be_figure(m, src, units):
                continue  # find_figures: a bare number, skipped unread
            q, nxt = _read(m, src, units)
            if q is not None:
                qs.append(q)
            if nxt != m.end():
                pos = nxt  # read shorter (八百一千) or longer (七成六) than matched: scan on from there
                break
    qs = _merge_ranges(src, _merge_zero_chains(src, qs))
    return qs if src is text else [_with_text(q, text) for q in qs]


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
