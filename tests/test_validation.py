"""Bad input gets a clear error that names the argument; nothing returns NaN."""

from __future__ import annotations

import math

import numpy as np
import pytest

from dlpractice.cost_landscape import (
    cost_curve,
    cost_surface,
    grid_minimum,
    least_squares,
    least_squares_through_origin,
    parameter_grid,
)
from dlpractice.data import noisy_line
from dlpractice.descent import gradient_descent, minibatch_descent
from dlpractice.gradients import central_difference, mse_gradient
from dlpractice.linear_model import mse, predict


@pytest.mark.parametrize(
    ("call", "error", "words"),
    [
        (lambda: mse([1, 2, 3], [2, 4], 1.0), ValueError, "same length"),
        (lambda: mse([], [], 1.0), ValueError, "x must not be empty"),
        (lambda: mse([1, math.nan], [1, 2], 1.0), ValueError, "x must be finite"),
        (lambda: mse([1, 2], [1, math.inf], 1.0), ValueError, "y must be finite"),
        (lambda: mse([[1, 2]], [[1, 2]], 1.0), ValueError, "one-dimensional"),
        (lambda: mse("123", [1, 2, 3], 1.0), TypeError, "x must be a sequence"),
        (lambda: mse([1, 2], [1, 2], "1"), TypeError, "w must be a real number"),
        (lambda: mse([1, 2], [1, 2], math.nan), ValueError, "w must be finite"),
        (lambda: mse([1, 2], [1, 2], 1.0, b=True), TypeError, "b must be a real number"),
        (lambda: predict(["a"], 1.0), TypeError, "x must be a sequence of real numbers"),
        (lambda: parameter_grid(4.0, 0.0, 0.1), ValueError, "start must be less than stop"),
        (lambda: parameter_grid(0.0, 4.0, 0.0), ValueError, "step must be greater than 0"),
        (lambda: parameter_grid(0.0, 4.0, 0.3), ValueError, "whole number of steps"),
        (lambda: parameter_grid(0.0, 1.0, 2.0), ValueError, "whole number of steps"),
        (lambda: parameter_grid(0.0, math.inf, 0.1), ValueError, "stop must be finite"),
        (lambda: cost_curve([1, 2], [1, 2], []), ValueError, "w_values must not be empty"),
        (lambda: cost_surface([1], [1], [1.0], [[0.0]]), ValueError, "b_values must be one"),
        (lambda: grid_minimum(np.zeros((2, 2))), TypeError, "surface must be a Surface"),
        (lambda: least_squares([1, 1, 1], [1, 2, 3]), ValueError, "two distinct values"),
        (lambda: least_squares_through_origin([0, 0], [1, 2]), ValueError, "non-zero"),
        (lambda: noisy_line(0), ValueError, "n must be at least 1"),
        (lambda: noisy_line(5, noise=-1.0), ValueError, "noise must be at least 0"),
        (lambda: noisy_line(5, x_low=2.0, x_high=1.0), ValueError, "x_low must be less"),
        (lambda: noisy_line(2.5), TypeError, "n must be an integer"),
        (lambda: mse_gradient([1, 2], [1], 0.0), ValueError, "same length"),
        (lambda: central_difference(3.0, [1.0]), TypeError, "f must be callable"),
        (lambda: central_difference(sum, [1.0], h=0), ValueError, "h must be greater than 0"),
    ],
)
def test_bad_input_is_named(call, error, words):
    with pytest.raises(error, match=words):
        call()


DATA = ([1.0, 2.0, 3.0], [2.0, 4.0, 6.0])


@pytest.mark.parametrize(
    ("kwargs", "error", "words"),
    [
        ({"learning_rate": 0.0}, ValueError, "learning_rate must be greater than 0"),
        ({"learning_rate": -0.1}, ValueError, "learning_rate must be greater than 0"),
        ({"learning_rate": math.nan}, ValueError, "learning_rate must be finite"),
        ({"learning_rate": math.inf}, ValueError, "learning_rate must be finite"),
        ({"batch_size": 0}, ValueError, "batch_size must be at least 1"),
        ({"batch_size": 4}, ValueError, "batch_size must be at least 1 and at most 3"),
        ({"batch_size": 1.5}, TypeError, "batch_size must be an integer"),
        ({"epochs": 0}, ValueError, "epochs must be at least 1"),
        ({"w0": math.nan}, ValueError, "w0 must be finite"),
        ({"b0": "0"}, TypeError, "b0 must be a real number"),
        ({"seed": -1}, ValueError, "seed must be at least 0"),
    ],
)
def test_descent_rejects_bad_settings(kwargs, error, words):
    settings = {"w0": 1.0, "learning_rate": 0.01, "epochs": 3, "batch_size": 1, **kwargs}
    with pytest.raises(error, match=words):
        minibatch_descent(*DATA, **settings)


def test_descent_rejects_empty_data():
    with pytest.raises(ValueError, match="x must not be empty"):
        gradient_descent([], [], w0=1.0, learning_rate=0.01, epochs=1)
