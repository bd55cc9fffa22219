"""Time limits on the matcher's regex calls without a clock reading at every call.

The regex engine bounds a call by its ``timeout`` argument, and reads the process's CPU clock to do so: two
system calls, about 0.6 microseconds, on every call. Most of the matcher's calls cost less than that
themselves, and the readings came to about a tenth of all extraction time. Where it can, the matcher instead
watches a whole run of calls with one interval timer:

- the timer ticks in CPU time, ``TICKS`` times per limit;
- the matcher counts its progress (:class:`Progress`: one step at each position its loops try);
- a tick that finds no step for ``TICKS`` ticks in a row, while a call the matcher's loops made is running,
  raises :class:`TimeoutError` there. The regex engine checks for signals as it works, so the exception
  ends the running call as its own timeout would, and the matcher stops the rule as before.

A call is then stopped after one to one and a quarter limits of CPU time, where its own timeout stopped it
after one. Ticks that land elsewhere (in a value parser, say) do not count, as only regex calls are limited;
a tick that lands just after a slow call returned may still count it, so a call is stopped after at least
``(TICKS - 1) / TICKS`` of a limit.

The timer needs the main thread (the only one where Python runs signal handlers), ``signal.setitimer``,
and SIGVTALRM and its timer free: not handled or armed by anyone else. Elsewhere each call passes its own
timeout, as before. The handler is installed at the first watch and then stays: it does nothing while no
watch is on, and removing it could let a tick already on its way reach the default action, which ends the
process.

Another component can use the same signal unseen: a native library's own timer (a Haskell runtime's, as
the Duckling bindings load, ticks with SIGVTALRM from ``timer_create``, which ``getitimer`` does not
show), or a handler installed below Python, which ``getsignal`` does not show. The watch gives the timer
up for good (each call then passes its own timeout) once it sees a second tick between two watches (ours
sends at most one once stopped), or a watch run for three intervals, and ``NO_TICKS`` seconds at least,
without a tick (they went to another's handler). Until then, another's faster ticks count as ours (a slow
call may be stopped early, and is reported), and with our handler replaced below Python a runaway call
is not stopped. At exit the handler is replaced by "ignore": the interpreter would otherwise restore the
default action, which ends the process if another's timer still ticks.
"""

from __future__ import annotations

import atexit
import signal
import threading
import time
from contextlib import contextmanager
from types import CodeType, FrameType
from typing import Iterator

try:
    import resource
except ImportError:  # pragma: no cover - no interval timers there either
    resource = None  # type: ignore[assignment]

TICKS = 8  # ticks per limit (see the module's docstring for the bounds this gives)
NO_TICKS = 0.5  # seconds of CPU time at least, in a watch with no tick, before the ticks are deemed lost


class Progress:
    """Steps the loops of one matcher call have taken: one per position tried."""

    __slots__ = ("steps",)

    def __init__(self) -> None:
        self.steps = 0


class _Watch:
    __slots__ = ("progress", "codes", "seen", "stale", "began", "ticks")

    def __init__(self, progress: Progress, codes: frozenset[CodeType]):
        self.progress = progress
        self.codes = codes
        self.seen = -1  # the steps at the last tick (-1: none seen yet, or the tick was elsewhere)
        self.stale = 0  # ticks in a row without a step, inside the matcher's calls
        self.began = _user_time()
        self.ticks = 0  # received


def _user_time() -> float:
    """The process's user CPU time: the clock ITIMER_VIRTUAL counts."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_utime if resource is not None else time.process_time()


_current: _Watch | None = None
_foreign = False  # someone else sends SIGVTALRM or took its handler: the timer is not used again
_stray = 0  # ticks since the last watch ended


def _tick(signum: int, frame: FrameType | None) -> None:
    global _foreign, _stray
    watch = _current
    if watch is None:
        _stray += 1
        if _stray > 1:  # our timer, once stopped, sends at most one already on its way
            _foreign = True
        return
    watch.ticks += 1
    # the running call is the matcher's own: made by one of its loops, directly or through a stand-in that
    # builds a pattern on its first call
    if frame is None or not (frame.f_code in watch.codes
                             or (frame.f_back is not None and frame.f_back.f_code in watch.codes)):
        watch.seen = -1  # time spent elsewhere does not count
        return
    steps = watch.progress.steps
    if steps != watch.seen:
        watch.seen, watch.stale = steps, 0
        return
    watch.stale += 1
    if watch.stale >= TICKS:
        watch.seen, watch.stale = -1, 0
        raise TimeoutError("regex call ran out of time")


def _can_watch() -> bool:
    if _foreign or not hasattr(signal, "setitimer") or threading.current_thread() is not threading.main_thread():
        return False
    if signal.getitimer(signal.ITIMER_VIRTUAL) != (0.0, 0.0):  # someone else's timer
        return False
    handler = signal.getsignal(signal.SIGVTALRM)
    if handler is _tick:
        return True
    if handler is not signal.SIG_DFL:  # someone else's handler (or one set outside Python)
        return False
    try:
        signal.signal(signal.SIGVTALRM, _tick)
    except (ValueError, OSError):
        return False
    atexit.unregister(_release)  # once, however often the handler is installed again
    atexit.register(_release)
    return True


def _release() -> None:
    """Ignore the signal from now on, if the handler is ours (see the module's docstring)."""
    try:
        if signal.getsignal(signal.SIGVTALRM) is _tick:
            signal.signal(signal.SIGVTALRM, signal.SIG_IGN)
    except (ValueError, OSError):  # pragma: no cover - atexit runs in the main thread
        pass


@contextmanager
def watching(progress: Progress, limit: float, codes: frozenset[CodeType]) -> Iterator[bool]:
    """Watches the calls made inside, by ``codes``' frames, for ``limit`` seconds of CPU time without a step
    of ``progress``. Yields whether it does: if not, each call must pass its own timeout."""
    global _current, _foreign, _stray
    if _current is not None or not _can_watch():
        yield False
        return
    interval = limit / TICKS
    watch = _current = _Watch(progress, codes)
    _stray = 0
    try:
        signal.setitimer(signal.ITIMER_VIRTUAL, interval, interval)
    except (ValueError, OSError):
        _current = None
        yield False
        return
    try:
        yield True
    finally:
        _current = None  # first, so that a tick on its way finds nothing to watch
        signal.setitimer(signal.ITIMER_VIRTUAL, 0)
        if not watch.ticks and _user_time() - watch.began > max(3 * interval, NO_TICKS):
            _foreign = True  # our ticks went to someone else's handler
