"""Chapter 2's non-convex cost: its derivatives, its stationary points, and descent on it."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from dlpractice import nonconvex
from dlpractice.divergence import DivergenceError
from dlpractice.gradients import central_difference

RATE = 0.05  # the chapter's learning rate


def exact_cost(x: Fraction) -> Fraction:
    """f(x) in exact rational arithmetic, from the expanded polynomial."""
    return x**6 / 6 - Fraction(6, 5) * x**5 + Fraction(11, 4) * x**4 - 2 * x**3


def test_values_at_the_stationary_points():
    points = nonconvex.STATIONARY_POINTS
    assert list(points.values()) == [0.0, 1.0, 2.0, 3.0]
    for p in points.values():
        assert nonconvex.gradient(p) == 0
        assert nonconvex.cost(p) == pytest.approx(float(exact_cost(Fraction(p))), abs=1e-13)
    assert exact_cost(Fraction(1)) == Fraction(-17, 60)
    assert exact_cost(Fraction(3)) == Fraction(-27, 20)
    assert [nonconvex.curvature(p) for p in points.values()] == [0.0, 2.0, -4.0, 18.0]
    # the global minimum is the lowest value of the cost anywhere
    grid = np.linspace(-3, 6, 90001)
    assert nonconvex.cost(grid).min() == pytest.approx(nonconvex.cost(3.0), abs=1e-9)


@settings(max_examples=200, deadline=None)
@given(x=st.floats(-2, 4.5, allow_nan=False))
def test_gradient_and_curvature_match_central_differences(x):
    numeric_slope = central_difference(lambda p: nonconvex.cost(p[0]), [x], h=1e-5)[0]
    assert nonconvex.gradient(x) == pytest.approx(numeric_slope, rel=1e-7, abs=1e-7)
    numeric_curve = central_difference(lambda p: nonconvex.gradient(p[0]), [x], h=1e-5)[0]
    assert nonconvex.curvature(x) == pytest.approx(numeric_curve, rel=1e-7, abs=1e-7)


@settings(max_examples=100, deadline=None)
@given(x=st.floats(-2, 4.5, allow_nan=False))
def test_gradient_matches_torch_autograd(x):
    t = torch.tensor(x, dtype=torch.float64, requires_grad=True)
    (t**6 / 6 - 6 * t**5 / 5 + 11 * t**4 / 4 - 2 * t**3).backward()
    assert nonconvex.gradient(x) == pytest.approx(t.grad.item(), rel=1e-9, abs=1e-12)
    exact = float(exact_cost(Fraction(x)))
    assert nonconvex.cost(x) == pytest.approx(exact, rel=1e-12, abs=1e-13)


def test_arrays_in_arrays_out():
    xs = np.array([-1.0, 0.5, 2.5])
    np.testing.assert_array_equal(nonconvex.cost(xs), [nonconvex.cost(x) for x in xs])
    np.testing.assert_array_equal(nonconvex.gradient(xs), [-24.0, -0.46875, -2.34375])
    assert nonconvex.curvature([]).size == 0


def test_stationary_kind():
    kinds = {
        k: nonconvex.stationary_kind(nonconvex.gradient, p)
        for k, p in nonconvex.STATIONARY_POINTS.items()
    }
    assert kinds == {
        "saddle": "saddle",
        "local minimum": "minimum",
        "maximum": "maximum",
        "global minimum": "minimum",
    }
    assert nonconvex.stationary_kind(lambda x: 3 * x**2, 0.0) == "saddle"  # x**3
    assert nonconvex.stationary_kind(lambda x: -3 * x**2, 0.0) == "saddle"  # -x**3
    assert nonconvex.stationary_kind(lambda x: 4 * x**3, 0.0) == "minimum"  # x**4
    assert nonconvex.stationary_kind(lambda x: -4 * x**3, 0.0) == "maximum"  # -x**4
    assert nonconvex.stationary_kind(lambda x: 5 * x**4, 0.0) == "saddle"  # x**5
    assert nonconvex.stationary_kind(lambda x: 0.0, 1.0) == "flat"
    with pytest.raises(ValueError, match=r"point must be stationary .* got slope -0\.46875"):
        nonconvex.stationary_kind(nonconvex.gradient, 0.5)
    with pytest.raises(TypeError, match="slope must be callable, got float"):
        nonconvex.stationary_kind(1.0, 0.0)
    with pytest.raises(ValueError, match="h must be greater than 0"):
        nonconvex.stationary_kind(nonconvex.gradient, 0.0, h=0.0)


def test_the_update_map_is_increasing_on_the_chapters_interval():
    """alpha * f'' < 1 on [-0.5, 3]: the chapter's reason why no run crosses a stationary
    point there."""
    grid = np.linspace(-0.5, 3.0, 35001)
    assert RATE * nonconvex.curvature(grid).max() == pytest.approx(0.9)
    assert np.all(np.diff(grid - RATE * nonconvex.gradient(grid)) > 0)


@settings(max_examples=100, deadline=None)
@given(x0=st.floats(-0.5, 3.0, allow_nan=False))
def test_where_descent_ends_depends_only_on_the_side(x0):
    path = nonconvex.descend(x0=x0, learning_rate=RATE, steps=3000)
    if x0 < 0:  # crawls towards the saddle, never reaches or passes it
        assert np.all(path < 0) and np.all(np.diff(path) >= 0)
        assert path[-1] > -1 / (6 * RATE * 3000)  # e_k <= 1 / (1/e_0 + 6 alpha k)
    elif x0 == 0 or x0 == 2:
        assert np.all(path == x0)  # a stationary point is a fixed point
    elif x0 < 2:  # into the local minimum, monotonically; from just right of the saddle
        # it lingers about 1 / (6 alpha x0) steps first (see the chapter)
        assert np.all((path > 0) & (path < 2))
        assert np.all(np.diff(path) >= 0) if x0 < 1 else np.all(np.diff(path) <= 0)
        if x0 >= 0.01:
            assert path[-1] == pytest.approx(1.0, abs=1e-9)
    else:
        assert path[-1] == pytest.approx(3.0, abs=1e-9)


def test_the_crawl_towards_the_saddle_follows_the_one_over_k_bound():
    path = nonconvex.descend(x0=-0.5, learning_rate=RATE, steps=200)
    distance = -path
    k = np.arange(201)
    bound = 1 / (1 / 0.5 + 6 * RATE * k)
    assert np.all(distance <= bound * (1 + 1e-12))
    assert distance[-1] / bound[-1] > 0.85  # and close to it: 1/k, not geometric


def test_large_steps_jump_over_stationary_points():
    assert nonconvex.descend(x0=-1.0, learning_rate=RATE, steps=300)[1] == pytest.approx(0.2)
    assert nonconvex.descend(x0=-1.0, learning_rate=RATE, steps=300)[-1] == pytest.approx(1.0)
    path = nonconvex.descend(x0=4.0, learning_rate=RATE, steps=300)
    assert path[1] == pytest.approx(-0.8) and -0.05 < path[-1] < 0


def test_descend_agrees_with_torch_sgd():
    x = torch.tensor(1.9, dtype=torch.float64, requires_grad=True)
    optimizer = torch.optim.SGD([x], lr=RATE)
    ours = nonconvex.descend(x0=1.9, learning_rate=RATE, steps=50)
    for k in range(50):
        optimizer.zero_grad()
        (x**6 / 6 - 6 * x**5 / 5 + 11 * x**4 / 4 - 2 * x**3).backward()
        optimizer.step()
        assert x.item() == pytest.approx(ours[k + 1], rel=1e-12)


def test_descend_on_another_function():
    path = nonconvex.descend(x0=3.0, learning_rate=0.25, steps=3, slope=lambda x: 2 * x)
    np.testing.assert_array_equal(path, [3.0, 1.5, 0.75, 0.375])


def test_bad_input_is_reported():
    with pytest.raises(DivergenceError, match="diverged at update 4"):
        nonconvex.descend(x0=10.0, learning_rate=RATE, steps=100)
    with pytest.raises(DivergenceError, match="diverged at update 1"):
        nonconvex.descend(x0=1e300, learning_rate=RATE, steps=100)
    with pytest.raises(ValueError, match="learning_rate must be greater than 0, got 0.0"):
        nonconvex.descend(x0=1.0, learning_rate=0.0, steps=10)
    with pytest.raises(ValueError, match="steps must be at least 1, got 0"):
        nonconvex.descend(x0=1.0, learning_rate=RATE, steps=0)
    with pytest.raises(ValueError, match="x0 must be finite, got nan"):
        nonconvex.descend(x0=float("nan"), learning_rate=RATE, steps=1)
    with pytest.raises(TypeError, match="slope must be callable, got int"):
        nonconvex.descend(x0=1.0, learning_rate=RATE, steps=1, slope=3)
    with pytest.raises(ValueError, match=r"x must be small enough for float64, got 1e\+300"):
        nonconvex.cost(1e300)
    with pytest.raises(ValueError, match="x must be finite, got inf"):
        nonconvex.gradient(float("inf"))
    with pytest.raises(TypeError, match="x must be a real number, got str"):
        nonconvex.curvature("1")
    with pytest.raises(ValueError, match="x must be one-dimensional"):
        nonconvex.cost(np.zeros((2, 2)))
