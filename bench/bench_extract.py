"""Extraction throughput: the whole `zonecrawl extract` process against trafilatura, on the same pages.

Both run over the shared article set (57 real pages, read by path) as a process of their own, timed
from start to exit, so interpreter start-up and imports count as they do for a user. Each gets the
raw page bytes and does its own decoding. trafilatura (the `bench` extra) runs with
`favor_precision=True`; the ratio is taken against its body-only extraction, the faster of its two
modes, and its speed when it also reads the metadata we print (title, date, author:
`with_metadata=True`) is shown beside it. The runs are interleaved and the best of REPEATS is kept
for each, as timeit does: slower passes measure other load on the machine.

usage: python bench/bench_extract.py [REPEATS]
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ARTICLES = ROOT.parent / "shared" / "eval" / "articles"
TARGET = 2.0  # zonecrawl should be at least this many times faster

# The yardstick's process: every page's bytes through trafilatura, one JSON document per line.
TRAFILATURA = """
import sys
from pathlib import Path
import trafilatura

metadata = sys.argv[1] == "metadata"
n = 0
for name in sys.argv[2:]:
    out = trafilatura.extract(
        Path(name).read_bytes(),
        favor_precision=True,
        with_metadata=metadata,
        output_format="json" if metadata else "txt",
    )
    if out:
        n += 1
        sys.stdout.write(out.replace("\\n", " ") + "\\n")
sys.stderr.write(f"{n}\\n")
"""


def zonecrawl_command(pages: list[Path]) -> list[str]:
    """The installed console script beside this interpreter, else the CLI module."""
    script = Path(sys.executable).with_name("zonecrawl")
    head = [str(script)] if script.exists() else [sys.executable, "-m", "crawler.cli"]
    return [*head, "extract", *map(str, pages), "--format", "jsonl"]


def trafilatura_command(pages: list[Path], metadata: bool = False) -> list[str]:
    return [sys.executable, "-c", TRAFILATURA, "metadata" if metadata else "body", *map(str, pages)]


def _time(cmd: list[str]) -> tuple[float, int]:
    """Seconds the process took, and the documents it printed (lines on stdout)."""
    t0 = time.perf_counter()
    done = subprocess.run(cmd, cwd=ROOT, capture_output=True)
    seconds = time.perf_counter() - t0
    if done.returncode:
        tail = done.stderr.decode("utf-8", "replace").strip().splitlines()[-1:]
        raise SystemExit(f"bench_extract: {Path(cmd[0]).name} failed: {' '.join(tail)}")
    return seconds, done.stdout.count(b"\n")


def run(repeats: int = 3) -> dict:
    pages = sorted(ARTICLES.glob("*.html"))
    if not pages:
        raise SystemExit(f"bench_extract: no pages under {ARTICLES}")
    try:
        import trafilatura  # noqa: F401  (only checked here; it runs in its own process)
    except ImportError:
        raise SystemExit("bench_extract: trafilatura is not installed (pip install -e '.[bench]')") from None
    commands = {
        "zonecrawl": zonecrawl_command(pages),
        "trafilatura": trafilatura_command(pages),
        "trafilatura_metadata": trafilatura_command(pages, metadata=True),
    }
    best = dict.fromkeys(commands, float("inf"))
    docs = dict.fromkeys(commands, 0)
    for _ in range(max(1, repeats)):
        for name, cmd in commands.items():
            seconds, docs[name] = _time(cmd)
            best[name] = min(best[name], seconds)
    return {
        "name": "extract",
        "pages": len(pages),
        "seconds": best,
        "pages_per_s": {name: len(pages) / s for name, s in best.items()},
        "ratio": best["trafilatura"] / best["zonecrawl"],
        "ratio_metadata": best["trafilatura_metadata"] / best["zonecrawl"],
        "documents": docs,
    }


def main() -> None:
    r = run(int(sys.argv[1]) if len(sys.argv) > 1 else 3)
    n, rate, docs = r["pages"], r["pages_per_s"], r["documents"]
    labels = {
        "zonecrawl": "zonecrawl extract",
        "trafilatura": "trafilatura favor_precision",
        "trafilatura_metadata": "trafilatura favor_precision + metadata",
    }
    for name, label in labels.items():
        print(f"{label}: {rate[name]:.1f} pages/s ({docs[name]}/{n} documents)")
    verdict = "meets" if r["ratio"] >= TARGET else "below"
    print(
        f"extract: zonecrawl is {r['ratio']:.2f}x trafilatura ({r['ratio_metadata']:.2f}x with metadata; "
        f"{verdict} the {TARGET:.0f}x target)"
    )


if __name__ == "__main__":
    main()
