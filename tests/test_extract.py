import datetime as dt
import pickle

import pytest

import factkit
from factkit.resolve import Candidate, resolve

JSON_KEYS = {
    "number": {"value"}, "ordinal": {"value"}, "relative_ordinal": {"value", "attributes"},
    "quantity": {"value", "unit", "qualifier"},
    "range": {"low", "high", "unit"}, "money": {"value", "unit", "qualifier"}, "percent": {"value", "qualifier"},
    "date": {"value", "granularity", "low", "high"}, "duration": {"value", "unit"},
    "entity": {"value", "category", "attributes"},
}
SAMPLE = ("Up to 100 troops and about 12 tanks moved 310 to 3,420-mile on March 28, 2019; costs rose 5% to "
          "$3.2bn, the third rise in two days. The S-300 arrived last week.")


def test_module_level_extract_matches_the_docstring():
    facts = factkit.extract("Up to 100 troops left on March 28.", reference_date="2019-03-31")
    assert [(f.kind, f.text, f.value) for f in facts] == [("quantity", "Up to 100 troops", 100),
                                                         ("date", "March 28", "2019-03-28")]


def test_json_shape_has_exactly_the_documented_keys(extractor):
    facts = extractor.extract(SAMPLE)
    assert {f.kind for f in facts} >= {"quantity", "range", "date", "percent", "money", "ordinal", "entity"}
    for fact in facts:
        dumped = fact.model_dump(mode="json")
        assert set(dumped) == {"kind", "text", "start", "end", "rule"} | JSON_KEYS[fact.kind]
        assert SAMPLE[fact.start:fact.end] == fact.text
        assert ":" in fact.rule


def test_facts_are_sorted_frozen_and_never_overlap(extractor):
    facts = extractor.extract(SAMPLE * 3)
    assert [f.start for f in facts] == sorted(f.start for f in facts)
    assert all(a.end <= b.start for a, b in zip(facts, facts[1:]))
    with pytest.raises(Exception):
        facts[0].text = "changed"  # type: ignore[misc]


def test_fact_adapter_reads_json_back_into_the_right_class(extractor):
    adapter = factkit.fact_adapter()
    for fact in extractor.extract(SAMPLE):
        again = adapter.validate_python(fact.model_dump(mode="json"))
        assert type(again) is type(fact) and again == fact


def test_kinds_filter_applies_before_overlap_resolution():
    numbers = factkit.Extractor(["core"], kinds=["number"]).extract("up to 100 troops")
    assert [(f.kind, f.value) for f in numbers] == [("number", 100)]


def test_reference_date_and_prefer():
    ex = factkit.Extractor(["dates"], prefer="future")
    facts = ex.extract("on April 5", reference_date=dt.date(2019, 3, 31))
    assert facts[0].value == "2019-04-05"
    assert factkit.Extractor(["dates"]).extract("on April 5", reference_date="2019-03-31")[0].value == "2018-04-05"
    with pytest.raises(ValueError):
        factkit.Extractor(prefer="sideways")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="not an ISO date"):
        factkit.Extractor(["dates"], reference_date="31/03/2019")


def test_extractor_pickles_and_gives_the_same_facts(extractor):
    clone = pickle.loads(pickle.dumps(extractor))
    assert clone.extract(SAMPLE) == extractor.extract(SAMPLE)


def test_two_extractors_with_different_packs_do_not_share_state():
    only_core = factkit.Extractor(["core"])
    everything = factkit.Extractor()
    assert not any(f.kind == "date" for f in only_core.extract("March 28"))
    assert any(f.kind == "date" for f in everything.extract("March 28"))
    assert not any(f.kind == "date" for f in only_core.extract("March 28"))


def test_extract_rejects_bytes():
    with pytest.raises(TypeError):
        factkit.extract(b"100 troops")  # type: ignore[arg-type]


class _Rule:
    def __init__(self, name, priority=0, order=0):
        self.name, self.priority, self.order = name, priority, order


def test_overlap_resolution_longest_then_priority_then_rule_order_then_start():
    low, high, first, second = _Rule("low", 0, 0), _Rule("high", 5, 1), _Rule("a", 0, 0), _Rule("b", 0, 1)
    longest = Candidate(0, 10, low, {})
    inside = Candidate(2, 5, high, {})
    assert resolve([inside, longest]) == [longest]
    tie_a, tie_b = Candidate(20, 25, low, {}), Candidate(21, 26, high, {})
    assert resolve([tie_a, tie_b]) == [tie_b]  # same length: higher priority
    x, y = Candidate(30, 35, second, {}), Candidate(32, 37, first, {})
    assert resolve([x, y]) == [y]  # same length and priority: earlier rule
    p, q = Candidate(40, 45, first, {}), Candidate(43, 48, first, {})
    assert resolve([q, p]) == [p]  # same rule: earlier start
    adjacent = [Candidate(50, 52, first, {}), Candidate(52, 54, first, {})]
    assert resolve(adjacent) == adjacent


def test_custom_kind_and_parser_registered_in_code(write_pack):
    from typing import Literal

    @factkit.register_kind
    class Callsign(factkit.Fact):
        kind: Literal["callsign"] = "callsign"
        value: str

    factkit.register_parser("upper", lambda text, ctx: text.upper())
    path = write_pack("name: radio\nrules:\n  - id: callsign\n    kind: callsign\n"
                      "    pattern: '\\b(?P<value>[a-z]{2}\\d[a-z]{2,3})\\b'\n    fields: {value: upper}\n")
    facts = factkit.Extractor([path]).extract("contact dl1abc now")
    assert [(f.kind, f.value) for f in facts] == [("callsign", "DL1ABC")]


def test_a_rule_that_runs_out_of_time_is_reported_and_the_others_go_on(slow_pack):
    import warnings

    path = slow_pack
    text = "a" * 40 + " and 42"
    extractor = factkit.Extractor([path], timeout=0.05)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        facts = extractor.extract(text)
    assert [(f.rule, f.value) for f in facts] == [("slow:digits", 42)]
    timeouts = [w.message for w in caught if isinstance(w.message, factkit.ExtractionTimeoutWarning)]
    assert len(timeouts) == 1 and "rule slow:nested ran out of time" in str(timeouts[0])
    strict = factkit.Extractor([path], timeout=0.05, on_timeout="error")
    with pytest.raises(factkit.ExtractionTimeout, match="slow:nested"):
        strict.extract(text)
    with pytest.raises(TimeoutError):
        strict.extract(text)


def test_a_rule_out_of_time_in_one_region_of_a_long_document_is_not_tried_in_the_next(slow_pack, monkeypatch):
    import warnings

    monkeypatch.setattr("factkit.matcher.REGION", 60)  # each "a...a and 42" is a region of its own
    extractor = factkit.Extractor([slow_pack], timeout=0.05)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        facts = extractor.extract(("a" * 40 + " and 42 ") * 3)
    assert [(f.rule, f.value) for f in facts] == [("slow:digits", 42)] * 3
    timeouts = [w.message for w in caught if isinstance(w.message, factkit.ExtractionTimeoutWarning)]
    assert len(timeouts) == 1 and "rule slow:nested ran out of time" in str(timeouts[0])


def test_timeout_options_are_checked():
    with pytest.raises(ValueError):
        factkit.Extractor(["core"], timeout=0)
    with pytest.raises(ValueError):
        factkit.Extractor(["core"], on_timeout="ignore")


def test_texts_extracted_together_give_what_each_gives_alone():
    extractor = factkit.Extractor(reference_date="2019-03-31")
    texts = ["Up to 100 Russian personnel arrived on March 28.", "", "It flew 310 to 3,420 miles.",
             "Costs rose 15% to $4.5 million last week.", "nothing here"]
    assert extractor.extract_all(texts) == [extractor.extract(t) for t in texts]
    dates = ["2019-03-31", None, "2020-01-01", "2018-06-15", None]
    assert extractor.extract_all(texts, reference_date=dates) == \
        [extractor.extract(t, reference_date=d) for t, d in zip(texts, dates)]
    assert extractor.extract_all([]) == []


def test_texts_extracted_together_are_checked():
    extractor = factkit.Extractor(["core"])
    with pytest.raises(TypeError, match="not bytes"):
        extractor.extract_all(["fine", b"3 km"])
    with pytest.raises(ValueError, match="2 reference dates for 1 texts"):
        extractor.extract_all(["3 km"], reference_date=["2019-01-01", None])


def test_each_text_extracted_together_has_its_own_time_budget(slow_pack):
    import warnings

    path = slow_pack
    extractor = factkit.Extractor([path], timeout=0.05)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        found = extractor.extract_all(["a" * 40 + " and 42", "7", "a" * 40 + " 9"])
    assert [[(f.rule, f.value) for f in facts] for facts in found] == [[("slow:digits", 42)], [("slow:digits", 7)],
                                                                      [("slow:digits", 9)]]
    timeouts = [w.message for w in caught if isinstance(w.message, factkit.ExtractionTimeoutWarning)]
    assert len(timeouts) == 2 and all("rule slow:nested ran out of time" in str(t) for t in timeouts)
    with pytest.raises(factkit.ExtractionTimeout, match="slow:nested"):
        factkit.Extractor([path], timeout=0.05, on_timeout="error").extract_all(["1", "a" * 40 + " 9"])
