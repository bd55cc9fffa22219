"""Patterns specialised to a match that begins with a digit.

The number grammar and the date and time references are alternations of dozens of branches, most of
which begin with a word ("twenty", "minus", "the", "January"). The ``regex`` engine tries each branch at
every position it is called at, so at a digit it spends most of its time (6 to 8 microseconds a call)
failing on the words. :func:`digit_variant` drops, with the start analysis of :mod:`factkit.triggers`,
every branch that cannot begin with a digit. Where the text has a digit, the variant matches exactly as the
whole pattern does, in a quarter of the time, for the matcher's probes (which read only where a match ends).

Only the beginning of a pattern is pruned: the branches of its leading alternations, and optional groups
that cannot begin with a digit before them. A repeated group is left whole (its later rounds begin
elsewhere), and so is everything after the first item that consumes text.
"""

from __future__ import annotations

import re

from .triggers import _opener, _structure, group_end, rule_starts

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


def _cannot_begin_with_a_digit(fragment: str, flags: int) -> bool:
    try:
        starts = rule_starts(fragment, flags)
    except Exception:  # noqa: BLE001 - an analysis failure only means "keep it"
        return False
    if starts is None:
        return False
    return all(s.kind in ("word", "sym", "sym-digit") and not s.text[:1].isdigit() for s in starts)


def _split(source: str) -> list[str]:
    """The top-level branches of ``source``."""
    parts, depth, last = [], 0, 0
    for i, ch, _ in _structure(source):
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
    kept = [_sequence(b, flags) for b in branches if not (len(branches) > 1 and _cannot_begin_with_a_digit(b, flags))]
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
            opener = _opener(branch, i)
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
        opener = _opener(branch, i)
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
        if least == 0 and _cannot_begin_with_a_digit(inner, flags):
            i = after  # it can only match nothing here: what follows begins at the digit
            continue
        if most == 1:
            out.append(opener + _alternation(inner, flags) + ")" + branch[end:after])
            i = after
        break  # what follows no longer begins where the match does
    out.append(branch[i:])
    return "".join(out)
