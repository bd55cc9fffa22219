"""Relative ordinals ("last", "penultimate", "next"), units named without an amount, and rates: the fact
shapes, what the core pack reads as them, and how the evaluator compares them with labels."""

import pytest
from pydantic import ValidationError

import factkit
from factkit.evaluation import Label, agrees, translate
from factkit.fact_table import from_row, to_row

REF = "2019-03-31"


def _relative(value, anchor):
    return factkit.RelativeOrdinal(text="x", start=0, end=1, rule="t:x", value=value,
                                   attributes={"relative_to": anchor})


def _label(offset, anchor):
    return Label("ordinal", "x", 0, 1, meta={"relativeTo": anchor, "offset": str(offset)})


def test_relative_ordinal_json_shape_and_anchor_check():
    fact = _relative(-1, "end")
    assert fact.model_dump(mode="json") == {"kind": "relative_ordinal", "text": "x", "start": 0, "end": 1,
                                            "rule": "t:x", "value": -1, "attributes": {"relative_to": "end"}}
    assert factkit.fact_adapter().validate_python(fact.model_dump(mode="json")) == fact
    assert from_row(to_row(fact)) == fact
    with pytest.raises(ValidationError):
        _relative(0, "start")  # counted from the start it is a plain Ordinal
    with pytest.raises(ValidationError):
        factkit.RelativeOrdinal(text="x", start=0, end=1, rule="t:x", value=0)


@pytest.mark.parametrize("text, span, value, anchor", [
    ("Show me the penultimate.", "penultimate", -1, "end"),
    ("Show me the second to last.", "second to last", -1, "end"),
    ("the third-to-last chapter", "third-to-last", -2, "end"),
    ("the last two books", "last", 0, "end"),
    ("the next president", "next", 1, "current"),
    ("restore a previous version", "previous", -1, "current"),
    ("I meant the current one", "current one", 0, "current"),
])
def test_core_reads_relative_ordinals(text, span, value, anchor):
    facts = [f for f in factkit.extract(text, reference_date=REF) if f.kind == "relative_ordinal"]
    assert [(f.text, f.value, f.attributes) for f in facts] == [(span, value, {"relative_to": anchor})]


@pytest.mark.parametrize("text", [
    "last week", "the next five years", "last night", "at last it rained", "the talks may last until May",
    "next to the embassy", "the current situation", "the previous year", "a last-ditch effort",
])
def test_dates_idioms_and_the_verb_are_no_relative_ordinals(text):
    assert [f.text for f in factkit.extract(text, reference_date=REF) if f.kind == "relative_ordinal"] == []


def test_relative_labels_agree_on_anchor_and_offset_only():
    assert agrees(_label(0, "end"), _relative(0, "end"))
    assert agrees(_label(1, "current"), _relative(1, "current"))
    assert not agrees(_label(0, "end"), _relative(0, "current"))
    assert not agrees(_label(-1, "end"), _relative(0, "end"))
    plain = factkit.Ordinal(text="x", start=0, end=1, rule="t:x", value=1)
    assert not agrees(_label(1, "current"), plain)  # "next" is no "first"
    assert not agrees(Label("ordinal", "x", 0, 1, value=1, meta={"relativeTo": "start", "offset": "1"}),
                      _relative(1, "current"))
    assert translate(_relative(0, "end"), {}).kind == "ordinal"


def test_conversion_units_are_unit_entities():
    facts = factkit.extract("convert 10 celsius to fahrenheit", reference_date=REF)
    assert [(f.kind, f.text, f.value) for f in facts] == [("quantity", "10 celsius", 10),
                                                          ("entity", "fahrenheit", "degree fahrenheit")]
    unit = facts[1]
    assert unit.category == "temperature" and unit.attributes["base"] == "kelvin"
    assert translate(unit, {}).kind == "temperature"
    assert agrees(Label("temperature", "fahrenheit", 0, 10, unit="F"), unit)
    assert not agrees(Label("temperature", "fahrenheit", 0, 10, unit="C"), unit)
    assert not agrees(Label("temperature", "fahrenheit", 0, 10, value=10, unit="F"), unit)
    quantity = facts[0]
    assert not agrees(Label("temperature", "10 celsius", 0, 10, unit="C"), quantity)  # it has an amount


def test_a_ton_label_reads_tons_and_tonnes_but_a_metric_ton_only_tonnes():
    def q(unit):
        return factkit.Quantity(text="x", start=0, end=1, rule="t:x", value=3, unit=unit)
    assert agrees(Label("quantity", "x", 0, 1, value=3, unit="Ton"), q("tonne"))
    assert agrees(Label("quantity", "x", 0, 1, value=3, unit="Ton"), q("ton"))
    assert not agrees(Label("quantity", "x", 0, 1, value=3, unit="Ton"), q("kilogram"))
    assert not agrees(Label("quantity", "x", 0, 1, value=3, unit="Metric ton"), q("ton"))


@pytest.mark.parametrize("text, value, unit", [
    ("50 km/ms", 50, "kilometer per millisecond"),
    ("3 metres per minute", 3, "meter per minute"),
    ("10 km/h", 10, "kilometer per hour"),
])
def test_rates_per_unit_of_time(text, value, unit):
    facts = factkit.extract(text, reference_date=REF)
    assert [(f.kind, f.value, f.unit) for f in facts] == [("quantity", value, unit)]
