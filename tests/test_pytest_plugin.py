"""The pytest plugin, run in a scratch project through pytester."""

PACK = """\
name: tiny
reference_date: 2019-03-31
rules:
  - id: knots
    kind: quantity
    pattern: '(?P<value>\\d+) ?(?P<unit>knots?)'
    fields:
      value: number
      unit: {const: knot}
    examples:
      - text: "20 knots"
        facts: [{value: 20, unit: knot}]
      - text: "at 30 knots"
        facts: [{text: 30 knots, value: 31}]
    must_not_match:
      - "knots tied"
"""

FIXTURE = """\
packs: [./pack.yaml]
reference_date: 2019-03-31
cases:
  - id: calm
    text: "we sailed at 12 knots"
    facts:
      - {kind: quantity, text: 12 knots, value: 12}
  - id: known-bug
    text: "twelve knots"
    facts:
      - {kind: quantity, value: 12}
    xfail: number words are not in this pack
  - id: surprise
    text: "5 knots and 6 knots"
    facts:
      - {kind: quantity, text: 5 knots, value: 5}
"""


def test_collects_examples_and_fixtures_with_real_locations(pytester):
    pytester.makefile(".yaml", pack=PACK)
    pytester.makefile(".facts.yaml", sea=FIXTURE)
    result = pytester.runpytest("-p", "no:cacheprovider", "-v")
    result.assert_outcomes(passed=3, failed=2, xfailed=1)
    result.stdout.fnmatch_lines([
        "*pack.yaml::tiny/knots/example-1 PASSED*",
        "*pack.yaml::tiny/knots/example-2 FAILED*",
        "*pack.yaml::tiny/knots/must-not-match-1 PASSED*",
        "*sea.facts.yaml::calm PASSED*",
        "*sea.facts.yaml::known-bug XFAIL*",
        "*sea.facts.yaml::surprise FAILED*",
    ])
    # the failure names the file and line, marks the spans and tabulates the wrong value
    result.stdout.fnmatch_lines([
        "*pack.yaml:13: tiny/knots/example-2",
        "text: at [30 knots]{quantity}",
        "wrong values:",
        "*quantity '30 knots' @3*value*31*30",
    ])
    result.stdout.fnmatch_lines(["unexpected facts:", "*text='6 knots'*"])


def test_subset_mode_option_and_strict_xfail(pytester):
    pytester.makefile(".yaml", pack=PACK.replace("value: 31", "value: 30"))
    pytester.makefile(".facts.yaml", sea=FIXTURE.replace("xfail: number words are not in this pack",
                                                         "xfail: wrongly marked").replace("twelve", "12"))
    result = pytester.runpytest("-p", "no:cacheprovider", "--factkit-mode", "subset")
    # surprise passes in subset mode; the xfail case now passes, which a strict xfail reports as a failure
    result.assert_outcomes(passed=5, failed=1)
    result.stdout.fnmatch_lines(["*XPASS(strict)*"])


def test_malformed_fixture_is_a_collection_error_with_position(pytester):
    pytester.makefile(".facts.yaml", broken="cases:\n  - txt: hello\n")
    result = pytester.runpytest("-p", "no:cacheprovider")
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(["*broken.facts.yaml:2:5: fixture: unknown key 'txt' [[]E011]*"])


def test_custom_fixture_glob(pytester):
    pytester.makeini("[pytest]\nfactkit_fixtures = *.expect.yaml\n")
    pytester.makefile(".yaml", pack=PACK)
    pytester.makefile(".expect.yaml", one=FIXTURE.split("  - id: known-bug")[0])
    result = pytester.runpytest("-p", "no:cacheprovider", "-k", "calm")
    result.assert_outcomes(passed=1)
