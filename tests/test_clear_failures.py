"""A failing cell is reported in one line naming its file and line, then its traceback once."""

from __future__ import annotations

import sys

import pytest

from conftest import ROOT, build_book
from test_cache_guard import FRONT_MATTER, small_book

sys.path.insert(0, str(ROOT / "book" / "_ext"))
from clear_failures import strip_colours  # noqa: E402

HEADER = (
    FRONT_MATTER
    + """
# A small chapter

Some prose.

```{code-cell} ipython3
total = sum(range(4))
print(total)
```

More prose.
"""
)


@pytest.mark.slow
def test_a_raising_cell_is_summarised_in_one_line_then_its_traceback_once(tmp_path):
    chapter = HEADER + (
        "\n```{code-cell} ipython3\n"
        "# the check that fails\n"
        "values = [1, 2, 3]\n"
        "raise ValueError(f'the check failed for {values[1]}')\n"
        "```\n\nAfter.\n"
    )
    copy = small_book(tmp_path, chapter)
    fence = chapter.splitlines().index("```{code-cell} ipython3", 20) + 1
    raising = fence + 3
    run = build_book(copy)
    out = strip_colours(run.stdout + run.stderr)
    assert run.returncode != 0, out[-3000:]
    summary = (
        f'book/01_small.md:{fence}: code cell 2 ("# the check that fails") raised '
        f"ValueError: the check failed for 2 (line {raising})"
    )
    lines = out.splitlines()
    assert summary in lines, out[-3000:]
    after = out[out.index(summary) :]
    assert after.count("raise ValueError(f'the check failed for {values[1]}')") == 2, after
    assert out.count("Traceback (most recent call last)") == 1, out[-3000:]
    assert out.count("ValueError: the check failed for 2") == 2  # the summary and the traceback
    assert "report this" not in out and "report the issue" not in out, out[-3000:]
    assert "There was an error in building your book" not in out


@pytest.mark.slow
def test_the_stderr_warning_quotes_what_the_cell_wrote(tmp_path):
    chapter = HEADER + (
        "\n```{code-cell} ipython3\nimport sys\n\n"
        "print('careful: the step size is too large', file=sys.stderr)\n```\n"
    )
    copy = small_book(tmp_path, chapter)
    run = build_book(copy)
    out = strip_colours(run.stdout + run.stderr)
    assert run.returncode != 0, out[-3000:]  # a warning, and the build is strict
    assert "stderr was found in the cell outputs of cell 4; it wrote:" in out, out[-3000:]
    assert "    careful: the step size is too large" in out


@pytest.mark.slow
def test_a_cell_that_kills_its_kernel_is_summarised_too(tmp_path):
    chapter = HEADER + "\n```{code-cell} ipython3\nimport os\n\nos._exit(3)\n```\n"
    copy = small_book(tmp_path, chapter)
    fence = chapter.splitlines().index("```{code-cell} ipython3", 20) + 1
    run = build_book(copy)
    out = strip_colours(run.stdout + run.stderr)
    assert run.returncode != 0, out[-3000:]
    assert f'book/01_small.md:{fence}: code cell 2 ("import os") killed its kernel' in out, out
    assert "report this" not in out and "Traceback (most recent call last)" not in out
