"""A change to the package re-executes the chapters; an unchanged tree is served from cache."""

from __future__ import annotations

import shutil
import sys

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


def test_package_change_reexecutes_chapters_and_no_change_does_not(built_book, tmp_path):
    """Build a copy of the book: warm cache, then edit the package, then rebuild unchanged."""
    copy = tmp_path / "book-copy"
    copy.mkdir()
    for name in ["book", "code", "_config.yml", "_toc.yml", "constraints.txt"]:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, copy / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(source, copy / name)
    shutil.copytree(ROOT / "_build" / ".jupyter_cache", copy / "_build" / ".jupyter_cache")
    chapter_count = len(list((copy / "book").glob("[0-9][0-9]_*.md")))

    warm = build_book(copy)
    assert warm.returncode == 0, warm.stdout[-3000:] + warm.stderr[-3000:]
    assert "Executing notebook" not in warm.stdout, "an unchanged chapter was re-executed"
    assert warm.stdout.count("Using cached notebook") == chapter_count

    init = copy / "code" / "dlpractice" / "__init__.py"
    init.write_text(init.read_text() + "\n# an edit\n")
    edited = build_book(copy)
    assert edited.returncode == 0, edited.stdout[-3000:] + edited.stderr[-3000:]
    assert "[code_cache_guard] package changed" in edited.stdout
    assert edited.stdout.count("Executing notebook") == chapter_count

    again = build_book(copy)
    assert again.returncode == 0
    assert "Executing notebook" not in again.stdout
    assert "package changed" not in again.stdout

    lock = copy / "constraints.txt"
    lock.write_text(lock.read_text() + "# a new pin\n")
    relocked = build_book(copy)
    assert relocked.returncode == 0
    assert relocked.stdout.count("Executing notebook") == chapter_count


def test_a_failing_cell_fails_the_build_naming_chapter_and_cell(tmp_path):
    copy = tmp_path / "broken"
    copy.mkdir()
    shutil.copy2(ROOT / "_config.yml", copy / "_config.yml")
    (copy / "_toc.yml").write_text("format: jb-book\nroot: book/broken\n")
    (copy / "book" / "_ext").mkdir(parents=True)
    for ext in (ROOT / "book" / "_ext").glob("*.py"):
        shutil.copy2(ext, copy / "book" / "_ext" / ext.name)
    (copy / "book" / "references.bib").write_text((ROOT / "book" / "references.bib").read_text())
    (copy / "book" / "broken.md").write_text(
        (ROOT / "book" / "_template.md").read_text()
        + "\n```{code-cell} ipython3\nraise ValueError('this cell is broken')\n```\n"
    )
    run = build_book(copy)
    log = run.stdout + run.stderr
    assert run.returncode != 0
    assert "broken.md" in log
    assert "this cell is broken" in log
