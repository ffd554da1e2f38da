"""Datasette plugin: the table search box also finds one- and two-character words (麓谷, 洛).

The trigram full-text index behind `?_search=` cannot match a term shorter than three characters,
so Datasette's own search returns nothing for them. When a query has such a term, this plugin
renames `_search` to `_short_search` before Datasette reads the request, and matches the full-text
table's columns with LIKE instead (a scan: slower, but the tables are small enough). Longer queries
keep the index. `zonecrawl serve` loads it; plain Datasette takes `--plugins-dir crawler/datasette/plugins`.
"""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode

from datasette import hookimpl
from datasette.filters import FilterArguments
from datasette.utils import escape_sqlite

from crawler.textsearch import like_pattern, needs_scan

PARAM = "_short_search"


def rewrite_query_string(query_string: bytes) -> bytes:
    """The query string with a short `_search` renamed to `_short_search`; others unchanged."""
    pairs = parse_qsl(query_string.decode("utf-8", "replace"), keep_blank_values=True)
    if not any(key == "_search" and needs_scan(value) for key, value in pairs):
        return query_string
    return urlencode([(PARAM if key == "_search" else key, value) for key, value in pairs]).encode()


@hookimpl
def asgi_wrapper(datasette):
    def wrap(app):
        async def short_search(scope, receive, send):
            if scope.get("type") == "http" and b"_search=" in scope.get("query_string", b""):
                scope = dict(scope, query_string=rewrite_query_string(scope["query_string"]))
            await app(scope, receive, send)

        return short_search

    return wrap


async def _search_columns(datasette, database: str, table: str) -> list[str]:
    """The columns the table's full-text index covers (none when it has no index)."""
    db = datasette.get_database(database)
    fts = datasette.table_metadata(database, table).get("fts_table") or await db.fts_table(table)
    if not fts:
        return []
    table_columns = set(await db.table_columns(table))
    return [c for c in await db.table_columns(fts) if c in table_columns]


@hookimpl
def filters_from_request(request, database, table, datasette):
    async def short_search():
        query = request.args.get(PARAM, "").strip()
        columns = await _search_columns(datasette, database, table) if query else []
        if not columns:
            return None
        clauses, params = [], {}
        # Every term must occur (as in the indexed search), in any of the indexed columns.
        for i, term in enumerate(query.split()):
            name = f"short_search_{i}"
            params[name] = like_pattern(term)
            any_column = " or ".join(f"{escape_sqlite(c)} like :{name} escape '\\'" for c in columns)
            clauses.append(f"({any_column})")
        return FilterArguments(
            [" and ".join(clauses)],
            params,
            [f'search matches "{query}"'],
            {"search": query, "supports_search": True},
        )

    return short_search
