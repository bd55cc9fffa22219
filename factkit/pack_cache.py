"""Compiled packs kept on disk, so that loading the built-in packs takes milliseconds, not seconds.

Loading a pack reads YAML, validates it, analyses and compiles its patterns: about a second for the
built-in packs. The result is stored in the user's cache directory (beside the compiled patterns, see
regex_cache.py) with the SHA-256 of every file the pack was read from; a later load re-hashes those files
and uses the stored pack only if none changed, and only if factkit, Python, ``regex`` and pydantic are the
versions that wrote it, and factkit's own source unchanged (a digest of its modules is in the key). Packs a pack requires are stored by reference and loaded (or found) on their own,
so a pack shared by several others stays one object.

The entry is a pickle written by factkit itself into a directory of the user's own, the same trust as
Python's ``__pycache__``; a pack file cannot write it. Any failure to read or write only costs a normal
load. ``FACTKIT_CACHE=0`` turns the cache off.
"""

from __future__ import annotations

import copy
import hashlib
import json
import os
import pickle
import sys
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

import pydantic
import regex

from .regex_cache import cache_dir, code_version

if TYPE_CHECKING:
    from .pack_loader import Pack

_FORMAT = 1


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
    return root / digest


def _hash(path: Path) -> str | None:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None


def load(path: Path, origin: str) -> "Pack | None":
    """The stored pack for ``path``, if every file it was read from is unchanged; else None."""
    entry = _entry(path, origin)
    if entry is None:
        return None
    try:
        index = json.loads((entry / "index.json").read_text(encoding="utf-8"))
        if index.get("versions") != _versions():
            return None
        for name, digest in index["files"].items():
            if _hash(Path(name)) != digest:
                return None
        with open(entry / "pack.pickle", "rb") as f:
            pack = pickle.load(f)
    except Exception:  # missing, partial, from another build: load normally
        return None
    return pack


def store(pack: "Pack", files: list[Path]) -> None:
    entry = _entry(Path(str(pack.path)), pack.origin)
    if entry is None:
        return
    digests = {str(f): _hash(f) for f in files}
    if any(d is None for d in digests.values()):
        return
    alone = copy.copy(pack)
    alone.requires = ()  # stored by reference: the loader links the required packs again
    try:
        blob = pickle.dumps(alone, protocol=pickle.HIGHEST_PROTOCOL)
    except Exception:  # a parser or kind registered in code that cannot be pickled: no cache
        return
    try:
        entry.mkdir(parents=True, exist_ok=True)
        _atomic_write(entry / "pack.pickle", blob)
        index = {"versions": _versions(), "files": digests}
        _atomic_write(entry / "index.json", json.dumps(index).encode())
    except OSError:
        pass


def _atomic_write(target: Path, data: bytes) -> None:
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".tmp-")
    with os.fdopen(fd, "wb") as f:
        f.write(data)
    os.replace(tmp, target)
