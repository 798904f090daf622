"""Generated JSON Schemas are current and agree with the validator; the export matches its schema."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import jsonschema
import pytest

from conftest import REPO_ROOT, VALID_TREE
from gallery.data.layout import SCHEMA_FILES, SOURCE_DOCUMENT, classify, discover
from gallery.data.yamlsafe import load_yaml
from gallery.export import build_export, export_csv, export_json, export_schema
from gallery.rules import load_repository
from gallery.schemas import all_schemas


def test_committed_schemas_match_the_models() -> None:
    for name, text in all_schemas().items():
        committed = (REPO_ROOT / "schemas" / name).read_text(encoding="utf-8")
        assert committed == text, f"schemas/{name} is out of date: run `gallery schema`"


@pytest.mark.parametrize("root", [VALID_TREE, REPO_ROOT], ids=["fixture", "repository"])
def test_json_schemas_accept_every_valid_data_file(root: Path) -> None:
    """Editors use the JSON Schemas: they must not reject data the validator accepts."""
    schemas = {
        kind: json.loads((REPO_ROOT / "schemas" / name).read_text(encoding="utf-8"))
        for kind, name in SCHEMA_FILES.items()
    }
    checked = 0
    for rel in discover(root):
        where = classify(rel)
        if where is not None and where.kind == SOURCE_DOCUMENT:
            continue  # kept as it reached us, not YAML
        if where is None:
            continue
        value = load_yaml((root / rel).read_text(encoding="utf-8")).value
        jsonschema.validate(value, schemas[where.kind])
        checked += 1
    assert checked > 0


def test_json_schema_rejects_an_unknown_key() -> None:
    schema = json.loads((REPO_ROOT / "schemas" / "run.schema.json").read_text(encoding="utf-8"))
    value = load_yaml((VALID_TREE / "transcripts/hw0/demo-run/run.yaml").read_text(encoding="utf-8")).value
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({**value, "modle": "x"}, schema)


@pytest.mark.parametrize("root", [VALID_TREE, REPO_ROOT], ids=["fixture", "repository"])
def test_export_validates_against_its_schema(root: Path) -> None:
    repo = load_repository(root)
    assert [p for p in repo.problems if p.is_error] == []
    for homework in repo.homeworks:
        exported = json.loads(export_json(build_export(repo, homework)))
        jsonschema.validate(exported, export_schema())


def test_the_json_is_the_export_dumped_as_text_in_utf8() -> None:
    export = build_export(load_repository(REPO_ROOT), "hw11")
    text = json.dumps(export.model_dump(mode="json"), indent=1, ensure_ascii=False) + "\n"
    assert max(map(ord, text)) > 0xFFFF  # the real answers hold characters past the BMP: the case that costs memory
    assert export_json(export) == text.encode("utf-8")


def test_export_content_of_the_fixture() -> None:
    export = json.loads(export_json(build_export(load_repository(VALID_TREE), "hw0")))
    assert [p["label"] for p in export["questions"][0]["parts"]] == ["1(a)", "1(b)", "1(c)"]
    run = export["runs"][0]
    assert run["source_documents"] == ["demo.txt"]
    entry = run["entries"][1]
    assert (entry["part"], entry["annotator_verdict"], entry["review_verdict"], entry["final_review_verdict"]) == (
        "1(b)",
        "correct",
        "partial",
        "correct",
    )
    assert entry["followups"][0]["stated"] == {"init": "one factor zero"}


def test_csv_has_one_row_per_entry() -> None:
    export = build_export(load_repository(VALID_TREE), "hw0")
    rows = list(csv.DictReader(io.StringIO(export_csv(export))))
    assert [(r["part"], r["review_verdict"], r["followups"]) for r in rows] == [
        ("1(a)", "correct", "0"),
        ("1(b)", "partial", "1"),
        ("1(c)", "not-asked", "0"),
    ]


def test_export_command_refuses_invalid_data(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from conftest import FIXTURES
    from gallery.cli import main

    assert main(["--root", str(FIXTURES / "broken-tree"), "export", str(tmp_path / "out")]) == 1
    assert not (tmp_path / "out").exists()
    assert main(["--root", str(VALID_TREE), "export", str(tmp_path / "out")]) == 0
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [
        "export.schema.json",
        "hw0-verdicts.csv",
        "hw0.json",
    ]
