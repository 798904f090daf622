"""XSS in a real browser: 100+ payloads in every text field a contributor controls.

A data tree is generated from the small valid fixture (renamed to homework hw11, grown to
4 questions and 3 runs) with the payloads of tests/xss/payloads.yaml written into every
contributor-controlled text field: one-line fields (titles, labels, names, reasons, verdict
words...) get one payload each, Markdown fields (answers, notes, prompts, references...) get
two, each after a paragraph holding a unique marker. The tree must pass `gallery validate`,
then the site is built (strict) into a temporary folder and checked twice:

* statically: html5lib over every built page's <article> finds no on* attribute, no
  javascript:/vbscript:/data: URL, no script/iframe/object/embed/style/..., and no id or
  name that clashes with Material's own (`__search`, `__drawer`, `__config`, ...); and no
  one-line payload appears unescaped anywhere in a page's source (titles and labels also
  reach the theme's nav, header, footer and <title>, outside the article);
* in headless Chromium: every page is opened with a dialog listener and the canary
  (`window.__xss`) checked, every <details> opened, every tab label clicked, the live DOM
  audited after KaTeX ran, and each payload found where it was written (the exact text for
  one-line fields, also inside the headings that titles become; the marker and the payload's
  <, > and & as visible text for Markdown fields, and refused link targets shown as text).
  Site search is run for payload words and markers with the results panel open. Only the
  local server may be contacted.

Measurements (payloads, placements, fields, pages, dialogs, runtime) are written to
test-results/xss/summary.json.
"""

from __future__ import annotations

import base64
import copy
import html
import html.parser
import json
import re
import shutil
import subprocess
import sys
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

import html5lib
import pytest
import yaml

from conftest import REPO_ROOT, VALID_TREE, BuiltSite, build_site, serve, site_page_paths
from gallery.rules import load_repository
from gallery.rules.mathcheck import math_issues

PAYLOADS_FILE = REPO_ROOT / "tests" / "xss" / "payloads.yaml"
RESULTS_DIR = REPO_ROOT / "test-results" / "xss"
SOURCES = {"owasp", "python-markdown-1607", "attr-list", "markdown-raw-html", "katex", "blns"}
KINDS = {"html", "markdown", "math", "text"}
HOMEWORK = "hw11"  # so the repository's mkdocs.yml nav works unchanged
QUESTIONS = (1, 2, 3, 4)
RUNS = ("demo-run", "run-b", "run-c")
MARKDOWN_PAYLOADS_PER_FIELD = 2
SINK_RE = re.compile(r"alert|confirm|prompt|__xss", re.IGNORECASE)
# ids/names Material (and pymdownx) give their own elements; article content must not reuse them
MATERIAL_IDS = {
    "__search",
    "__drawer",
    "__config",
    "__toc",
    "__consent",
    "__palette_0",
    "__palette_1",
    "__palette_2",
    "__nav",
    "__skip",
    "__source",
    "__announce",
}
FORBIDDEN_TAGS = {
    "script",
    "iframe",
    "object",
    "embed",
    "style",
    "base",
    "meta",
    "link",
    "form",
    "frame",
    "frameset",
    "applet",
    "noscript",
    "template",
    "input",
    "button",
    "textarea",
    "select",
    "img",
    "svg",
    "math",
    "video",
    "audio",
    "source",
    "marquee",
    "bgsound",
    "isindex",
    "xmp",
}
# the generator's own SVG charts (analysis pages) may use these SVG elements, nothing else
CHART_SVG_TAGS = {
    "svg",
    "title",
    "desc",
    "defs",
    "pattern",
    "rect",
    "path",
    "circle",
    "line",
    "polyline",
    "polygon",
    "text",
    "tspan",
    "g",
}
# pymdownx.tabbed markup the generator writes for content tabs: <input>s inside .tabbed-set only
ALLOWED_TABBED_ID = re.compile(r"^__tabbed_[0-9]+_[0-9]+$")
ALLOWED_TABBED_NAME = re.compile(r"^__tabbed_[0-9]+$")
URL_ATTRIBUTES = {
    "href",
    "src",
    "action",
    "formaction",
    "xlink:href",
    "poster",
    "data",
    "background",
    "dynsrc",
    "lowsrc",
    "srcset",
    "cite",
    "longdesc",
    "usemap",
    "ping",
    "manifest",
    "codebase",
    "srcdoc",
}
BAD_SCHEME = re.compile(r"^(?:javascript|vbscript|data|livescript|mocha):", re.IGNORECASE)
# Fields that become page titles (nav, header, footer, <title>) take these payloads first
TITLE_FIELDS = {"question title", "run label", "homework title"}
TITLE_PAYLOADS = {"owasp-025", "owasp-094", "owasp-068", "owasp-084", "owasp-030", "owasp-031", "blns-005"}
SEARCHES = ("onerror", "alert", "script", "javascript", "svg onload", "srcdoc", "onmouseover", "xlink")  # + two markers
TYPESET_TIMEOUT_MS = 20_000


# -- the payloads --------------------------------------------------------------------------


@dataclass(frozen=True)
class Payload:
    id: str
    source: str
    kind: str
    text: str

    @property
    def one_line(self) -> bool:
        return "\n" not in self.text and self.kind != "markdown" and len(self.text) <= 300


def load_payloads() -> list[Payload]:
    data = yaml.safe_load(PAYLOADS_FILE.read_text(encoding="utf-8"))
    return [Payload(p["id"], p["source"], p["kind"], p["text"]) for p in data["payloads"]]


def has_sink(text: str) -> bool:
    if SINK_RE.search(text) or SINK_RE.search(html.unescape(text)):
        return True
    for blob in re.findall(r"base64,([A-Za-z0-9+/=]+)", text):
        if SINK_RE.search(base64.b64decode(blob + "=" * (-len(blob) % 4)).decode("latin-1")):
            return True
    return False


def test_payload_corpus_is_large_sourced_and_every_payload_has_a_sink() -> None:
    payloads = load_payloads()
    assert len(payloads) >= 100
    assert len({p.id for p in payloads}) == len(payloads), "payload ids must be unique"
    assert len({p.text for p in payloads}) == len(payloads), "payload texts must be unique"
    assert {p.source for p in payloads} == SOURCES, "every source is used and no other"
    assert {p.kind for p in payloads} <= KINDS
    assert [p.id for p in payloads if not has_sink(p.text)] == []
    assert sum(p.one_line for p in payloads) >= 100, "enough payloads fit one-line fields"
    assert sum(1 for p in payloads if p.one_line and len(p.text) <= 28) >= len(RUNS), "enough fit a run label"


# -- the data tree -------------------------------------------------------------------------


@dataclass
class Placement:
    payload: Payload
    where: str  # file and data path, e.g. "transcripts/hw11/run-b/q2.yaml entries[0].answer"
    field_kind: str  # e.g. "entry answer"
    markdown: bool
    pages: tuple[str, ...]  # site paths where the text must be visible ("" = home)
    marker: str | None = None  # Markdown: the paragraph before the payload; one-line: the text's prefix
    heading_pages: tuple[str, ...] = ()  # pages where the text is (part of) a heading
    check_text: bool = True  # False where the field is not shown on any page, or is LaTeX typeset as math

    @property
    def written(self) -> str:
        """What the one-line field holds: the payload after its marker (run labels: alone)."""
        return f"{self.marker} {self.payload.text}" if self.marker and not self.markdown else self.payload.text


@dataclass
class Tree:
    root: Path
    placements: list[Placement] = field(default_factory=list)


class _Rotation:
    """Round-robin over payloads: the next one that fits, so every payload gets used."""

    def __init__(self, payloads: list[Payload]) -> None:
        self.queue = list(payloads)

    def take(self, fits=lambda p: True, avoid: set[str] = frozenset(), prefer=None) -> Payload:  # type: ignore[assignment]
        for wanted in ([prefer] if prefer else []) + [lambda p: True]:
            for i, payload in enumerate(self.queue):
                if fits(payload) and wanted(payload) and payload.text not in avoid:
                    self.queue.append(self.queue.pop(i))
                    return payload
        raise AssertionError("no payload fits")


def markdown_safe(payload: Payload) -> str:
    """The payload as Markdown that passes the math check: if its $ or \\ would open or close
    math it did not mean to, escape them (\\$ and \\\\ both render as the character itself)."""
    if payload.kind == "math" or not math_issues(payload.text):
        return payload.text
    return payload.text.replace("\\", "\\\\").replace("$", "\\$")


class TreeBuilder:
    def __init__(self, root: Path, payloads: list[Payload]) -> None:
        self.tree = Tree(root)
        self.plain = _Rotation([p for p in payloads if p.one_line])
        self.markdown = _Rotation(payloads)
        self.maths = _Rotation(
            [p for p in payloads if p.kind == "math" and re.fullmatch(r"\$[^$].*[^$]\$", p.text, re.S)]
        )
        self.markers = 0

    def _marker(self, kind: str) -> str:
        self.markers += 1
        return f"XSS{kind}{self.markers:04d}Q"

    def one(
        self,
        where: str,
        kind: str,
        pages: tuple[str, ...],
        *,
        max_len: int = 300,
        avoid: set[str] = frozenset(),
        shown: bool = True,
        headings: tuple[str, ...] = (),
    ) -> str:
        """A one-line field: a payload after a unique marker (so each placement is found where it was
        written), or the payload alone where the field is too short for both (run labels).
        Fields that become page titles get the payloads aimed at titles first."""
        marker = self._marker("L") if max_len > 28 else None
        room = max_len - (len(marker) + 1 if marker else 0)
        used = {p.payload.id for p in self.tree.placements if p.field_kind == kind}
        prefer = (lambda p: p.id in TITLE_PAYLOADS and p.id not in used) if kind in TITLE_FIELDS else None
        payload = self.plain.take(lambda p: len(p.text) <= room, avoid, prefer)
        placement = Placement(
            payload, where, kind, False, pages, marker=marker, check_text=shown, heading_pages=headings
        )
        self.tree.placements.append(placement)
        return placement.written

    def md(self, where: str, kind: str, pages: tuple[str, ...]) -> str:
        chunks = []
        for _ in range(MARKDOWN_PAYLOADS_PER_FIELD):
            payload = self.markdown.take()
            marker = self._marker("M")
            self.tree.placements.append(Placement(payload, where, kind, True, pages, marker=marker))
            chunks.append(f"{marker}\n\n{markdown_safe(payload)}")
        return "\n\n".join(chunks) + "\n"

    def latex(self, where: str, pages: tuple[str, ...]) -> str:
        payload = self.maths.take()
        self.tree.placements.append(Placement(payload, where, "answer-key latex", False, pages, check_text=False))
        return payload.text[1:-1]


class _Dumper(yaml.SafeDumper):
    def ignore_aliases(self, data: Any) -> bool:  # never write anchors/aliases (the validator refuses them)
        return True


_PLAIN = re.compile(r"[a-z][a-z0-9_]*(?:-[a-z0-9]+)*")
_YAML11_WORDS = {"y", "n", "yes", "no", "on", "off", "true", "false", "null"}


def _str(dumper: yaml.SafeDumper, text: str) -> yaml.Node:
    """Keys and ids plain, Markdown as literal blocks, every other string double-quoted."""
    if _PLAIN.fullmatch(text) and text not in _YAML11_WORDS:
        return dumper.represent_scalar("tag:yaml.org,2002:str", text)
    return dumper.represent_scalar("tag:yaml.org,2002:str", text, style="|" if "\n" in text else '"')


_Dumper.add_representer(str, _str)


def write_yaml(path: Path, schema: str, data: dict[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    body = yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=10**9)
    path.write_text(f"# yaml-language-server: $schema={schema}\n{body}", encoding="utf-8")


def _fixture(rel: str) -> dict[str, Any]:
    return yaml.safe_load((VALID_TREE / rel).read_text(encoding="utf-8"))


def relabel(label: str, number: int) -> str:
    return re.sub(r"^1\(", f"{number}(", label)


def generate_tree(root: Path, payloads: list[Payload]) -> Tree:
    """The fixture tree, as homework hw11 with 4 questions and 3 runs, payloads in every text field."""
    b = TreeBuilder(root, payloads)
    hw_page, home = f"gallery/{HOMEWORK}/", ""
    sol = f"solutions/{HOMEWORK}"

    homework = _fixture("solutions/hw0/homework.yaml")
    homework["homework"] = HOMEWORK
    where = f"{sol}/homework.yaml"
    homework["course"] = b.one(f"{where} course", "homework course", (home, hw_page), headings=(home, hw_page))
    homework["institution"] = b.one(f"{where} institution", "homework institution", (), shown=False)
    homework["term"] = b.one(f"{where} term", "homework term", (home,), headings=(home,))
    homework["title"] = b.one(f"{where} title", "homework title", (home, hw_page), headings=(home, hw_page))
    homework["source"] = b.md(f"{where} source", "homework source", (hw_page,))
    homework["summary"] = b.md(f"{where} summary", "homework summary", (home, hw_page))
    write_yaml(root / where, "../../schemas/homework.schema.json", homework)

    sources = root / "sources" / HOMEWORK
    sources.mkdir(parents=True)
    (sources / "demo.txt").write_text("The chat the payload runs were made from.\n", encoding="utf-8")
    (sources / "demo-2.pdf").write_bytes(b"%PDF-1.4\n")
    documents = [
        {"file": name, "title": f"Document {i + 1}", "form": "a test file", "description": "Made up for the tests."}
        for i, name in enumerate(("demo.txt", "demo-2.pdf"))
    ]
    write_yaml(
        sources / "sources.yaml", "../../schemas/sources.schema.json", {"homework": HOMEWORK, "documents": documents}
    )

    options: dict[int, dict[str, str]] = {}
    for number in QUESTIONS:
        page = f"gallery/{HOMEWORK}/questions/q{number}/"
        where = f"{sol}/q{number}.yaml"
        q = copy.deepcopy(_fixture("solutions/hw0/q1.yaml"))
        q["homework"], q["question"] = HOMEWORK, number
        q["title"] = b.one(f"{where} title", "question title", (page, hw_page), headings=(page,))
        q["statement"] = b.md(f"{where} statement", "question statement", (page,))
        q["notes"] = b.md(f"{where} notes", "question notes", (page,))
        for i, given in enumerate(q["givens"]):
            given["description"] = b.one(f"{where} givens[{i}].description", "given description", (page,))
            given["unit"] = b.one(f"{where} givens[{i}].unit", "given unit", (page,), max_len=40)
        for i, part in enumerate(q["parts"]):
            at = f"{where} parts[{i}]"
            part["label"] = relabel(part["label"], number)
            part["title"] = b.one(f"{at}.title", "part title", (page,), headings=(page,))
            part["prompt"] = b.md(f"{at}.prompt", "part prompt", (page,))
            part["reference"] = b.md(f"{at}.reference", "part reference", (page,))
            for j, item in enumerate(part.get("answer_key", [])):
                item["description"] = b.one(f"{at}.answer_key[{j}].description", "answer-key description", (page,))
                if item["kind"] == "number":
                    # a key unit must be one the automatic check reads (GAL220): no free text reaches a page there
                    item["tolerance_reason"] = b.one(
                        f"{at}.answer_key[{j}].tolerance_reason", "tolerance reason", (page,)
                    )
                if item["kind"] == "expression":
                    item["latex"] = b.latex(f"{at}.answer_key[{j}].latex", (page,))
                if item["kind"] == "choice":
                    chosen: set[str] = set()
                    mapping = {}
                    for k, option in enumerate(item["options"]):
                        text = b.one(f"{at}.answer_key[{j}].options[{k}]", "choice option", (page,), avoid=chosen)
                        chosen.add(b.tree.placements[-1].payload.text)
                        mapping[option] = text
                    item["options"] = [mapping[o] for o in item["options"]]
                    item["correct"] = [mapping[o] for o in item["correct"]]
                    options[number] = mapping
        write_yaml(root / where, "../../schemas/question.schema.json", q)

    labels: set[str] = set()
    for run_id in RUNS:
        folder = f"transcripts/{HOMEWORK}/{run_id}"
        run_page = f"gallery/{HOMEWORK}/runs/{run_id}/"
        where = f"{folder}/run.yaml"
        run = copy.deepcopy(_fixture("transcripts/hw0/demo-run/run.yaml"))
        run["run"], run["homework"] = run_id, HOMEWORK
        question_pages = tuple(f"gallery/{HOMEWORK}/questions/q{n}/" for n in QUESTIONS)
        run["label"] = b.one(
            f"{where} label",
            "run label",
            (run_page, *question_pages, home),
            max_len=28,
            avoid=labels,
            headings=(run_page,),
        )
        labels.add(run["label"])
        run["model"] = {
            "name": b.one(f"{where} model.name", "model name", (run_page, hw_page)),
            "vendor": b.one(f"{where} model.vendor", "model vendor", (run_page,)),
            "mode": b.one(f"{where} model.mode", "model mode", (run_page,)),
        }
        run["strategy_note"] = b.md(f"{where} strategy_note", "run strategy note", (run_page,))
        run["contributor"] = b.one(f"{where} contributor", "contributor", (run_page,))
        run["annotators"] = [
            {
                "id": "author",
                "name": b.one(f"{where} annotators[0].name", "annotator name", (run_page, *question_pages)),
                "role": b.one(f"{where} annotators[0].role", "annotator role", (run_page,)),
            }
        ]
        run["source_documents"] = [
            {
                "file": "demo.txt",
                "description": b.one(
                    f"{where} source_documents[0].description", "source document description", (run_page,)
                ),
            },
            {
                "file": "demo-2.pdf",
                "description": b.one(
                    f"{where} source_documents[1].description", "source document description", (run_page,)
                ),
            },
        ]
        run["repairs"] = [b.one(f"{where} repairs[{i}]", "repair", (run_page,)) for i in range(3)]
        run["notes"] = b.md(f"{where} notes", "run notes", (run_page,))
        write_yaml(root / where, "../../../schemas/run.schema.json", run)

        for number in QUESTIONS:
            where = f"{folder}/q{number}.yaml"
            pages = (run_page, f"gallery/{HOMEWORK}/questions/q{number}/")
            rq = copy.deepcopy(_fixture("transcripts/hw0/demo-run/q1.yaml"))
            rq["run"], rq["question"] = run_id, number
            for i, entry in enumerate(rq["entries"]):
                at = f"{where} entries[{i}]"
                entry["part"] = relabel(entry["part"], number)
                entry["prompt"] = b.md(f"{at}.prompt", "entry prompt", pages)
                if "answer" in entry:
                    entry["answer"] = b.md(f"{at}.answer", "entry answer", pages)
                else:
                    entry["answer_missing"] = b.one(f"{at}.answer_missing", "answer missing", pages)
                entry["review"]["reason"] = b.one(f"{at}.review.reason", "review reason", pages)
                for k, annotation in enumerate(entry.get("annotations", [])):
                    annotation["verdict_text"] = b.one(
                        f"{at}.annotations[{k}].verdict_text", "annotation verdict_text", pages
                    )
                    annotation["note"] = b.md(f"{at}.annotations[{k}].note", "annotation note", pages)
                if "init" in entry.get("stated", {}):
                    entry["stated"]["init"] = options[number][entry["stated"]["init"]]
                for k, followup in enumerate(entry.get("followups", [])):
                    fat = f"{at}.followups[{k}]"
                    followup["prompt"] = b.md(f"{fat}.prompt", "follow-up prompt", pages)
                    followup["answer"] = b.md(f"{fat}.answer", "follow-up answer", pages)
                    followup["review"]["reason"] = b.one(f"{fat}.review.reason", "follow-up review reason", pages)
                    followup["annotations"] = [
                        {
                            "by": "author",
                            "verdict": "correct",
                            "verdict_text": b.one(
                                f"{fat}.annotations[0].verdict_text", "follow-up annotation verdict_text", pages
                            ),
                            "note": b.md(f"{fat}.annotations[0].note", "follow-up annotation note", pages),
                        }
                    ]
                    if "init" in followup.get("stated", {}):
                        followup["stated"]["init"] = options[number][followup["stated"]["init"]]
            write_yaml(root / where, "../../../schemas/run-question.schema.json", rq)
    return b.tree


def make_site_root(target: Path) -> None:
    """The repository's site sources (mkdocs.yml, docs/ without generated pages, scripts/)."""
    target.mkdir(parents=True, exist_ok=True)
    shutil.copytree(
        REPO_ROOT / "docs",
        target / "docs",
        ignore=lambda d, names: ["gallery"] if Path(d) == REPO_ROOT / "docs" else [],
    )
    shutil.copytree(REPO_ROOT / "scripts", target / "scripts", ignore=shutil.ignore_patterns("__pycache__"))
    config = (REPO_ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    notebooks = sorted((REPO_ROOT / "docs" / "notebooks").glob("*.ipynb"))
    if not notebooks:  # the nav lists notebooks the repository does not have yet: drop that section
        config = re.sub(r"^  - Notebooks:\n(?:      - .*\n)+", "", config, flags=re.M)
    (target / "mkdocs.yml").write_text(config, encoding="utf-8")


@dataclass
class XssSite:
    tree: Tree
    built: BuiltSite
    payloads: list[Payload]
    build_seconds: float
    validate_output: str


@pytest.fixture(scope="module")
def xss_site(tmp_path_factory: pytest.TempPathFactory) -> XssSite:
    root = tmp_path_factory.mktemp("xss") / "repo"
    make_site_root(root)
    payloads = load_payloads()
    tree = generate_tree(root, payloads)
    gallery = Path(sys.executable).with_name("gallery")
    validated = subprocess.run(
        [str(gallery), "--root", str(root), "validate"], capture_output=True, text=True, timeout=300
    )
    assert validated.returncode == 0, validated.stdout + validated.stderr
    started = time.monotonic()
    built = build_site(root, root / "site")
    return XssSite(tree, built, payloads, time.monotonic() - started, validated.stdout + validated.stderr)


@pytest.mark.slow
def test_generated_tree_is_valid_and_uses_every_payload_in_every_field_kind(xss_site: XssSite) -> None:
    repo = load_repository(xss_site.built.root)
    assert [p for p in repo.problems if p.is_error] == []  # payload answers bear out no typed value: warnings
    placements = xss_site.tree.placements
    used = {p.payload.id for p in placements}
    assert used == {p.id for p in xss_site.payloads}, "every payload is placed at least once"
    kinds = Counter(p.field_kind for p in placements)
    assert len(kinds) >= 28, kinds
    fields_per_kind = {k: {p.where for p in placements if p.field_kind == k} for k in kinds}
    payloads_per_kind = {k: {p.payload.id for p in placements if p.field_kind == k} for k in kinds}
    thin = {k: len(ids) for k, ids in payloads_per_kind.items() if len(fields_per_kind[k]) > 1 and len(ids) < 3}
    assert thin == {}, "several payloads in every field kind that has several fields"
    one_line_used = {p.payload.id for p in placements if not p.markdown}
    assert one_line_used >= {p.id for p in xss_site.payloads if p.one_line}, (
        "every one-line payload is in a one-line field"
    )
    markdown_used = {p.payload.id for p in placements if p.markdown}
    assert markdown_used == {p.id for p in xss_site.payloads}, "every payload is in a Markdown field"


# -- static audit of the built HTML --------------------------------------------------------


# mkdocs-jupyter pages are the project's own notebooks (trusted), rendered with their script/style
TRUSTED_PAGES = ("notebooks/",)


def built_pages(site_dir: Path, *, trusted: bool = False) -> list[Path]:
    skip = ("assets/", "search/") + (() if trusted else TRUSTED_PAGES)
    return [p for p in sorted(site_dir.rglob("*.html")) if not p.relative_to(site_dir).as_posix().startswith(skip)]


def _url_is_bad(value: str) -> bool:
    # browsers drop ASCII whitespace and control characters anywhere in a URL's scheme
    squashed = re.sub(r"[\x00-\x20\x7f]+", "", value)
    return bool(BAD_SCHEME.match(squashed))


def audit_html(text: str) -> list[str]:
    """Problems in one page's <article>, and ids/names that clash with the page's chrome."""
    document = html5lib.parse(text, namespaceHTMLElements=False)
    articles = document.findall(".//article")
    if not articles:
        return []
    problems = []
    article_elements = {id(el) for article in articles for el in article.iter()}
    chrome_ids = {
        el.get(attr)
        for el in document.iter()
        if id(el) not in article_elements
        for attr in ("id", "name")
        if el.get(attr)
    }
    all_ids = Counter(el.get("id") for el in document.iter() if el.get("id"))
    problems += [f"duplicate id {i!r} ({n}x)" for i, n in all_ids.items() if n > 1]
    for article in articles:
        parents = {child: parent for parent in article.iter() for child in parent}
        for el in article.iter():
            if not isinstance(el.tag, str):  # comments
                continue
            tag = el.tag.rsplit("}", 1)[-1]  # svg/math elements are namespaced
            where = f"<{tag} {' '.join(f'{k}={v!r}' for k, v in list(el.attrib.items())[:3])}>"
            ancestors = []
            node = el
            while node in parents:
                node = parents[node]
                ancestors.append((node.get("class") or "").split())
            in_tabs = any("tabbed-set" in classes for classes in ancestors)
            in_chart = (
                any("chart" in classes for classes in ancestors)
                and el.tag.startswith("{http://www.w3.org/2000/svg}")
                and tag in CHART_SVG_TAGS
            )
            allowed = (
                tag == "input" and in_tabs and el.get("type") == "radio"
            ) or in_chart  # tabs; the generator's SVG charts
            if tag.lower() in FORBIDDEN_TAGS and not allowed:
                problems.append(f"forbidden element {where}")
            for name, value in el.attrib.items():
                lower = name.lower()
                if lower.startswith("on"):
                    problems.append(f"event-handler attribute {name}={value!r} on {where}")
                if lower == "style":
                    problems.append(f"style attribute on {where}")
                if lower in URL_ATTRIBUTES and _url_is_bad(value):
                    problems.append(f"unsafe URL {name}={value!r} on {where}")
                if lower in ("id", "name", "for", "form"):
                    tabbed = ALLOWED_TABBED_ID if lower in ("id", "for") else ALLOWED_TABBED_NAME
                    if value in MATERIAL_IDS or value in chrome_ids:
                        problems.append(f"{name}={value!r} clashes with the theme on {where}")
                    elif value.startswith("__") and not (in_tabs and tabbed.match(value)):
                        problems.append(f"{name}={value!r} uses the theme's __ prefix on {where}")
    return problems


@pytest.mark.slow
def test_static_audit_of_article_html(xss_site: XssSite) -> None:
    site_dir = xss_site.built.site_dir
    pages = built_pages(site_dir)
    assert len(pages) >= 10
    found = {}
    for page in pages:
        problems = audit_html(page.read_text(encoding="utf-8"))
        if problems:
            found[page.relative_to(site_dir).as_posix()] = problems
    # the audit can fail: it flags a handler, a bad URL and a clashing id in a planted page
    planted = audit_html(
        '<html><body><div id="__search"></div><article><p onclick="x">a</p><a href=" java\tscript:x">b</a>'
        '<span id="__search">c</span><div class="tabbed-set"><input type="radio" id="__tabbed_1_1"></div></article></body></html>'
    )
    assert [p.split(" ")[0] for p in planted] == ["duplicate", "event-handler", "unsafe", "id='__search'"], planted
    assert not found, format_problems(found)


@pytest.mark.slow
def test_no_one_line_payload_is_written_unescaped_anywhere_in_a_page(xss_site: XssSite) -> None:
    """Titles, labels and names also reach the theme's chrome (nav, header, footer, <title>):
    markup from a one-line field must never appear in a page's source as it was written."""
    site_dir = xss_site.built.site_dir
    tagged = sorted(
        {
            p.payload.text
            for p in xss_site.tree.placements
            if not p.markdown and re.search(r"<[A-Za-z/!]", p.payload.text)
        }
    )
    assert len(tagged) >= 20
    found = defaultdict(list)
    for page in built_pages(site_dir):
        source = page.read_text(encoding="utf-8")
        for text in tagged:
            for match in re.finditer(re.escape(text), source):
                line = source.count("\n", 0, match.start()) + 1
                classes = re.findall(r'class="([^"]*)"', source[max(0, match.start() - 400) : match.start()])[-2:]
                found[page.relative_to(site_dir).as_posix()].append(
                    f"line {line} in {' > '.join(classes)}: {text[:60]!r}"
                )
    assert not found, format_problems(dict(found))


# -- the browser ---------------------------------------------------------------------------

# Everything the checks need from the page as it is rendered now (hidden elements excluded)
COLLECT_JS = r"""() => {
  const markerRe = /^XSSM[0-9]{4}Q$/;
  const markers = {};
  for (const p of document.querySelectorAll('article p')) {
    const t = p.textContent.trim();
    if (!markerRe.test(t) || !p.checkVisibility()) continue;
    let text = '';
    for (let n = p.nextElementSibling; n && !markerRe.test(n.textContent.trim()); n = n.nextElementSibling) {
      if (n.checkVisibility()) text += n.innerText + '\n';
    }
    markers[t] = text;
  }
  const headings = Array.from(document.querySelectorAll('article h1, article h2, article h3'))
    .filter(h => h.checkVisibility()).map(h => h.innerText);
  return {text: document.body.innerText, markers, headings};
}"""

# The live DOM after KaTeX: elements, attributes and URLs no content may produce
LIVE_AUDIT_JS = r"""() => {
  const out = [];
  const bad = /^(?:javascript|vbscript|data|livescript):/i;
  const origin = location.origin;
  // the site's own controls, added by its scripts (content cannot carry a form or a button past the sanitizer)
  const ours = (el) => el.closest('form.grid-filters') !== null
    || (el.matches('button.compare-toggle') && el.parentElement && el.parentElement.matches('.part-answers'));
  for (const el of document.querySelectorAll('article *')) {
    const tag = el.tagName.toLowerCase();
    if (ours(el)) continue;
    if (['script','iframe','object','embed','style','base','meta','link','form','frame','frameset','img','video','audio',
         'source','template','noscript','textarea','select','marquee','foreignobject','image'].includes(tag))
      out.push('element ' + tag + ' ' + el.outerHTML.slice(0, 120));
    if (tag === 'input' && !(el.type === 'radio' && el.closest('.tabbed-set'))) out.push('input ' + el.outerHTML.slice(0, 120));
    if (tag === 'button' && !(el.classList.contains('tabbed-button') && el.closest('.tabbed-control'))) out.push('button ' + el.outerHTML.slice(0, 120));
    for (const a of el.attributes) {
      const name = a.name.toLowerCase();
      if (name.startsWith('on')) out.push('handler ' + name + ' on ' + tag);
      if (['href','src','xlink:href','action','formaction','data','poster','srcdoc'].includes(name)) {
        const v = a.value.replace(/[\x00-\x20\x7f]+/g, '');
        if (bad.test(v)) out.push('url ' + name + '=' + a.value.slice(0, 80) + ' on ' + tag);
      }
      if ((name === 'id' || name === 'name') && /^__(search|drawer|config|toc|consent|palette)/.test(a.value))
        out.push('clash ' + name + '=' + a.value + ' on ' + tag);
    }
  }
  if (document.querySelector('article a[href]')) {
    for (const a of document.querySelectorAll('article a[href]')) {
      const u = new URL(a.getAttribute('href'), location.href);
      if (!['http:', 'https:', 'mailto:'].includes(u.protocol)) out.push('link protocol ' + u.protocol + ' ' + a.outerHTML.slice(0, 100));
    }
  }
  return out;
}"""

FRAMES_CANARY_JS = "() => typeof window.__xss !== 'undefined' || typeof window.__xss_any !== 'undefined'"


def normalise(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


# One-line fields rendered as inline Markdown (so that `$...$` typesets): reasons, descriptions, repairs
PROSE_LINE_KINDS = frozenset(
    {
        "review reason",
        "follow-up review reason",
        "answer-key description",
        "tolerance reason",
        "given description",
        "repair",
        "answer missing",
    }
)


def prose_visible(text: str) -> str:
    """Text as inline Markdown shows it, compared loosely: code-span ticks, emphasis marks and
    backslash escapes are Markdown's to consume; every other character must still show."""
    text = re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", text)
    return normalise(re.sub(r"[`*_\\]", "", text))


def expected_specials(payload: Payload) -> Counter[str]:
    """How many <, > and & of a payload meant as text (kinds html and text) must show as text.

    Markdown legitimately consumes a few: a leading `>` quotes a block and an http/mailto
    autolink `<...>` becomes a link. Markdown-syntax payloads (links, references, attr_list)
    are checked for their marker and unsafe link targets instead, and math payloads are
    typeset, so both are left to the dialog, canary and DOM checks."""
    if payload.kind not in ("html", "text"):
        return Counter()
    text = re.sub(r"^>\s?", "", payload.text, flags=re.M)  # blockquote markers
    text = re.sub(r"<(?:https?://|mailto:)[^>]*>", "", text)  # autolinks become links
    return Counter(ch for ch in text if ch in "<>&")


UNSAFE_DESTINATION = re.compile(r"\]\(\s*<?((?:javascript|vbscript|data)[^\s)>]*)", re.IGNORECASE)


def unsafe_destinations(payload: Payload) -> list[str]:
    """Inline-link/image targets with a scheme the site refuses: shown as text, never dropped."""
    if payload.kind != "markdown":
        return []
    return [
        m.group(1)
        for m in UNSAFE_DESTINATION.finditer(payload.text)
        if re.match(r"(?i)(javascript|vbscript|data):", m.group(1))
    ]


TRUST_GATED = re.compile(r"\\(?:href|url|includegraphics|htmlClass|htmlId|htmlStyle|htmlData)\{[^{}$]*\}")
MATH_SPAN = re.compile(r"\$\$(.+?)\$\$|\$([^$\n]+)\$", re.S)


def trust_gated_math(payload: Payload) -> list[str]:
    """Commands KaTeX only runs with trust on, inside math: the site shows such a formula as its source."""
    return [
        command
        for m in MATH_SPAN.finditer(payload.text)
        for command in TRUST_GATED.findall(m.group(1) or m.group(2) or "")
    ]


@dataclass
class PageVisit:
    path: str
    texts: list[str] = field(default_factory=list)
    markers: dict[str, str] = field(default_factory=dict)
    headings: list[str] = field(default_factory=list)
    tabs_clicked: int = 0
    live_problems: list[str] = field(default_factory=list)


class Watch:
    """Dialogs, popups and non-local requests of one browser context."""

    def __init__(self, context, base_url: str) -> None:  # type: ignore[no-untyped-def]
        self.dialogs: list[str] = []
        self.foreign: list[str] = []
        self.popups: list[str] = []
        self.errors: list[str] = []
        self.base = base_url
        context.route("**/*", self._route)
        context.on("page", lambda p: self.popups.append(p.url) if p.opener() is not None else None)

    def _route(self, route, request) -> None:  # type: ignore[no-untyped-def]
        if request.url.startswith(self.base):
            route.continue_()
        else:
            self.foreign.append(request.url)
            route.abort()

    def attach(self, page) -> None:  # type: ignore[no-untyped-def]
        def on_dialog(dialog) -> None:  # type: ignore[no-untyped-def]
            self.dialogs.append(f"{dialog.type}: {dialog.message} @ {page.url}")
            dialog.dismiss()

        page.on("dialog", on_dialog)
        page.on("request", lambda r: self.foreign.append(r.url) if not r.url.startswith(self.base) else None)
        page.on("pageerror", lambda e: self.errors.append(f"{page.url}: {e}"))


def canary(page) -> bool:  # type: ignore[no-untyped-def]
    return any(frame.evaluate(FRAMES_CANARY_JS) for frame in page.frames)


def visit(page, url: str, path: str) -> PageVisit:  # type: ignore[no-untyped-def]
    result = PageVisit(path)
    page.goto(url, wait_until="load")
    page.wait_for_function(
        "() => document.querySelectorAll('.arithmatex:not([data-typeset])').length === 0", timeout=TYPESET_TIMEOUT_MS
    )
    page.evaluate("() => document.querySelectorAll('details').forEach(d => { d.open = true; })")

    def collect() -> None:
        state = page.evaluate(COLLECT_JS)
        result.texts.append(state["text"])
        result.headings += state["headings"]
        for marker, text in state["markers"].items():
            result.markers[marker] = result.markers.get(marker, "") + text

    collect()
    labels = page.locator("article .tabbed-labels > label")
    for i in range(labels.count()):
        label = labels.nth(i)
        label.scroll_into_view_if_needed()
        label.click()
        result.tabs_clicked += 1
        collect()
    result.live_problems = page.evaluate(LIVE_AUDIT_JS)
    return result


def page_group(visits: dict[str, PageVisit], path: str) -> PageVisit:
    """A page with its continuation pages (q1/, q1-2/, ... for a question; chatgpt/, chatgpt/2/, ... for a model)."""
    group = [visits[path]] + [
        v for p, v in visits.items() if path and re.fullmatch(re.escape(path.rstrip("/")) + r"[-/][0-9]+/", p)
    ]
    if len(group) == 1:
        return group[0]
    merged = PageVisit(path)
    for v in group:
        merged.texts += v.texts
        merged.headings += v.headings
        merged.markers.update(v.markers)
    return merged


def check_placements(placements: list[Placement], visits: dict[str, PageVisit]) -> tuple[list[str], Counter[str]]:
    failures = []
    checked: Counter[str] = Counter()
    for placement in placements:
        if not placement.check_text:
            continue
        payload = placement.payload
        for path in placement.pages:
            v = page_group(visits, path)
            label = f"{payload.id} in {placement.where} on /{path}"
            if not placement.markdown and placement.field_kind in PROSE_LINE_KINDS:
                # inline Markdown (for LaTeX): its code spans, emphasis and escapes are rendered, the rest is text
                checked["prose line"] += 1
                if (
                    "$" in payload.text or "\\(" in payload.text
                ):  # typeset as math: the marker shows, refused commands show as written
                    near = [normalise(t) for t in v.texts if placement.marker and placement.marker in t]
                    if not near:
                        failures.append(f"{label}: marker of a prose line with math not visible")
                    for command in trust_gated_math(payload):
                        if not any(normalise(command) in t for t in near):
                            failures.append(f"{label}: trust-gated math {command!r} not shown as written")
                    continue
                wanted = prose_visible(placement.written)
                if not any(wanted in prose_visible(t) for t in v.texts):
                    failures.append(f"{label}: prose line not visible as text: {placement.written[:90]!r}")
                continue
            if not placement.markdown:
                wanted = normalise(placement.written)
                checked["one-line"] += 1
                if path in placement.heading_pages:
                    checked["heading"] += 1
                    if not any(wanted in normalise(h) for h in v.headings):
                        near = next(
                            (normalise(h) for h in v.headings if placement.marker and placement.marker in h), None
                        )
                        near = near or next(
                            (normalise(h) for h in v.headings if normalise(placement.written[:8]) in normalise(h)),
                            "(not found)",
                        )
                        failures.append(
                            f"{label}: heading does not show the text verbatim: {placement.written[:90]!r} -> heading {near[:140]!r}"
                        )
                if any(wanted in normalise(t) for t in v.texts):
                    continue
                escaped = normalise(html.escape(placement.written, quote=False))
                if escaped != wanted and any(escaped in normalise(t) for t in v.texts):
                    failures.append(f"{label}: one-line text shown escaped twice: {placement.written[:90]!r}")
                    continue
                shown = [normalise(t) for t in v.texts if placement.marker and placement.marker in t]
                near = (
                    shown[0][shown[0].index(placement.marker) :][: len(wanted) + 20]
                    if shown
                    else "(marker not visible)"
                )
                failures.append(
                    f"{label}: one-line text not visible verbatim: {placement.written[:90]!r} -> shown {near!r}"
                )
                continue
            checked["markdown"] += 1
            segment = v.markers.get(placement.marker or "")
            if segment is None:
                failures.append(f"{label}: marker {placement.marker} not visible")
                continue
            have = Counter(ch for ch in segment if ch in "<>&")
            short = {ch: (have[ch], n) for ch, n in expected_specials(payload).items() if have[ch] < n}
            if short:
                failures.append(
                    f"{label}: <>& lost as text (have, want) {short}: {payload.text[:80]!r} -> {segment[:120]!r}"
                )
            if payload.kind == "html" and not re.search(r"[*_`\\\[\]$]", payload.text):
                for tag in re.findall(r"<[A-Za-z/!][^<>]*>", payload.text):
                    if normalise(tag) not in normalise(segment):
                        failures.append(f"{label}: tag text {tag!r} not visible verbatim -> {segment[:120]!r}")
            for command in trust_gated_math(payload):
                if normalise(command) not in normalise(segment):
                    failures.append(f"{label}: trust-gated math {command!r} not shown as written -> {segment[:120]!r}")
            for destination in unsafe_destinations(payload):
                if normalise(destination) not in normalise(segment):
                    failures.append(
                        f"{label}: refused link target {destination!r} not shown as text -> {segment[:120]!r}"
                    )
    return failures, checked


@pytest.mark.browser
@pytest.mark.slow
def test_no_payload_runs_in_the_browser_and_every_payload_shows_as_text(xss_site: XssSite, browser) -> None:  # type: ignore[no-untyped-def]
    started = time.monotonic()
    site_dir = xss_site.built.site_dir
    paths = site_page_paths(site_dir)
    needed = {path for p in xss_site.tree.placements for path in p.pages}
    assert needed <= set(paths), needed - set(paths)
    markers = [
        next(p.marker for p in xss_site.tree.placements if p.markdown),
        next(p.marker for p in xss_site.tree.placements if not p.markdown and p.marker),
    ]
    with serve(site_dir) as base:
        context = browser.new_context(viewport={"width": 1400, "height": 1000})
        watch = Watch(context, base)
        page = context.new_page()
        watch.attach(page)
        visits: dict[str, PageVisit] = {}
        canaries = []
        for path in paths:
            visits[path] = visit(page, urljoin(base, path), path)
            if canary(page):
                canaries.append(path)
        search = run_searches(page, base, (*SEARCHES, *markers))
        if canary(page):
            canaries.append("after search")
        context.close()
    failures, checked = check_placements(xss_site.tree.placements, visits)
    elapsed = time.monotonic() - started
    write_summary(xss_site, visits, watch, search, checked, elapsed)
    problems = {
        "dialogs": sorted(Counter(watch.dialogs).items()),
        "canary set on": canaries,
        "popups": watch.popups,
        "non-local requests": sorted(set(watch.foreign)),
        "live DOM": {
            path: v.live_problems
            for path, v in visits.items()
            if v.live_problems and not path.startswith(TRUSTED_PAGES)
        },
        "payload text": failures,
        "search": []
        if all(search["per_query"].values()) and not search["queries_not_shown_in_results"]
        else [f"{search}"],
        "uncaught page errors": watch.errors,
    }
    report = format_problems({k: v for k, v in problems.items() if v})
    (RESULTS_DIR / "problems.txt").write_text(report or "none\n", encoding="utf-8")
    assert not report, report


def format_problems(problems: dict[str, Any]) -> str:
    lines = []
    for kind, items in problems.items():
        lines.append(f"== {kind} ==")
        if isinstance(items, dict):
            items = [f"/{key}: {value}" for key, value in items.items()]
        lines += [f"  {item}" for item in items]
    return "\n".join(lines) + ("\n" if lines else "")


def run_searches(page, base: str, queries: tuple[str, ...]) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    """Type payload words into Material's search, open the results panel and every "more" group."""
    page.goto(base, wait_until="load")
    total = 0
    per_query: dict[str, int] = {}
    missing: list[str] = []
    box = page.locator("input.md-search__input")
    for query in queries:
        if not box.is_visible():
            page.locator("label.md-search__icon").first.click()
        # typed key by key (Material searches on keyboard events); the box is cleared first so the
        # previous query's results are never taken for this one's
        box.press("Control+A")
        box.press("Backspace")
        page.wait_for_function(
            "() => !/matching/i.test(document.querySelector('.md-search-result__meta').textContent)", timeout=15_000
        )
        box.press_sequentially(query, delay=5)
        page.wait_for_function(
            "q => { const m = document.querySelector('.md-search-result__meta');"
            " return document.querySelector('.md-search__input').value === q && m && /matching/i.test(m.textContent); }",
            arg=query,
            timeout=15_000,
        )
        items = page.locator(".md-search-result__item")
        page.evaluate(
            "() => { document.querySelectorAll('.md-search-result__more').forEach(d => { d.open = true; });"
            " const s = document.querySelector('.md-search__scrollwrap'); if (s) s.scrollTop = s.scrollHeight; }"
        )
        page.wait_for_timeout(150)
        per_query[query] = items.count()
        total += items.count()
        panel = page.locator(".md-search-result").inner_text()
        if query.split()[0].lower() not in panel.lower():
            missing.append(query)
    return {"results": total, "per_query": per_query, "queries_not_shown_in_results": missing}


def write_summary(
    xss_site: XssSite,
    visits: dict[str, PageVisit],
    watch: Watch,
    search: dict[str, Any],
    checked: Counter[str],
    browser_seconds: float,
) -> None:
    placements = xss_site.tree.placements
    summary = {
        "payloads": len(xss_site.payloads),
        "payloads_by_source": dict(Counter(p.source for p in xss_site.payloads)),
        "placements": len(placements),
        "placements_one_line": sum(not p.markdown for p in placements),
        "placements_markdown": sum(p.markdown for p in placements),
        "fields": len({p.where for p in placements}),
        "field_kinds": len({p.field_kind for p in placements}),
        "placements_by_field_kind": dict(sorted(Counter(p.field_kind for p in placements).items())),
        "pages_opened": len(visits),
        "tab_labels_clicked": sum(v.tabs_clicked for v in visits.values()),
        "visibility_checks": dict(checked),
        "search": search,
        "dialogs": len(watch.dialogs),
        "dialog_messages": sorted(Counter(watch.dialogs).items())[:50],
        "non_local_requests": sorted(set(watch.foreign)),
        "page_errors": watch.errors[:20],
        "build_seconds": round(xss_site.build_seconds, 1),
        "browser_seconds": round(browser_seconds, 1),
    }
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    (RESULTS_DIR / "summary.json").write_text(
        json.dumps(summary, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )


class _LiveMarkup(html.parser.HTMLParser):
    """Elements and attributes that would run script or load something: what a payload wants."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in {"img", "script", "iframe", "object", "embed", "style"}:
            self.found.append(f"<{tag}>")
        for name, value in attrs:
            if name.startswith("on") or name in {"autofocus", "tabindex", "style"}:
                self.found.append(f"{tag}[{name}]")
            if name in {"href", "src", "action"} and (value or "").strip().lower().startswith(
                ("javascript:", "data:", "vbscript:")
            ):
                self.found.append(f"{tag}[{name}={value}]")


def live_markup(fragment: str) -> list[str]:
    parser = _LiveMarkup()
    parser.feed(fragment)
    return parser.found


LABEL_PAYLOADS = [
    "*x*{onmouseover=alert(1)}",
    "[x](javascript:alert(1))",
    "{tabindex=0 autofocus onfocus=alert(1)}",
    "<img src=x onerror=alert(1)>",
]


def test_live_markup_sees_what_a_payload_wants() -> None:
    assert live_markup('<h1 x="a">*x*</h1><p onmouseover="f()">t</p>') == ["p[onmouseover]"]
    assert live_markup('<a href=" JavaScript:f()">x</a><img src=x>') == ["a[href= JavaScript:f()]", "<img>"]


@pytest.mark.parametrize("payload", LABEL_PAYLOADS)
def test_run_label_and_model_name_are_plain_text_on_every_page(payload: str, tmp_path: Path) -> None:
    """The label and model name go into titles, headings, tables and the nav: never as markup."""
    import re as re_module

    from conftest import VALID_TREE
    from gallery.site.build import prepare, site_pages

    tree = tmp_path / "repo"
    shutil.copytree(VALID_TREE, tree)
    run_yaml = tree / "transcripts" / "hw0" / "demo-run" / "run.yaml"
    text = run_yaml.read_text(encoding="utf-8")
    quoted = json.dumps(payload[:28])
    text = re_module.sub(r"^label: .*$", f"label: {quoted}", text, count=1, flags=re_module.M)
    text = re_module.sub(r"^  name: .*$", f"  name: {json.dumps(payload)}", text, count=1, flags=re_module.M)
    run_yaml.write_text(text, encoding="utf-8")
    repo = load_repository(tree)
    assert [p.as_text() for p in repo.problems] == []
    pages, nav = site_pages(prepare(repo))
    import markdown

    mkdocs_like = markdown.Markdown(extensions=["attr_list", "toc", "tables", "pymdownx.arithmatex", "pymdownx.emoji"])
    for src, render in pages.items():
        if not src.endswith(".md"):
            continue
        body = render().split("\n---\n", 1)[-1]  # what MkDocs converts after the front matter
        out = mkdocs_like.reset().convert(body)
        assert live_markup(out) == [], src
    nav_titles = json.dumps(nav)
    assert "<img" not in nav_titles and "\\u003c" not in nav_titles  # escaped before the theme prints it
