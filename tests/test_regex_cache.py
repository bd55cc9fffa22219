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
