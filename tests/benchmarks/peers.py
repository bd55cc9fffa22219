"""factkit beside the extractors it means to replace: chars/s on the same corpus, in one process, on one core.

The peers are development tools only, never factkit dependencies. Install whichever you want compared:

    pip install "pyduckling-native-phihos==0.3.0" quantulum3 dateparser recognizers-text-suite "emoji<2" spacy

(pyduckling-native-phihos 0.3.0 is the newest Duckling binding with a CPython 3.11 Linux wheel;
recognizers-text-suite needs emoji < 2; spaCy runs as a blank English tokenizer plus a Matcher, as no
model can be downloaded here.) A peer that is not installed is listed as such and skipped.

Usage: python tests/benchmarks/peers.py [CORPUS_DIR] [--cap-seconds 60] [--only NAME ...] [--format table|json]

Each extractor gets its full English extractor set and one untimed warm-up call; then it runs over the
corpus one document (article) at a time until the corpus ends or it has used ``--cap-seconds`` of CPU. A
capped run's rates are extrapolated from the documents it finished, and the table says how much it read.
Setup (imports, building models) is timed apart. The process is pinned to one CPU. Rates are given per
CPU second of this process (what one core does, whatever else runs on the machine) and per wall-clock
second; "vs factkit" compares CPU rates.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
import warnings
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Callable

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # this checkout's factkit, run as a script

REFERENCE = "2019-03-31"
REFERENCE_EPOCH = 1553990400  # 2019-03-31T00:00:00Z
WARMUP = "Up to 100 Russian personnel arrived on March 28 with 35 tons of equipment worth $3 million (4.5%)."
Extract = Callable[[str], int]  # runs the extractor on one document, returns how many items it found


@dataclass
class Result:
    name: str
    status: str  # "ok", "capped", "not installed", "failed: ..."
    setup_seconds: float = 0.0
    documents: int = 0
    chars: int = 0
    seconds: float = 0.0
    cpu_seconds: float = 0.0
    items: int = 0
    errors: int = 0
    chars_per_s: float = 0.0
    chars_per_cpu_s: float = 0.0
    vs_factkit: float = 0.0  # of chars per CPU second


# --- the extractors: each setup returns a function of one document ------------------------------------

def setup_factkit() -> Extract:
    import factkit

    extractor = factkit.Extractor(reference_date=REFERENCE)  # all built-in packs
    return lambda text: len(extractor.extract(text))


def setup_duckling() -> Extract:
    from duckling import (Context, default_locale_lang, load_time_zones, parse, parse_dimensions,
                          parse_lang, parse_locale, parse_ref_time)

    zones = load_time_zones("/usr/share/zoneinfo")
    locale = parse_locale("EN_US", default_locale_lang(parse_lang("EN")))
    context = Context(parse_ref_time(zones, "UTC", REFERENCE_EPOCH), locale)
    dims = parse_dimensions(["amount-of-money", "credit-card-number", "distance", "duration", "email",
                             "number", "ordinal", "phone-number", "quantity", "temperature", "time", "url",
                             "volume"])
    return lambda text: len(parse(text, context, dims, False))


def setup_quantulum3() -> Extract:
    warnings.filterwarnings("ignore", module="quantulum3")  # "classifier dependencies not installed"
    from quantulum3 import parser

    return lambda text: len(parser.parse(text))


def setup_dateparser() -> Extract:
    import datetime as dt

    from dateparser.search import search_dates

    settings = {"RELATIVE_BASE": dt.datetime(2019, 3, 31)}
    return lambda text: len(search_dates(text, languages=["en"], settings=settings) or ())


def _recognizers_models(numbers_only: bool) -> list[Any]:
    from recognizers_text import Culture

    from recognizers_number import NumberRecognizer

    en = Culture.English
    numbers = NumberRecognizer(en)
    if numbers_only:
        return [numbers.get_number_model()]
    from recognizers_choice import ChoiceRecognizer
    from recognizers_date_time import DateTimeRecognizer
    from recognizers_number_with_unit import NumberWithUnitRecognizer
    from recognizers_sequence import SequenceRecognizer

    units, seq = NumberWithUnitRecognizer(en), SequenceRecognizer(en)
    return [numbers.get_number_model(), numbers.get_ordinal_model(), numbers.get_percentage_model(),
            units.get_age_model(), units.get_currency_model(), units.get_dimension_model(),
            units.get_temperature_model(), DateTimeRecognizer(en).get_datetime_model(),
            seq.get_phone_number_model(), seq.get_email_model(), seq.get_url_model(),
            seq.get_ip_address_model(), seq.get_guid_model(), seq.get_hashtag_model(), seq.get_mention_model(),
            ChoiceRecognizer(en).get_boolean_model()]


def setup_recognizers() -> Extract:
    models = _recognizers_models(numbers_only=False)
    return lambda text: sum(len(m.parse(text)) for m in models)


def setup_recognizers_numbers() -> Extract:
    (model,) = _recognizers_models(numbers_only=True)
    return lambda text: len(model.parse(text))


def setup_spacy() -> Extract:
    import spacy
    from spacy.matcher import Matcher

    nlp = spacy.blank("en")
    units = ["km", "kilometers", "kilometres", "miles", "meters", "feet", "tons", "tonnes", "kilograms", "kg",
             "pounds", "barrels", "liters", "gallons", "mph", "knots", "megawatts", "hectares", "troops",
             "soldiers", "people", "percent"]
    months = ["january", "february", "march", "april", "may", "june", "july", "august", "september",
              "october", "november", "december"]
    matcher = Matcher(nlp.vocab)
    matcher.add("QUANTITY", [[{"LIKE_NUM": True, "OP": "+"}, {"LOWER": {"IN": units}}]])
    matcher.add("PERCENT", [[{"LIKE_NUM": True}, {"ORTH": "%"}]])
    matcher.add("MONEY", [[{"IS_CURRENCY": True}, {"LIKE_NUM": True, "OP": "+"}],
                          [{"LIKE_NUM": True, "OP": "+"}, {"LOWER": {"IN": ["dollars", "euros", "rubles"]}}]])
    matcher.add("DATE", [[{"LOWER": {"IN": months}}, {"IS_DIGIT": True}],
                         [{"IS_DIGIT": True}, {"LOWER": {"IN": months}}]])
    matcher.add("NUMBER", [[{"LIKE_NUM": True}]])
    return lambda text: len(matcher(nlp(text)))


PEERS: dict[str, tuple[str, Callable[[], Extract]]] = {
    "factkit": ("factkit (all built-in packs)", setup_factkit),
    "duckling": ("Duckling (pyduckling-native-phihos), all dimensions", setup_duckling),
    "quantulum3": ("quantulum3 parser.parse", setup_quantulum3),
    "dateparser": ("dateparser search_dates (en)", setup_dateparser),
    "recognizers": ("Recognizers-Text, all English models", setup_recognizers),
    "recognizers-numbers": ("Recognizers-Text, number model only", setup_recognizers_numbers),
    "spacy": ("spaCy blank 'en' tokenizer + Matcher", setup_spacy),
}


# --- running -----------------------------------------------------------------------------------------

def measure(name: str, setup: Callable[[], Extract], docs: list[str], cap_seconds: float) -> Result:
    result = Result(name, "ok")
    start = time.perf_counter()
    try:
        extract = setup()
        extract(WARMUP)
    except ImportError as exc:
        return Result(name, f"not installed ({exc.name or exc})")
    except Exception as exc:  # a peer that cannot start is reported, not fatal to the comparison
        return Result(name, f"failed: {type(exc).__name__}: {exc}"[:120])
    result.setup_seconds = time.perf_counter() - start
    # CPU time over the whole run, one interval: a peer may work in threads of its own, so the process's
    # clock; read document by document it would lag by up to a kernel tick while factkit's CPU timer is
    # armed (see factkit/watchdog.py), and the lags would add up.
    began_cpu = time.process_time()
    for text in docs:
        start = time.perf_counter()
        try:
            result.items += extract(text)
        except Exception:  # noqa: BLE001 - counted; a peer crashing on one article should not end the run
            result.errors += 1
        result.seconds += time.perf_counter() - start
        result.cpu_seconds = time.process_time() - began_cpu
        result.documents += 1
        result.chars += len(text)
        if result.cpu_seconds > cap_seconds and result.documents < len(docs):
            result.status = "capped"
            break
    result.chars_per_s = result.chars / result.seconds if result.seconds else 0.0
    result.chars_per_cpu_s = result.chars / result.cpu_seconds if result.cpu_seconds else 0.0
    return result


def pin_to_one_cpu() -> str:
    if not hasattr(os, "sched_setaffinity"):
        return "not pinned (no sched_setaffinity on this platform)"
    cpu = min(os.sched_getaffinity(0))
    os.sched_setaffinity(0, {cpu})
    return f"pinned to CPU {cpu}"


def read_corpus(path: Path | None) -> tuple[Path, list[str]]:
    if path is None:
        from factkit.bench import default_corpus

        path = default_corpus()
    files = sorted(path.glob("*.txt")) if path.is_dir() else [path]
    return path, [f.read_text(encoding="utf-8") for f in files]


def table(results: list[Result], total_chars: int) -> str:
    header = ("extractor", "chars/cpu-s", "chars/s", "vs factkit", "read", "setup s", "items", "errors", "status")
    rows = []
    for r in results:
        if r.status not in ("ok", "capped"):
            rows.append((PEERS[r.name][0], "-", "-", "-", "-", "-", "-", "-", r.status))
            continue
        read = "all" if r.status == "ok" else f"{r.chars / 1024:,.0f} of {total_chars / 1024:,.0f} KiB (extrapolated)"
        rows.append((PEERS[r.name][0], f"{r.chars_per_cpu_s:,.0f}", f"{r.chars_per_s:,.0f}", f"{r.vs_factkit:.3f}", read,
                     f"{r.setup_seconds:.2f}", f"{r.items:,}", str(r.errors), r.status))
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]
    return "\n".join("  ".join(c.ljust(w) for c, w in zip(row, widths)).rstrip() for row in [header, *rows])


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("corpus", nargs="?", type=Path, help="directory of *.txt articles (default: the bench corpus)")
    ap.add_argument("--cap-seconds", type=float, default=60.0, help="CPU-time cap per extractor (default: 60)")
    ap.add_argument("--only", nargs="+", choices=list(PEERS), help="run only these (factkit always runs)")
    ap.add_argument("--format", choices=["table", "json"], default="table")
    args = ap.parse_args(argv)
    pinning = pin_to_one_cpu()
    corpus, docs = read_corpus(args.corpus)
    total = sum(len(d) for d in docs)
    names = ["factkit"] + [n for n in PEERS if n != "factkit" and (not args.only or n in args.only)]
    results = []
    for name in names:
        print(f"running {name} ...", file=sys.stderr, flush=True)
        results.append(measure(name, PEERS[name][1], docs, args.cap_seconds))
    base = results[0].chars_per_cpu_s
    for r in results:
        r.vs_factkit = r.chars_per_cpu_s / base if base else 0.0
    if args.format == "json":
        print(json.dumps({"corpus": str(corpus), "documents": len(docs), "chars": total, "cpu": pinning,
                          "cap_seconds": args.cap_seconds, "results": [asdict(r) for r in results]}, indent=2))
    else:
        print(f"corpus: {corpus} ({len(docs)} documents, {total:,} chars); {pinning}; "
              f"cap {args.cap_seconds:g} s per extractor")
        print(table(results, total))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
