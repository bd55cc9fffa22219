"""The ``factkit`` command line: extract, packs, check, explain, schema.

Errors are printed as one readable message (a pack's as ``file:line:col: where: what [CODE]`` lines),
never as a traceback. Exit codes: 0 success, 1 failures found (check), 2 usage or load errors.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any, Iterator, Sequence, TextIO

from .errors import FactkitError, PackError
from .extractor import Extractor
from .facts import Fact


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if not getattr(args, "command", None):
        parser.print_help()
        return 2
    try:
        return int(args.run(args) or 0)
    except PackError as exc:
        print(f"factkit: {exc}", file=sys.stderr)
        return 2
    except FactkitError as exc:
        print(f"factkit: error: {exc}", file=sys.stderr)
        return 2
    except ValueError as exc:  # bad option values such as a reference date that is not a date
        print(f"factkit: error: {exc}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # `factkit extract ... | head`
        sys.stderr.close()
        return 0
    except KeyboardInterrupt:
        return 130


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="factkit", description="Typed, normalised facts from running text.")
    parser.add_argument("--version", action="version", version=f"factkit {_version()}")
    sub = parser.add_subparsers(dest="command")

    ex = sub.add_parser("extract", help="extract facts from files or standard input")
    ex.add_argument("files", nargs="*", metavar="FILE", help="text files; '-' or none reads standard input")
    _pack_options(ex)
    ex.add_argument("--format", choices=["jsonl", "table"], default="jsonl")
    ex.add_argument("--kinds", help="comma-separated fact kinds to keep (before overlap resolution)")
    ex.add_argument("--errors", choices=["strict", "replace"], default="strict",
                    help="what to do with bytes that are not UTF-8 (default: stop with an error)")
    ex.set_defaults(run=_extract)

    pk = sub.add_parser("packs", help="list the packs factkit can load")
    pk.add_argument("--format", choices=["table", "json"], default="table")
    pk.set_defaults(run=_packs)

    ch = sub.add_parser("check", help="validate packs and run their examples")
    ch.add_argument("packs", nargs="+", metavar="PACK_OR_PATH")
    ch.add_argument("--strict", action="store_true", help="treat warnings as failures")
    ch.set_defaults(run=_check)

    xp = sub.add_parser("explain", help="show which rules fired on a text, and why candidates lost")
    xp.add_argument("text", nargs="?", help="the text (or use --file)")
    xp.add_argument("--file", help="read the text from a file")
    xp.add_argument("--rule", help="pack:rule-id (or rule-id) to report on even if it did not fire")
    _pack_options(xp)
    xp.set_defaults(run=_explain)

    sc = sub.add_parser("schema", help="print the JSON Schema of the pack format")
    sc.set_defaults(run=_schema)
    return parser


def _pack_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--pack", action="append", metavar="NAME|PATH",
                   help="pack to use (repeatable; default: all built-in packs)")
    p.add_argument("--reference-date", metavar="YYYY-MM-DD", help="anchor for relative dates (default: today)")
    p.add_argument("--prefer", choices=["past", "future", "nearest"], default="past",
                   help="reading of dates that leave the year or week open (default: past)")


def _version() -> str:
    from . import __version__

    return __version__


def _extractor(args: argparse.Namespace, kinds: Any = None) -> Extractor:
    return Extractor(args.pack, reference_date=args.reference_date, prefer=args.prefer, kinds=kinds)


def _inputs(files: list[str], errors: str) -> Iterator[tuple[str, str]]:
    from .pack_loader import read_text_file

    if not files or files == ["-"]:
        data = sys.stdin.buffer.read()
        try:
            yield "-", data.decode("utf-8", errors=errors)
        except UnicodeDecodeError as exc:
            from .errors import InputError

            raise InputError(f"<stdin>: not valid UTF-8 at byte {exc.start} (use --errors replace)") from None
        return
    for name in files:
        path = Path(name)
        if path.is_dir():
            from .errors import InputError

            raise InputError(f"{name}: is a directory; pass the files inside it")
        yield name, read_text_file(path, errors=errors)


def _extract(args: argparse.Namespace) -> int:
    kinds = [k.strip() for k in args.kinds.split(",") if k.strip()] if args.kinds else None
    extractor = _extractor(args, kinds)
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


def _packs(args: argparse.Namespace) -> int:
    from .pack_loader import load_pack
    from .registry import default

    rows = []
    for source in default.pack_sources():
        try:
            pack = load_pack(source.name)
            kinds = sorted({r.kind for r in pack.spec.rules})
            rows.append({"name": source.name, "version": pack.version, "origin": source.origin,
                         "rules": len(pack.spec.rules), "kinds": kinds, "path": str(pack.path)})
        except FactkitError as exc:
            first = str(exc).splitlines()[-1].strip()
            rows.append({"name": source.name, "version": "?", "origin": source.origin, "rules": 0, "kinds": [],
                         "error": first})
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


def _check(args: argparse.Namespace) -> int:
    from .checking import check_pack

    worst = 0
    for source in args.packs:
        report = check_pack(source)
        for line in report.lines():
            print(line)
        status = report.exit_code(strict=args.strict)
        worst = max(worst, status)
    return worst


def _explain(args: argparse.Namespace) -> int:
    from .explaining import explain_text

    if args.file:
        from .pack_loader import read_text_file

        text = read_text_file(args.file)
    elif args.text is not None:
        text = args.text
    else:
        print("factkit explain: give a TEXT or --file", file=sys.stderr)
        return 2
    print(explain_text(_extractor(args), text, rule=args.rule))
    return 0


def _schema(args: argparse.Namespace) -> int:
    from .pack_schema import pack_json_schema

    print(json.dumps(pack_json_schema(), indent=2))
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
