"""Overlap resolution: which candidates become facts.

Deterministic and independent of rule order in files: the longer span wins; on equal length the higher
priority; then the rule that comes first (packs in load order, rules in file order); then the earlier
start. Accepted facts never overlap, whatever their kinds, so a range hides the quantities inside it and
"S-300" as an entity hides the number 300.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass
from typing import Any


@dataclass(slots=True)
class Candidate:
    start: int
    end: int
    rule: Any  # CompiledRule
    fields: dict[str, Any]

    def sort_key(self) -> tuple[int, int, int, int]:
        return (self.start - self.end, -self.rule.priority, self.rule.order, self.start)


@dataclass(slots=True)
class Rejection:
    candidate: Candidate
    reason: str
    winner: Candidate | None = None


def resolve(candidates: list[Candidate], rejections: list[Rejection] | None = None) -> list[Candidate]:
    """The non-overlapping winners, sorted by start; losers go to ``rejections`` when it is given."""
    starts: list[int] = []
    accepted: list[Candidate] = []
    for cand in sorted(candidates, key=Candidate.sort_key):
        i = bisect_right(starts, cand.start)
        blocker = None
        if i > 0 and accepted[i - 1].end > cand.start:
            blocker = accepted[i - 1]
        elif i < len(accepted) and accepted[i].start < cand.end:
            blocker = accepted[i]
        if blocker is None:
            starts.insert(i, cand.start)
            accepted.insert(i, cand)
        elif rejections is not None:
            rejections.append(Rejection(cand, _why(cand, blocker), blocker))
    return accepted


def _why(loser: Candidate, winner: Candidate) -> str:
    if winner.end - winner.start > loser.end - loser.start:
        return "overlaps a longer fact"
    if winner.rule.priority > loser.rule.priority:
        return "overlaps a fact of the same length with higher priority"
    if winner.rule.order < loser.rule.order:
        return "overlaps a fact of the same length and priority from an earlier rule"
    return "overlaps an earlier fact of the same length"
