"""The record types that flow between the extractors, the store and the CLI."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field


@dataclass
class Grid:
    """One data table: its caption, the unit line that goes with it (`单位：万元`), its header rows and
    its body rows, merged cells (`rowspan`/`colspan`) repeated into every place they cover."""

    caption: str = ""
    unit: str = ""
    header: list[list[str]] = field(default_factory=list)
    rows: list[list[str]] = field(default_factory=list)


@dataclass
class Article:
    """What `extractors.article` reads from one page, before normalisation."""

    title: str | None = None
    date: str | None = None  # YYYY-MM-DD
    source: str | None = None
    author: str | None = None
    url: str | None = None
    body: str = ""  # paragraphs split by "\n"
    flags: list[str] = field(default_factory=list)
    tables: list[Grid] = field(default_factory=list)  # the page's data tables (`extractors.grids`)


@dataclass
class Document:
    """One page as stored and as printed by `zonecrawl extract --format jsonl`."""

    doc: str
    url: str | None = None
    site: str | None = None
    title: str | None = None
    date: str | None = None
    source: str | None = None
    author: str | None = None
    body: str = ""
    flags: list[str] = field(default_factory=list)
    tables: list[Grid] = field(default_factory=list)  # the data tables (`extractors.grids`)

    def to_dict(self) -> dict:
        return asdict(self)


class UnreadableInput(ValueError):
    """Input that holds no readable page (empty, binary, ...); the message says why in one line.
    `flag` names the case where a crawl records it (`password_protected`, `scanned_pdf`, ...)."""

    def __init__(self, message: str = "", flag: str | None = None) -> None:
        super().__init__(message)
        self.flag = flag
