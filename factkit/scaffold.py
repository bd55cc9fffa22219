"""``factkit new``: a pack distribution that works as created.

The project it writes is an ordinary Python distribution whose only code is one constant: the path of its
``pack.yaml``, registered under the ``factkit.packs`` entry-point group. Installed with pip, the pack is
found by name (``factkit extract --pack NAME``), listed by ``factkit packs``, and its examples, fixture
file and test run under plain ``pytest`` through factkit's pytest plugin.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from .errors import FactkitError
from .pack_schema import NAME, pack_json_schema


class ScaffoldError(FactkitError, ValueError):
    """The pack name is not valid, or the target directory is in use."""


def project_names(name: str) -> dict[str, str]:
    """The names one pack name implies: the distribution's and the import package's."""
    if not re.fullmatch(NAME, name):
        raise ScaffoldError(f"{name!r} is not a valid pack name: lower-case letters, digits and _, words "
                            "joined by single hyphens, starting with a letter (e.g. 'naval-speeds')")
    return {"__NAME__": name, "__DIST__": f"factkit-{name}", "__PACKAGE__": "factkit_" + name.replace("-", "_")}


def scaffold(name: str, directory: str | Path | None = None) -> list[Path]:
    """Write a new pack distribution into ``directory`` (default ``./factkit-NAME``); return the files."""
    names = project_names(name)
    root = Path(directory) if directory is not None else Path(names["__DIST__"])
    if root.exists() and (not root.is_dir() or any(root.iterdir())):
        raise ScaffoldError(f"{str(root)!r} already exists and is not an empty directory")
    files = {
        "pyproject.toml": PYPROJECT,
        "README.md": README,
        f"src/{names['__PACKAGE__']}/__init__.py": INIT,
        f"src/{names['__PACKAGE__']}/pack.yaml": PACK,
        f"tests/{name}.facts.yaml": FIXTURE,
        f"tests/test_{names['__PACKAGE__'][len('factkit_'):]}.py": TEST,
        "pack.schema.json": json.dumps(pack_json_schema(), indent=2) + "\n",
    }
    written = []
    for rel, template in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        text = template
        for key, value in names.items():
            text = text.replace(key, value)
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written


PYPROJECT = '''\
[build-system]
requires = ["setuptools>=61"]
build-backend = "setuptools.build_meta"

[project]
name = "__DIST__"
version = "0.1.0"
description = "The __NAME__ rule pack for factkit."
readme = "README.md"
requires-python = ">=3.10"
dependencies = ["factkit>=0.1"]

[project.optional-dependencies]
test = ["pytest>=7.4"]

# factkit finds the pack by this name: `factkit extract --pack __NAME__`.
[project.entry-points."factkit.packs"]
__NAME__ = "__PACKAGE__:PACK_FILE"

[tool.setuptools.packages.find]
where = ["src"]

[tool.setuptools.package-data]
__PACKAGE__ = ["*.yaml"]

[tool.pytest.ini_options]
# factkit's pytest plugin runs the pack's examples (src) and the fixture files (tests).
testpaths = ["tests", "src"]
factkit_packs = ["__NAME__"]
'''

README = '''\
# __DIST__

The `__NAME__` rule pack for factkit: YAML rules that turn text into typed facts.

## Develop

    python -m pip install -e '.[test]'
    python -m pytest                 # the pack's examples, tests/__NAME__.facts.yaml and tests/*.py
    factkit check __NAME__           # validation, lint warnings and examples, as file:line:col lines
    factkit extract --pack __NAME__ --format table some.txt
    factkit explain --pack __NAME__ "a force 9 gale"

Rules live in `src/__PACKAGE__/pack.yaml`, each with `examples` (texts it must handle, with the facts
expected) and `must_not_match` (texts it must leave alone). `pack.schema.json` lets editors check the
file as you type (regenerate it with `factkit schema > pack.schema.json` after upgrading factkit).

## Publish

Build and upload like any Python distribution; once installed, factkit finds the pack by name through
the `factkit.packs` entry point in `pyproject.toml`.
'''

INIT = '''\
"""The __NAME__ rule pack for factkit, registered through the ``factkit.packs`` entry point."""

from pathlib import Path

PACK_FILE = Path(__file__).with_name("pack.yaml")
'''

PACK = '''\
# yaml-language-server: $schema=../../pack.schema.json
name: __NAME__
version: 0.1.0
description: Wind strength on the Beaufort scale ("force 8").
reference_date: 2019-03-31

macros:
  # 0 to 12, and not the start of a longer number.
  beaufort_number: '(?:1[0-2]|[0-9])(?![\\d.,]\\d)'

rules:
  - id: beaufort-force
    kind: quantity
    description: force <0-12>, as in weather and sea reports.
    pattern: '\\bforce\\s+(?P<value>{beaufort_number})\\b'
    fields:
      value: number
      unit: {const: beaufort}
    examples:
      - text: force 8
        facts: [{value: 8, unit: beaufort}]
      - text: "Winds reached Force 11 overnight."
        facts: [{text: Force 11, value: 11, unit: beaufort}]
    must_not_match:
      - a force of 8 police officers
      - the force 100 strong
'''

FIXTURE = '''\
# Texts and every fact expected from them (mode exact: an unexpected fact fails the case). The packs
# default to `factkit_packs` in pyproject.toml.
reference_date: 2019-03-31
cases:
  - id: gale-warning
    text: "Gale warning: south-westerly force 7, rising to force 9 by evening."
    facts:
      - {kind: quantity, text: force 7, value: 7, unit: beaufort}
      - {kind: quantity, text: force 9, value: 9, unit: beaufort}
'''

TEST = '''\
"""The pack as its users get it: installed, found by name, extracting facts."""

import factkit
from factkit.registry import default as registry


def test_the_installed_pack_is_found_by_name():
    assert registry.pack_source("__NAME__").origin == "__DIST__"  # the factkit.packs entry point
    assert factkit.load_pack("__NAME__").name == "__NAME__"


def test_it_extracts_beaufort_forces():
    facts = factkit.extract("A force 9 gale closed the port.", packs=["__NAME__"])
    assert [(f.kind, f.text, f.value, f.unit) for f in facts] == [("quantity", "force 9", 9, "beaufort")]
'''
