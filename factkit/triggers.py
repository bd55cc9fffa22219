"""Where a rule can start: the static analysis behind the fast matcher.

Running every rule's regex over every position of a document costs microseconds per position and rule,
because the regex engine must try the whole pattern wherever the text is. Facts are rare in prose, so
factkit works out, once per rule at compile time, what text a match can *begin* with:

- a digit (the start of a run of digits),
- a word that begins with a literal ("kilomet", "jan") or is exactly a literal ("up to", "about"),
  sometimes followed by a second word ("a hundred", "a dozen"),
- a symbol ("$", "€", or "-" and "." before a digit).

One scan with a single regular expression (start_scan.py) finds every such start in a document; each rule
is then tried only where it can begin, with ``pattern.match(text, pos)``. A rule whose start cannot be
worked out (it can begin with any letter, or uses syntax the analysis does not read) is scanned in full,
as before, so the analysis can only make factkit faster, never change what it finds, within this
contract:

    A match begins at a token start: a letter not preceded by a letter, the first digit of a run of
    digits, or a symbol.

The analysis reads the pattern with the standard library's regex parser after rewriting the ``regex``
module's extras it does not know (``\\p{L}``, variable-width lookbehinds, repeated group names; see
pattern_text.py); anything it cannot read marks the rule as ungated.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Any, Iterable, NamedTuple

import regex

from .lint import Unparsable
from .pattern_text import BACKREF, Unknown, class_end_or_end, for_analysis, group_end_at, group_opener, structure
from .pattern_text import sre_constants as _c
from .pattern_text import sre_parse as _p

MAX_PREFIX = 12  # longest literal kept for a start; longer ones are cut (still a valid prefix)
MAX_STARTS = 4000  # more alternatives than this and the rule is scanned in full


class Start(NamedTuple):
    """One way a match can begin. ``kind``: 'digit', 'sym', 'sym-digit' or 'word'.

    A named tuple rather than a dataclass: a built extractor holds thousands, in hundreds of sets, and a
    tuple hashes in C and loads without a ``__dict__`` of its own."""

    kind: str
    text: str = ""
    exact: bool = False  # the word is exactly ``text`` (no letter follows it)
    then: frozenset[str] = frozenset()  # for exact short words: the word that must follow ("a" -> "hundred")
    open: bool = False  # ends a macro: whether it is exact depends on what follows the macro where used


_ANALYSIS_ERRORS = (Unknown, re.error, RecursionError, OverflowError, IndexError, TypeError, ValueError)


def rule_starts(source: str, flags: int = 0) -> frozenset[Start] | None:
    """The starts of every match of ``source`` (regex module syntax, no references), or None when unknown."""
    return Analyser(lambda ref: None).rule_starts(source, flags)


class Analyser:
    """Start analysis of patterns that reference macros and gazetteers, each analysed once.

    ``resolve(ref)`` returns ``("macro", key, body)``, ``("gazetteer", key, forms, flexible)`` or None;
    ``key`` identifies the referenced thing across packs so its analysis is shared.
    """

    _REF = re.compile(r"(?<!\\)(?<![\\][pPNxu])\{([A-Za-z_][\w\-]*(?:\.[A-Za-z_][\w\-]*)?)\}")

    def __init__(self, resolve: Any):
        self.resolve = resolve
        self.cache: dict[Any, MacroInfo | None] = {}

    def rule_starts(self, pattern: str, flags: int) -> frozenset[Start] | None:
        return self.rule_analysis(pattern, flags)[0]

    def rule_analysis(self, pattern: str, flags: int) -> tuple[frozenset[Start] | None, frozenset[Start] | None]:
        """Where a rule's matches can begin, and its anchor: the starts of a rarer element every match
        holds after its first one (a unit after the number, a currency after the amount), each None when
        unknown. Rules are tried only at their starts, and only where an anchor follows closely."""
        try:
            tree, macros = self._parse(pattern, flags, ())
        except _ANALYSIS_ERRORS:
            return None, None
        items = list(tree)
        try:
            found, nullable = _Walker(macros)._first(((items, 0),))
        except _ANALYSIS_ERRORS:
            return None, None
        if nullable or any(s.kind == "other" for s in found) or len(found) > MAX_STARTS:
            return None, None
        starts = frozenset(Start(s.kind, s.text, False) if s.open else s for s in found)
        try:
            best = _Walker(macros, open_end=True).anchor(items)
        except _ANALYSIS_ERRORS:
            best = None
        return starts, (best[1] if best is not None and best[0] <= MAX_ANCHOR_SCORE else None)

    def ref_info(self, ref: str) -> MacroInfo | None:
        """The analysis of one of this scope's macros or gazetteers, for packs that reuse it."""
        return self._ref_info(ref, 0, ())

    def gazetteer_rule_starts(self, forms: Iterable[str], flexible: bool) -> frozenset[Start]:
        """A gazetteer's starts are words and symbols read from its aliases: however many there are, one
        trie in the start scanner finds them, so a gazetteer rule is always gated."""
        return gazetteer_starts(forms, flexible)

    def pattern_info(self, pattern: str, flags: int, stack: tuple[Any, ...] = (), *,
                     open_end: bool = False) -> MacroInfo | None:
        try:
            tree, macros = self._parse(pattern, flags, stack)
            starts, nullable = _Walker(macros, open_end=open_end)._first(((list(tree), 0),))
        except _ANALYSIS_ERRORS:
            return None
        return frozenset(starts), nullable

    def rule_probes(self, pattern: str, flags: int) -> tuple[frozenset[Start], tuple[Probe, ...]] | None:
        """How a rule's starts can be checked cheaply before its pattern runs (see :class:`Probe`): the starts
        that need no check (``free``) and one probe per way the rule can begin with a reference. None when
        the rule has no such beginning, or the analysis cannot tell."""
        names: dict[str, Any] = {}
        try:
            tree, macros = self._parse(pattern, flags, (), names)
            finder = _ProbeFinder(_Walker(macros), _Walker(macros, open_end=True), macros,
                                  {ph: ref for ph, (ref, _, _) in names.items()})
            finder.sequence(list(tree), 0, 0)
        except _ANALYSIS_ERRORS:
            return None
        if not finder.probes:
            return None
        probes = []
        zero_width = {ref for ph, (ref, _, _) in names.items()
                      if macros.get(ph) is not None and macros[ph][1] and not macros[ph][0]}
        for probe, ph in zip(finder.probes, finder.heads):
            _, start, end = names[ph]
            probes.append(replace(probe, rest=rest_after(pattern, start, end),
                                  guard=asserts_before(pattern, start, zero_width)))
        return frozenset(finder.free), tuple(probes)

    def _parse(self, pattern: str, flags: int, stack: tuple[Any, ...],
               names: dict[str, str] | None = None) -> tuple[Any, dict[str, MacroInfo | None]]:
        """Parse ``pattern`` with each {reference} as one placeholder character, analysed on its own. With
        ``names``, each occurrence has a placeholder of its own, and ``names`` receives what it stands for:
        (reference, start, end) in ``pattern``."""
        macros: dict[str, MacroInfo | None] = {}
        refs: dict[str, str] = {}

        def placeholder(m: Any) -> str:
            ref = m.group(1)
            if names is not None:
                ph = chr(PLACEHOLDER_BASE + len(names))
                macros[ph] = self._ref_info(ref, flags, stack)
                names[ph] = (ref, m.start(), m.end())
                return ph
            if ref not in refs:
                refs[ref] = chr(PLACEHOLDER_BASE + len(refs))
                macros[refs[ref]] = self._ref_info(ref, flags, stack)
            return refs[ref]

        source = for_analysis(self._REF.sub(placeholder, pattern))
        return _p.parse(source, flags & (re.IGNORECASE | re.VERBOSE)), macros

    def _ref_info(self, ref: str, flags: int, stack: tuple[Any, ...]) -> MacroInfo | None:
        found = self.resolve(ref)
        if found is None:
            return None
        key = found[1]
        if key in stack:
            return None
        if key not in self.cache:
            if found[0] == "info":
                self.cache[key] = found[2]
            elif found[0] == "gazetteer":
                self.cache[key] = (gazetteer_starts(found[2], found[3]), False)
            else:
                self.cache[key] = self.pattern_info(found[2], flags, stack + (key,), open_end=True)
        return self.cache[key]


_SEPARATORS = " -\u2010\u2011\u2012\u2013"
MAX_ANCHOR_SCORE = 3000
ANCHOR_REACH = 1000  # how far after a start an anchor is looked for: as far as a match can reach (matcher.MATCH_REACH)


def _consumes(op: Any, av: Any) -> bool:
    """Does this top-level item always consume text (so what it matches is in every match)?"""
    if op in (_c.MAX_REPEAT, _c.MIN_REPEAT, getattr(_c, "POSSESSIVE_REPEAT", None)):
        return av[0] >= 1
    return op in (_c.LITERAL, _c.IN, _c.SUBPATTERN, _c.BRANCH) or op is getattr(_c, "ATOMIC_GROUP", None)


def _anchor_score(starts: set[Start]) -> float | None:
    """How often an anchor set is expected to occur, roughly; None when it would be everywhere."""
    score = 0.0
    for s in starts:
        if s.kind in ("digit", "other", "sym-digit"):
            return None
        if s.kind == "sym":
            score += 5
        elif not s.exact and len(s.text) == 1:
            return None  # any word beginning with that letter
        elif not s.exact and len(s.text) == 2:
            score += 200  # "us" begins "use", "usual"...
        else:
            score += 3 if len(s.text) <= 2 else 1
    return score


def gazetteer_starts(forms: Iterable[str], flexible: bool) -> frozenset[Start]:
    """Starts of a gazetteer's aliases, read from the aliases themselves rather than from their trie."""
    out: set[Start] = set()
    for form in forms:
        form = form.strip()
        if not form:
            continue
        first = form[0]
        if first.isdigit():
            out.add(Start("digit"))
            continue
        if not first.isalpha():
            out.add(Start("sym", first))
            continue
        run = _alnum_run(form)
        rest = form[len(run):]
        whole_token = not rest or not rest[0].isalpha()
        then: frozenset[str] = frozenset()
        if whole_token and len(run) <= 4 and not flexible and rest[:1] == " " and rest[1:2].isalnum():
            # "a maximum of": the scan reports "a" only before "maximum" (an alias's space is one space)
            then = frozenset({"#" if rest[1].isdecimal() else _alnum_run(rest[1:]).lower()})
        out.add(Start("word", run.lower()[:MAX_PREFIX], whole_token and len(run) <= MAX_PREFIX, then))
        if flexible and rest and rest[0] in _SEPARATORS:
            joined = run + _alnum_run(rest.lstrip(_SEPARATORS))  # "S-300" is also written "S300"
            if len(joined) > len(run):
                out.add(Start("word", joined.lower()[:MAX_PREFIX], False))
    return frozenset(out)


def _alnum_run(text: str) -> str:
    n = 0
    while n < len(text) and text[n].isalnum():
        n += 1
    return text[:n]


# -- the walk over the parsed pattern ---------------------------------------------------------------------
Frames = tuple  # ((items, index), ...): where the walk is, innermost first, with what follows outside


_LOOP = "loop"  # marks the end of a repeated body: what follows may be the body again
_LOOP_FRAME = ([(_LOOP, None)], 0)


def _items(node: Any) -> list[Any]:
    return list(node.data) if hasattr(node, "data") else list(node)


MacroInfo = tuple  # (starts, nullable) of a macro or gazetteer; None when unknown
PLACEHOLDER_BASE = 0xF0000  # supplementary private use: never in a pattern written by hand


class _Walker:
    def __init__(self, macros: dict[str, MacroInfo | None] | None = None, *, open_end: bool = False) -> None:
        self.macros = macros or {}
        self.open_end = open_end  # analysing a macro: its end is not the end of a match
        self.budget = 300_000
        self._item_lists: dict[Any, list[Any]] = {}
        self._memo: dict[tuple[tuple[int, int], ...], tuple[set[Start], bool]] = {}

    def items(self, node: Any) -> list[Any]:
        key = id(node)
        if key not in self._item_lists:
            self._item_lists[key] = _items(node)
        return self._item_lists[key]

    def _tick(self) -> None:
        self.budget -= 1
        if self.budget < 0:
            raise Unknown("pattern too large to analyse")

    def starts(self, frames: Frames) -> set[Start]:
        """Starts of what ``frames`` can match; raises Unknown if it can start anywhere or be empty."""
        starts, nullable = self._first(frames)
        if nullable:
            raise Unknown("can match the empty string")
        if any(s.kind == "other" for s in starts):
            raise Unknown("can start with white space or a broad class")
        return starts

    def _first(self, frames: Frames) -> tuple[set[Start], bool]:
        key = tuple((id(items), i) for items, i in frames)
        found = self._memo.get(key)
        if found is None:
            found = self._memo[key] = self._first_uncached(frames)
        return found

    def _first_uncached(self, frames: Frames) -> tuple[set[Start], bool]:
        self._tick()
        if not frames:
            return set(), True
        (items, i), rest = frames[0], frames[1:]
        if i >= len(items):
            return self._first(rest)
        op, av = items[i]
        here = ((items, i + 1),) + rest
        if op is _c.LITERAL and chr(av) in self.macros:
            info = self.macros[chr(av)]
            if info is None:
                raise Unknown("a macro whose starts are unknown")
            starts, nullable = info
            starts = {self._close(s, here) if s.open else s for s in starts}
            if nullable:
                more, n = self._first(here)
                return starts | more, n
            return starts, False
        if op is _c.LITERAL:
            return self._literal(chr(av), here), False
        if op in (_c.AT, _c.ASSERT, _c.ASSERT_NOT):
            return self._first(here)
        if op is _c.SUBPATTERN:
            return self._first(((self.items(av[-1]), 0),) + here)
        if op is _c.ATOMIC_GROUP if hasattr(_c, "ATOMIC_GROUP") else False:
            return self._first(((self.items(av), 0),) + here)
        if op is _c.BRANCH:
            out: set[Start] = set()
            nullable = False
            for branch in av[1]:
                s, n = self._first(((self.items(branch), 0),) + here)
                out |= s
                nullable = nullable or n
            return out, nullable
        if op == _LOOP:
            raise Unknown("after a repeat")
        if op in (_c.MAX_REPEAT, _c.MIN_REPEAT, getattr(_c, "POSSESSIVE_REPEAT", None)):
            lo, hi, body = av
            after_body = (_LOOP_FRAME,) + here if hi != 1 else here
            s, n = self._first(((self.items(body), 0),) + after_body)
            if lo == 0:
                s2, n2 = self._first(here)
                return s | s2, n2
            return s, n
        if op is _c.IN:
            return self._class(av, here), False
        raise Unknown(str(op))  # ANY, NOT_LITERAL, GROUPREF, CATEGORY...

    # a literal character begins a word, a digit run or a symbol
    def _literal(self, ch: str, after: Frames) -> set[Start]:
        if ch.isdigit():
            return {Start("digit")}
        if ch.isalpha():
            return self._words(ch.lower(), after)
        if ch.isspace():
            raise Unknown("starts with white space")
        return {Start("sym-digit", ch) if self._only_digits_follow(after) else Start("sym", ch)}

    def _class(self, av: Any, after: Frames) -> set[Start]:
        if any(op is _c.LITERAL and chr(arg) in self.macros for op, arg in av):
            # the parser folds "{a}|{b}" (one placeholder character each) into a class
            out: set[Start] = set()
            for item in av:
                op, arg = item
                if op is not _c.LITERAL:
                    raise Unknown("a class mixing macros and characters")
                starts, _ = self._first(((self.items_of_one(item), 0),) + after) if chr(arg) in self.macros \
                    else (self._literal(chr(arg), after), False)
                out |= starts
            return out
        kinds = _class_chars(av)
        if kinds is None:
            if _has_letters(av):
                raise Unknown("broad character class")
            return {Start("other")}  # white space or punctuation: never a letter
        if kinds == "digit":
            return {Start("digit")}
        out: set[Start] = set()
        for ch in kinds:
            out |= self._literal(ch, after)
        return out

    # words: extend the literal as far as it is fixed, then decide whether it must be the whole token
    def anchor(self, items: list[Any]) -> tuple[float, frozenset[Start]] | None:
        """The cheapest element, after the first, that every match of this sequence holds; for a sequence
        that is one alternation, the union of each alternative's anchor."""
        consuming = [i for i, (op, av) in enumerate(items) if _consumes(op, av)]
        if len(consuming) == 1 and items[consuming[0]][0] in (_c.BRANCH, _c.SUBPATTERN):
            op, av = items[consuming[0]]
            branches = av[1] if op is _c.BRANCH else [av[-1]]
            total, union = 0.0, set()
            for branch in branches:
                found = self.anchor(self.items(branch))
                if found is None:
                    return None
                total += found[0]
                union |= found[1]
            return total, frozenset(union)
        best: tuple[float, frozenset[Start]] | None = None
        for i in consuming[1:]:
            if self._glued_to_a_letter(items, i):
                continue  # "k" + "(nots?|ts)" after the parser factored a prefix: not a token start
            try:
                starts, nullable = self._first(((items, i),))  # the rest of the sequence: "k" + "nots?|ts"
            except Unknown:
                continue
            score = None if nullable else _anchor_score(starts)
            if score is not None and (best is None or score < best[0]):
                best = (score, frozenset(starts))
        return best

    def _glued_to_a_letter(self, items: list[Any], i: int) -> bool:
        """Does the element just before ``items[i]`` in the pattern itself write a letter?"""
        for op, av in reversed(items[:i]):
            if op in (_c.AT, _c.ASSERT, _c.ASSERT_NOT):
                continue
            if op is _c.LITERAL:
                return chr(av) not in self.macros and chr(av).isalpha()
            if op is _c.IN:
                return _has_letters(av)
            if op in (_c.MAX_REPEAT, _c.MIN_REPEAT, getattr(_c, "POSSESSIVE_REPEAT", None)):
                body = self.items(av[2])
                return bool(body) and self._glued_to_a_letter(body + [(None, None)], len(body))
            if op is _c.SUBPATTERN:  # "(?:mon|tues)days": the group's last element writes a letter
                body = self.items(av[-1])
                return bool(body) and self._glued_to_a_letter(body + [(None, None)], len(body))
            if op is _c.BRANCH:
                return any(self._glued_to_a_letter(self.items(b) + [(None, None)], len(self.items(b)))
                           for b in av[1])
            return False
        return False

    def items_of_one(self, item: Any) -> list[Any]:
        """A one-item list for ``item``, kept alive so the memo (keyed by list identity) stays right."""
        key = ("one", id(item))
        if key not in self._item_lists:
            self._item_lists[key] = [item]  # type: ignore[index]
        return self._item_lists[key]  # type: ignore[index]

    def _close(self, start: Start, after: Frames) -> Start:
        """Settle a word that ended a macro, now that what follows the macro is known."""
        if self.open_end and _at_end(after):
            return start
        exact = not self._letter_can_follow(after)
        then = self._next_word(after) if exact and len(start.text) <= 4 else frozenset()
        return Start("word", start.text, exact, then)

    def _words(self, prefix: str, after: Frames) -> set[Start]:
        out: set[Start] = set()
        for text, rest in self._extend(prefix, after):
            if self.open_end and _at_end(rest):
                out.add(Start("word", text, False, frozenset(), True))
                continue
            exact = not self._letter_can_follow(rest)
            then: frozenset[str] = frozenset()
            if exact and len(text) <= 4:
                then = self._next_word(rest)
            out.add(Start("word", text, exact, then))
        return out

    def _extend(self, prefix: str, frames: Frames) -> list[tuple[str, Frames]]:
        """Literal continuations of ``prefix``: (longer prefix, what follows it)."""
        self._tick()
        if len(prefix) >= MAX_PREFIX or not frames:
            return [(prefix, frames)]
        (items, i), rest = frames[0], frames[1:]
        if i >= len(items):
            return self._extend(prefix, rest)
        op, av = items[i]
        here = ((items, i + 1),) + rest
        if op == _LOOP or op is _c.LITERAL and chr(av) in self.macros:
            return [(prefix, frames)]
        if op is _c.LITERAL and chr(av) != " " and not chr(av).isspace():
            return self._extend(prefix + chr(av).lower(), here)
        if op is _c.LITERAL and chr(av) == " ":
            return self._extend(prefix + " ", here)
        if op is _c.SUBPATTERN:
            return self._extend(prefix, ((self.items(av[-1]), 0),) + here)
        if op in (_c.MAX_REPEAT, _c.MIN_REPEAT) and av[0] == 0 and av[1] == 1:  # "an?": "a" and "an"
            return self._extend(prefix, ((self.items(av[2]), 0),) + here) + self._extend(prefix, here)
        if op is _c.BRANCH and len(av[1]) <= 64:
            out: list[tuple[str, Frames]] = []
            for branch in av[1]:
                out += self._extend(prefix, ((self.items(branch), 0),) + here)
                if len(out) > 256:
                    return [(prefix, frames)]
            return out
        return [(prefix, frames)]

    def _letter_can_follow(self, frames: Frames) -> bool:
        """Can a letter come right after? The end of the pattern counts as yes: a match may stop mid-word."""
        self._tick()
        if not frames:
            return True
        (items, i), rest = frames[0], frames[1:]
        if i >= len(items):
            return self._letter_can_follow(rest)
        op, av = items[i]
        here = ((items, i + 1),) + rest
        if op == _LOOP:
            return True
        if op is _c.AT:
            if av is _c.AT_BOUNDARY:
                return False  # after a letter, \b means no word character follows
            return self._letter_can_follow(here)
        if op is _c.ASSERT_NOT and av[0] == 1 and _blocks_letters(av[1]):
            return False
        if op in (_c.ASSERT, _c.ASSERT_NOT):
            return self._letter_can_follow(here)
        try:
            starts, nullable = self._first(frames)
        except Unknown:
            return True
        if any(s.kind == "word" for s in starts):
            return True
        return nullable  # the rest may match nothing: the pattern can end here, and a letter may follow

    def _next_word(self, frames: Frames) -> frozenset[str]:
        """For ``a\\s+(hundred|dozen)``: the words that must follow the short word, or empty if unknown."""
        if not frames:
            return frozenset()
        (items, i), rest = frames[0], frames[1:]
        if i >= len(items):
            return self._next_word(rest)
        op, av = items[i]
        if op is _c.IN and _class_chars_of([items[i]]) in ("space", "space-dash"):
            av = (1, 1, [items[i]])  # one separator character: "(?:\s|-)"
        elif op == _LOOP or op not in (_c.MAX_REPEAT, _c.MIN_REPEAT) or av[0] < 1:
            return frozenset()
        if _class_chars_of(av[2]) not in ("space", "space-dash"):
            body = self.items(av[2])  # "a(?:[\s-]+{big_word}){1,2}": the separator opens a repeated group
            if body and body[0][0] in (_c.MAX_REPEAT, _c.MIN_REPEAT) and body[0][1][0] >= 1 \
                    and _class_chars_of(body[0][1][2]) in ("space", "space-dash"):
                return self._next_word(((body, 0), (items, i + 1)) + rest)
            return frozenset()
        try:
            starts = self.starts(((items, i + 1),) + rest)
        except Unknown:
            return frozenset()
        if all(s.kind == "digit" or s.kind == "word" and s.text for s in starts):
            return frozenset("#" if s.kind == "digit" else s.text for s in starts)
        return frozenset()

    def _only_digits_follow(self, frames: Frames) -> bool:
        try:
            starts = self.starts(frames)
        except Unknown:
            return False
        return all(s.kind == "digit" for s in starts)


# -- probes: a cheap check before a rule's pattern runs -------------------------------------------------
@dataclass(frozen=True)
class Probe:
    """One way a rule can begin: with the reference ``ref`` (a macro such as ``{number}``), then, within
    ``reach`` characters of that reference's end, something that starts with one of ``tail``.

    Most rules begin with a number and fail on what follows it, and matching a number costs far more than
    the rest. So the matcher matches each probed reference once per position, shared by every rule that
    begins with it, keeping the end of its longest match (``regex``'s POSIX mode). A rule is then tried at
    a start only if that reference matches there, a tail start lies no further than ``reach`` past its end,
    and ``rest`` (the pattern after the reference, cut out by :func:`rest_after`) matches at one of the
    ends the reference can have. Each is necessary for the rule to match, so the checks never change what
    is found; they only spare the rule's full pattern where it would fail.
    """

    ref: str
    tail: frozenset[Start] | None  # None: nothing to look for after the reference
    reach: int = 0
    run: str = ""  # a character class the gap may hold a run of, any length: the reach counts from its end
    after_run: int = 0  # how far the tail may lie past that run
    rest: str | None = None  # the pattern after the reference in this alternative, when it can be cut out
    head: frozenset[Start] | None = None  # where the reference itself can begin, when known
    guard: str = ""  # the lookarounds right before the reference ("{before}"): they hold where it begins
    source: str = ""  # the reference expanded, set by the compiler
    guard_source: str = ""  # the guard expanded, set by the compiler
    rest_source: str | None = None  # the rest expanded, set by the compiler
    # For a reference in an optional beginning ("(?:{bound}\s+)?{number} km"): the separator class after
    # it (one or more), when what follows the optional part cannot begin with that class. A match from
    # here then holds a match of the rule without that part where the separator ends, so the rule must
    # be able to begin there too: its own probes pass or fail there first.
    chain: str = ""
    # For a reference after a leading word and a separator ("in\s+{count}"): that word and separator class.
    # The probe is checked where they end, as the rule cannot match without them.
    prefix: tuple[str, str] | None = None


_INF = 1 << 30
MAX_PROBES = 16
MAX_GAP = 40  # a separator wider than this between the reference and its tail: no tail check


class _ProbeFinder:
    """Walks a rule's parsed pattern from its beginning, alternative by alternative, to its first reference."""

    def __init__(self, walker: _Walker, lead_walker: _Walker, macros: dict[str, MacroInfo | None],
                 names: dict[str, str]):
        self.walker, self.lead_walker, self.macros, self.names = walker, lead_walker, macros, names
        self.free: set[Start] = set()
        self.probes: list[Probe] = []
        self.heads: list[str] = []  # the placeholder each probe begins with
        self._keep: list[Any] = []  # spliced item lists: the walkers' memos are keyed by their identity
        self._chain = ""  # set while walking an optional beginning that a probe can chain through
        self._prefix: tuple[str, str] | None = None  # set while walking on from a leading word

    def sequence(self, items: list[Any], i: int, depth: int) -> None:
        while i < len(items):
            op, av = items[i]
            if op in (_c.AT, _c.ASSERT, _c.ASSERT_NOT):
                i += 1
                continue
            lo, _ = self.width(items[i])
            if lo == 0 and op in (_c.MAX_REPEAT, _c.MIN_REPEAT) and av[1] == 1 and depth < 4 \
                    and self._seq_width(_items(av[2]))[0] > 0:
                # "(?:{bound}\s+)?{number}": one alternative with the optional part, one without
                self._chain = "" if self._prefix else self._chain_run(_items(av[2]), items[i + 1:])
                self.sequence(self._splice(_items(av[2]), items[i + 1:]), 0, depth + 1)
                self._chain = ""
                i += 1
                continue
            if lo == 0:  # optional and of another shape: where it can start, no check is made
                if self._prefix:
                    raise Unknown("an optional part after a leading word")
                self.free |= self._lead_starts(items[i])
                i += 1
                continue
            if op is _c.SUBPATTERN and av[1]:  # "(?i:...)": a probe would read its reference without the flag
                starts, nullable = self.walker._first(((items, i),))
                self._add_free(starts, nullable)
                return
            if op is _c.SUBPATTERN or op is getattr(_c, "ATOMIC_GROUP", None):
                items, i = self._splice(_items(av[-1] if op is _c.SUBPATTERN else av), items[i + 1:]), 0
                continue
            if op is _c.BRANCH and depth < 4:
                for branch in av[1]:
                    self.sequence(self._splice(_items(branch), items[i + 1:]), 0, depth + 1)
                return
            if op is _c.LITERAL and chr(av) in self.macros and chr(av) in self.names:
                if len(self.probes) >= MAX_PROBES:
                    raise Unknown("too many alternatives")
                probe = self.tail(items, i + 1, self.names[chr(av)])
                starts, _ = self.walker._first(((items, i),))
                if not any(s.kind == "other" for s in starts):
                    probe = replace(probe, head=frozenset(Start(s.kind, s.text, False) if s.open else s
                                                          for s in starts))
                if self._chain:
                    probe, self._chain = replace(probe, chain=self._chain), ""
                if self._prefix:
                    probe = replace(probe, prefix=self._prefix)
                self.probes.append(probe)
                self.heads.append(chr(av))
                return
            if not self._prefix and self._leading_word(items, i, depth):
                return
            starts, nullable = self.walker._first(((items, i),))  # begins otherwise: no check
            self._add_free(starts, nullable)
            return
        raise Unknown("an alternative that can match nothing")

    def _leading_word(self, items: list[Any], i: int, depth: int) -> bool:
        """For an alternative that begins with a word and a separator ("in\\s+{count}\\s+{time_unit}"): its
        probes, each checked where the separator ends (``Probe.prefix``). False, with nothing recorded,
        when that does not give a probe for every way on from there."""
        j = i
        while j < len(items) and items[j][0] is _c.LITERAL and chr(items[j][1]).isalpha() \
                and chr(items[j][1]) not in self.macros:
            j += 1
        if j == i or j >= len(items) or depth >= 4:
            return False
        run = self._separator_before(items[j], items[j + 1:])
        if not run:
            return False
        free, probes, heads = set(self.free), len(self.probes), len(self.heads)
        self._prefix = ("".join(chr(av) for _, av in items[i:j]), run)
        try:
            self.sequence(items, j + 1, depth + 1)
            return True
        except _ANALYSIS_ERRORS:  # the word itself is then where the rule runs unchecked
            self.free, self.probes[probes:], self.heads[heads:] = free, [], []
            return False
        finally:
            self._prefix = None

    def tail(self, items: list[Any], j: int, ref: str) -> Probe:
        """The probe for ``ref``: the starts of the first required element after it, and how far."""
        gap, run, before_run = 0, "", 0
        while j < len(items):
            op, av = items[j]
            if op in (_c.AT, _c.ASSERT, _c.ASSERT_NOT):
                j += 1
                continue
            lo, hi = self.width(items[j])
            if hi >= _INF and not run:
                run = _separator_run(items[j])
                if run:  # "\s+": any length, so the reach is counted again from the end of the run
                    before_run, gap = gap, 0
                    j += 1
                    continue
            # what follows from here, through an optional part ("(?:in\s+the\s+)?{part}": "in" or a part)
            starts: set[Start] | None
            try:
                starts, nullable = self.walker._first(((items, j),))
            except Unknown:  # an optional part is then measured as a separator; a required one ends the search
                if lo > 0:
                    break
                starts, nullable = None, True
            if nullable or starts is None or any(s.kind == "other" for s in starts):
                starts = None  # white space or a broad class: a separator, measured like an optional one
            if starts is not None:
                if self.walker._glued_to_a_letter(items, j):
                    break  # not a token start: the scanner would not report it
                tail = frozenset(Start(s.kind, s.text, False) if s.open else s for s in starts)
                if run:
                    return Probe(ref, tail, before_run, run, gap)
                return Probe(ref, tail, gap)
            if hi >= _INF or gap + hi > MAX_GAP:
                break
            gap += hi
            j += 1
        return Probe(ref, None)

    def _chain_run(self, body: list[Any], after: list[Any]) -> str:
        """The separator class of an optional beginning made of one reference and a separator run of at
        least one character ("(?:(?P<q>{bound})\\s+)?"), when ``after`` (what follows it) cannot begin with
        that class; otherwise ''. A match through that beginning then holds, where the separator ends,
        a match of the rule without it: at a token start, so the rule's own starts and probes cover it."""
        if len(body) != 2:
            return ""
        (op, av), sep = body
        if op is _c.SUBPATTERN and not av[1] and not av[2] and len(_items(av[-1])) == 1:
            op, av = _items(av[-1])[0]
        if not (op is _c.LITERAL and chr(av) in self.macros and chr(av) in self.names):
            return ""
        return self._separator_before(sep, after)

    def _separator_before(self, item: Any, after: list[Any]) -> str:
        """The class of ``item`` if it is a separator run of at least one character and ``after`` can only
        begin with a word, digit or symbol outside that class (then, after the run, ``after`` begins where
        the run ends, at a token start); otherwise ''."""
        run = _separator_run(item)
        if not run or item[1][0] < 1:
            return ""
        try:
            starts, nullable = self.walker._first(((self._splice([], after), 0),))
        except Unknown:
            return ""
        if nullable or any(s.kind not in ("digit", "word", "sym", "sym-digit") or not s.text and s.kind != "digit"
                           or s.text and regex.match(run, s.text[0]) for s in starts):
            return ""
        return run

    def width(self, item: Any) -> tuple[int, int]:
        """Least and most characters ``item`` can match; a reference may match nothing or anything long."""
        op, av = item
        if op is _c.LITERAL:
            if chr(av) in self.macros:
                info = self.macros[chr(av)]
                if info is not None and info[1] and not info[0]:
                    return 0, 0  # a macro that only looks around ("{before}")
                return (0 if info is None or info[1] else 1), _INF
            return 1, 1
        if op in (_c.IN, _c.ANY, _c.NOT_LITERAL, _c.CATEGORY):
            return 1, 1
        if op in (_c.AT, _c.ASSERT, _c.ASSERT_NOT):
            return 0, 0
        if op is _c.SUBPATTERN:
            return self._seq_width(_items(av[-1]))
        if op is getattr(_c, "ATOMIC_GROUP", None):
            return self._seq_width(_items(av))
        if op is _c.BRANCH:
            widths = [self._seq_width(_items(b)) for b in av[1]]
            return min(w[0] for w in widths), max(w[1] for w in widths)
        if op in (_c.MAX_REPEAT, _c.MIN_REPEAT, getattr(_c, "POSSESSIVE_REPEAT", None)):
            lo, hi, body = av
            blo, bhi = self._seq_width(_items(body))
            most = _INF if hi >= _c.MAXREPEAT or bhi >= _INF else min(hi * bhi, _INF)
            return lo * blo, most
        raise Unknown(str(op))

    def _seq_width(self, items: list[Any]) -> tuple[int, int]:
        lo = hi = 0
        for item in items:
            a, b = self.width(item)
            lo, hi = lo + a, min(hi + b, _INF)
        return lo, hi

    def _lead_starts(self, item: Any) -> set[Start]:
        one = self.lead_walker.items_of_one(item)
        starts, _ = self.lead_walker._first(((one, 0),))
        if any(s.kind == "other" for s in starts):
            raise Unknown("an optional beginning that can start anywhere")
        return {Start(s.kind, s.text, False) if s.open else s for s in starts}

    def _add_free(self, starts: set[Start], nullable: bool) -> None:
        if self._prefix:  # these are not where the rule begins: that is the leading word
            raise Unknown("an unchecked way on from a leading word")
        if nullable or any(s.kind == "other" for s in starts):
            raise Unknown("an alternative that can start anywhere")
        self.free |= {Start(s.kind, s.text, False) if s.open else s for s in starts}

    def _splice(self, head: list[Any], rest: list[Any]) -> list[Any]:
        items = head + rest
        self._keep.append(items)
        return items


_QUANTIFIER = re.compile(r"[?*+]|\{\d*,?\d*\}")
_FLAGS_GROUP = re.compile(r"\(\?(?=[a-zA-Z-])[a-zA-Z]*(?:-[a-zA-Z]+)?:")


def rest_after(pattern: str, start: int, end: int) -> str | None:
    """What must match right after ``pattern[start:end]`` (a {reference}) in its alternative, as a pattern of
    its own: the text after it, with the alternatives after its own dropped, the groups around it closed
    (an optional group closes as if taken once; a scoped flag group is kept around its part), and nothing
    else changed. None when that cannot be cut out exactly: a repeated group around the reference, a
    lookaround, a backreference, inline flags or comments."""
    try:
        return _rest_after(pattern, start, end)
    except (Unknown, IndexError, Unparsable):
        return None


def _rest_after(pattern: str, start: int, end: int) -> str | None:
    stack: list[str] = []  # openers of the groups around the reference, innermost last
    for j, ch, _ in structure(pattern, 0, start):
        if ch == "(":
            opener = group_opener(pattern, j)
            if opener is None:
                return None
            stack.append(opener)  # a backreference "(?P=name)" is popped again by its own ")"
        elif ch == ")":
            stack.pop()
    if any(o.startswith(("(?=", "(?!", "(?<=", "(?<!")) for o in stack) or _QUANTIFIER.match(pattern, end):
        return None
    out: list[str] = []
    depth, i, n = 0, end, len(pattern)
    while i < n:
        ch = pattern[i]
        if ch == "\\":
            if pattern[i + 1:i + 2].isdigit() or pattern[i + 1:i + 2] == "g":
                return None  # a backreference
            out.append(pattern[i:i + 2])
            i += 2
        elif ch == "[":
            j = class_end_or_end(pattern, i)
            out.append(pattern[i:j])
            i = j
        elif ch == "(":
            opener = group_opener(pattern, i)
            if opener is None or opener.startswith("(?P="):
                return None
            depth += 1
            out.append(opener)
            i += len(opener)
        elif ch == "|" and not depth:
            if not stack:
                break  # the reference's alternative ends here
            i = _alternatives_end(pattern, i)  # skip the other alternatives, to the group's ")"
        elif ch == ")" and not depth:  # a group around the reference closes
            opener = stack.pop()
            quant = _QUANTIFIER.match(pattern, i + 1)
            if quant and quant.group() != "?":
                return None  # the group may repeat: what follows is not simply the rest
            if _FLAGS_GROUP.fullmatch(opener):
                out = [opener, *out, ")"]
            i += 1 + (len(quant.group()) if quant else 0)
            if quant and pattern[i:i + 1] in ("?", "+"):
                i += 1  # "??" or "?+": still at most once
        else:
            if ch == ")":
                depth -= 1
            out.append(ch)
            i += 1
    return "".join(out)


_LOOKAROUND_OPENERS = ("(?=", "(?!", "(?<=", "(?<!")


def asserts_before(pattern: str, start: int, zero_width: set[str]) -> str:
    """The lookarounds (and references in ``zero_width``, such as "{before}") that stand right before
    ``pattern[start]`` in the same alternative, reading back through the openers of groups that begin
    there; they are checked at the position where the reference begins."""
    out: list[str] = []
    i = start
    while i > 0:
        if pattern[i - 1] == "}":
            j = pattern.rfind("{", 0, i - 1)
            if j < 0 or pattern[j + 1:i - 1] not in zero_width or (j and pattern[j - 1] == "\\"):
                break
            out.append(pattern[j:i])
            i = j
            continue
        optional = re.search(r"(?<!\\)\)(?:\?|\*)\??\Z", pattern[max(0, i - 4):i])
        if optional:  # an optional group before the reference: in this alternative it was left out
            j = _enclosing_open(pattern, i - len(optional.group()))
            if j is None:
                break
            i = j
            continue
        if pattern[i - 1] == ")" and (i < 2 or pattern[i - 2] != "\\"):
            j = _enclosing_open(pattern, i - 1)
            if j is None or not pattern.startswith(_LOOKAROUND_OPENERS, j):
                break
            out.append(pattern[j:i])
            i = j
            continue
        if pattern.endswith(("\\b", "\\B"), 0, i) and not pattern.endswith("\\\\b", 0, i):
            out.append(pattern[i - 2:i])
            i -= 2
            continue
        if pattern[i - 1] == "|" and (i < 2 or pattern[i - 2] != "\\"):
            # the reference begins an alternative, which begins where its group does
            j = _enclosing_open(pattern, i - 1)
            if j is None or pattern.startswith(_LOOKAROUND_OPENERS, j):
                break
            i = j
            continue
        opener = next((m for m in _TRAILING_OPENER.finditer(pattern, 0, i) if m.end() == i), None)
        if opener is None or opener.group().startswith(_LOOKAROUND_OPENERS) or _FLAGS_GROUP.fullmatch(opener.group()):
            break  # (in a scoped flag group, what stands before it is read with other flags)
        i = opener.start()  # the reference begins a group: what stands before the group counts too
    return "".join(reversed(out))


def _enclosing_open(pattern: str, i: int) -> int | None:
    """The index of the "(" of the innermost group open at ``pattern[i]`` (None at the top level or if
    ``pattern[i]`` is inside a character class)."""
    stack = []
    for j, ch, end in structure(pattern, 0, i):
        if ch == "[" and end > i:
            return None
        if ch == "(":
            stack.append(j)
        elif ch == ")" and stack:
            stack.pop()
    return stack[-1] if stack else None


_TRAILING_OPENER = re.compile(r"(?<!\\)\((?:\?(?::|>|P<\w+>|<\w+>|[a-zA-Z]*(?:-[a-zA-Z]+)?:))?")


def _alternatives_end(pattern: str, i: int) -> int:
    """The index of the ")" that closes the group in which ``pattern[i]`` stands."""
    return group_end_at(pattern, i, depth=1) - 1


def _separator_run(item: Any) -> str:
    """For an unbounded repeat of white space and punctuation ("\\s+", "[\\s-]*"): that class, as a
    ``regex`` class; otherwise ''."""
    op, av = item
    if op not in (_c.MAX_REPEAT, _c.MIN_REPEAT, getattr(_c, "POSSESSIVE_REPEAT", None)):
        return ""
    body = _items(av[2])
    if len(body) != 1:
        return ""
    bop, bav = body[0]
    if bop is _c.LITERAL:
        bav = [(bop, bav)]
    elif bop is not _c.IN:
        return ""
    parts = []
    for cop, arg in bav:
        if cop is _c.CATEGORY and arg is _c.CATEGORY_SPACE:
            parts.append(r"\s")
        elif cop is _c.LITERAL and not chr(arg).isalnum() and chr(arg) != "_":
            parts.append(re.escape(chr(arg)))
        else:
            return ""
    return "[" + "".join(parts) + "]"


def _class_chars(av: Any) -> str | set[str] | None:
    """'digit' for a digit class, a small set of literal characters, or None for anything broader."""
    chars: set[str] = set()
    digits = False
    for op, arg in av:
        if op is _c.NEGATE:
            return None
        if op is _c.CATEGORY:
            if arg is _c.CATEGORY_DIGIT:
                digits = True
                continue
            return None
        if op is _c.LITERAL:
            chars.add(chr(arg))
        elif op is _c.RANGE:
            lo, hi = arg
            if chr(lo) >= "0" and chr(hi) <= "9":
                digits = True
                continue
            if hi - lo > 8:
                return None
            chars.update(chr(c) for c in range(lo, hi + 1))
        else:
            return None
    chars = {c for c in chars if not (c.isdigit() and digits)}
    if digits and not chars:
        return "digit"
    if digits:
        chars.add("0")
    if len(chars) > 32 or any(c.isspace() for c in chars) or (len(chars) > 8 and any(c.isalpha() for c in chars)):
        return None
    return chars


def _at_end(frames: Frames) -> bool:
    return all(i >= len(items) for items, i in frames)


def _has_letters(av: Any) -> bool:
    """Can this character class match a letter?"""
    for op, arg in av:
        if op is _c.NEGATE:
            return True
        if op is _c.CATEGORY and arg not in (_c.CATEGORY_DIGIT, _c.CATEGORY_SPACE):
            return True
        if op is _c.LITERAL and chr(arg).isalpha():
            return True
        if op is _c.RANGE and any(chr(c).isalpha() for c in range(arg[0], min(arg[1], arg[0] + 200) + 1)):
            return True
    return False


def _blocks_letters(node: Any) -> bool:
    """Is ``node`` (the body of a negative lookahead) sure to match at any letter?"""
    items = _items(node)
    if not items:
        return False
    op, av = items[0]
    if op is _c.IN:
        cats = {arg for o, arg in av if o is _c.CATEGORY}
        ranges = [arg for o, arg in av if o is _c.RANGE]
        if any(o is _c.NEGATE for o, _ in av):
            return False
        return _c.CATEGORY_WORD in cats or any(lo <= ord("a") and hi >= ord("z") for lo, hi in ranges) and \
            any(lo <= ord("A") and hi >= ord("Z") for lo, hi in ranges)
    if op is _c.BRANCH:
        return any(_blocks_letters(b) for b in av[1])
    if op is _c.SUBPATTERN:
        return _blocks_letters(av[-1])
    return False


DASHES = "-\u2010\u2011\u2013\u2014"  # what a "space-dash" separator class may hold besides white space


def _class_chars_of(node: Any) -> str | None:
    """What a one-element pattern matches, coarsely: 'letters', 'space', 'space-dash', or None."""
    items = _items(node)
    if len(items) != 1:
        return None
    op, av = items[0]
    if op is not _c.IN:
        return None
    cats = {arg for o, arg in av if o is _c.CATEGORY}
    lits = {chr(arg) for o, arg in av if o is _c.LITERAL}
    ranges = [arg for o, arg in av if o is _c.RANGE]
    if any(o is _c.NEGATE for o, _ in av):
        return None
    if ranges and any(chr(lo) <= "a" and chr(hi) >= "z" or chr(lo) <= "A" and chr(hi) >= "Z" for lo, hi in ranges):
        return "letters"
    if cats == {_c.CATEGORY_SPACE} and not ranges:
        return "space-dash" if lits <= set(DASHES) and lits else \
            ("space" if not lits else None)
    return None



# -- how far a guard can look ------------------------------------------------------------------------------
MAX_REACH = 200


def lookaround_reach(source: str, flags: int = 0) -> int | None:
    """How far from the position it is tried at a pattern can read, if that is bounded (else None).

    The engine's cursor moves only by what the pattern consumes, lookarounds included, and an assertion
    such as ``\\b`` reads one character on each side of it; so a pattern whose every part has a bounded
    width reads nothing outside ``pos - reach .. pos + reach``, with ``reach`` the sum of those widths plus
    one. Its result at a position is then a function of that window of text alone, which is what lets the
    matcher reuse it wherever the same window comes back (a long run of "3 3 3 ...").
    """
    if flags & (regex.FULLCASE | regex.VERSION1) or BACKREF.search(source):
        return None  # a character may match two ("ß" and "ss"), or a reference anything
    try:
        items = _p.parse(for_analysis(source, keep_lookbehinds=True), flags & (re.IGNORECASE | re.MULTILINE))
        total = _reach(list(items))
    except (Unknown, _ReachUnbounded) + _ANALYSIS_ERRORS:
        return None
    return total + 1 if total + 1 <= MAX_REACH else None


class _ReachUnbounded(Exception):
    pass


def _reach(items: list[Any]) -> int:
    """The sum of the most characters every part of ``items`` can consume, lookaround bodies included."""
    total = 0
    for op, av in items:
        if op in (_c.LITERAL, _c.NOT_LITERAL, _c.IN, _c.ANY, _c.CATEGORY):
            total += 1
        elif op is _c.AT:
            pass
        elif op in (_c.ASSERT, _c.ASSERT_NOT):
            total += _reach(_items(av[1]))
        elif op is _c.SUBPATTERN:
            total += _reach(_items(av[-1]))
        elif op is getattr(_c, "ATOMIC_GROUP", None):
            total += _reach(_items(av))
        elif op is _c.BRANCH:
            total += max(_reach(_items(b)) for b in av[1])
        elif op in (_c.MAX_REPEAT, _c.MIN_REPEAT, getattr(_c, "POSSESSIVE_REPEAT", None)):
            lo, hi, body = av
            if hi >= _c.MAXREPEAT:
                raise _ReachUnbounded()
            total += hi * _reach(_items(body))
        else:  # a group reference, a conditional: not bounded here
            raise _ReachUnbounded()
        if total > MAX_REACH:
            raise _ReachUnbounded()
    return total
