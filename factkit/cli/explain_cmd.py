"""``factkit explain``: which rules fired on a text, why candidates lost, why a rule did not fire."""

from __future__ import annotations

import argparse
import sys

from .common import add_pack_options, build_extractor


def add_parser(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    xp = sub.add_parser("explain", help="show which rules fired on a text, and why candidates lost")
    xp.add_argument("text", nargs="?", help="the text (or use --file)")
    xp.add_argument("--file", help="read the text from a file")
    xp.add_argument("--rule", help="pack:rule-id (or rule-id) to report on even if it did not fire")
    add_pack_options(xp)
    xp.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from ..explaining import explain_text

    if args.file:
        from ..pack_loader import read_text_file

        text = read_text_file(args.file)
    elif args.text is not None:
        text = args.text
    else:
        print("factkit explain: give a TEXT or --file", file=sys.stderr)
        return 2
    print(explain_text(build_extractor(args), text, rule=args.rule))
    return 0
