import datetime as dt

import pytest

import factkit
from factkit.errors import ParseError
from factkit.parsers import ParseContext
from factkit.parsers.dates import _holiday, _holiday_in, _year, parse_date, parse_duration, parse_recurrence

REF = dt.date(2019, 3, 31)  # a Sunday


def resolve(prefer="past", ref=REF, **captures):
    return dict(parse_date("", ParseContext(reference_date=ref, prefer=prefer, captures=captures)))


@pytest.mark.parametrize("captures, value, granularity", [
    (dict(month="March", day="28"), "2019-03-28", "day"),
    (dict(month="February", day="2"), "2019-02-02", "day"),
    (dict(month="April", day="5"), "2018-04-05", "day"),  # the past reading of a later month
    (dict(day="28", month="march", year="2019"), "2019-03-28", "day"),
    (dict(month="03", day="28", year="2019"), "2019-03-28", "day"),
    (dict(month="December"), "2018-12", "month"),
    (dict(year="1962"), "1962", "year"),
    (dict(weekday="Saturday"), "2019-03-30", "day"),
    (dict(weekday="Sunday"), "2019-03-31", "day"),
    (dict(rel="last", weekday="Sunday"), "2019-03-24", "day"),
    (dict(rel="next", weekday="Friday"), "2019-04-05", "day"),
    (dict(rel="last", unit="week"), "2019-W12", "week"),
    (dict(rel="last", unit="month"), "2019-02", "month"),
    (dict(rel="this", unit="year"), "2019", "year"),
    (dict(named="yesterday"), "2019-03-30", "day"),
    (dict(named="the day after tomorrow"), "2019-04-02", "day"),
    (dict(n="two", unit="days", ago="ago"), "2019-03-29", "day"),
    (dict(n="3", unit="years", ago="ago"), "2016-03-31", "day"),  # a shift lands on a day
    (dict(ago="in", n="2", unit="weeks"), "2019-04-14", "day"),
    (dict(n="three", unit="weeks", shift="from", named="tomorrow"), "2019-04-22", "day"),
    (dict(n="2", unit="weeks", shift="before", month="May", day="13", year="1999"), "1999-04-29", "day"),
    (dict(onweekday="Monday", n="two", unit="weeks", ago="from now"), "2019-04-08", "day"),  # its week's Monday
    (dict(onweekday="Friday", ago="in", n="3", unit="days"), "2019-04-05", "day"),
    (dict(weekday="Monday", day="11"), "2019-03-11", "day"),  # the nearby 11th that is a Monday
    (dict(weekday="Tuesday", month="March", day="7"), "2017-03-07", "day"),  # the year it is a Tuesday
    (dict(wrel="next", weekday="Wednesday"), "2019-04-03", "day"),
    (dict(day="18th"), "2019-03-18", "day"),
    (dict(week="31"), "2019-W31", "week"),
    (dict(week="first", year="2015"), "2015-W01", "week"),
    (dict(quarter="first", yrel="next"), "2020-Q1", "quarter"),
    (dict(decade="nineties"), "199", "decade"),
    (dict(year="nineteen eighty six"), "1986", "year"),
    (dict(year="two thousand and fifteen"), "2015", "year"),
    (dict(hour="seven", minute="thirty", ampm="p m"), "2019-03-31T19:30", "minute"),
    (dict(minute="half", past="past", hour="seven"), "2019-03-31T07:30", "minute"),
    (dict(minute="a quarter", past="to", hour="nine"), "2019-03-31T08:45", "minute"),
    (dict(hour="8", part="evening"), "2019-03-31T20:00", "hour"),
    (dict(hour="3", named="tonight"), "2019-03-31T03:00", "hour"),  # small hours stay in the night
    (dict(hour="7", named="tonight"), "2019-03-31T19:00", "hour"),
    (dict(named="tomorrow", hour="8", minute="00", ampm="am"), "2019-04-01T08:00", "minute"),
    (dict(quarter="Q3", year="2019"), "2019-Q3", "quarter"),
    (dict(quarter="third", year="2018"), "2018-Q3", "quarter"),
    (dict(decade="1990s"), "199", "decade"),
    (dict(hour="3", ampm="pm"), "2019-03-31T15:00", "hour"),
    (dict(hour="15", minute="30"), "2019-03-31T15:30", "minute"),
    (dict(hour="12", ampm="am"), "2019-03-31T00:00", "hour"),
])
def test_resolution(captures, value, granularity):
    got = resolve(**captures)
    assert (got["value"], got["granularity"]) == (value, granularity)


def test_periods_have_inclusive_bounds():
    assert resolve(rel="last", unit="week")[("low")] == "2019-03-18"
    assert resolve(rel="last", unit="week")["high"] == "2019-03-24"
    assert (resolve(month="February")["low"], resolve(month="February")["high"]) == ("2019-02-01", "2019-02-28")
    assert resolve(month="March", day="28")["low"] is None


@pytest.mark.parametrize("prefer, value", [("past", "2018-04-05"), ("future", "2019-04-05"),
                                           ("nearest", "2019-04-05")])
def test_prefer_picks_the_year(prefer, value):
    assert resolve(prefer, month="April", day="5")["value"] == value


@pytest.mark.parametrize("prefer, value", [("past", "2019-03-29"), ("future", "2019-04-05"),
                                           ("nearest", "2019-03-29")])
def test_prefer_picks_the_week(prefer, value):
    assert resolve(prefer, weekday="Friday")["value"] == value


def test_leap_day_without_year_finds_a_leap_year_in_reach():
    assert resolve(ref=dt.date(2021, 3, 1), month="February", day="29")["value"] == "2020-02-29"


@pytest.mark.parametrize("captures", [dict(month="February", day="30", year="2019"), dict(month="13", day="1"),
                                      dict(quarter="Q5"), dict(hour="25", minute="00"), dict()])
def test_impossible_dates_are_refused(captures):
    with pytest.raises(ParseError):
        resolve(**captures)


def test_parts_of_the_day_have_their_instants():
    got = resolve(named="tomorrow", part="night")
    assert (got["value"], got["granularity"], got["low"], got["high"]) == \
        ("2019-04-01", "part_of_day", "2019-04-01T20:00", "2019-04-01T23:59:59")
    assert resolve(part="tonight")["low"] == "2019-03-31T20:00"


@pytest.mark.parametrize("captures, low, high, granularity", [
    (dict(from_year="2014", to_year="2018"), "2014-01-01", "2018-12-31", "year"),  # both ends inclusive
    (dict(from_month="nov", to_month="feb", to_year="2017"), "2016-11-01", "2017-02-28", "month"),
    (dict(from_month="november", from_day="18", to_day="19"), "2018-11-18", "2018-11-19", "day"),
    (dict(from_day="ninth", to_day="seventeenth", to_month="april"), "2018-04-09", "2018-04-17", "day"),
    (dict(from_month="jan", from_year="2019", to_named="today"), "2019-01-01", "2019-03-31", "day"),
    (dict(from_hour="5", to_hour="6", to_ampm="pm"), "2019-03-31T17:00", "2019-03-31T18:00", "hour"),
    (dict(from_hour="2", from_minute="30", to_hour="2", to_minute="15", to_ampm="pm"),
     "2019-03-31T02:30", "2019-03-31T14:15", "minute"),  # "from 2:30 to 2:15 pm": the start is in the morning
    (dict(kw="between", named="yesterday", from_hour="3", to_hour="8"), "2019-03-30T03:00", "2019-03-30T08:00",
     "hour"),
])
def test_periods_between_two_ends(captures, low, high, granularity):
    got = resolve(**captures)
    assert (got["value"], got["low"], got["high"], got["granularity"]) == (None, low, high, granularity)


@pytest.mark.parametrize("captures", [
    dict(from_day="3", to_day="12"),  # two numbers are not two days
    dict(from_month="dec", to_year="2018"),  # "Dec-2018" is one month
    dict(from_day="05", to_month="aug", to_year="2016"),  # "05-Aug-2016" is one day
    dict(kw="from", from_hour="5", to_hour="10"),  # "from 5 to 10" without a day or am/pm
    dict(from_rel="this", from_weekday="friday", to_month="jun", to_day="15"),  # "this Friday-Jun-15"
])
def test_what_is_not_a_period(captures):
    with pytest.raises(ParseError):
        resolve(**captures)


@pytest.mark.parametrize("captures, low, high", [
    (dict(bound="after", year="2016"), "2017-01-01", None),
    (dict(bound="before", year="2018"), None, "2017-12-31"),
    (dict(bound="since", month="march", year="2019"), "2019-03-01", None),
    (dict(bound="by", edge="end of", rel="this", unit="month"), None, "2019-03-31"),
    (dict(bound="before", hour="2", minute="30", ampm="pm"), None, "2019-03-31T14:30"),
])
def test_open_periods(captures, low, high):
    got = resolve(**captures)
    assert (got["value"], got["low"], got["high"]) == (None, low, high)


@pytest.mark.parametrize("captures, low, high", [
    (dict(edge="the end of", year="2000"), "2000-09-01", "2000-12-31"),
    (dict(edge="mid", year="1989"), "1989-05-01", "1989-08-31"),
    (dict(edge="early", month="march", year="2019"), "2019-03-01", "2019-03-10"),
])
def test_edges_are_thirds(captures, low, high):
    got = resolve(**captures)
    assert (got["low"], got["high"]) == (low, high)


@pytest.mark.parametrize("captures, low, high, granularity", [
    (dict(rel="next", n="three", unit="days"), "2019-04-01", "2019-04-03", "day"),
    (dict(rel="past", n="5", unit="years"), "2014-03-31", "2019-03-30", "day"),
    (dict(rel="last", n="2", unit="quarters"), "2018-07-01", "2018-12-31", "quarter"),
    (dict(within="within", n="9", unit="months"), "2019-03-31", "2019-12-30", "day"),
])
def test_spans_of_units_beside_the_reference(captures, low, high, granularity):
    got = resolve(**captures)
    assert (got["low"], got["high"], got["granularity"]) == (low, high, granularity)


@pytest.mark.parametrize("rule, year, expected", [
    ({"month": 12, "day": 25}, 2019, "2019-12-25"),
    ({"easter": 0}, 2018, "2018-04-01"),
    ({"month": 11, "weekday": "thursday", "nth": 4, "shift": 1}, 2010, "2010-11-26"),  # black friday
    ({"month": 5, "weekday": "monday", "nth": -1}, 2019, "2019-05-27"),  # memorial day
])
def test_holiday_rules(rule, year, expected):
    assert _holiday_in(rule, year).isoformat() == expected


@pytest.mark.parametrize("prefer, rel, expected", [("past", "", "2018-04-01"), ("future", "", "2019-04-21"),
                                                   ("past", "next", "2019-04-21"), ("past", "last", "2018-04-01")])
def test_holidays_follow_prefer_and_rel(prefer, rel, expected):
    captures = dict(holiday={"easter": 0}, **({"rel": rel} if rel else {}))
    got = _holiday(captures, REF, prefer)
    assert got.isoformat() == expected


@pytest.mark.parametrize("captures, value, unit", [
    (dict(n="three", unit="weeks"), 3, "week"),
    (dict(n="a few", unit="minutes"), 3, "minute"),
    (dict(n="one and a half", unit="hours"), 1.5, "hour"),
    (dict(n="one", unit="hour", frac="and a half"), 1.5, "hour"),
    (dict(n="1", unit="hour", n2="30", unit2="minutes"), 90, "minute"),
    (dict(n="½", unit="hour"), 0.5, "hour"),
    (dict(n="2", unit="nights"), 2, "day"),
])
def test_durations(captures, value, unit):
    got = parse_duration("", ParseContext(reference_date=REF, captures=captures))
    assert (got["value"], got["unit"]) == (value, unit)


@pytest.mark.parametrize("captures, fields", [
    (dict(edge="end of", named="tomorrow"), ("2019-04-01T23:59:59", "second", None, None)),
    (dict(edge="late", weekday="Tuesday"), ("2019-03-26", "part_of_day", "2019-03-26T12:00", "2019-03-26T23:59:59")),
    (dict(edge="early", part="morning"), ("2019-03-31", "part_of_day", "2019-03-31T08:00", "2019-03-31T10:00")),
    (dict(n="a", unit="week", lasting="starting", named="tomorrow"), (None, "day", "2019-04-01", "2019-04-07")),
    (dict(side="last", n="four", sunit="months", year="2021"), (None, "month", "2021-09-01", "2021-12-31")),
    (dict(from_hour="10", from_minute="30", to_hour="3"), (None, "minute", "2019-03-31T10:30", "2019-03-31T15:00")),
    (dict(hour="2", ampm="pm", for_n="2", for_unit="hours"), (None, "hour", "2019-03-31T14:00", "2019-03-31T16:00")),
    (dict(hour="10", ampm="am", for_n="3", for_unit="hours", for_n2="30", for_unit2="minutes"),
     (None, "minute", "2019-03-31T10:00", "2019-03-31T13:30")),
    (dict(hour="23", minute="00", for_n="2", for_unit="hours"), (None, "minute", "2019-03-31T23:00", "2019-04-01T01:00")),
])
def test_edges_stretches_and_afternoon_ends(captures, fields):
    got = resolve(**captures)
    assert (got["value"], got["granularity"], got["low"], got["high"]) == fields


@pytest.mark.parametrize("holiday, year, low, high", [
    ("halloween", "2022", "2022-10-29", "2022-10-31"),  # a Monday: the weekend before, and the Monday
    ("thanksgiving", "2023", "2023-11-23", "2023-11-26"),  # a Thursday: from it to the Sunday after
    ("christmas", "2021", "2021-12-25", "2021-12-26"),  # a Saturday: its own weekend
])
def test_a_holiday_weekend_holds_the_holiday(holiday, year, low, high):
    extractor = factkit.Extractor(["dates"], reference_date=REF)
    facts = extractor.extract(f"{holiday} weekend {year}")
    assert [(f.low, f.high) for f in facts if f.kind == "date"] == [(low, high)]


def test_a_length_of_hours_needs_a_time_of_day():
    with pytest.raises(ParseError):
        resolve(named="tomorrow", for_n="2", for_unit="hours")


def test_a_stretch_cannot_outgrow_its_period():
    with pytest.raises(ParseError):
        resolve(side="first", n="13", sunit="months", year="2021")


@pytest.mark.parametrize("rel, weekday, value", [
    ("last", "Wednesday", "2019-01-23"),  # the Wednesday of last week, not yesterday
    ("next", "Friday", "2019-02-08"),  # the Friday of next week, not tomorrow
    ("this", "Friday", "2019-02-01"),
    ("coming", "Thursday", "2019-02-07"),  # the first one after today
])
def test_last_and_next_weekdays_name_their_week(rel, weekday, value):
    assert resolve(ref=dt.date(2019, 1, 31), rel=rel, weekday=weekday)["value"] == value


@pytest.mark.parametrize("ref, year, expected", [
    (dt.date(2016, 11, 7), "40", 1940), (dt.date(2016, 11, 7), "35", 2035), (dt.date(2018, 5, 1), "18", 2018),
    (dt.date(2018, 1, 7), "87", 1987),
])
def test_two_digit_years_fall_at_most_twenty_years_ahead(ref, year, expected):
    assert _year(year, ref) == expected


@pytest.mark.parametrize("captures, value, unit, attributes", [
    (dict(freq="daily"), 1, "day", {}),
    (dict(freq="bi-monthly"), 2, "month", {}),
    (dict(freq="semi-annually"), 6, "month", {}),
    (dict(n="two", unit="days"), 2, "day", {}),
    (dict(n="other", unit="week"), 2, "week", {}),
    (dict(unit="weekends"), 1, "week", {"days": "weekend"}),
    (dict(unit="weekday"), 1, "day", {"days": "weekdays"}),
    (dict(unit="night"), 1, "day", {"part_of_day": "night"}),
    (dict(weekday="Mondays"), 1, "week", {"weekday": "monday"}),
    (dict(n="other", weekday="Friday"), 2, "week", {"weekday": "friday"}),
    (dict(weekday="tuesday", hour="4", ampm="pm"), 1, "week", {"weekday": "tuesday", "time": "16:00"}),
    (dict(part="evening", hour="7", minute="13", ampm="p.m."), 1, "day", {"time": "19:13"}),
    (dict(part="mornings"), 1, "day", {"part_of_day": "morning"}),
    (dict(weekday="friday", part="mornings"), 1, "week", {"weekday": "friday", "part_of_day": "morning"}),
    (dict(day="19th"), 1, "month", {"day": 19}),
    (dict(hour="3", ampm="pm", unit="day"), 1, "day", {"time": "15:00"}),
])
def test_recurrences(captures, value, unit, attributes):
    got = parse_recurrence("", ParseContext(reference_date=REF, captures=captures))
    assert (got["value"], got["unit"], got["attributes"]) == (value, unit, attributes)


def test_a_recurrence_needs_a_real_weekday():
    with pytest.raises(ParseError):
        parse_recurrence("", ParseContext(reference_date=REF, captures={"weekday": "someday"}))


@pytest.mark.parametrize("captures, low, high", [
    (dict(edge="earlier", rel="this", unit="year"), "2019-01-01", "2019-03-31"),  # up to the reference day
    (dict(edge="later", rel="this", unit="month"), "2019-03-31", "2019-03-31"),
    (dict(edge="later", rel="this", unit="quarter"), "2019-03-31", "2019-03-31"),
    (dict(edge="earlier", rel="last", unit="week"), "2019-03-18", "2019-03-20"),  # a half, in days
    (dict(edge="later", rel="last", unit="week"), "2019-03-21", "2019-03-24"),
    (dict(edge="later", rel="next", unit="year"), "2020-07-01", "2020-12-31"),  # a half, in months
    (dict(edge="earlier", rel="last", unit="quarter"), "2018-10-01", "2018-11-15"),
])
def test_earlier_and_later_split_at_the_reference_or_halve(captures, low, high):
    got = resolve(**captures)
    assert (got["low"], got["high"]) == (low, high)
