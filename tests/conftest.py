import datetime as dt

import pytest

import factkit

pytest_plugins = ["pytester"]

REFERENCE = dt.date(2019, 3, 31)  # a Sunday


@pytest.fixture(scope="session")
def extractor() -> factkit.Extractor:
    return factkit.Extractor(reference_date=REFERENCE)


@pytest.fixture
def write_pack(tmp_path):
    """Write a pack file (and optional extra files) into a fresh directory; return the pack file's path."""

    def write(text: str, name: str = "pack.yaml", **files: str):
        for fname, body in files.items():
            (tmp_path / fname).write_text(body, encoding="utf-8")
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        return path

    return write


SLOW_PACK = """\
name: slow
rules:
  - id: nested
    kind: number
    pattern: '(?P<value>(?:a|a)+)\\d'
    fields: {value: text}
    allow_backtracking: true
  - id: digits
    kind: number
    pattern: '(?P<value>\\d+)'
    fields: {value: number}
"""


@pytest.fixture
def slow_pack(write_pack):
    """A pack whose rule slow:nested backtracks far longer than any test waits on forty "a"s not followed
    by a digit, beside slow:digits, which reads numbers; its path."""
    return write_pack(SLOW_PACK)
