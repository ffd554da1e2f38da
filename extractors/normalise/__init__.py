"""Normalisation: article text -> clean simplified text, in the stages of the design.

Stage 1 (markup) works on the HTML tree in `extractors.markup`; the text stages here run in order:
1b damaged (mojibake) runs, 2 pinyin runs, 3 traditional -> simplified, 4 spam headers, 5 boilerplate, 6 duplicate copies,
7 layout. Each reports what it did, and `normalise` turns that into the document's flags.
"""

from __future__ import annotations

import re
from collections.abc import Collection

from extractors.normalise.boilerplate import remove_boilerplate
from extractors.normalise.duplicates import mojibake, remove_duplicates
from extractors.normalise.layout import fix_layout
from extractors.normalise.markup import CONTROL_CHARS
from extractors.normalise.mojibake import close_spaced_headings, repair_mojibake
from extractors.normalise.pinyin import remove_pinyin
from extractors.normalise.recurring import SiteProfile, block_key
from extractors.normalise.script import convert_line, to_simplified, unify_variants
from extractors.normalise.spam import remove_spam

__all__ = ["SiteProfile", "block_key", "normalise", "normalise_line"]

_SPACES = re.compile(r"\s+")


def normalise_line(text: str | None) -> str | None:
    """A title, source or author: pinyin runs removed, simplified, white space collapsed."""
    if text is None:
        return None
    text = repair_mojibake(text)[0]
    out = _SPACES.sub(" ", convert_line(remove_pinyin(text)[0])).strip()
    return out or None


def normalise(
    text: str, *, title: str | None = None, recurring: Collection[str] = (), tail: bool = True
) -> tuple[str, list[str]]:
    """The clean body (paragraphs split by `\\n`) and the flags naming what was changed.

    `title` is the article's headline (body lines repeating it are dropped); `recurring` holds the
    blocks a `SiteProfile` saw on many pages of the same site. `tail` looks for where the article
    ends and page furniture begins (related links, then a charter): text whose markup already cut
    it to the article (`extract_page` on HTML) has none, and its section headings and captions
    would read like one.
    """
    flags: list[str] = []
    text = CONTROL_CHARS.sub("", text)  # stray control bytes of a damaged page
    raw = text
    text, repaired, cut = repair_mojibake(text)
    if repaired:
        flags.append("mojibake_repaired")
    if cut:
        flags.append("mojibake_cut")
    # Which lines were damaged before the repair, for stage 6 to tell a damaged copy it drops from a
    # clean one: a repaired copy reads like the good one by now.
    damaged_before = _damaged_lines(raw, text) if repaired or cut else None
    text, n = remove_pinyin(text)
    if n:
        flags.append("pinyin_removed")
    text, n = unify_variants(text)
    if n:
        flags.append("variants_unified")
    text, n = to_simplified(text)
    if n:
        flags.append("traditional_converted")
    split = text.splitlines()
    if damaged_before is None:
        damaged_before = [False] * len(split)
    elif len(damaged_before) != len(split):
        # A pinyin run broken over a line end joined two lines: judged by the page, which had damage
        # (a mirror page repeats one article).
        damaged_before = [True] * len(split)
    kept = [(ln.strip(), d) for ln, d in zip(split, damaged_before)]
    kept = [(ln, d) for ln, d in kept if ln]
    lines = [ln for ln, _ in kept]
    damaged_before = [d for _, d in kept]
    lines, n = close_spaced_headings(lines)  # line for line
    if n:
        flags.append("headings_closed")
    before = lines
    lines, n = remove_spam(lines)
    if n:
        flags.append("spam_removed")
    lines, n = remove_boilerplate(lines, recurring, tail=tail)
    if n:
        flags.append("boilerplate_removed")
    damaged_before = _follow(before, lines, damaged_before)
    lines, n, damaged = remove_duplicates(lines, title=normalise_line(title), damaged_before=damaged_before)
    if n:
        flags.append("duplicate_removed")
    if damaged:
        flags.append("mojibake_copy_dropped")
    lines, joins, quotes = fix_layout(lines)
    if joins:
        flags.append("lines_joined")
    if quotes:
        flags.append("quotes_repaired")
    return "\n".join(lines), flags


def _damaged_lines(raw: str, repaired: str) -> list[bool]:
    """For each line of the repaired text, whether it was damaged: changed by the repair, or marked
    with mojibake before it. (The repair keeps the lines, cutting and mending inside them.)"""
    raw_lines = raw.splitlines()
    lines = repaired.splitlines()
    if len(raw_lines) != len(lines):
        return [True] * len(lines)
    return [a != b or mojibake(a) > 0 for a, b in zip(raw_lines, lines)]


def _follow(before: list[str], after: list[str], marks: list[bool]) -> list[bool]:
    """The marks of the lines `after` kept of `before` (the stages between them only leave lines out)."""
    out: list[bool] = []
    i = 0
    for line in after:
        while i < len(before) and before[i] != line:
            i += 1
        if i == len(before):  # a line was changed, not only left out: judged by its page
            return [any(marks)] * len(after)
        out.append(marks[i])
        i += 1
    return out
