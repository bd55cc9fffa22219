"""Where packs, value parsers and fact kinds come from: built in, registered in code, or from plugins.

Other distributions extend factkit through three entry-point groups:

- ``factkit.packs``: name -> a pack file or directory (a ``str``/``Path``), or a callable returning one;
- ``factkit.parsers``: name -> a function ``(text, ParseContext) -> value`` or a ``ValueParser``;
- ``factkit.kinds``: name -> a :class:`~factkit.facts.Fact` subclass.

Entry points are listed on first use and loaded only when their name is asked for, so a broken plugin
costs nothing until someone needs it, and then raises :class:`~factkit.errors.PluginError` naming the
distribution.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterator, TypeVar

from .errors import PackNotFoundError, PluginError
from .facts import BUILTIN_KINDS, Fact
from .parsers import ParserFunc, ValueParser, builtin_parsers

GROUPS = ("factkit.packs", "factkit.parsers", "factkit.kinds")
PACK_FILE = "pack.yaml"


def builtin_rules_dir() -> Path:
    """The built-in packs: inside the installed package, or ``rules/`` beside it in a source checkout."""
    here = Path(__file__).resolve().parent
    installed = here / "_builtin_rules"
    return installed if installed.is_dir() else here.parent / "rules"


@dataclass(frozen=True)
class PluginRef:
    """A name a plugin claims, not yet loaded."""

    name: str
    group: str
    value: str
    distribution: str
    entry_point: Any = None

    def load(self) -> Any:
        try:
            return self.entry_point.load()
        except Exception as exc:  # any failure inside third-party import code
            raise PluginError(f"plugin {self.name!r} ({self.group}) from distribution {self.distribution!r} "
                              f"failed to load {self.value!r}: {type(exc).__name__}: {exc}") from exc


@dataclass(frozen=True)
class PackSource:
    """Where a pack can be read from, and who provides it."""

    name: str
    origin: str  # "built-in", "registered", or the distribution's name
    path: Path | None = None
    plugin: PluginRef | None = None

    def resolve(self) -> Path:
        if self.path is not None:
            return self.path
        assert self.plugin is not None
        obj = self.plugin.load()
        if callable(obj):
            obj = obj()
        if not isinstance(obj, (str, Path)):
            raise PluginError(f"pack plugin {self.name!r} from {self.plugin.distribution!r} gave "
                              f"{type(obj).__name__}, expected a path to a pack file or directory")
        return Path(obj)


T = TypeVar("T")


class Registry:
    """Packs, parsers and kinds by name. ``factkit.registry.default`` is the one factkit uses."""

    def __init__(self, *, use_entry_points: bool = True):
        self._use_entry_points = use_entry_points
        self._plugins: dict[str, dict[str, PluginRef]] | None = None
        self._conflicts: dict[tuple[str, str], list[str]] = {}
        self._parsers: dict[str, ValueParser] = builtin_parsers()
        self._kinds: dict[str, type[Fact]] = dict(BUILTIN_KINDS)
        self._packs: dict[str, PackSource] = {}
        self._from_plugins: dict[str, set[str]] = {g: set() for g in GROUPS}
        self._lock = threading.Lock()

    # -- plugins -------------------------------------------------------------------------------------------
    def _plugin_refs(self, group: str) -> dict[str, PluginRef]:
        if self._plugins is None:
            with self._lock:
                if self._plugins is None:
                    self._plugins = self._scan_entry_points()
        return self._plugins[group]

    def _scan_entry_points(self) -> dict[str, dict[str, PluginRef]]:
        found: dict[str, dict[str, PluginRef]] = {g: {} for g in GROUPS}
        if not self._use_entry_points:
            return found
        from importlib.metadata import entry_points  # imported here: it is slow and rarely needed

        for group in GROUPS:
            for ep in entry_points(group=group):
                dist = getattr(getattr(ep, "dist", None), "name", None) or "unknown distribution"
                ref = PluginRef(ep.name, group, ep.value, dist, ep)
                other = found[group].get(ep.name)
                if other is not None and other.distribution != dist:
                    self._conflicts.setdefault((group, ep.name), [other.distribution]).append(dist)
                    continue
                found[group][ep.name] = ref
        return found

    def _check_conflict(self, group: str, name: str) -> None:
        self._plugin_refs(group)
        dists = self._conflicts.get((group, name))
        if dists:
            raise PluginError(f"{group} name {name!r} is claimed by several distributions: "
                              + ", ".join(sorted(set(dists))))

    def conflicts(self) -> list[str]:
        """Names claimed twice: by two plugin distributions (asking for the name raises PluginError), or by
        a plugin and by factkit itself or code (the plugin's claim is ignored). Scans every entry point."""
        out = [f"{group} name {name!r} is claimed by several distributions: {', '.join(sorted(set(dists)))}"
               for (group, name), dists in sorted(self._plugin_conflicts().items())]
        taken = {"factkit.packs": {s.name: s.origin for s in [*self._builtin_sources(), *self._packs.values()]},
                 "factkit.parsers": {n: "factkit or code" for n in self._parsers
                                     if n not in self._from_plugins["factkit.parsers"]},
                 "factkit.kinds": {n: "factkit or code" for n in self._kinds
                                   if n not in self._from_plugins["factkit.kinds"]}}
        for group in GROUPS:
            for name, ref in sorted(self._plugin_refs(group).items()):
                if name in taken[group]:
                    out.append(f"{group} name {name!r} from distribution {ref.distribution!r} is ignored: "
                               f"{taken[group][name]} already provides it")
        return out

    def _plugin_conflicts(self) -> dict[tuple[str, str], list[str]]:
        self._plugin_refs(GROUPS[0])
        return self._conflicts

    def _load_plugin(self, group: str, name: str) -> tuple[PluginRef, Any] | None:
        """The object a plugin registers under ``name`` in ``group``, loaded now; None if none does."""
        ref = self._plugin_refs(group).get(name)
        if ref is None:
            return None
        self._check_conflict(group, name)
        return ref, ref.load()

    # -- parsers -------------------------------------------------------------------------------------------
    def register_parser(self, name: str, func: ParserFunc | None = None, *, context_free: bool = True,
                        description: str = "") -> Any:
        """Register a value parser; usable as ``register_parser("name", f)`` or as a decorator."""

        def add(f: ParserFunc) -> ParserFunc:
            self._parsers[name] = f if isinstance(f, ValueParser) else ValueParser(
                name, f, context_free=context_free, description=description or (f.__doc__ or "").strip())
            return f

        return add(func) if func is not None else add

    def parser(self, name: str) -> ValueParser | None:
        if name in self._parsers:
            return self._parsers[name]
        found = self._load_plugin("factkit.parsers", name)
        if found is None:
            return None
        ref, obj = found
        if isinstance(obj, ValueParser):
            parser = obj
        elif callable(obj):
            parser = ValueParser(name, obj, context_free=getattr(obj, "context_free", True))
        else:
            raise PluginError(f"parser plugin {name!r} from {ref.distribution!r} is not callable")
        self._parsers[name] = parser
        self._from_plugins["factkit.parsers"].add(name)
        return parser

    def parser_names(self) -> list[str]:
        return sorted(set(self._parsers) | set(self._plugin_refs("factkit.parsers")))

    # -- kinds ---------------------------------------------------------------------------------------------
    def register_kind(self, cls: type[T]) -> type[T]:
        """Register a Fact subclass (usable as a class decorator); its ``kind`` default is its name."""
        if not (isinstance(cls, type) and issubclass(cls, Fact)):
            raise TypeError("a fact kind must be a subclass of factkit.Fact")
        kind = cls.model_fields["kind"].default
        if not isinstance(kind, str):
            raise TypeError(f"{cls.__name__}.kind needs a default, e.g. kind: Literal['x'] = 'x'")
        self._kinds[kind] = cls
        return cls

    def kind(self, name: str) -> type[Fact] | None:
        if name in self._kinds:
            return self._kinds[name]
        found = self._load_plugin("factkit.kinds", name)
        if found is None:
            return None
        ref, cls = found
        if not (isinstance(cls, type) and issubclass(cls, Fact)):
            raise PluginError(f"kind plugin {name!r} from {ref.distribution!r} is not a factkit.Fact subclass")
        self._kinds[name] = cls
        self._from_plugins["factkit.kinds"].add(name)
        return cls

    def kinds(self) -> dict[str, type[Fact]]:
        for name in list(self._plugin_refs("factkit.kinds")):
            self.kind(name)
        return dict(self._kinds)

    # -- packs ---------------------------------------------------------------------------------------------
    def register_pack(self, path: str | Path, name: str | None = None) -> None:
        """Make a pack file or directory loadable by name."""
        path = Path(path)
        self._packs[name or _pack_name_from_path(path)] = PackSource(name or path.stem, "registered", path)

    def pack_sources(self) -> Iterator[PackSource]:
        """Every pack that can be loaded by name: built-in first, then registered, then plugins."""
        seen = set()
        for source in [*self._builtin_sources(), *self._packs.values(), *self._plugin_pack_sources()]:
            if source.name not in seen:
                seen.add(source.name)
                yield source

    def pack_source(self, name: str) -> PackSource:
        for source in self._builtin_sources():
            if source.name == name:
                return source
        if name in self._packs:
            return self._packs[name]
        ref = self._plugin_refs("factkit.packs").get(name)
        if ref is not None:
            self._check_conflict("factkit.packs", name)
            return PackSource(name, ref.distribution, plugin=ref)
        known = ", ".join(sorted(s.name for s in self.pack_sources())) or "none"
        raise PackNotFoundError(f"no pack named {name!r} (known packs: {known})")

    def _builtin_sources(self) -> list[PackSource]:
        root = builtin_rules_dir()
        if not root.is_dir():
            return []
        return [PackSource(d.name, "built-in", d) for d in sorted(root.iterdir()) if (d / PACK_FILE).is_file()]

    def _plugin_pack_sources(self) -> list[PackSource]:
        return [PackSource(name, ref.distribution, plugin=ref)
                for name, ref in sorted(self._plugin_refs("factkit.packs").items())]


def _pack_name_from_path(path: Path) -> str:
    return path.name if path.is_dir() else (path.parent.name if path.name == PACK_FILE else path.stem)


default = Registry()
register_parser: Callable[..., Any] = default.register_parser
register_kind = default.register_kind
register_pack = default.register_pack


def fact_kinds() -> dict[str, type[Fact]]:
    return default.kinds()


BUILTIN_PACKS = ("core", "dates", "military")
