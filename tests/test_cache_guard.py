"""A change to a package module re-executes the chapters that run it; the others, and an
unchanged tree, are served from the cache."""

from __future__ import annotations

import ast
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT, build_book

sys.path.insert(0, str(ROOT / "book" / "_ext"))
from code_cache_guard import changed_files, file_hashes  # noqa: E402
from import_graph import Package, parse_cells  # noqa: E402


def test_file_hashes_follow_content_and_names(tmp_path):
    package = tmp_path / "pkg"
    package.mkdir()
    (package / "a.py").write_text("x = 1\n")
    before = file_hashes(tmp_path, ["pkg", "missing.txt"])
    assert list(before) == ["pkg/a.py"]
    (package / "a.py").write_text("x = 2\n")
    assert changed_files(before, file_hashes(tmp_path, ["pkg"])) == ["pkg/a.py"]
    (package / "a.py").rename(package / "b.py")
    assert changed_files(before, file_hashes(tmp_path, ["pkg"])) == ["pkg/a.py", "pkg/b.py"]
    (package / "__pycache__").mkdir()
    (package / "__pycache__" / "b.pyc").write_bytes(b"\0")
    assert list(file_hashes(tmp_path, ["pkg"])) == ["pkg/b.py"], "bytecode must not count"


def _toy_package(tmp_path: Path) -> Package:
    """pkg: __init__ re-exports ``leaf_value`` from ``leaf``; ``user`` imports ``middle``
    (relatively), which imports ``leaf`` inside a function; ``alone`` imports nothing."""
    pkg = tmp_path / "pkg"
    (pkg / "sub").mkdir(parents=True)
    (pkg / "__init__.py").write_text("from .leaf import leaf_value\nVERSION = 1\n")
    (pkg / "leaf.py").write_text("def leaf_value():\n    return 1\n")
    (pkg / "middle.py").write_text("def f():\n    from pkg.leaf import leaf_value\n")
    (pkg / "user.py").write_text("from . import middle\n")
    (pkg / "alone.py").write_text("import math\n")
    (pkg / "sub" / "__init__.py").write_text("")
    (pkg / "sub" / "deep.py").write_text("from ..alone import math\n")
    return Package.load(pkg)


def _runs(package: Package, *cells: str) -> list[str]:
    files = package.files_run_by(parse_cells(list(cells)))
    return sorted(f.relative_to(package.folder).as_posix() for f in files)


def test_the_import_graph_follows_modules_reexports_and_relative_imports(tmp_path):
    package = _toy_package(tmp_path)
    assert _runs(package, "import numpy as np\nprint(np.pi)") == []
    assert _runs(package, "from pkg.alone import math") == ["__init__.py", "alone.py"]
    # through another module, an import inside a function, a relative import
    assert _runs(package, "import pkg.user as u") == [
        "__init__.py",
        "leaf.py",
        "middle.py",
        "user.py",
    ]
    # a re-export resolves to the module that defines the name, not all __init__ imports
    assert _runs(package, "%matplotlib inline\nfrom pkg import leaf_value") == [
        "__init__.py",
        "leaf.py",
    ]
    assert _runs(package, "from pkg import VERSION") == ["__init__.py", "leaf.py"]
    assert _runs(package, "from pkg.sub.deep import math") == [
        "__init__.py",
        "alone.py",
        "sub/__init__.py",
        "sub/deep.py",
    ]
    everything = sorted(f.relative_to(package.folder).as_posix() for f in package.files.values())
    assert _runs(package, "import pkg") == everything  # any attribute may be reached
    assert _runs(package, "from pkg import *") == everything
    assert _runs(package, "x = (") == everything  # does not parse: unsure
    assert _runs(package, "import importlib\nimportlib.import_module('pkg.alone')") == everything
    (package.folder / "table.csv").write_text("1,2\n")
    reloaded = Package.load(package.folder)
    assert _runs(reloaded, "from pkg.alone import math") == ["__init__.py", "alone.py", "table.csv"]


def test_the_static_graph_covers_what_importing_each_module_loads():
    """For every module of dlpractice: the modules a fresh interpreter has loaded after
    importing it are among those the static graph says it runs."""
    package = Package.load(ROOT / "code" / "dlpractice")
    names = {path: name for name, path in package.files.items()}
    script = (
        "import importlib, sys\n"
        "importlib.import_module(sys.argv[1])\n"
        "print(' '.join(m for m in sys.modules if m.split('.')[0] == 'dlpractice'))\n"
    )
    for module in sorted(package.files):
        static = {names[p] for p in package.files_run_by(ast.parse(f"import {module}"))}
        run = subprocess.run(
            [sys.executable, "-c", script, module], capture_output=True, text=True, check=True
        )
        loaded = set(run.stdout.split())
        assert module in loaded
        assert loaded <= static, f"{module} loads {loaded - static}, which the graph misses"


def small_book(tmp_path: Path, chapter_text: str, second_chapter: str | None = None) -> Path:
    """A copy of the book's configuration and package with one or two small chapters."""
    copy = tmp_path / "small-book"
    (copy / "book" / "_ext").mkdir(parents=True)
    for name in ["_config.yml", "constraints.txt", "book/references.bib", "book/references.md"]:
        shutil.copy2(ROOT / name, copy / name)
    shutil.copytree(ROOT / "book" / "_static", copy / "book" / "_static")
    shutil.copytree(ROOT / "book" / "_templates", copy / "book" / "_templates")
    for ext in (ROOT / "book" / "_ext").glob("*.py"):
        shutil.copy2(ext, copy / "book" / "_ext" / ext.name)
    shutil.copytree(ROOT / "code", copy / "code", ignore=shutil.ignore_patterns("__pycache__"))
    chapters = "  - file: book/references\n"
    if second_chapter is not None:
        chapters += "  - file: book/02_small\n"
        (copy / "book" / "02_small.md").write_text(second_chapter)
    (copy / "_toc.yml").write_text(f"format: jb-book\nroot: book/01_small\nchapters:\n{chapters}")
    (copy / "book" / "01_small.md").write_text(chapter_text)
    return copy


@pytest.mark.slow  # builds a small book
def test_package_change_reexecutes_chapters_and_no_change_does_not(tmp_path):
    """Cold build, no-change rebuild, package edit, no-change again, lock-file edit."""
    copy = small_book(tmp_path, (ROOT / "book" / "_template.md").read_text())

    def build_and_count() -> tuple[int, int, str]:
        run = build_book(copy)
        assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
        out = run.stdout
        return out.count("Executing notebook"), out.count("Using cached notebook"), out

    assert build_and_count()[0] == 1  # cold: the chapter runs
    executed, cached, _ = build_and_count()
    assert executed == 0, "an unchanged chapter was re-executed"

    init = copy / "code" / "dlpractice" / "__init__.py"
    init.write_text(init.read_text() + "\n# an edit\n")
    executed, _, out = build_and_count()
    assert (
        "[code_cache_guard] re-executing book/01_small: code/dlpractice/__init__.py changed" in out
    )
    assert executed == 1

    executed, _, out = build_and_count()
    assert executed == 0 and "re-executing" not in out

    lock = copy / "constraints.txt"
    lock.write_text(lock.read_text() + "# a new pin\n")
    assert build_and_count()[0] == 1

    chapter = copy / "book" / "01_small.md"  # a code-cell edit alone re-runs as well
    chapter.write_text(chapter.read_text().replace("print(sample.max())", "print(sample.min())"))
    assert build_and_count()[0] == 1


#: The front matter of a MyST notebook chapter (the small books' chapters start with it).
FRONT_MATTER = """---
jupytext:
  text_representation:
    extension: .md
    format_name: myst
    format_version: 0.13
kernelspec:
  display_name: Python 3
  language: python
  name: python3
---
"""

CHAPTER = (
    FRONT_MATTER  # has no braces for format() to take
    + """
# {title}

Prose.

```{{code-cell}} ipython3
{code}
```
"""
)


@pytest.mark.slow
def test_a_module_change_reexecutes_only_the_chapters_that_run_it(tmp_path):
    """Chapter 1 imports linear_model; chapter 2 imports descent, which imports gradients;
    both run _validation."""
    first = CHAPTER.format(
        title="First", code="from dlpractice import linear_model\n\nprint(linear_model.__name__)"
    )
    second = CHAPTER.format(
        title="Second",
        code="from dlpractice.descent import gradient_descent\n\nprint(gradient_descent.__name__)",
    )
    copy = small_book(tmp_path, first, second_chapter=second)
    package = copy / "code" / "dlpractice"

    def edit_and_build(module: str | None) -> list[str]:
        if module is not None:
            path = package / f"{module}.py"
            path.write_text(path.read_text() + "\n# an edit\n")
        run = build_book(copy)
        assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
        executed = re.findall(r"book/(0\d_small)\.md: Execut(?:ing|ed) notebook", run.stdout)
        return sorted(set(executed))

    assert edit_and_build(None) == ["01_small", "02_small"]  # cold
    assert edit_and_build(None) == []
    assert edit_and_build("linear_model") == ["01_small"]  # imported by chapter 1 only
    assert edit_and_build("gradients") == ["02_small"]  # through descent, chapter 2 only
    assert edit_and_build("monitor") == []  # imported by neither
    assert edit_and_build("_validation") == ["01_small", "02_small"]  # by both, indirectly


def relabelled(chapter: str) -> str:
    """The template with its labels renamed, so that two copies can share a book."""
    return chapter.replace("ch-template", "ch-second").replace("template-ex-", "second-ex-")


@pytest.mark.slow  # builds a small book
def test_chapters_execute_in_parallel_and_are_then_served_from_the_cache(tmp_path):
    template = (ROOT / "book" / "_template.md").read_text()
    copy = small_book(tmp_path, template, second_chapter=relabelled(template))
    run = build_book(copy)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    assert "[parallel_execution] executing 2 notebooks" in run.stdout
    assert run.stdout.count("Executed notebook in") == 2
    assert run.stdout.count("[parallel]") == 2
    assert run.stdout.count("Using cached notebook") == 2
    assert "Executing notebook" not in run.stdout, "myst-nb ran a notebook a second time"


@pytest.mark.slow  # builds a small book
def test_a_chapter_failing_in_a_worker_still_fails_the_build_with_its_cell(tmp_path):
    template = (ROOT / "book" / "_template.md").read_text()
    broken = relabelled(template) + (
        "\n```{code-cell} ipython3\nraise ValueError('broken in a worker')\n```\n"
    )
    copy = small_book(tmp_path, template, second_chapter=broken)
    run = build_book(copy)
    log = run.stdout + run.stderr
    assert run.returncode != 0
    assert "02_small.md: failed in a worker" in log
    assert "broken in a worker" in log and "02_small.md" in log
    # myst-nb runs it again in a normal kernel; book/_ext/clear_failures.py reports it
    assert "raised ValueError: broken in a worker" in log
    assert "report this" not in log


@pytest.mark.slow
def test_a_second_environment_rereads_what_the_first_reexecuted(tmp_path):
    """The Chinese edition reads the same sources in an environment of its own, from the
    same cache: after a module edit it must show the new output without executing it."""
    code = (
        "import inspect\n\nfrom dlpractice import linear_model\n\n"
        "print('source length', len(inspect.getsource(linear_model)))"
    )
    copy = small_book(tmp_path, CHAPTER.format(title="First", code=code))
    module = copy / "code" / "dlpractice" / "linear_model.py"

    def build(output: Path | None = None) -> str:
        run = build_book(copy, *([] if output is None else ["--path-output", str(output)]))
        assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
        return run.stdout

    def page(output: Path) -> str:
        return (output / "_build" / "html" / "book" / "01_small.html").read_text()

    other = tmp_path / "other"  # its own environment; the cache is the working folder's
    assert "Executed notebook" in build()
    assert "Executing notebook" not in build(other)
    module.write_text(module.read_text() + "\n# an edit that changes the length\n")
    expected = f"source length {len(module.read_text())}"
    assert "Executing notebook" in build()
    assert expected in page(copy)
    log = build(other)
    assert "Executing notebook" not in log and "Using cached notebook" in log
    assert expected in page(other), "the second environment kept the old output"
