"""Properties that hold for any text whatever: extraction never raises, spans index the original text
exactly, facts come sorted, without overlaps and the same every time, a paragraph's facts do not depend on
text far away, and streamed extraction equals whole-document extraction.

The default run is modest (``FACTKIT_FUZZ_EXAMPLES``, default 100 examples per property); the long run is
``python tests/benchmarks/fuzz.py`` (see docs/robustness.md).
"""

import os
import pickle

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

EXAMPLES = int(os.environ.get("FACTKIT_FUZZ_EXAMPLES", "100"))
SETTINGS = settings(max_examples=EXAMPLES, deadline=None, database=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                           HealthCheck.function_scoped_fixture])

# Pieces that make facts, pieces that break them, and odd characters between them.
FACTY = ["3", "3,420", "1.5", "12", "2019", "-4", "٣٤٥", "３", "1" * 40, "½", "²", "twenty-five", "a dozen",
         "million", "bn", "km", "kg", "%", "per cent", "$", "€", "£", "USD", "tanks", "troops", "S-300",
         "March", "5 March 2019", "2019-03-05", "03/05/2019", "Q3", "last week", "yesterday", "in 3 days",
         "about", "more than", "up to", "between", "and", "to", "-", "–", "of", "the", "1990s", "'90s",
         "first", "3rd", "Monday", "next", "ago", "years", "brigades", "Iskander", "No.", "no"]
ODD = ["\u00a0", "\u2009", "\u202f", "\u200f", "\u200e", "\u200b", "\ufeff", "\u0301", "\u2028", "\x00",
       "\x1b", "\t", "\r\n", "\n\n", "😀", "👩‍👩‍👧", "中文", "العربية", "Ж", "é", "e\u0301", "\ufffd", ".", ",", ":",
       "/", "(", ")"]
SEPARATORS = [" ", " ", " ", "  ", "\n", "\n\n", ", ", ". ", "-", "", "\u00a0", "\t"]

token = st.one_of(st.sampled_from(FACTY), st.sampled_from(ODD), st.text(max_size=6))
facty_text = st.lists(st.tuples(token, st.sampled_from(SEPARATORS)), max_size=40).map(
    lambda pairs: "".join(t + s for t, s in pairs))
any_text = st.one_of(st.text(max_size=300), facty_text,
                     st.text(alphabet=st.characters(codec="utf-8"), max_size=300))


def check_facts(text, facts):
    last_end = 0
    for fact in facts:
        assert 0 <= fact.start < fact.end <= len(text)
        assert text[fact.start:fact.end] == fact.text
        assert fact.start >= last_end, "facts overlap or are out of order"
        last_end = fact.end


@SETTINGS
@given(text=any_text)
def test_extract_never_raises_and_spans_index_the_text(extractor, text):
    facts = extractor.extract(text)
    check_facts(text, facts)
    assert extractor.extract(text) == facts  # deterministic, memoised parsers included


@pytest.fixture(scope="module")
def clone(extractor):
    return pickle.loads(pickle.dumps(extractor))  # its own parse cache, filled in another order


@SETTINGS
@given(text=facty_text)
def test_extraction_does_not_depend_on_what_was_extracted_before(extractor, clone, text):
    clone.extract(text[::-1])  # the two parse caches now hold different histories
    assert clone.extract(text) == extractor.extract(text)


FAR = "\n\nThe committee met again and the minutes were read aloud before lunch.\n\n"


@SETTINGS
@given(paragraph=facty_text, before=any_text, after=any_text)
def test_text_far_away_does_not_change_a_paragraphs_facts(extractor, paragraph, before, after):
    alone = "\n\n" + paragraph.strip() + "\n\n"
    assume(alone.strip())
    assert extractor.extract(FAR) == []
    doc = before + FAR + alone + FAR + after
    offset = len(before) + len(FAR)
    inside = [f for f in extractor.extract(doc) if offset <= f.start < offset + len(alone)]
    expected = [f.model_copy(update={"start": f.start + offset, "end": f.end + offset})
                for f in extractor.extract(alone)]
    assert inside == expected


@SETTINGS
@given(text=st.lists(facty_text, max_size=8).map("\n".join), window=st.integers(20, 200),
       piece=st.integers(1, 97))
def test_streamed_extraction_equals_whole_document_extraction(extractor, text, window, piece):
    overlap = 64
    whole = extractor.extract(text)
    assume(all(f.end - f.start < overlap // 2 for f in whole))  # the documented precondition
    chunks = [text[i:i + piece] for i in range(0, len(text), piece)]
    streamed = list(extractor.extract_stream(chunks, window=window, overlap=overlap))
    check_facts(text, streamed)
    assert streamed == whole
