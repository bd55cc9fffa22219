"""``factkit bench`` on tiny inputs: the report's counts must match the input and the facts extracted.
No wall-clock thresholds here: timings only have to be positive and consistent with the counts."""

import datetime as dt
import importlib.util
import json
from pathlib import Path

import pytest

import factkit
from factkit.bench import Document, parse_size, reshape
from factkit.cli import main

TEXT = ("Up to 100 Russian personnel arrived in Caracas on March 28.\n\n"
        "The deal is worth $3 million, and inflation rose 4.5% as the S-300 was readied.\n")


def bench_json(capsys, *argv):
    code = main(["bench", *argv, "--format", "json", "--reference-date", "2019-03-31"])
    out, err = capsys.readouterr()
    assert code == 0, err
    return json.loads(out)


def test_counts_match_the_input_and_the_extracted_facts(capsys, tmp_path):
    doc = tmp_path / "news.txt"
    doc.write_text(TEXT, encoding="utf-8")
    report = bench_json(capsys, str(doc), "--repeat", "2")
    run = report["runs"][0]
    expected = factkit.Extractor(reference_date="2019-03-31").extract(TEXT)
    assert expected, "the sample text must contain facts for this test to mean anything"
    assert (run["documents"], run["chars"], run["facts"]) == (1, len(TEXT), len(expected))
    assert len(run["seconds"]) == 2 and all(s > 0 for s in run["seconds"])
    assert run["best_seconds"] == min(run["seconds"])
    assert run["chars_per_s"] * run["best_seconds"] == pytest.approx(len(TEXT))
    assert run["facts_per_s"] * run["best_seconds"] == pytest.approx(len(expected))
    assert run["docs_per_s"] * run["best_seconds"] == pytest.approx(1)
    assert len(run["cpu_seconds"]) == 2 and run["best_cpu_seconds"] == min(run["cpu_seconds"]) > 0
    assert run["chars_per_cpu_s"] * run["best_cpu_seconds"] == pytest.approx(len(TEXT))
    assert report["packs"] == ["core", "dates", "military"] and report["rules"] > 0
    assert report["memory"]["peak_rss_mb"] > 0 and "ru_maxrss" in report["memory"]["method"]


def test_profile_times_every_rule_once(capsys, tmp_path):
    doc = tmp_path / "news.txt"
    doc.write_text(TEXT, encoding="utf-8")
    report = bench_json(capsys, str(doc), "--pack", "core", "--repeat", "1", "--profile")
    extractor = factkit.Extractor(["core"], reference_date="2019-03-31")
    by_rule = {row["rule"]: row for row in report["profile"][:-2]}
    assert sorted(by_rule) == sorted(r.name for r in extractor.matcher.rules)
    assert report["profile"][-2]["rule"].startswith("(matcher work shared by all rules")
    assert report["profile"][-1]["rule"].startswith("(outside the matcher")
    assert sum(row["share"] for row in report["profile"]) == pytest.approx(1)
    seconds = [row["seconds"] for row in report["profile"][:-2]]
    assert seconds == sorted(seconds, reverse=True) and all(s >= 0 for s in seconds)
    ctx = factkit.ParseContext(reference_date=dt.date(2019, 3, 31), gazetteers=extractor.gazetteers)
    found = {}
    for rule in extractor.matcher.rules:  # candidates per rule, before overlap resolution
        found[rule.name] = len(extractor.matcher.candidates(TEXT, ctx, rules=[rule]))
    assert {name: row["candidates"] for name, row in by_rule.items()} == found
    assert by_rule["core:money-symbol"]["candidates"] >= 1


def test_doc_size_recuts_the_input(capsys, tmp_path):
    doc = tmp_path / "news.txt"
    doc.write_text(TEXT, encoding="utf-8")
    report = bench_json(capsys, str(doc), "--repeat", "1", "--doc-size", "40", "--doc-size", "1K")
    small, big = report["runs"][1], report["runs"][2]
    assert (small["documents"], small["chars"]) == (round(len(TEXT) / 40), round(len(TEXT) / 40) * 40)
    assert (big["documents"], big["chars"]) == (1, 1024)


def test_directory_input_and_table_output(capsys, tmp_path):
    (tmp_path / "b.txt").write_text("10 miles", encoding="utf-8")
    (tmp_path / "a.txt").write_text("5 km", encoding="utf-8")
    (tmp_path / "notes.md").write_text("not read: 7 km", encoding="utf-8")
    assert main(["bench", str(tmp_path), "--repeat", "1", "--pack", "core"]) == 0
    out = capsys.readouterr().out
    header = next(line for line in out.splitlines() if line.startswith("input"))
    assert header.split()[:4] == ["input", "docs", "chars", "facts"]
    row = out.splitlines()[out.splitlines().index(header) + 1].split()
    assert row[1:4] == ["2", "12", "2"]  # two .txt documents, 4 + 8 characters, one quantity each
    assert "peak memory" in out


def test_documents_together_count_the_same_facts(capsys, tmp_path):
    doc = tmp_path / "news.txt"
    doc.write_text(TEXT * 4, encoding="utf-8")
    alone = bench_json(capsys, str(doc), "--repeat", "1", "--doc-size", "100")["runs"][1]
    together = bench_json(capsys, str(doc), "--repeat", "1", "--doc-size", "100", "--together", "8")["runs"][1]
    assert together["label"] == "100-char documents, 8 per call"
    assert (together["documents"], together["facts"]) == (alone["documents"], alone["facts"]) and alone["facts"] > 8
    assert main(["bench", str(doc), "--together", "0"]) == 2
    assert "together must be at least 1" in capsys.readouterr().err


def test_bad_inputs_exit_2_without_traceback(capsys, tmp_path):
    assert main(["bench", str(tmp_path)]) == 2
    assert "no *.txt files" in capsys.readouterr().err
    (tmp_path / "a.txt").write_text("5 km", encoding="utf-8")
    assert main(["bench", str(tmp_path), "--doc-size", "lots"]) == 2
    assert "not a size" in capsys.readouterr().err
    assert main(["bench", str(tmp_path), "--repeat", "0"]) == 2
    assert "Traceback" not in capsys.readouterr().err


def test_parse_size_and_reshape():
    assert [parse_size(s) for s in ("500", "1K", "100KB", "10M", "1.5k")] == [500, 1024, 102400, 10 * 1024**2, 1536]
    for bad in ("", "K", "-1K", "10G", "ten"):
        with pytest.raises(ValueError):
            parse_size(bad)
    docs = reshape([Document("a", "abcd"), Document("b", "ef")], 15)
    assert [d.text for d in docs] == ["abcd\n\nefabcd\n\ne"]  # longer than the input: the input repeats


def test_corpus_builder_is_deterministic_and_starts_with_the_seed(tmp_path):
    path = Path(__file__).parent / "benchmarks" / "build_corpus.py"
    spec = importlib.util.spec_from_file_location("build_corpus", path)
    builder = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(builder)
    first, again = builder.build_articles(size_kb=16, seed=3), builder.build_articles(size_kb=16, seed=3)
    assert first == again and first != builder.build_articles(size_kb=16, seed=4)
    assert sum(map(len, first)) >= 16 * 1024
    assert first[0] == (Path(__file__).parents[1] / "seeds" / "venezuela-russia.txt").read_text(encoding="utf-8")
    out = builder.write_corpus(tmp_path / "corpus", size_kb=8, seed=3)
    assert [p.read_text(encoding="utf-8") for p in sorted(out.glob("article-*.txt"))] == builder.build_articles(8, 3)
