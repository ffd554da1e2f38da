"""How a word is searched for in the trigram full-text indexes: one rule for `Store.search` and the
Datasette search box (`crawler/datasette/plugins/short_search.py`)."""

from __future__ import annotations

TRIGRAM_MIN_CHARS = 3  # the shortest word a trigram index can match (麓谷 is too short)


def needs_scan(query: str) -> bool:
    """Whether QUERY has a word the trigram index cannot match, so a LIKE scan must find it."""
    terms = query.split()
    return bool(terms) and min(len(t) for t in terms) < TRIGRAM_MIN_CHARS


def like_pattern(term: str) -> str:
    """A LIKE pattern (with `escape '\\'`) that matches TERM anywhere, its wildcards taken literally."""
    return "%" + term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
