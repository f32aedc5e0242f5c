"""Fail the build when a chapter file is missing from the table of contents.

The book builds only what ``_toc.yml`` lists (``only_build_toc_files``), so a chapter file
left out of it is simply not read: the build says "build succeeded", and the chapter's page
from an earlier build stays in ``_build/html``, stale, for a reader who has its address.
This extension warns (an error in the strict build) for each ``book/NN_*.md`` and
``book/appendix_*.md`` that the table of contents does not list, naming the fix, and removes
such a chapter's old page from the output.
"""

from __future__ import annotations

from pathlib import Path

from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.util import logging

logger = logging.getLogger(__name__)

CHAPTERS = ("book/[0-9][0-9]_*.md", "book/appendix_*.md")


def chapters_not_in_toc(srcdir: Path, listed: set[str]) -> list[Path]:
    """The chapter files under ``srcdir`` whose docname is not in ``listed``."""
    files = sorted({path for pattern in CHAPTERS for path in srcdir.glob(pattern)})
    return [p for p in files if p.relative_to(srcdir).with_suffix("").as_posix() not in listed]


def _check(app: Sphinx, env: BuildEnvironment, docnames: list[str]) -> None:
    srcdir = Path(app.srcdir)
    for path in chapters_not_in_toc(srcdir, set(env.found_docs)):
        name = path.relative_to(srcdir).as_posix()
        logger.warning(
            f"{name} is not in _toc.yml, so it is not built: add "
            f"'- file: {Path(name).with_suffix('').as_posix()}' to its part there (or delete "
            "the file)",
            type="toc_complete",
        )
        stale = Path(app.outdir, Path(name).with_suffix(".html"))
        if stale.is_file():
            stale.unlink()


def setup(app: Sphinx) -> dict:
    app.connect("env-before-read-docs", _check)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
