"""The generated docs match the code they are generated from."""

import json

from factkit.cli import main
from factkit.docgen import DOCS, reference_text, schema_text
from factkit.docgen import main as docgen_main
from factkit.pack_schema import PackSpec


def test_committed_schema_is_what_factkit_schema_prints(capsys):
    assert main(["schema"]) == 0
    printed = capsys.readouterr().out
    assert printed == schema_text()
    assert (DOCS / "pack.schema.json").read_text(encoding="utf-8") == printed


def test_committed_reference_is_up_to_date():
    assert (DOCS / "reference.md").read_text(encoding="utf-8") == reference_text()
    assert docgen_main(["--check"]) == 0


def test_reference_documents_every_key_of_every_model():
    text = reference_text()
    schema = json.loads(schema_text())
    for model in [schema, *schema["$defs"].values()]:
        for key, prop in model["properties"].items():
            assert f"| `{key}` |" in text
            assert prop.get("description"), f"{model['title']}.{key} has no description for the reference"
    assert set(PackSpec.model_fields) <= set(schema["properties"]) | {"from_"}


def test_builtin_packs_point_editors_at_the_committed_schema():
    for pack in sorted((DOCS.parent / "rules").glob("*/pack.yaml")):
        first = pack.read_text(encoding="utf-8").splitlines()[0]
        assert first == "# yaml-language-server: $schema=../../docs/pack.schema.json", pack
    assert "# yaml-language-server: $schema=" in (DOCS / "reference.md").read_text(encoding="utf-8")


def _yaml_blocks(text: str) -> list[str]:
    blocks, inside = [], None
    for line in text.splitlines():
        if inside is None and line.strip() == "```yaml":
            inside = []
        elif inside is not None and line.strip() == "```":
            blocks.append("\n".join(inside) + "\n")
            inside = None
        elif inside is not None:
            inside.append(line)
    return blocks


def test_every_pack_in_the_authoring_guide_loads_and_checks_clean(tmp_path):
    from factkit.checking import check_pack

    packs = [b for b in _yaml_blocks((DOCS / "authoring.md").read_text(encoding="utf-8")) if b.startswith("name:")]
    assert len(packs) >= 4
    for i, body in enumerate(packs):
        path = tmp_path / f"pack{i}.yaml"
        path.write_text(body, encoding="utf-8")
        report = check_pack(path)
        assert not report.errors and not report.failures and report.examples_run, "\n".join(report.lines())
