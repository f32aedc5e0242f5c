"""Re-execute the chapters when the package they import changes.

myst-nb's execution cache keys each notebook on the text of its code cells. A chapter whose
cells are unchanged is served from the cache even when ``dlpractice`` -- the code those
cells call -- has changed, and its page would show stale numbers. This extension closes that
gap: it fingerprints the watched paths (the package and the lock file, set in
``_config.yml`` as ``code_cache_guard_watch``) and, when the fingerprint differs from the one
the cache was filled under,

1. empties the execution cache, and
2. tells Sphinx to re-read every notebook (a source with a ``kernelspec``) that mentions
   ``dlpractice``,

so those chapters execute again. An unchanged tree keeps its cache and rebuilds in seconds.
"""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.util import logging

logger = logging.getLogger(__name__)

STAMP_NAME = "code-fingerprint.txt"
MARKERS = ("kernelspec:", "dlpractice")


def fingerprint(root: Path, watched: list[str]) -> str:
    """SHA-256 over the names and bytes of every file under the watched paths."""
    digest = hashlib.sha256()
    for entry in watched:
        path = root / entry
        if path.is_dir():
            files = sorted(
                p for p in path.rglob("*") if p.is_file() and "__pycache__" not in p.parts
            )
        else:
            files = [path] if path.is_file() else []
        for file in files:
            digest.update(file.relative_to(root).as_posix().encode() + b"\0")
            digest.update(file.read_bytes() + b"\0")
    return digest.hexdigest()


def refresh_cache(cache_dir: Path, current: str) -> bool:
    """Empty ``cache_dir`` unless it was filled under ``current``; return True if emptied."""
    stamp = cache_dir / STAMP_NAME
    if stamp.is_file() and stamp.read_text().strip() == current:
        return False
    if cache_dir.exists():
        shutil.rmtree(cache_dir)
    cache_dir.mkdir(parents=True)
    stamp.write_text(current + "\n")
    return True


def _uses_package(env: BuildEnvironment, docname: str) -> bool:
    source = Path(env.doc2path(docname)).read_text(encoding="utf-8")
    return all(marker in source for marker in MARKERS)


def _outdated_chapters(
    app: Sphinx, env: BuildEnvironment, added: set, changed: set, removed: set
) -> list[str]:
    root = Path(app.srcdir)  # the book, also when conf.py lives elsewhere (make preview)
    cache_dir = Path(app.config.nb_execution_cache_path or root / ".jupyter_cache")
    if not cache_dir.is_absolute():
        cache_dir = root / cache_dir
    if not refresh_cache(cache_dir, fingerprint(root, app.config.code_cache_guard_watch)):
        return []
    users = [docname for docname in sorted(env.found_docs) if _uses_package(env, docname)]
    logger.info("[code_cache_guard] package changed: re-executing %s", ", ".join(users))
    return users


def setup(app: Sphinx) -> dict:
    app.add_config_value("code_cache_guard_watch", ["code"], "env", [list])
    app.connect("env-get-outdated", _outdated_chapters)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
