"""The README's examples run as doctests, and its commands are the ones CI runs."""

import doctest
import re
import subprocess
import sys
from pathlib import Path

import yaml

import factkit

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_readme_python_examples():
    blocks = "\n".join(re.findall(r"```python\n(.*?)```", README, flags=re.S))
    parser = doctest.DocTestParser()
    test = parser.get_doctest(blocks, {}, "README.md", str(ROOT / "README.md"), 0)
    runner = doctest.DocTestRunner(optionflags=doctest.NORMALIZE_WHITESPACE)
    runner.run(test)
    assert runner.failures == 0 and runner.tries >= 4


def test_readme_pack_example_loads_and_its_examples_pass(tmp_path):
    pack_text = re.search(r"```yaml\n(.*?)```", README, flags=re.S).group(1)
    path = tmp_path / "naval.yaml"
    path.write_text(pack_text)
    from factkit.checking import check_pack

    report = check_pack(path)
    assert report.exit_code() == 0, report.lines()
    assert report.examples_run == 2
    assert yaml.safe_load(pack_text)["name"] == "naval"


def test_ci_runs_the_readme_test_command():
    command = re.search(r"run the tests.*?\n\n    ([^\n]+)\n", README, flags=re.S).group(1)
    assert command in (ROOT / ".ci" / "run").read_text()


def test_readme_table_is_what_the_seed_command_prints():
    shown = re.search(r"The start of the first command's output:\n\n```\n(.*?)```", README, flags=re.S).group(1)
    proc = subprocess.run([sys.executable, "-m", "factkit", "extract", "seeds/venezuela-russia.txt",
                           "--reference-date", "2019-03-31", "--format", "table"], cwd=ROOT,
                          capture_output=True, text=True, timeout=120)
    assert proc.stdout.startswith(shown)


def test_package_docstring_example():
    assert doctest.testmod(factkit).failed == 0
