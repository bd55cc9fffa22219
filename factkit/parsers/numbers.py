"""Cardinal and ordinal numbers written in digits, words or both ("1.5 million", "twenty-five", "21st").

Cardinals also cover the forms news and specifications spell out: fractions ("two thirds", "one and a
half", "three quarters of a million", "1 over 3", "two out of five"), spoken decimals ("two point zero
three"), signs in words ("minus five"), exponents ("1.3e6", "1.3x10^6", "1.1^23"), spaced thousands
("1 234 567"), and the Indian scales lakh and crore. The rule's regex decides what is a number; these
functions give any matched text its value or refuse it with ParseError.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from fractions import Fraction
from typing import Any

import regex

from ..errors import ParseError
from ..regex_cache import compile_pattern
from . import Fields, ParseContext

UNITS = {
    "zero": 0, "nought": 0, "naught": 0, "nil": 0, "none": 0, "one": 1, "a": 1, "an": 1, "single": 1,
    "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10,
    "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
    "seventeen": 17, "eighteen": 18, "nineteen": 19, "couple": 2, "pair": 2,
}
TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fourty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
        "eighty": 80, "ninety": 90}
# Scales that close a group ("three million | two hundred"); "hundred" works inside a group instead.
BIG_SCALES = {"thousand": 10**3, "million": 10**6, "billion": 10**9, "trillion": 10**12, "lakh": 10**5,
              "crore": 10**7}
SCALES = {
    "hundred": 100, **BIG_SCALES,
    "k": 10**3, "m": 10**6, "mn": 10**6, "mln": 10**6, "mil": 10**6, "mm": 10**6, "bn": 10**9, "b": 10**9,
    "bln": 10**9, "tn": 10**12, "trn": 10**12, "tln": 10**12, "t": 10**12,
}
SCALES.update({w + "s": v for w, v in list(SCALES.items()) if len(w) > 3 and not w.endswith("s")})
MULTIPLIERS = {"dozen": 12, "dozens": 12, "dz": 12, "dzs": 12, "doz": 12, "dozs": 12, "score": 20, "gross": 144}
# A fraction word standing for a number on its own: "half a million", "a quarter", "three quarters".
FRACTIONS = {"half": Fraction(1, 2), "halves": Fraction(1, 2), "quarter": Fraction(1, 4),
             "quarters": Fraction(1, 4)}

ORDINAL_WORDS = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8,
    "ninth": 9, "nineth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12, "thirteenth": 13, "fourteenth": 14,
    "fifteenth": 15, "sixteenth": 16, "seventeenth": 17, "eighteenth": 18, "nineteenth": 19,
    "twentieth": 20, "thirtieth": 30, "fortieth": 40, "fiftieth": 50, "sixtieth": 60, "seventieth": 70,
    "eightieth": 80, "ninetieth": 90, "hundredth": 100, "thousandth": 1000, "millionth": 10**6,
    "billionth": 10**9, "trillionth": 10**12, "last": None,
}
# Denominators of spelt fractions: ordinal words ("fifths", "a third") plus "half" and "quarter".
# "second" is left out: "thirty seconds" is a duration, never fifteen.
DENOMINATORS = {w: v for w, v in ORDINAL_WORDS.items() if v is not None and w != "second"}
DENOMINATORS.update({"half": 2, "quarter": 4})
DENOMINATORS.update({w + "s": v for w, v in list(DENOMINATORS.items())})
DENOMINATORS["halves"] = 2

_DASHES = str.maketrans({"\u2212": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-", "\u2010": "-",
                         "\u2011": "-", "\u00a0": " ", "\u202f": " ", "\u2009": " ", "\u2007": " "})
# Patterns come from the compile cache (regex_cache) and are built on first use: the regex module's own
# parser took about a millisecond each at every import.
_DIGITS = compile_pattern(
    r"(?P<sign>[-+])?\s*(?P<int>\d{1,3}(?:(?P<sep>[,\s'])\d{3})(?:(?P=sep)\d{3})*|\d*)"
    r"(?:\.(?P<frac>\d+))?(?:\s*(?P<num>\d+)\s*/\s*(?P<den>\d+))?\s*(?P<rest>.*)", regex.S, lazy=True)
# "1e10", "-12e-1", "1.3x10^6", "6.23 x 10^-4", "1.1^23", "-1.1^--23" (signs of the exponent multiply).
_POWER = compile_pattern(r"(?P<base>[-+]?\s*\d+(?:\.\d+)?)\s*(?:e(?P<e>[-+]?\d+)|[x×]\s*10\s*\^\s*(?P<x>[-+]?\d+)"
                        r"|\^\s*(?P<psign>[-+]*)(?P<p>\d+))", lazy=True)
_SLASH = compile_pattern(r"(?P<sign>[-+])?\s*(?P<num>\d+)\s*/\s*(?P<den>\d+)", lazy=True)
_FRACTION_CHARS = {"½": Fraction(1, 2), "¼": Fraction(1, 4), "¾": Fraction(3, 4), "⅓": Fraction(1, 3),
                   "⅔": Fraction(2, 3), "⅕": Fraction(1, 5), "⅙": Fraction(1, 6), "⅛": Fraction(1, 8),
                   "⅜": Fraction(3, 8), "⅝": Fraction(5, 8), "⅞": Fraction(7, 8)}
_SPACED_DASH = compile_pattern(r"\s*-\s*", lazy=True)
_ORDINAL_DIGITS = compile_pattern(r"(\d+)\s*(?:st|nd|rd|th|d)\.?", regex.I, lazy=True)
_SIGN_WORDS = ("minus", "negative")
_RATIO_WORDS = ("over", "in")


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


def _normalise(text: str) -> str:
    return " ".join(text.translate(_DASHES).lower().split())


def _parse_exact(text: str) -> Fraction:
    s = _normalise(text)
    if not s:
        raise ParseError("empty number")
    for char, value in _FRACTION_CHARS.items():
        if s == char:
            return value
        if s.endswith(char) and s[:-1].strip().isdigit():  # "2½"
            return Fraction(int(s[:-1])) + value
    power = _POWER.fullmatch(s)
    if power:
        return _power(power)
    slash = _SLASH.fullmatch(s)
    if slash:
        if int(slash["den"]) == 0:
            raise ParseError(f"{text!r} divides by zero")
        value = Fraction(int(slash["num"]), int(slash["den"]))
        if value >= 1:  # "24/7", "9/2": a schedule or a tally, not a share
            raise ParseError(f"{text!r} is not a proper fraction")
        return -value if slash["sign"] == "-" else value
    m = _DIGITS.fullmatch(s)
    if m and (m["int"] or m["frac"] or m["num"]):
        return _digits(m, text)
    negative = s.startswith("-") or s.split(" ", 1)[0] in _SIGN_WORDS
    if negative:
        s = s[1:].strip() if s.startswith("-") else s.split(" ", 1)[1] if " " in s else ""
    value = _words(_tokens(s), text)
    return -value if negative else value


def _power(m: regex.Match[str]) -> Fraction:
    base = Fraction(Decimal(m["base"].replace(" ", "")))
    if m["p"] is not None:
        exponent = int(m["p"]) * (-1 if m["psign"].count("-") % 2 else 1)
        return base ** exponent
    return base * Fraction(10) ** int(m["e"] if m["e"] is not None else m["x"])


def _digits(m: regex.Match[str], text: str) -> Fraction:
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
        words = _tokens(rest)
        if words[0] in ("and",):  # "1.5 and a half" is not a form; "3 million and a half" is
            raise ParseError(f"{text!r} is not a number")
        value = _words([_decimal_token(value), *words], text)
    return -value if m["sign"] == "-" else value


def _decimal_token(value: Fraction) -> str:
    """A digit token standing for an already parsed value, so words after digits ("3 hundred") combine."""
    return f"#{value.numerator}/{value.denominator}"


def _tokens(s: str) -> list[str]:
    """Words, with "fifty - two" joined as "fifty-two" (a hyphen binds tighter than a space)."""
    return [t for t in _SPACED_DASH.sub("-", s).replace(",", " ").split() if t]


def _token_value(tok: str) -> Fraction | None:
    """The value of a number token with no scale: digits, a word or a hyphenated compound."""
    if tok.startswith("#"):
        num, den = tok[1:].split("/")
        return Fraction(int(num), int(den))
    if tok in UNITS:
        return Fraction(UNITS[tok])
    if tok in TENS:
        return Fraction(TENS[tok])
    parts = tok.split("-")
    if len(parts) == 2 and parts[0] in TENS and parts[1] in UNITS and UNITS[parts[1]] < 10:
        return Fraction(TENS[parts[0]] + UNITS[parts[1]])
    try:
        return Fraction(Decimal(tok.replace(",", "")))
    except (InvalidOperation, ValueError):
        return None


def _split_compounds(tokens: list[str]) -> list[str]:
    out: list[str] = []
    for tok in tokens:
        if "-" in tok and _token_value(tok) is None and not tok.startswith("-"):
            out.extend(p for p in tok.split("-") if p)
        else:
            out.append(tok)
    return out


def _words(tokens: list[str], original: str) -> Fraction:
    """Evaluate a spelt number: ratio, then "of a", then decimals, then fractions, then the integer."""
    if not tokens:
        raise ParseError(f"{original!r} is not a number")
    for i, tok in enumerate(tokens):
        if 0 < i < len(tokens) - 1 and (tok in _RATIO_WORDS or (tok == "out" and tokens[i + 1] == "of")):
            right = tokens[i + 2:] if tok == "out" else tokens[i + 1:]
            num, den = _words(tokens[:i], original), _words(right, original)
            if den == 0:
                raise ParseError(f"{original!r} divides by zero")
            if tok != "over" and abs(num) > abs(den):  # "12 out of 10", "8 in 5": two numbers, not a share
                raise ParseError(f"{original!r}: {num} {tok} {den} is not a share")
            return num / den
    if "of" in tokens:  # "two thirds of a million"
        i = tokens.index("of")
        if 0 < i < len(tokens) - 2 and tokens[i + 1] in ("a", "an"):
            return _words(tokens[:i], original) * _words(tokens[i + 2:], original)
        raise ParseError(f"{original!r}: 'of' is not part of a number")
    if "point" in tokens:
        i = tokens.index("point")
        whole = _words(tokens[:i], original) if i else Fraction(0)
        return whole + _spoken_decimals(tokens[i + 1:], original)
    return _fraction(tokens, original)


def _spoken_decimals(tokens: list[str], original: str) -> Fraction:
    """"zero three" -> .03, "seventy-one" -> .71, "eleven" -> .11: each word writes its digits."""
    digits = ""
    for tok in tokens:
        value = _token_value(tok) if tok != "oh" else Fraction(0)
        if value is None or value.denominator != 1 or value < 0 or tok in ("a", "an"):
            raise ParseError(f"{original!r}: {tok!r} after 'point' is not a digit word")
        digits += str(value.numerator)
    if not digits:
        raise ParseError(f"{original!r}: no digits after 'point'")
    return Fraction(int(digits), 10 ** len(digits))


def _is_denominator(tok: str) -> bool:
    return tok in DENOMINATORS or (
        "-" in tok and tok.split("-")[-1] in DENOMINATORS and tok.split("-")[0] in TENS)


def _fraction(tokens: list[str], original: str) -> Fraction:
    """Integer part, numerator and denominator of a spelt fraction, split as readers do.

    The denominator is the longest ordinal phrase before the fraction word that leaves a numerator
    ("one hundred | thirty fifths" = 100/35, "one | one hundred fifth" = 1/105); a hyphen binds
    ("ninety-five hundred | fifths"). After "and", a proper fraction is added ("two and | three fifths")
    and an improper one takes the whole numerator ("one hundred and thirty | fifths" = 130/5).
    """
    tokens = [p for t in tokens for p in _split_fraction_word(t)]
    # "half a million", "quarter million": a leading half or quarter multiplies, it is not a denominator
    k = next((i for i, t in enumerate(tokens) if _is_denominator(t) and not (i == 0 and t in FRACTIONS)), None)
    if k is None:
        return _cardinal(tokens, original)
    tail = tokens[k + 1:]
    j = k
    for start in range(k - 1, 0, -1):
        head = tokens[start]
        if head in SCALES or head == "and" or tokens[start - 1] == "and":
            continue
        if _valid_ordinal(tokens[start:k + 1]) and _is_cardinal(tokens[:start]):
            j = start
    numerator_tokens = tokens[:j]
    den = _ordinal_value(tokens[j:k + 1], original)
    if not numerator_tokens:
        raise ParseError(f"{original!r}: a fraction needs a numerator")
    plural = tokens[k].endswith("s") and tokens[k] not in ("thousands",)
    whole: list[str] = []
    if "and" in numerator_tokens:
        a = len(numerator_tokens) - 1 - numerator_tokens[::-1].index("and")
        part = _numerator(numerator_tokens[a + 1:], original) / den
        if part < 1:
            whole, numerator_tokens = numerator_tokens[:a], numerator_tokens[a + 1:]
    numerator = _numerator(numerator_tokens, original)
    if not plural and numerator != 1 and not whole:
        raise ParseError(f"{original!r} is an ordinal, not a fraction")
    part = numerator / den
    if not tail:
        if whole and whole[-1] in BIG_SCALES:  # "3 million and a half": half a million
            return _cardinal(whole, original) + part * BIG_SCALES[whole[-1]]
        return (_cardinal(whole, original) if whole else 0) + part
    if len(tail) == 1 and tail[0] in BIG_SCALES:
        scale = BIG_SCALES[tail[0]]
        if whole and any(BIG_SCALES.get(w, 0) > scale for w in whole):  # "one billion and a half million"
            return _cardinal(whole, original) + part * scale
        return ((_cardinal(whole, original) if whole else 0) + part) * scale  # "five and a half million"
    raise ParseError(f"{original!r}: unexpected {' '.join(tail)!r} after a fraction")


def _split_fraction_word(tok: str) -> list[str]:
    """"one-eighth" -> "one", "eighth"; "hundred-fifths" -> "hundred", "fifths"; "thirty-fifth" stays whole."""
    parts = tok.split("-")
    if len(parts) == 2 and parts[1] in DENOMINATORS and parts[0] not in TENS and parts[0]:
        return parts
    return [tok]


def _numerator(tokens: list[str], original: str) -> Fraction:
    return Fraction(1) if tokens in (["a"], ["an"]) else _cardinal(tokens, original)


def _valid_ordinal(tokens: list[str]) -> bool:
    """Whether words form one ordinal: "thirty fifth", "one hundred fifth", "one thousand fifths"."""
    last = tokens[-1]
    if not _is_denominator(last) or last in FRACTIONS or last.rstrip("s") in ("half", "quarter"):
        return False
    head = tokens[:-1]
    if not head:
        return True
    if "-" in last:
        return False
    value = DENOMINATORS[last]
    if value < 10:
        return head[-1] in TENS or head[-1] in SCALES and _is_cardinal(head)
    if value < 100:
        return head[-1] in SCALES and _is_cardinal(head)
    return _is_cardinal(head) and head[-1] not in SCALES


def _is_cardinal(tokens: list[str]) -> bool:
    if not tokens or tokens[-1] == "and":
        return False
    try:
        _cardinal(tokens, "")
    except ParseError:
        return False
    return True


def _ordinal_value(tokens: list[str], original: str) -> int:
    last = tokens[-1]
    parts = last.split("-")
    value = DENOMINATORS[parts[-1]]
    head = [*tokens[:-1], *parts[:-1]]
    if not head:
        return value
    cardinal = _cardinal(head, original)
    if value >= 100:
        return int(cardinal * value)
    return int(cardinal + value)


def _cardinal(tokens: list[str], original: str) -> Fraction:
    """A whole number in words and digits: groups below a thousand closed by scales, dozens multiplied."""
    tokens = _split_compounds(tokens)
    total = Fraction(0)   # closed groups ("three million" in "three million two")
    current = Fraction(0)  # the group being built ("two hundred forty")
    small = Fraction(0)   # the part of the group after its hundreds ("forty"), which "dozen" multiplies
    last_group = Fraction(0)
    previous = ""
    seen = False
    for i, w in enumerate(tokens):
        nxt = tokens[i + 1] if i + 1 < len(tokens) else ""
        if w == "and":
            if not seen:
                raise ParseError(f"{original!r} is not a number")
        elif w in ("a", "an") and previous in FRACTIONS:
            pass  # "half a million"
        elif w in ("a", "an"):
            if not (nxt in SCALES or nxt in MULTIPLIERS or nxt in ("couple", "pair")):
                raise ParseError(f"{original!r}: {w!r} is not a number here")
            if nxt in ("couple", "pair"):
                previous = w
                continue
            current += 1
            small += 1
            seen = True
        elif w in FRACTIONS and not seen and (nxt in BIG_SCALES or nxt in MULTIPLIERS or nxt in ("a", "an")):
            current += FRACTIONS[w]
            small += FRACTIONS[w]
            seen = True
        elif w in MULTIPLIERS:
            current = current - small + (small or 1) * MULTIPLIERS[w]
            small = Fraction(0)
            seen = True
        elif w in ("hundred", "hundreds"):
            if previous in BIG_SCALES:  # "thousand hundred" is not a number
                raise ParseError(f"{original!r} is not a number")
            current = (current or 1) * 100
            small = Fraction(0)
            seen = True
        elif w in SCALES and (len(w) > 3 or w in ("k", "mil", "mn", "mln", "bn", "bln", "tn", "trn", "tln", "mm")
                              or previous.startswith("#")):
            scale = SCALES[w]
            if previous in SCALES and previous not in ("hundred", "hundreds") and current == 0:
                total += last_group * (scale - 1)  # "three lakh crore"
                last_group *= scale
            else:
                last_group = (current or 1) * scale
                total += last_group
            current = small = Fraction(0)
            seen = True
        else:
            value = _token_value(w)
            if value is None:
                raise ParseError(f"{original!r}: {w!r} is not a number word")
            if seen and current and small and _adjacent_units(small, value):
                raise ParseError(f"{original!r}: {w!r} cannot follow {previous!r}")
            current += value
            small += value
            seen = True
        previous = w
    if not seen:
        raise ParseError(f"{original!r} is not a number")
    return total + current


def _adjacent_units(before: Fraction, value: Fraction) -> bool:
    """Two number words that do not combine: "one one", "twenty twenty", "five twenty"."""
    if before.denominator != 1 or value.denominator != 1:
        return True
    b, v = int(before), int(value)
    return not (b % 10 == 0 and 20 <= b < 100 and 0 < v < 10)


def parse_ordinal(text: str) -> int:
    """Parse "third", "twenty-first", "21st", "one hundredth", "a hundred trillionth"; else ParseError."""
    s = _normalise(text)
    m = _ORDINAL_DIGITS.fullmatch(s)
    if m:
        return int(m[1])
    words = [w for w in _split_compounds(_tokens(s)) if w != "and"]
    if not words or words[-1] not in ORDINAL_WORDS or ORDINAL_WORDS[words[-1]] is None:
        raise ParseError(f"{text!r} is not an ordinal")
    last = ORDINAL_WORDS[words[-1]]
    assert last is not None
    if len(words) == 1:
        return last
    head = words[:-1]
    if last < 10 and head[-1] not in TENS and head[-1] not in SCALES or 10 <= last < 100 and head[-1] not in SCALES:
        raise ParseError(f"{text!r} is not an ordinal")  # "one second", "five twentieth"
    if last >= 100:  # "two hundredth" = two hundred, "a hundred trillionth" = a hundred trillion
        return int(_cardinal([*head, _ORDINAL_SCALES[words[-1]]], text))
    return int(_cardinal(head, text) + last)


_ORDINAL_SCALES = {"hundredth": "hundred", "thousandth": "thousand", "millionth": "million",
                   "billionth": "billion", "trillionth": "trillion"}


def parse_ordinal_text(text: str, ctx: object = None) -> int:
    return parse_ordinal(text)


# --- Numeric ranges -------------------------------------------------------------------------------------

_LOWER_SUFFIXES = ("more", "greater", "higher", "above", "over", "larger", "bigger")
_UPPER_SUFFIXES = ("less", "fewer", "lower", "below", "smaller", "under")


def parse_number_range(text: str, ctx: ParseContext) -> Fields:
    """Bounds of a numeric range from the captures of its rule: ``low`` and ``high`` for "5 to 10";
    ``n1``/``n2`` with comparators ``lcmp``/``ucmp``/``ecmp`` (and ``lcmp2``/``ucmp2``) for "more than 20
    and at most 35"; ``sfx`` for "500 or more". A missing bound stays open (None); a range whose low bound
    is not below its high bound is refused ("voted 5 to 4" is a tally)."""
    c = {k: v for k, v in ctx.captures.items() if v is not None and v.strip()}
    low = high = None
    if "low" in c or "high" in c:
        low = parse_number(c["low"]) if "low" in c else None
        high = parse_number(c["high"]) if "high" in c else None
    elif "n1" in c:
        first = parse_number(c["n1"])
        if "ecmp" in c:
            low = high = first
        elif "lcmp" in c:
            low = first
        elif "ucmp" in c:
            high = first
        elif "sfx" not in c:
            raise ParseError(f"{text!r}: no comparison")
        sfx = c.get("sfx", "").lower()
        if sfx in _LOWER_SUFFIXES:
            low, high = first, None
        elif sfx in _UPPER_SUFFIXES:
            low, high = None, first
        if "n2" in c:
            second = parse_number(c["n2"])
            if "lcmp2" in c and high is not None and low is None:
                low = second
            elif "ucmp2" in c and low is not None and high is None:
                high = second
            else:
                raise ParseError(f"{text!r}: both bounds on the same side")
    if low is None and high is None:
        raise ParseError(f"{text!r}: no bound")
    if low is not None and high is not None and low > high:
        raise ParseError(f"{text!r}: low bound above high bound")
    if low is not None and high is not None and low == high and "ecmp" not in c:
        raise ParseError(f"{text!r}: empty range")
    return Fields(low=low, high=high)


# --- Amounts built from several captures ----------------------------------------------------------------

def parse_amount(text: str, ctx: ParseContext) -> Fields:
    """The value of an amount from the captures of its rule: ``value`` (a number), times ``scale``
    ("75 USD million", "30 MUSD"), in hundredths with ``minor`` ("50 cents" is 0.50), plus ``cents``
    ("3 dollars 50", below a hundred), plus ``n2`` of a smaller ``unit2`` of the same dimension as
    ``unit`` ("5 feet 2 inches" is 5 1/6 feet, by the units' conversion factors). With ``per`` (a unit of
    time) it also gives the unit of a rate: "50 km/ms" is 50 "kilometer per millisecond"."""
    c = {k: v for k, v in ctx.captures.items() if v is not None and v.strip()}
    value = _parse_exact(c["value"])
    if "scale" in c:
        scale = c["scale"].strip()
        value *= SCALES.get(scale.lower(), 0) if scale != "M" else 10**6
        if not value:
            raise ParseError(f"{text!r}: unknown scale {scale!r}")
    if "minor" in c:
        value /= 100
    if "cents" in c:
        cents = _parse_exact(c["cents"])
        if not 0 < cents < 100:
            raise ParseError(f"{text!r}: {cents} is not a number of cents")
        value += cents / 100
    if "per" in c:
        return Fields(value=to_python(value), unit=_rate_unit(text, c, ctx))
    if "n2" in c and "unit2" in c and "unit" in c:
        big, small = _unit_entry(c["unit"], ctx), _unit_entry(c["unit2"], ctx)
        if big is None or small is None or big.attributes.get("base") != small.attributes.get("base") \
                or "offset" in big.attributes:
            raise ParseError(f"{text!r}: {c['unit']!r} and {c['unit2']!r} do not add up")
        f_big, f_small = Fraction(str(big.attributes["factor"])), Fraction(str(small.attributes["factor"]))
        if f_small >= f_big:
            raise ParseError(f"{text!r}: {c['unit2']!r} is not smaller than {c['unit']!r}")
        value += _parse_exact(c["n2"]) * f_small / f_big
    return Fields(value=to_python(value))


# Units of time a rate may be given per ("50 km/ms", "3 metres per minute"), by their written forms.
RATE_TIME_UNITS = {
    "ms": "millisecond", "msec": "millisecond", "millisecond": "millisecond", "s": "second", "sec": "second",
    "second": "second", "min": "minute", "minute": "minute", "h": "hour", "hr": "hour", "hour": "hour",
    "day": "day", "week": "week", "month": "month", "yr": "year", "year": "year",
}


def _rate_unit(text: str, c: dict[str, str], ctx: ParseContext) -> str:
    """"kilometer per millisecond" from the captures ``unit`` ("km") and ``per`` ("ms"): the unit's
    canonical name, "per", and the unit of time, as the gazetteer names rates ("kilometer per hour")."""
    entry = _unit_entry(c.get("unit", ""), ctx)
    per = c["per"].strip().lower().rstrip(".")
    per = RATE_TIME_UNITS.get(per) or RATE_TIME_UNITS.get(per[:-1] if per.endswith("s") else per, "")
    if entry is None or not per or "per" in entry.name.split():
        raise ParseError(f"{text!r} is not a rate of a unit per unit of time")
    return f"{entry.name} per {per}"


def _unit_entry(surface: str, ctx: ParseContext) -> Any:
    for gazetteer in ctx.gazetteers.values():
        entry = gazetteer.lookup(surface)
        if entry is not None and "factor" in entry.attributes:
            return entry
    return None
