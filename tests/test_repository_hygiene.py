"""The repository's own plumbing: pinned actions, least permissions, editor and hook wiring."""

from __future__ import annotations

import fnmatch
import json
import re
import subprocess

import yaml

from conftest import REPO_ROOT
from gallery.data.layout import SCHEMA_FILES, classify, discover

WORKFLOWS = sorted((REPO_ROOT / ".github" / "workflows").glob("*.yml"))


def test_every_action_is_pinned_by_commit_sha() -> None:
    uses = [(w.name, u) for w in WORKFLOWS for u in re.findall(r"uses:\s*(\S+)", w.read_text(encoding="utf-8"))]
    assert uses
    unpinned = [(name, u) for name, u in uses if not re.fullmatch(r"[\w.-]+/[\w.-]+@[0-9a-f]{40}", u)]
    assert unpinned == []


def test_workflows_default_to_read_only_and_widen_per_job() -> None:
    for workflow in WORKFLOWS:
        data = yaml.safe_load(workflow.read_text(encoding="utf-8"))
        assert data["permissions"] == {"contents": "read"}, workflow.name
        for name, job in data["jobs"].items():
            extra = job.get("permissions", {})
            assert set(extra) <= {"pages", "id-token"}, (workflow.name, name, extra)


def test_pull_requests_validate_test_and_build() -> None:
    text = (REPO_ROOT / ".github" / "workflows" / "pull-request.yml").read_text(encoding="utf-8")
    assert "gallery validate --format github" in text and "bash .ci/run" in text and "make build" in text
    assert "upload-artifact" in text


def test_vscode_maps_every_schema_to_its_files() -> None:
    settings = json.loads((REPO_ROOT / ".vscode" / "settings.json").read_text(encoding="utf-8"))["yaml.schemas"]
    assert sorted(p.removeprefix("./schemas/") for p in settings) == sorted(SCHEMA_FILES.values())
    by_schema = {p.removeprefix("./schemas/"): glob for p, glob in settings.items()}
    for rel in discover(REPO_ROOT):
        where = classify(rel)
        if where is not None and where.kind in SCHEMA_FILES:
            assert fnmatch.fnmatch(rel, by_schema[SCHEMA_FILES[where.kind]]), rel


def test_pre_commit_runs_the_validator_on_data_files() -> None:
    config = yaml.safe_load((REPO_ROOT / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    hooks = {hook["id"]: hook for repo in config["repos"] for hook in repo["hooks"]}
    assert hooks["gallery-validate"]["entry"].endswith("gallery validate")
    assert re.search(hooks["gallery-validate"]["files"], "transcripts/hw11/run/q1.yaml")


def test_ci_runs_the_readme_test_command() -> None:
    assert "make test" in (REPO_ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "make test" in (REPO_ROOT / "README.md").read_text(encoding="utf-8")


def test_no_unsafe_yaml_loading_anywhere() -> None:
    """Data is untrusted: only the event-level safe loader in gallery.data.yamlsafe may parse it."""
    unsafe = re.compile(r"yaml\.(?:load|load_all|unsafe_load|full_load)\(|(?:Full|Unsafe)Loader|yaml\.Loader\b")
    offenders = [
        f"{path.relative_to(REPO_ROOT)}:{number}"
        for folder in ("scripts", "tests")
        for path in (REPO_ROOT / folder).rglob("*.py")
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if unsafe.search(line) and "unsafe = re.compile" not in line
    ]
    assert offenders == []


def test_nothing_reads_outside_the_repository() -> None:
    """The source documents live in sources/; no code, test or build step reaches beside the checkout."""
    tracked = subprocess.run(
        ["git", "ls-files"], cwd=REPO_ROOT, capture_output=True, text=True, check=True
    ).stdout.split()
    offenders = []
    for rel in tracked:
        path = REPO_ROOT / rel
        if path.suffix in {".py", ".yml", ".yaml", ".toml", ".cfg", ""} or path.name in {"Makefile", "run"}:
            text = path.read_text(encoding="utf-8", errors="replace")
            if rel != "tests/test_repository_hygiene.py" and re.search(r"\.\./shared|shared/seeds|GALLERY_SEEDS", text):
                offenders.append(rel)
    assert offenders == []
