"""``factkit new``: scaffold a pack distribution that installs with pip and passes pytest as created."""

from __future__ import annotations

import argparse


def add_parser(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    nw = sub.add_parser("new", help="create a pack distribution (pyproject, pack, examples, fixture, test)")
    nw.add_argument("name", metavar="PACK_NAME", help="the pack's name, e.g. naval-speeds")
    nw.add_argument("--dir", metavar="D", help="project directory to create (default: ./factkit-PACK_NAME)")
    nw.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from ..scaffold import scaffold

    files = scaffold(args.name, args.dir)
    root = files[0].parent
    for path in files:
        print(f"created {path}")
    print(f"\nnext: cd {root} && python -m pip install -e '.[test]' && python -m pytest")
    return 0
