"""Shared fixtures: the repository root and the built book."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
JB_FLAGS = ["--warningiserror", "--nitpick", "--keep-going"]


def chapters() -> list[Path]:
    """Every chapter notebook listed in the book (the template is not one)."""
    return sorted(p for p in (ROOT / "book").glob("[0-9][0-9]_*.md"))


def build_book(source: Path) -> subprocess.CompletedProcess[str]:
    """Build the book in ``source`` exactly as ``make book`` does; return the finished run."""
    env = {**os.environ, "PYTHONHASHSEED": "0"}
    return subprocess.run(
        [str(BIN / "jupyter-book"), "build", str(source), *JB_FLAGS],
        cwd=source,
        env=env,
        capture_output=True,
        text=True,
        timeout=1800,
    )


@pytest.fixture(scope="session")
def built_book() -> Path:
    """Build the book once per test session (strictly) and return ``_build/html``."""
    run = build_book(ROOT)
    log = run.stdout + run.stderr
    assert run.returncode == 0, f"the strict book build failed:\n{log[-6000:]}"
    return ROOT / "_build" / "html"
