"""Stage 7: layout. PDF/DOCX text hard-wrapped at a fixed width is joined back into paragraphs,
quote marks that PDF extraction displaced are put back (or dropped when their place is unclear), and
punctuation in Chinese context is made full-width.

Policy for width: in Chinese context `,:;()?!` become `，：；（）？！`; a comma between digits
(`1,281.67`), digits, decimal points and `%` are never touched.
"""

from __future__ import annotations

import re

_CJK = r"\u3000-\u303f\u3400-\u9fff\uff01-\uff0f\uff1a-\uff20\uff3b-\uff40\uff5b-\uff65“”‘’…—"
_SENTENCE_END = tuple("。！？!?：:")
_HEADING = re.compile(
    r"^\s*(?:[—–-]\s*[—–-]\s*)?(?:[一二三四五六七八九十]+[、.．是]|[(（][一二三四五六七八九十\d]+[)）]|"
    r"\d{1,2}[、.．](?!\d)|第[一二三四五六七八九十百\d]+[章节条部分])"
)

# Quote marks PDF extraction moved off their words: two or more marks with spaces between them.
_ANY_QUOTE = re.compile(r"[“”‘’]\s")
_QUOTE_CLUSTER = re.compile(r"\s*[“”‘’](?:\s+[“”‘’])+\s*")
# Where a mark was taken out, a space is left between two non-Latin characters.
_HOLE = re.compile(r"(?<=[^\sA-Za-z0-9])\s+(?=[^\sA-Za-z0-9])")
_OPENING, _CLOSING = "“‘", "”’"
_CLAUSE_IN_QUOTES = re.compile(r"[“‘][^”’]*[,，。；;][^”’]*[”’]")

_CJK_SPACE = re.compile(rf"(?<=[{_CJK}])\s+|\s+(?=[{_CJK}])")


def restore_quotes(line: str) -> tuple[str, bool]:
    """Put displaced quote marks back into the holes they left, in order, when marks and holes
    pair up exactly (open, close, open, …); otherwise drop the marks. Returns (line, changed)."""
    if not _ANY_QUOTE.search(line):
        return line, False
    marks: list[str] = []

    def take(m: re.Match) -> str:
        marks.extend(c for c in m[0] if not c.isspace())
        return " " if m.start() and m.end() < len(line) else ""

    rest = _QUOTE_CLUSTER.sub(take, line)
    if not marks:
        return line, False
    holes = list(_HOLE.finditer(rest))
    pairs = all(m in (_OPENING if k % 2 == 0 else _CLOSING) for k, m in enumerate(marks))
    if len(holes) == len(marks) and pairs:
        out, last = [], 0
        for hole, mark in zip(holes, marks):
            out += [rest[last : hole.start()], mark]
            last = hole.end()
        restored = "".join(out) + rest[last:]
        # Quoted terms are short: a "quote" spanning a clause means the holes were misread.
        if not _CLAUSE_IN_QUOTES.search(restored):
            return restored, True
    return rest, True


def balance_quotes(line: str) -> str:
    """Double quote marks that pair with nothing (PDF text loses their partners) are dropped."""
    keep = [True] * len(line)
    opened: int | None = None
    for k, c in enumerate(line):
        if c == "“":
            if opened is not None:
                keep[opened] = False
            opened = k
        elif c == "”":
            if opened is None:
                keep[k] = False
            opened = None
    if opened is not None:
        keep[opened] = False
    return line if all(keep) else "".join(c for c, ok in zip(line, keep) if ok)


def is_heading(line: str) -> bool:
    return bool(_HEADING.match(line))


# A text is hard-wrapped when this share of its lines run to the wrap width without ending a sentence.
WRAPPED_SHARE = 0.4
MIN_WRAPPED = 4


def wrap_width(lines: list[str]) -> int | None:
    """The width a hard-wrapped text was cut at, or None when the lines are real paragraphs."""
    lengths = sorted(len(ln) for ln in lines if len(ln) >= 10)
    if len(lengths) < MIN_WRAPPED:
        return None
    width = lengths[int(len(lengths) * 0.75)]
    full = [ln for ln in lines if 0.85 * width <= len(ln) <= 1.15 * width and not ln.endswith(_SENTENCE_END)]
    if width < 20 or width > 120 or len(full) < max(MIN_WRAPPED, WRAPPED_SHARE * len(lengths)):
        return None
    return width


def _glue(a: str, b: str) -> str:
    return (
        a + " " + b
        if a[-1:].isascii() and a[-1:].isalnum() and b[:1].isascii() and b[:1].isalnum()
        else a + b
    )


def join_wrapped(lines: list[str]) -> tuple[list[str], int]:
    """Hard-wrapped lines joined into paragraphs: a line ends its paragraph when it ends a sentence,
    falls short of the wrap width, or the next line starts a heading. Returns (lines, joins)."""
    width = wrap_width(lines)
    if width is None:
        return lines, 0
    # PDF text spaces out Chinese words and numbers; the wrap width is measured without those spaces.
    lines = [_CJK_SPACE.sub("", ln) for ln in lines]
    width = wrap_width(lines) or width
    out: list[str] = []
    joins = 0
    open_ = False
    for ln in lines:
        if open_ and not is_heading(ln):
            out[-1] = _glue(out[-1], ln)
            joins += 1
        else:
            out.append(ln)
        # A line well short of the width is the last of its paragraph.
        open_ = not ln.endswith(_SENTENCE_END) and len(ln) >= 0.7 * width
    return out, joins


_COMMA = re.compile(rf"(?<=[{_CJK}]),|,(?=[{_CJK}])")
_SEMI = re.compile(rf"(?<=[{_CJK}]);|;(?=[{_CJK}])")
_AFTER_HAN = r"(?<=[\u3400-\u9fff”’）》」』])"
_COLON = re.compile(rf"{_AFTER_HAN}:(?!//)")
_QUESTION = re.compile(rf"{_AFTER_HAN}\?")
_BANG = re.compile(rf"{_AFTER_HAN}!")
_PARENS = re.compile(r"\(([^()\n]*[\u3400-\u9fff][^()\n]*)\)")


def unify_punctuation(line: str) -> str:
    """Full-width punctuation in Chinese context; digits, `.` and `%` are left as they are."""
    # Each pattern looks behind at every position: only run those whose character occurs.
    if "(" in line:
        line = _PARENS.sub(r"（\1）", line)
    if "," in line:
        line = _COMMA.sub("，", line)
    if ";" in line:
        line = _SEMI.sub("；", line)
    if ":" in line:
        line = _COLON.sub("：", line)
    if "?" in line:
        line = _QUESTION.sub("？", line)
    if "!" in line:
        line = _BANG.sub("！", line)
    return line


def fix_layout(lines: list[str]) -> tuple[list[str], int, int]:
    """Quotes, wrapping and punctuation; returns (lines, lines joined, lines with quotes moved)."""
    quoted = 0
    fixed = []
    for ln in lines:
        ln, changed = restore_quotes(ln)
        quoted += changed
        fixed.append(ln.strip())
    joined_lines, joins = join_wrapped([ln for ln in fixed if ln])
    if joins:
        joined_lines = [balance_quotes(ln) for ln in joined_lines]
    return [unify_punctuation(ln) for ln in joined_lines], joins, quoted
