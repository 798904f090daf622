"""Rebuilds under `mkdocs serve`: only the pages an edit touches are rendered, the rest follow, nothing is left stale.

`build_pages` with a `Previous` is what the serve hook runs on every rebuild; these tests run it
directly on a copy of the real data, without MkDocs (tests/test_serve.py runs the real server).
"""

from __future__ import annotations

import re
import shutil
import threading
import time
from pathlib import Path
from types import SimpleNamespace

import pytest

from conftest import synthetic_tree
from gallery.site import depends, serve
from gallery.site.build import Previous, build_pages
from gallery.site.pages.common import question_page, run_page
from gallery.site.search_index import SEARCH_PLUGIN, add_title_entry, merge_after_dirty_build, merged_entries
from gallery.site.serve import DeferredPages, keep_theme_between_builds, site_path_of

RUN = "000-unknown-model"


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    root.mkdir()
    synthetic_tree(root, 1)
    return root


def _edit_reason(root: Path, token: str) -> None:
    path = root / "transcripts/hw11" / RUN / "q5.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(re.sub(r'reason: "', f'reason: "{token} ', text, count=1), encoding="utf-8")


def test_a_rebuild_renders_the_edited_runs_pages_and_leaves_the_aggregates_to_follow(tree: Path) -> None:
    previous = Previous()
    first = build_pages(tree, preview=True, previous=previous, defer_aggregates=True)
    assert first.whole_site and not first.deferred and len(first.rendered) == len(previous.inputs)
    assert build_pages(tree, preview=True, previous=previous, defer_aggregates=True).skipped
    _edit_reason(tree, "Rebuild-probe")
    second = build_pages(tree, preview=True, previous=previous, defer_aggregates=True)
    assert not second.whole_site
    assert set(second.rendered) >= {run_page("hw11", RUN), question_page("hw11", 5)}
    assert not any("/runs/" in src and RUN not in src for src in second.rendered)
    assert "gallery/data/hw11.json" in second.deferred and "gallery/hw11/analysis/scores.md" in second.deferred
    assert all(depends.is_aggregate(previous.inputs[src]) for src in second.deferred)
    assert "Rebuild-probe" in (tree / "docs" / run_page("hw11", RUN)).read_text(encoding="utf-8")
    assert "Rebuild-probe" not in (tree / "docs/gallery/data/hw11.json").read_text(encoding="utf-8")
    assert b"Rebuild-probe" in second.deferred["gallery/data/hw11.json"]()  # the downloads are UTF-8 bytes


def test_pages_a_cancelled_deferral_left_are_rendered_by_the_next_rebuild(tree: Path) -> None:
    previous = Previous()
    build_pages(tree, preview=True, previous=previous, defer_aggregates=True)
    _edit_reason(tree, "Left-behind")
    build_pages(tree, preview=True, previous=previous, defer_aggregates=True)  # its aggregates never written
    third = build_pages(tree, preview=True, previous=previous, also=frozenset({"gallery/data/hw11.json"}))
    assert third.rendered == ["gallery/data/hw11.json"]
    assert "Left-behind" in (tree / "docs/gallery/data/hw11.json").read_text(encoding="utf-8")


def test_a_new_run_renders_the_whole_site_and_a_removed_one_deletes_its_page(tree: Path, tmp_path: Path) -> None:
    previous = Previous()
    build_pages(tree, preview=True, previous=previous, defer_aggregates=True)
    staged = tmp_path / "staged"
    shutil.copytree(tree / "transcripts/hw11/002-chatgpt", staged)
    for path in staged.glob("*.yaml"):
        text = re.sub(r"^run: .*$", "run: 002-again", path.read_text(encoding="utf-8"), count=1, flags=re.M)
        path.write_text(re.sub(r'^label: ".*"$', 'label: "Again"', text, count=1, flags=re.M), encoding="utf-8")
    folder = tree / "transcripts/hw11/002-again"
    staged.rename(folder)
    added = build_pages(tree, preview=True, previous=previous, defer_aggregates=True)
    assert added.whole_site and not added.deferred and not added.pending
    assert (tree / "docs" / run_page("hw11", "002-again")).is_file()
    folder.rename(staged)
    removed = build_pages(tree, preview=True, previous=previous, defer_aggregates=True)
    assert removed.whole_site and run_page("hw11", "002-again") in removed.removed
    assert not (tree / "docs" / run_page("hw11", "002-again")).exists()


def test_a_change_to_the_generator_renders_the_whole_site(tree: Path) -> None:
    previous = Previous()
    build_pages(tree, preview=True, previous=previous)
    previous.code += "\nanother version"
    _edit_reason(tree, "Code-probe")
    assert build_pages(tree, preview=True, previous=previous).whole_site


def test_deferred_pages_are_written_together_and_a_stop_returns_what_was_not(tmp_path: Path) -> None:
    deferred = DeferredPages()
    deferred.start(tmp_path, {"a.md": lambda: "A", "b.md": lambda: "B"})
    assert deferred.done.wait(10)
    assert (tmp_path / "a.md").read_text(encoding="utf-8") == "A" and (tmp_path / "b.md").is_file()
    assert deferred.stop() == frozenset()

    release = threading.Event()

    def slow() -> str:
        release.wait(10)
        return "slow"

    deferred.start(tmp_path, {"c.md": slow, "d.md": lambda: "D"})
    time.sleep(0.05)
    stopper = threading.Thread(target=lambda: setattr(stopper, "left", deferred.stop()))
    stopper.start()
    release.set()
    stopper.join(10)
    assert stopper.left == frozenset({"c.md", "d.md"})  # type: ignore[attr-defined]
    assert not (tmp_path / "c.md").exists() and not (tmp_path / "d.md").exists()


def test_a_rebuild_for_pages_the_server_wrote_leaves_the_deferred_pages_rendering(
    tree: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    state = SimpleNamespace(previous=Previous(), deferred=DeferredPages(), dirty=True)
    monkeypatch.setattr(serve, "HOOK_STATE", state)
    assert serve.serve_build(tree).whole_site
    release = threading.Event()
    state.deferred.start(tree / "docs", {"gallery/slow.md": lambda: release.wait(10) and "slow"})
    try:
        idle = serve.serve_build(tree)  # the watcher saw the pages just written: no data changed
        assert idle.skipped and idle.nav == state.previous.nav and state.deferred.running
        _edit_reason(tree, "Takes-over")
        stopper = threading.Thread(target=lambda: setattr(stopper, "result", serve.serve_build(tree)))
        stopper.start()  # an edit: the deferral is cancelled and its page rendered by the rebuild
        release.set()
        stopper.join(60)
        edit = stopper.result  # type: ignore[attr-defined]
        assert not edit.skipped and not state.deferred.running
        assert run_page("hw11", RUN) in edit.rendered and "gallery/slow.md" not in edit.rendered  # not a page any more
    finally:
        release.set()
        state.deferred.stop()


def test_the_search_index_keeps_one_copy_of_each_rebuilt_page() -> None:
    previous = [
        {"location": "a/", "title": "A", "text": "old"},
        {"location": "a/#s", "title": "S", "text": "old"},
        {"location": "b/", "title": "B", "text": "kept"},
    ]
    rebuilt = [{"location": "a/", "title": "A", "text": "new"}]
    assert merged_entries(previous, rebuilt, {"a/"}) == [previous[2], rebuilt[0]]


def test_where_mkdocs_writes_a_generated_file() -> None:
    assert site_path_of("gallery/hw11/runs/000.md") == "gallery/hw11/runs/000/index.html"
    assert site_path_of("gallery/hw11/index.md") == "gallery/hw11/index.html"
    assert site_path_of("gallery/data/hw11.json") == "gallery/data/hw11.json"


def test_a_dirty_build_merges_into_the_previous_index_once_and_a_new_navigation_starts_afresh() -> None:
    def plugin(previous: list[dict[str, str]] | None, current: list[dict[str, str]]) -> SimpleNamespace:
        return SimpleNamespace(
            search_index=SimpleNamespace(entries=current),
            search_index_prev=None if previous is None else SimpleNamespace(entries=previous),
        )

    old = [{"location": "a/", "title": "A", "text": "old"}, {"location": "b/", "title": "B", "text": "b"}]
    new = [{"location": "a/", "title": "A", "text": "new"}]
    search = plugin(old, list(new))
    merge_after_dirty_build({SEARCH_PLUGIN: search}, {"a/"}, whole_site=False)
    assert search.search_index.entries == [old[1], new[0]] and search.search_index_prev is None
    search = plugin(old, list(new))
    merge_after_dirty_build({SEARCH_PLUGIN: search}, {"a/"}, whole_site=True)  # b/ may be a removed page
    assert search.search_index.entries == new
    add_title_entry({SEARCH_PLUGIN: search}, "runs/r/", {"title": "R &amp; co", "description": "A run"})
    assert search.search_index.entries[-1] == {"location": "runs/r/", "title": "R &amp; co", "text": "A run"}
    add_title_entry({}, "runs/r/", {"title": "R"})  # no search plugin: nothing to add to


def test_under_serve_the_theme_is_listed_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import jinja2
    from mkdocs.theme import Theme

    monkeypatch.setattr(jinja2.FileSystemLoader, "list_templates", jinja2.FileSystemLoader.list_templates)
    monkeypatch.setattr(jinja2.Environment, "list_templates", jinja2.Environment.list_templates)
    monkeypatch.setattr(Theme, "get_env", Theme.get_env)
    (tmp_path / "main.html").write_text("x", encoding="utf-8")
    keep_theme_between_builds()
    keep_theme_between_builds()  # a second serve configuration does not wrap it twice
    loader = jinja2.FileSystemLoader([str(tmp_path)])
    assert loader.list_templates() == ["main.html"]
    (tmp_path / "new.html").write_text("y", encoding="utf-8")
    assert jinja2.FileSystemLoader([str(tmp_path)]).list_templates() == ["main.html"]
    assert jinja2.FileSystemLoader([str(tmp_path / "other")]).list_templates() == []

    def theme_filter(static_templates: list[str]):  # type: ignore[no-untyped-def]
        config = SimpleNamespace(theme=SimpleNamespace(static_templates=static_templates))
        return lambda name: name not in config.theme.static_templates  # as MkDocs' filter reads it

    env = jinja2.Environment(loader=jinja2.FileSystemLoader([str(tmp_path)]))
    assert env.list_templates(filter_func=theme_filter([])) == ["main.html"]
    assert env.list_templates(filter_func=theme_filter([])) == ["main.html"]  # a new configuration, same theme
    assert env.list_templates(filter_func=theme_filter(["main.html"])) == []  # the theme's settings changed
    assert Theme(name="mkdocs").get_env().bytecode_cache is serve.SERVE_TEMPLATE_CACHE.cache


def test_the_data_folders_are_watched_by_events_for_changes_only(tmp_path: Path) -> None:
    from mkdocs.livereload import LiveReloadServer

    data = tmp_path / "transcripts"
    (data / "hw11" / "run").mkdir(parents=True)
    answers = data / "hw11" / "run" / "q1.yaml"
    answers.write_text("a\n", encoding="utf-8")
    server = LiveReloadServer(builder=lambda: None, host="127.0.0.1", port=0, root=str(tmp_path))
    polling = server.observer
    config = SimpleNamespace(watch=[str(data), str(tmp_path / "absent")])
    observer = serve.watch_by_events(server, config)
    try:
        assert observer is not None and server.observer is polling
        assert config.watch == [str(tmp_path / "absent")]  # MkDocs polls what is left, as before

        def rebuild_wanted(within: float) -> bool:
            deadline = time.monotonic() + within
            while time.monotonic() < deadline:
                if server._want_rebuild:
                    server._want_rebuild = False
                    return True
                time.sleep(0.01)
            return False

        assert answers.read_text(encoding="utf-8") == "a\n"
        assert not rebuild_wanted(0.5)  # reading a data file (as every build does) is not an edit
        answers.write_text("b\n", encoding="utf-8")
        assert rebuild_wanted(5)
        time.sleep(0.2)
        rebuild_wanted(0.2)  # the write's own close event
        (data / "hw11" / "run").rename(tmp_path / "taken-away")
        assert rebuild_wanted(5)  # a run folder moved out at once
    finally:
        if observer is not None:
            observer.stop()
        server.server_close()
