"""Metrics throughput: extract_metrics over at least 5 MB of zone and news text, on one core.

The corpus is built from the shared seed pages and the reference bodies of the shared article set
(read by path, never copied), shuffled and repeated until it reaches the requested size.

usage: python bench/bench_metrics.py [MIN_MB]
"""

from __future__ import annotations

import json
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
sys.path.insert(0, str(ROOT))

from extractors.document import read_document  # noqa: E402
from extractors.metrics import extract_metrics  # noqa: E402
from extractors.records import Document  # noqa: E402


def _bodies() -> list[str]:
    bodies = []
    for path in sorted((SHARED / "seeds").glob("*.txt")):
        bodies.append(read_document(path.read_bytes(), doc=path.stem).body)
    gold = SHARED / "eval" / "articles" / "gold.jsonl"
    if gold.exists():
        with gold.open(encoding="utf-8") as f:
            bodies.extend(json.loads(line)["body"] for line in f if line.strip())
    return [b for b in bodies if b]


def corpus(min_mb: float = 5.0, seed: int = 0) -> list[Document]:
    """Documents of realistic text adding up to at least MIN_MB of UTF-8."""
    bodies = _bodies()
    if not bodies:
        raise SystemExit("bench_metrics: no shared seeds or articles found beside the project")
    rng = random.Random(seed)
    docs: list[Document] = []
    size = 0
    while size < min_mb * 1e6:
        rng.shuffle(bodies)
        for b in bodies:
            docs.append(Document(doc=f"bench{len(docs)}", date="2022-12-22", body=b))
            size += len(b.encode("utf-8"))
    return docs


def run(min_mb: float = 5.0, repeats: int = 3) -> dict:
    """Time extract_metrics over the corpus; returns MB, seconds, MB/s and the number of records.

    The best of REPEATS passes is reported, as timeit does: slower passes measure other load on the
    machine, not the code."""
    docs = corpus(min_mb)
    mb = sum(len(d.body.encode("utf-8")) for d in docs) / 1e6
    best = float("inf")
    n = 0
    for _ in range(max(1, repeats)):
        t0 = time.perf_counter()
        n = sum(len(extract_metrics(d)) for d in docs)
        best = min(best, time.perf_counter() - t0)
    return {"name": "metrics", "mb": mb, "seconds": best, "mb_per_s": mb / best, "records": n}


def dense(mb: float, seed: int = 0) -> str:
    """Pathological text: figures clause after clause and never a sentence end (a flattened table,
    a page of numbers), the shape that made the cost of a page grow with its square."""
    rng = random.Random(seed)
    parts, size = [], 0
    while size < mb * 1e6:
        part = (
            f"园区高新技术企业增长{rng.randint(1, 99999)}家、营业收入达到{rng.randint(1, 9999)}亿元，"
            "同比增长百分之十二点五，"
        )
        parts.append(part)
        size += len(part.encode("utf-8"))
    return "".join(parts)


def pathological(sizes: tuple[float, ...] = (0.25, 1.0, 4.0)) -> list[tuple[float, float]]:
    """Seconds per MB of dense text without sentence ends, at each size: flat means linear."""
    out = []
    for mb in sizes:
        doc = Document(doc="dense", date="2022-12-22", body=dense(mb))
        t0 = time.perf_counter()
        extract_metrics(doc)
        out.append((mb, (time.perf_counter() - t0) / mb))
    return out


def main() -> None:
    r = run(float(sys.argv[1]) if len(sys.argv) > 1 else 5.0)
    print(f"metrics: {r['mb_per_s']:.1f} MB/s over {r['mb']:.1f} MB ({r['records']} records)")
    cost = ", ".join(f"{mb:g} MB {s:.2f} s/MB" for mb, s in pathological())
    print(f"metrics on dense text without sentence ends: {cost} (target <= 2 s/MB, flat)")


if __name__ == "__main__":
    main()
