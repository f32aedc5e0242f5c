"""Layers and a loss built from the scalar engine of :mod:`dlpractice.autograd`.

The point is to watch a neural network be trained by nothing but :class:`~.autograd.Value`
nodes: every multiply-add of every sample is a node in one graph, and ``loss.backward()``
fills in the gradient of every weight. Chapter 5 checks the result against the matrix
formulas of :mod:`dlpractice.two_layer_net`, and ``benchmarks/autograd_engine.py`` measures
what it costs to work one scalar at a time.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from .autograd import Value, value_sum
from .two_layer_net import ACTIVATIONS, TwoLayerParams


class Linear:
    """``outputs[i] = sum_j weight[i][j] * inputs[j] + bias[i]``, with Value parameters."""

    def __init__(self, weight: np.ndarray, bias: np.ndarray, name: str = "") -> None:
        weight, bias = np.asarray(weight, dtype=float), np.asarray(bias, dtype=float)
        if weight.ndim != 2 or bias.shape != (weight.shape[0],):
            raise ValueError(
                f"weight must be a matrix and bias a vector with one entry per row, got "
                f"shapes {weight.shape} and {bias.shape}"
            )
        self.weight = [
            [Value(float(v), f"{name}W[{i},{j}]") for j, v in enumerate(row)]
            for i, row in enumerate(weight)
        ]
        self.bias = [Value(float(v), f"{name}b[{i}]") for i, v in enumerate(bias)]

    def __call__(self, inputs: Sequence[Value | float]) -> list[Value]:
        if len(inputs) != len(self.weight[0]):
            raise ValueError(f"expected {len(self.weight[0])} inputs, got {len(inputs)}")
        return [
            value_sum([*(w * x for w, x in zip(row, inputs, strict=True)), b])
            for row, b in zip(self.weight, self.bias, strict=True)
        ]

    def parameters(self) -> list[Value]:
        return [w for row in self.weight for w in row] + self.bias


class TwoLayerNet:
    """``y_hat = W2 act(W1 x + b1) + b2`` on Values, started from given parameters."""

    def __init__(self, params: TwoLayerParams, activation: str = "tanh") -> None:
        if activation not in ACTIVATIONS:
            raise ValueError(f"activation must be one of {ACTIVATIONS}, got {activation!r}")
        self.first = Linear(params.W1, params.b1, "1.")
        self.second = Linear(params.W2, params.b2, "2.")
        self.activation = activation

    def __call__(self, inputs: Sequence[Value | float]) -> list[Value]:
        hidden = self.first(inputs)
        if self.activation != "identity":
            hidden = [getattr(unit, self.activation)() for unit in hidden]
        return self.second(hidden)

    def parameters(self) -> list[Value]:
        return self.first.parameters() + self.second.parameters()


def mean_squared_error(
    predictions: Sequence[Sequence[Value]], targets: Sequence[Sequence[float]]
) -> Value:
    """The mean of ``(prediction - target)**2`` over every sample and output."""
    if len(predictions) != len(targets) or not predictions:
        raise ValueError(
            f"predictions and targets must be equally many and not empty, got "
            f"{len(predictions)} and {len(targets)}"
        )
    errors = [
        (p - t) ** 2
        for row_p, row_t in zip(predictions, targets, strict=True)
        for p, t in zip(row_p, row_t, strict=True)
    ]
    return value_sum(errors) / len(errors)


def gradient_step(parameters: Sequence[Value], learning_rate: float) -> None:
    """``p.data -= learning_rate * p.grad`` for every parameter, then zero the gradients."""
    for p in parameters:
        p.data -= learning_rate * p.grad
        p.grad = 0.0
