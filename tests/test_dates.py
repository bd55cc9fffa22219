import datetime as dt

import pytest

from factkit.errors import ParseError
from factkit.parsers import ParseContext
from factkit.parsers.dates import parse_date

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
    (dict(n="3", unit="years", ago="ago"), "2016", "year"),
    (dict(ago="in", n="2", unit="weeks"), "2019-W15", "week"),
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
