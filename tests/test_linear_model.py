"""dlpractice.linear_model: the model y_hat = x*w + b, its loss and its cost (chapter 1)."""

from __future__ import annotations

import numpy as np
import pytest

from dlpractice.cost_landscape import cost_curve, parameter_grid
from dlpractice.data import course_data
from dlpractice.linear_model import mse, predict, squared_error

X, Y = course_data()


def course_search_loop() -> tuple[list[float], list[float]]:
    """The course's lecture-2 program, verbatim but for printing."""
    w_list, mse_list = [], []
    for w in np.arange(0.0, 4.1, 0.1):
        l_sum = 0
        for x_val, y_val in zip([1.0, 2.0, 3.0], [2.0, 4.0, 6.0], strict=True):
            y_pred = x_val * w
            l_sum += (y_pred - y_val) * (y_pred - y_val)
        w_list.append(w)
        mse_list.append(l_sum / 3)
    return w_list, mse_list


def test_course_numbers():
    assert predict(X, 3.0).tolist() == [3.0, 6.0, 9.0]
    assert squared_error(X, Y, 3.0).tolist() == [1.0, 4.0, 9.0]
    assert mse(X, Y, 3.0) == pytest.approx(14 / 3, rel=1e-15)
    assert mse(X, Y, 2.0) == 0.0
    assert mse(X, Y, 0.0) == pytest.approx(56 / 3, rel=1e-15)


def test_vectorised_search_matches_the_course_loop():
    w_list, mse_list = course_search_loop()
    grid = parameter_grid(0.0, 4.0, 0.1)
    assert grid.size == len(w_list) == 41
    np.testing.assert_allclose(grid, w_list, rtol=0, atol=1e-14)
    np.testing.assert_allclose(cost_curve(X, Y, grid), mse_list, rtol=1e-12, atol=1e-13)
    assert grid[int(np.argmin(cost_curve(X, Y, grid)))] == 2.0


def test_the_cost_is_the_mean_of_the_squared_errors_with_a_bias():
    x, y = np.array([0.5, -1.0, 2.0, 4.0]), np.array([1.0, 1.0, 0.0, -3.0])
    errors = squared_error(x, y, -0.5, 0.25)
    np.testing.assert_allclose(errors, (x * -0.5 + 0.25 - y) ** 2)
    assert mse(x, y, -0.5, 0.25) == pytest.approx(errors.mean(), rel=1e-15)
    np.testing.assert_array_equal(predict(x, -0.5, 0.25), x * -0.5 + 0.25)
