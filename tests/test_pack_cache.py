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
    assert list((tmp_path / "cache").parent.rglob("pack.pickle"))
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


def test_the_cache_can_be_turned_off(tmp_path, monkeypatch):
    monkeypatch.setenv("FACTKIT_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("FACTKIT_CACHE", "0")
    path = tmp_path / "knots.yaml"
    path.write_text(PACK)
    _fresh_load(path)
    assert not list(tmp_path.rglob("pack.pickle"))
