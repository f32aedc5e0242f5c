"""Re-execute a chapter when the package code it runs changes, and only then.

myst-nb's execution cache keys each notebook on the text of its code cells. A chapter whose
cells are unchanged is served from the cache even when ``dlpractice`` -- the code those
cells call -- has changed, and its page would show stale numbers. This extension closes that
gap, chapter by chapter. For each notebook (a source with a ``kernelspec``) it lists the
files its code can run: the package modules its code cells import, directly or through
other modules of the package (found statically, see ``import_graph.py``), and every file
of the other watched paths (the lock file, the book's data). The watched paths are set in
``_config.yml`` as ``code_cache_guard_watch``; a watched folder with an ``__init__.py`` is a
package, followed module by module.

A stamp per chapter in the execution cache (``code-fingerprints/``) records the hashes of
those files when its executed copy was made. When they differ (or there is no stamp), the
extension removes that copy from the cache, so the chapter executes again; the others keep
theirs. Separately, each build environment (the English edition's, the Chinese one's)
remembers the hashes under which it last read each chapter, and re-reads a chapter when
they differ: the Chinese build then shows the new outputs, from the cache, and a build that
failed half-way (its environment is not saved) re-reads what it had not finished.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.util import logging

logger = logging.getLogger(__name__)

STAMPS = "code-fingerprints"
_CURRENT: dict[str, dict[str, str]] = {}  # docname -> the hashes of the files it runs now
READ = "code_cache_guard_read"  # the environment's {docname: hashes when it was last read}


def file_hashes(root: Path, watched: list[str]) -> dict[str, str]:
    """SHA-256 of every file under the watched paths, by path relative to ``root``."""
    hashes = {}
    for entry in watched:
        path = root / entry
        if path.is_dir():
            files = sorted(
                p for p in path.rglob("*") if p.is_file() and "__pycache__" not in p.parts
            )
        else:
            files = [path] if path.is_file() else []
        for file in files:
            hashes[file.relative_to(root).as_posix()] = _sha(file)
    return hashes


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else "missing"


class Watched:
    """The watched paths: packages followed module by module, and files every chapter uses."""

    def __init__(self, root: Path, watched: list[str]) -> None:
        from import_graph import Package

        self.root = root
        self.packages = [
            Package.load(root / entry)
            for entry in watched
            if (root / entry / "__init__.py").is_file()
        ]
        package_entries = {p.folder.relative_to(root).as_posix() for p in self.packages}
        self.common = file_hashes(root, [e for e in watched if e not in package_entries])

    def files_for(self, code_cells: list[str]) -> dict[str, str]:
        """The hashes of the files a chapter with these code cells runs or reads."""
        from import_graph import parse_cells

        tree = parse_cells(code_cells)
        hashes = dict(self.common)
        for package in self.packages:
            for file in package.files_run_by(tree):
                hashes[file.relative_to(self.root).as_posix()] = _sha(file)
        return dict(sorted(hashes.items()))


def _stamp_path(cache_dir: Path, docname: str) -> Path:
    return cache_dir / STAMPS / (docname.replace("/", "__") + ".json")


def read_stamp(cache_dir: Path, docname: str) -> dict | None:
    try:
        return json.loads(_stamp_path(cache_dir, docname).read_text())
    except (OSError, ValueError):
        return None


def write_stamp(cache_dir: Path, docname: str, files: dict[str, str]) -> None:
    path = _stamp_path(cache_dir, docname)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"files": files}, indent=1) + "\n")


def changed_files(old: dict[str, str], new: dict[str, str]) -> list[str]:
    """The files whose hash differs, or that one side lacks."""
    return sorted(name for name in old.keys() | new.keys() if old.get(name) != new.get(name))


def _read_notebook(env: BuildEnvironment, path: Path):
    from myst_nb.core.read import create_nb_reader

    content = path.read_text(encoding="utf-8")
    if "kernelspec:" not in content:
        return None
    reader = create_nb_reader(str(path), env.myst_config, env.mystnb_config, content)
    return None if reader is None else reader.read(content)


def _cache_dir(app: Sphinx) -> Path:
    """The execution cache, as myst-nb opens it (a relative path is from the working folder)."""
    return Path(app.env.mystnb_config.execution_cache_path or ".jupyter_cache")


def _outdated_chapters(
    app: Sphinx, env: BuildEnvironment, added: set, changed: set, removed: set
) -> list[str]:
    from jupyter_cache import get_cache

    root = Path(app.srcdir)  # the book, also when conf.py lives elsewhere (make preview)
    cache_dir = _cache_dir(app)
    watched = Watched(root, app.config.code_cache_guard_watch)
    cache = None
    outdated = []
    current = _CURRENT
    current.clear()
    if not hasattr(env, READ):
        setattr(env, READ, {})
    read_under = getattr(env, READ)
    for docname in sorted(env.found_docs):
        notebook = _read_notebook(env, Path(env.doc2path(docname)))
        if notebook is None:
            continue
        files = watched.files_for([c.source for c in notebook.cells if c.cell_type == "code"])
        current[docname] = files
        if read_under.get(docname) != files:
            outdated.append(docname)  # this environment read it under other files
        stamp = read_stamp(cache_dir, docname)
        if stamp is not None and stamp.get("files") == files:
            continue  # its executed copy, if any, ran under these files
        if cache is None:
            cache = get_cache(str(cache_dir))
        try:
            cache.remove_cache(cache.match_cache_notebook(notebook).pk)
        except KeyError:
            pass
        write_stamp(cache_dir, docname, files)
        if docname in added:
            continue
        if stamp is None:
            why = "no record of the code it last ran"
        else:
            names = changed_files(stamp.get("files", {}), files)
            why = ", ".join(names[:4]) + (f" and {len(names) - 4} more" if len(names) > 4 else "")
            why += " changed"
        logger.info(f"[code_cache_guard] re-executing {docname}: {why}")
    return outdated


def _read(app: Sphinx, doctree) -> None:
    docname = app.env.docname
    if docname in _CURRENT:
        if not hasattr(app.env, READ):
            setattr(app.env, READ, {})
        getattr(app.env, READ)[docname] = _CURRENT[docname]


def _purge(app: Sphinx, env: BuildEnvironment, docname: str) -> None:
    getattr(env, READ, {}).pop(docname, None)


def _merge(app: Sphinx, env: BuildEnvironment, docnames: set, other: BuildEnvironment) -> None:
    mine = getattr(env, READ, {})
    mine.update({d: f for d, f in getattr(other, READ, {}).items() if d in docnames})
    setattr(env, READ, mine)


def setup(app: Sphinx) -> dict:
    app.add_config_value("code_cache_guard_watch", ["code"], "env", [list])
    app.connect("env-get-outdated", _outdated_chapters)
    app.connect("doctree-read", _read)
    app.connect("env-purge-doc", _purge)
    app.connect("env-merge-info", _merge)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
