"""The code style checks of CONTRIBUTING.md, run by the tests so that CI enforces them."""

from __future__ import annotations

import re
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


def test_ci_script_pipes_do_not_end_early():
    """Under ``set -o pipefail`` a pipe into ``grep -q`` fails when grep finds its match.

    grep exits at the first match; the writer then dies of SIGPIPE (status 141), and
    pipefail reports the pipeline as failed: a check that the font *is* installed says it is
    not (CI failed so, once). Capture the output first, then test it.
    """
    text = (ROOT / ".ci" / "run").read_text()
    assert "set -euo pipefail" in text
    early = [
        line
        for line in text.splitlines()
        if not line.lstrip().startswith("#") and re.search(r"\|\s*grep\s+-\w*q", line)
    ]
    assert not early, "pipe into grep -q under pipefail: " + "; ".join(early)
