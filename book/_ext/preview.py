"""Write the Sphinx configuration that ``make preview`` builds with, outside the source tree.

sphinx-autobuild rebuilds the site on every save by running ``sphinx-build``, which reads its
settings from a ``conf.py``; Jupyter Book keeps them in ``_config.yml`` and writes none. This
script asks Jupyter Book for the settings it builds with (``jupyter-book config sphinx``) and
writes them as ``conf.py`` into a folder under ``_build``, which ``sphinx-build -c`` reads, so
the repository stays clean (``git status`` shows nothing after a preview). Sphinx resolves
some paths against the folder of ``conf.py`` rather than the book's, so every path in the
settings is made absolute, and the book's own extensions are put on ``sys.path``.

Run by the Makefile::

    python book/_ext/preview.py _build/preview     # -> _build/preview/conf.py
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# Settings that name files or folders of the book, relative to its root.
PATH_LISTS = ("html_static_path", "templates_path", "bibtex_bibfiles", "locale_dirs")
PATHS = ("html_favicon", "nb_execution_cache_path", "external_toc_path")


def jupyter_book_settings(root: Path = ROOT) -> dict:
    """The Sphinx settings Jupyter Book derives from ``root``'s ``_config.yml`` and
    ``_toc.yml``, as ``jupyter-book config sphinx`` writes them (it writes ``conf.py`` beside
    the configuration file: here a copy of it in a temporary folder)."""
    jupyter_book = Path(sys.executable).with_name("jupyter-book")
    with tempfile.TemporaryDirectory() as folder:
        config = Path(folder, "_config.yml")
        shutil.copy2(root / "_config.yml", config)
        subprocess.run(
            [str(jupyter_book), "config", "sphinx", "--config", str(config)]
            + ["--toc", str(root / "_toc.yml"), str(root)],
            check=True,
            capture_output=True,
            text=True,
        )
        settings: dict = {}
        exec(Path(folder, "conf.py").read_text(encoding="utf-8"), settings)
    return {k: v for k, v in settings.items() if not k.startswith("__")}


def absolute(settings: dict, root: Path = ROOT) -> dict:
    """``settings`` with every path of the book made absolute (empty ones stay empty)."""
    fixed = dict(settings)
    for key in PATH_LISTS:
        if key in fixed:
            fixed[key] = [str(root / p) for p in fixed[key]]
    for key in PATHS:
        if fixed.get(key):
            fixed[key] = str(root / fixed[key])
    return fixed


def write_conf(folder: Path, root: Path = ROOT) -> Path:
    """Write ``folder/conf.py`` for a preview of the book in ``root``; return its path."""
    settings = absolute(jupyter_book_settings(root), root)
    lines = [
        "# Written by book/_ext/preview.py for `make preview` from _config.yml: edit that.",
        "import sys",
        f"sys.path.insert(0, {str(root / 'book' / '_ext')!r})",
        *(f"{key} = {settings[key]!r}" for key in sorted(settings)),
    ]
    folder.mkdir(parents=True, exist_ok=True)
    conf = folder / "conf.py"
    conf.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return conf


if __name__ == "__main__":
    print(f"preview settings: {write_conf(Path(sys.argv[1]).resolve())}")
