"""The markers that keep the fast loop fast (pyproject.toml declares them).

``make check`` runs ``-m "not binder and not slow"``, and ``-m "not book and not binder"``
selects the tests that need no build at all. A test that builds a book or runs kernels of its
own must therefore say so with ``@pytest.mark.slow`` (tests/conftest.py adds ``book`` to it and
to every test that uses the built book); these checks fail, naming the test, when one does not.
"""

from __future__ import annotations

import ast
import re

from conftest import ROOT

# Calls that start a book build or kernels: minutes, even with a warm cache.
SLOW_CALLS = {"build_book", "run_scenario"}


def _marks(decorators: list[ast.expr]) -> set[str]:
    """The names of the ``pytest.mark.<name>`` among decorators or a ``pytestmark`` value."""
    names = set()
    for node in decorators:
        for sub in ast.walk(node):
            if isinstance(sub, ast.Attribute) and isinstance(sub.value, ast.Attribute):
                if sub.value.attr == "mark":
                    names.add(sub.attr)
    return names


def _module_marks(tree: ast.Module) -> set[str]:
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == "pytestmark" for t in node.targets
        ):
            return _marks([node.value])
    return set()


def _calls(function: ast.FunctionDef) -> set[str]:
    return {
        node.func.id
        for node in ast.walk(function)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
    }


def test_tests_that_build_or_run_kernels_are_marked_slow():
    unmarked = []
    for path in sorted((ROOT / "tests").glob("test_*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        module = _module_marks(tree)
        for node in tree.body:
            if isinstance(node, ast.FunctionDef) and node.name.startswith("test_"):
                slow_calls = _calls(node) & SLOW_CALLS
                if slow_calls and "slow" not in module | _marks(node.decorator_list):
                    unmarked.append(f"{path.name}::{node.name} (calls {', '.join(slow_calls)})")
    assert not unmarked, (
        "these tests build a book or run kernels but are not marked slow, so `make check` "
        "runs them: add @pytest.mark.slow above each\n  " + "\n  ".join(unmarked)
    )


def test_the_binder_tests_are_marked_binder():
    tree = ast.parse((ROOT / "tests" / "test_binder.py").read_text(encoding="utf-8"))
    assert "binder" in _module_marks(tree), (
        "tests/test_binder.py needs `pytestmark = pytest.mark.binder` (it installs a whole "
        "environment): without it `make check` runs it"
    )


def test_make_check_leaves_out_binder_and_slow_tests():
    makefile = (ROOT / "Makefile").read_text()
    recipe = re.search(r"^check:.*\n((?:\t.*\n)+)", makefile, re.M)
    assert recipe, "the Makefile has no `check` target"
    assert '-m "not binder and not slow"' in recipe.group(1), recipe.group(1)


def test_the_markers_are_declared():
    text = (ROOT / "pyproject.toml").read_text()
    for marker in ("book", "slow", "binder"):
        assert f'"{marker}: ' in text, f"pyproject.toml does not declare the {marker} marker"
