"""A one-line progress report for long runs: documents done (of how many, when known), characters per
second and the time left. It draws only on a terminal, so logs and pipes stay clean, and at most a few
times a second, so it costs nothing next to extraction.
"""

from __future__ import annotations

import sys
import time
from typing import Callable, TextIO


class Progress:
    """Counts documents and characters and redraws one line on ``stream`` (default: standard error).

    ``enabled`` defaults to whether ``stream`` is a terminal. ``total`` (documents) gives the percentage
    and the time left; without it the line shows counts and rates only.
    """

    def __init__(self, total: int | None = None, *, stream: TextIO | None = None, enabled: bool | None = None,
                 interval: float = 0.2, clock: Callable[[], float] = time.monotonic):
        self.stream = stream if stream is not None else sys.stderr
        self.enabled = _is_terminal(self.stream) if enabled is None else enabled
        self.total = total
        self.docs = 0
        self.chars = 0
        self.failed = 0
        self.interval = interval
        self._clock = clock
        self._start = clock()
        self._last_draw = float("-inf")
        self._width = 0

    def update(self, docs: int = 1, chars: int = 0, failed: int = 0) -> None:
        """Count ``docs`` more documents of ``chars`` characters, ``failed`` of them failed."""
        self.docs += docs
        self.chars += chars
        self.failed += failed
        now = self._clock()
        if self.enabled and now - self._last_draw >= self.interval:
            self._last_draw = now
            self._draw(now)

    def note(self, message: str) -> None:
        """Print ``message`` on its own line above the progress line."""
        if self.enabled:
            self.stream.write("\r" + message.ljust(self._width) + "\n")
            self._draw(self._clock())
        else:
            self.stream.write(message + "\n")
        self.stream.flush()

    def close(self) -> None:
        """Draw the final counts and end the line."""
        if self.enabled:
            self._draw(self._clock())
            self.stream.write("\n")
            self.stream.flush()

    def __enter__(self) -> Progress:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def line(self, now: float | None = None) -> str:
        """The progress line as it would be drawn at ``now``."""
        elapsed = max((self._clock() if now is None else now) - self._start, 1e-9)
        parts = [f"{self.docs:,} docs"]
        if self.total:
            parts[0] = f"{self.docs:,}/{self.total:,} docs ({100 * self.docs / self.total:.0f}%)"
        if self.failed:
            parts.append(f"{self.failed:,} failed")
        parts.append(f"{_si(self.chars / elapsed)} chars/s")
        if self.total and self.docs:
            left = max(self.total - self.docs, 0) * elapsed / self.docs
            parts.append(f"ETA {_duration(left)}")
        parts.append(f"elapsed {_duration(elapsed)}")
        return "factkit: " + "  ".join(parts)

    def _draw(self, now: float) -> None:
        text = self.line(now)
        pad = " " * max(self._width - len(text), 0)  # wipe what a longer previous line left behind
        self._width = len(text)
        self.stream.write("\r" + text + pad)
        self.stream.flush()


def _is_terminal(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):  # closed or not a real file
        return False


def _si(value: float) -> str:
    for limit, suffix in ((1e9, "G"), (1e6, "M"), (1e3, "k")):
        if value >= limit:
            return f"{value / limit:.1f}{suffix}"
    return f"{value:.0f}"


def _duration(seconds: float) -> str:
    seconds = round(seconds)
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours}h{minutes:02d}m"
    if minutes:
        return f"{minutes}m{secs:02d}s"
    return f"{secs}s"
