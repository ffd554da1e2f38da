"""Stage 6: a second copy of the article on the same page (mirror pages repeat it, sometimes
damaged by GBK mojibake), or an abstract that repeats the start of the text.

Copies are found on the script-normalised text with character shingles over letters and digits only,
so punctuation, spacing and line breaks do not hide a copy. Of two copies the less damaged one is
kept, in the place of the first.
"""

from __future__ import annotations

import re
from collections import Counter
from itertools import islice

SHINGLE = 5
# Blocks shorter than this (letters and digits) are too short to call copies; hard-wrapped lines
# (about 40 characters) are judged as part of their paragraph, never alone.
MIN_KEY = 50
# Share of a block's shingles found elsewhere on the page for it to count as a copy.
CONTAINED = 0.8

_MOJIBAKE = re.compile(
    r"\ufffd|(?<=[^\x00-\x7f])\?|\?(?=[^\x00-\x7f])|(?<![&A-Za-z])(?:[lr]dquo|[lr]squo|nbsp|amp|quot|mdash|"
    r"hellip|middot);|(?<=[\u4e00-\u9fff])[A-Za-z](?=[\u4e00-\u9fff])"
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


def remove_duplicates(lines: list[str], title: str | None = None) -> tuple[list[str], int, int]:
    """The lines with one copy of each repeated block; returns (lines, copies dropped, damaged
    copies among them). Lines that only repeat the title are dropped too."""
    lines = list(lines)
    keys = [_key(ln) for ln in lines]
    title_key = _key(title) if title else ""
    drop = [len(title_key) >= 4 and k == title_key for k in keys]
    # Shingles of the page run across block boundaries: a hard-wrapped paragraph is copied across
    # its lines.
    page = _shingles("".join(k for k, d in zip(keys, drop) if not d))
    own = [_shingles(k) if len(k) >= MIN_KEY else Counter() for k in keys]

    damaged = 0
    # The worst copies go first, later ones before earlier ones at equal damage.
    for i in sorted(
        (i for i, sh in enumerate(own) if sh and not drop[i]), key=lambda i: (-damage(lines[i]), -i)
    ):
        sh = own[i]
        if not _found_elsewhere(sh, page) or not all(
            _found_elsewhere(_shingles(_key(sentence)), page, sh) for sentence in _SENTENCE.findall(lines[i])
        ):
            continue
        # A single better copy further down takes this copy's place, to keep the reading order.
        hurt = damage(lines[i])
        j = max(
            (j for j in (range(i + 1, len(lines)) if hurt else ()) if own[j] and not drop[j]),
            key=lambda j: len(sh.keys() & own[j].keys()),
            default=None,
        )
        if (
            j is not None
            and len(sh.keys() & own[j].keys()) >= CONTAINED * len(sh)
            and damage(lines[j]) < hurt
        ):
            lines[i], lines[j], own[i], own[j] = lines[j], lines[i], own[j], own[i]
            i = j
        drop[i] = True
        page.subtract(own[i])
        damaged += mojibake(lines[i]) > 0
        # The label of a dropped abstract (`摘要:`) goes with it.
        if i > 0 and not drop[i - 1] and _LABEL.match(lines[i - 1]):
            drop[i - 1] = True
    return [ln for ln, d in zip(lines, drop) if not d], sum(drop), damaged
