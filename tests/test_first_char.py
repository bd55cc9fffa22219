"""A pattern specialised to a start at a digit must match there exactly as the whole pattern does."""

import json
from pathlib import Path

import pytest
import regex
from hypothesis import given, settings
from hypothesis import strategies as st

import factkit
from factkit.first_char import can_begin_with_a_digit, digit_variant

ROOT = Path(__file__).resolve().parent.parent
CONFORMANCE = ROOT.parent / "shared" / "conformance"


@pytest.mark.parametrize("pattern, variant", [
    (r"twenty|\d+", r"\d+"),
    (r"(?:minus\s+)?(?:twenty|\d+)", r"(?:\d+)"),
    (r"(?<![\p{L}])(?:a|\d)x", r"(?<![\p{L}])(?:\d)x"),
    (r"(?:the\s+)?(?P<day>\d\d?)|(?P<month>may)", r"(?P<day>\d\d?)"),
    (r"(?:(?<!a)|\b)(?:b|\d)", r"(?:(?<!a)|\b)(?:\d)"),  # a group of lookarounds is looked past
    (r"(?:\d+x)?\d+", None),  # an optional group that can begin with a digit stays
    (r"(?:\d+x)?(?:a|\d)", None),  # and what follows it may begin after it: left whole
    (r"(?:one|\d)+ apples", None),  # repeated: later rounds begin elsewhere, so nothing is dropped
    (r"(?:one|\d){1,2}", None),
    (r"\d+", None),  # nothing to drop
    (r"(?:(?P<sep>-)|x)\d(?P=sep)", None),  # the reference needs a group that would be dropped
    (r"(a|\d)\1", None),  # numbered references are not read
])
def test_digit_variants(pattern, variant):
    assert digit_variant(pattern) == variant


def test_no_branch_left_never_matches():
    assert digit_variant(r"twenty|minus") == "(?!)"


@pytest.mark.parametrize("pattern, can", [
    (r"\s?(?:-|to)\s*\d+", False),
    (r"(?![\p{L}\p{N}_])(?:\s?(?P<unit>km|mi))?\s+(?:to|-)", False),  # lookarounds consume nothing
    (r"(?i:[^\d\s]x)", False),
    (r"[\p{L}]+", False),
    (r"\s*\d", True),
    (r"\p{N}", True),
    (r"\w+", True),
    (r"[^a]", True),
    (r"(?:km)?", True),  # may match nothing, so it may match at a digit
    (r"(?:x|)", True),
    (r".", True),
    (r"\s*(?P<a>x)?(?P=a)", True),  # a back reference is not read
])
def test_whether_a_pattern_can_begin_with_a_digit(pattern, can):
    assert can_begin_with_a_digit(pattern) is can


@pytest.fixture(scope="module")
def digitless_rests():
    """The built-in rules' rests that the matcher does not call at a digit."""
    extractor = factkit.Extractor()
    found = {}
    for rule in extractor.matcher.rules:
        for probe in rule.probes:
            if probe.rest_source and not can_begin_with_a_digit(probe.rest_source, rule.regex.flags):
                found[probe.rest_source] = regex.compile(probe.rest_source, rule.regex.flags)
    assert len(found) >= 5
    return list(found.values())


def test_rests_said_not_to_begin_with_a_digit_never_match_at_one(digitless_rests):
    for text in _texts():
        for i, ch in enumerate(text):
            if ch in "0123456789":
                assert not any(rest.match(text, i) for rest in digitless_rests), (text, i)


def _texts():
    yield (ROOT / "seeds" / "venezuela-russia.txt").read_text(encoding="utf-8")
    if CONFORMANCE.is_dir():
        for path in sorted(CONFORMANCE.glob("*.jsonl")):
            for line in path.read_text(encoding="utf-8").splitlines():
                yield json.loads(line)["text"]


@pytest.fixture(scope="module")
def heads():
    """Every probed reference of the built-in packs, with its digit variant (where it has one)."""
    matcher = factkit.Extractor().matcher
    out = []
    for head in matcher.heads:
        variant = digit_variant(head.pattern, head.flags)
        if variant is not None:
            out.append((regex.compile(head.pattern, head.flags), regex.compile(variant, head.flags)))
    assert len(out) >= 20
    return out


@pytest.fixture(scope="module")
def rules():
    """Every built-in rule with its digit variant, which keeps every capture name."""
    out = []
    for rule in factkit.Extractor().matcher.rules:
        variant = digit_variant(rule.regex.pattern, rule.regex.flags, keep_names=True)
        if variant is not None:
            out.append((regex.compile(rule.regex.pattern, rule.regex.flags), regex.compile(variant, rule.regex.flags)))
    assert len(out) >= 40
    return out


def _captures(m):
    return m and (m.span(), {name: m.span(name) for name in m.re.groupindex})


def _same_at_every_digit(pairs, text, read=lambda m: m and m.span()):
    for pos, ch in enumerate(text):
        if ch in "0123456789":
            for whole, variant in pairs:
                a, b = whole.match(text, pos, pos + 1000), variant.match(text, pos, pos + 1000)
                assert read(a) == read(b), (whole.pattern[:80], text[pos:pos + 40])


def test_built_in_references_match_alike_at_every_digit_of_the_seed_and_the_conformance_texts(heads):
    for text in _texts():
        _same_at_every_digit(heads, text)


def test_built_in_rules_capture_alike_at_every_digit_of_the_seed_and_the_conformance_texts(rules):
    for text in _texts():
        _same_at_every_digit(rules, text, _captures)


def test_a_variant_keeps_the_names_of_the_groups_it_drops():
    variant = digit_variant(r"(?P<word>twenty)|(?P<n>\d+)", keep_names=True)
    assert variant == r"(?P<n>\d+)|(?!)(?P<word>)"
    m = regex.match(variant, "42")
    assert m.groupdict() == {"n": "42", "word": None}


WORDS = ["3", "12", "2019", "1,500", "3.5", "1/2", "5pm", "10:30", "-", "to", "and", "km", "million", "hundred",
         "twenty", "first", "3rd", "March", "the", "of", "per", "%", "$", "x", "Q1", "/", ".", " ", "  "]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(WORDS), min_size=1, max_size=12), st.sampled_from([" ", "", "-", "/"]))
def test_built_in_patterns_match_alike_at_every_digit_of_generated_text(heads, rules, words, sep):
    _same_at_every_digit(heads, sep.join(words))
    _same_at_every_digit(rules, sep.join(words), _captures)
