"""Validation once, at the public boundary (issue 13).

Every array argument goes through ``_validation._as_real_array`` when it is checked; a
public function that hands checked values to private cores calls it exactly once per
argument. The counts are taken with :func:`unittest.mock.patch.object` wrapping the
validator, so the functions still run and their results are checked too.
"""

from __future__ import annotations

from collections import Counter
from unittest import mock

import numpy as np
import pytest

from dlpractice import _validation
from dlpractice.curvature import critical_learning_rate, hessian
from dlpractice.descent import gradient_descent, minibatch_descent, stochastic_descent
from dlpractice.gradients import cost_and_gradient, mse_gradient
from dlpractice.linear_model import mse
from dlpractice.momentum import momentum_descent
from dlpractice.two_layer_net import TwoLayerParams, backprop, forward, forward_and_save

X, Y = [1.0, 2.0, 3.0], [2.0, 4.0, 6.0]
X2, Y2 = np.array([[1.0], [2.0]]), np.array([[2.0], [4.0]])


def checked_arrays(call) -> Counter:
    """How many times each array argument was validated during ``call()``."""
    validator = _validation._as_real_array
    with mock.patch.object(_validation, "_as_real_array", wraps=validator) as spy:
        call()
    return Counter(args.args[0] for args in spy.call_args_list)


def params() -> TwoLayerParams:
    return TwoLayerParams.random(1, 3, 1, seed=0)


CALLS = {
    "gradient_descent": (
        lambda: gradient_descent(X, Y, w0=1.0, b0=0.0, learning_rate=0.01, epochs=50),
        {"x": 1, "y": 1},
    ),
    "gradient_descent, diverging": (
        lambda: gradient_descent(X, Y, w0=1.0, learning_rate=1.0, epochs=50, allow_divergence=True),
        {"x": 1, "y": 1},
    ),
    "stochastic_descent": (
        lambda: stochastic_descent(X, Y, w0=1.0, learning_rate=0.01, epochs=5),
        {"x": 1, "y": 1},
    ),
    "minibatch_descent": (
        lambda: minibatch_descent(X, Y, w0=1.0, learning_rate=0.01, epochs=5, batch_size=2),
        {"x": 1, "y": 1},
    ),
    "momentum_descent": (
        lambda: momentum_descent(X, Y, w0=1.0, b0=0.0, learning_rate=0.01, momentum=0.5, steps=20),
        {"x": 1, "y": 1},
    ),
    "cost_and_gradient": (lambda: cost_and_gradient(X, Y, 1.0, 0.0), {"x": 1, "y": 1}),
    "mse_gradient": (lambda: mse_gradient(X, Y, 1.0), {"x": 1, "y": 1}),
    "mse": (lambda: mse(X, Y, 1.0), {"x": 1, "y": 1}),
    "hessian": (lambda: hessian(X), {"x": 1}),
    "critical_learning_rate": (lambda: critical_learning_rate(X), {"x": 1}),
    "forward": (lambda: forward(X2, params()), {"X": 1}),
    "forward_and_save": (lambda: forward_and_save(X2, Y2, params()), {"X": 1, "Y": 1}),
    "backprop": (lambda: backprop(X2, Y2, params()), {"X": 1, "Y": 1}),
}


@pytest.mark.parametrize("name", CALLS)
def test_each_array_argument_is_checked_once(name):
    call, expected = CALLS[name]
    counts = checked_arrays(call)
    params_checks = {"W1", "b1", "W2", "b2"}  # TwoLayerParams.random builds checked params
    got = {key: value for key, value in counts.items() if key not in params_checks}
    assert got == expected, f"{name}: {dict(counts)}"


def test_the_count_sees_a_second_check():
    """The spy is not blind: a value checked twice is counted twice."""

    def twice():
        _validation.as_float_vector("x", _validation.as_float_vector("x", X))

    assert checked_arrays(twice) == Counter({"x": 2})


def test_checked_results_are_still_right():
    """The private cores behind the single checks give the documented results."""
    loss, grads = backprop(X2, Y2, params())
    loss_again, saved = forward_and_save(X2, Y2, params())
    assert loss == loss_again and saved.size == X2.size + 2 * 3 + Y2.size
    assert grads.W1.shape == (3, 1) and np.all(np.isfinite(grads.W1))
    assert hessian(X).round(4).tolist() == [[9.3333, 4.0], [4.0, 2.0]]
