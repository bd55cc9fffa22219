"""Gazetteers compiled for speed: one prefix-factored regex for all aliases, one dict for the lookup.

A plain alternation of thousands of aliases makes the regex engine try each branch wherever it is
tried; factoring common prefixes into a trie lets it reject a position after a character or two. (The
``regex`` module's named lists compile faster but match by trying their entries, which made a 3,000-alias
gazetteer cost hundreds of microseconds per position; compiled tries are cached on disk instead, see
regex_cache.py.)
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Iterable

import regex

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

    def lookup(self, surface: str) -> Entry | None:
        return self.keys.get(normalise_key(surface))


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
    return _emit(root)[0]


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
    for (word_start, word_end, sensitive), forms in sorted(groups.items()):
        body = trie_regex(sorted(forms), flexible=flexible_separators)
        flag = "(?-i:" if sensitive else "(?i:"
        parts.append(("(?<!\\p{L})" if word_start else "") + flag + body + ")" + ("(?![\\w])" if word_end else ""))
    pattern = "(?:" + "|".join(parts) + ")" if parts else "(?!)"
    all_forms = tuple(sorted({f for fs in groups.values() for f in fs}))
    return CompiledGazetteer(name, pattern, keys, all_forms, flexible_separators), collisions


def _pluralise(alias: str) -> str | None:
    head, _, last = alias.rpartition(" ")
    plural = english_plural(last)
    if plural is None:
        return None
    return f"{head} {plural}" if head else plural
