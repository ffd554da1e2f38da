"""Normalisation: article text -> clean simplified text, in the stages of the design.

Stage 1 (markup) works on the HTML tree in `extractors.markup`; the text stages here run in order:
1b damaged (mojibake) runs, 2 pinyin runs, 3 traditional -> simplified, 4 spam headers, 5 boilerplate, 6 duplicate copies,
7 layout. Each reports what it did, and `normalise` turns that into the document's flags.
"""

from __future__ import annotations

import re
from collections.abc import Collection

from extractors.normalise.boilerplate import remove_boilerplate
from extractors.normalise.duplicates import remove_duplicates
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
    text, repaired, cut = repair_mojibake(text)
    if repaired:
        flags.append("mojibake_repaired")
    if cut:
        flags.append("mojibake_cut")
    text, n = remove_pinyin(text)
    if n:
        flags.append("pinyin_removed")
    text, n = unify_variants(text)
    if n:
        flags.append("variants_unified")
    text, n = to_simplified(text)
    if n:
        flags.append("traditional_converted")
    lines = [ln.strip() for ln in text.splitlines()]
    lines = [ln for ln in lines if ln]
    lines, n = close_spaced_headings(lines)
    if n:
        flags.append("headings_closed")
    lines, n = remove_spam(lines)
    if n:
        flags.append("spam_removed")
    lines, n = remove_boilerplate(lines, recurring, tail=tail)
    if n:
        flags.append("boilerplate_removed")
    lines, n, damaged = remove_duplicates(lines, title=normalise_line(title))
    if n:
        flags.append("duplicate_removed")
    # A copy repaired or cut above reads like the good one by now; where copies were dropped on a page
    # with damaged runs, the damaged copy is taken to be among them (mirror pages repeat one article).
    if damaged or (n and ("mojibake_repaired" in flags or "mojibake_cut" in flags)):
        flags.append("mojibake_copy_dropped")
    lines, joins, quotes = fix_layout(lines)
    if joins:
        flags.append("lines_joined")
    if quotes:
        flags.append("quotes_repaired")
    return "\n".join(lines), flags
