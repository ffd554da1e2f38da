"""Text dumps of crawled pages (plain text, no markup): header lines give the title, date, source
and author; the rest is the body, which `normalise` cleans like any other.

The header is read on a normalised copy of each line, so labels written in traditional characters
or with pinyin runs (`來源:`, `點(diǎn)擊:`) read like simplified ones.
"""

from __future__ import annotations

import re

from extractors.normalise import normalise_line
from extractors.normalise.boilerplate import is_breadcrumb, is_chrome, is_meta_line
from extractors.normalise.spam import is_spam_line
from extractors.records import Article

# Longer labels first, so `发布时间` is not read as `时间`.
_LABEL = re.compile(
    r"(信息来源|文章来源|来源|发文机关|发布单位|发布机构|发布人|发布者|作者|责任编辑|编辑|发布时间|发表时间|发布日期|"
    r"成文日期|发文日期|印发日期|公开日期|更新时间|日期|时间|索引号|发文字号|文号|主题分类|公开方式|"
    r"点击数?|浏览次数|浏览|阅读|分类|价格|属性|大小|格式|字号)\s*[:：]\s*"
)
_SOURCE = ("信息来源", "文章来源", "来源", "发文机关", "发布单位", "发布机构", "发布人", "发布者")
_AUTHOR = ("作者", "责任编辑", "编辑")
_DATE_LABELS = (
    "发布时间",
    "发表时间",
    "发布日期",
    "成文日期",
    "发文日期",
    "印发日期",
    "公开日期",
    "更新时间",
    "日期",
    "时间",
)
# A date and time before the first label of a byline: `2022-03-11 10:11:41 来源:…`.
_LEADING_DATE = re.compile(
    r"\s*(?:19|20)\d\d\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}日?(?:\s+\d{1,2}:\d\d(?::\d\d)?)?\s*"
)
# A line with a full stop and some length is the article's own text: no byline comes below it.
_PARAGRAPH = re.compile(r"^.{40,}[。！？]")
_DATE = re.compile(r"(?<!\d)((?:19|20)\d\d)\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})(?!\d)")

# The header (title and byline) is looked for among the first lines only.
HEADER_LINES = 15
_MARKUP = re.compile(r"<(?:!doctype|html|head|body|meta|title|div|p|span|a|table|br|script)\b", re.IGNORECASE)


def is_text_dump(text: str) -> bool:
    """Whether a page is plain text rather than HTML (judged on its first few kilobytes)."""
    return not _MARKUP.search(text[:8192])


def find_date(text: str) -> str | None:
    """The first valid calendar date in the text, as YYYY-MM-DD."""
    for m in _DATE.finditer(text):
        year, month, day = int(m[1]), int(m[2]), int(m[3])
        if 1 <= month <= 12 and 1 <= day <= 31:
            return f"{year:04d}-{month:02d}-{day:02d}"
    return None


def read_fields(line: str) -> dict[str, str]:
    """Labelled fields of a byline: {'source', 'author', 'date'} where the line gives them."""
    fields: dict[str, str] = {}
    labels = list(_LABEL.finditer(line))
    if labels and (date := find_date(line[: labels[0].start()])):
        fields["date"] = date  # 2022-03-11 10:11:41 来源:…: the date needs no label
    for m, nxt in zip(labels, labels[1:] + [None]):
        value = line[m.end() : nxt.start() if nxt else len(line)].strip()
        label = m[1]
        if not value:
            continue
        if label in _SOURCE:
            fields.setdefault("source", value)
        elif label in _AUTHOR:
            fields.setdefault("author", value)
        elif label in _DATE_LABELS and (date := find_date(value)):
            fields.setdefault("date", date)
    return fields


def _is_byline(line: str) -> bool:
    """A line of labelled fields: a full meta line, or one that starts with its label (`日期:…`)."""
    if len(line) > 120 or "。" in line:
        return False
    start = m.end() if (m := _LEADING_DATE.match(line)) else 0
    return is_meta_line(line) or (bool(_LABEL.match(line, start)) and bool(read_fields(line)))


def _is_title(line: str) -> bool:
    return (
        len(line) >= 5
        and not line.isascii()
        and not line.endswith(("。", "；", "！"))
        and not (is_spam_line(line) or is_breadcrumb(line) or is_chrome(line) or _is_byline(line))
    )


def read_text_dump(text: str, url: str | None = None) -> Article:
    """Title, date, source and author from the header lines; the lines below them are the body.

    The title is the line above the byline (`来源:… 日期:…`), skipping spam and breadcrumbs, or the
    first title-like line when there is no byline near the top; fields missing from the header are
    taken from a byline elsewhere on the page (document sites print one under the text).
    """
    raw = [ln.strip() for ln in text.splitlines()]
    raw = [ln for ln in raw if ln]
    # the header ends where the article's text begins: a 来源 line under a short text is no byline
    first_paragraph = next(
        (i for i, ln in enumerate(raw[:HEADER_LINES]) if _PARAGRAPH.match(ln)), HEADER_LINES
    )
    head = [normalise_line(ln) or "" for ln in raw[: min(HEADER_LINES, first_paragraph)]]
    byline = next((i for i, ln in enumerate(head) if _is_byline(ln) and read_fields(ln)), None)
    if byline is not None:
        title_at = next((i for i in range(byline - 1, -1, -1) if _is_title(head[i])), None)
        fields = read_fields(head[byline])
        body_from = byline + 1
        if title_at is None:
            # A byline above the headline.
            title_at = next((i for i in range(byline + 1, len(head)) if _is_title(head[i])), None)
            body_from = byline + 1 if title_at is None else title_at + 1
    else:
        title_at = next((i for i, ln in enumerate(head) if _is_title(ln)), None)
        fields = {}
        body_from = 0 if title_at is None else title_at + 1
    if "date" not in fields and title_at is not None:
        # Document sites print an unlabelled date beside the title (`3.0 shokzz 2024-08-18 …`).
        for ln in head[title_at + 1 : title_at + 4]:
            if (_is_byline(ln) or is_chrome(ln)) and (date := find_date(ln)):
                fields["date"] = date
                break
    for ln in raw[body_from:]:
        if {"source", "author", "date"} <= fields.keys():
            break
        if len(ln) <= 120 and "。" not in ln and _LABEL.search(ln):
            line = normalise_line(ln) or ""
            # Only a full byline (two kinds of label, or a counter): `活动时间:…` in a notice is no date.
            if is_meta_line(line):
                for key, value in read_fields(line).items():
                    fields.setdefault(key, value)
    return Article(
        title=raw[title_at] if title_at is not None else None,
        date=fields.get("date"),
        source=fields.get("source"),
        author=fields.get("author"),
        url=url,
        body="\n".join(raw[body_from:]),
    )
