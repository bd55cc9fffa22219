"""Compare extracted facts with expected ones: the logic behind pack examples, fixture files, the pytest
plugin and ``factkit check``.

An expected fact is a mapping holding any subset of a fact's keys. It is paired with the first unused
extracted fact that agrees on ``kind``, ``text`` and ``start`` (those given); every other key it holds
must then agree too. Numbers agree within a relative 1e-9.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
from typing import Any, Iterable, Literal, Sequence

from .facts import Fact

Mode = Literal["exact", "subset"]
_IDENTITY = ("kind", "text", "start")


@dataclass
class Mismatch:
    expected: dict[str, Any]
    got: dict[str, Any]
    differences: dict[str, tuple[Any, Any]]  # key -> (expected, got)


@dataclass
class Comparison:
    """The outcome of comparing one text's facts with what was expected."""

    text: str
    facts: list[Fact]
    missing: list[dict[str, Any]] = field(default_factory=list)
    unexpected: list[Fact] = field(default_factory=list)
    wrong: list[Mismatch] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not (self.missing or self.unexpected or self.wrong)

    def report(self) -> str:
        """The text with every fact's span marked, then one table of the missing, unexpected and wrong
        facts: a row per missing or unexpected fact, and per key whose value differs."""
        rows = []
        for m in self.missing:
            rows.append(("missing", _label(m), _brief({k: v for k, v in m.items() if k not in _LABEL_KEYS}), ""))
        for f in self.unexpected:
            d = _dump(f)
            rows.append(("unexpected", _label(d), "", _brief({k: v for k, v in d.items()
                                                              if k not in _LABEL_KEYS + ("end", "rule")})))
        for w in self.wrong:
            for key, (exp, got) in w.differences.items():
                rows.append(("wrong", _label(w.got), f"{key}={_fmt(exp)}", f"{key}={_fmt(got)}"))
        lines = ["text: " + mark_spans(self.text, self.facts)]
        if rows:
            header = ("", "fact", "expected", "got")
            widths = [max(len(r[i]) for r in [header, *rows]) for i in range(3)]
            for row in [header, *rows]:
                lines.append("  " + "  ".join(c.ljust(w) for c, w in zip(row, widths)) + "  " + row[3])
            lines = [line.rstrip() for line in lines]
        return "\n".join(lines)


_LABEL_KEYS = ("kind", "text", "start")


def _label(d: dict[str, Any]) -> str:
    """``quantity '30 knots' @3``, from whichever of kind, text and start are known."""
    parts = [str(d["kind"])] if d.get("kind") else []
    if d.get("text") is not None:
        parts.append(repr(d["text"]))
    if d.get("start") is not None:
        parts.append(f"@{d['start']}")
    return " ".join(parts) or "(any)"


def compare(text: str, facts: Sequence[Fact], expected: Iterable[dict[str, Any]], *, mode: Mode = "exact",
            only_rule: str | None = None) -> Comparison:
    """Pair expected facts with extracted ones. In ``exact`` mode an extracted fact nobody expected is an
    error; ``only_rule`` limits that check to the facts of one rule."""
    result = Comparison(text, list(facts))
    dumped = [_dump(f) for f in facts]
    used = [False] * len(facts)
    for exp in expected:
        exp = {k: _norm(v) for k, v in exp.items()}
        idx = next((i for i, d in enumerate(dumped) if not used[i]
                    and all(k not in exp or d.get(k) == exp[k] for k in _IDENTITY)), None)
        if idx is None:
            result.missing.append(exp)
            continue
        used[idx] = True
        diffs = {k: (v, dumped[idx].get(k, "<absent>")) for k, v in exp.items()
                 if k not in _IDENTITY and not _equal(v, dumped[idx].get(k, "<absent>"))}
        if diffs:
            result.wrong.append(Mismatch(exp, dumped[idx], diffs))
    if mode == "exact":
        result.unexpected = [f for f, u in zip(facts, used) if not u and (only_rule is None or f.rule == only_rule)]
    return result


def mark_spans(text: str, facts: Sequence[Fact]) -> str:
    """``text`` with each fact wrapped as ``[text]{kind}``; facts never overlap, so this is unambiguous."""
    out, pos = [], 0
    for f in sorted(facts, key=lambda f: f.start):
        if f.start < pos:
            continue
        out += [text[pos:f.start], "[", text[f.start:f.end], "]{", f.kind, "}"]
        pos = f.end
    out.append(text[pos:])
    return "".join(out)


def _dump(f: Fact) -> dict[str, Any]:
    return f.model_dump(mode="json")


def _norm(v: Any) -> Any:
    if isinstance(v, (dt.date, dt.datetime)):
        return v.isoformat()
    return v


def _equal(a: Any, b: Any) -> bool:
    if isinstance(a, bool) or isinstance(b, bool):
        return a == b
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12)
    if isinstance(a, dict) and isinstance(b, dict):
        return all(k in b and _equal(v, b[k]) for k, v in a.items())
    return bool(a == b)


def _brief(d: dict[str, Any]) -> str:
    return ", ".join(f"{k}={_fmt(v)}" for k, v in d.items() if v is not None and v != {})


def _fmt(v: Any) -> str:
    return repr(v) if isinstance(v, str) else str(v)
