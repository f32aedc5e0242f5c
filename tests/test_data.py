"""dlpractice.data: the course's data set and seeded synthetic ones."""

from __future__ import annotations

import numpy as np
import pytest

from dlpractice.cost_landscape import least_squares
from dlpractice.data import Dataset, course_data, noisy_line, noisy_sine


def test_course_data_is_y_equals_2x():
    data = course_data()
    assert isinstance(data, Dataset)
    assert data.x.tolist() == [1.0, 2.0, 3.0] and data.y.tolist() == [2.0, 4.0, 6.0]
    assert data.x.dtype == data.y.dtype == np.float64
    data.x[0] = 99.0  # a fresh copy each call: a caller cannot spoil the next one
    assert course_data().x[0] == 1.0


def test_noisy_line_is_seeded():
    a, b = noisy_line(50, seed=3), noisy_line(50, seed=3)
    np.testing.assert_array_equal(a.x, b.x)
    np.testing.assert_array_equal(a.y, b.y)
    assert not np.array_equal(a.y, noisy_line(50, seed=4).y)


def test_noisy_line_has_its_line_its_interval_and_its_noise():
    x, y = noisy_line(100_000, w=-1.5, b=3.0, noise=0.25, x_low=-2.0, x_high=5.0, seed=0)
    assert x.min() >= -2.0 and x.max() < 5.0
    assert x.mean() == pytest.approx(1.5, abs=0.03)
    fit = least_squares(x, y)
    assert fit.w == pytest.approx(-1.5, abs=0.005) and fit.b == pytest.approx(3.0, abs=0.01)
    assert np.std(y - (-1.5 * x + 3.0)) == pytest.approx(0.25, rel=0.01)
    x0, y0 = noisy_line(10, noise=0.0, seed=0)
    np.testing.assert_array_equal(y0, 2.0 * x0)


def test_noisy_sine_is_one_period_plus_seeded_noise():
    x, y = noisy_sine(50_000, noise=0.3, seed=2)
    assert 0.0 <= x.min() and x.max() < 1.0
    assert np.std(y - np.sin(2 * np.pi * x)) == pytest.approx(0.3, rel=0.02)
    np.testing.assert_array_equal(noisy_sine(20, seed=5).y, noisy_sine(20, seed=5).y)
    assert not np.array_equal(noisy_sine(20, seed=5).y, noisy_sine(20, seed=6).y)
