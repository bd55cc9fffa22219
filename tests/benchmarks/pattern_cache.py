"""What a regex call costs when its compiled pattern is in the processor's cache, and when it is not.

Usage: python tests/benchmarks/pattern_cache.py [--calls 200]

Each rule's compiled pattern is matched at the same digit of a short text, first the same pattern many
times in a row (warm), then the first K rule patterns in turn (K = 1, 2, 4, ... all), which is what one
short document per ``extract()`` call does to them: between two calls of a rule, the others have taken
the cache. The figure is microseconds per call, and the ratio of the two. It is why
``Extractor.extract_all`` and ``extract_many`` run short documents together (docs/performance.md, item 12).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TEXT = "The range is 310 to 3,420 miles and cost 12 percent on 5 March. " * 20


def per_call(patterns: list, calls: int, at: int, reach: int) -> float:
    """Microseconds per call, matching each pattern in turn ``calls`` times."""
    began = time.perf_counter()
    for _ in range(calls):
        for match in patterns:
            match(TEXT, at, at + reach, False, False, None)
    return (time.perf_counter() - began) / (calls * len(patterns)) * 1e6


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=200, help="calls per pattern and setting (default: 200)")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(ROOT))
    import factkit
    from factkit.matcher import MATCH_REACH

    extractor = factkit.Extractor(reference_date="2019-03-31")
    matches = [rule.regex.match for rule in extractor.matcher.rules]
    at = TEXT.index("310")
    for match in matches:  # every pattern built before timing
        match(TEXT, at, at + MATCH_REACH, False, False, None)
    print(f"{'patterns in turn':>16} {'warm us/call':>13} {'in turn us/call':>16} {'ratio':>6}")
    k = 1
    while True:
        k = min(k, len(matches))
        chosen = matches[:k]
        warm = sum(per_call([m], args.calls, at, MATCH_REACH) for m in chosen) / k
        mixed = per_call(chosen, max(1, args.calls * 8 // k), at, MATCH_REACH)
        print(f"{k:16d} {warm:13.2f} {mixed:16.2f} {mixed / warm:6.2f}")
        if k == len(matches):
            break
        k *= 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
