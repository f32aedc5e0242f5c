"""Serve MathJax from the site itself, so that the book reads without any CDN.

Sphinx loads MathJax from a CDN by default. Many of the course's readers are where CDNs are
slow or blocked, and a downloaded copy of the site must work offline, so this extension
copies MathJax 3 -- installed from PyPI as ``django-static-mathjax``, a plain copy of the
MathJax distribution with no dependencies -- into ``_static/mathjax`` and points
``mathjax_path`` at it.

Only what the CommonHTML renderer of TeX may load is copied: the combined ``tex-chtml.js``,
its fonts, and the components it can load on demand (TeX extensions, accessibility, menu).
"""

from __future__ import annotations

import importlib.util
import shutil
from pathlib import Path

from sphinx.application import Sphinx
from sphinx.errors import ExtensionError

ENTRY = "tex-chtml.js"
ON_DEMAND = ("input", "output/chtml.js", "output/chtml", "a11y", "ui", "adaptors")
TARGET = "mathjax"


def mathjax_source() -> Path:
    """The ``es5`` folder of the installed MathJax distribution."""
    spec = importlib.util.find_spec("mathjax")
    if spec is None or not spec.submodule_search_locations:
        raise ExtensionError(
            "offline_mathjax: MathJax is not installed; install the book's dependencies "
            "(pip install -e '.[book]', which includes django-static-mathjax)"
        )
    es5 = Path(next(iter(spec.submodule_search_locations))) / "static" / "mathjax" / "es5"
    if not (es5 / ENTRY).is_file():
        raise ExtensionError(f"offline_mathjax: {es5 / ENTRY} is missing")
    return es5


def _point_at_local_copy(app: Sphinx, config) -> None:
    config.mathjax_path = f"{TARGET}/{ENTRY}"


def _copy_mathjax(app: Sphinx, exception: Exception | None) -> None:
    if exception is not None or app.builder.format != "html":
        return
    source = mathjax_source()
    target = Path(app.outdir) / "_static" / TARGET
    target.mkdir(parents=True, exist_ok=True)
    shutil.copy2(source / ENTRY, target / ENTRY)
    for part in ON_DEMAND:
        if (source / part).is_dir():
            shutil.copytree(source / part, target / part, dirs_exist_ok=True)
        else:
            (target / part).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source / part, target / part)


def setup(app: Sphinx) -> dict:
    app.connect("config-inited", _point_at_local_copy)
    app.connect("build-finished", _copy_mathjax)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
