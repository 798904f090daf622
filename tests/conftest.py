"""Shared fixtures: the repository root, the small valid fixture tree, and tree copies."""

from __future__ import annotations

import contextlib
import functools
import http.server
import os
import re
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from gallery.data.layout import DATA_ROOTS

REPO_ROOT = Path(__file__).resolve().parent.parent
FIXTURES = REPO_ROOT / "tests" / "fixtures"
VALID_TREE = FIXTURES / "valid"


def _skip_generated(folder: str, names: list[str]) -> list[str]:
    """Leave out build output (docs/gallery) and caches when copying the repository."""
    skipped = [n for n in names if n == "__pycache__"]
    if Path(folder) == REPO_ROOT / "docs" and "gallery" in names:
        skipped.append("gallery")
    return skipped


def copy_repository(target: Path) -> Path:
    target.mkdir(parents=True)
    for name in ("mkdocs.yml", "docs", "scripts", "schemas", *DATA_ROOTS):
        source = REPO_ROOT / name
        if source.is_dir():
            shutil.copytree(source, target / name, ignore=_skip_generated)
        else:
            shutil.copy2(source, target / name)
    return target


def synthetic_tree(target: Path, copies: int) -> int:
    """The real runs copied `copies` times (the first keeps its id, the others get unique ids and labels), with the homework they answer."""
    shutil.copytree(REPO_ROOT / "solutions", target / "solutions")
    shutil.copytree(REPO_ROOT / "sources", target / "sources")
    shutil.copytree(REPO_ROOT / "docs" / "notebooks", target / "docs" / "notebooks")  # parts link them
    runs = 0
    for run_dir in sorted((REPO_ROOT / "transcripts").glob("*/*")):
        for copy in range(copies):
            new_id = run_dir.name if copy == 0 else f"{run_dir.name}-x{copy:03d}"  # our prose links the originals
            folder = target / "transcripts" / run_dir.parent.name / new_id
            folder.mkdir(parents=True)
            for source in run_dir.glob("*.yaml"):
                text = re.sub(
                    r"^run: .*$", f"run: {new_id}", source.read_text(encoding="utf-8"), count=1, flags=re.MULTILINE
                )
                if source.name == "run.yaml" and copy:
                    text = re.sub(
                        r'^label: "(.*)"$',
                        lambda m, copy=copy: f'label: "{m.group(1)[:21]} #{copy:03d}"',
                        text,
                        count=1,
                        flags=re.MULTILINE,
                    )
                (folder / source.name).write_text(text, encoding="utf-8")
            runs += 1
    return runs


@pytest.fixture
def valid_tree(tmp_path: Path) -> Path:
    """A writable copy of the small valid tree (homework hw0, one run)."""
    target = tmp_path / "repo"
    shutil.copytree(VALID_TREE, target)
    return target


@pytest.fixture(scope="session")
def repo():  # type: ignore[no-untyped-def]
    """The repository's own data, loaded once."""
    from gallery.rules import load_repository

    return load_repository(REPO_ROOT)


@pytest.fixture(scope="module")
def question(repo, request):  # type: ignore[no-untyped-def]
    """The HW11 question named by the test module's QUESTION."""
    number = request.module.QUESTION
    loaded = repo.question("hw11", number)
    assert loaded is not None, f"solutions/hw11/q{number}.yaml did not load"
    return loaded


@pytest.fixture(scope="module")
def givens(question) -> dict[str, float]:  # type: ignore[no-untyped-def]
    return {given.name: given.value for given in question.givens}


@pytest.fixture(scope="module")
def items(question):  # type: ignore[no-untyped-def]
    """Every answer-key item of the question, by (part label, item id)."""
    return {(part.label, item.id): item for part in question.parts for item in part.answer_key}


def site_page_paths(site_dir: Path) -> list[str]:
    """Every page of a built site, as URL paths relative to its root ("" for the home page)."""
    paths = []
    for html in sorted(site_dir.rglob("index.html")):
        rel = html.relative_to(site_dir).parent.as_posix()
        if rel.startswith(("assets", "search")):
            continue
        paths.append("" if rel == "." else rel + "/")
    return paths


def overlay(tree: Path, case: Path) -> None:
    """Apply a fixture case (overlay files, deletions) to a tree copy."""
    if (case / "overlay").exists():
        shutil.copytree(case / "overlay", tree, dirs_exist_ok=True)
    if (case / "delete.txt").exists():
        for rel in (case / "delete.txt").read_text(encoding="utf-8").split():
            (tree / rel).unlink()
    if (case / "symlinks.txt").exists():  # "path -> target" lines: links git and copytree would not keep as links
        for line in (case / "symlinks.txt").read_text(encoding="utf-8").splitlines():
            rel, _, target = line.partition(" -> ")
            (tree / rel).symlink_to(target)


# -- the built site, served on loopback, and a headless Chromium ---------------------------


CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


@dataclass
class BuiltSite:
    root: Path  # the repository that was built
    site_dir: Path
    log: str


def build_site(repo_root: Path, site_dir: Path, *, extra_env: dict[str, str] | None = None) -> BuiltSite:
    """`mkdocs build --strict` of a repository into site_dir; fails the test on any error."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", **(extra_env or {})}
    mkdocs = Path(sys.executable).with_name("mkdocs")
    result = subprocess.run(
        [str(mkdocs), "build", "--strict", "--site-dir", str(site_dir)],
        cwd=repo_root,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    log = result.stdout + result.stderr
    assert result.returncode == 0, log
    return BuiltSite(repo_root, site_dir, log)


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def site_port() -> int:
    return free_port()


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory, site_port: int) -> BuiltSite:
    # site_url must be where the site is served: Material's instant navigation only swaps pages it knows are its own
    return build_site(
        REPO_ROOT, tmp_path_factory.mktemp("site") / "site", extra_env={"SITE_URL": f"http://127.0.0.1:{site_port}/"}
    )


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@contextlib.contextmanager
def serve(directory: Path, port: int = 0) -> Iterator[str]:
    """Serve a folder on 127.0.0.1 (a free port unless given) for the duration of the block."""
    handler = functools.partial(_QuietHandler, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="session")
def site_url(built_site: BuiltSite, site_port: int) -> Iterator[str]:
    with serve(built_site.site_dir, site_port) as url:
        yield url


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(
            f"{CHROMIUM} is missing: run `make test` (it installs Debian's chromium) or apt-get install chromium"
        )
    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield instance
        instance.close()
