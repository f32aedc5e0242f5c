"""The package as a whole (``dlpractice/__init__.py``): every module documents itself with
examples, and the test run executes them (issue 13)."""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import tomllib

import dlpractice
from conftest import ROOT

MODULES = sorted(info.name for info in pkgutil.iter_modules(dlpractice.__path__))

#: Modules that have no docstring example yet, each with its reason; remove an entry when
#: the module gets one (the test then fails until it is removed).
NO_EXAMPLES = {"widgets": "its functions write HTML and JavaScript for the static site"}


def test_every_module_has_docstring_examples():
    finder = doctest.DocTestFinder()
    without = []
    for name in MODULES:
        module = importlib.import_module(f"dlpractice.{name}")
        has_examples = any(test.examples for test in finder.find(module))
        if has_examples == (name in NO_EXAMPLES):
            without.append(name)
    assert not without, f"modules without docstring examples, or stale in NO_EXAMPLES: {without}"


def test_the_test_run_executes_the_examples_of_every_module():
    options = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["pytest"]
    settings = options["ini_options"]
    assert "--doctest-modules" in settings["addopts"].split()
    assert "code/dlpractice" in settings["testpaths"]


def test_the_package_docstring_lists_every_public_module():
    listed = dlpractice.__doc__
    missing = [n for n in MODULES if not n.startswith("_") and f"dlpractice.{n}`" not in listed]
    assert not missing, f"dlpractice/__init__.py does not list {missing}"
