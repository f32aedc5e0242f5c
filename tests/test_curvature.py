"""dlpractice.curvature: the Hessian of the cost and the learning rate it allows."""

from __future__ import annotations

import numpy as np
import pytest

from dlpractice.curvature import critical_learning_rate, hessian
from dlpractice.descent import gradient_descent
from dlpractice.divergence import DivergenceError
from dlpractice.gradients import central_difference, mse_gradient

X, Y = [1.0, 2.0, 3.0], [2.0, 4.0, 6.0]


def test_hessian_equals_finite_differences_of_the_gradient():
    x, y = np.array([0.5, 1.0, 4.0, -2.0]), np.array([1.0, 0.0, 2.0, 3.0])
    rows = [
        central_difference(lambda p, i=i: mse_gradient(x, y, p[0], p[1])[i], [0.3, -0.2])
        for i in range(2)
    ]
    np.testing.assert_allclose(hessian(x), rows, rtol=1e-6)
    assert hessian(x, with_bias=False).tolist() == [[2 * np.mean(x * x)]]


def test_critical_rate_is_two_over_the_largest_eigenvalue():
    assert critical_learning_rate(X, with_bias=False) == pytest.approx(3 / 14)
    largest = np.linalg.eigvalsh(hessian(X)).max()
    assert critical_learning_rate(X) == pytest.approx(2 / largest, rel=1e-15)


def test_descent_converges_just_below_the_critical_rate_and_diverges_just_above():
    critical = critical_learning_rate(X, with_bias=False)
    below = gradient_descent(X, Y, w0=1.0, learning_rate=0.95 * critical, epochs=400)
    assert abs(below.w[-1] - 2.0) < 1e-6
    with pytest.raises(DivergenceError, match="learning_rate <"):
        gradient_descent(X, Y, w0=1.0, learning_rate=1.05 * critical, epochs=400)


def test_all_zero_inputs_have_no_critical_rate_without_bias():
    with pytest.raises(ValueError, match="non-zero"):
        critical_learning_rate([0.0, 0.0], with_bias=False)
    assert critical_learning_rate([0.0, 0.0]) == pytest.approx(1.0)  # the bias alone: H = 2
