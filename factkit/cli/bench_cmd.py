"""``factkit bench``: throughput, peak memory and, with ``--profile``, the time each rule costs."""

from __future__ import annotations

import argparse
import json
import sys

from .common import add_pack_options


def add_parser(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    bp = sub.add_parser("bench", help="measure extraction speed, memory and the cost of each rule")
    bp.add_argument("inputs", nargs="*", metavar="FILE|DIR",
                    help="text files, or directories of *.txt files (default: the benchmark corpus, built on "
                         "first use from tests/benchmarks/build_corpus.py)")
    add_pack_options(bp)
    bp.add_argument("--repeat", type=int, default=3, metavar="N", help="passes over the input; the fastest "
                    "counts (default: 3)")
    bp.add_argument("--doc-size", action="append", default=[], metavar="SIZE",
                    help="also measure the input re-cut into documents of SIZE characters (1K, 100K, 10M; "
                         "repeatable), to check that cost is linear in document length")
    bp.add_argument("--together", type=int, default=1, metavar="N",
                    help="extract N documents per call of Extractor.extract_all, as `factkit extract` does with "
                         "the records of a corpus and with small files (default: 1, one extract() call per "
                         "document)")
    bp.add_argument("--profile", action="store_true", help="time each rule alone, slowest first")
    bp.add_argument("--format", choices=["table", "json"], default="table")
    bp.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from ..bench import format_table, parse_size
    from ..bench import run as bench

    if args.repeat < 1:
        raise ValueError(f"--repeat must be at least 1, not {args.repeat}")
    sizes = [parse_size(s) for s in args.doc_size]
    report = bench(args.inputs, packs=args.pack, repeat=args.repeat, profile=args.profile, doc_sizes=sizes,
                   reference_date=args.reference_date, prefer=args.prefer, together=args.together)
    if args.format == "json":
        json.dump(report.as_dict(), sys.stdout, indent=2)
        sys.stdout.write("\n")
    else:
        sys.stdout.write(format_table(report))
    return 0
