r"""The linear model of lecture 2, its loss on one sample and its cost on a data set.

.. math::

    \hat y = x w + b, \qquad
    \text{loss} = (\hat y - y)^2, \qquad
    \text{cost} = \frac{1}{N} \sum_{n=1}^{N} (\hat y_n - y_n)^2 .

The course's first model has no bias; ``b`` defaults to 0 so that ``predict(x, w)`` is
``x * w``.
"""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import ArrayLike

from ._validation import as_data, as_finite_real, as_float_vector, overflow_error


def predict(x: ArrayLike, w: float, b: float = 0.0) -> np.ndarray:
    """The prediction ``y_hat = x*w + b`` for every input.

    Parameters
    ----------
    x : array_like
        Inputs, a non-empty 1-D sequence of finite numbers.
    w, b : float
        Weight and bias.

    Returns
    -------
    numpy.ndarray
        ``x * w + b``, same shape as ``x``.

    Examples
    --------
    >>> predict([1.0, 2.0, 3.0], 2.0).tolist()
    [2.0, 4.0, 6.0]
    """
    x_array = as_float_vector("x", x)
    w, b = as_finite_real("w", w), as_finite_real("b", b)
    with np.errstate(over="ignore", invalid="ignore"):
        prediction = x_array * w + b
    if not np.all(np.isfinite(prediction)):
        raise overflow_error("x, w and b", "the prediction x*w + b")
    return prediction


def squared_error(x: ArrayLike, y: ArrayLike, w: float, b: float = 0.0) -> np.ndarray:
    """The loss of each sample, ``(y_hat - y)**2``.

    The *loss* belongs to one sample; the *cost* (:func:`mse`) averages it over the data set.

    Parameters
    ----------
    x, y : array_like
        Inputs and targets, 1-D, of equal length.
    w, b : float
        Weight and bias.

    Returns
    -------
    numpy.ndarray
        One loss per sample.

    Examples
    --------
    >>> squared_error([1.0, 2.0, 3.0], [2.0, 4.0, 6.0], w=3.0).tolist()
    [1.0, 4.0, 9.0]
    """
    x_array, y_array = as_data(x, y)
    return _squared_error(x_array, y_array, as_finite_real("w", w), as_finite_real("b", b))


def _squared_error(x: np.ndarray, y: np.ndarray, w: float, b: float) -> np.ndarray:
    """:func:`squared_error` on checked values; refuses to return inf."""
    with np.errstate(over="ignore", invalid="ignore"):
        residual = x * w + b - y
        squares = residual * residual
        total = float(np.sum(squares))
    if not math.isfinite(total):
        raise overflow_error("x, y, w and b", "the squared error (x*w + b - y)**2")
    return squares


def mse(x: ArrayLike, y: ArrayLike, w: float, b: float = 0.0) -> float:
    r"""The cost: mean squared error of ``y_hat = x*w + b`` over the data set.

    .. math:: \text{cost}(w, b) = \frac{1}{N} \sum_{n=1}^{N} (x_n w + b - y_n)^2

    Parameters
    ----------
    x, y : array_like
        Inputs and targets, 1-D, of equal length, not empty, finite.
    w, b : float
        Weight and bias.

    Returns
    -------
    float

    Raises
    ------
    ValueError
        If ``x`` and ``y`` differ in length, are empty, or hold a non-finite value, or if
        the values are so large that the squared error overflows float64.
    TypeError
        If the data are not real numbers (strings, booleans and complex numbers are
        refused rather than converted).

    Examples
    --------
    >>> round(mse([1.0, 2.0, 3.0], [2.0, 4.0, 6.0], w=3.0), 6)
    4.666667
    """
    return float(np.mean(squared_error(x, y, w, b)))
