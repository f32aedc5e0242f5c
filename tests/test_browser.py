"""The built site in a real browser, with the network closed, as a reader sees it.

Headless Chromium (Debian's ``chromium``, which ``.ci/run`` installs) driven by Playwright.
Every request that does not go to the local server is blocked and recorded, so these tests
also prove that the site reads without any CDN. Screenshots of one chapter in light and dark
mode, and at phone width, are kept in ``_build/screenshots`` for a person to look at.
"""

from __future__ import annotations

import functools
import http.server
import re
import shutil
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urljoin, urlparse

import pytest

from conftest import ROOT

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
if CHROMIUM is None:
    pytest.skip(
        "browser tests skipped: no Chromium on this machine (apt-get install chromium; "
        ".ci/run installs it)",
        allow_module_level=True,
    )
sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")

SCREENSHOTS = ROOT / "_build" / "screenshots"
# pydata-sphinx-theme logs this on a first visit, before any theme is stored: not our error.
KNOWN_THEME_MESSAGES = ("Got invalid theme mode",)


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


@pytest.fixture(scope="module")
def site(built_book: Path) -> Iterator[str]:
    """Serve ``_build/html`` on a free loopback port for the module's tests."""
    handler = functools.partial(_QuietHandler, directory=str(built_book))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield chromium
        chromium.close()


class Visit:
    """One page load with the network closed, recording what went wrong."""

    def __init__(self, browser, site: str, path: str, **context) -> None:
        self.context = browser.new_context(**context)
        self.page = self.context.new_page()
        self.console_errors: list[str] = []
        self.failed: list[str] = []
        self.blocked: list[str] = []
        origin = urlparse(site).netloc

        def route(request_route):
            if urlparse(request_route.request.url).netloc == origin:
                request_route.continue_()
            else:
                self.blocked.append(request_route.request.url)
                request_route.abort()

        self.page.route("**/*", route)
        self.page.on("console", self._console)
        self.page.on("requestfailed", lambda r: self.failed.append(f"{r.url} {r.failure}"))
        self.page.on(
            "response",
            lambda r: self.failed.append(f"{r.url} {r.status}") if r.status >= 400 else None,
        )
        self.page.goto(urljoin(site, path), wait_until="load")

    def _console(self, message) -> None:
        if message.type == "error" and not message.text.startswith(KNOWN_THEME_MESSAGES):
            self.console_errors.append(message.text)

    def wait_for_math(self) -> None:
        self.page.wait_for_function(
            "() => !window.MathJax || !MathJax.startup || MathJax.startup.promise"
            " .then(() => true)",
        )
        self.page.evaluate("() => window.MathJax && MathJax.startup ? MathJax.startup.promise : 0")

    def close(self) -> None:
        self.context.close()


# The visible text of a chapter without its code and outputs, where TeX may legitimately
# appear (a matplotlib label, say).
PROSE_TEXT = """() => {
  const article = document.querySelector("article").cloneNode(true);
  article.querySelectorAll("pre, .cell_input, .cell_output, mjx-assistive-mml")
    .forEach(e => e.remove());
  document.body.appendChild(article);
  const text = article.innerText;
  article.remove();
  return text;
}"""


def all_pages(built_book: Path) -> list[str]:
    """Every page a reader can land on (index.html only redirects, see its own test)."""
    pages = ["search.html", "genindex.html"]
    pages += sorted(
        p.relative_to(built_book).as_posix() for p in (built_book / "book").glob("*.html")
    )
    return pages


def chapter_pages(built_book: Path) -> list[str]:
    return sorted(
        p.relative_to(built_book).as_posix()
        for p in (built_book / "book").glob("[0-9][0-9]_*.html")
    )


@dataclass
class PageReport:
    """What one visit to a page found, read by the tests below."""

    blocked: list[str]
    failed: list[str]
    console_errors: list[str]
    images: list[tuple[str, int]]
    links: list[str]
    math: int
    prose: str
    outputs: int
    downloads: list[str]
    launch: list[str]
    widths_on_a_phone: tuple[int, int]


@pytest.fixture(scope="module")
def reports(browser, site, built_book) -> dict[str, PageReport]:
    """Visit every page once, with the network closed, and record what a reader would meet."""
    found = {}
    for path in all_pages(built_book):
        visit = Visit(browser, site, path)
        try:
            visit.wait_for_math()
            page = visit.page
            all_of = page.eval_on_selector_all
            report = PageReport(
                blocked=visit.blocked,
                failed=visit.failed,
                console_errors=visit.console_errors,
                images=all_of(
                    "img",
                    "els => els.filter(e => e.checkVisibility()).map(e => [e.src, e.naturalWidth])",
                ),
                links=all_of("a[href]", "els => els.map(e => e.href)"),
                math=page.locator("mjx-container").count(),
                prose=page.evaluate(PROSE_TEXT) if page.locator("article").count() else "",
                outputs=page.locator("div.cell_output").count(),
                downloads=all_of(
                    "a[href$='.ipynb']", "els => els.map(e => e.getAttribute('href'))"
                ),
                launch=all_of("a[href*='mybinder.org']", "els => els.map(e => e.href)"),
                widths_on_a_phone=(0, 0),
            )
            page.set_viewport_size({"width": 390, "height": 844})
            page.wait_for_timeout(100)
            report.widths_on_a_phone = tuple(
                page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
            )
            if path.endswith("01_linear_model.html"):
                SCREENSHOTS.mkdir(parents=True, exist_ok=True)
                page.screenshot(path=SCREENSHOTS / "01_linear_model-phone.png")
            found[path] = report
        finally:
            visit.close()
    return found


def test_every_page_loads_cleanly_offline(reports):
    for path, report in reports.items():
        assert not report.blocked, f"{path} asked the network for {report.blocked}"
        assert not report.failed, f"{path}: failed requests {report.failed}"
        assert not report.console_errors, f"{path}: console errors {report.console_errors}"
        assert all(width > 0 for _, width in report.images), f"{path}: broken {report.images}"


def test_the_site_root_redirects_to_the_introduction(browser, site):
    visit = Visit(browser, site, "index.html")
    try:
        visit.page.wait_for_url("**/book/intro.html", timeout=10000)
        assert "PyTorch Deep Learning Practice" in visit.page.title()
    finally:
        visit.close()


def test_internal_links_and_anchors_resolve(reports, site, built_book):
    """Every link the browser resolves on every page points at a file and an anchor that exist."""
    ids: dict[Path, set[str]] = {}

    def anchors(file: Path) -> set[str]:
        if file not in ids:
            ids[file] = set(re.findall(r'\bid="([^"]+)"', file.read_text(encoding="utf-8")))
        return ids[file]

    origin = urlparse(site).netloc
    for path, report in reports.items():
        for link in report.links:
            target = urlparse(link)
            if target.netloc != origin or target.scheme not in ("http", "https"):
                continue
            file = built_book / unquote(target.path.lstrip("/"))
            if target.path.endswith("/"):
                file = file / "index.html"
            assert file.exists(), f"{path} links to missing {target.path}"
            if target.fragment and file.suffix == ".html":
                assert unquote(target.fragment) in anchors(file), f"{path}: no anchor {link}"


def test_chapters_show_typeset_math_outputs_and_downloads(reports, built_book):
    for path in chapter_pages(built_book):
        report, stem = reports[path], Path(path).stem
        assert report.math > 0, f"{path}: math not typeset"
        assert "$$" not in report.prose and "\\frac" not in report.prose, f"{path}: raw TeX"
        assert report.outputs > 3, f"{path}: outputs missing"
        assert any(d.endswith(stem + ".ipynb") for d in report.downloads), path
        assert any("urlpath=lab/tree/book/" + stem + ".md" in u for u in report.launch), path


def test_phone_width_has_no_horizontal_scroll(reports, built_book):
    for path in chapter_pages(built_book):
        page_width, screen = reports[path].widths_on_a_phone
        assert page_width <= screen, f"{path}: page is {page_width}px wide on a {screen}px phone"


def test_search_finds_gradient_descent_for_learning_rate(browser, site):
    visit = Visit(browser, site, "search.html?q=learning+rate")
    try:
        visit.page.wait_for_selector("#search-results ul.search li", timeout=15000)
        hits = visit.page.eval_on_selector_all(
            "#search-results ul.search li a", "els => els.map(e => e.getAttribute('href'))"
        )
        assert any("02_gradient_descent" in hit for hit in hits), hits
    finally:
        visit.close()


def test_the_learning_rate_slider_works_without_a_kernel(browser, site):
    visit = Visit(browser, site, "book/02_gradient_descent.html")
    try:
        widget = visit.page.locator(".dlp-widget").first
        widget.scroll_into_view_if_needed()
        slider = widget.locator("input[type=range]")
        slider.fill("1")  # 0.010: converges from one side
        assert widget.locator(".dlp-rate").inner_text() == "0.010"
        assert "converges from one side" in widget.locator(".dlp-status").inner_text()
        slider.fill("44")  # 0.225: above 3/14
        assert widget.locator(".dlp-rate").inner_text() == "0.225"
        assert "diverges" in widget.locator(".dlp-status").inner_text()
        assert widget.locator(".dlp-dots circle").count() >= 1
    finally:
        visit.close()


def _mean_brightness(png: bytes) -> float:
    import io

    import matplotlib.image

    pixels = matplotlib.image.imread(io.BytesIO(png), format="png")
    return float(pixels[..., :3].mean())


def test_dark_mode_keeps_figures_readable(browser, site):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    brightness = {}
    for mode in ["light", "dark"]:
        visit = Visit(browser, site, "book/01_linear_model.html", color_scheme=mode)
        try:
            page = visit.page
            page.evaluate(f"document.documentElement.dataset.theme = '{mode}'")
            visit.wait_for_math()
            page.screenshot(path=SCREENSHOTS / f"01_linear_model-{mode}.png", full_page=True)
            figure = page.locator("div.cell_output img").first
            figure.scroll_into_view_if_needed()
            brightness[mode] = _mean_brightness(figure.screenshot())
            body = page.evaluate("getComputedStyle(document.body).backgroundColor")
            if mode == "dark":
                assert body != "rgb(255, 255, 255)", "dark mode did not switch"
        finally:
            visit.close()
    # The figure stays a light card with dark ink in both modes.
    assert brightness["light"] > 0.8 and brightness["dark"] > 0.6, brightness
