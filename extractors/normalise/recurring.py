"""Blocks that recur across pages of one site (footers, charters, menus), learnt from the pages.

`SiteProfile` is pure: feed it the bodies of a site's pages, it returns the blocks seen on at least
`min_pages` of them; that set is what `normalise(..., recurring=...)` drops.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

from extractors.normalise.pinyin import remove_pinyin
from extractors.normalise.script import convert_line

_NOT_TEXT = re.compile(r"[^\w]+")
# Lines shorter than this (in letters and digits) are too common to mean anything across pages.
MIN_KEY = 4


def block_key(line: str) -> str:
    """What two copies of a block have in common: its letters and digits, simplified."""
    return _NOT_TEXT.sub("", convert_line(remove_pinyin(line)[0]))


class SiteProfile:
    """Counts, per block, the pages of one site it appears on."""

    def __init__(self, min_pages: int = 3) -> None:
        self.min_pages = min_pages
        self.pages = 0
        self._seen: Counter[str] = Counter()

    def add(self, body: str) -> None:
        self.pages += 1
        keys = {block_key(ln) for ln in body.splitlines()}
        self._seen.update(k for k in keys if len(k) >= MIN_KEY)

    def add_all(self, bodies: Iterable[str]) -> SiteProfile:
        for body in bodies:
            self.add(body)
        return self

    def recurring(self) -> frozenset[str]:
        """Keys of the blocks seen on at least `min_pages` pages (never when there are fewer pages)."""
        return frozenset(k for k, n in self._seen.items() if n >= self.min_pages)
