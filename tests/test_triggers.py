"""The start analysis may only make extraction faster, never change what it finds."""

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import factkit
from factkit.matcher import Matcher
from factkit.start_scan import StartScanner
from factkit.triggers import Start, lookaround_reach, rule_starts

ROOT = Path(__file__).resolve().parent.parent
CONFORMANCE = ROOT.parent / "shared" / "conformance"


def words(starts):
    return {(s.text, s.exact) for s in starts if s.kind == "word"}


def test_digits_symbols_and_words():
    assert rule_starts(r"\d+\s?km") == {Start("digit")}
    assert rule_starts(r"(?:\$|€)\d+") == {Start("sym-digit", "$"), Start("sym-digit", "€")}
    assert rule_starts(r"(?:\$|€) ?\d+") == {Start("sym", "$"), Start("sym", "€")}
    assert rule_starts(r"-?\d+") == {Start("sym-digit", "-"), Start("digit")}
    assert words(rule_starts(r"(?:january|jan\.?)\s\d+")) == {("january", True), ("jan", True), ("jan.", True)}
    # a letter may follow "kilomet", so the token only has to begin with it
    assert words(rule_starts(r"kilomet(?:er|re)s?")) == {("kilometer", False), ("kilometre", False),
                                                         ("kilometers", False), ("kilometres", False)}


def test_optional_prefix_and_pairs():
    starts = rule_starts(r"(?:(?:up to|about)\s+)?\d+|an?\s+(?:hundred|dozen)\b")
    assert ("up to", True) in words(starts) and ("about", True) in words(starts)
    pairs = {(s.text, frozenset(s.then)) for s in starts if s.then}
    assert ("a", frozenset({"hundred", "dozen"})) in pairs


@pytest.mark.parametrize("pattern", [r".+\d", r"\w+ km", r"x*\d?", r"[^\W\d_]+ing", r"\s+\d", r"\X\d"])
def test_patterns_that_can_start_anywhere_are_scanned_in_full(pattern):
    assert rule_starts(pattern) is None


def test_backreferences_and_lookbehinds_are_read():
    assert rule_starts(r"(?<![\p{L}])(?P<a>\d)-(?P=a)") == {Start("digit")}


def test_scanner_finds_starts_inside_other_starts():
    scanner = StartScanner([(0, rule_starts(r"an?\s+hundred")), (1, rule_starts(r"hundreds?\s+of"))])
    found = scanner.scan("a hundred or so, and hundreds of them")
    assert found[0] == [0]
    assert found[1] == [2, 21]


def test_the_scanner_remembers_a_word_with_whether_a_letter_follows_it():
    """An exact word ("in") starts its rule only where no letter follows it; the scanner remembers each
    word's rules, so the same word with and without a letter after it must not share an answer."""
    starts = [(0, frozenset({Start("word", "in", True)})), (1, frozenset({Start("word", "in")})),
              (2, frozenset({Start("word", "inch")}))]
    scanner = StartScanner(starts)
    texts = ["in inx in", "inx in inches", "IN Inx", "in"]
    first = [scanner.scan(text) for text in texts]
    again = [scanner.scan(text) for text in texts]  # every word now answered from what was remembered
    fresh = [StartScanner(starts).scan(text) for text in texts]
    assert first == again == fresh
    assert first[0] == {0: [0, 7], 1: [0, 3, 7]}
    assert first[1] == {0: [4], 1: [0, 4, 7], 2: [7]}


@settings(max_examples=300, deadline=None)
@given(st.lists(st.integers(0, 5000), unique=True).map(sorted),
       st.lists(st.integers(0, 5000), unique=True).map(sorted))
def test_a_start_is_kept_exactly_where_an_anchor_lies_within_reach_after_it(positions, anchors):
    from factkit.matcher import _near_anchor
    from factkit.triggers import ANCHOR_REACH

    assert _near_anchor(positions, anchors) == [p for p in positions
                                               if any(p <= a <= p + ANCHOR_REACH for a in anchors)]


def test_a_symbol_that_starts_some_rules_anywhere_and_others_before_a_digit_starts_both():
    scanner = StartScanner([(0, frozenset({Start("sym", "-")})), (1, frozenset({Start("sym-digit", "-")}))])
    assert scanner.scan("5-3 and - x -") == {0: [1, 8, 12], 1: [1]}


def _pair(packs):
    gated = factkit.Extractor(packs)
    full = factkit.Extractor(packs)
    full.matcher = Matcher(list(full.matcher.rules), gated=False)
    return gated, full


@pytest.fixture(scope="module")
def extractors():
    return _pair(None)


def test_gated_equals_full_scan_on_the_seed(extractors):
    gated, full = extractors
    text = (ROOT / "seeds" / "venezuela-russia.txt").read_text(encoding="utf-8")
    assert gated.extract(text, reference_date="2019-03-31") == full.extract(text, reference_date="2019-03-31")


@pytest.mark.skipif(not CONFORMANCE.is_dir(), reason="no conformance cases beside the repository")
def test_gated_equals_full_scan_on_the_conformance_texts(extractors):
    gated, full = extractors
    differ = []
    for path in sorted(CONFORMANCE.glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            case = json.loads(line)
            ref = (case.get("reference_date") or "2019-03-31")[:10]
            if gated.extract(case["text"], reference_date=ref) != full.extract(case["text"], reference_date=ref):
                differ.append(case["text"])
    # The one known difference is the contract itself: the full scan may start a match inside a number
    # ("23/12 before 5pm" reads "3/12 before 5pm"); matches begin at token starts.
    assert len(differ) <= 1, differ[:5]


VOCAB = ["up to", "about", "a", "an", "hundred", "dozen", "100", "3,420", "-4", "1.5", "million", "km", "miles",
         "troops", "personnel", "March", "28", "last", "week", "Saturday", "in", "3", "years", "ago", "$", "€",
         "5%", "S-300", "Novator", "9M729", "between", "and", "to", "the", "of", "twenty-five", "third", "2019",
         "-", ".", ",", "(", ")", "\n", "Aegis Ashore", "F-16s", "per cent", "tomorrow", "noon", "3pm", "over",
         "more than", "dollars", "a maximum of", "at least", "24h", "3.5years", "billion", "hours", "another",
         "a few", "one", "half", "twenty"]


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(VOCAB), min_size=1, max_size=25), st.sampled_from([" ", "  ", "\n", " - "]))
def test_gated_equals_full_scan_on_generated_text(extractors, tokens, sep):
    gated, full = extractors
    text = sep.join(tokens)
    assert gated.extract(text, reference_date="2019-03-31") == full.extract(text, reference_date="2019-03-31")


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from(VOCAB), min_size=1, max_size=4), st.sampled_from([" ", "\n", " - ", ", "]),
       st.integers(min_value=2, max_value=120), st.sampled_from(["", "km", "$5", "per cent", "3"]))
def test_gated_equals_full_scan_on_repeated_text(extractors, tokens, sep, times, last):
    """Repetition is where the guards' results are reused from one window to the next, and where the
    check for a tail ahead skips the reference: neither may change a fact, at either end of the text."""
    gated, full = extractors
    text = (sep.join(tokens) + " ") * times + last
    assert gated.extract(text, reference_date="2019-03-31") == full.extract(text, reference_date="2019-03-31")


LOOKAHEAD_PACK = (
    "name: la\nmacros:\n  num: '\\d+'\nrules:\n  - id: r\n    kind: number\n"
    "    pattern: '(?=[^\\n]{0,12}?!)(?<!x)(?P<value>{num})'\n"
    "    fields: {value: number}\n")


def test_a_guard_window_holds_what_the_guard_reads_ahead(write_pack):
    """The guard reads up to 13 characters ahead: where the repetition ends, its window ends differently."""
    gated, full = _pair([str(write_pack(LOOKAHEAD_PACK))])
    assert gated.matcher.rules[0].probe_plan[0][6] is not None  # the lookarounds are checked as a guard
    text = "3 " * 40 + "!"
    assert [f.start for f in gated.extract(text)] == [f.start for f in full.extract(text)] == list(range(68, 80, 2))


@pytest.mark.parametrize("pattern, reach", [
    (r"(?<![\p{L}\p{N}])", 2),
    (r"(?:(?<![\p{L}\p{N}_.,/:]|\p{L}-|\d-))", 3),
    (r"(?<![\p{L}\p{N}.,])(?<=\bthe\s)", 6),
    (r"(?=[^\n/]{1,60}?(?:/|\bper\s))", 65),
    (r"(?<!\bevery\s+other\s)", None),  # \s+: no bound
    (r"(?<=(?P<a>x))(?P=a)", None),  # a backreference
    ("(?=" + "a" * 300 + ")", None),  # too far to be worth a window
])
def test_how_far_a_guard_reads(pattern, reach):
    assert lookaround_reach(pattern) == reach


def test_a_guard_that_can_fold_one_character_into_two_has_no_window():
    import regex

    assert lookaround_reach(r"(?<!ss)", regex.IGNORECASE | regex.FULLCASE) is None
    assert lookaround_reach(r"(?<!ss)", regex.IGNORECASE) == 3


def test_a_fact_longer_than_two_hundred_characters_keeps_its_anchor(extractors):
    """The unit after 51 space-grouped thousands lies 204 characters after the start: still found."""
    gated, full = extractors
    text = "100 " * 51 + "km"
    assert [f.kind for f in gated.extract(text)] == [f.kind for f in full.extract(text)] == ["quantity"]


@pytest.mark.parametrize("text, found", [("3 kilometreſ", ["3 kilometreſ"]), ("up to 3 mileſ", ["up to 3 mileſ"]),
                                         ("the S-300 and Iſkander", ["S-300", "Iſkander"])])
def test_the_long_s_is_read_as_the_engine_reads_it(extractors, text, found):
    """The engine matches "ſ" for "s" ignoring case, but str.lower() leaves it: the scan folds it."""
    gated, full = extractors
    assert [f.text for f in gated.extract(text)] == [f.text for f in full.extract(text)] == found


def test_documents_matched_together_give_what_each_gives_alone(extractors):
    gated, _ = extractors
    matcher = gated.matcher
    ctx = gated._context("2019-03-31")
    texts = [(ROOT / "seeds" / "venezuela-russia.txt").read_text(encoding="utf-8"), "", "3 km", "up to 100 troops",
             "between 1 and 5 March 2019", "1.1.1.1", "twenty-five tanks and $4.5 million"]
    together = matcher.candidates_many([(t, ctx) for t in texts])
    assert together == [matcher.candidates(t, ctx) for t in texts]
    assert sum(map(len, together)) > 50


@pytest.mark.parametrize("region", [97, 1000, 4096])
def test_a_long_document_matched_region_by_region_gives_what_one_pass_gives(extractors, monkeypatch, region):
    """Regions far shorter than a match, a margin or the text: every cut falls somewhere awkward."""
    gated, _ = extractors
    seed = (ROOT / "seeds" / "venezuela-russia.txt").read_text(encoding="utf-8")
    grouped = " ".join(f"{i} 345 678 tonnes, up to {i} 000 km and" for i in range(1, 40))  # starts inside facts
    texts = [seed, (seed + "\n") * 2 + "up to 100 troops between 1 and 5 March 2019, about 3 km " + grouped]
    whole = [gated.explain(t, reference_date="2019-03-31") for t in texts]
    monkeypatch.setattr("factkit.matcher.REGION", region)
    assert [gated.explain(t, reference_date="2019-03-31") for t in texts] == whole
    assert gated.extract_all(texts, reference_date="2019-03-31") == [w["facts"] for w in whole]
    assert len(whole[1]["facts"]) > 50 and whole[1]["dropped"] and whole[1]["rejected"]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from(VOCAB), min_size=1, max_size=40), st.sampled_from([" ", "\n", " - "]),
       st.integers(min_value=1, max_value=60))
def test_generated_text_matched_region_by_region_gives_what_one_pass_gives(extractors, tokens, sep, region):
    from factkit import matcher

    gated, _ = extractors
    text = sep.join(tokens)
    whole = gated.extract(text, reference_date="2019-03-31")
    saved, matcher.REGION = matcher.REGION, region
    try:
        assert gated.extract(text, reference_date="2019-03-31") == whole
    finally:
        matcher.REGION = saved


def test_the_token_start_contract(extractors):
    """Glued digits are one token: the full scan would start a match inside "3009"; factkit does not."""
    gated, full = extractors
    text = "S-3009M729"
    assert [f.text for f in full.extract(text)] == ["9M729"]
    assert [f.text for f in gated.extract(text)] == []


def test_alternatives_that_are_each_one_macro(write_pack):
    """The regex parser folds '{a}|{b}' (one placeholder character each) into a character class."""
    path = write_pack("name: p\nmacros:\n  a: 'one'\n  b: 'three'\nrules:\n  - id: r\n    kind: number\n"
                      "    pattern: '(?P<value>(?:{a}|{b}))\\s+apples'\n    fields: {value: number}\n")
    gated, full = _pair([path])
    for text in ("three apples", "one apples", "two apples"):
        assert gated.extract(text) == full.extract(text)
    assert [f.value for f in gated.extract("three apples")] == [3]


PROBED_PACK = (
    "name: p\nrequires: [core]\nrules:\n  - id: r\n    kind: quantity\n"
    "    pattern: '(?:(?P<qualifier>{core.bound})\\s+)?{core.before}(?P<value>{core.number})\\s+(?P<unit>{core.units})'\n"
    "    fields: {value: number, unit: 'gazetteer:core.units', qualifier: 'gazetteer:core.qualifiers'}\n")


def test_probes_of_a_rule_that_begins_with_a_number(write_pack):
    """One probe per way the rule can begin: with the qualifier (then a number), or with the number (then a
    unit, after a run of white space of any length)."""
    path = write_pack(PROBED_PACK)
    rule = factkit.Extractor([str(path)]).matcher.rules[-1]
    by_ref = {p.ref: p for p in rule.probes}
    assert set(by_ref) == {"core.bound", "core.number"}
    assert by_ref["core.number"].run == "[\\s]" and Start("word", "km", True) in by_ref["core.number"].tail
    assert Start("digit") in by_ref["core.bound"].tail
    assert rule.free == frozenset()



def test_a_tail_reads_through_an_optional_part_after_the_reference(write_pack):
    r"""After "{number}\s+(?:in\s+the\s+)?(?:morning|evening)" what follows the number begins with "in" or
    with a part of the day, so the probe looks for one of them ahead before it matches the number."""
    path = write_pack("name: p\nrequires: [core]\nrules:\n  - id: r\n    kind: number\n"
                      "    pattern: '(?P<value>{core.number})\\s+(?:in\\s+the\\s+)?(?:morning|evening)'\n"
                      "    fields: {value: number}\n")
    gated, full = _pair([str(path)])
    (probe,) = gated.matcher.rules[-1].probes
    assert probe.run == "[\\s]" and {s.text for s in probe.tail} == {"in", "morning", "evening"}
    for text in ("5 in the morning", "5 morning", "5 in the evening and 6 in June", "7 in 8 morning", "9 in the"):
        assert gated.extract(text) == full.extract(text), text
    assert [(f.rule, f.value) for f in gated.extract("at 5 in the morning") if f.rule == "p:r"] == [("p:r", 5)]

def test_probes_reject_starts_and_keep_what_the_full_scan_finds(write_pack):
    path = write_pack(PROBED_PACK)
    gated, full = _pair([str(path)])
    matcher = gated.matcher
    rule = matcher.rules[-1]
    text = "five apples, then up to 7" + " " * 150 + "km, and 12 \t\n km and three hundred"
    starts = matcher.scanner.scan(text)
    n = len(matcher.rules)
    kept = matcher._probed(rule, text, starts[rule.order], starts.get(n + rule.order, []), starts,
                           matcher.probe_memo(starts), 1.0)
    assert [text[p:p + 5] for p in kept] == ["up to", "7    ", "12 \t\n"]  # not "five", "three": no unit
    assert gated.extract(text) == full.extract(text)
    assert [f.text for f in gated.extract(text) if f.rule == "p:r"][1] == "12 \t\n km"


def test_an_optional_qualifier_is_kept_only_where_the_rule_can_begin_after_it(write_pack):
    """"over 5 apples": a number follows "over", but no unit follows the number, so the rule cannot begin
    at "5", and so not at "over" either."""
    path = write_pack(PROBED_PACK)
    gated, full = _pair([str(path)])
    matcher = gated.matcher
    rule = matcher.rules[-1]
    assert {p.ref: p.chain for p in rule.probes} == {"core.bound": "[\\s]", "core.number": ""}
    text = "over 5 apples, up to 7 km, more than  about 9\tkm and over about 3 pears"
    starts = matcher.scanner.scan(text)
    n = len(matcher.rules)
    kept = matcher._probed(rule, text, starts[rule.order], starts.get(n + rule.order, []), starts,
                           matcher.probe_memo(starts), 1.0)
    # "more than" fails on its own check: no number follows it
    assert [text[p:p + 4] for p in kept] == ["up t", "7 km", "abou", "9\tkm"]
    assert gated.extract(text) == full.extract(text)
    assert [f.text for f in gated.extract(text) if f.kind == "quantity"] == ["up to 7 km", "about 9\tkm"]


@pytest.mark.parametrize("beginning, rest", [
    (r"(?:(?P<qualifier>{core.bound})\s*)?", r"{core.before}(?P<value>{core.number})"),  # may be glued
    (r"(?:(?P<qualifier>{core.bound})[\s-]+)?", r"-?(?P<value>{core.number})"),  # may begin with a "-"
])
def test_no_chain_where_the_rule_after_the_qualifier_may_begin_elsewhere(write_pack, beginning, rest):
    """Glued to the qualifier, or on the separator's own "-": not where the separator ends."""
    path = write_pack("name: p\nrequires: [core]\nrules:\n  - id: r\n    kind: quantity\n"
                      f"    pattern: '{beginning}{rest}\\s+(?P<unit>{{core.units}})'\n"
                      "    fields: {value: number, unit: 'gazetteer:core.units'}\n")
    gated, full = _pair([str(path)])
    rule = gated.matcher.rules[-1]
    assert rule.probes and not any(p.chain for p in rule.probes)
    for text in ("over5 km", "over -5 km", "over - 5 km", "about  5 km", "more than 5 apples"):
        assert gated.extract(text) == full.extract(text)


def _word_rule(write_pack, pattern):
    path = write_pack("name: p\nrequires: [core]\nrules:\n  - id: r\n    kind: number\n"
                      f"    pattern: '{pattern}'\n    fields: {{value: number}}\n")
    return _pair([str(path)])


def test_a_leading_word_is_kept_only_where_its_probe_passes_after_it(write_pack):
    """"in" is one of the commonest words: the rule is tried only where a number and "days" follow it."""
    gated, full = _word_rule(write_pack, r"(?<![\p{L}])in\s+(?P<value>{core.number})\s+days?\b")
    matcher = gated.matcher
    rule = matcher.rules[-1]
    assert [p.prefix for p in rule.probes] == [("in", "[\\s]")] and rule.free == frozenset()
    text = "in the morning, in 3 apples, in 3 days, IN  four\tdays, in"
    starts = matcher.scanner.scan(text)
    n = len(matcher.rules)
    kept = matcher._probed(rule, text, starts[rule.order], starts.get(n + rule.order, []), starts,
                           matcher.probe_memo(starts), 1.0)
    assert [text[p:p + 4] for p in kept] == ["in 3", "IN  "]
    assert gated.extract(text) == full.extract(text)
    assert [f.text for f in gated.extract(text) if f.rule == "p:r"] == ["in 3 days", "IN  four\tdays"]
    assert gated.extract(text + " ") == full.extract(text + " ")  # a leading word at the very end


def test_a_leading_word_is_looked_for_only_where_the_scan_found_it(write_pack):
    """The rule begins at every digit too; its probe after "in" must not run its word's pattern there."""
    gated, full = _word_rule(write_pack, r"(?P<value>{core.number})\s+apples|in\s+(?P<value>{core.number})\s+days")
    matcher = gated.matcher
    rule = matcher.rules[-1]
    calls = []
    plan = list(rule.probe_plan)
    for i, step in enumerate(plan):
        if step[8] is not None:
            lead = step[8]
            plan[i] = step[:8] + ((lambda *a, lead=lead: calls.append(a[1]) or lead(*a)),) + step[9:]
    rule.probe_plan = tuple(plan)
    text = "3 apples, in 3 days, 4 pears, IN 5 days, 6 apples"
    starts = matcher.scanner.scan(text)
    n = len(matcher.rules)
    kept = matcher._probed(rule, text, starts[rule.order], starts.get(n + rule.order, []), starts,
                           matcher.probe_memo(starts), 1.0)
    assert sorted(text[p:p + 4] for p in calls) == ["IN 5", "in 3"]
    assert [text[p:p + 4] for p in kept] == ["3 ap", "in 3", "IN 5", "6 ap"]
    assert [f.text for f in gated.extract(text) if f.rule == "p:r"] == ["3 apples", "in 3 days", "IN 5 days",
                                                                       "6 apples"]
    assert gated.extract(text) == full.extract(text)


def test_a_short_word_before_a_repeated_group_is_a_start_only_before_its_words():
    """"a" opens some number forms ("a million", "a billion"), so only "a" before those starts them."""
    (start,) = rule_starts(r"an(?:[\s-]+(?:million|billion|m)){1,2}")
    assert start.then == {"million", "billion", "m"}  # a one-letter word too
    scanner = StartScanner([(0, rule_starts(r"an(?:[\s-]+(?:million|billion|m)){1,2}"))])
    assert scanner.scan("an apple, an million, an m") == {0: [10, 22]}


def test_a_short_word_before_one_separator_character_is_a_start_only_before_its_words():
    starts = rule_starts(r"an?(?:\s|-)(?:hours?|days?)\b")
    assert {(s.text, s.then) for s in starts} == {(word, frozenset({"hour", "hours", "day", "days"}))
                                                  for word in ("a", "an")}


@pytest.mark.parametrize("text", ["a hundred", "a-hundred", "a\u2013hundred", "a \u2014 hundred"])
def test_a_pair_is_found_across_every_dash_its_pattern_allows(write_pack, text):
    path = write_pack("name: p\nrules:\n  - id: r\n    kind: number\n"
                      "    pattern: '(?P<value>an?[\\s\\-\u2013\u2014]+hundred)'\n    fields: {value: number}\n")
    gated, full = _pair([str(path)])
    assert gated.matcher.rules[0].starts == {Start("word", "a", True, frozenset({"hundred"})),
                                             Start("word", "an", True, frozenset({"hundred"}))}
    assert [f.text for f in gated.extract(text)] == [text] == [f.text for f in full.extract(text)]


def test_a_gazetteer_alias_of_several_words_begins_where_its_first_two_do():
    from factkit.triggers import gazetteer_starts
    starts = gazetteer_starts(["a maximum of", "at least", "about", "A$", "de facto"], flexible=False)
    assert Start("word", "a", True, frozenset({"maximum"})) in starts
    assert Start("word", "at", True, frozenset({"least"})) in starts
    assert Start("word", "a", True) in starts  # "A$": a symbol follows, no word
    assert Start("word", "about", True) in starts
    # with a flexible separator the words may be written together ("defacto"): no pair
    assert all(not s.then for s in gazetteer_starts(["de facto"], flexible=True))


def test_a_pair_hit_also_starts_the_rules_of_a_shorter_following_word():
    """The scan reads the longest following word it knows: "a anyway" is read as "a" + "an", and a rule whose
    "a" may be followed by any word that begins with "a" must start there too."""
    scanner = StartScanner([(0, frozenset({Start("word", "a", True, frozenset({"a"}))})),
                            (1, frozenset({Start("word", "a", True, frozenset({"an"}))}))])
    assert scanner.scan("so a anyway") == {0: [3], 1: [3]}
    assert scanner.scan("so a apple") == {0: [3]}


@pytest.mark.parametrize("pattern", [
    r"in\s+(?:the\s+)?(?P<value>{core.number})\s+days?",  # an optional part after the word
    r"in\s*(?P<value>{core.number})\s+days?",  # the number may be glued to it
    r"in(?P<value>{core.number})\s+days?",  # no separator
])
def test_a_leading_word_without_a_checkable_way_on_runs_unchecked(write_pack, pattern):
    gated, full = _word_rule(write_pack, pattern)
    rule = gated.matcher.rules[-1]
    assert not any(p.prefix for p in rule.probes)  # so the rule runs at every "in"
    for text in ("in the 3 days", "in3 days", "in 3 days", "in fourdays"):
        assert gated.extract(text) == full.extract(text)


def test_an_anchor_glued_to_a_group_of_words_is_not_a_token_start(write_pack):
    """In "(?:mon|tues)days" the "days" follows a letter: it cannot be looked for as a word."""
    path = write_pack("name: p\nrules:\n  - id: r\n    kind: number\n"
                      "    pattern: '(?P<value>\\d+)\\s+(?:mon|tues)days'\n    fields: {value: number}\n")
    gated, full = _pair([str(path)])
    text = "We met on 3 Mondays and 4 tuesdays."
    assert [f.text for f in gated.extract(text)] == ["3 Mondays", "4 tuesdays"]
    assert gated.extract(text) == full.extract(text)


def test_a_reference_inside_a_scoped_flag_group_keeps_its_flags(write_pack):
    """In a case-sensitive rule, "(?i:{m})" still matches "THREE": the probe must not read it case-sensitively."""
    path = write_pack("name: p\nmacros:\n  m: 'three'\nrules:\n  - id: r\n    kind: number\n"
                      "    case_sensitive: true\n"
                      "    pattern: '(?<![a-z])(?i:(?P<value>{m}))\\s+apples'\n    fields: {value: number}\n")
    gated, full = _pair([str(path)])
    for text in ("THREE apples", "three apples", "Three apples", "three pears"):
        assert gated.extract(text) == full.extract(text), text
    assert [f.value for f in gated.extract("THREE apples")] == [3]
