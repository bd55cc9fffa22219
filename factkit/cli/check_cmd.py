"""``factkit check``: validate packs, lint them and run their examples."""

from __future__ import annotations

import argparse


def add_parser(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    ch = sub.add_parser("check", help="validate packs and run their examples",
                        epilog="Problems print as file:line:col: where: what [CODE]; E codes are errors, W "
                               "warnings, F failed examples. Exit status: 2 if a pack cannot be loaded, else 1 "
                               "if an example fails (or, with --strict, on warnings), else 0.")
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
