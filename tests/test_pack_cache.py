"""Compiled packs stored on disk: reused while their files are unchanged, rebuilt when one changes."""

import factkit
from factkit import pack_loader

PACK = """\
name: knots
rules:
  - id: speed
    kind: quantity
    pattern: '(?P<value>\\d+) ?(?P<unit>knots?)'
    fields:
      value: number
      unit: {const: knot}
"""


def _fresh_load(path):
    pack_loader._cache.clear()  # the in-process cache; the disk cache is what is tested
    return factkit.load_pack(path)


def test_a_stored_pack_is_reused_until_a_file_changes(tmp_path, monkeypatch):
    monkeypatch.setenv("FACTKIT_CACHE_DIR", str(tmp_path / "cache"))
    path = tmp_path / "knots.yaml"
    path.write_text(PACK)
    first = _fresh_load(path)
    assert list((tmp_path / "cache").parent.rglob("packs/*.pickle"))
    second = _fresh_load(path)
    assert second is not first and second.compiled.rules[0].name == "knots:speed"
    assert [f.value for f in factkit.Extractor([second]).extract("at 20 knots")] == [20]
    path.write_text(PACK.replace("knots?", "(?:knots?|kts)"))
    third = _fresh_load(path)
    assert [f.text for f in factkit.Extractor([third]).extract("at 20 kts")] == ["20 kts"]


def test_required_packs_stay_one_object(tmp_path, monkeypatch):
    monkeypatch.setenv("FACTKIT_CACHE_DIR", str(tmp_path / "cache"))
    pack_loader._cache.clear()
    factkit.load_pack("dates")
    pack_loader._cache.clear()
    dates = factkit.load_pack("dates")
    core = factkit.load_pack("core")
    assert dates.requires[0] is core


def test_a_stored_pack_is_compiled_again_when_a_pack_it_requires_changes(tmp_path, monkeypatch):
    monkeypatch.setenv("FACTKIT_CACHE_DIR", str(tmp_path / "cache"))
    (tmp_path / "base.yaml").write_text("name: base\nmacros:\n  unit: 'knots?'\n")
    path = tmp_path / "speed.yaml"
    speed = PACK.replace("name: knots", "name: speed\nrequires: [./base.yaml]").replace("knots?", "{base.unit}")
    path.write_text(speed)
    assert [f.text for f in factkit.Extractor([_fresh_load(path)]).extract("at 20 knots, 30 kts")] == ["20 knots"]
    (tmp_path / "base.yaml").write_text("name: base\nmacros:\n  unit: 'kts'\n")  # inlined in speed's rules
    assert [f.text for f in factkit.Extractor([_fresh_load(path)]).extract("at 20 knots, 30 kts")] == ["30 kts"]


def test_the_cache_can_be_turned_off(tmp_path, monkeypatch):
    monkeypatch.setenv("FACTKIT_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("FACTKIT_CACHE", "0")
    path = tmp_path / "knots.yaml"
    path.write_text(PACK)
    _fresh_load(path)
    assert not list(tmp_path.rglob("*.pickle"))


# -- built extractors: the matcher and gazetteers an extractor builds from named packs, stored with them --
SPEED = """\
name: speed
include: [units.yaml]
rules:
  - id: speed
    kind: quantity
    pattern: '(?P<value>\\d+) ?(?P<unit>{unit})'
    fields:
      value: number
      unit: {const: knot}
  - id: count
    kind: number
    pattern: '#(?P<value>\\d+)'
    fields: {value: number}
"""


def _counting_loads(monkeypatch):
    """How many packs extractors load from here on (a stored extractor loads none to extract)."""
    from factkit import extractor as extractor_module

    loads = []

    def load_pack(source, **kwargs):
        loads.append(source)
        return pack_loader.load_pack(source, **kwargs)

    monkeypatch.setattr(extractor_module, "load_pack", load_pack)
    return loads


def test_a_built_extractor_is_reused_until_an_included_file_changes(tmp_path, monkeypatch):
    monkeypatch.setenv("FACTKIT_CACHE_DIR", str(tmp_path / "cache"))
    loads = _counting_loads(monkeypatch)
    (tmp_path / "units.yaml").write_text("macros:\n  unit: 'knots?'\n")
    path = tmp_path / "speed.yaml"
    path.write_text(SPEED)
    assert [f.text for f in factkit.Extractor([path]).extract("at 20 knots, 30 kts")] == ["20 knots"]
    assert len(loads) == 1 and list((tmp_path / "cache").parent.rglob("extractors/*.pickle"))
    again = factkit.Extractor([path])
    assert len(loads) == 1  # read back, packs left unloaded
    assert [f.text for f in again.extract("at 20 knots, 30 kts")] == ["20 knots"]
    assert [p.name for p in again.packs] == ["speed"] and len(loads) == 2  # loaded when asked for
    (tmp_path / "units.yaml").write_text("macros:\n  unit: 'kts'\n")
    pack_loader._cache.clear()  # the in-process cache goes by the pack file alone
    assert [f.text for f in factkit.Extractor([path]).extract("at 20 knots, 30 kts")] == ["30 kts"]


def test_kinds_and_timeouts_are_part_of_what_is_stored(tmp_path, monkeypatch):
    monkeypatch.setenv("FACTKIT_CACHE_DIR", str(tmp_path / "cache"))
    (tmp_path / "units.yaml").write_text("macros:\n  unit: 'knots?'\n")
    path = tmp_path / "speed.yaml"
    path.write_text(SPEED)
    text = "20 knots and #7"
    assert [f.kind for f in factkit.Extractor([path]).extract(text)] == ["quantity", "number"]
    assert [f.kind for f in factkit.Extractor([path], kinds=["number"]).extract(text)] == ["number"]
    assert [f.kind for f in factkit.Extractor([path], kinds=["number"]).extract(text)] == ["number"]
    assert factkit.Extractor([path], timeout=0.5).matcher.pattern_timeout == 0.5
    assert [f.kind for f in factkit.Extractor([path]).extract(text)] == ["quantity", "number"]


def test_a_requirement_that_now_names_another_pack_is_built_again(tmp_path, monkeypatch):
    from factkit.registry import Registry

    monkeypatch.setenv("FACTKIT_CACHE_DIR", str(tmp_path / "cache"))
    registries = []
    for unit in ("knots?", "kts"):
        base = tmp_path / unit.strip("?")
        base.mkdir()
        (base / "base.yaml").write_text(f"name: base\nmacros:\n  unit: '{unit}'\n")
        registry = Registry(use_entry_points=False)
        registry.register_pack(base / "base.yaml", name="base")
        registries.append(registry)
    path = tmp_path / "speed.yaml"
    path.write_text(SPEED.replace("include: [units.yaml]", "requires: [base]").replace("{unit}", "{base.unit}"))
    for _ in range(2):
        for registry, found in zip(registries, ["20 knots", "30 kts"]):
            pack_loader._cache.clear()
            extractor = factkit.Extractor([path], registry=registry)
            assert [f.text for f in extractor.extract("at 20 knots, 30 kts")] == [found]


def test_no_built_extractor_is_stored_with_the_cache_off(tmp_path, monkeypatch):
    monkeypatch.setenv("FACTKIT_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("FACTKIT_CACHE", "0")
    (tmp_path / "units.yaml").write_text("macros:\n  unit: 'knots?'\n")
    path = tmp_path / "speed.yaml"
    path.write_text(SPEED)
    assert factkit.Extractor([path]).extract("20 knots")
    assert not list(tmp_path.rglob("*.pickle"))


def test_only_the_most_recently_used_built_extractors_are_kept(tmp_path, monkeypatch):
    from factkit import pack_cache

    monkeypatch.setenv("FACTKIT_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(pack_cache, "MAX_BUILT", 2)
    (tmp_path / "units.yaml").write_text("macros:\n  unit: 'knots?'\n")
    for name in ("a", "b", "c"):
        (tmp_path / f"{name}.yaml").write_text(SPEED.replace("name: speed", f"name: {name}"))
        factkit.Extractor([tmp_path / f"{name}.yaml"])
    assert len(list(tmp_path.rglob("extractors/*.pickle"))) == 2


def test_a_stored_extractor_pickles_with_its_packs(tmp_path, monkeypatch):
    import pickle

    monkeypatch.setenv("FACTKIT_CACHE_DIR", str(tmp_path / "cache"))
    (tmp_path / "units.yaml").write_text("macros:\n  unit: 'knots?'\n")
    path = tmp_path / "speed.yaml"
    path.write_text(SPEED)
    factkit.Extractor([path])
    stored = factkit.Extractor([path])
    clone = pickle.loads(pickle.dumps(stored))  # sent to a worker that may not see the same files
    assert clone._packs is not None and [p.name for p in clone.packs] == ["speed"]
    assert [f.text for f in clone.extract("at 20 knots")] == ["20 knots"]


def test_only_the_most_recently_used_packs_are_kept_and_the_old_layout_goes(tmp_path, monkeypatch):
    import os

    from factkit import pack_cache

    monkeypatch.setenv("FACTKIT_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(pack_cache, "MAX_PACKS", 2)
    paths = []
    for name in ("a", "b"):
        paths.append(tmp_path / f"{name}.yaml")
        paths[-1].write_text(PACK.replace("name: knots", f"name: {name}"))
        _fresh_load(paths[-1])
    for age, path in enumerate(paths):  # both long ago, "a" the older
        os.utime(pack_cache._entry(path, "path"), (1_000_000 + age, 1_000_000 + age))
    old = next(tmp_path.rglob("packs")) / ("ab" * 32)
    (old / "inner").mkdir(parents=True)
    assert _fresh_load(paths[0]).name == "a"  # read from the store: now the most recently used
    (tmp_path / "c.yaml").write_text(PACK.replace("name: knots", "name: c"))
    _fresh_load(tmp_path / "c.yaml")  # a third stored pack: the least recently used one goes
    kept = {pickle_path.name for pickle_path in tmp_path.rglob("packs/*.pickle")}
    assert len(kept) == 2
    assert pack_cache._entry(paths[0], "path").name in kept and pack_cache._entry(paths[1], "path").name not in kept
    assert not old.exists()
