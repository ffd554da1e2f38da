"""One page in, one clean document out: `extractors.article` then `extractors.normalise`."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from urllib.parse import urlsplit

from extractors.article import extract_article
from extractors.normalise import normalise, normalise_line
from extractors.records import Document


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
    article = extract_article(data, url=url, headers=headers)
    body, flags = normalise(article.body, title=article.title, recurring=recurring)
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
    )
