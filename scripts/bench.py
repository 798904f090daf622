"""Benchmark the gallery at 1x, 10x and 100x the real data, and print the figures.

Run by hand (`make bench` or `.venv/bin/python scripts/bench.py`); it is not a test. For
each scale it builds a scratch copy of the repository whose transcripts/ holds the real
runs copied N times under new ids, then measures:

* generation: loading, validating and writing the generated pages (`gallery build`);
* validation alone (`load_repository`);
* a full `mkdocs build` with the gallery hook, against a plain `mkdocs build` of the same
  generated pages with no hook (same nav), alternated in one run so the ratio is fair;
* peak memory of the full build;
* how long one edited transcript takes to show in `mkdocs serve --dirty` on its run page, and
  on the pages that read every run (re-rendered after it), at every scale;
* a plain build of the same content as the site was built before #16 (every page's text in
  the search index), and where that build and the full one spend their time;
* the heaviest page, raw and gzip, and the time to typeset its math in headless Chromium
  (navigation start to the last formula), against the same page with its math rendered
  on the server (KaTeX in node, from the vendored katex.min.js).

`--write-docs` puts the full table into docs/figures.md and a short one into README.md;
`--json FILE` saves the raw figures and `--from-json FILE` reports them again without
measuring.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections import defaultdict
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

from gallery.rules import load_repository  # noqa: E402
from gallery.site.engines import hookless_config  # noqa: E402

BIN = Path(sys.executable).parent
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
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
class Figures:
    scale: int
    runs: int = 0
    pages: int = 0
    generate_s: float = 0.0
    validate_s: float = 0.0
    build_s: float = 0.0  # with the hook, pages generated from scratch
    warm_build_s: float = 0.0  # with the hook, pages already up to date
    plain_build_s: float = 0.0
    reference_build_s: float = 0.0  # plain MkDocs of the same content as built before #16 (every page's text indexed)
    zensical_build_s: float | None = None  # `zensical build` of gallery build's output (no hooks, no plugins)
    overhead: float = 0.0
    warm_overhead: float = 0.0
    build_peak_mb: float = 0.0
    serve_edit_s: float | None = None
    serve_edit_full_s: float | None = None
    serve_all_s: float | None = (
        None  # until the pages reading every run (analysis, models, downloads) show the edit too
    )
    mkdocs_phases: dict[str, dict[str, float]] = field(default_factory=dict)  # build -> where its time goes
    heaviest_page: str = ""
    heaviest_raw_kb: float = 0.0
    heaviest_gzip_kb: float = 0.0
    heaviest_gallery_page: str = ""
    heaviest_gallery_raw_kb: float = 0.0
    heaviest_gallery_gzip_kb: float = 0.0
    typeset_page: str = ""
    typeset_formulas: int = 0
    typeset_ms: float | None = None  # first screenful typeset (lazy typesetting)
    typeset_all_ms: float | None = None  # every formula on the page typeset, hidden ones included
    typeset_work_ms: float | None = None  # from typesetting starting (page loaded) to the first screenful done
    phases: dict[str, float] = field(default_factory=dict)  # where `gallery build` spends its time
    dom_ready_ms: float | None = None  # navigation start to DOMContentLoaded
    visible_katex_ms: float | None = None  # time inside KaTeX for the first screenful
    floor_dom_ready_ms: float | None = None  # the same, for a small page with no math (about/)
    ssr_gzip_kb: float | None = None
    ssr_ready_ms: float | None = None
    client_ready_ms: float | None = None
    notes: list[str] = field(default_factory=list)


# -- scratch repositories ------------------------------------------------------------------------


def make_tree(scale: int, dest: Path) -> int:
    """A copy of the repository with the real runs copied `scale` times; returns the run count."""
    for name in ("mkdocs.yml", "solutions", "sources", "schemas", "scripts"):
        source = ROOT / name
        (
            shutil.copytree(source, dest / name, ignore=shutil.ignore_patterns("__pycache__"))
            if source.is_dir()
            else shutil.copy2(source, dest / name)
        )
    shutil.copytree(
        ROOT / "docs", dest / "docs", ignore=lambda folder, names: ["gallery"] if folder == str(ROOT / "docs") else []
    )
    runs = 0
    for run_dir in sorted((ROOT / "transcripts").glob("*/*")):
        for copy in range(scale):
            new_id = run_dir.name if copy == 0 else f"{run_dir.name}-x{copy:03d}"
            target = dest / "transcripts" / run_dir.parent.name / new_id
            target.mkdir(parents=True)
            for source in run_dir.glob("*.yaml"):
                text = source.read_text(encoding="utf-8")
                text = re.sub(r"^run: .*$", f"run: {new_id}", text, count=1, flags=re.MULTILINE)
                if source.name == "run.yaml" and copy:
                    if label := re.search(r'^label: "(.*)"$', text, flags=re.MULTILINE):
                        renamed = f'label: "{label.group(1)[:21]} #{copy:03d}"'
                        text = text[: label.start()] + renamed + text[label.end() :]
                (target / source.name).write_text(text, encoding="utf-8")
            runs += 1
    return runs


PHASES_SCRIPT = """
import json, tempfile, time
t0 = time.perf_counter()
from pathlib import Path
from gallery.site import render_text
from gallery.site import build as site
from gallery.data.gcpolicy import bulk_allocation
from gallery.rules import load_repository
t1 = time.perf_counter()
markdown = [0.0]
convert = render_text._MARKDOWN.convert
def timed(text):
    start = time.perf_counter()
    try:
        return convert(text)
    finally:
        markdown[0] += time.perf_counter() - start
render_text._MARKDOWN.convert = timed
repo = load_repository(Path("."))  # as site.build_pages does
t2 = time.perf_counter()
with bulk_allocation():
    files = site.generate(site.prepare(repo))
t3 = time.perf_counter()
with tempfile.TemporaryDirectory() as out:
    site.write_changed(Path(out), files, "gallery")
t4 = time.perf_counter()
print(json.dumps({"imports": t1 - t0, "load and validate": t2 - t1, "render pages": t3 - t2,
                  "of which untrusted Markdown": markdown[0], "write": t4 - t3}))
"""


def generation_phases(tree: Path) -> dict[str, float]:
    """Where a fresh process running the generator spends its time (no MkDocs)."""
    result = subprocess.run(
        [sys.executable, "-c", PHASES_SCRIPT], cwd=tree, env=ENV, capture_output=True, text=True, check=True
    )
    return json.loads(result.stdout)


def plain_config(tree: Path) -> Path:
    """mkdocs.yml without the hook, with the nav the hook would have spliced written out (notebooks still
    rendered by mkdocs-jupyter, as in the full build, so both builds make the same pages)."""
    return hookless_config(
        tree, load_repository(tree), tree / "mkdocs.plain.yml", site_dir=tree / "site-plain", notebooks=False
    )


EXCLUDED_FROM_SEARCH = re.compile(r"^search:\n  exclude: true\n", re.MULTILINE)


def reference_config(tree: Path) -> Path:
    """A plain build of the content as the site was built before #16: the same pages with every page's
    text in the search index (a copy of docs/ without the `search: exclude` front matter)."""
    docs = tree / "docs-reference"
    shutil.rmtree(docs, ignore_errors=True)
    shutil.copytree(tree / "docs", docs)
    for page in (docs / "gallery").rglob("*.md"):
        text = page.read_text(encoding="utf-8")
        if EXCLUDED_FROM_SEARCH.search(text):
            page.write_text(EXCLUDED_FROM_SEARCH.sub("", text, count=1), encoding="utf-8")
    config = hookless_config(
        tree, load_repository(tree), tree / "mkdocs.reference.yml", site_dir=tree / "site-reference", notebooks=False
    )
    text = config.read_text(encoding="utf-8").replace("\ndocs_dir: docs\n", "\ndocs_dir: docs-reference\n", 1)
    text = text.replace("base_path: [docs]", "base_path: [docs-reference]")
    config.write_text(text, encoding="utf-8")
    return config


PHASES_OF_MKDOCS = """
import json, sys, time
from collections import defaultdict
spent = defaultdict(float)
def timed(owner, name, label):
    real = getattr(owner, name)
    def wrapper(*args, **kwargs):
        start = time.perf_counter()
        try:
            return real(*args, **kwargs)
        finally:
            spent[label] += time.perf_counter() - start
    setattr(owner, name, wrapper)
t0 = time.perf_counter()
import jinja2, mkdocs.structure.pages as pages
from mkdocs.commands import build
from mkdocs.config import load_config
from material.plugins.search import plugin as search
timed(pages.Page, "render", "Markdown conversion")
timed(search.SearchIndex, "add_entry_from_context", "search index")
timed(jinja2.Template, "render", "theme templates")
config = load_config(sys.argv[1])
timed(config.plugins, "on_pre_build", "gallery generator (hook)")
config.plugins.on_startup(command="build", dirty=False)
build.build(config)
total = time.perf_counter() - t0
spent["other (imports, notebooks, files, nav, writing)"] = total - sum(spent.values())
print(json.dumps({"total": total, **spent}))
"""


def without_caches(tree: Path) -> None:
    """Every timed build starts as in a fresh clone: no `.cache/` (mkdocs-jupyter keeps its converted
    notebooks there, Zensical its own). Left to some builds only, it favoured whichever came after."""
    shutil.rmtree(tree / ".cache", ignore_errors=True)


def mkdocs_phases(tree: Path, config: str, site: Path) -> dict[str, float]:
    """Where one `mkdocs build` spends its time (wall clock, by timing its main steps)."""
    shutil.rmtree(site, ignore_errors=True)
    without_caches(tree)
    result = subprocess.run(
        [sys.executable, "-c", PHASES_OF_MKDOCS, config], cwd=tree, env=ENV, capture_output=True, text=True
    )
    if result.returncode:
        raise RuntimeError(f"mkdocs build failed:\n{result.stderr[-2000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def timed_zensical(tree: Path) -> float | None:
    """Wall time of `zensical build` of the generated pages (notebooks rendered by the generator)."""
    zensical = BIN / "zensical"
    if not zensical.exists():
        return None
    config = hookless_config(
        tree, load_repository(tree), tree / "mkdocs.zensical.yml", site_dir=tree / "site-zensical", notebooks=True
    )
    shutil.rmtree(tree / "site-zensical", ignore_errors=True)
    without_caches(tree)
    start = time.perf_counter()
    result = subprocess.run(
        [str(zensical), "build", "-f", config.name], cwd=tree, env=ENV, capture_output=True, text=True
    )
    seconds = time.perf_counter() - start
    if result.returncode:
        raise RuntimeError(f"zensical build failed:\n{(result.stdout + result.stderr)[-2000:]}")
    return seconds


def timed_build(tree: Path, config: str, site: Path) -> tuple[float, float]:
    """Wall time and peak RSS (MB) of one `mkdocs build`."""
    without_caches(tree)
    wrapper = (
        "import resource, subprocess, sys, time\n"
        "t = time.perf_counter()\n"
        f"r = subprocess.run([{str(BIN / 'mkdocs')!r}, 'build', '-q', '-f', {config!r}, '-d', {str(site)!r}])\n"
        "print(time.perf_counter() - t, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024)\n"
        "sys.exit(r.returncode)\n"
    )
    result = subprocess.run([sys.executable, "-c", wrapper], cwd=tree, env=ENV, capture_output=True, text=True)
    if result.returncode:
        raise RuntimeError(f"mkdocs build failed:\n{result.stdout}\n{result.stderr}")
    seconds, peak = result.stdout.split()
    return float(seconds), float(peak)


# -- mkdocs serve ----------------------------------------------------------------------------------


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fetch(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode("utf-8", "replace")
    except OSError:
        return None


def serve_edit_latency(tree: Path, *, dirty: bool, edits: int = 3) -> tuple[float, float]:
    """Median seconds from saving an edited transcript to the new text being served on its run page,
    and to it being served in the data download too (a page reading every run, re-rendered last)."""
    port = free_port()
    args = [str(BIN / "mkdocs"), "serve", "--dev-addr", f"127.0.0.1:{port}"]
    if dirty:
        args += ["--dirty", "--no-strict"]  # as `make serve` does: MkDocs warns about every dirty build
    log = tree / f"serve-{port}.log"
    server = subprocess.Popen(args, cwd=tree, env=ENV, stdout=log.open("w"), stderr=subprocess.STDOUT)
    try:
        run_dir = sorted((tree / "transcripts" / "hw11").iterdir())[0]
        url = f"http://127.0.0.1:{port}/gallery/hw11/runs/{run_dir.name}/"
        download = f"http://127.0.0.1:{port}/gallery/data/hw11.json"
        deadline = time.time() + 1200
        while fetch(url) is None:
            if time.time() > deadline or server.poll() is not None:
                raise RuntimeError("mkdocs serve did not come up:\n" + log.read_text(encoding="utf-8")[-2000:])
            time.sleep(0.2)
        time.sleep(1.0)
        target = next(run_dir.glob("q*.yaml"))
        original = target.read_text(encoding="utf-8")
        shown, everywhere = [], []
        for attempt in range(edits):
            token = f"benchmark edit {attempt} {time.time_ns()}"
            edited = re.sub(r"(reason: )(\"?)", rf"\1\2{token} ", original, count=1)
            start = time.perf_counter()
            target.write_text(edited, encoding="utf-8")
            while token not in (fetch(url) or ""):
                if time.perf_counter() - start > 600:
                    raise RuntimeError("edit never showed")
                time.sleep(0.02)
            shown.append(time.perf_counter() - start)
            while token not in (fetch(download) or ""):
                if time.perf_counter() - start > 1200:
                    raise RuntimeError("edit never reached the data download")
                time.sleep(0.05)
            everywhere.append(time.perf_counter() - start)
            time.sleep(1.5)  # let the watcher settle before the next edit
        target.write_text(original, encoding="utf-8")
        return statistics.median(shown), statistics.median(everywhere)
    finally:
        server.terminate()
        server.wait(timeout=60)


# -- pages and typesetting ---------------------------------------------------------------------------


def page_sizes(site: Path) -> list[tuple[str, int, int]]:
    sizes = []
    for page in site.rglob("*.html"):
        data = page.read_bytes()
        sizes.append((page.relative_to(site).as_posix(), len(data), len(gzip.compress(data, 6))))
    return sorted(sizes, key=lambda item: -item[2])


class _Server:
    def __init__(self, directory: Path) -> None:
        import functools
        import http.server

        class Quiet(http.server.SimpleHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                pass

        self.httpd = http.server.ThreadingHTTPServer(
            ("127.0.0.1", 0), functools.partial(Quiet, directory=str(directory))
        )
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/"

    def close(self) -> None:
        self.httpd.shutdown()


def server_side_render(html: str) -> str:
    """The page with every arithmatex formula rendered by KaTeX in node (trust off), gallery.js left in."""
    formulas = re.findall(r'<(span|div) class="arithmatex">(.*?)</\1>', html, flags=re.DOTALL)
    import html as html_lib

    sources = []
    for tag, body in formulas:
        tex = html_lib.unescape(body).strip()
        display = tag == "div" or tex.startswith("\\[")
        sources.append({"tex": tex[2:-2] if tex[:2] in ("\\(", "\\[") else tex, "display": display})
    script = (
        f"const katex = require({str(ROOT / 'docs/assets/vendor/katex/katex.min.js')!r});"
        "const input = JSON.parse(require('fs').readFileSync(0, 'utf8'));"
        "process.stdout.write(JSON.stringify(input.map(f => katex.renderToString(f.tex, "
        "{displayMode: f.display, throwOnError: false, trust: false, strict: 'ignore', output: 'htmlAndMathml'}))));"
    )
    rendered = json.loads(
        subprocess.run(
            ["node", "-e", script], input=json.dumps(sources), capture_output=True, text=True, check=True
        ).stdout
    )
    iterator = iter(rendered)
    return re.sub(
        r'<(span|div) class="arithmatex">(.*?)</\1>',
        lambda m: f'<{m.group(1)} class="arithmatex" data-typeset="">{next(iterator)}</{m.group(1)}>',
        html,
        flags=re.DOTALL,
    )


# Read after the page's math is done: gallery.js stamps these on <html>, in ms since navigation.
STAMPS_JS = """() => {
  const root = document.documentElement, stamp = name => Number(root.getAttribute(name));
  return {
    visible: stamp('data-math-visible'), all: stamp('data-math-typeset'), start: stamp('data-math-start'),
    katex: stamp('data-math-visible-katex'), formulas: document.querySelectorAll('.arithmatex').length,
    dom_ready: performance.getEntriesByType('navigation')[0].domContentLoadedEventEnd,
  };
}"""
READY_JS = "() => document.fonts.ready.then(() => performance.now())"
DOM_READY_JS = "() => performance.getEntriesByType('navigation')[0].domContentLoadedEventEnd"


def browser_timings(site: Path, page: str, repeats: int = 5) -> dict[str, float]:
    """Medians over fresh browser contexts of the page's typesetting timings, and of its server-rendered variant."""
    from playwright.sync_api import sync_playwright

    source = site / page
    ssr = source.with_name("ssr-variant.html")
    ssr_html = server_side_render(source.read_text(encoding="utf-8"))
    ssr.write_text(ssr_html, encoding="utf-8")
    server = _Server(site)
    samples: dict[str, list[float]] = defaultdict(list)
    formulas = 0

    def measure_page(browser: Any, path: str, probe: Callable[[Any], None]) -> None:
        context = browser.new_context(viewport={"width": 1400, "height": 1000})
        try:
            tab = context.new_page()
            tab.goto(server.url + path, wait_until="load")
            probe(tab)
        finally:
            context.close()

    def client_side(tab: Any) -> None:
        nonlocal formulas
        tab.wait_for_function("() => document.documentElement.hasAttribute('data-math-typeset')", timeout=60_000)
        stamps = tab.evaluate(STAMPS_JS)
        formulas = int(stamps["formulas"])
        samples["typeset_ms"].append(stamps["visible"])
        samples["typeset_all_ms"].append(stamps["all"])
        samples["typeset_work_ms"].append(stamps["visible"] - stamps["start"])
        samples["visible_katex_ms"].append(stamps["katex"])
        samples["dom_ready_ms"].append(stamps["dom_ready"])
        samples["client_ready_ms"].append(
            max(stamps["visible"], float(tab.evaluate(READY_JS)))
        )  # the screenful a reader sees

    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            for _ in range(repeats):
                measure_page(browser, page.removesuffix("index.html"), client_side)
                measure_page(
                    browser,
                    ssr.relative_to(site).as_posix(),
                    lambda tab: samples["ssr_ready_ms"].append(float(tab.evaluate(READY_JS))),
                )
                measure_page(
                    browser,
                    "about/",
                    lambda tab: samples["floor_dom_ready_ms"].append(float(tab.evaluate(DOM_READY_JS))),
                )
            browser.close()
    finally:
        server.close()
        ssr.unlink()
    medians = {name: statistics.median(values) for name, values in samples.items()}
    return {"formulas": formulas, "ssr_gzip_kb": len(gzip.compress(ssr_html.encode("utf-8"), 6)) / 1024, **medians}


# -- one scale ---------------------------------------------------------------------------------------


def measure(scale: int, repeat: int, serve: bool, browser: bool) -> Figures:
    figures = Figures(scale)
    with tempfile.TemporaryDirectory(prefix=f"gallery-bench-{scale}x-") as tmp:
        tree = Path(tmp)
        figures.runs = make_tree(scale, tree)
        start = time.perf_counter()
        generated = subprocess.run(
            [str(BIN / "gallery"), "build", "--force"], cwd=tree, env=ENV, capture_output=True, text=True
        )
        figures.generate_s = time.perf_counter() - start
        if generated.returncode:
            raise RuntimeError(f"synthetic data has problems:\n{generated.stdout[-2000:]}")
        figures.validate_s = statistics.median(_time(lambda: load_repository(tree)) for _ in range(3))
        figures.phases = generation_phases(tree)
        plain = plain_config(tree)
        reference = reference_config(tree)
        cold, warm, plain_times, peaks, zensical_times, reference_times = [], [], [], [], [], []
        for index in range(repeat):  # alternated, so drifts in machine load hit all five alike
            shutil.rmtree(tree / "docs" / "gallery")
            seconds, peak = timed_build(tree, "mkdocs.yml", tree / f"site-full-{index}")
            cold.append(seconds)
            peaks.append(peak)
            plain_times.append(timed_build(tree, plain.name, tree / f"site-plain-{index}")[0])
            reference_times.append(timed_build(tree, reference.name, tree / f"site-reference-{index}")[0])
            warm.append(timed_build(tree, "mkdocs.yml", tree / f"site-warm-{index}")[0])
            zensical = timed_zensical(tree)
            if zensical is not None:
                zensical_times.append(zensical)
        figures.build_s = statistics.median(cold)
        figures.warm_build_s = statistics.median(warm)
        figures.plain_build_s = statistics.median(plain_times)
        figures.reference_build_s = statistics.median(reference_times)
        if scale <= 10:  # timing wrappers cost little, but each is one more build
            shutil.rmtree(tree / "docs" / "gallery")
            figures.mkdocs_phases = {
                "full": mkdocs_phases(tree, "mkdocs.yml", tree / "site-phases"),
                "reference": mkdocs_phases(tree, reference.name, tree / "site-phases"),
            }
        figures.zensical_build_s = statistics.median(zensical_times) if zensical_times else None
        figures.overhead = figures.build_s / figures.plain_build_s - 1
        figures.warm_overhead = figures.warm_build_s / figures.plain_build_s - 1
        figures.build_peak_mb = max(peaks)
        site = tree / "site-full-0"
        sizes = page_sizes(site)
        figures.pages = len(sizes)
        figures.heaviest_page, raw, packed = sizes[0]
        figures.heaviest_raw_kb, figures.heaviest_gzip_kb = raw / 1024, packed / 1024
        gallery_pages = [s for s in sizes if s[0].startswith("gallery/")]
        figures.heaviest_gallery_page, raw, packed = gallery_pages[0]
        figures.heaviest_gallery_raw_kb, figures.heaviest_gallery_gzip_kb = raw / 1024, packed / 1024
        if browser and Path(CHROMIUM).exists():
            math_pages = [s for s in gallery_pages if 'class="arithmatex"' in (site / s[0]).read_text(encoding="utf-8")]
            figures.typeset_page = math_pages[0][0]
            timings = browser_timings(site, figures.typeset_page)
            figures.typeset_formulas = int(timings.pop("formulas"))
            for name, value in timings.items():
                setattr(figures, name, value)
        elif browser:
            figures.notes.append(f"{CHROMIUM} missing: no typesetting figures")
        if serve:
            figures.serve_edit_s, figures.serve_all_s = serve_edit_latency(tree, dirty=True)
            if scale <= 10:  # a full rebuild per edit at 100x takes minutes and says nothing new
                figures.serve_edit_full_s = serve_edit_latency(tree, dirty=False, edits=2)[0]
    return figures


def _time(function: object) -> float:
    start = time.perf_counter()
    function()  # type: ignore[operator]
    return time.perf_counter() - start


# -- report ----------------------------------------------------------------------------------------------


def _f(value: float | None, fmt: str) -> str:
    return "–" if value is None else format(value, fmt)


def _ms(value: float | None) -> str:
    return "–" if value is None else f"{value:.0f} ms"


def report(results: list[Figures]) -> str:
    machine = (
        f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, {time.strftime('%Y-%m-%d')}"
    )
    lines = [
        f"Machine: {machine}. Command: `make bench` (`python scripts/bench.py`).",
        "",
        "| figure | " + " | ".join(f"{r.scale}× ({r.runs} runs, {r.pages} pages)" for r in results) + " | target |",
        "|---|" + "---|" * len(results) + "---|",
    ]

    def row(name: str, values: list[str], target: str) -> None:
        lines.append(f"| {name} | " + " | ".join(values) + f" | {target} |")

    row("`gallery build --force` (load, validate, generate, write)", [f"{r.generate_s:.2f} s" for r in results], "")
    row("validate the data (in process)", [f"{r.validate_s:.3f} s" for r in results], "≤ 1 s on the real data")
    row(
        "… imports / load and validate / render pages (untrusted Markdown) / write",
        [
            " / ".join(f"{r.phases[k]:.2f}" for k in ("imports", "load and validate"))
            + f" / {r.phases['render pages']:.2f} ({r.phases['of which untrusted Markdown']:.2f}) / {r.phases['write']:.2f} s"
            if r.phases
            else "–"
            for r in results
        ],
        "",
    )
    row("`mkdocs build`, pages generated from scratch", [f"{r.build_s:.2f} s" for r in results], "linear in runs")
    row("`mkdocs build`, pages already up to date", [f"{r.warm_build_s:.2f} s" for r in results], "")
    row("plain `mkdocs build` of the same pages, no hook", [f"{r.plain_build_s:.2f} s" for r in results], "")
    row(
        "plain `mkdocs build` of the same content as before #16 (every page's text indexed)",
        [f"{r.reference_build_s:.2f} s" if r.reference_build_s else "–" for r in results],
        "",
    )
    row(
        "full build from scratch / that plain build",
        [f"{100 * r.build_s / r.reference_build_s:.0f}%" if r.reference_build_s else "–" for r in results],
        "≤ 60% at 100× (#16)",
    )
    row(
        "`zensical build` of the same pages (successor engine), and its ratio to plain MkDocs",
        [
            f"{r.zensical_build_s:.2f} s ({r.zensical_build_s / r.plain_build_s:.2f}×)" if r.zensical_build_s else "–"
            for r in results
        ],
        "",
    )
    row(
        "overhead over plain: from scratch / up to date",
        [f"{100 * r.overhead:+.1f}% / {100 * r.warm_overhead:+.1f}%" for r in results],
        "≤ 10% (#16)",
    )
    row("peak memory of the build", [f"{r.build_peak_mb:.0f} MB" for r in results], "≤ 600 MB at 100× (#16)")
    row(
        "edit shows in `mkdocs serve --dirty` (the edited run's page)",
        [_f(r.serve_edit_s, ".2f") + (" s" if r.serve_edit_s is not None else "") for r in results],
        "≤ 1 s at 1× and 10×, ≤ 2 s at 100× (#16)",
    )
    row(
        "… and on every page reading every run (analysis, models, downloads)",
        [_f(r.serve_all_s, ".2f") + (" s" if r.serve_all_s is not None else "") for r in results],
        "",
    )
    row(
        "edit shows in `mkdocs serve` (full rebuild)",
        [_f(r.serve_edit_full_s, ".2f") + (" s" if r.serve_edit_full_s is not None else "") for r in results],
        "",
    )
    row(
        "heaviest page, raw / gzip",
        [f"{r.heaviest_raw_kb:.0f} / {r.heaviest_gzip_kb:.0f} KB (`{r.heaviest_page}`)" for r in results],
        "≤ 60 KB gzip",
    )
    if any(r.heaviest_gallery_page != r.heaviest_page for r in results):
        row(
            "heaviest gallery page, raw / gzip",
            [
                f"{r.heaviest_gallery_raw_kb:.0f} / {r.heaviest_gallery_gzip_kb:.0f} KB (`{r.heaviest_gallery_page}`)"
                for r in results
            ],
            "≤ 60 KB gzip",
        )
    row(
        "heaviest math page: HTML parsed (DOMContentLoaded)",
        [
            (
                f"{r.dom_ready_ms:.0f} ms (`{r.typeset_page}`, {r.typeset_formulas} formulas)"
                if r.dom_ready_ms is not None
                else "–"
            )
            for r in results
        ],
        "",
    )
    row("small page with no math (`about/`): HTML parsed", [_ms(r.floor_dom_ready_ms) for r in results], "")
    row("time inside KaTeX for the math in view", [_ms(r.visible_katex_ms) for r in results], "≤ 100 ms")
    row(
        "math in view typeset, from the page's script starting (layout included)",
        [_ms(r.typeset_work_ms) for r in results],
        "",
    )
    row(
        "math in view typeset, from navigation",
        [(f"{r.typeset_ms:.0f} ms" if r.typeset_ms is not None else "–") for r in results],
        "",
    )
    row(
        "typeset every formula, hidden ones included",
        [(f"{r.typeset_all_ms:.0f} ms" if r.typeset_all_ms is not None else "–") for r in results],
        "",
    )
    row(
        "page ready (math and fonts): client vs server-rendered",
        [
            (f"{r.client_ready_ms:.0f} vs {r.ssr_ready_ms:.0f} ms" if r.ssr_ready_ms is not None else "–")
            for r in results
        ],
        "",
    )
    row(
        "same page gzip with server-rendered math",
        [(f"{r.ssr_gzip_kb:.0f} KB" if r.ssr_gzip_kb is not None else "–") for r in results],
        "",
    )
    for build_name, title in (
        ("reference", "where that plain build spends its time"),
        ("full", "where the full build spends its time"),
    ):
        row(
            title,
            [
                "; ".join(
                    f"{name} {100 * seconds / r.mkdocs_phases[build_name]['total']:.0f}%"
                    for name, seconds in r.mkdocs_phases[build_name].items()
                    if name != "total"
                )
                if build_name in r.mkdocs_phases
                else "–"
                for r in results
            ],
            "",
        )
    if len(results) > 1:
        base = results[0]
        for r in results[1:]:
            lines.append("")
            lines.append(
                f"Scaling {base.scale}× → {r.scale}×: runs ×{r.runs / base.runs:.0f}, build time ×{r.build_s / base.build_s:.1f}, "
                f"generation ×{r.generate_s / base.generate_s:.1f}, validation ×{r.validate_s / base.validate_s:.1f}."
            )
    for r in results:
        for note in r.notes:
            lines.append(f"- {r.scale}×: {note}")
    return "\n".join(lines)


def short_report(results: list[Figures]) -> str:
    """The README's table: one line per #16 target, every scale measured."""
    machine = f"{platform.machine()}, {os.cpu_count()} cores, {time.strftime('%Y-%m-%d')}"
    scales = " / ".join(f"{r.scale}×" for r in results)

    def each(values: list[str]) -> str:
        return " / ".join(values)

    last = results[-1]
    rows = [
        ("validation of the real data", f"{results[0].validate_s:.2f} s", "≤ 1 s"),
        (
            f"edit shows in `make serve` on its run page, {scales}",
            each([_f(r.serve_edit_s, ".2f") + " s" for r in results]),
            "≤ 1 s at 1× and 10×, ≤ 2 s at 100×",
        ),
        (
            f"… and on the pages reading every run, {scales}",
            each([_f(r.serve_all_s, ".1f") + " s" for r in results]),
            "",
        ),
        (
            f"build from scratch over plain MkDocs of the same pages, {scales}",
            each([f"{100 * r.overhead:+.0f}%" for r in results]),
            "≤ +10%",
        ),
        (
            f"build from scratch / plain MkDocs as before #16, at {last.scale}×",
            f"{100 * last.build_s / last.reference_build_s:.0f}%" if last.reference_build_s else "–",
            "≤ 60%",
        ),
        (f"peak memory of the build at {last.scale}×", f"{last.build_peak_mb:.0f} MB", "≤ 600 MB"),
        (
            "heaviest page, gzip / KaTeX time for the math in view",
            f"{results[0].heaviest_gzip_kb:.0f} KB / {_ms(results[0].visible_katex_ms)}",
            "≤ 60 KB / ≤ 100 ms",
        ),
    ]
    lines = [
        f"{scales} the real data ({each([str(r.runs) for r in results])} runs), {machine}:",
        "",
        "| figure | measured | target |",
        "|---|---|---|",
    ]
    lines += [f"| {name} | {value} | {target} |" for name, value, target in rows]
    return "\n".join(lines)


def write_docs(results: list[Figures]) -> None:
    for path, table in ((ROOT / "docs" / "figures.md", report(results)), (ROOT / "README.md", short_report(results))):
        text = path.read_text(encoding="utf-8")
        if "<!-- bench:start -->" not in text:
            print(f"{path}: no <!-- bench:start --> marker; not written", file=sys.stderr)
            continue
        start = text.index("<!-- bench:start -->\n") + len("<!-- bench:start -->\n")
        end = text.index("\n<!-- bench:end -->", start)
        new = text[:start] + table + text[end:]
        path.write_text(new, encoding="utf-8")


def write_section(path: Path, name: str, table: str) -> None:
    """Replace the text between <!-- name:start --> and <!-- name:end --> in a doc."""
    text = path.read_text(encoding="utf-8")
    start_marker, end_marker = f"<!-- {name}:start -->\n", f"<!-- {name}:end -->"
    if start_marker not in text:
        print(f"{path}: no {start_marker.strip()} marker; not written", file=sys.stderr)
        return
    start = text.index(start_marker) + len(start_marker)
    end = text.index(end_marker, start)
    path.write_text(text[:start] + table.rstrip("\n") + "\n" + text[end:], encoding="utf-8")


def extraction_report() -> str:
    """How the automatic check's reading of the real answers compares with the typed values."""
    from gallery.grading.agreement import agreement_table
    from gallery.grading.agreement import measure as measure_agreement
    from gallery.rules import load_repository

    return f"Measured on the real data, {date.today().isoformat()}.\n\n" + agreement_table(
        measure_agreement(load_repository(ROOT))
    )


def import_report() -> str:
    """How close an unassisted import of the two oldest write-ups comes to the curated runs."""
    from gallery.contribute.measure import import_table, measure_import

    runs = ("000-unknown-model", "004-kimi-k2-screenshots")
    return f"Measured on the real data, {date.today().isoformat()}.\n\n" + import_table(
        [measure_import(ROOT, "hw11", run) for run in runs]
    )


def load_json(path: Path) -> list[Figures]:
    return [Figures(**item) for item in json.loads(path.read_text(encoding="utf-8"))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scales", default="1,10,100", help="comma-separated multiples of the real runs")
    parser.add_argument("--repeat", type=int, default=3, help="full/plain build pairs per scale (alternated)")
    parser.add_argument("--no-browser", action="store_true")
    parser.add_argument("--write-docs", action="store_true", help="update the figures in docs/figures.md and README.md")
    parser.add_argument("--json", type=Path, help="also write the raw figures as JSON")
    parser.add_argument(
        "--from-json", type=Path, help="measure nothing: report (and --write-docs) figures saved by --json"
    )
    parser.add_argument(
        "--extraction-only",
        action="store_true",
        help="measure only the automatic check's reading and the import of the write-ups (seconds, not minutes)",
    )
    args = parser.parse_args()
    extraction = extraction_report()
    imported = import_report()
    print(extraction)
    print(imported)
    if args.write_docs:
        write_section(ROOT / "docs" / "figures.md", "extraction", extraction)
        write_section(ROOT / "docs" / "figures.md", "import", imported)
    if args.extraction_only:
        return
    if args.from_json:
        results = load_json(args.from_json)
        print(report(results))
        if args.write_docs:
            write_docs(results)
        return
    results = []
    for scale in (int(s) for s in args.scales.split(",")):
        print(f"measuring {scale}x ...", file=sys.stderr, flush=True)
        figures = measure(
            scale,
            args.repeat if scale < 100 else 1,  # one round of five builds at 100x takes a quarter of an hour
            serve=True,
            browser=not args.no_browser,
        )
        results.append(figures)
        print(json.dumps(asdict(figures)), file=sys.stderr, flush=True)
    table = report(results)
    print(table)
    if args.json:
        args.json.write_text(json.dumps([asdict(r) for r in results], indent=2), encoding="utf-8")
    if args.write_docs:
        write_docs(results)


if __name__ == "__main__":
    main()
