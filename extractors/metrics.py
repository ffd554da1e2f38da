"""Metric extraction: a clean document in, one record per dated figure out.

PLACEHOLDER: replaced by the real implementation.
"""

from __future__ import annotations

from extractors.records import Document


def extract_metrics(document: Document) -> list[dict]:
    return []
