"""Streaming extraction: seams lose and duplicate nothing, offsets are global, files of any encoding state
give a clear error or replacement characters, never a traceback."""

import itertools

import pytest

from factkit.errors import InputError
from factkit.streaming import _cut_back, iter_text_file

PARAGRAPH = ("On 5 March 2019, 3,420 troops moved 12 km north; costs rose 15% to $4.5 million.\n"
             "About 300 tanks and twenty-five S-300 launchers arrived three days ago.\n\n")


@pytest.fixture(scope="module")
def text():
    return PARAGRAPH * 30


@pytest.fixture(scope="module")
def whole(extractor, text):
    return extractor.extract(text)


@pytest.mark.parametrize("window, overlap, piece", [(50, 40, 7), (200, 64, 1000), (333, 100, 1),
                                                    (4000, 200, 123), (10**6, 2048, 10**6)])
def test_streamed_facts_equal_whole_document_facts(extractor, text, whole, window, overlap, piece):
    chunks = (text[i:i + piece] for i in range(0, len(text), piece))
    streamed = list(extractor.extract_stream(chunks, window=window, overlap=overlap))
    assert streamed == whole
    assert all(text[f.start:f.end] == f.text for f in streamed)


def test_a_seam_inside_a_fact_neither_loses_nor_duplicates_it(extractor):
    text = "x " * 40 + "3,420 troops" + " y" * 40  # no line breaks: every cut falls on a space
    for window in range(20, 120, 7):
        streamed = list(extractor.extract_stream([text], window=window, overlap=30))
        assert [(f.start, f.text) for f in streamed] == [(80, "3,420 troops")], window


def test_the_stream_is_lazy(extractor):
    endless = itertools.cycle([PARAGRAPH])
    first = list(itertools.islice(extractor.extract_stream(endless, window=500, overlap=100), 5))
    assert [f.start for f in first] == sorted(f.start for f in first)
    assert len(first) == 5


def test_a_long_line_without_spaces_is_cut_anyway(extractor):
    text = "5 km. " + "x" * 200_000 + " 7 kg"
    streamed = list(extractor.extract_stream([text], window=10_000, overlap=100))
    assert [(f.text, f.start) for f in streamed] == [("5 km", 0), ("7 kg", len(text) - 4)]


def test_cuts_prefer_paragraphs_then_lines_then_spaces():
    assert _cut_back("aa bb\ncc\n\ndd ee", 0, 14) == 10
    assert _cut_back("aa bb\ncc dd ee", 0, 13) == 6
    assert _cut_back("aa bb cc", 0, 7) == 6
    assert _cut_back("aaaaaaaa", 0, 5) == 5


def test_pieces_must_be_text(extractor):
    with pytest.raises(TypeError):
        list(extractor.extract_stream([b"3 km"]))


def test_bad_window(extractor):
    with pytest.raises(ValueError):
        list(extractor.extract_stream(["3 km"], window=0))


def test_empty_stream(extractor):
    assert list(extractor.extract_stream([])) == []
    assert list(extractor.extract_stream(["", ""])) == []


# -- files --------------------------------------------------------------------------------------------------

def test_extract_file_equals_extract(extractor, tmp_path, text, whole):
    path = tmp_path / "doc.txt"
    path.write_text(text, encoding="utf-8")
    assert list(extractor.extract_file(path, window=300, overlap=100)) == whole


def test_a_character_split_between_reads_is_decoded_whole(tmp_path):
    text = "é€😀" * 1000 + " 3 km"
    path = tmp_path / "doc.txt"
    path.write_bytes(text.encode("utf-8"))
    assert "".join(iter_text_file(path, read_bytes=7)) == text


def test_invalid_utf8_names_line_and_byte(extractor, tmp_path):
    path = tmp_path / "bad.txt"
    path.write_bytes(b"3 km\nline two\n\xff\xfe 5 kg\n")
    with pytest.raises(InputError, match=r"bad.txt:3: not valid UTF-8 at byte 14"):
        list(extractor.extract_file(path))
    with pytest.raises(InputError, match=r"bad.txt:3: not valid UTF-8 at byte 14"):
        list(iter_text_file(path, read_bytes=3))  # the same position when the bad byte is read later


def test_invalid_utf8_replaced_on_request(extractor, tmp_path):
    path = tmp_path / "bad.txt"
    path.write_bytes(b"3 km\n\xff 5 kg\n")
    text = "3 km\n\ufffd 5 kg\n"
    facts = list(extractor.extract_file(path, errors="replace"))
    assert [f.text for f in facts] == ["3 km", "5 kg"]
    assert all(text[f.start:f.end] == f.text for f in facts)


def test_a_binary_file_is_refused(extractor, tmp_path):
    path = tmp_path / "image.bin"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    with pytest.raises(InputError, match="binary"):
        list(extractor.extract_file(path))


def test_a_missing_file_is_an_input_error(extractor, tmp_path):
    with pytest.raises(InputError, match="cannot read"):
        list(extractor.extract_file(tmp_path / "nope.txt"))
