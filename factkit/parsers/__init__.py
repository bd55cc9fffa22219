"""Value parsers: named functions that turn a captured text into a typed value.

Rules name parsers in their ``fields``; only registered parsers can be named, so a pack never carries
code. A parser takes the captured text and a :class:`ParseContext`, and returns the value, or raises
:class:`~factkit.errors.ParseError` to drop the candidate (``explain`` shows why). A parser may return
:class:`Fields` to fill several fields at once (the date parser fills value, granularity, low and high).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Callable, Literal, Mapping

Prefer = Literal["past", "future", "nearest"]


class Fields(dict):  # type: ignore[type-arg]
    """A parser result that fills several fact fields, merged into the fact instead of one field."""


@dataclass
class ParseContext:
    """What a parser may look at besides its text.

    ``captures`` are the named groups of the current match, ``gazetteers`` the lookup tables of the pack
    set, ``reference_date`` and ``prefer`` steer date resolution.
    """

    reference_date: dt.date
    prefer: Prefer = "past"
    gazetteers: Mapping[str, Any] = field(default_factory=dict)
    captures: Mapping[str, str | None] = field(default_factory=dict)


ParserFunc = Callable[[str, ParseContext], Any]


@dataclass(frozen=True)
class ValueParser:
    """A registered parser. ``context_free`` parsers depend on their text alone and are memoised."""

    name: str
    func: ParserFunc
    context_free: bool = True
    description: str = ""

    def __call__(self, text: str, ctx: ParseContext) -> Any:
        return self.func(text, ctx)


def builtin_parsers() -> dict[str, ValueParser]:
    from . import dates, numbers

    parsers = [
        ValueParser("number", numbers.parse_number_text, description="cardinal number, digits or words"),
        ValueParser("ordinal", numbers.parse_ordinal_text, description="'third', '21st'"),
        ValueParser("number_range", numbers.parse_number_range, context_free=False,
                    description="low and high of a numeric range from the captures low/high or n1/n2"),
        ValueParser("amount", numbers.parse_amount, context_free=False,
                    description="a value from the captures value/scale/minor/cents/n2+unit2 ('3 dollars 50')"),
        ValueParser("date", dates.parse_date, context_free=False,
                    description="date from the captures year/month/day/weekday/rel/unit/n/ago/named/..."),
        ValueParser("duration_unit", dates.parse_duration_unit, description="'hrs' -> hour"),
        ValueParser("duration", dates.parse_duration, context_free=False,
                    description="duration value and unit from the captures n/unit/frac/n2/unit2"),
        ValueParser("recurrence", dates.parse_recurrence, context_free=False,
                    description="interval, unit and anchor of a recurring time from freq/n/unit/weekday/..."),
        ValueParser("text", _as_is, description="the captured text as it is"),
        ValueParser("lower", _lower, description="the captured text, lower-cased"),
    ]
    return {p.name: p for p in parsers}


def _as_is(text: str, ctx: ParseContext) -> str:
    return text


def _lower(text: str, ctx: ParseContext) -> str:
    return text.lower()
