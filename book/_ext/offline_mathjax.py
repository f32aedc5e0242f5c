"""Serve MathJax from the site itself, so that the book reads without any CDN.

Sphinx loads MathJax from a CDN by default. Many of the course's readers are where CDNs are
slow or blocked, and a downloaded copy of the site must work offline, so this extension
copies MathJax 3 -- installed from PyPI as ``django-static-mathjax``, a plain copy of the
MathJax distribution with no dependencies -- into ``_static/mathjax`` and points
``mathjax_path`` at it.

The page loads MathJax's loader (``startup.js``) and through it only the components the
book uses: the TeX input with the same packages as the combined ``tex-chtml.js`` (extensions
such as ``boldsymbol`` still load on demand), the CommonHTML output, and the hidden MathML
that screen readers read (``assistive-mml``). Not the context menu: ``tex-chtml.js`` bundles
it, 426 kB of its 1.16 MB, and it attached itself to every formula, which put each formula
in the tab order (chapter 4: 145 Tab stops). Without it, a chapter's first visit moves
0.5 MB less and its formulas are typeset sooner (``benchmarks/page_speed.py``). Only these
components, their fonts and the TeX extensions are copied.
"""

from __future__ import annotations

import importlib.util
import shutil
from pathlib import Path

from sphinx.application import Sphinx
from sphinx.errors import ExtensionError

ENTRY = "startup.js"
#: what the loader loads (``core.js`` comes first, as their dependency)
COMPONENTS = ["input/tex", "output/chtml", "a11y/assistive-mml"]
ON_DEMAND = ("core.js", "input", "output/chtml.js", "output/chtml", "a11y/assistive-mml.js")
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


#: Should the menu come back (``ui/menu``, or the combined ``tex-chtml.js``): it puts every
#: formula in the tab order unless told not to. Out of the tab order, a formula is still read
#: by screen readers through the hidden MathML that MathJax adds beside it (assistive-mml).
KEYBOARD = {"menuOptions": {"settings": {"inTabOrder": False}}}


def _point_at_local_copy(app: Sphinx, config) -> None:
    config.mathjax_path = f"{TARGET}/{ENTRY}"
    config.mathjax3_config = config.mathjax3_config or {}
    loader = config.mathjax3_config.setdefault("loader", {})
    loader["load"] = [*loader.get("load", []), *COMPONENTS]
    options = config.mathjax3_config.setdefault("options", {})
    menu = options.setdefault("menuOptions", {})
    menu.setdefault("settings", {}).update(KEYBOARD["menuOptions"]["settings"])


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
