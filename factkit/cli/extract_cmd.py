"""``factkit extract``: facts from files or standard input, as JSON lines or a table."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Iterator, TextIO

from ..errors import InputError
from ..facts import Fact
from ..pack_loader import read_text_file
from .common import add_pack_options, build_extractor


def add_parser(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    ex = sub.add_parser("extract", help="extract facts from files or standard input")
    ex.add_argument("files", nargs="*", metavar="FILE", help="text files; '-' or none reads standard input")
    add_pack_options(ex)
    ex.add_argument("--format", choices=["jsonl", "table"], default="jsonl")
    ex.add_argument("--kinds", help="comma-separated fact kinds to keep (before overlap resolution)")
    ex.add_argument("--errors", choices=["strict", "replace"], default="strict",
                    help="what to do with bytes that are not UTF-8 (default: stop with an error)")
    ex.set_defaults(run=run)


def _inputs(files: list[str], errors: str) -> Iterator[tuple[str, str]]:
    if not files or files == ["-"]:
        data = sys.stdin.buffer.read()
        try:
            yield "-", data.decode("utf-8", errors=errors)
        except UnicodeDecodeError as exc:
            raise InputError(f"<stdin>: not valid UTF-8 at byte {exc.start} (use --errors replace)") from None
        return
    for name in files:
        path = Path(name)
        if path.is_dir():
            raise InputError(f"{name}: is a directory; pass the files inside it")
        yield name, read_text_file(path, errors=errors)


def run(args: argparse.Namespace) -> int:
    kinds = [k.strip() for k in args.kinds.split(",") if k.strip()] if args.kinds else None
    extractor = build_extractor(args, kinds)
    out = sys.stdout
    several = len(args.files) > 1
    for source, text in _inputs(args.files, args.errors):
        facts = extractor.extract(text)
        if args.format == "jsonl":
            for fact in facts:
                row = fact.model_dump(mode="json")
                if several:
                    row["source"] = source
                out.write(json.dumps(row, ensure_ascii=False) + "\n")
        else:
            if several:
                out.write(f"== {source}\n")
            _table(facts, out)
    out.flush()
    return 0


def _value(fact: Fact) -> str:
    d = fact.model_dump(mode="json")
    if fact.kind == "range":
        core = f"{d['low']}..{d['high']}"
    elif fact.kind == "date" and d.get("low") and d.get("value") is None:
        core = f"{d['low']}..{d['high']}"
    else:
        core = str(d.get("value"))
    extras = [str(d[k]) for k in ("unit", "qualifier", "granularity", "category") if d.get(k)]
    return core + (f" ({', '.join(extras)})" if extras else "")


def _table(facts: list[Fact], out: TextIO) -> None:
    rows = [(f"{f.start}-{f.end}", f.kind, f.text.replace("\n", " "), _value(f), f.rule) for f in facts]
    header = ("span", "kind", "text", "value", "rule")
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(5)]
    for row in [header, *rows]:
        out.write("  ".join(str(c).ljust(w) for c, w in zip(row, widths)).rstrip() + "\n")
