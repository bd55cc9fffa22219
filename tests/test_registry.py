"""The registry in-process, with fake entry points: lazy loading, broken plugins, names claimed twice, and
registration from code. (tests/test_scaffold.py installs real plugin distributions into a venv.)"""

from __future__ import annotations

import importlib.metadata
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Literal

import pytest

import factkit
from factkit import Extractor, Fact, PluginError, fact_adapter, load_pack
from factkit.cli import main
from factkit.registry import Registry

PACK = """\
name: {name}
rules:
  - id: shout
    kind: {kind}
    pattern: '(?P<value>[A-Z]{{3,}})'
    case_sensitive: true
    fields: {{value: {parser}}}
"""


@dataclass
class FakeDist:
    name: str


@dataclass
class FakeEntryPoint:
    """What the registry reads from importlib.metadata: name, group, value, dist and load()."""

    name: str
    group: str
    dist: FakeDist
    target: Callable[[], Any]
    value: str = "plugin_module:obj"
    loads: int = 0

    def load(self) -> Any:
        self.loads += 1
        return self.target()


@pytest.fixture
def plugins(monkeypatch):
    """Install fake entry points; returns the list to fill and a counter of scans."""
    eps: list[FakeEntryPoint] = []
    scans = []

    def entry_points(*, group: str) -> list[FakeEntryPoint]:
        scans.append(group)
        return [ep for ep in eps if ep.group == group]

    monkeypatch.setattr(importlib.metadata, "entry_points", entry_points)
    return eps, scans


def _fail() -> Any:
    raise ModuleNotFoundError("No module named 'missing_dependency'")


def _pack_dir(tmp_path: Path, name: str, kind: str = "number", parser: str = "number") -> Path:
    d = tmp_path / name
    d.mkdir(exist_ok=True)
    (d / "pack.yaml").write_text(PACK.format(name=name, kind=kind, parser=parser))
    return d


def test_entry_points_are_read_only_when_a_plugin_name_is_needed(plugins, tmp_path):
    eps, scans = plugins
    eps.append(FakeEntryPoint("loud", "factkit.packs", FakeDist("loud-dist"), lambda: _pack_dir(tmp_path, "loud")))
    reg = Registry()
    assert reg.pack_source("core").origin == "built-in" and reg.parser("number") is not None
    assert scans == []  # built-in names never touch importlib.metadata
    sources = {s.name: s for s in reg.pack_sources()}
    assert sources["loud"].origin == "loud-dist" and eps[0].loads == 0  # listed, not loaded
    pack = load_pack("loud", registry=reg)
    assert (pack.name, pack.origin, eps[0].loads) == ("loud", "loud-dist", 1)
    assert len(scans) == 3  # each group scanned once, however often names are asked for
    reg.parser("nope"), reg.kind("nope"), reg.pack_sources()
    assert len(scans) == 3


def test_a_pack_entry_point_may_be_a_path_or_a_callable_returning_one(plugins, tmp_path):
    eps, _ = plugins
    direct = _pack_dir(tmp_path, "direct") / "pack.yaml"
    eps.append(FakeEntryPoint("direct", "factkit.packs", FakeDist("d"), lambda: str(direct)))
    eps.append(FakeEntryPoint("called", "factkit.packs", FakeDist("c"),
                              lambda: (lambda: _pack_dir(tmp_path, "called"))))
    eps.append(FakeEntryPoint("number", "factkit.packs", FakeDist("n"), lambda: 42))
    reg = Registry()
    assert load_pack("direct", registry=reg).path == direct.resolve()
    assert load_pack("called", registry=reg).name == "called"
    with pytest.raises(PluginError, match="pack plugin 'number' from 'n' gave int, expected a path"):
        load_pack("number", registry=reg)


def test_a_broken_plugin_fails_only_when_asked_for_and_names_its_distribution(plugins, tmp_path):
    eps, _ = plugins
    eps.append(FakeEntryPoint("broken", "factkit.packs", FakeDist("factkit-broken"), _fail))
    eps.append(FakeEntryPoint("fine", "factkit.packs", FakeDist("factkit-fine"), lambda: _pack_dir(tmp_path, "fine")))
    reg = Registry()
    Extractor(["core", "fine"], registry=reg)  # the broken plugin costs nothing here
    with pytest.raises(PluginError) as info:
        load_pack("broken", registry=reg)
    message = str(info.value)
    assert "'broken'" in message and "'factkit-broken'" in message and "missing_dependency" in message
    assert isinstance(info.value, ImportError) and isinstance(info.value, factkit.FactkitError)


def test_two_distributions_claiming_one_name_is_an_error_naming_both(plugins, tmp_path):
    eps, _ = plugins
    for dist in ("factkit-alpha", "factkit-beta"):
        eps.append(FakeEntryPoint("twin", "factkit.packs", FakeDist(dist), lambda: _pack_dir(tmp_path, "twin")))
        eps.append(FakeEntryPoint("upper", "factkit.parsers", FakeDist(dist), lambda: lambda text, ctx: text.upper()))
    reg = Registry()
    with pytest.raises(PluginError, match=r"factkit.packs name 'twin' is claimed by several distributions: "
                                          r"factkit-alpha, factkit-beta"):
        load_pack("twin", registry=reg)
    with pytest.raises(PluginError, match=r"'upper' is claimed by several distributions: factkit-alpha, "
                                          r"factkit-beta"):
        reg.parser("upper")
    assert not any(ep.loads for ep in eps)  # neither was imported


def test_plugin_parser_and_kind_are_usable_from_yaml_and_join_the_fact_union(plugins, tmp_path):
    eps, _ = plugins

    class Acronym(Fact):
        kind: Literal["acronym"] = "acronym"
        value: str

    eps.append(FakeEntryPoint("dotted", "factkit.parsers", FakeDist("acro"),
                              lambda: lambda text, ctx: ".".join(text) + "."))
    eps.append(FakeEntryPoint("acronym", "factkit.kinds", FakeDist("acro"), lambda: Acronym))
    reg = Registry()
    path = _pack_dir(tmp_path, "acro", kind="acronym", parser="dotted")
    [fact] = Extractor([path], registry=reg).extract("the NATO summit")
    assert (type(fact), fact.value, fact.rule) == (Acronym, "N.A.T.O.", "acro:shout")
    assert "dotted" in reg.parser_names() and "acronym" in reg.kinds()
    again = fact_adapter(reg.kinds()).validate_json(json.dumps(fact.model_dump(mode="json")))
    assert again == fact


def test_plugins_claiming_builtin_names_are_reported_as_ignored(plugins, tmp_path):
    eps, _ = plugins
    eps.append(FakeEntryPoint("core", "factkit.packs", FakeDist("squatter"), lambda: _pack_dir(tmp_path, "core")))
    eps.append(FakeEntryPoint("number", "factkit.parsers", FakeDist("squatter"), lambda: len))
    reg = Registry()
    assert reg.pack_source("core").origin == "built-in"
    assert reg.conflicts() == [
        "factkit.packs name 'core' from distribution 'squatter' is ignored: built-in already provides it",
        ("factkit.parsers name 'number' from distribution 'squatter' is ignored: factkit or code already "
         "provides it")]


def test_code_registration_with_functions_and_decorators(tmp_path):
    reg = Registry(use_entry_points=False)

    @reg.register_parser("reversed")
    def reverse(text: str, ctx: Any) -> str:
        """The text backwards."""
        return text[::-1]

    @reg.register_kind
    class Shout(Fact):
        kind: Literal["shout"] = "shout"
        value: str

    reg.register_pack(_pack_dir(tmp_path, "mine", kind="shout", parser="reversed"))
    assert reg.parser("reversed").description == "The text backwards."
    assert reg.pack_source("mine").origin == "registered"
    [fact] = Extractor(["mine"], registry=reg).extract("say ABC")
    assert (fact.kind, fact.value) == ("shout", "CBA")
    with pytest.raises(TypeError, match="subclass of factkit.Fact"):
        reg.register_kind(dict)  # type: ignore[arg-type]


def test_factkit_packs_lists_plugins_with_origin_and_marks_broken_ones(plugins, tmp_path, monkeypatch, capsys):
    eps, _ = plugins
    eps.append(FakeEntryPoint("loud", "factkit.packs", FakeDist("loud-dist"), lambda: _pack_dir(tmp_path, "loud")))
    eps.append(FakeEntryPoint("broken", "factkit.packs", FakeDist("broken-dist"), _fail))
    monkeypatch.setattr("factkit.registry.default", Registry())
    assert main(["packs", "--format", "json"]) == 0
    rows = {r["name"]: r for r in json.loads(capsys.readouterr().out)}
    assert (rows["loud"]["origin"], rows["loud"]["rules"], rows["loud"]["kinds"]) == ("loud-dist", 1, ["number"])
    assert rows["broken"]["origin"] == "broken-dist" and "broken-dist" in rows["broken"]["error"]
    assert rows["core"]["origin"] == "built-in"
    assert main(["packs"]) == 0
    table = capsys.readouterr().out.splitlines()
    assert any(line.split()[:4] == ["loud", "0.0.0", "loud-dist", "1"] for line in table)
    assert any(line.startswith("broken") and "ERROR:" in line and "broken-dist" in line for line in table)
