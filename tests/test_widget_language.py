"""The sliders speak the page's language: English on the English pages, Chinese on the Chinese.

Both editions show the same cached output of ``dlpractice.widgets``; its script reads the
page's ``<html lang>`` and puts in the widget's words in that language (labels, axes, legend,
status line, and what a screen reader is told: ``aria-label``, ``aria-valuetext``, the
figure's title). Checked in Chromium on the built pages, after moving the sliders.
"""

from __future__ import annotations

import re

import pytest

from test_browser import Visit, browser, site  # noqa: F401 (fixtures)

pytestmark = pytest.mark.slow  # drives Chromium

CJK = re.compile("[\u4e00-\u9fff]")

#: every assistive and visible text of a widget, in document order
WIDGET_TEXT = """root => ({
  labels: [...root.querySelectorAll('[aria-label]')].map(e => e.getAttribute('aria-label')),
  valuetexts: [...root.querySelectorAll('input[type=range]')]
    .map(e => e.getAttribute('aria-valuetext')),
  title: root.querySelector('svg title').textContent,
  svg: [...root.querySelectorAll('svg text')].map(e => e.textContent),
  status: root.querySelector('.dlp-status').textContent,
  text: root.innerText,
})"""


def widget_text(browser, site, page: str, selector: str) -> dict:  # noqa: F811
    visit = Visit(browser, site, page)
    try:
        widget = visit.page.locator(selector).first
        widget.scroll_into_view_if_needed()
        for slider in widget.locator("input[type=range]").all():
            slider.fill("1")  # the script's texts after an input, not only at load
        found = widget.evaluate(WIDGET_TEXT)
        assert not visit.console_errors, visit.console_errors
        return found
    finally:
        visit.close()


@pytest.mark.parametrize(
    ("page", "selector", "english"),
    [
        ("book/02_gradient_descent.html", ".dlp-widget", "learning rate"),
        ("book/08_momentum.html", ".dlp-momentum", "momentum"),
    ],
)
def test_a_widget_speaks_the_language_of_its_page(browser, site, page, selector, english):  # noqa: F811
    shown = widget_text(browser, site, page, selector)
    assert shown["labels"] and all(not CJK.search(label) for label in shown["labels"])
    assert any(english in label for label in shown["labels"]), shown["labels"]
    assert all(
        v.startswith("learning rate ") or v.startswith("momentum ") for v in shown["valuetexts"]
    )
    assert re.search("converges|diverges|multiplies the error", shown["status"]), shown

    chinese = widget_text(browser, site, "zh/" + page, selector)
    # the same widget, every text a screen reader hears or a reader sees in Chinese
    assert len(chinese["labels"]) == len(shown["labels"])
    for label in chinese["labels"] + chinese["valuetexts"] + [chinese["title"]]:
        assert CJK.search(label), f"zh/{page}: {label!r} is not Chinese"
    assert chinese["labels"][-1] == chinese["title"]  # the figure's label is its title
    words = [w for w in chinese["svg"] if re.search("[A-Za-z]{2,}", w)]
    assert all(CJK.search(w) for w in words), f"zh/{page}: English in the figure: {words}"
    status = chinese["status"]
    assert CJK.search(status) and not re.search("[A-Za-z]{3,}", status), status
    assert not re.search(r"\b(learning rate|momentum|converges|diverges)\b", chinese["text"])
    # the numbers the sliders show are the same in both
    assert [v.split()[-1] for v in chinese["valuetexts"]] == [
        v.split()[-1] for v in shown["valuetexts"]
    ]
