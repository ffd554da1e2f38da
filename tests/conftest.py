"""Shared paths: the project's fixtures and the shared data beside the project."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
SHARED = ROOT.parent / "shared"
SEEDS = SHARED / "seeds"
ARTICLES = SHARED / "eval" / "articles"


def seed(prefix: str) -> Path:
    """The seed page whose file name starts with PREFIX (`000`, `002`, `003`)."""
    matches = sorted(SEEDS.glob(f"{prefix}_*"))
    if not matches:
        pytest.skip(f"shared seed {prefix} not present")
    return matches[0]
