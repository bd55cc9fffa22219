"""Static checks on regular expressions: nested unbounded quantifiers, the shape behind catastrophic
backtracking ("(a+)+", "(\\w+\\s?)*"). A quantified group whose body can itself repeat without bound lets
the engine split the same text in exponentially many ways when a match fails.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class _Group:
    start: int
    unbounded_inside: bool = False
    atomic: bool = False


def backtracking_risks(source: str) -> list[str]:
    """Descriptions of risky spots in ``source`` (regex syntax), each with a suggested rewrite."""
    risks: list[str] = []
    stack: list[_Group] = [_Group(0)]
    i, n = 0, len(source)
    while i < n:
        ch = source[i]
        if ch == "\\":
            i += 2 if i + 1 < n and source[i + 1] not in "pPNx" else _skip_escape(source, i)
            if _unbounded_at(source, i):
                stack[-1].unbounded_inside = True
                i = _after_quantifier(source, i)
            continue
        if ch == "[":
            i = _skip_class(source, i)
            if _unbounded_at(source, i):
                stack[-1].unbounded_inside = True
                i = _after_quantifier(source, i)
            continue
        if ch == "(":
            atomic = source.startswith("(?>", i) or source.startswith("(?<=", i) or source.startswith("(?<!", i) \
                or source.startswith("(?=", i) or source.startswith("(?!", i)
            stack.append(_Group(i, atomic=atomic))
            i += 1
            continue
        if ch == ")" and len(stack) > 1:
            group = stack.pop()
            i += 1
            if _unbounded_at(source, i):
                possessive = _is_possessive(source, i)
                if group.unbounded_inside and not group.atomic and not possessive:
                    snippet = source[group.start:i + 1]
                    if len(snippet) > 60:
                        snippet = snippet[:28] + "..." + snippet[-28:]
                    risks.append(f"nested unbounded quantifiers in {snippet!r} can backtrack catastrophically; "
                                 "make the inner repeat atomic ((?>...)) or possessive (++, *+), or bound it "
                                 "({0,20})")
                stack[-1].unbounded_inside = True
                i = _after_quantifier(source, i)
            elif group.unbounded_inside and not group.atomic:
                stack[-1].unbounded_inside = True
            continue
        if _unbounded_at(source, i + 1) and ch not in "|":
            stack[-1].unbounded_inside = True
            i = _after_quantifier(source, i + 1)
            continue
        i += 1
    return risks


def _skip_escape(source: str, i: int) -> int:
    j = i + 2
    if j < len(source) and source[j] == "{":
        end = source.find("}", j)
        return (end + 1 - i) if end != -1 else 2
    return 2


def _skip_class(source: str, i: int) -> int:
    j = i + 1
    if j < len(source) and source[j] == "^":
        j += 1
    if j < len(source) and source[j] == "]":
        j += 1
    depth = 1
    while j < len(source) and depth:
        if source[j] == "\\":
            j += 2
            continue
        if source[j] == "[":
            depth += 1
        elif source[j] == "]":
            depth -= 1
        j += 1
    return j


def _unbounded_at(source: str, i: int) -> bool:
    if i >= len(source):
        return False
    if source[i] in "*+":
        return True
    if source[i] == "{":
        end = source.find("}", i)
        body = source[i + 1:end] if end != -1 else ""
        return "," in body and body.split(",", 1)[1].strip() == "" and body.split(",", 1)[0].strip().isdigit()
    return False


def _is_possessive(source: str, i: int) -> bool:
    j = _after_quantifier(source, i, keep_modifier=True)
    return j < len(source) and source[j] == "+"


def _after_quantifier(source: str, i: int, keep_modifier: bool = False) -> int:
    if source[i] == "{":
        i = source.find("}", i) + 1
    else:
        i += 1
    if not keep_modifier and i < len(source) and source[i] in "?+":
        i += 1
    return i
