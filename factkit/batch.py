"""Many documents at once: :func:`extract_many` spreads them over worker processes and yields one result
record per document, in input order or as completed.

A document that fails (unreadable file, a rule that raises) becomes a :class:`DocumentError` naming the
document and the reason, and the batch goes on; a worker process that dies takes only its own document
with it. Memory stays bounded for any corpus size: documents are read from the input lazily and only a
fixed number of chunks is in flight at a time.

The extractor reaches each worker once, at start-up: inherited as it is where processes fork, pickled
where they spawn (a pickled extractor loads in about a tenth of a second; rebuilding it from pack names
takes seconds, as every rule is compiled again).
"""

from __future__ import annotations

import datetime as dt
import os
from collections import deque
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Iterable, Iterator, Mapping, Union

from .facts import Fact

if TYPE_CHECKING:
    from .extractor import Extractor

# A chunk's documents are extracted together (Extractor.extract_all): each rule's compiled pattern then
# serves all of them while the processor holds it in cache. 64 documents a call run 1.09-1.11x as fast as
# 16 on sentences (tests/benchmarks/chunk_sizes.py); long documents gain little, so a chunk also ends once
# its texts reach CHUNK_CHARS characters, which bounds what is in flight.
DEFAULT_CHUNK_SIZE = 64
CHUNK_CHARS = 1 << 18
PENDING_CHUNKS_PER_WORKER = 4


@dataclass(frozen=True)
class Document:
    """One document: its ``text``, or the ``path`` of a UTF-8 file to read it from (read in the worker, so
    that big texts do not cross process boundaries). ``reference_date`` overrides the extractor's for
    this document alone, e.g. an article's publication date. ``errors`` is how undecodable bytes in
    ``path`` are treated: ``"strict"`` (an error record) or ``"replace"`` (U+FFFD)."""

    id: Any
    text: str | None = None
    path: str | None = None
    reference_date: dt.date | str | None = None
    errors: str = "strict"


@dataclass(frozen=True)
class DocumentFacts:
    """The facts of one document, sorted by start offset; ``chars`` is the document's length (for a file
    read in streaming, its size in bytes)."""

    id: Any
    facts: tuple[Fact, ...]
    chars: int = 0
    ok = True


@dataclass(frozen=True)
class DocumentError:
    """A document that yielded no result: ``error`` says why, ``error_type`` names the exception."""

    id: Any
    error: str
    error_type: str = "Error"
    chars: int = 0
    ok = False


Result = Union[DocumentFacts, DocumentError]


def extract_many(extractor: Extractor, items: Iterable[Any], *, workers: int | None = None,
                 chunk_size: int | None = None, ordered: bool = True, id_field: str = "id",
                 text_field: str = "text") -> Iterator[Result]:
    """Extract from every item, yielding one :data:`Result` per item.

    An item is a ``str`` (its id is its 0-based position), an ``(id, text)`` pair, a :class:`Document`,
    or a mapping with ``text_field`` and, optionally, ``id_field`` and ``"reference_date"`` keys. Anything
    else yields a :class:`DocumentError`. ``workers`` is the number of processes (default: every core
    this process may use; 1 runs in this process). Items travel to workers, and are extracted together,
    ``chunk_size`` at a time (default 64), or fewer once their texts reach ``CHUNK_CHARS`` characters.
    With ``ordered`` (the default) results come in input order, otherwise as soon as each is ready.
    """
    workers = available_cores() if workers is None else workers
    if workers < 1:
        raise ValueError(f"workers must be at least 1, not {workers}")
    chunk_size = chunk_size or DEFAULT_CHUNK_SIZE
    if chunk_size < 1:
        raise ValueError(f"chunk_size must be at least 1, not {chunk_size}")
    return _extract_many(extractor, items, workers, chunk_size, ordered, (id_field, text_field))


def _extract_many(extractor: Extractor, items: Iterable[Any], workers: int, chunk_size: int, ordered: bool,
                  fields: tuple[str, str]) -> Iterator[Result]:
    chunks = _chunks(enumerate(items), chunk_size, fields[1])
    first = next(chunks, None)
    if first is None:
        return
    second = next(chunks, None) if workers > 1 else None
    if second is None:  # one chunk, or one worker: a pool would only add start-up time
        yield from _run_chunk(extractor, first, fields)
        for chunk in chunks:
            yield from _run_chunk(extractor, chunk, fields)
        return
    yield from _in_pool(extractor, _prepend([first, second], chunks), fields, workers, ordered)


def available_cores() -> int:
    """The cores this process may run on (its CPU affinity where the platform tells it)."""
    try:
        return len(os.sched_getaffinity(0)) or 1
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


Chunk = list[tuple[int, Any]]


def _in_pool(extractor: Extractor, chunks: Iterator[Chunk], fields: tuple[str, str], workers: int,
             ordered: bool) -> Iterator[Result]:
    """Keep at most ``workers * PENDING_CHUNKS_PER_WORKER`` chunks in flight.

    A worker that dies breaks the whole pool and fails every chunk in flight, so those documents are
    redone in a fresh pool one at a time, alone in flight: the one that breaks it again is the culprit and
    gets a :class:`DocumentError`; the others get their facts.
    """
    limit = workers * PENDING_CHUNKS_PER_WORKER
    pool = _new_pool(extractor, workers)
    pending: deque[_InFlight] = deque()
    suspects: deque[Chunk] = deque()
    held: list[Chunk] = []  # taken from the input when the pool turned out broken; goes first next time
    try:
        while True:
            isolating = bool(suspects) or any(p.suspect for p in pending)
            while len(pending) < (1 if isolating else limit):
                suspect = bool(suspects)
                chunk = suspects.popleft() if suspect else held.pop() if held else next(chunks, None)
                if chunk is None:
                    break
                try:
                    future = pool.submit(_run_chunk_in_worker, chunk, fields)
                except BrokenProcessPool:  # a worker died since the last wait: its future will say which
                    (suspects.appendleft if suspect else held.append)(chunk)
                    if not pending:
                        pool = _renew(pool, extractor, workers)
                    break
                pending.append(_InFlight(future, chunk, suspect))
            if not pending:
                return
            if ordered:
                wait([pending[0].future])
                ready = [pending.popleft()]
            else:
                done, _ = wait([p.future for p in pending], return_when=FIRST_COMPLETED)
                ready = [p for p in pending if p.future in done]
                pending = deque(p for p in pending if p.future not in done)
            broken: list[Chunk] = []
            pool_died = False
            for job in ready:
                try:
                    results = job.future.result()
                except BrokenProcessPool:
                    if job.suspect:
                        index, item = job.chunk[0]
                        yield DocumentError(_item_id(item, index, fields[0]),
                                            "the worker process died while extracting this document",
                                            "WorkerDied")
                    else:
                        broken.append(job.chunk)
                    pool_died = True
                    continue
                yield from results
            if pool_died:
                broken += [p.chunk for p in pending]  # failed with the pool, whatever their documents were
                pending.clear()
                suspects.extend([doc] for chunk in broken for doc in chunk)
                pool = _renew(pool, extractor, workers)
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


@dataclass
class _InFlight:
    future: Future[list[Result]]
    chunk: Chunk
    suspect: bool


def _new_pool(extractor: Extractor, workers: int) -> ProcessPoolExecutor:
    return ProcessPoolExecutor(max_workers=workers, initializer=_init_worker, initargs=(extractor,))


def _renew(pool: ProcessPoolExecutor, extractor: Extractor, workers: int) -> ProcessPoolExecutor:
    pool.shutdown(wait=True, cancel_futures=True)
    return _new_pool(extractor, workers)


_worker_extractor: Extractor | None = None


def _init_worker(extractor: Extractor) -> None:
    global _worker_extractor
    _worker_extractor = extractor


def _run_chunk_in_worker(chunk: Chunk, fields: tuple[str, str]) -> list[Result]:
    assert _worker_extractor is not None, "worker started without an extractor"
    return list(_run_chunk(_worker_extractor, chunk, fields))


def _run_chunk(extractor: Extractor, chunk: Chunk, fields: tuple[str, str]) -> Iterator[Result]:
    """The results of a chunk, in order. Its texts are extracted together (``Extractor.extract_all``,
    faster for short documents) unless the extractor's class has its own ``extract``; if that fails, each
    document is extracted alone, so that the error names its own document."""
    docs: list[Document | None] = []
    for index, item in chunk:
        try:
            docs.append(as_document(item, index, *fields))
        except Exception:  # noqa: BLE001 -- extract_one below says what is wrong with it
            docs.append(None)
    texts: list[Document] = []
    for i, doc in enumerate(docs):
        if doc is not None and doc.text is None and doc.path is not None:
            docs[i] = doc = _read_small(doc)
        if doc is not None and doc.text is not None:
            texts.append(doc)
    done: dict[int, Result] = {}
    from .extractor import Extractor

    # together only where extract() is the library's own: a subclass that changes it is obeyed
    together = getattr(extractor, "extract_all", None) if type(extractor).extract is Extractor.extract else None
    if together is not None and len(texts) > 1:
        try:
            found = together([doc.text for doc in texts], reference_date=[doc.reference_date for doc in texts])
        except Exception:  # noqa: BLE001 -- one by one below
            found = None
        if found is not None:
            done = {id(doc): DocumentFacts(doc.id, tuple(facts), os.path.getsize(doc.path) if doc.path
                                           else len(doc.text or "")) for doc, facts in zip(texts, found)}
    for (index, item), doc in zip(chunk, docs):
        result = done.get(id(doc)) if doc is not None else None
        yield result if result is not None else extract_one(extractor, item, index, *fields)


def extract_one(extractor: Extractor, item: Any, index: int = 0, id_field: str = "id",
                text_field: str = "text") -> Result:
    """The result for one item (see :func:`extract_many` for what an item may be); never raises."""
    doc_id = _item_id(item, index, id_field)
    try:
        doc = as_document(item, index, id_field, text_field)
        if doc.text is None:
            return DocumentFacts(doc.id, *_extract_file(extractor, doc))
        facts = extractor.extract(doc.text, reference_date=doc.reference_date)
        return DocumentFacts(doc.id, tuple(facts), len(doc.text))
    except Exception as exc:  # noqa: BLE001 -- one bad document must not end the batch; the record says why
        return DocumentError(doc_id, str(exc) or type(exc).__name__, type(exc).__name__)


def as_document(item: Any, index: int, id_field: str = "id", text_field: str = "text") -> Document:
    """Turn one input item into a :class:`Document`; raise ``TypeError`` saying what was expected."""
    if isinstance(item, Document):
        doc = item
    elif isinstance(item, str):
        doc = Document(index, item)
    elif isinstance(item, tuple) and len(item) == 2:
        doc = Document(item[0], item[1])
    elif isinstance(item, Mapping):
        if text_field not in item:
            raise TypeError(f"record has no {text_field!r} field")
        doc = Document(item.get(id_field, index), item[text_field], reference_date=item.get("reference_date"))
    else:
        raise TypeError(f"expected a str, an (id, text) pair, a Document or a mapping, not "
                        f"{type(item).__name__}")
    if doc.text is None and doc.path is None:
        raise TypeError("document has neither text nor path")
    if doc.text is not None and not isinstance(doc.text, str):
        raise TypeError(f"document text is {type(doc.text).__name__}, not str")
    return doc


def _item_id(item: Any, index: int, id_field: str) -> Any:
    if isinstance(item, Document):
        return item.id
    if isinstance(item, tuple) and len(item) == 2:
        return item[0]
    if isinstance(item, Mapping):
        return item.get(id_field, index)
    return index


SMALL_FILE = 1 << 20  # bytes: a file up to this size is read whole and extracted with its chunk


def _read_small(doc: Document) -> Document:
    """A file document with its text, if the file is small and reads cleanly; else as it was (it is then
    streamed, or its error reported, by extract_one)."""
    from dataclasses import replace

    from .pack_loader import read_text_file

    try:
        if os.path.getsize(doc.path or "") > SMALL_FILE:
            return doc
        return replace(doc, text=read_text_file(doc.path or "", errors=doc.errors))
    except Exception:  # noqa: BLE001 -- extract_one reads it again and reports what is wrong
        return doc


def _extract_file(extractor: Extractor, doc: Document) -> tuple[tuple[Fact, ...], int]:
    """The facts of a file document and its size: streamed in bounded memory where the extractor can
    (``extract_file``), else read whole."""
    assert doc.path is not None
    extract_file = getattr(extractor, "extract_file", None)
    if extract_file is None:
        from .pack_loader import read_text_file

        text = read_text_file(doc.path, errors=doc.errors)
        return tuple(extractor.extract(text, reference_date=doc.reference_date)), len(text)
    facts = tuple(extract_file(doc.path, errors=doc.errors, reference_date=doc.reference_date))
    return facts, os.path.getsize(doc.path)


def _chunks(items: Iterator[tuple[int, Any]], size: int, text_field: str = "text",
            chars: int = CHUNK_CHARS) -> Iterator[Chunk]:
    """Chunks of at most ``size`` items, each ended early once its texts reach ``chars`` characters."""
    chunk: Chunk = []
    total = 0
    for item in items:
        chunk.append(item)
        total += _length(item[1], text_field)
        if len(chunk) >= size or total >= chars:
            yield chunk
            chunk, total = [], 0
    if chunk:
        yield chunk


def _length(item: Any, text_field: str) -> int:
    """The length of an item's text where it is at hand (a file's size in bytes); 0 where it is not."""
    try:
        doc = as_document(item, 0, text_field=text_field)
    except TypeError:  # reported when its chunk runs
        return 0
    if doc.text is not None:
        return len(doc.text)
    try:
        return os.path.getsize(doc.path or "")
    except (OSError, ValueError):
        return 0


def _prepend(first: list[Chunk], rest: Iterator[Chunk]) -> Iterator[Chunk]:
    yield from first
    yield from rest
