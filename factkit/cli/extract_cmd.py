"""``factkit extract``: facts from files, directories, JSONL/CSV/Parquet tables or standard input, over
worker processes, as JSON lines, CSV, Parquet or a table.

One plain file (or standard input) behaves as it always has: its facts as JSON lines without a
``source``, and an unreadable file stops the run with exit code 2. With several documents every fact
carries its document's id as ``source``; a document that fails is reported on standard error, the rest
go on, and the exit code is 1.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import IO, Iterator

from ..batch import CHUNK_CHARS, DEFAULT_CHUNK_SIZE, Document, DocumentError, extract_many
from ..corpus import Fields, count_documents, documents, input_format
from ..errors import FactkitError, InputError
from ..fact_output import FORMATS, CsvWriter, FactWriter, JsonlWriter, ParquetWriter, TableWriter, prepare_resume
from ..progress import Progress
from .common import add_pack_options, build_extractor

_SUFFIX_FORMATS = {".jsonl": "jsonl", ".ndjson": "jsonl", ".json": "jsonl", ".csv": "csv", ".parquet": "parquet"}


def add_parser(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    ex = sub.add_parser("extract", help="extract facts from files, directories, tables or standard input")
    ex.add_argument("inputs", nargs="*", metavar="PATH",
                    help="text files, directories (searched recursively, see --glob) and .jsonl/.csv/.parquet "
                         "tables; '-' or none reads standard input")
    add_pack_options(ex)
    ex.add_argument("--kinds", help="comma-separated fact kinds to keep (before overlap resolution)")
    ex.add_argument("--errors", choices=["strict", "replace"], default="strict",
                    help="what to do with bytes that are not UTF-8 (default: the document fails)")
    corpus = ex.add_argument_group("corpus input")
    corpus.add_argument("--glob", default="*.txt", help="files to take from directories (default: *.txt)")
    corpus.add_argument("--input-format", choices=["auto", "text", "jsonl", "csv", "parquet"], default="auto",
                        help="how to read the inputs (default: by suffix; anything else is a text file)")
    corpus.add_argument("--text-field", default="text", help="table column holding the text (default: text)")
    corpus.add_argument("--id-field", default="id",
                        help="table column holding the document id (default: id; else PATH:LINE)")
    corpus.add_argument("--date-field", help="table column holding each document's reference date")
    out = ex.add_argument_group("output")
    out.add_argument("--format", choices=FORMATS,
                     help="output format (default: from --output's suffix, else jsonl)")
    out.add_argument("--output", "-o", metavar="PATH", help="write here instead of standard output")
    out.add_argument("--resume", action="store_true",
                     help="skip the documents whose facts --output already holds, and append")
    run_opts = ex.add_argument_group("running")
    run_opts.add_argument("--workers", type=int, metavar="N", help="worker processes (default: every core)")
    run_opts.add_argument("--chunk-size", type=int, metavar="N",
                          help=f"documents sent to a worker and extracted together at a time (default: "
                               f"{DEFAULT_CHUNK_SIZE}, fewer once their texts reach {CHUNK_CHARS:,} characters)")
    run_opts.add_argument("--progress", action=argparse.BooleanOptionalAction, default=None,
                          help="progress line on standard error (default: when it is a terminal)")
    ex.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    inputs = args.inputs or ["-"]
    fmt = _output_format(args)
    kinds = [k.strip() for k in args.kinds.split(",") if k.strip()] if args.kinds else None
    if args.workers is not None and args.workers < 1:
        raise ValueError(f"--workers must be at least 1, not {args.workers}")
    extractor = build_extractor(args, kinds)
    single = len(inputs) == 1 and (inputs[0] == "-" or (not Path(inputs[0]).is_dir()
                                                         and input_format(inputs[0], args.input_format) == "text"))
    done: set[str] = set()
    if args.resume:
        if not args.output:
            raise InputError("--resume needs --output, the file to resume")
        done = prepare_resume(Path(args.output), fmt)
    show = args.progress if args.progress is not None else (not single and sys.stderr.isatty())
    total = count_documents(inputs, fmt=args.input_format, glob=args.glob) if show else None
    progress = Progress(total - len(done) if total is not None else None, enabled=show)
    failures: list[str] = []

    def report(doc_id: str, message: str) -> None:
        failures.append(doc_id)
        progress.note(f"factkit: {message}")

    fields = Fields(args.text_field, args.id_field, args.date_field)
    docs: Iterator[Document] = (
        doc for name in inputs
        for doc in documents(name, fmt=args.input_format, fields=fields, glob=args.glob, errors=args.errors,
                             on_error=report)
        if str(doc.id) not in done)
    stream, writer = _open_output(args, fmt, with_source=not single or args.resume or fmt in ("csv", "parquet"))
    try:
        for result in extract_many(extractor, docs, workers=args.workers, chunk_size=args.chunk_size):
            if isinstance(result, DocumentError):
                if single:
                    raise (InputError if result.error_type == "InputError" else FactkitError)(result.error)
                named = result.error.startswith(str(result.id))
                report(str(result.id), result.error if named else f"{result.id}: {result.error}")
                progress.update(failed=1)
                continue
            writer.write(result.id, result.facts)
            progress.update(chars=result.chars)
    finally:
        writer.close()
        progress.close()
        if stream is not sys.stdout:
            stream.close()
    if failures and not single:
        print(f"factkit: {len(failures)} document{'s' if len(failures) != 1 else ''} failed", file=sys.stderr)
        return 1
    return 0


def _output_format(args: argparse.Namespace) -> str:
    if args.format:
        fmt = args.format
    elif args.output:
        fmt = _SUFFIX_FORMATS.get(Path(args.output).suffix.lower(), "jsonl")
    else:
        fmt = "jsonl"
    if fmt == "parquet" and not args.output:
        raise InputError("Parquet output needs --output PATH")
    return fmt


def _open_output(args: argparse.Namespace, fmt: str, *, with_source: bool) -> tuple[IO[str], FactWriter]:
    path = Path(args.output) if args.output else None
    if fmt == "parquet":
        assert path is not None
        return sys.stdout, ParquetWriter(path)
    if path is None:
        stream: IO[str] = sys.stdout
        fresh = True
    else:
        try:
            fresh = not args.resume or not path.exists() or path.stat().st_size == 0
            stream = path.open("a" if args.resume else "w", encoding="utf-8", newline="")
        except OSError as exc:
            raise InputError(f"{path}: cannot write: {exc.strerror or exc}") from None
    if fmt == "csv":
        return stream, CsvWriter(stream, with_source=True, header=fresh)
    if fmt == "table":
        return stream, TableWriter(stream, with_source=with_source)
    return stream, JsonlWriter(stream, with_source=with_source)

