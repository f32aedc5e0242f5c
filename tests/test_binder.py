"""A stand-in for mybinder.org: a fresh environment from binder/ alone runs every chapter.

mybinder.org is out of reach from here, so this test does what repo2docker would: a new
virtual environment, ``pip install -r binder/requirements.txt``, then ``binder/postBuild``
(with a throw-away HOME). Each chapter is then opened the way JupyterLab's jupytext opens it
and executed with nbclient, in that environment's own kernel, from the chapter's folder.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
import venv
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from conftest import ROOT, chapters

pytestmark = pytest.mark.binder  # minutes: pip installs torch into a new environment

RUN_CHAPTER = """
import sys
import jupytext
from nbclient import NotebookClient

notebook = jupytext.read(sys.argv[1])
assert notebook.metadata["kernelspec"]["name"] == "python3"
NotebookClient(notebook, timeout=600, kernel_name="python3",
               resources={"metadata": {"path": sys.argv[2]}}).execute()
outputs = sum(len(cell.get("outputs", [])) for cell in notebook.cells)
print("executed", sys.argv[1], "outputs", outputs)
"""


@pytest.fixture(scope="module")
def binder_env(tmp_path_factory) -> dict:
    """A virtual environment built from binder/ only, and the HOME its postBuild wrote."""
    base = tmp_path_factory.mktemp("binder")
    env_dir, home = base / "venv", base / "home"
    home.mkdir()
    venv.create(env_dir, with_pip=True)
    bin_dir = env_dir / "bin"
    environ = {
        **os.environ,
        "HOME": str(home),
        "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}",
    }
    environ.pop("PYTHONPATH", None)
    # The CPU index that binder/requirements.txt names is out of reach here; without this,
    # pip retries it with back-off for every package and the install takes many minutes.
    environ["PIP_RETRIES"] = "0"
    for command in (
        [
            str(bin_dir / "python"),
            "-m",
            "pip",
            "install",
            "--quiet",
            "-r",
            "binder/requirements.txt",
        ],
        ["bash", "binder/postBuild"],
    ):
        step = subprocess.run(
            command, cwd=ROOT, env=environ, capture_output=True, text=True, timeout=1800
        )
        assert step.returncode == 0, step.stdout[-3000:] + step.stderr[-3000:]
    return {"python": bin_dir / "python", "home": home, "environ": environ}


def test_binder_environment_has_jupyterlab_jupytext_and_the_package(binder_env):
    run = subprocess.run(
        [
            str(binder_env["python"]),
            "-c",
            "import dlpractice, jupytext, jupyterlab, torch;"
            "print(dlpractice.__file__, torch.__version__)",
        ],
        env=binder_env["environ"],
        capture_output=True,
        text=True,
    )
    assert run.returncode == 0, run.stderr
    assert str(ROOT / "code" / "dlpractice") in run.stdout, "the package must be the repo's"
    assert run.stdout.split()[1].startswith("2.13.0"), "torch must be the pinned release"
    assert Path(sys.executable).resolve() != Path(binder_env["python"]).resolve()


def test_markdown_chapters_open_as_notebooks_in_jupyterlab(binder_env):
    settings = binder_env["home"] / ".jupyter" / "labconfig" / "default_setting_overrides.json"
    viewers = json.loads(settings.read_text())["@jupyterlab/docmanager-extension:plugin"]
    assert viewers["defaultViewers"]["markdown"] == "Jupytext Notebook"
    assert viewers["defaultViewers"]["myst"] == "Jupytext Notebook"


@pytest.fixture(scope="module")
def chapter_runs(binder_env) -> dict[str, subprocess.CompletedProcess[str]]:
    """Every chapter executed in the Binder environment, two at a time (two cores here)."""

    def execute(chapter: Path) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(binder_env["python"]), "-c", RUN_CHAPTER, str(chapter), str(chapter.parent)],
            cwd=chapter.parent,
            env=binder_env["environ"],
            capture_output=True,
            text=True,
            timeout=900,
        )

    with ThreadPoolExecutor(max_workers=2) as pool:
        return dict(zip((c.stem for c in chapters()), pool.map(execute, chapters()), strict=True))


@pytest.mark.parametrize("chapter", chapters(), ids=lambda p: p.stem)
def test_chapter_runs_in_the_binder_environment(chapter_runs, chapter):
    run = chapter_runs[chapter.stem]
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-5000:]
    assert f"executed {chapter}" in run.stdout


# --- JupyterLab itself, from the Binder environment, in a browser ---------------------------

LAB_CHAPTER = "01_linear_model"
#: the chapter's first code cell prints this
FIRST_OUTPUT = "x (hours):"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def jupyterlab(binder_env, tmp_path_factory) -> Iterator[str]:
    """JupyterLab from the Binder environment on loopback, serving a copy of one chapter
    (JupyterLab saves what it opens; the repository's chapter must not change)."""
    root = tmp_path_factory.mktemp("lab")
    (root / "book").mkdir()
    shutil.copy2(ROOT / "book" / f"{LAB_CHAPTER}.md", root / "book")
    port, token = _free_port(), secrets.token_hex(16)
    log = (root.parent / "jupyterlab.log").open("w")
    lab = subprocess.Popen(
        [
            str(binder_env["python"].parent / "jupyter"),
            "lab",
            "--no-browser",
            "--ip=127.0.0.1",
            f"--port={port}",
            f"--IdentityProvider.token={token}",
            f"--ServerApp.root_dir={root}",
            f"--LabApp.workspaces_dir={root.parent / 'workspaces'}",
            "--allow-root",  # CI runs as root
        ],
        env=binder_env["environ"],
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 120
        while True:
            assert lab.poll() is None, f"JupyterLab exited: {Path(log.name).read_text()[-3000:]}"
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/api/status?token={token}")
                break
            except OSError:
                assert time.monotonic() < deadline, "JupyterLab did not start within 120 s"
                time.sleep(0.5)
        yield f"http://127.0.0.1:{port}/lab/tree/book/{LAB_CHAPTER}.md?token={token}"
    finally:
        lab.terminate()
        try:
            lab.wait(timeout=30)
        except subprocess.TimeoutExpired:
            lab.kill()
            lab.wait()
        log.close()


@pytest.mark.binder
def test_a_chapter_opens_in_jupyterlab_as_a_notebook_with_myst_rendered_and_runs(
    jupyterlab, tmp_path
):
    """What a reader gets from the launch button: the chapter opens as a notebook, not as
    text; its directives render (an exercise as an exercise box, not raw ```{exercise}); and
    its first code cell runs in the environment's kernel."""
    from test_browser import CHROMIUM, MISSING, sync_api

    if MISSING:
        pytest.fail("no browser for the JupyterLab test: no " + " and no ".join(MISSING))
    origin = urllib.parse.urlparse(jupyterlab).netloc
    screenshot = tmp_path / "jupyterlab.png"
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"]
        )
        page = browser.new_page(viewport={"width": 1366, "height": 900})
        blocked: list[str] = []

        def loopback_only(route):
            if urllib.parse.urlparse(route.request.url).netloc == origin:
                route.continue_()
            else:
                blocked.append(route.request.url)
                route.abort()

        page.route("**/*", loopback_only)
        page.goto(jupyterlab)
        page.wait_for_selector(".jp-NotebookPanel .jp-Notebook .jp-CodeCell", timeout=90_000)
        assert page.locator(".jp-FileEditor").count() == 0, "the chapter opened as text"

        # the colon-fenced admonition at the top, rendered by jupyterlab-myst
        page.wait_for_selector(".jp-MarkdownCell .myst aside.myst-admonition", timeout=30_000)
        title = page.locator(".myst-admonition-header").first.inner_text()
        assert title.strip() == "In this chapter"

        # the first code cell runs in the kernel the chapter names, once that kernel is up
        status = page.locator(".jp-StatusBar-Widget", has_text="Python 3 (ipykernel) | Idle")
        status.first.wait_for(timeout=120_000)
        first = page.locator(".jp-Notebook .jp-CodeCell").first
        first.locator(".jp-InputPrompt").click()  # select it, in command mode
        page.keyboard.press("Shift+Enter")
        output = first.locator(".jp-OutputArea-output", has_text=FIRST_OUTPUT)
        try:
            output.wait_for(timeout=120_000)
        except sync_api.TimeoutError:
            page.screenshot(path=str(screenshot))
            pytest.fail(
                f"the first cell printed nothing in 120 s; its prompt "
                f"{first.locator('.jp-InputPrompt').inner_text()!r}, the kernel "
                f"{page.locator('.jp-StatusBar-Widget').all_inner_texts()}, see {screenshot}"
            )

        # the exercises are at the end: scroll until the first one is rendered as a box
        # (read in one step: jupyterlab-myst re-renders a cell, replacing its nodes)
        header = None
        for _ in range(400):
            header = page.evaluate(
                "() => { const o = document.querySelector('.jp-WindowedPanel-outer');"
                " const h = document.querySelector("
                "'.jp-MarkdownCell .myst .myst-exercise .myst-exercise-header');"
                " if (h) return h.textContent; o.scrollTop += o.clientHeight / 2; return null; }"
            )
            if header:
                break
            time.sleep(0.1)
        assert header, "no exercise rendered by jupyterlab-myst"
        assert header.strip().startswith("Exercise 1") and "A different data set" in header
        rendered = " ".join(page.locator(".jp-MarkdownCell .myst").all_text_contents())
        assert "{exercise}" not in rendered and ":::{admonition}" not in rendered
        browser.close()
