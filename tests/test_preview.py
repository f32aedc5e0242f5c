"""``make preview``: strict, on the port asked for, and nothing written into the repository."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from conftest import ROOT

# `-o`: never remake the virtual environment from here, even if its stamp looks old.
MAKE = ["make", "--no-print-directory", "-o", ".venv/.installed"]


def git_status() -> str:
    run = subprocess.run(
        ["git", "status", "--porcelain", "--ignored=no"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    return run.stdout if run.returncode == 0 else "(not a git checkout)"


def preview_commands(*variables: str) -> str:
    """What ``make preview`` would run, without running it."""
    run = subprocess.run(
        [*MAKE, "-n", "preview", *variables], cwd=ROOT, capture_output=True, text=True
    )
    assert run.returncode == 0, run.stderr
    return run.stdout


def test_make_preview_takes_the_port_and_is_strict():
    default, asked = preview_commands(), preview_commands("PORT=8123")
    assert "--port 8000" in default and "--host 127.0.0.1" in default
    assert "--port 8123" in asked and "--port 8000" not in asked
    for flag in ("--fail-on-warning", "--nitpicky", "--keep-going"):
        assert flag in asked, f"make preview is not strict: no {flag}"
    assert "-c _build/preview" in asked, "the preview's conf.py must live under _build"
    assert "config sphinx" not in asked, "jupyter-book config sphinx writes conf.py into the root"


def test_preview_settings_are_written_under_build_with_absolute_paths(tmp_path):
    before = git_status()
    folder = tmp_path / "preview"
    run = subprocess.run(
        [sys.executable, "book/_ext/preview.py", str(folder)],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert run.returncode == 0, run.stderr
    assert not (ROOT / "conf.py").exists(), "the preview left a conf.py in the repository"
    assert git_status() == before
    text = (folder / "conf.py").read_text(encoding="utf-8")
    assert f"sys.path.insert(0, {str(ROOT / 'book' / '_ext')!r})" in text
    settings: dict = {}
    exec(text, settings)
    for key in ("html_static_path", "templates_path", "bibtex_bibfiles", "locale_dirs"):
        for path in settings[key]:
            assert Path(path).is_absolute() and Path(path).exists(), (key, path)
    for key in ("html_favicon", "external_toc_path", "nb_execution_cache_path"):
        assert Path(settings[key]).is_absolute(), (key, settings[key])
    assert {"code_cache_guard", "toc_complete", "offline_mathjax"} <= set(settings["extensions"])
    assert settings["nb_execution_mode"] == "cache"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.mark.slow  # a full (cached) build before the server answers
def test_preview_serves_the_book_from_the_cache_and_leaves_the_tree_clean(built_book, tmp_path):
    before, port = git_status(), free_port()
    out = tmp_path / "site" / "html"
    log = tmp_path / "preview.log"
    with log.open("w") as sink:
        server = subprocess.Popen(
            [*MAKE, "preview", f"PORT={port}", f"PREVIEW_OUT={out}"],
            cwd=ROOT,
            stdout=sink,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: stopped whole below
        )
    page = None
    try:
        deadline = time.monotonic() + 900
        while page is None and time.monotonic() < deadline and server.poll() is None:
            try:
                url = f"http://127.0.0.1:{port}/book/01_linear_model.html"
                with urllib.request.urlopen(url, timeout=5) as response:
                    page = response.read().decode("utf-8")
            except OSError:
                time.sleep(2)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=60)
    output = log.read_text()
    assert page is not None, f"nothing served on port {port}:\n{output[-3000:]}"
    assert "The linear model and its cost" in page and f"ws://127.0.0.1:{port}" in page
    assert "Using cached notebook" in output and "Executing notebook" not in output, (
        "the preview re-executed chapters that the book build had cached"
    )
    assert not (ROOT / "conf.py").exists(), "the preview left a conf.py in the repository"
    assert git_status() == before, "the preview changed the repository"
