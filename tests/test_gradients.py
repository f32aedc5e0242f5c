"""dlpractice.gradients: the linear model's gradient, against finite differences and torch."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from dlpractice.gradients import (
    CHUNK,
    Gradient,
    central_difference,
    cost_and_gradient,
    mse_gradient,
)
from dlpractice.linear_model import mse

X, Y = [1.0, 2.0, 3.0], [2.0, 4.0, 6.0]


def test_the_course_numbers():
    cost, grad = cost_and_gradient(X, Y, 1.0, 0.0)
    assert cost == 14 / 3
    assert grad == Gradient(dw=-28 / 3, db=-4.0)
    assert mse_gradient(X, Y, 2.0) == Gradient(0.0, 0.0)  # the minimum


@settings(max_examples=60, deadline=None)
@given(
    data=st.lists(st.tuples(st.floats(-10, 10), st.floats(-10, 10)), min_size=1, max_size=20),
    w=st.floats(-5, 5),
    b=st.floats(-5, 5),
)
def test_gradient_equals_central_differences(data, w, b):
    x, y = map(np.array, zip(*data, strict=True))
    dw, db = mse_gradient(x, y, w, b)
    numeric = central_difference(lambda p: mse(x, y, p[0], p[1]), [w, b], h=1e-5)
    scale = 1 + np.abs(x).max() * (np.abs(x).max() + np.abs(y).max() + 10)
    np.testing.assert_allclose([dw, db], numeric, atol=1e-6 * scale)


def test_gradient_equals_torch_autograd():
    rng = np.random.default_rng(0)
    x, y = rng.normal(size=100), rng.normal(size=100)
    w, b = (
        torch.tensor(0.7, dtype=torch.float64, requires_grad=True),
        torch.tensor(-0.3, dtype=torch.float64, requires_grad=True),
    )
    cost = ((torch.tensor(x) * w + b - torch.tensor(y)) ** 2).mean()
    cost.backward()
    mine_cost, mine = cost_and_gradient(x, y, 0.7, -0.3)
    assert mine_cost == pytest.approx(cost.item(), rel=1e-13)
    assert mine.dw == pytest.approx(w.grad.item(), rel=1e-12)
    assert mine.db == pytest.approx(b.grad.item(), rel=1e-12)


def test_chunked_sums_agree_with_whole_array_sums_beyond_one_chunk():
    rng = np.random.default_rng(1)
    x, y = rng.normal(size=2 * CHUNK + 5), rng.normal(size=2 * CHUNK + 5)
    cost, grad = cost_and_gradient(x, y, 1.5, 0.5)
    residual = 1.5 * x + 0.5 - y
    assert cost == pytest.approx(np.mean(residual**2), rel=1e-12)
    assert grad.dw == pytest.approx(2 * np.mean(x * residual), rel=1e-11)
    assert grad.db == pytest.approx(2 * np.mean(residual), rel=1e-11)


def test_central_difference_error_is_of_order_h_squared():
    def f(p):
        return float(np.exp(p[0]))

    errors = [abs(central_difference(f, [1.0], h=h)[0] - np.e) for h in (1e-2, 1e-3)]
    assert errors[1] < errors[0] / 50  # 100 times smaller in theory


def test_gradient_record_refuses_non_finite_parts():
    with pytest.raises(ValueError, match="db"):
        Gradient(1.0, float("nan"))
