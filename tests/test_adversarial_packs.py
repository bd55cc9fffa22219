"""Packs written by someone else: they may try to hang the loader, read files they should not, run code
or slip a catastrophically backtracking pattern past it. Each is refused with a positioned problem and a
code, never a traceback, a hang or a crash. (How long the refusals take is measured by
tests/benchmarks/adversarial.py, not here.)
"""

import os

import pytest
import regex

from factkit.errors import PackError
from factkit.lint import backtracking_risks
from factkit.pack_loader import load_pack

RULE = "name: p\nrules:\n  - id: r\n    kind: number\n    pattern: '{pattern}'\n"


def codes(exc: PackError) -> list[str]:
    return [p.code for p in exc.problems]


# -- catastrophic backtracking ------------------------------------------------------------------------------

RISKY = [
    ("nested repeat", r"(?:\w+\s?)+x", r"\w++"),
    ("nested repeat of a capture", r"(a+)+b", "a++"),
    ("nested repeat with an optional separator", r"(?:\d+,?)+;", r"\d++"),
    ("adjacent overlapping repeats", r"\d+\d+x", r"\d++"),
    ("adjacent repeats with an optional item between", r"x\s*,?\s*y", r"\s*+"),
    ("adjacent repeats of overlapping classes", r"\w+\d+!", r"\w++"),
    ("repeated alternation of overlapping characters", r"(?:\w|\d)+!", r"(?>\w|\d)+"),
]


@pytest.mark.parametrize("pattern, rewrite", [(p, r) for _, p, r in RISKY], ids=[n for n, _, _ in RISKY])
def test_a_catastrophic_pattern_is_refused_with_a_rewrite(write_pack, pattern, rewrite):
    with pytest.raises(PackError) as info:
        load_pack(write_pack(RULE.format(pattern=pattern)))
    problem = info.value.problems[0]
    assert problem.code == "E047"
    assert (problem.line, problem.col) == (5, 14)
    assert rewrite in problem.message  # the suggestion names the possessive or atomic form


@pytest.mark.parametrize("pattern", [p for _, p, _ in RISKY], ids=[n for n, _, _ in RISKY])
def test_allow_backtracking_opts_out(write_pack, pattern):
    pack = load_pack(write_pack(RULE.format(pattern=pattern) + "    allow_backtracking: true\n"))
    assert len(pack.compiled.rules) == 1


SAFE = [
    r"\d{1,3}(?:,\d{3})+(?:\.\d+)?",  # each pass starts with a comma the previous one cannot take
    r"(?:\s+\w+)+",  # a pass ends with \w+, the next begins with \s
    r"\d+(?:\.\d+)*",  # the group begins with a dot \d+ cannot take
    r"(?:\w++\s?)*",  # possessive: gives nothing back
    r"(?>\w+\s?)*",  # atomic
    r"\d++\d+",
    r"[\s-]+(?:(?!(?:of|and)\b)\p{L}[\p{L}-]*\s+){0,2}",
    r"(?:abc|abd)+",
]


@pytest.mark.parametrize("pattern", SAFE)
def test_patterns_without_ambiguity_pass_the_lint(pattern):
    assert backtracking_risks(pattern, regex.IGNORECASE) == []


@pytest.mark.parametrize("rewrite", [r"(?:\w++\s?)+x", r"(a++)+b", r"\d++\d+x", r"(?>\w|\d)+!"])
def test_the_suggested_rewrites_pass(rewrite):
    assert backtracking_risks(rewrite) == []


def test_builtin_packs_pass_the_lint():
    for name in ("core", "dates", "military"):
        pack = load_pack(name)
        for rule in pack.compiled.rules:
            assert backtracking_risks(rule.source, rule.regex.flags) == [], rule.name


def test_the_lint_sees_through_macros(write_pack):
    text = "name: p\nmacros:\n  word: '\\w+'\nrules:\n  - id: r\n    kind: number\n    pattern: '(?:{word}\\s?)+x'\n"
    with pytest.raises(PackError) as info:
        load_pack(write_pack(text))
    assert codes(info.value) == ["E047"]


# -- YAML bombs and tags ------------------------------------------------------------------------------------

def billion_laughs(levels: int = 9, width: int = 9) -> str:
    lines = ["name: p", "a0: &a0 [" + ", ".join(["lol"] * width) + "]"]
    for i in range(1, levels):
        lines.append(f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * width) + "]")
    return "\n".join(lines) + "\n"


def test_billion_laughs_is_refused(write_pack):
    with pytest.raises(PackError) as info:
        load_pack(write_pack(billion_laughs()))
    assert codes(info.value) == ["E004"]
    assert "expands to more than" in info.value.problems[0].message


@pytest.mark.parametrize("opener, closer", [("[", "]"), ("{a: ", "}")])
def test_deep_nesting_is_refused_not_a_crash(write_pack, opener, closer):
    depth = 200_000  # libyaml's composer recurses in C and would crash the interpreter
    with pytest.raises(PackError) as info:
        load_pack(write_pack("name: p\nx: " + opener * depth + closer * depth + "\n"))
    assert codes(info.value) == ["E004"]


def test_deep_block_nesting_is_refused(write_pack):
    text = "name: p\nx:\n" + "".join(" " * (i + 1) + f"k{i}:\n" for i in range(100)) + " " * 101 + "v\n"
    with pytest.raises(PackError) as info:
        load_pack(write_pack(text))
    assert codes(info.value) == ["E004"]


@pytest.mark.parametrize("tag", ["!!python/object/apply:os.system ['true']", "!!python/name:os.system",
                                 "!!binary aGVsbG8=", "!custom x"])
def test_only_plain_data_tags_are_allowed(write_pack, tag):
    with pytest.raises(PackError) as info:
        load_pack(write_pack(f"name: p\ndescription: {tag}\n"))
    assert "E003" in codes(info.value)


# -- macro bombs --------------------------------------------------------------------------------------------

def test_a_doubling_macro_chain_is_refused_before_it_is_expanded(write_pack):
    lines = ["name: p", "macros:", "  m0: 'ab'"] + [f"  m{i}: '{{m{i - 1}}}{{m{i - 1}}}'" for i in range(1, 40)]
    lines += ["rules:", "  - id: r", "    kind: number", "    pattern: '{m39}'"]
    with pytest.raises(PackError) as info:  # 2**40 characters if expanded
        load_pack(write_pack("\n".join(lines) + "\n"))
    assert set(codes(info.value)) == {"E048"}
    assert any(p.where == "rule r" for p in info.value.problems)


def test_a_very_deep_macro_chain_is_refused(write_pack):
    lines = ["name: p", "macros:", "  m0: 'ab'"] + [f"  m{i}: 'x{{m{i - 1}}}'" for i in range(1, 3000)]
    lines += ["rules:", "  - id: r", "    kind: number", "    pattern: '{m2999}'"]
    with pytest.raises(PackError) as info:
        load_pack(write_pack("\n".join(lines) + "\n"))
    assert set(codes(info.value)) == {"E048"}


# -- size limits --------------------------------------------------------------------------------------------

def test_an_overlong_pattern_is_refused(write_pack):
    with pytest.raises(PackError) as info:
        load_pack(write_pack(RULE.format(pattern="a" * 20_001)))
    assert codes(info.value) == ["E013"]
    assert "20000" in info.value.problems[0].message


def test_an_oversized_pack_file_is_refused(write_pack, monkeypatch):
    import factkit.pack_loader as loader

    monkeypatch.setattr(loader, "MAX_PACK_BYTES", 1000)
    with pytest.raises(PackError) as info:
        load_pack(write_pack("name: p\ndescription: '" + "x" * 2000 + "'\n"))
    assert codes(info.value) == ["E004"]


# -- files outside the pack ---------------------------------------------------------------------------------

def test_include_cannot_leave_the_pack_directory(tmp_path):
    (tmp_path / "secret.yaml").write_text("rules: []\n")
    pack_dir = tmp_path / "pack"
    pack_dir.mkdir()
    (pack_dir / "pack.yaml").write_text(f"name: p\ninclude: [../secret.yaml, {tmp_path / 'secret.yaml'}]\n")
    with pytest.raises(PackError) as info:
        load_pack(pack_dir)
    assert codes(info.value) == ["E020", "E020"]


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="needs symbolic links")
@pytest.mark.parametrize("key", ["include", "gazetteer"])
def test_a_symlink_out_of_the_pack_directory_is_refused(tmp_path, key):
    outside = tmp_path / "outside.yaml"
    outside.write_text("rules: []\n" if key == "include" else "- {name: secret}\n")
    pack_dir = tmp_path / "pack"
    pack_dir.mkdir()
    (pack_dir / "link.yaml").symlink_to(outside)
    body = "include: [link.yaml]\n" if key == "include" else "gazetteers:\n  g: {file: link.yaml}\n"
    (pack_dir / "pack.yaml").write_text("name: p\n" + body)
    with pytest.raises(PackError) as info:
        load_pack(pack_dir)
    assert codes(info.value) == ["E020"]


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="needs symbolic links")
def test_a_symlink_inside_the_pack_directory_is_fine(tmp_path):
    pack_dir = tmp_path / "pack"
    (pack_dir / "data").mkdir(parents=True)
    (pack_dir / "data" / "g.yaml").write_text("- {name: widget}\n")
    (pack_dir / "g.yaml").symlink_to(pack_dir / "data" / "g.yaml")
    (pack_dir / "pack.yaml").write_text("name: p\ngazetteers:\n  g: {file: g.yaml}\n"
                                        "rules:\n  - {id: r, kind: entity, gazetteer: g}\n")
    assert load_pack(pack_dir).gazetteer_entries["g"][0].name == "widget"


# -- code execution -----------------------------------------------------------------------------------------

@pytest.mark.parametrize("parser", ["os.system", "builtins:eval", "__import__", "factkit.pack_loader:load_pack"])
def test_a_parser_comes_only_from_the_registry(write_pack, parser):
    text = RULE.format(pattern=r"(?P<value>\d+)") + f"    fields: {{value: '{parser}'}}\n"
    with pytest.raises(PackError) as info:
        load_pack(write_pack(text))
    assert codes(info.value) == ["E046"]


def test_too_many_nodes_without_aliases_is_refused_while_parsing(write_pack, monkeypatch):
    from factkit import yaml_source

    monkeypatch.setattr(yaml_source, "MAX_NODES", 50)
    with pytest.raises(PackError) as info:
        load_pack(write_pack("name: p\nmacros:\n" + "".join(f"  m{i}: x\n" for i in range(30))))
    assert codes(info.value) == ["E004"]
    assert "more than 50 nodes" in info.value.problems[0].message
    assert info.value.problems[0].line == 25  # the 51st node (m22's value), not the end of the file
