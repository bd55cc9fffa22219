"""The timer that watches the matcher's regex calls in the main thread (factkit/watchdog.py), and the
per-call timeouts that take over wherever it cannot run."""

from __future__ import annotations

import ctypes
import os
import signal
import subprocess
import sys
import threading
import warnings
from pathlib import Path

import pytest

import factkit
from factkit import matcher as matcher_module
from factkit import watchdog

pytestmark = pytest.mark.skipif(not hasattr(signal, "setitimer"), reason="no interval timers on this system")

RUNAWAY = "a" * 40 + " and 42"  # slow:nested backtracks on it for far longer than any test waits


@pytest.fixture(autouse=True)
def fresh_timer():
    """Each test starts, and leaves, the timer as a fresh process has it: not given up, no stray tick."""
    watchdog._foreign, watchdog._stray = False, 0
    yield
    watchdog._foreign, watchdog._stray = False, 0


@pytest.fixture
def watched(monkeypatch):
    """Whether each run of the matcher was watched by the timer."""
    seen: list[bool] = []
    real = matcher_module.watching

    def recording(*args):
        context = real(*args)

        class Recorder:
            def __enter__(self):
                on = context.__enter__()
                seen.append(on)
                return on

            def __exit__(self, *exc):
                return context.__exit__(*exc)

        return Recorder()

    monkeypatch.setattr(matcher_module, "watching", recording)
    return seen


def _extract(extractor: factkit.Extractor, text: str) -> tuple[list[tuple[str, object]], list[str]]:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        facts = extractor.extract(text)
    return [(f.rule, f.value) for f in facts], [str(w.message) for w in caught]


def test_a_runaway_call_in_the_main_thread_is_stopped_by_the_timer(slow_pack, watched):
    extractor = factkit.Extractor([slow_pack], timeout=0.05)
    facts, messages = _extract(extractor, RUNAWAY)
    assert watched == [True]
    assert signal.getsignal(signal.SIGVTALRM) is watchdog._tick
    assert signal.getitimer(signal.ITIMER_VIRTUAL) == (0.0, 0.0)  # disarmed once the run is over
    assert facts == [("slow:digits", 42)]
    assert messages == ["rule slow:nested ran out of time (0.05 s) at offset 0; skipped"]
    assert not watchdog._foreign  # our own ticks are told from another's


def test_in_another_thread_each_call_keeps_its_own_timeout(slow_pack, watched):
    extractor = factkit.Extractor([slow_pack], timeout=0.05)
    out: list[tuple[list[tuple[str, object]], list[str]]] = []
    worker = threading.Thread(target=lambda: out.append(_extract(extractor, RUNAWAY)))
    worker.start()
    worker.join()
    assert watched == [False]
    assert out == [([("slow:digits", 42)], ["rule slow:nested ran out of time (0.05 s) at offset 0; skipped"])]


def test_someone_elses_handler_or_timer_is_left_alone(slow_pack, watched):
    extractor = factkit.Extractor([slow_pack], timeout=0.05)
    ticks: list[int] = []

    def theirs(signum, frame):
        ticks.append(signum)

    before = signal.signal(signal.SIGVTALRM, theirs)
    try:
        facts, messages = _extract(extractor, RUNAWAY)
        assert signal.getsignal(signal.SIGVTALRM) is theirs
    finally:
        signal.signal(signal.SIGVTALRM, before)
    assert watched == [False] and ticks == []
    assert facts == [("slow:digits", 42)] and len(messages) == 1
    # their timer armed with our handler in place: not ours to disarm or rely on
    signal.signal(signal.SIGVTALRM, watchdog._tick)
    signal.setitimer(signal.ITIMER_VIRTUAL, 100.0)
    try:
        assert _extract(extractor, "7 and 8")[0] == [("slow:digits", 7), ("slow:digits", 8)]
        assert signal.getitimer(signal.ITIMER_VIRTUAL)[0] > 0
    finally:
        signal.setitimer(signal.ITIMER_VIRTUAL, 0)
    assert watched == [False, False]


def test_the_same_facts_with_and_without_the_timer(watched):
    text = (Path(__file__).resolve().parents[1] / "seeds" / "venezuela-russia.txt").read_text(encoding="utf-8")
    extractor = factkit.Extractor(reference_date="2019-03-31")
    timed = extractor.extract(text)
    extractor.matcher.use_timer = False
    assert extractor.extract(text) == timed
    assert watched == [True] and len(timed) > 20  # the second run did not ask for the timer


def _matcher_loop():
    return sys._getframe()


def _parser():
    return sys._getframe()


def _stand_in(watch, n):
    """The matcher's loop calling a stand-in (``_LazyMatch``, a pattern built on first call) that calls
    the engine: the handler sees the stand-in's frame, the loop's just above it."""
    return _called_through_stand_in(watch, n)


def _called_through_stand_in(watch, n):
    return _ticks(watch, sys._getframe(), n)


def _ticks(watch: watchdog._Watch, frame, n: int) -> int:
    """Ticks the handler took before raising (n if it did not)."""
    watchdog._current = watch
    try:
        for i in range(n):
            try:
                watchdog._tick(signal.SIGVTALRM, frame)
            except TimeoutError:
                return i
        return n
    finally:
        watchdog._current = None


def test_the_handler_stops_a_call_only_after_a_limit_without_progress_inside_the_matcher():
    codes = frozenset({_matcher_loop.__code__, _stand_in.__code__})
    progress = watchdog.Progress()
    inside, elsewhere = _matcher_loop(), _parser()
    # the first tick sees where progress stands; TICKS more without a step, and the call is stopped
    assert _ticks(watchdog._Watch(progress, codes), inside, 3 * watchdog.TICKS) == watchdog.TICKS
    # a call made through a stand-in (one frame below the loop) is the matcher's too
    assert _stand_in(watchdog._Watch(progress, codes), 3 * watchdog.TICKS) == watchdog.TICKS
    # ticks spent elsewhere never stop anything
    assert _ticks(watchdog._Watch(progress, codes), elsewhere, 3 * watchdog.TICKS) == 3 * watchdog.TICKS
    # nor do ticks inside, as long as the loop moves on
    watch = watchdog._Watch(progress, codes)
    watchdog._current = watch
    try:
        for _ in range(3 * watchdog.TICKS):
            progress.steps += 1
            watchdog._tick(signal.SIGVTALRM, inside)
    finally:
        watchdog._current = None
    # time elsewhere in between starts the count again
    watch = watchdog._Watch(progress, codes)
    assert _ticks(watch, inside, watchdog.TICKS) == watchdog.TICKS
    assert _ticks(watch, elsewhere, 1) == 1
    assert _ticks(watch, inside, 2 * watchdog.TICKS) == watchdog.TICKS
    # with no watch on, a stray tick does nothing (our timer may send one as it is stopped)
    watchdog._tick(signal.SIGVTALRM, inside)
    assert not watchdog._foreign


def test_a_second_tick_between_watches_gives_the_timer_up(slow_pack, watched):
    """Ticks with no watch on are someone else's (a native library's timer that getitimer does not show):
    the calls then pass their own timeouts."""
    extractor = factkit.Extractor([slow_pack], timeout=0.05)
    assert _extract(extractor, "7 and 8")[0] == [("slow:digits", 7), ("slow:digits", 8)]
    signal.raise_signal(signal.SIGVTALRM)
    assert _extract(extractor, "9")[0] == [("slow:digits", 9)]  # one stray tick: still watched
    signal.raise_signal(signal.SIGVTALRM)
    signal.raise_signal(signal.SIGVTALRM)
    assert watchdog._foreign
    facts, messages = _extract(extractor, RUNAWAY)  # stopped all the same, by its own timeout
    assert watched == [True, True, False]
    assert facts == [("slow:digits", 42)]
    assert messages == ["rule slow:nested ran out of time (0.05 s) at offset 0; skipped"]


def _below_python(handler: int) -> None:
    """Sets SIGVTALRM's handler in the kernel without telling Python, as a native library does."""
    libc = ctypes.CDLL(None)
    libc.signal.restype, libc.signal.argtypes = ctypes.c_void_p, [ctypes.c_int, ctypes.c_void_p]
    libc.signal(signal.SIGVTALRM, handler)


def test_a_handler_set_below_python_is_left_alone(slow_pack, watched):
    """getsignal reports the default action, but a native library has a handler there: it keeps it, and
    each call passes its own timeout."""
    extractor = factkit.Extractor([slow_pack], timeout=0.05)
    before = signal.signal(signal.SIGVTALRM, signal.SIG_DFL)
    _below_python(1)  # SIG_IGN, which getsignal does not see
    try:
        assert signal.getsignal(signal.SIGVTALRM) is signal.SIG_DFL
        facts, messages = _extract(extractor, RUNAWAY)
        assert watchdog._kernel_handler() == 1  # not replaced
    finally:
        _below_python(0)
        signal.signal(signal.SIGVTALRM, before)
    assert watched == [False]
    assert facts == [("slow:digits", 42)]
    assert messages == ["rule slow:nested ran out of time (0.05 s) at offset 0; skipped"]


def test_our_handler_replaced_below_python_is_not_relied_on(slow_pack, watched):
    """After ours, a native library installs its own handler (Duckling's runtime loaded after factkit):
    our ticks would go to it, so no call is watched while it is there."""
    extractor = factkit.Extractor([slow_pack], timeout=0.05)
    assert _extract(extractor, "7")[0] == [("slow:digits", 7)]
    assert signal.getsignal(signal.SIGVTALRM) is watchdog._tick
    _below_python(1)
    try:
        facts, messages = _extract(extractor, RUNAWAY)
    finally:
        signal.signal(signal.SIGVTALRM, watchdog._tick)
    assert _extract(extractor, "8")[0] == [("slow:digits", 8)]
    assert watched == [True, False, True]  # watched again once the handler is ours again
    assert facts == [("slow:digits", 42)]
    assert messages == ["rule slow:nested ran out of time (0.05 s) at offset 0; skipped"]


def test_the_process_exits_cleanly_while_another_timer_still_ticks(tmp_path):
    """The interpreter restores a handled signal's default action as it exits, which ends the process on the
    next tick of another's timer (Duckling's runtime ticks on after factkit ran): the handler is left as
    "ignore" instead."""
    script = (
        "import signal, resource, factkit\n"
        "factkit.extract('7 km')\n"
        "assert signal.getsignal(signal.SIGVTALRM) is factkit.watchdog._tick\n"
        "signal.setitimer(signal.ITIMER_VIRTUAL, 0.0005, 0.0005)  # theirs, ticking on through the exit\n"
        "began = resource.getrusage(resource.RUSAGE_SELF).ru_utime\n"
        "while resource.getrusage(resource.RUSAGE_SELF).ru_utime - began < 0.05:\n"
        "    pass\n"
    )
    done = subprocess.run([sys.executable, "-c", script], cwd=tmp_path, capture_output=True, text=True,
                          timeout=120, env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])})
    assert done.returncode == 0, done.stderr


def test_another_threads_steps_do_not_keep_a_runaway_call_going(slow_pack, watched):
    """Steps are counted per call: a thread that matches with the same extractor meanwhile cannot make a
    call of the main thread look as if it moved on."""
    extractor = factkit.Extractor([slow_pack], timeout=0.05)
    stop = threading.Event()
    exhausted: list[bool] = []

    def busy():  # seconds of work, unless stopped first
        for _ in range(20_000):
            if stop.is_set():
                return
            extractor.extract("1 2 3 4 5 6 7 8 9")
        exhausted.append(True)

    worker = threading.Thread(target=busy)
    worker.start()
    try:
        facts, messages = _extract(extractor, RUNAWAY)
    finally:
        stop.set()
        worker.join()
    assert True in watched  # the main thread's call (the worker's never are)
    assert not exhausted  # the runaway call was stopped while the worker still stepped
    assert facts == [("slow:digits", 42)]
    assert messages == ["rule slow:nested ran out of time (0.05 s) at offset 0; skipped"]
