"""Numeral accuracy: whole-input Chinese number cases of public suites, read by `find_quantities`.

A case reads right when the text holds exactly one quantity, spanning the whole (stripped) input, with
the expected value (relative tolerance 1e-6; a fraction's value is its ratio). The cases and their
sources are in tests/fixtures/numerals/. Exits 1 below the target share.

usage: python bench/bench_numerals.py [--verbose] [TARGET]
"""

from __future__ import annotations

import math
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from extractors.quantities import find_quantities  # noqa: E402

CASES = ROOT / "tests" / "fixtures" / "numerals" / "cases.tsv"
TARGET = 0.95


def load_cases(path: Path = CASES) -> list[tuple[str, float, str]]:
    """(input, expected value, source) for every case line of the file."""
    cases = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        text, value, source = line.split("\t")
        cases.append((text, float(value), source))
    return cases


def reads_right(text: str, expected: float) -> bool:
    """Whether the whole input is read as one quantity of the expected value."""
    text = text.strip()
    qs = find_quantities(text)
    if len(qs) != 1 or (qs[0].start, qs[0].end) != (0, len(text)):
        return False
    return math.isclose(qs[0].value, expected, rel_tol=1e-6, abs_tol=1e-12)


def score(cases: list[tuple[str, float, str]]) -> tuple[int, list[str]]:
    """How many cases read right, and a line for each miss."""
    misses = []
    for text, expected, source in cases:
        if not reads_right(text, expected):
            got = [(q.text, q.value) for q in find_quantities(text.strip())]
            misses.append(f"{source}\t{text!r}\texpected {expected:g}\tgot {got}")
    return len(cases) - len(misses), misses


def main(argv: list[str]) -> int:
    verbose = "--verbose" in argv
    args = [a for a in argv if a != "--verbose"]
    target = float(args[0]) if args else TARGET
    cases = load_cases()
    right, misses = score(cases)
    if verbose:
        print("\n".join(misses))
    share = right / len(cases)
    print(f"numerals: {right}/{len(cases)} whole-input cases read right ({share:.1%}, target {target:.0%})")
    return 0 if share >= target else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
