r"""The gradient of the MSE of the linear model, by formula and by finite differences.

For :math:`\hat y = x w + b` and :math:`\text{cost} = \frac1N\sum_n (x_n w + b - y_n)^2`,

.. math::

    \frac{\partial\,\text{cost}}{\partial w} = \frac{2}{N}\sum_{n=1}^{N} x_n\,(x_n w + b - y_n),
    \qquad
    \frac{\partial\,\text{cost}}{\partial b} = \frac{2}{N}\sum_{n=1}^{N} (x_n w + b - y_n).

:func:`central_difference` approximates any gradient numerically, to check formulas like
these.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from numbers import Real
from typing import NamedTuple

import numpy as np
from numpy.typing import ArrayLike

from ._validation import (
    as_data,
    as_finite_real,
    as_float_vector,
    as_positive_real,
    overflow_error,
)


class _GradientFields(NamedTuple):
    dw: float
    db: float


class Gradient(_GradientFields):
    """Partial derivatives of the cost with respect to ``w`` and ``b``.

    Parameters
    ----------
    dw, db : float
        Finite real numbers.

    Raises
    ------
    TypeError
        If ``dw`` or ``db`` is not a real number.
    ValueError
        If ``dw`` or ``db`` is not finite.

    Examples
    --------
    >>> Gradient(dw=1.0, db=-2.0).db
    -2.0
    """

    __slots__ = ()

    def __new__(cls, dw: float, db: float) -> Gradient:
        return super().__new__(cls, as_finite_real("dw", dw), as_finite_real("db", db))


def mse_gradient(x: ArrayLike, y: ArrayLike, w: float, b: float = 0.0) -> Gradient:
    r"""The gradient of the MSE of ``y_hat = x*w + b`` at ``(w, b)``.

    .. math::

        \frac{\partial\,\text{cost}}{\partial w} = \frac{2}{N}\sum_n x_n (x_n w + b - y_n),
        \qquad
        \frac{\partial\,\text{cost}}{\partial b} = \frac{2}{N}\sum_n (x_n w + b - y_n)

    On fewer than 8 samples (the course's data set has 3) numpy adds the terms in the order
    of the data, as the course's loop does, so the result equals the course's program to
    the last bit. From 8 samples on, ``numpy.sum`` switches to pairwise summation, which is
    more accurate but may differ from a loop in the last bits (see
    :func:`cost_and_gradient`).

    Parameters
    ----------
    x, y : array_like
        The data set (or one batch of it).
    w, b : float
        The point at which to differentiate.

    Returns
    -------
    Gradient
        ``(dw, db)``.

    Raises
    ------
    TypeError
        If the data or ``w``, ``b`` are not real numbers.
    ValueError
        If the data are empty, of different lengths or not finite, ``w`` or ``b`` is not
        finite, or the gradient overflows a float (data near 1e154 and beyond).

    Examples
    --------
    >>> mse_gradient([1.0, 2.0, 3.0], [2.0, 4.0, 6.0], w=1.0)
    Gradient(dw=-9.333333333333334, db=-4.0)
    """
    return cost_and_gradient(x, y, w, b)[1]


#: Samples per chunk in :func:`cost_and_gradient`: 32768 float64 values are 256 KiB, so a
#: chunk of ``x`` and ``y`` and the two work buffers (1 MiB together) stay in the
#: processor's cache (L2 on many current processors, else L3).
CHUNK = 1 << 15


def cost_and_gradient(x: ArrayLike, y: ArrayLike, w: float, b: float) -> tuple[float, Gradient]:
    r"""The cost and its gradient in one pass over the data.

    With the residual :math:`r_n = x_n w + b - y_n` it computes

    .. math:: \frac1N\sum r_n^2, \qquad \frac2N\sum x_n r_n, \qquad \frac2N\sum r_n .

    This checks its inputs and its result, then runs ``_cost_and_gradient``, the
    inner loop of every descent in the package (which takes checked data and does not
    check them again).

    Parameters
    ----------
    x, y : array_like
        Inputs and targets, 1-D, of equal, non-zero length, finite.
    w, b : float
        Finite.

    Returns
    -------
    tuple of (float, Gradient)
        The mean squared error and ``(dw, db)``.

    Raises
    ------
    TypeError
        If the data or ``w``, ``b`` are not real numbers.
    ValueError
        If the data are empty, of different lengths or not finite, ``w`` or ``b`` is not
        finite, or the cost or the gradient overflows a float.

    Examples
    --------
    >>> cost_and_gradient([1.0, 2.0, 3.0], [2.0, 4.0, 6.0], 1.0, 0.0)
    (4.666666666666667, Gradient(dw=-9.333333333333334, db=-4.0))
    """
    x_array, y_array = as_data(x, y)
    w, b = as_finite_real("w", w), as_finite_real("b", b)
    with np.errstate(over="ignore", invalid="ignore"):
        cost, gradient = _cost_and_gradient(x_array, y_array, w, b)
    if not (math.isfinite(cost) and math.isfinite(gradient.dw) and math.isfinite(gradient.db)):
        raise overflow_error("x, y, w and b", "the squared residual or its gradient")
    return cost, gradient


def _cost_and_gradient(x: np.ndarray, y: np.ndarray, w: float, b: float) -> tuple[float, Gradient]:
    r"""The cost and its gradient in one pass over checked data (no input checks).

    This is the inner loop of every descent in the package. With the residual
    :math:`r_n = x_n w + b - y_n` it computes

    .. math:: \frac1N\sum r_n^2, \qquad \frac2N\sum x_n r_n, \qquad \frac2N\sum r_n .

    It walks the data in chunks of :data:`CHUNK` samples, writing into two reused buffers.
    Written on whole arrays, each step (``x*w``, ``+ b``, ``- y``, the products) would send
    a temporary the size of the data (ten million values in the benchmark) out to main
    memory and back; chunk by chunk they stay in cache and the data are read from memory
    once per epoch. ``benchmarks/descent_epoch.py`` measures the difference.

    The sums are ``numpy.sum`` over each chunk. On fewer than 8 samples numpy adds in the
    order of the data, one after another, exactly as the course's loops do, so on the
    course's 3 samples the results equal theirs to the last bit (doubling is exact in
    floating point, barring overflow, so ``2 * sum(x*r)`` equals ``sum(2*x*r)``). From 8
    samples on numpy sums pairwise: it keeps 8 partial sums over blocks of up to 128
    values and splits longer arrays in halves. Its worst-case rounding error grows like
    :math:`\log_2 N` rather than a loop's :math:`N`, but it rounds differently, so on
    longer data the results may differ from a loop's in the last bits. Data longer than a
    chunk are also summed chunk by chunk, which changes the order again.

    Parameters
    ----------
    x, y : numpy.ndarray
        Inputs and targets, 1-D float64 of equal, non-zero length.
    w, b : float

    Returns
    -------
    tuple of (float, Gradient)
        The mean squared error and ``(dw, db)`` (inf or NaN if they overflow: the
        callers check).
    """
    n = x.size
    residual_buffer, product_buffer = np.empty(min(n, CHUNK)), np.empty(min(n, CHUNK))
    squares = products = residuals = 0.0
    for start in range(0, n, CHUNK):
        x_chunk, y_chunk = x[start : start + CHUNK], y[start : start + CHUNK]
        size = x_chunk.size
        residual = np.multiply(x_chunk, w, out=residual_buffer[:size])
        residual += b
        residual -= y_chunk
        squares += float(np.multiply(residual, residual, out=product_buffer[:size]).sum())
        products += float(np.multiply(x_chunk, residual, out=product_buffer[:size]).sum())
        residuals += float(residual.sum())
    return squares / n, Gradient._make((2 * products / n, 2 * residuals / n))  # unchecked


def central_difference(
    f: Callable[[np.ndarray], float], point: ArrayLike, *, h: float = 1e-6
) -> np.ndarray:
    r"""Numerical gradient of a scalar function by central differences.

    .. math:: \frac{\partial f}{\partial p_i} \approx \frac{f(p + h e_i) - f(p - h e_i)}{2h}

    The error is of order :math:`h^2` (plus rounding of order :math:`\varepsilon/h`), so
    ``h = 1e-6`` gives about ten correct digits for smooth functions of moderate size.

    Parameters
    ----------
    f : callable
        Maps a 1-D float array to a float.
    point : array_like
        Where to differentiate, 1-D.
    h : float
        Step, greater than 0.

    Returns
    -------
    numpy.ndarray
        The approximate gradient, same shape as ``point``.

    Raises
    ------
    TypeError
        If ``f`` is not callable or does not return a real number, or ``point`` or ``h``
        are not real numbers.
    ValueError
        If ``point`` is empty, not 1-D or not finite, ``h`` is not greater than 0,
        ``point +- h`` overflows, or ``f`` or the difference quotient is not finite there.

    Examples
    --------
    >>> central_difference(lambda p: float(p[0] ** 2 + 3 * p[1]), [1.0, 0.0]).round(6).tolist()
    [2.0, 3.0]
    """
    if not callable(f):
        raise TypeError(f"f must be callable, got {type(f).__name__}")
    p = as_float_vector("point", point)
    h = as_positive_real("h", h)
    with np.errstate(over="ignore"):
        if not (np.all(np.isfinite(p + h)) and np.all(np.isfinite(p - h))):
            raise ValueError(f"point +- h must be finite, got an overflow with h = {h}")
    grad = np.empty_like(p)
    for i in range(p.size):
        step = np.zeros_like(p)
        step[i] = h
        ahead, behind = _value_of(f, p + step), _value_of(f, p - step)
        grad[i] = (ahead - behind) / (2 * h)
        if not math.isfinite(grad[i]):
            raise ValueError(
                f"f must be finite near point, and its difference quotient too: got "
                f"f = {ahead} and {behind} at point[{i}] +- h, quotient {grad[i]}"
            )
    return grad


def _value_of(f: Callable[[np.ndarray], float], where: np.ndarray) -> float:
    """``f(where)`` as a float, or an error saying what ``f`` returned."""
    value = f(where)
    if isinstance(value, np.ndarray) and value.size == 1:
        value = value.reshape(())[()]
    if isinstance(value, bool) or not isinstance(value, (Real, np.floating, np.integer)):
        raise TypeError(f"f must return a real number, got {type(value).__name__}")
    return float(value)
