"""Compare chunk sizes of ``extract_many`` (documents extracted together per call) in one process.

Usage: python tests/benchmarks/chunk_sizes.py [--sizes 16 64] [--rounds 3] [--block 512]

Each set (sentences, 1 KB documents, whole articles of the benchmark corpus) is cut into blocks of
``--block`` documents; every block is extracted once per chunk size, the order alternating from block to
block, so that the machine's drift (10-25% within minutes on a shared machine) slows every size alike.
The figure is the thread's CPU time, in one worker (this process), as chars per CPU second.
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[16, 64], help="chunk sizes (default: 16 64)")
    parser.add_argument("--rounds", type=int, default=3, help="passes over each set (default: 3)")
    parser.add_argument("--block", type=int, default=512, help="documents per turn (default: 512)")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(ROOT))
    import factkit
    from factkit import bench
    from factkit.batch import extract_many

    extractor = factkit.Extractor(reference_date="2019-03-31")
    docs = bench.read_documents([bench.default_corpus()])
    sets = {
        "sentences": [s for d in docs for s in re.split(r"(?<=[.!?])\s+", d.text) if s.strip()],
        "1 KB documents": [d.text for d in bench.reshape(docs, 1024)],
        "articles": [d.text for d in docs],
    }
    print(f"{'input':15} " + " ".join(f"{f'{size} a chunk':>14}" for size in args.sizes)
          + f" {'last/first':>10}")
    for name, texts in sets.items():
        list(extract_many(extractor, texts, workers=1))  # every pattern the set reaches, built
        spent = dict.fromkeys(args.sizes, 0.0)
        turn = 0
        for _ in range(args.rounds):
            for lo in range(0, len(texts), args.block):
                block = texts[lo:lo + args.block]
                order = args.sizes if turn % 2 == 0 else args.sizes[::-1]
                turn += 1
                for size in order:
                    began = time.thread_time()
                    for result in extract_many(extractor, block, workers=1, chunk_size=size):
                        if not result.ok:
                            raise SystemExit(f"{name}: {result.error}")
                    spent[size] += time.thread_time() - began
        chars = args.rounds * sum(map(len, texts))
        print(f"{name:15} " + " ".join(f"{chars / spent[size]:14,.0f}" for size in args.sizes)
              + f" {spent[args.sizes[0]] / spent[args.sizes[-1]]:10.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
