"""``factkit schema``: the JSON Schema of the pack format, for editors."""

from __future__ import annotations

import argparse
import json


def add_parser(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    sc = sub.add_parser("schema", help="print the JSON Schema of the pack format")
    sc.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from ..pack_schema import pack_json_schema

    print(json.dumps(pack_json_schema(), indent=2))
    return 0
