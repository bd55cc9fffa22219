"""``factkit explain`` and ``Extractor.explain``: why facts won, why others lost, why a rule did not fire."""

from pathlib import Path

import pytest

from factkit import Extractor
from factkit.cli import main
from factkit.explaining import strip_lookarounds

SEED = Path(__file__).resolve().parent.parent / "seeds" / "venezuela-russia.txt"

TIES = """\
name: ties
rules:
  - {id: plain, kind: number, pattern: '(?P<value>\\d+)', fields: {value: number}}
  - {id: urgent, kind: number, pattern: '(?P<value>\\d+)!', fields: {value: number}, priority: 5}
  - {id: shouted, kind: number, pattern: '(?P<value>\\d+)!', fields: {value: number}, priority: 5}
  - {id: loud, kind: number, pattern: '(?P<value>\\d+)!', fields: {value: number}, priority: 1}
  - {id: words, kind: number, pattern: '(?P<value>[a-z]+) units', fields: {value: number}}
  - {id: phrase, kind: number, pattern: 'alpha beta gamma (?P<value>\\d+)', fields: {value: number}}
  - {id: fenced, kind: number, pattern: '(?<=\\[)(?P<value>\\d+)(?=\\])', fields: {value: number}}
"""


@pytest.fixture
def ties(write_pack):
    return Extractor([write_pack(TIES)])


def test_seed_default_report_says_why_s300_is_no_number(capsys):
    assert main(["explain", "--file", str(SEED), "--reference-date", "2019-03-31"]) == 0
    lines = capsys.readouterr().out.splitlines()
    i = lines.index("1231-1236 entity 'S-300' by military:weapon")
    assert lines[i + 1] == ("    no number: core:number '300' (1233-1236): the rule matches these words on "
                            "their own, but its context checks (lookarounds, word boundaries) reject them here")


def test_explain_returns_the_same_as_data(extractor):
    text = SEED.read_text(encoding="utf-8")
    data = extractor.explain(text)
    s300 = next(f for f in data["facts"] if f.text == "S-300")
    inside = [r for r in data["context_rejected"] if r["inside"] == (s300.start, s300.end)]
    assert [(r["rule"], r["kind"], r["text"]) for r in inside] == [("core:number", "number", "300")]
    # a number that lost to a longer fact is a candidate, not a context rejection
    up_to = next(f for f in data["facts"] if f.text == "up to 100 Russian personnel")
    assert not [r for r in data["context_rejected"] if r["inside"] == (up_to.start, up_to.end)]
    assert any(r["rule"] == "core:number" and r["winner_span"] == (up_to.start, up_to.end)
               for r in data["rejected"])
    assert data["facts"] == extractor.extract(text)
    assert data["rule"] is None


def test_losers_say_what_beat_them_and_why(ties):
    data = ties.explain("7! and 8")
    [fact] = [f for f in data["facts"] if f.text == "7!"]
    assert fact.rule == "ties:urgent"
    reasons = {r["rule"]: (r["reason"], r["winner"]) for r in data["rejected"]}
    assert reasons == {
        "ties:plain": ("overlaps a longer fact", "ties:urgent"),
        "ties:shouted": ("overlaps a fact of the same length and priority from an earlier rule", "ties:urgent"),
        "ties:loud": ("overlaps a fact of the same length with higher priority", "ties:urgent"),
    }


def test_parse_failures_are_reported_as_dropped(ties, capsys, write_pack):
    data = ties.explain("blue units")
    assert [(d["rule"], d["text"]) for d in data["dropped"]] == [("ties:words", "blue units")]
    assert main(["explain", "--pack", str(write_pack(TIES)), "blue units"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("dropped: ties:words 'blue units' (0-10): ") and "no facts" in out


def test_a_rule_that_did_not_fire_says_how_far_it_got(capsys, write_pack):
    path = str(write_pack(TIES))
    assert main(["explain", "--pack", path, "--rule", "phrase", "we saw alpha beta delta 4"]) == 0
    out = capsys.readouterr().out
    assert ("rule ties:phrase:\n    no match; the longest start of one is 'alpha beta ' (7-18), stopping before "
            "'delta 4'") in out
    assert main(["explain", "--pack", path, "--rule", "ties:fenced", "value 12 here"]) == 0
    out = capsys.readouterr().out
    assert ("'12' (6-8) matches the rule's words, but its context checks (lookarounds) reject it here: "
            "...value [12] here...") in out


def test_unknown_rule_and_missing_text_are_usage_errors(capsys, write_pack):
    assert main(["explain", "--pack", str(write_pack(TIES)), "--rule", "nope", "x"]) == 2
    assert "no rule 'nope'" in capsys.readouterr().err
    assert main(["explain", "--pack", str(write_pack(TIES))]) == 2


@pytest.mark.parametrize("source, loose", [
    (r"(?<!\d)\d+(?!\d)", r"\d+"),
    (r"(?<=[(\]])x(?=[)])", "x"),
    (r"a(?=(?:b|c))d", "ad"),
    (r"[(?=]x", r"[(?=]x"),
])
def test_strip_lookarounds(source, loose):
    assert strip_lookarounds(source) == loose


def test_context_rejections_are_found_for_any_rule_inside_any_fact(write_pack):
    path = write_pack("name: ctx\nrules:\n"
                      "  - {id: digits, kind: number, pattern: '(?<![A-Z]-)\\b(?P<value>\\d+)\\b', "
                      "fields: {value: number}}\n"
                      "  - {id: model, kind: entity, pattern: '(?P<value>[A-Z]-\\d+)', fields: {value: text}, "
                      "case_sensitive: true}\n")
    data = Extractor([path]).explain("the T-72 and 72 more")
    assert [(f.kind, f.text) for f in data["facts"]] == [("entity", "T-72"), ("number", "72")]
    assert [(r["rule"], r["text"], r["start"], r["inside"]) for r in data["context_rejected"]] == [
        ("ctx:digits", "72", 6, (4, 8))]
