from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from factkit.errors import ParseError
from factkit.parsers.numbers import parse_number, parse_ordinal

CARDINALS = [
    ("3,420", 3420), ("1.5", 1.5), ("-4", -4), ("\u22124", -4), ("1.5 million", 1_500_000), ("2bn", 2 * 10**9),
    ("3.2bn", 3_200_000_000), ("12k", 12_000), ("one hundred", 100), ("twenty-five", 25), ("twenty five", 25),
    ("a dozen", 12), ("three hundred thousand", 300_000), ("one hundred and twenty", 120),
    ("two million five hundred thousand", 2_500_000), ("half a million", 500_000), ("two and a half", 2.5),
    ("a million", 1_000_000), ("1 1/2", 1.5), ("minus five", -5), ("1 234 567", 1_234_567), (".5", 0.5),
    ("zero", 0), ("ninety-nine", 99), ("a hundred", 100), ("2 million", 2_000_000), ("5 thousand", 5000),
]


# Fractions, spoken decimals, signs, exponents and Indian scales: the split of a spelt fraction follows
# readers ("one hundred thirty fifths" is 100/35, "one hundred and thirty fifths" is 130/5).
SPELT = [
    ("two thirds", Fraction(2, 3)), ("one hundred thirty fifths", Fraction(100, 35)),
    ("one hundred and thirty fifths", 26), ("one hundred and thirty-two fifths", Fraction(132, 5)),
    ("one one hundred fifth", Fraction(1, 105)), ("twenty twenty fifths", Fraction(20, 25)),
    ("ninety - five hundred fifths", 1900), ("two hundred and fifty-four hundredths", Fraction(20054, 100)),
    ("one hundred and three and two thirds", Fraction(311, 3)), ("a hundred trillionths", Fraction(1, 10**10)),
    ("five and a half million", 5_500_000), ("one billion and a half million", 1_000_500_000),
    ("3 million and a half", 3_500_000), ("two thirds of a million", Fraction(2_000_000, 3)),
    ("one over three", Fraction(1, 3)), ("two out of five hundred", Fraction(2, 500)),
    ("two hundred point zero three", Fraction(20003, 100)), ("nought point eleven", Fraction(11, 100)),
    ("minus five point five", Fraction(-11, 2)), ("negative one over 20", Fraction(-1, 20)),
    ("three hundred and two dozens", 324), ("half a dozen", 6), ("three lakh crore", 3 * 10**12),
    ("6 crore and two hundred", 60_000_200), ("4 thousand 3 hundred and 21", 4321), ("1.3x10^6", 1_300_000),
    ("-12e-1", Fraction(-6, 5)), ("-1.1^--23", Fraction(-11, 10) ** 23), ("-4/5", Fraction(-4, 5)),
    ("- 1 4/5", Fraction(-9, 5)), ("10M", 10_000_000), ("1MM", 1_000_000), ("⅔", Fraction(2, 3)),
    ("a couple", 2), ("fifty - two", 52),
]


@pytest.mark.parametrize("text, value", SPELT)
def test_spelt_numbers(text, value):
    assert parse_number(text) == pytest.approx(float(value), rel=1e-12)


@pytest.mark.parametrize("text", ["three trillionth", "12 out of 10", "one one", "twenty twenty", "a", "of a million"])
def test_not_cardinals(text):
    with pytest.raises(ParseError):
        parse_number(text)


@pytest.mark.parametrize("text, value", CARDINALS)
def test_cardinals(text, value):
    assert parse_number(text) == value
    assert type(parse_number(text)) is type(value)


@pytest.mark.parametrize("text", ["", "lots", "seven dwarfs", "1.2.3", "5 zillion"])
def test_not_numbers(text):
    with pytest.raises(ParseError):
        parse_number(text)


@pytest.mark.parametrize("text, value", [("third", 3), ("21st", 21), ("twenty-first", 21), ("2nd", 2),
                                         ("one hundredth", 100), ("first", 1), ("103rd", 103),
                                         ("one hundred twenty fifth", 125), ("two hundredth", 200),
                                         ("a hundred trillionth", 10**14), ("Nineth", 9),
                                         ("twenty-one trillion and three hundred twenty second", 21 * 10**12 + 322)])
def test_ordinals(text, value):
    assert parse_ordinal(text) == value


@pytest.mark.parametrize("text", ["one second", "five twentieth", "last"])
def test_not_ordinals(text):
    with pytest.raises(ParseError):
        parse_ordinal(text)


@given(st.integers(min_value=-10**15, max_value=10**15))
def test_digits_with_separators_round_trip(n):
    assert parse_number(f"{n:,}") == n
    assert parse_number(str(n)) == n


@given(st.integers(min_value=0, max_value=999_999))
def test_number_words_round_trip(n):
    assert parse_number(_words(n)) == n


_ONES = "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen " \
        "seventeen eighteen nineteen".split()
_TENS = "_ _ twenty thirty forty fifty sixty seventy eighty ninety".split()


def _words(n: int) -> str:
    """An independent spelling of n in English words (the test's oracle, not factkit's code)."""
    if n < 20:
        return _ONES[n]
    if n < 100:
        return _TENS[n // 10] + ("-" + _ONES[n % 10] if n % 10 else "")
    if n < 1000:
        return _ONES[n // 100] + " hundred" + (" and " + _words(n % 100) if n % 100 else "")
    return _words(n // 1000) + " thousand" + (" " + _words(n % 1000) if n % 1000 else "")


def _ctx(**captures):
    import datetime as dt

    from factkit.parsers import ParseContext

    return ParseContext(reference_date=dt.date(2019, 3, 31), captures=captures)


@pytest.mark.parametrize("captures, bounds", [
    ({"low": "5", "high": "10"}, (5, 10)),
    ({"lcmp": "more than", "n1": "thirty"}, (30, None)),
    ({"ucmp": "at most", "n1": "100", "lcmp2": "at least", "n2": "20"}, (20, 100)),
    ({"ecmp": "equal to", "n1": "5000", "sfx": "less"}, (None, 5000)),
    ({"n1": "five hundred", "sfx": "more"}, (500, None)),
])
def test_number_ranges(captures, bounds):
    from factkit.parsers.numbers import parse_number_range

    fields = parse_number_range("x", _ctx(**captures))
    assert (fields["low"], fields["high"]) == bounds


@pytest.mark.parametrize("captures", [{"low": "5", "high": "4"}, {"lcmp": "more than", "n1": "40", "ucmp2": "less than",
                                                                   "n2": "10"}, {"lcmp": "over", "n1": "5",
                                                                                  "lcmp2": "above", "n2": "7"}])
def test_impossible_ranges_are_refused(captures):
    from factkit.parsers.numbers import parse_number_range

    with pytest.raises(ParseError):
        parse_number_range("x", _ctx(**captures))


@pytest.mark.parametrize("captures, value", [
    ({"value": "75", "scale": "million"}, 75_000_000), ({"value": "30", "scale": "M"}, 30_000_000),
    ({"value": "50", "minor": "cents"}, 0.5), ({"value": "thirteen", "cents": "forty-five"}, 13.45),
])
def test_amounts(captures, value):
    from factkit.parsers.numbers import parse_amount

    assert parse_amount("x", _ctx(**captures))["value"] == pytest.approx(value)


def test_amount_refuses_a_hundred_cents():
    from factkit.parsers.numbers import parse_amount

    with pytest.raises(ParseError):
        parse_amount("x", _ctx(value="5", cents="200"))
