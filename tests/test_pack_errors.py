"""Every way a pack can be wrong, and the exact position and code it is reported with.

The table is the specification: each row is a broken pack and the (line, column, code) of every problem
factkit must report for it, all at once.
"""

import pytest

import factkit
from factkit.errors import PackError, PackNotFoundError

BROKEN = [
    ("duplicate key",
     "name: p\nrules: []\nrules: []\n", [(3, 1, "E002")]),
    ("invalid yaml",
     "name: p\nrules: [\n", [(3, 1, "E001")]),
    ("python tag",
     "name: !!python/object/apply:os.system ['echo hi']\n", [(1, 7, "E003")]),
    ("misspelt key in a rule",
     "name: p\nrules:\n  - id: r\n    kind: number\n    patern: '\\d+'\n", [(5, 5, "E011")]),
    ("unknown top-level key and bad name",
     "name: Bad Name\nrulez: []\n", [(1, 7, "E013"), (2, 1, "E011")]),
    ("missing id",
     "name: p\nrules:\n  - kind: number\n    pattern: 'x'\n", [(3, 5, "E012")]),
    ("bad regex",
     "name: p\nrules:\n  - id: r\n    kind: number\n    pattern: '(\\d+'\n", [(5, 14, "E042")]),
    ("unknown macro",
     "name: p\nrules:\n  - id: r\n    kind: number\n    pattern: '{nope}'\n", [(5, 14, "E031")]),
    ("macro cycle",
     "name: p\nmacros:\n  a: '{b}'\n  b: '{a}'\nrules: []\n", [(4, 6, "E032")]),
    ("unknown parser",
     "name: p\nrules:\n  - id: r\n    kind: number\n    pattern: '(?P<value>\\d+)'\n    fields: {value: nmbr}\n",
     [(6, 14, "E046")]),
    ("unknown kind",
     "name: p\nrules:\n  - id: r\n    kind: nmber\n    pattern: '\\d+'\n", [(4, 11, "E040")]),
    ("field the kind lacks",
     "name: p\nrules:\n  - id: r\n    kind: number\n    pattern: '(?P<unit>\\d+)'\n    fields: {unit: text}\n",
     [(6, 14, "E044")]),
    ("capture that does not exist",
     "name: p\nrules:\n  - id: r\n    kind: number\n    pattern: '\\d+'\n    fields: {value: number}\n",
     [(6, 14, "E045")]),
    ("duplicate rule id",
     "name: p\nrules:\n  - {id: r, kind: number, pattern: '1'}\n  - {id: r, kind: number, pattern: '2'}\n",
     [(4, 5, "E014")]),
    ("pattern matching nothing at all",
     "name: p\nrules:\n  - {id: r, kind: number, pattern: 'x*'}\n", [(3, 36, "E043")]),
    ("gazetteer file outside the pack",
     "name: p\ngazetteers:\n  g: {file: ../../etc/passwd}\nrules: []\n", [(3, 3, "E020")]),
    ("requirement that does not exist",
     "name: p\nrequires: [no-such-pack]\nrules: []\n", [(2, 12, "E022")]),
    ("several problems at once",
     "name: p\nrules:\n  - {id: a, kind: number, pattern: '{x}'}\n  - {id: b, kind: nope, pattern: '1'}\n"
     "  - {id: c, kind: number, pattern: '('}\n",
     [(3, 36, "E031"), (4, 19, "E040"), (5, 36, "E042")]),
]


@pytest.mark.parametrize("text, expected", [(t, e) for _, t, e in BROKEN], ids=[n for n, _, _ in BROKEN])
def test_broken_pack_reports_every_problem_with_its_position(write_pack, text, expected):
    path = write_pack(text)
    with pytest.raises(PackError) as info:
        factkit.load_pack(path)
    got = sorted((p.line, p.col, p.code) for p in info.value.problems)
    assert got == sorted(expected), str(info.value)
    for problem in info.value.problems:
        assert str(problem).startswith(f"{path}:{problem.line}:{problem.col}:")
        assert f"[{problem.code}]" in str(problem)


def test_pack_error_is_a_value_error_and_lists_problems_in_its_message(write_pack):
    path = write_pack("name: p\nrules:\n  - {id: a, kind: number, pattern: '{x}'}\n")
    with pytest.raises(ValueError, match=r"pack\.yaml:3:\d+: rule a: unknown macro or gazetteer \{x\}"):
        factkit.load_pack(path)


def test_billion_laughs_is_refused_quickly(write_pack):
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(1, 10):
        prev, cur = chr(96 + i), chr(97 + i)
        lines.append(f"{cur}: &{cur} [" + ",".join([f"*{prev}"] * 9) + "]")
    path = write_pack("\n".join(lines) + "\n")
    with pytest.raises(PackError) as info:
        factkit.load_pack(path)
    assert info.value.problems[0].code == "E004"


def test_missing_pack_by_name_and_by_path(tmp_path):
    with pytest.raises(PackNotFoundError, match="no pack named 'nonexistent'"):
        factkit.load_pack("nonexistent")
    with pytest.raises(LookupError):
        factkit.load_pack(tmp_path / "missing.yaml")


def test_requirement_cycle_is_reported(tmp_path):
    (tmp_path / "a.yaml").write_text("name: a\nrequires: [./b.yaml]\n")
    (tmp_path / "b.yaml").write_text("name: b\nrequires: [./a.yaml]\n")
    with pytest.raises(PackError) as info:
        factkit.load_pack(tmp_path / "a.yaml")
    assert [p.code for p in info.value.problems] == ["E021"]
    assert "requirement cycle: a -> b -> a" in str(info.value)


def test_not_utf8_pack(write_pack, tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_bytes(b"name: p\n\xff\xfe\n")
    with pytest.raises(PackError) as info:
        factkit.load_pack(path)
    assert (info.value.problems[0].line, info.value.problems[0].code) == (2, "E005")


def test_a_path_requirement_is_read_from_the_pack_directory_and_may_not_leave_it(tmp_path, monkeypatch):
    inner = tmp_path / "packs"
    inner.mkdir()
    (inner / "base.yaml").write_text("name: base\nmacros:\n  kn: 'knots?'\n")
    (inner / "speed.yaml").write_text("name: speed\nrequires: [./base.yaml]\nrules:\n  - id: s\n    kind: number\n"
                                      "    pattern: '(?P<value>\\d+) {base.kn}'\n    fields: {value: number}\n")
    monkeypatch.chdir(tmp_path)  # not the packs' directory: the requirement must not depend on it
    facts = factkit.Extractor([inner / "speed.yaml"]).extract("at 12 knots")
    assert [f.value for f in facts] == [12]
    (tmp_path / "outside.yaml").write_text("name: outside\n")
    (inner / "escape.yaml").write_text("name: escape\nrequires: [../outside.yaml]\n")
    with pytest.raises(PackError) as info:
        factkit.load_pack(inner / "escape.yaml")
    assert [p.code for p in info.value.problems] == ["E020"]
