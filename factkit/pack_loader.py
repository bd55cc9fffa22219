"""Read a pack from YAML into a validated :class:`Pack`, with every problem reported at once.

Loading goes: file -> :class:`~factkit.yaml_source.YamlDocument` (positions) -> :class:`PackSpec` (strict
pydantic) -> :class:`Pack` (includes merged, requirements loaded) -> compiled rules
(:mod:`factkit.compiler`). A pack may only read files inside its own directory.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Union

from pydantic import TypeAdapter, ValidationError

from . import pack_cache
from .errors import InputError, PackError, PackNotFoundError, Problem
from .pack_schema import GazetteerEntry, PackPart, PackSpec
from .regex_cache import gc_paused
from .registry import PACK_FILE, Registry
from .registry import default as default_registry

if TYPE_CHECKING:
    from .yaml_source import YamlDocument

MAX_PACK_BYTES = 20_000_000
MAX_EXPANDED_CHARS = 4_000_000  # one pattern with its macros and gazetteers inlined
MAX_MACRO_CHARS = 1_000_000  # the same, gazetteers counted as one character: what macros alone multiply
MAX_MACRO_DEPTH = 50  # macros inside macros; deeper chains are a bomb, not a grammar


@dataclass(frozen=True)
class Location:
    """Where something was written: 1-based line and column."""

    file: str
    line: int
    col: int


@dataclass(eq=False)
class Pack:
    """A loaded, validated pack. ``compiled`` holds its rules ready to match (see :mod:`factkit.compiler`)."""

    name: str
    version: str
    description: str
    path: Path | None
    origin: str
    spec: PackSpec
    requires: tuple["Pack", ...]
    gazetteer_entries: dict[str, list[GazetteerEntry]]
    locations: dict[tuple[Any, ...], Location] = field(default_factory=dict)
    compiled: Any = None

    def location(self, *key: Any) -> Location:
        for n in range(len(key), 0, -1):
            if key[:n] in self.locations:
                return self.locations[key[:n]]
        return Location(str(self.path or self.name), 1, 1)

    def problem(self, key: tuple[Any, ...], where: str, message: str, code: str,
                severity: str = "error") -> Problem:
        loc = self.location(*key)
        return Problem(loc.file, loc.line, loc.col, where, message, code, severity)

    def closure(self) -> list["Pack"]:
        """This pack and everything it requires, requirements first, each once."""
        out: list[Pack] = []
        seen: set[int] = set()

        def visit(p: Pack) -> None:
            if id(p) in seen:
                return
            seen.add(id(p))
            for r in p.requires:
                visit(r)
            out.append(p)

        visit(self)
        return out

    def __repr__(self) -> str:
        return f"Pack({self.name!r}, version={self.version!r}, rules={len(self.spec.rules)})"


PackRef = Union[str, Path, Pack]
_cache: dict[tuple[Any, ...], Pack] = {}


def load_pack(source: PackRef, *, registry: Registry | None = None) -> Pack:
    """Load a pack by name (built-in, registered or from a plugin) or from a file or directory path.

    Raises :class:`PackError` listing every problem as ``file:line:col: where: what [CODE]``, or
    :class:`PackNotFoundError`.
    """
    if isinstance(source, Pack):
        return source
    with gc_paused():  # reading YAML, unpickling and compiling make objects that all survive
        return _Loader(registry or default_registry).load(source, stack=())


def locate(source: str | Path, *, registry: Registry | None = None) -> tuple[Path, str]:
    """The pack file a name or path stands for, and its origin ("built-in", "path", a distribution...)."""
    return _Loader(registry or default_registry)._locate(source)


def requirement(pack_path: Path, req: str, *, registry: Registry | None = None) -> tuple[Path, str]:
    """The pack file that requirement ``req`` of the pack at ``pack_path`` loads, and its origin."""
    return locate(_requirement(pack_path, req) or req, registry=registry)


class _Loader:
    def __init__(self, registry: Registry):
        self.registry = registry

    def load(self, source: str | Path, stack: tuple[str, ...]) -> Pack:
        path, origin = self._locate(source)
        key = _cache_key(path)
        if key is not None and key in _cache:
            return _cache[key]
        pack = pack_cache.load(path, origin, self.registry)
        if pack is not None and pack.name not in stack:
            pack.requires = tuple(self.load(_requirement(path, r) or r, stack + (pack.name,))
                                  for r in pack.spec.requires)
        else:
            pack = self._load_file(path, origin, stack)
            pack_cache.store(pack, self.registry)
        if key is not None:
            _cache[key] = pack
        return pack

    def _locate(self, source: str | Path) -> tuple[Path, str]:
        if isinstance(source, Path) or _looks_like_path(source):
            path = Path(source)
            if not path.exists():
                raise PackNotFoundError(f"no pack file or directory at {str(path)!r}")
            origin = "path"
        else:
            src = self.registry.pack_source(source)
            path, origin = src.resolve(), src.origin
        if path.is_dir():
            path = path / PACK_FILE
            if not path.is_file():
                raise PackNotFoundError(f"directory {str(path.parent)!r} has no {PACK_FILE}")
        return path.resolve(), origin

    def _load_file(self, path: Path, origin: str, stack: tuple[str, ...]) -> Pack:
        doc = _read_doc(path)
        spec, problems = _validate(doc, PackSpec)
        problems = [_rule_named(doc, p) for p in doc.problems] + problems
        if spec is None:
            raise PackError(_in_order(problems))
        locations: dict[tuple[Any, ...], Location] = {}
        _record_locations(doc, locations)
        parts = [spec]
        for i, name in enumerate(spec.include):
            included = file_inside(path.parent, name)
            if included is None:
                problems.append(doc.problem(("include", i), "include", f"{name!r} is outside the pack's "
                                            "directory or does not exist", "E020"))
                continue
            try:
                idoc = _read_doc(included)
            except PackError as exc:
                problems.extend(exc.problems)
                continue
            part, part_problems = _validate(idoc, PackPart)
            problems.extend([_rule_named(idoc, p) for p in idoc.problems] + part_problems)
            if part is not None:
                parts.append(part)
                _record_locations(idoc, locations)
        merged, merge_problems = _merge(spec, parts, locations, path)
        problems.extend(merge_problems)
        entries: dict[str, list[GazetteerEntry]] = {}
        for gname, gaz in merged.gazetteers.items():
            entries[gname] = list(gaz.entries)
            if gaz.file:
                file_entries, file_problems = _gazetteer_file(path.parent, gaz.file,
                                                              locations.get(("gazetteer", gname)), gname)
                entries[gname] += file_entries
                problems.extend(file_problems)
        if spec.name in stack:
            cycle = " -> ".join([*stack[stack.index(spec.name):], spec.name])
            raise PackError([doc.problem(("requires",), "requires", f"requirement cycle: {cycle}", "E021")])
        requires = []
        for i, req in enumerate(spec.requires):
            target = _requirement(path, req)
            if target is None:
                problems.append(doc.problem(("requires", i), "requires", f"{req!r} is outside the pack's "
                                            "directory or does not exist; require other packs by name",
                                            "E020"))
                continue
            try:
                requires.append(self.load(target, stack + (spec.name,)))
            except PackNotFoundError as exc:
                problems.append(doc.problem(("requires", i), "requires", str(exc), "E022"))
            except PackError as exc:
                if any(p.code == "E021" for p in exc.problems):
                    raise
                problems.append(doc.problem(("requires", i), "requires", f"required pack {req!r} failed to "
                                            f"load ({len(exc.problems)} problems; run factkit check on it)",
                                            "E022"))
        pack = Pack(name=spec.name, version=spec.version, description=spec.description, path=path,
                    origin=origin, spec=merged, requires=tuple(requires), gazetteer_entries=entries,
                    locations=locations)
        if any(p.code in _CASCADING for p in problems):  # compiling would only repeat these in other words
            raise PackError(_in_order(problems))
        oversized = _expansion_problems(pack)
        if oversized:  # expanding them would take minutes and gigabytes before any other check ran
            raise PackError(problems + oversized)
        from .compiler import compile_pack

        try:  # problems so far concern data left out of the pack; report the rest's with them, all at once
            pack.compiled = compile_pack(pack, self.registry)
        except PackError as exc:
            problems.extend(exc.problems)
        if problems:
            raise PackError(_in_order(problems))
        return pack


def _requirement(pack_path: Path, req: str) -> str | Path | None:
    """A required pack: a name as it is, or a path read from the requiring pack's directory, which it
    may not leave (None if it does, or if there is no such file)."""
    if not _looks_like_path(req):
        return req
    base = pack_path.parent
    target = (base / req).resolve()
    if target.is_dir():
        target = target / PACK_FILE
    return file_inside(base, str(target.relative_to(base.resolve()))) if _is_within(target, base) else None


def _is_within(target: Path, base: Path) -> bool:
    try:
        target.relative_to(base.resolve())
    except ValueError:
        return False
    return True


def pack_files(pack: Pack) -> list[Path]:
    """Every file the pack itself was read from (not those of the packs it requires)."""
    return _files_of(pack)


def _files_of(pack: Pack) -> list[Path]:
    """Every file the pack itself was read from (its requirements are checked when they are loaded)."""
    assert pack.path is not None
    base = pack.path.parent
    files = [pack.path]
    files += [p for p in (file_inside(base, name) for name in pack.spec.include) if p is not None]
    files += [p for p in (file_inside(base, g.file) for g in pack.spec.gazetteers.values() if g.file) if p is not None]
    return files


def _looks_like_path(source: str) -> bool:
    return os.sep in source or "/" in source or source.endswith((".yaml", ".yml")) or source.startswith(".")


def _cache_key(path: Path) -> tuple[Any, ...] | None:
    try:
        stat = path.stat()
    except OSError:
        return None
    return (str(path), stat.st_mtime_ns, stat.st_size)


def _read_doc(path: Path) -> YamlDocument:
    try:
        size = path.stat().st_size
        if size > MAX_PACK_BYTES:
            raise PackError([Problem(str(path), 1, 1, "", f"file is {size:,} bytes; the limit is "
                                     f"{MAX_PACK_BYTES:,}", "E004")])
        raw = path.read_bytes()
    except OSError as exc:
        raise PackError([Problem(str(path), 1, 1, "", f"cannot read: {exc.strerror or exc}", "E005")]) from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise PackError([Problem(str(path), line, 1, "", "not valid UTF-8", "E005")]) from None
    # imported here: a pack from the compiled-pack cache needs no YAML
    from .yaml_source import load_yaml

    return load_yaml(text, str(path), keep_going=True)


def _validate(doc: YamlDocument, model: type[Any]) -> tuple[Any, list[Problem]]:
    """The validated model and every problem. A bad rule, macro or gazetteer is reported and left out, so
    the rest can still be validated and compiled and its problems reported in the same run."""
    if not isinstance(doc.data, dict):
        return None, [doc.problem((), "", f"expected a mapping of pack keys, found "
                                  f"{type(doc.data).__name__}", "E010")]
    try:
        return model.model_validate(doc.data), []
    except ValidationError as exc:
        errors = _without_losing_branches(exc.errors())
    problems = [_problem_from_pydantic(doc, err) for err in errors]
    salvaged = _without_bad_items(doc.data, [tuple(err["loc"]) for err in errors])
    if salvaged is None:
        return None, problems
    try:
        return model.model_validate(salvaged), problems
    except ValidationError:
        return None, problems


def _without_losing_branches(errors: list[Any]) -> list[Any]:
    """One problem per ``str | Model`` value, where pydantic reports one per branch: a mapping with a bad
    key inside keeps only that key's problem; a value that is neither gets one message saying so."""
    drop: set[int] = set()
    rewrite: dict[int, str] = {}
    for i, err in enumerate(errors):
        loc = tuple(err["loc"])
        if err["type"] != "string_type" or not loc or loc[-1] != "str":
            continue
        prefix = loc[:-1]
        siblings = [j for j, o in enumerate(errors) if j != i and tuple(o["loc"])[:len(prefix)] == prefix
                    and len(o["loc"]) > len(prefix) and o["loc"][len(prefix)] != "str"]
        if any(len(errors[j]["loc"]) > len(loc) for j in siblings):
            drop.add(i)
        elif siblings:
            drop.update(siblings)
            rewrite[i] = "expected a string or a mapping"
    return [{**err, "msg": rewrite.get(i, err["msg"])} for i, err in enumerate(errors) if i not in drop]


def _without_bad_items(data: dict[str, Any], locs: list[tuple[Any, ...]]) -> dict[str, Any] | None:
    """``data`` without the rules, macros and gazetteers that ``locs`` point into, or None if a problem
    lies elsewhere (a top-level key such as ``name``)."""
    bad: dict[str, set[Any]] = {"rules": set(), "macros": set(), "gazetteers": set()}
    for loc in locs:
        if len(loc) < 2 or loc[0] not in bad or not isinstance(data.get(loc[0]), (list, dict)):
            return None
        bad[loc[0]].add(loc[1])
    out = dict(data)
    if bad["rules"]:
        out["rules"] = [r for i, r in enumerate(data["rules"]) if i not in bad["rules"]]
    for key in ("macros", "gazetteers"):
        if bad[key]:
            out[key] = {k: v for k, v in data[key].items() if k not in bad[key]}
    return out


_CASCADING = {"E020", "E021", "E022"}  # a missing include or required pack: its names go missing too


def _in_order(problems: list[Problem]) -> list[Problem]:
    return sorted(problems, key=lambda p: (p.file, p.line, p.col))


def _problem_from_pydantic(doc: YamlDocument, err: Any) -> Problem:
    loc = tuple(p for p in err["loc"] if not (isinstance(p, str) and ("[" in p or p in ("str", "FieldSpec",
                                                                                          "Example"))))
    where = _where(doc, loc)
    kind = err["type"]
    if kind == "extra_forbidden":
        return doc.problem(loc, where, f"unknown key {loc[-1]!r}", "E011", prefer_key=True)
    if kind == "missing":
        return doc.problem(loc[:-1], where, f"missing required key {loc[-1]!r}", "E012")
    return doc.problem(loc, where, err["msg"], "E013")


def _rule_named(doc: YamlDocument, problem: Problem) -> Problem:
    """A YAML-level problem at 'rules.3.kind' says 'rule distance-between.kind' instead, like the rest."""
    parts = problem.where.split(".")
    if len(parts) < 2 or parts[0] != "rules" or not parts[1].isdigit():
        return problem
    where = _where(doc, ("rules", int(parts[1]), *parts[2:]))
    return Problem(problem.file, problem.line, problem.col, where, problem.message, problem.code, problem.severity)


def _where(doc: YamlDocument, loc: tuple[Any, ...]) -> str:
    """'rule distance-between' rather than 'rules.3', when the rule has an id."""
    if len(loc) >= 2 and loc[0] == "rules" and isinstance(loc[1], int):
        rules = doc.data.get("rules") if isinstance(doc.data, dict) else None
        if isinstance(rules, list) and loc[1] < len(rules) and isinstance(rules[loc[1]], dict):
            rid = rules[loc[1]].get("id")
            if rid:
                rest = ".".join(str(p) for p in loc[2:])
                return f"rule {rid}" + (f".{rest}" if rest else "")
    return ".".join(str(p) for p in loc)


def _record_locations(doc: YamlDocument, out: dict[tuple[Any, ...], Location]) -> None:
    data = doc.data if isinstance(doc.data, dict) else {}

    def put(key: tuple[Any, ...], path: tuple[Any, ...], prefer_key: bool = False) -> None:
        line, col = doc.position(path, prefer_key=prefer_key)
        out[key] = Location(doc.filename, line, col)

    put((), ())
    for name in (data.get("macros") or {}):
        put(("macro", name), ("macros", name))
    for name in (data.get("gazetteers") or {}):
        put(("gazetteer", name), ("gazetteers", name), prefer_key=True)
    for i, rule in enumerate(data.get("rules") or []):
        if not isinstance(rule, dict):
            continue
        rid = rule.get("id")
        put(("rule", rid), ("rules", i))
        for key in rule:
            put(("rule", rid, key), ("rules", i, key))
        for j, _ in enumerate(rule.get("examples") or []):
            put(("rule", rid, "examples", j), ("rules", i, "examples", j))
        for j, _ in enumerate(rule.get("must_not_match") or []):
            put(("rule", rid, "must_not_match", j), ("rules", i, "must_not_match", j))
        for fname in (rule.get("fields") or {}):
            put(("rule", rid, "fields", fname), ("rules", i, "fields", fname), prefer_key=True)


def _merge(spec: PackSpec, parts: list[Any], locations: dict[tuple[Any, ...], Location],
           path: Path) -> tuple[PackSpec, list[Problem]]:
    problems: list[Problem] = []
    macros: dict[str, str] = {}
    gazetteers: dict[str, Any] = {}
    rules: list[Any] = []
    seen_rules: set[str] = set()

    def dup(key: tuple[Any, ...], what: str) -> None:
        loc = locations.get(key, Location(str(path), 1, 1))
        problems.append(Problem(loc.file, loc.line, loc.col, f"{what}", f"duplicate {key[0]} {key[1]!r}", "E014"))

    for part in parts:
        for name, body in part.macros.items():
            if name in macros:
                dup(("macro", name), f"macro {name}")
            macros[name] = body
        for name, gaz in part.gazetteers.items():
            if name in gazetteers or name in macros:
                dup(("gazetteer", name), f"gazetteer {name}")
            gazetteers[name] = gaz
        for rule in part.rules:
            if rule.id in seen_rules:
                dup(("rule", rule.id), f"rule {rule.id}")
                continue
            seen_rules.add(rule.id)
            rules.append(rule)
    merged = spec.model_copy(update={"macros": macros, "gazetteers": gazetteers, "rules": rules})
    return merged, problems


def file_inside(base: Path, relative: str) -> Path | None:
    """``relative`` resolved under ``base``, or None if it escapes it (``..``, absolute, symlink) or is absent."""
    target = (base / relative).resolve()
    try:
        target.relative_to(base.resolve())
    except ValueError:
        return None
    return target if target.is_file() else None


def _gazetteer_file(base: Path, name: str, loc: Location | None,
                    gazetteer: str) -> tuple[list[GazetteerEntry], list[Problem]]:
    where = f"gazetteer {gazetteer}"
    path = file_inside(base, name)
    if path is None:
        loc = loc or Location(str(base), 1, 1)
        return [], [Problem(loc.file, loc.line, loc.col, where, f"file {name!r} is outside the pack's "
                            "directory or does not exist", "E020")]
    try:
        doc = _read_doc(path)
    except PackError as exc:
        return [], exc.problems
    data = doc.data
    if isinstance(data, dict) and set(data) == {"entries"}:
        data, prefix = data["entries"], ("entries",)
    else:
        prefix = ()
    if not isinstance(data, list):
        return [], doc.problems + [doc.problem((), where, "expected a list of entries", "E010")]
    try:
        return _entries_adapter().validate_python(data), doc.problems
    except ValidationError as exc:
        out = []
        for err in exc.errors():
            loc2 = prefix + tuple(err["loc"])
            if err["type"] == "extra_forbidden":
                out.append(doc.problem(loc2, where, f"unknown key {loc2[-1]!r}", "E011", prefer_key=True))
            elif err["type"] == "missing":
                out.append(doc.problem(loc2[:-1], where, f"missing required key {loc2[-1]!r}", "E012"))
            else:
                out.append(doc.problem(loc2, where, err["msg"], "E013"))
        return [], doc.problems + out


@cache
def _entries_adapter() -> TypeAdapter[list[GazetteerEntry]]:
    """Built on first use: its schema takes milliseconds that a cached pack never needs."""
    return TypeAdapter(list[GazetteerEntry])


def read_text_file(path: str | Path, errors: str = "strict") -> str:
    """Read a document as UTF-8; raise :class:`InputError` naming the file and byte offset if it is not."""
    try:
        raw = Path(path).read_bytes()
    except OSError as exc:
        raise InputError(f"{path}: cannot read: {exc.strerror or exc}") from None
    if errors == "strict" and b"\x00" in raw[:8192]:
        raise InputError(f"{path}: looks like a binary file (NUL bytes); factkit reads UTF-8 text")
    try:
        return raw.decode("utf-8", errors=errors)
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise InputError(f"{path}:{line}: not valid UTF-8 at byte {exc.start} (use --errors replace to "
                         "substitute U+FFFD)") from None


def _expansion_problems(pack: Pack) -> list[Problem]:
    """Patterns whose ``{macro}`` references would expand past the limits, found from lengths alone before
    anything is expanded: twenty macros each using the previous one twice make a pattern of millions of
    characters from a few lines of YAML, and compiling it takes minutes. Gazetteers may legitimately be
    large, so they count in full only against :data:`MAX_EXPANDED_CHARS`; what macros multiply is held to
    :data:`MAX_MACRO_CHARS`. Unknown references and cycles count as nothing; the compiler reports them.
    """
    from .compiler import REFERENCE

    spec = pack.spec
    others = [p for p in pack.closure() if p is not pack]
    by_name = {p.name: p for p in others}
    Size = tuple[int, int, int]  # (with gazetteers, gazetteers as one character, nesting depth)
    sizes: dict[str, Size] = {}

    def compiled_size(other: Pack | None, name: str) -> Size:
        compiled = getattr(other, "compiled", None)
        if compiled is not None and name in compiled.macros:
            return len(compiled.macros[name]), len(compiled.macros[name]), 0
        gazetteer = compiled.gazetteers.get(name) if compiled is not None else None
        return (len(gazetteer.pattern), 1, 0) if gazetteer is not None else (0, 0, 0)

    def ref_size(ref: str, depth: int) -> Size:
        if "." in ref:
            pack_name, name = ref.split(".", 1)
            return compiled_size(by_name.get(pack_name), name)
        if ref in spec.macros:
            return macro_size(ref, depth)
        if ref in spec.gazetteers:
            return _gazetteer_size(pack, ref), 1, 0
        return max((compiled_size(p, ref) for p in others), default=(0, 0, 0))

    def pattern_size(body: str, depth: int) -> Size:
        total, macro_text, deepest = len(body), len(body), 0
        for m in REFERENCE.finditer(body):
            size, text, sub_depth = ref_size(m.group(1), depth + 1)
            total, macro_text, deepest = total + size, macro_text + text, max(deepest, sub_depth)
        return total, macro_text, deepest

    def macro_size(name: str, depth: int) -> Size:
        if name not in sizes:
            if depth > MAX_MACRO_DEPTH:
                return 0, 0, depth
            sizes[name] = (0, 0, 0)  # a cycle counts as nothing; the compiler reports it
            total, text, deepest = pattern_size(spec.macros[name], depth)
            sizes[name] = (total, text, deepest + 1)
        return sizes[name]

    out: list[Problem] = []
    checks = [(("macro", m), f"macro {m}", b) for m, b in spec.macros.items()] + \
        [(("rule", r.id, "pattern"), f"rule {r.id}", r.pattern) for r in spec.rules if r.pattern is not None]
    for key, where, body in checks:
        total, text, depth = pattern_size(body, 0)
        if depth > MAX_MACRO_DEPTH:
            out.append(pack.problem(key, where, f"macros nested more than {MAX_MACRO_DEPTH} deep", "E048"))
        elif text > MAX_MACRO_CHARS or total > MAX_EXPANDED_CHARS:
            limit = f"{MAX_MACRO_CHARS:,} from macros" if text > MAX_MACRO_CHARS else f"{MAX_EXPANDED_CHARS:,}"
            out.append(pack.problem(key, where, f"expands to about {max(text, total):,} characters (limit "
                                    f"{limit}): macros that use other macros several times multiply; factor "
                                    "the repeated part into a group with a quantifier", "E048"))
    return out


def _gazetteer_size(pack: Pack, name: str) -> int:
    """An upper estimate of a gazetteer's compiled pattern: every alias, separators widened, plurals."""
    gazetteer = pack.spec.gazetteers[name]
    size = 0
    for entry in pack.gazetteer_entries.get(name, ()):
        for alias in (entry.name, *entry.aliases):
            size += len(alias) + 20 * sum(c in " -" for c in alias) + 4
    return size * (2 if gazetteer.plurals else 1)

