"""Compiled packs kept on disk, so that loading the built-in packs takes milliseconds, not seconds.

Loading a pack reads YAML, validates it, analyses and compiles its patterns: about a second for the
built-in packs. The result is stored in the user's cache directory (beside the compiled patterns, see
regex_cache.py) with the SHA-256 of every file the pack and the packs it requires were read from (its
compiled patterns inline their macros and gazetteers) and the pack file each requirement found; a later
load re-hashes those files, resolves the requirements again and uses the stored pack only if nothing
changed, and only if factkit, Python, ``regex`` and pydantic are the versions that wrote it, and
factkit's own source unchanged (a digest of its modules is in the key). Packs a pack requires are stored
by reference and loaded (or found) on their own, so a pack shared by several others stays one object.

What an extractor builds from packs given by name or path is stored the same way (``load_built``,
``store_built``): its matcher and gazetteers, keyed by the packs, the kinds and the timeout. A fresh
process then neither unpickles the packs (the extractor loads them only when asked for them) nor
rebuilds the matcher's start scanner from thousands of rule starts, which took longer than loading them.
The last ``MAX_BUILT`` used are kept, and the last ``MAX_PACKS`` stored packs: every pack file is its own
entry, wherever it lies, so packs written to fresh temporary directories (a test suite's) would otherwise
pile up run after run.

An entry is one file, a header (what it depends on) then the pickled payload, written by factkit itself
into a directory of the user's own, the same trust as Python's ``__pycache__``; a pack file cannot write
it. Any failure to read or write only costs a normal load. ``FACTKIT_CACHE=0`` turns the cache off.
"""

from __future__ import annotations

import copy
import hashlib
import os
import pickle
import shutil
import sys
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pydantic
import regex

from .regex_cache import cache_dir, code_version, gc_paused, mark_used, prune

if TYPE_CHECKING:
    from .pack_loader import Pack
    from .registry import Registry

_FORMAT = 2


def _versions() -> str:
    from . import __version__

    return f"{__version__}|{code_version()}|{sys.version}|{regex.__version__}|{pydantic.VERSION}|{_FORMAT}"


def _root() -> Path | None:
    base = cache_dir()
    return None if base is None else base.parent / "packs"


def _entry(path: Path, origin: str) -> Path | None:
    root = _root()
    if root is None:
        return None
    digest = hashlib.sha256(f"{path}\0{origin}\0{_versions()}".encode()).hexdigest()
    return root / f"{digest}.pickle"


def _hash(path: Path) -> str | None:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None


def load(path: Path, origin: str, registry: Registry) -> Pack | None:
    """The stored pack for ``path``, if every file it and the packs it requires were read from is unchanged
    and each of its requirements still finds the same pack; else None. Its ``requires`` are left empty."""
    entry = _entry(path, origin)
    pack = None if entry is None else _read(entry, registry)
    if pack is not None:
        mark_used(entry)  # type: ignore[arg-type]
    return pack


def store(pack: Pack, registry: Registry) -> None:
    entry = _entry(Path(str(pack.path)), pack.origin)
    header = _dependencies([pack], registry)
    if entry is None or header is None:
        return
    alone = copy.copy(pack)
    alone.requires = ()  # stored by reference: the loader links the required packs again
    if _write(entry, header, alone):
        _prune(entry.parent, MAX_PACKS)


def _dependencies(packs: list[Pack], registry: Registry) -> dict[str, Any] | None:
    """What work done on ``packs`` depends on, besides factkit's and its dependencies' versions: the digest
    of every file they and the packs they require were read from (a pack's compiled patterns inline the
    macros and gazetteers of the packs it requires), and the pack file each requirement found."""
    from .pack_loader import pack_files

    files: dict[str, str | None] = {}
    requires: list[tuple[str, str, tuple[str, str] | None]] = []
    seen: set[int] = set()
    for pack in packs:
        for p in pack.closure():
            if id(p) in seen:
                continue
            seen.add(id(p))
            if p.path is None:
                return None
            files.update((str(f), _hash(f)) for f in pack_files(p))
            requires += [(str(p.path), req, _resolve(str(p.path), req, registry)) for req in p.spec.requires]
    if any(d is None for d in files.values()):
        return None
    return {"versions": _versions(), "files": files, "requires": requires}


def _resolve(pack_path: str, req: str, registry: Registry) -> tuple[str, str] | None:
    """The file and origin of the pack that requirement ``req`` of the pack at ``pack_path`` loads."""
    from .pack_loader import requirement

    try:
        path, origin = requirement(Path(pack_path), req, registry=registry)
    except Exception:  # no longer found: not what was stored
        return None
    return str(path), origin


def _read(entry: Path, registry: Registry) -> Any:
    """What is stored at ``entry``, if nothing it depends on (``_dependencies``) changed; else None."""
    try:
        with open(entry, "rb") as f:
            header = pickle.load(f)
            if header.get("versions") != _versions():
                return None
            for name, digest in header["files"].items():
                if _hash(Path(name)) != digest:
                    return None
            if any(_resolve(path, req, registry) != found for path, req, found in header["requires"]):
                return None  # a requirement by name now finds another pack (one registered, say)
            with gc_paused():  # thousands of objects that all survive
                return pickle.load(f)
    except Exception:  # missing, partial, from another build: load normally
        return None


def _write(entry: Path, header: dict[str, Any], payload: Any) -> bool:
    """Store ``payload`` at ``entry`` behind ``header``, in one file written atomically."""
    try:
        blob = b"".join(pickle.dumps(part, protocol=pickle.HIGHEST_PROTOCOL) for part in (header, payload))
    except Exception:  # a parser or kind registered in code that cannot be pickled: no cache
        return False
    try:
        entry.parent.mkdir(parents=True, exist_ok=True)
        _atomic_write(entry, blob)
    except OSError:
        return False
    return True


def _atomic_write(target: Path, data: bytes) -> None:
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".tmp-")
    with os.fdopen(fd, "wb") as f:
        f.write(data)
    os.replace(tmp, target)


# -- built extractors -------------------------------------------------------------------------------------
MAX_BUILT = 8  # built extractors kept (a few MB each); the least recently used go first
MAX_PACKS = 256  # stored packs kept (up to a few MB each)
_OLD_LAYOUT = regex.compile(r"[0-9a-f]{64}")  # an entry as a directory, as stored before format 2


def _built_entry(sources: list[tuple[Path, str]], settings: str) -> Path | None:
    root = _root()
    if root is None:
        return None
    material = "\0".join([_versions(), settings, *(f"{path}\0{origin}" for path, origin in sources)])
    return root.parent / "extractors" / f"{hashlib.sha256(material.encode()).hexdigest()}.pickle"


def load_built(sources: list[tuple[Path, str]], settings: str,
               registry: Registry) -> tuple[Any, dict[str, Any]] | None:
    """The matcher and gazetteers of the extractor built with ``settings`` from the packs at ``sources``
    (pack files and their origins, in order), as ``store_built`` left them, if nothing they depend on
    changed (see ``load``); else None."""
    entry = _built_entry(sources, settings)
    built = None if entry is None else _read(entry, registry)
    if built is None:
        return None
    mark_used(entry)  # type: ignore[arg-type]
    return built  # type: ignore[no-any-return]


def store_built(sources: list[tuple[Path, str]], settings: str, registry: Registry, packs: list[Pack],
                matcher: Any, gazetteers: dict[str, Any]) -> None:
    entry = _built_entry(sources, settings)
    header = _dependencies(packs, registry)
    if entry is not None and header is not None and _write(entry, header, (matcher, gazetteers)):
        _prune(entry.parent, MAX_BUILT)


def _prune(root: Path, keep: int) -> None:
    """Delete all but the ``keep`` most recently used entries in ``root``, and entries of the old layout."""
    try:
        prune(root, (".pickle",), keep=keep)
        for path in root.iterdir():
            if _OLD_LAYOUT.fullmatch(path.name) and path.is_dir():
                shutil.rmtree(path, ignore_errors=True)
    except OSError:
        pass
