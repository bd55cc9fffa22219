"""The ``factkit`` command line. Each command lives in its own module beside this one and adds itself
through ``add_parser``; :data:`COMMANDS` lists them in the order ``--help`` shows.

Errors are printed as one readable message (a pack's as ``file:line:col: where: what [CODE]`` lines),
never as a traceback. Exit codes: 0 success, 1 failures found, 2 usage or load errors.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from typing import Sequence

from ..errors import FactkitError, PackError

COMMANDS = ["extract", "packs", "check", "explain", "eval", "schema", "bench", "new"]


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
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


def build_parser() -> argparse.ArgumentParser:
    from .. import __version__

    parser = argparse.ArgumentParser(prog="factkit", description="Typed, normalised facts from running text.")
    parser.add_argument("--version", action="version", version=f"factkit {__version__}")
    sub = parser.add_subparsers(dest="command")
    for name in COMMANDS:
        importlib.import_module(f".{name}_cmd", __name__).add_parser(sub)
    return parser
