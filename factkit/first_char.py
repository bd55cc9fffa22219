"""Patterns specialised to a match that begins with a digit.

The number grammar and the date and time references are alternations of dozens of branches, most of
which begin with a word ("twenty", "minus", "the", "January"). The ``regex`` engine tries each branch at
every position it is called at, so at a digit it spends most of its time (6 to 8 microseconds a call)
failing on the words. :func:`digit_variant` drops every branch that cannot begin with a digit, as
:func:`can_begin_with_a_digit` reads it (the one answer to that question here). Where the text has a digit,
the variant matches exactly as the whole pattern does, in a quarter of the time, for the matcher's probes
(which read only where a match ends).

Only the beginning of a pattern is pruned: the branches of its leading alternations, and optional groups
that cannot begin with a digit before them. A repeated group is left whole (its later rounds begin
elsewhere), and so is everything after the first item that consumes text.
"""

from __future__ import annotations

import re

from .pattern_text import for_analysis, group_end, group_opener, structure
from .pattern_text import sre_constants as _c
from .pattern_text import sre_parse as _p

_QUANTIFIER = re.compile(r"(?:[?*+]|\{(\d*)(,?)(\d*)\})[?+]?")
_ZERO_WIDTH_ESCAPES = "bBAZzG"
_LOOKAROUNDS = ("(?=", "(?!", "(?<=", "(?<!")
_UNSAFE = re.compile(r"\\g<|\(\?\(|\(\?\||\(\?[a-zA-Z]+\)|\\[1-9]")  # numbered references, conditionals, global flags
_NAMED_REF = re.compile(r"\(\?P=(\w+)\)")
_NAMED_GROUP = re.compile(r"(?<!\\)\(\?P?<(\w+)>")


class _GiveUp(Exception):
    pass


def digit_variant(source: str, flags: int = 0, keep_names: bool = False) -> str | None:
    """``source`` without the branches that cannot begin with an ASCII digit, or None if none can be
    dropped (or the pattern uses syntax this does not read: numbered references, conditionals, global flags,
    or a named reference to a group that would be dropped).

    ``keep_names``: the groups of dropped branches are declared again in a branch that never matches, so
    that the variant has every capture name of ``source`` (each None wherever the variant is used, as in the
    whole pattern, whose dropped branches cannot match there): a rule's fields read its captures by name.
    """
    if _UNSAFE.search(source) or flags & re.VERBOSE:
        return None
    try:
        pruned = _alternation(source, flags)
    except (_GiveUp, RecursionError):
        return None
    if any(f"(?P<{name}>" not in pruned for name in _NAMED_REF.findall(pruned)):
        return None  # a group that a reference needs was dropped
    if pruned == source:
        return None
    if keep_names:
        lost = set(_NAMED_GROUP.findall(source)) - set(_NAMED_GROUP.findall(pruned))
        if lost:
            pruned += "|(?!)" + "".join(f"(?P<{name}>)" for name in sorted(lost))
    return pruned


def can_begin_with_a_digit(source: str, flags: int = 0) -> bool:
    """Whether a match of ``source`` can begin at an ASCII digit (an empty match counts); True when unsure.

    :func:`digit_variant` drops the branches for which this is False. The matcher also tries the rest of a
    rule after each end its reference can have, most of them inside the digits of a number: a rest that
    cannot begin with a digit is not called there. Lookarounds are read as matching nothing, which can only
    answer True where the pattern would fail.
    """
    try:
        tree = _p.parse(for_analysis(source), flags & (re.IGNORECASE | re.VERBOSE))
        digit, nullable = _digit_first(list(tree))
    except Exception:  # noqa: BLE001 - an analysis failure only means "maybe"
        return True
    return digit or nullable


def _digit_first(items: list) -> tuple[bool, bool]:
    """(can the sequence begin with an ASCII digit, can it match nothing)."""
    digit = False
    for op, av in items:
        if op in (_c.AT, _c.ASSERT, _c.ASSERT_NOT):
            continue
        if op is _c.LITERAL:
            return digit or chr(av) in "0123456789", False
        if op is _c.IN:
            return digit or _class_has_a_digit(av), False
        if op is _c.SUBPATTERN:
            here, nullable = _digit_first(list(av[-1]))
        elif op is getattr(_c, "ATOMIC_GROUP", None):
            here, nullable = _digit_first(list(av))
        elif op is _c.BRANCH:
            found = [_digit_first(list(branch)) for branch in av[1]]
            here, nullable = any(d for d, _ in found), any(n for _, n in found)
        elif op in (_c.MAX_REPEAT, _c.MIN_REPEAT, getattr(_c, "POSSESSIVE_REPEAT", None)):
            here, nullable = _digit_first(list(av[2]))
            nullable = nullable or av[0] == 0
        else:  # any character, a group reference, a conditional: maybe
            return True, True
        digit = digit or here
        if not nullable:
            return digit, False
    return digit, True


def _class_has_a_digit(av: list) -> bool:
    if any(op is _c.NEGATE for op, _ in av):
        return not any(op is _c.CATEGORY and arg is _c.CATEGORY_DIGIT for op, arg in av)
    for op, arg in av:
        if op is _c.LITERAL and chr(arg) in "0123456789":
            return True
        if op is _c.RANGE and arg[0] <= ord("9") and arg[1] >= ord("0"):
            return True
        if op is _c.CATEGORY and arg not in (_c.CATEGORY_SPACE, _c.CATEGORY_NOT_DIGIT):
            return True  # digits, word characters, not-space...
    return False


def _split(source: str) -> list[str]:
    """The top-level branches of ``source``."""
    parts, depth, last = [], 0, 0
    for i, ch, _ in structure(source):
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        elif ch == "|" and depth == 0:
            parts.append(source[last:i])
            last = i + 1
    parts.append(source[last:])
    return parts


def _alternation(source: str, flags: int) -> str:
    branches = _split(source)
    kept = [_sequence(b, flags) for b in branches if len(branches) == 1 or can_begin_with_a_digit(b, flags)]
    return "|".join(kept) if kept else "(?!)"


def _zero_width(fragment: str) -> bool:
    """Whether every branch of ``fragment`` is made of lookarounds and zero-width escapes only."""
    for branch in _split(fragment):
        i, n = 0, len(branch)
        while i < n:
            if branch[i] == "\\" and branch[i + 1:i + 2] and branch[i + 1] in _ZERO_WIDTH_ESCAPES:
                i += 2
                continue
            if branch[i] != "(":
                return False
            end = group_end(branch, i)
            opener = group_opener(branch, i)
            if end is None or opener is None:
                return False
            if opener not in _LOOKAROUNDS and not _zero_width(branch[i + len(opener):end - 1]):
                return False
            i = _quantifier(branch, end)[2]
    return True


def _quantifier(source: str, i: int) -> tuple[int, int, int]:
    """(least, most, end) of the quantifier at ``source[i]``; (1, 1, i) when there is none."""
    m = _QUANTIFIER.match(source, i)
    if m is None:
        return 1, 1, i
    q = m.group()
    if q[0] == "?":
        return 0, 1, m.end()
    if q[0] == "*":
        return 0, 2, m.end()
    if q[0] == "+":
        return 1, 2, m.end()
    lo, comma, hi = m.groups()
    least = int(lo or 0)
    most = (int(hi) if hi else 2) if comma else least
    return least, most, m.end()


def _sequence(branch: str, flags: int) -> str:
    """One branch, its beginning pruned: zero-width items are kept and looked past, an optional group that
    cannot begin with a digit is dropped, and the first group that must match is pruned inside."""
    out: list[str] = []
    i, n = 0, len(branch)
    while i < n:
        ch = branch[i]
        if ch == "\\" and branch[i + 1:i + 2] and branch[i + 1] in _ZERO_WIDTH_ESCAPES:
            out.append(branch[i:i + 2])
            i += 2
            continue
        if ch in "^$":
            out.append(ch)
            i += 1
            continue
        if ch != "(":
            break
        end = group_end(branch, i)
        opener = group_opener(branch, i)
        if end is None or opener is None:
            raise _GiveUp()
        least, most, after = _quantifier(branch, end)
        if opener in _LOOKAROUNDS:
            out.append(branch[i:after])
            i = after
            continue
        inner = branch[i + len(opener):end - 1]
        if _zero_width(inner):  # a group of lookarounds ("{before}"): what follows still begins here
            out.append(branch[i:after])
            i = after
            continue
        if least == 0 and not can_begin_with_a_digit(inner, flags):
            i = after  # it can only match nothing here: what follows begins at the digit
            continue
        if most == 1:
            out.append(opener + _alternation(inner, flags) + ")" + branch[end:after])
            i = after
        break  # what follows no longer begins where the match does
    out.append(branch[i:])
    return "".join(out)
