"""Publication dates in page text, meta values and URLs, as `YYYY-MM-DD`.

The Chinese and numeric forms (`2022年12月22日`, `2022-12-22 10:30`, `2022/12/22`, `2022.12.22`,
ISO datetimes) are read with regular expressions; `dateparser` (slow to import) is only asked about
a meta value that none of them reads, such as `May 20, 2024`.
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


def find_dates(text: str) -> list[tuple[int, str]]:
    """Every valid full date in the text: (offset, YYYY-MM-DD)."""
    out = []
    for m in DATE.finditer(text):
        if d := _from_match(m):
            out.append((m.start(), d))
    return out


def find_date(text: str) -> str | None:
    """The first valid full date in the text."""
    for m in DATE.finditer(text):
        if d := _from_match(m):
            return d
    return None


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
