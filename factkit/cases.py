"""Test cases from packs and fixture files: a pack's inline ``examples`` and ``must_not_match``, and
fixture files (``*.facts.yaml``) holding texts with their expected facts.

The pytest plugin and ``factkit check`` both run these, so a pack author's examples are tests.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from .errors import PackError
from .extractor import Extractor
from .pack_loader import Pack, PackRef, file_inside, read_text_file
from .pack_schema import Example
from .parsers import Prefer
from .testing import Comparison, Mode, compare
from .yaml_source import load_yaml

DEFAULT_REFERENCE_DATE = dt.date(2019, 3, 31)


@dataclass
class Case:
    """One text to extract from and what must (or must not) come out of it."""

    id: str
    file: str
    line: int
    text: str
    expected: list[dict[str, Any]]
    packs: tuple[PackRef, ...]
    reference_date: dt.date
    mode: Mode = "subset"
    only_rule: str | None = None
    xfail: str | None = None
    prefer: Prefer = "past"
    extra: dict[str, Any] = field(default_factory=dict)
    col: int = 1

    def run(self, cache: dict[Any, Extractor] | None = None) -> Comparison:
        key = (tuple(p if isinstance(p, str) else id(p) for p in self.packs), self.prefer)
        extractor = cache.get(key) if cache is not None else None
        if extractor is None:
            extractor = Extractor(list(self.packs), prefer=self.prefer)
            if cache is not None:
                cache[key] = extractor
        facts = extractor.extract(self.text, reference_date=self.reference_date)
        return compare(self.text, facts, self.expected, mode=self.mode, only_rule=self.only_rule)


def pack_cases(pack: Pack) -> list[Case]:
    """Every inline example and must_not_match text of the pack, one case each."""
    cases = []
    ref = pack.spec.reference_date or DEFAULT_REFERENCE_DATE
    for rule in pack.spec.rules:
        rule_name = f"{pack.name}:{rule.id}"
        for i, raw in enumerate(rule.examples):
            ex = Example(text=raw) if isinstance(raw, str) else raw
            loc = pack.location("rule", rule.id, "examples", i)
            cases.append(Case(
                id=f"{pack.name}/{rule.id}/example-{i + 1}", file=loc.file, line=loc.line, text=ex.text,
                expected=_expected(ex, rule.kind), packs=(pack,), reference_date=ex.reference_date or ref,
                mode="subset", xfail=ex.xfail, extra={"rule": rule_name, "pack": pack.name}, col=loc.col))
        for i, text in enumerate(rule.must_not_match):
            loc = pack.location("rule", rule.id, "must_not_match", i)
            cases.append(Case(
                id=f"{pack.name}/{rule.id}/must-not-match-{i + 1}", file=loc.file, line=loc.line, text=text,
                expected=[], packs=(pack,), reference_date=ref, mode="exact", only_rule=rule_name,
                extra={"rule": rule_name, "pack": pack.name}, col=loc.col))
    return cases


def _expected(ex: Example, kind: str) -> list[dict[str, Any]]:
    if ex.facts is None:
        return [{"kind": kind, "text": ex.text}]
    out = [{"kind": kind, **f} for f in ex.facts]
    if len(out) == 1 and "text" not in out[0] and "start" not in out[0]:
        out[0]["text"] = ex.text
    return out


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class FixtureCase(_Strict):
    id: str | None = None
    text: str | None = Field(None, description="The text; or give `file`.")
    file: str | None = Field(None, description="A UTF-8 text file beside the fixture.")
    facts: list[dict[str, Any]] = Field(default_factory=list)
    reference_date: dt.date | None = None
    mode: Literal["exact", "subset"] | None = None
    prefer: Literal["past", "future", "nearest"] | None = None
    xfail: str | None = Field(None, description="Known failure and its reason; the case must still fail.")


class FixtureFile(_Strict):
    """A fixture file: texts and the facts expected from them."""

    packs: list[str] | None = Field(None, description="Pack names or paths (relative to this file).")
    reference_date: dt.date | None = None
    mode: Literal["exact", "subset"] = "exact"
    prefer: Literal["past", "future", "nearest"] = "past"
    cases: list[FixtureCase]


def fixture_cases(path: str | Path, *, default_packs: list[str] | None = None,
                  default_reference_date: dt.date | None = None, default_mode: Mode | None = None) -> list[Case]:
    """The cases of one fixture file; raises PackError (with file:line:col) if it is malformed."""
    path = Path(path)
    doc = load_yaml(read_text_file(path), str(path))
    try:
        spec = FixtureFile.model_validate(doc.data)
    except ValidationError as exc:
        problems = []
        for err in exc.errors():
            loc = tuple(err["loc"])
            if err["type"] == "extra_forbidden":
                problems.append(doc.problem(loc, "fixture", f"unknown key {loc[-1]!r}", "E011", prefer_key=True))
            elif err["type"] == "missing":
                problems.append(doc.problem(loc[:-1], "fixture", f"missing required key {loc[-1]!r}", "E012"))
            else:
                problems.append(doc.problem(loc, "fixture", err["msg"], "E013"))
        raise PackError(problems) from None
    packs: tuple[PackRef, ...] = tuple(
        (str(path.parent / p) if ("/" in p or p.endswith((".yaml", ".yml"))) else p)
        for p in (spec.packs or default_packs or ["core", "dates", "military"]))
    file_mode: Mode = spec.mode if "mode" in spec.model_fields_set else (default_mode or "exact")
    cases = []
    for i, c in enumerate(spec.cases):
        line, col = doc.position(("cases", i))
        if (c.text is None) == (c.file is None):
            raise PackError([doc.problem(("cases", i), f"case {i + 1}", "give exactly one of 'text' or 'file'",
                                         "E041")])
        if c.file is not None:
            target = file_inside(path.parent, c.file)
            if target is None:
                raise PackError([doc.problem(("cases", i, "file"), f"case {i + 1}",
                                             f"{c.file!r} is outside the fixture's directory or does not exist",
                                             "E020")])
            text = read_text_file(target)
        else:
            text = c.text or ""
        cases.append(Case(
            id=c.id or f"{path.name.split('.')[0]}-{i + 1}", file=str(path), line=line, text=text,
            expected=c.facts,
            packs=packs, reference_date=c.reference_date or spec.reference_date or default_reference_date
            or DEFAULT_REFERENCE_DATE, mode=c.mode or file_mode, xfail=c.xfail,
            prefer=c.prefer or spec.prefer, col=col))
    return cases


