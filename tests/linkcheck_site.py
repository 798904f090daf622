"""Offline check of every internal link and #anchor in a built static site, with LinkChecker (pip `linkchecker`).

    python tests/linkcheck_site.py SITE_DIR [--json]

Serves SITE_DIR on 127.0.0.1 (a free port) and runs LinkChecker's own checker over it, starting from every *.html
file (so a page nothing links to is checked too) and following every internal link, with LinkChecker's AnchorCheck
plugin on: each internal URL (pages, CSS, scripts, fonts, images, CSS url()s) must answer 200 with no warning, and
each #fragment must name an id (or <a name>) present in the target page. External links are never fetched (no
network here): LinkChecker only checks their syntax ("outside of the domain filter"), and this script lists them
as skipped, not as checked. Prints a summary (or JSON with --json); exits 1 if anything is broken.

Why over HTTP rather than file:// : LinkChecker's file checker cannot check an anchor on a directory URL ("When
checking local files AnchorCheck does not support anchors for directories"), and MkDocs links are directory URLs
(`../runs/x/#1a`). Why LinkChecker rather than linkinator: linkinator (7.6.1, the newest that runs on Node 20)
checks a fragment only if it was queued before its target page was fetched, so `#missing` on a page crawled earlier
passes unseen (tests/test_output_checks.py shows LinkChecker catching exactly that case).

Two speed-ups, neither of which changes what is checked:
- the server sends a `LinkChecker` response header, LinkChecker's switch for a server that accepts more than its
  default throttle of about 10 requests per second to one host;
- with AnchorCheck on, LinkChecker downloads and re-parses a page once per distinct #fragment pointing into it
  (hundreds of times for one question page) and its link extraction costs O(elements x text). A served page never
  changes during a run, so the parse (`make_soup`) and the extraction (`find_links`) are memoized per page content,
  and a page's links are queued once, not again each time the page is reached through another #fragment (LinkChecker
  would only find them all in its cache). Every link and every anchor is still checked by LinkChecker's own code:
  on the gallery (41 pages) this checks the same 795 URLs with the same results as the plain `linkchecker` command
  given the same start URLs, in 11 s instead of 3 minutes.
"""

from __future__ import annotations

import argparse
import functools
import http.server
import json
import os
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path
from typing import Any

import linkcheck  # noqa: F401 - installs LinkChecker's i18n `_` before its submodules are used
from linkcheck import configuration, director
from linkcheck.cmdline import aggregate_url
from linkcheck.htmlutil import htmlsoup, linkparse
from linkcheck.logger import _Logger

MAX_REQUESTS_PER_SECOND = 1000


class _Handler(http.server.SimpleHTTPRequestHandler):
    def end_headers(self) -> None:
        self.send_header("LinkChecker", "local test server")  # lifts LinkChecker's per-host throttle
        super().end_headers()

    def log_message(self, format: str, *args: object) -> None:
        pass


class _Server(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        # LinkChecker hangs up once it has what it needs from a large file (a font): not an error
        if not isinstance(sys.exc_info()[1], (BrokenPipeError, ConnectionResetError)):
            super().handle_error(request, client_address)


# -- memoization of page parsing (see the module docstring) -------------------------------------------------------

_lock = threading.Lock()
_soups: dict[tuple[Any, Any], Any] = {}
_found: dict[tuple[int, int], list[tuple[str, dict[str, Any]]]] = {}
# every link as written in each page: (page url without fragment, href, line, column, name, base)
_occurrences: list[tuple[str, str, Any, Any, str, str]] = []
_seen_pages: set[str] = set()
_original_make_soup = htmlsoup.make_soup
_original_find_links = linkparse.find_links


def _make_soup(markup: Any, from_encoding: Any = None) -> Any:
    key = (markup, from_encoding)
    with _lock:
        if key not in _soups:
            _soups[key] = _original_make_soup(markup, from_encoding)
        return _soups[key]


def _find_links(soup: Any, callback: Any, tags: Any) -> None:
    key = (id(soup), id(tags))  # soups are kept alive in _soups, so ids are never reused
    with _lock:
        if key not in _found:
            found: list[tuple[str, dict[str, Any]]] = []
            _original_find_links(soup, lambda url, **kw: found.append((url, kw)), tags)
            _found[key] = found
        found = _found[key]
        parent = getattr(getattr(callback, "__self__", None), "url", None)
        if tags is linkparse.LinkTags and parent:  # parse_html: queue the links of a page for checking
            page = urllib.parse.urldefrag(parent).url
            if page in _seen_pages:
                return  # the same page reached again through another #fragment: its links are queued already
            _seen_pages.add(page)
            _occurrences.extend(
                (page, url or "", kw.get("line"), kw.get("column"), kw.get("name") or "", kw.get("base") or "")
                for url, kw in found
            )
    for url, kw in found:
        callback(url, **kw)


htmlsoup.make_soup = _make_soup
linkparse.find_links = _find_links


class _Collector(_Logger):
    LoggerName = "collector"

    def __init__(self, **args: Any) -> None:
        super().__init__(**args)
        self.results: list[Any] = []

    def start_output(self) -> None:
        super().start_output()

    def log_url(self, url_data: Any) -> None:
        self.results.append(url_data)

    def end_output(self, **kwargs: Any) -> None:
        pass


def start_urls(site_dir: Path, base: str) -> list[str]:
    urls = []
    for html in sorted(site_dir.rglob("*.html")):
        rel = html.relative_to(site_dir).as_posix()
        if rel == "index.html":
            rel = ""
        elif rel.endswith("/index.html"):
            rel = rel[: -len("index.html")]
        urls.append(base + urllib.parse.quote(rel))
    return urls


def check_site(site_dir: Path) -> dict[str, Any]:
    """Check the site; return {'checked', 'anchors_checked', 'problems', 'skipped', 'data_urls', 'seconds'}.

    Pages are given as site paths ("/gallery/hw11/"); each problem lists every place that links to it."""
    site_dir = site_dir.resolve()
    server = _Server(("127.0.0.1", 0), functools.partial(_Handler, directory=str(site_dir)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    started = time.monotonic()
    try:
        saved = os.environ.get("XDG_DATA_HOME")
        with tempfile.TemporaryDirectory() as data_home:  # no user plugins, nothing written under $HOME
            os.environ["XDG_DATA_HOME"] = data_home
            config = configuration.Configuration()
        if saved is None:
            del os.environ["XDG_DATA_HOME"]
        else:
            os.environ["XDG_DATA_HOME"] = saved
        config["enabledplugins"] = ["AnchorCheck"]
        config["maxrequestspersecond"] = MAX_REQUESTS_PER_SECOND
        config["checkextern"] = False
        config["verbose"] = True  # log every URL, so external ones can be listed as skipped
        config["status"] = False
        config["threads"] = 4
        config["timeout"] = 30
        collector = _Collector()
        config["logger"] = collector
        config.sanitize()
        aggregate = director.get_aggregate(config)
        for url in start_urls(site_dir, base):
            aggregate_url(aggregate, url)
        director.check_urls(aggregate)
        if aggregate.logger.loggers[0].stats.internal_errors:
            raise RuntimeError("LinkChecker hit an internal error")
    finally:
        server.shutdown()
        server.server_close()

    def page(url: str) -> str:
        return "/" + url[len(base) :] if url.startswith(base) else url

    links: dict[str, list[dict[str, Any]]] = {}  # every link found, by the URL it resolves to
    for p, href, line, column, name, b in _occurrences:
        links.setdefault(urllib.parse.unquote(urllib.parse.urljoin(b or p, href)), []).append(
            {"page": page(p), "line": line, "column": column, "text": name, "href": href}
        )

    def linked_from(url: str) -> list[dict[str, Any]]:
        return links.get(urllib.parse.unquote(url), [])

    problems, skipped, checked, anchors, data_urls = [], [], 0, 0, 0
    for r in collector.results:
        if r.url.startswith("data:"):
            data_urls += 1
            continue
        if r.extern:
            pages = sorted({w["page"] for w in linked_from(r.url)} or {page(r.parent_url)})
            skipped.append({"url": r.url, "pages": pages})
            continue
        checked += 1
        anchors += bool(urllib.parse.urldefrag(r.url).fragment)
        warnings = [message for _tag, message in r.warnings]
        if r.valid and not warnings:
            continue
        target, fragment = urllib.parse.urldefrag(r.url)
        where = linked_from(r.url) or [
            {"page": page(r.parent_url), "line": r.line, "column": r.column, "text": r.name, "href": r.base_url}
        ]
        problems.append(
            {
                "url": page(r.url),
                "target": page(target),
                "fragment": fragment,
                "result": r.result,
                "valid": bool(r.valid),
                "warnings": warnings,
                "linked_from": where,
            }
        )
    problems.sort(key=lambda p: p["url"])
    skipped.sort(key=lambda s: s["url"])
    return {
        "checked": checked,
        "anchors_checked": anchors,
        "problems": problems,
        "skipped": skipped,
        "data_urls": data_urls,
        "seconds": round(time.monotonic() - started, 1),
    }


def format_report(report: dict[str, Any]) -> str:
    lines = [
        f"LinkChecker: {report['checked']} internal URLs checked ({report['anchors_checked']} with a #fragment) "
        f"in {report['seconds']} s, "
        f"{len(report['problems'])} broken; {len(report['skipped'])} external links skipped (not checked, no network); "
        f"{report['data_urls']} inline data: URLs."
    ]
    for p in report["problems"]:
        lines.append(f"BROKEN {p['url']}: {p['result']}" + "".join(f"; {w}" for w in p["warnings"]))
        for w in p["linked_from"]:
            lines.append(
                f"    linked from {w['page']} line {w['line']} col {w['column']}: "
                f"href={w['href']!r} text={w['text'][:60]!r}"
            )
    for s in report["skipped"]:
        more = f" and {len(s['pages']) - 3} more" if len(s["pages"]) > 3 else ""
        lines.append(f"skipped (external, not checked): {s['url']}  on {', '.join(s['pages'][:3])}{more}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("site_dir", type=Path)
    parser.add_argument("--json", action="store_true", help="print the report as JSON")
    args = parser.parse_args(argv)
    if not (args.site_dir / "index.html").is_file() and not any(args.site_dir.rglob("*.html")):
        parser.error(f"{args.site_dir} holds no HTML")
    report = check_site(args.site_dir)
    print(json.dumps({**report, "text": format_report(report)}, indent=1) if args.json else format_report(report))
    return 1 if report["problems"] else 0


if __name__ == "__main__":
    sys.exit(main())
