"""The raw archive: every fetched response kept as a WARC record, so pages can be re-read offline.

Each crawl run writes its own gzipped WARC file under the archive folder (a new file also starts
when one grows past `max_bytes`). Every record is its own gzip member and is flushed at once, so a
crawl killed halfway leaves at most one damaged record at the end of its file; the reader skips it.
A record's locator, `file.warc.gz#offset`, is kept in the `pages` table.

Every response a crawl receives is archived; a `WARC-Zonecrawl-Role` header tells an article page
(`page`, what `zonecrawl reprocess` reads) from the rest (`other`: list pages, robots.txt, errors).
Records without it, written before the header existed, are pages.
"""

from __future__ import annotations

import io
import logging
import os
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http import HTTPStatus
from pathlib import Path

from warcio.archiveiterator import ArchiveIterator
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

log = logging.getLogger(__name__)

SUFFIX = ".warc.gz"
MAX_BYTES = 1 << 30
# The body is stored as the spider received it: already de-chunked and decompressed, so the
# headers that described the transfer would make a reader decode it a second time.
_TRANSFER_HEADERS = {"content-encoding", "transfer-encoding", "content-length"}
ROLE_HEADER = "WARC-Zonecrawl-Role"
PARENT_HEADER = "WARC-Zonecrawl-Parent"  # an attachment's record: the page that links to it
PAGE, OTHER = "page", "other"


@dataclass
class ArchivedResponse:
    """One response read back from the archive."""

    url: str
    status: int
    headers: dict[str, str]
    body: bytes
    fetched_at: str  # ISO 8601, UTC
    locator: str = ""
    extra: dict[str, str] = field(default_factory=dict)


def _warc_date(fetched_at: str | None) -> str:
    """WARC-Date (UTC, seconds, `Z`) from an ISO 8601 time."""
    when = datetime.fromisoformat(fetched_at.replace("Z", "+00:00")) if fetched_at else datetime.now(UTC)
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return when.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _iso(warc_date: str | None) -> str:
    return (warc_date or "").replace("Z", "+00:00")


def _header_pairs(headers: Mapping[str, object]) -> list[tuple[str, str]]:
    pairs = []
    for key, value in headers.items():
        name = key.decode("latin-1") if isinstance(key, bytes) else str(key)
        if name.lower() in _TRANSFER_HEADERS:
            continue
        for v in value if isinstance(value, list | tuple) else [value]:
            pairs.append((name, v.decode("latin-1") if isinstance(v, bytes) else str(v)))
    return pairs


class ArchiveWriter:
    """Appends responses to this run's WARC file; `write_response` returns the record's locator."""

    def __init__(self, directory: str | Path, prefix: str = "zonecrawl", max_bytes: int = MAX_BYTES) -> None:
        self.directory = Path(directory)
        self.directory.mkdir(parents=True, exist_ok=True)
        self.prefix = prefix
        self.max_bytes = max_bytes
        self._file: io.BufferedWriter | None = None
        self._name = ""
        self._writer: WARCWriter | None = None

    def _open(self) -> None:
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%f")
        self._name = f"{self.prefix}-{stamp}-{os.getpid()}{SUFFIX}"
        self._file = open(self.directory / self._name, "ab")  # noqa: SIM115 (kept open for the run)
        self._writer = WARCWriter(self._file, gzip=True)
        info = self._writer.create_warcinfo_record(
            self._name, {"software": "zonecrawl", "format": "WARC 1.0"}
        )
        self._writer.write_record(info)
        self._file.flush()

    def write_response(
        self,
        url: str,
        status: int,
        headers: Mapping[str, object],
        body: bytes,
        fetched_at: str | None = None,
        role: str = PAGE,
        parent: str | None = None,
    ) -> str:
        """Archive one response (an article PAGE or OTHER; PARENT: the page an attachment was linked
        from); returns where it lies, `file.warc.gz#offset`."""
        if self._file is None or self._file.tell() >= self.max_bytes:
            self.close()
            self._open()
        assert self._file is not None and self._writer is not None
        try:
            reason = HTTPStatus(status).phrase
        except ValueError:
            reason = "Unknown"
        pairs = _header_pairs(headers) + [("Content-Length", str(len(body)))]
        http_headers = StatusAndHeaders(f"{status} {reason}", pairs, protocol="HTTP/1.1")
        record = self._writer.create_warc_record(
            url,
            "response",
            payload=io.BytesIO(body),
            length=len(body),
            http_headers=http_headers,
            warc_headers_dict={
                "WARC-Date": _warc_date(fetched_at),
                ROLE_HEADER: role,
                **({PARENT_HEADER: parent} if parent else {}),
            },
        )
        offset = self._file.tell()
        self._writer.write_record(record)
        self._file.flush()
        return f"{self._name}#{offset}"

    def close(self) -> None:
        if self._file is not None:
            self._file.close()
            self._file = None
            self._writer = None

    def __enter__(self) -> ArchiveWriter:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _response(record, name: str, offset: Callable[[], int]) -> ArchivedResponse | None:
    """The response a WARC record holds, or None when the record is cut short.

    OFFSET is asked for only after the body is read: warcio finds it by reading to the record's end.
    """
    http = record.http_headers
    body = record.content_stream().read()
    # The record's block ran out before its declared length: the file ends inside this record.
    if http is None or getattr(record.raw_stream, "limit", 0) > 0:
        return None
    declared = http.get_header("Content-Length")
    if declared is not None and declared.isdigit() and len(body) != int(declared):
        return None
    try:
        status = int(http.get_statuscode())
    except (TypeError, ValueError):
        return None
    return ArchivedResponse(
        url=record.rec_headers.get_header("WARC-Target-URI"),
        status=status,
        headers=_header_dict(http.headers),
        body=body,
        fetched_at=_iso(record.rec_headers.get_header("WARC-Date")),
        locator=f"{name}#{offset()}",
        extra={
            "role": record.rec_headers.get_header(ROLE_HEADER) or PAGE,
            **({"parent": p} if (p := record.rec_headers.get_header(PARENT_HEADER)) else {}),
        },
    )


def _header_dict(pairs: list[tuple[str, str]]) -> dict[str, str]:
    """Headers as a dict; a repeated header's values are joined with `, ` as HTTP allows."""
    headers: dict[str, str] = {}
    for name, value in pairs:
        headers[name] = f"{headers[name]}, {value}" if name in headers else value
    return headers


def _iter_file(path: Path, every: bool = False) -> Iterator[ArchivedResponse]:
    with open(path, "rb") as f:
        records = ArchiveIterator(f)
        try:
            for record in records:
                if record.rec_type != "response":
                    continue
                response = _response(record, path.name, records.get_record_offset)
                if response is None:
                    log.warning("%s: skipped a response record that was cut short", path.name)
                elif every or response.extra["role"] == PAGE:
                    yield response
        # A record cut short by a crawl that was killed: warcio fails in many ways on a damaged
        # tail (zlib, EOF, half-parsed headers); everything before it stands.
        except Exception as e:  # noqa: BLE001
            log.warning("%s: archive ends in a damaged record (%s)", path.name, e)


def archive_files(archive_dir: str | Path) -> list[Path]:
    """The archive's WARC files, oldest first (their names start with the time they were opened)."""
    directory = Path(archive_dir)
    return sorted(directory.glob(f"*{SUFFIX}")) if directory.is_dir() else []


def iter_responses(archive_dir: str | Path, every: bool = False) -> Iterator[ArchivedResponse]:
    """Every complete article page in the archive (EVERY: every response), in the order it was written."""
    for path in archive_files(archive_dir):
        yield from _iter_file(path, every)


def read_response(archive_dir: str | Path, locator: str) -> ArchivedResponse | None:
    """The response at LOCATOR (`file.warc.gz#offset`), or None when it is missing or damaged."""
    name, _, offset = locator.partition("#")
    path = Path(archive_dir) / name
    if not path.is_file() or not offset.isdigit():
        return None
    with open(path, "rb") as f:
        f.seek(int(offset))
        try:
            for record in ArchiveIterator(f):
                return _response(record, name, lambda: int(offset)) if record.rec_type == "response" else None
        except Exception:  # noqa: BLE001 (a damaged record, see _iter_file)
            return None
    return None
