"""The code style checks of CONTRIBUTING.md, run by the tests so that CI enforces them."""

from __future__ import annotations

import subprocess

from conftest import BIN, ROOT

LINTED = ["code", "tests", "benchmarks", "book/_ext"]


def test_ruff_check_is_clean():
    run = subprocess.run(
        [str(BIN / "ruff"), "check", *LINTED], cwd=ROOT, capture_output=True, text=True
    )
    assert run.returncode == 0, run.stdout + run.stderr


def test_ruff_format_is_clean():
    run = subprocess.run(
        [str(BIN / "ruff"), "format", "--check", *LINTED], cwd=ROOT, capture_output=True, text=True
    )
    assert run.returncode == 0, run.stdout + run.stderr


def test_ci_script_parses():
    """``.ci/run`` is what CI executes first: a quoting slip there fails every run."""
    run = subprocess.run(["bash", "-n", ".ci/run"], cwd=ROOT, capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
