"""``factkit eval``: precision, recall and F1 of packs on labelled case files (see docs/evaluation.md)."""

from __future__ import annotations

import argparse
import json
import sys

from .common import add_pack_options, build_extractor


def add_parser(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    ev = sub.add_parser("eval", help="score packs on labelled cases (JSON lines)")
    ev.add_argument("files", nargs="+", metavar="CASES.jsonl", help="case files, one JSON object a line")
    add_pack_options(ev)
    ev.add_argument("--by-kind", action="store_true", help="also report each kind within each file")
    ev.add_argument("--errors", type=int, default=0, metavar="N",
                    help="print the N worst misses and false positives with the text around them")
    ev.add_argument("--format", choices=["table", "json"], default="table")
    ev.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from ..evaluation import evaluate

    if args.errors < 0:
        raise ValueError("--errors takes a count of 0 or more")
    report = evaluate(args.files, extractor=build_extractor(args))
    if args.format == "json":
        json.dump(report.as_dict(by_kind=args.by_kind, errors=args.errors), sys.stdout, ensure_ascii=False,
                  indent=1)
        sys.stdout.write("\n")
    else:
        sys.stdout.write(report.table(by_kind=args.by_kind, errors=args.errors))
    return 0
