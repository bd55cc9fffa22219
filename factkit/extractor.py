"""The public entry point: an :class:`Extractor` built once from packs, then applied to many texts."""

from __future__ import annotations

import datetime as dt
import time
import warnings
from typing import TYPE_CHECKING, Any, Iterable, Iterator, Sequence

from pydantic import ValidationError

from . import pack_cache
from .errors import ExtractionTimeout, ExtractionTimeoutWarning, FactkitError
from .facts import Fact
from .matcher import Matcher, Timeout
from .pack_loader import Pack, PackRef, load_pack, locate
from .parsers import ParseContext, Prefer
from .registry import BUILTIN_PACKS, Registry
from .registry import default as default_registry
from .resolve import Candidate, Rejection, resolve

if TYPE_CHECKING:
    from pathlib import Path

    from .batch import Result


class Extractor:
    """Extracts facts with a fixed set of packs.

    ``packs`` are names, paths or loaded packs (default: every built-in pack). ``reference_date`` anchors
    relative dates (default: today, at each call). ``prefer`` picks the reading of a date that leaves the
    year or week open: ``"past"`` (the default, as news reports what happened), ``"future"`` or
    ``"nearest"``. ``kinds`` keeps only rules that yield those kinds; it is applied before overlap
    resolution, so asking for numbers alone also returns the numbers inside quantities.

    Time is bounded: each regex call may take at most ``timeout`` seconds of CPU time (up to a quarter more
    in the main thread, where one timer watches every call: see watchdog.py) and a whole document at most
    ``document_timeout`` (None: no limit). A rule that runs out of time is skipped for that document and
    reported: ``on_timeout="warn"`` (default) issues an :class:`~factkit.errors.ExtractionTimeoutWarning`
    naming the rule and offset and returns the other rules' facts; ``"error"`` raises
    :class:`~factkit.errors.ExtractionTimeout`.
    """

    def __init__(self, packs: Sequence[PackRef] | None = None, *, reference_date: dt.date | str | None = None,
                 prefer: Prefer = "past", kinds: Iterable[str] | None = None,
                 registry: Registry | None = None, timeout: float = 1.0, document_timeout: float | None = None,
                 on_timeout: str = "warn"):
        if prefer not in ("past", "future", "nearest"):
            raise ValueError(f"prefer must be 'past', 'future' or 'nearest', not {prefer!r}")
        if on_timeout not in ("warn", "error"):
            raise ValueError(f"on_timeout must be 'warn' or 'error', not {on_timeout!r}")
        if timeout <= 0 or (document_timeout is not None and document_timeout <= 0):
            raise ValueError("timeouts must be positive numbers of seconds")
        self.document_timeout = document_timeout
        self.on_timeout = on_timeout
        self.registry = registry or default_registry
        self.reference_date = _as_date(reference_date) if reference_date is not None else None
        self.prefer: Prefer = prefer
        self.kinds = frozenset(kinds) if kinds is not None else None
        refs = list(packs or BUILTIN_PACKS)
        self._pack_refs = refs
        self._packs: list[Pack] | None = None
        self._closure: list[Pack] | None = None
        # Packs given by name or path: what the extractor builds from them may be stored (see pack_cache).
        sources = [locate(p, registry=self.registry) for p in refs] \
            if not any(isinstance(p, Pack) for p in refs) else None
        settings = repr((sorted(self.kinds) if self.kinds is not None else None, timeout))
        stored = pack_cache.load_built(sources, settings, self.registry) if sources is not None else None
        if stored is not None:  # the packs are loaded when asked for: extracting does not need them
            self.matcher, self.gazetteers = stored
            return
        closure = self.pack_closure
        self.gazetteers = {f"{p.name}.{g}": c for p in closure for g, c in p.compiled.gazetteers.items()}
        rules = [r for p in closure for r in p.compiled.rules if self.kinds is None or r.kind in self.kinds]
        self.matcher = Matcher(_fresh(rules), pattern_timeout=timeout)
        if sources is not None:
            pack_cache.store_built(sources, settings, self.registry, self.packs, self.matcher, self.gazetteers)

    @property
    def packs(self) -> list[Pack]:
        """The packs the extractor was built from, in the order given."""
        if self._packs is None:
            self._packs = [load_pack(p, registry=self.registry) for p in self._pack_refs]
        return self._packs

    @property
    def pack_closure(self) -> list[Pack]:
        """The packs and every pack they require, requirements first, each once."""
        if self._closure is None:
            closure: list[Pack] = []
            for pack in self.packs:
                for p in pack.closure():
                    if p not in closure:
                        closure.append(p)
            self._closure = closure
        return self._closure

    def _context(self, reference_date: dt.date | str | None) -> ParseContext:
        ref = reference_date if reference_date is not None else self.reference_date
        return ParseContext(reference_date=_as_date(ref) if ref is not None else dt.date.today(),
                            prefer=self.prefer, gazetteers=self.gazetteers)

    def extract(self, text: str, *, reference_date: dt.date | str | None = None) -> list[Fact]:
        """Facts in ``text``, sorted by start offset. Spans are 0-based, end-exclusive code-point offsets."""
        if not isinstance(text, str):
            raise TypeError(f"extract() takes a str, not {type(text).__name__}")
        ctx = self._context(reference_date)
        winners = resolve(self._candidates(text, ctx))
        return [f for f in (_build(text, c) for c in winners) if f is not None]

    def extract_all(self, texts: Iterable[str], *,
                    reference_date: dt.date | str | Sequence[dt.date | str | None] | None = None) -> list[list[Fact]]:
        """The facts of each text, as :meth:`extract` gives them one by one, found rule by rule across the
        texts: many short texts (sentences, posts, abstracts) run up to 1.4 times faster. The texts are held
        together in memory, so give groups of tens or hundreds. ``reference_date`` may be a list with one
        date (or None) per text."""
        texts = list(texts)
        for text in texts:
            if not isinstance(text, str):
                raise TypeError(f"extract_all() takes texts of str, not {type(text).__name__}")
        if isinstance(reference_date, (list, tuple)):
            if len(reference_date) != len(texts):
                raise ValueError(f"{len(reference_date)} reference dates for {len(texts)} texts")
            ctxs = [self._context(ref) for ref in reference_date]
        else:
            ctxs = [self._context(reference_date)] * len(texts)
        timeouts: list[list[Timeout]] = [[] for _ in texts]
        found = self.matcher.candidates_many(list(zip(texts, ctxs)), budget=self.document_timeout,
                                             timeouts=timeouts)
        for each in timeouts:
            self._report(each, stacklevel=3)
        return [[f for f in (_build(text, c) for c in resolve(cands)) if f is not None]
                for text, cands in zip(texts, found)]

    def _candidates(self, text: str, ctx: ParseContext, dropped: Any = None) -> list[Candidate]:
        timeouts: list[Timeout] = []
        deadline = time.monotonic() + self.document_timeout if self.document_timeout else None
        cands = self.matcher.candidates(text, ctx, dropped=dropped, timeouts=timeouts, deadline=deadline)
        self._report(timeouts, stacklevel=4)
        return cands

    def _report(self, timeouts: list[Timeout], stacklevel: int) -> None:
        for timeout in timeouts:
            if self.on_timeout == "error":
                raise ExtractionTimeout(str(timeout), timeout)
            warnings.warn(ExtractionTimeoutWarning(str(timeout), timeout), stacklevel=stacklevel)

    def extract_stream(self, chunks: Iterable[str], *, reference_date: dt.date | str | None = None,
                       window: int = 1 << 20, overlap: int = 2048) -> Iterator[Fact]:
        """Facts of the text made of ``chunks`` (pieces of any size), lazily, with offsets into the whole
        text; memory stays near ``window`` characters. See :mod:`factkit.streaming`."""
        from .streaming import extract_stream

        return extract_stream(self, chunks, reference_date=reference_date, window=window, overlap=overlap)

    def extract_file(self, path: str | Path, *, errors: str = "strict", reference_date: dt.date | str | None = None,
                     window: int = 1 << 20, overlap: int = 2048) -> Iterator[Fact]:
        """Facts of a UTF-8 file of any size, streamed like :meth:`extract_stream`. A binary file or invalid
        UTF-8 raises :class:`InputError` naming the line and byte; ``errors="replace"`` substitutes U+FFFD."""
        from .streaming import extract_file

        return extract_file(self, path, errors=errors, reference_date=reference_date, window=window,
                            overlap=overlap)

    def explain(self, text: str, *, reference_date: dt.date | str | None = None,
                rule: str | None = None) -> dict[str, Any]:
        """The facts that won; why each other candidate lost (``rejected``) or was dropped by its parser
        (``dropped``); matches inside a fact that a rule's context checks refused (``context_rejected``);
        and, for a named ``rule``, what its pattern did on the text (``rule``). See :mod:`factkit.explaining`."""
        from .explaining import context_rejections, rule_probe

        ctx = self._context(reference_date)
        dropped: list[tuple[Candidate, str]] = []
        cands = self._candidates(text, ctx, dropped=dropped)
        rejections: list[Rejection] = []
        winners = resolve(cands, rejections)
        facts = [f for f in (_build(text, c) for c in winners) if f is not None]
        return {
            "facts": facts,
            "rejected": [{"rule": r.candidate.rule.name, "text": text[r.candidate.start:r.candidate.end],
                          "start": r.candidate.start, "end": r.candidate.end, "reason": r.reason,
                          "winner": r.winner.rule.name if r.winner else None,
                          "winner_text": text[r.winner.start:r.winner.end] if r.winner else None,
                          "winner_span": (r.winner.start, r.winner.end) if r.winner else None}
                         for r in rejections],
            "dropped": [{"rule": c.rule.name, "text": text[c.start:c.end], "start": c.start, "end": c.end,
                         "reason": why} for c, why in dropped],
            "context_rejected": context_rejections(self, text, facts),
            "rule": rule_probe(self, text, rule) if rule else None,
        }

    def extract_many(self, items: Iterable[Any], *, workers: int | None = None, chunk_size: int | None = None,
                     ordered: bool = True, id_field: str = "id", text_field: str = "text") -> Iterator[Result]:
        """One result record (id, facts | error) per document, over worker processes; a failing document
        yields an error record and the batch goes on. See :func:`factkit.batch.extract_many`."""
        from .batch import extract_many

        return extract_many(self, items, workers=workers, chunk_size=chunk_size, ordered=ordered,
                            id_field=id_field, text_field=text_field)

    def __getstate__(self) -> dict[str, Any]:
        self.packs  # loaded, as the receiving process may not find the same files  # noqa: B018
        state = dict(self.__dict__)
        state["registry"] = None  # process-wide; the receiving process has its own
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)
        self.registry = default_registry

    def __repr__(self) -> str:
        return f"Extractor(packs={[p.name for p in self.packs]!r}, rules={len(self.matcher.rules)})"


def _fresh(rules: list[Any]) -> list[Any]:
    """Copies of the rules, so that each extractor numbers its own rules without touching shared packs."""
    from dataclasses import replace

    return [replace(r) for r in rules]


def _build(text: str, cand: Candidate) -> Fact | None:
    rule = cand.rule
    try:
        return rule.fact_class(text=text[cand.start:cand.end], start=cand.start, end=cand.end, rule=rule.name,
                               **cand.fields)
    except ValidationError as exc:
        raise FactkitError(f"rule {rule.name} produced an invalid {rule.kind} fact for "
                           f"{text[cand.start:cand.end]!r}: {exc.errors()[0]['msg']} "
                           f"(field {'.'.join(map(str, exc.errors()[0]['loc']))})") from None


def _as_date(value: dt.date | str) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise ValueError(f"reference date {value!r} is not an ISO date (YYYY-MM-DD)") from None


_default_extractors: dict[tuple[Any, ...], Extractor] = {}


def extract(text: str, *, packs: Sequence[PackRef] | None = None,
            reference_date: dt.date | str | None = None, prefer: Prefer = "past") -> list[Fact]:
    """Facts in ``text`` with the given packs (default: all built-in packs); see :class:`Extractor`."""
    key = (tuple(str(p) if not isinstance(p, Pack) else id(p) for p in packs or ()), prefer)
    extractor = _default_extractors.get(key)
    if extractor is None:
        extractor = _default_extractors[key] = Extractor(packs, prefer=prefer)
    return extractor.extract(text, reference_date=reference_date)
