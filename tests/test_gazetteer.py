import pickle

import regex
from hypothesis import given, settings
from hypothesis import strategies as st

from factkit.gazetteer import GazetteerPattern, compile_gazetteer, english_plural, normalise_key, trie_regex

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


# A gazetteer rule matches by walking the trie (GazetteerPattern); the regex module, running the same trie
# as a pattern, is the reference. Alphabets with the engine's odd case pairs (K and the Kelvin sign, s and
# long s, dotted and dotless i), separators and digits.
ALIAS_CHARS = "aAbBiIİıkKKsSſß5 -\u2010\u2013.'$"
gaz_alias = st.text(alphabet=ALIAS_CHARS, min_size=1, max_size=7).map(str.strip).filter(bool)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(gaz_alias, st.lists(gaz_alias, max_size=2)), min_size=1, max_size=12),
       st.text(alphabet=ALIAS_CHARS + "xé\u00a0\n_", max_size=40),
       st.sampled_from(["smart", "sensitive", "insensitive"]), st.booleans(), st.booleans(), st.booleans())
def test_the_walk_matches_what_the_compiled_trie_matches(entries, text, case, plurals, flexible, ignore_case):
    gaz, _ = compile_gazetteer("g", [(name, aliases, None, {}) for name, aliases in entries], case=case,
                               plurals=plurals, flexible_separators=flexible)
    flags = regex.V0 | (regex.IGNORECASE if ignore_case else 0)
    source = f"(?P<span>{gaz.pattern})"
    walk, real = GazetteerPattern(gaz, source, flags), regex.compile(source, flags)
    assert walk.flags == real.flags and dict(walk.groupindex) == dict(real.groupindex)

    def seen(m):
        return m and (m.span(), m.group("span"), m.groupdict())

    for pos in range(len(text) + 1):
        for endpos in {len(text), min(len(text), pos + 3)}:
            assert seen(walk.match(text, pos, endpos)) == seen(real.match(text, pos, endpos)), (pos, endpos)
            assert seen(walk.fullmatch(text, pos, endpos)) == seen(real.fullmatch(text, pos, endpos))
    assert [m.span() for m in walk.finditer(text)] == [m.span() for m in real.finditer(text)]
    for form in gaz.forms:  # every alias is found, as itself
        assert walk.fullmatch(form)


def test_a_gazetteer_pattern_pickles_without_its_tries():
    gaz, _ = compile_gazetteer("w", [("S-300", ["SA-10 Grumble"], "air defense", {})])
    pattern = GazetteerPattern(gaz, f"(?P<span>{gaz.pattern})", regex.V0 | regex.IGNORECASE)
    assert pattern.match("sa10 grumble!").group("span") == "sa10 grumble"
    clone = pickle.loads(pickle.dumps(pattern))
    assert "_tries" not in clone.gazetteer.__dict__
    assert clone.match("the S 300", 4).span() == (4, 9) and clone.pattern == pattern.pattern
    assert clone.search("the S 300").span() == (4, 9)  # compiled on demand


def test_a_gazetteer_rule_finds_what_its_compiled_pattern_finds(write_pack):
    import random

    import factkit
    from factkit.matcher import Matcher

    rng = random.Random(3)
    syllables = ["ka", "lo", "mer", "vin", "tra", "so", "is", "del", "sk", "ki"]
    by_key = {}  # one name per lookup key, or the pack has colliding aliases
    for _ in range(300):
        name = " ".join("".join(rng.choice(syllables) for _ in range(rng.randint(1, 3))).capitalize()
                        for _ in range(rng.randint(1, 3)))
        by_key.setdefault(normalise_key(name), name)
    names = sorted(by_key.values())
    lines = [f"- name: {name!r}\n  aliases: [{name.upper()!r}]\n  category: company" for name in names]
    path = write_pack("name: names\ngazetteers:\n  names: {file: names.yaml, plurals: true}\nrules:\n"
                      "  - {id: name, kind: entity, gazetteer: names}\n", **{"names.yaml": "\n".join(lines)})
    gated = factkit.Extractor([path])
    assert isinstance(gated.matcher.rules[0].regex, GazetteerPattern)
    full = factkit.Extractor([path])
    full.matcher = Matcher(list(full.matcher.rules), gated=False)  # finditer: the regex module's reading
    spellings = [str.lower, str.upper, str.title, lambda s: s.replace(" ", "-"), lambda s: s.replace(" ", ""),
                 lambda s: s + "s", lambda s: s.replace("k", "\u212a"), lambda s: "x" + s]
    text = " ".join(f"{rng.choice(spellings)(rng.choice(names))}{rng.choice([',', '', ' and', '.'])}"
                    for _ in range(400))
    found = gated.extract(text)
    assert len(found) > 100 and found == full.extract(text)
