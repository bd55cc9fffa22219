"""Gazetteers compiled for speed: one prefix-factored regex for all aliases, one dict for the lookup.

A plain alternation of thousands of aliases makes the regex engine try each branch wherever it is
tried; factoring common prefixes into a trie lets it reject a position after a character or two. (The
``regex`` module's named lists compile faster but match by trying their entries, which made a 3,000-alias
gazetteer cost hundreds of microseconds per position; compiled tries are cached on disk instead, see
regex_cache.py.) The trie is inlined where a pattern references the gazetteer; a gazetteer rule does not
compile it at all but walks the same trie in Python (:class:`GazetteerPattern`), as the ``regex``
module's parser takes seconds over the trie of a 10,000-entry gazetteer.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Iterable

import regex

from .regex_cache import gc_paused

# An alias may follow a digit ("5km") but not a letter; it may not be followed by a word character.
# What a space or hyphen inside an alias also matches when separators are flexible: whitespace, "-" or
# U+2010-U+2013. The dashes are written as themselves, as a range: a big gazetteer has one class per
# separator, and the regex module's parser spends more on \u escapes than on everything else in it.
SEPARATOR_CLASS = "[\\s\\-\u2010-\u2013]?"
_SEP_CHARS = frozenset(" -\u2010\u2011\u2012\u2013")
_KEY_DROP = regex.compile(r"[\s\-\u2010-\u2015./]+")
_SEP = object()
_WHOLE = object()
_NO_LETTER = "(?![^\\W\\d_])"  # end of an alias that must end its word: emits "no letter follows"


def normalise_key(surface: str) -> str:
    """The lookup key of an alias or a matched surface: case-folded, separators and dots removed."""
    return _KEY_DROP.sub("", surface).casefold()


@dataclass(frozen=True)
class Entry:
    name: str
    category: str | None = None
    attributes: dict[str, Any] = field(default_factory=dict)


@dataclass
class CompiledGazetteer:
    """``pattern`` is regex source to inline into rules; ``lookup`` maps a matched surface to its entry."""

    name: str
    pattern: str
    keys: dict[str, Entry]
    forms: tuple[str, ...] = ()  # every alias as written (with plurals), for the start analysis
    flexible: bool = True
    # The alternatives of ``pattern``, in order: (not after a letter, not before a word character, case
    # sensitive, the aliases of its trie), from which GazetteerPattern rebuilds the tries it walks.
    parts: tuple[tuple[bool, bool, bool, tuple[str, ...]], ...] = ()

    def lookup(self, surface: str) -> Entry | None:
        return self.keys.get(normalise_key(surface))

    def tries(self) -> list[dict[Any, Any]]:
        """One trie per part (see :func:`build_trie`), built on first use after unpickling."""
        tries = self.__dict__.get("_tries")
        if tries is None:
            with gc_paused():  # a dict per node: collections during the build would walk them all, 5x the time
                tries = self.__dict__["_tries"] = [build_trie(forms, flexible=self.flexible)
                                                   for _, _, _, forms in self.parts]
        return tries

    def release_tries(self) -> None:
        """Drop the tries (megabytes for a big gazetteer) until a walk needs them again."""
        self.__dict__.pop("_tries", None)

    def __getstate__(self) -> dict[str, Any]:
        state = dict(self.__dict__)
        state.pop("_tries", None)  # rebuilt from ``parts``: cheaper than pickling a dict per node
        return state


def english_plural(word: str) -> str | None:
    """Regular plural of the last word of an alias, or None where the rule does not apply."""
    if sum(c.isalpha() for c in word) < 3 and not word[-1:].isdigit():  # "ha" -> "has" is a verb
        return None
    if word[-1:].isdigit():  # designations: "F-16s", "S-300s"
        return word + "s"
    if not word or not word[-1].isalpha() or word.isupper():
        return None
    lower = word.lower()
    if lower.endswith(("s", "x", "z", "ch", "sh")):
        return word + "es"
    if lower.endswith("y") and len(lower) > 1 and lower[-2] not in "aeiou":
        return word[:-1] + "ies"
    return word + "s"


def is_case_sensitive(alias: str, mode: str) -> bool:
    if mode == "sensitive":
        return True
    if mode == "insensitive":
        return False
    if alias.isalpha() and len(alias) <= 2:  # "m" is a metre, "M" a million; "ha" a hectare
        return True
    letters = 0  # acronyms: two or more letters, all capitals ("GBP", "THAAD", "MB")
    for c in alias:
        if c.isalpha():
            if not c.isupper():
                return False
            letters += 1
    return letters >= 2


def trie_regex(aliases: Iterable[str], *, flexible: bool, whole_words: Iterable[str] = ()) -> str:
    """A prefix-factored alternation matching exactly the given aliases, longest first.

    Aliases in ``whole_words`` match only where no letter follows them.
    """
    return _emit(build_trie(aliases, flexible=flexible, whole_words=whole_words))[0]


def build_trie(aliases: Iterable[str], *, flexible: bool, whole_words: Iterable[str] = ()) -> dict[Any, Any]:
    """The trie behind :func:`trie_regex`: a dict per node, keyed by character (``_SEP`` for a flexible
    separator, ``_WHOLE`` for "no letter follows"), with ``None: True`` where an alias ends."""
    root: dict[Any, Any] = {}
    for alias in aliases:
        node = root
        for ch in alias:
            token = _SEP if flexible and ch in _SEP_CHARS else ch
            node = node.setdefault(token, {})
        node[None] = True
    for alias in whole_words:
        node = root
        for ch in alias:
            node = node.setdefault(_SEP if flexible and ch in _SEP_CHARS else ch, {})
        node.setdefault(_WHOLE, {})[None] = True
    return root


_escaped: dict[str, str] = {}


def _head(token: Any) -> str:
    if token is _SEP:
        return SEPARATOR_CLASS
    if token is _WHOLE:
        return _NO_LETTER
    return _escaped.get(token) or _escaped.setdefault(token, regex.escape(token))


def _emit(node: dict[Any, Any]) -> tuple[str, bool]:
    """The pattern of a trie node, and whether it is a single atom that a quantifier may follow."""
    chain = []
    while len(node) == 1 and None not in node:  # one way on, and no alias ends here: no group needed
        ((token, node),) = node.items()
        chain.append(_head(token))
    if chain:
        text = "".join(chain) + _emit(node)[0]
        return text, len(text) == 1
    branches = [_head(token) + _emit(node[token])[0]
                for token in sorted((k for k in node if k is not None), key=_sort_key)]
    if not branches:
        return "", False
    if len(branches) == 1:
        body, atom = branches[0], len(branches[0]) == 1
    else:
        body, atom = "(?:" + "|".join(branches) + ")", True
    if None in node:  # an alias ends here: what follows is optional
        return (body + "?" if atom else "(?:" + body + ")?") if len(branches) == 1 else body + "?", False
    return body, atom


def _sort_key(token: Any) -> tuple[int, str]:
    return (2, "") if token is _WHOLE else (1, "") if token is _SEP else (0, token)


def _boundary_class(alias: str) -> tuple[bool, bool]:
    return (alias[:1].isalnum() or alias[:1] == "_", alias[-1:].isalnum() or alias[-1:] == "_")


def compile_gazetteer(name: str, entries: Iterable[tuple[str, list[str], str | None, dict[str, Any]]], *,
                      case: str = "smart", plurals: bool = False,
                      flexible_separators: bool = True) -> tuple[CompiledGazetteer, list[tuple[str, str, str]]]:
    """Compile entries (name, aliases, category, attributes).

    Returns the gazetteer and the collisions found, as (alias, first entry, second entry): two entries
    claiming the same normalised alias would make the lookup depend on file order, so callers report them.
    """
    keys: dict[str, Entry] = {}
    collisions: list[tuple[str, str, str]] = []
    # Aliases grouped by whether they need a word boundary before/after and by case sensitivity.
    groups: dict[tuple[bool, bool, bool], set[str]] = {}
    entries = list(entries)
    plural_forms: list[tuple[str, Entry]] = []
    for canonical, aliases, category, attributes in entries:
        entry = Entry(canonical, category, dict(attributes))
        forms = [canonical, *aliases]
        if plurals:
            plural_forms += [(p, entry) for p in (_pluralise(a) for a in forms) if p]
        for form in forms:
            form = form.strip()
            if not form:
                continue
            key = normalise_key(form)
            other = keys.get(key)
            if other is not None and other.name != canonical:
                collisions.append((form, other.name, canonical))
                continue
            keys[key] = entry
            groups.setdefault((*_boundary_class(form), is_case_sensitive(form, case)), set()).add(form)
    for form, entry in plural_forms:  # a derived plural never displaces a written alias ("Igla-S")
        key = normalise_key(form)
        if key in keys:
            continue
        keys[key] = entry
        groups.setdefault((*_boundary_class(form), is_case_sensitive(form, case)), set()).add(form)
    parts = []
    walk_parts = []
    tries = []
    for (word_start, word_end, sensitive), forms in sorted(groups.items()):
        ordered = tuple(sorted(forms))
        trie = build_trie(ordered, flexible=flexible_separators)
        body = _emit(trie)[0]
        flag = "(?-i:" if sensitive else "(?i:"
        parts.append(("(?<!\\p{L})" if word_start else "") + flag + body + ")" + ("(?![\\w])" if word_end else ""))
        walk_parts.append((word_start, word_end, sensitive, ordered))
        tries.append(trie)
    pattern = "(?:" + "|".join(parts) + ")" if parts else "(?!)"
    all_forms = tuple(sorted({f for fs in groups.values() for f in fs}))
    compiled = CompiledGazetteer(name, pattern, keys, all_forms, flexible_separators, tuple(walk_parts))
    compiled._tries = tries  # the tries just emitted serve the walk too (see GazetteerPattern)
    return compiled, collisions


def _pluralise(alias: str) -> str | None:
    head, _, last = alias.rpartition(" ")
    plural = english_plural(last)
    if plural is None:
        return None
    return f"{head} {plural}" if head else plural


# -- matching a gazetteer rule without compiling its trie ------------------------------------------------

_SPAN = regex.compile(r"(?P<span>.*)", regex.DOTALL)  # a match object for a span the walk has found


def _all_cases() -> Any:
    try:
        from regex import _regex  # the engine's own case tables; private, so used with a fallback

        get = _regex.get_all_cases
        flags = int(regex.IGNORECASE | regex.UNICODE)
        get(flags, ord("k"))
    except Exception:  # pragma: no cover - another regex release: compile the pattern instead
        return None
    return lambda ch: {chr(c) for c in get(flags, ord(ch))} | {ch}


class _Walk:
    """Walks a gazetteer's tries over a text exactly as the ``regex`` engine runs the trie pattern: the
    parts in order, then depth first, characters in code point order before a separator (taken, then
    skipped) before the end of an alias, and the first end whose lookahead holds wins."""

    def __init__(self, gazetteer: CompiledGazetteer, flags: int, cases: Any):
        self.parts = [(ws, we, sensitive, trie) for (ws, we, sensitive, _), trie in
                      zip(gazetteer.parts, gazetteer.tries())]
        # A character of the text matches an alias character c of a case-insensitive part when it is one
        # of the engine's cases of c (not an equivalence: "I" matches "ı" and "i", "i" matches "I" and "İ").
        alphabet = {ch for _, _, sensitive, forms in gazetteer.parts if not sensitive for f in forms for ch in f}
        inverse: dict[str, list[str]] = {}
        for ch in sorted(alphabet):
            for other in cases(ch):
                inverse.setdefault(other, []).append(ch)
        self.inverse = {ch: tuple(sorted(chars)) for ch, chars in inverse.items()}
        # The lookarounds and the separator class are run by the engine itself, with the rule's flags.
        self.before = regex.compile("(?<!\\p{L})", flags).match
        self.after = regex.compile("(?![\\w])", flags).match
        self.separator = {sensitive: (regex.compile(("(?-i:" if sensitive else "(?i:") + SEPARATOR_CLASS[:-1] + ")",
                                                    flags).match, {}) for sensitive in (False, True)}

    def end(self, text: str, pos: int, endpos: int, want: int) -> int:
        """Where the match at ``pos`` ends (-1: none); with ``want`` >= 0, only a match ending there counts."""
        no_letter_before = None
        for word_start, word_end, sensitive, root in self.parts:
            if word_start:
                if no_letter_before is None:
                    no_letter_before = self.before(text, pos, endpos) is not None
                if not no_letter_before:
                    continue
            found = self._node(root, text, pos, endpos, sensitive, word_end, want)
            if found >= 0:
                return found
        return -1

    def _node(self, node: dict[Any, Any], text: str, i: int, endpos: int, sensitive: bool, word_end: bool,
              want: int) -> int:
        if i < endpos:
            ch = text[i]
            if sensitive:
                child = node.get(ch)
                if child is not None:
                    found = self._node(child, text, i + 1, endpos, sensitive, word_end, want)
                    if found >= 0:
                        return found
            else:
                for c in self.inverse.get(ch, ()):
                    child = node.get(c)
                    if child is not None:
                        found = self._node(child, text, i + 1, endpos, sensitive, word_end, want)
                        if found >= 0:
                            return found
        child = node.get(_SEP)
        if child is not None:
            if i < endpos and self._is_separator(text[i], sensitive):
                found = self._node(child, text, i + 1, endpos, sensitive, word_end, want)
                if found >= 0:
                    return found
            found = self._node(child, text, i, endpos, sensitive, word_end, want)
            if found >= 0:
                return found
        if None in node and (want < 0 or i == want) and (not word_end or self.after(text, i, endpos) is not None):
            return i
        return -1

    def _is_separator(self, ch: str, sensitive: bool) -> bool:
        match, memo = self.separator[sensitive]
        known = memo.get(ch)
        if known is None:
            known = memo[ch] = match(ch) is not None
        return known


class GazetteerPattern:
    """The compiled pattern of a gazetteer rule, ``(?P<span>`` + the gazetteer's trie + ``)``, that matches
    by walking the gazetteer's tries instead of compiling that regex.

    The ``regex`` module parses a pattern in Python: a 10,000-entry gazetteer's trie (373,000 characters)
    took it 1.5 s, most of a cold compile. ``match`` and ``fullmatch`` give the same span as the compiled
    pattern would (see :class:`_Walk`), as a match object with the one group ``span``; anything else
    (``finditer``, partial matches, odd arguments) compiles the real pattern, through the compile cache,
    on first use. The match object's ``re`` and ``endpos`` are those of a helper pattern.
    """

    groups = 1

    def __init__(self, gazetteer: CompiledGazetteer, source: str, flags: int):
        self.gazetteer = gazetteer
        self.pattern = source
        self.given_flags = flags
        self.flags = regex.compile("(?:)", flags).flags  # what the compiled source would report
        self._walk: Any = None
        self._compiled: Any = None

    @property
    def groupindex(self) -> dict[str, int]:
        return {"span": 1}

    def _walker(self) -> Any:
        if self._walk is None:
            cases = _all_cases()
            self._walk = _Walk(self.gazetteer, self.flags, cases) if cases is not None and \
                all(not (_WHOLE in t) for t in self.gazetteer.tries()) else False
        return self._walk

    def compiled(self) -> Any:
        """The pattern compiled by the ``regex`` module."""
        if self._compiled is None:
            from .regex_cache import compile_pattern

            self._compiled = compile_pattern(self.pattern, self.given_flags)
        return self._compiled

    def match(self, string: Any, pos: Any = None, endpos: Any = None, concurrent: Any = None,
              partial: bool = False, timeout: Any = None) -> Any:
        return self._run(string, pos, endpos, concurrent, partial, timeout, False)

    def fullmatch(self, string: Any, pos: Any = None, endpos: Any = None, concurrent: Any = None,
                  partial: bool = False, timeout: Any = None) -> Any:
        return self._run(string, pos, endpos, concurrent, partial, timeout, True)

    def _run(self, string: Any, pos: Any, endpos: Any, concurrent: Any, partial: bool, timeout: Any,
             full: bool) -> Any:
        walk = self._walk or self._walker()
        if walk and not partial and isinstance(string, str):
            n = len(string)
            start = 0 if pos is None else pos
            stop = n if endpos is None else min(endpos, n)
            if type(start) is int and type(stop) is int and 0 <= start <= stop:
                end = walk.end(string, start, stop, stop if full else -1)
                return None if end < 0 else _SPAN.match(string, start, end)
        method = self.compiled().fullmatch if full else self.compiled().match
        return method(string, pos, endpos, concurrent, partial, timeout)

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__") or name in ("_walk", "_compiled", "gazetteer", "pattern", "given_flags"):
            raise AttributeError(name)
        return getattr(self.compiled(), name)

    def __getstate__(self) -> dict[str, Any]:
        return {"gazetteer": self.gazetteer, "pattern": self.pattern, "given_flags": self.given_flags,
                "flags": self.flags}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state, _walk=None, _compiled=None)

    def __repr__(self) -> str:
        return f"GazetteerPattern({self.gazetteer.name!r}, {self.pattern[:60]!r}...)"
