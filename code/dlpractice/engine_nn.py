"""Layers and a loss built from the scalar engine of :mod:`dlpractice.autograd`.

The point is to watch a neural network be trained by nothing but
:class:`~.autograd.Value` nodes: every multiply-add of every sample is a node in one
graph, and ``loss.backward()`` fills in the gradient of every weight. Chapter 5 checks
the result against the matrix formulas of :mod:`dlpractice.two_layer_net`; chapter 4
watches the gradient shrink through a stack of sigmoid layers (:class:`MLP`);
``benchmarks/autograd_engine.py`` measures what it costs to work one scalar at a time.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from ._validation import as_count, as_finite_real
from .autograd import Value, value_sum
from .two_layer_net import ACTIVATIONS, TwoLayerParams


class Linear:
    """``outputs[i] = sum_j weight[i][j] * inputs[j] + bias[i]``, on Values."""

    def __init__(self, weight: np.ndarray, bias: np.ndarray, name: str = "") -> None:
        weight, bias = np.asarray(weight, dtype=float), np.asarray(bias, dtype=float)
        if weight.ndim != 2 or bias.shape != (weight.shape[0],):
            raise ValueError(
                f"weight must be a matrix and bias a vector with one entry per row, "
                f"got shapes {weight.shape} and {bias.shape}"
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


class MLP:
    r"""A stack of :class:`Linear` layers, an activation after each layer but the last.

    .. math::

        a_0 = x, \quad z_l = W_l a_{l-1} + b_l, \quad a_l = \sigma(z_l)
        \; (l < L), \quad \hat y = z_L .

    Chapter 4 uses it to watch gradients shrink through a stack of sigmoid layers: every
    layer multiplies the gradient on its way back by :math:`W_l^\top` and by
    :math:`\sigma'(z_l) \le 1/4`.

    Parameters
    ----------
    layers : list of (numpy.ndarray, numpy.ndarray)
        The weight (``outputs x inputs``) and bias (``outputs``) of each layer, first
        layer first; each layer's inputs must be the previous layer's outputs.
    activation : str
        One of ``"identity"``, ``"sigmoid"``, ``"tanh"``, ``"relu"``.

    Raises
    ------
    ValueError
        If there are no layers, the layers do not fit together, or the activation is
        unknown.

    Examples
    --------
    >>> net = MLP(random_layers([2, 3, 1], seed=0), activation="sigmoid")
    >>> [len(layer.weight) for layer in net.layers], len(net.parameters())
    ([3, 1], 13)
    >>> loss = mean_squared_error([net([1.0, -1.0])], [[0.5]])
    >>> loss.backward()
    >>> [round(norm, 4) for norm in net.weight_gradient_norms()]
    [0.0658, 0.1657]
    """

    def __init__(
        self,
        layers: Sequence[tuple[np.ndarray, np.ndarray]],
        activation: str = "sigmoid",
    ) -> None:
        if activation not in ACTIVATIONS:
            raise ValueError(f"activation must be one of {ACTIVATIONS}, got {activation!r}")
        if len(layers) == 0:
            raise ValueError("layers must hold at least one (weight, bias) pair")
        self.layers = [
            Linear(weight, bias, f"{index + 1}.") for index, (weight, bias) in enumerate(layers)
        ]
        for index in range(1, len(self.layers)):
            inputs, before = (
                len(self.layers[index].weight[0]),
                len(self.layers[index - 1].bias),
            )
            if inputs != before:
                raise ValueError(
                    f"layer {index + 1} takes {inputs} inputs, but layer {index} gives "
                    f"{before} outputs"
                )
        self.activation = activation

    def __call__(self, inputs: Sequence[Value | float]) -> list[Value]:
        values = list(inputs)
        for index, layer in enumerate(self.layers):
            values = layer(values)
            if index < len(self.layers) - 1 and self.activation != "identity":
                values = [getattr(unit, self.activation)() for unit in values]
        return values

    def parameters(self) -> list[Value]:
        return [p for layer in self.layers for p in layer.parameters()]

    def weight_gradient_norms(self) -> list[float]:
        r"""Per layer, the norm :math:`\lVert \partial L / \partial W_l \rVert_F`."""
        return [
            float(np.sqrt(sum(w.grad**2 for row in layer.weight for w in row)))
            for layer in self.layers
        ]


def random_layers(
    sizes: Sequence[int], *, seed: int = 0, bias: float = 0.0
) -> list[tuple[np.ndarray, np.ndarray]]:
    """Seeded weights for a stack of layers: ``N(0, 1/fan_in)``, and a constant bias.

    Parameters
    ----------
    sizes : list of int
        The widths, input first: ``[8, 8, 1]`` is two layers, 8 -> 8 -> 1.
    seed : int
        Seed of :func:`numpy.random.default_rng`.
    bias : float
        The value of every bias.

    Returns
    -------
    list of (numpy.ndarray, numpy.ndarray)
        ``(weight, bias)`` per layer, ready for :class:`MLP` and for ``torch.tensor``.

    Raises
    ------
    ValueError
        If fewer than two sizes are given or a size is not a positive integer.

    Examples
    --------
    >>> [w.shape for w, b in random_layers([3, 4, 2])]
    [(4, 3), (2, 4)]
    """
    sizes = list(sizes)
    if len(sizes) < 2:
        raise ValueError(f"sizes must list at least two widths, got {sizes}")
    for size in sizes:
        as_count("sizes", size)
    bias = as_finite_real("bias", bias)
    rng = np.random.default_rng(seed)
    return [
        (rng.normal(0, 1 / np.sqrt(fan_in), (fan_out, fan_in)), np.full(fan_out, bias))
        for fan_in, fan_out in zip(sizes[:-1], sizes[1:], strict=True)
    ]


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
    """``p.data -= learning_rate * p.grad`` for each parameter; then zero its grad."""
    for p in parameters:
        p.data -= learning_rate * p.grad
        p.grad = 0.0
