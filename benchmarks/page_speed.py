"""Page speed of the built site as a reader meets it: each page in Chromium over loopback.

For every page of both editions (English at the root, Chinese under ``zh/``) it measures

* the bytes moved on a **first visit** (empty cache: HTML, styles, scripts, fonts, images),
* the bytes moved on a **repeat visit** (the same page opened again in the same browser
  profile, so whatever the cache may keep is kept), and
* the time from the start of navigation until MathJax has typeset the page's formulas, on
  the first and on the repeat visit (the best of ``--repeats`` runs: other work on the machine
  only ever slows a run down).

Bytes are what the network delivered (Chromium's ``encodedDataLength``: headers and bodies),
so a response taken from the cache counts 0 and a revalidated one (304) only its headers.
The local server sends what a static host such as GitHub Pages sends: ``Last-Modified``,
answers ``If-Modified-Since`` with 304, and ``Cache-Control: max-age=600``; with
``--no-cache-control`` it sends no ``Cache-Control`` (Python's plain ``http.server``), and
the browser falls back on its heuristic freshness. Nothing is compressed, as over loopback
with ``http.server``: a host that gzips moves less.

Targets on the reference machine: every chapter typeset within 1.5 s of navigation, a first
visit under 3 MB and a repeat visit under 0.7 MB. Exits 1 when a chapter misses one.

    .venv/bin/python benchmarks/page_speed.py [--site _build/html] [--repeats 3] [PAGE ...]
"""

from __future__ import annotations

import argparse
import functools
import http.server
import shutil
import statistics
import sys
import threading
from dataclasses import dataclass
from pathlib import Path

from _bench import describe

ROOT = Path(__file__).resolve().parents[1]
TYPESET_BUDGET = 1.5  # seconds from navigation until the formulas are typeset
FIRST_VISIT_BUDGET = 3e6  # bytes
REPEAT_VISIT_BUDGET = 0.7e6  # bytes

# Runs before any script of the page: records, relative to the start of navigation, when
# MathJax's first typeset finishes (startup.promise exists as soon as MathJax is loaded and
# resolves after the typeset), and when the page has no MathJax at all.
TIMER = """
(() => {
  const poll = setInterval(() => {
    const startup = window.MathJax && window.MathJax.startup;
    if (startup && startup.promise) {
      clearInterval(poll);
      startup.promise.then(() => { window.__typesetAt = performance.now(); });
    }
  }, 1);
  window.addEventListener("load", () => setTimeout(() => {
    if (!window.MathJax || !window.MathJax.startup) { clearInterval(poll); }
  }, 0));
})();
"""


class _Handler(http.server.SimpleHTTPRequestHandler):
    cache_control: str | None = "max-age=600"

    def end_headers(self) -> None:
        if self.cache_control:
            self.send_header("Cache-Control", self.cache_control)
        super().end_headers()

    def log_message(self, *args) -> None:
        pass


@dataclass
class Visit:
    bytes: int
    requests: int
    typeset: float | None  # seconds, None on a page without MathJax
    load: float  # seconds until the load event


@dataclass
class PageSpeed:
    page: str
    first: Visit
    repeat: Visit


def _visit(context, url: str) -> Visit:
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    moved = {"bytes": 0, "requests": 0}

    def finished(event) -> None:
        moved["bytes"] += int(event["encodedDataLength"])
        moved["requests"] += 1 if event["encodedDataLength"] > 0 else 0

    cdp.on("Network.loadingFinished", finished)
    page.goto(url, wait_until="load")
    has_math = page.evaluate("() => Boolean(window.MathJax && window.MathJax.startup)")
    typeset = None
    if has_math:
        page.wait_for_function("() => window.__typesetAt !== undefined", timeout=60000)
        typeset = page.evaluate("window.__typesetAt") / 1000
    load = page.evaluate("performance.getEntriesByType('navigation')[0].loadEventEnd") / 1000
    page.wait_for_timeout(200)  # late requests (fonts MathJax asks for) are counted too
    page.close()
    return Visit(moved["bytes"], moved["requests"], typeset, load)


def measure(browser, site_url: str, page: str) -> PageSpeed:
    """One first visit and one repeat visit of ``page``, in a fresh browser profile."""
    context = browser.new_context()
    context.add_init_script(TIMER)
    try:
        first = _visit(context, site_url + page)
        repeat = _visit(context, site_url + page)
    finally:
        context.close()
    return PageSpeed(page, first, repeat)


def _best(runs: list[PageSpeed]) -> PageSpeed:
    def best_visit(visits: list[Visit]) -> Visit:
        typesets = [v.typeset for v in visits if v.typeset is not None]
        return Visit(
            bytes=int(statistics.median(v.bytes for v in visits)),
            requests=int(statistics.median(v.requests for v in visits)),
            typeset=min(typesets) if typesets else None,
            load=min(v.load for v in visits),
        )

    return PageSpeed(
        runs[0].page,
        best_visit([r.first for r in runs]),
        best_visit([r.repeat for r in runs]),
    )


def pages_of(site: Path) -> list[str]:
    pages = []
    for edition in ("", "zh/"):
        pages += [f"{edition}search.html", f"{edition}genindex.html"]
        pages += sorted(
            p.relative_to(site).as_posix() for p in (site / edition / "book").glob("*.html")
        )
    return pages


def _seconds(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("pages", nargs="*", help="pages relative to the site (default: all)")
    parser.add_argument("--site", type=Path, default=ROOT / "_build" / "html")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--no-cache-control", action="store_true")
    args = parser.parse_args()

    from playwright.sync_api import sync_playwright

    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        sys.exit("no chromium: apt-get install chromium")
    _Handler.cache_control = None if args.no_cache_control else _Handler.cache_control
    handler = functools.partial(_Handler, directory=str(args.site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    site_url = f"http://127.0.0.1:{server.server_address[1]}/"
    pages = args.pages or pages_of(args.site)

    print(describe())
    print(f"server: Cache-Control {_Handler.cache_control or 'none'}, no compression")
    header = (
        f"{'page':<44} {'first kB':>9} {'req':>4} {'typeset s':>9} "
        f"{'repeat kB':>9} {'req':>4} {'typeset s':>9}"
    )
    print(header)
    results = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        try:
            for page in pages:
                result = _best([measure(browser, site_url, page) for _ in range(args.repeats)])
                results.append(result)
                first, repeat = result.first, result.repeat
                print(
                    f"{page:<44} {first.bytes / 1e3:9.1f} {first.requests:4d} "
                    f"{_seconds(first.typeset):>9} {repeat.bytes / 1e3:9.1f} "
                    f"{repeat.requests:4d} {_seconds(repeat.typeset):>9}",
                    flush=True,
                )
        finally:
            browser.close()
            server.shutdown()

    chapters = [r for r in results if None not in (r.first.typeset, r.repeat.typeset)]
    ok = True
    if chapters:
        slowest = max(chapters, key=lambda r: max(r.first.typeset, r.repeat.typeset))
        heaviest = max(results, key=lambda r: r.first.bytes)
        heaviest_repeat = max(results, key=lambda r: r.repeat.bytes)
        checks = [
            (
                f"slowest typeset: {slowest.page}, {slowest.first.typeset:.2f} s first visit, "
                f"{slowest.repeat.typeset:.2f} s repeat",
                max(slowest.first.typeset, slowest.repeat.typeset) <= TYPESET_BUDGET,
                f"{TYPESET_BUDGET} s",
            ),
            (
                f"heaviest first visit: {heaviest.page}, {heaviest.first.bytes / 1e6:.2f} MB",
                heaviest.first.bytes < FIRST_VISIT_BUDGET,
                f"{FIRST_VISIT_BUDGET / 1e6:.0f} MB",
            ),
            (
                f"heaviest repeat visit: {heaviest_repeat.page}, "
                f"{heaviest_repeat.repeat.bytes / 1e6:.2f} MB",
                heaviest_repeat.repeat.bytes < REPEAT_VISIT_BUDGET,
                f"{REPEAT_VISIT_BUDGET / 1e6:.1f} MB",
            ),
        ]
        for text, met, budget in checks:
            print(f"{text} ({'within' if met else 'OVER'} the {budget} target)")
            ok = ok and met
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
