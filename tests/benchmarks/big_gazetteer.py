"""A 10,000-entry gazetteer: how long it takes to compile, and what it costs in throughput.

    python tests/benchmarks/big_gazetteer.py [CORPUS_DIR] [--entries 10000] [--repeat 3]

Writes a pack with a gazetteer of generated company names (two or three invented words each, seeded),
compiles it with the compile caches empty (the cold figure) and filled (the warm one), and extracts the
benchmark corpus (see build_corpus.py) with the default packs alone and with the big pack added, in
alternating passes, keeping each one's fastest. Times are CPU seconds of this process.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # this checkout's factkit, run as a script

SYLLABLES = ["ka", "lo", "mer", "vin", "tra", "so", "del", "qui", "bar", "zen", "ori", "pax", "tul", "nor",
             "est", "gal", "rim", "sol", "dex", "fen", "mor", "lak", "vez", "tor", "ama"]
SUFFIXES = ["Group", "Holdings", "Systems", "Industries", "Partners", "Labs", "Capital", "Works"]


def write_pack(folder: Path, entries: int, seed: int = 7) -> Path:
    rng = random.Random(seed)
    names: set[str] = set()
    short_keys: set[str] = set()  # an alias may belong to one entry only, whatever its spacing
    while len(names) < entries:
        word = "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 3))).capitalize()
        other = "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 3))).capitalize()
        key = (word + other).lower()
        if key in short_keys:
            continue
        short_keys.add(key)
        names.add(f"{word} {other} {rng.choice(SUFFIXES)}")
    lines = [f"- name: {name!r}\n  aliases: [{name.rsplit(' ', 1)[0]!r}]\n  category: company" for name in
             sorted(names)]
    (folder / "companies.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    pack = folder / "pack.yaml"
    pack.write_text("name: companies\ngazetteers:\n  companies:\n    file: companies.yaml\nrules:\n"
                    "  - id: company\n    kind: entity\n    gazetteer: companies\n", encoding="utf-8")
    return pack


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", nargs="?", help="directory of .txt articles (default: build the corpus)")
    parser.add_argument("--entries", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3, help="passes over the corpus per configuration")
    args = parser.parse_args()
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from build_corpus import write_corpus  # type: ignore[import-not-found]

    corpus = Path(args.corpus) if args.corpus else Path(tempfile.gettempdir()) / "factkit-big-gazetteer-corpus"
    if not corpus.is_dir():
        write_corpus(corpus)
    docs = [p.read_text(encoding="utf-8") for p in sorted(corpus.glob("*.txt"))]
    chars = sum(map(len, docs))
    work = Path(tempfile.mkdtemp(prefix="factkit-big-gazetteer-"))
    pack_path = write_pack(work, args.entries)

    import factkit
    from factkit import pack_loader

    os.environ["FACTKIT_CACHE_DIR"] = str(work / "cache")
    for label in ("cold (caches empty)", "warm (caches filled)"):
        pack_loader._cache.clear()
        t = time.process_time()
        factkit.load_pack(pack_path)
        print(f"compile {args.entries:,}-entry gazetteer pack, {label}: {time.process_time() - t:.2f} s")

    def build(packs: list, label: str) -> "factkit.Extractor":
        t = time.process_time()
        extractor = factkit.Extractor(packs, reference_date="2019-03-31")
        print(f"extractor, {label}: built in {time.process_time() - t:.2f} s")
        extractor.extract(docs[0])
        return extractor

    def one_pass(extractor: "factkit.Extractor") -> tuple[float, int]:
        t = time.process_time()
        facts = sum(len(extractor.extract(d)) for d in docs)
        return time.process_time() - t, facts

    # The cache directory is new: the default packs compile here, cold; then the big pack's extractor adds
    # only its start scanners (the pack itself is loaded), also cold.
    base_x = build(["core", "dates", "military"], "default packs (compiled cold)")
    big_x = build(["core", "dates", "military", pack_path], "default packs + the big pack (scanners cold)")
    runs: dict[str, list[tuple[float, int]]] = {"base": [], "big": []}
    for _ in range(args.repeat):  # alternating, so that a busy spell on a shared machine hits both
        runs["base"].append(one_pass(base_x))
        runs["big"].append(one_pass(big_x))
    (base_s, base_facts), (big_s, big_facts) = min(runs["base"]), min(runs["big"])
    base, big = chars / base_s, chars / big_s
    print(f"default packs:            {base:12,.0f} chars/CPU-s  {base_facts} facts  (best of {args.repeat})")
    print(f"with the big gazetteer:   {big:12,.0f} chars/CPU-s  {big_facts} facts  ({big / base:.2f}x)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
