"""Cardinal and ordinal numbers written in digits, words or both ("1.5 million", "twenty-five", "21st")."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from fractions import Fraction

import regex

from ..errors import ParseError

UNITS = {
    "zero": 0, "nil": 0, "none": 0, "one": 1, "a": 1, "an": 1, "single": 1, "two": 2, "three": 3, "four": 4,
    "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
    "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19, "couple": 2, "pair": 2,
}
TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fourty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
        "eighty": 80, "ninety": 90}
SCALES = {
    "hundred": 100, "thousand": 10**3, "million": 10**6, "billion": 10**9, "trillion": 10**12,
    "lakh": 10**5, "lakhs": 10**5, "crore": 10**7, "crores": 10**7,
    "k": 10**3, "m": 10**6, "mn": 10**6, "mln": 10**6, "mil": 10**6, "bn": 10**9, "b": 10**9, "bln": 10**9,
    "tn": 10**12, "trn": 10**12, "t": 10**12,
}
SCALES.update({w + "s": v for w, v in list(SCALES.items()) if len(w) > 3 and not w.endswith("s")})
MULTIPLIERS = {"dozen": 12, "dozens": 12, "score": 20, "gross": 144}
FRACTIONS = {"half": Fraction(1, 2), "halves": Fraction(1, 2), "third": Fraction(1, 3), "thirds": Fraction(1, 3),
             "quarter": Fraction(1, 4), "quarters": Fraction(1, 4), "fifth": Fraction(1, 5),
             "fifths": Fraction(1, 5), "tenth": Fraction(1, 10), "tenths": Fraction(1, 10)}

ORDINAL_WORDS = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8,
    "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12, "thirteenth": 13, "fourteenth": 14,
    "fifteenth": 15, "sixteenth": 16, "seventeenth": 17, "eighteenth": 18, "nineteenth": 19,
    "twentieth": 20, "thirtieth": 30, "fortieth": 40, "fiftieth": 50, "sixtieth": 60, "seventieth": 70,
    "eightieth": 80, "ninetieth": 90, "hundredth": 100, "thousandth": 1000, "millionth": 10**6,
    "billionth": 10**9, "last": None,
}

_DASHES = str.maketrans({"\u2212": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-", "\u2010": "-",
                         "\u2011": "-", "\u00a0": " ", "\u202f": " ", "\u2009": " ", "\u2007": " "})
_DIGITS = regex.compile(
    r"(?P<sign>[-+])?\s*(?P<int>\d{1,3}(?:(?P<sep>[,\s'])\d{3})(?:(?P=sep)\d{3})*|\d*)"
    r"(?:\.(?P<frac>\d+))?(?:\s*(?P<num>\d+)\s*/\s*(?P<den>\d+))?\s*(?P<rest>.*)", regex.S)
_FRACTION_CHARS = {"½": Fraction(1, 2), "¼": Fraction(1, 4), "¾": Fraction(3, 4), "⅓": Fraction(1, 3),
                   "⅔": Fraction(2, 3)}
_SPLIT = regex.compile(r"[\s\-]+")
_ORDINAL_DIGITS = regex.compile(r"(\d+)\s*(?:st|nd|rd|th|d)\.?", regex.I)


def to_python(value: Fraction | Decimal | int) -> int | float:
    """An int when the value is whole, else a float: what a JSON reader expects."""
    if isinstance(value, int):
        return value
    if value == int(value):
        return int(value)
    return float(value)


def parse_number(text: str) -> int | float:
    """Parse a cardinal written in digits, words or a mix; raise ParseError if it is not one."""
    return to_python(_parse_exact(text))


def parse_number_text(text: str, ctx: object = None) -> int | float:
    return parse_number(text)


def _parse_exact(text: str) -> Fraction:
    s = text.translate(_DASHES).strip().lower()
    s = s.replace("\u00bd", " ½").strip()
    if not s:
        raise ParseError("empty number")
    m = _DIGITS.fullmatch(s)
    if m and (m["int"] or m["frac"] or m["num"]):
        try:
            value = Fraction(Decimal((m["int"] or "0").replace(",", "").replace(" ", "").replace("'", "")
                                     + ("." + m["frac"] if m["frac"] else "")))
        except InvalidOperation:
            raise ParseError(f"{text!r} is not a number") from None
        if m["num"]:
            den = int(m["den"])
            if den == 0:
                raise ParseError(f"{text!r} divides by zero")
            value += Fraction(int(m["num"]), den)
        rest = m["rest"].strip()
        if rest:
            value *= _scale_words(rest, text)
        return -value if m["sign"] == "-" else value
    negative = s.startswith(("minus ", "negative ", "-"))
    if negative:
        s = s.split(None, 1)[1] if not s.startswith("-") else s[1:]
    value = _parse_words(s, text)
    return -value if negative else value


def _scale_words(rest: str, original: str) -> Fraction:
    if rest in _FRACTION_CHARS:
        return Fraction(1)  # handled by caller forms such as "2½" below
    factor = Fraction(1)
    for word in _SPLIT.split(rest.replace("-", " ")):
        if not word or word == "and":
            continue
        word = word.rstrip(".")
        if word in SCALES:
            factor *= SCALES[word]
        elif word in MULTIPLIERS:
            factor *= MULTIPLIERS[word]
        else:
            raise ParseError(f"{original!r}: unknown scale word {word!r}")
    return factor


def _parse_words(s: str, original: str) -> Fraction:
    words = [w for w in _SPLIT.split(s.replace(",", " ")) if w]
    if not words:
        raise ParseError(f"{original!r} is not a number")
    total = Fraction(0)   # completed groups above the current scale ("three million" in "three million two")
    current = Fraction(0)  # the group being built ("two hundred forty")
    seen = False
    i = 0
    while i < len(words):
        w = words[i]
        if w in _FRACTION_CHARS:
            current += _FRACTION_CHARS[w]
            seen = True
        elif w == "and":
            # "two and a half": the rest is a fraction added to what came before
            if i + 2 < len(words) and words[i + 1] in ("a", "an", "one") and words[i + 2] in FRACTIONS:
                current += FRACTIONS[words[i + 2]]
                i += 3
                continue
        elif w in ("a", "an") and i + 1 < len(words) and words[i + 1] in FRACTIONS and not seen:
            current += FRACTIONS[words[i + 1]]  # "a half", "a quarter million"
            seen = True
            i += 2
            continue
        elif w in ("half",) and not seen:
            current += Fraction(1, 2)  # "half a million"
            seen = True
            if i + 1 < len(words) and words[i + 1] in ("a", "an"):
                i += 1
        elif w in UNITS:
            current += UNITS[w]
            seen = True
        elif w in TENS:
            current += TENS[w]
            seen = True
        elif w in FRACTIONS and seen and current:
            # "three quarters", "two thirds"
            current *= FRACTIONS[w]
        elif w in MULTIPLIERS:
            current = (current or 1) * MULTIPLIERS[w]
            seen = True
        elif w in SCALES and not (len(w) <= 3 and w not in ("k",)):
            scale = SCALES[w]
            if scale == 100:
                current = (current or 1) * 100
            else:
                total += (current or 1) * scale
                current = Fraction(0)
            seen = True
        elif _is_digits(w):
            current += Fraction(Decimal(w.replace(",", "")))
            seen = True
        else:
            raise ParseError(f"{original!r}: {w!r} is not a number word")
        i += 1
    if not seen:
        raise ParseError(f"{original!r} is not a number")
    return total + current


def _is_digits(w: str) -> bool:
    try:
        Decimal(w.replace(",", ""))
    except InvalidOperation:
        return False
    return True


def parse_ordinal(text: str) -> int:
    """Parse "third", "twenty-first", "21st", "one hundredth"; raise ParseError otherwise."""
    s = text.translate(_DASHES).strip().lower()
    m = _ORDINAL_DIGITS.fullmatch(s)
    if m:
        return int(m[1])
    words = [w for w in _SPLIT.split(s) if w and w != "and"]
    if not words or words[-1] not in ORDINAL_WORDS or ORDINAL_WORDS[words[-1]] is None:
        raise ParseError(f"{text!r} is not an ordinal")
    last = ORDINAL_WORDS[words[-1]]
    if len(words) == 1:
        return last
    head = _parse_words(" ".join(words[:-1]), text)
    if last in (100, 1000, 10**6, 10**9):  # "one hundredth", "two thousandth"
        return int(head * last)
    return int(head + last)


def parse_ordinal_text(text: str, ctx: object = None) -> int:
    return parse_ordinal(text)
