"""Chapters 4 and 5: the scalar engine, its pictures, the two-layer network by hand,
what its backward pass keeps, and gradients through a stack of layers."""

from __future__ import annotations

import gc
import math
import sys
import weakref

import matplotlib
import numpy as np
import pytest
import torch
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from dlpractice.autograd import Value, value_sum
from dlpractice.data import course_data
from dlpractice.descent import gradient_descent
from dlpractice.engine_nn import (
    MLP,
    Linear,
    ScalarTwoLayerNet,
    gradient_step,
    mean_squared_error,
    random_layers,
)
from dlpractice.gradients import central_difference
from dlpractice.graph_drawing import MAX_WIDTH, draw_graph, graph_layout
from dlpractice.two_layer_net import (
    ACTIVATIONS,
    SavedForBackward,
    TwoLayerParams,
    backprop,
    backward,
    collapse,
    forward,
    forward_and_save,
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


@pytest.mark.parametrize(
    ("call", "error", "words"),
    [
        (lambda: Value("1"), TypeError, "data must be a real number"),
        (lambda: Value(True), TypeError, "data must be a real number"),
        (lambda: Value(1.0) + "2", TypeError, "unsupported operand for \\+"),
        (lambda: Value(1.0) * None, TypeError, "unsupported operand for \\*"),
        (lambda: Value(-1.0).log(), ValueError, "log is defined for positive values"),
        (
            lambda: Value(2.0) ** Value(3.0),
            TypeError,
            "exponent of \\*\\* must be a plain",
        ),
        (lambda: Value(-2.0) ** 0.5, ValueError, "not real"),
        (lambda: Value(0.0) ** -1, ZeroDivisionError, "undefined"),
        (lambda: Value(1.0) / 0, ZeroDivisionError, "division of a Value by zero"),
        (
            lambda: Value(1.0).backward(gradient=math.inf),
            ValueError,
            "gradient must be finite",
        ),
        (
            lambda: Value(1.0).backward(gradient="1"),
            TypeError,
            "gradient must be a real",
        ),
        (lambda: value_sum([]), ValueError, "values must hold at least one value"),
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
    assume("relu" not in repr(tree))  # a kink: finite differences are meaningless across it
    leaves = [Value(v) for v in point]
    out = evaluate(tree, leaves, engine=True) + 0.0
    out.backward()

    def f(p):
        return (evaluate(tree, [Value(v) for v in p], engine=True) + 0.0).data

    numeric = central_difference(f, point, h=1e-6)
    np.testing.assert_allclose([v.grad for v in leaves], numeric, rtol=1e-5, atol=1e-5)


@settings(max_examples=150, deadline=None)
@given(tree=expressions(4), point=st.lists(st.floats(-2, 2), min_size=3, max_size=3))
def test_topological_order_is_every_node_once_each_after_its_parents(tree, point):
    """The order is sorted by creation: valid because a node is made after its parents,
    even when the leaves are made in another order than they are used."""
    leaves = [Value(v) for v in reversed(point)][::-1]  # made last to first
    out = evaluate(tree, leaves, engine=True) + 0.0
    order = out.topological_order()
    reachable, stack = {id(out): out}, [out]
    while stack:
        for parent in stack.pop().parents:
            if id(parent) not in reachable:
                reachable[id(parent)] = parent
                stack.append(parent)
    assert sorted(map(id, order)) == sorted(reachable)  # every node it depends on, once
    position = {id(node): i for i, node in enumerate(order)}
    assert all(position[id(p)] < position[id(n)] for n in order for p in n.parents)
    assert order[-1] is out


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
    loss, grads = backprop(X, Y, params, activation)
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
    net = ScalarTwoLayerNet(start, activation="tanh")
    params, rate = start, 0.02
    for _ in range(100):
        loss = mean_squared_error([net([x]) for x in x_data], [[y] for y in y_data])
        loss.backward()
        gradient_step(net.parameters(), learning_rate=rate)
        value, grads = backprop(x_data[:, None], y_data[:, None], params, "tanh")
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


def _torch_stack(layers, X, Y, activation):
    weights = [torch.tensor(w, requires_grad=True) for w, _ in layers]
    biases = [torch.tensor(b, requires_grad=True) for _, b in layers]
    a = torch.tensor(X)
    for index, (weight, bias) in enumerate(zip(weights, biases, strict=True)):
        a = a @ weight.T + bias
        if index < len(layers) - 1 and activation != "identity":
            a = getattr(torch, activation)(a)
    return ((a - torch.tensor(Y)) ** 2).mean(), weights, biases


def _numbers_saved_by_torch(build):
    saved = {}

    def pack(tensor):
        saved[tensor.data_ptr()] = tensor.numel()
        return tensor

    with torch.autograd.graph.saved_tensors_hooks(pack, lambda tensor: tensor):
        _, weights, biases = build()
    parameters = {p.data_ptr() for p in weights + biases}
    return sum(n for ptr, n in saved.items() if ptr not in parameters)


@pytest.mark.parametrize("activation", ACTIVATIONS)
def test_saved_for_backward_is_what_torch_saves_and_all_backward_needs(activation):
    params = TwoLayerParams.random(3, 4, 2, seed=0)
    X = np.random.default_rng(1).normal(size=(5, 3))
    Y = np.random.default_rng(2).normal(size=(5, 2))
    loss, saved = forward_and_save(X, Y, params, activation)
    assert saved.size == 5 * (3 + 4 + 2)
    layers = [(params.W1, params.b1), (params.W2, params.b2)]
    assert _numbers_saved_by_torch(lambda: _torch_stack(layers, X, Y, activation)) == 45
    # the backward pass needs nothing but the saved arrays: give it copies, and a
    # different X elsewhere changes nothing
    copies = SavedForBackward(
        X=saved.X.copy(),
        H=saved.H.copy(),
        residual=saved.residual.copy(),
        activation=activation,
    )
    grads = backward(copies, params)
    loss_again, expected = backprop(X, Y, params, activation)
    assert loss == loss_again
    for name in ["W1", "b1", "W2", "b2"]:
        np.testing.assert_array_equal(getattr(grads, name), getattr(expected, name))


def test_backward_checks_what_it_is_given():
    params = TwoLayerParams.random(3, 4, 2, seed=0)
    _, saved = forward_and_save(np.ones((5, 3)), np.zeros((5, 2)), params)
    with pytest.raises(TypeError, match="saved must be SavedForBackward"):
        backward((saved.X, saved.H, saved.residual), params)
    with pytest.raises(TypeError, match="params must be TwoLayerParams"):
        backward(saved, {"W1": params.W1})
    other = TwoLayerParams.random(3, 5, 2, seed=0)
    with pytest.raises(ValueError, match="saved arrays X, H, residual must have shapes"):
        backward(saved, other)
    with pytest.raises(ValueError, match=r"Y must have shape \(5, 2\)"):
        forward_and_save(np.ones((5, 3)), np.zeros((5, 1)), params)
    with pytest.raises(ValueError, match="Y must be finite"):
        forward_and_save(np.ones((5, 3)), np.full((5, 2), np.nan), params)


@pytest.mark.parametrize("activation", ACTIVATIONS)
def test_engine_mlp_matches_torch_layer_by_layer(activation):
    layers = random_layers([3, 4, 4, 2], seed=5, bias=0.1)
    rng = np.random.default_rng(6)
    X, Y = rng.normal(size=(4, 3)), rng.normal(size=(4, 2))
    net = MLP(layers, activation=activation)
    loss = mean_squared_error([net(list(row)) for row in X], Y.tolist())
    loss.backward()
    loss_t, weights, biases = _torch_stack(layers, X, Y, activation)
    loss_t.backward()
    assert loss.data == pytest.approx(loss_t.item(), rel=1e-13)
    np.testing.assert_allclose(
        net.weight_gradient_norms(), [w.grad.norm().item() for w in weights], rtol=1e-12
    )
    for layer, bias in zip(net.layers, biases, strict=True):
        np.testing.assert_allclose([b.grad for b in layer.bias], bias.grad, atol=1e-14)


def test_sigmoid_stack_gradient_shrinks_towards_the_input_and_tanh_does_not():
    layers = random_layers([8] * 7 + [1], seed=0)
    rng = np.random.default_rng(1)
    X, Y = rng.normal(size=(8, 8)), rng.normal(size=(8, 1))
    norms = {}
    for activation in ["sigmoid", "tanh"]:
        net = MLP(layers, activation=activation)
        mean_squared_error([net(list(row)) for row in X], Y.tolist()).backward()
        norms[activation] = net.weight_gradient_norms()
    sigmoid = norms["sigmoid"]
    assert all(a < b for a, b in zip(sigmoid[:-1], sigmoid[1:], strict=True))
    assert sigmoid[0] / sigmoid[-1] < 0.25 ** (len(sigmoid) - 1)  # at least /4 per layer
    assert max(norms["tanh"]) / min(norms["tanh"]) < 3


def test_mlp_and_random_layers_explain_misuse():
    with pytest.raises(ValueError, match="layer 2 takes 3 inputs, but layer 1 gives 4"):
        MLP([(np.zeros((4, 2)), np.zeros(4)), (np.zeros((1, 3)), np.zeros(1))])
    with pytest.raises(ValueError, match="at least one"):
        MLP([])
    with pytest.raises(ValueError, match="activation must be one of"):
        MLP(random_layers([2, 1]), activation="softplus")
    with pytest.raises(ValueError, match="at least two widths"):
        random_layers([3])
    with pytest.raises(ValueError, match="sizes must be at least 1"):
        random_layers([3, 0])
    with pytest.raises(TypeError, match="sizes must be an integer"):
        random_layers([3, 2.5])
    with pytest.raises(ValueError, match="bias must be finite"):
        random_layers([3, 2], bias=math.nan)


def test_random_layers_are_seeded_and_scaled_by_fan_in():
    first, again = (
        random_layers([400, 300, 2], seed=3),
        random_layers([400, 300, 2], seed=3),
    )
    for (w, b), (w2, b2) in zip(first, again, strict=True):
        np.testing.assert_array_equal(w, w2)
        np.testing.assert_array_equal(b, b2)
    assert first[0][0].shape == (300, 400)
    assert first[0][0].var() == pytest.approx(1 / 400, rel=0.02)


def test_graph_picture_fits_the_page_with_readable_text():
    rng = np.random.default_rng(0)
    W1 = [Value(float(v)) for v in rng.normal(size=2)]
    b1 = [Value(0.1) for _ in range(2)]
    W2 = [Value(float(v)) for v in rng.normal(size=2)]
    x = Value(1.0)
    hidden = [(W1[i] * x + b1[i]).sigmoid() for i in range(2)]
    loss = (W2[0] * hidden[0] + W2[1] * hidden[1] + 0.1 - 2.0) ** 2
    loss.backward()
    fig = draw_graph(loss)
    assert fig.get_size_inches()[0] <= MAX_WIDTH + 1e-9
    assert min(t.get_fontsize() for t in fig.axes[0].texts if t.get_text()) >= 10
    levels = graph_layout(loss)
    tops = {key for key, (level, _) in levels.items() if level == 0}
    assert all(not node.parents for node in loss.topological_order() if id(node) in tops)


# -- the engine's rules for bad input and calls in the wrong order (issue 13)


def test_a_stale_graph_raises_and_changes_no_gradient():
    """Changing a node's data after the graph was built makes that graph stale: backward()
    raises (as PyTorch does for a tensor modified in place) and no gradient changes."""
    w = Value(1.0, "w")
    loss = (w * 2.0 - 1.0) ** 2
    loss.backward()
    assert w.grad == 4.0
    w.data -= 0.1 * w.grad
    grads = [node.grad for node in loss.topological_order()]
    with pytest.raises(RuntimeError, match="stale graph: the data of w changed from 1 to 0.6"):
        loss.backward()
    assert [node.grad for node in loss.topological_order()] == grads
    w.data = 1.0  # back to the number the graph was built with: the graph is valid again
    loss.backward()
    assert w.grad == 8.0  # accumulated, as before
    w.grad = 0.0
    w.data = 0.6
    fresh = (w * 2.0 - 1.0) ** 2  # the cure: compute the output again
    fresh.backward()
    assert w.grad == pytest.approx(2 * (2 * 0.6 - 1) * 2)


def test_an_operation_s_node_has_the_state_the_constructor_gives():
    """The operations make nodes through _node, which skips the constructor's checks: every
    slot must come out as Value(...) sets it, for a sum, a product, a function and a leaf."""
    a, b = Value(2.0, "a"), Value(3.0, "b")
    made = [a + b, a * b, a.tanh(), a**2, a + 4.0]
    rebuilt = [Value(n.data, op=n.op, parents=n.parents, local_grads=n.local_grads) for n in made]
    rebuilt.append(Value(4.0))
    made.append(made[-1].parents[1])  # the leaf that a + 4.0 wrapped 4.0 in
    for node, twin in zip(made, rebuilt, strict=True):
        for slot in Value.__slots__:
            if slot != "_created":
                assert getattr(node, slot) == getattr(twin, slot), (node.op, slot)
        assert node._created < twin._created  # numbered in the order they were made


def test_stale_means_what_torch_means_a_changed_number_that_a_derivative_used():
    """Changing an addend leaves every derivative as it was (a sum's are 1): backward goes
    on, as in PyTorch, whose add saves nothing; changing a factor, which the product's
    derivative used, raises in both."""
    a, b = Value(2.0, "a"), Value(3.0, "b")
    out = a * 4.0 + b
    b.data = 5.0
    out.backward()
    assert (a.grad, b.grad) == (4.0, 1.0)
    a.data = 1.0
    with pytest.raises(RuntimeError, match="stale graph: the data of a changed from 2 to 1"):
        out.backward()

    ta = torch.tensor(2.0, requires_grad=True)
    tb = torch.tensor(3.0, requires_grad=True)
    a4, b1 = ta * 4.0, tb * 1.0  # non-leaf copies, which may be changed in place
    out_t = a4 * 1.0 + b1
    with torch.no_grad():
        b1.add_(2.0)
    out_t.backward()
    assert (ta.grad.item(), tb.grad.item()) == (4.0, 1.0)
    a4 = ta * 4.0
    out_t = a4 * b1
    with torch.no_grad():
        a4.sub_(1.0)
    with pytest.raises(RuntimeError, match="modified by an inplace operation"):
        out_t.backward()


def test_an_intermediate_node_changed_by_hand_makes_the_graph_stale():
    x = Value(3.0, "x")
    h = (x * x).tanh()
    out = h * 2.0
    h.data = 0.5
    with pytest.raises(RuntimeError, match="stale graph"):
        out.backward()


def _values_alive() -> int:
    return sum(type(obj) is Value for obj in gc.get_objects())


def test_a_dropped_graph_is_freed_without_the_garbage_collector():
    """A node refers to its parents only (no closure refers back to it), so a graph has no
    reference cycle: dropped, every node of it is freed by reference counting at once."""
    gc.collect()
    gc.disable()
    try:
        before = _values_alive()
        w, b = Value(0.5, "w"), Value(-0.25, "b")
        loss = value_sum((w * x + b - y) ** 2 for x, y in [(1.0, 2.0), (2.0, 4.0)]).tanh()
        loss.backward()
        built = _values_alive() - before
        del loss, w, b
        after = _values_alive()
    finally:
        gc.enable()
    assert built == 2 + 2 * 8 + 2  # w and b; per term x, *, +, y, -1, *, +, **2; + and tanh
    assert after == before


@pytest.mark.parametrize(
    "operation", [lambda a, b: a * b, lambda a, b: a + b, lambda a, b: a**2, lambda a, b: a.relu()]
)
def test_micrograd_nodes_are_in_reference_cycles_that_wait_for_the_collector(operation):
    """Chapter 5's contrast: micrograd 0.1.0 (the bench extra, which make installs) gives
    each node made by an operation a closure, ``_backward``, that refers back to the node,
    so a dropped node outlives its last reference until the garbage collector runs."""
    from micrograd import engine as micrograd  # make installs it: no skip, a failure if absent

    gc.collect()
    gc.disable()
    try:
        a, b = micrograd.Value(2.0), micrograd.Value(3.0)
        node = operation(a, b)
        assert node._backward.__closure__ is not None
        assert any(cell.cell_contents is node for cell in node._backward.__closure__)
        alive = weakref.ref(node)
        del node
        survived_refcounting = alive() is not None
        gc.collect()
    finally:
        gc.enable()
    assert survived_refcounting, "the closure's cycle keeps the dropped node alive"
    assert alive() is None, "the garbage collector frees the cycle"


def test_micrograd_s_recursive_order_fails_on_a_chain_deeper_than_the_recursion_limit():
    """Chapter 5's other contrast: micrograd's backward() sorts the graph by a depth-first
    search that calls itself once per node along a path; a chain deeper than Python's
    recursion limit makes it fail, where the engine's order (by creation) walks it."""
    from micrograd import engine as micrograd  # make installs it: no skip, a failure if absent

    depth = 2 * sys.getrecursionlimit()
    x, ours = micrograd.Value(1.0), Value(1.0)
    total, our_total = x, ours
    for _ in range(depth):
        total, our_total = total + x, our_total + ours
    with pytest.raises(RecursionError):
        total.backward()
    our_total.backward()
    assert ours.grad == depth + 1


def test_a_deep_graph_neither_hits_the_recursion_limit_nor_overflows_the_stack_when_freed():
    x = Value(1.0)
    total = x
    for _ in range(200_000):
        total = total + x
    total.backward()
    del total  # 200,000 nested frees: CPython's trashcan keeps them off the C stack
    assert x.grad == 200_001.0


def test_an_operation_is_its_value_and_its_local_derivatives():
    """A new operation needs no code in the backward pass: only its local derivatives."""
    a = Value(0.7, "a")
    y = Value(math.sin(a.data), op="sin", parents=(a,), local_grads=(math.cos(a.data),)) * 3.0
    y.backward()
    assert a.grad == 3.0 * math.cos(0.7)
    product = a * Value(2.0)
    assert (product.local_grads, product.parents[0] is a) == ((2.0, 0.7), True)
    with pytest.raises(ValueError, match="local_grads must hold one derivative per parent"):
        Value(1.0, parents=(a, a), local_grads=(1.0,))


def test_a_failed_backward_pass_changes_no_gradient():
    x, y = Value(0.0, "x"), Value(2.0, "y")
    out = x**0.5 + y * y  # the derivative of sqrt at 0 is infinite
    y.grad = 1.0
    with pytest.raises(ValueError, match=r"gradient through \*\*0.5 at 0 is not finite"):
        out.backward()
    assert (x.grad, y.grad) == (0.0, 1.0)
    tiny = Value(1e-300, "tiny")
    big = tiny * Value(1e300)
    with pytest.raises(ValueError, match="the gradient of .* is inf; gradients must be finite"):
        big.backward(gradient=1e10)
    assert tiny.grad == 0.0


def test_overflow_is_reported_where_it_happens():
    with pytest.raises(ValueError, match=r"exp\(1000\) overflows a float"):
        Value(1000.0).exp()
    with pytest.raises(ValueError, match=r"10\*\*400 overflows a float"):
        Value(10.0) ** 400
    with pytest.raises(ValueError, match=r"1e\+200 \* 1e\+200 overflows"):
        Value(1e200) * 1e200
    assert Value(709.0).exp().data == math.exp(709.0)  # the largest that fits is fine
    assert (Value(10.0) ** 300).data == 10.0**300


def test_numpy_scalars_combine_and_arrays_are_refused():
    """numpy defers to Value (``__array_ufunc__ = None``): its scalars act as numbers, and
    an array is refused by name instead of becoming an array of Values."""
    for product in (np.float64(3.0) * Value(2.0), Value(2.0) * np.float64(3.0)):
        assert isinstance(product, Value) and product.data == 6.0
    assert (np.float64(3.0) + Value(2.0)).data == 5.0
    with pytest.raises(TypeError, match="a Value combines only with Values and real numbers"):
        np.array([3.0]) + Value(2.0)


def test_gradient_step_changes_nothing_when_one_step_overflows():
    a, b = Value(1.0), Value(2.0)
    a.grad, b.grad = 1.0, 1e300
    with pytest.raises(ValueError, match="learning_rate and the gradients must be small"):
        gradient_step([a, b], learning_rate=1e10)
    assert (a.data, b.data, a.grad, b.grad) == (1.0, 2.0, 1.0, 1e300)
    gradient_step([a, b], learning_rate=0.5)
    assert (a.data, b.data, a.grad, b.grad) == (0.5, 2.0 - 0.5e300, 0.0, 0.0)


def test_two_layer_params_are_stored_as_float_arrays():
    p = TwoLayerParams(W1=[[1, 2]], b1=[0], W2=[[3]], b2=[1])
    assert all(getattr(p, k).dtype == np.float64 for k in ("W1", "b1", "W2", "b2"))
    assert forward([[1.0, 1.0]], p).tolist() == [[10.0]]
