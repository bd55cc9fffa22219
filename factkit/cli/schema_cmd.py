"""``factkit schema``: the JSON Schema of the pack format, for editors (committed as docs/pack.schema.json)."""

from __future__ import annotations

import argparse
import sys


def add_parser(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    sc = sub.add_parser("schema", help="print the JSON Schema of the pack format")
    sc.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from ..docgen import schema_text

    sys.stdout.write(schema_text())
    return 0
