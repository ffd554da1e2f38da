"""The record types that flow between the extractors, the store and the CLI."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field


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

    def to_dict(self) -> dict:
        return asdict(self)


class UnreadableInput(ValueError):
    """Input that holds no readable page (empty, binary, ...); the message says why in one line."""
