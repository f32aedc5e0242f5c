r"""The course's two-layer network, ``y_hat = W2 (W1 x + b1) + b2``, by hand.

With the samples as the rows of ``X`` (shape ``N x d``), the forward pass is

.. math::

    Z = X W_1^\top + b_1, \quad H = \sigma(Z), \quad \hat Y = H W_2^\top + b_2, \quad
    L = \frac{1}{N m}\sum_{n,k} (\hat Y_{nk} - Y_{nk})^2 ,

where :math:`\sigma` is the activation (the identity in the course's formula, so that
:math:`H = Z`). Walking the graph backwards, one matrix product per edge:

.. math::

    G = \frac{\partial L}{\partial \hat Y} = \frac{2}{N m}(\hat Y - Y), \quad
    \frac{\partial L}{\partial W_2} = G^\top H, \quad
    \frac{\partial L}{\partial b_2} = \textstyle\sum_n G_n, \quad
    \frac{\partial L}{\partial H} = G W_2,

.. math::

    \frac{\partial L}{\partial Z} = \frac{\partial L}{\partial H} \odot \sigma'(Z),
    \quad
    \frac{\partial L}{\partial W_1}
    = \Bigl(\frac{\partial L}{\partial Z}\Bigr)^{\!\top} X,
    \quad
    \frac{\partial L}{\partial b_1}
    = \textstyle\sum_n \frac{\partial L}{\partial Z_n}.

The backward pass reads three arrays that the forward pass computed: :math:`X`,
:math:`H` and the residual :math:`\hat Y - Y` (:class:`SavedForBackward`). That is why
training keeps them in memory until :func:`backward` has run.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from ._validation import as_count, as_float_array, as_positive_real, as_size, overflow_error

ACTIVATIONS = ("identity", "sigmoid", "tanh", "relu")
_NAMES = ("W1", "b1", "W2", "b2")


@dataclass(frozen=True)
class TwoLayerParams:
    """Weights ``W1`` (``h x d``), ``b1`` (``h``), ``W2`` (``m x h``), ``b2`` (``m``).

    The arrays are stored as float64 numpy arrays.

    Raises
    ------
    TypeError
        If an array holds something other than real numbers.
    ValueError
        If the shapes do not fit together, a size is 0, or an entry is not finite.

    Examples
    --------
    >>> params = TwoLayerParams(W1=[[1.0], [2.0]], b1=[0.0, 0.0], W2=[[1.0, 1.0]], b2=[0.0])
    >>> params.W1.shape, params.W2.shape
    ((2, 1), (1, 2))
    """

    W1: np.ndarray
    b1: np.ndarray
    W2: np.ndarray
    b2: np.ndarray

    def __post_init__(self) -> None:
        for name in ("W1", "b1", "W2", "b2"):
            object.__setattr__(self, name, as_float_array(name, getattr(self, name)))
        _check_layer_shapes(self)

    @classmethod
    def random(cls, inputs: int, hidden: int, outputs: int, *, seed: int = 0) -> TwoLayerParams:
        """Weights drawn from N(0, 1/fan_in), biases 0.1: a seeded starting point.

        Parameters
        ----------
        inputs, hidden, outputs : int
            The widths ``d``, ``h``, ``m``, each at least 1.
        seed : int
            Seed of :func:`numpy.random.default_rng`, 0 or more (a seed is required, so
            that every run starts from the same weights).

        Raises
        ------
        TypeError
            If a width or the seed is not an integer.
        ValueError
            If a width is less than 1, the seed negative, or the network would hold more
            than ten million weights.

        Examples
        --------
        >>> TwoLayerParams.random(3, 4, 2, seed=0).W1.shape
        (4, 3)
        """
        inputs = as_count("inputs", inputs)
        hidden = as_count("hidden", hidden)
        outputs = as_count("outputs", outputs)
        seed = as_count("seed", seed, minimum=0)
        as_size("inputs, hidden and outputs", hidden * (inputs + outputs), what="weights")
        rng = np.random.default_rng(seed)
        return cls(
            W1=rng.normal(0, 1 / np.sqrt(inputs), (hidden, inputs)),
            b1=np.full(hidden, 0.1),
            W2=rng.normal(0, 1 / np.sqrt(hidden), (outputs, hidden)),
            b2=np.full(outputs, 0.1),
        )

    def step(self, grads: TwoLayerGradients, *, learning_rate: float) -> TwoLayerParams:
        r"""One step of gradient descent on every array: new parameters, these unchanged.

        .. math:: W_1 \leftarrow W_1 - \alpha\,\frac{\partial L}{\partial W_1}, \quad
                  \dots, \quad b_2 \leftarrow b_2 - \alpha\,\frac{\partial L}{\partial b_2}

        Parameters
        ----------
        grads : TwoLayerGradients
            Shaped like these parameters, as :func:`backprop` returns them.
        learning_rate : float
            The step factor :math:`\alpha`, greater than 0.

        Raises
        ------
        TypeError
            If ``grads`` is not :class:`TwoLayerGradients` or ``learning_rate`` is not a
            real number.
        ValueError
            If ``learning_rate`` is not greater than 0, the shapes of ``grads`` differ
            from the parameters', or the step overflows a float.

        Examples
        --------
        >>> params = TwoLayerParams(W1=[[1.0]], b1=[0.0], W2=[[2.0]], b2=[0.5])
        >>> grads = TwoLayerGradients(W1=[[10.0]], b1=[1.0], W2=[[0.0]], b2=[-5.0])
        >>> new = params.step(grads, learning_rate=0.1)
        >>> new.W1.tolist(), new.b1.tolist(), new.W2.tolist(), new.b2.tolist()
        ([[0.0]], [-0.1], [[2.0]], [1.0])
        """
        if not isinstance(grads, TwoLayerGradients):
            raise TypeError(f"grads must be TwoLayerGradients, got {type(grads).__name__}")
        learning_rate = as_positive_real("learning_rate", learning_rate)
        for name in _NAMES:
            mine, theirs = getattr(self, name).shape, getattr(grads, name).shape
            if mine != theirs:
                raise ValueError(
                    f"grads.{name} must have the shape of {name}, {mine}, got {theirs}"
                )
        with np.errstate(over="ignore", invalid="ignore"):
            arrays = {n: getattr(self, n) - learning_rate * getattr(grads, n) for n in _NAMES}
        if not all(np.all(np.isfinite(array)) for array in arrays.values()):
            raise overflow_error("grads and learning_rate", "the step")
        return _unchecked(TwoLayerParams, **arrays)


@dataclass(frozen=True)
class TwoLayerGradients:
    """``dL/dW1``, ``dL/db1``, ``dL/dW2``, ``dL/db2``, shaped like the parameters.

    Raises
    ------
    TypeError
        If an array holds something other than real numbers.
    ValueError
        If an entry is not finite, or the shapes do not fit together as the parameters'
        do (W1 and W2 non-empty matrices, b1 one entry per row of W1, b2 per row of W2).

    Examples
    --------
    >>> TwoLayerGradients(W1=[[0.5]], b1=[0.0], W2=[[1.0]], b2=[2.0]).b2
    array([2.])
    """

    W1: np.ndarray
    b1: np.ndarray
    W2: np.ndarray
    b2: np.ndarray

    def __post_init__(self) -> None:
        for name in ("W1", "b1", "W2", "b2"):
            object.__setattr__(self, name, as_float_array(name, getattr(self, name)))
        _check_layer_shapes(self)


def _check_layer_shapes(arrays: TwoLayerParams | TwoLayerGradients) -> None:
    """W1 (h, d) and W2 (m, h) non-empty matrices, b1 of h entries and b2 of m."""
    hidden, _ = _shape2("W1", arrays.W1)
    outputs, hidden2 = _shape2("W2", arrays.W2)
    if hidden2 != hidden:
        raise ValueError(f"W2 must have {hidden} columns (the rows of W1), got {hidden2}")
    if np.shape(arrays.b1) != (hidden,):
        raise ValueError(f"b1 must have shape ({hidden},), got {np.shape(arrays.b1)}")
    if np.shape(arrays.b2) != (outputs,):
        raise ValueError(f"b2 must have shape ({outputs},), got {np.shape(arrays.b2)}")


def forward(X: np.ndarray, params: TwoLayerParams, activation: str = "identity") -> np.ndarray:
    """The network's output ``Y_hat`` (``N x m``) for the rows of ``X`` (``N x d``).

    Raises
    ------
    TypeError
        If ``params`` is not :class:`TwoLayerParams`, ``X`` holds something other than
        real numbers, or ``activation`` is not a string.
    ValueError
        If ``X`` is not ``N x d`` for this network with ``N >= 1``, not finite, the
        activation is unknown, or the output overflows a float.

    Examples
    --------
    >>> params = TwoLayerParams(W1=[[2.0]], b1=[0.0], W2=[[3.0]], b2=[1.0])
    >>> forward([[1.0], [2.0]], params).tolist()
    [[7.0], [13.0]]
    """
    X = _check_inputs(X, params)
    activation = _check_activation(activation)
    with np.errstate(over="ignore", invalid="ignore"):
        Y_hat = _forward(X, params, activation)[2]
    if not np.all(np.isfinite(Y_hat)):
        raise overflow_error("X and params", "the network's output")
    return Y_hat


def backprop(
    X: np.ndarray, Y: np.ndarray, params: TwoLayerParams, activation: str = "identity"
) -> tuple[float, TwoLayerGradients]:
    """The mean squared error and its gradient with respect to every parameter.

    The forward pass (:func:`forward_and_save`) keeps what the backward pass will read,
    and the backward pass (:func:`backward`) reads nothing else.

    Parameters
    ----------
    X : numpy.ndarray
        Inputs, ``N x d``.
    Y : numpy.ndarray
        Targets, ``N x m``.
    params : TwoLayerParams
    activation : str
        One of ``"identity"`` (the course's formula), ``"sigmoid"``, ``"tanh"``,
        ``"relu"``.

    Returns
    -------
    tuple of (float, TwoLayerGradients)

    Raises
    ------
    TypeError
        If ``params`` is not :class:`TwoLayerParams`, ``X`` or ``Y`` hold something other
        than real numbers, or ``activation`` is not a string.
    ValueError
        If the shapes do not fit the network, an input is not finite, the activation
        is unknown, or the loss or a gradient overflows a float.

    Examples
    --------
    >>> params = TwoLayerParams(
    ...     W1=np.array([[1.0], [2.0]]), b1=np.zeros(2), W2=np.array([[1.0, 1.0]]),
    ...     b2=np.zeros(1),
    ... )
    >>> loss, grads = backprop([[1.0]], [[2.0]], params)
    >>> loss, grads.b2
    (1.0, array([2.]))
    """
    loss, saved = forward_and_save(X, Y, params, activation)
    return loss, _backward(saved, params, "X, Y and params")


@dataclass(frozen=True)
class SavedForBackward:
    r"""What the backward pass of the two-layer network reads from the forward pass.

    One array per node that needs one, nothing else:

    - the loss :math:`L = \frac{1}{Nm}\sum R^2` needs the residual
      :math:`R = \hat Y - Y` (``N x m``) to start the backward pass,
      :math:`G = \frac{2}{Nm} R`;
    - the second layer :math:`\hat Y = H W_2^\top + b_2` needs its input :math:`H`
      (``N x h``) for :math:`\partial L/\partial W_2 = G^\top H` (and :math:`W_2`, a
      parameter, which is in memory anyway);
    - the activation :math:`H = \sigma(Z)` needs its own output :math:`H` again, the
      same array: :math:`\sigma' = H(1-H)` for the sigmoid, :math:`1-H^2` for tanh,
      :math:`[H > 0]` for ReLU, and 1 for the identity;
    - the first layer :math:`Z = X W_1^\top + b_1` needs its input :math:`X` (``N x d``)
      for :math:`\partial L/\partial W_1 = (\partial L/\partial Z)^\top X`.

    So training holds :math:`N(d + h + m)` numbers from the forward pass until the
    backward pass has run: linear in the batch size :math:`N`, and one ``N x width``
    array more for every further layer.
    """

    X: np.ndarray
    H: np.ndarray
    residual: np.ndarray
    activation: str

    def __post_init__(self) -> None:
        for name in ("X", "H", "residual"):
            array = as_float_array(name, getattr(self, name))
            if array.ndim != 2:
                raise ValueError(f"{name} must be a matrix (N x width), got shape {array.shape}")
            object.__setattr__(self, name, array)
        rows = {self.X.shape[0], self.H.shape[0], self.residual.shape[0]}
        if len(rows) != 1:
            raise ValueError(
                f"X, H and residual must have the same number of rows (samples), got "
                f"shapes {self.X.shape}, {self.H.shape} and {self.residual.shape}"
            )
        _check_activation(self.activation)

    @property
    def size(self) -> int:
        """How many numbers are kept, ``X.size + H.size + residual.size``."""
        return int(self.X.size + self.H.size + self.residual.size)


def forward_and_save(
    X: np.ndarray, Y: np.ndarray, params: TwoLayerParams, activation: str = "identity"
) -> tuple[float, SavedForBackward]:
    """The forward pass for training: the loss, and what the backward pass will need.

    Parameters
    ----------
    X : numpy.ndarray
        Inputs, ``N x d``.
    Y : numpy.ndarray
        Targets, ``N x m``.
    params : TwoLayerParams
    activation : str
        One of ``"identity"``, ``"sigmoid"``, ``"tanh"``, ``"relu"``.

    Returns
    -------
    tuple of (float, SavedForBackward)
        The mean squared error and the arrays :func:`backward` reads.

    Raises
    ------
    TypeError
        As :func:`backprop`.
    ValueError
        If ``Y`` is not ``N x m`` for this network (and as :func:`backprop`).

    Examples
    --------
    >>> params = TwoLayerParams.random(inputs=3, hidden=4, outputs=2, seed=0)
    >>> loss, saved = forward_and_save(np.ones((5, 3)), np.zeros((5, 2)), params)
    >>> saved.X.shape, saved.H.shape, saved.residual.shape, saved.size
    ((5, 3), (5, 4), (5, 2), 45)
    """
    X = _check_inputs(X, params)
    activation = _check_activation(activation)
    expected = (X.shape[0], params.W2.shape[0])
    Y = as_float_array("Y", Y)
    if Y.shape != expected:
        raise ValueError(f"Y must have shape {expected}, got {Y.shape}")
    with np.errstate(over="ignore", invalid="ignore"):
        _, H, Y_hat = _forward(X, params, activation)
        residual = Y_hat - Y
        loss = float(np.mean(residual**2))
    if not (math.isfinite(loss) and np.all(np.isfinite(H))):
        raise overflow_error("X, Y and params", "the squared error of the network's output")
    return loss, _unchecked(SavedForBackward, X=X, H=H, residual=residual, activation=activation)


def backward(saved: SavedForBackward, params: TwoLayerParams) -> TwoLayerGradients:
    r"""The gradient of the mean squared error, from the saved arrays and the weights.

    .. math::

        G = \frac{2}{Nm} R, \quad
        \frac{\partial L}{\partial W_2} = G^\top H, \quad
        \frac{\partial L}{\partial b_2} = \textstyle\sum_n G_n, \quad
        \frac{\partial L}{\partial Z} = (G W_2) \odot \sigma'(Z), \quad
        \frac{\partial L}{\partial W_1}
        = \Bigl(\frac{\partial L}{\partial Z}\Bigr)^{\!\top} X, \quad
        \frac{\partial L}{\partial b_1} = \textstyle\sum_n
        \Bigl(\frac{\partial L}{\partial Z}\Bigr)_n

    where :math:`\sigma'(Z)` is computed from :math:`H = \sigma(Z)` (see
    :class:`SavedForBackward`).

    Parameters
    ----------
    saved : SavedForBackward
        From :func:`forward_and_save` with the same ``params``.
    params : TwoLayerParams

    Returns
    -------
    TwoLayerGradients

    Raises
    ------
    TypeError
        If ``saved`` or ``params`` is of the wrong type.
    ValueError
        If the saved arrays do not fit ``params``, or a gradient overflows a float.
    """
    if not isinstance(saved, SavedForBackward):
        raise TypeError(f"saved must be SavedForBackward, got {type(saved).__name__}")
    if not isinstance(params, TwoLayerParams):
        raise TypeError(f"params must be TwoLayerParams, got {type(params).__name__}")
    (hidden, inputs), outputs = params.W1.shape, params.W2.shape[0]
    n = saved.X.shape[0]
    expected = ((n, inputs), (n, hidden), (n, outputs))
    got = (saved.X.shape, saved.H.shape, saved.residual.shape)
    if got != expected:
        raise ValueError(
            f"saved arrays X, H, residual must have shapes {expected} for these params, got {got}"
        )
    return _backward(saved, params, "saved and params")


def _backward(saved: SavedForBackward, params: TwoLayerParams, names: str) -> TwoLayerGradients:
    """:func:`backward` on checked arguments; a gradient that overflows blames ``names``."""
    with np.errstate(over="ignore", invalid="ignore"):
        G = 2 * saved.residual / saved.residual.size
        dZ = (G @ params.W2) * _activation_derivative(saved.H, saved.activation)
        grads = (dZ.T @ saved.X, dZ.sum(axis=0), G.T @ saved.H, G.sum(axis=0))
    if not all(np.all(np.isfinite(grad)) for grad in grads):
        raise overflow_error(names, "a gradient of the network")
    return _unchecked(TwoLayerGradients, **dict(zip(("W1", "b1", "W2", "b2"), grads, strict=True)))


def collapse(params: TwoLayerParams) -> tuple[np.ndarray, np.ndarray]:
    """The single linear layer ``(W, b)`` equal to the network without activation.

    ``W2 (W1 x + b1) + b2 = (W2 W1) x + (W2 b1 + b2)``: stacking linear layers without a
    non-linearity between them adds parameters but no expressive power.

    Raises
    ------
    TypeError
        If ``params`` is not :class:`TwoLayerParams`.
    ValueError
        If the product overflows a float.

    Examples
    --------
    >>> W, b = collapse(TwoLayerParams(W1=[[2.0]], b1=[1.0], W2=[[3.0]], b2=[0.5]))
    >>> W.tolist(), b.tolist()
    ([[6.0]], [3.5])
    """
    if not isinstance(params, TwoLayerParams):
        raise TypeError(f"params must be TwoLayerParams, got {type(params).__name__}")
    with np.errstate(over="ignore", invalid="ignore"):
        W, b = params.W2 @ params.W1, params.W2 @ params.b1 + params.b2
    if not (np.all(np.isfinite(W)) and np.all(np.isfinite(b))):
        raise overflow_error("params", "the product W2 W1 or W2 b1 + b2")
    return W, b


def _unchecked(cls: type, **fields: object) -> object:
    """An instance of the frozen dataclass ``cls`` from fields already checked.

    The public constructors check what a caller gives them; arrays this module computed
    from checked inputs (and found finite) are not checked a second time.
    """
    instance = object.__new__(cls)
    for name, value in fields.items():
        object.__setattr__(instance, name, value)
    return instance


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


def _activation_derivative(H: np.ndarray, activation: str) -> np.ndarray:
    """sigma'(Z), written from the activation's output H = sigma(Z)."""
    if activation == "identity":
        return np.ones_like(H)
    if activation == "sigmoid":
        return H * (1 - H)
    if activation == "tanh":
        return 1 - H * H
    return (H > 0).astype(np.float64)  # relu: H > 0 exactly where Z > 0


def _check_activation(activation: str) -> str:
    if not isinstance(activation, str):
        raise TypeError(f"activation must be a string, got {type(activation).__name__}")
    if activation not in ACTIVATIONS:
        raise ValueError(f"activation must be one of {ACTIVATIONS}, got {activation!r}")
    return activation


def _check_inputs(X: np.ndarray, params: TwoLayerParams) -> np.ndarray:
    if not isinstance(params, TwoLayerParams):
        raise TypeError(f"params must be TwoLayerParams, got {type(params).__name__}")
    X = as_float_array("X", X)
    shape = X.shape
    if len(shape) != 2 or shape[1] != params.W1.shape[1] or shape[0] == 0:
        raise ValueError(
            f"X must have shape (N, {params.W1.shape[1]}) with N >= 1 for this network, got {shape}"
        )
    return X


def _shape2(name: str, array: np.ndarray) -> tuple[int, int]:
    shape = np.shape(array)
    if len(shape) != 2 or 0 in shape:
        raise ValueError(
            f"{name} must be a matrix with at least one row and column, got shape {shape}"
        )
    return shape
