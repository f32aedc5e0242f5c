"""Every figure of the built book can be read at the size a page shows it, says what it shows,
and opens at full size.

The rule for text size, measured in Chromium on every chapter of both editions:

- at desktop width (a 1366 px window, the article column as the theme lays it out) every
  text of every figure is at least 9 pt (12 CSS px) as shown;
- at phone width (390 px) at least 5 pt: a figure drawn for the 6.4 in column with 9 pt
  text, scaled into the phone's column (about 340 px), is just that; multi-panel figures
  are at most two panels across (tested), so the panels stay wide enough to read, and a tap opens
  the figure at full size (tested below), where the desktop rule holds.

A text's size is its font size: matplotlib's SVGs (text saved as paths) are read by
:mod:`svg_text`; the exponents of a formula (mathtext scripts at 0.7 of the size) are part
of a formula of that size, as in print. Inline SVG (the widgets) is measured in the page
itself, from each ``<text>``'s computed font size and its transform to the screen.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import unquote, urljoin, urlparse

import pytest

import svg_text
from test_browser import Visit, browser, chapter_pages, site  # noqa: F401 (fixtures)

#: the smallest text, in points as shown, at each window width
LIMITS_PT = {1366: 9.0, 390: 5.0}
PX_IN_PT = 0.75

FIGURES = """() => [...document.querySelectorAll('article img')]
  .filter(i => i.getAttribute('src').includes('_images/'))
  .map(i => [i.getAttribute('src'), i.getBoundingClientRect().width])"""

INLINE = """() => [...document.querySelectorAll('article .cell_output svg')]
  .filter(s => s.getBoundingClientRect().width > 100)
  .map(s => {
    const sizes = [...s.querySelectorAll('text')].map(t => {
      const m = t.getScreenCTM();
      return parseFloat(getComputedStyle(t).fontSize) * Math.sqrt(Math.abs(m.a * m.d - m.b * m.c));
    });
    return [s.getAttribute('aria-label') || 'an inline SVG', Math.min(...sizes)];
  })"""


@pytest.fixture(scope="module")
def shown_text(browser, site, built_book) -> dict[int, list[tuple[str, float]]]:  # noqa: F811
    """``width -> [(page: figure, smallest text in pt as shown)]`` for every figure."""
    found: dict[int, list[tuple[str, float]]] = {width: [] for width in LIMITS_PT}
    for path in chapter_pages(built_book):
        visit = Visit(browser, site, path, viewport={"width": 1366, "height": 900})
        try:
            for width in LIMITS_PT:
                visit.page.set_viewport_size({"width": width, "height": 900})
                visit.page.wait_for_timeout(100)
                for src, shown in visit.page.evaluate(FIGURES):
                    file = (built_book / path).parent / unquote(src)
                    svg = file.resolve().read_text(encoding="utf-8")
                    least = svg_text.smallest_text(svg)
                    scale = shown / svg_text.natural_width_px(svg)
                    name = f"{path}: {Path(src).name[:12]} ({least.text!r})"
                    found[width].append((name, least.size * scale * PX_IN_PT))
                for label, px in visit.page.evaluate(INLINE):
                    found[width].append((f"{path}: {label}", px * PX_IN_PT))
        finally:
            visit.close()
    return found


@pytest.mark.parametrize("width", sorted(LIMITS_PT))
@pytest.mark.slow  # drives Chromium over every page
def test_figure_text_is_readable_at_the_size_shown(shown_text, width):
    figures = shown_text[width]
    assert len(figures) > 60, f"too few figures measured: {figures}"  # 31 per edition + widgets
    small = [f"{name}: {pt:.2f} pt" for name, pt in figures if pt < LIMITS_PT[width]]
    assert not small, f"text below {LIMITS_PT[width]} pt at {width} px:\n" + "\n".join(small)


def test_multi_panel_figures_are_at_most_two_panels_across(built_book):
    """Four panels in a row are each a quarter of a phone's column: 2 x 2 instead."""
    seen = 0
    for page in chapter_pages(built_book):
        html = (built_book / page).read_text(encoding="utf-8")
        for src in re.findall(r'<img[^>]+src="([^"]*_images/[^"]+\.svg)"', html):
            svg = ((built_book / page).parent / src).resolve().read_text(encoding="utf-8")
            seen += 1
            across = svg_text.panels_across(svg)
            assert across <= 2, f"{page}: {Path(src).name[:12]} has {across} panels in a row"
    assert seen > 60


def test_svg_text_reads_matplotlib_and_hand_written_sizes():
    import io

    import matplotlib

    matplotlib.use("svg")
    import matplotlib.pyplot as plt

    with matplotlib.rc_context({"svg.fonttype": "path"}):
        fig, ax = plt.subplots(figsize=(3, 2))
        ax.plot([1, 2], "o-")
        ax.set_title("Title", fontsize=12)
        ax.set_xlabel(r"$\alpha^2$ label", fontsize=8)
        ax.tick_params(labelsize=11)
        out = io.StringIO()
        fig.savefig(out, format="svg")
        plt.close(fig)
    svg = out.getvalue()
    sizes = {(round(t.size, 6), t.text) for t in svg_text.text_sizes(svg)}
    assert (12.0, "Title") in sizes and (8.0, r"$\alpha^2$ label") in sizes
    assert min(t.size for t in svg_text.text_sizes(svg)) == 8.0  # markers are not text
    assert svg_text.natural_width_px(svg) == 3 * 96
    assert svg_text.smallest_text(svg).size == pytest.approx(8 * 4 / 3)
    hand = (
        '<svg xmlns="http://www.w3.org/2000/svg" width="100" viewBox="0 0 200 100">'
        '<g transform="scale(2)"><text font-size="7">a</text></g>'
        '<text style="font-size: 6pt">b</text></svg>'
    )
    assert svg_text.smallest_text(hand) == svg_text.TextSize(4.0, "b")  # 6 pt = 8 px, at 1/2
    assert svg_text.panels_across(svg) == 1
    for rows, columns in [(1, 4), (2, 2), (4, 1)]:
        fig, axes = plt.subplots(rows, columns, figsize=(6.4, 4))
        fig.colorbar(axes.flat[0].imshow([[0, 1]]), ax=axes.flat[-1])  # a colour bar is no panel
        out = io.StringIO()
        fig.savefig(out, format="svg")
        plt.close(fig)
        assert svg_text.panels_across(out.getvalue()) == columns


ALT_AND_CAPTION = """() => [...document.querySelectorAll('article img')]
  .filter(i => i.getAttribute('src').includes('_images/'))
  .map(i => [i.getAttribute('src'), i.getAttribute('alt') || '',
             (i.closest('figure')?.querySelector('figcaption')?.textContent || '').trim()])"""

WIDGETS = """() => [...document.querySelectorAll('article .cell_output svg[role=img]')]
  .map(s => [s.getAttribute('aria-label') || '',
             (s.closest('figure')?.querySelector('figcaption')?.textContent || '').trim()])"""


@pytest.mark.slow  # drives Chromium over every page
def test_every_figure_has_alt_text_and_a_caption(browser, site, built_book):  # noqa: F811
    seen = 0
    for path in chapter_pages(built_book):
        visit = Visit(browser, site, path)
        try:
            for src, alt, caption in visit.page.evaluate(ALT_AND_CAPTION):
                seen += 1
                where = f"{path}: {Path(src).name[:12]}"
                # lengths in characters: the Chinese edition has no spaces to count words by
                assert len(alt) >= 40, f"{where}: alt text {alt!r} does not describe it"
                assert "_images" not in alt and not alt.endswith(".svg"), f"{where}: {alt!r}"
                assert len(caption) >= 20, f"{where}: no caption ({caption!r})"
            for label, caption in visit.page.evaluate(WIDGETS):
                seen += 1
                assert len(label) >= 20, f"{path}: widget's label {label!r}"
                assert len(caption) >= 20, f"{path}: widget {label!r} has no caption"
        finally:
            visit.close()
    assert seen > 60


@pytest.mark.slow  # drives Chromium over every page
def test_a_click_opens_a_figure_at_full_size(browser, site, built_book):  # noqa: F811
    for path in chapter_pages(built_book):
        visit = Visit(browser, site, path, viewport={"width": 390, "height": 844})
        try:
            links = visit.page.evaluate(
                """() => [...document.querySelectorAll('article img')]
                  .filter(i => i.getAttribute('src').includes('_images/'))
                  .map(i => [i.src, i.closest('a') ? i.closest('a').href : null])"""
            )
            assert links, path
            for src, href in links:
                assert href == src, f"{path}: figure {src} is not a link to its file ({href})"
        finally:
            visit.close()
    # and a click on one goes there: the SVG alone, at its own size
    visit = Visit(
        browser, site, "book/04_backpropagation.html", viewport={"width": 390, "height": 844}
    )
    try:
        figure = visit.page.locator("article img[src*='_images/']").first
        src = figure.evaluate("i => i.src")
        figure.scroll_into_view_if_needed()
        figure.click()
        visit.page.wait_for_url(src)
        assert urlparse(visit.page.url).path.endswith(".svg")
        assert urljoin(site, urlparse(src).path) == visit.page.url
    finally:
        visit.close()
