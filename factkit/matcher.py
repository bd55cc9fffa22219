"""Run compiled rules over a text and produce candidates with their parsed field values.

One scan with the :class:`~factkit.start_scan.StartScanner` finds every place where some rule can begin;
each gated rule is then tried only there (``pattern.match(text, pos)``), and the few rules whose starts
could not be worked out are scanned in full. Every regex call runs under a time limit (kept by one timer in
the main thread, see watchdog.py): a rule that runs out of time on a document is reported as a
:class:`Timeout` and skipped for the rest of that document, while the other rules go on.
"""

from __future__ import annotations

import functools
import time
from bisect import bisect_left, bisect_right
from contextlib import nullcontext
from dataclasses import dataclass, field
from typing import Any, Iterable, Sequence

import regex

from .compiler import CompiledRule
from .first_char import can_begin_with_a_digit, digit_variant
from .parsers import Fields, ParseContext
from .regex_cache import compile_pattern, memo_text
from .resolve import Candidate
from .start_scan import StartScanner
from .triggers import ANCHOR_REACH, MAX_PREFIX, Start, lookaround_reach
from .watchdog import Progress, watching

_MISSING = object()
MATCH_REACH = ANCHOR_REACH  # the longest match tried; an anchor (in the match) lies within it
MAX_CACHE = 50_000
# A longer document is matched a region at a time, each region scanned with enough text after it for every
# check of a start inside it (a match, then a chained qualifier's match after its separator, each with its
# tail), and its probes' memos dropped after it: what the matcher holds then stays that of one region
# (about 40 MB per million characters) however long the document is.
REGION = 1 << 20
REGION_MARGIN = 2 * MATCH_REACH + 512
MAX_WINDOWS = 1024  # windows remembered per guard or rule, across documents (about 2 MB in all)
_DIGITS = frozenset("0123456789")
# A compiled variant costs memory in proportion to its length (all of the rules' variants: about 20 MB, as
# the quantity, money and range rules are 30,000 characters each). A reference is matched at every digit
# and its variant always pays; a rule's is used where it drops at least half of the rule (dates, weapons),
# or a tenth of it and is short (the number and ordinal rules: 12,000 and 4,500 characters).
RULE_VARIANT_SHARE = 0.5
SHORT_VARIANT = 13_000  # characters: a variant this short is used if it drops a tenth (number, ordinal)
# Every hot call passes the regex engine its arguments by position, (text, pos, endpos, concurrent, partial,
# timeout): it reads keywords, and a ``concurrent`` left unset, several times slower than the match itself
# costs on most of the positions the matcher tries (0.8 against 1.2 microseconds a call, measured).
_HOLD = False  # concurrent: keep the GIL, as the calls are short
_WHOLE = False  # partial: whole matches only


@dataclass(frozen=True)
class Timeout:
    """A rule that ran out of time on a document, and the offset it was working at."""

    rule: str
    offset: int
    seconds: float

    def __str__(self) -> str:
        return f"rule {self.rule} ran out of time ({self.seconds:g} s) at offset {self.offset}; skipped"


_UNSET: Any = object()


@dataclass
class _Run:
    """One document's state while :meth:`Matcher.candidates_many` works through the rules."""

    text: str
    ctx: ParseContext
    starts: dict[int, list[int]]
    memo: Any
    out: list[Candidate]
    dropped: list[Any] | None
    timeouts: list[Timeout] | None
    spent: float
    watched: bool = False  # its calls are watched by the timer (see watchdog.py), and pass no timeout
    progress: Progress = field(default_factory=Progress)  # the steps the timer watches: this call's own
    # for a document matched region by region: where the current region ends (matches begin before it),
    # where each rule's last match ended, each rule's candidates and dropped candidates so far (given out
    # in rule order at the end, as from one pass), and the rules that ran out of time
    end: int | None = None
    resume: dict[int, int] | None = None
    by_rule: dict[int, tuple[list[Candidate], list[Any] | None]] | None = None
    stopped: set[int] | None = None


@dataclass
class ProbeMemo:
    """Per document: for each probed reference, the end of its longest match at each start tried (-1: none),
    the positions where it can begin at all (None: unknown), and the guards' results (those by window of
    text, which hold in any document, are the matcher's own: ``Matcher._windows``)."""

    ends: list[dict[int, int]]
    can_start: list[Any]  # a set, None (unknown: anywhere) or _UNSET (not worked out yet)
    guards: list[dict[int, bool]]  # per guard: whether it holds at each position tried
    words: dict[int, set[int]]  # per leading word (by scan id): where it begins
    progress: Progress  # the steps of the call that matches this document (see watchdog.py)


class Matcher:
    """The rules of a set of packs, in a fixed order. Holds no per-document state but a parse cache.

    ``pattern_timeout`` bounds each regex call, in seconds; ``gated=False`` scans every rule in full
    (the reference behaviour the start analysis must not change, used by tests and benchmarks).
    """

    def __init__(self, rules: Iterable[CompiledRule], *, pattern_timeout: float = 1.0, gated: bool = True):
        self.rules: list[CompiledRule] = []
        for order, rule in enumerate(rules):
            rule.order = order
            self.rules.append(rule)
        self.pattern_timeout = pattern_timeout
        self.gated = gated
        self.use_timer = True  # watch runs of calls with one timer where it can (see watchdog.py)
        # One scan finds everything, told apart by id: rule i's starts (id i), the starts where its probes
        # do not apply (n + i), its anchor (2n + i), probe tail k (3n + 2k) and probed reference k
        # (3n + 2k + 1), and the leading word j of some probes (-1 - j). Each probed reference (see
        # triggers.Probe) is matched once per position, shared by the rules that begin with it.
        n = len(self.rules)
        anchored = [(2 * n + i, r.anchor) for i, r in enumerate(self.rules)
                    if gated and r.starts is not None and r.anchor is not None]
        self.heads: list[Any] = []
        self.head_starts: list[Any] = []  # per head: (scan id, its starts), or None when unknown
        head_ids: dict[tuple[str, int], int] = {}
        tails: dict[frozenset, int] = {}
        runs: dict[str, Any] = {}
        rests: dict[str, Any] = {}
        guard_ids: dict[tuple[str, int], int] = {}
        words: dict[str, int] = {}  # leading word (lower case, as scanned) -> its scan id
        self.guards: list[Any] = []
        free: list[tuple[int, frozenset]] = []
        # A reference that some rule looks past is matched in POSIX mode for every rule: one match serves
        # them all, as a longest match exists exactly where some match does.
        longest = {(p.source, r.regex.flags) for r in self.rules for p in r.probes
                   if p.tail is not None or p.rest_source}  # (a rest left out below still counts: fine)
        for i, r in enumerate(self.rules):
            plan = []
            if gated and r.starts is not None and r.probes:
                free.append((n + i, r.free))
                for probe in r.probes:
                    rest = None
                    rest_at_digit = True
                    # The rest is checked only where no tail is: a tail already bounds most starts, and
                    # each rest is a compiled copy of most of its rule (memory: tens of MB in all).
                    if probe.rest_source and probe.tail is None:  # built on first use, like rules
                        rest = rests.get(probe.rest_source)
                        if rest is None:
                            try:
                                # a stand-in that builds the pattern when first called, then is its match
                                rest = rests[probe.rest_source] = compile_pattern(
                                    probe.rest_source, r.regex.flags, lazy=True).match
                            except (regex.error, OverflowError, RecursionError):
                                rest = None
                        # most of the ends a reference can have lie inside its digits ("2019" may end after
                        # "201"): a rest that cannot begin with a digit is not called there
                        rest_at_digit = can_begin_with_a_digit(probe.rest_source, r.regex.flags)
                    looks_past = (probe.source, r.regex.flags) in longest
                    key = (probe.source, r.regex.flags | (regex.POSIX if looks_past else 0))
                    if key not in head_ids:
                        head_ids[key] = len(self.heads)
                        self.heads.append(compile_pattern(*key, lazy=True))
                        self.head_starts.append(frozenset())
                    # Where a reference can begin depends on what follows it in each rule ("last" before
                    # "week" or before "Monday"): the union over the rules that share it.
                    k = head_ids[key]
                    if probe.head is None or self.head_starts[k] is None:
                        self.head_starts[k] = None
                    else:
                        self.head_starts[k] = self.head_starts[k] | probe.head
                    tail_id = None
                    if probe.tail is not None:
                        tail_id = tails.setdefault(probe.tail, 3 * n + 2 * len(tails))
                    run = None
                    if probe.run:
                        run = runs.setdefault(probe.run, regex.compile(probe.run + "*").match)
                    guard = None
                    if probe.guard_source:  # lookarounds before the reference: cheap, and checked first
                        gkey = (probe.guard_source, r.regex.flags)
                        if gkey not in guard_ids:
                            guard_ids[gkey] = len(self.guards)
                            self.guards.append(compile_pattern(*gkey, lazy=True))
                        guard = guard_ids[gkey]
                    # the separator after an optional beginning's reference, then the rule (see Probe.chain);
                    # a leading word and separator, where the probe is checked (see Probe.prefix)
                    chain = _separator(probe.chain + "+", r.regex.flags) if probe.chain else None
                    prefix = word_id = None
                    if probe.prefix:
                        prefix = _separator(regex.escape(probe.prefix[0]) + probe.prefix[1] + "+", r.regex.flags)
                        word_id = words.setdefault(probe.prefix[0].lower()[:MAX_PREFIX], -1 - len(words))
                    plan.append((head_ids[key], tail_id, probe.reach, run, probe.after_run, rest, guard, chain,
                                 prefix, word_id, rest_at_digit))
            r.probe_plan = tuple(plan)
        # A guard that reads a bounded stretch of text around the position gives the same answer wherever
        # that stretch comes back: repetitive text ("3 3 3 ...") is then checked once, not at each position.
        self.guard_reach = [lookaround_reach(g.pattern, g.flags) for g in self.guards]
        self._head_calls: list[Any] = [None] * len(self.heads)
        self._digit_calls: list[Any] = [None] * len(self.heads)
        self._rule_digit_calls: list[Any] = [None] * len(self.rules)
        self._guard_calls: list[Any] = [None] * len(self.guards)
        anchored += [(tail_id, tail) for tail, tail_id in tails.items()]
        self.head_starts = [None if h is None else (3 * n + 2 * k + 1, h) for k, h in enumerate(self.head_starts)]
        # A leading word is scanned as the beginning of a word, as any rule's literal start is: where it is
        # not, its probes are passed over without a call.
        leading = [(word_id, frozenset({Start("word", word)})) for word, word_id in words.items()]
        self.scanner = StartScanner([(i, r.starts) for i, r in enumerate(self.rules)
                                     if gated and r.starts is not None] + free + anchored
                                    + [h for h in self.head_starts if h is not None] + leading)
        self._cache: dict[tuple[int, str], Any] = {}
        # A guard's result for a window of text holds in any document (see ProbeMemo): kept across them.
        self._windows: list[dict[tuple[str, int], bool]] = [{} for _ in self.guards]
        self._misses: list[set[tuple[str, int]]] = [set() for _ in self.rules]  # likewise, per rule's variant

    def __getstate__(self) -> dict[str, Any]:
        state = dict(self.__dict__)
        state["_cache"] = {}
        state["_head_calls"] = [None] * len(self.heads)
        state["_digit_calls"] = [None] * len(self.heads)
        state["_rule_digit_calls"] = [None] * len(self.rules)
        state["_guard_calls"] = [None] * len(self.guards)
        state["_windows"] = [{} for _ in self.guards]
        state["_misses"] = [set() for _ in self.rules]
        return state

    def candidates(self, text: str, ctx: ParseContext, dropped: list[tuple[Candidate, str]] | None = None,
                   rules: Iterable[CompiledRule] | None = None, timeouts: list[Timeout] | None = None,
                   deadline: float | None = None) -> list[Candidate]:
        """Candidates of every rule (or of ``rules``), in rule order then position order."""
        budget = None if deadline is None else deadline - time.monotonic()
        return self.candidates_many([(text, ctx)], rules=rules, budget=budget, dropped=[dropped],
                                    timeouts=[timeouts])[0]

    def candidates_many(self, docs: Sequence[tuple[str, ParseContext]], *, rules: Iterable[CompiledRule] | None = None,
                        budget: float | None = None, dropped: Sequence[list[Any] | None] | None = None,
                        timeouts: Sequence[list[Timeout] | None] | None = None) -> list[list[Candidate]]:
        """The candidates of several documents, each as :meth:`candidates` gives them, found rule by rule
        across the documents: a rule's compiled pattern (up to a megabyte) then serves all of them while
        the processor still holds it in cache, which makes short documents up to 1.4 times faster than
        one by one. A document longer than ``REGION`` is matched on its own, a region at a time (see
        :meth:`_regions`). ``budget`` is each document's own time limit in seconds (its scan and every
        rule's work on it, added up), ``dropped`` and ``timeouts`` one list (or None) per document."""
        chosen = self.rules if rules is None else list(rules)
        # With no time budget, every call's limit is the same: one timer watches them all (see watchdog.py),
        # and the steps it watches are this call's own (another thread may be matching with this matcher).
        progress = Progress()
        watch = watching(progress, self.pattern_timeout, _WATCHED) if budget is None and self.use_timer \
            else nullcontext(False)
        with watch as watched:
            every, runs = [], []  # every document; those matched together
            for i, (text, ctx) in enumerate(docs):
                run = _Run(text, ctx, {}, None, [], dropped[i] if dropped else None, timeouts[i] if timeouts else None,
                           0.0, watched, progress)
                every.append(run)
                if self.gated and len(text) > REGION:
                    self._regions(run, chosen, budget)
                    continue
                runs.append(run)
                began = time.monotonic() if budget is not None else 0.0
                if self.gated:
                    run.starts = self.scanner.scan(text)
                    run.memo = self.probe_memo(run.starts, progress)
                run.spent = time.monotonic() - began if budget is not None else 0.0
            self._match_rules(chosen, runs, budget)
        return [run.out for run in every]

    def _match_rules(self, rules: list[CompiledRule], runs: list[_Run], budget: float | None,
                     full_scans: bool = True) -> None:
        """Each rule over each run (``full_scans``: the rules scanned in full too): where it may match in
        every run first, then its matches there, so that the probes' references and the rule's own pattern
        each serve every document in turn while the processor holds them."""
        one = runs[0] if len(runs) == 1 else None  # one document (a short one, most often): no list per rule
        for rule in rules:
            gated = self.gated and rule.starts is not None
            if not (gated or full_scans):
                continue
            if one is not None:
                found: Iterable[tuple[_Run, Any]] = ((one, self._where(rule, one, budget)),) \
                    if not gated or rule.order in one.starts else ()
            else:
                found = [(run, self._where(rule, run, budget)) for run in runs if not gated or rule.order in run.starts]
            for run, positions in found:
                if positions:
                    self._match_at(rule, run, positions, budget)

    def _regions(self, run: _Run, rules: list[CompiledRule], budget: float | None) -> None:
        """A long document's candidates, region by region (see REGION), exactly as one pass finds them."""
        text = run.text
        lowered = text.lower()
        run.resume, run.by_rule, run.stopped = {}, {}, set()
        for lo in range(0, len(text), REGION):
            began = time.monotonic() if budget is not None else 0.0
            run.end = min(lo + REGION, len(text))
            run.starts = self.scanner.scan(text, lowered, lo, min(run.end + REGION_MARGIN, len(text)))
            run.memo = self.probe_memo(run.starts, run.progress)
            if budget is not None:
                run.spent += time.monotonic() - began
            self._match_rules(rules, [run], budget, full_scans=lo == 0)  # a rule scanned in full runs once
        run.starts, run.memo = {}, None
        found = [run.by_rule[rule.order] for rule in rules if rule.order in run.by_rule]
        run.out = [cand for out, _ in found for cand in out]
        if run.dropped is not None:
            run.dropped.extend(item for _, dropped in found for item in dropped or ())

    def _where(self, rule: CompiledRule, run: _Run, budget: float | None) -> list[int] | bool:
        """Where one rule may match in one document (or in its current region): the starts its anchor and
        probes keep; True for a rule scanned in full; empty where it has nothing to do."""
        if run.stopped is not None and rule.order in run.stopped:
            return []  # out of time earlier in this document
        if not (self.gated and rule.starts is not None):
            return True
        starts = run.starts
        positions = starts.get(rule.order)
        if positions is None:
            return []  # nowhere to begin in this document
        n = len(self.rules)
        if rule.anchor is not None:
            positions = _near_anchor(positions, starts.get(2 * n + rule.order, ()))
        if rule.probe_plan and positions:
            limit, began = self._limit(run, budget)
            try:
                positions = self._probed(rule, run.text, positions, starts.get(n + rule.order, ()), starts,
                                         run.memo, limit)
            except TimeoutError:
                self._stop(rule, run, limit, self._outputs(rule, run)[0])
                positions = []
            if budget is not None:
                run.spent += time.monotonic() - began
        if run.end is not None:  # the starts after the region only served as the probes' context
            positions = positions[:bisect_left(positions, run.end)]
        return positions

    def _match_at(self, rule: CompiledRule, run: _Run, positions: list[int] | bool, budget: float | None) -> None:
        """The rule's candidates at ``positions`` (from :meth:`_where`)."""
        out, dropped = self._outputs(rule, run)
        limit, began = self._limit(run, budget)
        try:
            if positions is True:
                self._scan(rule, run.text, run.ctx, out, dropped, self._seconds(limit))
            elif run.end is None:
                self._gated(rule, run.text, positions, run.ctx, out, dropped, limit, run.progress)
            else:
                run.resume[rule.order] = self._gated(rule, run.text, positions, run.ctx, out, dropped, limit,
                                                     run.progress, run.resume.get(rule.order, 0))
        except TimeoutError:
            self._stop(rule, run, limit, out)
        if budget is not None:
            run.spent += time.monotonic() - began

    def _limit(self, run: _Run, budget: float | None) -> tuple[float | None, float]:
        """The time limit of the next regex calls in this document (None: the timer watches them), and when
        they began."""
        if budget is None:
            return (None if run.watched else self.pattern_timeout), 0.0
        return min(self.pattern_timeout, max(budget - run.spent, 0.001)), time.monotonic()

    def _seconds(self, limit: float | None) -> float:
        """The time limit of a call given ``limit`` from :meth:`_limit`: when the timer watches, its own."""
        return self.pattern_timeout if limit is None else limit

    @staticmethod
    def _outputs(rule: CompiledRule, run: _Run) -> tuple[list[Candidate], list[Any] | None]:
        if run.by_rule is None:
            return run.out, run.dropped
        return run.by_rule.setdefault(rule.order, ([], None if run.dropped is None else []))

    def _stop(self, rule: CompiledRule, run: _Run, limit: float | None, out: list[Candidate]) -> None:
        if run.stopped is not None:
            run.stopped.add(rule.order)
        if run.timeouts is not None:
            run.timeouts.append(Timeout(rule.name, _last_offset(out, rule), self._seconds(limit)))

    def probe_memo(self, starts: dict[int, list[int]], progress: Progress | None = None) -> ProbeMemo:
        """A fresh memo of the probed references for a document whose scan found ``starts``."""
        return ProbeMemo([{} for _ in self.heads], [_UNSET] * len(self.heads), [{} for _ in self.guards], {},
                         progress or Progress())

    def _gated(self, rule: CompiledRule, text: str, positions: Iterable[int], ctx: ParseContext,
               out: list[Candidate], dropped: Any, limit: float | None, progress: Progress, resume: int = 0) -> int:
        """Tries the rule at ``positions`` from ``resume`` on; where its last match ends."""
        match = rule.regex.match
        at_digit = None
        sight = None
        misses = self._misses[rule.order]  # windows of text where the rule's digit variant failed
        # like finditer: a rule's matches do not overlap one another, leftmost first
        for pos in positions:
            if pos < resume:
                continue
            progress.steps += 1
            # A fact is at most MATCH_REACH characters long; bounding the attempt keeps a run of starts
            # ("1.1.1.1...") linear instead of scanning to the end of the run from each of them.
            if text[pos] in _DIGITS:  # the rule without its branches that begin with a word
                if at_digit is None:
                    found = self._rule_digit_calls[rule.order]
                    if found is None:
                        found = self._rule_digit_calls[rule.order] = self._digit_match(rule.regex, True,
                                                                                       RULE_VARIANT_SHARE)
                    at_digit, sight = found
                if sight is None:
                    m = at_digit(text, pos, pos + MATCH_REACH, _HOLD, _WHOLE, limit)
                else:  # a variant that reads a bounded window ("1990s", a year): fails wherever it failed
                    window = _window(text, pos, sight)
                    if window in misses:
                        continue
                    m = at_digit(text, pos, pos + MATCH_REACH, _HOLD, _WHOLE, limit)
                    if m is None:
                        if len(misses) >= MAX_WINDOWS:
                            misses.clear()
                        misses.add(window)
            else:
                m = match(text, pos, pos + MATCH_REACH, _HOLD, _WHOLE, limit)
            if m is not None and m.end() > m.start():
                self._add(rule, m, ctx, out, dropped)
                resume = m.end()
        return resume

    def _probed(self, rule: CompiledRule, text: str, positions: Sequence[int], free: list[int],
                anchors: dict[int, list[int]], memo: ProbeMemo, limit: float | None) -> list[int]:
        """The starts where the rule may match: those its probes cannot check, and those where one of its
        probes passes (its reference matches, and a tail start lies within reach of the longest match)."""
        kept = set(free).intersection(positions) if free else set()
        plain, chained = [], []  # what each probe needs, looked up once per call rather than at every position
        for head, tail_id, reach, run, after_run, rest, guard, chain, prefix, word_id, rest_at_digit \
                in rule.probe_plan:
            tails = None
            if tail_id is not None:
                tails = anchors.get(tail_id)
                if not tails:
                    continue  # no tail in this document: the probe never passes
            can_start = memo.can_start[head]
            if can_start is _UNSET:
                known_starts = self.head_starts[head]
                can_start = memo.can_start[head] = None if known_starts is None else \
                    set(anchors.get(known_starts[0], ()))
            # where the probe can pass at all: where its leading word or its reference can begin
            where = None
            if prefix is not None:
                where = memo.words.get(word_id)
                if where is None:
                    where = memo.words[word_id] = set(anchors.get(word_id, ()))
            elif can_start is not None:
                where = can_start
            if where is not None and not where:
                continue
            (chained if chain is not None else plain).append(
                (where, (head, tails, reach, run, after_run, rest, rest_at_digit, guard, chain, prefix,
                         memo.ends[head], can_start, None if guard is None else memo.guards[guard])))
        if not plain and not chained:
            return [pos for pos in positions if pos in kept]
        # Probe by probe, each only at the starts where it can apply: a set intersection, not a loop.
        for where, probe in plain:
            self._passes(probe, text, positions if where is None else where.intersection(positions), kept, memo,
                         limit)
        if chained:
            # A chained probe asks whether the rule passed at a later start: the last start first, and
            # every other probe settled there already.
            todo: set[int] = set()
            for where, _ in chained:
                todo.update(positions if where is None else where.intersection(positions))
            for pos in sorted(todo - kept, reverse=True):
                for _, probe in chained:
                    if self._passes(probe, text, (pos,), kept, memo, limit):
                        break
        return [pos for pos in positions if pos in kept]

    def _passes(self, probe: tuple[Any, ...], text: str, starts: Iterable[int], kept: set[int], memo: ProbeMemo,
                limit: float | None) -> bool:
        """Adds to ``kept`` each of ``starts`` where ``probe`` passes; whether any did."""
        head, tails, reach, run, after_run, rest, rest_at_digit, guard, chain, prefix, known, can_start, held = probe
        passed = False
        progress = memo.progress
        for pos in starts:
            if pos in kept:
                continue
            progress.steps += 1
            at = pos  # where the reference begins: after the leading word, if the probe has one
            if prefix is not None:
                lead = prefix(text, pos, None, _HOLD, _WHOLE, limit)
                if lead is None or lead.end() == len(text):
                    continue
                at = lead.end()
            if tails is not None:  # first the cheapest check: is there a tail ahead at all?
                k = bisect_right(tails, at)
                if k == len(tails):
                    continue
                after = tails[k]
                if run is None and after > at + MATCH_REACH + reach:
                    continue  # beyond any end the reference can have
            end = known.get(at)
            if end is None:
                if can_start is not None and at not in can_start:
                    end = known[at] = -1  # the reference cannot begin here
                else:
                    if held is not None:  # the lookarounds before it: a cheap call, memoised
                        holds = held.get(at)
                        if holds is None:
                            holds = held[at] = self._guard_holds(guard, text, at, limit)
                        if not holds:
                            continue
                    if text[at] in _DIGITS:  # the reference without its branches that begin with a word
                        call = self._digit_calls[head]
                        if call is None:
                            call = self._digit_calls[head] = self._digit_call(head)
                    else:
                        call = self._head_calls[head]
                        if call is None:
                            call = self._head_calls[head] = self.heads[head].match
                    m = call(text, at, at + MATCH_REACH, _HOLD, _WHOLE, limit)
                    end = known[at] = m.end() if m is not None and m.end() > at else -1
            if end < 0:
                continue
            if tails is not None:
                last = end + reach
                if run is not None and after > last:
                    last = run(text, last).end() + after_run
                if after > last:
                    continue
            if chain is not None:
                # through the separator after one of the reference's ends, to where the rule must pass
                for e in range(end, at, -1):
                    sep = chain(text, e, None, _HOLD, _WHOLE, limit)
                    if sep is not None and sep.end() in kept:
                        break
                else:
                    continue
            if rest is not None:
                # the reference ends somewhere up to its longest match; what follows it must match there
                stop = at + MATCH_REACH
                for e in range(end, at, -1):
                    if not rest_at_digit and e < len(text) and text[e] in _DIGITS:
                        continue
                    if rest(text, e, stop, _HOLD, _WHOLE, limit) is not None:
                        break
                else:
                    continue
            kept.add(pos)
            passed = True
        return passed

    def _guard_holds(self, guard: int, text: str, pos: int, limit: float | None) -> bool:
        """Whether the lookarounds ``guard`` hold at ``pos``; reused across a window of text it reads whole."""
        call = self._guard_calls[guard]
        if call is None:
            call = self._guard_calls[guard] = self.guards[guard].match
        sight = self.guard_reach[guard]
        if sight is None:
            return call(text, pos, pos + MATCH_REACH, _HOLD, _WHOLE, limit) is not None
        window = _window(text, pos, sight)
        seen = self._windows[guard]  # per guard of bounded reach: its result for each window seen
        holds = seen.get(window)
        if holds is None:
            holds = call(text, pos, pos + MATCH_REACH, _HOLD, _WHOLE, limit) is not None
            if len(seen) >= MAX_WINDOWS:
                seen.clear()
            seen[window] = holds
        return holds

    def _digit_call(self, head: int) -> Any:
        return self._digit_match(self.heads[head], False, 1.0)[0]  # only its end is read: no names, no reach

    @staticmethod
    def _digit_match(pattern: Any, for_rule: bool, share: float) -> tuple[Any, int | None]:
        """``match`` of ``pattern`` specialised to a start at a digit (see first_char.py), if the variant is
        at most ``share`` of its length or short. For a rule, the variant keeps the capture names, and how
        far it reads comes too (None: unbounded; see triggers.lookaround_reach). Both are worked out once
        and kept on disk."""
        source, flags = pattern.pattern, pattern.flags
        variant = memo_text("digit-variant", f"{flags}\0{for_rule}\0{source}",
                            lambda: digit_variant(source, flags, for_rule) or "")
        if not variant or not (len(variant) <= share * len(source)
                               or (len(variant) <= 0.9 * len(source) and len(variant) <= SHORT_VARIANT)):
            return pattern.match, None
        reach = memo_text("reach", f"{flags}\0{variant}", lambda: str(lookaround_reach(variant, flags))) \
            if for_rule else "None"
        try:
            return compile_pattern(variant, flags).match, None if reach == "None" else int(reach)
        except (regex.error, OverflowError, RecursionError):
            return pattern.match, None

    def _scan(self, rule: CompiledRule, text: str, ctx: ParseContext, out: list[Candidate], dropped: Any,
              limit: float) -> None:
        for m in rule.regex.finditer(text, timeout=limit):
            self._add(rule, m, ctx, out, dropped)

    def _add(self, rule: CompiledRule, m: Any, ctx: ParseContext, out: list[Candidate], dropped: Any) -> None:
        start, end = m.span("span") if rule.span_group else m.span()
        if start >= end:
            return
        try:
            fields = self._fields(rule, m, ctx)
        except (ValueError, ArithmeticError) as exc:  # ParseError, or a parser's own complaint
            if dropped is not None:
                dropped.append((Candidate(start, end, rule, {}), str(exc)))
            return
        if not rule.required.issubset(fields):
            if dropped is not None:
                missing = ", ".join(sorted(rule.required - fields.keys()))
                dropped.append((Candidate(start, end, rule, fields), f"no value for {missing}"))
            return
        out.append(Candidate(start, end, rule, fields))

    def _fields(self, rule: CompiledRule, m: Any, ctx: ParseContext) -> dict[str, Any]:
        fields: dict[str, Any] = {}
        captures = None
        for plan in rule.fields:
            if plan.is_const:
                fields[plan.field] = plan.const
                continue
            captured = m.group(plan.group) if plan.group else m.group()
            if captured is None:
                if plan.default is not None:
                    fields[plan.field] = plan.default
                continue
            parser = plan.parser
            if parser is None:
                fields[plan.field] = captured
                continue
            if parser.context_free:
                key = (id(parser), captured)
                value = self._cache.get(key, _MISSING)
                if value is _MISSING:
                    value = parser(captured, ctx)
                    if len(self._cache) >= MAX_CACHE:
                        self._cache.clear()
                    self._cache[key] = value
            else:
                if captures is None:
                    captures = m.groupdict()
                ctx.captures = captures
                value = parser(captured, ctx)
            if isinstance(value, Fields):
                fields.update(value)
            else:
                fields[plan.field] = value
        return fields


# The matcher's loops: a call they make (or one a stand-in they called makes) is watched by the timer.
_WATCHED = frozenset({Matcher._gated.__code__, Matcher._passes.__code__, Matcher._guard_holds.__code__})


@functools.lru_cache(maxsize=None)
def _separator(source: str, flags: int) -> Any:
    """``match`` of a separator (or a word and its separator): a few characters, shared by every rule."""
    return regex.compile(source, flags).match


def _window(text: str, pos: int, sight: int) -> tuple[str, int]:
    """What a pattern that reads at most ``sight`` characters either side of ``pos`` can see there, and where
    ``pos`` lies in it: equal windows give equal results (see triggers.lookaround_reach)."""
    lo = pos - sight if pos > sight else 0
    return text[lo:pos + sight], pos - lo


def _last_offset(out: list[Candidate], rule: CompiledRule) -> int:
    for cand in reversed(out):
        if cand.rule is rule:
            return cand.end
    return 0


def _near_anchor(positions: Sequence[int], anchors: Sequence[int]) -> list[int]:
    """The starts that have an anchor at most ANCHOR_REACH characters after them (both lists sorted).

    Each anchor keeps the starts in [anchor - ANCHOR_REACH, anchor] not kept yet: a slice found by
    bisection, as there are about four starts for each anchor."""
    out: list[int] = []
    done = 0  # the starts before this index are settled
    for anchor in anchors:
        lo = bisect_left(positions, anchor - ANCHOR_REACH, done)
        hi = bisect_right(positions, anchor, lo)
        if hi > lo:
            out += positions[lo:hi]
            done = hi
    return out
