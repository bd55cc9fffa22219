"""Measure an extractor: throughput, memory and the cost of each rule (``factkit bench``).

Throughput is the time of :meth:`Extractor.extract` over every document, best of ``repeat`` passes (the
first pass also fills the parse cache, as a long-running process would), both wall-clock and CPU time of
the thread that extracts: on a machine shared with other work, CPU time is the figure that says what one
core does (extraction runs on the calling thread). The thread's clock, not the process's: while the
matcher's CPU timer is armed (see watchdog.py), the kernel serves the process's clock from a copy it updates
at its ticks, and document-by-document readings of it then lag by up to a tick. Memory is the process's
peak resident set size from ``resource.getrusage`` (``ru_maxrss``): a high-water mark that includes the
interpreter and every import, not only factkit's own allocations. The per-rule profile times each rule
alone through ``Matcher.candidates(..., rules=[rule])`` less a call with ``rules=[]`` (work the matcher
does once per document for all rules), so it stays valid however the matcher organises rules inside; the
shared work and the time outside the matcher (overlap resolution, building facts) are one line each.
"""

from __future__ import annotations

import importlib.util
import math
import os
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Iterable, Sequence

from .errors import InputError
from .extractor import Extractor
from .pack_loader import read_text_file
from .parsers import ParseContext

MEMORY_METHOD = "resource.getrusage ru_maxrss (process peak RSS, includes the interpreter and imports)"
CORPUS_BUILDER = Path(__file__).resolve().parents[1] / "tests" / "benchmarks" / "build_corpus.py"
_UNITS = {"": 1, "K": 1024, "KB": 1024, "KIB": 1024, "M": 1024**2, "MB": 1024**2, "MIB": 1024**2}


@dataclass(frozen=True)
class Document:
    name: str
    text: str


@dataclass
class Throughput:
    """One set of documents extracted ``repeat`` times; rates are from the fastest pass by wall clock, and
    ``chars_per_cpu_s`` from the pass that took least CPU time."""

    label: str
    documents: int
    chars: int
    facts: int
    seconds: list[float]
    cpu_seconds: list[float]
    best_seconds: float = 0.0
    best_cpu_seconds: float = 0.0
    chars_per_s: float = 0.0
    chars_per_cpu_s: float = 0.0
    docs_per_s: float = 0.0
    facts_per_s: float = 0.0

    def __post_init__(self) -> None:
        self.best_seconds = min(self.seconds)
        self.best_cpu_seconds = min(self.cpu_seconds)
        rate = 1.0 / self.best_seconds if self.best_seconds > 0 else math.inf
        self.chars_per_s = self.chars * rate
        self.docs_per_s = self.documents * rate
        self.facts_per_s = self.facts * rate
        self.chars_per_cpu_s = self.chars / self.best_cpu_seconds if self.best_cpu_seconds > 0 else math.inf


@dataclass
class RuleCost:
    rule: str
    kind: str
    seconds: float
    candidates: int
    share: float = 0.0  # of the profile's total


@dataclass
class Report:
    packs: list[str]
    rules: int
    build_seconds: float
    build_cpu_seconds: float
    repeat: int
    runs: list[Throughput]
    memory: dict[str, Any]
    profile: list[RuleCost] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


# --- inputs ------------------------------------------------------------------------------------------

def read_documents(paths: Sequence[str | Path]) -> list[Document]:
    """Each file is a document; a directory contributes its ``*.txt`` files, sorted by path."""
    docs: list[Document] = []
    for given in paths:
        path = Path(given)
        if path.is_dir():
            files = sorted(p for p in path.rglob("*.txt") if p.is_file())
            if not files:
                raise InputError(f"{path}: no *.txt files in this directory")
            docs.extend(Document(str(f), read_text_file(f)) for f in files)
        else:
            docs.append(Document(str(path), read_text_file(path)))
    return docs


def default_corpus() -> Path:
    """The benchmark corpus of tests/benchmarks/build_corpus.py, built into the temp dir on first use."""
    if not CORPUS_BUILDER.is_file():
        raise InputError("no input given, and this factkit has no tests/benchmarks/build_corpus.py to build the "
                         "benchmark corpus with; pass FILES or a DIR")
    spec = importlib.util.spec_from_file_location("_factkit_build_corpus", CORPUS_BUILDER)
    assert spec is not None and spec.loader is not None
    builder = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(builder)
    name = f"factkit-bench-corpus-seed{builder.DEFAULT_SEED}-{builder.DEFAULT_SIZE_KB}kb"
    target = Path(tempfile.gettempdir()) / name
    if not (target / ".complete").exists():  # build beside it, then rename: never read a half-built corpus
        staging = Path(tempfile.mkdtemp(prefix=name + ".", dir=target.parent))
        builder.write_corpus(staging)
        (staging / ".complete").touch()
        try:
            staging.rename(target)
        except OSError:  # another process got there first (or a stale, incomplete one is in the way)
            if not (target / ".complete").exists():
                raise InputError(f"{target}: incomplete benchmark corpus; remove it and retry") from None
    return target


def parse_size(text: str) -> int:
    """``"1K"``, ``"100KB"``, ``"10M"``, ``"500"``: a size in characters (K = 1024)."""
    s = text.strip().upper()
    digits = s.rstrip("KMIB")
    unit = s[len(digits):]
    try:
        value = float(digits)
    except ValueError:
        value = -1.0
    if unit not in _UNITS or value <= 0:
        raise ValueError(f"document size {text!r} is not a size such as 1K, 100K or 10M")
    return int(value * _UNITS[unit])


def reshape(docs: Sequence[Document], size: int) -> list[Document]:
    """Documents of exactly ``size`` characters cut from the inputs joined end to end (repeated when one
    document must be longer than all of them), as many as give about the same total as the inputs."""
    stream = "\n\n".join(d.text for d in docs)
    if not stream:
        raise InputError("the input documents are empty")
    count = max(1, round(len(stream) / size))
    needed = count * size
    stream = stream * math.ceil(needed / len(stream))
    return [Document(f"{size}-chars-{i}", stream[i * size:(i + 1) * size]) for i in range(count)]


# --- measuring ---------------------------------------------------------------------------------------

def peak_rss_mb() -> float:
    import resource

    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / 1024**2 if sys.platform == "darwin" else peak / 1024  # bytes on macOS, KiB on Linux


def measure(extractor: Extractor, docs: Sequence[Document], repeat: int = 3, label: str = "",
            together: int = 1) -> Throughput:
    """Best of ``repeat`` passes; ``together`` documents per call of ``Extractor.extract_all`` (1: one
    ``extract`` call per document)."""
    seconds: list[float] = []
    cpu_seconds: list[float] = []
    facts = 0
    for _ in range(max(1, repeat)):
        facts = 0
        elapsed = cpu = 0.0
        for i in range(0, len(docs), together):
            start, start_cpu = time.perf_counter(), time.thread_time()
            if together == 1:
                found = len(extractor.extract(docs[i].text))
            else:
                found = sum(map(len, extractor.extract_all([d.text for d in docs[i:i + together]])))
            elapsed += time.perf_counter() - start
            cpu += time.thread_time() - start_cpu
            facts += found
        seconds.append(elapsed)
        cpu_seconds.append(cpu)
    return Throughput(label=label, documents=len(docs), chars=sum(len(d.text) for d in docs), facts=facts,
                      seconds=seconds, cpu_seconds=cpu_seconds)


def profile_rules(extractor: Extractor, docs: Sequence[Document]) -> list[RuleCost]:
    """Each rule run alone over every document, slowest first, less the matcher's shared work per call
    (a call with no rules, timed beside it on the same document); then that shared work, once; then the
    time spent outside the matcher.

    Times are this thread's CPU time. Shares are of the profile's own total (all rules alone plus the time
    outside the matcher), so they add up to 100%."""
    ctx = ParseContext(reference_date=extractor.reference_date or _today(), prefer=extractor.prefer,
                       gazetteers=extractor.gazetteers)
    matcher = extractor.matcher
    costs = []
    shared = 0.0
    for rule in matcher.rules:
        found = 0
        alone = shared = 0.0
        for i, doc in enumerate(docs):  # with no rules too: what every call costs (finding where rules start)
            spent, found_here = _back_to_back(i, lambda t=doc.text: matcher.candidates(t, ctx, rules=[]),
                                              lambda t=doc.text, r=rule: matcher.candidates(t, ctx, rules=[r]))
            shared += spent[0]
            alone += spent[1]
            found += len(found_here)
        costs.append(RuleCost(rule.name, rule.kind, max(0.0, alone - shared), found))
    costs.sort(key=lambda c: c.seconds, reverse=True)
    costs.append(RuleCost("(matcher work shared by all rules: candidates(rules=[]))", "", shared, 0))
    outside = 0.0
    for i, doc in enumerate(docs):
        spent, _ = _back_to_back(i, lambda t=doc.text: matcher.candidates(t, ctx),
                                 lambda t=doc.text: extractor.extract(t))
        outside += spent[1] - spent[0]
    costs.append(RuleCost("(outside the matcher: overlap resolution, building facts)", "", max(0.0, outside), 0))
    total = sum(c.seconds for c in costs)
    for cost in costs:
        cost.share = cost.seconds / total if total > 0 else 0.0
    return costs


def _back_to_back(i: int, first: Any, second: Any) -> tuple[tuple[float, float], Any]:
    """The CPU times of two calls on one document, and what the second returned. The call that runs second
    finds the text and patterns in the processor's cache (0.17 s of 3.2 over the corpus when one call
    went first each time), so the order alternates from one document to the next."""
    calls = (first, second) if i % 2 == 0 else (second, first)
    times = []
    results = []
    for call in calls:
        start = time.thread_time()
        results.append(call())
        times.append(time.thread_time() - start)
    if i % 2:
        times.reverse()
        results.reverse()
    return (times[0], times[1]), results[1]


def run(paths: Sequence[str | Path] = (), *, packs: Sequence[Any] | None = None, repeat: int = 3,
        profile: bool = False, doc_sizes: Iterable[int] = (), reference_date: Any = None,
        prefer: Any = "past", together: int = 1) -> Report:
    """Build an extractor and measure it on ``paths`` (default: the benchmark corpus)."""
    if together < 1:
        raise ValueError(f"together must be at least 1, not {together}")
    docs = read_documents(paths or [default_corpus()])
    if not any(d.text for d in docs):
        raise InputError("the input documents are empty")
    start, start_cpu = time.perf_counter(), time.thread_time()
    extractor = Extractor(packs, reference_date=reference_date, prefer=prefer)
    build_seconds, build_cpu_seconds = time.perf_counter() - start, time.thread_time() - start_cpu
    extractor.extract(docs[0].text)  # first call: lazy imports and first-use work are not throughput
    after_warmup = peak_rss_mb()
    label = "benchmark corpus" if not paths else str(paths[0]) if len(paths) == 1 else f"{len(paths)} inputs"
    if together > 1:
        label += f", {together} per call"
    runs = [measure(extractor, docs, repeat, label, together)]
    runs += [measure(extractor, reshape(docs, size), repeat,
                     f"{size}-char documents" + (f", {together} per call" if together > 1 else ""), together)
             for size in doc_sizes]
    memory = {"method": MEMORY_METHOD, "peak_rss_mb": round(peak_rss_mb(), 1),
              "growth_after_first_document_mb": round(peak_rss_mb() - after_warmup, 1), "pid": os.getpid()}
    report = Report(packs=[p.name for p in extractor.packs], rules=len(extractor.matcher.rules),
                    build_seconds=build_seconds, build_cpu_seconds=build_cpu_seconds, repeat=max(1, repeat), runs=runs, memory=memory)
    if profile:
        report.profile = profile_rules(extractor, docs)
    return report


def _today() -> Any:
    import datetime as dt

    return dt.date.today()


# --- output ------------------------------------------------------------------------------------------

def format_table(report: Report) -> str:
    lines = [f"packs: {', '.join(report.packs)} ({report.rules} rules), extractor built in "
             f"{report.build_seconds:.2f} s ({report.build_cpu_seconds:.2f} s CPU); best of {report.repeat} pass(es)", ""]
    header = ("input", "docs", "chars", "facts", "best s", "chars/s", "docs/s", "facts/s", "cpu s",
              "chars/cpu-s", "vs first")
    first = report.runs[0].chars_per_cpu_s
    rows = [(r.label, f"{r.documents:,}", f"{r.chars:,}", f"{r.facts:,}", f"{r.best_seconds:.3f}",
             f"{r.chars_per_s:,.0f}", f"{r.docs_per_s:,.1f}", f"{r.facts_per_s:,.0f}", f"{r.best_cpu_seconds:.3f}",
             f"{r.chars_per_cpu_s:,.0f}", f"{r.chars_per_cpu_s / first:.2f}" if first else "-")
            for r in report.runs]
    lines += _columns(header, rows, right_from=1)
    mem = report.memory
    lines += ["", f"peak memory: {mem['peak_rss_mb']:.1f} MB, +{mem['growth_after_first_document_mb']:.1f} MB "
                  f"after the first document [{mem['method']}]"]
    if report.profile:
        lines += ["", "CPU time per rule (each rule run alone over every document; share of the profile's total):"]
        rows = [(c.rule, c.kind, f"{c.seconds:.3f}", f"{100 * c.share:.1f}%", f"{c.candidates:,}")
                for c in report.profile]
        lines += _columns(("rule", "kind", "cpu s", "share", "candidates"), rows, right_from=2)
    return "\n".join(lines) + "\n"


def _columns(header: tuple[str, ...], rows: list[tuple[str, ...]], right_from: int) -> list[str]:
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]
    return ["  ".join(c.rjust(w) if i >= right_from else c.ljust(w)
                      for i, (c, w) in enumerate(zip(row, widths))).rstrip() for row in [header, *rows]]
