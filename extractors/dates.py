"""Publication dates in page text, meta values and URLs, as `YYYY-MM-DD`.

The Chinese and numeric forms (`2022年12月22日`, `2022-12-22 10:30`, `2022/12/22`, `2022.12.22`,
ISO datetimes) are read with regular expressions; `dateparser` (slow to import) is only asked about
a meta value that none of them reads, such as `May 20, 2024`.

Bylines also print short dates (`10-08 12:00`, `18-03-08`) that the page's other dates complete,
relative days (`昨天`) counted back from when the page was served, dated news leads
(`【中国高新网2005年3月2日报道】`), and publication fields left in CMS comments.
"""

from __future__ import annotations

import re
from datetime import date

FIRST_YEAR, LAST_YEAR = 1990, 2100

# A full date; the separators must agree in kind (`2022-12-22`, `2022年12月22日`, ...).
DATE = re.compile(
    r"(?<![\d.])((?:19|20)\d\d)\s*(?:"
    r"年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]?"
    r"|-\s*(\d{1,2})\s*-\s*(\d{1,2})"
    r"|/\s*(\d{1,2})\s*/\s*(\d{1,2})"
    r"|\.(\d{1,2})\.(\d{1,2})"
    r")(?!\d)"
)
_UTC = re.compile(r"((?:19|20)\d\d)-(\d\d)-(\d\d)[T ](\d\d):(\d\d)(?::\d\d(?:\.\d+)?)?\s*(?:Z|[+-]00:?00)$")
# Dates in URLs: /2024/0510/, /20240515/, /2024-05/13/, t20240520_, 2024-05-16/doc, /202405/t20240520
URL_DATE = re.compile(r"(?<!\d)((?:19|20)\d\d)[-/_]?(0[1-9]|1[0-2])[-/_]?(0[1-9]|[12]\d|3[01])(?!\d)")
# Portals that do not pad: /art/2023/3/15/art_1229_1.html (whole path segments only).
URL_PATH_DATE = re.compile(r"/((?:19|20)\d\d)/(\d{1,2})/(\d{1,2})/")


def make_date(year: int | str, month: int | str, day: int | str) -> str | None:
    """`YYYY-MM-DD` for a real calendar day in the plausible range, else None."""
    try:
        d = date(int(year), int(month), int(day))
    except ValueError:
        return None
    if not FIRST_YEAR <= d.year <= LAST_YEAR:
        return None
    return d.isoformat()


def _from_match(m: re.Match) -> str | None:
    groups = [g for g in m.groups()[1:] if g is not None]
    return make_date(m[1], groups[0], groups[1])


# Dates in Chinese numerals, as official documents sign them: `二〇二三年三月十五日`.
_CN = "〇零○Ｏ一二三四五六七八九"
CN_DATE = re.compile(
    rf"([{_CN}]{{4}})\s*年\s*(十[一二]?|[一二三四五六七八九])\s*月\s*"
    r"(三十一?|二?十[一二三四五六七八九]?|[一二三四五六七八九])\s*[日号]"
)


def _cn_number(text: str) -> int:
    """`十五` -> 15, `二十` -> 20, `三` -> 3; a year's digits one by one (`二〇二三` -> 2023)."""
    digits = [_CN.index(c) - 3 if _CN.index(c) >= 4 else 0 for c in text if c != "十"]
    if "十" not in text:
        return int("".join(map(str, digits)))
    tens, _, ones = text.partition("十")
    return (_cn_number(tens) if tens else 1) * 10 + (_cn_number(ones) if ones else 0)


def _cn_dates(text: str) -> list[tuple[int, str]]:
    if "年" not in text:
        return []
    out = []
    for m in CN_DATE.finditer(text):
        if d := make_date(_cn_number(m[1]), _cn_number(m[2]), _cn_number(m[3])):
            out.append((m.start(), d))
    return out


def find_dates(text: str) -> list[tuple[int, str]]:
    """Every valid full date in the text: (offset, YYYY-MM-DD)."""
    out = []
    for m in DATE.finditer(text):
        if d := _from_match(m):
            out.append((m.start(), d))
    return sorted(out + cn) if (cn := _cn_dates(text)) else out


def find_date(text: str) -> str | None:
    """The first valid full date in the text."""
    dates = find_dates(text)
    return dates[0][1] if dates else None


def parse_date(value: str | None) -> str | None:
    """A meta or attribute value (`2024-05-16T19:44:13+08:00`, `2024年5月16日`, `May 20, 2024`)."""
    if not value:
        return None
    value = value.strip()
    if m := _UTC.match(value):
        # A UTC time stamp: the page's own (China's) calendar day is 8 hours later.
        from datetime import datetime, timedelta

        stamp = datetime(*map(int, m.groups()))
        return make_date(*(stamp + timedelta(hours=8)).timetuple()[:3])
    if d := find_date(value):
        return d
    if m := re.fullmatch(r"((?:19|20)\d\d)(\d\d)(\d\d)(?:\d{4,6})?", value):
        return make_date(*m.groups())
    if re.fullmatch(r"1[0-9]{9}(?:[0-9]{3})?", value):
        # A Unix timestamp in seconds or milliseconds (read in China's time zone).
        from datetime import datetime, timedelta, timezone

        seconds = int(value[:10])
        return datetime.fromtimestamp(seconds, timezone(timedelta(hours=8))).date().isoformat()
    if len(value) > 40 or not re.search(r"\d", value) or not re.search(r"(?:19|20)\d\d", value):
        return None
    import dateparser  # slow to import: only for values the patterns above do not read

    parsed = dateparser.parse(
        value, settings={"STRICT_PARSING": True, "REQUIRE_PARTS": ["day", "month", "year"]}
    )
    return make_date(parsed.year, parsed.month, parsed.day) if parsed else None


def url_date(url: str | None) -> str | None:
    """The date a URL's path carries (`/20240515/`, `/2024/0510/`, `t20240520_`), if any."""
    if not url:
        return None
    path = url.split("?", 1)[0]
    for pattern in (URL_DATE, URL_PATH_DATE):
        for m in pattern.finditer(path):
            if d := make_date(*m.groups()):
                return d
    return None


# A date without its century or without its year, as bylines print it: `18-03-08` (yy-mm-dd, the
# order Chinese pages use) or `10-08 12:00`, `10月08日` (only read in a labelled byline value).
_SHORT_YEAR = re.compile(r"(?<![\d.:/-])(\d\d)([-/.])(\d{1,2})\2(\d{1,2})(?![\d.:/-])")
_NO_YEAR = re.compile(
    r"(?<![\d.:/-])(?:(\d{1,2})[-/](\d{1,2})(?![\d.:/-])|(\d{1,2})\s*月\s*(\d{1,2})\s*[日号])"
)


def partial_date(text: str) -> tuple[int | None, int, int] | None:
    """(two-digit year or None, month, day) of the first short date in a byline value."""
    if m := _SHORT_YEAR.search(text):
        return int(m[1]), int(m[3]), int(m[4])
    if m := _NO_YEAR.search(text):
        month, day = (m[1], m[2]) if m[1] else (m[3], m[4])
        return None, int(month), int(day)
    return None


def complete_date(part: tuple[int | None, int, int], known: list[str]) -> str | None:
    """A short byline date made whole: the year comes from a full date the page gives elsewhere
    (meta, scripts, URL) on the same month and day; a two-digit year also stands on its own."""
    short_year, month, day = part
    for full in known:
        y, m, d = map(int, full.split("-"))
        if (m, d) == (month, day) and (short_year is None or y % 100 == short_year):
            return full
    return make_date(2000 + short_year, month, day) if short_year is not None else None


# Relative days in bylines (`昨天 22:17`, `前天`), counted back from the page's own time stamp.
_RELATIVE = re.compile(r"(?<![\u4e00-\u9fff])(今天|昨天|前天)(?:\s*\d{1,2}:\d\d)?(?![\u4e00-\u9fff])")
_DAYS_BACK = {"今天": 0, "昨天": 1, "前天": 2}


def relative_days(text: str) -> int | None:
    """How many days back a byline's `今天`/`昨天`/`前天` is, if it says one."""
    m = _RELATIVE.search(text)
    return _DAYS_BACK[m[1]] if m else None


def days_before(day: str, n: int) -> str:
    from datetime import timedelta

    return (date.fromisoformat(day) - timedelta(days=n)).isoformat()


# A dated lead at the start of the text: `【中国高新网2005年3月2日报道】`, `（新华社北京2024年5月16日电）`,
# `新华社北京2024年5月16日电`.
_LEAD = re.compile(
    r"^\s*(?:[【\[（(][^】\]）)]{0,30}?|[^\s，。；]{2,20}?)((?:19|20)\d\d\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日)"
    r"\s*(?:电|讯|报道|消息)"
)


def lead_date(text: str) -> str | None:
    """The date of a news lead the article text starts with."""
    m = _LEAD.match(text)
    return find_date(m[1]) if m else None


# Publication fields that CMS templates leave inside HTML comments (`<!-- 发布时间：2005-03-02 -->`,
# `<!--<publishtime>2005-03-02</publishtime>-->`). Page-generation stamps (`App=CMS…,CostTime=92,
# PublishDate=…`) are when the page was rendered, not written.
_COMMENT = re.compile(r"<!--(.{0,600}?)-->", re.DOTALL)
_COMMENT_FIELD = re.compile(
    r"(?:pub_?date|publish_?(?:date|time)|pub_?time|release_?(?:date|time)|发布时间|发布日期|发表时间|"
    r"发稿时间|成文日期)",
    re.IGNORECASE,
)
_RENDER_STAMP = re.compile(r"CostTime|App=|generat|生成", re.IGNORECASE)


def comment_date(html: str) -> str | None:
    """The publication date HTML comments name, when every such comment agrees."""
    found: set[str] = set()
    for m in _COMMENT.finditer(html):
        body = m[1]
        if _RENDER_STAMP.search(body):
            continue
        for field in _COMMENT_FIELD.finditer(body):
            # The value follows the name within a tag or two (`name="pubdate" value="…"`).
            if d := find_date(body[field.end() : field.end() + 60]):
                found.add(d)
                if len(found) > 1:
                    return None
    return found.pop() if found else None
