"""Time ``import factkit`` and the first extraction on a short text, each in a fresh interpreter.

Usage: python tests/benchmarks/startup.py [--runs 7]

Runs are warm: the first, not counted, fills the OS file cache, ``__pycache__`` and factkit's caches of
compiled packs and built extractors. Children may write bytecode whatever ``PYTHONDONTWRITEBYTECODE``
says (an installed package has its bytecode; without it each start compiles factkit's modules again,
about 0.05 s more). The table gives the bare interpreter's start-up too, so that factkit's own share can
be read off, and the child's CPU time (user + system) beside wall-clock time, as the machine may be
shared. The target of issue 5 is "import + first extract < 0.3 s warm". For where import time goes, use
``python -X importtime -c "import factkit" 2>&1 | sort -t'|' -k2 -n | tail``.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
STEPS = {
    "interpreter only": "pass",
    "import factkit": "import factkit",
    "import + first extract": "import factkit; factkit.extract('Up to 100 troops left on March 28.', "
                              "reference_date='2019-03-31')",
}


ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def timed(code: str) -> tuple[float, float]:
    """Wall-clock and CPU seconds of ``python -c code`` in a fresh interpreter."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=ENV, check=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=7)
    args = ap.parse_args(argv)
    print(f"{'step':<24}  {'min s':>6}  {'median s':>8}  {'min cpu s':>9}  {'median cpu s':>12}  "
          f"(python {sys.version.split()[0]}, {args.runs} warm runs)")
    for name, code in STEPS.items():
        timed(code)  # warm-up, not counted
        walls, cpus = zip(*(timed(code) for _ in range(args.runs)))
        print(f"{name:<24}  {min(walls):6.3f}  {statistics.median(walls):8.3f}  {min(cpus):9.3f}  "
              f"{statistics.median(cpus):12.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
