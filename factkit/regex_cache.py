"""Compiled patterns that load in milliseconds instead of seconds.

The ``regex`` module compiles in Python: it parses and optimises the pattern, then hands a flat list of
opcodes to its C engine. For factkit's rules, whose macros expand to tens of kilobytes, that costs
seconds per pack, and a pickled pattern pays it again in every worker process, because ``regex``
pickles a pattern as its source. This module keeps what the C engine receives:

- ``compile_pattern`` compiles once, records the engine's arguments, and stores them on disk under a key
  made of the ``regex`` version, the source, the flags and the named lists, so a changed pack or a new
  ``regex`` release never reads a stale entry;
- ``CachedPattern`` pickles as those arguments, so worker processes rebuild it without recompiling.

Entries are written with ``marshal`` (plain data, never code), atomically; a missing, corrupt or
unreadable cache only costs a normal compile. ``FACTKIT_CACHE_DIR`` moves the cache, ``FACTKIT_CACHE=0``
turns it off. Every pattern ever compiled adds an entry (a test suite's temporary packs too), so only
the most recently used are kept, up to ``MAX_BYTES`` of disk (a read refreshes an entry's mtime);
pruning lists the directory, so it runs only after about ``MAX_BYTES // 16`` bytes were written. The
directories of other ``regex`` versions or formats go too, once nothing was written to them for a day:
another environment sharing the cache may still use them.
"""

from __future__ import annotations

import functools
import gc
import hashlib
import marshal
import os
import random
import re
import shutil
import sys
import tempfile
import threading
import time
from array import array
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterator

import regex
from regex import _main as _regex_main  # the engine's entry point is private; used with a fallback

_lock = threading.Lock()
_gc_lock = threading.Lock()
_gc_pauses = 0  # blocks inside gc_paused() now, in all threads
_gc_was_enabled = True
_memory: dict[str, tuple[Any, ...]] = {}
_FORMAT = 1
MAX_BYTES = 64 << 20  # entries kept: about five times what compiling the built-in packs writes (12 MB)
_OTHER_VERSIONS = re.compile(r"regex-\S+-v[0-9]+")
_STALE = 24 * 3600  # seconds without a write after which another version's directory is deemed unused
# Bytes written since the last pruning. A random start: processes that each write less than the
# threshold (most write nothing) still prune in turn, and none lists the directory on every write.
_unpruned = random.random() * MAX_BYTES // 16


def cache_dir() -> Path | None:
    if os.environ.get("FACTKIT_CACHE", "1") == "0":
        return None
    root = os.environ.get("FACTKIT_CACHE_DIR") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache"), "factkit")
    return Path(root) / f"regex-{regex.__version__}-v{_FORMAT}"


_code_version: str | None = None


def code_version() -> str:
    """A digest of factkit's own source: any change to how packs are compiled invalidates every entry."""
    global _code_version
    if _code_version is None:
        h = hashlib.sha256()
        package = Path(__file__).resolve().parent
        for path in sorted(package.rglob("*.py")):
            h.update(path.relative_to(package).as_posix().encode())
            h.update(path.read_bytes())
        _code_version = h.hexdigest()[:16]
    return _code_version


def _key(source: str, flags: int, lists: dict[str, frozenset[str]]) -> str:
    h = hashlib.sha256()
    h.update(f"{regex.__version__}\0{flags}\0".encode())
    h.update(source.encode("utf-8", "surrogatepass"))
    for name in sorted(lists):
        h.update(f"\0{name}\0".encode())
        h.update("\x1f".join(sorted(lists[name])).encode("utf-8", "surrogatepass"))
    return h.hexdigest()


@contextmanager
def gc_paused() -> Iterator[None]:
    """No cyclic garbage collection inside the block (nested and thread-safe; reference counting goes on).

    Parsing a pattern, a YAML file or a pickled pack allocates hundreds of thousands of objects that all
    survive, and each collection those allocations trigger walks all of them again: for a 10,000-entry
    gazetteer that was more than half of the compile time. Cycles made inside the block wait for the
    first collection after it.
    """
    global _gc_pauses, _gc_was_enabled
    with _gc_lock:
        if _gc_pauses == 0:
            _gc_was_enabled = gc.isenabled()
            gc.disable()
        _gc_pauses += 1
    try:
        yield
    finally:
        with _gc_lock:
            _gc_pauses -= 1
            if _gc_pauses == 0 and _gc_was_enabled:
                gc.enable()


def compile_pattern(source: str, flags: int = 0, lists: dict[str, frozenset[str]] | None = None, *,
                    lazy: bool = False) -> Any:
    """``regex.compile(source, flags, **lists)``, from the cache when it can be; ``lazy``: a cached pattern
    is built only when first used."""
    lists = lists or {}
    key = _key(source, flags, lists)
    args = _memory.get(key) or _read(key)
    if args is not None and lazy:
        return CachedPattern(None, args)
    if args is not None:
        try:
            pattern = _regex_main._regex.compile(*args)
            _memory[key] = args
            return CachedPattern(pattern, args)
        except Exception:  # an entry this engine does not accept: compile afresh
            pass
    with gc_paused():
        pattern, args = _compile_recording(source, flags, lists)
    if args is None:
        return pattern
    _memory[key] = args
    _write(key, args)
    return CachedPattern(pattern, args)


@contextmanager
def _recording(module: Any, attribute: str) -> Iterator[list[tuple[Any, ...]]]:
    """While active, every ``module.attribute.compile(...)`` call (the C engine's entry) is noted."""
    recorded: list[tuple[Any, ...]] = []
    engine = getattr(module, attribute)

    class _Recorder:
        def __getattr__(self, name: str) -> Any:
            return getattr(engine, name)

        @staticmethod
        def compile(*args: Any) -> Any:
            recorded.append(args)
            return engine.compile(*args)

    with _lock:
        setattr(module, attribute, _Recorder())
        try:
            yield recorded
        finally:
            setattr(module, attribute, engine)


def _compile_recording(source: str, flags: int, lists: dict[str, frozenset[str]]) -> tuple[Any, Any]:
    """Compile normally while noting the arguments the engine is given."""
    with _recording(_regex_main, "_regex") as recorded:
        pattern = regex.compile(source, flags, cache_pattern=False, **lists)
    if len(recorded) != 1:
        return pattern, None
    args = tuple(int(a) if isinstance(a, int) else a for a in recorded[0])  # flags are an IntFlag
    return (pattern, args) if _marshallable(args) else (pattern, None)


def _marshallable(args: tuple[Any, ...]) -> bool:
    try:
        marshal.dumps(args)
    except ValueError:
        return False
    return True


def _read(key: str) -> tuple[Any, ...] | None:
    root = cache_dir()
    if root is None:
        return None
    try:
        data = (root / f"{key}.bin").read_bytes()
        args = marshal.loads(data)
    except (OSError, EOFError, ValueError, TypeError):
        return None
    mark_used(root / f"{key}.bin")
    return args if isinstance(args, tuple) else None


def _write(key: str, args: tuple[Any, ...]) -> None:
    root = cache_dir()
    if root is not None:
        _store(root / f"{key}.bin", marshal.dumps(args))


def _store(path: Path, data: bytes) -> None:
    global _unpruned
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.replace(tmp, path)
    except OSError:
        return  # a read-only home or a full disk: run without the cache
    _unpruned += len(data)
    if _unpruned >= MAX_BYTES // 16:
        _unpruned = 0
        try:
            prune(path.parent, (".bin", ".txt"), max_bytes=MAX_BYTES)
            _remove_other_versions(path.parent)
        except OSError:
            pass  # pruning is housekeeping: it never costs an extraction


def _remove_other_versions(root: Path) -> None:
    """Their entries are never read by this version; one still written to may belong to another
    environment sharing the cache, so only one left alone for ``_STALE`` goes."""
    for path in root.parent.iterdir():
        try:
            if path != root and _OTHER_VERSIONS.fullmatch(path.name) and path.is_dir() \
                    and path.stat().st_mtime < time.time() - _STALE:
                shutil.rmtree(path, ignore_errors=True)
        except OSError:
            pass


def mark_used(path: Path) -> None:
    """Set ``path``'s mtime to now, so that ``prune`` keeps it: access times are not reliable (a file
    system mounted ``noatime`` or ``relatime`` does not update them on every read)."""
    try:
        os.utime(path)
    except OSError:
        pass


def prune(root: Path, suffixes: tuple[str, ...], *, keep: int = sys.maxsize,
          max_bytes: int = sys.maxsize) -> None:
    """Delete the files of ``root`` ending with ``suffixes`` but the most recently used (``mark_used``):
    the newest ``keep``, fewer if they take more than ``max_bytes`` of disk."""
    entries = []
    with os.scandir(root) as scan:
        for entry in scan:
            if entry.name.endswith(suffixes):
                try:
                    stat = entry.stat(follow_symlinks=False)
                except OSError:
                    continue
                entries.append((stat.st_mtime, _disk_usage(stat), entry.path))
    total = 0
    for count, (_, size, path) in enumerate(sorted(entries, reverse=True)):
        total += size
        if count >= keep or total > max_bytes:
            try:
                os.unlink(path)
            except OSError:
                pass


def _disk_usage(stat: os.stat_result) -> int:
    """The blocks a file takes where the system reports them: most entries are smaller than one."""
    return getattr(stat, "st_blocks", 0) * 512 or stat.st_size


def compile_stdlib(source: str, flags: int = 0) -> re.Pattern[str]:
    """``re.compile(source, flags)`` through the same cache: the start scanner's tries of thousands of
    words take the standard library a second to compile, and its patterns too pickle as their source."""
    key = _key(f"re\0{sys.version}\0{source}", flags, {})
    args = _memory.get(key) or _read(key)
    engine = re._compiler._sre  # type: ignore[attr-defined]
    if args is not None:
        try:
            pattern = engine.compile(*args)
            _memory[key] = args
            return pattern
        except Exception:  # an entry from another interpreter build: compile afresh
            pass
    with gc_paused(), _recording(re._compiler, "_sre") as recorded:  # type: ignore[attr-defined]
        pattern = re._compiler.compile(source, flags)  # type: ignore[attr-defined]
    if len(recorded) == 1:  # opcodes are an int subclass, which marshal refuses: store plain ints
        args = tuple(int(a) if isinstance(a, int) else [int(c) for c in a] if isinstance(a, list) else a
                     for a in recorded[0])
        if _marshallable(args):
            _memory[key] = args
            _write(key, args)
    return pattern


def memo_text(kind: str, material: str, compute: Any) -> str:
    """A derived piece of pattern source (a trie of thousands of words), built once and kept on disk."""
    key = _key(f"{kind}\0{code_version()}\0{material}", 0, {})
    root = cache_dir()
    path = root / f"{key}.txt" if root is not None else None
    if path is not None:
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            pass
        else:
            mark_used(path)
            return text
    text = compute()
    if path is not None:
        _store(path, text.encode("utf-8"))
    return text


class CachedPattern:
    """A compiled ``regex`` pattern that pickles as its engine arguments, not as its source, and is built
    from them only when first used: a rule that a document never calls for costs nothing to load.

    Pickled, the opcodes are a packed array (4 bytes each, read back in one piece), not a list of Python
    ints, so loading a compiled pack makes a few objects per pattern instead of tens of thousands; the list
    the engine needs is made only when the pattern is built. ``match`` of a pattern not built yet is a
    stand-in that builds it when first called (see :class:`_Deferred`): fetching the method, as the matcher
    does for every rule that may start in a document before its probes rule those starts out, builds
    nothing.
    """

    __slots__ = ("_built", "_args", "_deferred")

    def __init__(self, pattern: Any, args: tuple[Any, ...]):
        self._built = pattern
        self._args = args
        self._deferred: Any = None

    def _pattern(self) -> Any:
        if self._built is None:
            args = self._args
            if not isinstance(args[2], list):  # packed opcodes, as unpickled
                args = (args[0], args[1], args[2].tolist(), *args[3:])
            try:
                self._built = _regex_main._regex.compile(*args)
            except Exception:  # another engine version in this process: compile from the source
                self._built = regex.compile(args[0], args[1], **dict(args[5]))
        return self._built

    @property
    def match(self) -> Any:
        if self._built is not None:
            return self._built.match
        if self._deferred is None:
            self._deferred = _deferred(self, "match")
        return self._deferred

    @property
    def finditer(self) -> Any:
        return self._pattern().finditer

    @property
    def fullmatch(self) -> Any:
        return self._pattern().fullmatch

    # What the engine was given, as the compiled pattern reports it: asking for these builds nothing.
    @property
    def pattern(self) -> Any:
        return self._args[0]

    @property
    def flags(self) -> int:
        return int(self._args[1])

    @property
    def groupindex(self) -> Any:
        return self._args[3]

    def __getattr__(self, name: str) -> Any:
        return getattr(self._pattern(), name)

    def __reduce__(self) -> tuple[Any, ...]:
        args = self._args
        if isinstance(args[2], list):
            args = (args[0], args[1], array(_CODE_TYPE, args[2]), *args[3:])
        return (_rebuild, (args,))

    def __repr__(self) -> str:
        return f"CachedPattern({self._args[0][:60]!r}...)"


# The engine's opcodes are unsigned 32-bit integers; an array pickles with its machine format, so a pickle
# read on another platform still gives the same numbers.
_CODE_TYPE = "I" if array("I").itemsize == 4 else "L"


def _rebuild(args: tuple[Any, ...]) -> "CachedPattern":
    return CachedPattern(None, args)


class _Deferred(functools.partial):  # type: ignore[type-arg]
    """A method of a :class:`CachedPattern` not built yet, which builds the pattern when first called.

    It is a ``functools.partial`` whose function, once the pattern is built, becomes the pattern's own
    method (``__setstate__`` is how a partial is given a new function): a caller that keeps the stand-in
    (the matcher keeps the ``match`` of each probed reference) then calls the engine with no Python call in
    between. It pickles as the method it stands for.
    """

    __slots__ = ()

    def __reduce__(self) -> tuple[Any, ...]:
        return (getattr, (self.__dict__["owner"], self.__dict__["name"]))


def _deferred(owner: CachedPattern, name: str) -> _Deferred:
    def first_call(*args: Any, **kwargs: Any) -> Any:
        method = getattr(owner._pattern(), name)
        stand_in.__setstate__((method, (), None, stand_in.__dict__))
        return method(*args, **kwargs)

    stand_in = _Deferred(first_call)
    stand_in.__dict__.update(owner=owner, name=name)
    return stand_in
