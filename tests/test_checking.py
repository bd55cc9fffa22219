"""``factkit check``: every problem at once with its position, every warning, and the exit codes."""

import pytest

from factkit.checking import check_pack
from factkit.cli import main

GOOD_RULE = """\
  - id: digits
    kind: number
    pattern: '(?<!\\d)(?P<value>\\d+)(?!\\d)'
    fields: {value: number}
    examples:
      - text: '12'
        facts: [{value: 12}]
    must_not_match: [no digits here]
"""

# every kind of mistake in one file: each must be reported, at its own line and column, in one run
BROKEN = """\
name: broken
macros:
  num: '\\d+'
rules:
  - id: bad-regex
    kind: number
    pattern: '(?P<value>\\d+'
    fields: {value: number}
  - id: unknown-macro
    kind: number
    pattern: '{nmu} km'
  - id: misspelt
    kind: number
    patern: '\\d+'
  - id: duplicate-key
    kind: number
    kind: quantity
    pattern: '{num}'
"""


def run(capsys, *argv):
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_broken_pack_gets_every_problem_in_one_report(capsys, write_pack):
    path = write_pack(BROKEN)
    code, out, err = run(capsys, "check", str(path))
    assert code == 2
    lines = out.splitlines()
    assert lines[:4] == [
        (f"{path}:7:14: rule bad-regex: bad pattern: missing ) at offset 13 of the expanded pattern: "
         "'(?P<value>\\\\d+' (error before character 14) [E042]"),
        f"{path}:11:14: rule unknown-macro: unknown macro or gazetteer {{nmu}} [E031]",
        f"{path}:14:5: rule misspelt.patern: unknown key 'patern' [E011]",
        f"{path}:17:5: rule duplicate-key: duplicate key 'kind' (first at line 16) [E002]",
    ]
    assert lines[4] == f"{path}: not loaded (4 errors)"
    assert "Traceback" not in out + err


def test_problems_of_an_included_file_come_with_the_pack_own(write_pack):
    path = write_pack("name: p\ninclude: [more.yaml]\nrules:\n  - {id: a, kind: number, pattern: '{x}'}\n",
                      **{"more.yaml": "rules:\n  - id: b\n    kind: number\n    kind: number\n    pattern: '('\n"})
    report = check_pack(path)
    got = sorted((p.file.rsplit("/", 1)[-1], p.line, p.code) for p in report.problems)
    assert got == [("more.yaml", 4, "E002"), ("more.yaml", 5, "E042"), ("pack.yaml", 4, "E031")]
    assert report.exit_code() == 2


def test_clean_pack_exits_0_even_when_strict(capsys, write_pack):
    path = write_pack("name: p\nrules:\n" + GOOD_RULE)
    code, out, _ = run(capsys, "check", "--strict", str(path))
    assert (code, out.splitlines()) == (0, ["p: 1 rules, 2 examples run, 0 failed, 0 warnings"])


@pytest.mark.parametrize("extra, code, message", [
    ("  - {id: bare, kind: number, pattern: 'x1', must_not_match: [x]}\n", "W001",
     "rule bare: no examples: add texts the rule must handle"),
    ("  - {id: hopeful, kind: number, pattern: '#(?P<value>\\d)', fields: {value: number}, examples: ['#5']}\n",
     "W002",
     "rule hopeful: no must_not_match: add texts the rule must leave alone"),
])
def test_each_warning_is_reported_and_fails_only_under_strict(capsys, write_pack, extra, code, message):
    path = write_pack("name: p\nrules:\n" + GOOD_RULE + extra)
    status, out, _ = run(capsys, "check", str(path))
    assert status == 0, out
    line = next(line for line in out.splitlines() if f"[{code}]" in line)
    assert line.startswith(f"{path}:11:5:") and message in line and line.endswith("(warning)")
    assert run(capsys, "check", "--strict", str(path))[0] == 1


def test_unused_macro_warning_points_at_the_macro(write_pack):
    path = write_pack("name: p\nmacros:\n  used: '\\d'\n  spare: 'x'\nrules:\n" +
                      GOOD_RULE.replace("\\d+)(?!", "{used}+)(?!"))
    report = check_pack(path)
    assert [(p.line, p.col, p.where, p.code) for p in report.warnings] == [(4, 10, "macro spare", "W003")]


def test_failing_example_and_passing_xfail_are_failures_with_exit_1(capsys, write_pack):
    path = write_pack("name: p\nrules:\n" + GOOD_RULE.replace(
        "facts: [{value: 12}]\n", "facts: [{value: 13}]\n      - text: '7'\n        xfail: wrongly marked\n"))
    code, out, _ = run(capsys, "check", str(path))
    assert code == 1
    assert f"{path}:8:9: p/digits/example-1: failed [F001] (failure)\n    text: [12]{{number}}" in out
    assert "value" in out and "13" in out
    assert f"{path}:10:9: p/digits/example-2: passed but is marked xfail [F001] (failure)" in out
    assert out.splitlines()[-1] == "p: 1 rules, 3 examples run, 2 failed, 0 warnings"


def test_exit_code_is_the_worst_of_several_packs_and_2_for_unknown_ones(capsys, write_pack):
    good = write_pack("name: p\nrules:\n" + GOOD_RULE)
    assert run(capsys, "check", str(good))[0] == 0
    code, out, err = run(capsys, "check", str(good), "no-such-pack")
    assert code == 2
    assert "no pack named 'no-such-pack'" in out and "Traceback" not in out + err


def test_builtin_packs_check_clean_of_errors():
    for name in ("core", "military"):
        report = check_pack(name)
        assert not report.errors and report.examples_run > 5, report.lines()


def test_a_value_that_may_be_a_string_or_a_mapping_gets_one_problem(write_pack):
    path = write_pack("name: p\nrules:\n  - id: a\n    kind: quantity\n    pattern: '(?P<value>\\d+) (?P<unit>km)'\n"
                      "    fields: {value: 5, unit: {parser: text, form: unit}}\n"
                      "    examples:\n      - {txt: '4 km'}\n      - 7\n")
    got = [(p.line, p.col, p.where, p.message, p.code) for p in check_pack(path).problems]
    assert got == [
        (6, 21, "rule a.fields.value", "expected a string or a mapping", "E013"),
        (6, 45, "rule a.fields.unit.form", "unknown key 'form'", "E011"),
        (8, 9, "rule a.examples.0.text", "missing required key 'text'", "E012"),
        (8, 10, "rule a.examples.0.txt", "unknown key 'txt'", "E011"),
        (9, 9, "rule a.examples.1", "expected a string or a mapping", "E013"),
    ]


def test_risky_patterns_are_errors_unless_the_rule_opts_out(capsys, write_pack):
    risky = "  - {id: risky, kind: number, pattern: '(?P<value>(?:\\d+,?)+)!', fields: {value: number}}\n"
    path = write_pack("name: p\nrules:\n" + GOOD_RULE + risky)
    code, out, _ = run(capsys, "check", str(path))
    assert code == 2
    assert f"{path}:11:40: rule risky: nested repeats" in out and "[E047]" in out
    path.write_text("name: p\nrules:\n" + GOOD_RULE + risky.replace("}\n", ", allow_backtracking: true}\n"))
    code, out, _ = run(capsys, "check", str(path))
    assert code == 0 and "[W001]" in out  # the opted-out rule still gets the ordinary warnings
