"""Files named on the command line -> documents, with one-line messages for what cannot be read."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

from extractors.attachments import attachment_kind, read_attachment
from extractors.document import read_document
from extractors.records import Document, UnreadableInput


def iter_paths(paths: Iterable[str | Path]) -> Iterator[Path]:
    """Each path given; a directory stands for every file in it (sorted, hidden files skipped)."""
    for p in map(Path, paths):
        if p.is_dir():
            yield from sorted(f for f in p.iterdir() if f.is_file() and not f.name.startswith("."))
        else:
            yield p


def read_path(path: Path) -> Document:
    """Read one file into a document; raises UnreadableInput with a one-line reason."""
    try:
        data = path.read_bytes()
    except OSError as e:
        raise UnreadableInput(e.strerror or str(e)) from None
    if attachment_kind(data, path.name):  # a spreadsheet or PDF bulletin: its tables and text
        return read_attachment(data, doc=path.stem, name=path.name)
    return read_document(data, doc=path.stem)
