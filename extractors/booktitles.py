"""Titles of works in running text (`《2021年度评价报告》`, `《关于促进国家高新区…的意见》`).

A year or a zone inside such a title is part of a name: it is not the period or the subject of
the figures around it.
"""

from __future__ import annotations

_REACH = 80  # titles of policies and reports seldom run longer


def in_title_of_work(text: str, pos: int) -> bool:
    """Whether POS lies between a 《 and its 》."""
    opened = text.rfind("《", max(0, pos - _REACH), pos)
    return opened >= 0 and text.rfind("》", opened, pos) < 0 and text.find("》", pos, pos + _REACH) >= 0
