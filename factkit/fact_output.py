"""Writing facts out, one row per fact with its document's id under ``source``: JSON lines, CSV (columns
from :mod:`factkit.fact_table`), Parquet (with the optional pyarrow) or an aligned table for people.

A document's rows are written together, so after an interrupted run only the last document in the file
can be incomplete; :func:`prepare_resume` cuts it off and returns the ids already done.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import IO, Any, Iterator, Sequence

from .errors import InputError
from .fact_table import Column, columns, to_row
from .facts import Fact

FORMATS = ("jsonl", "csv", "parquet", "table")
RESUMABLE = ("jsonl", "csv")
PARQUET_ROWS_PER_GROUP = 50_000


class FactWriter:
    """Writes the facts of one document at a time; ``source`` is the column of the document's id."""

    def __init__(self, stream: IO[str], *, with_source: bool = True):
        self.stream = stream
        self.with_source = with_source

    def write(self, source: Any, facts: Sequence[Fact]) -> None:
        raise NotImplementedError

    def close(self) -> None:
        self.stream.flush()


class JsonlWriter(FactWriter):
    def write(self, source: Any, facts: Sequence[Fact]) -> None:
        lines = []
        for fact in facts:
            row = fact.model_dump(mode="json")
            if self.with_source:
                row["source"] = source
            lines.append(json.dumps(row, ensure_ascii=False) + "\n")
        self.stream.write("".join(lines))


class CsvWriter(FactWriter):
    def __init__(self, stream: IO[str], *, with_source: bool = True, header: bool = True):
        super().__init__(stream, with_source=with_source)
        self.columns = columns()
        self.csv = csv.writer(stream)
        if header:
            self.csv.writerow(["source", *(c.name for c in self.columns)])

    def write(self, source: Any, facts: Sequence[Fact]) -> None:
        self.csv.writerows([source, *to_row(f, self.columns).values()] for f in facts)


class ParquetWriter(FactWriter):
    """Rows are buffered and written a row group at a time; the file is complete only after close()."""

    def __init__(self, path: Path):
        try:
            import pyarrow as pa
            import pyarrow.parquet as pq
        except ImportError:
            raise InputError("Parquet output needs pyarrow: pip install 'factkit[parquet]'") from None
        self.pa = pa
        self.columns = columns()
        self.schema = pa.schema([("source", pa.string())] + [(c.name, _arrow_type(pa, c)) for c in self.columns])
        self.writer = pq.ParquetWriter(str(path), self.schema)
        self.rows: list[dict[str, Any]] = []

    def write(self, source: Any, facts: Sequence[Fact]) -> None:
        self.rows.extend({"source": str(source), **to_row(f, self.columns)} for f in facts)
        if len(self.rows) >= PARQUET_ROWS_PER_GROUP:
            self._flush()

    def _flush(self) -> None:
        if self.rows:
            self.writer.write_table(self.pa.Table.from_pylist(self.rows, schema=self.schema))
            self.rows = []

    def close(self) -> None:
        self._flush()
        self.writer.close()


class TableWriter(FactWriter):
    """Aligned columns for reading in a terminal, one block per document."""

    def write(self, source: Any, facts: Sequence[Fact]) -> None:
        if self.with_source:
            self.stream.write(f"== {source}\n")
        rows = [(f"{f.start}-{f.end}", f.kind, f.text.replace("\n", " "), _value(f), f.rule) for f in facts]
        header = ("span", "kind", "text", "value", "rule")
        widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(5)]
        for row in [header, *rows]:
            self.stream.write("  ".join(str(c).ljust(w) for c, w in zip(row, widths)).rstrip() + "\n")


def prepare_resume(path: Path, fmt: str) -> set[str]:
    """The ids (as text) of the documents whose facts ``path`` already holds.

    The file is first cut after its last complete document: a trailing partial line goes, and so do the
    rows of the last document named, which an interrupted run may have left half written (it is done
    again). Documents without facts leave no row, so they are done again too, which is harmless.
    """
    if fmt not in RESUMABLE:
        raise InputError(f"--resume works with {' and '.join(RESUMABLE)} output, not {fmt}")
    if not path.exists():
        return set()
    ends: list[tuple[str, int]] = []  # (document id, offset just past its row)
    for source, end in (_jsonl_rows(path) if fmt == "jsonl" else _csv_rows(path)):
        ends.append((source, end))
    last = ends[-1][0] if ends else None
    keep = [(s, e) for s, e in ends if s != last]
    cut = keep[-1][1] if keep else (_csv_header_end(path) if fmt == "csv" else 0)
    with path.open("r+b") as stream:
        stream.truncate(cut)
    return {s for s, _ in keep}


def _jsonl_rows(path: Path) -> Iterator[tuple[str, int]]:
    offset = 0
    with path.open("rb") as stream:
        for number, raw in enumerate(stream, 1):
            if not raw.endswith(b"\n"):
                return  # cut short by the interruption
            offset += len(raw)
            try:
                yield str(json.loads(raw)["source"]), offset
            except (ValueError, KeyError, TypeError):
                raise InputError(f"{path}:{number}: not a fact line with a 'source' written by factkit; "
                                 "cannot resume into it") from None


def _csv_rows(path: Path) -> Iterator[tuple[str, int]]:
    offsets: list[int] = [0]

    def lines() -> Iterator[str]:
        with path.open("rb") as stream:
            for raw in stream:
                if not raw.endswith(b"\n"):
                    return
                offsets.append(offsets[-1] + len(raw))
                yield raw.decode("utf-8", errors="replace")

    reader = csv.reader(lines())
    try:
        header = next(reader, None)
        if header is None:
            return
        if not header or header[0] != "source":
            raise InputError(f"{path}:1: not a CSV of facts written by factkit; cannot resume into it")
        for row in reader:
            yield row[0], offsets[-1]
    except csv.Error:
        return  # a quoted value cut short by the interruption


def _csv_header_end(path: Path) -> int:
    with path.open("rb") as stream:
        first = stream.readline()
    return len(first) if first.endswith(b"\n") else 0


def _arrow_type(pa: Any, column: Column) -> Any:
    return {"string": pa.string(), "json": pa.string(), "integer": pa.int64(), "number": pa.float64(),
            "boolean": pa.bool_()}[column.type]


def _value(fact: Fact) -> str:
    d = fact.model_dump(mode="json")
    if fact.kind == "range":
        core = f"{d['low']}..{d['high']}"
    elif fact.kind == "date" and d.get("low") and d.get("value") is None:
        core = f"{d['low']}..{d['high']}"
    else:
        core = str(d.get("value"))
    extras = [str(d[k]) for k in ("unit", "qualifier", "granularity", "category") if d.get(k)]
    return core + (f" ({', '.join(extras)})" if extras else "")
