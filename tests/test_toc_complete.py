"""A chapter file left out of _toc.yml fails the build, and its stale page goes."""

from __future__ import annotations

import sys

import pytest

from conftest import ROOT, build_book
from test_cache_guard import small_book

sys.path.insert(0, str(ROOT / "book" / "_ext"))
from toc_complete import chapters_not_in_toc  # noqa: E402


def test_chapters_not_in_toc_lists_only_unlisted_chapter_files(tmp_path):
    book = tmp_path / "book"
    book.mkdir()
    for name in ["01_a.md", "02_b.md", "appendix_c.md", "glossary.md", "_template.md"]:
        (book / name).write_text("# x\n")
    missing = chapters_not_in_toc(tmp_path, {"book/01_a", "book/glossary"})
    assert [p.name for p in missing] == ["02_b.md", "appendix_c.md"]
    assert chapters_not_in_toc(tmp_path, {"book/01_a", "book/02_b", "book/appendix_c"}) == []


@pytest.mark.slow  # builds a small book
def test_a_chapter_missing_from_the_toc_fails_the_build(tmp_path):
    copy = small_book(tmp_path, (ROOT / "book" / "_template.md").read_text())
    (copy / "book" / "03_forgotten.md").write_text("# Forgotten\n\nNot in the toc.\n")
    stale = copy / "_build" / "html" / "book" / "03_forgotten.html"
    stale.parent.mkdir(parents=True)
    stale.write_text("<p>an old page</p>")
    run = build_book(copy)
    out = run.stdout + run.stderr
    assert run.returncode != 0, out[-3000:]
    assert "book/03_forgotten.md is not in _toc.yml" in out, out[-3000:]
    assert "- file: book/03_forgotten" in out
    assert not stale.exists(), "the stale page of the forgotten chapter is still served"
