"""Turn a loaded pack into compiled rules: macros inlined, gazetteers built, patterns compiled, fields
bound to their parsers. Everything here is pure data and picklable, so a compiled pack can be shipped to
worker processes.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

import regex

from .errors import PackError, ParseError, Problem
from .facts import Fact
from .gazetteer import CompiledGazetteer, Entry, GazetteerPattern, compile_gazetteer
from .lint import backtracking_risks
from .pack_schema import FieldSpec
from .regex_cache import compile_pattern
from .triggers import Analyser, Probe, Start
from .parsers import Fields, ParseContext, ValueParser

if TYPE_CHECKING:
    from .pack_loader import Pack
    from .registry import Registry

# {name} or {pack.name}; not the braces of \p{L}, \N{...}, \x{..} or a quantifier such as {2,3}.
REFERENCE = regex.compile(r"(?<![\\](?:[pPNxu]|))\{([A-Za-z_][\w\-]*(?:\.[A-Za-z_][\w\-]*)?)\}")
MACRO_NAME = regex.compile(r"[A-Za-z_][\w\-]*")
SPAN_GROUP = "span"


@dataclass(frozen=True)
class FieldPlan:
    """How one field of a fact is filled from a match."""

    field: str
    group: str | None
    parser: Any  # ValueParser or a gazetteer lookup; None keeps the captured text
    const: Any = None
    default: Any = None
    is_const: bool = False


@dataclass
class CompiledRule:
    name: str  # "pack:rule-id"
    kind: str
    fact_class: type[Fact]
    regex: Any
    fields: tuple[FieldPlan, ...]
    priority: int
    span_group: bool
    source: str  # the pattern after macro expansion, for explain and check
    required: frozenset[str] = frozenset()  # fields without which the fact cannot exist
    starts: frozenset[Start] | None = None  # where a match can begin (see triggers.py); None: anywhere
    anchor: frozenset[Start] | None = None  # what every match holds after its start, if rare enough
    probes: tuple[Probe, ...] = ()  # checks made at a start before the pattern runs (see triggers.Probe)
    free: frozenset[Start] = frozenset()  # starts where no probe applies: the pattern runs there unchecked
    order: int = 0  # position in the matcher, set when rules of several packs are joined
    probe_plan: tuple[tuple[Any, ...], ...] = ()  # the probes as the matcher numbers them


@dataclass
class CompiledPack:
    rules: list[CompiledRule]
    gazetteers: dict[str, CompiledGazetteer]
    macros: dict[str, str]  # expanded
    unused_macros: list[str] = field(default_factory=list)
    # start analysis of each macro and gazetteer (see triggers.py), for packs that require this one
    ref_infos: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class _GazetteerParser:
    name: str
    gazetteer: CompiledGazetteer
    context_free: bool = True

    def entry(self, text: str) -> Entry:
        found = self.gazetteer.lookup(text)
        if found is None:
            raise ParseError(f"{text!r} is not in gazetteer {self.gazetteer.name!r}")
        return found


class GazetteerCanonical(_GazetteerParser):
    """Parser ``gazetteer:NAME``: the canonical name of the matched alias."""

    def __call__(self, text: str, ctx: ParseContext) -> str:
        return self.entry(text).name


class GazetteerEntryFields(_GazetteerParser):
    """Parser ``entry:NAME``: the matched entry as value (canonical name), category and attributes."""

    def __call__(self, text: str, ctx: ParseContext) -> Fields:
        entry = self.entry(text)
        return Fields(value=entry.name, category=entry.category, attributes=entry.attributes)


class _Scope:
    """Names a pattern of this pack may reference: its own, then those of the packs it requires."""

    def __init__(self, pack: "Pack", gazetteers: dict[str, CompiledGazetteer]):
        self.pack = pack
        self.gazetteers = gazetteers
        self.expanded: dict[str, str] = {}
        self.deps: dict[str, set[str]] = {}  # macro -> names it references directly
        self.used: set[str] = set()
        self.problems: list[Problem] = []
        self.closure = {p.name: p for p in pack.closure() if p is not pack}
        self.analyser = Analyser(self.analysis_target)

    def lookup(self, ref: str) -> tuple[str, Any] | None:
        """('macro', body) | ('gazetteer', compiled) | ('expanded', text) from a required pack."""
        if "." in ref:
            pack_name, name = ref.split(".", 1)
            other = self.closure.get(pack_name)
            if other is None:
                return None
            return _lookup_compiled(other, name)
        if ref in self.pack.spec.macros:
            return ("macro", self.pack.spec.macros[ref])
        if ref in self.gazetteers:
            return ("gazetteer", self.gazetteers[ref])
        for other in reversed(list(self.closure.values())):
            found = _lookup_compiled(other, ref)
            if found:
                return found
        return None

    def analysis_target(self, ref: str) -> tuple[Any, ...] | None:
        """What the start analysis needs to know about a reference (see triggers.Analyser)."""
        owner: Any = self.pack
        name = ref
        if "." in ref:
            pack_name, name = ref.split(".", 1)
            owner = self.closure.get(pack_name)
        elif ref not in self.pack.spec.macros and ref not in self.gazetteers:
            owner = next((p for p in reversed(list(self.closure.values())) if _lookup_compiled(p, ref)), None)
        if owner is None:
            return None
        if owner is not self.pack:
            infos = owner.compiled.ref_infos if owner.compiled is not None else {}
            return ("info", (owner.name, name), infos.get(name))
        if name in self.pack.spec.macros:
            return ("macro", (self.pack.name, name), self.pack.spec.macros[name])
        if name in self.gazetteers:
            gaz = self.gazetteers[name]
            return ("gazetteer", (self.pack.name, name), gaz.forms, gaz.flexible)
        return None

    def gazetteer(self, ref: str) -> CompiledGazetteer | None:
        found = self.lookup(ref)
        return found[1] if found and found[0] == "gazetteer" else None

    def expand(self, pattern: str, key: tuple[Any, ...], where: str, stack: tuple[str, ...] = ()) -> str:
        def replace(m: Any) -> str:
            ref = m.group(1)
            if stack:
                self.deps.setdefault(stack[-1], set()).add(ref)
            if ref in stack:
                cycle = " -> ".join([*stack[stack.index(ref):], ref])
                self.problems.append(self.pack.problem(key, where, f"macro cycle: {cycle}", "E032"))
                return "(?!)"
            found = self.lookup(ref)
            if found is None:
                self.problems.append(self.pack.problem(key, where, f"unknown macro or gazetteer {{{ref}}}",
                                                       "E031"))
                return "(?!)"
            what, body = found
            self.used.add(ref)
            if what == "gazetteer":
                return body.pattern
            if what == "expanded":
                return "(?:" + body + ")"
            if ref not in self.expanded:
                self.expanded[ref] = self.expand(body, ("macro", ref), f"macro {ref}", stack + (ref,))
            return "(?:" + self.expanded[ref] + ")"

        return REFERENCE.sub(replace, pattern)


def _lookup_compiled(pack: "Pack", name: str) -> tuple[str, Any] | None:
    compiled: CompiledPack = pack.compiled
    if name in compiled.macros:
        return ("expanded", compiled.macros[name])
    if name in compiled.gazetteers:
        return ("gazetteer", compiled.gazetteers[name])
    return None


def compile_pack(pack: "Pack", registry: "Registry") -> CompiledPack:
    """Compile a loaded pack, or raise PackError with every problem found."""
    problems: list[Problem] = []
    gazetteers: dict[str, CompiledGazetteer] = {}
    for gname, gaz in pack.spec.gazetteers.items():
        entries = [(e.name, e.aliases, e.category, e.attributes) for e in pack.gazetteer_entries[gname]]
        compiled, collisions = compile_gazetteer(gname, entries, case=gaz.case, plurals=gaz.plurals,
                                                 flexible_separators=gaz.flexible_separators)
        gazetteers[gname] = compiled
        for alias, first, second in collisions[:20]:
            problems.append(pack.problem(("gazetteer", gname), f"gazetteer {gname}",
                                         f"alias {alias!r} of {second!r} is already an alias of {first!r}",
                                         "E033"))
    scope = _Scope(pack, gazetteers)
    for name in pack.spec.macros:
        if not MACRO_NAME.fullmatch(name):
            problems.append(pack.problem(("macro", name), f"macro {name}", "a macro name is letters, digits, "
                                         "_ and -, starting with a letter", "E030"))
        elif name not in scope.expanded:
            scope.expanded[name] = scope.expand(pack.spec.macros[name], ("macro", name), f"macro {name}", (name,))
    scope.used.clear()  # only uses from rules (and macros they pull in) count as uses
    rules = []
    for rule in pack.spec.rules:
        compiled_rule = _compile_rule(pack, rule, scope, registry, problems)
        if compiled_rule is not None:
            rules.append(compiled_rule)
    problems = scope.problems + problems
    errors = [p for p in problems if p.severity == "error"]
    if errors:
        raise PackError(_dedupe(errors))
    walked = {id(r.regex.gazetteer) for r in rules if isinstance(r.regex, GazetteerPattern)}
    for compiled_gazetteer in gazetteers.values():  # keep the tries of compiling only where a rule walks them
        if id(compiled_gazetteer) not in walked:
            compiled_gazetteer.release_tries()
    used = _used_macros(scope)
    unused = [m for m in pack.spec.macros if m not in used]
    return CompiledPack(rules=rules, gazetteers=gazetteers, macros=dict(scope.expanded), unused_macros=unused,
                        ref_infos={n: scope.analyser.ref_info(n) for n in [*pack.spec.macros, *gazetteers]})


def _used_macros(scope: _Scope) -> set[str]:
    """Macros reached from some rule, directly or through other macros."""
    seen: set[str] = set()
    todo = list(scope.used)
    while todo:
        name = todo.pop()
        if name not in seen:
            seen.add(name)
            todo.extend(scope.deps.get(name, ()))
    return seen


def _dedupe(problems: list[Problem]) -> list[Problem]:
    seen = set()
    out = []
    for p in problems:
        if p not in seen:
            seen.add(p)
            out.append(p)
    return out


def _compile_rule(pack: "Pack", rule: Any, scope: _Scope, registry: "Registry",
                  problems: list[Problem]) -> CompiledRule | None:
    where = f"rule {rule.id}"
    key = ("rule", rule.id)
    before = len(problems) + len(scope.problems)
    fact_class = registry.kind(rule.kind)
    if fact_class is None:
        problems.append(pack.problem(key + ("kind",), where, f"unknown fact kind {rule.kind!r} (known: "
                                     f"{', '.join(sorted(registry.kinds()))})", "E040"))
    if (rule.pattern is None) == (rule.gazetteer is None):
        problems.append(pack.problem(key, where, "a rule needs exactly one of 'pattern' or 'gazetteer'", "E041"))
        return None
    field_specs: dict[str, FieldSpec] = {}
    gaz: CompiledGazetteer | None = None
    if rule.gazetteer is not None:
        gaz = scope.gazetteer(rule.gazetteer)
        if gaz is None:
            problems.append(pack.problem(key + ("gazetteer",), where, f"unknown gazetteer {rule.gazetteer!r}",
                                         "E031"))
            return None
        source = f"(?P<{SPAN_GROUP}>{gaz.pattern})"
        field_specs["value"] = FieldSpec(from_=SPAN_GROUP, parser=f"entry:{rule.gazetteer}")
        starts = scope.analyser.gazetteer_rule_starts(gaz.forms, gaz.flexible)
        anchor = None
        probes: tuple[Probe, ...] = ()
        free: frozenset[Start] = frozenset()
    else:
        source = scope.expand(rule.pattern, key + ("pattern",), where)
        analysis_flags = 0 if rule.case_sensitive else regex.IGNORECASE
        probes, free = (), frozenset()
        starts, anchor = scope.analyser.rule_analysis(rule.pattern, analysis_flags)
        found = scope.analyser.rule_probes(rule.pattern, analysis_flags) if starts is not None else None
        if found is not None:
            free, probe_list = found
            probes = tuple(replace(p, source=scope.expand("{" + p.ref + "}", key + ("pattern",), where),
                                   guard_source=scope.expand(p.guard, key + ("pattern",), where),
                                   rest_source=None if p.rest is None
                                   else scope.expand(p.rest, key + ("pattern",), where))
                           for p in probe_list)
    for fname, spec in rule.fields.items():
        field_specs[fname] = FieldSpec(parser=spec) if isinstance(spec, str) else spec
    flags = regex.V0 | (0 if rule.case_sensitive else regex.IGNORECASE)
    try:
        # A gazetteer rule matches by walking the gazetteer's trie: compiling it would cost seconds for a
        # big one (see GazetteerPattern), and the same trie compiled as a regex is what the walk follows.
        compiled = GazetteerPattern(gaz, source, flags) if gaz is not None else compile_pattern(source, flags)
    except (regex.error, OverflowError, RecursionError) as exc:
        pos = getattr(exc, "pos", None)
        detail = f"{getattr(exc, 'msg', exc)}"
        if pos is not None:
            detail += f" at offset {pos} of the expanded pattern: {_caret(source, pos)}"
        problems.append(pack.problem(key + ("pattern",), where, f"bad pattern: {detail}", "E042"))
        return None
    if len(problems) + len(scope.problems) > before:
        return None
    if compiled.fullmatch("") is not None:
        problems.append(pack.problem(key + ("pattern",), where, "pattern matches the empty string", "E043"))
    # Untrusted packs must not be able to hang extraction. (A gazetteer rule is a trie whose only quantifiers
    # are "?": every risk the lint looks for needs an unbounded repeat, so it has none to find.)
    if not rule.allow_backtracking and gaz is None:
        problems.extend(pack.problem(key + ("pattern",), where, risk, "E047")
                        for risk in backtracking_risks(source, flags))
    plans = []
    allowed = set(fact_class.value_fields()) if fact_class else set()
    for fname, spec in field_specs.items():
        fkey = key + ("fields", fname)
        if fact_class is not None and fname not in allowed:
            problems.append(pack.problem(fkey, where, f"kind {rule.kind!r} has no field {fname!r} (fields: "
                                         f"{', '.join(sorted(allowed))})", "E044"))
            continue
        is_const = "const" in spec.model_fields_set
        group = None if is_const else (spec.from_ or fname)
        if group is not None and group != "0" and group not in compiled.groupindex:
            problems.append(pack.problem(fkey, where, f"no capture named {group!r} in the pattern (captures: "
                                         f"{', '.join(sorted(compiled.groupindex)) or 'none'})", "E045"))
            continue
        parser = _bind_parser(spec.parser, scope, registry) if spec.parser else None
        if spec.parser and parser is None:
            problems.append(pack.problem(fkey, where, f"unknown parser {spec.parser!r} (known: "
                                         f"{', '.join(registry.parser_names())}, gazetteer:NAME, entry:NAME)",
                                         "E046"))
            continue
        plans.append(FieldPlan(fname, None if group == "0" else group, parser, spec.const, spec.default,
                               is_const))
    if len(problems) + len(scope.problems) > before or fact_class is None:
        return None
    return CompiledRule(name=f"{pack.name}:{rule.id}", kind=rule.kind, fact_class=fact_class, regex=compiled,
                        fields=tuple(plans), priority=rule.priority,
                        span_group=SPAN_GROUP in compiled.groupindex, source=source,
                        required=frozenset(f for f in fact_class.value_fields()
                                           if fact_class.model_fields[f].is_required()),
                        starts=starts, anchor=anchor, probes=probes, free=free)


def _bind_parser(name: str, scope: _Scope, registry: "Registry") -> Any:
    if ":" in name:
        prefix, gname = name.split(":", 1)
        gaz = scope.gazetteer(gname)
        if gaz is None:
            return None
        if prefix == "gazetteer":
            return GazetteerCanonical(name, gaz)
        if prefix == "entry":
            return GazetteerEntryFields(name, gaz)
        return None
    parser: ValueParser | None = registry.parser(name)
    return parser


def _caret(source: str, pos: int) -> str:
    lo = max(0, pos - 30)
    return f"{source[lo:pos + 30]!r} (error before character {pos - lo + 1})"
