"""The built site in headless Chromium (Debian's /usr/bin/chromium driven by Playwright).

Every page loads with no console error and no failed request; every formula is typeset,
including inside closed collapsibles, inactive tabs and after instant navigation; a grid
cell lands on its answer; search finds text from a model answer. Screenshots of the home
page and a question page are saved under test-results/screenshots/.
"""

from __future__ import annotations

import re
from urllib.parse import urljoin

import pytest

from conftest import REPO_ROOT, BuiltSite, site_page_paths
from gallery.rules import load_repository
from gallery.site.pages.common import answer_anchor

pytestmark = [pytest.mark.browser, pytest.mark.slow]

SCREENSHOTS = REPO_ROOT / "test-results" / "screenshots"
TYPESET_TIMEOUT_MS = 15_000

# Count formulas and what is left untypeset; raw delimiters left in visible text outside code
MATH_STATE_JS = r"""() => {
  const all = document.querySelectorAll('.arithmatex');
  const pending = document.querySelectorAll('.arithmatex:not([data-typeset])');
  const errors = document.querySelectorAll('.katex-error');
  // Only text rendered from Markdown is math-aware; plain-text fields may mention "$...$" literally
  const markdown = '.answer-text, .annotation-note, .statement, .part-prompt, details.reference, .strategy-note, .followup-prompt, .jp-RenderedMarkdown';
  const walker = document.createTreeWalker(document.querySelector('article') || document.body, NodeFilter.SHOW_TEXT);
  const leftovers = [];
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    if (!n.parentElement.closest(markdown)) continue;
    if (n.parentElement.closest('code, pre, .katex, script, style')) continue;
    const m = n.nodeValue.match(/\\\(|\\\)|\\\[|\\\]|\$\$/);
    if (m) leftovers.push(n.nodeValue.slice(Math.max(0, m.index - 30), m.index + 30));
  }
  return {total: all.length, pending: pending.length, errors: errors.length,
          errorText: Array.from(errors).slice(0, 3).map(e => e.title || e.textContent), leftovers: leftovers.slice(0, 5)};
}"""


@pytest.fixture
def page(browser):  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    tab = context.new_page()
    tab.problems = []  # type: ignore[attr-defined]
    tab.on(
        "console",
        lambda m: tab.problems.append(f"console {m.type}: {m.text}") if m.type in ("error", "warning") else None,
    )
    tab.on("pageerror", lambda e: tab.problems.append(f"page error: {e}"))
    tab.on("requestfailed", lambda r: tab.problems.append(f"failed request: {r.url} ({r.failure})"))
    tab.on("response", lambda r: tab.problems.append(f"HTTP {r.status}: {r.url}") if r.status >= 400 else None)
    yield tab
    context.close()


def wait_for_math(tab) -> dict:  # type: ignore[no-untyped-def]
    tab.wait_for_function(
        "() => document.querySelectorAll('.arithmatex:not([data-typeset])').length === 0", timeout=TYPESET_TIMEOUT_MS
    )
    return tab.evaluate(MATH_STATE_JS)


def test_every_page_loads_cleanly_with_all_math_typeset(built_site: BuiltSite, site_url: str, page) -> None:  # type: ignore[no-untyped-def]
    paths = site_page_paths(built_site.site_dir)
    assert len(paths) > 10
    failures = []
    for path in paths:
        page.problems.clear()
        page.goto(urljoin(site_url, path), wait_until="load")
        page.evaluate("() => document.querySelectorAll('details').forEach(d => d.open = true)")
        state = wait_for_math(page)
        page.wait_for_load_state(
            "networkidle"
        )  # leaving earlier would cancel requests still in flight (the search worker)
        if page.problems or state["errors"] or state["leftovers"]:
            failures.append((path, list(page.problems), state))
        if not page.locator(".md-sidebar--primary .md-nav").first.is_visible():
            failures.append((path, ["no site navigation at 1400 px"], {}))
    assert failures == [], "\n".join(repr(f) for f in failures)


def test_math_in_a_closed_answer_is_typeset_when_opened(site_url: str, page) -> None:  # type: ignore[no-untyped-def]
    page.goto(urljoin(site_url, "gallery/hw11/questions/q1/"), wait_until="load")
    wait_for_math(page)
    closed_id = (
        page.locator("details.answer:not([open])").filter(has=page.locator(".arithmatex")).first.get_attribute("id")
    )
    closed = page.locator(f'[id="{closed_id}"]')  # by id: ":not([open])" would match another one once it opens
    math = closed.locator(".arithmatex").first
    assert not math.is_visible()
    closed.locator(":scope > summary").click()
    math.locator(".katex").wait_for(state="visible")
    assert math.is_visible()
    assert math.locator(".katex").count() == 1
    box = math.bounding_box()
    assert box is not None and box["width"] > 0 and box["height"] > 0


def test_math_in_an_inactive_tab_is_typeset(site_url: str, page) -> None:  # type: ignore[no-untyped-def]
    page.goto(urljoin(site_url, "gallery/hw11/questions/q2/"), wait_until="load")
    wait_for_math(page)
    blocks = page.locator(".tabbed-set").first.locator(".tabbed-block")
    assert blocks.count() >= 2
    second = blocks.nth(1)
    assert not second.is_visible()
    assert second.locator(".arithmatex .katex").count() == second.locator(".arithmatex").count()


def test_math_is_typeset_after_instant_navigation(site_url: str, page) -> None:  # type: ignore[no-untyped-def]
    page.goto(site_url, wait_until="load")
    wait_for_math(page)
    page.evaluate("() => { window.__sameDocument = true; }")
    page.locator(".grid thead a").first.click()  # a run page, loaded by instant navigation
    page.wait_for_url(re.compile(r".*/runs/.*"))
    page.locator(".run-summary").wait_for()  # the run page's content has been swapped in
    state = wait_for_math(page)
    assert page.evaluate("() => window.__sameDocument === true"), "navigation reloaded the page instead of swapping it"
    assert state["total"] > 0 and state["errors"] == 0 and state["pending"] == 0


def test_grid_cell_lands_on_its_answer(site_url: str, page) -> None:  # type: ignore[no-untyped-def]
    repo = load_repository(REPO_ROOT)
    runs = [run for run in repo.runs_for("hw11") if run.meta]
    target_run = runs[-1]  # the last column: its answers sit in a tab that is not the first
    number = min(target_run.questions)
    entry = next(e for e in target_run.questions[number].entries if e.review.verdict != "not-asked")
    anchor = answer_anchor(entry.part, target_run.id)
    page.goto(site_url, wait_until="load")
    cell = page.locator(f'.grid a[href$="#{anchor}"]')
    assert cell.count() == 1
    cell.click()
    page.wait_for_url(re.compile(f".*#{re.escape(anchor)}$"))
    answer = page.locator(f'[id="{anchor}"]')
    answer.wait_for(state="visible")
    assert answer.evaluate("el => el.open") is True
    assert answer.locator(":scope > summary").inner_text().startswith(target_run.label)
    assert answer.is_visible() and answer.bounding_box()["y"] < 1000  # type: ignore[index]


def test_search_finds_a_phrase_from_a_model_answer(site_url: str, page) -> None:  # type: ignore[no-untyped-def]
    repo = load_repository(REPO_ROOT)
    run = next(r for r in repo.runs_for("hw11") if r.meta)
    answer = next(e.answer for q in run.questions.values() for e in q.entries if e.answer and len(e.answer) > 200)
    words = [w for w in re.findall(r"[A-Za-z]{6,}", answer)]
    phrase = " ".join(words[:3])
    page.goto(site_url, wait_until="load")
    page.locator("label.md-search__icon, .md-search__input").first.click()
    page.locator("input.md-search__input").fill(phrase)
    results = page.locator(".md-search-result__item")
    results.first.wait_for(state="visible", timeout=15_000)
    hrefs = page.eval_on_selector_all(".md-search-result__item a", "els => els.map(e => e.getAttribute('href'))")
    assert any(f"runs/{run.id}/" in href or "questions/" in href for href in hrefs), (phrase, hrefs)


def test_screenshots_of_home_and_a_question_page(site_url: str, page) -> None:  # type: ignore[no-untyped-def]
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.goto(site_url, wait_until="load")
    wait_for_math(page)
    page.screenshot(path=str(SCREENSHOTS / "home.png"), full_page=True)
    page.goto(urljoin(site_url, "gallery/hw11/questions/q1/#1b"), wait_until="load")
    wait_for_math(page)
    page.screenshot(path=str(SCREENSHOTS / "question.png"))
    assert (SCREENSHOTS / "home.png").stat().st_size > 10_000
    assert (SCREENSHOTS / "question.png").stat().st_size > 10_000
