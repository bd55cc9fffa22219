"""Calendar references resolved against a reference date.

The date rules capture the parts they found under fixed names, and :func:`parse_date` resolves them:

- a day: ``named`` (today, yesterday...), ``month`` + ``day`` + ``year``, ``weekday`` (with ``rel``
  "last"/"next"/"this" naming its week, so "next Friday" said on a Thursday is eight days on, or ``wrel``:
  "Tuesday of next week"), ``holiday`` (a gazetteer entry), ``day`` alone ("the 18th");
- a period: ``rel`` + ``unit`` ("last month"), ``month`` + ``year``, ``quarter``, ``week`` (ISO week
  number or ordinal week of a month or year), ``decade``, ``year``, ``edge`` ("early", "end of") of any of
  them, and ``n`` + ``unit`` after a ``rel`` or "within" ("the next three days");
- a shift: ``n`` + ``unit`` + ``ago`` ("two days ago", "in 3 weeks"), or + ``shift`` and a base date
  ("three weeks after January 15"); with ``onweekday``, that weekday in the week of the shifted day
  ("Monday two weeks from now");
- a time of day: ``hour``/``minute``/``second``/``ampm``, ``past`` ("twenty past eight"), ``part``
  ("morning", "noon"), on the date captured beside it or on the reference date;
- a bound: ``bound`` ("before", "after", "since", "until") makes an open period of any of the above;
- a period between two ends: the same names prefixed ``from_`` and ``to_`` ("from March 1 to 5");
  unprefixed captures apply to both ends ("between 3 and 12 of Sept").

Where the text leaves the year or week open, ``prefer`` picks the reading: news is written after the
events it reports, so the default is the past. ``low`` and ``high`` are inclusive.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Callable, Mapping

from dateutil.easter import easter
from dateutil.relativedelta import relativedelta

from ..errors import ParseError
from . import Fields, ParseContext
from .numbers import parse_number, parse_ordinal

MONTHS = {name: i for i, names in enumerate([
    (), ("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"), ("may",),
    ("june", "jun"), ("july", "jul"), ("august", "aug"), ("september", "sep", "sept"), ("october", "oct"),
    ("november", "nov"), ("december", "dec")]) for name in names}
WEEKDAYS = {name: i for i, names in enumerate([
    ("monday", "mon"), ("tuesday", "tue", "tues"), ("wednesday", "wed"), ("thursday", "thu", "thur", "thurs"),
    ("friday", "fri"), ("saturday", "sat"), ("sunday", "sun")]) for name in names}
UNIT_NAMES = {
    "second": "second", "sec": "second", "s": "second", "minute": "minute", "min": "minute", "m": "minute",
    "hour": "hour", "hr": "hour", "h": "hour", "day": "day", "d": "day", "night": "day", "week": "week",
    "wk": "week", "w": "week", "fortnight": "fortnight", "month": "month", "mo": "month", "quarter": "quarter",
    "year": "year", "yr": "year", "y": "year", "decade": "decade", "century": "century", "centurie": "century",
    "weekend": "weekend", "business day": "day", "working day": "day", "workweek": "week", "work week": "week",
    "working week": "week", "calendar year": "year",
}
NAMED_DAYS = {"today": 0, "this": 0, "last": -1, "date": 0, "current date": 0, "day": 0, "tonight": 0, "tonite": 0, "this morning": 0, "this afternoon": 0, "this evening": 0,
              "now": 0, "right now": 0, "yesterday": -1, "tomorrow": 1, "tmrw": 1, "tmr": 1,
              "the day before yesterday": -2, "the day after tomorrow": 2}
# Parts of the day as their first and last instants. Boundaries follow the common calendar-assistant
# convention (morning until noon, evening from 4 pm); a fact states them, so a reader can re-cut them.
PARTS_OF_DAY = {"morning": ("08:00", "12:00"), "afternoon": ("12:00", "16:00"), "evening": ("16:00", "20:00"),
                "night": ("20:00", "23:59:59"), "tonight": ("20:00", "23:59:59"), "tonite": ("20:00", "23:59:59"),
                "daytime": ("08:00", "18:00"), "night-time": ("00:00", "08:00"), "nighttime": ("00:00", "08:00"),
                "night time": ("00:00", "08:00"), "lunch": ("11:00", "13:00"), "lunchtime": ("11:00", "13:00"),
                "am": ("08:00", "12:00"), "pm": ("12:00", "16:00"),
                "noon": ("12:00", "12:00"), "midday": ("12:00", "12:00"), "midnight": ("00:00", "00:00"),
                "mid night": ("00:00", "00:00"), "noonish": ("12:00", "12:00")}
AFTERNOON_PARTS = {"afternoon", "evening", "night", "tonight", "tonite", "pm"}
PAST_WORDS = {"last", "past", "previous", "preceding", "prior", "ago", "before", "earlier", "recent"}
FUTURE_WORDS = {"next", "coming", "following", "upcoming", "in", "from now", "later", "after", "hence",
                "the following", "the next", "the coming", "this coming", "from", "since"}
THIS_WORDS = {"this", "current", "present", "the current", "that", "same", "the same", "the"}
MINUTE_WORDS = {"half": 30, "quarter": 15, "a quarter": 15}
# Thirds of a period, by the word that picks one.
EDGES = {"eod": 2, "early": 0, "beginning": 0, "start": 0, "first part": 0, "mid": 1, "middle": 1, "late": 2, "end": 2,
         "latter part": 2, "the end": 2, "the beginning": 0, "the middle": 1, "the start": 0}
OPEN_AFTER = {"after", "later than", "greater than", "more than", "past"}
OPEN_SINCE = {"since", "from", "starting", "beginning", "starting from", "starting on", "beginning on",
              "and greater", "or greater", "and above", "or above",
              "as early as", "or later", "and later", "and after", "or after", "onwards", "on or after",
              "no earlier than", "not before"}
OPEN_BEFORE = {"before", "earlier than", "prior to", "less than", "ahead of"}
OPEN_UNTIL = {"until", "till", "til", "by", "up to", "through", "no later than", "as late as", "not after",
              "to", "on or before", "or earlier", "and earlier", "or before", "and before"}


def parse_duration_unit(text: str, ctx: object = None) -> str:
    return unit_name(text)


def unit_name(text: str) -> str:
    word = " ".join(text.strip().lower().rstrip(".").split())
    for candidate in (word, word[:-1] if word.endswith("s") else word, word[:-2] if word.endswith("es") else word):
        if candidate in UNIT_NAMES:
            return UNIT_NAMES[candidate]
    raise ParseError(f"{text!r} is not a unit of time")


def parse_count(text: str, ctx: object = None) -> int | float:
    """A count of time units: digits, words, "a", "a few", "several", "a couple of", "½"."""
    word = " ".join(text.strip().lower().replace("-", " ").split())
    if word in VAGUE_COUNTS:
        return VAGUE_COUNTS[word]
    for suffix in (" and a half", " and half"):
        if word.endswith(suffix):
            return parse_count(word[: -len(suffix)]) + 0.5
    if word.endswith(" and a quarter"):
        return parse_count(word[: -len(" and a quarter")]) + 0.25
    return parse_number(word)


VAGUE_COUNTS = {"half": 0.5, "a": 1, "an": 1, "one": 1, "another": 1, "all": 1, "the": 1, "a few": 3, "few": 3, "several": 3,
                "some": 3, "a couple of": 2, "a couple": 2, "couple of": 2, "couple": 2, "a half": 0.5,
                "half a": 0.5, "half an": 0.5, "a quarter": 0.25}


def parse_date(text: str, ctx: ParseContext) -> Fields:
    """Resolve the date parts in ``ctx.captures`` to value, granularity, low and high."""
    c: dict[str, Any] = {k: " ".join(v.lower().split()) for k, v in ctx.captures.items()
                         if v is not None and v.strip()}
    for key in [k for k in c if k.endswith("holiday")]:  # the gazetteer entry says how to find the day
        entry = ctx.gazetteers["dates.holidays"].lookup(c[key]) if "dates.holidays" in ctx.gazetteers else None
        if entry is None:
            raise ParseError(f"{text!r}: {c[key]!r} is not a known holiday")
        c[key] = entry.attributes
    try:
        if any(k.startswith(("from_", "to_")) for k in c):
            return _between(c, ctx.reference_date, ctx.prefer, text)
        fields = _point(c, ctx.reference_date, ctx.prefer, text)
        if "bound" in c:
            fields = _open(c["bound"], fields, text, c.get("edge", ""))
        return fields
    except (ValueError, OverflowError) as exc:  # impossible dates such as February 30
        raise ParseError(f"{text!r}: {exc}") from None


def _point(c: Mapping[str, str], ref: dt.date, prefer: str, text: str) -> Fields:
    if "lasting" in c or "side" in c:
        return _stretch(c, ref, prefer, text)
    if "for_n" in c:
        return _for_length(c, ref, prefer, text)
    if "hweekend" in c:  # "labor day weekend": the weekend nearest the holiday, with the holiday in it
        holiday = dt.date.fromisoformat(_resolve({k: v for k, v in c.items() if k != "hweekend"}, ref, prefer,
                                                 text)["value"])
        after, before = (5 - holiday.weekday()) % 7, (holiday.weekday() + 1) % 7  # to Saturday, from Sunday
        saturday = holiday + dt.timedelta(days=after) if after <= before else holiday - dt.timedelta(days=before + 1)
        low, high = min(holiday, saturday), max(holiday, saturday + dt.timedelta(days=1))
        return Fields(value=None, granularity="day", low=low.isoformat(), high=high.isoformat())
    if c.get("named") in ("tonight", "tonite") and "part" not in c:
        c = {**c, "part": "tonight"}
    if "unit" in c and ("rel" in c or "within" in c) and "n" in c and not ({"ago", "shift"} & c.keys()):
        return _span(c, ref, text)
    if "todate" in c:  # "year to date"
        start = _relative_period("this", unit_name(c["unit"]), ref)
        return Fields(value=None, granularity="day", low=start["low"], high=ref.isoformat())
    fields = _resolve(c, ref, prefer, text)
    if "weekof" in c:
        fields = period("week", dt.date.fromisoformat(fields["value"]))
    if c.get("edge") in SIDES_OF_NOW and "part" not in c and "hour" not in c:
        fields = _side_of_now(c["edge"], fields, ref, text)
    elif "edge" in c and "part" not in c and "hour" not in c:
        fields = _edge(c["edge"], fields) if fields["granularity"] != "day" else _edge_of_day(c["edge"], fields)
    return _with_time(fields, c, text)


SIDES_OF_NOW = ("earlier", "later")
WORK_WEEKS = frozenset({"workweek", "work week", "working week"})


def _side_of_now(edge: str, fields: Fields, ref: dt.date, text: str) -> Fields:
    """"earlier this year" runs from its start to the reference day, "later this month" from the reference
    day to its end; in a period that does not hold the reference ("earlier last week") the side is a half."""
    if fields.get("low") is None or fields["granularity"] == "day":
        raise ParseError(f"{text!r}: {edge!r} needs a period longer than a day")
    low, high = dt.date.fromisoformat(fields["low"]), dt.date.fromisoformat(fields["high"])
    if low <= ref <= high:
        cut_low, cut_high = ref, ref
    elif fields["granularity"] in ("year", "decade"):  # halves of whole months
        months = (high.year - low.year) * 12 + high.month - low.month + 1
        cut_low = low + relativedelta(months=months // 2)
        cut_high = cut_low - dt.timedelta(days=1)
    else:
        cut_high = low + dt.timedelta(days=((high - low).days + 1) // 2 - 1)
        cut_low = cut_high + dt.timedelta(days=1)
    low, high = (low, cut_high) if edge == "earlier" else (cut_low, high)
    return Fields(value=fields["value"], granularity=fields["granularity"], low=low.isoformat(),
                  high=high.isoformat())


def _resolve(c: Mapping[str, str], ref: dt.date, prefer: str, text: str) -> Fields:
    if "onweekday" in c:  # "Monday two weeks from now", "in 3 days on Friday": that weekday of its week
        base = _resolve({k: v for k, v in c.items() if k != "onweekday"}, ref, prefer, text)
        if base["granularity"] != "day":
            raise ParseError(f"{text!r}: a weekday of a period longer than a day")
        found = dt.date.fromisoformat(base["value"])
        return day(found + dt.timedelta(days=WEEKDAYS[c["onweekday"].rstrip(".")] - found.weekday()))
    if "shift" in c:
        return _shifted_from(c, ref, prefer, text)
    if "holiday" in c:
        return day(_holiday(c, ref, prefer))
    if "named" in c:
        if c["named"] not in NAMED_DAYS:
            raise ParseError(f"{text!r}: unknown day name")
        return day(ref + dt.timedelta(days=NAMED_DAYS[c["named"]]))
    if "unit" in c and ("n" in c or "ago" in c):
        return _shifted(c, ref, text)
    if "week" in c:
        return _week(c, ref, prefer, text)
    if "unit" in c and "rel" not in c and unit_name(c["unit"]) == "weekend":  # "the weekend": by prefer
        days_since = (ref.weekday() - 5) % 7
        saturday = ref - dt.timedelta(days=days_since) if prefer == "past" or days_since < 2 else \
            ref + dt.timedelta(days=(5 - ref.weekday()) % 7)
        return Fields(value=saturday.isoformat(), granularity="day", low=saturday.isoformat(),
                      high=(saturday + dt.timedelta(days=1)).isoformat())
    if "unit" in c and c["unit"] in WORK_WEEKS:  # "this working week": Monday to Friday
        week = _relative_period(c.get("rel", "this"), "week", ref)
        friday = dt.date.fromisoformat(week["low"]) + dt.timedelta(days=4)
        return Fields(value=week["value"], granularity="week", low=week["low"], high=friday.isoformat())
    if "unit" in c:  # "last month"; "the end of month" is this one
        return _relative_period(c.get("rel", "this"), unit_name(c["unit"]), ref)
    if "nth" in c:
        return day(_nth_weekday(c, ref, prefer, text))
    if "weekday" in c and "month" not in c and "day" not in c:
        return day(_weekday(c, ref, prefer, text))
    if "month" in c:
        return _calendar(c, ref, prefer, text)
    if "day" in c:
        return day(_day_of_month(c, ref, prefer, text))
    if "half" in c:  # "H2 2019", "the first half of next year": six months, no ISO name
        first = {"h1": 1, "first": 1, "1st": 1, "h2": 7, "second": 7, "2nd": 7}[c["half"]]
        year = _year_of(c, ref)
        low = dt.date(year, first, 1)
        return Fields(value=None, granularity="month", low=low.isoformat(),
                      high=(low + relativedelta(months=6, days=-1)).isoformat())
    if "nthmonth" in c:  # "the third month of 2021"
        number = _ordinal(c["nthmonth"])
        if not 1 <= number <= 12:
            raise ParseError(f"{text!r}: no month {number}")
        return period("month", dt.date(_year_of(c, ref), number, 1))
    if "quarter" in c:
        q = _quarter(c["quarter"])
        if not 1 <= q <= 4:
            raise ParseError(f"{text!r}: no quarter {q}")
        year = _year_of(c, ref)
        return period("quarter", dt.date(year, 3 * q - 2, 1))
    if "decade" in c:
        return _decade(c["decade"], ref)
    if "year" in c or "yrel" in c:
        return period("year", dt.date(_year_of(c, ref), 1, 1))
    if "weekday" in c:
        return day(_weekday(c, ref, prefer, text))
    if "part" in c or "hour" in c:
        return day(ref)
    raise ParseError(f"{text!r}: no date parts captured")


def _holiday_in(rule: Mapping[str, Any], year: int) -> dt.date:
    """The day of a holiday in a year, from its gazetteer attributes: a fixed ``month`` and ``day``; days
    from ``easter``; or the ``nth`` (-1: last) ``weekday`` of a ``month``, moved by ``shift`` days."""
    if "easter" in rule:
        return easter(year) + dt.timedelta(days=int(rule["easter"]))
    month = int(rule["month"])
    if "day" in rule:
        return dt.date(year, month, int(rule["day"]))
    wd = WEEKDAYS[str(rule["weekday"])]
    nth = int(rule["nth"])
    if nth > 0:
        first = dt.date(year, month, 1)
        found = first + dt.timedelta(days=(wd - first.weekday()) % 7 + 7 * (nth - 1))
    else:
        last = dt.date(year, month, 1) + relativedelta(months=1, days=-1)
        found = last - dt.timedelta(days=(last.weekday() - wd) % 7)
    return found + dt.timedelta(days=int(rule.get("shift", 0)))


def _holiday(c: Mapping[str, Any], ref: dt.date, prefer: str) -> dt.date:
    rule = c["holiday"]
    if "year" in c or "yrel" in c:
        return _holiday_in(rule, _year_of(c, ref))
    days = [_holiday_in(rule, y) for y in range(ref.year - 2, ref.year + 3)]
    rel = c.get("rel", "")
    if rel in THIS_WORDS:
        return _holiday_in(rule, ref.year)
    if rel in PAST_WORDS or (not rel and prefer == "past"):
        return max(d for d in days if (d < ref if rel else d <= ref))
    if rel in FUTURE_WORDS or (not rel and prefer == "future"):
        return min(d for d in days if (d > ref if rel else d >= ref))
    return min(days, key=lambda d: abs((d - ref).days))


def _year_of(c: Mapping[str, str], ref: dt.date) -> int:
    """The year captured as digits, or named relative to the reference ("last year")."""
    if "year" in c:
        return _year(c["year"], ref)
    if "yrel" in c:
        return ref.year + _offset(c["yrel"])
    return ref.year


def _offset(rel: str) -> int:
    if rel in THIS_WORDS:
        return 0
    if rel in PAST_WORDS:
        return -1
    if rel in FUTURE_WORDS:
        return 1
    raise ParseError(f"{rel!r} is not a relative word")


def _shifted(c: Mapping[str, str], ref: dt.date, text: str) -> Fields:
    """"two days ago", "in 3 weeks": the day that many units from the reference date."""
    unit = unit_name(c["unit"])
    n = parse_count(c["n"]) if "n" in c else 1
    sign = -1 if c.get("ago", "ago") in PAST_WORDS else 1
    if unit in ("hour", "minute", "second"):
        raise ParseError(f"{text!r}: the reference has no time of day")
    return day(ref + _delta(unit, sign * n))


def _shifted_from(c: Mapping[str, str], ref: dt.date, prefer: str, text: str) -> Fields:
    """"three weeks after January 15", "2 days before yesterday": a shift from a base date."""
    base = {k: v for k, v in c.items() if k not in ("shift", "n", "unit")}
    start = _resolve(base, ref, prefer, text)
    if start["granularity"] != "day":
        raise ParseError(f"{text!r}: can only shift from a day")
    unit = unit_name(c["unit"])
    if unit in ("hour", "minute", "second"):
        raise ParseError(f"{text!r}: the base has no time of day")
    n = parse_count(c["n"]) if "n" in c else 1
    sign = -1 if c["shift"] in PAST_WORDS else 1
    return day(dt.date.fromisoformat(start["value"]) + _delta(unit, sign * n))


def _delta(unit: str, n: float) -> relativedelta:
    if n != int(n):  # "one and a half years": a fraction of a calendar unit, in days
        days = {"day": 1, "week": 7, "weekend": 7, "fortnight": 14, "month": 30, "quarter": 91, "year": 365,
                "decade": 3652, "century": 36524}
        if unit not in days:
            raise ParseError(f"cannot shift a date by {unit}")
        return relativedelta(days=round(n * days[unit]))
    whole = int(n)
    if unit == "day":
        return relativedelta(days=whole)
    if unit in ("week", "weekend"):
        return relativedelta(weeks=whole)
    if unit == "fortnight":
        return relativedelta(weeks=2 * whole)
    if unit == "month":
        return relativedelta(months=whole)
    if unit == "quarter":
        return relativedelta(months=3 * whole)
    if unit == "year":
        return relativedelta(years=whole)
    if unit == "decade":
        return relativedelta(years=10 * whole)
    if unit == "century":
        return relativedelta(years=100 * whole)
    raise ParseError(f"cannot shift a date by {unit}")


def _granularity(unit: str) -> str:
    return {"fortnight": "week", "weekend": "week", "century": "decade"}.get(unit, unit)


def _span(c: Mapping[str, str], ref: dt.date, text: str) -> Fields:
    """"the next three days", "the past two quarters", "within 9 months": n units beside the reference.

    Days, weeks, months and years count from the reference day (the next ones start tomorrow, the past
    ones end yesterday, "within" starts today); quarters and decades are taken whole.
    """
    unit = unit_name(c["unit"])
    n = parse_count(c["n"])
    if unit in ("hour", "minute", "second") or n != int(n) or n < 1:
        raise ParseError(f"{text!r}: not a span of whole days or longer")
    n = int(n)
    if c["unit"].startswith(("business", "working")) and "rel" in c:  # "the next 4 business days"
        if not _offset(c["rel"]):
            raise ParseError(f"{text!r}: 'this' does not count days")
        step = dt.timedelta(days=_offset(c["rel"]))
        days, found = [], ref
        while len(days) < n:
            found += step
            if found.weekday() < 5:
                days.append(found)
        return Fields(value=None, granularity="day", low=min(days).isoformat(), high=max(days).isoformat())
    if "within" in c:
        low, high = ref, ref + _delta(unit, n) - dt.timedelta(days=1)
        return Fields(value=None, granularity="day", low=low.isoformat(), high=high.isoformat())
    sign = _offset(c["rel"])
    if sign == 0:
        raise ParseError(f"{text!r}: 'this' does not count periods")
    if unit in ("quarter", "decade", "century"):
        first = period(_granularity(unit), ref + _delta(unit, sign))
        last = period(_granularity(unit), ref + _delta(unit, sign * n))
        if sign < 0:
            first, last = last, first
        return Fields(value=None, granularity=first["granularity"], low=first["low"], high=last["high"])
    if sign > 0:
        low, high = ref + dt.timedelta(days=1), ref + _delta(unit, n)
    else:
        low, high = ref - _delta(unit, n), ref - dt.timedelta(days=1)
    return Fields(value=None, granularity="day", low=low.isoformat(), high=high.isoformat())


def _for_length(c: Mapping[str, str], ref: dt.date, prefer: str, text: str) -> Fields:
    """"from 2pm for 2 hours", "for 2.5 hours from 9": a period from a time of day, ``for_n`` ``for_unit``
    long (and ``for_n2`` ``for_unit2``: "3 hours 30 minutes")."""
    start = _point({k: v for k, v in c.items() if not k.startswith("for_")}, ref, prefer, text)
    if start["granularity"] not in ("hour", "minute", "second"):
        raise ParseError(f"{text!r}: a length of hours runs from a time of day")
    seconds = parse_count(c["for_n"]) * SECONDS[unit_name(c["for_unit"])]
    if "for_n2" in c:
        seconds += parse_count(c["for_n2"]) * SECONDS[unit_name(c["for_unit2"])]
    if not 0 < seconds <= SECONDS["day"]:
        raise ParseError(f"{text!r}: not a length within a day")
    end = dt.datetime.fromisoformat(start["value"]) + dt.timedelta(seconds=seconds)
    granularity = start["granularity"] if seconds % 3600 == 0 else _finer(start["granularity"], "minute")
    return Fields(value=None, granularity=granularity, low=start["value"],
                  high=end.isoformat(timespec="minutes" if not end.second else "seconds"))


def _stretch(c: Mapping[str, str], ref: dt.date, prefer: str, text: str) -> Fields:
    """"a week starting tomorrow" (n units from a day), "the last four months of 2021" (the first or
    last n units of a period)."""
    own = "sunit" if "sunit" in c else "unit"  # "the first ten days of last year" has two units
    rest = {k: v for k, v in c.items() if k not in ("lasting", "side", "n", own)}
    base = _resolve(rest, ref, prefer, text)
    unit = unit_name(c[own])
    n = parse_count(c["n"])
    if unit in ("hour", "minute", "second") or n != int(n) or n < 1:
        raise ParseError(f"{text!r}: not a stretch of whole days or longer")
    first = dt.date.fromisoformat((base["low"] or base["value"])[:10])
    if c.get("side") in ("last", "final"):
        high = dt.date.fromisoformat((base["high"] or base["value"])[:10])
        low = high + dt.timedelta(days=1) - _delta(unit, int(n))
    else:
        low, high = first, first + _delta(unit, int(n)) - dt.timedelta(days=1)
    if "side" in c and not (base["low"] <= low.isoformat() and high.isoformat() <= base["high"]):
        raise ParseError(f"{text!r}: more than the period holds")
    granularity = "month" if unit in ("month", "year") and "side" in c else "day"
    return Fields(value=None, granularity=granularity, low=low.isoformat(), high=high.isoformat())


def _relative_period(rel: str, unit: str, ref: dt.date) -> Fields:
    offset = _offset(rel)
    if unit == "weekend":
        saturday = ref + dt.timedelta(days=(5 - ref.weekday()) + 7 * offset)
        if offset == -1 and ref.weekday() >= 5:
            saturday = ref - dt.timedelta(days=ref.weekday() - 5 + 7)
        return Fields(value=saturday.isoformat(), granularity="day", low=saturday.isoformat(),
                      high=(saturday + dt.timedelta(days=1)).isoformat())
    if unit == "day":
        return day(ref + dt.timedelta(days=offset))
    if unit == "fortnight":  # two whole weeks: the last one ends, the next one starts, with this week
        monday = ref - dt.timedelta(days=ref.weekday()) + dt.timedelta(weeks=2 * offset)
        if offset > 0:
            monday -= dt.timedelta(weeks=1)
        return Fields(value=None, granularity="week", low=monday.isoformat(),
                      high=(monday + dt.timedelta(days=13)).isoformat())
    if unit in ("hour", "minute", "second"):
        raise ParseError(f"{unit}: the reference has no time of day")
    return period(_granularity(unit), ref + _delta(unit, offset))


def _weekday(c: Mapping[str, str], ref: dt.date, prefer: str, text: str) -> dt.date:
    name = c["weekday"].rstrip(".")
    if name not in WEEKDAYS:
        raise ParseError(f"{text!r}: unknown weekday")
    wd = WEEKDAYS[name]
    if "wrel" in c:  # "Tuesday of next week", "next week Wednesday"
        monday = ref - dt.timedelta(days=ref.weekday()) + dt.timedelta(weeks=_offset(c["wrel"]))
        return monday + dt.timedelta(days=wd)
    rel = c.get("rel", "")
    back = (ref.weekday() - wd) % 7
    ahead = (wd - ref.weekday()) % 7
    monday = ref - dt.timedelta(days=ref.weekday())
    if rel in ("coming", "upcoming", "this coming"):  # the first one after today
        return ref + dt.timedelta(days=ahead or 7)
    if rel in PAST_WORDS:  # "last Wednesday", "next Friday", "this Sunday": the one in that week
        return monday - dt.timedelta(weeks=1) + dt.timedelta(days=wd)
    if rel in FUTURE_WORDS:
        return monday + dt.timedelta(weeks=1) + dt.timedelta(days=wd)
    if rel in THIS_WORDS:
        return monday + dt.timedelta(days=wd)
    if prefer == "future":
        return ref + dt.timedelta(days=ahead)
    if prefer == "nearest" and ahead < back:
        return ref + dt.timedelta(days=ahead)
    return ref - dt.timedelta(days=back)


def _nth_weekday(c: Mapping[str, str], ref: dt.date, prefer: str, text: str) -> dt.date:
    """"the first Monday of next month", "the last Friday in March"."""
    if "month" in c:
        month = _month(c["month"])
        year = _year(c["year"], ref) if "year" in c else _pick_year(ref, prefer, lambda y: dt.date(y, month, 1),
                                                               coarse=True)
    else:
        first = ref.replace(day=1) + relativedelta(months=_offset(c.get("mrel", "this")))
        year, month = first.year, first.month
    rule = {"month": month, "weekday": c["weekday"].rstrip("."),
            "nth": -1 if c["nth"] == "last" else _ordinal(c["nth"])}
    if rule["weekday"] not in WEEKDAYS:
        raise ParseError(f"{text!r}: unknown weekday")
    found = _holiday_in(rule, year)
    if found.month != month:
        raise ParseError(f"{text!r}: no such weekday in that month")
    return found


def _week(c: Mapping[str, str], ref: dt.date, prefer: str, text: str) -> Fields:
    """"week 31", "week 3 of 2027", "the first week of 2015", "the last week of July": ISO weeks."""
    which = c["week"]
    if "month" in c:  # the nth week of a month: the ISO week holding its nth Monday-started week
        month = _month(c["month"])
        year = _year(c["year"], ref) if "year" in c else (ref.year + _offset(c["yrel"]) if "yrel" in c else
                                                     _pick_year(ref, prefer, lambda y: dt.date(y, month, 1),
                                                                coarse=True))
        first = dt.date(year, month, 1)
        if which == "last":
            anchor = first + relativedelta(months=1, days=-1)
        else:
            anchor = first + dt.timedelta(weeks=_ordinal(which) - 1)
            if anchor.month != month:
                raise ParseError(f"{text!r}: no such week")
        return period("week", anchor)
    if "mrel" in c:
        anchor = ref.replace(day=1) + relativedelta(months=_offset(c["mrel"]))
        if which == "last":
            anchor = anchor + relativedelta(months=1, days=-1)
        else:
            anchor = anchor + dt.timedelta(weeks=_ordinal(which) - 1)
        return period("week", anchor)
    year = _year_of(c, ref)
    if which == "last":
        return period("week", dt.date(year, 12, 28))  # always in the last ISO week of its year
    number = int(which) if which.isdigit() else _ordinal(which)
    if not 1 <= number <= dt.date(year, 12, 28).isocalendar()[1]:
        raise ParseError(f"{text!r}: no week {number} in {year}")
    return period("week", dt.date.fromisocalendar(year, number, 1))


def _ordinal(text: str) -> int:
    return int(text) if text.isdigit() else parse_ordinal(text)


def _quarter(text: str) -> int:
    return int(text[1:]) if text[:1] == "q" else parse_ordinal(text)


def _decade(text: str, ref: dt.date) -> Fields:
    words = {"twenties": 2, "thirties": 3, "forties": 4, "fifties": 5, "sixties": 6, "seventies": 7,
             "eighties": 8, "nineties": 9}
    digits = "".join(ch for ch in text if ch.isdigit())
    if not digits and text.split()[-1] in words:
        digits = str(words[text.split()[-1]] * 10)
    if len(digits) == 2:
        digits = ("19" if int(digits) > (ref.year % 100) else "20") + digits
    if len(digits) != 4 or not digits.endswith("0"):
        raise ParseError(f"{text!r} is not a decade")
    return period("decade", dt.date(int(digits), 1, 1))


def _year(text: str, ref: dt.date | None = None) -> int:
    """A year in digits or words; two digits are the century that puts it no more than 20 years after the
    reference ("5/3/18" is 2018, "03/18/40" read in 2016 is 1940)."""
    digits = "".join(ch for ch in text if ch.isdigit())
    if not digits:
        try:
            return _year_words(text)
        except ValueError:
            raise ParseError(f"{text!r} is not a year") from None
    year = int(digits)
    if len(digits) <= 2 and not text.startswith(("ad", "ce")):
        latest = (ref.year if ref else 2000) + 20
        year += latest // 100 * 100 if year <= latest % 100 else latest // 100 * 100 - 100
    if not 1 <= year <= 9999:
        raise ParseError(f"{text!r} is out of range")
    return year


def _year_words(text: str) -> int:
    """"nineteen eighty six", "two thousand and fifteen", "seventeen hundred thirty three"."""
    words = text.replace("-", " ").split()
    if "thousand" in words or "hundred" in words[1:2] or len(words) == 1:
        value = parse_number(" ".join(words))
        if value != int(value):
            raise ValueError(text)
        return int(value)
    head = parse_number(words[0])
    tail = " ".join(words[1:]).replace("hundred ", "").replace("hundred", "0")
    if tail.startswith(("oh ", "o ")):
        tail = tail.split(" ", 1)[1]
    return int(head) * 100 + int(parse_number(tail))


def _month(text: str) -> int:
    word = text.rstrip(".")
    if word.isdigit():
        month = int(word)
        if not 1 <= month <= 12:
            raise ParseError(f"no month {month}")
        return month
    if word not in MONTHS:
        raise ParseError(f"{text!r} is not a month")
    return MONTHS[word]


def _calendar(c: Mapping[str, str], ref: dt.date, prefer: str, text: str) -> Fields:
    month = _month(c["month"])
    day_of_month = _day_number(c["day"]) if "day" in c else None
    if "year" in c or "yrel" in c:
        year = _year_of(c, ref)
    elif "weekday" in c and day_of_month is not None:  # "Tuesday, March 7": the year where it is one
        wd = WEEKDAYS.get(c["weekday"].rstrip("."))
        fits = [y for y in range(ref.year - 6, ref.year + 7) if _is_valid(y, month, day_of_month)
                and dt.date(y, month, day_of_month).weekday() == wd]
        year = min(fits, key=lambda y: abs(y - ref.year)) if fits else \
            _pick_year(ref, prefer, lambda y: dt.date(y, month, day_of_month), coarse=False)
    elif "rel" in c:  # "next 6th of April", "this September"
        offset = _offset(c["rel"])
        year = ref.year if offset == 0 else _pick_year(
            ref, "past" if offset < 0 else "future", lambda y: dt.date(y, month, day_of_month or 1),
            coarse=day_of_month is None)
    else:
        year = _pick_year(ref, prefer, lambda y: dt.date(y, month, day_of_month or 1),
                          coarse=day_of_month is None)
    if day_of_month is None:
        return period("month", dt.date(year, month, 1))
    return day(dt.date(year, month, day_of_month))


def _is_valid(year: int, month: int, day_of_month: int) -> bool:
    try:
        dt.date(year, month, day_of_month)
    except ValueError:
        return False
    return True


def _day_of_month(c: Mapping[str, str], ref: dt.date, prefer: str, text: str) -> dt.date:
    """"the 18th", "Monday 21": a day of this month or a nearby one (the one that is that weekday)."""
    number = _day_number(c["day"])
    months = [ref.replace(day=1) + relativedelta(months=k) for k in range(-12, 13)]
    dates = [dt.date(m.year, m.month, number) for m in months if _is_valid(m.year, m.month, number)]
    if "weekday" in c:
        wd = WEEKDAYS.get(c["weekday"].rstrip("."))
        dates = [d for d in dates if d.weekday() == wd]
        if not dates:
            raise ParseError(f"{text!r}: no such day nearby")
        return min(dates, key=lambda d: (abs((d - ref).days), d > ref if prefer == "past" else d < ref))
    if "mrel" in c:
        first = ref.replace(day=1) + relativedelta(months=_offset(c["mrel"]))
        return dt.date(first.year, first.month, number)
    past = [d for d in dates if d <= ref]
    future = [d for d in dates if d >= ref]
    if prefer == "future" and future:
        return min(future)
    if prefer == "nearest":
        return min(dates, key=lambda d: abs((d - ref).days))
    return max(past)


def _day_number(text: str) -> int:
    digits = "".join(ch for ch in text if ch.isdigit())
    if digits:
        return int(digits)
    word = text.removeprefix("the ").strip()
    try:
        return parse_ordinal(word)
    except ValueError:  # "May twenty nine"
        return int(parse_number(word))


def _pick_year(ref: dt.date, prefer: str, make: Callable[[int], dt.date], *, coarse: bool) -> int:
    """The year that puts a month (and day) on the preferred side of the reference date."""
    anchor = ref.replace(day=1) if coarse else ref
    candidates = {}
    for year in range(ref.year - 4, ref.year + 5):
        try:
            candidates[year] = make(year)
        except ValueError:  # February 29 in a year without it
            continue
    if not candidates:
        raise ParseError("no such day in any nearby year")
    if prefer == "past":
        past = [y for y, d in candidates.items() if d <= anchor]
        if past:
            return max(past)
    elif prefer == "future":
        future = [y for y, d in candidates.items() if d >= anchor]
        if future:
            return min(future)
    return min(candidates, key=lambda y: (abs((candidates[y] - anchor).days), -y))


def day(date: dt.date) -> Fields:
    return Fields(value=date.isoformat(), granularity="day", low=None, high=None)


def period(granularity: str, inside: dt.date) -> Fields:
    """The whole period of ``granularity`` that contains the date ``inside``."""
    if granularity == "year":
        low, high = dt.date(inside.year, 1, 1), dt.date(inside.year, 12, 31)
        value = f"{inside.year:04d}"
    elif granularity == "month":
        low = inside.replace(day=1)
        high = low + relativedelta(months=1, days=-1)
        value = f"{inside.year:04d}-{inside.month:02d}"
    elif granularity == "week":
        low = inside - dt.timedelta(days=inside.weekday())
        high = low + dt.timedelta(days=6)
        iso_year, iso_week, _ = inside.isocalendar()
        value = f"{iso_year:04d}-W{iso_week:02d}"
    elif granularity == "quarter":
        q = (inside.month - 1) // 3 + 1
        low = dt.date(inside.year, 3 * q - 2, 1)
        high = low + relativedelta(months=3, days=-1)
        value = f"{inside.year:04d}-Q{q}"
    elif granularity == "decade":
        start = inside.year // 10 * 10
        low, high = dt.date(start, 1, 1), dt.date(start + 9, 12, 31)
        value = f"{start // 10:03d}"  # ISO 8601 decade: "199" is 1990-1999
    elif granularity == "day":
        return day(inside)
    else:
        raise ParseError(f"no period of {granularity}")
    return Fields(value=value, granularity=granularity, low=low.isoformat(), high=high.isoformat())


def _edge(edge: str, fields: Fields) -> Fields:
    """"early 2019", "the end of March", "mid-July": a third of the period, as low and high."""
    edge = next((w for w in edge.replace("-", " ").split() if w in EDGES), edge)
    if edge not in EDGES or fields.get("low") is None:
        raise ParseError(f"{edge!r} of a day")
    low, high = dt.date.fromisoformat(fields["low"]), dt.date.fromisoformat(fields["high"])
    if fields["granularity"] == "year":
        months = [(1, 4), (5, 8), (9, 12)][EDGES[edge]]
        low, high = dt.date(low.year, months[0], 1), dt.date(low.year, months[1], 1) + relativedelta(months=1,
                                                                                                      days=-1)
    else:
        length = (high - low).days + 1
        third = EDGES[edge]
        cut1, cut2 = low + dt.timedelta(days=length // 3), low + dt.timedelta(days=2 * length // 3)
        low, high = [(low, cut1 - dt.timedelta(days=1)), (cut1, cut2 - dt.timedelta(days=1)),
                     (cut2, high)][third]
    return Fields(value=fields["value"], granularity=fields["granularity"], low=low.isoformat(),
                  high=high.isoformat())


# Parts of a day named by an edge word: early (until noon), mid (10 to 14), late (from noon); the end of a
# day is its last second.
DAY_EDGES = {0: ("00:00", "12:00"), 1: ("10:00", "14:00"), 2: ("12:00", "23:59:59")}


def _edge_of_day(edge: str, fields: Fields) -> Fields:
    """"the end of the day" is its last second; "early", "mid" or "late" in a day a part of it."""
    date = fields["value"]
    word = next((w for w in edge.replace("-", " ").split() if w in EDGES), edge)
    if word not in EDGES:
        raise ParseError(f"{edge!r} is not an edge")
    if word in ("end", "eod"):
        return Fields(value=f"{date}T23:59:59", granularity="second", low=None, high=None)
    start, end = DAY_EDGES[EDGES[word]]
    return Fields(value=date, granularity="part_of_day", low=f"{date}T{start}", high=f"{date}T{end}")


def _open(bound: str, fields: Fields, text: str, edge: str = "") -> Fields:
    """"before 2018", "since March", "after 6pm": a period open on one side. "Before the end of" a
    period is by its end, "after the beginning of" it since its start."""
    if "end" in edge.split() and bound in OPEN_BEFORE:
        bound = "until"
    elif ("beginning" in edge.split() or "start" in edge.split()) and bound in OPEN_AFTER:
        bound = "since"
    first = fields["low"] or fields["value"]
    last = fields["high"] or fields["value"]
    gran = fields["granularity"]
    timed = "T" in (fields["value"] or "")
    if bound in OPEN_AFTER:
        low, high = (first if timed else _next_day(last)), None
    elif bound in OPEN_SINCE:
        low, high = first, None
    elif bound in OPEN_BEFORE:
        low, high = None, (first if timed else _previous_day(first))
    elif bound in OPEN_UNTIL:
        low, high = None, last
    else:
        raise ParseError(f"{text!r}: {bound!r} is not a bound")
    return Fields(value=None, granularity=gran, low=low, high=high)


def _next_day(iso: str) -> str:
    return (dt.date.fromisoformat(iso[:10]) + dt.timedelta(days=1)).isoformat()


def _previous_day(iso: str) -> str:
    return (dt.date.fromisoformat(iso[:10]) - dt.timedelta(days=1)).isoformat()


def _between(c: Mapping[str, str], ref: dt.date, prefer: str, text: str) -> Fields:
    """"from March 1 to 5", "between 2014 and 2018", "9am-5pm": one period from two ends.

    An end borrows what it leaves out from the other (month, year, am/pm) and from the unprefixed
    captures; a borrowed year moves by one when that keeps the ends in order ("Nov-Feb 2017").
    """
    shared = {k: v for k, v in c.items() if not k.startswith(("from_", "to_"))}
    a = {**shared, **{k[5:]: v for k, v in c.items() if k.startswith("from_")}}
    b = {**shared, **{k[3:]: v for k, v in c.items() if k.startswith("to_")}}
    for x, y in ((a, b), (b, a)):
        if "day" in x and "month" not in x and "month" in y and "day" in y and "weekday" not in x:
            x["month"] = y["month"]
        if "hour" in x and not ({"day", "month", "weekday", "named", "year"} & x.keys()):
            x.update({k: v for k, v in y.items() if k in ("day", "month", "year", "weekday", "named", "rel")})
    if "ampm" in b and "ampm" not in a and "hour" in a and "part" not in a:
        a["ampm"] = b["ampm"]
        if (_hour24(a), _minutes(a.get("minute", "0"))) > (_hour24(b), _minutes(b.get("minute", "0"))):
            a["ampm"] = "am" if b["ampm"].startswith("p") else "pm"
    if "part" in b and "part" not in a and "hour" in a and "ampm" not in a:
        a["part"] = b["part"]
    for end, other in ((a, b), (b, a)):
        if not ({"month", "year", "yrel", "named", "weekday", "quarter", "hour", "week"} & end.keys()):
            raise ParseError(f"{text!r}: an end without a month or year")
        if end.keys() & {"month", "day"} == {"month"} and "year" not in end and "month" not in other and \
                "year" in other:
            raise ParseError(f"{text!r}: a month and a year are not two ends")  # "Dec-2018"
    if a.keys() & {"year", "month", "day", "quarter"} == {"year"} and "month" in b and "year" not in b:
        raise ParseError(f"{text!r}: a year and a day without one are not two ends")  # "2019-aug-1"
    if {"month"} <= a.keys() - b.keys() and "year" in b and "year" not in a and "month" not in b:
        raise ParseError(f"{text!r}: the year belongs to the first end")  # "05-Aug-2016"
    if "from_weekday" in c and "kw" not in c:
        raise ParseError(f"{text!r}: a weekday starts a period only after 'from' or 'between'")
    if "hour" in a or "hour" in b:
        told = ("ampm", "minute", "part")
        if not any(k in end for end in (a, b) for k in told) and not (
                "kw" in c and {"named", "weekday", "month", "day"} & shared.keys()):
            raise ParseError(f"{text!r}: two bare numbers are not a time of day")
        if "hour" in a and "hour" in b and "ampm" not in b and "ampm" not in a and "part" not in b and \
                int(parse_number(b["hour"])) < 12 and \
                (_hour24(b), _minutes(b.get("minute", "0"))) < (_hour24(a), _minutes(a.get("minute", "0"))):
            b["ampm"] = "pm"  # "from 10:30 to 3": the end is in the afternoon
    years = ("year", "yrel")
    lo_borrowed = hi_borrowed = False
    if not any(k in a for k in years) and any(k in b for k in years) and ({"month", "quarter", "week"} & a.keys()):
        a.update({k: b[k] for k in years if k in b})
        lo_borrowed = True
    elif not any(k in b for k in years) and ({"month", "quarter", "week"} & b.keys()):
        hi_borrowed = True
    lo = _point(a, ref, prefer, text)
    if hi_borrowed:
        b["year"] = (lo["low"] or lo["value"])[:4]
    if "weekday" in b and not ({"rel", "wrel", "month", "day"} & b.keys()):  # "from next Monday to Friday"
        hi = _point(b, dt.date.fromisoformat((lo["low"] or lo["value"])[:10]), "future", text)
    else:
        hi = _point(b, ref, prefer, text)
    lo_first, hi_last = lo["low"] or lo["value"], hi["high"] or hi["value"]
    if hi_last < lo_first:
        if lo_borrowed:
            a["year"] = str(int((lo["low"] or lo["value"])[:4]) - 1)
            lo = _point(a, ref, prefer, text)
            lo_first = lo["low"] or lo["value"]
        elif hi_borrowed:
            b["year"] = str(int(b["year"]) + 1)
            hi = _point(b, ref, prefer, text)
            hi_last = hi["high"] or hi["value"]
        elif "T" in lo_first and "T" in hi_last and lo_first[:10] == hi_last[:10]:
            raise ParseError(f"{text!r}: the end comes before the start")
    if hi_last < lo_first:
        raise ParseError(f"{text!r}: the end comes before the start")
    return Fields(value=None, granularity=_finer(lo["granularity"], hi["granularity"]), low=lo_first,
                  high=hi_last)


GRANULARITIES = ["decade", "year", "quarter", "month", "week", "day", "part_of_day", "hour", "minute", "second"]


def _finer(a: str, b: str) -> str:
    return max(a, b, key=GRANULARITIES.index)


def _hour24(c: Mapping[str, str]) -> int:
    hour = int(parse_number(c["hour"]))
    ampm = c.get("ampm", "").replace(".", "").replace(" ", "")
    if ampm.startswith("p") and hour < 12:
        hour += 12
    elif ampm.startswith("a") and hour == 12:
        hour = 0
    return hour


def _with_time(fields: Fields, c: Mapping[str, str], text: str) -> Fields:
    if "hour" not in c and "part" not in c:
        return fields
    if fields["granularity"] != "day":
        raise ParseError(f"{text!r}: a time of day needs a day")
    date = fields["value"]
    part = c.get("part", "").removeprefix("the ")
    if part and part not in PARTS_OF_DAY:
        raise ParseError(f"{text!r}: unknown part of day")
    if "hour" in c:
        hour = int(parse_number(c["hour"])) if c["hour"] not in ("noon", "midday") else 12
        minute = _minutes(c.get("minute", "0"))
        second = int(c["second"]) if c.get("second", "").isdigit() else 0
        if "past" in c:
            if c["past"] in ("to", "till", "before", "of"):
                hour, minute = hour - 1, 60 - minute
            if hour < 0:
                hour = 23
        ampm = c.get("ampm", "").replace(".", "").replace(" ", "")
        if ampm.startswith("p") and hour < 12:
            hour += 12
        elif ampm.startswith("a") and hour == 12:
            hour = 0
        elif not ampm and part in AFTERNOON_PARTS and hour < 12 and not (part.endswith(("ight", "ite")) and hour < 5):
            hour += 12
        if not (0 <= hour <= 24 and 0 <= minute < 60 and 0 <= second < 60):
            raise ParseError(f"{text!r} is not a time of day")
        hour %= 24
        granularity = "second" if "second" in c else "minute" if ("minute" in c and minute) or "past" in c \
            or c.get("minute", "").isdigit() else "hour"
        value = f"{date}T{hour:02d}:{minute:02d}" + (f":{second:02d}" if "second" in c else "")
        return Fields(value=value, granularity=granularity, low=None, high=None)
    start, end = PARTS_OF_DAY[part]
    if "edge" in c and start != end:  # "early morning", "later this afternoon": a half of the part
        middle = _middle(start, end)
        start, end = (start, middle) if c["edge"].startswith("early") else (middle, end)
    if start == end:
        return Fields(value=f"{date}T{start}", granularity="minute" if part.startswith("mid") else "hour",
                      low=None, high=None)
    return Fields(value=date, granularity="part_of_day", low=f"{date}T{start}", high=f"{date}T{end}")


def _minutes(text: str) -> int:
    text = text.removesuffix(" minutes").removesuffix(" minute").removesuffix(" min").removesuffix(" mins")
    if text in MINUTE_WORDS:
        return MINUTE_WORDS[text]
    if text.startswith("oh ") or text.startswith("o "):
        text = text.split(" ", 1)[1]
    return int(parse_number(text))


SECONDS = {"second": 1, "minute": 60, "hour": 3600, "day": 86400, "week": 604800}


def parse_duration(text: str, ctx: ParseContext) -> Fields:
    """A length of time: ``n`` + ``unit``, with ``frac`` ("and a half") or a second ``n2`` + ``unit2``
    ("1 hour and 30 minutes", given in the smaller unit). ``n`` left out counts one ("an hour")."""
    c = {k: " ".join(v.lower().split()) for k, v in ctx.captures.items() if v is not None and v.strip()}
    unit = unit_name(c["unit"])
    n = parse_count(c["n"]) if "n" in c else 1
    if "frac" in c:
        n += VAGUE_COUNTS.get(c["frac"].removeprefix("and ").strip(), 0)
    if "n2" in c and "unit2" in c:
        unit2 = unit_name(c["unit2"])
        if unit not in SECONDS or unit2 not in SECONDS or SECONDS[unit2] >= SECONDS[unit]:
            raise ParseError(f"{text!r}: cannot add {unit2} to {unit}")
        n, unit = n * SECONDS[unit] // SECONDS[unit2] + parse_count(c["n2"]), unit2
    value = float(n)
    return Fields(value=int(value) if value.is_integer() else value, unit=unit)


def _middle(start: str, end: str) -> str:
    def minutes(clock: str) -> int:
        h, m = clock.split(":")[:2]
        return int(h) * 60 + int(m)
    middle = (minutes(start) + minutes(end)) // 2
    return f"{middle // 60:02d}:{middle % 60:02d}"


# Words that name a recurrence on their own, as (interval, unit, attributes).
FREQUENCIES: dict[str, tuple[int, str, dict[str, str]]] = {
    "hourly": (1, "hour", {}), "daily": (1, "day", {}), "everyday": (1, "day", {}),
    "nightly": (1, "day", {"part_of_day": "night"}), "weekly": (1, "week", {}), "biweekly": (2, "week", {}),
    "fortnightly": (2, "week", {}), "monthly": (1, "month", {}), "bimonthly": (2, "month", {}),
    "quarterly": (1, "quarter", {}), "semiannual": (6, "month", {}), "semiannually": (6, "month", {}),
    "biannual": (6, "month", {}), "biannually": (6, "month", {}), "annual": (1, "year", {}),
    "annually": (1, "year", {}), "yearly": (1, "year", {}),
}
# Every n of these is every n of another unit on some of its days ("every two weekends": 2 weeks).
SET_UNITS: dict[str, tuple[str, dict[str, str]]] = {
    "weekend": ("week", {"days": "weekend"}), "weekday": ("day", {"days": "weekdays"}),
    "night": ("day", {"part_of_day": "night"}),
}
SET_COUNTS = {"other": 2, "second": 2, "third": 3}
WEEKDAY_NAMES = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


def parse_recurrence(text: str, ctx: ParseContext) -> Fields:
    """A recurring time, from the captures ``freq`` ("daily"), or ``n`` + ``unit`` ("every two weeks";
    "other" counts two), pinned by ``weekday``, ``day`` (of the month), ``part`` or a time of day
    (``hour``, ``minute``, ``ampm``...). An occurrence pinned to a weekday recurs weekly, to a day of the
    month monthly, to a time or part of the day daily. Fills ``value``, ``unit`` and ``attributes``."""
    c = {k: " ".join(v.lower().split()) for k, v in ctx.captures.items() if v is not None and v.strip()}
    attributes: dict[str, Any] = {}
    if "freq" in c:
        n, unit, extra = FREQUENCIES[c["freq"].replace("-", "")]
    else:
        n = SET_COUNTS.get(c.get("n", "")) or (parse_count(c["n"]) if "n" in c else 1)
        if "unit" in c:
            word = c["unit"].removesuffix("s")
            unit, extra = SET_UNITS[word] if word in SET_UNITS else (unit_name(c["unit"]), {})
        else:
            unit, extra = "week" if "weekday" in c else "month" if "day" in c else "day", {}
    attributes.update(extra)
    if "weekday" in c:
        name = c["weekday"].rstrip(".")
        weekday = WEEKDAYS.get(name, WEEKDAYS.get(name.removesuffix("s")))
        if weekday is None:
            raise ParseError(f"{text!r}: {name!r} is not a weekday")
        attributes["weekday"] = WEEKDAY_NAMES[weekday]
    if "day" in c:
        attributes["day"] = _day_number(c["day"])
    part = c.get("part", "").removeprefix("the ")
    part = part.removesuffix("s") if part.removesuffix("s") in PARTS_OF_DAY else part
    if "hour" in c:
        clock = _with_time(day(ctx.reference_date), {**c, "part": part}, text)
        attributes["time"] = str(clock["value"]).split("T", 1)[1]
    elif part:
        if part not in PARTS_OF_DAY:
            raise ParseError(f"{text!r}: unknown part of day")
        attributes["part_of_day"] = part
    if n <= 0:
        raise ParseError(f"{text!r}: not a recurrence")
    return Fields(value=int(n) if float(n).is_integer() else n, unit=unit, attributes=attributes)
