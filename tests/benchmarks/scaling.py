"""How extraction scales: one worker against several on the same corpus, Spark in local mode, and what it
costs to get the extractor into a worker (pickled, or rebuilt from pack names).

Usage: ``python tests/benchmarks/scaling.py [--docs 10000] [--workers 1 2] [--no-spark]``

The corpus is generated here, deterministically (``--seed``), from news-like sentence templates: short
documents of one to four sentences, most carrying a number, a quantity, an amount of money, a
percentage, a date, a duration or a weapon name. Timings are wall-clock; worker CPU time is reported
beside them, since on a shared machine the speed-up is bounded by the cores actually free. The results
of every run are checked to be identical to the one-worker run. Prints Markdown for docs/performance.md.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import pickle
import platform
import random
import resource
import subprocess
import sys
import time
from pathlib import Path

import factkit
from factkit.batch import available_cores, extract_many

REFERENCE = "2019-03-31"
WHO = ["The ministry", "A spokesperson", "The regional governor", "Officials", "The central bank",
       "Witnesses", "The army", "An analyst", "The company", "Local media", "The coast guard", "Diplomats"]
PLACES = ["Caracas", "the capital", "the northern port", "the border region", "Moscow", "the delta",
          "the eastern provinces", "the island", "the mining town", "the main airport"]
VERBS = ["said", "reported", "confirmed", "estimated", "announced", "denied"]
UNITS = ["km", "miles", "kilometers", "tons", "meters", "kg", "liters", "barrels"]
NOUNS = ["troops", "soldiers", "workers", "refugees", "vehicles", "aircraft", "ships", "protesters"]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December"]
WEAPONS = ["S-300", "S-400", "Iskander", "Patriot", "Kalibr", "Su-30"]
QUALIFIERS = ["", "", "about ", "up to ", "more than ", "nearly ", "at least "]
TEMPLATES = [
    "{who} {verb} that {q}{n} {noun} had reached {place} by {month} {day}.",
    "{who} {verb} the convoy covered {q}{n} {unit} in {d} days.",
    "Prices in {place} rose {p}% last week, {who_l} {verb}.",
    "The contract, worth ${m} million, was signed on {month} {day}, {year}.",
    "{who} {verb} a budget of {m} billion euros for {year}.",
    "Between {n} and {n2} {unit} of road were damaged near {place}.",
    "{who} {verb} that {a} {weapon} systems were moved to {place}.",
    "It was the {ordinal} such incident since {year}, {who_l} {verb}.",
    "Talks in {place} lasted {d} hours and ended without an agreement.",
    "{who} {verb} nothing new about the situation in {place}.",
    "Output fell to {q}{n} barrels a day, down {p}% from {year}.",
    "On {weekday}, {who_l} {verb} {q}{n} {noun} crossed into {place}.",
]
ORDINALS = ["first", "second", "third", "fourth", "fifth", "tenth"]
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
ARTICLES = ["two", "three", "four", "a dozen", "several", "12", "24"]


def corpus(n: int, seed: int) -> list[str]:
    """``n`` news-like documents, the same for the same ``seed``."""
    rng = random.Random(seed)
    docs = []
    for _ in range(n):
        sentences = []
        for _ in range(rng.randint(1, 4)):
            who = rng.choice(WHO)
            low = rng.randint(2, 900)
            sentences.append(rng.choice(TEMPLATES).format(
                who=who, who_l=who[0].lower() + who[1:], verb=rng.choice(VERBS), q=rng.choice(QUALIFIERS),
                n=f"{low:,}" if rng.random() < 0.7 else f"{low * 1000:,}", n2=f"{low + rng.randint(1, 500):,}",
                noun=rng.choice(NOUNS), place=rng.choice(PLACES), month=rng.choice(MONTHS),
                day=rng.randint(1, 28), unit=rng.choice(UNITS), d=rng.randint(2, 60),
                p=rng.choice([str(rng.randint(1, 60)), f"{rng.randint(1, 20)}.{rng.randint(1, 9)}"]),
                m=rng.choice([str(rng.randint(1, 900)), f"{rng.randint(1, 90)}.{rng.randint(1, 9)}"]),
                year=rng.randint(1990, 2019), a=rng.choice(ARTICLES), weapon=rng.choice(WEAPONS),
                ordinal=rng.choice(ORDINALS), weekday=rng.choice(WEEKDAYS)))
        docs.append(" ".join(sentences))
    return docs


def rss_kib(pid: int | str) -> int:
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def child_pids() -> list[int]:
    pids: list[int] = []
    for task in Path("/proc/self/task").iterdir():
        try:
            pids += [int(p) for p in (task / "children").read_text().split()]
        except OSError:
            pass
    return pids


def run_batch(extractor: factkit.Extractor, docs: list[str], workers: int) -> dict:
    """Wall time, CPU time of whoever extracted, worker memory at 10%, 50% and 90% of the corpus."""
    marks = {len(docs) // 10: "10%", len(docs) // 2: "50%", len(docs) * 9 // 10: "90%"}
    memory: dict[str, list[int]] = {}
    self_before = resource.getrusage(resource.RUSAGE_SELF)
    children_before = resource.getrusage(resource.RUSAGE_CHILDREN)
    digest = hashlib.sha256()  # of every result, so that the runs compare without holding them all
    n_facts = failed = 0
    start = time.perf_counter()
    for i, result in enumerate(extract_many(extractor, docs, workers=workers, chunk_size=32), 1):
        if result.ok:
            digest.update(json.dumps([result.id, [f.model_dump(mode="json") for f in result.facts]]).encode())
            n_facts += len(result.facts)
        else:
            failed += 1
        if i in marks:
            pids = child_pids() if workers > 1 else [os.getpid()]
            memory[marks[i]] = [rss_kib(p) // 1024 for p in pids]
    wall = time.perf_counter() - start
    self_after = resource.getrusage(resource.RUSAGE_SELF)
    children_after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (children_after.ru_utime - children_before.ru_utime + children_after.ru_stime
           - children_before.ru_stime) if workers > 1 else (self_after.ru_utime - self_before.ru_utime)
    return {"wall": wall, "cpu": cpu, "memory": memory, "digest": digest.hexdigest(), "facts": n_facts,
            "failed": failed}


def startup_costs() -> dict[str, float]:
    """CPU seconds (robust to a busy machine) for a fresh process to get a working extractor: from pack
    names, or from a pickle."""
    extractor = factkit.Extractor(reference_date=REFERENCE)
    payload = Path("/tmp/factkit-scaling-extractor.pickle")
    payload.write_bytes(pickle.dumps(extractor))
    out = {"pickle_bytes": float(payload.stat().st_size)}
    code = {
        "import": "import factkit",
        "rebuild": f"import factkit; factkit.Extractor(reference_date={REFERENCE!r})",
        "unpickle": f"import factkit, pickle; pickle.loads(open({str(payload)!r}, 'rb').read())",
    }
    for name, snippet in code.items():
        timing = f"import time; t = time.process_time(); {snippet}; print(time.process_time() - t)"
        out[name] = min(float(subprocess.run([sys.executable, "-c", timing], capture_output=True, text=True,
                                             check=True).stdout) for _ in range(3))
    payload.unlink()
    return out


def run_spark(docs: list[str], expected_digest: str) -> dict:
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    from pyspark.sql import SparkSession
    from pyspark.sql import functions as F

    from factkit.spark import facts_of, with_facts

    t0 = time.perf_counter()
    spark = (SparkSession.builder.master("local[2]").appName("factkit-scaling")
             .config("spark.ui.enabled", "false").config("spark.driver.memory", "2g").getOrCreate())
    spark.sparkContext.setLogLevel("ERROR")
    session = time.perf_counter() - t0
    extractor = factkit.Extractor(reference_date=REFERENCE)
    warm = spark.createDataFrame([(str(i), d) for i, d in enumerate(docs[:200])], "id string, text string")
    with_facts(warm, extractor=extractor).select(F.sum(F.size("facts"))).collect()  # starts Python workers
    df = spark.createDataFrame([(i, d) for i, d in enumerate(docs)], "id long, text string").repartition(8)
    t1 = time.perf_counter()
    rows = with_facts(df, extractor=extractor).collect()
    wall = time.perf_counter() - t1
    got = {r["id"]: [f.model_dump(mode="json") for f in facts_of(r["facts"])] for r in rows}
    spark.stop()
    digest = hashlib.sha256()
    for i in range(len(docs)):
        digest.update(json.dumps([i, got[i]]).encode())
    return {"session": session, "wall": wall, "identical": digest.hexdigest() == expected_digest}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=10_000)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--no-spark", action="store_true")
    args = parser.parse_args()

    docs = corpus(args.docs, args.seed)
    chars = sum(map(len, docs))
    extractor = factkit.Extractor(reference_date=REFERENCE)
    load_before = os.getloadavg()
    runs = {w: run_batch(extractor, docs, w) for w in args.workers}
    load_after = os.getloadavg()
    base = runs[args.workers[0]]
    n_facts = base["facts"]

    print(f"Corpus: {args.docs:,} documents, {chars / 1e6:.2f} M characters, {n_facts:,} facts "
          f"(seed {args.seed}). Machine: {platform.machine()}, {os.cpu_count()} cores, {available_cores()} "
          f"usable; Python {platform.python_version()}; load average {load_before[0]:.1f} before the runs, "
          f"{load_after[0]:.1f} after.\n")
    print("| workers | wall s | docs/s | chars/s | speed-up | worker CPU s | worker RSS MiB at 10% / 50% / 90% "
          "| identical |")
    print("|---|---|---|---|---|---|---|---|")
    for workers, run in runs.items():
        same = run["digest"] == base["digest"] and not run["failed"]
        rss = " / ".join(",".join(map(str, run["memory"].get(m, []))) for m in ("10%", "50%", "90%"))
        print(f"| {workers} | {run['wall']:.1f} | {args.docs / run['wall']:,.0f} | {chars / run['wall']:,.0f} | "
              f"{base['wall'] / run['wall']:.2f}x | {run['cpu']:.1f} | {rss} | {'yes' if same else 'NO'} |")

    costs = startup_costs()
    print(f"\nGetting the extractor into a fresh process (CPU time): import factkit {costs['import']:.2f} s; then "
          f"rebuilding it from pack names {costs['rebuild'] - costs['import']:.2f} s more, or unpickling it "
          f"({costs['pickle_bytes'] / 1024:.0f} KiB) {costs['unpickle'] - costs['import']:.2f} s more.")

    if not args.no_spark:
        spark = run_spark(docs, base["digest"])
        print(f"\nSpark local[2] (mapInPandas, 8 partitions, Python workers already started): "
              f"{spark['wall']:.1f} s, {args.docs / spark['wall']:,.0f} docs/s, "
              f"{chars / spark['wall']:,.0f} chars/s; session start {spark['session']:.1f} s; facts identical "
              f"to the batch run: {'yes' if spark['identical'] else 'NO'}.")


if __name__ == "__main__":
    main()
