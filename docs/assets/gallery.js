/* LLM Homework Gallery: typeset math with the vendored KaTeX, and open the answer an
   anchor points at (inside a closed collapsible or an inactive tab).

   Math comes from pymdownx.arithmatex as <span|div class="arithmatex">\(...\)</span>;
   only those elements are typeset, so a dollar sign elsewhere is never taken for math.
   KaTeX runs with trust off, so \href, \url, \htmlData and \includegraphics produce no
   link, attribute or image. Subscribing to Material's document$ re-runs everything
   after instant navigation swaps the page. */
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

  function stripDelimiters(text) {
    var tex = text.trim();
    if (tex.indexOf("\\(") === 0 && tex.slice(-2) === "\\)") return { tex: tex.slice(2, -2), display: false };
    if (tex.indexOf("\\[") === 0 && tex.slice(-2) === "\\]") return { tex: tex.slice(2, -2), display: true };
    if (tex.indexOf("$$") === 0 && tex.slice(-2) === "$$") return { tex: tex.slice(2, -2), display: true };
    if (tex.indexOf("$") === 0 && tex.slice(-1) === "$") return { tex: tex.slice(1, -1), display: false };
    return { tex: tex, display: false };
  }

  function typeset(root) {
    if (typeof katex === "undefined") return;
    var nodes = root.querySelectorAll(".arithmatex:not([data-typeset])");
    for (var i = 0; i < nodes.length; i++) {
      var el = nodes[i];
      var math = stripDelimiters(el.textContent);
      var options = Object.assign({}, KATEX_OPTIONS, { displayMode: math.display || el.tagName === "DIV" });
      try {
        katex.render(math.tex, el, options);
      } catch (error) {
        el.textContent = math.tex; /* never inject the source as HTML */
      }
      el.setAttribute("data-typeset", "");
    }
    document.documentElement.setAttribute("data-math-typeset", String(Date.now()));
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

  function onPage() {
    typeset(document.body);
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
})();
