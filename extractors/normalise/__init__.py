"""Normalisation: raw article text -> clean simplified text, in the stages of the design.

PLACEHOLDER: replaced by the real staged implementation.
"""

from __future__ import annotations

import re
from collections.abc import Collection

import opencc

_T2S = opencc.OpenCC("t2s")
_PINYIN = re.compile(r"\((?:[a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]+)\)")


def normalise_line(text: str | None) -> str | None:
    if text is None:
        return None
    return _T2S.convert(_PINYIN.sub("", text)).strip()


def normalise(
    text: str, *, title: str | None = None, recurring: Collection[str] = ()
) -> tuple[str, list[str]]:
    out = _T2S.convert(_PINYIN.sub("", text))
    return out, []
