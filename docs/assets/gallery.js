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

  function onPage() {
    var search = document.querySelector(".md-search[role=dialog]");
    if (search && !search.hasAttribute("aria-label")) search.setAttribute("aria-label", "Search");
    start(document.body);
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
  window.addEventListener("resize", function () { focusableOverflow(document.body); });
  document.addEventListener("toggle", function (event) { focusableOverflow(event.target); }, true);
})();
