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
