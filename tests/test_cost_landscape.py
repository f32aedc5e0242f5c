"""dlpractice.cost_landscape: the cost over a grid of parameters, and the exact minimum."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from dlpractice.cost_landscape import (
    SufficientStatistics,
    cost_curve,
    cost_surface,
    grid_minimum,
    least_squares,
    least_squares_through_origin,
    parameter_grid,
)
from dlpractice.data import course_data, noisy_line
from dlpractice.linear_model import mse

X, Y = course_data()


finite = st.floats(-100, 100, allow_nan=False, allow_infinity=False)


def test_cost_is_the_closed_form_parabola():
    grid = parameter_grid(0.0, 4.0, 0.1)
    np.testing.assert_allclose(cost_curve(X, Y, grid), 14 / 3 * (grid - 2) ** 2, atol=1e-12)


def test_parameter_grid_has_exact_ends_and_decimal_values():
    grid = parameter_grid(0.0, 4.0, 0.1)
    assert grid[0] == 0.0 and grid[-1] == 4.0
    assert grid[3] == 0.3  # np.arange gives 0.30000000000000004
    assert parameter_grid(-2.0, 2.0, 0.5).tolist() == [
        -2.0,
        -1.5,
        -1.0,
        -0.5,
        0.0,
        0.5,
        1.0,
        1.5,
        2.0,
    ]


def test_surface_orientation_rows_are_b_columns_are_w():
    w_axis = parameter_grid(0.0, 4.0, 0.5)  # 9 values
    b_axis = parameter_grid(-1.0, 1.0, 0.5)  # 5 values: a non-square grid
    surface = cost_surface(X, Y, w_axis, b_axis)
    assert surface.cost.shape == (b_axis.size, w_axis.size)
    for i, b in enumerate(b_axis):
        for j, w in enumerate(w_axis):
            assert surface.w[i, j] == w and surface.b[i, j] == b
            assert surface.cost[i, j] == pytest.approx(mse(X, Y, w, b), abs=1e-12)


def test_a_transposed_square_surface_is_caught():
    """On a square grid a transposed array has the right shape: only the values tell."""
    axis = parameter_grid(-1.0, 3.0, 0.5)
    surface = cost_surface(X, Y, axis, axis)
    direct = np.array([[mse(X, Y, w, b) for w in axis] for b in axis])
    np.testing.assert_allclose(surface.cost, direct, atol=1e-12)
    assert not np.allclose(surface.cost.T, direct)


def test_grid_minimum_of_the_course_surface_is_2_0():
    surface = cost_surface(X, Y, parameter_grid(0, 4, 0.1), parameter_grid(-2, 2, 0.1))
    assert grid_minimum(surface) == (2.0, 0.0, 0.0)


def test_least_squares_matches_numpy_lstsq_on_noisy_data():
    x, y = noisy_line(200, w=2.5, b=1.0, noise=1.0, seed=0)
    exact = least_squares(x, y)
    design = np.column_stack([x, np.ones_like(x)])
    (w, b), residual, *_ = np.linalg.lstsq(design, y, rcond=None)
    assert (exact.w, exact.b) == pytest.approx((w, b), rel=1e-12)
    assert exact.cost == pytest.approx(residual[0] / x.size, rel=1e-10)
    assert exact.cost == pytest.approx(mse(x, y, w, b), rel=1e-10)
    assert least_squares_through_origin(X, Y) == 2.0


def test_grid_search_error_is_within_half_a_step():
    x, y = noisy_line(200, w=2.5, b=1.0, noise=1.0, seed=0)
    exact = least_squares(x, y)
    for step in [0.5, 0.1, 0.01]:
        found = grid_minimum(
            cost_surface(x, y, parameter_grid(0, 4, step), parameter_grid(-2, 4, step))
        )
        # The grid point nearest the minimum need not be the best one on a slanted bowl,
        # but the best one lies within a few steps, and never below the true minimum.
        assert abs(found.w - exact.w) <= 2 * step
        assert found.cost >= exact.cost


def test_minimum_cost_estimates_the_noise_variance():
    """Maximum likelihood under Gaussian noise: E[r_min] = sigma^2 (N - 2) / N, and r_min
    approaches sigma^2 as N grows (chapter 1, "Why the squared error")."""
    n, sigma, seeds = 10, 1.5, 2000
    costs = np.array(
        [least_squares(*noisy_line(n, noise=sigma, seed=s)).cost for s in range(seeds)]
    )
    expected = sigma**2 * (n - 2) / n
    standard_error = sigma**2 * np.sqrt(2 * (n - 2)) / n / np.sqrt(seeds)
    assert abs(costs.mean() - expected) < 4 * standard_error
    big = least_squares(*noisy_line(200_000, noise=sigma, seed=0)).cost
    assert abs(big - sigma**2) < 4 * sigma**2 * np.sqrt(2 / 200_000)


def test_same_seed_scales_the_minimum_cost_by_the_noise_variance():
    base = least_squares(*noisy_line(500, w=2.5, b=1.0, noise=1.0, seed=4)).cost
    for sigma in [0.5, 2.0, 3.0]:
        cost = least_squares(*noisy_line(500, w=2.5, b=1.0, noise=sigma, seed=4)).cost
        assert cost == pytest.approx(sigma**2 * base, rel=1e-9)


@settings(max_examples=200, deadline=None)
@given(
    xy=st.integers(1, 30).flatmap(
        lambda n: st.tuples(
            arrays(np.float64, n, elements=finite), arrays(np.float64, n, elements=finite)
        )
    ),
    w=finite,
    b=finite,
)
def test_sufficient_statistics_give_the_direct_cost(xy, w, b):
    x, y = xy
    stats = SufficientStatistics.from_data(x, y)
    direct = mse(x, y, w, b)
    assert float(stats.cost(w, b)) == pytest.approx(direct, rel=1e-9, abs=1e-9)
    assert stats.residual >= 0
