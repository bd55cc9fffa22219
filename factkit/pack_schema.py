"""The pack format, as strict pydantic models: a misspelt key is an error, never a silent default.

``factkit schema`` prints the JSON Schema generated from these models; editors use it to validate and
complete pack files.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal, Union

from pydantic import BaseModel, ConfigDict, Field

NAME = r"^[a-z][a-z0-9_]*(?:-[a-z0-9_]+)*$"
RULE_ID = r"^[a-z][a-z0-9_]*(?:[-.][a-z0-9_]+)*$"
MAX_PATTERN_CHARS = 20_000


class _Strict(BaseModel):
    # defer_build: validators are built when a pack is first validated, not at import; a pack loaded from
    # the compiled-pack cache is unpickled without them
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True, defer_build=True)


class GazetteerEntry(_Strict):
    """One canonical thing and the names it goes by."""

    name: str = Field(min_length=1, description="Canonical name; also matched as an alias.")
    aliases: list[str] = Field(default_factory=list, description="Other surface forms.")
    category: str | None = Field(None, description="Copied into the entity fact's `category`.")
    attributes: dict[str, Any] = Field(default_factory=dict, description="Free data copied into facts.")


class Gazetteer(_Strict):
    """A named list of entries, usable in patterns as ``{name}`` and by gazetteer rules."""

    case: Literal["insensitive", "sensitive", "smart"] = Field(
        "smart", description="smart: acronyms (two or more letters, all capitals) and words of one or two "
                 "letters match exactly as written; other aliases ignore case.")
    plurals: bool = Field(False, description="Also match regular English plurals of every alias.")
    flexible_separators: bool = Field(
        True, description="A space or hyphen in an alias also matches a hyphen, space or nothing.")
    entries: list[GazetteerEntry] = Field(default_factory=list, description="The entries, written inline.")
    file: str | None = Field(None, description="YAML file, inside the pack directory, holding more entries.")


class FieldSpec(_Strict):
    """How one fact field gets its value: a capture through a parser, or a constant."""

    from_: str | None = Field(None, alias="from", description="Named capture; omitted: the field's own name.")
    parser: str | None = Field(None, description="Registered value parser; omitted: the raw text.")
    const: Any = Field(None, description="A fixed value instead of a capture.")
    default: Any = Field(None, description="Value when the capture did not take part in the match.")


class Example(_Strict):
    """Text the rule must handle, and the facts expected from it (a subset of the keys is enough)."""

    text: str = Field(description="The text to extract from.")
    facts: list[dict[str, Any]] | None = Field(
        None, description="Expected facts; omitted: one fact of the rule's kind spanning the whole text.")
    reference_date: dt.date | None = Field(None, description="Anchor for relative dates; default: the pack's.")
    xfail: str | None = Field(None, description="A known failure, with its reason; it must still fail.")


class Rule(_Strict):
    """A pattern (or a gazetteer) and the fact it yields."""

    id: str = Field(pattern=RULE_ID, description="Unique in the pack; facts name it as `pack:id`.")
    kind: str = Field(description="Fact kind: number, quantity, range, money, percent, date, entity, ...")
    description: str | None = Field(None, description="What the rule finds, for people.")
    pattern: str | None = Field(None, max_length=MAX_PATTERN_CHARS,
                                description="Regular expression (regex module syntax); {name} inlines a "
                                            "macro or gazetteer; named groups are the captures.")
    gazetteer: str | None = Field(None, description="Match every entry of this gazetteer instead of a pattern.")
    fields: dict[str, Union[str, FieldSpec]] = Field(
        default_factory=dict, description="field: parser (capture of the same name) or a full spec.")
    priority: int = Field(0, description="Breaks ties between overlapping candidates of equal length.")
    case_sensitive: bool = Field(False, description="Match letters as written; the default ignores case.")
    allow_backtracking: bool = Field(False, description="Opt out of the catastrophic-backtracking lint.")
    examples: list[Union[str, Example]] = Field(
        default_factory=list, description="Texts the rule must handle; a bare string expects one fact of the "
                                          "rule's kind spanning all of it. Run by pytest and factkit check.")
    must_not_match: list[str] = Field(default_factory=list,
                                      description="Texts in which this rule must produce no fact.")


class PackPart(_Strict):
    """What an included file may hold."""

    macros: dict[str, str] = Field(default_factory=dict, description="Named sub-patterns, inlined where a "
                                   "pattern says {name} (another pack's: {pack.name}).")
    gazetteers: dict[str, Gazetteer] = Field(default_factory=dict, description="Named lists of entries.")
    rules: list[Rule] = Field(default_factory=list, description="What the pack finds; order breaks ties.")


class PackSpec(PackPart):
    """A rule pack file."""

    name: str = Field(pattern=NAME, description="How the pack is asked for; prefixes its rules' names.")
    version: str = Field("0.0.0", description="Shown by factkit packs.")
    description: str = Field("", description="One line, shown by factkit packs.")
    requires: list[str] = Field(default_factory=list, description="Packs whose macros, gazetteers and "
                                                                  "parsers this one reuses.")
    include: list[str] = Field(default_factory=list, description="More files of this pack, relative to it.")
    reference_date: dt.date | None = Field(None, description="Reference date for the examples.")


def pack_json_schema() -> dict[str, Any]:
    """The JSON Schema of a pack file."""
    schema = PackSpec.model_json_schema(by_alias=True)
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "factkit rule pack"
    return schema
