"""Glued numbers in figures' alt text.

A caption is parsed as MyST, so a number in it is glued like one in a sentence:
``{glue:text}`key:.4g` ``. Alt text is not parsed: docutils keeps it as a plain string, so the
same role would reach the reader as its source. Here a post-transform pastes, into the alt
text of every image of a page, the value each ``{glue:text}`key:spec` `` names, formatted as
the role would format it, from the glue data the page stored. It runs after translation, so
the Chinese edition's alt text (a message of its own) gets the same numbers.

A key the page did not glue is a warning, which the strict build turns into an error.
"""

from __future__ import annotations

import re

from docutils import nodes
from myst_nb.core.variables import format_plain_text
from myst_nb.ext.glue.crossref import read_glue_cache
from sphinx.application import Sphinx
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util import logging

logger = logging.getLogger(__name__)

#: ``{glue:text}`key:spec` `` (as myst-nb reads it, the last colon starts the format)
GLUE_TEXT = re.compile(r"\{glue:text\}`([^`]+)`")


def paste(alt: str, glue_data: dict) -> tuple[str, list[str]]:
    """``alt`` with each glue role replaced by its formatted value, and the keys not found.

    >>> data = {"b": {"data": {"text/plain": "6.881373587019543"}}}
    >>> paste("b = {glue:text}`b:.4g`, c = {glue:text}`c:.1f`", data)
    ('b = 6.881, c = {glue:text}`c:.1f`', ['c'])
    """
    missing = []

    def value(match: re.Match) -> str:
        content = match.group(1)
        key, _, spec = content.rpartition(":") if ":" in content else (content, "", "")
        if key not in glue_data or "text/plain" not in glue_data[key].get("data", {}):
            missing.append(key)
            return match.group(0)
        return format_plain_text(glue_data[key]["data"]["text/plain"], spec)

    return GLUE_TEXT.sub(value, alt), missing


class PasteGluedAlt(SphinxPostTransform):
    """Replace the glue roles in each image's alt text with the page's glued values."""

    default_priority = 10
    formats = ("html",)

    def run(self, **kwargs) -> None:
        images = [
            node for node in self.document.findall(nodes.image) if "{glue:" in node.get("alt", "")
        ]
        if not images:
            return
        folder = self.env.mystnb_config.output_folder
        glue_data = read_glue_cache(str(folder), self.env.docname)
        for image in images:
            image["alt"], missing = paste(image["alt"], glue_data)
            for key in missing:
                logger.warning(
                    f"alt text names {key!r}, which this page did not glue", location=image
                )


def setup(app: Sphinx) -> dict:
    app.add_post_transform(PasteGluedAlt)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
