"""The package as a whole (``dlpractice/__init__.py``): every module documents itself with
examples, and the test run executes them (issue 13)."""

from __future__ import annotations

import dataclasses
import doctest
import importlib
import inspect
import pkgutil
import re

import tomllib

import dlpractice
from conftest import ROOT
from test_bad_input_coverage import _public_objects

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


# Counts and rates are keyword-only (issue 13: data comes in the same way everywhere). A call
# reads `descend(x0=3.0, learning_rate=0.1, steps=20)`, never `descend(3.0, 0.1, 20)`, whose
# numbers a reader cannot tell apart; positional stay the data a callable is about (x, y,
# tensors, models, parameter objects). The rule is by name, from the names the package uses:
#: A count: a number of things (samples, epochs, steps, calls, levels), a seed, or a size.
COUNT = r"n|n_\w+|num_\w+|count|\w+_count|epochs|steps|every|patience|progress|levels"
COUNT += r"|seeds?|sizes?|\w+_sizes?"
#: A rate: a learning rate (one or a grid of them), momentum, a decay or smoothing weight.
RATE = r"lr|rates?|\w+_rates?|rates?_\w+|momentum|momenta|beta\d?|\w*decay|smoothing"
#: A numerical setting: a finite difference's width, a threshold.
SETTING = r"h|tol|tolerance"
COUNT_OR_RATE = re.compile(rf"(?:{COUNT}|{RATE}|{SETTING})")
# Left out on purpose: `step` (the index a metric is logged at, or a grid's spacing in
# parameter_grid, like numpy.arange's), `degree` (which polynomial: the model, like
# `activation`), and the layer widths `inputs, hidden, outputs` of TwoLayerParams.random (the
# network's shape, which engine_nn.random_layers takes as one positional `sizes`).


def _signature(obj: object) -> inspect.Signature | None:
    function = obj.fget if isinstance(obj, property) else obj
    function = getattr(function, "__func__", function)  # classmethod, staticmethod
    try:
        return inspect.signature(function)
    except (TypeError, ValueError):  # an exception class has no signature of its own
        return None


def _is_record(obj: object) -> bool:
    """A dataclass or NamedTuple: the package builds it and the reader reads its fields."""
    return inspect.isclass(obj) and (dataclasses.is_dataclass(obj) or hasattr(obj, "_fields"))


def counts_and_rates() -> dict[str, inspect.Parameter]:
    """Every count or rate parameter of a public callable, by ``module.callable(name)``.

    The first parameter (after ``self``/``cls``) is left out: it is what the callable is
    about, positional whatever its name (``noisy_line(20)`` makes 20 points,
    ``series_styles(3)`` gives 3 styles, ``initial_states([0, 1])`` starts from 2 seeds).
    So are records' fields, which the package fills in.
    """
    found = {}
    for qualified, obj in _public_objects().items():
        signature = _signature(obj)
        if signature is None or _is_record(obj):
            continue
        parameters = list(signature.parameters.values())
        if parameters and parameters[0].name in ("self", "cls"):
            parameters = parameters[1:]
        for parameter in parameters[1:]:
            if COUNT_OR_RATE.fullmatch(parameter.name):
                found[f"{qualified}({parameter.name})"] = parameter
    return found


def test_counts_and_rates_are_keyword_only():
    positional = sorted(
        name
        for name, parameter in counts_and_rates().items()
        if parameter.kind not in (parameter.KEYWORD_ONLY, parameter.VAR_KEYWORD)
    )
    assert not positional, (
        f"{len(positional)} counts or rates can be passed by position; put them after `*` "
        "(tests/test_package.py, COUNT_OR_RATE):\n" + "\n".join(positional)
    )


def test_the_rule_finds_the_counts_and_rates_the_package_takes():
    found = counts_and_rates()
    for name in (
        "dlpractice.descent.minibatch_descent(learning_rate)",
        "dlpractice.descent.minibatch_descent(epochs)",
        "dlpractice.descent.minibatch_descent(batch_size)",
        "dlpractice.descent.minibatch_descent(seed)",
        "dlpractice.momentum.momentum_descent(momentum)",
        "dlpractice.monitor.EarlyStopping(patience)",
        "dlpractice.optimizer_comparison.race(rate_grid)",
        "dlpractice.plotting.surface_and_contour_figure(levels)",
    ):
        assert name in found, f"the rule misses {name}"
    assert "dlpractice.data.noisy_line(n)" not in found  # the first parameter: the data
    assert "dlpractice.cost_landscape.parameter_grid(step)" not in found  # a spacing
    assert not any(name.startswith("dlpractice.descent.History(") for name in found)  # a record
