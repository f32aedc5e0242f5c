"""Copy the site's static files even when no page is out of date.

Sphinx 7.4 ends an incremental build early when no document needs writing ("no targets
are out of date"), before the step that copies ``html_static_path`` into ``_static``. So an
edit to ``book/_static/dlpractice.css`` or a script there alone never reached the site
until some page changed. This extension copies the static files at the end of every HTML
build that stopped that early (a full build copies them itself), so ``make book`` shows a
stylesheet edit at once; ``tests/test_static_files.py`` builds a small book to check it.
"""

from __future__ import annotations

from pathlib import Path

from sphinx.application import Sphinx
from sphinx.builders.html import StandaloneHTMLBuilder
from sphinx.util.fileutil import copy_asset


def _copy_if_skipped(app: Sphinx, exception: Exception | None) -> None:
    builder = app.builder
    if exception is not None or not isinstance(builder, StandaloneHTMLBuilder):
        return
    # Builder.build() sets finish_tasks (None until then) only when it goes on to finish()
    if builder.finish_tasks is not None:
        return
    target = Path(app.outdir) / "_static"
    for entry in app.config.html_static_path:  # the book's own files, as finish() copies them
        copy_asset(Path(app.confdir) / entry, target)


def setup(app: Sphinx) -> dict:
    app.connect("build-finished", _copy_if_skipped)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
