"""``factkit packs``: every pack factkit can load, with its version, origin, rules and kinds."""

from __future__ import annotations

import argparse
import json
import sys

from ..errors import FactkitError


def add_parser(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    pk = sub.add_parser("packs", help="list the packs factkit can load")
    pk.add_argument("--format", choices=["table", "json"], default="table")
    pk.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from ..pack_loader import load_pack
    from ..registry import default

    rows = []
    for source in default.pack_sources():
        try:
            pack = load_pack(source.name, registry=default)
            kinds = sorted({r.kind for r in pack.spec.rules})
            rows.append({"name": source.name, "version": pack.version, "origin": source.origin,
                         "rules": len(pack.spec.rules), "kinds": kinds, "path": str(pack.path)})
        except FactkitError as exc:
            first = str(exc).splitlines()[-1].strip()
            rows.append({"name": source.name, "version": "?", "origin": source.origin, "rules": 0, "kinds": [],
                         "error": first})
    for conflict in default.conflicts():
        print(f"factkit: warning: {conflict}", file=sys.stderr)
    if args.format == "json":
        print(json.dumps(rows, indent=2))
        return 0
    table = [("name", "version", "origin", "rules", "kinds")] + [
        (r["name"], r["version"], r["origin"], str(r["rules"]), ", ".join(r["kinds"]) or f"ERROR: {r.get('error')}")
        for r in rows]
    widths = [max(len(row[i]) for row in table) for i in range(5)]
    for row in table:
        print("  ".join(c.ljust(w) for c, w in zip(row, widths)).rstrip())
    return 0
