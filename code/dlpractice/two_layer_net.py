r"""The course's two-layer network, ``y_hat = W2 (W1 x + b1) + b2``, by hand in matrix form.

With the samples as the rows of ``X`` (shape ``N x d``), the forward pass is

.. math::

    Z = X W_1^\top + b_1, \quad H = \sigma(Z), \quad \hat Y = H W_2^\top + b_2, \quad
    L = \frac{1}{N m}\sum_{n,k} (\hat Y_{nk} - Y_{nk})^2 ,

where :math:`\sigma` is the activation (the identity in the course's formula). Walking the
graph backwards, one matrix product per edge:

.. math::

    G = \frac{\partial L}{\partial \hat Y} = \frac{2}{N m}(\hat Y - Y), \quad
    \frac{\partial L}{\partial W_2} = G^\top H, \quad
    \frac{\partial L}{\partial b_2} = \textstyle\sum_n G_n, \quad
    \frac{\partial L}{\partial H} = G W_2,

.. math::

    \frac{\partial L}{\partial Z} = \frac{\partial L}{\partial H} \odot \sigma'(Z), \quad
    \frac{\partial L}{\partial W_1} = \Bigl(\frac{\partial L}{\partial Z}\Bigr)^{\!\top} X,
    \quad \frac{\partial L}{\partial b_1} = \textstyle\sum_n \frac{\partial L}{\partial Z_n}.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

ACTIVATIONS = ("identity", "sigmoid", "tanh", "relu")


@dataclass(frozen=True)
class TwoLayerParams:
    """Weights ``W1`` (``h x d``), ``b1`` (``h``), ``W2`` (``m x h``) and ``b2`` (``m``)."""

    W1: np.ndarray
    b1: np.ndarray
    W2: np.ndarray
    b2: np.ndarray

    def __post_init__(self) -> None:
        hidden, _ = _shape2("W1", self.W1)
        outputs, hidden2 = _shape2("W2", self.W2)
        if hidden2 != hidden:
            raise ValueError(f"W2 must have {hidden} columns (the rows of W1), got {hidden2}")
        if np.shape(self.b1) != (hidden,):
            raise ValueError(f"b1 must have shape ({hidden},), got {np.shape(self.b1)}")
        if np.shape(self.b2) != (outputs,):
            raise ValueError(f"b2 must have shape ({outputs},), got {np.shape(self.b2)}")

    @classmethod
    def random(cls, inputs: int, hidden: int, outputs: int, *, seed: int = 0) -> TwoLayerParams:
        """Weights drawn from N(0, 1/fan_in), biases 0.1: a seeded starting point."""
        rng = np.random.default_rng(seed)
        return cls(
            W1=rng.normal(0, 1 / np.sqrt(inputs), (hidden, inputs)),
            b1=np.full(hidden, 0.1),
            W2=rng.normal(0, 1 / np.sqrt(hidden), (outputs, hidden)),
            b2=np.full(outputs, 0.1),
        )


@dataclass(frozen=True)
class Gradients:
    """``dL/dW1``, ``dL/db1``, ``dL/dW2``, ``dL/db2``, shaped like the parameters."""

    W1: np.ndarray
    b1: np.ndarray
    W2: np.ndarray
    b2: np.ndarray


def forward(X: np.ndarray, params: TwoLayerParams, activation: str = "identity") -> np.ndarray:
    """The network's output ``Y_hat`` (``N x m``) for the rows of ``X`` (``N x d``)."""
    return _forward(_check_inputs(X, params), params, _check_activation(activation))[2]


def loss_and_gradients(
    X: np.ndarray, Y: np.ndarray, params: TwoLayerParams, activation: str = "identity"
) -> tuple[float, Gradients]:
    """The mean squared error and its gradient with respect to every parameter.

    Parameters
    ----------
    X : numpy.ndarray
        Inputs, ``N x d``.
    Y : numpy.ndarray
        Targets, ``N x m``.
    params : TwoLayerParams
    activation : str
        One of ``"identity"`` (the course's formula), ``"sigmoid"``, ``"tanh"``, ``"relu"``.

    Returns
    -------
    tuple of (float, Gradients)
    """
    X = _check_inputs(X, params)
    activation = _check_activation(activation)
    Y = np.asarray(Y, dtype=np.float64)
    if Y.shape != (X.shape[0], params.W2.shape[0]):
        raise ValueError(f"Y must have shape {(X.shape[0], params.W2.shape[0])}, got {Y.shape}")
    Z, H, Y_hat = _forward(X, params, activation)
    G = 2 * (Y_hat - Y) / Y.size
    dH = G @ params.W2
    dZ = dH * _activation_derivative(Z, H, activation)
    grads = Gradients(W1=dZ.T @ X, b1=dZ.sum(axis=0), W2=G.T @ H, b2=G.sum(axis=0))
    return float(np.mean((Y_hat - Y) ** 2)), grads


def collapse(params: TwoLayerParams) -> tuple[np.ndarray, np.ndarray]:
    """The single linear layer ``(W, b)`` equal to the network without activation.

    ``W2 (W1 x + b1) + b2 = (W2 W1) x + (W2 b1 + b2)``: stacking linear layers without a
    non-linearity between them adds parameters but no expressive power.
    """
    return params.W2 @ params.W1, params.W2 @ params.b1 + params.b2


def _forward(
    X: np.ndarray, params: TwoLayerParams, activation: str
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    Z = X @ params.W1.T + params.b1
    if activation == "identity":
        H = Z
    elif activation == "sigmoid":
        H = 1 / (1 + np.exp(-Z))
    elif activation == "tanh":
        H = np.tanh(Z)
    else:
        H = np.maximum(Z, 0.0)
    return Z, H, H @ params.W2.T + params.b2


def _activation_derivative(Z: np.ndarray, H: np.ndarray, activation: str) -> np.ndarray:
    if activation == "identity":
        return np.ones_like(Z)
    if activation == "sigmoid":
        return H * (1 - H)
    if activation == "tanh":
        return 1 - H * H
    return (Z > 0).astype(np.float64)


def _check_activation(activation: str) -> str:
    if activation not in ACTIVATIONS:
        raise ValueError(f"activation must be one of {ACTIVATIONS}, got {activation!r}")
    return activation


def _check_inputs(X: np.ndarray, params: TwoLayerParams) -> np.ndarray:
    if not isinstance(params, TwoLayerParams):
        raise TypeError(f"params must be TwoLayerParams, got {type(params).__name__}")
    X = np.asarray(X, dtype=np.float64)
    if X.ndim != 2 or X.shape[1] != params.W1.shape[1]:
        raise ValueError(
            f"X must have shape (N, {params.W1.shape[1]}) for this network, got {X.shape}"
        )
    if not np.all(np.isfinite(X)):
        raise ValueError("X must be finite")
    return X


def _shape2(name: str, array: np.ndarray) -> tuple[int, int]:
    shape = np.shape(array)
    if len(shape) != 2:
        raise ValueError(f"{name} must be a matrix, got shape {shape}")
    return shape
