"""The built site, checked as files: strict build with no warnings, offline, pages present."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

from conftest import VALID_TREE, BuiltSite, build_site, copy_repository
from gallery.rules import load_repository

pytestmark = pytest.mark.slow


class _ExternalRefs(HTMLParser):
    """Collects URLs the browser would fetch on its own: scripts, styles, fonts, images, frames."""

    FETCHED = {
        ("script", "src"),
        ("img", "src"),
        ("img", "srcset"),
        ("source", "src"),
        ("source", "srcset"),
        ("iframe", "src"),
        ("embed", "src"),
        ("object", "data"),
        ("video", "src"),
        ("audio", "src"),
        ("video", "poster"),
        ("input", "src"),
        ("track", "src"),
    }

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        for name, value in attrs:
            if value is None:
                continue
            fetched = (tag, name) in self.FETCHED or (
                tag == "link"
                and name == "href"
                and values.get("rel") not in (None, "canonical", "alternate", "next", "prev")
            )
            if fetched and _is_external(value):
                self.found.append(f"<{tag} {name}={value!r}>")
            if name == "style":
                self.found += [f"style url({u})" for u in _css_urls(value) if _is_external(u)]
        if tag == "script" and "src" in values and values["src"] == "":
            self.found.append("<script src=''>")


def _is_external(url: str) -> bool:
    url = url.strip().lower()
    return url.startswith(("http:", "https:", "//", "ftp:")) or ", http" in url


def _css_urls(css: str) -> list[str]:
    return [m.strip("'\" ") for m in re.findall(r"url\(([^)]*)\)", css)] + re.findall(r"@import\s+[\"']([^\"']+)", css)


def test_strict_build_has_no_warnings(built_site: BuiltSite) -> None:
    assert "WARNING" not in built_site.log, built_site.log


def test_no_external_url_for_any_script_style_font_or_image(built_site: BuiltSite) -> None:
    offenders = []
    for page in built_site.site_dir.rglob("*.html"):
        parser = _ExternalRefs()
        parser.feed(page.read_text(encoding="utf-8"))
        offenders += [f"{page.relative_to(built_site.site_dir)}: {ref}" for ref in parser.found]
    for sheet in built_site.site_dir.rglob("*.css"):
        if "assets/stylesheets" in sheet.as_posix():  # Material's own bundle: checked below by what it imports
            continue
        offenders += [
            f"{sheet.relative_to(built_site.site_dir)}: url({u})"
            for u in _css_urls(sheet.read_text(encoding="utf-8"))
            if _is_external(u)
        ]
    for sheet in (built_site.site_dir / "assets" / "stylesheets").glob("*.css"):
        offenders += [
            f"{sheet.name}: @import {u}"
            for u in re.findall(r"@import\s+url\(([^)]*)\)", sheet.read_text(encoding="utf-8"))
            if _is_external(u)
        ]
    assert offenders == []


def test_theme_fonts_are_off_and_katex_is_vendored(built_site: BuiltSite) -> None:
    home = (built_site.site_dir / "index.html").read_text(encoding="utf-8")
    assert "fonts.googleapis.com" not in home and "fonts.gstatic.com" not in home
    assert 'src="assets/vendor/katex/katex.min.js"' in home
    katex = built_site.site_dir / "assets" / "vendor" / "katex"
    assert (katex / "LICENSE").is_file()
    version = tuple(int(x) for x in (katex / "VERSION").read_text(encoding="utf-8").split()[1].split("."))
    assert version >= (0, 16, 21)
    referenced = set(re.findall(r"url\((fonts/[^)]+)\)", (katex / "katex.min.css").read_text(encoding="utf-8")))
    assert referenced and all((katex / font).is_file() for font in referenced)


def test_katex_trust_is_off(built_site: BuiltSite) -> None:
    script = (built_site.site_dir / "assets" / "gallery.js").read_text(encoding="utf-8")
    assert "trust: false" in script and "trust: true" not in script


def test_every_question_and_run_has_a_page(built_site: BuiltSite) -> None:
    repo = load_repository(built_site.root)
    for homework, hw in repo.homeworks.items():
        for number in hw.questions:
            assert (built_site.site_dir / f"gallery/{homework}/questions/q{number}/index.html").is_file()
        for run in repo.runs_for(homework):
            assert (built_site.site_dir / f"gallery/{homework}/runs/{run.id}/index.html").is_file()
        assert (built_site.site_dir / f"gallery/data/{homework}.json").is_file()
        assert (built_site.site_dir / f"gallery/data/{homework}-verdicts.csv").is_file()


def test_search_index_holds_model_answers(built_site: BuiltSite) -> None:
    index = (built_site.site_dir / "search" / "search_index.json").read_text(encoding="utf-8")
    assert '"location":"gallery/hw11/runs/' in index.replace(" ", "")


def test_generated_pages_are_not_committed() -> None:
    import subprocess

    from conftest import REPO_ROOT

    tracked = subprocess.run(
        ["git", "ls-files", "docs/gallery", "site"], cwd=REPO_ROOT, capture_output=True, text=True
    ).stdout
    assert tracked == ""


def test_a_second_homework_builds_strictly_with_no_hand_written_nav(tmp_path) -> None:  # type: ignore[no-untyped-def]
    import shutil

    tree = copy_repository(tmp_path / "repo")
    shutil.copytree(VALID_TREE / "solutions" / "hw0", tree / "solutions" / "hw0", dirs_exist_ok=True)
    shutil.copytree(VALID_TREE / "transcripts" / "hw0", tree / "transcripts" / "hw0", dirs_exist_ok=True)
    shutil.copytree(VALID_TREE / "sources" / "hw0", tree / "sources" / "hw0", dirs_exist_ok=True)
    site = build_site(tree, tmp_path / "site")
    assert "WARNING" not in site.log
    for page in (
        "gallery/hw0/index.html",
        "gallery/hw0/runs/demo-run/index.html",
        "gallery/hw11/index.html",
        "gallery/index.html",
    ):
        assert (site.site_dir / page).is_file(), page
    home = (site.site_dir / "index.html").read_text(encoding="utf-8")
    assert "gallery/hw0/" in home and "gallery/hw11/" in home


def test_canonical_links_and_the_404_page_follow_site_url(tmp_path) -> None:  # type: ignore[no-untyped-def]
    tree = copy_repository(tmp_path / "repo")
    plain = build_site(tree, tmp_path / "plain", extra_env={"SITE_URL": ""})
    assert 'rel="canonical"' not in (plain.site_dir / "gallery" / "hw11" / "index.html").read_text(encoding="utf-8")
    assert "127.0.0.1" not in (plain.site_dir / "sitemap.xml").read_text(encoding="utf-8")
    project = build_site(tree, tmp_path / "project", extra_env={"SITE_URL": "https://example.github.io/gallery/"})
    page = (project.site_dir / "gallery" / "hw11" / "index.html").read_text(encoding="utf-8")
    assert 'rel="canonical" href="https://example.github.io/gallery/gallery/hw11/"' in page
    not_found = (project.site_dir / "404.html").read_text(encoding="utf-8")
    assets = re.findall(r'(?:href|src)="(/[^"]*)"', not_found)
    assert assets and all(url.startswith("/gallery/") for url in assets), assets[:5]
