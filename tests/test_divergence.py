"""dlpractice.divergence: one rule for when a run diverges, for numpy and torch loops."""

from __future__ import annotations

import ast
import importlib
import math
import sys
from pathlib import Path

import pytest
import torch

from dlpractice.descent import gradient_descent
from dlpractice.divergence import DIVERGENCE_FACTOR, DivergenceError, divergence_limit
from dlpractice.training import train


def test_the_limit_is_a_million_times_the_start_or_the_reference():
    assert divergence_limit(2.0, reference=5.0) == 2.0 * DIVERGENCE_FACTOR
    assert divergence_limit(0.0, reference=5.0) == 5.0 * DIVERGENCE_FACTOR
    assert 0 < divergence_limit(0.0, reference=0.0) < 1e-200  # never 0: any growth counts
    with pytest.raises(ValueError, match="start"):
        divergence_limit(math.inf, reference=1.0)


def test_numpy_and_torch_loops_raise_the_same_error():
    with pytest.raises(DivergenceError):
        gradient_descent([1.0, 2.0, 3.0], [2.0, 4.0, 6.0], w0=1.0, learning_rate=1.0, epochs=50)
    torch.manual_seed(0)
    model = torch.nn.Linear(1, 1)
    x = torch.tensor([[1.0], [2.0], [3.0]])
    with pytest.raises(DivergenceError, match="diverged"):
        train(
            model,
            torch.nn.MSELoss(),
            torch.optim.SGD(model.parameters(), lr=1.0),
            x,
            2 * x,
            epochs=50,
        )
    assert issubclass(DivergenceError, ArithmeticError)


def imported_modules(name: str) -> set[str]:
    """The dlpractice modules that ``dlpractice.<name>`` imports, read from its source."""
    module = importlib.import_module(f"dlpractice.{name}")
    tree = ast.parse(Path(module.__file__).read_text())
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.level == 1:
            found |= {node.module} if node.module else {alias.name for alias in node.names}
    return found


def test_the_loops_do_not_import_each_other():
    """The reason for the module: the torch loop does not need the numpy descents."""
    assert "divergence" in imported_modules("training")
    assert "divergence" in imported_modules("descent")
    assert not {"descent", "momentum", "nonconvex"} & imported_modules("training")
    assert "training" not in imported_modules("descent")
    assert importlib.import_module("dlpractice.training").DivergenceError is DivergenceError


def test_the_limit_stays_finite_for_a_start_near_the_largest_float():
    # found by tests/test_bad_input_sweep.py: 1e6 * 1e308 was inf, a limit no cost exceeds
    largest = sys.float_info.max
    assert divergence_limit(1e308, reference=5.0) == largest
    assert divergence_limit(0.0, reference=1e308) == largest
    assert divergence_limit(2.0, reference=5.0) == 2e6
