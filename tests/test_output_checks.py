"""Output checks of the built site, with real third-party checkers.

1. Links: every internal link and #anchor of every page resolves (LinkChecker, through tests/linkcheck_site.py);
   external links are listed as skipped, never fetched.
2. HTML: the Nu HTML Checker (npm `vnu-jar`, run on Java) finds no error in any built page.
3. Accessibility: axe-core (npm `axe-core`, injected with Playwright) finds no violation of the WCAG 2.x A/AA rules
   or its best practices on the home page, a question page and a run page, with every collapsible (<details>)
   closed and then open, in the light and the dark palette.

Each checker is first shown to catch a known fault on a tiny page (a test that cannot fail proves nothing).
Reports of the real site's checks are written to test-results/output-checks/. The npm tools come from the root
package-lock.json: `npm ci --ignore-scripts --no-audit --no-fund` (run by `make test`).

Anything the checks accept is listed below, one line of justification each: VNU_ACCEPTED matches a checker message
exactly and the offending markup by a full-match pattern, and each entry must still occur (a stale one fails the
test); AXE_ACCEPTED names an axe rule and a predicate the flagged element itself must satisfy (what it let through
is listed in test-results/output-checks/axe.json).
"""

from __future__ import annotations

import fnmatch
import json
import re
import shutil
import subprocess
import sys
import textwrap
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urljoin

import pytest

from conftest import REPO_ROOT, BuiltSite, build_site, serve

NODE_MODULES = REPO_ROOT / "node_modules"
VNU_JAR = NODE_MODULES / "vnu-jar" / "build" / "dist" / "vnu.jar"
AXE_JS = NODE_MODULES / "axe-core" / "axe.min.js"
LINKCHECK = REPO_ROOT / "tests" / "linkcheck_site.py"
REPORTS = REPO_ROOT / "test-results" / "output-checks"
NPM_CI = "npm ci --ignore-scripts --no-audit --no-fund"

# axe-core rule tags: WCAG 2.0/2.1/2.2 levels A and AA, and axe's best practices
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
TYPESET_TIMEOUT_MS = 15_000


# -- what the checks accept (keep each entry as narrow as it can be) ----------------------------------------------


@dataclass(frozen=True)
class VnuAccepted:
    message: str  # the checker's exact message
    markup: str  # regular expression the whole highlighted source must match
    pages: str  # glob on the page's path in the site
    why: str


_AUTOCOMPLETE = (
    "Attribute “autocomplete” is only allowed when the input type is “color”, “date”, “datetime-local”, "
    "“email”, “hidden”, “month”, “number”, “password”, “range”, “search”, “tel”, “text”, “time”, “url”, or “week”."
)

VNU_ACCEPTED = [
    VnuAccepted(
        _AUTOCOMPLETE,
        r'<input class="md-toggle" data-md-toggle="(drawer|search)" type="checkbox" id="__(drawer|search)" autocomplete="off">',
        "*",
        "Material 9.8 base.html: its drawer/search toggle checkboxes carry autocomplete=off (theme markup)",
    ),
    VnuAccepted(
        "Bad value “” for attribute “tabindex” on element “label”: The empty string is not a valid integer.",
        r'<label class="md-nav__link[^"<>]*" for="(__nav[_0-9]+)" id="\1_label" tabindex="">',
        "*",
        'Material 9.8 partials/nav-item.html writes tabindex="" on section labels (theme markup)',
    ),
    VnuAccepted(
        "The value of the “for” attribute of the “label” element must be the ID of a non-hidden form control.",
        r'<label class="md-nav__title" for="__toc">',
        "*",
        "Material 9.8 partials/toc.html labels the __toc toggle, which a section index page does not get",
    ),
]


@dataclass(frozen=True)
class AxeAccepted:
    rule: str  # axe rule id
    node: str  # JavaScript predicate `(element) => boolean` the flagged element itself must satisfy
    why: str


AXE_ACCEPTED = [
    AxeAccepted(
        "empty-table-header",
        "(el) => el.tagName === 'TH' && el.querySelector('.arithmatex .katex-mathml math') !== null"
        " && Array.from(el.childNodes).every(n => (n.nodeType === 1 && n.classList.contains('arithmatex'))"
        " || (n.nodeType === 3 && n.textContent.trim() === ''))",
        "a header cell holding only a typeset formula: axe counts neither KaTeX's aria-hidden glyphs nor its "
        "MathML (embedded content) as text, but screen readers read the MathML",
    ),
]


# -- tools --------------------------------------------------------------------------------------------------------


def require_npm_tools() -> None:
    missing = [str(p.relative_to(REPO_ROOT)) for p in (VNU_JAR, AXE_JS) if not p.is_file()]
    if missing:
        pytest.fail(f"missing {', '.join(missing)}: run `{NPM_CI}` at the repository root (make test does)")
    if shutil.which("java") is None:
        pytest.fail("java is missing: install a Java 17+ runtime (Debian: apt-get install default-jre-headless)")


def write_report(name: str, data: Any) -> None:
    REPORTS.mkdir(parents=True, exist_ok=True)
    (REPORTS / name).write_text(
        data if isinstance(data, str) else json.dumps(data, indent=1, ensure_ascii=False), encoding="utf-8"
    )


def linkcheck(site_dir: Path) -> dict[str, Any]:
    result = subprocess.run(
        [sys.executable, str(LINKCHECK), str(site_dir), "--json"], capture_output=True, text=True, timeout=600
    )
    assert result.returncode in (0, 1) and result.stdout.startswith("{"), result.stderr
    return json.loads(result.stdout)


def vnu(files: list[Path]) -> list[dict[str, Any]]:
    """Nu HTML Checker errors for the files (one JVM for all of them)."""
    require_npm_tools()
    result = subprocess.run(
        ["java", "-jar", str(VNU_JAR), "--errors-only", "--format", "json", "--stdout", *map(str, files)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode in (0, 1), result.stderr
    messages = json.loads(result.stdout)["messages"]
    assert all(m["type"] == "error" for m in messages), [m for m in messages if m["type"] != "error"]
    return messages


def highlighted(message: dict[str, Any]) -> str:
    extract, start = message.get("extract", ""), message.get("hiliteStart", 0)
    return extract[start : start + message.get("hiliteLength", 0)]


def vnu_page(message: dict[str, Any], site_dir: Path) -> str:
    return Path(unquote(message["url"].removeprefix("file:"))).resolve().relative_to(site_dir.resolve()).as_posix()


def split_vnu(messages: list[dict[str, Any]], site_dir: Path) -> tuple[list[dict[str, Any]], dict[VnuAccepted, int]]:
    """(messages left, how often each accepted kind occurred)."""
    left, used = [], {accepted: 0 for accepted in VNU_ACCEPTED}
    for m in messages:
        page = vnu_page(m, site_dir)
        rule = next(
            (
                a
                for a in VNU_ACCEPTED
                if m["message"] == a.message
                and fnmatch.fnmatch(page, a.pages)
                and re.fullmatch(a.markup, highlighted(m))
            ),
            None,
        )
        if rule is None:
            left.append({**m, "page": page})
        else:
            used[rule] += 1
    return left, used


def format_vnu(messages: list[dict[str, Any]]) -> str:
    return "\n".join(
        f"{m['page']}:{m.get('lastLine')}:{m.get('firstColumn')}: {m['message']}\n    {highlighted(m)!r}"
        for m in messages
    )


AXE_START_JS = """(options) => {
  window.__axeViolations = axe.run(document, options).then(result => result.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help, tags: v.tags,
    nodes: v.nodes.map(n => ({target: n.target.join(' '), html: n.html, summary: n.failureSummary}))})));
}"""


def set_details(tab: Any, open_: bool) -> None:
    tab.evaluate("(open) => document.querySelectorAll('details').forEach(d => { d.open = open; })", open_)
    tab.wait_for_function(
        "() => document.querySelectorAll('.arithmatex:not([data-typeset])').length === 0", timeout=TYPESET_TIMEOUT_MS
    )


def start_axe(tab: Any) -> None:
    """Start axe-core in the page without waiting, so tabs (separate renderer processes) can run side by side."""
    if not tab.evaluate("() => typeof window.axe === 'object'"):
        tab.add_script_tag(content=AXE_JS.read_text(encoding="utf-8"))
    tab.evaluate(AXE_START_JS, {"runOnly": {"type": "tag", "values": AXE_TAGS}, "resultTypes": ["violations"]})


def axe_result(tab: Any, accepted: list[dict[str, Any]] | None = None) -> list[dict[str, Any]]:
    """The violations axe found, less the nodes AXE_ACCEPTED lets through (those are appended to `accepted`)."""
    violations = tab.evaluate("() => window.__axeViolations")
    for v in violations:
        kept = []
        for n in v["nodes"]:
            rule = next(
                (
                    a
                    for a in AXE_ACCEPTED
                    if a.rule == v["id"]
                    and tab.evaluate(
                        f"(target) => {{ const el = document.querySelector(target); return el !== null && ({a.node})(el); }}",
                        n["target"],
                    )
                ),
                None,
            )
            if rule is None:
                kept.append(n)
            elif accepted is not None:
                accepted.append({"rule": v["id"], "target": n["target"], "why": rule.why})
        v["nodes"] = kept
    return [v for v in violations if v["nodes"]]


def axe_violations(tab: Any) -> list[dict[str, Any]]:
    start_axe(tab)
    return axe_result(tab)


def format_axe(found: list[dict[str, Any]]) -> str:
    lines = []
    for case in found:
        for v in case["violations"]:
            for n in v["nodes"]:
                summary = " ".join((n["summary"] or "").split())[:300]
                lines.append(
                    f"{case['page']} [{case['palette']}, details {case['details']}] {v['id']} ({v['impact']}): "
                    f"{v['help']}\n    {n['target']}  {n['html'][:160]!r}\n    {summary}"
                )
    return "\n".join(lines)


# -- 1. links and anchors -----------------------------------------------------------------------------------------

TINY_TREE = {
    "index.html": """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>t</title>
        <link rel="stylesheet" href="style.css"></head><body>
        <h1 id="top">Top</h1>
        <a href="sub/">fine directory</a> <a href="sub/#here">fine anchor</a> <a href="#top">fine local anchor</a>
        <a href="sub/#nowhere">broken anchor on a directory URL</a>
        <a href="#missing-local">broken same-page anchor</a>
        <a href="nope/">broken directory link</a> <a href="gone.html">broken file link</a>
        <img src="missing.png" alt="missing image">
        <a href="https://example.com/x">external</a>
        </body></html>""",
    "sub/index.html": """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>s</title></head><body>
        <p id="here">Here</p>
        <a href="../#top">fine anchor on a page crawled before</a>
        <a href="../#also-missing">broken anchor on a page crawled before</a>
        </body></html>""",
    "orphan.html": """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>o</title></head><body>
        <a href="sub/#not-here">broken anchor on a page nothing links to</a></body></html>""",
    "style.css": "body { background: url(no-such-background.png); }\n",
}


def test_linkchecker_reports_every_broken_link_and_anchor_of_a_tiny_site(tmp_path: Path) -> None:
    for rel, text in TINY_TREE.items():
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text("\n".join(line.strip() for line in text.splitlines()) + "\n", encoding="utf-8")
    report = linkcheck(tmp_path)
    broken = {p["url"]: p for p in report["problems"]}
    assert sorted(broken) == sorted(
        [
            "/sub/#nowhere",
            "/#missing-local",
            "/nope/",
            "/gone.html",
            "/missing.png",
            "/#also-missing",  # linkinator misses this one: its target page was crawled before the link was seen
            "/sub/#not-here",
            "/no-such-background.png",
        ]
    )
    assert broken["/sub/#nowhere"]["linked_from"] == [
        {"page": "/", "line": 5, "column": 1, "text": "broken anchor on a directory URL", "href": "sub/#nowhere"}
    ]
    assert "not found" in broken["/sub/#nowhere"]["warnings"][0]
    assert broken["/gone.html"]["result"].startswith("404")
    assert report["skipped"] == [{"url": "https://example.com/x", "pages": ["/"]}]


def test_linkchecker_reports_a_broken_link_and_anchor_in_a_tiny_built_site(tmp_path: Path) -> None:
    """The same through MkDocs + Material markup (directory URLs, permalinks); the links sit in raw HTML,
    which MkDocs' own link validation does not see, so the strict build passes."""
    (tmp_path / "docs" / "two").mkdir(parents=True)
    (tmp_path / "mkdocs.yml").write_text(
        textwrap.dedent("""\
        site_name: Tiny
        site_url: http://127.0.0.1:8000/
        theme: {name: material, font: false}
        markdown_extensions: [{toc: {permalink: true}}]
        """),
        encoding="utf-8",
    )
    (tmp_path / "docs" / "index.md").write_text(
        textwrap.dedent("""\
        # One

        ## First section

        <p><a href="two/#second-section">good</a> <a href="two/#third-section">bad anchor</a>
        <a href="three/">bad page</a> <a href="#first-section">good local</a></p>
        """),
        encoding="utf-8",
    )
    (tmp_path / "docs" / "two" / "index.md").write_text(
        "# Two\n\n## Second section\n\n[back](../index.md#first-section)\n", encoding="utf-8"
    )
    built = build_site(tmp_path, tmp_path / "site")
    report = linkcheck(built.site_dir)
    assert sorted(p["url"] for p in report["problems"]) == ["/three/", "/two/#third-section"]
    assert report["checked"] > 10  # pages, theme assets, anchors


@pytest.mark.slow
def test_site_has_no_broken_internal_link_or_anchor(built_site: BuiltSite) -> None:
    report = linkcheck(built_site.site_dir)
    text = report.pop("text")
    write_report("linkcheck.json", report)
    write_report("linkcheck.txt", text)
    print(text)
    pages = list(built_site.site_dir.rglob("*.html"))
    assert report["checked"] > 3 * len(pages) and report["anchors_checked"] > len(pages), text  # not vacuous
    assert report["problems"] == [], text


# -- 2. Nu HTML Checker -------------------------------------------------------------------------------------------

TINY_INVALID_HTML = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>t</title></head><body>
<input class="md-toggle" data-md-toggle="drawer" type="checkbox" id="__drawer" autocomplete="off">
<input class="other" type="checkbox" id="other" autocomplete="off">
<p id="twice">a</p><p id="twice">b</p>
<ul><div>not a list item</div></ul>
<img src="x.png">
</body></html>
"""


@pytest.mark.slow
def test_vnu_reports_errors_and_accepts_only_the_listed_markup(tmp_path: Path) -> None:
    page = tmp_path / "index.html"
    page.write_text(TINY_INVALID_HTML, encoding="utf-8")
    left, used = split_vnu(vnu([page]), tmp_path)
    messages = {m["message"] for m in left}
    assert "Duplicate ID “twice”." in messages
    assert (
        "Element “div” not allowed as child of element “ul” in this context. "
        "(Suppressing further errors from this subtree.)"
    ) in messages
    assert (
        "An “img” element must have an “alt” attribute, except under certain conditions. "
        "For details, consult guidance on providing text alternatives for images."
    ) in messages
    # the same message on markup that is not Material's stays an error; Material's own is accepted
    assert [highlighted(m) for m in left if m["message"] == _AUTOCOMPLETE] == [
        '<input class="other" type="checkbox" id="other" autocomplete="off">'
    ]
    assert sum(used.values()) == 1


@pytest.mark.slow
def test_every_built_page_is_valid_html(built_site: BuiltSite) -> None:
    pages = sorted(built_site.site_dir.rglob("*.html"))
    assert len(pages) > 10
    left, used = split_vnu(vnu(pages), built_site.site_dir)
    write_report(
        "vnu.json",
        {
            "errors": left,
            "accepted": [
                {"message": a.message, "markup": a.markup, "pages": a.pages, "why": a.why, "count": n}
                for a, n in used.items()
            ],
        },
    )
    assert left == [], f"{len(left)} Nu HTML Checker errors:\n{format_vnu(left)}"
    stale = [a for a, n in used.items() if n == 0]
    assert stale == [], f"accepted vnu messages that no longer occur: remove them from VNU_ACCEPTED: {stale}"


# -- 3. axe-core --------------------------------------------------------------------------------------------------

TINY_A11Y_HTML = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>t</title></head><body><main><h1>Tiny</h1>
<img src="x.png">
<details><summary>More</summary><p style="color:#c8c8c8;background:#fff">faint text</p></details>
<table><thead><tr><th id="math-only"><span class="arithmatex" data-typeset=""><span class="katex"><span class="katex-mathml"><math>
<semantics><mrow><mi>I</mi></mrow><annotation encoding="application/x-tex">I</annotation></semantics></math></span>
<span class="katex-html" aria-hidden="true">I</span></span></span></th><th id="empty"></th></tr></thead>
<tbody><tr><td>1</td><td>2</td></tr></tbody></table>
</main></body></html>
"""


@pytest.mark.browser
@pytest.mark.slow
def test_axe_reports_violations_including_inside_an_opened_collapsible(tmp_path: Path, browser: Any) -> None:
    require_npm_tools()
    (tmp_path / "index.html").write_text(TINY_A11Y_HTML, encoding="utf-8")
    with serve(tmp_path) as url:
        context = browser.new_context()
        tab = context.new_page()
        tab.goto(url, wait_until="load")
        set_details(tab, False)
        closed = {v["id"]: v for v in axe_violations(tab)}
        set_details(tab, True)
        opened = {v["id"]: v for v in axe_violations(tab)}
        context.close()
    assert "image-alt" in closed and "color-contrast" not in closed  # the faint text is hidden while closed
    assert {"image-alt", "color-contrast", "empty-table-header"} <= set(opened)
    # the header cell holding only a formula is accepted, the empty one is not
    assert [n["target"] for n in opened["empty-table-header"]["nodes"]] == ["#empty"]


def axe_pages(site_dir: Path) -> list[str]:
    """The home page, the question page and run page with the most collapsibles, a model page, the strategies page."""

    def most_details(pattern: str) -> str:
        pages = sorted(site_dir.glob(pattern))
        assert pages, f"no page matches {pattern}"
        best = max(pages, key=lambda p: (p.read_text(encoding="utf-8").count("<details"), p.as_posix()))
        return best.parent.relative_to(site_dir).as_posix() + "/"

    return [
        "",  # the grid, with its filter form
        most_details("gallery/*/questions/*/index.html"),  # opened: with two answers side by side
        most_details("gallery/*/runs/*/index.html"),
        "gallery/models/chatgpt/",
        "gallery/hw11/analysis/strategies/",
    ]


@pytest.mark.browser
@pytest.mark.slow
def test_pages_have_no_axe_violations_in_either_palette_with_collapsibles_closed_and_open(
    built_site: BuiltSite, site_url: str, browser: Any
) -> None:
    require_npm_tools()
    palettes = {"light": "default", "dark": "slate"}
    contexts = {
        scheme: browser.new_context(color_scheme=scheme, viewport={"width": 1400, "height": 1000})
        for scheme in palettes
    }
    tabs = {scheme: context.new_page() for scheme, context in contexts.items()}
    found: list[dict[str, Any]] = []
    checked: list[dict[str, Any]] = []
    accepted: list[dict[str, Any]] = []
    try:
        for path in axe_pages(built_site.site_dir):
            for scheme, tab in tabs.items():
                tab.goto(urljoin(site_url, path), wait_until="load")
                assert tab.evaluate("() => document.body.getAttribute('data-md-color-scheme')") == palettes[scheme]
                assert tab.locator("details").count() > 0 or not ("/questions/" in path or "/runs/" in path)
            for state in ("closed", "open"):
                started = time.monotonic()
                for tab in tabs.values():  # both palettes at once: one renderer process each
                    set_details(tab, state == "open")
                    if state == "open":  # and two answers side by side where a page offers it
                        tab.evaluate("() => document.querySelectorAll('.compare-toggle').forEach(b => b.click())")
                    start_axe(tab)
                for scheme, tab in tabs.items():
                    violations = axe_result(tab, accepted)
                    if violations:
                        found.append(
                            {
                                "page": path or "/",
                                "palette": palettes[scheme],
                                "details": state,
                                "violations": violations,
                            }
                        )
                checked.append(
                    {
                        "page": path or "/",
                        "details": state,
                        "palettes": list(palettes.values()),
                        "seconds": round(time.monotonic() - started, 1),
                    }
                )
    finally:
        for context in contexts.values():
            context.close()
    write_report("axe.json", {"checked": checked, "tags": AXE_TAGS, "violations": found, "accepted": accepted})
    assert len(checked) == 2 * len(axe_pages(built_site.site_dir))
    assert found == [], f"axe-core violations:\n{format_axe(found)}"
