"""Shared fixtures: the repository root and the built book."""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
JB_FLAGS = ["--warningiserror", "--nitpick", "--keep-going"]
#: printed between the English build's log and the Chinese one's
EDITION_MARK = "=== the Chinese edition, from the same sources ==="


def chapters() -> list[Path]:
    """Every chapter notebook of the book, appendices included (the template is not one)."""
    book = ROOT / "book"
    return sorted([*book.glob("[0-9][0-9]_*.md"), *book.glob("appendix_*.md")])


def book_environment(source: Path) -> dict[str, str]:
    """The environment to build the book in ``source`` with: its kernels import the package
    from ``source/code`` (a copy's own, edited package), not the one installed in .venv."""
    path = os.pathsep.join(filter(None, [str(source / "code"), os.environ.get("PYTHONPATH")]))
    return {**os.environ, "PYTHONHASHSEED": "0", "PYTHONPATH": path}


def build_book(source: Path, *options: str) -> subprocess.CompletedProcess[str]:
    """Build the book in ``source`` exactly as ``make book`` does; return the finished run."""
    return subprocess.run(
        [str(BIN / "jupyter-book"), "build", str(source), *JB_FLAGS, *options],
        cwd=source,
        env=book_environment(source),
        capture_output=True,
        text=True,
        timeout=1800,
    )


class _BackgroundBuild:
    """The strict build of the real book, started as soon as the tests that need it are
    collected, so that it runs while the first tests (the Binder stand-in installs a whole
    environment) are still going."""

    process: subprocess.Popen[str] | None = None
    result: tuple[int, str] | None = None

    @classmethod
    def start(cls) -> None:
        if cls.process is None:
            english = [str(BIN / "jupyter-book"), "build", str(ROOT), *JB_FLAGS]
            chinese = [str(BIN / "python"), "book/_ext/editions.py", "html", "zh_CN"]
            script = f"{shlex.join(english)} && echo '{EDITION_MARK}' && {shlex.join(chinese)}"
            cls.process = subprocess.Popen(
                ["bash", "-c", script],
                cwd=ROOT,
                env={**os.environ, "PYTHONHASHSEED": "0"},
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                text=True,
            )

    @classmethod
    def finish(cls) -> tuple[int, str]:
        if cls.result is None:
            cls.start()
            log, _ = cls.process.communicate(timeout=1800)
            cls.result = (cls.process.returncode, log)
        return cls.result


def pytest_itemcollected(item) -> None:
    """Mark what a test needs, before ``-m`` selects: ``book`` for every test that uses the
    built book, or is ``slow`` (a build or kernels of its own), so that
    ``-m "not book and not binder"`` selects the fast tests (pyproject.toml names the markers)."""
    if "built_book" in getattr(item, "fixturenames", ()) or item.get_closest_marker("slow"):
        item.add_marker(pytest.mark.book)


@pytest.hookimpl(trylast=True)  # after -k and -m have deselected: a subset may need no build
def pytest_collection_modifyitems(session, config, items) -> None:
    if any("built_book" in getattr(item, "fixturenames", ()) for item in items):
        _BackgroundBuild.start()


@pytest.fixture(scope="session")
def built_book() -> Path:
    """The book built once per test session (strictly, like ``make book``): ``_build/html``,
    with the Chinese edition in ``_build/html/zh``."""
    returncode, log = _BackgroundBuild.finish()
    assert returncode == 0, f"the strict book build failed:\n{log[-6000:]}"
    return ROOT / "_build" / "html"


@pytest.fixture(scope="session")
def chinese_build_log(built_book) -> str:
    """What the Chinese edition's build printed (after the English build's log)."""
    _, log = _BackgroundBuild.finish()
    assert EDITION_MARK in log, "the book build did not reach the Chinese edition"
    return log.split(EDITION_MARK, 1)[1]
