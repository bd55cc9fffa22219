"""Compare the speed of another checkout of factkit with this one, in one process, document by document.

Usage: python tests/benchmarks/compare_checkouts.py OTHER_CHECKOUT [--rounds 2]

On a shared or virtual machine the speed of the machine itself drifts by 10-25% within minutes, so two
`factkit bench` runs, one per checkout, cannot show a change of a few percent. Here both extractors run
in the same process, alternating on every document (which one goes first alternates by round), so a
drift slows both alike. The other checkout (a `git worktree add /tmp/base main`, say) is copied under
another package name, with a marker line that keeps its stored compiles apart from this checkout's.
Both extractors' patterns are warm before timing. The figure is the thread's CPU time, on the benchmark corpus
(whole articles), its sentences one per call, and 1 KB documents one per call and 64 per
``extract_all`` call.
"""

from __future__ import annotations

import argparse
import re
import shutil
import signal
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def load_other(checkout: Path, into: Path):
    """The other checkout's factkit, importable as ``factkit_other``."""
    package = into / "factkit_other"
    shutil.copytree(checkout / "factkit", package, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(checkout / "rules", into / "rules")
    with open(package / "__init__.py", "a", encoding="utf-8") as f:
        f.write("\n# copied by compare_checkouts.py: its stored compiles must not be this checkout's\n")
    sys.path.insert(0, str(into))
    import factkit_other  # noqa: PLC0415 - the copy exists only now

    return factkit_other


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("other", type=Path, help="another checkout of the repository (its root)")
    parser.add_argument("--rounds", type=int, default=2, help="timed passes over each set (default: 2)")
    parser.add_argument("--turn", type=int, default=1, metavar="N",
                        help="items each extractor takes in a row (default: 1). Taking turns item by item, each "
                             "call finds the processor's cache filled with the other extractor's patterns; "
                             "with 8 or 16, each finds its own from its previous calls, as it would alone")
    args = parser.parse_args(argv)
    if not (args.other / "factkit" / "__init__.py").is_file():
        parser.error(f"{args.other}: not a checkout of factkit (no factkit/__init__.py)")
    sys.path.insert(0, str(ROOT))
    import factkit
    from factkit import bench

    with tempfile.TemporaryDirectory() as tmp:
        other = load_other(args.other.resolve(), Path(tmp))
        docs = bench.read_documents([bench.default_corpus()])
        kb = [d.text for d in bench.reshape(docs, 1024)]
        # each set is a list of calls: one text, or a group of texts for extract_all
        sets = {
            "articles": [d.text for d in docs],
            "sentences": [s for d in docs[:60] for s in re.split(r"(?<=[.!?])\s+", d.text) if s.strip()],
            "1 KB documents": kb,
            "1 KB, 64 a call": [kb[i:i + 64] for i in range(0, len(kb), 64)],
        }
        a = other.Extractor(reference_date="2019-03-31")
        b = factkit.Extractor(reference_date="2019-03-31")
        def call(extractor, item):
            # Each copy's matcher watches its calls with a timer whose handler is its own, and leaves a
            # handler it does not know alone (then each call passes its own timeout): set the default back
            # before every call, so that each copy runs as it would alone.
            if hasattr(signal, "SIGVTALRM"):
                signal.signal(signal.SIGVTALRM, signal.SIG_DFL)
            return extractor.extract(item) if isinstance(item, str) else extractor.extract_all(item)

        for items in sets.values():  # build every pattern both reach before timing
            for item in items:
                call(a, item)
                call(b, item)
        # This thread's CPU time: the process's clock is read from a copy the kernel updates at its ticks
        # while a process CPU timer is armed (the matcher's, see factkit/watchdog.py), which charged up to a
        # tick of one extractor's time to the other and made a checkout with the timer look 2x faster.
        clock = time.thread_time
        print(f"{'input':15} {'other chars/cpu-s':>18} {'this chars/cpu-s':>17} {'this/other':>10}")
        for name, items in sets.items():
            spent = {a: 0.0, b: 0.0}
            for rnd in range(args.rounds):
                order = (a, b) if rnd % 2 == 0 else (b, a)
                for at in range(0, len(items), args.turn):
                    for extractor in order:
                        began = clock()
                        for item in items[at:at + args.turn]:
                            call(extractor, item)
                        spent[extractor] += clock() - began
            chars = sum(len(item) if isinstance(item, str) else sum(map(len, item)) for item in items) * args.rounds
            print(f"{name:15} {chars / spent[a]:18,.0f} {chars / spent[b]:17,.0f} {spent[a] / spent[b]:10.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
