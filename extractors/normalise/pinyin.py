"""Stage 2: pinyin runs that mirror sites put after characters, `區(qū)` -> `區`.

A parenthesised run is removed only when each syllable is a reading (any heteronym, with its tone
mark) of the character it follows, so real parentheses such as `(培育)` or `(英文名称:HuNan…)` stay.
"""

from __future__ import annotations

import re
from functools import lru_cache

_TONED = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüêńňǹḿ"
_SYLLABLE = rf"[a-z{_TONED}]+"
# A bracketed run of lower-case syllables right after a Han character. The characters it may read
# are looked up behind the match (a leading `[han]+` group would rescan every run of text).
_RUN = re.compile(rf"(?<=[\u3400-\u9fff])[(（]({_SYLLABLE}(?:\s+{_SYLLABLE})*)[)）]")


@lru_cache(maxsize=8192)
def readings(char: str) -> frozenset[str]:
    """Every toned reading pypinyin knows for one character."""
    table = _char_table()
    if table is not None:
        found = table.get(ord(char))
        return frozenset(found.split(",")) if found else frozenset()
    from pypinyin import Style, pinyin

    return frozenset(pinyin(char, style=Style.TONE, heteronym=True, errors="ignore")[0] or ())


@lru_cache(maxsize=1)
def _char_table() -> dict[int, str] | None:
    """pypinyin's table of single-character readings (`{ord: "dāng,dàng"}`), loaded on its own.

    Importing `pypinyin` itself also loads its phrase dictionary and trains its word segmenter,
    five times the cost, for nothing here: only single characters are looked up. Loaded on first
    use, as most pages have no pinyin run at all; None (use the package) if the table moved.
    """
    import importlib.util
    from pathlib import Path

    try:
        spec = importlib.util.find_spec("pypinyin")
        where = spec.submodule_search_locations if spec else None
        if not where:
            return None
        path = Path(next(iter(where))) / "pinyin_dict.py"
        table_spec = importlib.util.spec_from_file_location("_zonecrawl_pinyin_table", path)
        if table_spec is None or table_spec.loader is None:
            return None
        module = importlib.util.module_from_spec(table_spec)
        table_spec.loader.exec_module(module)
        table = module.pinyin_dict
    except (ImportError, OSError, AttributeError, SyntaxError):
        return None
    return table if isinstance(table, dict) and table else None


def _reads(text: str, end: int, syllables: list[str]) -> bool:
    """Whether the syllables read, one each, the characters just before `end`."""
    start = end - len(syllables)
    chars = text[start:end]
    return start >= 0 and all(
        "\u3400" <= c <= "\u9fff" and s in readings(c) for c, s in zip(chars, syllables)
    )


def remove_pinyin(text: str) -> tuple[str, int]:
    """The text without its pinyin runs, and how many runs were removed."""
    out: list[str] = []
    last = removed = 0
    for m in _RUN.finditer(text):
        if _reads(text, m.start(), m[1].split()):
            out.append(text[last : m.start()])
            last = m.end()
            removed += 1
    if not removed:
        return text, 0
    out.append(text[last:])
    return "".join(out), removed
