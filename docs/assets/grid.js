/* LLM Homework Gallery: filters and sorting for the overview grid.

   The grid is a plain HTML table that shows everything without JavaScript. With it, a form
   above the grid filters its rows (by verdict, where the graders disagree, where the runs
   differ, by question), shows or hides runs, and sorts runs by score. The state lives in the
   URL's query (?verdict=incorrect&disagree=1&differ=1&q=5&hide=run-a,run-b&sort=score), so a
   filtered view can be shared; the form is made of native controls, so it works from the
   keyboard. Cells carry what the filters read: data-run, data-verdict, data-disagree, data-real (the retry's verdict after
   an empty first reply);
   header cells data-run and data-score; rows data-question. */
(function () {
  "use strict";

  var NOT_ASKED = "not-asked";
  var formCount = 0;

  function readState() {
    var params = new URLSearchParams(window.location.search);
    return {
      verdict: params.get("verdict") || "",
      disagree: params.get("disagree") === "1",
      differ: params.get("differ") === "1",
      question: params.get("q") || "",
      hide: (params.get("hide") || "").split(",").filter(Boolean),
      sort: params.get("sort") || ""
    };
  }

  function writeState(state) {
    var params = new URLSearchParams(window.location.search);
    function set(name, value) { if (value) params.set(name, value); else params.delete(name); }
    set("verdict", state.verdict);
    set("disagree", state.disagree ? "1" : "");
    set("differ", state.differ ? "1" : "");
    set("q", state.question);
    set("hide", state.hide.join(","));
    set("sort", state.sort);
    var query = params.toString();
    var url = window.location.pathname + (query ? "?" + query : "") + window.location.hash;
    window.history.replaceState(window.history.state, "", url);
  }

  function element(tag, attributes, text) {
    var el = document.createElement(tag);
    Object.keys(attributes || {}).forEach(function (name) { el.setAttribute(name, attributes[name]); });
    if (text) el.textContent = text;
    return el;
  }

  function option(select, value, text) {
    var opt = element("option", { value: value }, text);
    select.appendChild(opt);
    return opt;
  }

  function labelled(control, text) {
    var label = element("label");
    if (control.type === "checkbox") {
      label.appendChild(control);
      label.appendChild(document.createTextNode(" " + text));
    } else {
      label.appendChild(document.createTextNode(text + " "));
      label.appendChild(control);
    }
    return label;
  }

  function runCells(row) {
    return Array.prototype.slice.call(row.querySelectorAll(":scope > [data-run]"));
  }

  function apply(table, state, status) {
    var head = table.querySelector("thead tr");
    var runs = runCells(head).map(function (th) {
      return { id: th.getAttribute("data-run"), score: parseFloat(th.getAttribute("data-score") || "0") };
    });
    var order = runs.slice();
    if (state.sort === "score") order.sort(function (a, b) { return b.score - a.score; });
    var rank = {};
    order.forEach(function (run, i) { rank[run.id] = i; });
    var hidden = {};
    state.hide.forEach(function (id) { hidden[id] = true; });

    table.querySelectorAll("tr").forEach(function (row) {
      var cells = runCells(row);
      if (!cells.length) return;
      cells.sort(function (a, b) { return rank[a.getAttribute("data-run")] - rank[b.getAttribute("data-run")]; });
      cells.forEach(function (cell) {
        row.appendChild(cell);
        cell.hidden = !!hidden[cell.getAttribute("data-run")];
      });
    });

    var shownParts = 0;
    var totalParts = 0;
    var questionShown = {};
    table.querySelectorAll("tbody tr:not(.grid-question)").forEach(function (row) {
      totalParts += 1;
      var visible = runCells(row).filter(function (cell) { return !cell.hidden; });
      var verdicts = visible.map(function (cell) { return cell.getAttribute("data-verdict"); }).filter(Boolean);
      // an empty reply that a retry answered counts with the retry's verdict (data-real)
      var answered = visible.map(function (cell) {
        return cell.getAttribute("data-real") || cell.getAttribute("data-verdict");
      }).filter(function (v) { return v && v !== NOT_ASKED; });
      var show = true;
      if (state.question && row.getAttribute("data-question") !== state.question) show = false;
      if (state.verdict && verdicts.indexOf(state.verdict) < 0) show = false;
      if (state.disagree && !visible.some(function (cell) { return cell.hasAttribute("data-disagree"); })) show = false;
      if (state.differ && new Set(answered).size < 2) show = false;
      row.hidden = !show;
      if (show) {
        shownParts += 1;
        questionShown[row.getAttribute("data-question")] = true;
      }
    });
    table.querySelectorAll("tbody tr.grid-question").forEach(function (row) {
      row.hidden = !questionShown[row.getAttribute("data-question")];
    });
    var shownRuns = runs.length - runs.filter(function (run) { return hidden[run.id]; }).length;
    status.textContent = "Showing " + shownParts + " of " + totalParts + " parts and " + shownRuns + " of " + runs.length + " runs.";
  }

  function buildForm(wrap) {
    var table = wrap.querySelector("table");
    if (!table || wrap.previousElementSibling && wrap.previousElementSibling.classList.contains("grid-filters")) return;
    formCount += 1;
    var state = readState();
    var form = element("form", { "class": "grid-filters", "aria-label": "Filter and sort the grid" });
    form.addEventListener("submit", function (event) { event.preventDefault(); });

    var verdict = element("select", { name: "verdict" });
    option(verdict, "", "any");
    var seen = {};
    table.querySelectorAll("[data-verdict]").forEach(function (cell) {
      var v = cell.getAttribute("data-verdict");
      if (!seen[v]) { seen[v] = true; option(verdict, v, v.replace("-", " ")); }
    });
    verdict.value = seen[state.verdict] ? state.verdict : "";
    form.appendChild(labelled(verdict, "Verdict"));

    var question = element("select", { name: "q" });
    option(question, "", "all");
    table.querySelectorAll("tbody tr.grid-question").forEach(function (row) {
      var n = row.getAttribute("data-question");
      option(question, n, "Q" + n);
    });
    question.value = state.question;
    form.appendChild(labelled(question, "Question"));

    var disagree = element("input", { type: "checkbox", name: "disagree" });
    disagree.checked = state.disagree;
    form.appendChild(labelled(disagree, "graders disagree"));
    var differ = element("input", { type: "checkbox", name: "differ" });
    differ.checked = state.differ;
    form.appendChild(labelled(differ, "runs differ"));

    var sort = element("select", { name: "sort" });
    option(sort, "", "homework order");
    option(sort, "score", "score, best first");
    sort.value = state.sort === "score" ? "score" : "";
    form.appendChild(labelled(sort, "Runs in"));

    var runs = element("fieldset");
    runs.appendChild(element("legend", {}, "Runs shown"));
    var runBoxes = [];
    runCells(table.querySelector("thead tr")).forEach(function (th) {
      var id = th.getAttribute("data-run");
      var box = element("input", { type: "checkbox", name: "run", value: id });
      box.checked = state.hide.indexOf(id) < 0;
      runBoxes.push(box);
      var name = th.querySelector("a") ? th.querySelector("a").textContent : id;
      runs.appendChild(labelled(box, name));
    });
    form.appendChild(runs);

    var reset = element("button", { type: "button" }, "Show everything");
    form.appendChild(reset);
    var status = element("p", { "class": "grid-filter-status", role: "status", "aria-live": "polite", id: "grid-filter-status-" + formCount });
    form.appendChild(status);

    function update() {
      var next = {
        verdict: verdict.value,
        disagree: disagree.checked,
        differ: differ.checked,
        question: question.value,
        hide: runBoxes.filter(function (box) { return !box.checked; }).map(function (box) { return box.value; }),
        sort: sort.value
      };
      apply(table, next, status);
      writeState(next);
    }
    form.addEventListener("change", update);
    reset.addEventListener("click", function () {
      verdict.value = "";
      question.value = "";
      disagree.checked = false;
      differ.checked = false;
      sort.value = "";
      runBoxes.forEach(function (box) { box.checked = true; });
      update();
    });
    wrap.parentElement.insertBefore(form, wrap);
    apply(table, state, status);
  }

  function onPage() {
    document.querySelectorAll(".gallery-table-wrap.grid").forEach(buildForm);
  }

  if (typeof document$ !== "undefined") document$.subscribe(onPage);
  else if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", onPage);
  else onPage();
})();
