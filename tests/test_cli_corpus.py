import csv
import io
import json

import pytest

import factkit
from factkit.cli import main
from factkit.fact_table import from_row
from factkit.progress import Progress

REF = ["--reference-date", "2019-03-31", "--pack", "core", "--pack", "dates"]


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def jsonl(text):
    return [json.loads(line) for line in text.splitlines()]


@pytest.fixture
def corpus_dir(tmp_path):
    root = tmp_path / "corpus"
    (root / "2019" / "march").mkdir(parents=True)
    (root / ".cache").mkdir()
    (root / "a.txt").write_text("Troops moved 5 km on Friday.")
    (root / "2019" / "b.txt").write_text("Prices rose 12% to $3 million.")
    (root / "2019" / "march" / "c.txt").write_text("Up to 40 miles of road.")
    (root / "2019" / "notes.md").write_text("7 km, in a file the glob leaves out")
    (root / ".cache" / "d.txt").write_text("8 km, hidden")
    return root


def test_directories_are_searched_recursively_with_the_glob(capsys, corpus_dir):
    code, out, err = run(capsys, "extract", str(corpus_dir), *REF)
    assert code == 0 and err == ""
    rows = jsonl(out)
    assert sorted({r["source"] for r in rows}) == [str(corpus_dir / "2019" / "b.txt"),
                                                    str(corpus_dir / "2019" / "march" / "c.txt"),
                                                    str(corpus_dir / "a.txt")]
    code, out, _ = run(capsys, "extract", str(corpus_dir), "--glob", "*.md", *REF)
    assert [(r["source"], r["value"]) for r in jsonl(out)] == [(str(corpus_dir / "2019" / "notes.md"), 7)]


def test_two_workers_write_what_one_writes(capsys, tmp_path):
    docs = tmp_path / "docs.jsonl"
    docs.write_text("".join(json.dumps({"id": f"d{i}", "text": f"{i} km and {i}% on March {i % 28 + 1}"}) + "\n"
                            for i in range(60)))
    outs = [run(capsys, "extract", str(docs), *REF, "--workers", str(n), "--chunk-size", "4")[1] for n in (1, 2)]
    assert outs[0] == outs[1]
    assert [r["source"] for r in jsonl(outs[0])][:3] == ["d0", "d0", "d0"]


def test_jsonl_table_with_fields_dates_and_bad_records(capsys, tmp_path):
    table = tmp_path / "articles.jsonl"
    table.write_text('{"key": "k1", "body": "on Friday it cost $5", "published": "2020-01-01"}\n'
                     '{"key": "k2", "text": "no body field"}\n'
                     'not json\n'
                     '\n'
                     '{"body": "on Friday"}\n', encoding="utf-8")
    code, out, err = run(capsys, "extract", str(table), *REF, "--text-field", "body", "--id-field", "key",
                         "--date-field", "published")
    rows = jsonl(out)
    assert code == 1
    assert [(r["source"], r["text"], r["value"]) for r in rows] == [
        ("k1", "Friday", "2019-12-27"), ("k1", "$5", 5), (f"{table}:5", "Friday", "2019-03-29")]
    assert f"{table}:2: record has no 'body' field" in err
    assert f"{table}:3:1: not valid JSON" in err
    assert "2 documents failed" in err and "Traceback" not in err


def test_csv_in_csv_out_round_trips_to_the_same_facts(capsys, tmp_path):
    table = tmp_path / "in.csv"
    with table.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["id", "text"])
        w.writerow(["c1", "about 40 euros,\nand 3 km"])
        w.writerow(["c2", "between 5 and 10 km in 1962, the third year"])
        w.writerow(["c3", "nothing to see"])
    out_path = tmp_path / "facts.csv"
    code, out, err = run(capsys, "extract", str(table), *REF, "--output", str(out_path))
    assert code == 0 and out == "" and err == ""
    with out_path.open(newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert rows[0]["source"] == "c1" and rows[0]["value"] == "40" and rows[0]["unit"] == "EUR"
    extractor = factkit.Extractor(["core", "dates"], reference_date="2019-03-31")
    texts = {"c1": "about 40 euros,\nand 3 km", "c2": "between 5 and 10 km in 1962, the third year"}
    expected = [(doc, f) for doc, text in texts.items() for f in extractor.extract(text)]
    got = [(r["source"], from_row(r)) for r in rows]
    assert got == expected
    assert {f.kind for _, f in got} >= {"money", "quantity", "range", "date", "ordinal"}


@pytest.mark.parametrize("fmt", ["jsonl", "csv"])
def test_resume_after_an_interruption_finishes_the_job_without_duplicates(capsys, tmp_path, fmt):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for i in range(25):
        (corpus / f"doc{i:02d}.txt").write_text(f"Report {i}: {i} km, {i}% and ${i} on March {i + 1}.")
    full, part = tmp_path / f"full.{fmt}", tmp_path / f"part.{fmt}"
    assert run(capsys, "extract", str(corpus), *REF, "-o", str(full))[0] == 0
    data = full.read_bytes()
    part.write_bytes(data[: len(data) * 2 // 5])  # killed mid-line, mid-document
    code, _, err = run(capsys, "extract", str(corpus), *REF, "-o", str(part), "--resume")
    assert code == 0, err
    assert part.read_bytes() == data
    code, _, _ = run(capsys, "extract", str(corpus), *REF, "-o", str(part), "--resume")
    assert code == 0 and part.read_bytes() == data  # nothing left to do


def test_resume_needs_a_resumable_output(capsys, tmp_path):
    code, _, err = run(capsys, "extract", "-", "--resume")
    assert code == 2 and "--resume needs --output" in err
    code, _, err = run(capsys, "extract", "-", "--resume", "-o", str(tmp_path / "x.parquet"))
    assert code == 2 and "--resume works with jsonl and csv" in err
    foreign = tmp_path / "foreign.jsonl"
    foreign.write_text('{"a": 1}\n')
    code, _, err = run(capsys, "extract", "-", "--resume", "-o", str(foreign))
    assert code == 2 and "foreign.jsonl:1: not a fact line" in err


def test_parquet_output_and_input(capsys, tmp_path):
    pq = pytest.importorskip("pyarrow.parquet", reason="Parquet needs the parquet extra (pyarrow)")
    import pyarrow as pa

    src = tmp_path / "in.parquet"
    pq.write_table(pa.table({"id": ["p1", "p2"], "text": ["up to 100 troops on Friday", "S-300? 12 km"]}), src)
    out_path = tmp_path / "facts.parquet"
    code, _, err = run(capsys, "extract", str(src), *REF, "-o", str(out_path))
    assert code == 0, err
    table = pq.read_table(out_path)
    assert table.schema.field("value").type == pa.float64()
    assert table.schema.field("value_text").type == pa.string()
    rows = table.to_pylist()
    extractor = factkit.Extractor(["core", "dates"], reference_date="2019-03-31")
    expected = extractor.extract("up to 100 troops on Friday") + extractor.extract("S-300? 12 km")
    assert [from_row(r) for r in rows] == expected
    assert [r["source"] for r in rows] == ["p1", "p1", "p2"]


def test_parquet_needs_an_output_path(capsys):
    code, _, err = run(capsys, "extract", "--format", "parquet", "-")
    assert code == 2 and "--output" in err


def test_progress_is_quiet_off_a_terminal_and_drawn_when_asked(capsys, corpus_dir):
    code, _, err = run(capsys, "extract", str(corpus_dir), *REF)
    assert err == ""
    code, _, err = run(capsys, "extract", str(corpus_dir), *REF, "--progress")
    assert code == 0
    assert "factkit: 3/3 docs (100%)" in err and "chars/s" in err and err.endswith("\n")


def test_progress_line_has_rate_and_eta():
    clock = [0.0]
    stream = io.StringIO()
    progress = Progress(1000, stream=stream, enabled=True, clock=lambda: clock[0])
    clock[0] = 30.0
    progress.update(250, chars=600_000)
    assert progress.line() == "factkit: 250/1,000 docs (25%)  20.0k chars/s  ETA 1m30s  elapsed 30s"
    progress.update(1, failed=1)
    assert "1 failed" in progress.line()
    unknown = Progress(stream=io.StringIO(), enabled=True, clock=lambda: clock[0])
    assert "ETA" not in unknown.line() and "docs" in unknown.line()
    quiet = io.StringIO()
    Progress(10, stream=quiet).update(5)
    assert quiet.getvalue() == ""
