"""Safe YAML loading that remembers where every value came from.

Packs and fixtures are untrusted input. This loader builds plain Python data from YAML's node tree by
hand, so that only the core YAML types exist (no Python tags), a duplicate key is an error instead of a
silent overwrite, alias expansion is bounded ("billion laughs" is refused), and every value keeps its
1-based line and column for error messages.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import yaml

from .errors import PackError, Problem

try:  # the C composer is several times faster; the pure one is always there
    _Loader: type = yaml.CSafeLoader  # type: ignore[attr-defined]
except AttributeError:  # pragma: no cover - depends on how PyYAML was built
    _Loader = yaml.SafeLoader

MAX_SOURCE_CHARS = 5_000_000
MAX_NODES = 500_000
MAX_DEPTH = 64  # packs nest a handful of levels; libyaml's composer recurses in C and crashes near 100,000

_SCALAR_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:timestamp",
}
_COLLECTION_TAGS = {"tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"}
_constructor = yaml.SafeLoader("")  # only its scalar constructors are used

Path = tuple[Any, ...]


@dataclass
class YamlDocument:
    """Plain data plus the position of each value (``positions``) and mapping key (``key_positions``)."""

    filename: str
    data: Any
    positions: dict[Path, tuple[int, int]] = field(default_factory=dict)
    key_positions: dict[Path, tuple[int, int]] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)  # duplicate keys, with keep_going=True

    def position(self, path: Path, *, prefer_key: bool = False) -> tuple[int, int]:
        """Where ``path`` is, or the nearest enclosing value that exists."""
        path = tuple(path)
        while True:
            if prefer_key and path in self.key_positions:
                return self.key_positions[path]
            if path in self.positions:
                return self.positions[path]
            if not path:
                return (1, 1)
            path = path[:-1]

    def problem(self, path: Path, where: str, message: str, code: str, *, prefer_key: bool = False,
                severity: str = "error") -> Problem:
        line, col = self.position(path, prefer_key=prefer_key)
        return Problem(self.filename, line, col, where, message, code, severity)


def _mark(node: yaml.Node) -> tuple[int, int]:
    return (node.start_mark.line + 1, node.start_mark.column + 1)


class _Builder:
    def __init__(self, doc: YamlDocument):
        self.doc = doc
        self.built: dict[int, Any] = {}  # id(node) -> value, so an alias is built once
        self.problems: list[Problem] = []

    def build(self, node: yaml.Node, path: Path) -> Any:
        if id(node) in self.built:  # an alias: share the value, positions stay those of the anchor
            return self.built[id(node)]
        self.doc.positions.setdefault(path, _mark(node))
        value = self._build(node, path)
        if isinstance(node, (yaml.MappingNode, yaml.SequenceNode)):
            self.built[id(node)] = value
        return value

    def _build(self, node: yaml.Node, path: Path) -> Any:
        if isinstance(node, (yaml.MappingNode, yaml.SequenceNode)) and node.tag not in _COLLECTION_TAGS:
            return self._refuse_tag(node)
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, path)
        if isinstance(node, yaml.SequenceNode):
            return [self.build(item, path + (i,)) for i, item in enumerate(node.value)]
        if node.tag not in _SCALAR_TAGS:
            return self._refuse_tag(node)
        return _constructor.construct_object(node, deep=True)

    def _refuse_tag(self, node: yaml.Node) -> None:
        line, col = _mark(node)
        self.problems.append(Problem(self.doc.filename, line, col, "", f"tag {node.tag!r} is not allowed; "
                                     "packs hold plain data only", "E003"))

    def _mapping(self, node: yaml.MappingNode, path: Path) -> dict[Any, Any]:
        out: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                line, col = _mark(key_node)
                self.problems.append(Problem(self.doc.filename, line, col, "", "merge keys (<<) are not supported",
                                             "E003"))
                continue
            key = self.build(key_node, path + ("<key>",))
            if isinstance(key, (list, dict)):
                line, col = _mark(key_node)
                self.problems.append(Problem(self.doc.filename, line, col, "", "a mapping key must be a scalar",
                                             "E003"))
                continue
            if key in out:
                line, col = _mark(key_node)
                first = self.doc.key_positions[path + (key,)]
                self.problems.append(Problem(self.doc.filename, line, col, _where(path),
                                             f"duplicate key {key!r} (first at line {first[0]})", "E002"))
                continue
            self.doc.key_positions[path + (key,)] = _mark(key_node)
            out[key] = self.build(value_node, path + (key,))
        return out


def _expanded_size(root: yaml.Node) -> int:
    """How many nodes the document has once every alias is expanded, counted without expanding."""
    sizes: dict[int, int] = {}
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, children_done = stack.pop()
        if id(node) in sizes:
            continue
        kids = _children(node)
        if children_done or not kids:
            sizes[id(node)] = 1 + sum(sizes[id(k)] for k in kids)
            if sizes[id(node)] > MAX_NODES:
                raise _TooLarge(node)
        else:
            stack.append((node, True))
            stack.extend((k, False) for k in kids if id(k) not in sizes)
    return sizes[id(root)]


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.MappingNode):
        return [n for pair in node.value for n in pair]
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    return []


class _TooLarge(Exception):
    def __init__(self, node: yaml.Node):
        self.node = node


def _where(path: Path) -> str:
    return ".".join(str(p) for p in path if p != "<key>")


def _check_depth(text: str, filename: str) -> bool:
    """Refuse deep nesting from the event stream, before the (recursive) composer ever sees it. Returns
    whether the document uses aliases: without them its size is its node count, checked here too."""
    depth = 0
    nodes = 0
    aliases = False
    for event in yaml.parse(text, Loader=_Loader):
        if isinstance(event, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
            depth += 1
            nodes += 1
            if depth > MAX_DEPTH:
                mark = event.start_mark
                raise PackError([Problem(filename, mark.line + 1, mark.column + 1, "", f"nested more than "
                                         f"{MAX_DEPTH} levels deep", "E004")])
        elif isinstance(event, (yaml.SequenceEndEvent, yaml.MappingEndEvent)):
            depth -= 1
        elif isinstance(event, yaml.ScalarEvent):
            nodes += 1
        elif isinstance(event, yaml.AliasEvent):
            aliases = True
        if nodes > MAX_NODES and not aliases:
            mark = event.start_mark
            raise PackError([Problem(filename, mark.line + 1, mark.column + 1, "", f"document has more than "
                                     f"{MAX_NODES:,} nodes", "E004")])
    return aliases


def load_yaml(text: str, filename: str = "<string>", *, keep_going: bool = False) -> YamlDocument:
    """Parse one YAML document; raise ``PackError`` listing every problem, each with its position.

    With ``keep_going``, duplicate keys (the first value is kept) go to ``doc.problems`` instead, so that
    a caller can report them together with what it finds later in the same data.
    """
    doc = YamlDocument(filename, None)
    if len(text) > MAX_SOURCE_CHARS:
        raise PackError([Problem(filename, 1, 1, "", f"file is larger than {MAX_SOURCE_CHARS:,} characters",
                                 "E004")])
    try:
        aliases = _check_depth(text, filename)
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        if "nesting depth" in str(exc.problem or ""):  # newer PyYAML stops deep nesting itself, while scanning
            raise PackError([Problem(filename, line, col, "", f"nested more than {MAX_DEPTH} levels deep",
                                     "E004")]) from None
        raise PackError([Problem(filename, line, col, "", f"invalid YAML: {exc.problem or exc}", "E001")]) from None
    except yaml.YAMLError as exc:
        raise PackError([Problem(filename, 1, 1, "", f"invalid YAML: {exc}", "E001")]) from None
    if node is None:
        doc.data = None
        return doc
    builder = _Builder(doc)
    try:
        if aliases:  # else the node count, checked with the depth, is the size
            _expanded_size(node)
        doc.data = builder.build(node, ())
    except _TooLarge as exc:
        line, col = _mark(exc.node)
        raise PackError([Problem(filename, line, col, "", f"document expands to more than {MAX_NODES:,} nodes "
                                 "(aliases nested too deep?)", "E004")]) from None
    except RecursionError:
        raise PackError([Problem(filename, 1, 1, "", "document is nested too deeply", "E004")]) from None
    if builder.problems and not (keep_going and all(p.code == "E002" for p in builder.problems)):
        raise PackError(builder.problems)
    doc.problems = builder.problems
    return doc
