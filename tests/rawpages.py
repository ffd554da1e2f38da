"""Raw HTTP responses kept under tests/fixtures/raw/ (status line, headers, blank line, body bytes)."""

from __future__ import annotations

from conftest import FIXTURES
from scrapy import Request
from scrapy.http import Headers
from scrapy.responsetypes import responsetypes

RAW = FIXTURES / "raw"


def raw_response(name: str, url: str, meta: dict | None = None):
    """The response Scrapy would build from the raw file NAME fetched at URL, with the request's META.

    It goes through the encoding-repair middleware, as every crawled page does.
    """
    from crawler.middlewares import EncodingRepairMiddleware

    data = (RAW / f"{name}.http").read_bytes()
    head, body = data.split(b"\r\n\r\n", 1)
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    headers = Headers({k.strip(): v.strip() for k, v in (line.split(":", 1) for line in lines[1:])})
    request = Request(url, meta=dict(meta or {}))
    cls = responsetypes.from_args(headers=headers, url=url, body=body)
    response = cls(url=url, status=status, headers=headers, body=body, request=request)
    return EncodingRepairMiddleware(_StatsOnly()).process_response(request, response)


class _StatsOnly:
    class stats:  # noqa: N801 (stands in for a crawler's stats collector)
        @staticmethod
        def inc_value(*args, **kwargs) -> None:
            pass
