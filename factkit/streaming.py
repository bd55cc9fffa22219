"""Extraction over text of any size in bounded memory: a file of several gigabytes never has to fit.

The text arrives in pieces of any size. It is cut into regions of about ``window`` characters, each cut
placed at the safest boundary near the target (a paragraph break, else a line break, else a sentence end,
else any space). Each region is extracted together with ``overlap`` characters of context on both sides,
and only the facts that *start* inside the region are kept, so each fact comes from exactly one region and
nothing at a seam is lost or reported twice. Offsets are shifted to count from the start of the whole text.

For any text in which no fact (and no rule's look-around) spans more than ``overlap`` characters, the
facts equal those of :meth:`Extractor.extract` on the whole text; ``tests/test_streaming.py`` checks this
property on generated texts. Memory holds one region plus its margins (about ``window + 4 * overlap``
characters) and the facts of one region.
"""

from __future__ import annotations

import codecs
import datetime as dt
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import InputError
from .facts import Fact

if TYPE_CHECKING:
    from .extractor import Extractor

DEFAULT_WINDOW = 1 << 20  # characters per region: large enough that margins cost under 1% extra work
DEFAULT_OVERLAP = 2048  # characters of context on each side; far longer than any fact of the built-in packs
READ_BYTES = 1 << 20
_SENTENCE_ENDS = (". ", "! ", "? ", ".\n", "!\n", "?\n")


def extract_stream(extractor: Extractor, chunks: Iterable[str], *,
                   reference_date: dt.date | str | None = None, window: int = DEFAULT_WINDOW,
                   overlap: int = DEFAULT_OVERLAP) -> Iterator[Fact]:
    """Facts of the text made by joining ``chunks``, in order of start, with offsets into the whole text.

    A generator: facts come out region by region while the chunks are still being read.
    """
    if window < 1 or overlap < 0:
        raise ValueError(f"window must be positive and overlap not negative (got {window}, {overlap})")
    ref = reference_date if reference_date is not None else extractor.reference_date
    if ref is None:
        ref = dt.date.today()  # fixed once, so that a stream read across midnight stays consistent
    buf = ""  # text from global offset `base` on
    base = 0
    done = 0  # regions before this global offset are finished
    last_end = 0  # end of the last fact given out: a later fact never overlaps it
    pieces = iter(chunks)
    finished = False
    while True:
        need = done - base + window + 2 * overlap
        parts = [buf]
        size = len(buf)
        while size < need and not finished:
            piece = next(pieces, None)
            if piece is None:
                finished = True
                break
            if not isinstance(piece, str):
                raise TypeError(f"extract_stream() takes pieces of str, not {type(piece).__name__}")
            parts.append(piece)
            size += len(piece)
        buf = "".join(parts)
        local_done = done - base
        if finished and len(buf) - local_done <= window + overlap:
            cut = len(buf)  # the last region takes the rest
        else:
            cut = _cut_back(buf, local_done + max(1, window // 2), local_done + window)
        seg_start = _cut_back(buf, max(0, local_done - 2 * overlap), max(0, local_done - overlap))
        seg_end = len(buf) if cut == len(buf) else _cut_forward(buf, cut + overlap, cut + 2 * overlap)
        facts = extractor.extract(buf[seg_start:seg_end], reference_date=ref)
        offset = base + seg_start
        for fact in facts:
            start = fact.start + offset
            if start < done or start >= base + cut or start < last_end:
                continue
            if offset:
                fact = fact.model_copy(update={"start": start, "end": fact.end + offset})
            last_end = fact.end
            yield fact
        done = base + cut
        if cut == len(buf) and finished:
            return
        keep = max(0, cut - 3 * overlap)  # enough context for the next region's left margin
        buf, base = buf[keep:], base + keep


def iter_text_file(path: str | Path, *, errors: str = "strict", read_bytes: int = READ_BYTES) -> Iterator[str]:
    """The UTF-8 text of ``path`` in pieces, decoded as it is read.

    Raises :class:`InputError` (naming the file, line and byte offset) for a binary file or invalid UTF-8
    with ``errors="strict"``; ``errors="replace"`` substitutes U+FFFD instead.
    """
    try:
        handle = open(path, "rb")  # noqa: SIM115 - closed by the with below; open errors become InputError
    except OSError as exc:
        raise InputError(f"{path}: cannot read: {exc.strerror or exc}") from None
    decoder = codecs.getincrementaldecoder("utf-8")(errors)
    consumed = 0  # bytes handed to the decoder before this block
    lines = 1
    with handle:
        first = True
        while True:
            try:
                block = handle.read(read_bytes)
            except OSError as exc:
                raise InputError(f"{path}: cannot read: {exc.strerror or exc}") from None
            if first and errors == "strict" and b"\x00" in block[:8192]:
                raise InputError(f"{path}: looks like a binary file (NUL bytes); factkit reads UTF-8 text")
            first = False
            try:
                text = decoder.decode(block, final=not block)
            except UnicodeDecodeError as exc:
                pending = len(exc.object) - len(block)  # bytes of a character begun in the previous block
                at = consumed - pending + exc.start
                line = lines + block[:max(0, exc.start - pending)].count(b"\n")
                raise InputError(f"{path}:{line}: not valid UTF-8 at byte {at} (use errors='replace' to "
                                 "substitute U+FFFD)") from None
            consumed += len(block)
            lines += block.count(b"\n")
            if text:
                yield text
            if not block:
                return


def extract_file(extractor: Extractor, path: str | Path, *, errors: str = "strict",
                 reference_date: dt.date | str | None = None, window: int = DEFAULT_WINDOW,
                 overlap: int = DEFAULT_OVERLAP) -> Iterator[Fact]:
    """Facts of a UTF-8 file of any size, streamed; see :func:`extract_stream` and :func:`iter_text_file`."""
    return extract_stream(extractor, iter_text_file(path, errors=errors), reference_date=reference_date,
                          window=window, overlap=overlap)


def _cut_back(text: str, lo: int, hi: int) -> int:
    """The best place to cut ``text`` in ``[lo, hi]``, searching back from ``hi``: just after a paragraph
    break, else a line break, else a sentence end, else a space; ``hi`` itself if there is none."""
    hi = min(hi, len(text))
    lo = max(0, min(lo, hi))
    if hi >= len(text) or hi <= 0:
        return hi
    for sep in ("\n\n", "\n"):
        at = text.rfind(sep, lo, hi)
        if at != -1:
            return at + len(sep)
    best = max(text.rfind(end, lo, hi) for end in _SENTENCE_ENDS)
    if best != -1:
        return best + 2
    for at in range(hi - 1, max(lo, hi - 4096) - 1, -1):  # a bounded scan: a 10 MB line has no spaces
        if text[at].isspace():
            return at + 1
    return hi


def _cut_forward(text: str, lo: int, hi: int) -> int:
    """Like :func:`_cut_back`, searching forward from ``lo``; ``hi`` (or the end) if there is none."""
    if lo >= len(text):
        return len(text)
    hi = min(hi, len(text))
    for sep in ("\n\n", "\n"):
        at = text.find(sep, lo, hi)
        if at != -1:
            return at + len(sep)
    for at in range(lo, min(hi, lo + 4096)):
        if text[at].isspace():
            return at + 1
    return hi
