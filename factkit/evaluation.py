"""Scoring packs against labelled cases: precision, recall and F1 per file and per kind.

A case file holds one JSON object per line (the conformance format, see docs/evaluation.md)::

    {"id": "...", "text": "...", "reference_date": null, "scope": ["number"],
     "facts": [{"kind": "number", "text": "3", "start": 4, "end": 5, "value": 3,
                "low": null, "high": null, "unit": null, "meta": {}}]}

Each case's text is extracted with the given packs and the facts compared with the labels at two levels:

- **span**: a prediction of a compatible kind overlaps the label (one-to-one; the best pair wins);
- **value**: the pair also agrees on value, bounds and unit (units compared by their canonical form).

Labels and predictions speak different vocabularies; the tables below translate factkit facts into label
kinds (a quantity whose unit is a temperature is a ``temperature``) and label units into factkit's
canonical units ("Dollar" -> "USD"). They are data, documented in docs/evaluation.md, so that a new
mapping is a new row, never a branch for one case. Predictions whose kind is outside a case's ``scope``
do not count. Cases marked ``skip`` and cases whose labels contradict their text are counted, not scored.

Line and column numbers in errors are 1-based; spans are 0-based, end-exclusive code-point offsets.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Sequence

from .errors import InputError
from .extractor import Extractor
from .facts import Fact
from .pack_loader import PackRef, read_text_file

# --- Translation tables -------------------------------------------------------------------------------

# factkit kinds whose label kind does not depend on the unit.
DIRECT_KINDS: dict[str, str] = {
    "number": "number", "ordinal": "ordinal", "percent": "percent", "range": "range", "money": "money",
    "duration": "duration", "date": "date", "relative_ordinal": "ordinal", "set": "set",
}
# A quantity's label kind follows the category of its unit in the packs' gazetteers. Counted nouns
# ("100 troops") are not measurements: they become "count", a kind no conformance file labels.
UNIT_CATEGORY_KINDS: dict[str, str] = {"temperature": "temperature", "age": "age", "count": "count"}
QUANTITY_DEFAULT_KIND = "quantity"
# Relative ordinals ("last", "penultimate", "next") count from the end of a sequence or from the current
# item: factkit gives the offset as ``value`` and the anchor as ``attributes["relative_to"]``, labels give
# both in ``meta`` (``relativeTo``, ``offset``), where a ``relativeTo`` of "start" marks a plain ordinal.
# A relative fact agrees only with a relative label, and a plain ordinal only with a plain one.
RELATIVE_FACT_KINDS = frozenset({"relative_ordinal"})
RELATIVE_LABEL_ANCHORS = frozenset({"end", "current"})
# A unit named without an amount ("convert 10 celsius to [fahrenheit]") is an entity of the units
# gazetteer: its value is the unit's canonical name, its category the unit's. Such an entity is reported
# under the label kind of its category and agrees with a label that gives that unit and no value.
UNIT_MENTION_KINDS: dict[str, str] = {
    "temperature": "temperature", "length": "quantity", "area": "quantity", "mass": "quantity",
    "volume": "quantity", "speed": "quantity", "energy": "quantity", "power": "quantity", "data": "quantity",
    "angle": "quantity",
}
# Label kinds a prediction may pair with, by the label kind it was translated to. factkit has one
# calendar kind, ``date``, whose granularity runs from decades to seconds: it may pair with any of the
# three temporal label kinds, and the value decides whether it is right.
COMPATIBLE: dict[str, frozenset[str]] = {
    "date": frozenset({"date", "time", "datetime"}),
}
# Granularities finer than a day: an unpaired date fact of these is reported under "time".
CLOCK_GRANULARITIES = frozenset({"part_of_day", "hour", "minute", "second"})

# Label units -> factkit canonical units, per label kind (the same word names different units:
# "Pound" is a mass in a dimension file and sterling in a currency file). Keys are case-folded; a unit
# not listed is compared case-folded as it is ("Kilometer" == "kilometer").
UNIT_ALIASES: dict[str, dict[str, str]] = {
    "money": {
        "dollar": "USD", "united states dollar": "USD", "euro": "EUR", "pound": "GBP", "british pound": "GBP",
        "chinese yuan": "CNY", "japanese yen": "JPY", "canadian dollar": "CAD", "australian dollar": "AUD",
        "new zealand dollar": "NZD", "hong kong dollar": "HKD", "swiss franc": "CHF", "franc": "CHF",
        "turkish lira": "TRY", "rupee": "INR", "sri lankan rupee": "LKR", "mexican peso": "MXN",
        "finnish markka": "FIM", "peseta": "ESP", "netherlands guilder": "NLG", "costa rican colón": "CRC",
        "georgian lari": "GEL", "lao kip": "LAK", "bitcoin": "BTC",
    },
    "temperature": {"c": "degree celsius", "f": "degree fahrenheit", "k": "kelvin", "degree": "degree"},
    "age": {"year": "year old", "month": "month old", "week": "week old", "day": "day old", "age": "year old"},
    "quantity": {"metric ton": "tonne", "degree": "degree of arc"},
}
# Label units that stand for more than one of factkit's: the dimension labels say "Ton" for "tons" and
# "tonnes" alike (and "Metric ton" for "metric tons"), so a label "Ton" agrees with either.
UNIT_READINGS: dict[str, dict[str, frozenset[str]]] = {
    "quantity": {"ton": frozenset({"ton", "tonne"})},
}
# Label units that are a fraction of another: "50 Cent" is 0.50 USD, as factkit reports it.
MINOR_UNITS: dict[str, dict[str, tuple[str, float]]] = {
    "money": {"cent": ("USD", 0.01), "penny": ("GBP", 0.01), "pence": ("GBP", 0.01), "satoshi": ("BTC", 1e-8)},
}
# Seconds in each duration unit, as the labels count them (a year of 365 days, a month of 30, a weekend
# of 2 days).
DURATION_SECONDS: dict[str, float] = {
    "second": 1, "minute": 60, "hour": 3600, "day": 86400, "weekend": 172800, "week": 604800, "fortnight": 1209600,
    "month": 2592000, "quarter": 7776000, "year": 31536000, "decade": 315360000, "century": 3153600000,
}

# A recurrence is compared as its interval, counted in days or in months (the two do not mix: a month is
# not 30 days here), plus what pins an occurrence. factkit says "every Monday" as 1 week with the
# attribute weekday "monday"; labels in TIMEX form say XXXX-WXX-1. Interval units, by their TIMEX letter
# and by factkit's unit name:
SET_INTERVALS: dict[str, tuple[str, float]] = {
    "H": ("hour", 1), "D": ("day", 1), "W": ("day", 7), "M": ("month", 1), "Q": ("month", 3), "Y": ("month", 12),
    "hour": ("hour", 1), "minute": ("hour", 1 / 60), "day": ("day", 1), "week": ("day", 7),
    "fortnight": ("day", 14), "month": ("month", 1), "quarter": ("month", 3), "year": ("month", 12),
}
# TIMEX interval suffixes that also pin days: "P1WE" is every weekend (weekly, on the weekend days).
SET_DAY_SUFFIXES: dict[str, tuple[str, dict[str, str]]] = {
    "WE": ("W", {"days": "weekend"}), "WD": ("D", {"days": "weekdays"}),
}
# TIMEX parts of the day ("TMO") and ISO weekday numbers ("XXXX-WXX-1").
SET_PARTS = {"MO": "morning", "AF": "afternoon", "EV": "evening", "NI": "night", "DT": "daytime"}
SET_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")

CASE_KEYS = ("id", "text", "scope", "facts")
LABEL_KEYS = ("kind", "start", "end")


# --- Cases ----------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Label:
    kind: str
    text: str
    start: int
    end: int
    value: Any = None
    low: Any = None
    high: Any = None
    unit: str | None = None
    meta: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Case:
    id: str
    text: str
    scope: frozenset[str]
    labels: tuple[Label, ...]
    reference_date: dt.date | None = None
    skip: bool = False
    file: str = "<cases>"
    line: int = 0

    def problem(self) -> str | None:
        """Why the labels contradict the text, if they do (such a case is counted as erroneous)."""
        for lab in self.labels:
            if not 0 <= lab.start <= lab.end <= len(self.text):
                return f"label {lab.text!r} has span {lab.start}-{lab.end} outside the text"
            if lab.text and self.text[lab.start:lab.end] != lab.text:
                return f"label {lab.text!r} does not match text[{lab.start}:{lab.end}] = " \
                       f"{self.text[lab.start:lab.end]!r}"
        return None


def load_cases(path: str | Path) -> list[Case]:
    """Read a case file; a malformed line raises InputError naming the file, line and missing key."""
    source = str(path)
    text = read_text_file(path)
    cases = []
    for lineno, line in enumerate(text.splitlines(), 1):
        if line.strip():
            cases.append(_parse_case(line, source, lineno))
    return cases


def _fail(source: str, line: int, col: int, where: str, what: str, code: str) -> InputError:
    return InputError(f"{source}:{line}:{col}: {where}: {what} [{code}]")


def _parse_case(line: str, source: str, lineno: int) -> Case:
    try:
        obj = json.loads(line)
    except json.JSONDecodeError as exc:
        raise _fail(source, lineno, exc.colno, "case", f"not valid JSON: {exc.msg}", "C001") from None
    if not isinstance(obj, dict):
        raise _fail(source, lineno, 1, "case", f"expected a JSON object, found {type(obj).__name__}", "C002")
    where = f"case {obj.get('id', '?')}"
    for key in CASE_KEYS:
        if key not in obj:
            raise _fail(source, lineno, 1, where, f"missing key {key!r} (a case needs {', '.join(CASE_KEYS)})",
                        "C003")
    if not isinstance(obj["text"], str):
        raise _fail(source, lineno, 1, where, "'text' must be a string", "C004")
    if not isinstance(obj["scope"], list) or not all(isinstance(k, str) for k in obj["scope"]):
        raise _fail(source, lineno, 1, where, "'scope' must be a list of kind names", "C004")
    if not isinstance(obj["facts"], list):
        raise _fail(source, lineno, 1, where, "'facts' must be a list", "C004")
    labels = []
    for i, fact in enumerate(obj["facts"]):
        if not isinstance(fact, dict):
            raise _fail(source, lineno, 1, f"{where}: facts[{i}]", "expected an object", "C004")
        for key in LABEL_KEYS:
            if key not in fact:
                raise _fail(source, lineno, 1, f"{where}: facts[{i}]",
                            f"missing key {key!r} (a fact needs {', '.join(LABEL_KEYS)})", "C003")
        if not all(isinstance(fact[k], int) and not isinstance(fact[k], bool) for k in ("start", "end")):
            raise _fail(source, lineno, 1, f"{where}: facts[{i}]", "'start' and 'end' must be integers", "C004")
        labels.append(Label(kind=str(fact["kind"]), text=str(fact.get("text") or ""), start=fact["start"],
                            end=fact["end"], value=fact.get("value"), low=fact.get("low"), high=fact.get("high"),
                            unit=fact.get("unit"), meta=fact.get("meta") or {}))
    ref = obj.get("reference_date")
    try:
        reference = dt.datetime.fromisoformat(ref).date() if ref else None
    except (TypeError, ValueError):
        raise _fail(source, lineno, 1, where, f"'reference_date' {ref!r} is not an ISO date", "C004") from None
    return Case(id=str(obj["id"]), text=obj["text"], scope=frozenset(obj["scope"]), labels=tuple(labels),
                reference_date=reference, skip=bool(obj.get("skip")), file=source, line=lineno)


# --- Predictions in label terms -------------------------------------------------------------------------

@dataclass(frozen=True)
class Prediction:
    """A fact translated to label terms: ``kind`` is the label kind it is reported under."""

    kind: str
    pairs_with: frozenset[str]
    fact: Fact


def unit_categories(extractor: Extractor) -> dict[str, str]:
    """Canonical unit name -> gazetteer category, over every gazetteer the extractor's packs load."""
    out: dict[str, str] = {}
    for gazetteer in extractor.gazetteers.values():
        for entry in gazetteer.keys.values():
            if entry.category:
                out.setdefault(entry.name, entry.category)
    return out


def translate(fact: Fact, categories: dict[str, str]) -> Prediction:
    """The label kind a fact stands for, by the tables at the top of this module."""
    if fact.kind == "quantity":
        category = categories.get(getattr(fact, "unit", None) or "", "")
        kind = UNIT_CATEGORY_KINDS.get(category, QUANTITY_DEFAULT_KIND)
    elif _is_unit_mention(fact):
        kind = UNIT_MENTION_KINDS[getattr(fact, "category", None) or ""]
    else:
        kind = DIRECT_KINDS.get(fact.kind, fact.kind)
    pairs = COMPATIBLE.get(kind, frozenset({kind}))
    if fact.kind == "date":
        kind = "time" if getattr(fact, "granularity", None) in CLOCK_GRANULARITIES else "date"
    return Prediction(kind=kind, pairs_with=pairs, fact=fact)


# --- Value agreement ------------------------------------------------------------------------------------

def same_number(a: Any, b: Any) -> bool:
    if a is None or b is None:
        return a is None and b is None
    try:
        return math.isclose(float(a), float(b), rel_tol=1e-9, abs_tol=1e-12)
    except (TypeError, ValueError):
        return False


def _is_unit_mention(fact: Fact) -> bool:
    return fact.kind == "entity" and (getattr(fact, "category", None) or "") in UNIT_MENTION_KINDS


def _relative_position(label: Label) -> tuple[str, int] | None:
    """A relative label's (anchor, offset), from its meta; None for a plain label."""
    anchor = label.meta.get("relativeTo")
    if anchor not in RELATIVE_LABEL_ANCHORS:
        return None
    try:
        return anchor, int(label.meta.get("offset", 0))
    except (TypeError, ValueError):
        return None


def units_agree(label_kind: str, label_unit: str, unit: str | None) -> bool:
    """Whether a prediction's unit is the label's, by the tables at the top of this module."""
    got = canonical_unit(label_kind, unit)
    readings = UNIT_READINGS.get(label_kind, {}).get(label_unit.strip().casefold())
    return got in readings if readings is not None else canonical_unit(label_kind, label_unit) == got


def canonical_unit(label_kind: str, unit: str | None) -> str | None:
    if unit is None:
        return None
    key = unit.strip().casefold()
    return UNIT_ALIASES.get(label_kind, {}).get(key, key).casefold()


def agrees(label: Label, fact: Fact) -> bool:
    """Whether a paired prediction has the label's value, bounds and unit."""
    if label.kind in ("date", "time", "datetime"):
        return _temporal_agrees(label, fact)
    if label.kind == "set":
        return _set_agrees(label, fact)
    d = fact.model_dump()
    if label.kind == "duration":
        per = DURATION_SECONDS.get(str(d.get("unit")))
        return per is not None and d.get("value") is not None and same_number(label.value, d["value"] * per)
    relative = _relative_position(label)
    if relative is not None or fact.kind in RELATIVE_FACT_KINDS:
        return relative is not None and fact.kind in RELATIVE_FACT_KINDS and \
            relative == ((d.get("attributes") or {}).get("relative_to"), d.get("value"))
    if _is_unit_mention(fact):
        d = {"value": None, "unit": d["value"]}  # a unit without an amount
    if label.value is None and label.low is None and label.high is None:
        # A unit alone ("convert it to [fahrenheit]") agrees with the same unit alone; a label with no
        # value and no unit gives nothing to compare with.
        return label.unit is not None and d.get("value") is None and units_agree(label.kind, label.unit, d.get("unit"))
    unit, value = label.unit, label.value
    minor = MINOR_UNITS.get(label.kind, {}).get((unit or "").strip().casefold())
    if minor is not None and value is not None:
        unit, value = minor[0], value * minor[1]
    if value is not None or "low" not in d:
        ok = same_number(value, d.get("value"))
    else:
        ok = same_number(label.low, d.get("low")) and same_number(label.high, d.get("high"))
    if ok and unit is not None:
        ok = units_agree(label.kind, unit, d.get("unit"))
    return ok


def _clock(value: str) -> str:
    """'19:56' -> '19:56:00'; a time of day padded to seconds."""
    parts = value.split(":")
    parts += ["00"] * (3 - len(parts))
    return ":".join(p.zfill(2) for p in parts[:3])


def _norm_instant(value: str) -> str:
    """An ISO date, date-time or time of day in one comparable form (times padded to seconds)."""
    value = value.strip()
    if "T" in value:
        day, clock = value.split("T", 1)
        return f"{day}T{_clock(clock)}" if day else _clock(clock)
    if ":" in value:
        return _clock(value)
    return value


def _same_instant(label_value: str, predicted: str | None, *, time_only: bool) -> bool:
    if predicted is None:
        return False
    want, got = _norm_instant(label_value), _norm_instant(predicted)
    if time_only or ("T" not in want and ":" in want):
        return "T" in got and got.split("T", 1)[1] == want or got == want
    return got == want


def _next_after(value: str) -> str | None:
    """The instant just after an inclusive upper bound, for labels whose upper bound is exclusive."""
    try:
        if "T" in value or ":" in value:
            return None
        return (dt.date.fromisoformat(value) + dt.timedelta(days=1)).isoformat()
    except ValueError:
        return None


def _two_ended(label: Label) -> bool:
    """Whether the label is a period between two named ends, "(start,end,duration)" in TIMEX."""
    timex = label.meta.get("timex")
    return isinstance(timex, str) and timex.startswith("(") and timex.count(",") == 2


def _unit_start(value: str, granularity: str | None) -> str | None:
    """The first day of the ``granularity`` unit that holds the ISO day ``value`` ("2018-12-31", year ->
    "2018-01-01"): where "from 2014 to 2018" ends when its second end is read as a point, not a period."""
    try:
        day = dt.date.fromisoformat(value)
    except ValueError:
        return None
    starts = {
        "decade": lambda: day.replace(year=day.year // 10 * 10, month=1, day=1),
        "year": lambda: day.replace(month=1, day=1),
        "quarter": lambda: day.replace(month=(day.month - 1) // 3 * 3 + 1, day=1),
        "month": lambda: day.replace(day=1),
        "week": lambda: day - dt.timedelta(days=day.weekday()),
    }
    return starts[granularity]().isoformat() if granularity in starts else None


def _temporal_agrees(label: Label, fact: Fact) -> bool:
    if fact.kind != "date":
        return False
    d = fact.model_dump()
    readings = [{"value": label.value, "low": label.low, "high": label.high}]
    if label.value is None and label.low is None and label.high is None:
        readings = [c for c in label.meta.get("candidates") or [] if isinstance(c, dict)]
    time_only = label.kind == "time"
    for r in readings:
        if r.get("value") is not None and _same_instant(str(r["value"]), d.get("value"), time_only=time_only):
            return True
        if r.get("low") is not None or r.get("high") is not None:
            low, high = d.get("low") or d.get("value"), d.get("high") or d.get("value")
            low_ok = r.get("low") is None or _same_instant(str(r["low"]), low, time_only=time_only)
            high_ok = r.get("high") is None or _same_instant(str(r["high"]), high, time_only=time_only) or (
                high is not None and _next_after(high) == r["high"]) or (
                high is not None and _two_ended(label) and _unit_start(high, d.get("granularity")) == r["high"])
            if low_ok and high_ok:
                return True
    return False


def _timex_set(timex: str) -> tuple[tuple[str, float], dict[str, Any]] | None:
    """A TIMEX recurrence as (interval, anchors): "P2D" -> ((day, 2), {}); "XXXX-WXX-2T09" -> ((day, 7),
    {weekday: tuesday, time: 09:00}); "T15" -> ((day, 1), {time: 15:00}); None for a form not read here."""
    anchors: dict[str, Any] = {}
    m = re.fullmatch(r"P(\d+(?:\.\d+)?)(WE|WD|[HDWMQY])", timex)
    if m:
        letter, days = SET_DAY_SUFFIXES.get(m[2], (m[2], {}))
        base, per = SET_INTERVALS[letter]
        return (base, float(m[1]) * per), dict(days)
    date, _, clock = timex.partition("T")
    if clock in SET_PARTS:
        anchors["part_of_day"] = SET_PARTS[clock]
    elif clock:
        anchors["time"] = _clock(clock)
    if date in ("", "XXXX-XX-XX"):
        interval = ("day", 1.0)
    elif (m := re.fullmatch(r"XXXX-WXX-([1-7])", date)) is not None:
        interval, anchors["weekday"] = ("day", 7.0), SET_WEEKDAYS[int(m[1]) - 1]
    elif date == "XXXX-WXX-WE":
        interval, anchors["days"] = ("day", 7.0), "weekend"
    elif (m := re.fullmatch(r"XXXX-XX-(\d\d)", date)) is not None:
        interval, anchors["day"] = ("month", 1.0), int(m[1])
    else:
        return None
    return interval, anchors


def _set_agrees(label: Label, fact: Fact) -> bool:
    """Same interval, and every anchor the label gives (weekday, day, time, part of day, days) agrees."""
    expected = _timex_set(str(label.value or label.meta.get("timex") or ""))
    d = fact.model_dump()
    if expected is None or fact.kind != "set" or d.get("unit") not in SET_INTERVALS:
        return False
    (base, length), anchors = expected
    fact_base, per = SET_INTERVALS[d["unit"]]
    if fact_base != base or not same_number(length, d["value"] * per):
        return False
    got = dict(d.get("attributes") or {})
    if "time" in got:
        got["time"] = _clock(str(got["time"]))
    return all(got.get(k) == v for k, v in anchors.items())


# --- Scores -----------------------------------------------------------------------------------------

@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def add(self, other: "Score") -> None:
        self.tp += other.tp
        self.fp += other.fp
        self.fn += other.fn

    def as_dict(self) -> dict[str, Any]:
        return {"tp": self.tp, "fp": self.fp, "fn": self.fn, "precision": round(self.precision, 4),
                "recall": round(self.recall, 4), "f1": round(self.f1, 4)}


@dataclass
class KindScore:
    span: Score = field(default_factory=Score)
    value: Score = field(default_factory=Score)

    def add(self, other: "KindScore") -> None:
        self.span.add(other.span)
        self.value.add(other.value)

    def as_dict(self) -> dict[str, Any]:
        return {"span": self.span.as_dict(), "value": self.value.as_dict()}


@dataclass(frozen=True)
class Mistake:
    """A label missed or a prediction unwanted at value level; ``severity`` 2 is a span error, 1 a value error."""

    file: str
    line: int
    case_id: str
    kind: str
    what: str  # "missed", "spurious" or "wrong value"
    severity: int
    expected: Label | None
    predicted: Fact | None
    context: str

    def as_dict(self) -> dict[str, Any]:
        exp = self.expected
        return {"file": self.file, "line": self.line, "case": self.case_id, "kind": self.kind, "what": self.what,
                "expected": None if exp is None else {k: getattr(exp, k) for k in
                                                      ("text", "start", "end", "value", "low", "high", "unit")},
                "predicted": None if self.predicted is None else self.predicted.model_dump(mode="json"),
                "context": self.context}


@dataclass
class FileReport:
    path: str
    cases: int = 0
    skipped: int = 0
    erroneous: list[str] = field(default_factory=list)
    kinds: dict[str, KindScore] = field(default_factory=dict)
    mistakes: list[Mistake] = field(default_factory=list)

    @property
    def total(self) -> KindScore:
        out = KindScore()
        for score in self.kinds.values():
            out.add(score)
        return out

    def as_dict(self, *, by_kind: bool = True) -> dict[str, Any]:
        out: dict[str, Any] = {"path": self.path, "cases": self.cases, "scored": self.cases - self.skipped -
                               len(self.erroneous), "skipped": self.skipped, "erroneous": len(self.erroneous),
                               "erroneous_cases": self.erroneous, **self.total.as_dict()}
        if by_kind:
            out["kinds"] = {k: v.as_dict() for k, v in sorted(self.kinds.items())}
        return out


@dataclass
class Report:
    files: list[FileReport]

    def worst(self, n: int) -> list[Mistake]:
        """The n worst mistakes: span errors before value errors, then in file order."""
        every = [m for f in self.files for m in f.mistakes]
        return sorted(every, key=lambda m: -m.severity)[:n]

    def as_dict(self, *, by_kind: bool = True, errors: int = 0) -> dict[str, Any]:
        out: dict[str, Any] = {"files": [f.as_dict(by_kind=by_kind) for f in self.files]}
        if errors:
            out["mistakes"] = [m.as_dict() for m in self.worst(errors)]
        return out

    def table(self, *, by_kind: bool = False, errors: int = 0) -> str:
        header = ("file / kind", "cases", "skip", "err", "span P", "R", "F1", "value P", "R", "F1")
        rows: list[tuple[str, ...]] = []
        for f in self.files:
            rows.append((Path(f.path).name, str(f.cases), str(f.skipped), str(len(f.erroneous)),
                         *_figures(f.total)))
            if by_kind:
                for kind, score in sorted(f.kinds.items()):
                    rows.append((f"  {kind}", "", "", "", *_figures(score)))
        widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
        lines = ["  ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(r, widths)))
                 for r in [header, *rows]]
        for f in self.files:
            lines += [f"{f.path}: erroneous case {e}" for e in f.erroneous]
        for m in self.worst(errors):
            lines.append(_mistake_line(m))
        return "\n".join(lines) + "\n"


def _figures(score: KindScore) -> tuple[str, ...]:
    s, v = score.span, score.value
    return tuple(f"{x:.3f}" for x in (s.precision, s.recall, s.f1, v.precision, v.recall, v.f1))


def _mistake_line(m: Mistake) -> str:
    exp = "" if m.expected is None else f" expected {_label_value(m.expected)}"
    got = "" if m.predicted is None else f" got {m.predicted.kind} {m.predicted.text!r} {_fact_value(m.predicted)}"
    return f"{m.file}:{m.line}: {m.case_id}: {m.what} {m.kind}:{exp}{got}\n    {m.context}"


def _label_value(lab: Label) -> str:
    core = f"{lab.low}..{lab.high}" if lab.value is None and (lab.low or lab.high) else str(lab.value)
    return f"{lab.text!r} {core}" + (f" {lab.unit}" if lab.unit else "")


def _fact_value(fact: Fact) -> str:
    d = fact.model_dump()
    core = f"{d.get('low')}..{d.get('high')}" if "low" in d and d.get("value") is None else str(d.get("value"))
    return core + (f" {d['unit']}" if d.get("unit") else "")


def _context(text: str, start: int, end: int, width: int = 40) -> str:
    left = text[max(0, start - width):start]
    right = text[end:end + width]
    return (("…" if start > width else "") + left + "[[" + text[start:end] + "]]" + right
            + ("…" if end + width < len(text) else "")).replace("\n", " ")


# --- Evaluation -----------------------------------------------------------------------------------------

def score_case(case: Case, facts: Sequence[Fact], categories: dict[str, str], report: FileReport) -> None:
    """Pair labels with predictions one to one and add the counts and mistakes to ``report``."""
    preds = [p for p in (translate(f, categories) for f in facts) if p.pairs_with & case.scope]
    labels = list(case.labels)
    pairs = []
    for i, lab in enumerate(labels):
        for j, p in enumerate(preds):
            overlap = min(lab.end, p.fact.end) - max(lab.start, p.fact.start)
            if lab.kind in p.pairs_with and (overlap > 0 or (lab.start == lab.end == p.fact.start)):
                pairs.append((agrees(lab, p.fact), overlap, -abs(lab.start - p.fact.start), i, j))
    pairs.sort(reverse=True)
    label_pair: dict[int, tuple[int, bool]] = {}
    used: set[int] = set()
    for ok, _, _, i, j in pairs:
        if i not in label_pair and j not in used:
            label_pair[i] = (j, ok)
            used.add(j)

    def kind_score(kind: str) -> KindScore:
        return report.kinds.setdefault(kind, KindScore())

    def mistake(kind: str, what: str, lab: Label | None, fact: Fact | None) -> None:
        start, end = (lab.start, lab.end) if lab is not None else (fact.start, fact.end)  # type: ignore[union-attr]
        report.mistakes.append(Mistake(case.file, case.line, case.id, kind, what, 2 if what != "wrong value" else 1,
                                       lab, fact, _context(case.text, start, end)))

    for i, lab in enumerate(labels):
        score = kind_score(lab.kind)
        if i in label_pair:
            j, ok = label_pair[i]
            score.span.tp += 1
            if ok:
                score.value.tp += 1
            else:
                score.value.fn += 1
                score.value.fp += 1
                mistake(lab.kind, "wrong value", lab, preds[j].fact)
        else:
            score.span.fn += 1
            score.value.fn += 1
            mistake(lab.kind, "missed", lab, None)
    for j, p in enumerate(preds):
        if j not in used:
            kind = p.kind if p.kind in case.scope else sorted(p.pairs_with & case.scope)[0]
            score = kind_score(kind)
            score.span.fp += 1
            score.value.fp += 1
            mistake(kind, "spurious", None, p.fact)


def evaluate_cases(cases: Iterable[Case], extractor: Extractor, *, path: str = "<cases>") -> FileReport:
    """Score already loaded cases with one extractor."""
    report = FileReport(path)
    categories = unit_categories(extractor)
    for case in cases:
        report.cases += 1
        for lab in case.labels:  # every labelled kind shows in the report, even with nothing found
            report.kinds.setdefault(lab.kind, KindScore())
        if case.skip:
            report.skipped += 1
            continue
        problem = case.problem()
        if problem is not None:
            report.erroneous.append(f"{case.file}:{case.line}: {case.id}: {problem}")
            continue
        facts = extractor.extract(case.text, reference_date=case.reference_date)
        score_case(case, facts, categories, report)
    return report


def evaluate(paths: str | Path | Sequence[str | Path], packs: Sequence[PackRef] | None = None, *,
             reference_date: dt.date | str | None = None, prefer: str = "past",
             extractor: Extractor | None = None) -> Report:
    """Score packs (default: all built-in) on case files; see the module docstring and docs/evaluation.md.

    A case's own ``reference_date`` wins over ``reference_date``. Raises InputError for a malformed file.
    """
    if isinstance(paths, (str, Path)):
        paths = [paths]
    loaded = [(str(p), load_cases(p)) for p in paths]  # refuse a malformed file before spending time
    extractor = extractor or Extractor(packs, reference_date=reference_date, prefer=prefer)  # type: ignore[arg-type]
    return Report([evaluate_cases(cases, extractor, path=name) for name, cases in loaded])
