"""``factkit check``: validate packs, lint them and run their examples."""

from __future__ import annotations

import argparse


def add_parser(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    ch = sub.add_parser("check", help="validate packs and run their examples")
    ch.add_argument("packs", nargs="+", metavar="PACK_OR_PATH")
    ch.add_argument("--strict", action="store_true", help="treat warnings as failures")
    ch.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from ..checking import check_pack

    worst = 0
    for source in args.packs:
        report = check_pack(source)
        for line in report.lines():
            print(line)
        status = report.exit_code(strict=args.strict)
        worst = max(worst, status)
    return worst
