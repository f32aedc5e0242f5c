"""Chapters 4 and 5: the scalar engine, its pictures, and the two-layer network by hand."""

from __future__ import annotations

import math

import matplotlib
import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from dlpractice.autograd import Value, value_sum
from dlpractice.data import course_data
from dlpractice.descent import gradient_descent
from dlpractice.engine_nn import Linear, TwoLayerNet, gradient_step, mean_squared_error
from dlpractice.gradients import central_difference
from dlpractice.graph_drawing import draw_graph, graph_layout
from dlpractice.two_layer_net import (
    ACTIVATIONS,
    TwoLayerParams,
    collapse,
    forward,
    loss_and_gradients,
)

matplotlib.use("Agg")


def test_course_examples():
    x, y, w = Value(1.0), Value(2.0), Value(1.0)
    loss = (x * w - y) ** 2
    loss.backward()
    assert (loss.data, w.grad, x.grad, y.grad) == (1.0, -2.0, -2.0, 2.0)

    w1, w2, b = Value(1.0), Value(1.0), Value(1.0)
    loss = (w1 * 1.0**2 + w2 * 1.0 + b - 2.0) ** 2
    loss.backward()
    assert (w1.grad, w2.grad, b.grad) == (2.0, 2.0, 2.0)


def test_shared_node_gradients_add_up():
    x = Value(3.0)
    f = x * x + x
    f.backward()
    assert x.grad == 7.0


def test_gradients_accumulate_like_pytorch():
    x = Value(3.0)
    f = x * x + x
    f.backward()
    f.backward()
    t = torch.tensor(3.0, requires_grad=True)
    g = t * t + t
    g.backward(retain_graph=True)
    g.backward()
    assert x.grad == t.grad.item() == 14.0
    f.zero_grad()
    assert x.grad == 0.0
    f.backward(gradient=2.0)
    assert x.grad == 14.0


def test_deep_graph_does_not_hit_the_recursion_limit():
    x = Value(1.0)
    total = x
    for _ in range(20_000):
        total = total + x
    total.backward()
    assert x.grad == 20_001.0


@pytest.mark.parametrize(
    ("call", "error", "words"),
    [
        (lambda: Value("1"), TypeError, "Value holds a real number"),
        (lambda: Value(True), TypeError, "Value holds a real number"),
        (lambda: Value(1.0) + "2", TypeError, "unsupported operand for \\+"),
        (lambda: Value(1.0) * None, TypeError, "unsupported operand for \\*"),
        (lambda: Value(-1.0).log(), ValueError, "log is defined for positive values"),
        (lambda: Value(2.0) ** Value(3.0), TypeError, "exponent of \\*\\* must be a plain"),
        (lambda: Value(-2.0) ** 0.5, ValueError, "not real"),
        (lambda: Value(0.0) ** -1, ZeroDivisionError, "undefined"),
        (lambda: Value(1.0) / 0, ZeroDivisionError, "division of a Value by zero"),
        (lambda: Value(1.0).backward(gradient=math.inf), ValueError, "gradient must be finite"),
        (lambda: Value(1.0).backward(gradient="1"), TypeError, "gradient must be a real"),
        (lambda: value_sum([]), ValueError, "at least one value"),
        (lambda: graph_layout(3.0), TypeError, "root must be a Value"),
    ],
)
def test_misuse_is_explained(call, error, words):
    with pytest.raises(error, match=words):
        call()


# Random expressions over three variables, each operation safe on its whole domain.
UNARY = {
    "neg": (lambda a: -a, lambda a: -a),
    "tanh": (lambda a: a.tanh(), torch.tanh),
    "sigmoid": (lambda a: a.sigmoid(), torch.sigmoid),
    "relu": (lambda a: a.relu(), torch.relu),
    "square": (lambda a: a**2, lambda a: a**2),
    "cube": (lambda a: a**3, lambda a: a**3),
    "exp_tanh": (lambda a: a.tanh().exp(), lambda a: torch.exp(torch.tanh(a))),
    "log_1p_sq": (lambda a: (1 + a * a).log(), lambda a: torch.log(1 + a * a)),
}
BINARY = {
    "add": lambda a, b: a + b,
    "sub": lambda a, b: a - b,
    "mul": lambda a, b: a * b,
    "div_safe": lambda a, b: a / (1 + b * b),
}


def expressions(depth: int):
    leaf = st.sampled_from([0, 1, 2]).map(lambda i: ("var", i))
    if depth == 0:
        return leaf
    smaller = expressions(depth - 1)
    return st.one_of(
        leaf,
        st.tuples(st.sampled_from(sorted(UNARY)), smaller).map(lambda t: ("unary", *t)),
        st.tuples(st.sampled_from(sorted(BINARY)), smaller, smaller).map(lambda t: ("binary", *t)),
    )


def evaluate(tree, leaves, engine: bool):
    kind = tree[0]
    if kind == "var":
        return leaves[tree[1]]
    if kind == "unary":
        function = UNARY[tree[1]][0 if engine else 1]
        return function(evaluate(tree[2], leaves, engine))
    return BINARY[tree[1]](evaluate(tree[2], leaves, engine), evaluate(tree[3], leaves, engine))


@settings(max_examples=300, deadline=None)
@given(
    tree=expressions(4),
    point=st.lists(st.floats(-2, 2, allow_nan=False), min_size=3, max_size=3),
)
def test_random_expressions_match_torch_autograd(tree, point):
    leaves = [Value(v) for v in point]
    out = evaluate(tree, leaves, engine=True) + 0.0
    out.backward()
    tensors = [torch.tensor(v, dtype=torch.float64, requires_grad=True) for v in point]
    out_t = evaluate(tree, tensors, engine=False) + 0.0
    assert out.data == pytest.approx(out_t.item(), rel=1e-12, abs=1e-12)
    out_t.backward()
    for leaf, tensor in zip(leaves, tensors, strict=True):
        expected = 0.0 if tensor.grad is None else tensor.grad.item()
        assert leaf.grad == pytest.approx(expected, rel=1e-9, abs=1e-9)


@settings(max_examples=150, deadline=None)
@given(
    tree=expressions(3),
    point=st.lists(st.floats(-2, 2, allow_nan=False), min_size=3, max_size=3),
)
def test_random_expressions_match_finite_differences(tree, point):
    if "relu" in repr(tree):  # a kink: finite differences are meaningless across it
        return
    leaves = [Value(v) for v in point]
    out = evaluate(tree, leaves, engine=True) + 0.0
    out.backward()

    def f(p):
        return (evaluate(tree, [Value(v) for v in p], engine=True) + 0.0).data

    numeric = central_difference(f, point, h=1e-6)
    np.testing.assert_allclose([v.grad for v in leaves], numeric, rtol=1e-5, atol=1e-5)


def test_engine_trains_the_course_data_like_chapter_2():
    x_data, y_data = course_data()
    w = Value(1.0)
    trajectory = [w.data]
    for _ in range(100):
        cost = value_sum((x * w - y) ** 2 for x, y in zip(x_data, y_data, strict=True)) / 3
        cost.backward()
        w.data -= 0.01 * w.grad
        w.grad = 0.0
        trajectory.append(w.data)
    by_hand = gradient_descent(x_data, y_data, w0=1.0, learning_rate=0.01, epochs=100)
    np.testing.assert_allclose(trajectory, by_hand.w, rtol=0, atol=1e-14)


@pytest.mark.parametrize("activation", ACTIVATIONS)
def test_matrix_backprop_matches_torch(activation):
    params = TwoLayerParams.random(3, 4, 2, seed=0)
    X = np.random.default_rng(1).normal(size=(5, 3))
    Y = np.random.default_rng(2).normal(size=(5, 2))
    loss, grads = loss_and_gradients(X, Y, params, activation)
    t = {k: torch.tensor(getattr(params, k), requires_grad=True) for k in ["W1", "b1", "W2", "b2"]}
    act = {
        "identity": lambda z: z,
        "sigmoid": torch.sigmoid,
        "tanh": torch.tanh,
        "relu": torch.relu,
    }[activation]
    Y_hat = act(torch.tensor(X) @ t["W1"].T + t["b1"]) @ t["W2"].T + t["b2"]
    loss_t = ((Y_hat - torch.tensor(Y)) ** 2).mean()
    loss_t.backward()
    assert loss == pytest.approx(loss_t.item(), rel=1e-13)
    for name, tensor in t.items():
        np.testing.assert_allclose(getattr(grads, name), tensor.grad.numpy(), atol=1e-13)


def test_two_linear_layers_collapse_and_an_activation_breaks_it():
    params = TwoLayerParams.random(3, 4, 2, seed=0)
    X = np.random.default_rng(1).normal(size=(7, 3))
    W, b = collapse(params)
    np.testing.assert_allclose(forward(X, params), X @ W.T + b, atol=1e-14)
    assert not np.allclose(forward(X, params, "sigmoid"), X @ W.T + b, atol=1e-3)


def test_engine_network_matches_matrix_formulas_over_training():
    x_data, y_data = course_data()
    start = TwoLayerParams.random(1, 3, 1, seed=0)
    net = TwoLayerNet(start, activation="tanh")
    params, rate = start, 0.02
    for _ in range(100):
        loss = mean_squared_error([net([x]) for x in x_data], [[y] for y in y_data])
        loss.backward()
        gradient_step(net.parameters(), rate)
        value, grads = loss_and_gradients(x_data[:, None], y_data[:, None], params, "tanh")
        assert loss.data == pytest.approx(value, rel=1e-12)
        params = TwoLayerParams(
            *(getattr(params, k) - rate * getattr(grads, k) for k in ["W1", "b1", "W2", "b2"])
        )


def test_network_shapes_are_checked():
    with pytest.raises(ValueError, match="W2 must have 4 columns"):
        TwoLayerParams(np.zeros((4, 3)), np.zeros(4), np.zeros((2, 5)), np.zeros(2))
    params = TwoLayerParams.random(3, 4, 2)
    with pytest.raises(ValueError, match=r"X must have shape \(N, 3\)"):
        forward(np.zeros((5, 2)), params)
    with pytest.raises(ValueError, match="activation must be one of"):
        forward(np.zeros((5, 3)), params, "softplus")
    with pytest.raises(ValueError, match="expected 2 inputs"):
        Linear(np.zeros((1, 2)), np.zeros(1))([1.0])
    with pytest.raises(ValueError, match="equally many"):
        mean_squared_error([], [])


def test_graph_picture_has_a_box_per_node_with_value_and_grad():
    x, w = Value(1.0, "x"), Value(1.0, "w")
    loss = (x * w - 2.0) ** 2
    loss.backward()
    fig = draw_graph(loss)
    texts = [t.get_text() for t in fig.axes[0].texts if t.get_text()]
    assert len(texts) == len(loss.topological_order())
    assert any(t.startswith("w\nvalue 1\ngrad -2") for t in texts)
    columns = {col for col, _ in graph_layout(loss).values()}
    assert columns == set(range(len(columns))), "inputs left, output right, no gaps"
