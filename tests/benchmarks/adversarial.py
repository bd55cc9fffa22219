"""Hostile inputs against their time budget, memory while streaming a huge file, and how fast hostile
packs are refused. A script, not a test: timings on a shared machine are noisy, so the budget is a ratio
to ordinary news text measured in the same run (see tests/adversarial/inputs.yaml and docs/robustness.md).

Usage::

    python tests/benchmarks/adversarial.py                 # every input of tests/adversarial/inputs.yaml
    python tests/benchmarks/adversarial.py --only digit    # inputs whose name contains "digit"
    python tests/benchmarks/adversarial.py --scale 0.1     # every input a tenth of its size
    python tests/benchmarks/adversarial.py --packs         # time to refuse hostile packs
    python tests/benchmarks/adversarial.py --stream-gb 1   # peak memory streaming a 1 GB file (made in /tmp)

Each input goes through ``Extractor.extract_stream`` in 1 MiB pieces, and its facts are checked (spans
index the text, sorted, no overlaps). Prints Markdown; exits 1 if an input is over budget or breaks.
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

import factkit

HERE = Path(__file__).resolve().parent
INPUTS = HERE.parent / "adversarial" / "inputs.yaml"
REFERENCE = "2019-03-31"
PIECE = 1 << 20


def build(seed: str, chars: int) -> str:
    return (seed * (chars // len(seed) + 1))[:chars]


def run_one(extractor: factkit.Extractor, text: str) -> tuple[float, int, str]:
    """Seconds, facts, and "" or what went wrong."""
    start = time.perf_counter()
    try:
        facts = list(extractor.extract_stream(text[i:i + PIECE] for i in range(0, len(text), PIECE)))
    except Exception as exc:  # noqa: BLE001 - the point of the run is to find these
        return time.perf_counter() - start, 0, f"raised {type(exc).__name__}: {exc}"
    seconds = time.perf_counter() - start
    last = 0
    for fact in facts:
        if text[fact.start:fact.end] != fact.text or fact.start < last:
            return seconds, len(facts), f"bad span {fact.start}:{fact.end}"
        last = fact.end
    return seconds, len(facts), ""


def inputs_report(args: argparse.Namespace) -> int:
    spec = yaml.safe_load(INPUTS.read_text(encoding="utf-8"))
    extractor = factkit.Extractor(reference_date=REFERENCE)
    baseline_text = build(spec["baseline"], int(200_000 * args.scale))
    run_one(extractor, baseline_text)  # untimed: patterns are built on first use, which is not throughput
    base_s, base_facts, _ = run_one(extractor, baseline_text)
    base_per_mb = base_s / (len(baseline_text.encode()) / 1e6)
    budget = float(spec["budget"])
    print(f"Baseline (news text): {len(baseline_text):,} chars, {base_facts:,} facts, {base_s:.2f} s, "
          f"{base_per_mb:.1f} s/MB. Budget: {budget:g} x baseline = {budget * base_per_mb:.1f} s/MB.\n")
    print("| input | chars | facts | seconds | s/MB | x baseline | verdict |")
    print("|---|---:|---:|---:|---:|---:|---|")
    failed = 0
    slowest = ("", 0.0)
    for item in spec["inputs"]:
        if args.only and args.only not in item["name"]:
            continue
        text = build(item["seed"], max(1, int(item["chars"] * args.scale)))
        seconds, nfacts, problem = run_one(extractor, text)
        per_mb = seconds / (len(text.encode()) / 1e6)
        ratio = per_mb / base_per_mb if base_per_mb else float("inf")
        verdict = problem or ("ok" if ratio <= budget else "OVER BUDGET")
        failed += verdict != "ok"
        if per_mb > slowest[1]:
            slowest = (item["name"], per_mb)
        print(f"| {item['name']} | {len(text):,} | {nfacts:,} | {seconds:.2f} | {per_mb:.1f} | {ratio:.2f} | "
              f"{verdict} |", flush=True)
    print(f"\nSlowest: {slowest[0]} at {slowest[1]:.1f} s/MB; {failed} over budget or broken.")
    return 1 if failed else 0


# -- hostile packs ------------------------------------------------------------------------------------------

def billion_laughs(levels: int, width: int) -> str:
    lines = ["name: lol", "a0: &a0 [" + ", ".join(["lol"] * width) + "]"]
    for i in range(1, levels):
        lines.append(f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * width) + "]")
    return "\n".join(lines) + "\n"


def macro_bomb(levels: int) -> str:
    lines = ["name: bomb", "macros:", "  m0: 'ab'"] + [f"  m{i}: '{{m{i - 1}}}{{m{i - 1}}}'"
                                                       for i in range(1, levels)]
    rule = "  - {id: r, kind: number, pattern: '{m" + str(levels - 1) + "}'}"
    return "\n".join([*lines, "rules:", rule]) + "\n"


HOSTILE_PACKS = {
    "billion laughs (9 levels of 9 aliases: 387M nodes)": lambda: billion_laughs(9, 9),
    "billion laughs (30 levels of 2 aliases: 1G nodes)": lambda: billion_laughs(30, 2),
    "macro doubling 40 levels (2**41 characters)": lambda: macro_bomb(40),
    "YAML nested 1,000,000 deep": lambda: "name: deep\nx: " + "[" * 1_000_000 + "]" * 1_000_000 + "\n",
    "catastrophic pattern (\\w+\\s?)+": lambda: "name: redos\nrules:\n  - {id: r, kind: number, "
                                                "pattern: '(?:\\w+\\s?)+x'}\n",
}


def packs_report() -> int:
    from factkit.errors import PackError
    from factkit.pack_loader import load_pack

    print("| hostile pack | refused with | seconds |")
    print("|---|---|---:|")
    bad = 0
    with tempfile.TemporaryDirectory(dir="/tmp") as tmp:
        for n, (name, make) in enumerate(HOSTILE_PACKS.items()):
            path = Path(tmp) / str(n) / "pack.yaml"
            path.parent.mkdir()
            path.write_text(make(), encoding="utf-8")
            start = time.perf_counter()
            try:
                load_pack(path)
                outcome = "LOADED"
                bad += 1
            except PackError as exc:
                outcome = ", ".join(sorted({p.code for p in exc.problems}))
            print(f"| {name} | {outcome} | {time.perf_counter() - start:.3f} |", flush=True)
    return 1 if bad else 0


# -- streaming memory ---------------------------------------------------------------------------------------

TINY_PACK = """name: tiny
rules:
  - id: digits
    kind: number
    pattern: '(?<![\\d.,])(?P<value>\\d{1,9})(?![\\d.,])'
    fields: {value: number}
"""
LINE = "The convoy left at dawn and reached the border crossing by noon, as planned by the staff.\n"
FACT_LINE = "Paragraph {n}: the convoy of 42 trucks left at dawn and reached the border by noon.\n\n"


def stream_report(gigabytes: float, packs: str) -> int:
    with tempfile.TemporaryDirectory(dir="/tmp") as tmp:
        path = Path(tmp) / "big.txt"
        target = int(gigabytes * 1e9)
        start = time.perf_counter()
        with open(path, "w", encoding="utf-8") as out:
            written, n = 0, 0
            block = "".join(FACT_LINE.format(n=i) if i % 10 == 0 else LINE for i in range(10_000))
            while written < target:
                written += out.write(block)
                n += 1
        print(f"Generated {path.stat().st_size / 1e9:.2f} GB in {time.perf_counter() - start:.0f} s.")
        if packs == "tiny":
            (Path(tmp) / "tiny").mkdir()
            (Path(tmp) / "tiny" / "pack.yaml").write_text(TINY_PACK, encoding="utf-8")
            packs = str(Path(tmp) / "tiny")
        child = subprocess.run([sys.executable, __file__, "--stream-child", str(path), "--stream-packs", packs],
                               capture_output=True, text=True, check=False)
        print(child.stdout.strip() or child.stderr.strip()[-2000:])
        return child.returncode
    # the file is deleted with the directory


def stream_child(path: str, packs: str) -> int:
    extractor = factkit.Extractor(None if packs == "builtin" else [packs], reference_date=REFERENCE)
    ready = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    start = time.perf_counter()
    count = 0
    last_end = 0
    for fact in extractor.extract_file(path):
        assert fact.start >= last_end
        last_end = fact.end
        count += 1
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    size = os.path.getsize(path) / 1e6
    print(f"Streamed {size:,.0f} MB with packs={packs}: {count:,} facts in {seconds:.0f} s "
          f"({seconds / size:.2f} s/MB). Peak RSS {peak:.0f} MiB; {ready:.0f} MiB before the first byte, so "
          f"streaming added {peak - ready:.0f} MiB.")
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", help="only inputs whose name contains this")
    parser.add_argument("--scale", type=float, default=1.0, help="multiply every input's size")
    parser.add_argument("--packs", action="store_true", help="time the refusal of hostile packs")
    parser.add_argument("--stream-gb", type=float, help="stream a generated file of this many GB")
    parser.add_argument("--stream-packs", default="tiny", help="'tiny' (one rule), 'builtin' or a pack path")
    parser.add_argument("--stream-child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.stream_child:
        return stream_child(args.stream_child, args.stream_packs)
    if args.stream_gb:
        return stream_report(args.stream_gb, args.stream_packs)
    if args.packs:
        return packs_report()
    return inputs_report(args)


if __name__ == "__main__":
    sys.exit(main())
