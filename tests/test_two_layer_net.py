"""dlpractice.two_layer_net: the matrix back-propagation of the two-layer network."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from dlpractice.gradients import central_difference
from dlpractice.two_layer_net import (
    ACTIVATIONS,
    TwoLayerGradients,
    TwoLayerParams,
    backprop,
    backward,
    collapse,
    forward,
    forward_and_save,
)

NAMES = ("W1", "b1", "W2", "b2")
RNG = np.random.default_rng(3)
X = RNG.normal(size=(5, 3))
Y = RNG.normal(size=(5, 2))


def params() -> TwoLayerParams:
    return TwoLayerParams.random(inputs=3, hidden=4, outputs=2, seed=1)


def by_torch(p: TwoLayerParams, activation: str) -> tuple[float, dict[str, np.ndarray]]:
    """The loss and its gradient by torch.autograd, in float64."""
    t = {n: torch.tensor(getattr(p, n), requires_grad=True) for n in NAMES}
    act = {
        "identity": lambda z: z,
        "sigmoid": torch.sigmoid,
        "tanh": torch.tanh,
        "relu": torch.relu,
    }[activation]
    hidden = act(torch.tensor(X) @ t["W1"].T + t["b1"])
    loss = ((hidden @ t["W2"].T + t["b2"] - torch.tensor(Y)) ** 2).mean()
    loss.backward()
    return loss.item(), {n: t[n].grad.numpy() for n in NAMES}


@pytest.mark.parametrize("activation", ACTIVATIONS)
def test_backprop_equals_torch_autograd(activation):
    loss, grads = backprop(X, Y, params(), activation)
    torch_loss, torch_grads = by_torch(params(), activation)
    assert loss == pytest.approx(torch_loss, rel=1e-12)
    for name in NAMES:
        np.testing.assert_allclose(getattr(grads, name), torch_grads[name], rtol=1e-10, atol=1e-13)


def test_backprop_equals_finite_differences():
    p = params()
    sizes = [getattr(p, n).size for n in NAMES]

    def loss_at(vector: np.ndarray) -> float:
        pieces = np.split(vector, np.cumsum(sizes)[:-1])
        shaped = [
            piece.reshape(getattr(p, n).shape) for piece, n in zip(pieces, NAMES, strict=True)
        ]
        return backprop(X, Y, TwoLayerParams(*shaped), "tanh")[0]

    flat = np.concatenate([getattr(p, n).ravel() for n in NAMES])
    numeric = central_difference(loss_at, flat, h=1e-6)
    grads = backprop(X, Y, p, "tanh")[1]
    exact = np.concatenate([getattr(grads, n).ravel() for n in NAMES])
    np.testing.assert_allclose(exact, numeric, rtol=1e-6, atol=1e-8)


def test_forward_and_save_keeps_what_backward_reads_and_nothing_else():
    loss, saved = forward_and_save(X, Y, params(), "sigmoid")
    assert saved.size == X.size + 5 * 4 + Y.size  # N(d + h + m)
    np.testing.assert_array_equal(saved.X, X)
    np.testing.assert_allclose(saved.residual, forward(X, params(), "sigmoid") - Y)
    assert loss == pytest.approx(float(np.mean(saved.residual**2)))
    grads = backward(saved, params())
    expected = backprop(X, Y, params(), "sigmoid")[1]
    for name in NAMES:
        np.testing.assert_array_equal(getattr(grads, name), getattr(expected, name))


def test_step_is_one_gradient_descent_update_and_lowers_the_loss():
    p = params()
    loss, grads = backprop(X, Y, p)
    new = p.step(grads, learning_rate=0.01)
    for name in NAMES:
        np.testing.assert_array_equal(
            getattr(new, name), getattr(p, name) - 0.01 * getattr(grads, name)
        )
    assert backprop(X, Y, new)[0] < loss
    assert new is not p and p.W1[0, 0] == params().W1[0, 0]  # the old parameters stay


def test_without_activation_the_network_collapses_to_one_linear_layer():
    p = params()
    W, b = collapse(p)
    np.testing.assert_allclose(forward(X, p), X @ W.T + b, rtol=1e-12)
    assert not np.allclose(forward(X, p, "tanh"), X @ W.T + b)


def test_random_params_are_seeded_and_scaled_by_fan_in():
    a, b = TwoLayerParams.random(50, 400, 1, seed=7), TwoLayerParams.random(50, 400, 1, seed=7)
    np.testing.assert_array_equal(a.W1, b.W1)
    assert a.W1.std() == pytest.approx(1 / np.sqrt(50), rel=0.05)
    assert a.W2.std() == pytest.approx(1 / np.sqrt(400), rel=0.2)
    assert np.all(a.b1 == 0.1) and np.all(a.b2 == 0.1)


def test_gradients_record_checks_its_entries():
    grads = TwoLayerGradients(W1=[[1]], b1=[0], W2=[[2]], b2=[3])
    assert grads.W1.dtype == np.float64 and grads.b2.tolist() == [3.0]
    with pytest.raises(ValueError, match="b1"):
        TwoLayerGradients(W1=[[1.0]], b1=[np.inf], W2=[[2.0]], b2=[3.0])
