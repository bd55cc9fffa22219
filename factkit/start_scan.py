"""The one pass over a document that finds where each gated rule may begin.

The start analysis (triggers.py) tells, once per rule at compile time, what a match can begin with: a
digit, a symbol, a word or the start of one, sometimes only before a given second word. The scanner
turns all of those into one standard-library pattern over the lower-cased text (a trie of the words,
the digits and symbols) and sorts what it finds into each rule's sorted list of positions, for the
matcher to try the rule there and nowhere else.
"""

from __future__ import annotations

import json
import re
from typing import Any, Iterable

from .gazetteer import trie_regex
from .regex_cache import compile_stdlib, memo_text
from .triggers import DASHES, Start

_LETTER = "[^\\W\\d_]"  # a letter, in the standard library's syntax
# Between the words of a pair: the separators the analysis calls "space" or "space-dash" (triggers.py).
_PAIR_GAP = "\\s" + "".join(re.escape(c) for c in DASHES)
MAX_SEEN = 65_536  # words and pairs whose rules the scanner keeps (see StartScanner.scan)


class StartScanner:
    """Finds every start of every gated rule in a document with one regular expression.

    ``scan(text)`` returns, for each rule index, the sorted positions where that rule may begin.
    """

    def __init__(self, rule_starts: Iterable[tuple[int, frozenset[Start]]]):
        digit: set[int] = set()
        sym: dict[str, set[int]] = {}
        sym_digit: dict[str, set[int]] = {}
        exact: dict[str, set[int]] = {}
        prefix: dict[str, set[int]] = {}
        pairs: dict[tuple[str, str], set[int]] = {}
        for idx, starts in rule_starts:
            for s in starts:
                if s.kind == "digit":
                    digit.add(idx)
                elif s.kind == "sym":
                    sym.setdefault(s.text, set()).add(idx)
                elif s.kind == "sym-digit":
                    sym_digit.setdefault(s.text, set()).add(idx)
                elif s.then:
                    for nxt in s.then:
                        pairs.setdefault((s.text, nxt), set()).add(idx)
                elif s.exact:
                    exact.setdefault(s.text, set()).add(idx)
                else:
                    prefix.setdefault(s.text, set()).add(idx)
        self.digit = tuple(sorted(digit))
        self.sym_rules = {c: tuple(sorted(r)) for c, r in sym.items()}
        self.sym_digit_rules = {c: tuple(sorted(r)) for c, r in sym_digit.items()}
        # A symbol that starts some rules anywhere and others only before a digit ("-"): the scan reports it
        # once, as the first kind, so before a digit it starts both.
        self.sym_both = {c: tuple(sorted(sym[c] | sym_digit[c])) for c in sym if c in sym_digit}
        # For each literal the scanner can report, the literals it begins with: their rules apply too,
        # a prefix literal's always, an exact literal's only if no letter follows it in the text.
        literals = set(exact) | set(prefix)
        chain_words = literals | {a for a, _ in pairs}
        self.word_rules: dict[str, list[tuple[int, bool, tuple[int, ...]]]] = {}
        for word in chain_words:
            chain = []
            for n in range(1, len(word) + 1):
                head = word[:n]
                if head in prefix:
                    chain.append((n, False, tuple(sorted(prefix[head]))))
                if head in exact:
                    chain.append((n, True, tuple(sorted(exact[head]))))
            self.word_rules[word] = chain
        # a pair hit ("a hundred") also starts the rules that begin with the first word alone
        self.pair_rules = {}
        self.alone_rules: dict[str, tuple[int, ...]] = {}
        for (a, b), rules in pairs.items():
            alone = {r for n, exact_needed, ids in self.word_rules.get(a, ()) if n == len(a) or not exact_needed
                     for r in ids}
            self.alone_rules[a] = tuple(sorted(alone))
            self.pair_rules[(a, b)] = tuple(sorted(set(rules) | alone))
        # The scan reads the longest following word it knows ("another" where "a" and "another" are known),
        # so a hit also starts the rules of the first word before each shorter one that word begins with.
        follows = {b for _, b in pairs if b != "#"}
        for a in self.alone_rules:
            for b in follows:
                shorter = [pairs[(a, b[:k])] for k in range(1, len(b) + 1) if (a, b[:k]) in pairs]
                if shorter:
                    self.pair_rules[(a, b)] = tuple(sorted(set().union(*shorter, self.alone_rules[a])))
        # Each alternative first tests what fails at most positions: a digit before its lookbehind, and for
        # words one lookbehind (not after a letter) before the pair, then the word (sre tries every
        # alternative at every position; in this order its pass takes about three quarters of the time).
        parts = []
        if self.digit:
            parts.append(r"(?P<d>\d(?<!\d\d))")
        word_parts = []
        if pairs:
            words = sorted({a for a, _ in pairs})
            follow = sorted({b for _, b in pairs if b != "#"})
            follow_rx = "|".join(([trie_regex(follow, flexible=False)] if follow else [])
                                 + ([r"\d"] if any(b == "#" for _, b in pairs) else []))
            word_parts.append(rf"(?=(?P<pa>{trie_regex(words, flexible=False)})[{_PAIR_GAP}]+(?P<pb>{follow_rx}))")
        if literals:
            exact_only = sorted(set(exact) - set(prefix))
            prefixes = sorted(prefix)
            trie = memo_text("start-trie", json.dumps([prefixes, exact_only]),
                             lambda: trie_regex(prefixes, flexible=False, whole_words=exact_only))
            word_parts.append(rf"(?=(?P<x>{trie}))")
        if word_parts:
            parts.append(rf"(?<!{_LETTER})(?:{'|'.join(word_parts)}){_LETTER}")
        if sym:
            parts.append("(?P<s>" + "|".join(re.escape(c) for c in sorted(sym, key=lambda c: (-len(c), c))) + ")")
        if sym_digit:
            parts.append("(?P<sd>" + "|".join(re.escape(c) for c in sorted(sym_digit)) + r")(?=\d)")
        # Words are looked up in lower case; each alternative consumes one character, so a start that lies
        # inside another ("a hundred" holds "hundred") is still found.
        self.source = "|".join(parts) or "(?!)"
        self.lower_regex = compile_stdlib(self.source)
        self._ignorecase: re.Pattern[str] | None = None
        self._seen: dict[tuple[str, Any], tuple[int, ...]] = {}  # the rules of a word or pair, once worked out

    @property
    def regex(self) -> re.Pattern[str]:
        """The scan for texts whose lower-casing changes their length (rare: it is compiled on demand)."""
        if self._ignorecase is None:
            self._ignorecase = compile_stdlib(self.source, re.IGNORECASE)
        return self._ignorecase

    def __getstate__(self) -> dict[str, Any]:
        state = dict(self.__dict__)
        state["lower_regex"] = None
        state["_ignorecase"] = None
        state["_seen"] = {}
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)
        self.lower_regex = compile_stdlib(self.source)
        self._seen = {}

    def scan(self, text: str, lowered: str | None = None, pos: int = 0, endpos: int | None = None
             ) -> dict[int, list[int]]:
        """For each gated rule (by index), the sorted positions where it may begin (from ``pos`` on, in a
        text that ends at ``endpos`` for what the scan looks ahead at: starts just before it may be missed)."""
        if lowered is None:
            lowered = text.lower()
        if "\u017f" in lowered:  # long s: the one letter that the engine matches as an ASCII letter ("s")
            lowered = lowered.replace("\u017f", "s")  # without ignoring case, but lower() leaves alone
        if len(lowered) == len(text):  # lower-casing kept every offset (it does, but for a few letters)
            scanned, finder = lowered, self.lower_regex.finditer
        else:
            scanned, finder = text, self.regex.finditer
        # Positions are gathered per set of rules (few distinct sets: digits, each word...), then spread to
        # the rules, so that a digit, which starts dozens of rules, costs one append, not dozens.
        by_set: dict[tuple[int, ...], list[int]] = {}
        word_rules, pair_rules = self.word_rules, self.pair_rules
        seen = self._seen
        if len(seen) > MAX_SEEN:  # words as written, where the text is scanned ignoring case: bounded
            seen.clear()
        remember = seen.__setitem__
        digit, sym_rules, sym_digit_rules = self.digit, self.sym_rules, self.sym_digit_rules
        n = len(scanned)
        for m in finder(scanned, pos, len(scanned) if endpos is None else endpos):
            kind = m.lastgroup
            start = m.start()
            if kind == "d":
                rules: Iterable[int] = digit
            elif kind == "pb" or kind == "pa":
                key = m.group("pa", "pb")
                rules = seen.get(key)  # type: ignore[arg-type]
                if rules is None:
                    first, follow = key[0].lower(), key[1].lower()
                    rules = pair_rules.get((first, "#" if follow[:1].isdigit() else follow)) \
                        or self.alone_rules[first]
                    remember(key, rules)
            elif kind == "x":
                # The rules of a word depend on the word and on whether a letter follows it (the words it
                # begins with are followed by its own letters): worked out once per word.
                word = m.group("x")
                end = start + len(word)
                key = (word, end < n and scanned[end].isalpha())
                rules = seen.get(key)  # type: ignore[arg-type]
                if rules is None:
                    chain = word_rules.get(word.lower(), ())
                    hit: set[int] = set()
                    for length, exact, word_rule_ids in chain:
                        end = start + length
                        if not exact or end >= n or not scanned[end].isalpha():
                            hit.update(word_rule_ids)
                    rules = tuple(sorted(hit))
                    remember(key, rules)
            elif kind == "s":
                symbol = m.group()
                rules = sym_rules[symbol]
                if symbol in self.sym_both and scanned[m.end():m.end() + 1].isdecimal():
                    rules = self.sym_both[symbol]
            elif kind == "sd":
                rules = sym_digit_rules[m.group("sd")]
            else:  # pragma: no cover - every alternative is named
                continue
            if rules:
                positions = by_set.get(rules)  # type: ignore[arg-type]
                if positions is None:
                    by_set[rules] = [start]  # type: ignore[index]
                else:
                    positions.append(start)
        if len(by_set) == 1:
            (rules, positions), = by_set.items()
            return {idx: positions for idx in rules}
        parts: dict[int, list[list[int]]] = {}
        for rules, positions in by_set.items():
            for idx in rules:
                parts.setdefault(idx, []).append(positions)
        found: dict[int, list[int]] = {}
        for idx, lists in parts.items():
            if len(lists) == 1:
                found[idx] = lists[0]
            else:
                merged = [p for part in lists for p in part]
                merged.sort()
                found[idx] = merged
        return found


