"""A change to the package re-executes the chapters; an unchanged tree is served from cache."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

from conftest import ROOT, build_book

sys.path.insert(0, str(ROOT / "book" / "_ext"))
from code_cache_guard import fingerprint, refresh_cache  # noqa: E402


def test_fingerprint_follows_content_and_names(tmp_path):
    package = tmp_path / "pkg"
    package.mkdir()
    (package / "a.py").write_text("x = 1\n")
    before = fingerprint(tmp_path, ["pkg", "missing.txt"])
    assert fingerprint(tmp_path, ["pkg", "missing.txt"]) == before
    (package / "a.py").write_text("x = 2\n")
    assert fingerprint(tmp_path, ["pkg"]) != before
    (package / "a.py").write_text("x = 1\n")
    assert fingerprint(tmp_path, ["pkg", "missing.txt"]) == before
    (package / "a.py").rename(package / "b.py")
    assert fingerprint(tmp_path, ["pkg"]) != before
    (package / "__pycache__").mkdir()
    (package / "__pycache__" / "b.pyc").write_bytes(b"\0")
    renamed = fingerprint(tmp_path, ["pkg"])
    (package / "__pycache__" / "b.pyc").write_bytes(b"\1")
    assert fingerprint(tmp_path, ["pkg"]) == renamed, "bytecode must not count"


def test_refresh_cache_empties_only_on_a_new_fingerprint(tmp_path):
    cache = tmp_path / "cache"
    assert refresh_cache(cache, "one") is True
    (cache / "global.db").write_text("records")
    assert refresh_cache(cache, "one") is False
    assert (cache / "global.db").exists()
    assert refresh_cache(cache, "two") is True
    assert not (cache / "global.db").exists()


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
    assert "[code_cache_guard] package changed: re-executing book/01_small" in out
    assert executed == 1

    executed, _, out = build_and_count()
    assert executed == 0 and "package changed" not in out

    lock = copy / "constraints.txt"
    lock.write_text(lock.read_text() + "# a new pin\n")
    assert build_and_count()[0] == 1

    chapter = copy / "book" / "01_small.md"  # a code-cell edit alone re-runs as well
    chapter.write_text(chapter.read_text().replace("print(sample.max())", "print(sample.min())"))
    assert build_and_count()[0] == 1


def test_the_watch_list_covers_package_data_and_lock():
    config = (ROOT / "_config.yml").read_text()
    assert 'code_cache_guard_watch: ["code/dlpractice", "book/data", "constraints.txt"]' in config


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
