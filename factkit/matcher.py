"""Run compiled rules over a text and produce candidates with their parsed field values."""

from __future__ import annotations

from typing import Any, Iterable

from .compiler import CompiledRule
from .parsers import Fields, ParseContext
from .resolve import Candidate

_MISSING = object()
MAX_CACHE = 50_000


class Matcher:
    """The rules of a set of packs, in a fixed order. Holds no per-document state but a parse cache."""

    def __init__(self, rules: Iterable[CompiledRule]):
        self.rules: list[CompiledRule] = []
        for order, rule in enumerate(rules):
            rule.order = order
            self.rules.append(rule)
        self._cache: dict[tuple[int, str], Any] = {}

    def __getstate__(self) -> dict[str, Any]:
        return {"rules": self.rules, "_cache": {}}

    def candidates(self, text: str, ctx: ParseContext, dropped: list[tuple[Candidate, str]] | None = None,
                   rules: Iterable[CompiledRule] | None = None) -> list[Candidate]:
        out: list[Candidate] = []
        for rule in (self.rules if rules is None else rules):
            span_group = rule.span_group
            for m in rule.regex.finditer(text):
                start, end = m.span("span") if span_group else m.span()
                if start >= end:
                    continue
                try:
                    fields = self._fields(rule, m, ctx)
                except (ValueError, ArithmeticError) as exc:  # ParseError, or a parser's own complaint
                    if dropped is not None:
                        dropped.append((Candidate(start, end, rule, {}), str(exc)))
                    continue
                if not rule.required.issubset(fields):
                    if dropped is not None:
                        missing = ", ".join(sorted(rule.required - fields.keys()))
                        dropped.append((Candidate(start, end, rule, fields), f"no value for {missing}"))
                    continue
                out.append(Candidate(start, end, rule, fields))
        return out

    def _fields(self, rule: CompiledRule, m: Any, ctx: ParseContext) -> dict[str, Any]:
        fields: dict[str, Any] = {}
        captures = None
        for plan in rule.fields:
            if plan.is_const:
                fields[plan.field] = plan.const
                continue
            captured = m.group(plan.group) if plan.group else m.group()
            if captured is None:
                if plan.default is not None:
                    fields[plan.field] = plan.default
                continue
            parser = plan.parser
            if parser is None:
                fields[plan.field] = captured
                continue
            if parser.context_free:
                key = (id(parser), captured)
                value = self._cache.get(key, _MISSING)
                if value is _MISSING:
                    value = parser(captured, ctx)
                    if len(self._cache) >= MAX_CACHE:
                        self._cache.clear()
                    self._cache[key] = value
            else:
                if captures is None:
                    captures = m.groupdict()
                ctx.captures = captures
                value = parser(captured, ctx)
            if isinstance(value, Fields):
                fields.update(value)
            else:
                fields[plan.field] = value
        return fields
