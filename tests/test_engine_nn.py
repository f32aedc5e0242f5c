"""dlpractice.engine_nn: layers and a loss built from the scalar engine's Values."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from dlpractice.autograd import Value
from dlpractice.engine_nn import (
    MLP,
    Linear,
    ScalarTwoLayerNet,
    gradient_step,
    mean_squared_error,
    random_layers,
)
from dlpractice.two_layer_net import TwoLayerParams, backprop, forward

X = np.array([[0.5], [-1.0], [2.0]])
Y = np.array([[1.0], [0.0], [3.0]])


def test_linear_layer_is_a_matrix_product_plus_bias():
    weight, bias = np.array([[1.0, -2.0], [0.5, 3.0]]), np.array([0.25, -1.0])
    outputs = Linear(weight, bias)([2.0, 1.5])
    assert [v.data for v in outputs] == (weight @ [2.0, 1.5] + bias).tolist()
    assert len(Linear(weight, bias).parameters()) == 6


@pytest.mark.parametrize("activation", ["identity", "tanh", "sigmoid"])
def test_scalar_net_equals_the_matrix_network_forward_and_backward(activation):
    params = TwoLayerParams.random(1, 4, 1, seed=2)
    net = ScalarTwoLayerNet(params, activation=activation)
    predictions = [net([float(x)]) for x in X[:, 0]]
    np.testing.assert_allclose(
        [[p.data for p in row] for row in predictions], forward(X, params, activation), rtol=1e-13
    )
    loss = mean_squared_error(predictions, Y.tolist())
    loss.backward()
    expected_loss, grads = backprop(X, Y, params, activation)
    assert loss.data == pytest.approx(expected_loss, rel=1e-13)
    engine = [p.grad for p in net.parameters()]
    matrices = np.concatenate([getattr(grads, n).ravel() for n in ("W1", "b1", "W2", "b2")])
    np.testing.assert_allclose(engine, matrices, rtol=1e-11, atol=1e-14)


def test_mlp_gradients_equal_torch_autograd():
    layers = random_layers([3, 5, 4, 2], seed=1, bias=0.1)
    net = MLP(layers, activation="sigmoid")
    x, target = [0.3, -0.7, 1.2], [0.5, -0.5]
    mean_squared_error([net(x)], [target]).backward()
    tensors = [(torch.tensor(w, requires_grad=True), torch.tensor(b)) for w, b in layers]
    a = torch.tensor(x, dtype=torch.float64)
    for i, (w, b) in enumerate(tensors):
        a = w @ a + b
        if i < len(tensors) - 1:
            a = torch.sigmoid(a)
    ((a - torch.tensor(target, dtype=torch.float64)) ** 2).mean().backward()
    expected = [float(w.grad.norm()) for w, _ in tensors]
    np.testing.assert_allclose(net.weight_gradient_norms(), expected, rtol=1e-11)


def test_gradient_step_moves_against_the_gradient_and_clears_it():
    w, b = Value(1.0), Value(-2.0)
    ((w * 3.0 + b - 4.0) ** 2).backward()  # d/dw = 2 * (-3) * 3 = -18, d/db = -6
    gradient_step([w, b], learning_rate=0.1)
    assert (w.data, b.data) == pytest.approx((2.8, -1.4))
    assert w.grad == 0.0 and b.grad == 0.0


def test_random_layers_are_seeded_and_chained():
    a, b = random_layers([4, 3, 2], seed=5), random_layers([4, 3, 2], seed=5)
    assert [w.shape for w, _ in a] == [(3, 4), (2, 3)]
    for (wa, ba), (wb, bb) in zip(a, b, strict=True):
        np.testing.assert_array_equal(wa, wb)
        np.testing.assert_array_equal(ba, bb)
    assert not np.array_equal(a[0][0], random_layers([4, 3, 2], seed=6)[0][0])
