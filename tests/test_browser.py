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

# Count formulas and what is left untypeset; raw delimiters or LaTeX left in visible text: anywhere
# in the article or the navigation, outside code, KaTeX's output, and text the site shows as
# written on purpose (markup it will not follow, formulas using a command it does not trust).
# A "$" counts when it touches a letter, a backslash or a brace (so "$800" stays a price).
MATH_STATE_JS = r"""() => {
  const all = document.querySelectorAll('.arithmatex');
  const pending = document.querySelectorAll('.arithmatex:not([data-typeset])');
  const errors = document.querySelectorAll('.katex-error');
  const skip = 'code, pre, .katex, script, style, .literal-markup, .math-as-written, .md-search, .md-source';
  const roots = [document.querySelector('article') || document.body, ...document.querySelectorAll('.md-sidebar .md-nav')];
  const raw = /\\\(|\\\)|\\\[|\\\]|\$\$|\^\{|_\{|\$(?=[A-Za-z\\{])|(?<=[A-Za-z}])\$/;
  const leftovers = [];
  for (const root of roots) {
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      if (n.parentElement.closest(skip) || !n.parentElement.getClientRects().length) continue;  // not shown
      const m = n.nodeValue.match(raw);
      if (m) leftovers.push(n.nodeValue.slice(Math.max(0, m.index - 30), m.index + 30));
    }
  }
  return {total: all.length, pending: pending.length, errors: errors.length,
          errorText: Array.from(errors).slice(0, 3).map(e => e.title || e.textContent), leftovers: leftovers.slice(0, 5)};
}"""

# Every collapsible open and every tab's panel shown, so that nothing escapes the checks
REVEAL_ALL_JS = """() => {
  document.querySelectorAll('details').forEach(d => d.open = true);
  const style = document.createElement('style');
  style.textContent = '.tabbed-content > .tabbed-block { display: block !important; }';
  document.head.appendChild(style);
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
        wait_for_math(page)  # typesetting does not wait for visibility; revealing everything first only slows it
        page.evaluate(REVEAL_ALL_JS)
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


def test_no_page_is_wider_than_a_phone(built_site: BuiltSite, site_url: str, browser) -> None:  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport={"width": 390, "height": 844})
    tab = context.new_page()
    wide = []
    for path in site_page_paths(built_site.site_dir):
        tab.goto(urljoin(site_url, path), wait_until="load")
        width = tab.evaluate("() => document.documentElement.scrollWidth")
        if width > 390:
            wide.append((path, width))
    context.close()
    assert wide == [], f"pages wider than a 390 px phone: {wide}"


def test_a_chart_keeps_readable_labels_on_a_phone(site_url: str, browser) -> None:  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport={"width": 390, "height": 844})
    tab = context.new_page()
    tab.goto(urljoin(site_url, "gallery/hw11/analysis/scores/"), wait_until="load")
    heights = tab.eval_on_selector_all(".chart-label", "els => els.map(e => e.getBoundingClientRect().height)")
    context.close()
    assert heights and min(heights) >= 10, f"chart labels {min(heights):.1f} px tall at 390 px"


def _cell_box(tab, selector: str) -> dict:  # type: ignore[no-untyped-def]
    return tab.locator(selector).first.bounding_box()


def test_grid_header_row_and_part_column_stay_in_view(site_url: str, page) -> None:  # type: ignore[no-untyped-def]
    page.goto(site_url, wait_until="load")
    wrap = page.locator(".gallery-table-wrap.grid").first
    wrap.scroll_into_view_if_needed()
    before = _cell_box(page, ".grid thead th[data-run]")
    wrap.evaluate("el => { el.scrollTop = 1200; el.scrollLeft = 400; }")
    page.wait_for_timeout(100)
    header = _cell_box(page, ".grid thead th[data-run]")
    wrap_box = wrap.bounding_box()
    assert abs(header["y"] - wrap_box["y"]) < 2, "the header row scrolled away"
    assert before["y"] > wrap_box["y"]  # it started below the caption, and now holds at the top
    row_headers = page.eval_on_selector_all(
        ".grid tbody tr:not(.grid-question) th[scope=row]",
        "els => els.filter(e => { const r = e.getBoundingClientRect(); return r.bottom > 0 && r.top < innerHeight; })"
        ".map(e => e.getBoundingClientRect().left)",
    )
    assert row_headers and all(abs(left - wrap_box["x"]) < 2 for left in row_headers), "the part column scrolled away"
    assert page.locator(".grid tbody th[scope=row] .part-title").count() > 40  # row labels carry the part title


def test_grid_filters_sort_and_keep_their_state_in_the_url(site_url: str, page) -> None:  # type: ignore[no-untyped-def]
    page.goto(site_url, wait_until="load")
    form = page.locator("form.grid-filters").first
    total = page.locator(".grid tbody tr:not(.grid-question)").count()
    form.get_by_label("graders disagree").check()
    shown = page.locator(".grid tbody tr:not(.grid-question):not([hidden])")
    assert 0 < shown.count() < total
    for row in range(shown.count()):
        assert shown.nth(row).locator("td[data-disagree]:not([hidden])").count() >= 1
    assert "disagree=1" in page.url
    form.get_by_label("graders disagree").uncheck()
    form.get_by_label("Verdict").select_option("incorrect")
    form.get_by_label("Runs in").select_option("score")
    assert "verdict=incorrect" in page.url and "sort=score" in page.url
    scores = page.eval_on_selector_all(".grid thead th[data-run]", "els => els.map(e => +e.dataset.score)")
    assert scores == sorted(scores, reverse=True)
    first_run = page.eval_on_selector(".grid thead th[data-run]", "e => e.dataset.run")
    form.locator(f'input[value="{first_run}"]').uncheck()
    assert page.locator(f'.grid [data-run="{first_run}"]:not([hidden])').count() == 0
    shared = page.url
    page.goto(shared, wait_until="load")  # the state comes back from the URL
    assert page.locator("form.grid-filters").first.get_by_label("Verdict").input_value() == "incorrect"
    assert page.locator(f'.grid [data-run="{first_run}"]:not([hidden])').count() == 0
    for row in range(page.locator(".grid tbody tr:not(.grid-question):not([hidden])").count()):
        assert (
            page.locator(".grid tbody tr:not(.grid-question):not([hidden])")
            .nth(row)
            .locator('[data-verdict="incorrect"]')
            .count()
        )
    page.get_by_role("button", name="Show everything").first.click()
    assert page.locator(".grid tbody tr:not(.grid-question):not([hidden])").count() == total


def test_runs_differ_ignores_an_empty_reply_that_a_retry_answered(site_url: str, page) -> None:  # type: ignore[no-untyped-def]
    page.goto(site_url + "?differ=1", wait_until="load")
    shown = page.locator(".grid tbody tr:not(.grid-question):not([hidden])")
    assert shown.count() > 0
    for row in range(shown.count()):
        verdicts = shown.nth(row).evaluate(
            "r => [...r.querySelectorAll('td[data-verdict]')].map(c => c.dataset.real || c.dataset.verdict)"
            ".filter(v => v !== 'not-asked')"
        )
        assert len(set(verdicts)) >= 2


def test_without_javascript_the_whole_grid_shows(site_url: str, browser) -> None:  # type: ignore[no-untyped-def]
    context = browser.new_context(java_script_enabled=False, viewport={"width": 1400, "height": 1000})
    tab = context.new_page()
    tab.goto(site_url + "?verdict=incorrect", wait_until="load")
    rows = tab.locator(".grid tbody tr:not(.grid-question)")
    assert rows.count() > 40 and tab.locator(".grid tbody tr[hidden]").count() == 0
    assert tab.locator("form.grid-filters").count() == 0
    context.close()


def test_every_run_tab_is_visible_at_full_width(site_url: str, browser) -> None:  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport={"width": 1920, "height": 1000})
    tab = context.new_page()
    cut = []
    for question in ("q1", "q2", "q5", "q6"):
        tab.goto(urljoin(site_url, f"gallery/hw11/questions/{question}/"), wait_until="load")
        cut += tab.eval_on_selector_all(
            ".tabbed-labels",
            """sets => sets.flatMap(set => {
                 const box = set.getBoundingClientRect();
                 return [...set.querySelectorAll('label')].filter(l => {
                   const r = l.getBoundingClientRect();
                   return r.width === 0 || r.left < box.left - 1 || r.right > box.right + 1;
                 }).map(l => l.textContent);
               })""",
        )
    context.close()
    assert cut == [], f"run tabs cut off: {cut[:5]}"


def test_two_answers_side_by_side_beside_the_reference(site_url: str, page) -> None:  # type: ignore[no-untyped-def]
    page.set_viewport_size({"width": 1600, "height": 1000})
    page.goto(urljoin(site_url, "gallery/hw11/questions/q2/#2c-ii"), wait_until="load")
    part = page.locator(".part-compare").filter(has=page.locator(".compare-toggle")).nth(6)
    toggle = part.locator(".compare-toggle")
    toggle.click()
    assert toggle.get_attribute("aria-pressed") == "true"
    shown = part.locator(".tabbed-block[data-shown]")
    assert shown.count() == 2
    first, second = shown.nth(0).bounding_box(), shown.nth(1).bounding_box()
    reference = part.locator(".part-reference").bounding_box()
    assert first["x"] + first["width"] <= second["x"] + 1 and abs(first["y"] - second["y"]) < 2
    assert reference["x"] + reference["width"] <= first["x"] + 1  # the reference on the left
    labels = part.locator(".tabbed-labels > label")
    labels.nth(3).click()  # choosing another run brings it in beside the last one chosen
    shown_ids = part.evaluate(
        "p => [...p.querySelectorAll('.tabbed-block')].map((b, i) => b.hasAttribute('data-shown') ? i : -1).filter(i => i >= 0)"
    )
    assert 3 in shown_ids and len(shown_ids) == 2
    toggle.click()
    assert part.locator(".tabbed-block[data-shown]").count() == 0


def test_every_answer_has_a_visible_link_to_itself(site_url: str, page) -> None:  # type: ignore[no-untyped-def]
    page.goto(urljoin(site_url, "gallery/hw11/questions/q5/"), wait_until="load")
    answers = page.locator("details.answer")
    assert answers.count() > 10
    links = page.eval_on_selector_all(
        "details.answer",
        "els => els.map(d => [d.id, d.querySelector(':scope > .answer-tools a.copy-link')?.getAttribute('href')])",
    )
    assert all(href and href.endswith(f"#{anchor}") for anchor, href in links)  # instant navigation makes it absolute
    first = answers.first
    first.locator(":scope > summary").click()
    assert first.locator(":scope > .answer-tools a.copy-link").is_visible()
