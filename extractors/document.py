"""One page in, one clean document out: `extractors.article` then `extractors.normalise`."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from pathlib import PurePosixPath
from urllib.parse import unquote, urlsplit

from extractors.article import extract_page
from extractors.attachments import attachment_kind, read_attachment
from extractors.grids import grids_of_text, strip_table_lines, tables_of_html
from extractors.normalise import normalise, normalise_line
from extractors.records import Article, Document


def site_of(url: str | None) -> str | None:
    """The host a page belongs to, the unit for cross-page boilerplate and site statistics."""
    if not url:
        return None
    host = urlsplit(url).hostname
    return host.removeprefix("www.") if host else None


def read_document(
    data: bytes | str,
    doc: str,
    url: str | None = None,
    headers: Mapping[str, str] | None = None,
    recurring: Collection[str] = (),
) -> Document:
    """Read one page (HTML bytes in any encoding, or a text dump) into a normalised document.

    `recurring` holds blocks seen on many pages of the same site (footers, charters); they are
    dropped from the body. Raises `UnreadableInput` when there is no page to read.
    """
    return document_from_page(read_page(data, url, headers), doc, url, recurring)


def read_fetched(
    data: bytes,
    doc: str,
    url: str | None = None,
    headers: Mapping[str, str] | None = None,
    recurring: Collection[str] = (),
) -> Document:
    """The document of a fetched response: an attachment (spreadsheet, PDF bulletin) by its bytes
    and file name, else a page. What a crawl and a reprocess read, so both give the same document."""
    name = unquote(PurePosixPath(urlsplit(url).path).name) if url else ""
    if attachment_kind(data, name):
        document = read_attachment(data, doc, name=name, url=url)
        document.site = site_of(url)
        return document
    return read_document(data, doc, url=url, headers=headers, recurring=recurring)


def read_page(
    data: bytes | str, url: str | None = None, headers: Mapping[str, str] | None = None
) -> tuple[Article, bool]:
    """`extract_page` with the page's data tables: where the article reader kept none, they are read
    off the whole page. The one way a page is read, by `read_document`, a crawl and a reprocess."""
    page = extract_page(data, url=url, headers=headers)
    if page[1] and not page[0].tables:  # the article reader kept no tables: read them off the page
        page[0].tables = tables_of_html(data, headers)
    return page


def document_from_page(
    page: tuple[Article, bool], doc: str, url: str | None = None, recurring: Collection[str] = ()
) -> Document:
    """The normalised document of a page `extract_page` has read (a crawl reads each page once
    and learns its site's recurring blocks from the raw article in between)."""
    article, from_html = page
    tables = article.tables if from_html else grids_of_text(article.body)
    text = strip_table_lines(article.body, tables)  # a table's cells are no paragraphs
    body, flags = normalise(text, title=article.title, recurring=recurring, tail=not from_html)
    url = article.url or url
    return Document(
        doc=doc,
        url=url,
        site=site_of(url),
        title=normalise_line(article.title),
        date=article.date,
        source=normalise_line(article.source),
        author=normalise_line(article.author),
        body=body,
        flags=sorted(set(article.flags) | set(flags)),
        tables=tables,
    )
