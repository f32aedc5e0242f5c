"""Bad input to the engines and graphs gets a clear error that names the argument (issue 13).

Group "engines": autograd (the scalar engine), engine_nn, two_layer_net, graph_drawing,
torch_graph, gradients and monitor. Each Case is a call a careful user might make by
mistake: wrong types, empty and mismatched data, NaN and inf, finite values that overflow,
zero and negative counts and rates, wrong shapes, calls in the wrong order (a stale graph,
a closed backend, steps going backwards). :func:`bad_inputs.check` runs it and demands
the documented error, with the argument's name and what was expected in the message,
within a time limit, and no NaN or inf returned in silence.
"""

from __future__ import annotations

import math
import tempfile
from pathlib import Path

import matplotlib
import numpy as np
import pytest
import torch
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from bad_inputs import Case, case_id, check

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402

from dlpractice import monitor as mon  # noqa: E402
from dlpractice.autograd import Value, value_sum  # noqa: E402
from dlpractice.engine_nn import (  # noqa: E402
    MLP,
    Linear,
    ScalarTwoLayerNet,
    gradient_step,
    mean_squared_error,
    random_layers,
)
from dlpractice.gradients import (  # noqa: E402
    Gradient,
    central_difference,
    cost_and_gradient,
    mse_gradient,
)
from dlpractice.graph_drawing import draw_graph, graph_geometry, graph_layout  # noqa: E402
from dlpractice.torch_graph import count_nodes, graph_lines  # noqa: E402
from dlpractice.two_layer_net import (  # noqa: E402
    SavedForBackward,
    TwoLayerGradients,
    TwoLayerParams,
    backprop,
    backward,
    collapse,
    forward,
    forward_and_save,
)

D = "dlpractice."
AG, NN, TL = D + "autograd.", D + "engine_nn.", D + "two_layer_net."
GD, TG, GR, MO = D + "graph_drawing.", D + "torch_graph.", D + "gradients.", D + "monitor."
NAN, INF = math.nan, math.inf
HUGE_INT = 10**400
X, Y = [1.0, 2.0, 3.0], [2.0, 4.0, 6.0]
BIG = [1e200, 2e200, 3e200]
LOGS = tempfile.TemporaryDirectory(prefix="bad_input_engines_")


# -- small factories, so that every case builds its own objects when it runs


def params(inputs: int = 1, hidden: int = 2, outputs: int = 1) -> TwoLayerParams:
    return TwoLayerParams.random(inputs, hidden, outputs, seed=0)


def saved() -> SavedForBackward:
    return forward_and_save([[1.0]], [[2.0]], params())[1]


def nan_data() -> Value:
    """A Value whose data was set to NaN by hand, after it was made."""
    value = Value(1.0)
    value.data = math.nan
    return value


def stale_graph() -> None:
    """The classic mistake: a training step between building the loss and backward()."""
    w = Value(1.0, "w")
    loss = (w * 2.0 - 1.0) ** 2
    loss.backward()
    w.data -= 0.1 * w.grad
    loss.backward()


def mlp_with_huge_gradients() -> list[float]:
    net = MLP(random_layers([1, 1]))
    for p in net.parameters():
        p.grad = 1e200
    return net.weight_gradient_norms()


def tensorboard() -> mon.TensorBoardBackend:
    return mon.TensorBoardBackend(tempfile.mkdtemp(dir=LOGS.name))


def visdom_offline() -> mon.VisdomBackend:
    """A visdom backend without a server: enough for the checks that run before sending.

    (test_monitor.py runs the real thing against a real server.)
    """
    backend = mon.VisdomBackend.__new__(mon.VisdomBackend)
    backend._viz, backend._windows, backend._last_steps = None, set(), {}
    backend._closed = False
    return backend


def closed(backend):
    backend.close()
    return backend


def logged(backend, *calls: tuple[int, dict[str, float]]):
    for step, values in calls:
        backend.log(step, **values)
    return backend


def monitor_with(*calls: tuple[int, dict[str, float]]) -> mon.TrainingMonitor:
    monitor = mon.TrainingMonitor()
    for step, values in calls:
        monitor.log(step, **values)
    return monitor


def tensor_with_grad(value: float = 1.0) -> torch.Tensor:
    t = torch.tensor([value], requires_grad=True)
    (2 * t).sum().backward()
    return t


def axes():
    fig, ax = plt.subplots()
    plt.close(fig)
    return ax


W = torch.tensor(1.0, requires_grad=True)

AUTOGRAD = [
    Case(AG + "Value", lambda: Value(NAN), ValueError, "data", "nan"),
    Case(AG + "Value", lambda: Value(-INF), ValueError, "data", "-inf"),
    Case(AG + "Value", lambda: Value(HUGE_INT), ValueError, "data", "int beyond float"),
    Case(AG + "Value", lambda: Value("1"), TypeError, "data", "string"),
    Case(AG + "Value", lambda: Value(True), TypeError, "data", "bool"),
    Case(AG + "Value", lambda: Value(1 + 2j), TypeError, "data", "complex"),
    Case(AG + "Value", lambda: Value(np.array([1.0])), TypeError, "data", "array"),
    Case(AG + "Value", lambda: Value(torch.tensor(1.0)), TypeError, "data", "tensor"),
    Case(AG + "Value", lambda: Value(None), TypeError, "data", "None"),
    Case(AG + "Value", lambda: Value(1.0, 3), TypeError, "label", "label not str"),
    Case(AG + "Value", lambda: Value(1.0, parents=[1]), TypeError, "parents", "parents"),
    Case(
        AG + "Value",
        lambda: Value(3.0, op="+", parents=[Value(1.0), Value(2.0)], local_grads=(1.0, 1.0)),
        TypeError,
        "parents",
        "parents a list",
    ),
    Case(
        AG + "Value",
        lambda: Value(3.0, op="+", parents=("a", "b"), local_grads=(1.0, 1.0)),
        TypeError,
        "parents",
        "parents of a sum not Values",
    ),
    Case(
        AG + "Value",
        lambda: Value(2.0, parents=(Value(1.0),), local_grads=[2.0]),
        TypeError,
        "local_grads",
        "local_grads a list",
    ),
    Case(
        AG + "Value",
        lambda: Value(2.0, parents=(Value(1.0),)),
        ValueError,
        "local_grads",
        "a parent without its local derivative",
    ),
    Case(AG + "Value", lambda: Value(1e200) * Value(1e200), ValueError, "*", "mul overflow"),
    Case(AG + "Value", lambda: Value(1e308) + 1e308, ValueError, "+", "add overflow"),
    Case(AG + "Value", lambda: Value(-1e308) - 1e308, ValueError, "+", "sub overflow"),
    Case(AG + "Value", lambda: Value(10.0) ** 400, ValueError, "**400", "pow overflow"),
    Case(AG + "Value", lambda: Value(1.0) / 1e-320, ValueError, "**-1", "div overflow"),
    Case(AG + "Value", lambda: Value(1.0) / 0, ZeroDivisionError, "divisor", "div by 0"),
    Case(AG + "Value", lambda: Value(0.0) ** -1, ZeroDivisionError, "base", "0**-1"),
    Case(AG + "Value", lambda: Value(-2.0) ** 0.5, ValueError, "base", "(-2)**0.5"),
    Case(AG + "Value", lambda: Value(2.0) ** NAN, ValueError, "exponent", "nan power"),
    Case(AG + "Value", lambda: Value(2.0) ** HUGE_INT, ValueError, "exponent", "int power"),
    Case(AG + "Value", lambda: Value(2.0) ** True, TypeError, "exponent", "bool power"),
    Case(AG + "Value", lambda: Value(2.0) ** "2", TypeError, "exponent", "str power"),
    Case(AG + "Value", lambda: Value(2.0) ** Value(3.0), TypeError, "exponent", "Value pow"),
    Case(AG + "Value", lambda: Value(1.0) + NAN, ValueError, "+", "add nan"),
    Case(AG + "Value", lambda: INF * Value(1.0), ValueError, "*", "rmul inf"),
    Case(AG + "Value", lambda: Value(1.0) + "2", TypeError, "+", "add str"),
    Case(AG + "Value", lambda: Value(1.0) * [2.0], TypeError, "*", "mul list"),
    Case(
        AG + "Value",
        lambda: np.array([3.0]) + Value(2.0),
        TypeError,
        "+",
        "numpy array + Value",
    ),
    Case(
        AG + "Value",
        lambda: np.ones(2) * Value(2.0),
        TypeError,
        "*",
        "numpy array * Value",
    ),
    Case(AG + "Value", lambda: torch.ones(1) + Value(2.0), TypeError, "+", "tensor + Value"),
    Case(AG + "Value.exp", lambda: Value(1000.0).exp(), ValueError, "exp", "overflow"),
    Case(AG + "Value.exp", lambda: Value(709.8).exp(), ValueError, "exp", "just over"),
    Case(AG + "Value.log", lambda: Value(-1.0).log(), ValueError, "log", "negative"),
    Case(AG + "Value.log", lambda: Value(0.0).log(), ValueError, "log", "zero"),
    Case(AG + "Value.tanh", lambda: nan_data().tanh(), ValueError, "data", "data set to nan"),
    Case(AG + "Value.sigmoid", lambda: nan_data().sigmoid(), ValueError, "data", "nan data"),
    Case(AG + "Value.relu", lambda: nan_data().relu(), ValueError, "data", "nan data"),
    Case(AG + "Value.exp", lambda: nan_data().exp(), ValueError, "data", "nan data"),
    Case(AG + "Value.log", lambda: nan_data().log(), ValueError, "data", "nan data"),
    Case(
        AG + "Value.backward",
        lambda: Value(1.0).backward(gradient=NAN),
        ValueError,
        "gradient",
        "nan seed",
    ),
    Case(
        AG + "Value.backward",
        lambda: Value(1.0).backward(gradient="1"),
        TypeError,
        "gradient",
        "str seed",
    ),
    Case(
        AG + "Value.backward",
        lambda: Value(1.0).backward(gradient=HUGE_INT),
        ValueError,
        "gradient",
        "int seed beyond float",
    ),
    Case(AG + "Value.backward", stale_graph, RuntimeError, "data of w", "stale graph"),
    Case(
        AG + "Value.backward",
        lambda: (Value(1e-300) * Value(1e300)).backward(gradient=1e10),
        ValueError,
        "gradient",
        "gradient overflow",
    ),
    Case(
        AG + "Value.backward",
        lambda: (Value(0.0) ** 0.5).backward(),
        ValueError,
        "gradient",
        "sqrt at 0",
    ),
    Case(
        AG + "Value.backward",
        lambda: Value(1e-320).log().backward(),
        ValueError,
        "gradient",
        "1/x overflow",
    ),
    Case(AG + "value_sum", lambda: value_sum([]), ValueError, "values", "empty"),
    Case(AG + "value_sum", lambda: value_sum(3), TypeError, "values", "not iterable"),
    Case(AG + "value_sum", lambda: value_sum("12"), TypeError, "values", "string"),
    Case(AG + "value_sum", lambda: value_sum(Value(1.0)), TypeError, "values", "a Value"),
    Case(AG + "value_sum", lambda: value_sum([Value(1), "a"]), TypeError, "values[1]", "str"),
    Case(AG + "value_sum", lambda: value_sum([1.0, NAN]), ValueError, "values[1]", "nan"),
    Case(
        AG + "value_sum",
        lambda: value_sum([Value(1e308), 1e308]),
        ValueError,
        "+",
        "overflow",
    ),
]

ENGINE_NN = [
    Case(NN + "Linear", lambda: Linear([[NAN]], [0.0]), ValueError, "weight", "nan"),
    Case(NN + "Linear", lambda: Linear([[1.0]], [INF]), ValueError, "bias", "inf"),
    Case(NN + "Linear", lambda: Linear([["a"]], [0.0]), TypeError, "weight", "strings"),
    Case(NN + "Linear", lambda: Linear([[True]], [0.0]), TypeError, "weight", "bools"),
    Case(NN + "Linear", lambda: Linear([[1j]], [0.0]), TypeError, "weight", "complex"),
    Case(NN + "Linear", lambda: Linear(np.zeros((0, 2)), []), ValueError, "weight", "0 rows"),
    Case(NN + "Linear", lambda: Linear(np.zeros((2, 0)), [0, 0]), ValueError, "weight", "0 cols"),
    Case(NN + "Linear", lambda: Linear([1.0], [0.0]), ValueError, "weight", "vector"),
    Case(NN + "Linear", lambda: Linear([[1.0]], [0.0, 1.0]), ValueError, "bias", "2 biases"),
    Case(NN + "Linear", lambda: Linear([[1.0]], [0.0], name=1), TypeError, "name", "name"),
    Case(
        NN + "Linear",
        lambda: Linear(np.zeros((2_000, 1_000)), np.zeros(2_000)),
        ValueError,
        "weight",
        "two million Values",
    ),
    Case(
        NN + "Linear.__call__",
        lambda: Linear([[1.0, 2.0]], [0.0])([1.0]),
        ValueError,
        "inputs",
        "one input for two columns",
    ),
    Case(
        NN + "Linear.__call__", lambda: Linear([[1.0]], [0.0])(1.0), TypeError, "inputs", "number"
    ),
    Case(
        NN + "Linear.__call__", lambda: Linear([[1.0]], [0.0])("a"), TypeError, "inputs", "string"
    ),
    Case(
        NN + "Linear.__call__",
        lambda: Linear([[1.0]], [0.0])([NAN]),
        ValueError,
        "inputs[0]",
        "nan",
    ),
    Case(
        NN + "Linear.__call__",
        lambda: Linear([[1.0]], [0.0])([None]),
        TypeError,
        "inputs[0]",
        "None",
    ),
    Case(
        NN + "Linear.__call__",
        lambda: Linear([[1e200]], [0.0])([1e200]),
        ValueError,
        "*",
        "overflowing product",
    ),
    Case(NN + "ScalarTwoLayerNet", lambda: ScalarTwoLayerNet(None), TypeError, "params", "None"),
    Case(
        NN + "ScalarTwoLayerNet",
        lambda: ScalarTwoLayerNet((np.eye(2), np.zeros(2), np.eye(2), np.zeros(2))),
        TypeError,
        "params",
        "a tuple of arrays",
    ),
    Case(
        NN + "ScalarTwoLayerNet",
        lambda: ScalarTwoLayerNet(params(), activation="softmax"),
        ValueError,
        "activation",
        "unknown",
    ),
    Case(
        NN + "ScalarTwoLayerNet",
        lambda: ScalarTwoLayerNet(params(), activation=None),
        TypeError,
        "activation",
        "None",
    ),
    Case(
        NN + "ScalarTwoLayerNet.__call__",
        lambda: ScalarTwoLayerNet(params())([]),
        ValueError,
        "inputs",
        "empty",
    ),
    Case(NN + "MLP", lambda: MLP([]), ValueError, "layers", "no layers"),
    Case(NN + "MLP", lambda: MLP(3), TypeError, "layers", "a number"),
    Case(NN + "MLP", lambda: MLP([np.eye(2)]), TypeError, "layers[0]", "a lone matrix"),
    Case(
        NN + "MLP",
        lambda: MLP([(np.eye(2), np.zeros(2)), (np.eye(3), np.zeros(3))]),
        ValueError,
        "layer 2",
        "layers do not fit",
    ),
    Case(
        NN + "MLP",
        lambda: MLP(random_layers([2, 1]), activation="gelu"),
        ValueError,
        "activation",
        "unknown",
    ),
    Case(
        NN + "MLP.__call__",
        lambda: MLP(random_layers([2, 1]))([1.0]),
        ValueError,
        "inputs",
        "too few inputs",
    ),
    Case(
        NN + "MLP.__call__",
        lambda: MLP(random_layers([1, 1]))(["x"]),
        TypeError,
        "inputs[0]",
        "string input",
    ),
    Case(
        NN + "MLP.weight_gradient_norms",
        mlp_with_huge_gradients,
        ValueError,
        "gradients",
        "norm overflows",
    ),
    Case(NN + "random_layers", lambda: random_layers([3]), ValueError, "sizes", "one size"),
    Case(NN + "random_layers", lambda: random_layers(3), TypeError, "sizes", "a number"),
    Case(NN + "random_layers", lambda: random_layers([2, 0]), ValueError, "sizes", "zero"),
    Case(NN + "random_layers", lambda: random_layers([2, -1]), ValueError, "sizes", "negative"),
    Case(NN + "random_layers", lambda: random_layers([2, 1.5]), TypeError, "sizes", "float"),
    Case(
        NN + "random_layers",
        lambda: random_layers([10**5, 10**5]),
        ValueError,
        "sizes",
        "ten billion weights",
    ),
    Case(
        NN + "random_layers",
        lambda: random_layers([2, 1], seed=None),
        TypeError,
        "seed",
        "no seed",
    ),
    Case(NN + "random_layers", lambda: random_layers([2, 1], seed=-1), ValueError, "seed", "<0"),
    Case(NN + "random_layers", lambda: random_layers([2, 1], bias=NAN), ValueError, "bias", "nan"),
    Case(
        NN + "mean_squared_error",
        lambda: mean_squared_error([], []),
        ValueError,
        "predictions",
        "empty",
    ),
    Case(
        NN + "mean_squared_error",
        lambda: mean_squared_error([[Value(1.0)]], [[1.0], [2.0]]),
        ValueError,
        "targets",
        "more targets",
    ),
    Case(
        NN + "mean_squared_error",
        lambda: mean_squared_error([[Value(1.0), Value(2.0)]], [[1.0]]),
        ValueError,
        "targets[0]",
        "a short row",
    ),
    Case(
        NN + "mean_squared_error",
        lambda: mean_squared_error([[Value(1.0)]], [[NAN]]),
        ValueError,
        "targets[0][0]",
        "nan target",
    ),
    Case(
        NN + "mean_squared_error",
        lambda: mean_squared_error([[Value(1.0)]], [["1"]]),
        TypeError,
        "targets[0][0]",
        "string target",
    ),
    Case(
        NN + "mean_squared_error",
        lambda: mean_squared_error([Value(1.0)], [1.0]),
        TypeError,
        "predictions[0]",
        "rows missing",
    ),
    Case(
        NN + "mean_squared_error",
        lambda: mean_squared_error(Value(1.0), 1.0),
        TypeError,
        "predictions",
        "not lists",
    ),
    Case(
        NN + "mean_squared_error",
        lambda: mean_squared_error([[Value(1e200)]], [[-1e200]]),
        ValueError,
        "**2",
        "squared error overflows",
    ),
    Case(
        NN + "gradient_step",
        lambda: gradient_step([Value(1.0)], learning_rate=0.0),
        ValueError,
        "learning_rate",
        "zero rate",
    ),
    Case(
        NN + "gradient_step",
        lambda: gradient_step([Value(1.0)], learning_rate=-0.1),
        ValueError,
        "learning_rate",
        "negative rate",
    ),
    Case(
        NN + "gradient_step",
        lambda: gradient_step([Value(1.0)], learning_rate=NAN),
        ValueError,
        "learning_rate",
        "nan rate",
    ),
    Case(
        NN + "gradient_step",
        lambda: gradient_step([Value(1.0)], learning_rate="0.1"),
        TypeError,
        "learning_rate",
        "str rate",
    ),
    Case(
        NN + "gradient_step",
        lambda: gradient_step([1.0], learning_rate=0.1),
        TypeError,
        "parameters[0]",
        "a number",
    ),
    Case(
        NN + "gradient_step",
        lambda: gradient_step(Value(1.0), learning_rate=0.1),
        TypeError,
        "parameters",
        "one Value",
    ),
    Case(
        NN + "gradient_step",
        lambda: gradient_step([_with_grad(Value(1.0), 1e300)], learning_rate=1e10),
        ValueError,
        "learning_rate",
        "step overflows",
    ),
]


def _with_grad(value: Value, grad: float) -> Value:
    value.grad = grad
    return value


TWO_LAYER = [
    Case(
        TL + "TwoLayerParams",
        lambda: TwoLayerParams(np.eye(2), np.zeros(2), np.eye(3), np.zeros(3)),
        ValueError,
        "W2",
        "W2 does not fit",
    ),
    Case(
        TL + "TwoLayerParams",
        lambda: TwoLayerParams([[NAN]], [0.0], [[1.0]], [0.0]),
        ValueError,
        "W1",
        "nan",
    ),
    Case(
        TL + "TwoLayerParams",
        lambda: TwoLayerParams([["1"]], [0.0], [[1.0]], [0.0]),
        TypeError,
        "W1",
        "strings",
    ),
    Case(
        TL + "TwoLayerParams",
        lambda: TwoLayerParams([[1.0]], [0.0, 0.0], [[1.0]], [0.0]),
        ValueError,
        "b1",
        "b1 too long",
    ),
    Case(
        TL + "TwoLayerParams",
        lambda: TwoLayerParams(np.zeros((0, 1)), [], np.zeros((1, 0)), [0.0]),
        ValueError,
        "W1",
        "no hidden units",
    ),
    Case(
        TL + "TwoLayerParams",
        lambda: TwoLayerParams(None, None, None, None),
        TypeError,
        "W1",
        "None",
    ),
    Case(
        TL + "TwoLayerParams.step",
        lambda: params().step(None, learning_rate=0.1),
        TypeError,
        "grads",
        "None",
    ),
    Case(
        TL + "TwoLayerParams.step",
        lambda: params().step(backprop([[1.0]], [[2.0]], params())[1], learning_rate=0.0),
        ValueError,
        "learning_rate",
        "zero rate",
    ),
    Case(
        TL + "TwoLayerParams.step",
        lambda: params().step(backprop([[1.0]], [[2.0]], params())[1], learning_rate=NAN),
        ValueError,
        "learning_rate",
        "nan rate",
    ),
    Case(
        TL + "TwoLayerParams.step",
        lambda: params().step(backprop([[1.0]], [[2.0]], params(hidden=3))[1], learning_rate=0.1),
        ValueError,
        "grads.W1",
        "grads of another network",
    ),
    Case(
        TL + "TwoLayerParams.step",
        lambda: params().step(backprop([[1.0]], [[2.0]], params())[1], learning_rate=1e308),
        ValueError,
        "learning_rate",
        "overflowing step",
    ),
    Case(
        TL + "TwoLayerParams.random",
        lambda: TwoLayerParams.random(2.0, 3, 1),
        TypeError,
        "inputs",
        "float width",
    ),
    Case(
        TL + "TwoLayerParams.random",
        lambda: TwoLayerParams.random(1, 0, 1),
        ValueError,
        "hidden",
        "zero hidden",
    ),
    Case(
        TL + "TwoLayerParams.random",
        lambda: TwoLayerParams.random(1, 3, -1),
        ValueError,
        "outputs",
        "negative outputs",
    ),
    Case(
        TL + "TwoLayerParams.random",
        lambda: TwoLayerParams.random(1, 3, 1, seed=None),
        TypeError,
        "seed",
        "no seed",
    ),
    Case(
        TL + "TwoLayerParams.random",
        lambda: TwoLayerParams.random(1, 3, 1, seed=1.5),
        TypeError,
        "seed",
        "float seed",
    ),
    Case(
        TL + "TwoLayerParams.random",
        lambda: TwoLayerParams.random(10**6, 10**6, 1),
        ValueError,
        "hidden",
        "a trillion weights",
    ),
    Case(
        TL + "TwoLayerGradients",
        lambda: TwoLayerGradients([[NAN]], [0.0], [[1.0]], [0.0]),
        ValueError,
        "W1",
        "nan",
    ),
    Case(
        TL + "TwoLayerGradients",
        lambda: TwoLayerGradients([[1.0]], ["a"], [[1.0]], [0.0]),
        TypeError,
        "b1",
        "string",
    ),
    Case(TL + "forward", lambda: forward([[1.0, 2.0]], params()), ValueError, "X", "2 columns"),
    Case(TL + "forward", lambda: forward([1.0], params()), ValueError, "X", "a vector"),
    Case(TL + "forward", lambda: forward(np.zeros((0, 1)), params()), ValueError, "X", "no rows"),
    Case(TL + "forward", lambda: forward([[NAN]], params()), ValueError, "X", "nan"),
    Case(TL + "forward", lambda: forward([["1"]], params()), TypeError, "X", "strings"),
    Case(TL + "forward", lambda: forward([[1.0], [1.0, 2.0]], params()), TypeError, "X", "ragged"),
    Case(TL + "forward", lambda: forward([[1.0]], "params"), TypeError, "params", "str"),
    Case(
        TL + "forward",
        lambda: forward([[1.0]], params(), "soft"),
        ValueError,
        "activation",
        "unknown",
    ),
    Case(TL + "forward", lambda: forward([[1.0]], params(), 0), TypeError, "activation", "int"),
    Case(
        TL + "forward",
        lambda: forward([[1e300]], TwoLayerParams([[1e300]], [0.0], [[1.0]], [0.0])),
        ValueError,
        "X",
        "output overflows",
    ),
    Case(
        TL + "backprop",
        lambda: backprop([[1.0]], [[2.0], [3.0]], params()),
        ValueError,
        "Y",
        "too many targets",
    ),
    Case(
        TL + "backprop",
        lambda: backprop([[1.0]], [[NAN]], params()),
        ValueError,
        "Y",
        "nan target",
    ),
    Case(
        TL + "backprop",
        lambda: backprop([[1.0]], [[True]], params()),
        TypeError,
        "Y",
        "bool target",
    ),
    Case(
        TL + "backprop",
        lambda: backprop([[1e200]], [[0.0]], params()),
        ValueError,
        "X",
        "squared error overflows",
    ),
    Case(
        TL + "backprop",
        lambda: backprop([[1e154]], [[0.0]], TwoLayerParams([[1.0]], [0.0], [[1.0]], [0.0])),
        ValueError,
        "X, Y",
        "gradient overflows",
    ),
    Case(
        TL + "forward_and_save",
        lambda: forward_and_save([[1.0]], "2", params()),
        TypeError,
        "Y",
        "string target",
    ),
    Case(
        TL + "forward_and_save",
        lambda: forward_and_save([[1.0]], [[2.0]], None),
        TypeError,
        "params",
        "None",
    ),
    Case(
        TL + "SavedForBackward",
        lambda: SavedForBackward(np.ones((2, 1)), np.ones((3, 2)), np.ones((2, 1)), "tanh"),
        ValueError,
        "rows",
        "rows differ",
    ),
    Case(
        TL + "SavedForBackward",
        lambda: SavedForBackward(np.ones(2), np.ones((2, 2)), np.ones((2, 1)), "tanh"),
        ValueError,
        "X",
        "X a vector",
    ),
    Case(
        TL + "SavedForBackward",
        lambda: SavedForBackward(np.ones((1, 1)), np.ones((1, 2)), [[NAN]], "tanh"),
        ValueError,
        "residual",
        "nan residual",
    ),
    Case(
        TL + "SavedForBackward",
        lambda: SavedForBackward(np.ones((1, 1)), np.ones((1, 2)), [[0.0]], "swish"),
        ValueError,
        "activation",
        "unknown",
    ),
    Case(TL + "backward", lambda: backward(None, params()), TypeError, "saved", "None"),
    Case(TL + "backward", lambda: backward(saved(), None), TypeError, "params", "None"),
    Case(
        TL + "backward",
        lambda: backward(saved(), params(hidden=3)),
        ValueError,
        "saved",
        "other params",
    ),
    Case(
        TL + "backward",
        lambda: backward(
            SavedForBackward([[1.0]], [[1e200, 1e200]], [[1e200]], "identity"), params()
        ),
        ValueError,
        "saved",
        "gradient overflows",
    ),
    Case(TL + "collapse", lambda: collapse((np.eye(1),) * 4), TypeError, "params", "tuple"),
    Case(
        TL + "collapse",
        lambda: collapse(TwoLayerParams([[1e200]], [1e200], [[1e200]], [0.0])),
        ValueError,
        "params",
        "product overflows",
    ),
]


def a_graph() -> Value:
    a = Value(2.0, "a")
    return (a * 3.0) ** 2


def big_chain() -> Value:
    x = Value(1.0)
    for _ in range(1_500):
        x = x * 1.0
    return x


GRAPH_DRAWING = [
    Case(GD + "graph_layout", lambda: graph_layout(3.0), TypeError, "root", "a number"),
    Case(GD + "graph_layout", lambda: graph_layout(W * 2), TypeError, "root", "a tensor"),
    Case(GD + "draw_graph", lambda: draw_graph(3.0), TypeError, "root", "a number"),
    Case(GD + "draw_graph", lambda: draw_graph(None), TypeError, "root", "None"),
    Case(GD + "draw_graph", lambda: draw_graph(a_graph(), title=3), TypeError, "title", "int"),
    Case(
        GD + "draw_graph",
        lambda: draw_graph(a_graph(), show_grad="no"),
        TypeError,
        "show_grad",
        "a string flag",
    ),
    Case(GD + "draw_graph", lambda: draw_graph(big_chain()), ValueError, "nodes", "too big"),
    Case(GD + "graph_geometry", lambda: graph_geometry(3.0), TypeError, "root", "a number"),
    Case(GD + "graph_geometry", lambda: graph_geometry(W * 2), TypeError, "root", "a tensor"),
    Case(
        GD + "graph_geometry",
        lambda: graph_geometry(a_graph(), show_grad=1),
        TypeError,
        "show_grad",
        "an int flag",
    ),
    Case(
        GD + "graph_geometry", lambda: graph_geometry(big_chain()), ValueError, "nodes", "too big"
    ),
]


def doubled(times: int) -> torch.Tensor:
    x = torch.tensor(1.0, requires_grad=True)
    for _ in range(times):
        x = x + x
    return x


TORCH_GRAPH = [
    Case(TG + "count_nodes", lambda: count_nodes(1.0), TypeError, "tensor", "a number"),
    Case(TG + "count_nodes", lambda: count_nodes(np.ones(2)), TypeError, "tensor", "an array"),
    Case(TG + "count_nodes", lambda: count_nodes(W), ValueError, "grad_fn", "a leaf"),
    Case(
        TG + "count_nodes", lambda: count_nodes(torch.ones(2) * 2), ValueError, "grad_fn", "no grad"
    ),
    Case(
        TG + "graph_lines",
        lambda: graph_lines(Value(1.0) * 2),
        TypeError,
        "tensor",
        "an engine Value",
    ),
    Case(
        TG + "graph_lines", lambda: graph_lines(W.detach() * 2), ValueError, "grad_fn", "detached"
    ),
    Case(
        TG + "graph_lines", lambda: graph_lines(W * W, {W: "w"}), TypeError, "names", "tensor keys"
    ),
    Case(TG + "graph_lines", lambda: graph_lines(W * W, ["w"]), TypeError, "names", "a list"),
    Case(
        TG + "graph_lines",
        lambda: graph_lines(W * W, {"w": "w"}),
        TypeError,
        "names",
        "string keys",
    ),
    Case(
        TG + "graph_lines", lambda: graph_lines(W * W, {id(W): 1}), TypeError, "names", "int names"
    ),
]

GRADIENTS = [
    Case(GR + "Gradient", lambda: Gradient("1", 0.0), TypeError, "dw", "string"),
    Case(GR + "Gradient", lambda: Gradient(0.0, NAN), ValueError, "db", "nan"),
    Case(GR + "Gradient", lambda: Gradient(None, 0.0), TypeError, "dw", "None"),
    Case(GR + "mse_gradient", lambda: mse_gradient(BIG, Y, 1.0), ValueError, "x, y", "1e200"),
    Case(GR + "mse_gradient", lambda: mse_gradient(X, Y, NAN), ValueError, "w", "nan w"),
    Case(GR + "mse_gradient", lambda: mse_gradient(X, Y, 1.0, "0"), TypeError, "b", "str b"),
    Case(GR + "mse_gradient", lambda: mse_gradient(X, Y[:2], 1.0), ValueError, "y", "lengths"),
    Case(GR + "mse_gradient", lambda: mse_gradient([], [], 1.0), ValueError, "x", "empty"),
    Case(GR + "mse_gradient", lambda: mse_gradient(X, Y, 1e300), ValueError, "w", "huge w"),
    Case(
        GR + "cost_and_gradient",
        lambda: cost_and_gradient(X, Y, INF, 0.0),
        ValueError,
        "w",
        "inf w",
    ),
    Case(
        GR + "cost_and_gradient",
        lambda: cost_and_gradient("123", Y, 1.0, 0.0),
        TypeError,
        "x",
        "string x",
    ),
    Case(
        GR + "cost_and_gradient",
        lambda: cost_and_gradient(X, [2.0, NAN, 6.0], 1.0, 0.0),
        ValueError,
        "y",
        "nan y",
    ),
    Case(
        GR + "cost_and_gradient",
        lambda: cost_and_gradient(BIG, BIG, 2.0, 0.0),
        ValueError,
        "x, y",
        "overflow",
    ),
    Case(
        GR + "central_difference",
        lambda: central_difference(3.0, [1.0]),
        TypeError,
        "f",
        "not callable",
    ),
    Case(
        GR + "central_difference", lambda: central_difference(sum, []), ValueError, "point", "empty"
    ),
    Case(
        GR + "central_difference",
        lambda: central_difference(sum, [1.0], h=0.0),
        ValueError,
        "h",
        "h = 0",
    ),
    Case(
        GR + "central_difference",
        lambda: central_difference(sum, [1.0], h=-1e-6),
        ValueError,
        "h",
        "negative h",
    ),
    Case(
        GR + "central_difference",
        lambda: central_difference(sum, [NAN]),
        ValueError,
        "point",
        "nan point",
    ),
    Case(
        GR + "central_difference",
        lambda: central_difference(lambda p: p, [1.0, 2.0]),
        TypeError,
        "f",
        "f returns an array",
    ),
    Case(
        GR + "central_difference",
        lambda: central_difference(lambda p: NAN, [1.0]),
        ValueError,
        "f",
        "f returns nan",
    ),
    Case(
        GR + "central_difference",
        lambda: central_difference(lambda p: 1.0, [1e308], h=1e308),
        ValueError,
        "h",
        "point + h overflows",
    ),
    Case(
        GR + "central_difference",
        lambda: central_difference(lambda p: 1e308 if p[0] > 0 else -1e308, [0.0], h=1e-300),
        ValueError,
        "f",
        "quotient overflows",
    ),
]

MONITOR = [
    Case(
        MO + "BackendUnavailable",
        lambda: mon.VisdomBackend(port=1),
        mon.BackendUnavailable,
        "visdom server",
        "no server at port 1",
    ),
    Case(
        MO + "VisdomBackend",
        lambda: mon.VisdomBackend(port=0),
        ValueError,
        "port",
        "port 0 (before any connection)",
    ),
    Case(
        MO + "Backend",
        lambda: mon.TrainingMonitor(backends=[object()]),
        TypeError,
        "backend",
        "no log or close",
    ),
    Case(
        MO + "Backend.log",
        lambda: mon.TrainingMonitor(backends=[print]),
        TypeError,
        "backend",
        "a function as backend",
    ),
    Case(
        MO + "Backend.close",
        lambda: mon.TrainingMonitor(backends=[_LogOnly()]),
        TypeError,
        "close",
        "no close()",
    ),
    Case(
        MO + "TrainingMonitor", lambda: mon.TrainingMonitor(every=0), ValueError, "every", "every 0"
    ),
    Case(
        MO + "TrainingMonitor",
        lambda: mon.TrainingMonitor(progress=-1),
        ValueError,
        "progress",
        "negative total",
    ),
    Case(
        MO + "TrainingMonitor",
        lambda: mon.TrainingMonitor(live="yes"),
        TypeError,
        "live",
        "a string flag",
    ),
    Case(
        MO + "TrainingMonitor",
        lambda: mon.TrainingMonitor(log_scale=None),
        TypeError,
        "log_scale",
        "None flag",
    ),
    Case(
        MO + "TrainingMonitor",
        lambda: mon.TrainingMonitor(live=True),
        ValueError,
        "live",
        "outside Jupyter",
    ),
    Case(
        MO + "TrainingMonitor",
        lambda: mon.TrainingMonitor(backends=mon.EarlyStopping("loss", patience=1)),
        TypeError,
        "backends",
        "one backend, not a list",
    ),
    Case(
        MO + "TrainingMonitor.log",
        lambda: monitor_with((0, {"loss": NAN})),
        ValueError,
        "loss",
        "nan",
    ),
    Case(
        MO + "TrainingMonitor.log",
        lambda: monitor_with((0, {"loss": HUGE_INT})),
        ValueError,
        "loss",
        "int beyond float",
    ),
    Case(
        MO + "TrainingMonitor.log",
        lambda: monitor_with((0, {"loss": torch.tensor(1.0)})),
        TypeError,
        "loss.item()",
        "a tensor",
    ),
    Case(
        MO + "TrainingMonitor.log",
        lambda: monitor_with((0, {"loss": "1"})),
        TypeError,
        "loss",
        "a string",
    ),
    Case(
        MO + "TrainingMonitor.log",
        lambda: monitor_with((1.5, {"loss": 1.0})),
        TypeError,
        "step",
        "float step",
    ),
    Case(
        MO + "TrainingMonitor.log",
        lambda: monitor_with((-1, {"loss": 1.0})),
        ValueError,
        "step",
        "negative step",
    ),
    Case(
        MO + "TrainingMonitor.log", lambda: monitor_with((0, {})), ValueError, "value", "no values"
    ),
    Case(
        MO + "TrainingMonitor.log",
        lambda: monitor_with((5, {"loss": 1.0}), (3, {"loss": 1.0})),
        ValueError,
        "step",
        "step goes backwards",
    ),
    Case(
        MO + "TrainingMonitor.log",
        lambda: monitor_with((5, {"loss": 1.0}), (5, {"loss": 2.0})),
        ValueError,
        "step",
        "the same step twice",
    ),
    Case(
        MO + "TrainingMonitor.log",
        lambda: closed(mon.TrainingMonitor()).log(0, loss=1.0),
        RuntimeError,
        "close",
        "after close",
    ),
    Case(
        MO + "TrainingMonitor.history",
        lambda: monitor_with((0, {"loss": 1.0})).history("x"),
        KeyError,
        "name",
        "never logged",
    ),
    Case(
        MO + "TrainingMonitor.history",
        lambda: mon.TrainingMonitor().history(0),
        TypeError,
        "name",
        "an int",
    ),
    Case(
        MO + "TrainingMonitor.figure",
        lambda: monitor_with((0, {"loss": 1.0})).figure(names="loss"),
        TypeError,
        "names",
        "a string, not a list",
    ),
    Case(
        MO + "TrainingMonitor.figure",
        lambda: monitor_with((0, {"loss": 1.0})).figure(names=["acc"]),
        KeyError,
        "name",
        "unknown name",
    ),
    Case(
        MO + "TrainingMonitor.figure",
        lambda: monitor_with((0, {"loss": 1.0})).figure(title=None),
        TypeError,
        "title",
        "None title",
    ),
    Case(
        MO + "TrainingMonitor.figure",
        lambda: mon.TrainingMonitor().figure(),
        ValueError,
        "log()",
        "nothing logged yet",
    ),
    Case(
        MO + "TrainingMonitor.figure",
        lambda: monitor_with((0, {"loss": 1.0})).figure(names=[]),
        ValueError,
        "names",
        "no names",
    ),
    Case(
        MO + "TrainingMonitor.draw",
        lambda: monitor_with((0, {"loss": 1.0})).draw(None),
        TypeError,
        "ax",
        "None axes",
    ),
    Case(
        MO + "TrainingMonitor.draw",
        lambda: monitor_with((0, {"loss": 1.0})).draw(axes(), names=3),
        TypeError,
        "names",
        "an int",
    ),
    Case(
        MO + "plain_log_yaxis",
        lambda: mon.plain_log_yaxis(plt),
        TypeError,
        "ax",
        "pyplot, not axes",
    ),
    Case(
        MO + "EarlyStopping",
        lambda: mon.EarlyStopping("val", patience=0),
        ValueError,
        "patience",
        "zero",
    ),
    Case(
        MO + "EarlyStopping",
        lambda: mon.EarlyStopping("val", patience=2.0),
        TypeError,
        "patience",
        "float",
    ),
    Case(
        MO + "EarlyStopping",
        lambda: mon.EarlyStopping("val", patience=1, min_delta=-1),
        ValueError,
        "min_delta",
        "negative",
    ),
    Case(
        MO + "EarlyStopping",
        lambda: mon.EarlyStopping("val", patience=1, min_delta=NAN),
        ValueError,
        "min_delta",
        "nan",
    ),
    Case(
        MO + "EarlyStopping",
        lambda: mon.EarlyStopping("", patience=1),
        ValueError,
        "metric",
        "empty metric name",
    ),
    Case(
        MO + "EarlyStopping",
        lambda: mon.EarlyStopping(None, patience=1),
        TypeError,
        "metric",
        "None",
    ),
    Case(
        MO + "EarlyStopping",
        lambda: mon.EarlyStopping("val", patience=1, model=[1]),
        TypeError,
        "model",
        "a list",
    ),
    Case(
        MO + "EarlyStopping.log",
        lambda: mon.EarlyStopping("val", patience=1).log(0, val=NAN),
        ValueError,
        "val",
        "nan",
    ),
    Case(
        MO + "EarlyStopping.log",
        lambda: mon.EarlyStopping("val", patience=1).log(0, val="1.0"),
        TypeError,
        "val",
        "a string value",
    ),
    Case(
        MO + "EarlyStopping.log",
        lambda: mon.EarlyStopping("val", patience=1).log("0", val=1.0),
        TypeError,
        "step",
        "a string step",
    ),
    Case(
        MO + "EarlyStopping.log",
        lambda: logged(mon.EarlyStopping("val", patience=3), (4, {"val": 1.0}), (2, {"val": 0.5})),
        ValueError,
        "step",
        "steps backwards",
    ),
    Case(
        MO + "EarlyStopping.log",
        lambda: closed(mon.EarlyStopping("val", patience=3)).log(0, val=1.0),
        RuntimeError,
        "close",
        "after close",
    ),
    Case(
        MO + "EarlyStopping.restore",
        lambda: mon.EarlyStopping("val", patience=1).restore(),
        ValueError,
        "model",
        "without a model",
    ),
    Case(
        MO + "EarlyStopping.restore",
        lambda: mon.EarlyStopping("val", patience=1, model=torch.nn.Linear(1, 1)).restore(),
        RuntimeError,
        "restore()",
        "before any value",
    ),
    Case(
        MO + "exponential_moving_average",
        lambda: mon.exponential_moving_average([]),
        ValueError,
        "values",
        "empty",
    ),
    Case(
        MO + "exponential_moving_average",
        lambda: mon.exponential_moving_average([NAN]),
        ValueError,
        "values",
        "nan",
    ),
    Case(
        MO + "exponential_moving_average",
        lambda: mon.exponential_moving_average(["1"]),
        TypeError,
        "values",
        "strings",
    ),
    Case(
        MO + "exponential_moving_average",
        lambda: mon.exponential_moving_average([1.0], beta=1.0),
        ValueError,
        "beta",
        "beta 1",
    ),
    Case(
        MO + "exponential_moving_average",
        lambda: mon.exponential_moving_average([1.0], beta=NAN),
        ValueError,
        "beta",
        "nan beta",
    ),
    Case(
        MO + "exponential_moving_average",
        lambda: mon.exponential_moving_average([1.0], bias_correction="False"),
        TypeError,
        "bias_correction",
        "a string flag",
    ),
    Case(
        MO + "gradient_norm",
        lambda: mon.gradient_norm(tensor_with_grad()),
        TypeError,
        "parameters",
        "one tensor, not a list",
    ),
    Case(MO + "gradient_norm", lambda: mon.gradient_norm(3), TypeError, "parameters", "a number"),
    Case(
        MO + "gradient_norm",
        lambda: mon.gradient_norm([tensor_with_grad(), 1.0]),
        TypeError,
        "parameters[1]",
        "a float among tensors",
    ),
    Case(
        MO + "gradient_norm",
        lambda: mon.gradient_norm([torch.ones(1, requires_grad=True)]),
        ValueError,
        "backward()",
        "before backward",
    ),
    Case(
        MO + "gradient_norm",
        lambda: mon.gradient_norm([]),
        ValueError,
        "backward()",
        "no parameters",
    ),
    Case(
        MO + "gradient_norm",
        lambda: mon.gradient_norm([_grad_of(math.inf)]),
        ValueError,
        "gradient",
        "inf gradient",
    ),
    Case(
        MO + "VisdomBackend",
        lambda: mon.VisdomBackend(port="8097"),
        TypeError,
        "port",
        "a string port",
    ),
    Case(
        MO + "VisdomBackend",
        lambda: mon.VisdomBackend(port=70000),
        ValueError,
        "port",
        "port beyond 65535",
    ),
    Case(
        MO + "VisdomBackend",
        lambda: mon.VisdomBackend(server=None),
        TypeError,
        "server",
        "None server",
    ),
    Case(MO + "VisdomBackend", lambda: mon.VisdomBackend(env=1), TypeError, "env", "int env"),
    Case(
        MO + "VisdomBackend.log",
        lambda: visdom_offline().log(0, loss=NAN),
        ValueError,
        "loss",
        "nan",
    ),
    Case(
        MO + "VisdomBackend.log",
        lambda: visdom_offline().log(-1, loss=1.0),
        ValueError,
        "step",
        "negative step",
    ),
    Case(
        MO + "VisdomBackend.log",
        lambda: closed(visdom_offline()).log(0, loss=1.0),
        RuntimeError,
        "close",
        "after close",
    ),
    Case(
        MO + "TensorBoardBackend",
        lambda: mon.TensorBoardBackend(None),
        TypeError,
        "log_dir",
        "None",
    ),
    Case(
        MO + "TensorBoardBackend",
        lambda: mon.TensorBoardBackend(__file__),
        ValueError,
        "log_dir",
        "a file",
    ),
    Case(
        MO + "TensorBoardBackend.log",
        lambda: tensorboard().log(0, loss=INF),
        ValueError,
        "loss",
        "inf",
    ),
    Case(
        MO + "TensorBoardBackend.log",
        lambda: tensorboard().log(0, loss="1"),
        TypeError,
        "loss",
        "a string",
    ),
    Case(
        MO + "TensorBoardBackend.log",
        lambda: logged(tensorboard(), (3, {"loss": 1.0}), (1, {"loss": 1.0})),
        ValueError,
        "step",
        "steps backwards",
    ),
    Case(
        MO + "TensorBoardBackend.log",
        lambda: closed(tensorboard()).log(0, loss=1.0),
        RuntimeError,
        "close",
        "after close",
    ),
    Case(
        MO + "read_tensorboard_scalars",
        lambda: mon.read_tensorboard_scalars(Path(LOGS.name) / "missing", "loss"),
        ValueError,
        "log_dir",
        "no such folder",
    ),
    Case(
        MO + "read_tensorboard_scalars",
        lambda: mon.read_tensorboard_scalars(3, "loss"),
        TypeError,
        "log_dir",
        "an int",
    ),
    Case(
        MO + "read_tensorboard_scalars",
        lambda: mon.read_tensorboard_scalars(LOGS.name, None),
        TypeError,
        "name",
        "None name",
    ),
    Case(
        MO + "read_tensorboard_scalars",
        lambda: mon.read_tensorboard_scalars(
            closed(logged(tensorboard(), (0, {"loss": 1.0}))).log_dir, "acc"
        ),
        KeyError,
        "name",
        "never written",
    ),
]


class _LogOnly:
    def log(self, step, **values):
        pass


def _grad_of(value: float) -> torch.Tensor:
    t = torch.ones(1, requires_grad=True)
    t.grad = torch.tensor([value])
    return t


# Found by the generated sweep (tests/test_bad_input_sweep.py).
SWEEP = [
    Case(
        NN + "MLP",
        lambda: MLP([([[math.nan, 1.0]], [0.0])], activation="sigmoid"),
        ValueError,
        "layers[0]",
        "NaN in a layer's weight",
    ),
    Case(NN + "MLP", lambda: MLP([("x", [0.0])]), TypeError, "layers[0]", "a string weight"),
    Case(NN + "gradient_step", lambda: gradient_step([], learning_rate=0.1), ValueError,
         "parameters", "an empty list"),
    Case(TL + "TwoLayerGradients", lambda: TwoLayerGradients(W1=[], b1=[0.0], W2=[[1.0]],
         b2=[2.0]), ValueError, "W1", "an empty W1"),
    Case(TL + "TwoLayerGradients", lambda: TwoLayerGradients(W1=[[0.5]], b1=[0.0, 1.0],
         W2=[[1.0]], b2=[2.0]), ValueError, "b1", "b1 not one entry per row of W1"),
    Case(MO + "gradient_norm", lambda: mon.gradient_norm([]), ValueError, "parameters",
         "no parameters, named"),
]  # fmt: skip

CASES: list[Case] = AUTOGRAD + ENGINE_NN + TWO_LAYER + GRAPH_DRAWING + TORCH_GRAPH
CASES += GRADIENTS + MONITOR + SWEEP


@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_bad_input_is_explained(case: Case) -> None:
    check(case)
    plt.close("all")


# -- random bad values


@settings(max_examples=30, deadline=None)
@given(
    st.one_of(
        st.sampled_from([math.nan, math.inf, -math.inf]),
        st.integers(min_value=2**1024, max_value=10**400),
        st.integers(min_value=-(10**400), max_value=-(2**1024)),
    )
)
def test_value_refuses_every_number_a_float_cannot_hold(number):
    check(Case(AG + "Value", lambda: Value(number), ValueError, "data", "not finite"))


@settings(max_examples=40, deadline=None)
@given(st.floats(min_value=709.8, max_value=1e308))
def test_exp_overflow_is_named(exponent):
    check(Case(AG + "Value.exp", lambda: Value(exponent).exp(), ValueError, "exp", "overflow"))


@settings(max_examples=40, deadline=None)
@given(st.floats(min_value=2.0, max_value=1e10), st.integers(min_value=1025, max_value=99_999))
def test_power_overflow_is_named(base, exponent):
    assume(math.log2(base) * exponent > 1025)
    check(Case(AG + "Value", lambda: Value(base) ** exponent, ValueError, f"**{exponent}", "pow"))


@settings(max_examples=40, deadline=None)
@given(st.floats(min_value=1e155, max_value=1e308), st.floats(min_value=1e155, max_value=1e308))
def test_product_overflow_is_named(a, b):
    assume(a * b == math.inf)
    check(Case(AG + "Value", lambda: Value(a) * Value(b), ValueError, "*", "overflow"))


@settings(max_examples=40, deadline=None)
@given(st.floats(min_value=9e307, max_value=1.7e308), st.floats(min_value=9e307, max_value=1.7e308))
def test_sum_overflow_is_named(a, b):
    assume(a + b == math.inf)
    check(Case(AG + "Value", lambda: Value(a) + b, ValueError, "+", "overflow"))


@settings(max_examples=30, deadline=None)
@given(
    st.one_of(
        st.text(max_size=3),
        st.none(),
        st.booleans(),
        st.complex_numbers(),
        st.lists(st.floats(), max_size=2),
    )
)
def test_value_refuses_what_is_not_a_real_number(thing):
    check(Case(AG + "Value", lambda: Value(thing), TypeError, "data", "not a number"))


@settings(max_examples=30, deadline=None)
@given(st.sampled_from(["nan", "inf", "-inf"]), st.sampled_from(["loss", "val_loss"]))
def test_monitor_refuses_non_finite_values_whole(bad, name):
    monitor = monitor_with((0, {"a": 1.0, name: 1.0}))
    check(
        Case(
            MO + "TrainingMonitor.log",
            lambda: monitor.log(1, a=2.0, **{name: float(bad)}),
            ValueError,
            name,
            "non-finite",
        )
    )
    assert monitor.history("a")[1].tolist() == [1.0]  # nothing of the call was kept


@settings(max_examples=30, deadline=None)
@given(st.integers(min_value=0, max_value=100), st.integers(min_value=0, max_value=100))
def test_monitor_steps_go_forward(first, second):
    assume(second <= first)
    check(
        Case(
            MO + "TrainingMonitor.log",
            lambda: monitor_with((first, {"loss": 1.0}), (second, {"loss": 1.0})),
            ValueError,
            "step",
            "backwards",
        )
    )


@settings(max_examples=30, deadline=None)
@given(st.one_of(st.floats(max_value=0.0), st.just(math.nan), st.just(math.inf)))
def test_gradient_step_refuses_rates_that_are_not_positive_and_finite(rate):
    check(
        Case(
            NN + "gradient_step",
            lambda: gradient_step([Value(1.0)], learning_rate=rate),
            ValueError,
            "learning_rate",
            "rate",
        )
    )


@settings(max_examples=30, deadline=None)
@given(
    st.integers(min_value=-5, max_value=0),
    st.sampled_from(["inputs", "hidden", "outputs"]),
)
def test_two_layer_params_refuse_empty_layers(size, which):
    sizes = {"inputs": 2, "hidden": 3, "outputs": 1, which: size}
    check(
        Case(
            TL + "TwoLayerParams.random",
            lambda: TwoLayerParams.random(**sizes),
            ValueError,
            which,
            "size < 1",
        )
    )
