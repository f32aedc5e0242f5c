"""Bad input to the core modules gets a clear error that names the argument (issue 13).

Group "core": _validation, linear_model, descent, data, cost_landscape, training,
optimizer_comparison, plotting, widgets, momentum, nonconvex, generalization, torch_data.
Each Case is a call a careful user might make by mistake; :func:`bad_inputs.check` runs it
and demands the documented error, with the argument's name and what was expected in the
message, within a time limit, and no NaN or inf returned in silence.
"""

from __future__ import annotations

import math

import matplotlib
import numpy as np
import pytest
import torch
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from bad_inputs import Case, case_id, check

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402

from dlpractice import _validation as v  # noqa: E402
from dlpractice import (  # noqa: E402
    cost_landscape as cl,
)
from dlpractice import (  # noqa: E402
    curvature,
    data,
    descent,
    divergence,
    generalization,
    linear_model,
    momentum,
    nonconvex,
    optimizer_comparison,
    plotting,
    torch_data,
    training,
    widgets,
)
from dlpractice.divergence import DivergenceError

X, Y = [1.0, 2.0, 3.0], [2.0, 4.0, 6.0]
BIG = [1e200, 2e200, 3e200]
XT = torch.tensor([[1.0], [2.0], [3.0]])
YT = 2 * XT
H = [[28 / 3]]
STATES = optimizer_comparison.initial_states([0])
D = "dlpractice."


def _model() -> torch.nn.Linear:
    torch.manual_seed(0)
    return torch.nn.Linear(1, 1)


def _sgd(model: torch.nn.Module, lr: float = 0.01) -> torch.optim.SGD:
    return torch.optim.SGD(model.parameters(), lr=lr)


def _train(**kwargs):
    model = _model()
    args = {
        "model": model,
        "loss_fn": torch.nn.MSELoss(),
        "optimizer": _sgd(model),
        "x": XT,
        "y": YT,
        "epochs": 3,
    }
    args.update(kwargs)
    return training.train(
        args.pop("model"), args.pop("loss_fn"), args.pop("optimizer"), args.pop("x"),
        args.pop("y"), **args,
    )  # fmt: skip


def _minibatches(loader, **kwargs):
    model = _model()
    return training.train_minibatches(
        model, torch.nn.MSELoss(), _sgd(model), loader, **{"epochs": 2, **kwargs}
    )


def _history():
    model = _model()
    return training.train(model, torch.nn.MSELoss(), _sgd(model), XT, YT, epochs=2)


def _fit():
    return generalization.fit_polynomial(X, Y, 1)


def _run():
    return momentum.momentum_descent(
        X, Y, w0=0.0, b0=1.0, learning_rate=0.05, momentum=0.5, steps=5
    )


def _surface():
    return cl.cost_surface(X, Y, [1.0, 2.0, 3.0], [-1.0, 0.0, 1.0])


def _axes():
    fig, ax = plt.subplots()
    plt.close(fig)
    return ax


def _gd(**kwargs):
    return descent.gradient_descent(
        *kwargs.pop("data", (X, Y)), **{"w0": 1.0, "learning_rate": 0.01, "epochs": 5, **kwargs}
    )


def _sd(**kwargs):
    return descent.stochastic_descent(
        X, Y, **{"w0": 1.0, "learning_rate": 0.01, "epochs": 5, **kwargs}
    )


def _mb(**kwargs):
    return descent.minibatch_descent(
        *kwargs.pop("data", (X, Y)),
        **{"w0": 1.0, "learning_rate": 0.01, "epochs": 5, "batch_size": 2, **kwargs},
    )


def _md(**kwargs):
    settings_ = {"w0": 0.0, "b0": 1.0, "learning_rate": 0.05, "momentum": 0.5, "steps": 5}
    return momentum.momentum_descent(*kwargs.pop("data", (X, Y)), **{**settings_, **kwargs})


def _fg(name="SGD", rates=(0.1,), states=STATES, x=XT, y=YT, epochs=5, **kwargs):
    rates = list(rates) if isinstance(rates, tuple) else rates
    return optimizer_comparison.fit_grid(name, states, x, y, rates=rates, epochs=epochs, **kwargs)


def _race(**kwargs):
    return optimizer_comparison.race(XT, YT, **{"names": ["SGD"], "epochs": 3, **kwargs})


def _de(**kwargs):
    args = {"w0": 1.0, "learning_rates": [0.01, 0.1], "steps": 5, **kwargs}
    return widgets.descent_explorer(*args.pop("data", (X, Y)), **args)


def _me(**kwargs):
    args = {
        "w0": 0.0,
        "b0": 1.0,
        "learning_rates": [0.01, 0.1],
        "momenta": [0.0, 0.5],
        "steps": 5,
        **kwargs,
    }
    return widgets.momentum_explorer(*args.pop("data", (X, Y)), **args)


def _step(fn, **kwargs):
    args = {
        "params": np.array([1.0]),
        "velocity": np.array([0.0]),
        "gradient": lambda t: 2 * t,
        "learning_rate": 0.1,
        "momentum": 0.5,
        **kwargs,
    }
    return fn(args.pop("params"), args.pop("velocity"), args.pop("gradient"), **args)


def _caller_rng_reset() -> None:
    """Raise if initial_states disturbs the caller's random generator."""
    torch.manual_seed(123)
    expected = torch.rand(3)
    torch.manual_seed(123)
    optimizer_comparison.initial_states([0, 1])
    if not torch.equal(expected, torch.rand(3)):
        raise AssertionError("seeds: initial_states must not reset the caller's generator")


VE, TE = ValueError, TypeError
GRAD = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)

CASES: list[Case] = [
    # --- _validation, through the public functions that use it --------------------------
    Case(
        D + "linear_model.mse",
        lambda: linear_model.mse(["1", "2", "3"], Y, 2.0),
        TE,
        "x",
        "strings in x",
    ),
    Case(
        D + "linear_model.mse",
        lambda: linear_model.mse([True, False, True], Y, 2.0),
        TE,
        "x",
        "booleans in x",
    ),
    Case(
        D + "linear_model.mse",
        lambda: linear_model.mse([1 + 2j, 2, 3], Y, 2.0),
        TE,
        "x",
        "complex x",
    ),
    Case(
        D + "linear_model.mse",
        lambda: linear_model.mse([10**400, 1, 2], Y, 2.0),
        VE,
        "x",
        "int too large for a float",
    ),
    Case(D + "linear_model.mse", lambda: linear_model.mse(X, Y, 10**400), VE, "w", "huge int w"),
    Case(
        D + "linear_model.mse",
        lambda: linear_model.mse(GRAD, Y, 2.0),
        TE,
        "x",
        "tensor that requires grad",
    ),
    Case(
        D + "linear_model.mse",
        lambda: linear_model.mse([1e154, 2e154, 3e154], Y, 1.0),
        VE,
        "x",
        "square overflows",
    ),
    Case(D + "linear_model.mse", lambda: linear_model.mse([[1, 2]], [[1, 2]], 1.0), VE, "x", "2-D"),
    Case(
        D + "linear_model.mse",
        lambda: linear_model.mse(X, Y[:2], 1.0),
        VE,
        "x",
        "mismatched lengths",
    ),
    Case(D + "linear_model.mse", lambda: linear_model.mse([], [], 1.0), VE, "x", "empty"),
    Case(D + "linear_model.mse", lambda: linear_model.mse(None, Y, 1.0), TE, "x", "None"),
    Case(
        D + "linear_model.mse",
        lambda: linear_model.mse([1, None, 3], Y, 1.0),
        TE,
        "x",
        "None inside",
    ),
    Case(
        D + "linear_model.mse", lambda: linear_model.mse([[1], [2, 3]], Y, 1.0), TE, "x", "ragged"
    ),
    Case(
        D + "linear_model.mse",
        lambda: linear_model.mse(X, Y, np.array([1.0, 2.0])),
        TE,
        "w",
        "array w",
    ),
    Case(D + "linear_model.mse", lambda: linear_model.mse(X, Y, 1.0, b=math.inf), VE, "b", "inf b"),
    Case(
        D + "linear_model.predict",
        lambda: linear_model.predict([1e308], 10.0),
        VE,
        "x",
        "prediction overflows",
    ),
    Case(D + "linear_model.predict", lambda: linear_model.predict(X, True), TE, "w", "bool w"),
    Case(D + "linear_model.predict", lambda: linear_model.predict("123", 1.0), TE, "x", "string x"),
    Case(
        D + "linear_model.squared_error",
        lambda: linear_model.squared_error(X, [np.nan, 1, 2], 1.0),
        VE,
        "y",
        "NaN y",
    ),
    Case(
        D + "linear_model.squared_error",
        lambda: linear_model.squared_error(BIG, Y, 1.0),
        VE,
        "x",
        "overflow",
    ),
    Case(
        D + "linear_model.squared_error",
        lambda: linear_model.squared_error(X, Y, 1 + 1j),
        TE,
        "w",
        "complex w",
    ),
    # --- cost_landscape ------------------------------------------------------------------
    Case(
        D + "cost_landscape.parameter_grid",
        lambda: cl.parameter_grid(0, 1e12, 1),
        VE,
        "step",
        "a trillion points",
    ),
    Case(
        D + "cost_landscape.parameter_grid",
        lambda: cl.parameter_grid(0, 1, 1e-300),
        VE,
        "step",
        "interval / step overflows",
    ),
    Case(
        D + "cost_landscape.parameter_grid",
        lambda: cl.parameter_grid(0.0, 4.0, 0.0),
        VE,
        "step",
        "zero step",
    ),
    Case(
        D + "cost_landscape.parameter_grid",
        lambda: cl.parameter_grid(4.0, 0.0, 0.1),
        VE,
        "start",
        "start above stop",
    ),
    Case(
        D + "cost_landscape.parameter_grid",
        lambda: cl.parameter_grid("0", 4.0, 0.1),
        TE,
        "start",
        "string start",
    ),
    Case(
        D + "cost_landscape.parameter_grid",
        lambda: cl.parameter_grid(0.0, np.nan, 0.1),
        VE,
        "stop",
        "NaN stop",
    ),
    Case(
        D + "cost_landscape.parameter_grid",
        lambda: cl.parameter_grid(0.0, 4.0, 0.3),
        VE,
        "step",
        "step does not divide",
    ),
    Case(
        D + "cost_landscape.cost_curve",
        lambda: cl.cost_curve(X, Y, []),
        VE,
        "w_values",
        "empty grid",
    ),
    Case(
        D + "cost_landscape.cost_curve",
        lambda: cl.cost_curve(X, Y, [1e300]),
        VE,
        "w_values",
        "cost overflows",
    ),
    Case(
        D + "cost_landscape.cost_curve",
        lambda: cl.cost_curve(BIG, Y, [1.0]),
        VE,
        "x",
        "variance overflows",
    ),
    Case(
        D + "cost_landscape.cost_curve",
        lambda: cl.cost_curve(X, Y, [1.0], b="0"),
        TE,
        "b",
        "string b",
    ),
    Case(
        D + "cost_landscape.cost_surface",
        lambda: cl.cost_surface(X, Y, [1.0], [[0.0]]),
        VE,
        "b_values",
        "2-D axis",
    ),
    Case(
        D + "cost_landscape.cost_surface",
        lambda: cl.cost_surface(X, Y, np.zeros(100_000), np.zeros(1000)),
        VE,
        "w_values",
        "a hundred million grid points",
    ),
    Case(
        D + "cost_landscape.cost_surface",
        lambda: cl.cost_surface(X, Y, [1.0, np.inf], [0.0]),
        VE,
        "w_values",
        "inf in grid",
    ),
    Case(
        D + "cost_landscape.grid_minimum",
        lambda: cl.grid_minimum(np.zeros((2, 2))),
        TE,
        "surface",
        "an array",
    ),
    Case(
        D + "cost_landscape.grid_minimum",
        lambda: cl.grid_minimum(
            cl.Surface(np.zeros((2, 2)), np.zeros((2, 2)), np.full((2, 2), np.nan))
        ),
        VE,
        "surface.cost",
        "NaN cost",
    ),
    Case(
        D + "cost_landscape.grid_minimum",
        lambda: cl.grid_minimum(cl.Surface(np.zeros(3), np.zeros((2, 2)), np.zeros((2, 2)))),
        VE,
        "surface.w",
        "shapes differ",
    ),
    Case(
        D + "cost_landscape.least_squares",
        lambda: cl.least_squares([1, 1, 1], Y),
        VE,
        "x",
        "one distinct input",
    ),
    Case(
        D + "cost_landscape.least_squares",
        lambda: cl.least_squares(BIG, Y),
        VE,
        "x",
        "overflowing data",
    ),
    Case(
        D + "cost_landscape.least_squares", lambda: cl.least_squares(X, "246"), TE, "y", "string y"
    ),
    Case(
        D + "cost_landscape.least_squares_through_origin",
        lambda: cl.least_squares_through_origin([0, 0], [1, 2]),
        VE,
        "x",
        "all zero",
    ),
    Case(
        D + "cost_landscape.least_squares_through_origin",
        lambda: cl.least_squares_through_origin(BIG, Y),
        VE,
        "x",
        "overflow",
    ),
    Case(
        D + "cost_landscape.SufficientStatistics.from_data",
        lambda: cl.SufficientStatistics.from_data(X, [1.0]),
        VE,
        "x",
        "mismatched",
    ),
    Case(
        D + "cost_landscape.SufficientStatistics.from_data",
        lambda: cl.SufficientStatistics.from_data(BIG, BIG),
        VE,
        "x",
        "overflow",
    ),
    Case(
        D + "cost_landscape.SufficientStatistics.cost",
        lambda: cl.SufficientStatistics.from_data(X, Y).cost(np.nan),
        VE,
        "w",
        "NaN w",
    ),
    Case(
        D + "cost_landscape.SufficientStatistics.cost",
        lambda: cl.SufficientStatistics.from_data(X, Y).cost("1"),
        TE,
        "w",
        "string w",
    ),
    Case(
        D + "cost_landscape.SufficientStatistics.cost",
        lambda: cl.SufficientStatistics.from_data(X, Y).cost([1.0, 2.0], [0.0, 1.0, 2.0]),
        VE,
        "w and b",
        "shapes do not broadcast",
    ),
    Case(
        D + "cost_landscape.SufficientStatistics.cost",
        lambda: cl.SufficientStatistics.from_data(X, Y).cost(1e300),
        VE,
        "w",
        "overflow",
    ),
    # --- data ----------------------------------------------------------------------------
    Case(D + "data.noisy_line", lambda: data.noisy_line(10**10), VE, "n", "ten billion"),
    Case(D + "data.noisy_line", lambda: data.noisy_line(0), VE, "n", "zero samples"),
    Case(D + "data.noisy_line", lambda: data.noisy_line(2.5), TE, "n", "float n"),
    Case(D + "data.noisy_line", lambda: data.noisy_line(True), TE, "n", "bool n"),
    Case(
        D + "data.noisy_line", lambda: data.noisy_line(5, noise=-1.0), VE, "noise", "negative noise"
    ),
    Case(
        D + "data.noisy_line",
        lambda: data.noisy_line(5, w=1e308, x_high=4.0),
        VE,
        "w",
        "y overflows",
    ),
    Case(
        D + "data.noisy_line",
        lambda: data.noisy_line(5, x_low=-1e308, x_high=1e308),
        VE,
        "x_low",
        "width overflows",
    ),
    Case(
        D + "data.noisy_line",
        lambda: data.noisy_line(5, x_low=2.0, x_high=1.0),
        VE,
        "x_low",
        "empty interval",
    ),
    Case(D + "data.noisy_line", lambda: data.noisy_line(5, seed=-1), VE, "seed", "negative seed"),
    Case(D + "data.noisy_sine", lambda: data.noisy_sine(10**10), VE, "n", "ten billion"),
    Case(
        D + "data.noisy_sine", lambda: data.noisy_sine(5, noise=math.nan), VE, "noise", "NaN noise"
    ),
    Case(
        D + "data.noisy_sine", lambda: data.noisy_sine(100, noise=1e308), VE, "noise", "y overflows"
    ),
    Case(D + "data.noisy_sine", lambda: data.noisy_sine(5, seed=1.0), TE, "seed", "float seed"),
    # --- descent -------------------------------------------------------------------------
    Case(
        D + "curvature.hessian",
        lambda: curvature.hessian(X, with_bias="False"),
        TE,
        "with_bias",
        "string flag",
    ),
    Case(
        D + "curvature.hessian",
        lambda: curvature.hessian([1e200, 1.0]),
        VE,
        "x",
        "mean of x**2 overflows",
    ),
    Case(D + "curvature.hessian", lambda: curvature.hessian([]), VE, "x", "empty"),
    Case(
        D + "curvature.critical_learning_rate",
        lambda: curvature.critical_learning_rate([0.0, 0.0], with_bias=False),
        VE,
        "x",
        "flat cost",
    ),
    Case(
        D + "curvature.critical_learning_rate",
        lambda: curvature.critical_learning_rate(X, with_bias=1),
        TE,
        "with_bias",
        "int flag",
    ),
    Case(D + "descent.gradient_descent", lambda: _gd(data=(BIG, Y)), VE, "x", "data of 1e200"),
    Case(
        D + "descent.gradient_descent", lambda: _gd(w0=1e200), VE, "w0", "starting cost overflows"
    ),
    Case(
        D + "descent.gradient_descent", lambda: _gd(epochs=10**9), VE, "epochs", "a billion epochs"
    ),
    Case(
        D + "descent.gradient_descent",
        lambda: _gd(learning_rate=math.nan),
        VE,
        "learning_rate",
        "NaN rate",
    ),
    Case(
        D + "descent.gradient_descent",
        lambda: _gd(learning_rate=-0.1),
        VE,
        "learning_rate",
        "negative rate",
    ),
    Case(
        D + "descent.gradient_descent",
        lambda: _gd(learning_rate=0.25, epochs=100),
        DivergenceError,
        "learning_rate",
        "above the critical rate",
    ),
    Case(
        D + "descent.gradient_descent",
        lambda: _gd(allow_divergence="no"),
        TE,
        "allow_divergence",
        "string flag",
    ),
    Case(D + "descent.gradient_descent", lambda: _gd(b0="0"), TE, "b0", "string b0"),
    Case(D + "descent.gradient_descent", lambda: _gd(epochs=3.0), TE, "epochs", "float epochs"),
    Case(
        D + "descent.stochastic_descent", lambda: _sd(shuffle="yes"), TE, "shuffle", "string flag"
    ),
    Case(D + "descent.stochastic_descent", lambda: _sd(seed=-1), VE, "seed", "negative seed"),
    Case(
        D + "descent.stochastic_descent",
        lambda: _sd(epochs=10**8),
        VE,
        "epochs",
        "three hundred million updates",
    ),
    Case(D + "descent.stochastic_descent", lambda: _sd(w0=math.inf), VE, "w0", "inf w0"),
    Case(
        D + "descent.minibatch_descent",
        lambda: _mb(batch_size=4),
        VE,
        "batch_size",
        "batch larger than data",
    ),
    Case(
        D + "descent.minibatch_descent", lambda: _mb(batch_size=0), VE, "batch_size", "zero batch"
    ),
    Case(D + "descent.minibatch_descent", lambda: _mb(data=([], [])), VE, "x", "empty"),
    Case(D + "descent.minibatch_descent", lambda: _mb(shuffle=1), TE, "shuffle", "int flag"),
    Case(
        D + "divergence.divergence_limit",
        lambda: divergence.divergence_limit(math.inf, reference=1.0),
        VE,
        "start",
        "inf start",
    ),
    Case(
        D + "divergence.divergence_limit",
        lambda: divergence.divergence_limit(-1.0, reference=1.0),
        VE,
        "start",
        "negative start",
    ),
    Case(
        D + "divergence.divergence_limit",
        lambda: divergence.divergence_limit(1.0, reference="1"),
        TE,
        "reference",
        "string reference",
    ),
    # --- momentum ------------------------------------------------------------------------
    Case(
        D + "momentum.heavy_ball_step",
        lambda: _step(momentum.heavy_ball_step, gradient=3.0),
        TE,
        "gradient",
        "gradient not callable",
    ),
    Case(
        D + "momentum.heavy_ball_step",
        lambda: _step(momentum.heavy_ball_step, params=["a"]),
        TE,
        "params",
        "string params",
    ),
    Case(
        D + "momentum.heavy_ball_step",
        lambda: _step(momentum.heavy_ball_step, velocity=np.zeros(2)),
        VE,
        "velocity",
        "shape differs",
    ),
    Case(
        D + "momentum.heavy_ball_step",
        lambda: _step(momentum.heavy_ball_step, gradient=lambda t: t * np.nan),
        VE,
        "gradient",
        "gradient returns NaN",
    ),
    Case(
        D + "momentum.heavy_ball_step",
        lambda: _step(momentum.heavy_ball_step, gradient=lambda t: np.zeros(3)),
        VE,
        "gradient",
        "gradient of the wrong shape",
    ),
    Case(
        D + "momentum.heavy_ball_step",
        lambda: _step(momentum.heavy_ball_step, gradient=lambda t: t * 1e308, learning_rate=1e10),
        VE,
        "learning_rate",
        "step overflows",
    ),
    Case(
        D + "momentum.heavy_ball_step",
        lambda: _step(momentum.heavy_ball_step, momentum=1.0),
        VE,
        "momentum",
        "momentum 1",
    ),
    Case(
        D + "momentum.heavy_ball_step",
        lambda: _step(momentum.heavy_ball_step, params=[np.nan]),
        VE,
        "params",
        "NaN",
    ),
    Case(
        D + "momentum.nesterov_step",
        lambda: _step(momentum.nesterov_step, learning_rate=0),
        VE,
        "learning_rate",
        "zero rate",
    ),
    Case(
        D + "momentum.nesterov_step",
        lambda: _step(momentum.nesterov_step, velocity=[1e308], params=[1.5e308]),
        VE,
        "params",
        "look-ahead overflows",
    ),
    Case(
        D + "momentum.nesterov_step",
        lambda: _step(momentum.nesterov_step, gradient=lambda t: "slope"),
        TE,
        "gradient",
        "gradient returns a string",
    ),
    Case(
        D + "momentum.momentum_descent",
        lambda: _md(nesterov="False"),
        TE,
        "nesterov",
        "string flag",
    ),
    Case(
        D + "momentum.momentum_descent",
        lambda: _md(allow_divergence=0),
        TE,
        "allow_divergence",
        "int flag",
    ),
    Case(D + "momentum.momentum_descent", lambda: _md(steps=10**9), VE, "steps", "a billion steps"),
    Case(D + "momentum.momentum_descent", lambda: _md(data=(BIG, Y)), VE, "x", "overflow"),
    Case(
        D + "momentum.momentum_descent", lambda: _md(w0=1e200), VE, "w0", "starting cost overflows"
    ),
    Case(
        D + "momentum.momentum_descent",
        lambda: _md(momentum=-0.1),
        VE,
        "momentum",
        "negative momentum",
    ),
    Case(
        D + "momentum.momentum_descent",
        lambda: _md(learning_rate=1.0, steps=100),
        DivergenceError,
        "learning_rate",
        "diverges",
    ),
    Case(
        D + "momentum.iteration_matrix",
        lambda: momentum.iteration_matrix(H, learning_rate=0.1, momentum=0.5, nesterov=2),
        TE,
        "nesterov",
        "int flag",
    ),
    Case(
        D + "momentum.iteration_matrix",
        lambda: momentum.iteration_matrix([[1, 2], [3, 4]], learning_rate=0.1, momentum=0.5),
        VE,
        "hessian",
        "not symmetric",
    ),
    Case(
        D + "momentum.iteration_matrix",
        lambda: momentum.iteration_matrix(np.eye(2000), learning_rate=0.1, momentum=0.5),
        VE,
        "hessian",
        "too large",
    ),
    Case(
        D + "momentum.iteration_matrix",
        lambda: momentum.iteration_matrix("H", learning_rate=0.1, momentum=0.5),
        TE,
        "hessian",
        "string",
    ),
    Case(
        D + "momentum.convergence_rate",
        lambda: momentum.convergence_rate([[1e308]], learning_rate=1e10, momentum=0.5),
        VE,
        "hessian",
        "overflows",
    ),
    Case(
        D + "momentum.convergence_rate",
        lambda: momentum.convergence_rate(H, learning_rate=[0.1], momentum=0.5),
        TE,
        "learning_rate",
        "list rate",
    ),
    Case(
        D + "momentum.rate_grid",
        lambda: momentum.rate_grid(H, learning_rates=[0.1], momenta=[1.0]),
        VE,
        "momenta",
        "momentum 1",
    ),
    Case(
        D + "momentum.rate_grid",
        lambda: momentum.rate_grid(H, learning_rates=[0.1], momenta=[0.5], nesterov="yes"),
        TE,
        "nesterov",
        "string flag",
    ),
    Case(
        D + "momentum.rate_grid",
        lambda: momentum.rate_grid(
            H, learning_rates=np.full(10_000, 0.1), momenta=np.full(10_000, 0.5)
        ),
        VE,
        "learning_rates",
        "a hundred million grid points",
    ),
    Case(
        D + "momentum.rate_grid",
        lambda: momentum.rate_grid(H, learning_rates=[], momenta=[0.5]),
        VE,
        "learning_rates",
        "empty",
    ),
    Case(
        D + "momentum.textbook_settings",
        lambda: momentum.textbook_settings(H, ["nesterov"]),
        VE,
        "method",
        "list method",
    ),
    Case(
        D + "momentum.textbook_settings",
        lambda: momentum.textbook_settings([[1.0, 0.0], [0.0, 0.0]], "nesterov"),
        VE,
        "hessian",
        "not positive definite",
    ),
    Case(
        D + "momentum.double_root_factors",
        lambda: momentum.double_root_factors(10.0, steps=400),
        VE,
        "root",
        "root**steps overflows",
    ),
    Case(
        D + "momentum.double_root_factors",
        lambda: momentum.double_root_factors(0.5, steps=10**9),
        VE,
        "steps",
        "a billion steps",
    ),
    Case(
        D + "momentum.double_root_factors",
        lambda: momentum.double_root_factors(0.5, steps=0),
        VE,
        "steps",
        "zero steps",
    ),
    Case(
        D + "momentum.steps_to_tolerance",
        lambda: momentum.steps_to_tolerance([1.0, 0.5], tolerance=1.5),
        VE,
        "tolerance",
        "tolerance above 1",
    ),
    Case(
        D + "momentum.steps_to_tolerance",
        lambda: momentum.steps_to_tolerance([], tolerance=0.1),
        VE,
        "errors",
        "empty",
    ),
    Case(
        D + "momentum.steps_to_tolerance",
        lambda: momentum.steps_to_tolerance([0.0, 0.0], tolerance=0.1),
        VE,
        "errors",
        "zero first error",
    ),
    Case(
        D + "momentum.MomentumRun.distance",
        lambda: _run().distance(np.nan),
        VE,
        "w_star",
        "NaN w_star",
    ),
    Case(
        D + "momentum.MomentumRun.distance",
        lambda: _run().distance(-1.3e308, -1.3e308),
        VE,
        "w_star",
        "overflows",
    ),
    Case(D + "momentum.MomentumRun.distance", lambda: _run().distance("2"), TE, "w_star", "string"),
    # --- nonconvex -----------------------------------------------------------------------
    Case(D + "nonconvex.cost", lambda: nonconvex.cost(1e300), VE, "x", "overflows"),
    Case(D + "nonconvex.cost", lambda: nonconvex.cost(["1"]), TE, "x", "strings"),
    Case(D + "nonconvex.cost", lambda: nonconvex.cost(True), TE, "x", "bool"),
    Case(D + "nonconvex.gradient", lambda: nonconvex.gradient([[1.0]]), VE, "x", "2-D"),
    Case(D + "nonconvex.gradient", lambda: nonconvex.gradient(math.nan), VE, "x", "NaN"),
    Case(D + "nonconvex.curvature", lambda: nonconvex.curvature([1e100]), VE, "x", "overflows"),
    Case(D + "nonconvex.curvature", lambda: nonconvex.curvature(None), TE, "x", "None"),
    Case(
        D + "nonconvex.stationary_kind",
        lambda: nonconvex.stationary_kind(3.0, 0.0),
        TE,
        "slope",
        "not callable",
    ),
    Case(
        D + "nonconvex.stationary_kind",
        lambda: nonconvex.stationary_kind(lambda x: math.nan, 0.0),
        VE,
        "slope",
        "slope returns NaN",
    ),
    Case(
        D + "nonconvex.stationary_kind",
        lambda: nonconvex.stationary_kind(lambda x: "0", 0.0),
        TE,
        "slope",
        "slope returns a string",
    ),
    Case(
        D + "nonconvex.stationary_kind",
        lambda: nonconvex.stationary_kind(nonconvex.gradient, 0.5),
        VE,
        "point",
        "not stationary",
    ),
    Case(
        D + "nonconvex.stationary_kind",
        lambda: nonconvex.stationary_kind(nonconvex.gradient, 0.0, h=0.0),
        VE,
        "h",
        "zero h",
    ),
    Case(
        D + "nonconvex.stationary_kind",
        lambda: nonconvex.stationary_kind(lambda x: 0.0, 1e308, h=1e308),
        VE,
        "h",
        "point + h overflows",
    ),
    Case(
        D + "nonconvex.descend",
        lambda: nonconvex.descend(x0=1.0, learning_rate=0.05, steps=10**10),
        VE,
        "steps",
        "ten billion steps",
    ),
    Case(
        D + "nonconvex.descend",
        lambda: nonconvex.descend(x0=1.0, learning_rate=0.05, steps=3, slope=lambda x: "down"),
        TE,
        "slope",
        "slope returns a string",
    ),
    Case(
        D + "nonconvex.descend",
        lambda: nonconvex.descend(x0=4.0, learning_rate=1.0, steps=50),
        DivergenceError,
        "learning_rate",
        "blows up",
    ),
    Case(
        D + "nonconvex.descend",
        lambda: nonconvex.descend(x0=1.0, learning_rate=-1.0, steps=3),
        VE,
        "learning_rate",
        "negative rate",
    ),
    Case(
        D + "nonconvex.descend",
        lambda: nonconvex.descend(x0=1.0, learning_rate=0.1, steps=3, slope=None),
        TE,
        "slope",
        "None slope",
    ),
    # --- generalization ------------------------------------------------------------------
    Case(
        D + "generalization.holdout_split",
        lambda: generalization.holdout_split(10**10),
        VE,
        "n",
        "ten billion",
    ),
    Case(
        D + "generalization.holdout_split",
        lambda: generalization.holdout_split(10, validation=1.0),
        VE,
        "validation",
        "fraction 1",
    ),
    Case(
        D + "generalization.holdout_split",
        lambda: generalization.holdout_split(10, test="0.2"),
        TE,
        "test",
        "string",
    ),
    Case(
        D + "generalization.holdout_split",
        lambda: generalization.holdout_split(10, validation=0.5, test=0.5),
        VE,
        "validation",
        "nothing left to train on",
    ),
    Case(
        D + "generalization.fit_polynomial",
        lambda: generalization.fit_polynomial(X, Y, 10**12),
        VE,
        "degree",
        "degree of a trillion",
    ),
    Case(
        D + "generalization.fit_polynomial",
        lambda: generalization.fit_polynomial(X, Y, 1, domain=(0.0, np.inf)),
        VE,
        "domain",
        "inf domain",
    ),
    Case(
        D + "generalization.fit_polynomial",
        lambda: generalization.fit_polynomial(X, Y, 1, domain=(-1e308, 1e308)),
        VE,
        "domain",
        "domain width overflows",
    ),
    Case(
        D + "generalization.fit_polynomial",
        lambda: generalization.fit_polynomial(X, Y, 1, domain=5.0),
        TE,
        "domain",
        "number domain",
    ),
    Case(
        D + "generalization.fit_polynomial",
        lambda: generalization.fit_polynomial([-1e308, 1e308], [0.0, 1.0], 1),
        VE,
        "x",
        "range overflows",
    ),
    Case(
        D + "generalization.fit_polynomial",
        lambda: generalization.fit_polynomial(X, Y, True),
        TE,
        "degree",
        "bool degree",
    ),
    Case(
        D + "generalization.errors_by_degree",
        lambda: generalization.errors_by_degree(X, Y, X, Y, range(10**12)),
        VE,
        "degrees",
        "a trillion degrees",
    ),
    Case(
        D + "generalization.errors_by_degree",
        lambda: generalization.errors_by_degree(X, Y, X, Y, []),
        VE,
        "degrees",
        "empty",
    ),
    Case(
        D + "generalization.errors_by_degree",
        lambda: generalization.errors_by_degree(X, Y, X, Y, "01"),
        TE,
        "degrees",
        "string degrees",
    ),
    Case(
        D + "generalization.errors_by_degree",
        lambda: generalization.errors_by_degree(X, Y, [1e300], [0.0], [2]),
        VE,
        "x_validation",
        "prediction overflows",
    ),
    Case(
        D + "generalization.errors_by_degree",
        lambda: generalization.errors_by_degree(X, Y, [1.0], [], [0]),
        VE,
        "y_validation",
        "empty validation targets",
    ),
    Case(
        D + "generalization.PolynomialFit.predict",
        lambda: _fit().predict([1e308]),
        VE,
        "x",
        "prediction overflows",
    ),
    Case(
        D + "generalization.PolynomialFit.predict", lambda: _fit().predict([np.nan]), VE, "x", "NaN"
    ),
    Case(
        D + "generalization.PolynomialFit.predict",
        lambda: _fit().predict(1.0),
        VE,
        "x",
        "a number, not a sequence",
    ),
    Case(
        D + "generalization.PolynomialFit.mse",
        lambda: _fit().mse([1e308], [0.0]),
        VE,
        "x",
        "prediction overflows",
    ),
    Case(
        D + "generalization.PolynomialFit.mse", lambda: _fit().mse(X, Y[:1]), VE, "x", "mismatched"
    ),
    # --- torch_data ----------------------------------------------------------------------
    Case(
        D + "torch_data.as_column",
        lambda: torch_data.as_column("x", [1e39]),
        VE,
        "x",
        "overflows float32",
    ),
    Case(
        D + "torch_data.as_column",
        lambda: torch_data.as_column("x", ["1", "2"]),
        TE,
        "x",
        "strings",
    ),
    Case(
        D + "torch_data.as_column",
        lambda: torch_data.as_column("x", [1.0], dtype=torch.int64),
        TE,
        "dtype",
        "integer dtype",
    ),
    Case(
        D + "torch_data.as_column",
        lambda: torch_data.as_column("x", [1.0], dtype=torch.complex64),
        TE,
        "dtype",
        "complex dtype",
    ),
    Case(
        D + "torch_data.as_column",
        lambda: torch_data.as_column(3, [1.0]),
        TE,
        "name",
        "name not a str",
    ),
    Case(
        D + "torch_data.as_column",
        lambda: torch_data.as_column("x", np.zeros((2, 2))),
        VE,
        "x",
        "two columns",
    ),
    Case(
        D + "torch_data.course_tensors",
        lambda: torch_data.course_tensors(dtype="float"),
        TE,
        "dtype",
        "string dtype",
    ),
    Case(
        D + "torch_data.RegressionDataset",
        lambda: torch_data.RegressionDataset(X, Y[:2]),
        VE,
        "x",
        "mismatched",
    ),
    Case(
        D + "torch_data.RegressionDataset",
        lambda: torch_data.RegressionDataset([True, False], [1.0, 2.0]),
        TE,
        "x",
        "booleans",
    ),
    Case(
        D + "torch_data.RegressionDataset.__getitem__",
        lambda: torch_data.RegressionDataset(X, Y)[3],
        IndexError,
        "index",
        "out of range",
    ),
    Case(
        D + "torch_data.RegressionDataset.__getitem__",
        lambda: torch_data.RegressionDataset(X, Y)[1.0],
        TE,
        "index",
        "float index",
    ),
    Case(
        D + "torch_data.seeded_loader",
        lambda: torch_data.seeded_loader(torch_data.RegressionDataset(X, Y), batch_size=4),
        VE,
        "batch_size",
        "batch larger than data",
    ),
    Case(
        D + "torch_data.seeded_loader",
        lambda: torch_data.seeded_loader(
            torch_data.RegressionDataset(X, Y), batch_size=2, shuffle="no"
        ),
        TE,
        "shuffle",
        "string flag",
    ),
    Case(
        D + "torch_data.seeded_loader",
        lambda: torch_data.seeded_loader(
            torch_data.RegressionDataset(X, Y), batch_size=2, seed=2**64
        ),
        VE,
        "seed",
        "seed too large",
    ),
    Case(
        D + "torch_data.seeded_loader",
        lambda: torch_data.seeded_loader([1, 2], batch_size=1),
        TE,
        "dataset",
        "a list",
    ),
    Case(
        D + "torch_data.PermutationSampler",
        lambda: torch_data.PermutationSampler(10**10),
        VE,
        "n",
        "ten billion",
    ),
    Case(
        D + "torch_data.PermutationSampler",
        lambda: torch_data.PermutationSampler(0),
        VE,
        "n",
        "zero",
    ),
    Case(
        D + "torch_data.PermutationSampler",
        lambda: torch_data.PermutationSampler(5, seed="0"),
        TE,
        "seed",
        "string seed",
    ),
    # --- training ------------------------------------------------------------------------
    Case(D + "training.train", lambda: _train(x=XT.double()), TE, "x", "float64 x"),
    Case(
        D + "training.train", lambda: _train(x=torch.tensor([[1], [2], [3]])), TE, "x", "integer x"
    ),
    Case(
        D + "training.train",
        lambda: _train(x=torch.tensor([[1.0], [math.nan], [3.0]])),
        VE,
        "x",
        "NaN in x",
    ),
    Case(
        D + "training.train",
        lambda: _train(x=XT * 1e30, y=YT * 1e30),
        VE,
        "x",
        "the first loss overflows",
    ),
    Case(
        D + "training.train",
        lambda: _train(loss_fn=torch.nn.MSELoss(reduction="none")),
        VE,
        "loss_fn",
        "loss not a scalar",
    ),
    Case(D + "training.train", lambda: _train(loss_fn="mse"), TE, "loss_fn", "loss not callable"),
    Case(
        D + "training.train",
        lambda: _train(record_parameters="yes"),
        TE,
        "record_parameters",
        "string flag",
    ),
    Case(D + "training.train", lambda: _train(monitor=print), TE, "monitor", "monitor without log"),
    Case(D + "training.train", lambda: _train(epochs=10**9), VE, "epochs", "a billion epochs"),
    Case(D + "training.train", lambda: _train(epochs=0), VE, "epochs", "zero epochs"),
    Case(
        D + "training.train",
        lambda: _train(optimizer=torch.optim.SGD([torch.zeros(1, requires_grad=True)], lr=0.1)),
        VE,
        "optimizer",
        "optimizer of other parameters",
    ),
    Case(
        D + "training.train",
        lambda: _train(y=YT.reshape(-1)),
        VE,
        "target",
        "target would broadcast",
    ),
    Case(D + "training.train", lambda: _train(x=XT[:2]), VE, "x", "rows differ"),
    Case(
        D + "training.train",
        lambda: (
            lambda m: training.train(m, torch.nn.MSELoss(), _sgd(m, lr=1.0), XT, YT, epochs=200)
        )(_model()),
        DivergenceError,
        "lr",
        "rate too large",
    ),
    Case(D + "training.train_minibatches", lambda: _minibatches(XT), TE, "loader", "a tensor"),
    Case(
        D + "training.train_minibatches",
        lambda: _minibatches([(XT, YT)], monitor=print),
        TE,
        "monitor",
        "monitor without log",
    ),
    Case(
        D + "training.train_minibatches",
        lambda: _minibatches([XT, YT]),
        TE,
        "loader",
        "tensors, not pairs",
    ),
    Case(D + "training.train_minibatches", lambda: _minibatches([]), VE, "loader", "no batches"),
    Case(
        D + "training.train_minibatches",
        lambda: _minibatches([(XT, YT)], record_parameters=None),
        TE,
        "record_parameters",
        "None flag",
    ),
    Case(
        D + "training.train_minibatches",
        lambda: _minibatches([(XT, torch.full_like(YT, math.inf))]),
        VE,
        "y",
        "inf targets",
    ),
    Case(
        D + "training.train_minibatches",
        lambda: _minibatches([(XT, YT)], epochs=10**9),
        VE,
        "epochs",
        "a billion epochs",
    ),
    Case(
        D + "training.evaluate",
        lambda: training.evaluate(3, torch.nn.MSELoss(), XT, YT),
        TE,
        "model",
        "not a module",
    ),
    Case(
        D + "training.evaluate",
        lambda: training.evaluate(_model(), torch.nn.MSELoss(), XT.double(), YT),
        TE,
        "x",
        "float64 x",
    ),
    Case(
        D + "training.evaluate",
        lambda: training.evaluate(_model(), torch.nn.MSELoss(), XT * 1e30, YT),
        VE,
        "model",
        "loss overflows",
    ),
    Case(
        D + "training.evaluate",
        lambda: training.evaluate(_model(), torch.nn.MSELoss(), [[1.0]], YT),
        TE,
        "x",
        "a list",
    ),
    Case(
        D + "training.TrainingHistory.parameter",
        lambda: _history().parameter("w"),
        KeyError,
        "name",
        "unknown name",
    ),
    Case(
        D + "training.TrainingHistory.parameter",
        lambda: _history().parameter(0),
        TE,
        "name",
        "int name",
    ),
    Case(
        D + "training.TrainingHistory.parameter",
        lambda: training.TrainingHistory(np.zeros(0), np.zeros(0, int)).parameter("weight"),
        VE,
        "name",
        "nothing recorded",
    ),
    # --- optimizer_comparison ------------------------------------------------------------
    Case(
        D + "optimizer_comparison.initial_states",
        lambda: optimizer_comparison.initial_states([]),
        VE,
        "seeds",
        "no seeds",
    ),
    Case(
        D + "optimizer_comparison.initial_states",
        lambda: optimizer_comparison.initial_states(3),
        TE,
        "seeds",
        "a number",
    ),
    Case(
        D + "optimizer_comparison.initial_states",
        lambda: optimizer_comparison.initial_states([0.5]),
        TE,
        "seeds",
        "float seed",
    ),
    Case(
        D + "optimizer_comparison.initial_states",
        lambda: optimizer_comparison.initial_states([-1]),
        VE,
        "seeds",
        "negative seed",
    ),
    Case(
        D + "optimizer_comparison.initial_states",
        lambda: optimizer_comparison.initial_states(range(10**8)),
        VE,
        "seeds",
        "a hundred million seeds",
    ),
    Case(D + "optimizer_comparison.fit_grid", lambda: _fg(rates=[]), VE, "rates", "empty grid"),
    Case(
        D + "optimizer_comparison.fit_grid", lambda: _fg(rates=[math.nan]), VE, "rates", "NaN rate"
    ),
    Case(D + "optimizer_comparison.fit_grid", lambda: _fg(name=3), VE, "name", "int name"),
    Case(D + "optimizer_comparison.fit_grid", lambda: _fg(states=[]), VE, "states", "no states"),
    Case(
        D + "optimizer_comparison.fit_grid",
        lambda: _fg(states=[{"w": 1}]),
        TE,
        "states",
        "not a state dict",
    ),
    Case(
        D + "optimizer_comparison.fit_grid",
        lambda: _fg(states=[{"weight": torch.tensor([[math.nan]]), "bias": torch.tensor([0.0])}]),
        VE,
        "states",
        "NaN weight",
    ),
    Case(
        D + "optimizer_comparison.fit_grid",
        lambda: _fg(x=XT.int(), y=YT.int()),
        TE,
        "x",
        "integer tensors",
    ),
    Case(D + "optimizer_comparison.fit_grid", lambda: _fg(y=YT.double()), TE, "y", "dtypes differ"),
    Case(
        D + "optimizer_comparison.fit_grid",
        lambda: _fg(x=torch.tensor([[1.0], [math.nan], [3.0]])),
        VE,
        "x",
        "NaN in x",
    ),
    Case(
        D + "optimizer_comparison.fit_grid",
        lambda: _fg(epochs=10**9),
        VE,
        "epochs",
        "a billion epochs",
    ),
    Case(
        D + "optimizer_comparison.fit_grid",
        lambda: _fg(schedule=3),
        TE,
        "schedule",
        "schedule not callable",
    ),
    Case(
        D + "optimizer_comparison.fit_grid",
        lambda: _fg(nonsense=1),
        TE,
        "settings",
        "unknown setting",
    ),
    Case(
        D + "optimizer_comparison.fit_grid",
        lambda: _fg(lr=0.1),
        TE,
        "settings",
        "lr among the settings",
    ),
    Case(
        D + "optimizer_comparison.run_grid",
        lambda: optimizer_comparison.run_grid("SGD", STATES, XT, YT, rates=(), epochs=5),
        VE,
        "rates",
        "empty grid",
    ),
    Case(
        D + "optimizer_comparison.run_grid",
        lambda: optimizer_comparison.run_grid(
            "SGD", STATES, XT.reshape(-1), YT.reshape(-1), rates=[0.1], epochs=5
        ),
        VE,
        "x",
        "flat x",
    ),
    Case(
        D + "optimizer_comparison.run",
        lambda: optimizer_comparison.run("SGD", STATES, XT, YT, learning_rate=math.nan, epochs=5),
        VE,
        "learning_rate",
        "NaN rate",
    ),
    Case(
        D + "optimizer_comparison.run",
        lambda: optimizer_comparison.run("sgd", STATES, XT, YT, learning_rate=0.1, epochs=5),
        VE,
        "name",
        "unknown name",
    ),
    Case(D + "optimizer_comparison.race", lambda: _race(seeds=()), VE, "seeds", "no seeds"),
    Case(
        D + "optimizer_comparison.race", lambda: _race(rate_grid=[]), VE, "rate_grid", "empty grid"
    ),
    Case(
        D + "optimizer_comparison.race",
        lambda: _race(rate_grid=[0.1, math.nan]),
        VE,
        "rate_grid",
        "NaN rate",
    ),
    Case(
        D + "optimizer_comparison.race",
        lambda: _race(common_rate=math.nan),
        VE,
        "common_rate",
        "NaN common rate",
    ),
    Case(
        D + "optimizer_comparison.race",
        lambda: _race(names="SGD"),
        VE,
        "names",
        "a string, not a list",
    ),
    Case(D + "optimizer_comparison.race", lambda: _race(names=[]), VE, "names", "no names"),
    Case(
        D + "optimizer_comparison.race", lambda: _race(rate_grid=0.1), VE, "rate_grid", "a number"
    ),
    Case(
        D + "optimizer_comparison.learning_rates",
        lambda: optimizer_comparison.learning_rates(None, base_rate=0.1, epochs=5),
        TE,
        "schedule",
        "no schedule",
    ),
    Case(
        D + "optimizer_comparison.learning_rates",
        lambda: optimizer_comparison.learning_rates(lambda o: o, base_rate=0.1, epochs=5),
        TE,
        "schedule",
        "returns no scheduler",
    ),
    Case(
        D + "optimizer_comparison.learning_rates",
        lambda: optimizer_comparison.learning_rates(
            lambda o: torch.optim.lr_scheduler.StepLR(o, 2), base_rate=0.1, epochs=10**9
        ),
        VE,
        "epochs",
        "a billion steps",
    ),
    Case(
        D + "optimizer_comparison.learning_rates",
        lambda: optimizer_comparison.learning_rates(
            lambda o: torch.optim.lr_scheduler.StepLR(o, 2), base_rate=math.inf, epochs=5
        ),
        VE,
        "base_rate",
        "inf rate",
    ),
    Case(
        D + "optimizer_comparison.ridge_solution",
        lambda: optimizer_comparison.ridge_solution(BIG, Y, weight_decay=0.0),
        VE,
        "x",
        "overflow",
    ),
    Case(
        D + "optimizer_comparison.ridge_solution",
        lambda: optimizer_comparison.ridge_solution(X, Y, weight_decay=-1.0),
        VE,
        "weight_decay",
        "negative decay",
    ),
    Case(
        D + "optimizer_comparison.ridge_solution",
        lambda: optimizer_comparison.ridge_solution(XT, YT, weight_decay=0.1),
        VE,
        "x",
        "(N, 1) tensors",
    ),
    Case(
        D + "optimizer_comparison.SideBySide",
        lambda: optimizer_comparison.SideBySide([]),
        VE,
        "states",
        "no states",
    ),
    Case(
        D + "optimizer_comparison.SideBySide",
        lambda: optimizer_comparison.SideBySide({"weight": 1}),
        TE,
        "states",
        "one dict, not a list",
    ),
    Case(
        D + "optimizer_comparison.SideBySide.forward",
        lambda: optimizer_comparison.SideBySide(STATES)(np.ones((3, 1))),
        TE,
        "x",
        "numpy x",
    ),
    Case(
        D + "optimizer_comparison.SideBySide.forward",
        lambda: optimizer_comparison.SideBySide(STATES)(XT.reshape(-1)),
        VE,
        "x",
        "flat x",
    ),
    # --- plotting ------------------------------------------------------------------------
    Case(
        D + "plotting.series_styles",
        lambda: plotting.series_styles(45),
        VE,
        "count",
        "more than 44",
    ),
    Case(
        D + "plotting.series_styles",
        lambda: plotting.series_styles(2.0),
        TE,
        "count",
        "float count",
    ),
    Case(
        D + "plotting.power_of_ten", lambda: plotting.power_of_ten("1e-4"), TE, "value", "a string"
    ),
    Case(D + "plotting.power_of_ten", lambda: plotting.power_of_ten(None), TE, "value", "None"),
    Case(
        D + "plotting.label_powers_of_ten",
        lambda: plotting.label_powers_of_ten(_axes()),
        TE,
        "axis",
        "Axes, not an Axis",
    ),
    Case(
        D + "plotting.cost_curve_figure",
        lambda: plotting.cost_curve_figure([1.0, 2.0], [1.0]),
        VE,
        "w_values",
        "lengths differ",
    ),
    Case(
        D + "plotting.cost_curve_figure",
        lambda: plotting.cost_curve_figure([1.0, 2.0], [1.0, np.nan]),
        VE,
        "costs",
        "NaN cost",
    ),
    Case(
        D + "plotting.cost_curve_figure",
        lambda: plotting.cost_curve_figure([1.0], [1.0], closed_form=3),
        TE,
        "closed_form",
        "not callable",
    ),
    Case(
        D + "plotting.cost_curve_figure",
        lambda: plotting.cost_curve_figure([1.0], [1.0], best_w="2"),
        TE,
        "best_w",
        "string",
    ),
    Case(
        D + "plotting.surface_and_contour_figure",
        lambda: plotting.surface_and_contour_figure(3.0),
        TE,
        "surface",
        "a number",
    ),
    Case(
        D + "plotting.surface_and_contour_figure",
        lambda: plotting.surface_and_contour_figure(_surface(), minimum=(1.0,)),
        VE,
        "minimum",
        "one value",
    ),
    Case(
        D + "plotting.surface_and_contour_figure",
        lambda: plotting.surface_and_contour_figure(_surface(), levels=0),
        VE,
        "levels",
        "zero levels",
    ),
    Case(
        D + "plotting.surface_and_contour_figure",
        lambda: plotting.surface_and_contour_figure(
            cl.Surface(np.zeros((1, 1)), np.zeros((1, 1)), np.zeros((1, 1)))
        ),
        VE,
        "surface.cost",
        "a 1 x 1 grid",
    ),
    # --- widgets -------------------------------------------------------------------------
    Case(D + "widgets.descent_explorer", lambda: _de(w_range=3.0), TE, "w_range", "a number"),
    Case(
        D + "widgets.descent_explorer",
        lambda: _de(w_range=(0.0, 1.0, 2.0)),
        VE,
        "w_range",
        "three values",
    ),
    Case(
        D + "widgets.descent_explorer", lambda: _de(w_range=(2.0, 1.0)), VE, "w_range", "decreasing"
    ),
    Case(
        D + "widgets.descent_explorer",
        lambda: _de(learning_rates=np.full(10**6, 0.01)),
        VE,
        "learning_rates",
        "a million slider positions",
    ),
    Case(
        D + "widgets.descent_explorer",
        lambda: _de(steps=10**8),
        VE,
        "steps",
        "a hundred million steps",
    ),
    Case(D + "widgets.descent_explorer", lambda: _de(start=2), VE, "start", "start past the end"),
    Case(
        D + "widgets.descent_explorer",
        lambda: _de(learning_rates=[0.0]),
        VE,
        "learning_rates",
        "zero rate",
    ),
    Case(D + "widgets.descent_explorer", lambda: _de(w0=1e200), VE, "w0", "cost overflows"),
    Case(
        D + "widgets.descent_explorer",
        lambda: _de(data=([0.0, 0.0], [0.0, 0.0]), w0=0.0),
        VE,
        "x",
        "flat zero cost",
    ),
    Case(D + "widgets.momentum_explorer", lambda: _me(start=0), TE, "start", "a number"),
    Case(
        D + "widgets.momentum_explorer",
        lambda: _me(start=(0, 5)),
        VE,
        "start[1]",
        "index past the end",
    ),
    Case(D + "widgets.momentum_explorer", lambda: _me(momenta=[1.0]), VE, "momenta", "momentum 1"),
    Case(
        D + "widgets.momentum_explorer",
        lambda: _me(learning_rates=np.full(100, 0.1), momenta=np.full(100, 0.5)),
        VE,
        "learning_rates",
        "ten thousand runs",
    ),
    Case(
        D + "widgets.momentum_explorer",
        lambda: _me(b_range=(0.0, np.nan)),
        VE,
        "b_range",
        "NaN end",
    ),
    Case(
        D + "widgets.momentum_explorer",
        lambda: _me(w0=2.0, b0=0.0),
        VE,
        "w0",
        "starts at the minimum",
    ),
    Case(
        D + "widgets.momentum_explorer",
        lambda: _me(data=([1.0, 1.0], [1.0, 2.0])),
        VE,
        "x",
        "one distinct input",
    ),
]


# Found by the generated sweep (tests/test_bad_input_sweep.py).
CASES += [
    Case(D + "momentum.convergence_rate", lambda: momentum.convergence_rate([["9.3"]],
         learning_rate=0.01, momentum=0.0), TE, "hessian", "strings"),
    Case(D + "momentum.iteration_matrix", lambda: momentum.iteration_matrix(
         torch.tensor([[2.0]], requires_grad=True), learning_rate=0.1, momentum=0.5), TE,
         "hessian", "a tensor that requires grad"),
    Case(D + "momentum.rate_grid", lambda: momentum.rate_grid([[1 + 1j]], learning_rates=[0.1],
         momenta=[0.0]), TE, "hessian", "complex"),
    Case(D + "momentum.textbook_settings", lambda: momentum.textbook_settings([["4", "0"],
         ["0", "1"]], "heavy ball"), TE, "hessian", "strings"),
    Case(D + "nonconvex.stationary_kind", lambda: nonconvex.stationary_kind(
         lambda x: 4 * x**3, 1e308), VE, "point", "the slope overflows there"),
    Case(D + "nonconvex.descend", lambda: nonconvex.descend(x0=1e308, learning_rate=0.05,
         steps=5), DivergenceError, "x0", "a start the slope overflows at"),
    Case(D + "optimizer_comparison.race", lambda: _race(names=["SGD", "x"]), VE, "names[1]",
         "an unknown name in the list"),
    Case(D + "training.evaluate", lambda: training.evaluate(_model(), torch.nn.MSELoss(),
         XT.reshape(-1), YT), VE, "x", "a flat x for a Linear(1, 1)"),
    Case(D + "training.train_minibatches", lambda: training.train_minibatches("x",
         torch.nn.MSELoss(), _sgd(_model()), [(XT, YT)], epochs=1), TE, "model", "a string"),
]  # fmt: skip


@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_bad_input_is_named(case):
    check(case)


# --- what the cases cannot say -----------------------------------------------------------


def test_initial_states_leave_the_callers_generator_alone():
    _caller_rng_reset()


def test_initial_states_are_those_of_the_global_seed():
    """The same values as ``torch.manual_seed(seed)`` then ``nn.Linear(1, 1)``."""
    states = optimizer_comparison.initial_states([0, 1, 5])
    for seed, state in zip([0, 1, 5], states, strict=True):
        torch.manual_seed(seed)
        expected = torch.nn.Linear(1, 1).state_dict()
        assert torch.equal(state["weight"], expected["weight"])
        assert torch.equal(state["bias"], expected["bias"])
    # and the exact numbers the chapters glue (seed 0)
    assert states[0]["weight"].item() == pytest.approx(-0.007486820220947266, abs=0)
    assert states[0]["bias"].item() == pytest.approx(0.5364435911178589, abs=0)


def test_a_run_that_starts_at_the_minimum_does_not_diverge():
    x = [0.1, 0.2, 0.7]
    y = [0.3 * v for v in x]
    run = descent.gradient_descent(x, y, w0=0.3, learning_rate=0.1, epochs=50)
    assert not run.diverged
    assert np.all(np.isfinite(run.cost))


@pytest.mark.parametrize("name", ["SGD", "LBFGS"])
def test_a_race_from_the_exact_solution_does_not_diverge(name):
    at_minimum = [{"weight": torch.tensor([[2.0]]), "bias": torch.tensor([0.0])}]
    fit = optimizer_comparison.fit_grid(name, at_minimum, XT, YT, rates=[0.1], epochs=20)
    assert np.all(np.isfinite(fit.curves)) and np.all(np.isfinite(fit.theta))


def test_data_that_overflow_float32_are_named_not_raced():
    with pytest.raises(ValueError, match="x and y must give a finite loss at the start"):
        optimizer_comparison.fit_grid("SGD", STATES, XT * 1e20, YT * 1e20, rates=[0.1], epochs=5)


def test_a_run_that_starts_at_cost_zero_uses_the_data_scale():
    assert divergence.divergence_limit(0.0, reference=2.0) == pytest.approx(2e6)
    assert divergence.divergence_limit(3.0, reference=2.0) == pytest.approx(3e6)


def test_widget_ticks_stay_few_on_a_wide_range():
    page = widgets.descent_explorer(
        X, Y, w0=1.0, learning_rates=[0.01], steps=3, w_range=(-1e9, 1e9)
    )
    ticks = page.count('text-anchor="middle" font-size="14"')  # the tick labels' size
    assert 2 <= ticks <= 25


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    bad=st.one_of(
        st.sampled_from([math.nan, math.inf, -math.inf, 10**400]),
        st.text(max_size=3),
        st.booleans(),
        st.complex_numbers(allow_nan=False, allow_infinity=False),
        st.none(),
        st.lists(st.floats(), min_size=1, max_size=2),
    )
)
def test_any_bad_learning_rate_is_refused_by_name(bad):
    check(Case(D + "descent.gradient_descent", lambda: _gd(learning_rate=bad),
               (ValueError, TypeError), "learning_rate", f"{bad!r}"))  # fmt: skip


@settings(max_examples=60, deadline=None)
@given(
    scale=st.floats(min_value=1e155, max_value=1e300),
    w=st.floats(min_value=1.0, max_value=10.0),
)
def test_overflowing_data_never_give_a_silent_inf(scale, w):
    x = [scale, -scale, 0.5 * scale]
    try:
        value = linear_model.mse(x, [0.0, 0.0, 0.0], w)
    except ValueError as err:
        assert "must be small enough for float64" in str(err)
    else:
        assert math.isfinite(value)


@settings(max_examples=40, deadline=None)
@given(
    values=st.lists(
        st.one_of(st.text(min_size=1, max_size=2), st.booleans(), st.complex_numbers()),
        min_size=1,
        max_size=4,
    )
)
def test_non_real_elements_are_refused_not_converted(values):
    assume(any(not isinstance(value, (int, float)) or isinstance(value, bool)
               for value in values))  # fmt: skip
    with pytest.raises(TypeError, match="x must be a sequence of real numbers"):
        v.as_float_vector("x", values)


@settings(max_examples=40, deadline=None)
@given(
    count=st.one_of(
        st.integers(max_value=0),
        st.integers(min_value=v.MAX_SIZE + 1, max_value=10**30),
    )
)
def test_sizes_out_of_range_are_refused(count):
    with pytest.raises(ValueError, match="^n must"):
        data.noisy_line(count)


def test_check_scalar_messages():
    with pytest.raises(ValueError, match=r"^momentum must be at least 0 and less than 1"):
        v.check_scalar("momentum", 1.0, low=0, high=1, closed="left")
    with pytest.raises(TypeError, match="epochs must be an integer, got float"):
        v.check_scalar("epochs", 1.0, integer=True)
    with pytest.raises(TypeError, match="rate must be a real number, got bool"):
        v.check_scalar("rate", True)
    with pytest.raises(ValueError, match="rate must be finite .* 401 digits"):
        v.check_scalar("rate", 10**400)
    assert v.check_scalar("k", np.int64(3), integer=True) == 3
    with pytest.raises(TypeError, match="flag must be True or False, got 'False'"):
        v.as_flag("flag", "False")
