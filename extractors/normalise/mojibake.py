"""Stage 1b: GBK mojibake inside a single copy of the article, repaired or cut.

Mirror pages that re-encode GBK text sometimes lose one byte; every character after it is then read
from the wrong byte pair (`實現` -> `崿F`) until a one-byte character puts the reading back in step.
Such a run is repaired by encoding it back to GBK and reading it one byte later. The lost byte leaves a
`?` (or eats the `(` of a pinyin run: `?qū)`), and HTML entities lose their `&` (`rdquo;`). What cannot
be repaired is cut, and only the damaged marks: the readable text on either side stays whole.

Runs before the pinyin and script stages, as these change characters and the bytes would be lost.
"""

from __future__ import annotations

import html
import math
import re
from functools import lru_cache

import opencc

_TONED = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ"
# An entity name that lost its `&`; the `;` may have been widened already.
ENTITY = re.compile(
    r"(?<![&A-Za-z])(ldquo|rdquo|lsquo|rsquo|nbsp|ensp|emsp|mdash|ndash|hellip|middot|bull|laquo|raquo|"
    r"times|quot|amp)[;；]"
)
# What is left of `X(pinyin)` when the character and the `(` were lost: `?zhí)`.
_PINYIN_STUMP = re.compile(rf"\?[a-zü]*[{_TONED}][a-zü]*[)）]")
# Between two pinyin runs of a mirror page, characters closed by a lone letter (`區(qū)崿F(xiàn)`): read out of
# step, as every character there is followed by its reading and a letter is never one.
_PINYIN_GAP = re.compile(rf"(?<=[)）])(?=[^\x00-\x7f]{{1,16}}[\x40-\x7e][(（][a-zü{_TONED}]+[)）])")
# A `?` standing for a byte GBK could not read: beside a non-ASCII character.
MARK = re.compile(r"\?(?=[^\x00-\x7f])|(?<=[^\x00-\x7f])\?")
# A question mark this soon after one of these ends a real question (`怎么办?我们…` in text with
# half-width marks).
_QUESTION = re.compile(r"[吗呢么嘛吧啊何谁哪几否呀怎乎耶哉欤]|多少")
# Nor is a question mark before a closing quote or bracket.
_CLOSING = set("」』”’）》】")
_QUESTION_REACH = 6
# Half-width marks a later pass made of GBK's full-width ones (row A3), read back as their byte pair.
_WIDENED = {c: chr(ord(c) + 0xFEE0) for c in ";,:!"}
# A repaired run must read this much better than the run did (mean log word frequency per character).
_GAIN = 2.0
# A lost character is guessed back only when the word it makes is this common.
_MIN_WORD = 200
# A run that cannot be repaired is cut only when this short and this rare (real text scores 8 to 10).
_MAX_CUT = 16
_RARE = 6.5

_MARKS = (_PINYIN_STUMP, MARK, _PINYIN_GAP)
_T2S = opencc.OpenCC("t2s")


def repair_mojibake(text: str) -> tuple[str, int, int]:
    """The text with its damaged runs repaired or cut: (text, runs repaired, marks cut)."""
    text, repaired = ENTITY.subn(_entity, text)
    out: list[str] = []
    last = pos = cut = 0
    marks = _Marks(text)
    while True:
        m = marks.next(pos)
        if m is None:
            break
        start, end = m
        fixed, run_end = _repair_run(text, end)
        if not fixed and run_end == end and (start == end or _is_question(text, start)):
            pos = end + (start == end)  # a real question, or readable text after a pinyin run
            continue
        out.append(text[last:start])
        if fixed:
            out.append(fixed)
            repaired += 1
        cut += not fixed or end - start > 1  # a pinyin stump before a repaired run is cut too
        last = pos = run_end
    if not out:
        return text, repaired, cut
    out.append(text[last:])
    return "".join(out), repaired, cut


def _entity(m: re.Match[str]) -> str:
    return " " if m[1] in ("nbsp", "ensp", "emsp") else html.unescape(f"&{m[1]};")


class _Marks:
    """The damaged marks of a text, found in order: a pinyin stump, a lone `?`, or the empty mark where
    a run read out of step starts after a pinyin run.

    Each pattern's next match is kept, and a pattern is searched again only once the reading has
    passed the start of its match: a page of a thousand real questions is scanned once per pattern,
    not once per question. (Where a match starts does not depend on where the search began, so a
    match kept from an earlier search is the one a search from `pos` would find.)
    """

    def __init__(self, text: str) -> None:
        self._text = text
        self._found: list[re.Match[str] | None] = [rx.search(text) for rx in _MARKS]

    def next(self, pos: int) -> tuple[int, int] | None:
        """The next mark from `pos` on, as (start, end); `pos` never goes back."""
        for k, m in enumerate(self._found):
            if m is not None and m.start() < pos:
                self._found[k] = _MARKS[k].search(self._text, pos)
        found = [m for m in self._found if m is not None]
        if not found:
            return None
        m = min(found, key=lambda m: m.start())  # the first pattern of _MARKS at a tie, as before
        return m.start(), m.end()


def _is_question(text: str, at: int) -> bool:
    """A real question mark: after a question word or a Latin word, or before a closing mark, a space,
    a line end or the text end."""
    before = text[at - 1] if at else ""
    if before.isascii() and before.isalnum():
        return True  # `How are you?我很好`
    after = text[at + 1] if at + 1 < len(text) else ""
    clause = re.split(r"[，。,；;！!]", text[max(0, at - _QUESTION_REACH) : at])[-1]
    return bool(_QUESTION.search(clause)) or after in _CLOSING or after in ("", " ", "\n", "\r", "\t")


def _shifted_run(text: str, start: int) -> tuple[str, int]:
    """The run read out of step from `start`: non-ASCII characters up to the one-byte character that
    put the reading back in step (a letter or sign GBK uses as a second byte, kept), and its end."""
    i = start
    chars: list[str] = []
    while i < len(text):
        c = text[i]
        if c in _WIDENED and not chars:
            chars.append(_WIDENED[c])
        elif ord(c) > 0x7F and not c.isspace():
            chars.append(c)
        else:
            # A lone letter (`崿F(xiàn)`), not the start of a word or number.
            if chars and "\x40" <= c <= "\x7e" and not _ascii_alnum(text[i + 1 : i + 2]):
                chars.append(c)
                i += 1
            break
        i += 1
    return "".join(chars), i


def _ascii_alnum(c: str) -> bool:
    return c.isascii() and c.isalnum()


def _repair_run(text: str, start: int) -> tuple[str | None, int]:
    """The run after a damaged mark read one byte later, with its lost character guessed back where a
    common word allows, and where the run ends; None (cut) when the bytes do not read better that way:
    the run is cut with the mark when it is plainly garbage, else only the mark is."""
    run, end = _shifted_run(text, start)
    if len(run) < 2:
        return None, start
    try:
        raw = run.encode("gbk")
        fixed = raw[1:].decode("gbk")
    except (UnicodeEncodeError, UnicodeDecodeError):
        fixed = ""
    if fixed and _plausibility(fixed) >= _plausibility(run) + _GAIN:
        return _lost_char(raw[0], fixed) + fixed, end
    if _garbage(run):
        return None, end
    return None, start


def _garbage(run: str) -> bool:
    """A short run of rare characters closed by a lone letter: out of step, its bytes already lost."""
    return len(run) <= _MAX_CUT and run[-1].isascii() and _plausibility(run) < _RARE


def _lost_char(second: int, following: str) -> str:
    """The character whose first byte was lost, if one makes a common word with what follows."""
    best, best_n = "", _MIN_WORD
    for first in range(0x81, 0xFF):
        try:
            c = bytes((first, second)).decode("gbk")
        except UnicodeDecodeError:
            continue
        n = _frequencies().get(_T2S.convert(c + following[:1]), 0)
        if n > best_n:
            best, best_n = c, n
    return best


def _plausibility(run: str) -> float:
    """Mean log frequency of the run's characters: mojibake is made of rare ones (`顒墒崿`)."""
    freq = _frequencies()
    han = [c for c in _T2S.convert(run) if "\u3400" <= c <= "\u9fff"]
    if not han:
        return 0.0
    return sum(math.log1p(freq.get(c, 0)) for c in han) / len(han)


@lru_cache(maxsize=1)
def _frequencies() -> dict[str, int]:
    """Word frequencies of jieba's dictionary (its data file only; the segmenter is never loaded)."""
    import importlib.util
    from pathlib import Path

    spec = importlib.util.find_spec("jieba")
    where = spec.submodule_search_locations if spec else None
    if not where:
        return {}
    table: dict[str, int] = {}
    with open(Path(next(iter(where))) / "dict.txt", encoding="utf-8") as f:
        for line in f:
            word, n, _ = line.split(" ", 2)
            table[word] = int(n)
    return table


_SPACED = re.compile(r"^[\u3400-\u9fff](?: [\u3400-\u9fff]){1,11}$")


def close_spaced_headings(lines: list[str]) -> tuple[list[str], int]:
    """Headings spaced out one character at a time (`火 炬 统 计`) closed up; prose is left alone."""
    out: list[str] = []
    closed = 0
    for line in lines:
        if _SPACED.match(line):
            line = line.replace(" ", "")
            closed += 1
        out.append(line)
    return out, closed
