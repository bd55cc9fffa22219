"""Options and helpers shared by several commands."""

from __future__ import annotations

import argparse
from typing import Any

from ..extractor import Extractor


def add_pack_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--pack", action="append", metavar="NAME|PATH",
                   help="pack to use (repeatable; default: all built-in packs)")
    p.add_argument("--reference-date", metavar="YYYY-MM-DD", help="anchor for relative dates (default: today)")
    p.add_argument("--prefer", choices=["past", "future", "nearest"], default="past",
                   help="reading of dates that leave the year or week open (default: past)")


def build_extractor(args: argparse.Namespace, kinds: Any = None) -> Extractor:
    return Extractor(args.pack, reference_date=args.reference_date, prefer=args.prefer, kinds=kinds)
