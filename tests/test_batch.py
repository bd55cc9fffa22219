import itertools
import os

import pytest

import factkit
from factkit.batch import PENDING_CHUNKS_PER_WORKER, Document, DocumentError, DocumentFacts, extract_many

SENTENCES = [
    "About 40 troops crossed 12 km of desert on March {d}.",
    "The fund lost $3.5 million, or 12% of its value, in {y}.",
    "Up to {n} S-300 launchers were seen near the third checkpoint.",
    "Nothing numeric here at all.",
]


def corpus(n):
    return [SENTENCES[i % len(SENTENCES)].format(d=i % 28 + 1, y=1990 + i % 30, n=i) for i in range(n)]


@pytest.fixture(scope="module")
def core_extractor():
    return factkit.Extractor(["core", "dates", "military"], reference_date="2019-03-31")


class DyingExtractor(factkit.Extractor):
    """Kills its worker process on a marked document, as a segfault in a dependency would."""

    def extract(self, text, **kw):
        if "DIE" in text:
            os._exit(3)
        return super().extract(text, **kw)


def dumps(result):
    return [f.model_dump() for f in result.facts]


def test_two_workers_give_what_one_extract_call_per_document_gives(core_extractor):
    texts = corpus(80)
    results = list(core_extractor.extract_many(texts, workers=2, chunk_size=4))
    assert [r.id for r in results] == list(range(80))
    assert all(isinstance(r, DocumentFacts) for r in results)
    assert [dumps(r) for r in results] == [[f.model_dump() for f in core_extractor.extract(t)] for t in texts]
    assert results[0].chars == len(texts[0])
    assert any(f.kind == "money" for f in results[1].facts)


def test_unordered_yields_every_document_once(core_extractor):
    texts = corpus(60)
    results = list(extract_many(core_extractor, texts, workers=2, chunk_size=3, ordered=False))
    assert sorted(r.id for r in results) == list(range(60))
    by_id = {r.id: dumps(r) for r in results}
    assert by_id[1] == [f.model_dump() for f in core_extractor.extract(texts[1])]


@pytest.mark.parametrize("workers", [1, 2])
def test_a_bad_document_becomes_an_error_record_and_the_batch_goes_on(core_extractor, tmp_path, workers):
    bad_file = tmp_path / "bad.txt"
    bad_file.write_bytes(b"5 km\n\xff\n")
    items = [
        "5 km",
        None,
        {"id": "no-text", "body": "x"},
        ("pair", 7),
        Document("missing", path=str(tmp_path / "missing.txt")),
        Document("bad", path=str(bad_file)),
        Document("bad-replaced", path=str(bad_file), errors="replace"),
        {"id": "rec", "text": "10 miles"},
    ] * 3
    results = list(extract_many(core_extractor, items, workers=workers, chunk_size=2))
    assert [r.id for r in results] == [0, 1, "no-text", "pair", "missing", "bad", "bad-replaced", "rec"] + \
        [8, 9, "no-text", "pair", "missing", "bad", "bad-replaced", "rec"] + \
        [16, 17, "no-text", "pair", "missing", "bad", "bad-replaced", "rec"]
    errors = {r.id: r for r in results[:8] if isinstance(r, DocumentError)}
    assert set(errors) == {1, "no-text", "pair", "missing", "bad"}
    assert "NoneType" in errors[1].error and errors[1].error_type == "TypeError"
    assert "'text'" in errors["no-text"].error
    assert "text is int" in errors["pair"].error
    assert "missing.txt: cannot read" in errors["missing"].error
    assert "bad.txt:2: not valid UTF-8" in errors["bad"].error and errors["bad"].error_type == "InputError"
    assert [f.value for f in results[6].facts] == [5] and [f.unit for f in results[7].facts] == ["mile"]


def test_a_dead_worker_costs_only_its_own_document():
    extractor = DyingExtractor(["core"], reference_date="2019-03-31")
    texts = [f"{i} km" for i in range(120)]
    texts[30] = "DIE here"
    texts[31] = "DIE again, in the same chunk"
    texts[100] = "DIE later"
    for ordered in (True, False):
        results = list(extract_many(extractor, texts, workers=2, chunk_size=8, ordered=ordered))
        assert sorted(r.id for r in results) == list(range(120))
        if ordered:
            assert [r.id for r in results] == list(range(120))
        dead = {r.id for r in results if not r.ok}
        assert dead == {30, 31, 100}
        assert all(r.error_type == "WorkerDied" for r in results if not r.ok)
        assert all(r.facts[0].value == r.id for r in results if r.ok)


def test_input_is_read_lazily_with_a_bounded_number_of_documents_in_flight(core_extractor):
    pulled = []

    def endless():
        for i in itertools.count():
            pulled.append(i)
            yield f"{i} km"

    results = extract_many(core_extractor, endless(), workers=2, chunk_size=5)
    first = list(itertools.islice(results, 20))
    results.close()  # stops the pool
    assert [r.facts[0].value for r in first] == list(range(20))
    assert len(pulled) <= 20 + 2 * PENDING_CHUNKS_PER_WORKER * 5 + 5


def test_per_document_reference_date(core_extractor):
    items = [{"id": "a", "text": "on Friday", "reference_date": "2019-03-31"},
             {"id": "b", "text": "on Friday", "reference_date": "2020-01-01"},
             Document("c", "on Friday", reference_date="2019-03-31")]
    values = [r.facts[0].value for r in core_extractor.extract_many(items, workers=1)]
    assert values == ["2019-03-29", "2019-12-27", "2019-03-29"]


def test_custom_fields_and_argument_checks(core_extractor):
    rows = [{"doc": "d1", "body": "3 miles"}]
    [result] = core_extractor.extract_many(rows, id_field="doc", text_field="body")
    assert result.id == "d1" and result.facts[0].unit == "mile"
    assert list(core_extractor.extract_many([], workers=2)) == []
    with pytest.raises(ValueError, match="workers"):
        core_extractor.extract_many(["x"], workers=0)
    with pytest.raises(ValueError, match="chunk_size"):
        core_extractor.extract_many(["x"], chunk_size=-1)


def test_an_extractor_sent_to_a_spawned_worker_extracts_the_same(core_extractor):
    """Where workers spawn instead of fork (macOS, Windows), the extractor reaches them pickled."""
    import pickle

    texts = corpus(12)
    copy = pickle.loads(pickle.dumps(core_extractor))
    assert [[f.model_dump() for f in copy.extract(t)] for t in texts] == \
        [[f.model_dump() for f in core_extractor.extract(t)] for t in texts]


def test_a_document_that_fails_in_a_chunk_extracted_together_fails_alone(write_pack):
    """Texts of a chunk are extracted together; one that runs out of time (on_timeout="error") is
    extracted again alone, so that the error is its own and its neighbours keep their facts."""
    path = write_pack("name: slow\nrules:\n  - id: nested\n    kind: number\n"
                      "    pattern: '(?P<value>(?:a|a)+)\\d'\n    fields: {value: text}\n    allow_backtracking: true\n"
                      "  - id: digits\n    kind: number\n    pattern: '(?P<value>\\d+)'\n    fields: {value: number}\n")
    extractor = factkit.Extractor([str(path)], timeout=0.05, on_timeout="error")
    texts = ["1", "2", "a" * 40 + " 3", "4"]
    results = list(extract_many(extractor, texts, workers=1, chunk_size=4))
    assert [r.ok for r in results] == [True, True, False, True]
    assert results[2].error_type == "ExtractionTimeout"
    assert [r.facts[0].value for r in results if r.ok] == [1, 2, 4]


def test_chunks_end_at_their_size_or_once_their_texts_are_long(tmp_path):
    from factkit.batch import _chunks

    short = [(i, "x" * 10) for i in range(10)]
    assert [len(c) for c in _chunks(iter(short), 4)] == [4, 4, 2]
    # a chunk closes once its texts reach the limit, whatever form the items take
    path = tmp_path / "doc.txt"
    path.write_text("y" * 30, encoding="utf-8")
    items = list(enumerate(["a" * 30, ("id", "b" * 30), {"body": "c" * 30}, Document("d", path=str(path)),
                            Document("e", "e" * 5), "f"]))
    assert [[i for i, _ in c] for c in _chunks(iter(items), 64, "body", chars=60)] == [[0, 1], [2, 3], [4, 5]]
    # what has no text at hand (a missing file, a bad item) counts nothing and is still chunked
    odd = list(enumerate([Document("m", path=str(tmp_path / "missing.txt")), 42, "z" * 100]))
    assert [[i for i, _ in c] for c in _chunks(iter(odd), 64, chars=60)] == [[0, 1, 2]]
