"""The documents a list of inputs holds: text files, directories of them, JSONL, CSV and Parquet tables
with a text column, and standard input. Documents are produced lazily, one at a time, so a corpus of any
size streams through; a record that cannot be read is reported through ``on_error`` and skipped.

A text file's document id is its path as given (joined under its directory for files found inside one); a
table row's id is its ``id_field``, or ``PATH:LINE`` (JSONL, CSV) or ``PATH:ROW`` (Parquet) without one.
"""

from __future__ import annotations

import csv
import json
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Callable, Iterator, Literal

from .batch import Document
from .errors import InputError

InputFormat = Literal["auto", "text", "jsonl", "csv", "parquet"]
TABLE_SUFFIXES = {".jsonl": "jsonl", ".ndjson": "jsonl", ".csv": "csv", ".parquet": "parquet"}
OnError = Callable[[str, str], None]


@dataclass(frozen=True)
class Fields:
    """Which columns of a table hold the text, the id and (optionally) the reference date."""

    text: str = "text"
    id: str = "id"
    date: str | None = None


def input_format(name: str, declared: InputFormat = "auto") -> str:
    """The format of input ``name``: as declared, else by its suffix (``text`` for anything unknown)."""
    if declared != "auto":
        return declared
    return TABLE_SUFFIXES.get(Path(name).suffix.lower(), "text")


def list_files(directory: Path, glob: str) -> list[Path]:
    """Files under ``directory`` (recursively) whose names match ``glob``, hidden ones left out, sorted."""
    found = [p for p in directory.rglob(glob)
             if p.is_file() and not any(part.startswith(".") for part in p.relative_to(directory).parts)]
    return sorted(found)


def documents(name: str, *, fmt: InputFormat = "auto", fields: Fields = Fields(), glob: str = "*.txt",
              errors: str = "strict", on_error: OnError) -> Iterator[Document]:
    """The documents of one input: ``-`` is standard input, a directory gives its matching files."""
    path = Path(name)
    kind = input_format(name, fmt)
    if name == "-":
        if kind == "text":
            yield _stdin_document(errors)
        elif kind == "jsonl":
            yield from _jsonl(sys.stdin.buffer, "<stdin>", fields, errors, on_error)
        else:
            raise InputError(f"<stdin>: {kind} input must come from a file")
    elif path.is_dir():
        for file in list_files(path, glob):
            yield from documents(str(file), fmt=fmt, fields=fields, glob=glob, errors=errors, on_error=on_error)
    elif kind == "text":
        yield Document(name, path=name, errors=errors)
    elif not path.is_file():
        on_error(name, f"{name}: cannot read: no such file")
    elif kind == "jsonl":
        with path.open("rb") as stream:
            yield from _jsonl(stream, name, fields, errors, on_error)
    elif kind == "csv":
        yield from _csv(path, fields, errors, on_error)
    else:
        yield from _parquet(path, fields, on_error)


def count_documents(names: list[str], *, fmt: InputFormat = "auto", glob: str = "*.txt") -> int | None:
    """How many documents the inputs hold, cheaply: files are counted, table lines estimated (a CSV value
    spanning lines counts twice); ``None`` where it cannot tell (standard input)."""
    total = 0
    for name in names:
        path = Path(name)
        if name == "-":
            return None
        files = list_files(path, glob) if path.is_dir() else [path]
        for file in files:
            kind = input_format(str(file), fmt)
            if kind == "text" or not file.is_file():
                total += 1
            elif kind == "parquet":
                total += _parquet_rows(file)
            else:
                total += _count_lines(file) - (kind == "csv")
    return total


def _stdin_document(errors: str) -> Document:
    data = sys.stdin.buffer.read()
    try:
        return Document("-", data.decode("utf-8", errors=errors))
    except UnicodeDecodeError as exc:
        raise InputError(f"<stdin>: not valid UTF-8 at byte {exc.start} (use --errors replace)") from None


def _jsonl(stream: IO[bytes], name: str, fields: Fields, errors: str, on_error: OnError) -> Iterator[Document]:
    for number, raw in enumerate(stream, 1):
        where = f"{name}:{number}"
        if not raw.strip():
            continue
        try:
            record = json.loads(raw.decode("utf-8", errors=errors))
        except UnicodeDecodeError as exc:
            on_error(where, f"{where}: not valid UTF-8 at byte {exc.start} of the line (use --errors replace)")
            continue
        except json.JSONDecodeError as exc:
            on_error(where, f"{where}:{exc.colno}: not valid JSON: {exc.msg}")
            continue
        if not isinstance(record, dict):
            on_error(where, f"{where}: expected a JSON object, not {type(record).__name__}")
            continue
        doc = _record_document(record, where, fields, on_error)
        if doc is not None:
            yield doc


def _csv(path: Path, fields: Fields, errors: str, on_error: OnError) -> Iterator[Document]:
    csv.field_size_limit(min(sys.maxsize, 2**31 - 1))  # articles are longer than csv's 128 KiB default
    with path.open(encoding="utf-8", errors=errors, newline="") as stream:
        reader = csv.DictReader(stream)
        try:
            if reader.fieldnames is not None and fields.text not in reader.fieldnames:
                on_error(str(path), f"{path}:1: no column {fields.text!r} (columns: "
                                    f"{', '.join(reader.fieldnames)}; see --text-field)")
                return
            for record in reader:
                doc = _record_document(record, f"{path}:{reader.line_num}", fields, on_error)
                if doc is not None:
                    yield doc
        except UnicodeDecodeError as exc:
            on_error(str(path), f"{path}: not valid UTF-8 near line {reader.line_num + 1} at byte {exc.start} "
                                "of a block (use --errors replace); the rest of the file is skipped")
        except csv.Error as exc:
            on_error(str(path), f"{path}:{reader.line_num}: not valid CSV: {exc}; the rest of the file is skipped")


def _parquet(path: Path, fields: Fields, on_error: OnError) -> Iterator[Document]:
    pq = _pyarrow_parquet()
    table = pq.ParquetFile(path)
    names = set(table.schema_arrow.names)
    if fields.text not in names:
        on_error(str(path), f"{path}: no column {fields.text!r} (columns: {', '.join(sorted(names))}; "
                            "see --text-field)")
        return
    wanted = [c for c in (fields.text, fields.id, fields.date) if c and c in names]
    row = 0
    for batch in table.iter_batches(columns=wanted):
        for record in batch.to_pylist():
            row += 1
            doc = _record_document(record, f"{path}:{row}", fields, on_error)
            if doc is not None:
                yield doc


def _record_document(record: dict, where: str, fields: Fields, on_error: OnError) -> Document | None:
    doc_id = record.get(fields.id)
    doc_id = where if doc_id in (None, "") else doc_id
    text = record.get(fields.text)
    if not isinstance(text, str):
        what = "no" if text is None else f"a {type(text).__name__} in its"
        on_error(str(doc_id), f"{where}: record has {what} {fields.text!r} field (see --text-field)")
        return None
    date = record.get(fields.date) if fields.date else None
    return Document(doc_id, text, reference_date=date or None)


def _count_lines(path: Path) -> int:
    lines = 0
    with path.open("rb") as stream:
        while block := stream.read(1 << 20):
            lines += block.count(b"\n")
    return lines


def _parquet_rows(path: Path) -> int:
    return int(_pyarrow_parquet().ParquetFile(path).metadata.num_rows)


def _pyarrow_parquet():  # type: ignore[no-untyped-def]
    try:
        import pyarrow.parquet as pq
    except ImportError:
        raise InputError("Parquet needs pyarrow: pip install 'factkit[parquet]'") from None
    return pq
