"""The typed facts factkit returns: one frozen pydantic model per kind, joined on ``kind``.

Every fact carries ``text``, ``start``, ``end`` and ``rule``. Spans are 0-based, end-exclusive code-point
offsets into the document, so ``document[fact.start:fact.end] == fact.text`` always holds.
``fact.model_dump(mode="json")`` is the JSON shape the command line prints.

Plugins add kinds by subclassing :class:`Fact` with a ``kind: Literal["..."]`` field and registering the
class (see :mod:`factkit.registry`); :func:`fact_adapter` joins every known kind in one union.
"""

from __future__ import annotations

from typing import Any, Literal, Union

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, field_validator

Qualifier = Literal["at_most", "at_least", "more_than", "less_than", "approx", "exactly"]
Granularity = Literal["decade", "year", "quarter", "month", "week", "day", "part_of_day", "hour", "minute",
                      "second"]
Scalar = Union[int, float]


class Fact(BaseModel):
    """What every fact has: its kind, exact surface text, span and the ``pack:rule-id`` that made it."""

    # defer_build: a kind's validator is built when its first fact is made, not at import (a short text
    # yields two or three kinds of the eleven; building them all took a good share of `import factkit`).
    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)

    kind: str
    text: str
    start: int = Field(ge=0, description="0-based offset of the first character")
    end: int = Field(ge=0, description="0-based offset one past the last character")
    rule: str = Field(description="pack:rule-id of the rule that made the fact")

    @classmethod
    def value_fields(cls) -> tuple[str, ...]:
        """The fields a rule may fill, in declaration order (everything but the span bookkeeping)."""
        return tuple(name for name in cls.model_fields if name not in _BASE_FIELDS)


_BASE_FIELDS = frozenset(Fact.model_fields)


class Number(Fact):
    """A cardinal number: "3,420", "1.5 million", "twenty-five", "a dozen"."""

    kind: Literal["number"] = "number"
    value: Scalar


class Ordinal(Fact):
    """A position: "third", "21st"."""

    kind: Literal["ordinal"] = "ordinal"
    value: int


class RelativeOrdinal(Fact):
    """A position counted from the end of a sequence or from the current item, not from its start.

    ``value`` is the offset and ``attributes["relative_to"]`` the anchor: "last" is ``0`` from ``"end"``,
    "penultimate" ``-1`` from ``"end"``, "next" ``1`` and "previous" ``-1`` from ``"current"``, "the current
    one" ``0`` from ``"current"``. "Third" (from the start) is an :class:`Ordinal`.
    """

    kind: Literal["relative_ordinal"] = "relative_ordinal"
    value: int
    attributes: dict[str, Any] = Field(description='{"relative_to": "end" | "current"}')

    @field_validator("attributes")
    @classmethod
    def _has_anchor(cls, attributes: dict[str, Any]) -> dict[str, Any]:
        if attributes.get("relative_to") not in RELATIVE_ANCHORS:
            raise ValueError(f"attributes.relative_to must be one of {', '.join(RELATIVE_ANCHORS)}")
        return attributes


RELATIVE_ANCHORS = ("end", "current")


class Quantity(Fact):
    """A measured or counted amount: "90 miles", "up to 100 Russian personnel"."""

    kind: Literal["quantity"] = "quantity"
    value: Scalar
    unit: str | None = None
    qualifier: Qualifier | None = None


class Range(Fact):
    """Two bounds with one unit: "310 to 3,420-mile", "between 5 and 10 km". Either bound may be open."""

    kind: Literal["range"] = "range"
    low: Scalar | None = None
    high: Scalar | None = None
    unit: str | None = None


class Money(Fact):
    """An amount of money; ``unit`` is the ISO 4217 currency code."""

    kind: Literal["money"] = "money"
    value: Scalar
    unit: str | None = None
    qualifier: Qualifier | None = None


class Percent(Fact):
    """A percentage, in percentage points: "5%" has value 5."""

    kind: Literal["percent"] = "percent"
    value: Scalar
    qualifier: Qualifier | None = None


class Date(Fact):
    """A calendar reference resolved against the reference date.

    ``value`` is ISO 8601 at the fact's granularity ("2019-03-28", "2019-03", "2019-W12", "1962",
    "2019-Q3", "2019-03-28T15:30"); ``low`` and ``high`` are the first and last day (or instant) the
    reference covers, inclusive, for anything coarser than a day and for explicit periods.
    """

    kind: Literal["date"] = "date"
    value: str | None = None
    granularity: Granularity
    low: str | None = None
    high: str | None = None


class Duration(Fact):
    """A length of time: "three weeks", "48 hours"."""

    kind: Literal["duration"] = "duration"
    value: Scalar
    unit: str


class Entity(Fact):
    """A gazetteer entry: ``value`` is its canonical name."""

    kind: Literal["entity"] = "entity"
    value: str
    category: str | None = None
    attributes: dict[str, Any] = Field(default_factory=dict)


class DateSet(Fact):
    """A recurring time: "every Monday", "daily", "3pm each day", "every other week", "Tuesdays at 9am".

    ``value`` and ``unit`` are the interval between occurrences ("every 2 days": 2 ``day``; "every
    Monday": 1 ``week``; "quarterly": 1 ``quarter``). ``attributes`` pin an occurrence inside the interval:
    ``weekday`` ("monday"), ``day`` (of the month, 19), ``time`` ("16:00"), ``part_of_day`` ("morning"),
    ``days`` ("weekend" or "weekdays": "every weekend" is 1 week on the weekend days).
    """

    kind: Literal["set"] = "set"
    value: Scalar
    unit: str
    attributes: dict[str, Any] = Field(default_factory=dict)


BUILTIN_KINDS: dict[str, type[Fact]] = {
    cls.model_fields["kind"].default: cls
    for cls in (Number, Ordinal, RelativeOrdinal, Quantity, Range, Money, Percent, Date, Duration, Entity)
}
BUILTIN_KINDS[DateSet.model_fields["kind"].default] = DateSet


def fact_adapter(kinds: dict[str, type[Fact]] | None = None) -> TypeAdapter[Any]:
    """A TypeAdapter that validates any fact (as a dict or JSON) into its kind's model."""
    from .registry import fact_kinds

    classes = tuple((kinds or fact_kinds()).values())
    if len(classes) == 1:
        return TypeAdapter(classes[0])
    union = Union[classes]  # type: ignore[valid-type]
    from typing import Annotated

    return TypeAdapter(Annotated[union, Field(discriminator="kind")])
