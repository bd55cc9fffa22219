"""Plugins for real: distributions pip-installed into a fresh virtual environment.

One environment serves the module (creating it and installing is the slow part). It sees factkit and its
dependencies through --system-site-packages, and pip installs the plugins with --no-deps,
--no-build-isolation and --no-index, so nothing is downloaded. Two distributions go in:

- ``fk-plugin-demo``, written here by hand, registers a pack, a value parser and a fact kind;
- ``factkit-sea-state``, written by ``factkit new``, exactly as created.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from factkit.cli import main
from factkit.scaffold import scaffold

DEMO_FILES = {
    "pyproject.toml": """\
        [build-system]
        requires = ["setuptools>=61"]
        build-backend = "setuptools.build_meta"

        [project]
        name = "fk-plugin-demo"
        version = "1.2.3"

        [project.entry-points."factkit.packs"]
        regnal = "fk_plugin_demo:pack_dir"

        [project.entry-points."factkit.parsers"]
        roman = "fk_plugin_demo:parse_roman"

        [project.entry-points."factkit.kinds"]
        regnal = "fk_plugin_demo:Regnal"

        [tool.setuptools]
        packages = ["fk_plugin_demo"]

        [tool.setuptools.package-data]
        fk_plugin_demo = ["*.yaml"]
        """,
    "fk_plugin_demo/__init__.py": """\
        from pathlib import Path
        from typing import Literal

        from factkit import Fact, ParseError

        ROMAN = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}


        def pack_dir():
            return Path(__file__).parent


        def parse_roman(text, ctx):
            values = [ROMAN[c] for c in text.upper()]
            if not values:
                raise ParseError("empty numeral")
            return sum(-v if i + 1 < len(values) and v < values[i + 1] else v for i, v in enumerate(values))


        class Regnal(Fact):
            kind: Literal["regnal"] = "regnal"
            value: int
            name: str
        """,
    "fk_plugin_demo/pack.yaml": """\
        name: regnal
        version: 1.2.3
        rules:
          - id: monarch
            kind: regnal
            case_sensitive: true
            pattern: '\\b(?P<name>Louis|Henry|George)\\s+(?P<value>[IVXLC]+)\\b'
            fields:
              name: text
              value: roman
            examples:
              - text: Louis XIV
                facts: [{name: Louis, value: 14}]
            must_not_match: [Louis is here]
        """,
}


def _run(cmd: list[str], cwd: Path, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    proc = subprocess.run(cmd, check=False, cwd=cwd, input=stdin, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, f"{cmd} exited {proc.returncode}\n{proc.stdout}\n{proc.stderr}"
    return proc


def _can_build_wheels_offline() -> bool:
    """setuptools builds wheels by itself from 70.1 on; before that it needs the wheel package."""
    import importlib.util

    import setuptools

    version = tuple(int(p) for p in setuptools.__version__.split(".")[:2] if p.isdigit())
    return version >= (70, 1) or importlib.util.find_spec("wheel") is not None


@pytest.fixture(scope="module")
def venv(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    if not _can_build_wheels_offline():
        pytest.fail("building the plugin distributions offline needs setuptools>=70.1 or wheel: "
                    "python -m pip install -e '.[test]'")
    root = tmp_path_factory.mktemp("plugins")
    demo = root / "fk-plugin-demo"
    for rel, body in DEMO_FILES.items():
        (demo / rel).parent.mkdir(parents=True, exist_ok=True)
        (demo / rel).write_text(textwrap.dedent(body), encoding="utf-8")
    project = root / "factkit-sea-state"
    scaffold("sea-state", project)
    env = root / "venv"
    _run([sys.executable, "-m", "venv", "--without-pip", "--system-site-packages", str(env)], root)
    python = env / ("Scripts/python.exe" if sys.platform == "win32" else "bin/python")
    # pip from this interpreter, installing into the new one: the venv needs no pip of its own
    _run([sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps", "--no-build-isolation",
          "--no-index", "--quiet", str(demo), str(project)], root)
    return {"python": python, "root": root, "project": project}


def factkit_in(venv: dict[str, Path], *args: str, stdin: str | None = None) -> str:
    return _run([str(venv["python"]), "-m", "factkit", *args], venv["root"], stdin).stdout


def test_installed_plugins_are_listed_with_origin_rules_and_kinds(venv):
    rows = {r["name"]: r for r in json.loads(factkit_in(venv, "packs", "--format", "json"))}
    assert rows["regnal"] == {**rows["regnal"], "version": "1.2.3", "origin": "fk-plugin-demo", "rules": 1,
                              "kinds": ["regnal"]}
    assert rows["sea-state"]["origin"] == "factkit-sea-state" and rows["sea-state"]["rules"] == 1
    assert rows["core"]["origin"] == "built-in"
    table = factkit_in(venv, "packs")
    assert any(line.split()[:3] == ["regnal", "1.2.3", "fk-plugin-demo"] for line in table.splitlines())


def test_extract_uses_the_plugin_pack_parser_and_kind(venv):
    out = factkit_in(venv, "extract", "--pack", "regnal", stdin="In 1661 Louis XIV took power; George is here.")
    assert [json.loads(line) for line in out.splitlines()] == [
        {"kind": "regnal", "text": "Louis XIV", "start": 8, "end": 17, "rule": "regnal:monarch", "value": 14,
         "name": "Louis"}]


def test_scaffolded_pack_extracts_and_passes_plain_pytest(venv):
    out = factkit_in(venv, "extract", "--pack", "sea-state", stdin="Winds of force 10 and 40 knots.")
    facts = [json.loads(line) for line in out.splitlines()]
    assert [(f["kind"], f["text"], f["value"], f["unit"]) for f in facts] == [
        ("quantity", "force 10", 10, "beaufort")]
    proc = _run([str(venv["python"]), "-m", "pytest", "-p", "no:cacheprovider", "-v"], venv["project"])
    # 2 examples + 2 must_not_match from the pack, 1 fixture case, 2 Python tests
    assert "7 passed" in proc.stdout, proc.stdout
    assert "pack.yaml::sea-state/beaufort-force/example-1 PASSED" in proc.stdout
    assert "sea-state.facts.yaml::gale-warning PASSED" in proc.stdout
    assert "factkit check" in (venv["project"] / "README.md").read_text()


def test_new_writes_a_pack_that_checks_clean(tmp_path, capsys):
    assert main(["new", "naval-speeds", "--dir", str(tmp_path / "p")]) == 0
    out = capsys.readouterr().out
    assert "created" in out and "pip install -e" in out
    pack = tmp_path / "p" / "src" / "factkit_naval_speeds" / "pack.yaml"
    assert pack.read_text().splitlines()[0] == "# yaml-language-server: $schema=../../pack.schema.json"
    assert json.loads((tmp_path / "p" / "pack.schema.json").read_text())["title"] == "factkit rule pack"
    assert main(["check", "--strict", str(pack)]) == 0, capsys.readouterr().out


@pytest.mark.parametrize("name, why", [("Naval", "not a valid pack name"), ("a--b", "not a valid pack name"),
                                       ("ok", "already exists")])
def test_new_refuses_bad_names_and_used_directories(tmp_path, capsys, name, why):
    (tmp_path / "used").mkdir()
    (tmp_path / "used" / "file.txt").write_text("x")
    assert main(["new", name, "--dir", str(tmp_path / "used")]) == 2
    err = capsys.readouterr().err
    assert why in err and "Traceback" not in err
