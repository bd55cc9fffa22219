"""Calendar references resolved against a reference date.

The date rules capture the parts they found under fixed names, and :func:`parse_date` resolves them:
``named`` (today, yesterday...), ``n`` + ``unit`` + ``ago`` ("two days ago", "in 3 weeks"),
``rel`` + ``unit`` ("last month"), ``rel`` + ``weekday``, ``weekday``, ``month`` + ``day`` + ``year``,
``quarter`` + ``year``, ``decade``, ``year``, and ``hour``/``minute``/``ampm``/``part`` for times.
Where the text leaves the year or week open, ``prefer`` picks the reading: news is written after the
events it reports, so the default is the past.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Mapping

from dateutil.relativedelta import relativedelta

from ..errors import ParseError
from . import Fields, ParseContext
from .numbers import parse_number

MONTHS = {name: i for i, names in enumerate([
    (), ("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"), ("may",),
    ("june", "jun"), ("july", "jul"), ("august", "aug"), ("september", "sep", "sept"), ("october", "oct"),
    ("november", "nov"), ("december", "dec")]) for name in names}
WEEKDAYS = {name: i for i, names in enumerate([
    ("monday", "mon"), ("tuesday", "tue", "tues"), ("wednesday", "wed"), ("thursday", "thu", "thur", "thurs"),
    ("friday", "fri"), ("saturday", "sat"), ("sunday", "sun")]) for name in names}
UNIT_NAMES = {
    "second": "second", "sec": "second", "s": "second", "minute": "minute", "min": "minute",
    "hour": "hour", "hr": "hour", "h": "hour", "day": "day", "night": "day", "week": "week", "wk": "week",
    "fortnight": "fortnight", "month": "month", "mo": "month", "quarter": "quarter", "year": "year",
    "yr": "year", "decade": "decade", "century": "century", "weekend": "weekend",
}
NAMED_DAYS = {"today": 0, "tonight": 0, "this morning": 0, "this afternoon": 0, "this evening": 0,
              "yesterday": -1, "tomorrow": 1, "the day before yesterday": -2, "the day after tomorrow": 2}
PARTS_OF_DAY = {"morning": ("06:00", "11:59"), "afternoon": ("12:00", "17:59"), "evening": ("18:00", "21:59"),
                "night": ("22:00", "23:59"), "tonight": ("18:00", "23:59"), "noon": ("12:00", "12:00"),
                "midday": ("12:00", "12:00"), "midnight": ("00:00", "00:00")}
PAST_WORDS = {"last", "past", "previous", "preceding", "prior", "ago", "before", "earlier"}
FUTURE_WORDS = {"next", "coming", "following", "upcoming", "in", "from now", "later", "after", "hence"}
THIS_WORDS = {"this", "current", "present", "the current", "this coming"}


def parse_duration_unit(text: str, ctx: object = None) -> str:
    return unit_name(text)


def unit_name(text: str) -> str:
    word = text.strip().lower().rstrip(".")
    for candidate in (word, word[:-1] if word.endswith("s") else word, word[:-2] if word.endswith("es") else word):
        if candidate in UNIT_NAMES:
            return UNIT_NAMES[candidate]
    raise ParseError(f"{text!r} is not a unit of time")


def parse_date(text: str, ctx: ParseContext) -> Fields:
    """Resolve the date parts in ``ctx.captures`` to value, granularity, low and high."""
    c = {k: v.strip().lower() for k, v in ctx.captures.items() if v is not None and v.strip()}
    ref = ctx.reference_date
    prefer = ctx.prefer
    try:
        day_fields = _resolve(c, ref, prefer, text)
    except (ValueError, OverflowError) as exc:  # impossible dates such as February 30
        raise ParseError(f"{text!r}: {exc}") from None
    return _with_time(day_fields, c, text)


def _resolve(c: Mapping[str, str], ref: dt.date, prefer: str, text: str) -> Fields:
    if "named" in c:
        key = " ".join(c["named"].split())
        if key not in NAMED_DAYS:
            raise ParseError(f"{text!r}: unknown day name")
        return day(ref + dt.timedelta(days=NAMED_DAYS[key]))
    if "unit" in c and ("n" in c or "ago" in c):
        return _shifted(c, ref, text)
    if "unit" in c and "rel" in c:
        return _relative_period(c["rel"], unit_name(c["unit"]), ref)
    if "weekday" in c and "month" not in c:
        return day(_weekday(c, ref, prefer, text))
    if "month" in c:
        return _calendar(c, ref, prefer, text)
    if "quarter" in c:
        q = _quarter(c["quarter"])
        if not 1 <= q <= 4:
            raise ParseError(f"{text!r}: no quarter {q}")
        year = _year(c["year"]) if "year" in c else ref.year
        return period("quarter", dt.date(year, 3 * q - 2, 1))
    if "decade" in c:
        digits = "".join(ch for ch in c["decade"] if ch.isdigit())
        if len(digits) == 2:
            digits = ("19" if int(digits) > (ref.year % 100) else "20") + digits
        return period("decade", dt.date(int(digits) // 10 * 10, 1, 1))
    if "year" in c:
        return period("year", dt.date(_year(c["year"]), 1, 1))
    if "weekday" in c:
        return day(_weekday(c, ref, prefer, text))
    if "part" in c or "hour" in c:
        return day(ref)
    raise ParseError(f"{text!r}: no date parts captured")


def _shifted(c: Mapping[str, str], ref: dt.date, text: str) -> Fields:
    unit = unit_name(c["unit"])
    n = parse_number(c["n"]) if "n" in c else 1
    direction = c.get("ago", "ago")
    sign = -1 if direction in PAST_WORDS else 1
    if unit in ("hour", "minute", "second"):
        return day(ref)  # a date-level reading: the time of day of the reference is unknown
    target = ref + _delta(unit, sign * n)
    return period(_granularity(unit), target) if unit != "day" else day(target)


def _delta(unit: str, n: float) -> relativedelta:
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


def _relative_period(rel: str, unit: str, ref: dt.date) -> Fields:
    rel = " ".join(rel.split())
    if rel in THIS_WORDS:
        offset = 0
    elif rel in PAST_WORDS:
        offset = -1
    elif rel in FUTURE_WORDS:
        offset = 1
    else:
        raise ParseError(f"{rel!r} is not a relative word")
    if unit == "weekend":
        saturday = ref + dt.timedelta(days=(5 - ref.weekday()) + 7 * offset)
        if offset == -1 and ref.weekday() >= 5:
            saturday = ref - dt.timedelta(days=ref.weekday() - 5 + 7)
        return Fields(value=saturday.isoformat(), granularity="day", low=saturday.isoformat(),
                      high=(saturday + dt.timedelta(days=1)).isoformat())
    if unit == "day":
        return day(ref + dt.timedelta(days=offset))
    return period(_granularity(unit), ref + _delta(unit, offset))


def _weekday(c: Mapping[str, str], ref: dt.date, prefer: str, text: str) -> dt.date:
    name = c["weekday"].rstrip(".")
    if name not in WEEKDAYS:
        raise ParseError(f"{text!r}: unknown weekday")
    wd = WEEKDAYS[name]
    rel = " ".join(c.get("rel", "").split())
    back = (ref.weekday() - wd) % 7
    ahead = (wd - ref.weekday()) % 7
    if rel in PAST_WORDS:
        return ref - dt.timedelta(days=back or 7)
    if rel in FUTURE_WORDS:
        return ref + dt.timedelta(days=ahead or 7)
    if rel in THIS_WORDS:
        return ref - dt.timedelta(days=ref.weekday()) + dt.timedelta(days=wd)
    if prefer == "future":
        return ref + dt.timedelta(days=ahead)
    if prefer == "nearest" and ahead < back:
        return ref + dt.timedelta(days=ahead)
    return ref - dt.timedelta(days=back)


def _quarter(text: str) -> int:
    from .numbers import parse_ordinal

    return int(text[1:]) if text[:1] == "q" else parse_ordinal(text)


def _year(text: str) -> int:
    digits = "".join(ch for ch in text if ch.isdigit())
    if not digits:
        raise ParseError(f"{text!r} is not a year")
    year = int(digits)
    if len(digits) <= 2 and not text.startswith(("ad", "ce")):
        year += 2000 if year < 50 else 1900
    if not 1 <= year <= 9999:
        raise ParseError(f"{text!r} is out of range")
    return year


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
    if "year" in c:
        year = _year(c["year"])
    else:
        year = _pick_year(ref, prefer, lambda y: dt.date(y, month, day_of_month or 1),
                          coarse=day_of_month is None)
    if day_of_month is None:
        return period("month", dt.date(year, month, 1))
    return day(dt.date(year, month, day_of_month))


def _day_number(text: str) -> int:
    digits = "".join(ch for ch in text if ch.isdigit())
    if digits:
        return int(digits)
    from .numbers import parse_ordinal
    return parse_ordinal(text)


def _pick_year(ref: dt.date, prefer: str, make: Any, *, coarse: bool) -> int:
    """The year that puts a month (and day) on the preferred side of the reference date."""
    anchor = ref.replace(day=1) if coarse else ref
    candidates = {}
    for year in (ref.year - 1, ref.year, ref.year + 1):
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


def _with_time(fields: Fields, c: Mapping[str, str], text: str) -> Fields:
    if "hour" not in c and "part" not in c:
        return fields
    if fields["granularity"] != "day":
        return fields
    date = fields["value"]
    if "hour" in c:
        hour = int(parse_number(c["hour"]))
        minute = int(c["minute"]) if c.get("minute", "").isdigit() else 0
        ampm = c.get("ampm", "").replace(".", "")
        if ampm.startswith("p") and hour < 12:
            hour += 12
        elif ampm.startswith("a") and hour == 12:
            hour = 0
        if not (0 <= hour <= 24 and 0 <= minute < 60):
            raise ParseError(f"{text!r} is not a time of day")
        hour %= 24
        granularity = "minute" if "minute" in c else "hour"
        value = f"{date}T{hour:02d}:{minute:02d}"
        return Fields(value=value, granularity=granularity, low=None, high=None)
    part = " ".join(c["part"].split())
    if part not in PARTS_OF_DAY:
        raise ParseError(f"{text!r}: unknown part of day")
    start, end = PARTS_OF_DAY[part]
    if start == end:
        return Fields(value=f"{date}T{start}", granularity="minute", low=None, high=None)
    return Fields(value=date, granularity="part_of_day", low=f"{date}T{start}", high=f"{date}T{end}")
