"""Article extraction: page bytes or text in; title, date, source, author, body out.

Bytes are checked (empty, binary), capped, and decoded with the charset verified against the bytes
(`extractors.decode`). Plain-text dumps go to `extractors.textdump`. HTML is parsed once with lxml:
meta tags and JSON-LD are read first, invisible markup is dropped (normalisation stage 1), then the
headline is found, the byline near it read, and the body taken from the densest text block
(`extractors.content`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any

from lxml import etree

from extractors import content, pagemeta
from extractors.dates import (
    comment_date,
    complete_date,
    days_before,
    find_dates,
    lead_date,
    parse_date,
    partial_date,
    relative_days,
    url_date,
)
from extractors.decode import charset_from_headers, decode_html, sniff_utf16
from extractors.normalise.markup import drop_invisible
from extractors.records import Article, UnreadableInput

# Only this much of a page is read: a real article fits many times over, and the work stays bounded.
MAX_BYTES = 4_000_000
TRUNCATED = "input_truncated"
HIDDEN_REMOVED = "hidden_text_removed"
NO_BODY = "no_body_found"
HTML_TRUNCATED = "html_truncated"  # the page ends before its closing tags (an interrupted download)
MARKUP_DAMAGED = "markup_damaged"  # the parser gave up on part of the page (nesting too deep)
HEAD_LINES = 8  # lines at the top of the block searched for the headline and byline
NEAR_CHARS = 300  # how much text after the headline is searched for the byline

_MAGIC = (
    (b"%PDF", "a PDF document"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"\x89PNG", "a PNG image"),
    (b"GIF8", "a GIF image"),
    (b"PK\x03\x04", "a ZIP archive (or an Office document)"),
    (b"\xd0\xcf\x11\xe0", "an Office document"),
    (b"\x1f\x8b", "gzip-compressed data"),
    (b"Rar!", "a RAR archive"),
    (b"7z\xbc\xaf", "a 7z archive"),
    (b"RIFF", "a RIFF media file"),
    (b"\x00\x00\x01\x00", "an icon"),
    (b"wOFF", "a web font"),
)
_MARKUP = re.compile(
    r"<(?:!doctype|html|head|body|meta|title|div|p|span|a|table|br|script|h[1-6])\b", re.IGNORECASE
)
_CONTROL = bytes([*range(0, 9), *range(14, 27), *range(28, 32)])
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*>")


def unreadable_reason(data: bytes) -> str | None:
    """Why these bytes hold no page (empty, binary), or None when they may."""
    if not data:
        return "empty file"
    head = data[:8192]
    if not data.strip() and not head.strip(b"\x00"):
        return "empty file (only NUL bytes)" if head else "empty file"
    if not data.strip():
        return "empty file (white space only)"
    for magic, what in _MAGIC:
        if head.lstrip().startswith(magic):
            return f"not a page: {what}"
    if head.startswith((b"\xff\xfe", b"\xfe\xff")) or sniff_utf16(head):
        return None  # UTF-16 has NUL bytes but is text
    # Text has no control bytes other than white space and ESC; binary data is full of them.
    if len(head) - len(head.translate(None, _CONTROL)) > len(head) // 100:
        return "not a page: binary data"
    return None


def _header(headers: Mapping[str, str] | None, name: str) -> str | None:
    if not headers:
        return None
    for k, v in headers.items():
        if k.lower() == name:
            return v
    return None


def extract_article(
    data: bytes | str, url: str | None = None, headers: Mapping[str, str] | None = None
) -> Article:
    """Read one page (HTML bytes in any encoding, HTML text, or a plain-text dump) into an Article.

    Raises `UnreadableInput` (one-line reason) when there is no page: empty or binary input.
    """
    return extract_page(data, url, headers)[0]


def extract_page(
    data: bytes | str, url: str | None = None, headers: Mapping[str, str] | None = None
) -> tuple[Article, bool]:
    """`extract_article`, and whether the page was HTML: its markup then already cut the body to
    the article, while a text dump's body still runs on into whatever the page shows after it."""
    flags: list[str] = []
    if isinstance(data, bytes):
        if reason := unreadable_reason(data):
            raise UnreadableInput(reason)
        if len(data) > MAX_BYTES:
            data = data[:MAX_BYTES]
            flags.append(TRUNCATED)
        text, _, decode_flags = decode_html(data, charset_from_headers(_header(headers, "content-type")))
        flags += decode_flags
    else:
        text = data
        if not text.strip():
            raise UnreadableInput("empty file (white space only)" if text else "empty file")
        if len(text) > MAX_BYTES:
            text = text[:MAX_BYTES]
            flags.append(TRUNCATED)
    is_html = bool(_MARKUP.search(text[:8192]))
    article = _from_html(text, url, flags, headers) if is_html else _text_dump(text, url)
    article.flags = sorted(set(article.flags) | set(flags))
    return article, is_html


def _text_dump(text: str, url: str | None) -> Article:
    try:
        from extractors.textdump import read_text_dump
    except ImportError:  # the text-dump reader is optional: a plain split keeps the page readable
        lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
        return Article(title=lines[0] if lines else None, body="\n".join(lines[1:]), url=url)
    return read_text_dump(text, url)


def _parse(text: str) -> tuple[etree._Element | None, bool]:
    """The tree, and whether the parser had to give up on part of the page (nesting too deep).

    `huge_tree` lifts libxml2's limit of 256 nested elements: pages with unclosed `<font>` or `<li>`
    tags nest deeper than that, and everything past the limit would be lost.
    """
    text = _XML_DECL.sub("", text, count=1)
    root, fatal = _parse_once(text)
    # Still too deep: the same page without the tags that nest (inline markup first, then every
    # container but paragraphs), so that at least its text is read.
    for tags in (_INLINE_TAGS, _CONTAINER_TAGS):
        if root is not None and not fatal:
            break
        text = tags.sub(" ", text)
        root, _ = _parse_once(text)
    return root, fatal


_INLINE_TAGS = re.compile(r"</?(?:font|span|b|i|u|em|strong|small|big|center|a)\b[^>]*>", re.IGNORECASE)
_CONTAINER_TAGS = re.compile(
    r"</?(?:div|li|ul|ol|dl|dd|dt|table|tbody|tr|td|th|section|article)\b[^>]*>", re.IGNORECASE
)


def _parse_once(text: str) -> tuple[etree._Element | None, bool]:
    parser = etree.HTMLParser(
        remove_comments=True, remove_pis=True, no_network=True, recover=True, huge_tree=True
    )
    try:
        root = etree.fromstring(text, parser)
    except (etree.ParserError, ValueError):
        return None, True
    return root, any(e.level == etree.ErrorLevels.FATAL for e in parser.error_log)


# The last part of a page searched for its closing tags: pages append scripts after `</html>`.
_END_TAG = re.compile(r"</(?:body|html)\s*>", re.IGNORECASE)
_END_WINDOW = 65536


def _cut_short(text: str) -> bool:
    """Whether an HTML page stops before its end (`</body>` / `</html>` never come)."""
    return _END_TAG.search(text, max(0, len(text) - _END_WINDOW)) is None


def _canonical_url(root: etree._Element, meta: dict[str, str]) -> str | None:
    for link in root.iter("link"):
        if "canonical" in (link.get("rel") or "").lower() and (href := link.get("href", "")).startswith(
            "http"
        ):
            return href.strip()
    og = meta.get("og:url", "")
    return og if og.startswith("http") else None


def _from_html(
    text: str, url: str | None, flags: list[str], headers: Mapping[str, str] | None = None
) -> Article:
    root, damaged = _parse(text)
    if root is None:
        raise UnreadableInput("no HTML content could be parsed")
    if damaged:
        flags.append(MARKUP_DAMAGED)
    if TRUNCATED not in flags and _cut_short(text):
        flags.append(HTML_TRUNCATED)
    meta = pagemeta.read_meta(root)
    ld = pagemeta.read_json_ld(root)
    scripted = pagemeta.script_date(root)  # read before scripts are dropped
    if drop_invisible(root):
        flags.append(HIDDEN_REMOVED)
    url = url or _canonical_url(root, meta)

    title, headline, copies = pagemeta.find_headline(root, meta)
    if title is None and ld.get("headline"):
        title = ld["headline"]
    stats = content.stats_for(root)
    block = content.main_block(root, stats, headline)
    if len(copies) > 1 and block:
        # Of several copies of the headline, the article's is the last one before its text.
        nearest = _last_before(copies, block[0], stats)
        if nearest is not headline:
            headline = nearest
            block = content.main_block(root, stats, headline)
    elif (
        headline is None
        and block
        and (first := content.first_paragraph(block, stats)) is not None
        and (found := pagemeta.headline_before(root, first, stats.index, stats.own))
    ):
        # The <title> names no article (the site alone, keyword spam): the headline above the text.
        title, headline = found
    # The byline: just after the headline (or inside its box, under the headline's own text), or
    # just before the article block.
    near_parts = _near_parts(headline, title, block)
    near = _text_of(near_parts, NEAR_CHARS)
    fields = pagemeta.read_byline(near)
    # Unlabelled dates are looked for only above the article's text: below a short article the
    # window reaches the related list and its dates.
    prose = content.first_prose(block, stats)
    stop = (stats.index[prose], stats.index) if prose in stats.index else None
    known = pagemeta.known_dates(meta, scripted, url_date(url), parse_date(ld.get("datepublished")))
    top = pagemeta.read_byline(_text_above(near_parts, stop))
    byline = _byline_date(near_parts, top, stop, known)
    if byline is None:
        byline = _other_byline(root, meta, title, headline, copies, block, stop, known)
    # A byline printed under the article (portals, Q&A sites) is read when the top has none.
    below = (
        pagemeta.read_byline(_own_foot(_text_of(_following(block[-1], NEAR_CHARS), NEAR_CHARS)))
        if block
        else {}
    )
    standalone = _standalone_date(near_parts, NEAR_CHARS, stop) or _pub_named_date(root, stop)
    if headline is not None:
        _cut_before(headline, block)
    lines = content.block_lines(block, stats)

    # The article's own date, most trusted first: what the page says about itself in meta data,
    # then a byline (time element, labelled, short and completed), then the URL, a foot line, a
    # date standing alone under the headline, a dated lead, scripts, a relative day and CMS
    # comments; a date inside the text, in a related list, comments or a footer is never taken.
    # (htmldate as one more fallback was measured on the dev set: it only added wrong dates.)
    date = pagemeta.meta_date(meta) or parse_date(ld.get("datepublished") or ld.get("datecreated"))
    date = date or byline or url_date(url) or below.get("date") or standalone
    date = (
        date
        or _lead_date(lines)
        or scripted
        or _relative_date(top, _text_pieces(near_parts, stop), text, headers)
    )
    date = date or comment_date(text)
    source = pagemeta.meta_value(meta, ("contentsource", "source"))
    if not source or "/" in source:  # a URL is no source name
        source = fields.get("source")
    author = pagemeta.meta_name(meta, ("author",)) or pagemeta.as_name(ld.get("author"))
    author = author or fields.get("author") or fields.get("editor")
    lines = _strip_tail(_strip_head(lines, title))
    if not lines:
        flags.append(NO_BODY)
    return Article(
        title=title,
        date=date,
        source=source,
        author=author,
        url=url,
        body="\n".join(lines),
    )


def _near_parts(
    headline: etree._Element | None, title: str | None, block: list[etree._Element]
) -> list[etree._Element | str]:
    """Where the byline is looked for: what follows the headline, preceded by the headline box's
    own children that do not hold the headline text (a box with the title and a time line); or,
    without a headline, what comes just before the article block."""
    if headline is None:
        return _preceding(block[0], NEAR_CHARS) if block else []
    inner: list[etree._Element | str] = []
    if len(headline) and title:
        for child in headline:
            if isinstance(child.tag, str) and title not in " ".join("".join(child.itertext()).split()):
                inner.append(child)
    return inner + _following(headline, NEAR_CHARS)


def _byline_date(
    parts: list[etree._Element | str], fields: dict, stop: _Stop, known: list[str]
) -> str | None:
    """The date of a byline: a time-named element, a labelled date, or a labelled short date
    (no year, two-digit year) completed from the page's other dates."""
    if d := _dated_element(parts, NEAR_CHARS, stop) or fields.get("date"):
        return d
    if part := fields.get("partial_date") or _dated_element(parts, NEAR_CHARS, stop, _short_date):
        return complete_date(part, known)
    return None


def _short_date(text: str) -> tuple[int | None, int, int] | None:
    """A short date (`18-03-08`, `10-08 12:00`) that is all a time-named element holds."""
    return partial_date(text) if len(text) <= 30 and not find_dates(text) else None


# Where the text under an article stops being its own foot line: a related list, comments, the
# site's footer and copyright line.
_FOOT_END = re.compile(
    r"相关(?:新闻|文章|阅读|链接|报道|推荐)|热门|推荐阅读|网友评论|评论列表|版权所有|©|Copyright|ICP|备案号|主办单位",
    re.IGNORECASE,
)


def _own_foot(text: str) -> str:
    """The text under the article up to where the related list, comments or footer begin."""
    m = _FOOT_END.search(text)
    return text[: m.start()] if m else text


def _text_above(parts: list[etree._Element | str], stop: _Stop) -> str:
    """The window's text above the article's first paragraph: a labelled date further down (a
    footer's `更新时间`) is not the byline's."""
    return " ".join(_text_pieces(parts, stop))[:NEAR_CHARS]


def _other_byline(
    root: etree._Element,
    meta: dict[str, str],
    title: str | None,
    headline: etree._Element | None,
    copies: list[etree._Element],
    block: list[etree._Element],
    stop: _Stop,
    known: list[str],
) -> str | None:
    """The byline date under another copy of the headline (a title bar above the text's own copy),
    or, where no headline element was found, under an old portal's plain cell showing the <title>."""
    for other in copies:
        if other is not headline:
            parts = _near_parts(other, title, block)
            if d := _byline_date(parts, pagemeta.read_byline(_text_above(parts, stop)), stop, known):
                return d
    if headline is None and (cell := pagemeta.title_cell(root, meta)) is not None:
        parts = _near_parts(cell, title, block)
        fields = pagemeta.read_byline(_text_above(parts, stop))
        return _byline_date(parts, fields, stop, known) or _standalone_date(parts, NEAR_CHARS, stop)
    return None


def _lead_date(lines: list[str]) -> str | None:
    """The date of a news lead (`【中国高新网2005年3月2日报道】`) in the first lines of the text."""
    for line in lines[:3]:
        if d := lead_date(line):
            return d
    return None


# The time a page was served, as its scripts or headers give it: what `昨天` counts back from.
_SERVED = re.compile(
    r"""(?:svr_time|server_?time|serverTime|sys_?time|nowTime)["']?\s*[:=]\s*["']?(1\d{9,12})"""
)


def _relative_date(
    fields: dict, pieces: Iterable[str], html: str, headers: Mapping[str, str] | None
) -> str | None:
    """A relative byline day (`昨天`, `前天`) counted back from when the page was served."""
    days = fields.get("days_back")
    if days is None:
        # Unlabelled: a short piece of its own above the text (`昨天 22:17` in the byline).
        days = next((d for p in pieces if len(p) <= 30 and (d := relative_days(p)) is not None), None)
    if days is None:
        return None
    served = None
    if m := _SERVED.search(html):
        served = parse_date(m[1][:10])
    elif value := _header(headers, "date"):
        from datetime import timedelta, timezone
        from email.utils import parsedate_to_datetime

        try:
            # The server's clock in GMT: the byline's `昨天` is a day in China's time zone.
            stamp = parsedate_to_datetime(value)
            china = (
                stamp.astimezone(timezone(timedelta(hours=8))) if stamp.tzinfo else stamp + timedelta(hours=8)
            )
            served = china.date().isoformat()
        except (TypeError, ValueError, IndexError):
            served = None
    return days_before(served, days) if served else None


def _last_before(els: list[etree._Element], block: etree._Element, stats: content.Stats) -> etree._Element:
    """Of elements in document order, the last one before the end of `block` (one inside the
    block counts); the first element when none is."""
    index = stats.index
    end = index.get(block, -1)
    for el in block.iterdescendants():
        end = index.get(el, end)
    before = [el for el in els if index.get(el, end + 1) <= end]
    return before[-1] if before else els[0]


def _first_date(text: str) -> str | None:
    dates = find_dates(text)
    return dates[0][1] if dates else None


# A text node with sentence punctuation, or longer than this, is prose: a date in it is an event's.
_STANDALONE = 100
_PROSE = re.compile(r"[，。；！？]")
_NOTE = re.compile(r"[（(][^（()）]{0,20}[)）]")


# Where a search below the headline stops: (the document index of the article's first paragraph,
# the index of every element), or None to search the whole window.
_Stop = tuple[int, dict[etree._Element, int]] | None


def _standalone_date(parts: list[etree._Element | str], limit: int, stop: _Stop = None) -> str | None:
    """The first date, within `limit` characters and above the article's text, that stands in a
    short text node of its own (`2021/06/18 09:12`, `东方网 2024-05-13`), not one inside a sentence
    (`5月19日是…`)."""
    seen = 0
    for piece in _text_pieces(parts, stop):
        piece = " ".join(piece.split())
        if seen >= limit:
            return None
        seen += len(piece)
        # A note in brackets after the date (`（北京时间，星期三）`) is no sentence.
        bare = _NOTE.sub("", piece)
        if piece and len(piece) <= _STANDALONE and not _PROSE.search(bare) and (d := _first_date(bare)):
            return d
    return None


def _reached(el: etree._Element, stop: _Stop) -> bool:
    if stop is None:
        return False
    i = stop[1].get(el)
    return i is not None and i >= stop[0]


def _text_pieces(parts: list[etree._Element | str], stop: _Stop = None) -> Iterator[str]:
    """The text nodes of the parts in document order, up to the stop element."""
    for p in parts:
        if isinstance(p, str):
            if p and not p.isspace():
                yield p
            continue
        for event, el in etree.iterwalk(p, events=("start", "end")):
            if not isinstance(el.tag, str):
                continue
            if event == "start":
                if _reached(el, stop):
                    return
                if el.text and not el.text.isspace():
                    yield el.text
            elif el is not p and el.tail and not el.tail.isspace():
                yield el.tail


def _following(el: etree._Element, limit: int) -> list[etree._Element | str]:
    """What follows an element in document order (tails and later subtrees, up the tree), until
    about `limit` characters of text have been seen."""
    parts: list[etree._Element | str] = [el.tail or ""]
    size = len(parts[0])
    node: etree._Element | None = el
    while node is not None and size < limit:
        for sib in node.itersiblings():
            if not isinstance(sib.tag, str):
                continue
            parts.append(sib)
            size += sum(len(t.strip()) for t in sib.itertext())
            if sib.tail:
                parts.append(sib.tail)
            if size >= limit:
                break
        node = node.getparent()
        if node is not None and node.tail:
            parts.append(node.tail)
            size += len(node.tail)
    return parts


def _preceding(el: etree._Element, limit: int) -> list[etree._Element | str]:
    """The subtrees just before an element (its earlier siblings), in document order."""
    parts: list[etree._Element | str] = []
    size = 0
    for sib in el.itersiblings(preceding=True):
        if isinstance(sib.tag, str):
            parts.append(sib)
            size += sum(len(t.strip()) for t in sib.itertext())
        if size > limit:
            break
    return parts[::-1]


def _text_of(parts: list[etree._Element | str], limit: int) -> str:
    out = []
    for p in parts:
        out.append(p if isinstance(p, str) else " ".join(t.strip() for t in p.itertext() if t.strip()))
    return " ".join(out)[:limit]


# Elements whose class/id says they hold the publication time (`pubtime`, `blog-postTime`, `date`);
# `update`/`up-time` and recommendation stamps are other dates.
_TIME_NAME = re.compile(r"time|date|pub|publish", re.IGNORECASE)
_OTHER_TIME = re.compile(r"update|up-time|modif|recommend|comment|related|expire", re.IGNORECASE)


def _dated_element(
    parts: list[etree._Element | str],
    limit: int,
    stop: _Stop = None,
    read: Callable[[str], Any] | None = None,
) -> Any:
    """The date of the first time-named element among the parts (attribute or text), within
    `limit` characters of text and above the article's text: a time element in the article or
    the related list below it is no byline. `read` reads the element's text instead of the full
    date patterns (attributes are then not read)."""
    seen = 0
    for p in parts:
        if isinstance(p, str):
            seen += len(p.strip())
            continue
        for el in p.iter():
            if seen >= limit:
                return None
            if not isinstance(el.tag, str):
                continue
            if _reached(el, stop):
                return None
            seen += len(el.text.strip()) if el.text else 0
            names = f"{el.get('class', '')} {el.get('id', '')}"
            if el.tag != "time" and not _TIME_NAME.search(names):
                continue
            if _OTHER_TIME.search(names):
                continue
            for value in (el.get("datetime"), el.get("data-time"), el.get("content")) if read is None else ():
                if value and (d := parse_date(value)):
                    return d
            text = " ".join(t.strip() for t in el.itertext() if t.strip())
            if len(text) <= 80 and (d := (read or _first_date)(text)):
                return d
    return None


# Names that say publication itself (`paperdate`, `pubtime`, `publish-date`, `fbsj` for 发布时间),
# unlike `date`/`time`/`today`, which a page header's clock also wears.
_PUB_NAME = re.compile(r"pub|paper_?date|release|fbsj|fabu", re.IGNORECASE)


def _pub_named_date(root: etree._Element, stop: _Stop) -> str | None:
    """The date of the first element above the article's text whose id or class names the
    publication (an e-paper's `paperdate` in the page header, above the headline)."""
    body = root.find("body")
    if body is None or stop is None:  # without the text's start, a related list's stamps are in reach
        return None
    for el in body.iter():
        if not isinstance(el.tag, str) or _reached(el, stop):
            return None
        names = f"{el.get('class', '')} {el.get('id', '')}"
        if not _PUB_NAME.search(names) or _OTHER_TIME.search(names):
            continue
        for value in (el.get("datetime"), el.get("content")):
            if value and (d := parse_date(value)):
                return d
        text = " ".join(t.strip() for t in el.itertext() if t.strip())
        if len(text) <= 40 and (d := _first_date(text)):
            return d
    return None


def _cut_before(headline: etree._Element, block: list[etree._Element]) -> None:
    """When the article block holds the headline, drop it and what comes before it (breadcrumbs,
    section names): the body starts after the headline."""
    inside = {id(el) for el in block}
    chain = []
    node: etree._Element | None = headline
    while node is not None and id(node) not in inside:
        chain.append(node)
        node = node.getparent()
    if node is None:
        return
    for el in chain:
        for sib in list(el.itersiblings(preceding=True)):
            if isinstance(sib.tag, str):
                sib.getparent().remove(sib)
    headline.getparent().remove(headline)


# Platform disclaimers under re-published articles (`特别声明：以上内容…`, `平台声明：…`) and their
# English versions.
_DISCLAIMER = re.compile(r"^(?:特别|平台|免责|版权)声明\s*[:：]|^Notice\s*:")


def _strip_tail(lines: list[str]) -> list[str]:
    while lines and _DISCLAIMER.match(lines[-1]):
        lines = lines[:-1]
    return lines


def _strip_head(lines: list[str], title: str | None) -> list[str]:
    """Drop the headline and byline lines the article block starts with (they are fields, not body).

    A byline may spread over several short lines (`作者名`, `关注`, `2024-05-08 23:23`, `来自甘肃`):
    short lines without sentence ends are dropped up to the last one that carries a date or label.
    """
    head = lines[:HEAD_LINES]
    cut = 0
    for i, line in enumerate(head):
        if title and (line == title or (len(line) <= len(title) + 2 and title in line)):
            cut = i + 1
            continue
        if len(line) > 120 or any(c in line for c in "。！？!?"):
            break
        if pagemeta.has_label(line) or (len(line) <= 30 and find_dates(line)):
            cut = i + 1
        elif len(line) > 30:
            break
    return lines[cut:]
