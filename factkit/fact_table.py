"""Facts as flat table rows, one row per fact: the columns of CSV and Parquet output and of the Spark schema.

The columns are derived from the fact models, so a plugin's kind gets its columns too: first ``kind``,
``text``, ``start``, ``end``, ``rule``, then every other field of every kind, once. A field that holds a
number in some kinds and text in others (``value`` is a number in a quantity, an ISO string in a date)
gets one column per type: ``value`` for the numbers, ``value_text`` for the text. Dicts (an entity's
``attributes``) are stored as JSON text. Numbers are stored as doubles: integers beyond 2**53 lose
precision, and :func:`from_row` turns integral doubles back into ints for fields that may hold either.
"""

from __future__ import annotations

import json
import types
from dataclasses import dataclass
from typing import Any, Literal, Mapping, Union, get_args, get_origin

from .facts import Fact

ColumnType = Literal["string", "integer", "number", "boolean", "json"]
_SUFFIX = {"string": "text", "integer": "int", "number": "number", "boolean": "flag", "json": "json"}
_COMMON = ("kind", "text", "start", "end", "rule")


@dataclass(frozen=True)
class Column:
    """One column: its ``name``, the fact ``field`` it holds and its ``type``."""

    name: str
    field: str
    type: ColumnType


def columns(kinds: Mapping[str, type[Fact]] | None = None) -> list[Column]:
    """The columns for facts of ``kinds`` (default: every registered kind), in a stable order."""
    kinds = _kinds(kinds)
    out: list[Column] = [Column(name, name, _field_type(Fact, name)) for name in _COMMON]
    first_type: dict[str, ColumnType] = {}
    for cls in kinds.values():
        for name in cls.value_fields():
            col_type = _field_type(cls, name)
            primary = first_type.setdefault(name, col_type)
            if col_type == "integer" and primary == "number":
                continue  # ints fit the number column
            col_name = name if col_type == primary else f"{name}_{_SUFFIX[col_type]}"
            if not any(c.name == col_name for c in out):
                out.append(Column(col_name, name, col_type))
    return out


def to_row(fact: Fact, cols: list[Column] | None = None) -> dict[str, Any]:
    """``fact`` as ``{column name: value}`` over every column, ``None`` where the fact has no such field.
    Numbers keep their Python type (an int stays an int, as CSV shows it); typed stores cast them."""
    cols = cols if cols is not None else columns()
    by_field = _column_for(cols)
    row: dict[str, Any] = {c.name: None for c in cols}
    for name in type(fact).model_fields:
        col = by_field[(name, _field_type(type(fact), name))]
        value = getattr(fact, name)
        if col.type == "json":
            value = json.dumps(value, ensure_ascii=False)
        row[col.name] = value
    return row


def from_row(row: Mapping[str, Any], kinds: Mapping[str, type[Fact]] | None = None,
             cols: list[Column] | None = None) -> Fact:
    """The fact that :func:`to_row` turned into ``row``; values may also be the text a CSV file holds."""
    kinds = _kinds(kinds)
    cols = cols if cols is not None else columns(kinds)
    cls = kinds[row["kind"]]
    by_field = _column_for(cols)
    data: dict[str, Any] = {}
    for name in cls.model_fields:
        col = by_field[(name, _field_type(cls, name))]
        value = row.get(col.name)
        if value is None or value == "" and (col.type != "string" or not cls.model_fields[name].is_required()):
            continue  # CSV writes None as an empty value
        if isinstance(value, str) and col.type in ("number", "integer"):  # read back from CSV
            value = float(value) if col.type == "number" else int(value)
        if col.type == "json":
            value = json.loads(value)
        elif col.type == "number" and float(value).is_integer() and _may_be_int(cls, name):
            value = int(value)
        elif col.type == "integer":
            value = int(value)
        data[name] = value
    return cls.model_validate(data)


def _kinds(kinds: Mapping[str, type[Fact]] | None) -> Mapping[str, type[Fact]]:
    if kinds is not None:
        return kinds
    from .registry import fact_kinds

    return fact_kinds()


def _column_for(cols: list[Column]) -> dict[tuple[str, ColumnType], Column]:
    out: dict[tuple[str, ColumnType], Column] = {}
    for c in cols:
        out[(c.field, c.type)] = c
        if c.type == "number":  # an int-only field of one kind shares the number column of the others
            out.setdefault((c.field, "integer"), c)
    return out


def _field_type(cls: type[Fact], name: str) -> ColumnType:
    basics = _basic_types(cls.model_fields[name].annotation)
    if basics <= {str}:
        return "string"
    if basics == {bool}:
        return "boolean"
    if basics == {int}:
        return "integer"
    if basics <= {int, float}:
        return "number"
    return "json"


def _may_be_int(cls: type[Fact], name: str) -> bool:
    return int in _basic_types(cls.model_fields[name].annotation)


def _basic_types(annotation: Any) -> set[type]:
    """The plain types an annotation allows, None left out: ``int | float | None`` -> {int, float}."""
    origin = get_origin(annotation)
    if origin is Union or origin is types.UnionType:
        return set().union(*(_basic_types(a) for a in get_args(annotation) if a is not type(None)))
    if origin is Literal:
        return {type(a) for a in get_args(annotation)}
    if origin is not None:
        return {origin}
    return {annotation}
