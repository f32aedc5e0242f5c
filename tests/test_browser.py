"""The built site in a real browser, with the network closed, as a reader sees it.

Headless Chromium (Debian's ``chromium``, which ``.ci/run`` installs) driven by Playwright.
Every request that does not go to the local server is blocked and recorded, so these tests
also prove that the site reads without any CDN. Any console error or uncaught exception on
any page fails them. Screenshots of one chapter in light and dark mode, and at phone width
with its menu open, are kept in ``_build/screenshots`` for a person to look at.
"""

from __future__ import annotations

import functools
import http.server
import os
import re
import shutil
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urljoin, urlparse

import pytest

from axe_core import axe_source
from conftest import ROOT

pytestmark = pytest.mark.slow  # Chromium over every page of both editions: minutes

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
try:
    from playwright import sync_api
except ImportError:
    sync_api = None
# In CI (CI=true, as CI services set it) the browser tests must run: a missing browser fails
# them. On a contributor's machine they skip, saying what to install.
IN_CI = os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")
MISSING = [
    *(["Chromium (apt-get install chromium; .ci/run installs it)"] if CHROMIUM is None else []),
    *(["playwright (pip install -c constraints.txt -e '.[test]')"] if sync_api is None else []),
]
if MISSING and not IN_CI:
    pytest.skip("browser tests skipped: no " + " and no ".join(MISSING), allow_module_level=True)

SCREENSHOTS = ROOT / "_build" / "screenshots"
# The widths the navigation is checked at: a phone, a tablet (both below the theme's 992 px
# breakpoint, where the sidebars open as dialogs) and a laptop (sidebars in the page).
WIDTHS = (390, 900, 1366)
# Where each edition lives in the site: English at the root, Chinese under zh/.
EDITIONS = ("", "zh/")


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
    if MISSING:
        pytest.fail("CI=true, but the browser tests cannot run: no " + " and no ".join(MISSING))
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
        self.page.on("pageerror", lambda error: self.console_errors.append(f"uncaught {error}"))
        self.page.on("requestfailed", lambda r: self.failed.append(f"{r.url} {r.failure}"))
        self.page.on(
            "response",
            lambda r: self.failed.append(f"{r.url} {r.status}") if r.status >= 400 else None,
        )
        self.page.goto(urljoin(site, path), wait_until="load")

    def _console(self, message) -> None:
        if message.type == "error":
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
    pages = []
    for edition in EDITIONS:
        root = built_book / edition
        pages += [f"{edition}search.html", f"{edition}genindex.html"]
        pages += sorted(
            p.relative_to(built_book).as_posix() for p in (root / "book").glob("*.html")
        )
    return pages


def chapter_pages(built_book: Path) -> list[str]:
    return sorted(
        p.relative_to(built_book).as_posix()
        for edition in EDITIONS
        for p in (built_book / edition / "book").glob("[0-9][0-9]_*.html")
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
    outputs_cut_on_a_phone: int
    accessibility: dict[str, list[str]]


# --- accessibility (axe-core) -------------------------------------------------------------------

# axe-core's serious and critical violations on the page as it is now, one line per rule with
# the first few elements it flags. ``rules``: only these (None: all of axe's rules).
RUN_AXE = """async (rules) => {
  const options = {resultTypes: ["violations"]};
  if (rules) options.runOnly = {type: "rule", values: rules};
  const result = await axe.run(document, options);
  return result.violations
    .filter(v => v.impact === "serious" || v.impact === "critical")
    .map(v => `${v.id} (${v.impact}, ${v.nodes.length}x): ` +
      v.nodes.slice(0, 3).map(n => n.target.join(" ")).join(" | "));
}"""
# What can change when the page turns dark: only these rules are run again in dark mode.
COLOUR_RULES = ["color-contrast", "link-in-text-block"]


def set_mode(page, mode: str) -> None:
    """Switch the theme to ``mode`` ("light" or "dark") as its own button does, and wait until
    the colours have settled (no transitions)."""
    page.evaluate(
        """mode => {
          if (!document.getElementById("no-transitions")) {
            const style = document.createElement("style");
            style.id = "no-transitions";
            style.textContent = "*, *::before, *::after { transition: none !important; }";
            document.head.appendChild(style);
          }
          document.documentElement.dataset.theme = mode;
          document.documentElement.dataset.mode = mode;
        }""",
        mode,
    )
    page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")


def accessibility_violations(page, axe: str) -> dict[str, list[str]]:
    """axe-core's serious and critical violations in light mode (every rule) and in dark mode
    (the colour rules)."""
    page.add_script_tag(content=axe)
    found = {}
    for mode, rules in (("light", None), ("dark", COLOUR_RULES)):
        set_mode(page, mode)
        found[mode] = page.evaluate(RUN_AXE, rules)
    set_mode(page, "light")
    return found


@pytest.fixture(scope="module")
def axe() -> str:
    return axe_source()


@pytest.fixture(scope="module")
def reports(browser, site, built_book, axe) -> dict[str, PageReport]:
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
                outputs_cut_on_a_phone=0,
                accessibility=accessibility_violations(page, axe),
            )
            page.set_viewport_size({"width": 390, "height": 844})
            page.wait_for_timeout(100)
            report.outputs_cut_on_a_phone = page.evaluate(OUTPUTS_CUT)
            report.widths_on_a_phone = tuple(
                page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
            )
            if path.endswith("01_linear_model.html"):
                SCREENSHOTS.mkdir(parents=True, exist_ok=True)
                name = "zh-" if path.startswith("zh/") else ""
                page.screenshot(path=SCREENSHOTS / f"{name}01_linear_model-phone.png")
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


def test_no_page_has_serious_accessibility_violations(reports):
    """axe-core on every page of both editions, light and dark: nothing serious or critical."""
    found = {
        f"{path} ({mode})": violations
        for path, report in reports.items()
        for mode, violations in report.accessibility.items()
        if violations
    }
    assert not found, "\n".join(f"{where}: {v}" for where, v in found.items())


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


# Printed outputs wider than their box (cut off, or behind a scroll bar) at the current width.
OUTPUTS_CUT = """() => [...document.querySelectorAll("div.cell_output pre")]
  .filter(e => e.scrollWidth > e.clientWidth + 1).length"""


def test_outputs_wrap_on_a_phone(reports, built_book):
    """An output line longer than a phone's screen wraps; none is cut at the box's edge."""
    for path in chapter_pages(built_book):
        cut = reports[path].outputs_cut_on_a_phone
        assert cut == 0, f"{path}: {cut} outputs are wider than their box at 390 px"


def test_phone_width_has_no_horizontal_scroll(reports, built_book):
    for path in chapter_pages(built_book):
        page_width, screen = reports[path].widths_on_a_phone
        assert page_width <= screen, f"{path}: page is {page_width}px wide on a {screen}px phone"


CHAPTER = "book/01_linear_model.html"
# Everything that starts a search: the sidebar's field, the header's icon, the search page's form.
SEARCH_ENTRIES = ".search-button-field, .search-button, form.bd-search"


def _visit_at(browser, site: str, width: int, path: str = CHAPTER) -> Visit:
    return Visit(browser, site, path, viewport={"width": width, "height": 844})


def _only_visible(page, selector: str):
    """The one visible element that matches ``selector`` (themes hide copies by width)."""
    found = page.locator(selector).filter(visible=True)
    assert found.count() == 1, f"{found.count()} visible elements match {selector!r}"
    return found


@pytest.mark.parametrize("width", WIDTHS)
def test_the_menu_button_opens_the_chapters_and_a_chapter_link_works(browser, site, width):
    """Below 992 px the button opens the chapter list over the page; above, it folds it away."""
    visit = _visit_at(browser, site, width)
    try:
        page, expect = visit.page, sync_api.expect
        button = _only_visible(page, ".primary-toggle")
        if width < 992:
            chapters = page.locator("#pst-primary-sidebar-modal")
            expect(chapters).not_to_be_visible()
            button.click()
            expect(chapters).to_be_visible()
            expect(chapters).to_have_attribute("open", "")
        else:
            chapters = page.locator("#pst-primary-sidebar")
            expect(chapters).to_be_visible()
            button.click()
            expect(chapters).not_to_be_visible()
            button.click()
            expect(chapters).to_be_visible()
        chapters.locator("a[href='02_gradient_descent.html']").click()
        page.wait_for_url("**/book/02_gradient_descent.html")
        expect(page.locator("h1").first).to_contain_text("Gradient descent")
        assert not visit.console_errors, visit.console_errors
        if width == 390:
            SCREENSHOTS.mkdir(parents=True, exist_ok=True)
            page.go_back()
            _only_visible(page, ".primary-toggle").click()
            expect(page.locator("#pst-primary-sidebar-modal")).to_have_attribute("open", "")
            page.screenshot(path=SCREENSHOTS / "01_linear_model-phone-menu.png")
    finally:
        visit.close()


@pytest.mark.parametrize("width", WIDTHS)
def test_the_contents_button_opens_the_page_contents_and_a_section_link_works(browser, site, width):
    """Below 1200 px the page's table of contents is behind a button; above, beside the text."""
    visit = _visit_at(browser, site, width)
    try:
        page, expect = visit.page, sync_api.expect
        if width < 1200:
            contents = page.locator("#pst-secondary-sidebar-modal")
            expect(contents).not_to_be_visible()
            _only_visible(page, ".secondary-toggle").click()
            expect(contents).to_have_attribute("open", "")
        else:
            assert page.locator(".secondary-toggle").filter(visible=True).count() == 0
            contents = page.locator("#pst-secondary-sidebar")
        expect(contents).to_be_visible()
        link = contents.locator("a[href^='#']").last  # the last section: the page must move
        target = link.get_attribute("href")
        link.click()
        page.wait_for_url(f"**{target}")
        expect(page.locator(target)).to_be_in_viewport()
        assert not visit.console_errors, visit.console_errors
    finally:
        visit.close()


@pytest.mark.parametrize("width", WIDTHS)
def test_a_chapter_has_one_search_entry(browser, site, width):
    """The sidebar's search field on a wide screen, the header's search icon on a narrow one."""
    visit = _visit_at(browser, site, width)
    try:
        entries = visit.page.locator(SEARCH_ENTRIES).filter(visible=True)
        found = entries.evaluate_all("els => els.map(e => e.outerHTML.slice(0, 80))")
        assert len(found) == 1, f"{len(found)} search entries at {width}px: {found}"
    finally:
        visit.close()


@pytest.mark.parametrize("width", WIDTHS)
def test_the_search_page_has_one_search_field(browser, site, width):
    """Its own field only: not the sidebar's as well."""
    visit = _visit_at(browser, site, width, "search.html")
    try:
        fields = visit.page.locator(".search-button-field, form.bd-search").filter(visible=True)
        found = fields.evaluate_all("els => els.map(e => e.outerHTML.slice(0, 80))")
        assert len(found) == 1, f"{len(found)} search fields at {width}px: {found}"
        assert visit.page.locator("#search-results").count() == 1
        # the magnifying glass sits inside the field: the typed text must start after it
        icon, text_starts = fields.first.evaluate(
            """form => {
              const input = form.querySelector("input");
              const pad = parseFloat(getComputedStyle(input).paddingLeft);
              return [form.querySelector("i, svg").getBoundingClientRect().right,
                      input.getBoundingClientRect().left + pad];
            }"""
        )
        assert icon <= text_starts, f"the icon ends at {icon}px, the text starts at {text_starts}"
    finally:
        visit.close()


def test_search_finds_gradient_descent_for_learning_rate(browser, site):
    visit = Visit(browser, site, "search.html?q=learning+rate")
    try:
        visit.page.wait_for_selector("#search-results ul.search li", timeout=15000)
        hits = visit.page.eval_on_selector_all(
            "#search-results ul.search li a", "els => els.map(e => e.getAttribute('href'))"
        )
        assert any("02_gradient_descent" in hit for hit in hits), hits
        visit.page.wait_for_selector("#search-results ul.search li p.context", timeout=15000)
        snippets = visit.page.eval_on_selector_all(
            "#search-results ul.search li p.context", "els => els.map(e => e.textContent)"
        )
        header_words = [s for s in snippets if ".pdf" in s or ".ipynb" in s]
        assert not header_words, f"snippets quote the page's header buttons: {header_words[:3]}"
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
        # a screen reader announces the rate, not the slider's position (1)
        assert slider.get_attribute("aria-valuetext") == "learning rate 0.010"
        assert "converges from one side" in widget.locator(".dlp-status").inner_text()
        slider.fill("44")  # 0.225: above 3/14
        assert widget.locator(".dlp-rate").inner_text() == "0.225"
        assert slider.get_attribute("aria-valuetext") == "learning rate 0.225"
        assert "diverges" in widget.locator(".dlp-status").inner_text()
        assert widget.locator(".dlp-dots circle").count() >= 1
    finally:
        visit.close()


def test_the_momentum_sliders_announce_their_values(browser, site):
    visit = Visit(browser, site, "book/08_momentum.html")
    try:
        widget = visit.page.locator(".dlp-momentum").first
        alpha, beta = widget.locator(".dlp-alpha-slider"), widget.locator(".dlp-beta-slider")
        alpha.fill("0")
        beta.fill("0")
        shown_alpha = widget.locator(".dlp-alpha").inner_text()
        shown_beta = widget.locator(".dlp-beta").inner_text()
        assert alpha.get_attribute("aria-valuetext") == f"learning rate {shown_alpha}"
        assert beta.get_attribute("aria-valuetext") == f"momentum {shown_beta}"
        assert float(shown_alpha) > 0
    finally:
        visit.close()


# --- the keyboard ---------------------------------------------------------------------------

# What Tab reached: the element's description and how its focus is drawn.
FOCUSED = """() => {
  const e = document.activeElement;
  if (!e || e === document.body) return null;
  const style = getComputedStyle(e);
  return {
    inHeader: Boolean(e.closest(".bd-header-article")),
    name: (e.getAttribute("aria-label") || e.getAttribute("title") || e.innerText || "").trim(),
    classes: e.className && e.className.baseVal === undefined ? e.className : "",
    outline: [style.outlineStyle, parseFloat(style.outlineWidth), style.outlineColor],
    background: getComputedStyle(document.body).backgroundColor,
  };
}"""
# The header buttons a keyboard must reach (and see where it is), and which one has the focus.
HEADER_BUTTONS = ("sidebar toggle", "launch", "source", "download")
WHICH_BUTTON = """() => {
  const e = document.activeElement;
  if (e.matches(".primary-toggle")) return "sidebar toggle";
  if (e.matches(".btn-source-repository-button")) return "source";
  if (e.matches(".dropdown-launch-buttons .dropdown-toggle")) return "launch";
  if (e.matches(".dropdown-download-buttons .dropdown-toggle")) return "download";
  return "";
}"""


@pytest.mark.parametrize("mode", ["light", "dark"])
def test_every_header_button_shows_keyboard_focus(browser, site, mode):
    """Tab from the top of a chapter through its header: every button there draws a focus
    ring (a solid outline of 2 px or more, not the page's colour), including the launch,
    source, download and sidebar buttons."""
    visit = _visit_at(browser, site, 1366)
    try:
        page = visit.page
        set_mode(page, mode)
        reached, unseen = set(), []
        for _ in range(80):  # the skip link and the chapter list come first
            page.keyboard.press("Tab")
            focused = page.evaluate(FOCUSED)
            if focused is None or not focused["inHeader"]:
                if reached:
                    break
                continue
            style, width, colour = focused["outline"]
            if (
                style in ("none", "hidden")
                or width < 2
                or colour
                in (
                    "rgba(0, 0, 0, 0)",
                    focused["background"],
                )
            ):
                unseen.append(f"{focused['name']!r} ({focused['classes']}): {focused['outline']}")
            reached.add(page.evaluate(WHICH_BUTTON))
        assert not unseen, f"header buttons without a visible focus ({mode}): {unseen}"
        missing = [button for button in HEADER_BUTTONS if button not in reached]
        assert not missing, f"Tab never reached {missing} in the header"
    finally:
        visit.close()


# Formulas a keyboard stops at, the display formulas that scroll sideways (scrollable_math.js
# makes exactly these Tab stops, so that they can be scrolled), and formulas screen readers
# cannot read.
FORMULA_TAB_STOPS = """() => {
  const all = [...document.querySelectorAll("mjx-container")];
  const scrolls = e => e.closest("div.math") && e.scrollWidth > e.clientWidth + 1;
  return {
    formulas: all.length,
    tab_stops: all.filter(e => e.tabIndex >= 0).length,
    scrolling: all.filter(scrolls).length,
    tab_stops_that_fit: all.filter(e => e.tabIndex >= 0 && !scrolls(e)).length,
    unreadable: all.filter(e => !e.querySelector("mjx-assistive-mml math")
      || e.closest("[aria-hidden=true]")).length,
  };
}"""


@pytest.mark.parametrize("width", (390, 1366))
def test_formulas_are_not_tab_stops_but_are_read(browser, site, width):
    """Chapter 4 had a Tab stop on each of its 145 formulas. Now a formula is one only when it
    scrolls sideways; every formula keeps the hidden MathML that screen readers read."""
    visit = _visit_at(browser, site, width, "book/04_backpropagation.html")
    try:
        visit.wait_for_math()
        visit.page.wait_for_timeout(200)  # scrollable_math.js marks after the typeset
        found = visit.page.evaluate(FORMULA_TAB_STOPS)
        assert found["formulas"] > 100, found
        assert found["tab_stops_that_fit"] == 0, found
        assert found["tab_stops"] == found["scrolling"], found
        assert found["tab_stops"] < 20, found
        assert found["unreadable"] == 0, found
    finally:
        visit.close()


@pytest.mark.parametrize("edition", EDITIONS)
def test_the_whole_solution_title_opens_the_solution(browser, site, edition):
    """A click anywhere on a solution's title opens it, and stays on the page (the title was
    mostly a link back to the exercise); the title's button opens and closes it by keyboard."""
    visit = _visit_at(browser, site, 1366, f"{edition}book/08_momentum.html")
    try:
        page, expect = visit.page, sync_api.expect
        solution = page.locator("div.solution.dropdown").first
        title = solution.locator(".admonition-title")
        body = solution.locator("section").first
        expect(body).to_be_hidden()
        assert title.locator("a").count() == 0, title.inner_html()
        url = page.url
        box = title.bounding_box()
        # the title's text, from its start to just before the button at its end
        for x in (0.05, 0.5, 0.8):
            title.click(position={"x": box["width"] * x, "y": box["height"] / 2})
            expect(body).to_be_visible()
            assert page.url == url
            title.click(position={"x": box["width"] * x, "y": box["height"] / 2})
            expect(body).to_be_hidden()
        button = title.locator("button.toggle-button")
        button.focus()
        page.keyboard.press("Enter")
        expect(body).to_be_visible()
        expect(button).to_have_attribute("aria-expanded", "true")
        page.keyboard.press("Enter")
        expect(body).to_be_hidden()
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


# --- the Chinese edition ----------------------------------------------------------------------


@pytest.mark.parametrize("width", (390, 1366))
def test_the_language_switch_goes_to_the_same_page_and_back(browser, site, width):
    visit = _visit_at(browser, site, width, "book/03_stochastic_gradient_descent.html")
    try:
        page = visit.page
        _only_visible(page, "a.edition-switch").click()
        page.wait_for_load_state("load")
        assert page.url.endswith("/zh/book/03_stochastic_gradient_descent.html"), page.url
        assert page.evaluate("document.documentElement.lang") == "zh-CN"
        assert "小批量" in page.locator("article").inner_text()
        _only_visible(page, "a.edition-switch").click()
        page.wait_for_load_state("load")
        assert page.url.endswith("/book/03_stochastic_gradient_descent.html"), page.url
        assert "/zh/" not in page.url
        assert page.evaluate("document.documentElement.lang") == "en"
        assert not visit.console_errors, visit.console_errors
    finally:
        visit.close()


# Draws two different characters in the page's font: a font without them draws the same
# "missing glyph" box for both, so identical pixels mean the reader sees boxes, not Chinese.
GLYPHS_DIFFER = """([a, b]) => {
  const font = getComputedStyle(document.querySelector("article p")).fontFamily;
  const draw = (ch) => {
    const canvas = document.createElement("canvas");
    canvas.width = canvas.height = 40;
    const context = canvas.getContext("2d");
    context.font = `32px ${font}`;
    context.fillText(ch, 2, 32);
    return Array.from(context.getImageData(0, 0, 40, 40).data).join(",");
  };
  return draw(a) !== draw(b);
}"""


def test_chinese_text_renders_in_a_font_that_has_it(browser, site):
    visit = _visit_at(browser, site, 1366, "zh/book/02_gradient_descent.html")
    try:
        page = visit.page
        visit.wait_for_math()
        assert page.evaluate(GLYPHS_DIFFER, ["梯", "度"]), (
            "Chinese characters render as identical boxes: install a CJK font "
            "(Debian's fonts-noto-cjk; .ci/run installs it)"
        )
        assert page.locator("mjx-container").count() > 0
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=SCREENSHOTS / "zh-02_gradient_descent-desktop.png")
        visit.page.set_viewport_size({"width": 390, "height": 844})
        page.goto(urljoin(site, "zh/book/04_backpropagation.html"), wait_until="load")
        visit.wait_for_math()
        page.screenshot(path=SCREENSHOTS / "zh-04_backpropagation-phone.png")
        assert not visit.console_errors, visit.console_errors
    finally:
        visit.close()


@pytest.mark.parametrize(
    ("query", "chapter"),
    [("梯度下降", "02_gradient_descent"), ("反向传播", "04_backpropagation")],
)
def test_chinese_search_finds_the_chapter(browser, site, query, chapter):
    visit = Visit(browser, site, f"zh/search.html?q={query}")
    try:
        visit.page.wait_for_selector("#search-results ul.search li", timeout=15000)
        hits = visit.page.eval_on_selector_all(
            "#search-results ul.search li a", "els => els.map(e => e.getAttribute('href'))"
        )
        assert any(chapter in hit for hit in hits), f"{query}: {hits}"
        assert not visit.console_errors, visit.console_errors
    finally:
        visit.close()


# Display formulas that are cut off: wider than their box, in a box that neither scrolls nor
# lets them show (overflow hidden/clip), or reaching past the article's right edge.
CLIPPED_MATH = """() => {
  const article = document.querySelector("article.bd-article").getBoundingClientRect();
  const clipped = [];
  for (const math of document.querySelectorAll('mjx-container[display="true"]')) {
    let box = math, cut = false;
    for (; box && box !== document.body; box = box.parentElement) {
      const wider = box.scrollWidth > box.clientWidth + 1;
      const overflow = getComputedStyle(box).overflowX;
      if (wider && (overflow === "hidden" || overflow === "clip")) { cut = true; break; }
      if (wider && (overflow === "auto" || overflow === "scroll")) break;  // it scrolls
    }
    const right = math.getBoundingClientRect().right;
    const scrolls = box && box !== document.body && !cut;
    if (cut || (!scrolls && right > article.right + 1)) {
      clipped.push(math.textContent.slice(0, 40));
    }
  }
  return clipped;
}"""


@pytest.mark.parametrize("width", (390, 1366))
@pytest.mark.parametrize("edition", EDITIONS)
def test_display_math_wraps_or_scrolls_and_is_never_clipped(browser, site, edition, width):
    """A display formula wider than the column scrolls sideways inside its box; none is cut
    at the box's edge or runs past the article (chapter 4 had eight cut on a phone)."""
    for chapter in ("02_gradient_descent", "04_backpropagation", "06_tensors_and_autograd"):
        visit = _visit_at(browser, site, width, f"{edition}book/{chapter}.html")
        try:
            visit.wait_for_math()
            clipped = visit.page.evaluate(CLIPPED_MATH)
            assert not clipped, f"{edition}book/{chapter}.html at {width}px: {clipped}"
        finally:
            visit.close()
