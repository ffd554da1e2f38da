"""Stage 4: SEO keyword headers that hacked or mirror sites inject above or below an article.

Such a line is keyword soup: several short items separated by commas or spaces, no sentence
punctuation, and the vocabulary of porn and gambling link farms.
"""

from __future__ import annotations

import re

_VOCABULARY = re.compile(
    r"视频|在线|精品|一区|二区|三区|无码|有码|人成|人妻|熟女|少妇|美女|日韩|欧美|亚洲|国产|成人|色情|偷拍|"
    r"自拍|久久|高清|不卡|免费观看|网站|福利|午夜|av|彩票|博彩|娱乐城|百家乐|赌场|棋牌|六合彩|时时彩|"
    r"老虎机|真人|体育投注|开户|香蕉|草莓|丝袜|乱伦|伦理|黄色|三级",
    re.IGNORECASE,
)
_SENTENCE_PUNCT = re.compile(r"[。！？；：!?;:“”\"]")
_SEPARATORS = re.compile(r"[,，、|｜/\s]+")
# Distinct spam words a keyword line needs; one or two can occur in an honest list.
MIN_WORDS = 3
MIN_ITEMS = 3
MAX_ITEM = 20


def is_spam_line(line: str) -> bool:
    if _SENTENCE_PUNCT.search(line):
        return False
    items = [s for s in _SEPARATORS.split(line.strip()) if s]
    if len(items) < MIN_ITEMS or max(map(len, items)) > MAX_ITEM:
        return False
    return len({m.lower() for m in _VOCABULARY.findall(line)}) >= MIN_WORDS


def remove_spam(lines: list[str]) -> tuple[list[str], int]:
    """The lines without keyword-spam lines, and how many were removed."""
    kept = [ln for ln in lines if not is_spam_line(ln)]
    return kept, len(lines) - len(kept)
