"""pytest plugin: fixture files and pack examples become test items.

Installed with factkit through the ``pytest11`` entry point. It collects

- fixture files matching ``factkit_fixtures`` (default ``*.facts.yaml``), one item per case;
- pack files matching ``factkit_pack_files`` (default ``pack.yaml``), one item per inline example and
  must_not_match text, named ``pack/rule/example-N``;
- packs named in ``factkit_packs`` that live outside the tests' directories (installed plugins).

Each item reports at its real file and line; a failure shows the text with the extracted spans marked and
a table of missing, unexpected and wrong facts. ``--factkit-mode`` and ``--factkit-reference-date`` set
the defaults for fixtures that do not say.
"""

from __future__ import annotations

import datetime as dt
from fnmatch import fnmatch
from pathlib import Path
from typing import Any, Iterator

import pytest

from .cases import Case, fixture_cases, pack_cases
from .errors import FactkitError
from .extractor import Extractor
from .pack_loader import load_pack

_EXTRACTORS: dict[Any, Extractor] = {}


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("factkit")
    group.addoption("--factkit-mode", choices=["exact", "subset"], default=None,
                    help="exact: facts nobody expected fail a fixture case; subset: they do not")
    group.addoption("--factkit-reference-date", default=None,
                    help="reference date (YYYY-MM-DD) for fixtures that name none")
    parser.addini("factkit_fixtures", "glob of fixture file names", default="*.facts.yaml")
    parser.addini("factkit_pack_files", "glob of pack file names whose examples are collected",
                  default="pack.yaml")
    parser.addini("factkit_packs", "packs whose examples are collected and that fixtures use by default",
                  type="args", default=[])


def pytest_collect_file(file_path: Path, parent: pytest.Collector) -> pytest.Collector | None:
    config = parent.config
    if fnmatch(file_path.name, config.getini("factkit_fixtures")):
        return FixtureFile.from_parent(parent, path=file_path)
    if fnmatch(file_path.name, config.getini("factkit_pack_files")):
        return PackFile.from_parent(parent, path=file_path)
    return None


def pytest_collection_modifyitems(session: pytest.Session, config: pytest.Config, items: list[Any]) -> None:
    """Add the examples of declared packs that ordinary collection did not reach (installed packs)."""
    if config.args_source == pytest.Config.ArgsSource.ARGS:
        return  # the user chose what to run
    seen = {i.case.extra.get("pack") for i in items if isinstance(i, CaseItem)}
    for name in config.getini("factkit_packs"):
        if name in seen:
            continue
        try:
            pack = load_pack(name)
        except FactkitError as exc:  # a misspelt or broken pack must not pass as "no examples"
            items.append(DeclaredPackItem.from_parent(session, name=f"factkit_packs/{name}", error=exc))
            continue
        if pack.path is not None and pack.name not in seen:
            seen.add(pack.name)
            collector = PackFile.from_parent(session, path=pack.path, nodeid=f"factkit_packs/{pack.name}")
            items.extend(collector.collect())


class FactkitFailure(Exception):
    def __init__(self, case: Case, report: str):
        self.case = case
        self.report = report


class _CaseCollector(pytest.File):
    def _items(self, cases: list[Case]) -> Iterator["CaseItem"]:
        for case in cases:
            item = CaseItem.from_parent(self, name=case.id, case=case)
            if case.xfail:
                item.add_marker(pytest.mark.xfail(reason=case.xfail, strict=True, raises=FactkitFailure))
            yield item


class FixtureFile(_CaseCollector):
    def collect(self) -> Iterator["CaseItem"]:
        config = self.config
        ref = config.getoption("factkit_reference_date")
        try:
            cases = fixture_cases(self.path, default_packs=config.getini("factkit_packs") or None,
                                  default_reference_date=dt.date.fromisoformat(ref) if ref else None,
                                  default_mode=config.getoption("factkit_mode"))
        except FactkitError as exc:
            raise self.CollectError(str(exc)) from None
        yield from self._items(cases)


class PackFile(_CaseCollector):
    def collect(self) -> Iterator["CaseItem"]:
        try:
            pack = load_pack(self.path)
        except FactkitError as exc:
            raise self.CollectError(str(exc)) from None
        yield from self._items(pack_cases(pack))


class CaseItem(pytest.Item):
    def __init__(self, *, case: Case, **kwargs: Any):
        super().__init__(**kwargs)
        self.case = case

    def runtest(self) -> None:
        result = self.case.run(_EXTRACTORS)
        if not result.ok:
            raise FactkitFailure(self.case, result.report())

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException], style: Any = None) -> Any:
        if isinstance(excinfo.value, FactkitFailure):
            return f"{self.case.file}:{self.case.line}:{self.case.col}: {self.case.id}\n{excinfo.value.report}"
        if isinstance(excinfo.value, FactkitError):
            return f"{self.case.file}:{self.case.line}:{self.case.col}: {self.case.id}\n{excinfo.value}"
        return super().repr_failure(excinfo)

    def reportinfo(self) -> tuple[Path, int, str]:
        return Path(self.case.file), self.case.line - 1, self.case.id


class DeclaredPackItem(pytest.Item):
    """A pack named in ``factkit_packs`` that could not be loaded: one failing item saying why."""

    def __init__(self, *, error: FactkitError, **kwargs: Any):
        super().__init__(**kwargs)
        self.error = error

    def runtest(self) -> None:
        raise self.error

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException], style: Any = None) -> Any:
        return f"{self.name}: {self.error}"

    def reportinfo(self) -> tuple[Path, int, str]:
        return Path(str(self.config.inipath or self.config.rootpath)), 0, self.name
