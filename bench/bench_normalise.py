"""Normalisation cost against page length: seconds per 100k characters should stay flat.

The text is prose with half-width question marks (`…增长了吗?我们认为…`): each `?` beside Chinese is
weighed by the mojibake repair (stage 1b) as a possible lost byte, so a long page asks that stage
for a thousand marks. Figures for the repair alone and for the whole of `normalise`.

usage: python bench/bench_normalise.py
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from extractors.normalise import normalise  # noqa: E402
from extractors.normalise.mojibake import repair_mojibake  # noqa: E402

LENGTHS = (36_500, 146_000, 292_000)


def page(length: int) -> str:
    """Question-and-answer paragraphs, told apart by their figures, cut to `length` characters."""
    paragraphs = []
    n = 0
    while sum(map(len, paragraphs)) < length:
        paragraphs.append(
            f"园区第{n}季度的营业收入增长了吗?我们认为增长了{n % 97}.{n % 7}%，明年还会继续增长吗?"
            f"答案是肯定的，高新区第{n}号企业发展势头良好，累计投资{n * 13 % 1000}亿元。\n"
        )
        n += 1
    return "".join(paragraphs)[:length]


def seconds(fn, text: str) -> float:
    start = time.perf_counter()
    fn(text)
    return time.perf_counter() - start


def main() -> None:
    normalise(page(2_000))  # dictionaries and converters loaded outside the timings
    print(f"{'characters':>10}  {'repair s/100k':>13}  {'normalise s/100k':>16}")
    for length in LENGTHS:
        text = page(length)
        repair, whole = seconds(repair_mojibake, text), seconds(normalise, text)
        print(f"{length:>10}  {repair / length * 1e5:>13.3f}  {whole / length * 1e5:>16.3f}")


if __name__ == "__main__":
    main()
