"""Static checks on regular expressions for the shapes behind catastrophic backtracking.

A pack may come from anyone, and a rule that takes minutes on one odd line takes a whole corpus down with
it. Three shapes make a backtracking engine try very many ways to split the same text when a match fails:

* nested repeats: a repeated group whose pass can end with a repeat that could also begin the next pass,
  ``(\\w+\\s?)*``, ``(\\d+,?)+``: exponential;
* adjacent repeats over overlapping characters, with only optional items between them, ``\\d+\\d+``,
  ``\\s*,?\\s*``: polynomial (each extra repeat one more power of the line length);
* a repeated group whose alternatives match the same character, ``(\\w|\\d)+``: exponential.

The pattern is parsed into a small tree (``regex`` module syntax, V0), character sets are approximated by
testing each atom against a fixed probe alphabet (ASCII, some Unicode letters, digits and spaces, and the
pattern's literal characters), and each risk comes with a rewrite that removes it: a possessive
quantifier (``\\w++``) or an atomic group (``(?>...)``) gives nothing back, so there is nothing to retry.
The checks are conservative approximations; a rule that is known to be safe opts out with
``allow_backtracking: true``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

import regex

from .regex_cache import compile_pattern

UNBOUNDED = 10  # an upper bound at least this large counts as "without bound" for the analysis
_BASE_PROBES = "".join(chr(c) for c in range(9, 14)) + "".join(chr(c) for c in range(32, 127)) + \
    "\u00a0\u2009\u3000\u200f\u00e9\u00c9\u0416\u0436\u4e2d\u0663\u00b2\u00bd\U0001f600\u0301\u2013\u2019"
_QUANT = re.compile(r"\{(\d*)(?:(,)(\d*))?\}")
_ZERO_ESCAPES = set("bBAZzGmMK")
_ALL = "\0all"  # marker: matches anything (back references, recursion)
# from the compile cache, built on first use: the regex module's parser took milliseconds at every import
_LITERAL_RUN = compile_pattern(r"[\w ]+", lazy=True)
_PAREN_TOKENS = compile_pattern(r"\\.|\[\^?\]?(?:\[:\w+:\]|\\.|[^\]\\])*\]|[()]", regex.S, lazy=True)
_PROBES = tuple(sorted(set(_BASE_PROBES)))
_GROUPS: dict[tuple[str, int], _Item] = {}  # parsed bodies of long groups: macros recur in many rules
_CACHE_FROM = 200  # characters; shorter groups are parsed again, which is cheaper than hashing them


@dataclass(eq=False)
class _Item:
    kind: str  # "char" | "group" | "zero" | "any"
    start: int  # source offsets of the atom, and of the atom with its quantifier
    end: int
    qend: int = 0
    lo: int = 1
    hi: int | None = 1
    possessive: bool = False
    chars: frozenset[str] = frozenset()
    alts: list[list[_Item]] = field(default_factory=list)
    atomic: bool = False
    look: bool = False
    last: frozenset[str] | None = None  # a run of literals: what its last character matches
    memo: dict[object, object] = field(default_factory=dict)  # analysis results, computed once
    shared: dict[object, object] = field(default_factory=dict)  # results that depend on the body alone
    src: str = ""  # the pattern that start and end index

    @property
    def repeats(self) -> bool:
        """Repeats without (practical) bound and can give characters back."""
        return not self.possessive and not self.atomic and (self.hi is None or self.hi >= UNBOUNDED)


def backtracking_risks(source: str, flags: int = 0) -> list[str]:
    """Descriptions of risky spots in ``source`` (regex syntax), each with a suggested rewrite; [] if none."""
    return list(_risks(source, flags))


@lru_cache(maxsize=512)  # packs are loaded, checked and linted again with the same expanded patterns
def _risks(source: str, flags: int) -> tuple[str, ...]:
    try:
        tree = _Parser(source, flags).parse()
    except (regex.error, Unparsable, RecursionError, ValueError, IndexError):
        return ()  # the compiler reports patterns that do not compile; the lint judges only valid ones
    risks: list[str] = []
    _check_alts(tree, risks)
    return tuple(dict.fromkeys(risks))


class Unparsable(Exception):
    pass


class _Parser:
    def __init__(self, source: str, flags: int):
        self.s = source
        self.flags = flags & (regex.IGNORECASE | regex.DOTALL | regex.ASCII | regex.UNICODE)
        self.probes = _PROBES  # fixed, so that parsed groups can be shared between patterns
        self.literals: dict[str, frozenset[str]] = {}
        self.close: dict[int, int] = {}
        opened: list[int] = []
        for m in _PAREN_TOKENS.finditer(source):
            if m.group() == "(":
                opened.append(m.start())
            elif m.group() == ")" and opened:
                self.close[opened.pop()] = m.start()

    def parse(self) -> list[list[_Item]]:
        alts, i = self._alts(0)
        if i != len(self.s):
            raise Unparsable
        return alts

    def _alts(self, i: int) -> tuple[list[list[_Item]], int]:
        alts = [[]]  # type: list[list[_Item]]
        while i < len(self.s) and self.s[i] != ")":
            if self.s[i] == "|":
                alts.append([])
                i += 1
                continue
            run = _LITERAL_RUN.match(self.s, i)
            if run is not None and run.end() - i > 1:  # a word of a gazetteer alias: one item, not one per letter
                end = run.end() - (1 if run.end() < len(self.s) and self.s[run.end()] in "*+?{" else 0)
                if end - i > 1:
                    alts[-1].append(_Item("char", i, end, end, chars=self._literal(self.s[i]),
                                          last=self._literal(self.s[end - 1]), src=self.s))
                    i = end
                    continue
            item, i = self._atom(i)
            if item is not None:
                i = self._quantifier(item, i)
                alts[-1].append(item)
        return alts, i

    def _atom(self, i: int) -> tuple[_Item | None, int]:
        s, ch = self.s, self.s[i]
        if ch == "\\":
            return self._escape(i)
        if ch == "[":
            end = class_end(s, i)
            return _Item("char", i, end, chars=self._chars(s[i:end]), src=s), end
        if ch == "(":
            return self._group(i)
        if ch in "^$":
            return _Item("zero", i, i + 1, src=s), i + 1
        return _Item("char", i, i + 1, chars=self._literal(ch), src=s), i + 1

    def _literal(self, ch: str) -> frozenset[str]:
        chars = self.literals.get(ch)
        if chars is None:
            chars = self._chars(ch if ch == "." else regex.escape(ch))
            if ch != ".":  # a literal outside the probe alphabet still overlaps itself
                chars |= {ch, ch.lower(), ch.upper()} if self.flags & regex.IGNORECASE else {ch}
            self.literals[ch] = chars
        return chars

    def _escape(self, i: int) -> tuple[_Item, int]:
        s = self.s
        if i + 1 >= len(s):
            raise Unparsable
        c = s[i + 1]
        end = i + 2
        if c in "pPNx" and end < len(s) and s[end] == "{":
            end = s.index("}", end) + 1
        elif c in "pP":
            end += 1
        elif c == "x":
            end += 2
        elif c == "u":
            end += 4
        elif c == "U":
            end += 8
        elif c == "0":
            while end < len(s) and end < i + 4 and s[end] in "01234567":
                end += 1
        elif c.isdigit() or c == "g":
            if c == "g":
                end = s.index(">", end) + 1
            else:
                while end < len(s) and s[end].isdigit():
                    end += 1
            return _Item("any", i, end, chars=frozenset([_ALL]), src=s), end
        if c in _ZERO_ESCAPES:
            return _Item("zero", i, end, src=s), end
        if c == "X":
            return _Item("any", i, end, chars=frozenset([_ALL]), src=s), end
        return _Item("char", i, end, chars=self._chars(s[i:end]), src=s), end

    def _group(self, i: int) -> tuple[_Item | None, int]:
        s = self.s
        atomic = look = False
        if s.startswith("(?#", i):
            return None, s.index(")", i) + 1
        m = regex.match(r"\(\?[a-zA-Z^-]*(\)|:)", s[i:i + 20]) if s.startswith("(?", i) else None
        if m and m.group(1) == ")":
            return None, i + m.end()  # inline flags
        if m:
            body = i + m.end()
        elif s.startswith("(?P<", i) or (s.startswith("(?<", i) and not s.startswith(("(?<=", "(?<!"), i)):
            body = s.index(">", i) + 1
        elif s.startswith("(?'", i):
            body = s.index("'", i + 3) + 1
        elif s.startswith(("(?=", "(?!"), i):
            body, look = i + 3, True
        elif s.startswith(("(?<=", "(?<!"), i):
            body, look = i + 4, True
        elif s.startswith("(?>", i):
            body, atomic = i + 3, True
        elif s.startswith("(?|", i):
            body = i + 3
        elif s.startswith("(?P=", i) or s.startswith(("(?P>", "(?&", "(?R", "(?0", "(?1", "(?2", "(?3", "(?4",
                                                       "(?5", "(?6", "(?7", "(?8", "(?9", "(?+", "(?-"), i):
            end = s.index(")", i) + 1
            return _Item("any", i, end, chars=frozenset([_ALL]), src=s), end
        elif s.startswith("(?(", i):
            body = _skip_parens(s, i + 2)
        elif s.startswith("(?", i):
            raise Unparsable
        else:
            body = i + 1
        j = self.close.get(i)
        if j is None:
            raise Unparsable
        key = (s[i:j + 1], self.flags) if j - i >= _CACHE_FROM else None
        known = _GROUPS.get(key) if key else None
        if known is not None:
            return _Item("group", i, j + 1, alts=known.alts, atomic=atomic, look=look, shared=known.shared,
                         src=s), j + 1
        alts, end = self._alts(body)
        if end != j:
            raise Unparsable
        item = _Item("group", i, j + 1, alts=alts, atomic=atomic, look=look, src=s)
        if key:
            if len(_GROUPS) > 20_000:
                _GROUPS.clear()
            _GROUPS[key] = item
        return item, j + 1

    def _quantifier(self, item: _Item, i: int) -> int:
        s = self.s
        item.qend = i
        if item.kind == "zero" or i >= len(s):
            return i
        if s[i] in "*+?":
            item.lo, item.hi = (0, None) if s[i] == "*" else (1, None) if s[i] == "+" else (0, 1)
            i += 1
        elif s[i] == "{":
            m = _QUANT.match(s, i)
            if m is None or not (m.group(1) or m.group(3)):
                return i  # a literal brace
            lo = int(m.group(1) or 0)
            item.lo = lo
            item.hi = None if m.group(2) and not m.group(3) else int(m.group(3)) if m.group(2) else lo
            i = m.end()
        else:
            return i
        if i < len(s) and s[i] == "+":
            item.possessive = True
            i += 1
        elif i < len(s) and s[i] == "?":
            i += 1
        item.qend = i
        return i

    def _chars(self, atom: str) -> frozenset[str]:
        return _probe(atom, self.flags, self.probes)


@lru_cache(maxsize=4096)
def _probe(atom: str, flags: int, probes: tuple[str, ...]) -> frozenset[str]:
    compiled = regex.compile(atom, flags | regex.V0)
    return frozenset(c for c in probes if compiled.fullmatch(c))


def class_end(s: str, i: int) -> int:
    """Index after the ``]`` closing the class opened at ``i`` (V0: no nested sets, POSIX classes allowed)."""
    j = i + 1
    if j < len(s) and s[j] == "^":
        j += 1
    if j < len(s) and s[j] == "]":
        j += 1
    while j < len(s):
        if s[j] == "\\":
            j += 2
        elif s.startswith("[:", j) and s.find(":]", j + 2) != -1:
            j = s.index(":]", j + 2) + 2
        elif s[j] == "]":
            return j + 1
        else:
            j += 1
    raise Unparsable


def _skip_parens(s: str, i: int) -> int:
    """Index after the parenthesised condition starting at ``i``."""
    end = s.index(")", i)
    return end + 1


# -- analysis -----------------------------------------------------------------------------------------------

def _nullable(item: _Item) -> bool:
    if "nullable" not in item.memo:
        item.memo["nullable"] = _compute_nullable(item)
    return item.memo["nullable"]  # type: ignore[return-value]


def _compute_nullable(item: _Item) -> bool:
    if item.kind in ("zero", "any") or item.lo == 0 or item.look:
        return True
    if item.kind == "group":
        return any(all(_nullable(x) for x in alt) for alt in item.alts)
    return False


def _first(items: list[_Item], tail: bool = False) -> frozenset[str]:
    """Characters that can begin (``tail``: end) what ``items`` match."""
    out: set[str] = set()
    for item in (reversed(items) if tail else items):
        if item.look or item.kind == "zero":
            continue
        if item.kind != "group":
            out |= item.last if tail and item.last is not None else item.chars
        else:
            if ("first", tail) not in item.shared:
                item.shared[("first", tail)] = _first_alts(item.alts, tail)
            out |= item.shared[("first", tail)]  # type: ignore[operator]
        if not _nullable(item):
            break
    return frozenset(out)


def _first_alts(alts: list[list[_Item]], tail: bool = False) -> frozenset[str]:
    return frozenset().union(*(_first(alt, tail) for alt in alts))


def _item_edges(item: _Item, tail: bool) -> list[tuple[_Item, frozenset[str]]]:
    key = ("edges", tail)
    if key not in item.memo:
        item.memo[key] = _edge_repeats([item], tail=tail)
    return item.memo[key]  # type: ignore[return-value]


def _edge_repeats(items: list[_Item], *, tail: bool) -> list[tuple[_Item, frozenset[str]]]:
    """Repeats that can give back characters at one edge of ``items`` (only optional items beyond them)."""
    out: list[tuple[_Item, frozenset[str]]] = []
    for item in (reversed(items) if tail else items):
        if item.look or item.kind == "zero":
            continue
        if item.possessive or item.atomic:
            pass
        elif item.repeats:
            if item.kind != "group":
                out.append((item, item.chars))
            else:  # what the repeat can give back at that edge
                out.append((item, _first_alts(item.alts, tail)))
        elif item.kind == "group":
            for alt in item.alts:
                for inner in (reversed(alt) if tail else alt):
                    out.extend(_item_edges(inner, tail))
                    if not _nullable(inner):
                        break
        if not _nullable(item):
            break
    return out


def _overlap(a: frozenset[str], b: frozenset[str]) -> bool:
    return bool(a and b) and (_ALL in a or _ALL in b or not a.isdisjoint(b))


def _check_alts(alts: list[list[_Item]], risks: list[str]) -> None:
    for alt in alts:
        _check_seq(alt, risks)


def _check_seq(items: list[_Item], risks: list[str]) -> None:
    for i, item in enumerate(items):
        if item.kind == "group":
            inner = item.shared.get("risks")
            if inner is None:
                inner = item.shared["risks"] = []
                _check_alts(item.alts, inner)  # type: ignore[arg-type]
            risks.extend(inner)  # type: ignore[arg-type]
            if item.repeats and not item.look:
                _check_group(item, risks)
        for left, left_chars in _item_edges(item, True):
            for later in items[i + 1:]:
                for right, right_chars in _item_edges(later, False):
                    if _overlap(left_chars, right_chars):
                        risks.append(_adjacent_message(left, right))
                if not _nullable(later):
                    break


def _check_group(group: _Item, risks: list[str]) -> None:
    first = _first_alts(group.alts)
    for alt in group.alts:
        for inner, chars in _edge_repeats(alt, tail=True):
            if _overlap(chars, first):
                risks.append(_nested_message(group, inner))
    singles = [alt[0] for alt in group.alts if len(alt) == 1 and alt[0].kind in ("char", "any")
               and alt[0].last is None and alt[0].lo == alt[0].hi == 1]
    for a, b in ((a, b) for k, a in enumerate(singles) for b in singles[k + 1:]):
        if _overlap(a.chars, b.chars):
            s = group.src
            atomic = "(?>" + s[group.start + _body_offset(s, group):group.end - 1] + ")" + s[group.end:group.qend]
            risks.append(f"alternatives {_text(a)} and {_text(b)} of the repeated group {_text(group)} match "
                         f"the same characters, so a failing match tries every way of choosing between them "
                         f"(exponential); make them disjoint or the group atomic: {_short(atomic)}")
            return


def _text(item: _Item, possessive: bool = False) -> str:
    """The item as written, with its quantifier made possessive if asked."""
    text = item.src[item.start:item.qend]
    if possessive:
        text = (text[:-1] if text.endswith(("*?", "+?", "}?")) else text) + "+"
    return _short(text)


def _nested_message(group: _Item, inner: _Item) -> str:
    return (f"nested repeats in {_text(group)}: {_text(inner)} at the end of one pass of the group can also "
            f"begin the next, so a failing match tries exponentially many splits; make the inner repeat "
            f"possessive ({_text(inner)} -> {_text(inner, True)}) or the group atomic ((?>...)), or set "
            f"allow_backtracking: true")


def _adjacent_message(left: _Item, right: _Item) -> str:
    return (f"adjacent repeats {_text(left)} and {_text(right)} can match the same characters, so a failing "
            f"match tries every split between them (time grows with a power of the line length); make the "
            f"first possessive ({_text(left)} -> {_text(left, True)}) or merge them, or set "
            f"allow_backtracking: true")


def _body_offset(s: str, group: _Item) -> int:
    if s.startswith("(?:", group.start):
        return 3
    if s.startswith(("(?P<", "(?<"), group.start):
        return s.index(">", group.start) + 1 - group.start
    return 1


def _short(text: str) -> str:
    return "'" + (text if len(text) <= 70 else text[:32] + "..." + text[-32:]) + "'"
