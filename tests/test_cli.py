import json
import subprocess
import sys

import pytest

from factkit.cli import main

SEED = "seeds/venezuela-russia.txt"


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_extract_jsonl_on_the_seed(capsys):
    code, out, err = run(capsys, "extract", SEED, "--reference-date", "2019-03-31", "--format", "jsonl")
    assert code == 0 and err == ""
    rows = [json.loads(line) for line in out.splitlines()]
    texts = {r["text"] for r in rows}
    assert {"up to 100 Russian personnel", "310 to 3,420-mile", "S-300", "Novator 9M729", "March 28"} <= texts
    assert not any(r["kind"] == "number" and r["text"] in ("300", "12", "729", "9") for r in rows)
    assert all("source" not in r for r in rows)


def test_extract_several_files_adds_the_source(capsys, tmp_path):
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    a.write_text("5 km")
    b.write_text("10 miles")
    code, out, _ = run(capsys, "extract", str(a), str(b))
    rows = [json.loads(line) for line in out.splitlines()]
    assert [(r["source"], r["value"]) for r in rows] == [(str(a), 5), (str(b), 10)]


def test_extract_table_and_stdin(capsys, monkeypatch):
    import io

    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO("about 40 euros".encode())))
    code, out, _ = run(capsys, "extract", "--format", "table", "--pack", "core")
    assert code == 0
    assert out.splitlines()[0].split() == ["span", "kind", "text", "value", "rule"]
    assert "40 (EUR, approx)" in out


def test_invalid_utf8_names_the_file_and_exits_nonzero(capsys, tmp_path):
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"100 troops\n\xff\xfe\n")
    code, out, err = run(capsys, "extract", str(bad))
    assert code == 2 and "bad.txt:2: not valid UTF-8" in err and "Traceback" not in err
    code, out, err = run(capsys, "extract", str(bad), "--errors", "replace")
    assert code == 0 and "100 troops" in out


def test_binary_file_and_missing_file(capsys, tmp_path):
    binary = tmp_path / "x.bin"
    binary.write_bytes(b"\x00\x01\x02" * 10)
    assert run(capsys, "extract", str(binary))[0] == 2
    code, _, err = run(capsys, "extract", str(tmp_path / "nope.txt"))
    assert code == 2 and "nope.txt" in err


def test_broken_pack_is_reported_without_traceback(capsys, write_pack):
    path = write_pack("name: p\nrules:\n  - {id: a, kind: number, pattern: '{x}'}\n")
    code, out, err = run(capsys, "extract", "--pack", str(path), SEED)
    assert code == 2
    assert f"{path}:3:36: rule a: unknown macro or gazetteer {{x}} [E031]" in err
    assert "Traceback" not in err


def test_missing_pack_and_bad_reference_date(capsys):
    code, _, err = run(capsys, "extract", "--pack", "nope", SEED)
    assert code == 2 and "no pack named 'nope'" in err
    code, _, err = run(capsys, "extract", "--reference-date", "yesterday", SEED)
    assert code == 2 and "not an ISO date" in err


def test_packs_lists_the_builtin_packs(capsys):
    code, out, _ = run(capsys, "packs", "--format", "json")
    rows = {r["name"]: r for r in json.loads(out)}
    assert {"core", "dates", "military"} <= set(rows)
    assert rows["core"]["origin"] == "built-in" and rows["core"]["rules"] > 5
    assert "entity" in rows["military"]["kinds"]
    code, out, _ = run(capsys, "packs")
    assert out.splitlines()[0].split() == ["name", "version", "origin", "rules", "kinds"]


def test_check_builtin_pack_passes(capsys):
    code, out, _ = run(capsys, "check", "rules/core")
    assert code == 0, out
    assert "examples run, 0 failed" in out


def test_check_reports_failing_examples_and_warnings(capsys, write_pack):
    path = write_pack("name: p\nmacros:\n  unused: 'x'\nrules:\n  - id: digits\n    kind: number\n"
                      "    pattern: '(?P<value>\\d+)'\n    fields: {value: number}\n    examples:\n"
                      "      - text: '12'\n        facts: [{value: 13}]\n")
    code, out, _ = run(capsys, "check", str(path))
    assert code == 1
    assert "p/digits/example-1: failed" in out and "[F001]" in out
    assert "never used by a rule [W003]" in out and "no must_not_match" in out


def test_check_exit_code_for_broken_pack(capsys, write_pack):
    path = write_pack("name: p\nrules: [{id: a, kind: number, pattern: '('}]\n")
    code, out, _ = run(capsys, "check", str(path))
    assert code == 2 and "[E042]" in out


def test_explain_says_why_s300_has_no_number(capsys):
    code, out, _ = run(capsys, "explain", "--file", SEED, "--rule", "core:number")
    assert code == 0
    assert "S-300" in out and "context checks" in out
    assert "entity 'S-300' by military:weapon" in out


def test_schema_is_json_schema_of_the_pack_format(capsys):
    code, out, _ = run(capsys, "schema")
    schema = json.loads(out)
    assert schema["title"] == "factkit rule pack"
    assert {"name", "rules", "macros", "gazetteers"} <= set(schema["properties"])


def test_console_script_runs_as_a_process():
    proc = subprocess.run([sys.executable, "-m", "factkit", "extract", "--pack", "core"], input="90 miles",
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["unit"] == "mile"


@pytest.mark.parametrize("argv", [[], ["frobnicate"]])
def test_usage_errors(argv, capsys):
    with pytest.raises(SystemExit) as info:
        code = main(argv)
        raise SystemExit(code)
    assert info.value.code == 2
