import json

import pytest

import factkit
from factkit.cli import main
from factkit.evaluation import Label, agrees, canonical_unit, load_cases


def case(text, facts, scope, **extra):
    return {"id": extra.pop("id", "c"), "text": text, "reference_date": extra.pop("reference_date", None),
            "scope": scope, "facts": facts, **extra}


def label(text, doc, kind, **values):
    start = doc.index(text)
    return {"kind": kind, "text": text, "start": start, "end": start + len(text), "value": None, "low": None,
            "high": None, "unit": None, "meta": {}, **values}


@pytest.fixture
def write_cases(tmp_path):
    def write(*rows, name="cases.jsonl"):
        path = tmp_path / name
        path.write_text("".join((r if isinstance(r, str) else json.dumps(r)) + "\n" for r in rows),
                        encoding="utf-8")
        return path
    return write


def totals(report, kind=None):
    f = report.files[0]
    score = f.kinds[kind] if kind else f.total
    return (score.span.tp, score.span.fp, score.span.fn), (score.value.tp, score.value.fp, score.value.fn)


def test_span_and_value_counts(write_cases):
    t1 = "It cost $5 million and 40 euros."
    t2 = "They ran 10 km."
    path = write_cases(
        case(t1, [label("$5 million", t1, "money", value=5_000_000, unit="Dollar"),
                  label("40 euros", t1, "money", value=41, unit="Euro")], ["money"]),  # wrong value on purpose
        case(t2, [], ["money"]),  # a quantity is out of scope: no false positive
    )
    report = factkit.evaluate(path)
    assert totals(report) == ((2, 0, 0), (1, 1, 1))
    only = report.files[0]
    assert only.cases == 2 and only.skipped == 0 and only.erroneous == []
    assert only.total.value.precision == 0.5 and only.total.span.f1 == 1.0


def test_false_positive_and_miss_in_scope(write_cases):
    text = "Two boys saw 3 dogs."
    path = write_cases(case(text, [label("Two", text, "number", value=2), label("boys", text, "number", value=9)],
                            ["number"]))
    (span, value) = totals(factkit.evaluate(path), "number")
    assert span == (1, 1, 1)  # "Two" found, "boys" missed, "3" spurious
    assert value == (1, 1, 1)


def test_skipped_and_erroneous_cases_are_counted_not_scored(write_cases):
    text = "5 km"
    path = write_cases(
        case(text, [label("5 km", text, "quantity", value=5, unit="Kilometer")], ["quantity"], skip=True),
        case(text, [{"kind": "quantity", "text": "6 km", "start": 0, "end": 4, "value": 6}], ["quantity"]),
        case(text, [label("5 km", text, "quantity", value=5, unit="Kilometer")], ["quantity"]),
    )
    f = factkit.evaluate(path).files[0]
    assert (f.cases, f.skipped, len(f.erroneous)) == (3, 1, 1)
    assert "does not match" in f.erroneous[0] and ":2:" in f.erroneous[0]
    assert f.kinds["quantity"].value.tp == 1 and f.kinds["quantity"].value.fp == 0


def test_kind_mapping_by_unit_category(write_cases):
    text = "At 30 degrees Celsius, 200 troops walked 5 km."
    path = write_cases(case(text, [label("30 degrees Celsius", text, "temperature", value=30, unit="C"),
                                   label("5 km", text, "quantity", value=5, unit="Kilometer")],
                            ["temperature", "quantity"]))
    report = factkit.evaluate(path)
    assert totals(report, "temperature")[1] == (1, 0, 0)
    assert totals(report, "quantity")[1] == (1, 0, 0)  # "200 troops" is a count, outside both kinds


def test_units_compare_canonically():
    assert canonical_unit("money", "Dollar") == canonical_unit("money", "USD") == "usd"
    assert canonical_unit("quantity", "Kilometer") == "kilometer"
    assert canonical_unit("quantity", "Pound") != canonical_unit("money", "Pound")


def test_temporal_agreement():
    day = factkit.Date(text="x", start=0, end=1, rule="t:x", value="2016-11-08T08:00", granularity="minute")
    assert agrees(Label("datetime", "x", 0, 1, value="2016-11-08T08:00:00"), day)
    assert agrees(Label("time", "x", 0, 1, value="08:00:00"), day)
    assert not agrees(Label("time", "x", 0, 1, value="20:00:00"), day)
    ambiguous = Label("time", "x", 0, 1, meta={"candidates": [{"value": "08:00:00"}, {"value": "20:00:00"}]})
    assert agrees(ambiguous, day)
    decade = factkit.Date(text="x", start=0, end=1, rule="t:x", value="199", granularity="decade",
                          low="1990-01-01", high="1999-12-31")
    assert agrees(Label("date", "x", 0, 1, low="1990-01-01", high="2000-01-01"), decade)  # exclusive high
    week = factkit.Duration(text="x", start=0, end=1, rule="t:x", value=3, unit="hour")
    assert agrees(Label("duration", "x", 0, 1, value=10800, unit="second"), week)
    weekends = factkit.Duration(text="x", start=0, end=1, rule="t:x", value=3, unit="weekend")
    assert agrees(Label("duration", "x", 0, 1, value=518400, unit="second"), weekends)  # 2 days each


def test_two_ended_labels_may_end_where_their_last_unit_starts():
    years = factkit.Date(text="x", start=0, end=1, rule="t:x", granularity="year", low="2014-01-01",
                         high="2018-12-31")
    two_ended = {"timex": "(2014-01-01,2018-01-01,P4Y)"}
    assert agrees(Label("date", "x", 0, 1, low="2014-01-01", high="2018-01-01", meta=two_ended), years)
    assert not agrees(Label("date", "x", 0, 1, low="2014-01-01", high="2017-01-01", meta=two_ended), years)
    months = factkit.Date(text="x", start=0, end=1, rule="t:x", granularity="month", low="2017-01-01",
                          high="2017-02-28")
    assert agrees(Label("date", "x", 0, 1, low="2017-01-01", high="2017-02-01",
                        meta={"timex": "(2017-01-01,2017-02-01,P1M)"}), months)
    # a label for one period ("January 2017", exclusive end) is not read so: Jan-Feb is not January
    assert not agrees(Label("date", "x", 0, 1, low="2017-01-01", high="2017-02-01", meta={"timex": "2017-01"}),
                      months)


def _set(value, unit, **attributes):
    return factkit.DateSet(text="x", start=0, end=1, rule="t:x", value=value, unit=unit, attributes=attributes)


@pytest.mark.parametrize("timex, fact, ok", [
    ("P1W", _set(1, "week"), True),
    ("P2D", _set(2, "day"), True),
    ("P2D", _set(1, "day"), False),
    ("P3M", _set(1, "quarter"), True),
    ("P0.5Y", _set(6, "month"), True),
    ("P1W", _set(7, "day"), True),  # the same interval, counted in days
    ("P1M", _set(30, "day"), False),  # months and days do not mix
    ("P2WE", _set(2, "week", days="weekend"), True),
    ("P1WD", _set(1, "day", days="weekdays"), True),
    ("P1WD", _set(1, "day"), False),
    ("XXXX-WXX-1", _set(1, "week", weekday="monday"), True),
    ("XXXX-WXX-1", _set(1, "week", weekday="tuesday"), False),
    ("XXXX-WXX-1T16", _set(1, "week", weekday="monday", time="16:00"), True),
    ("XXXX-WXX-2TAF", _set(1, "week", weekday="tuesday", part_of_day="afternoon"), True),
    ("T19:13", _set(1, "day", time="19:13"), True),
    ("TMO", _set(1, "day", part_of_day="morning"), True),
    ("TMO", _set(1, "day", part_of_day="evening"), False),
    ("XXXX-XX-19", _set(1, "month", day=19), True),
    ("XXXX-WXX-5", _set(2, "week", weekday="friday"), False),  # the label says weekly
])
def test_set_agreement(timex, fact, ok):
    assert agrees(Label("set", "x", 0, 1, value=timex), fact) is ok


def test_set_label_never_agrees_with_a_date():
    day = factkit.Date(text="x", start=0, end=1, rule="t:x", value="2016-11-08", granularity="day")
    assert not agrees(Label("set", "x", 0, 1, value="P1D"), day)


def test_label_without_value_never_agrees():
    fact = factkit.Ordinal(text="last", start=0, end=4, rule="t:x", value=1)
    assert not agrees(Label("ordinal", "last", 0, 4), fact)


@pytest.mark.parametrize("row, message", [
    ("{not json", "not valid JSON"),
    ("[1, 2]", "expected a JSON object"),
    (json.dumps({"id": "a", "text": "x", "facts": []}), "missing key 'scope'"),
    (json.dumps({"id": "a", "text": "x", "scope": ["number"], "facts": [{"kind": "number", "start": 0}]}),
     "missing key 'end'"),
    (json.dumps({"id": "a", "text": 5, "scope": [], "facts": []}), "'text' must be a string"),
    (json.dumps({"id": "a", "text": "x", "scope": [], "facts": [], "reference_date": "soon"}), "not an ISO date"),
])
def test_malformed_lines_name_file_and_line(write_cases, row, message):
    good = case("5", [], ["number"])
    path = write_cases(good, row)
    with pytest.raises(factkit.InputError) as info:
        load_cases(path)
    assert f"{path}:2:" in str(info.value) and message in str(info.value)


def test_a_file_of_another_shape_is_refused(write_cases):
    path = write_cases({"text": "5 km", "facts": [{"kind": "quantity", "value": 5}]})
    with pytest.raises(factkit.InputError, match=r":1:1: case \?: missing key 'id'"):
        factkit.evaluate(path)


def test_cli_table_json_and_errors(write_cases, capsys):
    text = "I saw 3 dogs and a cat."
    path = write_cases(case(text, [label("3", text, "number", value=4)], ["number"], id="dogs"))
    assert main(["eval", str(path), "--by-kind", "--errors", "5"]) == 0
    out = capsys.readouterr().out
    assert "cases.jsonl" in out and "  number" in out
    assert "dogs: wrong value number" in out and "[[3]]" in out
    assert main(["eval", str(path), "--format", "json", "--errors", "1"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["files"][0]["span"]["tp"] == 1 and data["files"][0]["value"]["tp"] == 0
    assert data["mistakes"][0]["what"] == "wrong value"


def test_cli_reports_malformed_file_without_traceback(write_cases, capsys):
    path = write_cases("{oops")
    assert main(["eval", str(path)]) == 2
    err = capsys.readouterr().err
    assert f"{path}:1:" in err and "[C001]" in err and "Traceback" not in err
