"""The long fuzz run: the hypothesis properties of tests/test_properties.py with many more examples.

Usage: ``python tests/benchmarks/fuzz.py [--examples 2000] [--seed N]``

Runs pytest on the property tests with ``FACTKIT_FUZZ_EXAMPLES`` set, prints hypothesis' statistics
(examples run per property, and how many were invalid, i.e. rejected by an ``assume``) and the total.
Exit status is pytest's: 0 when every example passed.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import time
from pathlib import Path

TESTS = Path(__file__).resolve().parents[1] / "test_properties.py"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--examples", type=int, default=2000, help="examples per property")
    parser.add_argument("--seed", type=int, help="hypothesis seed, to repeat a run")
    args = parser.parse_args()
    env = dict(os.environ, FACTKIT_FUZZ_EXAMPLES=str(args.examples))
    cmd = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(TESTS),
           "--hypothesis-show-statistics"]
    if args.seed is not None:
        cmd.append(f"--hypothesis-seed={args.seed}")
    start = time.perf_counter()
    run = subprocess.run(cmd, check=False, env=env, capture_output=True, text=True)
    print(run.stdout[-20000:], run.stderr[-4000:], sep="\n")
    passing = sum(int(n) for n in re.findall(r"(\d+) passing examples", run.stdout))
    failing = sum(int(n) for n in re.findall(r"(\d+) failing examples", run.stdout))
    invalid = sum(int(n) for n in re.findall(r"(\d+) invalid examples", run.stdout))
    print(f"Total: {passing} passing, {failing} failing, {invalid} invalid examples in "
          f"{time.perf_counter() - start:.0f} s (pytest exit {run.returncode}).")
    return run.returncode


if __name__ == "__main__":
    sys.exit(main())
