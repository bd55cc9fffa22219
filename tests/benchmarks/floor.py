"""How fast factkit could be if the matcher wasted nothing: the floor of this engine's design.

Usage: python tests/benchmarks/floor.py [--rounds N]

Extracts the benchmark corpus once and records, per document, every regex call of a rule's own pattern
that found a match: the rule, the position and the pattern called (the rule's variant at a digit or its
full pattern). Then it times, each alone and best of ``--rounds``:

- the full extraction, as ``extract()`` runs it, one document per call;
- the start scan alone (the one pass that finds where any rule may begin), and its regular expression's
  pass alone, without sorting what it finds into the rules' lists;
- an oracle matcher: only those matching calls, their fields, overlap resolution and the facts built;
  no scan, no probe, no failed attempt. No design that matches a rule's pattern where the rule matches,
  and builds pydantic facts, can do less than that;
- the oracle's parts: the matching calls alone, fields and facts alone.

The oracle is a bound, not a matcher: it knows where each rule matches from the full run. Its figure is
what is left for finding those places, against the 2,000,000 chars/s target of issue 5.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Any, Callable

from call_costs import WrappedPattern  # this folder is the script's own, first on the path

ROOT = Path(__file__).resolve().parents[2]


def best_of(rounds: int, job: Callable[[], Any]) -> float:
    """The least CPU time of the extracting thread over ``rounds`` runs of ``job``."""
    best = float("inf")
    for _ in range(rounds):
        began = time.thread_time()
        job()
        best = min(best, time.thread_time() - began)
    return best


def record_matches(extractor: Any, texts: list[str]) -> list[list[tuple[Any, Callable[..., Any], int]]]:
    """Per document, (rule, match function, position) for every call of a rule's pattern that matched."""
    matcher = extractor.matcher
    current: list[tuple[Any, Callable[..., Any], int]] = []

    def wrap(rule: Any, call: Callable[..., Any]) -> Callable[..., Any]:
        def recorded(text: str, pos: int, *args: Any) -> Any:
            m = call(text, pos, *args)
            if m is not None and m.end() > m.start():
                current.append((rule, call, pos))
            return m
        return recorded

    saved_rules = [(rule, rule.regex) for rule in matcher.rules]
    saved_digits = list(matcher._rule_digit_calls)
    for rule in matcher.rules:
        rule.regex = WrappedPattern(rule.regex, wrap(rule, rule.regex.match))
    matcher._rule_digit_calls = [None if found is None else (wrap(matcher.rules[i], found[0]), found[1])
                                 for i, found in enumerate(matcher._rule_digit_calls)]
    recorded = []
    try:
        for text in texts:
            current = []
            extractor.extract(text)
            recorded.append(current)
    finally:
        for rule, pattern in saved_rules:
            rule.regex = pattern
        matcher._rule_digit_calls = saved_digits
    return recorded


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3, help="runs of each part; the best is reported")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(ROOT))
    import factkit
    from factkit import bench
    from factkit.extractor import _build
    from factkit.matcher import MATCH_REACH
    from factkit.resolve import Candidate, resolve

    extractor = factkit.Extractor(reference_date="2019-03-31")
    texts = [doc.text for doc in bench.read_documents([bench.default_corpus()])]
    chars = sum(map(len, texts))
    for text in texts:  # every pattern built, every variant chosen
        extractor.extract(text)
    expected = [extractor.extract(text) for text in texts]
    calls = record_matches(extractor, texts)
    matcher = extractor.matcher
    ctx = extractor._context(None)
    scan = matcher.scanner.scan
    finder = matcher.scanner.lower_regex.finditer

    def oracle() -> list[list[Any]]:
        out = []
        for text, made in zip(texts, calls):
            cands: list[Candidate] = []
            for rule, call, pos in made:
                matcher._add(rule, call(text, pos, pos + MATCH_REACH, False, False, None), ctx, cands, None)
            out.append([f for f in (_build(text, c) for c in resolve(cands)) if f is not None])
        return out

    got = oracle()
    if got != expected:  # the oracle must find what the matcher finds, or its figure means nothing
        print("the oracle's facts differ from extract()'s", file=sys.stderr)
        return 1
    matches = [[(call, pos) for _, call, pos in made] for made in calls]

    def matching_calls() -> None:
        for text, made in zip(texts, matches):
            for call, pos in made:
                call(text, pos, pos + MATCH_REACH, False, False, None)

    found = [[(rule, call(text, pos, pos + MATCH_REACH, False, False, None)) for rule, call, pos in made]
             for text, made in zip(texts, calls)]

    def fields_and_facts() -> None:
        for text, made in zip(texts, found):
            cands: list[Candidate] = []
            for rule, m in made:
                matcher._add(rule, m, ctx, cands, None)
            [_build(text, c) for c in resolve(cands)]

    parts = [
        ("full extraction, one document per call", lambda: [extractor.extract(t) for t in texts]),
        ("start scan alone", lambda: [scan(t) for t in texts]),
        ("  its regular expression's pass alone", lambda: [list(finder(t.lower())) for t in texts]),
        ("oracle: matching calls, fields, facts", oracle),
        ("  matching calls alone", matching_calls),
        ("  fields, resolution and facts alone", fields_and_facts),
    ]
    print(f"{len(texts)} documents, {chars:,} chars, {sum(map(len, calls)):,} matching calls, "
          f"{sum(map(len, expected)):,} facts; best of {args.rounds}")
    print(f"{'part':42} {'CPU s':>7} {'chars/cpu-s':>13}")
    for label, job in parts:
        spent = best_of(args.rounds, job)
        print(f"{label:42} {spent:7.3f} {chars / spent:13,.0f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
