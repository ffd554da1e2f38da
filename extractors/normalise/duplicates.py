"""Stage 6: a second copy of the article on the same page (mirror pages repeat it, sometimes
damaged by GBK mojibake), or an abstract that repeats the start of the text.

Copies are found on the script-normalised text with character shingles over letters and digits only,
so punctuation, spacing and line breaks do not hide a copy. Of two copies the less damaged one is
kept, in the place of the first.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from itertools import islice

from extractors.normalise.mojibake import ENTITY, MARK

SHINGLE = 5
# Blocks shorter than this (letters and digits) are too short to call copies; hard-wrapped lines
# (about 40 characters) are judged as part of their paragraph, never alone.
MIN_KEY = 50
# Share of a block's shingles found elsewhere on the page for it to count as a copy.
CONTAINED = 0.8

# Replacement characters, a lone `?` and entity names without their `&` (stage 1b's own marks), a
# letter inside Chinese.
_MOJIBAKE = re.compile(
    "|".join(
        f"(?:{p})"
        for p in (r"\ufffd", MARK.pattern, ENTITY.pattern, r"(?<=[\u4e00-\u9fff])[A-Za-z](?=[\u4e00-\u9fff])")
    )
)
_NOT_TEXT = re.compile(r"[^\w]+")
_TRUNCATED = re.compile(r"(?:\.\.\.|…+)\s*$")
# Sentences long enough to compare; each must survive elsewhere for a block to count as a copy.
_SENTENCE = re.compile(r"[^。！？!?；;]{12,}")
_LABEL = re.compile(r"^\s*\S{1,8}\s*[:：]\s*$")


def mojibake(line: str) -> int:
    """Marks of a wrong decoding: replacement characters, `?` inside Chinese, entity remnants."""
    return len(_MOJIBAKE.findall(line))


def damage(line: str) -> int:
    """How damaged a copy looks: mojibake, or a copy cut short (`…`)."""
    return mojibake(line) + bool(_TRUNCATED.search(line))


def _shingles(key: str) -> Counter[str]:
    return Counter(key[i : i + SHINGLE] for i in range(len(key) - SHINGLE + 1))


def _found_elsewhere(sh: Counter[str], page: Counter[str], block: Counter[str] | None = None) -> bool:
    """Whether most shingles of `sh` occur on the page outside the block they belong to."""
    block = block if block is not None else sh
    # A look at a few shingles first settles most blocks, which are no copy at all.
    probe = list(islice(sh, 0, None, max(1, len(sh) // 8)))
    if sum(page[s] > block[s] for s in probe) < 0.5 * len(probe):
        return False
    return sum(page[s] > block[s] for s in sh) >= CONTAINED * len(sh)


def _key(line: str) -> str:
    return _NOT_TEXT.sub("", line)


def remove_duplicates(
    lines: list[str], title: str | None = None, damaged_before: Sequence[bool] | None = None
) -> tuple[list[str], int, int]:
    """The lines with one copy of each repeated block; returns (lines, copies dropped, damaged
    copies among them). Lines that only repeat the title are dropped too.

    `damaged_before` tells, line by line, which lines were damaged before stage 1b repaired them: a
    repaired copy reads like the good one by now, yet a dropped copy counts as damaged when it was.
    """
    lines = list(lines)
    before = list(damaged_before) if damaged_before is not None else [False] * len(lines)
    if len(before) != len(lines):
        raise ValueError(f"damaged_before has {len(before)} entries for {len(lines)} lines")
    keys = [_key(ln) for ln in lines]
    title_key = _key(title) if title else ""
    drop = [len(title_key) >= 4 and k == title_key for k in keys]
    # Shingles of the page run across block boundaries: a hard-wrapped paragraph is copied across
    # its lines.
    page = _shingles("".join(k for k, d in zip(keys, drop) if not d))
    own = [_shingles(k) if len(k) >= MIN_KEY else Counter() for k in keys]

    damaged = 0
    copy = [False] * len(lines)  # dropped as a copy of another block
    hurt = [damage(ln) for ln in lines]
    # The least damage of the lines after each one: where it is no lower than a copy's own, there
    # is no better copy to look for. (Swaps below only move better copies up, so this stays a
    # lower bound.)
    least_after = [0] * len(lines)
    low = None
    for k in range(len(lines) - 1, -1, -1):
        least_after[k] = low if low is not None else hurt[k]
        low = hurt[k] if low is None else min(low, hurt[k])
    # The worst copies go first, later ones before earlier ones at equal damage.
    for i in sorted((i for i, sh in enumerate(own) if sh and not drop[i]), key=lambda i: (-hurt[i], -i)):
        sh = own[i]
        if not _found_elsewhere(sh, page) or not all(
            _found_elsewhere(_shingles(_key(sentence)), page, sh) for sentence in _SENTENCE.findall(lines[i])
        ):
            continue
        # A better copy further down takes this copy's place, to keep the reading order.
        if hurt[i] and least_after[i] < hurt[i] and (j := _better_copy(i, sh, own, hurt, drop)) is not None:
            lines[i], lines[j], own[i], own[j], hurt[i], hurt[j], before[i], before[j] = (
                lines[j],
                lines[i],
                own[j],
                own[i],
                hurt[j],
                hurt[i],
                before[j],
                before[i],
            )
            i = j
        drop[i] = copy[i] = True
        page.subtract(own[i])
        damaged += before[i] or mojibake(lines[i]) > 0
        # The label of a dropped abstract (`摘要:`) goes with it.
        if i > 0 and not drop[i - 1] and _LABEL.match(lines[i - 1]):
            drop[i - 1] = True
    _drop_short_copies(keys, drop, copy)
    return [ln for ln, d in zip(lines, drop) if not d], sum(drop), damaged


# How far below a damaged copy its better copy is looked for, in lines: a mirror page repeats the
# article right after it, and the search stays linear on a page of thousands of copies.
AHEAD = 300


def _better_copy(
    i: int, sh: Counter[str], own: list[Counter[str]], hurt: list[int], drop: list[bool]
) -> int | None:
    """The less damaged line below line i that holds most of its shingles, if one holds enough."""
    # A copy holding most of the shingles holds one of a few spread over the line: a cheap test
    # before the full comparison.
    probes = list(islice(sh, 0, None, max(1, len(sh) // 4)))
    best, best_overlap = None, CONTAINED * len(sh)
    for j in range(i + 1, min(len(own), i + 1 + AHEAD)):
        if drop[j] or hurt[j] >= hurt[i] or not any(p in own[j] for p in probes):
            continue
        overlap = len(sh.keys() & own[j].keys())
        if overlap >= best_overlap:
            best, best_overlap = j, overlap
    return best


# Short lines (a lead-in `…提出5方面工作建议:`, a subheading) are too short to be judged alone: inside
# a dropped copy, one that repeats a kept line this closely goes with the copy.
SHORT_SIMILAR = 0.8
MIN_SHORT = 6
# Fuzzy comparisons allowed per page: a page of thousands of short lines stays linear, and exact
# repeats are still found beyond it.
SIMILAR_BUDGET = 5000


def _drop_short_copies(keys: list[str], drop: list[bool], copy: list[bool]) -> None:
    """Drop, in place, short lines next to a dropped copy that repeat an earlier kept line; repeated
    until the copy's run is closed, so a run of short lines inside a copy goes too."""
    from difflib import SequenceMatcher

    first: dict[str, int] = {}  # each kept key, where it first occurs
    for j, k in enumerate(keys):
        if not drop[j] and len(k) >= MIN_SHORT:
            first.setdefault(k, j)
    budget = SIMILAR_BUDGET

    def repeats_kept(i: int) -> bool:
        nonlocal budget
        k = keys[i]
        if first.get(k, i) < i:
            return True
        matcher = SequenceMatcher(None, autojunk=False)
        matcher.set_seq2(k)  # compared with each kept line in turn: its analysis is done once
        for o, j in first.items():
            if j >= i or abs(len(o) - len(k)) > len(k) // 4 or drop[j]:
                continue
            if budget <= 0:
                return False
            budget -= 1
            matcher.set_seq1(o)
            if matcher.real_quick_ratio() >= SHORT_SIMILAR and matcher.ratio() >= SHORT_SIMILAR:
                return True
        return False

    changed = True
    while changed:
        changed = False
        for i, k in enumerate(keys):
            if drop[i] or not MIN_SHORT <= len(k) < MIN_KEY:
                continue
            beside_copy = (i > 0 and copy[i - 1]) or (i + 1 < len(keys) and copy[i + 1])
            if beside_copy and repeats_kept(i):
                drop[i] = copy[i] = changed = True
