"""Where the matcher's regex time goes, by kind of call, and what each document's first call of a pattern costs.

Usage: python tests/benchmarks/call_costs.py [--doc-size SIZE]

Extracts the benchmark corpus once to build every pattern, then again with each regex call the matcher
makes timed and counted by kind: the rules' own patterns (at a word, and their variants at a digit), the
probes' references (likewise), their rests and guards. Per document it reports how many distinct
patterns of each kind were called, how many calls there were, and the cost of a pattern's first call in
the document against its later calls there. A first call finds the pattern's code out of the
processor's cache (the other patterns took it since the last document), which is why one short
document per ``extract()`` call costs more per character than long ones (docs/performance.md, item 12).
Timing each call adds its own cost; the figures are for comparing kinds and document sizes.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any, Callable

ROOT = Path(__file__).resolve().parents[2]


class Timed:
    """Wraps the matcher's calls: per kind, calls and nanoseconds, split into first calls in a document."""

    def __init__(self) -> None:
        self.seen: set[Any] = set()
        self.calls: Counter[str] = Counter()
        self.firsts: Counter[str] = Counter()
        self.spent: Counter[str] = Counter()
        self.first_spent: Counter[str] = Counter()

    def wrap(self, kind: str, key: Any, call: Callable[..., Any] | None) -> Callable[..., Any] | None:
        if call is None:
            return None
        clock = time.perf_counter_ns

        def timed(*args: Any) -> Any:
            first = key not in self.seen
            self.seen.add(key)
            began = clock()
            result = call(*args)
            spent = clock() - began
            self.calls[kind] += 1
            self.spent[kind] += spent
            if first:
                self.firsts[kind] += 1
                self.first_spent[kind] += spent
            return result

        return timed


class WrappedPattern:
    """A rule's pattern whose ``match`` is another function (timed, recorded); everything else is the
    pattern's own."""

    def __init__(self, pattern: Any, match: Callable[..., Any]):
        self._pattern = pattern
        self.match = match

    def __getattr__(self, name: str) -> Any:
        return getattr(self._pattern, name)


def instrument(matcher: Any, timed: Timed) -> None:
    """Wraps every call the matcher has built (so: after a first pass over the corpus)."""
    matcher._head_calls = [timed.wrap("reference at a word", ("h", k), f) for k, f in enumerate(matcher._head_calls)]
    matcher._digit_calls = [timed.wrap("reference at a digit", ("hd", k), f)
                            for k, f in enumerate(matcher._digit_calls)]
    matcher._guard_calls = [timed.wrap("guard", ("g", k), f) for k, f in enumerate(matcher._guard_calls)]
    matcher._rule_digit_calls = [None if found is None else (timed.wrap("rule at a digit", ("rd", i), found[0]),
                                                             found[1])
                                 for i, found in enumerate(matcher._rule_digit_calls)]
    for i, rule in enumerate(matcher.rules):
        rule.regex = WrappedPattern(rule.regex, timed.wrap("rule at a word", ("r", i), rule.regex.match))
        rule.probe_plan = tuple(plan[:5] + (timed.wrap("rest", ("rest", id(plan[5])), plan[5]),) + plan[6:]
                                for plan in rule.probe_plan)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--doc-size", metavar="SIZE", help="re-cut the corpus into documents of SIZE (1K, 100K)")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(ROOT))
    import factkit
    from factkit import bench

    extractor = factkit.Extractor(reference_date="2019-03-31")
    docs = bench.read_documents([bench.default_corpus()])
    if args.doc_size:
        docs = bench.reshape(docs, bench.parse_size(args.doc_size))
    texts = [doc.text for doc in docs]
    for text in texts:  # every pattern built
        extractor.extract(text)
    timed = Timed()
    instrument(extractor.matcher, timed)
    began = time.thread_time()
    for text in texts:
        timed.seen.clear()
        extractor.extract(text)
    total = time.thread_time() - began
    n = len(texts)
    print(f"{n} documents, {sum(map(len, texts)):,} chars, {total:.2f} CPU s with every call timed")
    print(f"{'kind':22} {'patterns/doc':>12} {'calls/doc':>10} {'first us':>9} {'later us':>9} {'s in all':>9}"
          f" {'first share':>11}")
    for kind in sorted(timed.calls, key=lambda k: -timed.spent[k]):
        later = timed.calls[kind] - timed.firsts[kind]
        later_us = (timed.spent[kind] - timed.first_spent[kind]) / max(later, 1) / 1e3
        print(f"{kind:22} {timed.firsts[kind] / n:12.1f} {timed.calls[kind] / n:10.1f}"
              f" {timed.first_spent[kind] / max(timed.firsts[kind], 1) / 1e3:9.2f} {later_us:9.2f}"
              f" {timed.spent[kind] / 1e9:9.3f} {timed.first_spent[kind] / timed.spent[kind]:11.2f}")
    print(f"first calls: {sum(timed.first_spent.values()) / 1e9:.3f} s of {sum(timed.spent.values()) / 1e9:.3f} s"
          " in regex calls")
    return 0


if __name__ == "__main__":
    sys.exit(main())
