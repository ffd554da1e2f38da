"""Attachments as documents: spreadsheets (.xlsx, .xls, .csv), PDF bulletins and Word files
(.docx) read into a `Document` whose `tables` hold their tables (and whose body holds a PDF's or a
Word file's text), so that `extract_metrics` reads their figures like a page's.

The readers are the ecosystem's (openpyxl, xlrd, pdfplumber, python-docx). A file that cannot be
read (password-protected, corrupt, a scan without a text layer, a legacy binary .doc) raises
`UnreadableInput` with a one-line reason and a flag naming the case.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Iterable
from pathlib import PurePath

from extractors.dates import make_date
from extractors.grids import make_grid, strip_table_lines, text_lines_before
from extractors.normalise import normalise, normalise_line
from extractors.records import Document, Grid, UnreadableInput

__all__ = ["ATTACHMENT_SUFFIXES", "DATE_FROM_PARENT", "attachment_kind", "inherit_date", "read_attachment"]

# What the spiders follow from an article page. Not `.doc`: no well-kept pure-Python reader reads
# the legacy binary format, so fetching it would only add an error (a .doc given to `extract` or met
# in a crawl still gets a one-line `unsupported_format` message).
ATTACHMENT_SUFFIXES = (".xlsx", ".xls", ".csv", ".pdf", ".docx")
PASSWORD_PROTECTED = "password_protected"
CORRUPT = "corrupt_attachment"
SCANNED = "scanned_pdf"
UNSUPPORTED = "unsupported_format"
DATE_FROM_PARENT = "date_from_parent"
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# an encrypted Office 2007+ file is an OLE container holding this stream
_ENCRYPTED_PACKAGE = "EncryptedPackage".encode("utf-16-le")
# a Word 97-2003 file's main stream
_WORD_DOCUMENT = "WordDocument".encode("utf-16-le")
_MAX_TITLE = 80
_DATE_LABEL = re.compile(
    r"(?:发布|印发|发文|公布|成文)?(?:日期|时间)\s*[:：]?\s*((?:19|20)\d\d)\s*[年./-]\s*(\d{1,2})\s*[月./-]\s*(\d{1,2})"
)
_SHEET_NAME = re.compile(r"^(?:Sheet|工作表)\d*$", re.IGNORECASE)


def attachment_kind(data: bytes, name: str = "") -> str | None:
    """`xlsx`, `xls`, `csv`, `pdf`, `docx` or `doc` by the bytes (and the file name where bytes
    cannot tell), or None for anything else (a page)."""
    suffix = PurePath(name).suffix.lower()
    head = data[:8]
    if head.startswith(b"%PDF") or data[:1024].lstrip().startswith(b"%PDF"):
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        if suffix in (".xlsx", ".docx"):
            return suffix[1:]
        # the zip's first member names tell a workbook from a Word document
        return "docx" if b"word/" in data[:65536] else "xlsx" if b"xl/" in data[:65536] else None
    if head.startswith(_OLE):
        if _WORD_DOCUMENT in data:
            return "doc"
        # an encrypted .xlsx or .docx is an OLE file too; only its name tells which
        if suffix in (".doc", ".docx"):
            return suffix[1:]
        return "xls" if suffix in (".xls", ".xlsx", "") else None
    if suffix == ".csv":
        return "csv"
    return None


def read_attachment(data: bytes, doc: str, name: str = "", url: str | None = None) -> Document:
    """The document of an attachment's bytes; NAME (the file name) titles it when its tables do
    not. Raises `UnreadableInput` for what is no attachment or cannot be read."""
    kind = attachment_kind(data, name)
    if kind is None:
        raise UnreadableInput("not a spreadsheet, PDF or Word attachment")
    if kind == "doc":
        raise UnreadableInput("legacy Word .doc (binary): not read, save it as .docx", UNSUPPORTED)
    body = ""
    flags: list[str] = []
    if kind == "pdf":
        body, tables = _read_pdf(data)
    elif kind == "docx":
        body, tables = _read_docx(data)
    elif kind == "xlsx":
        tables = _read_xlsx(data)
    elif kind == "xls":
        tables = _read_xls(data)
    else:
        tables = _read_csv(data)
    title = _title_of(tables, body, name)
    date = _labelled_date(body[:2000])
    if body:
        body, flags = normalise(strip_table_lines(body, tables), title=title, tail=False)
    return Document(
        doc=doc, url=url, title=normalise_line(title), date=date, body=body, flags=flags, tables=tables
    )


def inherit_date(document: Document, parent_date: str | None) -> None:
    """An attachment without a date of its own is published with the page that links to it: it
    takes PARENT_DATE, flagged `date_from_parent` so a user can tell (before its metrics are read,
    which date their periods by it)."""
    if not document.date and parent_date:
        document.date = parent_date
        document.flags = sorted({*document.flags, DATE_FROM_PARENT})


def _labelled_date(text: str) -> str | None:
    """The date a bulletin says it was issued (`发布日期：2023年10月20日`); a period in its title
    (`2023年1-9月`) is no date."""
    m = _DATE_LABEL.search(text)
    return make_date(m[1], m[2], m[3]) if m else None


def _title_of(tables: list[Grid], body: str, name: str) -> str | None:
    """A PDF's or Word file's first line, else the first table's caption, else the file name."""
    first = next((ln.strip() for ln in body.splitlines() if ln.strip()), "")
    if first and len(first) <= _MAX_TITLE:
        return first
    caption = next((g.caption for g in tables if g.caption), None)
    return caption or PurePath(name).stem or None


def _grids(sheets: Iterable[tuple[str, list[list[str]]]]) -> list[Grid]:
    """The data tables of named sheets of cells (a sheet named only `Sheet1` gives no caption)."""
    out = []
    for sheet, cells in sheets:
        width = max((len(r) for r in cells), default=0)
        rows = [r + [""] * (width - len(r)) for r in cells]
        grid = make_grid(rows)
        if grid is not None:
            # a title row in the sheet names the table better than the sheet's tab
            grid.caption = grid.caption or ("" if _SHEET_NAME.match(sheet) else sheet)
            out.append(grid)
    return out


def _cell(value: object) -> str:
    """A spreadsheet value as a table cell writes it: 2168.0 -> `2168`."""
    if value is None:
        return ""
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    return str(value).strip()


# xlsx


def _read_xlsx(data: bytes) -> list[Grid]:
    import openpyxl  # (imported here: pages never need it)

    try:
        book = openpyxl.load_workbook(io.BytesIO(data), data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError) as e:
        raise UnreadableInput(f"corrupt spreadsheet: {_reason(e)}", CORRUPT) from None
    return _grids((ws.title, _xlsx_cells(ws)) for ws in book.worksheets)


def _xlsx_cells(ws) -> list[list[str]]:  # noqa: ANN001 (an openpyxl worksheet)
    cells = [[_cell(v) for v in row] for row in ws.iter_rows(values_only=True)]
    for merged in ws.merged_cells.ranges:  # a merged cell's value in every place it covers
        value = cells[merged.min_row - 1][merged.min_col - 1] if merged.min_row <= len(cells) else ""
        for r in range(merged.min_row - 1, min(merged.max_row, len(cells))):
            for c in range(merged.min_col - 1, min(merged.max_col, len(cells[r]))):
                cells[r][c] = value
    return cells


# xls


def _read_xls(data: bytes) -> list[Grid]:
    import xlrd

    if _ENCRYPTED_PACKAGE in data:
        raise UnreadableInput("password-protected spreadsheet", PASSWORD_PROTECTED)
    try:
        book = xlrd.open_workbook(file_contents=data, formatting_info=True)
    except xlrd.XLRDError as e:
        if "encrypt" in str(e).lower():
            raise UnreadableInput("password-protected spreadsheet", PASSWORD_PROTECTED) from None
        raise UnreadableInput(f"corrupt spreadsheet: {_reason(e)}", CORRUPT) from None
    except (OSError, ValueError, IndexError, AssertionError, KeyError) as e:
        raise UnreadableInput(f"corrupt spreadsheet: {_reason(e)}", CORRUPT) from None
    return _grids((sh.name, _xls_cells(sh)) for sh in book.sheets())


def _xls_cells(sh) -> list[list[str]]:  # noqa: ANN001 (an xlrd sheet)
    cells = [[_cell(v) for v in sh.row_values(r)] for r in range(sh.nrows)]
    for r0, r1, c0, c1 in sh.merged_cells:
        value = cells[r0][c0]
        for r in range(r0, r1):
            for c in range(c0, c1):
                cells[r][c] = value
    return cells


# csv


def _read_csv(data: bytes) -> list[Grid]:
    text = _decode_text(data)
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",\t;|")
    except csv.Error:
        dialect = csv.excel
    rows = [[c.strip() for c in row] for row in csv.reader(io.StringIO(text), dialect)]
    return _grids([("", rows)])


def _decode_text(data: bytes) -> str:
    for codec in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(codec)
        except UnicodeDecodeError:
            continue
    raise UnreadableInput("a CSV file in no known encoding", CORRUPT)


# docx


def _read_docx(data: bytes) -> tuple[str, list[Grid]]:
    """The paragraphs of a Word file as its body, its tables (each with the title or unit line
    written just above it) as grids."""
    import docx
    from docx.opc.exceptions import OpcError
    from docx.table import Table
    from lxml import etree

    if data.startswith(_OLE) and _ENCRYPTED_PACKAGE in data:  # an encrypted .docx: no zip at all
        raise UnreadableInput("password-protected Word file", PASSWORD_PROTECTED)
    try:
        word = docx.Document(io.BytesIO(data))
        lines: list[str] = []
        grids: list[Grid] = []
        for block in word.iter_inner_content():  # paragraphs and tables in document order
            if isinstance(block, Table):
                unit, caption = text_lines_before(lines, len(lines))
                if (grid := make_grid(_docx_cells(block), caption, unit)) is not None:
                    grids.append(grid)
            elif block.text.strip():
                lines.append(block.text.strip())
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError, OpcError, etree.LxmlError) as e:
        raise UnreadableInput(f"corrupt Word file: {_reason(e)}", CORRUPT) from None
    return "\n".join(lines), grids


def _docx_cells(table) -> list[list[str]]:  # noqa: ANN001 (a python-docx table)
    # python-docx repeats a merged cell in each grid position it covers, across and down
    rows = [[re.sub(r"\s+", " ", c.text).strip() for c in row.cells] for row in table.rows]
    width = max((len(r) for r in rows), default=0)
    return [r + [""] * (width - len(r)) for r in rows]


# pdf


def _read_pdf(data: bytes) -> tuple[str, list[Grid]]:
    import pdfplumber
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect

    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            return _pdf_content(pdf)
    except (PDFPasswordIncorrect, PDFEncryptionError):
        raise UnreadableInput("password-protected PDF", PASSWORD_PROTECTED) from None
    except UnreadableInput:
        raise
    except Exception as e:  # pdfminer raises many kinds of errors on a damaged file
        if "password" in str(e).lower() or "encrypt" in type(e).__name__.lower():
            raise UnreadableInput("password-protected PDF", PASSWORD_PROTECTED) from None
        raise UnreadableInput(f"corrupt PDF: {_reason(e)}", CORRUPT) from None


def _pdf_content(pdf) -> tuple[str, list[Grid]]:  # noqa: ANN001 (a pdfplumber PDF)
    texts: list[str] = []
    grids: list[Grid] = []
    images = 0
    for page in pdf.pages:
        texts.append(page.extract_text() or "")
        images += len(page.images)
        for rows in page.extract_tables():
            cells = [[_clean_pdf_cell(c) for c in row] for row in rows]
            grid = make_grid(cells)
            if grid is not None:
                grids.append(grid)
    body = "\n".join(t for t in texts if t.strip())
    if not body.strip():
        if images:
            raise UnreadableInput("scanned PDF: only images, no text layer", SCANNED)
        raise UnreadableInput("PDF without text", CORRUPT)
    return body, grids


def _clean_pdf_cell(cell: str | None) -> str:
    # a PDF cell wraps its text over lines: 营业收入\n(亿元)
    return re.sub(r"\s+", "", cell) if cell else ""


def _reason(e: BaseException) -> str:
    text = str(e).splitlines()[0] if str(e) else type(e).__name__
    return text[:120]
