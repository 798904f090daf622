"""`mkdocs serve --dirty` (what `make serve` runs) keeps the whole site right through edits, new runs and removed runs.

A real server on a copy of the repository. An edit to one answer must show on the pages that
hold it, then on the pages that read every run (re-rendered after, in the background). A new
run changes the navigation, so every page must be rebuilt with it; a removed run's page must
be gone, not left behind by the dirty build.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from conftest import copy_repository

BIN = Path(sys.executable).parent
TOKEN = "Serve-probe-5c21"
NEW_RUN, NEW_LABEL = "002-chatgpt-again", "ChatGPT again for serve"
# pages that list every run: the home grid, another run's page (only through the navigation, which
# a dirty build would leave stale), the scores, the model's page
LISTING_EVERY_RUN = (
    "",
    "gallery/hw11/runs/000-unknown-model/",
    "gallery/hw11/analysis/scores/",
    "gallery/models/chatgpt/",
)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as error:
        return error.code, ""
    except OSError:
        return 0, ""


def _until(what: str, check: Callable[[], bool], log: Path, timeout: float = 180) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            pytest.fail(f"{what}: not true after {timeout:.0f} s\n" + log.read_text(encoding="utf-8")[-3000:])
        time.sleep(0.2)


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, str, Path]]:
    root = copy_repository(tmp_path_factory.mktemp("serve") / "repo")
    port = _free_port()
    log = root.parent / "serve.log"
    server = subprocess.Popen(
        [str(BIN / "mkdocs"), "serve", "--dirty", "--no-strict", "--dev-addr", f"127.0.0.1:{port}"],
        cwd=root,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        stdout=log.open("w", encoding="utf-8"),
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}/"
    try:
        _until("the server is up", lambda: _get(base + "about/")[0] == 200, log, timeout=300)
        time.sleep(1.0)  # the watcher starts after the first build
        yield root, base, log
    finally:
        server.terminate()
        server.wait(timeout=30)


def _shows(base: str, page: str, text: str) -> Callable[[], bool]:
    return lambda: text in _get(base + page)[1]


def _index_locations(base: str) -> Counter[str]:
    status, text = _get(base + "search/search_index.json")
    assert status == 200
    return Counter(entry["location"] for entry in json.loads(text)["docs"])


def test_an_edit_shows_on_its_pages_then_on_the_pages_reading_every_run(served: tuple[Path, str, Path]) -> None:
    root, base, log = served
    indexed = _index_locations(base)
    assert indexed["gallery/hw11/runs/000-unknown-model/"] == 1  # a run page: its title, not its answers again
    assert any(location.startswith("gallery/hw11/questions/q5/#") for location in indexed)
    answers = root / "transcripts/hw11/000-unknown-model/q5.yaml"
    text = answers.read_text(encoding="utf-8")
    answers.write_text(re.sub(r'reason: "', f'reason: "{TOKEN} ', text, count=1), encoding="utf-8")
    _until("the run page shows the edit", _shows(base, "gallery/hw11/runs/000-unknown-model/", TOKEN), log)
    _until("the question page shows the edit", _shows(base, "gallery/hw11/questions/q5/", TOKEN), log)
    _until("the data download has the edit", _shows(base, "gallery/data/hw11.json", TOKEN), log)
    answers.write_text(text, encoding="utf-8")
    _until(
        "the edit is undone everywhere",
        lambda: (
            not any(
                TOKEN in _get(base + page)[1]
                for page in (
                    "gallery/hw11/runs/000-unknown-model/",
                    "gallery/hw11/questions/q5/",
                    "gallery/data/hw11.json",
                )
            )
        ),
        log,
    )
    assert _index_locations(base) == indexed  # each rebuilt page's entries replaced, none kept twice


def test_a_new_run_reaches_every_page_and_a_removed_one_leaves_none(
    served: tuple[Path, str, Path], tmp_path: Path
) -> None:
    root, base, log = served
    staged = tmp_path / NEW_RUN
    shutil.copytree(root / "transcripts/hw11/002-chatgpt", staged)
    for path in staged.glob("*.yaml"):
        text = re.sub(r"^run: .*$", f"run: {NEW_RUN}", path.read_text(encoding="utf-8"), count=1, flags=re.M)
        text = re.sub(r'^label: ".*"$', f'label: "{NEW_LABEL}"', text, count=1, flags=re.M)
        path.write_text(text, encoding="utf-8")
    folder = root / "transcripts/hw11" / NEW_RUN
    staged.rename(folder)  # whole, so the watcher never sees half a run
    run_url = f"gallery/hw11/runs/{NEW_RUN}/"
    _until("the new run has its page", _shows(base, run_url, NEW_LABEL), log)
    for page in LISTING_EVERY_RUN:
        _until(f"/{page} lists the new run", _shows(base, page, NEW_LABEL), log)
    folder.rename(tmp_path / "removed")
    _until("the removed run's page is gone", lambda: _get(base + run_url)[0] == 404, log)
    for page in LISTING_EVERY_RUN:
        _until(f"/{page} no longer lists the removed run", lambda page=page: NEW_LABEL not in _get(base + page)[1], log)
