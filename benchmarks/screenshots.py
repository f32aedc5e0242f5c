"""Screenshots of built pages, for a person to look at (and for closing notes).

Serves ``_build/html`` on loopback, opens each page in headless Chromium (Debian's
``chromium``, as the browser tests do) once MathJax has typeset it, and saves a PNG per page
and width into ``_build/screenshots/``. By default: three pages of the Chinese edition
(chapter 2 with its slider, chapter 4's computation graph, the search page answering
梯度下降) at a phone's width and at a desktop's.

    .venv/bin/python benchmarks/screenshots.py                  # after make book
    .venv/bin/python benchmarks/screenshots.py zh/intro.html 01_linear_model.html#exercises

It prints each file with the page's title and the fonts Chromium drew its text with, so a
missing CJK font (boxes instead of characters) shows in the output too.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "book" / "_ext"))
import pdf  # noqa: E402  (book/_ext/pdf.py: its loopback server and headless Chromium)

SITE = ROOT / "_build" / "html"
OUT = ROOT / "_build" / "screenshots"
WIDTHS = {"phone": (390, 844), "desktop": (1366, 900)}
DEFAULT_PAGES = (
    "zh/book/02_gradient_descent.html#fig-descent-explorer",
    "zh/book/04_backpropagation.html",
    "zh/search.html?q=梯度下降",
)


def _settle(page) -> None:
    """Wait until the formulas are typeset and the search (if any) has answered."""
    page.wait_for_load_state("load")
    page.wait_for_function(
        "() => !window.MathJax || !MathJax.startup || !MathJax.startup.promise"
        " || MathJax.startup.promise.then(() => true)",
        timeout=60000,
    )
    if "search.html" in page.url:
        page.wait_for_selector("#search-results li", timeout=60000)
    page.wait_for_timeout(300)


def _fonts(page) -> list[str]:
    """The fonts Chromium rendered the page's text with (from the DevTools protocol)."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("DOM.enable")
    cdp.send("CSS.enable")
    root = cdp.send("DOM.getDocument")["root"]["nodeId"]
    selector = "article p, #search-results p, main p"  # a paragraph: its own text's fonts
    node = cdp.send("DOM.querySelector", {"nodeId": root, "selector": selector})
    if not node["nodeId"]:
        return []
    used = cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node["nodeId"]})
    return sorted({font["familyName"] for font in used["fonts"]})


def shoot(pages: list[str]) -> list[Path]:
    if not (SITE / "index.html").exists():
        sys.exit(f"no site in {SITE}: run make book first")
    OUT.mkdir(parents=True, exist_ok=True)
    saved = []
    with pdf.serve(SITE) as base, pdf.chromium() as browser:  # as make pdf serves and prints
        for path in pages:
            for width, size in WIDTHS.items():
                page = browser.new_page(
                    viewport={"width": size[0], "height": size[1]},
                    device_scale_factor=2 if width == "phone" else 1,
                )
                page.goto(base + path)
                _settle(page)
                address, _, anchor = path.split("?")[0].partition("#")
                name = address.replace("/", "-").removesuffix(".html")
                name += f"-{anchor}" if anchor else ""
                file = OUT / f"{name}-{width}.png"
                page.screenshot(path=file)
                print(f"{file.relative_to(ROOT)}: {page.title()!r}, fonts {_fonts(page)}")
                saved.append(file)
                page.close()
    return saved


if __name__ == "__main__":
    shoot(sys.argv[1:] or list(DEFAULT_PAGES))
