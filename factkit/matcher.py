"""Run compiled rules over a text and produce candidates with their parsed field values.

One scan with the :class:`~factkit.triggers.StartScanner` finds every place where some rule can begin;
each gated rule is then tried only there (``pattern.match(text, pos)``), and the few rules whose starts
could not be worked out are scanned in full. Every regex call runs under a time limit: a rule that runs
out of time on a document is reported as a :class:`Timeout` and skipped for the rest of that document,
while the other rules go on.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any, Iterable

from .compiler import CompiledRule
from .parsers import Fields, ParseContext
from .resolve import Candidate
from .triggers import ANCHOR_REACH, StartScanner

_MISSING = object()
MATCH_REACH = 1000
MAX_CACHE = 50_000


@dataclass(frozen=True)
class Timeout:
    """A rule that ran out of time on a document, and the offset it was working at."""

    rule: str
    offset: int
    seconds: float

    def __str__(self) -> str:
        return f"rule {self.rule} ran out of time ({self.seconds:g} s) at offset {self.offset}; skipped"


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
        self.scanner = StartScanner((i, r.starts) for i, r in enumerate(self.rules)
                                    if gated and r.starts is not None)
        anchored = [(i, r.anchor) for i, r in enumerate(self.rules)
                    if gated and r.starts is not None and r.anchor is not None]
        self.anchored = bool(anchored)
        self.anchor_scanner = StartScanner(anchored)
        self._cache: dict[tuple[int, str], Any] = {}

    def __getstate__(self) -> dict[str, Any]:
        state = dict(self.__dict__)
        state["_cache"] = {}
        return state

    def candidates(self, text: str, ctx: ParseContext, dropped: list[tuple[Candidate, str]] | None = None,
                   rules: Iterable[CompiledRule] | None = None, timeouts: list[Timeout] | None = None,
                   deadline: float | None = None) -> list[Candidate]:
        """Candidates of every rule (or of ``rules``), in rule order then position order."""
        out: list[Candidate] = []
        starts: dict[int, list[int]] = {}
        anchors: dict[int, list[int]] = {}
        if self.gated:
            lowered = text.lower()  # both scans read the lower-cased text
            starts = self.scanner.scan(text, lowered)
            if self.anchored:
                anchors = self.anchor_scanner.scan(text, lowered)
        for rule in (self.rules if rules is None else rules):
            limit = self.pattern_timeout
            if deadline is not None:
                limit = min(limit, max(deadline - time.monotonic(), 0.001))
            try:
                if self.gated and rule.starts is not None:
                    positions = starts.get(rule.order, ())
                    if rule.anchor is not None:
                        positions = _near_anchor(positions, anchors.get(rule.order, ()))
                    self._gated(rule, text, positions, ctx, out, dropped, limit)
                else:
                    self._scan(rule, text, ctx, out, dropped, limit)
            except TimeoutError:
                if timeouts is not None:
                    timeouts.append(Timeout(rule.name, _last_offset(out, rule), limit))
        return out

    def _gated(self, rule: CompiledRule, text: str, positions: Iterable[int], ctx: ParseContext,
               out: list[Candidate], dropped: Any, limit: float) -> None:
        match = rule.regex.match
        resume = 0  # like finditer: a rule's matches do not overlap one another, leftmost first
        for pos in positions:
            if pos < resume:
                continue
            # A fact is at most MATCH_REACH characters long; bounding the attempt keeps a run of starts
            # ("1.1.1.1...") linear instead of scanning to the end of the run from each of them.
            m = match(text, pos, pos + MATCH_REACH, timeout=limit)
            if m is not None and m.end() > m.start():
                self._add(rule, m, ctx, out, dropped)
                resume = m.end()

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


def _last_offset(out: list[Candidate], rule: CompiledRule) -> int:
    for cand in reversed(out):
        if cand.rule is rule:
            return cand.end
    return 0


def _near_anchor(positions: list[int], anchors: list[int]) -> list[int]:
    """The starts that have an anchor at most ANCHOR_REACH characters after them."""
    if not anchors:
        return []
    out = []
    j, n = 0, len(anchors)
    for pos in positions:  # both lists are sorted
        while j < n and anchors[j] < pos:
            j += 1
        if j == n:
            break
        if anchors[j] - pos <= ANCHOR_REACH:
            out.append(pos)
    return out
