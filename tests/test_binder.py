"""A stand-in for mybinder.org: a fresh environment from binder/ alone runs every chapter.

mybinder.org is out of reach from here, so this test does what repo2docker would: a new
virtual environment, ``pip install -r binder/requirements.txt``, then ``binder/postBuild``
(with a throw-away HOME). Each chapter is then opened the way JupyterLab's jupytext opens it
and executed with nbclient, in that environment's own kernel, from the chapter's folder.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import venv
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
