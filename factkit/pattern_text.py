"""Reading a pattern's source as text, and making it readable by the standard library's parser.

The start analysis (triggers.py) and the digit variants (first_char.py) walk patterns with the standard
library's regex parser, which does not know the ``regex`` module's extras: ``\\p{L}``, variable-width
lookbehinds, repeated group names, backreferences. This module rewrites those, and finds groups, classes
and alternatives in a pattern's text without parsing it.
"""

from __future__ import annotations

import re
from typing import Iterator

try:  # Python 3.11+
    from re import _constants as sre_constants  # type: ignore[attr-defined]
    from re import _parser as sre_parse  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover - Python 3.10
    import sre_constants  # type: ignore[no-redef]
    import sre_parse  # type: ignore[no-redef]

from .lint import Unparsable, class_end

__all__ = ["BACKREF", "Unknown", "class_end_or_end", "drop_groups", "drop_lookbehinds", "for_analysis", "group_end",
           "group_end_at", "group_opener", "sre_constants", "sre_parse", "structure"]


class Unknown(Exception):
    """The analysis cannot read a pattern, or cannot bound what it asks of it."""


_NAMED = re.compile(r"\(\?P<[A-Za-z_]\w*>")
BACKREF = re.compile(r"\(\?P=[A-Za-z_]\w*\)|\\g<\w+>|\\[1-9]")
_PROP_IN_CLASS = {r"\p{L}": "a-zA-Z", r"\p{N}": "0-9", r"\p{Lu}": "A-Z", r"\p{Ll}": "a-z", r"\p{Nd}": "0-9"}
_PROP_OUTSIDE = {k: f"[{v}]" for k, v in _PROP_IN_CLASS.items()}


def for_analysis(source: str, keep_lookbehinds: bool = False) -> str:
    """``source`` as the standard parser can read it: names and backreferences dropped, the common
    Unicode properties as ASCII classes (the analysis reads what a match can begin with, and factkit's
    patterns use them for letters and digits). Raises Unknown on syntax it cannot rewrite."""
    source = BACKREF.sub(r"[\\s\\S]", _NAMED.sub("(?:", source))  # a backreference: anything
    if not keep_lookbehinds:
        source = drop_lookbehinds(source)
    out, i, n, depth = [], 0, len(source), 0
    while i < n:
        ch = source[i]
        if ch == "\\" and i + 1 < n:
            if source[i + 1] in "pP" and i + 2 < n and source[i + 2] == "{":
                end = source.index("}", i)
                prop = source[i:end + 1]
                table = _PROP_IN_CLASS if depth else _PROP_OUTSIDE
                if prop not in table:
                    raise Unknown(prop)
                out.append(table[prop])
                i = end + 1
                continue
            if source[i + 1] in "NXKGmMC":
                raise Unknown(source[i:i + 2])
            out.append(source[i:i + 2])
            i += 2
            continue
        if ch == "[":
            depth += 1
        elif ch == "]" and depth:
            depth -= 1
        out.append(ch)
        i += 1
    return "".join(out)


def drop_lookbehinds(source: str) -> str:
    """Remove lookbehind groups: they never consume, and the standard parser rejects variable widths."""
    return drop_groups(source, ("(?<=", "(?<!"))


def drop_groups(source: str, openers: tuple[str, ...]) -> str:
    """``source`` without the groups that open with one of ``openers`` (an unclosed one: to the end)."""
    out, i, n = [], 0, len(source)
    while i < n:
        if source[i] == "\\":
            out.append(source[i:i + 2])
            i += 2
            continue
        if source[i] == "[":
            j = class_end_or_end(source, i)
            out.append(source[i:j])
            i = j
            continue
        if source.startswith(openers, i):
            i = group_end(source, i) or n
            continue
        out.append(source[i])
        i += 1
    return "".join(out)


def class_end_or_end(source: str, i: int) -> int:
    """Index after the class opened at ``source[i]`` (the lint's reading of classes; unclosed: the end)."""
    try:
        return class_end(source, i)
    except Unparsable:  # an unclosed class: the pattern will not compile anyway
        return len(source)


def group_end(source: str, i: int) -> int | None:
    """The index just past the group that opens at ``source[i]``, or None if it never closes."""
    try:
        return group_end_at(source, i)
    except Unknown:
        return None


def group_end_at(source: str, i: int, depth: int = 0) -> int:
    """The index just past the ")" that brings ``depth`` (the groups open at ``source[i]``) to zero."""
    for j, ch, _ in structure(source, i):
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
            if depth == 0:
                return j + 1
    raise Unknown("unbalanced group")


def structure(source: str, i: int = 0, stop: int | None = None) -> Iterator[tuple[int, str, int]]:
    """The unescaped "(", ")" and "|" of ``source`` from ``i`` (to ``stop``), and its classes as "[" with
    their end: (index, character, end of a class or index + 1)."""
    stop = len(source) if stop is None else stop
    while i < stop:
        ch = source[i]
        if ch == "\\":
            i += 2
        elif ch == "[":
            end = class_end_or_end(source, i)
            yield i, ch, end
            i = end
        else:
            if ch in "()|":
                yield i, ch, i + 1
            i += 1


def group_opener(pattern: str, i: int) -> str | None:
    """The text that opens the group at ``pattern[i]``, or None for inline flags and comments."""
    if not pattern.startswith("(?", i):
        return "("
    m = re.compile(r"\(\?(?::|>|=|!|<=|<!|P<\w+>|<\w+>|P=\w+\)|[a-zA-Z]*(?:-[a-zA-Z]+)?:)").match(pattern, i)
    return m.group() if m else None
