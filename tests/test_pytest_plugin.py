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
        "*pack.yaml:13:9: tiny/knots/example-2",
        "text: at [30 knots]{quantity}",
        "*fact*expected*got",
        "*wrong*quantity '30 knots' @3*value=31*value=30",
    ])
    result.stdout.fnmatch_lines(["*unexpected*quantity '6 knots' @12*value=6, unit='knot'"])


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


OUTSIDE = """\
name: outer
rules:
  - id: hashtag
    kind: entity
    pattern: '#(?P<value>\\w+)'
    fields: {value: text}
    examples:
      - text: "#calm"
        facts: [{value: calm}]
    must_not_match: ["a # alone"]
"""


def test_declared_packs_installed_outside_the_tree_have_their_examples_collected(pytester, monkeypatch,
                                                                                 tmp_path_factory):
    from factkit.registry import default

    elsewhere = tmp_path_factory.mktemp("site-packages") / "outer"
    elsewhere.mkdir()
    (elsewhere / "pack.yaml").write_text(OUTSIDE, encoding="utf-8")
    monkeypatch.setattr(default, "_packs", {})  # as if a plugin distribution provided it
    default.register_pack(elsewhere)
    pytester.makeini("[pytest]\nfactkit_packs = outer\n")
    pytester.makefile(".facts.yaml", tags="cases:\n  - text: 'see #storm'\n    facts: [{kind: entity, value: storm}]\n")
    result = pytester.runpytest("-p", "no:cacheprovider", "-v")
    result.assert_outcomes(passed=3)
    result.stdout.fnmatch_lines(["tags.facts.yaml::tags-1 PASSED*",
                                 "factkit_packs/outer::outer/hashtag/example-1 PASSED*",
                                 "factkit_packs/outer::outer/hashtag/must-not-match-1 PASSED*"])
    # chosen paths on the command line are what runs: no declared packs are added
    result = pytester.runpytest("-p", "no:cacheprovider", "tags.facts.yaml")
    result.assert_outcomes(passed=1)


def test_declared_pack_in_the_tree_is_collected_once(pytester):
    pytester.makeini("[pytest]\nfactkit_packs = tiny\n")
    pytester.makefile(".yaml", pack=PACK.replace("value: 31", "value: 30"))
    result = pytester.runpytest("-p", "no:cacheprovider")
    result.assert_outcomes(passed=3)


def test_a_declared_pack_that_cannot_be_loaded_fails_loudly(pytester):
    pytester.makeini("[pytest]\nfactkit_packs = no-such-pack\n")
    pytester.makepyfile(test_nothing="def test_ok():\n    pass\n")
    result = pytester.runpytest("-p", "no:cacheprovider")
    result.assert_outcomes(passed=1, failed=1)
    result.stdout.fnmatch_lines(["*factkit_packs/no-such-pack: no pack named 'no-such-pack'*"])


def test_broken_pack_file_is_a_collection_error_listing_every_problem(pytester):
    pytester.makefile(".yaml", pack="name: p\nrules:\n  - {id: a, kind: number, pattern: '{x}'}\n"
                                    "  - {id: b, kind: nmber, pattern: '1'}\n")
    result = pytester.runpytest("-p", "no:cacheprovider")
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(["*pack.yaml:3:36: rule a: unknown macro or gazetteer {x} [[]E031]*",
                                 "*pack.yaml:4:19: rule b: unknown fact kind 'nmber'*[[]E040]*"])


def test_failure_report_is_one_table_of_missing_unexpected_and_wrong_facts(write_pack):
    from factkit import Extractor
    from factkit.testing import compare

    pack = write_pack("name: km\nrules:\n  - id: km\n    kind: quantity\n    pattern: '(?P<value>\\d+) (?P<unit>km)'\n"
                      "    fields: {value: number, unit: text}\n")
    text = "5 km, 7 km and 9 km"
    facts = Extractor([pack]).extract(text)
    expected = [{"kind": "quantity", "text": "5 km", "value": 6}, {"kind": "quantity", "text": "8 km"},
                {"kind": "quantity", "text": "7 km", "unit": "km"}]
    report = compare(text, facts, expected, mode="exact").report().splitlines()
    assert report[0] == "text: [5 km]{quantity}, [7 km]{quantity} and [9 km]{quantity}"
    assert [line.split()[0] for line in report[1:]] == ["fact", "missing", "unexpected", "wrong"]
    assert report[2].split() == ["missing", "quantity", "'8", "km'"]
    assert report[3].split()[:4] == ["unexpected", "quantity", "'9", "km'"] and "value=9" in report[3]
    assert report[4].split() == ["wrong", "quantity", "'5", "km'", "@0", "value=6", "value=5"]
