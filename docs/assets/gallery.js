/* LLM Homework Gallery: typeset math with the vendored KaTeX, and open the answer an
   anchor points at (inside a closed collapsible or an inactive tab).

   Math comes from pymdownx.arithmatex as <span|div class="arithmatex">\(...\)</span>;
   only those elements are typeset, so a dollar sign elsewhere is never taken for math.
   KaTeX runs with trust off, so \href, \url, \htmlData and \includegraphics produce no
   link, attribute or image; a formula that uses one is shown as its source instead.

   Typesetting is lazy, because a question page can hold a thousand formulas, most of them
   in closed answers: formulas on screen (or about to be) are typeset first, as an
   IntersectionObserver reports them, which also covers formulas revealed by opening a
   collapsible or switching a tab; all others are typeset in idle time, in small chunks.
   <html data-math-visible> and <html data-math-typeset> record, in ms since navigation
   started, when the first screenful and when every formula was done, and
   <html data-math-visible-katex> the time spent in KaTeX for that first screenful (read by
   scripts/bench.py). Subscribing to Material's document$ re-runs everything after instant
   navigation swaps the page. */
(function () {
  "use strict";

  var KATEX_OPTIONS = {
    throwOnError: false,
    trust: false,
    strict: "ignore",
    maxExpand: 1000,
    maxSize: 20,
    output: "htmlAndMathml"
  };
  var IDLE_CHUNK_MS = 8;
  var observer = null;
  var pending = [];
  var katexMs = 0;

  function stripDelimiters(text) {
    var tex = text.trim();
    if (tex.indexOf("\\(") === 0 && tex.slice(-2) === "\\)") return { tex: tex.slice(2, -2), display: false };
    if (tex.indexOf("\\[") === 0 && tex.slice(-2) === "\\]") return { tex: tex.slice(2, -2), display: true };
    if (tex.indexOf("$$") === 0 && tex.slice(-2) === "$$") return { tex: tex.slice(2, -2), display: true };
    if (tex.indexOf("$") === 0 && tex.slice(-1) === "$") return { tex: tex.slice(1, -1), display: false };
    return { tex: tex, display: false };
  }

  /* Commands KaTeX only honours with trust on. With trust off it would draw them without
     their arguments, so a formula that uses one is left as its source text, as written. */
  var TRUST_GATED = /\\(?:href|url|includegraphics|htmlClass|htmlId|htmlStyle|htmlData)(?![A-Za-z])/;

  function typesetOne(el) {
    if (el.hasAttribute("data-typeset")) return;
    var math = stripDelimiters(el.textContent);
    if (TRUST_GATED.test(math.tex)) {
      el.textContent = math.tex; /* as text, never as HTML */
      el.classList.add("math-as-written");
      el.setAttribute("data-typeset", "");
      if (observer) observer.unobserve(el);
      return;
    }
    var options = Object.assign({}, KATEX_OPTIONS, { displayMode: math.display || el.tagName === "DIV" });
    var began = performance.now();
    try {
      katex.render(math.tex, el, options);
    } catch (error) {
      el.textContent = math.tex; /* never inject the source as HTML */
    }
    katexMs += performance.now() - began;
    el.setAttribute("data-typeset", "");
    if (observer) observer.unobserve(el);
  }

  function stamp(name) {
    document.documentElement.setAttribute(name, String(Math.round(performance.now())));
  }

  function finishIfDone() {
    if (!document.querySelector(".arithmatex:not([data-typeset])")) {
      focusableOverflow(document.body);
      stamp("data-math-typeset");
      document.documentElement.setAttribute("data-math-count", String(document.querySelectorAll(".arithmatex").length));
      return true;
    }
    return false;
  }

  function idle(callback) {
    if (window.requestIdleCallback) window.requestIdleCallback(callback, { timeout: 200 });
    else window.setTimeout(function () { callback({ timeRemaining: function () { return IDLE_CHUNK_MS; } }); }, 16);
  }

  function drain(deadline) {
    var until = performance.now() + Math.min(IDLE_CHUNK_MS, Math.max(2, deadline.timeRemaining()));
    while (pending.length && performance.now() < until) typesetOne(pending.shift());
    if (pending.length) idle(drain);
    else finishIfDone();
  }

  /* Notebook pages (mkdocs-jupyter) leave $...$ in their Markdown cells for MathJax; the
     site typesets them with KaTeX's auto-render instead, with the same options. */
  function typesetNotebooks(root) {
    if (typeof renderMathInElement === "undefined") return;
    root.querySelectorAll(".jp-RenderedMarkdown:not([data-typeset])").forEach(function (cell) {
      renderMathInElement(cell, Object.assign({}, KATEX_OPTIONS, {
        delimiters: [
          { left: "$$", right: "$$", display: true },
          { left: "$", right: "$", display: false },
          { left: "\\(", right: "\\)", display: false },
          { left: "\\[", right: "\\]", display: true }
        ]
      }));
      cell.setAttribute("data-typeset", "");
    });
  }

  function start(root) {
    if (typeof katex === "undefined") return;
    typesetNotebooks(root);
    var nodes = Array.prototype.slice.call(root.querySelectorAll(".arithmatex:not([data-typeset])"));
    document.documentElement.removeAttribute("data-math-visible");
    document.documentElement.removeAttribute("data-math-typeset");
    document.documentElement.removeAttribute("data-math-visible-katex");
    stamp("data-math-start");
    katexMs = 0;
    if (observer) observer.disconnect();
    if (!nodes.length) {
      stamp("data-math-visible");
      finishIfDone();
      return;
    }
    var first = true;
    observer = new IntersectionObserver(function (entries) {
      entries.forEach(function (entry) { if (entry.isIntersecting) typesetOne(entry.target); });
      if (first) {
        first = false;
        stamp("data-math-visible");
        document.documentElement.setAttribute("data-math-visible-katex", String(Math.round(katexMs)));
      }
      finishIfDone();
    }, { rootMargin: "50% 0px" });
    nodes.forEach(function (el) { observer.observe(el); });
    pending = nodes;
    idle(drain);
  }

  function reveal(hash) {
    if (!hash || hash.length < 2) return;
    var target = document.getElementById(decodeURIComponent(hash.slice(1)));
    if (!target) return;
    for (var node = target; node && node !== document.body; node = node.parentElement) {
      if (node.tagName === "DETAILS") node.open = true;
      if (node.classList && node.classList.contains("tabbed-block")) {
        var set = node.closest(".tabbed-set");
        var blocks = Array.prototype.filter.call(node.parentElement.children, function (c) {
          return c.classList.contains("tabbed-block");
        });
        var inputs = set ? set.querySelectorAll(":scope > input") : [];
        var index = blocks.indexOf(node);
        if (inputs[index]) inputs[index].checked = true;
      }
    }
    target.scrollIntoView();
  }

  /* A formula or a table wider than its column scrolls; keyboard users need to reach it to scroll it. */
  function focusableOverflow(root) {
    root.querySelectorAll(".arithmatex[data-typeset], .md-typeset__scrollwrap, .gallery-table-wrap").forEach(function (el) {
      if (el.scrollWidth > el.clientWidth + 1) el.setAttribute("tabindex", "0");
      else el.removeAttribute("tabindex");
    });
  }

  /* Titles with math reach the table of contents and search results as text ("\(W_{QK}\)"):
     typeset them there too, with the same options (trust off). */
  function typesetTextMath(root) {
    if (typeof renderMathInElement === "undefined" || !root) return;
    if ((root.textContent || "").indexOf("\\(") < 0) return;
    renderMathInElement(root, Object.assign({}, KATEX_OPTIONS, {
      output: "html",
      delimiters: [{ left: "\\(", right: "\\)", display: false }]
    }));
  }

  /* Each search result once: typesetting changes the list, which must not set off another pass. */
  var searchObserver = null;
  function typesetSearchResults(list) {
    list.querySelectorAll(".md-search-result__item:not([data-math-done])").forEach(function (item) {
      item.setAttribute("data-math-done", "");
      typesetTextMath(item);
    });
  }
  function watchSearchResults() {
    var list = document.querySelector(".md-search-result__list");
    if (!list || searchObserver || typeof MutationObserver === "undefined") return;
    searchObserver = new MutationObserver(function () { typesetSearchResults(list); });
    searchObserver.observe(list, { childList: true });
  }

  /* "Link to this answer" is a plain anchor link; with JavaScript it also copies the link. */
  function copyLink(event) {
    var control = event.target.closest && event.target.closest("a.copy-link");
    if (!control || !navigator.clipboard) return;
    var url = new URL(control.getAttribute("href"), window.location.href).href;
    navigator.clipboard.writeText(url).then(function () {
      control.setAttribute("data-copied", "");
      control.textContent = "Link copied";
      window.setTimeout(function () {
        control.removeAttribute("data-copied");
        control.textContent = "Link to this answer";
      }, 2000);
    }, function () { /* no clipboard permission: the link still works as an anchor */ });
  }

  /* Side by side: a part's answers are tabs, one run at a time; "Compare side by side" shows two
     runs' answers at once (beside the reference on wide screens). Choosing a tab, by mouse or
     keyboard, brings that run into view; the two most recently chosen are shown. */
  function compareControls(root) {
    root.querySelectorAll(".part-answers > .tabbed-set").forEach(function (set) {
      var blocks = set.querySelectorAll(":scope > .tabbed-content > .tabbed-block");
      if (blocks.length < 2 || set.previousElementSibling && set.previousElementSibling.classList.contains("compare-toggle")) return;
      var button = document.createElement("button");
      button.type = "button";
      button.className = "compare-toggle";
      button.setAttribute("aria-pressed", "false");
      button.textContent = "Compare two answers side by side";
      set.parentElement.insertBefore(button, set);
      var inputs = Array.prototype.slice.call(set.querySelectorAll(":scope > input"));
      var shown = [];
      function show() {
        blocks.forEach(function (block, i) {
          if (shown.indexOf(i) >= 0) block.setAttribute("data-shown", "");
          else block.removeAttribute("data-shown");
        });
        // the columns narrow the answers and the reference: wide formulas may now scroll
        focusableOverflow(set.closest(".part-compare") || set);
      }
      button.addEventListener("click", function () {
        var on = !set.hasAttribute("data-compare");
        button.setAttribute("aria-pressed", on ? "true" : "false");
        button.textContent = on ? "Show one answer at a time" : "Compare two answers side by side";
        var part = set.closest(".part-compare");
        if (on) {
          set.setAttribute("data-compare", "");
          if (part) part.classList.add("comparing");
          var current = inputs.findIndex(function (input) { return input.checked; });
          shown = [Math.max(0, current), current === 0 || current < 0 ? 1 : 0];
          show();
        } else {
          set.removeAttribute("data-compare");
          if (part) part.classList.remove("comparing");
          shown = [];
          show();
        }
      });
      inputs.forEach(function (input, i) {
        input.addEventListener("change", function () {
          if (!set.hasAttribute("data-compare") || shown.indexOf(i) >= 0) return;
          shown = [shown[shown.length - 1], i];
          show();
        });
      });
    });
  }

  // With navigation.indexes the theme labels a section's nav by its toggle, which holds only an icon:
  // two such sections are two unnamed navigation landmarks. Name each by its section title.
  function nameSectionNavs() {
    document.querySelectorAll(".md-nav[aria-labelledby]").forEach(function (nav) {
      var label = document.getElementById(nav.getAttribute("aria-labelledby"));
      var title = nav.querySelector(":scope > .md-nav__title");
      if (label && !label.textContent.trim() && title && title.textContent.trim()) {
        nav.removeAttribute("aria-labelledby");
        nav.setAttribute("aria-label", title.textContent.trim());
      }
    });
  }

  function onPage() {
    nameSectionNavs();
    var search = document.querySelector(".md-search[role=dialog]");
    if (search && !search.hasAttribute("aria-label")) search.setAttribute("aria-label", "Search");
    start(document.body);
    document.querySelectorAll(".md-sidebar .md-nav").forEach(typesetTextMath);
    watchSearchResults();
    compareControls(document.body);
    reveal(window.location.hash);
  }

  if (typeof document$ !== "undefined") {
    document$.subscribe(onPage);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", onPage);
  } else {
    onPage();
  }
  window.addEventListener("hashchange", function () { reveal(window.location.hash); });
  document.addEventListener("click", copyLink);
  window.addEventListener("resize", function () { focusableOverflow(document.body); });
  document.addEventListener("toggle", function (event) { focusableOverflow(event.target); }, true);
})();
