"""``factkit explain``: why each fact won, why other candidates lost, and why a rule did not fire.

Inside every fact, each other rule is tried on the fact's words alone: one that matches them alone but
not in place was refused by its context checks, which is why "300" in "S-300" is no number. For a rule
named with ``--rule``, two probes say why it produced nothing: its pattern with every lookaround removed
(did the words match, and only the context checks reject them?), and the regex module's partial matching
(how far into the text did the pattern get before it stopped?). :meth:`factkit.Extractor.explain`
returns the same as data.
"""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING, Any, Sequence

import regex

from .pattern_text import drop_groups

if TYPE_CHECKING:
    from .extractor import Extractor
    from .facts import Fact

MAX_PROBE_CHARS = 20_000
_RUN_START = regex.compile(r"(?<!\p{L})\p{L}|(?<!\p{N})\p{N}")  # where a run of letters or digits begins
SPAN_GROUP = "span"


def strip_lookarounds(source: str) -> str:
    """``source`` without its lookahead and lookbehind groups: the words a rule wants, minus context."""
    return drop_groups(source, ("(?=", "(?!", "(?<=", "(?<!"))


@lru_cache(maxsize=512)
def _loose(source: str, flags: int) -> Any:
    """The rule's regex without its lookarounds, or None if stripping them leaves no valid pattern."""
    try:
        return regex.compile(strip_lookarounds(source), flags)
    except (regex.error, OverflowError, RecursionError):
        return None


def context_rejections(extractor: "Extractor", text: str, facts: Sequence["Fact"]) -> list[dict[str, Any]]:
    """Places inside a fact where another rule matches the words on their own but not in place, so that
    its context checks (lookarounds, word boundaries) are what refused them: the number rule's "300"
    inside the entity "S-300". Each rule is tried at the start of every run of letters or digits in the
    fact, on the fact's text from there on, and then at the same place in the document."""
    out = []
    spans = {(f.start, f.end): f.rule for f in facts}  # each span once, whatever the caller passes
    for (start, end), fact_rule in spans.items():
        inner = text[start:end]
        starts = [m.start() for m in _RUN_START.finditer(inner)]
        for rule in extractor.matcher.rules:
            if rule.name == fact_rule:
                continue
            for k in starts:
                try:
                    alone = rule.regex.match(inner[k:], timeout=1)  # a slice: nothing before it to see
                    in_place = alone and rule.regex.match(text, start + k, timeout=1)
                except TimeoutError:
                    continue
                if alone is None or in_place is not None:
                    continue
                a, b = alone.span(SPAN_GROUP) if rule.span_group else alone.span()
                a, b = a + k, b + k
                if a < b:
                    out.append({"rule": rule.name, "kind": rule.kind, "text": inner[a:b],
                                "start": start + a, "end": start + b, "inside": (start, end),
                                "reason": "the rule matches these words on their own, but its context checks "
                                          "(lookarounds, word boundaries) reject them here"})
                break  # one report per rule and fact
    return sorted(out, key=lambda r: (r["start"], r["rule"]))


def rule_probe(extractor: "Extractor", text: str, rule_name: str) -> dict[str, Any]:
    """What a rule's pattern did on ``text``: its matches, matches its context checks rejected, and the
    longest partial match."""
    rule = next((r for r in extractor.matcher.rules if r.name == rule_name or r.name.endswith(":" + rule_name)),
                None)
    if rule is None:
        names = ", ".join(r.name for r in extractor.matcher.rules)
        raise ValueError(f"no rule {rule_name!r} in this extractor (rules: {names})")
    probe_text = text[:MAX_PROBE_CHARS]
    matches = [(m.start(), m.end()) for m in rule.regex.finditer(probe_text, timeout=5)]
    context_rejected = []
    loose = _loose(rule.source, rule.regex.flags)
    try:
        for m in loose.finditer(probe_text, timeout=5) if loose is not None else ():
            if not any(a <= m.start() and m.end() <= b for a, b in matches):
                context_rejected.append((m.start(), m.end()))
    except TimeoutError:
        pass
    return {"rule": rule.name, "matches": matches, "context_rejected": context_rejected,
            "partial": _longest_partial(rule.regex, probe_text)}


def _longest_partial(rx: Any, text: str) -> tuple[int, int] | None:
    """The longest text[i:j] that is the beginning of some match of ``rx``."""
    best: tuple[int, int] | None = None
    for i in range(len(text)):
        if best and len(text) - i <= best[1] - best[0]:
            break
        lo, hi = i, len(text)
        if not rx.fullmatch(text, i, i + 1, partial=True, timeout=1) if i < len(text) else True:
            continue
        while lo < hi:  # prefixes that can still become a match form an unbroken run
            mid = (lo + hi + 1) // 2
            if rx.fullmatch(text, i, mid, partial=True, timeout=1):
                lo = mid
            else:
                hi = mid - 1
        if lo > i and (best is None or lo - i > best[1] - best[0]):
            best = (i, lo)
    return best


def explain_text(extractor: "Extractor", text: str, *, rule: str | None = None,
                 reference_date: Any = None) -> str:
    """The report ``factkit explain`` prints: each fact with the candidates it beat and the context-rejected
    matches inside it, then candidates dropped by their parsers, then the probe of ``rule``."""
    data = extractor.explain(text, reference_date=reference_date, rule=rule)
    lines = []
    for fact in data["facts"]:
        span = (fact.start, fact.end)
        lines.append(f"{fact.start}-{fact.end} {fact.kind} {fact.text!r} by {fact.rule}")
        for r in data["rejected"]:
            if r["winner_span"] == span:
                lines.append(f"    lost: {r['rule']} {r['text']!r} ({r['start']}-{r['end']}): {r['reason']}")
        for r in data["context_rejected"]:
            if r["inside"] == span:
                lines.append(f"    no {r['kind']}: {r['rule']} {r['text']!r} ({r['start']}-{r['end']}): "
                             f"{r['reason']}")
    for d in data["dropped"]:
        lines.append(f"dropped: {d['rule']} {d['text']!r} ({d['start']}-{d['end']}): {d['reason']}")
    if not data["facts"]:
        lines.append("no facts")
    probe = data.get("rule")
    if probe:
        lines.append(f"rule {probe['rule']}:")
        if probe["matches"]:
            lines += [f"    matched {text[a:b]!r} ({a}-{b})" for a, b in probe["matches"]]
        for a, b in probe["context_rejected"]:
            before, after = text[max(0, a - 12):a], text[b:b + 12]
            lines.append(f"    {text[a:b]!r} ({a}-{b}) matches the rule's words, but its context checks "
                         f"(lookarounds) reject it here: ...{before}[{text[a:b]}]{after}...")
        if not probe["matches"] and not probe["context_rejected"]:
            part = probe["partial"]
            if part:
                a, b = part
                lines.append(f"    no match; the longest start of one is {text[a:b]!r} ({a}-{b}), "
                             f"stopping before {text[b:b + 15]!r}")
            else:
                lines.append("    no match, and no position where a match could begin")
    return "\n".join(lines)
