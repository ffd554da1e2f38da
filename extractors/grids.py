"""Tables as grids: the data tables of a page (HTML `table`) or of a text dump (pipe- or
tab-separated lines), each with its caption, unit line, header rows and body rows.

Merged cells are repeated into every place they cover, so that each body cell has its column's
header above it and its row's header to its left. A table that only positions the page (nested
tables, few figures, long text cells) is a layout table and no grid.
"""

from __future__ import annotations

import heapq
import re
from collections.abc import Iterable, Mapping

from lxml import etree

from extractors.decode import charset_from_headers, decode_html
from extractors.records import Grid

__all__ = ["grids_of_text", "is_figure", "parse_figure", "tables_of_html", "text_lines_before"]

# A figure as a table cell writes it: `1,234.5`, `-3.2`, `12.5%`, `（8.6）`, `12.3*` (a mark that
# sends the reader to a note: a preliminary or estimated figure, still the figure)
_FIGURE = re.compile(r"^[(（]?[-−–+]?\s*(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?\s*%?[)）]?\s*[*＊]?$")
_PARENTHESISED = re.compile(r"^[(（].*[)）]$")
_YEAR_CELL = re.compile(r"^(?:19|20)\d\d$")
_UNIT_LINE = re.compile(r"^[（(]?\s*(?:计量)?单位\s*[:：]\s*([^\s)）,，;；]+)\s*[)）]?$")
_NOTE = re.compile(r"^(?:注|说明|备注|资料来源|数据来源)\s*[:：]")
_SPACE = re.compile(r"\s+")
_MAX_CAPTION = 80
_SENTENCE_END = ("。", "；", "！", "？", ".", "：", ":")  # a line of prose is no title
_MAX_CELL = 200  # a cell longer than this is prose: the table lays out a page
_MIN_FIGURE_SHARE = 0.2
_MAX_SPAN = 200  # a `colspan="9999"` must not build a grid of that width


def is_figure(cell: str) -> bool:
    """Whether CELL holds one number (`1,234.5`, `-3.2`, `12.5%`)."""
    return bool(_FIGURE.match(cell.strip()))


def parse_figure(cell: str) -> tuple[float, bool] | None:
    """The number of a figure cell and whether it carried a `%`, or None. A number in parentheses
    (`(1.2)`) is none: an accountant's negative or an aside, the page does not say which."""
    s = cell.strip().rstrip("*＊").strip()
    if not _FIGURE.match(s) or _PARENTHESISED.match(s):
        return None
    percent = "%" in s
    s = s.strip("%").replace(",", "").replace("−", "-").replace("–", "-").replace(" ", "")
    return float(s), percent


def _clean(text: str) -> str:
    return _SPACE.sub(" ", text.replace("\u3000", " ").replace("\xa0", " ")).strip()


# HTML


def tables_of_html(
    html: str | bytes | etree._Element, headers: Mapping[str, str] | None = None
) -> list[Grid]:
    """The data tables of an HTML page (text, bytes in any encoding, or a parsed tree), in page
    order; HEADERS may name the charset of bytes."""
    root = html if isinstance(html, etree._Element) else _parse(html, headers)
    if root is None:
        return []
    grids = []
    for table in root.iter("table"):
        grid = _grid_of_table(table)
        if grid is not None:
            grids.append(grid)
    return grids


_TABLE_TAG = re.compile(rb"<table\b", re.IGNORECASE)


def _parse(html: str | bytes, headers: Mapping[str, str] | None) -> etree._Element | None:
    if isinstance(html, bytes):
        if not _TABLE_TAG.search(html):
            return None  # most pages: no table to look for, no second decoding
        content_type = next((v for k, v in (headers or {}).items() if k.lower() == "content-type"), None)
        html = decode_html(html, charset_from_headers(content_type))[0]
    elif not _TABLE_TAG.search(html.encode("utf-8", "replace")):
        return None
    parser = etree.HTMLParser(remove_comments=True, no_network=True, recover=True, huge_tree=True)
    try:
        return etree.fromstring(re.sub(r"^\s*<\?xml[^>]*>", "", html), parser)
    except (etree.ParserError, ValueError):
        return None


def _grid_of_table(table: etree._Element) -> Grid | None:
    if any(True for _ in table.iterdescendants("table")):
        return None  # a table holding tables positions the page
    cells = _expand(_own_rows(table))
    if not cells:
        return None
    caption = _caption_element(table)
    unit, before = _lines_before(table)
    return make_grid(cells, caption or before, unit)


def _own_rows(table: etree._Element) -> list[list[tuple[str, int, int]]]:
    """(text, rowspan, colspan) of each cell, row by row, of TABLE itself."""
    rows = []
    for tr in table.iter("tr"):
        row = []
        for td in tr:
            if not isinstance(td.tag, str) or td.tag not in ("td", "th"):
                continue
            row.append((_cell_text(td), _span(td.get("rowspan")), _span(td.get("colspan"))))
        if row:
            rows.append(row)
    return rows


def _cell_text(td: etree._Element) -> str:
    # (a <br> inside a header cell separates words of one name: 营业收入<br>(亿元))
    parts = [t for t in td.itertext() if isinstance(t, str)]
    return _clean("".join(parts))


def _span(value: str | None) -> int:
    digits = re.match(r"\s*(\d+)", value or "")
    return max(1, min(int(digits[1]), _MAX_SPAN)) if digits else 1


def _expand(rows: list[list[tuple[str, int, int]]]) -> list[list[str]]:
    """Rows of cell texts with each merged cell repeated where it spans."""
    grid: list[list[str]] = []
    pending: dict[tuple[int, int], str] = {}  # (row, col) still covered by a rowspan above
    for r, row in enumerate(rows):
        out: list[str] = []
        cells = iter(row)
        c = 0
        while True:
            if (r, c) in pending:
                out.append(pending.pop((r, c)))
                c += 1
                continue
            cell = next(cells, None)
            if cell is None:
                break
            text, rowspan, colspan = cell
            for dc in range(colspan):
                out.append(text)
                for dr in range(1, min(rowspan, len(rows) - r)):
                    pending[(r + dr, c + dc)] = text
            c += colspan
        grid.append(out)
    width = max((len(r) for r in grid), default=0)
    return [r + [""] * (width - len(r)) for r in grid if any(r)]


def _caption_element(table: etree._Element) -> str:
    cap = table.find("caption")
    return _clean("".join(cap.itertext())) if cap is not None else ""


def _lines_before(table: etree._Element) -> tuple[str, str]:
    """The unit line and the title line written just above TABLE (`单位：万元`, `表1 …主要指标`)."""
    unit = title = ""
    el: etree._Element | None = table
    seen = 0
    while el is not None and seen < 3:
        prev = el.getprevious()
        while prev is None and el.getparent() is not None and el.getparent().tag not in ("body", "html"):
            el = el.getparent()
            prev = el.getprevious()
        if prev is None or not isinstance(prev.tag, str) or prev.tag == "table":
            break
        el = prev
        text = _clean("".join(t for t in prev.itertext() if isinstance(t, str)))
        if not text:
            continue
        seen += 1
        if (m := _UNIT_LINE.match(text)) and not unit:
            unit = m[1]
        elif len(text) <= _MAX_CAPTION and not title and not text.endswith(_SENTENCE_END):
            title = text
            break
        else:
            break
    return unit, title


# grids from rows of cells (HTML, text dumps, spreadsheets)


def make_grid(cells: list[list[str]], caption: str = "", unit: str = "") -> Grid | None:
    """A grid of CELLS (rows of equal width) with title and unit rows taken out, or None when the
    cells are no data table."""
    rows = [list(r) for r in cells if any(c.strip() for c in r)]
    caption, unit, rows = _title_rows(rows, caption, unit)
    if not unit and (unit := _unit_in_title(caption)):  # 表1 …主要指标（单位：万元）
        caption = _UNIT_TAIL.sub("", caption).strip()
    rows = [r for r in rows if not _note_row(r)]
    rows = _drop_empty_columns(rows)
    if len(rows) < 2 or len(rows[0]) < 2:
        return None
    if max(len(c) for r in rows for c in r) > _MAX_CELL:
        return None  # prose in a cell, the header's included: the table lays out a page
    n_header = _header_count(rows)
    header, body = rows[:n_header], rows[n_header:]
    if not body or not _is_data(body) or not _names_something(header + body):
        return None
    return Grid(caption=caption, unit=unit, header=header, rows=body)


def _spanning(row: list[str]) -> str | None:
    """The text of a row that is one cell across the table, or None."""
    texts = {c for c in row if c}
    return texts.pop() if len(texts) == 1 and (len(row) == 1 or row.count("") < len(row)) else None


def _title_rows(rows: list[list[str]], caption: str, unit: str) -> tuple[str, str, list[list[str]]]:
    """Leading rows that are one cell across the table: the title or the unit line."""
    while rows and len(rows[0]) > 1 and (text := _spanning(rows[0])) is not None:
        if m := _UNIT_LINE.match(text):
            unit = unit or m[1]
        elif _unit_in_title(text) and not unit:
            unit = _unit_in_title(text)
            caption = caption or _UNIT_TAIL.sub("", text).strip()
        elif not caption:
            caption = text
        rows = rows[1:]
    return caption, unit, rows


_UNIT_TAIL = re.compile(r"[（(]?\s*(?:计量)?单位\s*[:：]\s*([^\s)）,，;；]+)\s*[)）]?\s*$")


def _unit_in_title(text: str) -> str:
    m = _UNIT_TAIL.search(text)
    return m[1] if m else ""


def _note_row(row: list[str]) -> bool:
    text = _spanning(row)
    return text is not None and bool(_NOTE.match(text))


def _drop_empty_columns(rows: list[list[str]]) -> list[list[str]]:
    if not rows:
        return rows
    keep = [c for c in range(len(rows[0])) if any(c < len(r) and r[c].strip() for r in rows)]
    return [[r[c] if c < len(r) else "" for c in keep] for r in rows]


def _value_cell(cell: str) -> bool:
    return is_figure(cell) and not _YEAR_CELL.match(cell.strip())


def _header_count(rows: list[list[str]]) -> int:
    """How many leading rows are headers: rows without a figure (a year is a heading, not a
    figure), with at least one and never every row."""
    n = 0
    while n < len(rows) - 1 and not any(_value_cell(c) for c in rows[n][1:]):
        n += 1
    return max(1, n)


def _is_data(body: list[list[str]]) -> bool:
    """Whether BODY holds figures in cells, rather than laid-out text."""
    cells = [c for r in body for c in r if c.strip()]
    if not cells:
        return False
    figures = sum(is_figure(c) for c in cells)
    return figures >= 2 and figures >= _MIN_FIGURE_SHARE * len(cells)


def _names_something(rows: list[list[str]]) -> bool:
    """Whether any cell is words rather than a figure: a grid of bare numbers (a calendar's days, a
    pager's page numbers) names no figure in it."""
    return any(c.strip() and not is_figure(c) for r in rows for c in r)


# text dumps

_SEPARATOR_ROW = re.compile(r"^\|?\s*:?-{3,}:?\s*(?:\|\s*:?-{3,}:?\s*)*\|?$")


def _split_line(line: str) -> list[str] | None:
    """The cells of a table line (`a | b | c`, `a\tb\tc`), or None for a line of prose."""
    s = line.strip()
    if "|" in s or "｜" in s:
        parts = re.split(r"[|｜]", s.strip("|｜"))
    elif "\t" in s:
        parts = s.split("\t")
    else:
        return None
    cells = [_clean(p) for p in parts]
    return cells if len(cells) >= 2 else None


def grids_of_text(text: str) -> list[Grid]:
    """The tables written as pipe- or tab-separated lines in a text dump."""
    lines = text.splitlines()
    grids: list[Grid] = []
    i = 0
    while i < len(lines):
        block, end = _table_block(lines, i)
        if len(block) >= 2:
            unit, caption = text_lines_before(lines, i)
            grid = make_grid(block, caption, unit)
            if grid is not None:
                grids.append(grid)
        i = max(end, i + 1)
    return grids


def _table_block(lines: list[str], start: int) -> tuple[list[list[str]], int]:
    """The rows of the table that starts at line START (those of its width), and where it ends."""
    rows: list[list[str]] = []
    i = start
    while i < len(lines):
        if _SEPARATOR_ROW.match(lines[i].strip()) and rows:
            i += 1
            continue
        cells = _split_line(lines[i])
        if cells is None or (rows and len(cells) != len(rows[0])):
            break
        rows.append(cells)
        i += 1
    return rows, i


def text_lines_before(lines: list[str], start: int) -> tuple[str, str]:
    """The unit line and the title line just above line START of LINES (a text dump's table, or a
    Word file's table after its paragraphs)."""
    unit = caption = ""
    for line in _nonempty_backwards(lines, start, 2):
        if (m := _UNIT_LINE.match(line)) and not unit:
            unit = m[1]
        elif len(line) <= _MAX_CAPTION and not line.endswith(_SENTENCE_END) and _split_line(line) is None:
            caption = line
            break
        else:
            break
    return unit, caption


def _nonempty_backwards(lines: list[str], start: int, n: int) -> Iterable[str]:
    found = 0
    for line in reversed(lines[:start]):
        if line.strip():
            yield _clean(line)
            found += 1
            if found >= n:
                return


# the body without the tables' cells

_MIN_RUN = 3  # fewer lines that happen to equal cells are prose
_DIGIT = re.compile(r"\d")


def _compact(text: str) -> str:
    return re.sub(r"[\s|｜]+", "", text)


def strip_table_lines(body: str, grids: list[Grid]) -> str:
    """BODY without the runs of lines that are the cells or rows of one of GRIDS (an HTML table's
    cells come out of the page as loose lines; a text dump's table lines are its rows), and without
    a line that is a whole table run together (a site's body selector gives one paragraph per
    element, so a `table` comes as one line of all its cells)."""
    if not grids or not body:
        return body
    lines = body.split("\n")
    texts = [_compact(line) for line in lines]  # once for every grid
    drop: set[int] = set()
    for grid in grids:
        pieces = {_compact(c) for r in grid.header + grid.rows for c in r}
        pieces |= {_compact("".join(r)) for r in grid.header + grid.rows}
        pieces.discard("")
        drop |= _runs(lines, texts, pieces)
        # a whole table run together: more cells than one row has (a row may be a line of its own)
        whole = (pieces | _title_pieces(grid)) - {""}
        lengths = sorted({len(p) for p in whole}, reverse=True)
        least = max(_MIN_RUN, len((grid.header + grid.rows)[0]) + 1)
        drop |= {
            i for i, text in enumerate(texts) if i not in drop and _collapsed(text, whole, lengths, least)
        }
    return "\n".join(line for i, line in enumerate(lines) if i not in drop)


def _title_pieces(grid: Grid) -> set[str]:
    """The caption and unit line as a table's own rows may write them (`单位：亿元`)."""
    out = {_compact(grid.caption)}
    if grid.unit:
        for label in ("单位：", "单位:", "计量单位：", "计量单位:"):
            out |= {_compact(f"{label}{grid.unit}"), _compact(f"（{label}{grid.unit}）")}
            out |= {_compact(f"({label}{grid.unit})"), _compact(f"{grid.caption}（{label}{grid.unit}）")}
    return out


def _collapsed(text: str, pieces: set[str], lengths: list[int], least: int) -> bool:
    """Whether TEXT (a compacted line) is nothing but at least LEAST of the table's cells (PIECES,
    of LENGTHS), figures among them, one after the other (a prose sentence quoting a figure has
    words no cell has)."""
    if len(text) < least or not _DIGIT.search(text):
        return False
    most = {0: 0}  # end of a run of whole cells -> the most cells that reach it
    ends = [0]  # those ends still to go on from, nearest first (a prose line has few)
    while ends:
        i = heapq.heappop(ends)
        for n in lengths:
            j = i + n
            if j <= len(text) and text[i:j] in pieces:
                if j not in most:
                    most[j] = 0
                    heapq.heappush(ends, j)
                most[j] = max(most[j], most[i] + 1)
    return most.get(len(text), 0) >= least


def _runs(lines: list[str], texts: list[str], pieces: set[str]) -> set[int]:
    """Indexes of the lines (TEXTS, compacted) in runs of at least _MIN_RUN lines found in PIECES,
    a figure among them."""
    out: set[int] = set()
    run: list[int] = []
    for i, text in enumerate([*texts, "\0"]):
        if text and text in pieces:
            run.append(i)
            continue
        if not text and run and i < len(lines):
            continue  # a blank line inside the table
        if len(run) >= _MIN_RUN and any(_DIGIT.search(lines[j]) for j in run):
            out.update(run)
        run = []
    return out
