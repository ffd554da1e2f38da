"""Article extraction: page bytes or text in; title, date, source, author, body out.

PLACEHOLDER: replaced by the real implementation.
"""

from __future__ import annotations

from collections.abc import Mapping

from extractors.records import Article, UnreadableInput


def extract_article(
    data: bytes | str, url: str | None = None, headers: Mapping[str, str] | None = None
) -> Article:
    if isinstance(data, bytes):
        if not data.strip():
            raise UnreadableInput("empty file")
        text = data.decode("utf-8", errors="replace")
    else:
        text = data
    lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
    return Article(title=lines[0] if lines else None, body="\n".join(lines[1:]), url=url)
