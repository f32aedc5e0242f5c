"""Layers and a loss built from the scalar engine of :mod:`dlpractice.autograd`.

The point is to watch a neural network be trained by nothing but
:class:`~.autograd.Value` nodes: every multiply-add of every sample is a node in one
graph, and ``loss.backward()`` fills in the gradient of every weight. Chapter 5 checks
the result against the matrix formulas of :mod:`dlpractice.two_layer_net`; chapter 4
watches the gradient shrink through a stack of sigmoid layers (:class:`MLP`);
``benchmarks/autograd_engine.py`` measures what it costs to work one scalar at a time.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence

import numpy as np

from ._validation import (
    as_count,
    as_finite_real,
    as_float_array,
    as_positive_real,
    as_size,
    overflow_error,
)
from .autograd import Value, value_sum
from .two_layer_net import ACTIVATIONS, TwoLayerParams

#: The most weights one :class:`Linear` layer holds: each is a :class:`~.autograd.Value`,
#: a Python object of its own, so a million of them already take seconds to build.
MAX_PARAMETERS = 1_000_000


class Linear:
    """``outputs[i] = sum_j weight[i][j] * inputs[j] + bias[i]``, on Values.

    Parameters
    ----------
    weight : array_like
        ``outputs x inputs``, finite, at least 1 x 1, at most :data:`MAX_PARAMETERS`
        entries.
    bias : array_like
        ``outputs`` entries, finite.
    name : str
        A prefix for the labels of the parameters (``"1."`` gives ``1.W[0,0]``).

    Raises
    ------
    TypeError
        If ``weight`` or ``bias`` hold something other than real numbers, or ``name``
        is not a string.
    ValueError
        If the shapes do not fit or an entry is not finite.

    Examples
    --------
    >>> layer = Linear([[1.0, 2.0]], [0.5])
    >>> layer([3.0, 4.0])[0].data
    11.5
    """

    def __init__(self, weight: np.ndarray, bias: np.ndarray, name: str = "") -> None:
        weight, bias = as_float_array("weight", weight), as_float_array("bias", bias)
        if weight.ndim != 2 or 0 in weight.shape or bias.shape != (weight.shape[0],):
            raise ValueError(
                f"weight must be a matrix (at least 1 x 1) and bias a vector with one entry "
                f"per row, got shapes {weight.shape} and {bias.shape}"
            )
        if not isinstance(name, str):
            raise TypeError(f"name must be a string, got {type(name).__name__}")
        if weight.size > MAX_PARAMETERS:
            raise ValueError(
                f"weight must have at most {MAX_PARAMETERS:,} entries for the scalar engine "
                f"(one Python object each), got {weight.size:,}; use torch for large layers"
            )
        self.weight = [
            [Value(float(v), f"{name}W[{i},{j}]") for j, v in enumerate(row)]
            for i, row in enumerate(weight)
        ]
        self.bias = [Value(float(v), f"{name}b[{i}]") for i, v in enumerate(bias)]

    def __call__(self, inputs: Sequence[Value | float]) -> list[Value]:
        """The layer's outputs for one sample.

        Raises
        ------
        TypeError
            If ``inputs`` is not a sequence of Values and real numbers.
        ValueError
            If there are not as many inputs as the layer has columns, or a number in
            them is not finite.
        """
        inputs = _as_inputs(inputs)
        if len(inputs) != len(self.weight[0]):
            raise ValueError(f"expected {len(self.weight[0])} inputs, got {len(inputs)}")
        return self._forward(inputs)

    def _forward(self, inputs: list[Value | float]) -> list[Value]:
        return [
            value_sum([*(w * x for w, x in zip(row, inputs, strict=True)), b])
            for row, b in zip(self.weight, self.bias, strict=True)
        ]

    def parameters(self) -> list[Value]:
        """The weights, row by row, then the biases."""
        return [w for row in self.weight for w in row] + self.bias


class ScalarTwoLayerNet:
    """``y_hat = W2 act(W1 x + b1) + b2`` on Values, started from given parameters."""

    def __init__(self, params: TwoLayerParams, activation: str = "tanh") -> None:
        if not isinstance(params, TwoLayerParams):
            raise TypeError(f"params must be TwoLayerParams, got {type(params).__name__}")
        _check_activation(activation)
        self.first = Linear(params.W1, params.b1, "1.")
        self.second = Linear(params.W2, params.b2, "2.")
        self.activation = activation

    def __call__(self, inputs: Sequence[Value | float]) -> list[Value]:
        """The network's outputs for one sample (errors as for a :class:`Linear` layer)."""
        hidden = self.first(inputs)
        if self.activation != "identity":
            hidden = [getattr(unit, self.activation)() for unit in hidden]
        return self.second._forward(hidden)

    def parameters(self) -> list[Value]:
        """Every weight and bias, first layer first."""
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
    TypeError
        If ``layers`` is not a sequence of (weight, bias) pairs of real numbers, or
        ``activation`` is not a string.
    ValueError
        If there are no layers, the layers do not fit together, a weight is not finite,
        or the activation is unknown.

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
        _check_activation(activation)
        if not _is_sequence(layers):
            raise TypeError(
                f"layers must be a list of (weight, bias) pairs, got {type(layers).__name__}"
            )
        if len(layers) == 0:
            raise ValueError("layers must hold at least one (weight, bias) pair")
        for index, layer in enumerate(layers):
            if not isinstance(layer, (tuple, list)) or len(layer) != 2:
                raise TypeError(f"layers[{index}] must be a (weight, bias) pair, got {layer!r}")
        self.layers = [_layer(index, weight, bias) for index, (weight, bias) in enumerate(layers)]
        for index in range(1, len(self.layers)):
            inputs, before = (
                len(self.layers[index].weight[0]),
                len(self.layers[index - 1].bias),
            )
            if inputs != before:
                raise ValueError(
                    f"layer {index + 1} takes {inputs} inputs, but layer {index} gives "
                    f"{before} outputs; each layer's inputs must be the outputs of the "
                    f"layer before"
                )
        self.activation = activation

    def __call__(self, inputs: Sequence[Value | float]) -> list[Value]:
        """The network's outputs for one sample (errors as for a :class:`Linear` layer)."""
        values = self.layers[0](inputs)
        for index, layer in enumerate(self.layers):
            if index > 0:
                values = layer._forward(values)
            if index < len(self.layers) - 1 and self.activation != "identity":
                values = [getattr(unit, self.activation)() for unit in values]
        return values

    def parameters(self) -> list[Value]:
        """Every weight and bias, first layer first."""
        return [p for layer in self.layers for p in layer.parameters()]

    def weight_gradient_norms(self) -> list[float]:
        r"""Per layer, the norm :math:`\lVert \partial L / \partial W_l \rVert_F`.

        Raises
        ------
        ValueError
            If a norm overflows a float (gradients beyond about 1e154).
        """
        try:
            norms = [
                float(np.sqrt(sum(w.grad**2 for row in layer.weight for w in row)))
                for layer in self.layers
            ]
        except OverflowError:  # a square beyond the largest float
            norms = [math.inf]
        if not all(math.isfinite(norm) for norm in norms):
            raise overflow_error("the weights' gradients", "the sum of their squares")
        return norms


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
    TypeError
        If ``sizes`` is not a sequence of integers, ``seed`` not an integer or ``bias``
        not a real number.
    ValueError
        If fewer than two sizes are given, a size is less than 1, the seed is negative,
        ``bias`` is not finite, or the layers would hold more than ten million weights.

    Examples
    --------
    >>> [w.shape for w, b in random_layers([3, 4, 2])]
    [(4, 3), (2, 4)]
    """
    if not _is_sequence(sizes):
        raise TypeError(f"sizes must be a list of integers, got {type(sizes).__name__}")
    sizes = list(sizes)
    if len(sizes) < 2:
        raise ValueError(f"sizes must list at least two widths, got {sizes}")
    for size in sizes:
        as_count("sizes", size)
    weights = sum(a * b for a, b in zip(sizes[:-1], sizes[1:], strict=True))
    as_size("sizes", weights, what="weights")
    seed = as_count("seed", seed, minimum=0)
    bias = as_finite_real("bias", bias)
    rng = np.random.default_rng(seed)
    return [
        (rng.normal(0, 1 / np.sqrt(fan_in), (fan_out, fan_in)), np.full(fan_out, bias))
        for fan_in, fan_out in zip(sizes[:-1], sizes[1:], strict=True)
    ]


def mean_squared_error(
    predictions: Sequence[Sequence[Value]], targets: Sequence[Sequence[float]]
) -> Value:
    """The mean of ``(prediction - target)**2`` over every sample and output.

    Parameters
    ----------
    predictions : list of list of Value
        One row of outputs per sample.
    targets : list of list of float
        One row of targets per sample, each as long as its row of predictions.

    Returns
    -------
    Value

    Raises
    ------
    TypeError
        If the rows are not sequences of Values and real numbers.
    ValueError
        If there are no samples, the numbers of samples or of outputs differ, or a
        target is not finite.

    Examples
    --------
    >>> mean_squared_error([[Value(1.0)], [Value(3.0)]], [[0.0], [1.0]]).data
    2.5
    """
    for name, rows in (("predictions", predictions), ("targets", targets)):
        if not _is_sequence(rows):
            raise TypeError(f"{name} must be a list of rows, got {type(rows).__name__}")
    if len(predictions) != len(targets) or not predictions:
        raise ValueError(
            f"predictions and targets must be equally many and not empty, got "
            f"{len(predictions)} and {len(targets)}"
        )
    errors = []
    for n, (row_p, row_t) in enumerate(zip(predictions, targets, strict=True)):
        row_p, row_t = _as_inputs(row_p, f"predictions[{n}]"), _as_inputs(row_t, f"targets[{n}]")
        if len(row_p) != len(row_t) or not row_p:
            raise ValueError(
                f"predictions[{n}] and targets[{n}] must be equally long and not empty, got "
                f"{len(row_p)} and {len(row_t)}"
            )
        errors.extend((p - t) ** 2 for p, t in zip(row_p, row_t, strict=True))
    return value_sum(errors) / len(errors)


def gradient_step(parameters: Sequence[Value], *, learning_rate: float) -> None:
    """``p.data -= learning_rate * p.grad`` for each parameter; then zero its grad.

    All or nothing: if one parameter's step would overflow, no parameter changes.

    Raises
    ------
    TypeError
        If ``parameters`` holds something other than Values, or ``learning_rate`` is not
        a real number.
    ValueError
        If ``learning_rate`` is not greater than 0, or a step overflows a float.

    Examples
    --------
    >>> w = Value(1.0)
    >>> (w * w).backward()
    >>> gradient_step([w], learning_rate=0.25)
    >>> w.data, w.grad
    (0.5, 0.0)
    """
    learning_rate = as_positive_real("learning_rate", learning_rate)
    if isinstance(parameters, (Value, str, bytes)) or not isinstance(parameters, Iterable):
        raise TypeError(f"parameters must be a list of Values, got {type(parameters).__name__}")
    parameters = list(parameters)
    if not parameters:
        raise ValueError("parameters must hold at least one Value, got an empty list")
    for i, p in enumerate(parameters):
        if not isinstance(p, Value):
            raise TypeError(f"parameters[{i}] must be a Value, got {type(p).__name__}")
    updated = [p.data - learning_rate * p.grad for p in parameters]
    if not all(math.isfinite(value) for value in updated):
        raise overflow_error("learning_rate and the gradients", "a step")
    for p, value in zip(parameters, updated, strict=True):
        p.data = value
        p.grad = 0.0


def _layer(index: int, weight: object, bias: object) -> Linear:
    """Layer ``index`` of an MLP; Linear's error, if any, says which pair of ``layers``."""
    try:
        return Linear(weight, bias, f"{index + 1}.")
    except (TypeError, ValueError) as err:
        raise type(err)(f"layers[{index}]: {err}") from None


def _as_inputs(inputs: object, name: str = "inputs") -> list[Value | float]:
    """``inputs`` as a list of Values and finite floats, or an error naming ``name``."""
    if not _is_sequence(inputs):
        raise TypeError(
            f"{name} must be a sequence of Values and numbers, got {type(inputs).__name__}"
        )
    return [
        item if isinstance(item, Value) else as_finite_real(f"{name}[{i}]", item)
        for i, item in enumerate(inputs)
    ]


def _is_sequence(obj: object) -> bool:
    """A list, tuple or array (anything with a length that iterates), not a string."""
    return (
        not isinstance(obj, (str, bytes, Value))
        and hasattr(obj, "__len__")
        and hasattr(obj, "__iter__")
    )


def _check_activation(activation: str) -> None:
    if not isinstance(activation, str):
        raise TypeError(f"activation must be a string, got {type(activation).__name__}")
    if activation not in ACTIVATIONS:
        raise ValueError(f"activation must be one of {ACTIVATIONS}, got {activation!r}")
