"""book/_ext/static_files.py: a stylesheet edit alone reaches the built site."""

from __future__ import annotations

import pytest

from conftest import build_book
from test_cache_guard import CHAPTER, small_book


@pytest.mark.slow  # builds a small book three times
def test_a_stylesheet_edit_alone_reaches_the_site(tmp_path):
    copy = small_book(tmp_path, CHAPTER.format(title="Small", code="print(1 + 1)"))
    built = copy / "_build" / "html" / "_static" / "dlpractice.css"
    for _ in range(2):  # a cold build, then one with nothing to do
        run = build_book(copy)
        assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    assert "no targets are out of date" in run.stdout  # the case Sphinx skips its copy in
    source = copy / "book" / "_static" / "dlpractice.css"
    source.write_text(source.read_text() + "\n/* an edit */\n.an-edit { color: red; }\n")
    run = build_book(copy)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    assert "no targets are out of date" in run.stdout
    assert ".an-edit { color: red; }" in built.read_text(), "the edited stylesheet was not copied"
