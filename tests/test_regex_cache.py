import pickle

import regex

from factkit import regex_cache
from factkit.regex_cache import CachedPattern, compile_pattern

SOURCE = r"(?P<n>\d+)\s?(?:km|miles?)\b"


def test_compiles_once_then_reads_the_disk_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("FACTKIT_CACHE_DIR", str(tmp_path))
    regex_cache._memory.clear()
    first = compile_pattern(SOURCE, regex.IGNORECASE)
    files = list(tmp_path.rglob("*.bin"))
    assert len(files) == 1
    regex_cache._memory.clear()
    second = compile_pattern(SOURCE, regex.IGNORECASE)
    assert isinstance(second, CachedPattern)
    text = "5 KM, 10 miles and 7 mile"
    assert [m.group() for m in second.finditer(text)] == [m.group() for m in first.finditer(text)] == \
        ["5 KM", "10 miles", "7 mile"]


def test_a_corrupt_entry_only_costs_a_compile(tmp_path, monkeypatch):
    monkeypatch.setenv("FACTKIT_CACHE_DIR", str(tmp_path))
    regex_cache._memory.clear()
    compile_pattern(SOURCE)
    for f in tmp_path.rglob("*.bin"):
        f.write_bytes(b"not marshal data")
    regex_cache._memory.clear()
    assert compile_pattern(SOURCE).match("12km")


def test_cache_can_be_turned_off(tmp_path, monkeypatch):
    monkeypatch.setenv("FACTKIT_CACHE_DIR", str(tmp_path))
    monkeypatch.setenv("FACTKIT_CACHE", "0")
    regex_cache._memory.clear()
    assert compile_pattern(SOURCE).match("3 miles")
    assert not list(tmp_path.rglob("*.bin"))


def test_pickles_without_recompiling_and_keeps_timeouts(tmp_path, monkeypatch):
    monkeypatch.setenv("FACTKIT_CACHE_DIR", str(tmp_path))
    pattern = compile_pattern(SOURCE)
    clone = pickle.loads(pickle.dumps(pattern))
    assert clone.match("40 km", timeout=1).group("n") == "40"
    assert clone.groupindex == pattern.groupindex


def test_bad_patterns_still_raise(tmp_path, monkeypatch):
    monkeypatch.setenv("FACTKIT_CACHE_DIR", str(tmp_path))
    try:
        compile_pattern("(")
    except regex.error:
        return
    raise AssertionError("a bad pattern compiled")


def test_a_pattern_from_the_cache_describes_itself_without_being_built(tmp_path, monkeypatch):
    monkeypatch.setenv("FACTKIT_CACHE_DIR", str(tmp_path))
    flags = regex.IGNORECASE | regex.V0
    reference = regex.compile(SOURCE, flags)
    clone = pickle.loads(pickle.dumps(compile_pattern(SOURCE, flags)))
    assert (clone.pattern, clone.flags, dict(clone.groupindex)) == \
        (reference.pattern, reference.flags, dict(reference.groupindex))
    assert clone._built is None  # a matcher reading flags at start-up compiles nothing
    assert clone.match("3 Miles").group("n") == "3"


def test_gc_pause_nests_and_restores_the_collector():
    import gc

    from factkit.regex_cache import gc_paused

    assert gc.isenabled()
    with gc_paused():
        assert not gc.isenabled()
        with gc_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()  # the outer block is still running
    assert gc.isenabled()
    gc.disable()
    try:
        with gc_paused():
            pass
        assert not gc.isenabled()  # a collector the caller had turned off stays off
    finally:
        gc.enable()


def test_fetching_match_builds_nothing_and_a_kept_match_calls_the_engine(tmp_path, monkeypatch):
    monkeypatch.setenv("FACTKIT_CACHE_DIR", str(tmp_path))
    clone = pickle.loads(pickle.dumps(compile_pattern(SOURCE)))
    match = clone.match  # as the matcher fetches it for a rule whose starts its probes may all rule out
    assert clone._built is None
    assert match("40 km", 0, 10, False, False, 1.0).group("n") == "40"
    assert clone._built is not None
    assert match.func == clone._built.match  # the kept stand-in now holds the engine's own method
    assert clone.match == clone._built.match
    assert match("9 miles", timeout=1).group() == "9 miles"
    assert pickle.loads(pickle.dumps(match))("3 km").group("n") == "3"


def test_a_pickled_pattern_carries_its_opcodes_packed(tmp_path, monkeypatch):
    from array import array

    monkeypatch.setenv("FACTKIT_CACHE_DIR", str(tmp_path))
    pattern = compile_pattern(SOURCE)
    clone = pickle.loads(pickle.dumps(pattern))
    assert isinstance(clone._args[2], array) and clone._args[2].tolist() == pattern._args[2]
    again = pickle.loads(pickle.dumps(clone))  # built or not, it pickles the same way
    assert again.finditer is not None and [m.group() for m in again.finditer("1 km 2 km")] == ["1 km", "2 km"]


def _entry(source):
    return regex_cache.cache_dir() / f"{regex_cache._key(source, 0, {})}.bin"


def test_only_the_most_recently_used_entries_within_the_budget_are_kept(tmp_path, monkeypatch):
    import os

    monkeypatch.setenv("FACTKIT_CACHE_DIR", str(tmp_path))
    monkeypatch.setattr(regex_cache, "_unpruned", 0)
    regex_cache._memory.clear()
    sources = [SOURCE.replace("km", f"k{n}") for n in range(4)]  # entries of the same size
    for source in sources[:3]:
        compile_pattern(source)
    assert regex_cache.memo_text("test", "material", lambda: "text") == "text"
    memo = next(tmp_path.rglob("*.txt"))
    for age, path in enumerate([memo] + [_entry(s) for s in sources[:3]]):  # long ago, in order
        os.utime(path, (1_000_000 + age, 1_000_000 + age))
    regex_cache._memory.clear()
    assert isinstance(compile_pattern(sources[0]), CachedPattern)  # read: now the most recently used
    size = regex_cache._disk_usage(_entry(sources[0]).stat())
    assert {regex_cache._disk_usage(_entry(s).stat()) for s in sources[:3]} == {size}
    monkeypatch.setattr(regex_cache, "MAX_BYTES", 2 * size)  # room for two entries
    compile_pattern(sources[3])  # a write: the least recently used go
    assert sorted(p.name for p in regex_cache.cache_dir().iterdir()) == \
        sorted(_entry(s).name for s in (sources[0], sources[3]))


def test_pruning_runs_after_enough_writes_not_on_reads(tmp_path, monkeypatch):
    monkeypatch.setenv("FACTKIT_CACHE_DIR", str(tmp_path))
    monkeypatch.setattr(regex_cache, "_unpruned", 0)
    calls = []
    monkeypatch.setattr(regex_cache, "prune", lambda root, *args, **kwargs: calls.append(root))
    regex_cache._memory.clear()
    compile_pattern(SOURCE)
    size = next(tmp_path.rglob("*.bin")).stat().st_size
    monkeypatch.setattr(regex_cache, "MAX_BYTES", 16 * size * 3)  # due once three entries were written
    compile_pattern(SOURCE.replace("km", "k0"))
    for _ in range(3):
        regex_cache._memory.clear()
        compile_pattern(SOURCE)  # reads
    assert calls == []
    compile_pattern(SOURCE.replace("km", "k9"))
    assert calls == [regex_cache.cache_dir()]


def test_a_failing_prune_never_costs_a_compile(tmp_path, monkeypatch):
    monkeypatch.setenv("FACTKIT_CACHE_DIR", str(tmp_path))
    monkeypatch.setattr(regex_cache, "_unpruned", regex_cache.MAX_BYTES)

    def fail(*args, **kwargs):
        raise PermissionError("read-only cache")

    monkeypatch.setattr(regex_cache, "prune", fail)
    regex_cache._memory.clear()
    assert compile_pattern(SOURCE).match("12 km").group("n") == "12"


def test_pruning_removes_other_regex_versions_no_longer_written_to(tmp_path, monkeypatch):
    import os

    monkeypatch.setenv("FACTKIT_CACHE_DIR", str(tmp_path))
    monkeypatch.setattr(regex_cache, "_unpruned", regex_cache.MAX_BYTES)  # the next write prunes
    old, recent, other = tmp_path / "regex-2020.1.1-v1", tmp_path / "regex-2099.1.1-v1", tmp_path / "regex-notes"
    for directory in (old, recent, other):
        directory.mkdir()
        (directory / "entry.bin").write_bytes(b"x")
    os.utime(old, (1_000_000, 1_000_000))
    os.utime(other, (1_000_000, 1_000_000))
    regex_cache._memory.clear()
    compile_pattern(SOURCE)
    assert not old.exists()
    assert recent.exists()  # perhaps another environment's, with that regex version, in use
    assert other.exists()  # not a directory of this cache
    assert list(regex_cache.cache_dir().glob("*.bin"))
