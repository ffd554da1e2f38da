"""`make bench`: every throughput figure of the project, each benchmark in a process of its own.

Each bench/bench_*.py script is also runnable alone; this runs them in a fixed order so the figures
of one run can be compared (a yardstick and zonecrawl always share a run and a machine).
A benchmark that fails is reported and makes the exit status 1; the others still run.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ORDER = [
    "bench_extract.py",
    "bench_metrics.py",
    "bench_numerals.py",
    "bench_normalise.py",
    "bench_tables.py",
    "bench_crawl.py",
    "bench_extract_budget.py",
    "bench_reprocess.py",
]


def main() -> int:
    failed = []
    for name in ORDER:
        script = HERE / name
        print(f"== {script.stem.removeprefix('bench_')}", flush=True)
        if subprocess.run([sys.executable, str(script)], cwd=HERE.parent).returncode:
            failed.append(name)
    if failed:
        print(f"bench: failed: {', '.join(failed)}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
