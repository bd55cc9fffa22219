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

Another component can use the same signal where Python does not see it: a native library may install its
handler below Python (the Haskell runtime that the Duckling bindings load does, and ticks with SIGVTALRM
from a ``timer_create`` timer, which ``getitimer`` does not show either). So the handler is asked of the
kernel too (``sigaction``, through ctypes): the timer is used only while the kernel's handler is the one
Python installed for ``_tick``, and ours is installed only over the default action. Where that cannot be
asked, each call passes its own timeout. A second tick between two watches (ours sends at most one once
stopped) is someone else's timer: the timer is then given up for the process; until that is seen, its
ticks count as ours, so a slow call may be stopped early (and is reported). At exit our handler becomes
"ignore": the interpreter would otherwise restore the default action, which ends the process if another's
timer still ticks.
"""

from __future__ import annotations

import atexit
import signal
import threading
from contextlib import contextmanager
from types import CodeType, FrameType
from typing import Any, Iterator

TICKS = 8  # ticks per limit (see the module's docstring for the bounds this gives)


class Progress:
    """Steps the loops of one matcher call have taken: one per position tried."""

    __slots__ = ("steps",)

    def __init__(self) -> None:
        self.steps = 0


class _Watch:
    __slots__ = ("progress", "codes", "seen", "stale")

    def __init__(self, progress: Progress, codes: frozenset[CodeType]):
        self.progress = progress
        self.codes = codes
        self.seen = -1  # the steps at the last tick (-1: none seen yet, or the tick was elsewhere)
        self.stale = 0  # ticks in a row without a step, inside the matcher's calls


_current: _Watch | None = None
_foreign = False  # someone else sends SIGVTALRM: the timer is not used again
_stray = 0  # ticks since the last watch ended
_ours: int | None = None  # SIGVTALRM's handler below Python once _tick is installed
_sigaction: Any = None  # (sigaction, buffer, pointer type) once loaded; False where it cannot be


def _tick(signum: int, frame: FrameType | None) -> None:
    global _foreign, _stray
    watch = _current
    if watch is None:
        _stray += 1
        if _stray > 1:  # our timer, once stopped, sends at most one already on its way
            _foreign = True
        return
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
    global _ours
    if _foreign or not hasattr(signal, "setitimer") or threading.current_thread() is not threading.main_thread():
        return False
    if signal.getitimer(signal.ITIMER_VIRTUAL) != (0.0, 0.0):  # someone else's timer
        return False
    handler = signal.getsignal(signal.SIGVTALRM)
    if handler is _tick:  # ours, as Python sees it: and below Python, unless replaced there since
        return _ours is not None and _kernel_handler() == _ours
    if handler is not signal.SIG_DFL or _kernel_handler() != 0:  # someone else's, in Python or below it
        return False
    try:
        signal.signal(signal.SIGVTALRM, _tick)
    except (ValueError, OSError):
        return False
    _ours = _kernel_handler()  # the interpreter's own, which runs _tick
    atexit.unregister(_release)  # once, however often the handler is installed again
    atexit.register(_release)
    return bool(_ours)


def _kernel_handler() -> int | None:
    """SIGVTALRM's handler as the kernel has it (0: the default action), or None where that cannot be asked.
    ``getsignal`` only knows what Python set: a native library may have set another since."""
    global _sigaction
    if _sigaction is None:
        try:
            import ctypes

            libc = ctypes.CDLL(None)
            call = libc.sigaction
            call.argtypes = [ctypes.c_int, ctypes.c_void_p, ctypes.c_void_p]
            # struct sigaction begins with the handler on every system with setitimer; the rest fits in 512 bytes
            _sigaction = (call, ctypes.create_string_buffer(512), ctypes.c_void_p)
        except (ImportError, OSError, AttributeError):
            _sigaction = False
    if not _sigaction:
        return None
    call, buffer, pointer = _sigaction
    if call(signal.SIGVTALRM, None, buffer) != 0:
        return None
    return pointer.from_buffer(buffer).value or 0


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
    global _current, _stray
    if _current is not None or not _can_watch():
        yield False
        return
    interval = limit / TICKS
    _current = _Watch(progress, codes)
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
