"""Fixes to the generated HTML that screen readers and keyboards need (issue 12).

axe-core runs on every page in ``tests/test_browser.py``; what it found that the themes'
templates cannot be told to fix is fixed here:

* The references page: docutils wraps the citations in ``<div role="list">`` and gives each
  ``role="doc-biblioentry"``, a role ARIA 1.2 deprecated, so a list holds no list items and
  the citations' links are read as its children (axe: aria-required-children, critical).
  Each citation becomes a ``listitem``.
* A solution that opens on click (``:class: dropdown``) had a title that was mostly a link
  back to its exercise (sphinx-exercise's "Solution to Exercise 8.1 (...)"), so a click on
  the title jumped to the exercise instead of opening the solution. The solutions follow
  their exercises, so the link goes and its text stays: the whole title opens the solution
  (sphinx-togglebutton listens on the title; its button inside stays the keyboard's way in).
* ``scrollable_math.js``: a display formula wider than the text scrolls sideways; it is
  made a Tab stop, so that keyboard users can scroll it (axe: scrollable-region-focusable),
  while every formula that fits stays out of the tab order (MathJax's menu puts all of
  them in it: see ``offline_mathjax.KEYBOARD``).
"""

from __future__ import annotations

import re

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.transforms.post_transforms import SphinxPostTransform

#: a citation's opening tag, up to its deprecated role
CITATION = re.compile(r'(<div class="citation"[^>]*?) role="doc-biblioentry"')


def _citations_are_list_items(app: Sphinx, pagename, templatename, context, doctree) -> None:
    body = context.get("body")
    if body and "doc-biblioentry" in body:
        context["body"] = CITATION.sub(r'\1 role="listitem"', body)


class SolutionTitlesWithoutLinks(SphinxPostTransform):
    """The title of a dropdown solution keeps its text but not its link to the exercise."""

    default_priority = 25  # after sphinx-exercise writes the titles (21)
    formats = ("html",)

    def run(self, **kwargs) -> None:
        for solution in self.document.findall(nodes.Admonition):
            classes = solution.get("classes", [])
            if "solution" not in classes or "dropdown" not in classes:
                continue
            title = solution.children[0] if solution.children else None
            if not isinstance(title, nodes.title):
                continue
            for link in list(title.findall(nodes.reference)):
                link.replace_self(nodes.inline("", "", *link.children, classes=["exercise-name"]))


def setup(app: Sphinx) -> dict:
    app.connect("html-page-context", _citations_are_list_items)
    app.add_post_transform(SolutionTitlesWithoutLinks)
    app.add_js_file("scrollable_math.js", loading_method="defer")
    return {"parallel_read_safe": True, "parallel_write_safe": True}
