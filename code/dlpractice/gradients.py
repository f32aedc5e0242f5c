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

from collections.abc import Callable
from typing import NamedTuple

import numpy as np
from numpy.typing import ArrayLike

from ._validation import as_data, as_finite_real, as_float_vector, as_positive_real


class Gradient(NamedTuple):
    """Partial derivatives of the cost with respect to ``w`` and ``b``."""

    dw: float
    db: float


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
    :func:`loss_and_gradient`).

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

    Examples
    --------
    >>> mse_gradient([1.0, 2.0, 3.0], [2.0, 4.0, 6.0], w=1.0)
    Gradient(dw=-9.333333333333334, db=-4.0)
    """
    x_array, y_array = as_data(x, y)
    _, gradient = loss_and_gradient(
        x_array, y_array, as_finite_real("w", w), as_finite_real("b", b)
    )
    return gradient


#: Samples per chunk in :func:`loss_and_gradient`: 32768 float64 values are 256 KiB, so a
#: chunk of ``x`` and ``y`` and the two work buffers (1 MiB together) stay in the
#: processor's cache (L2 on many current processors, else L3).
CHUNK = 1 << 15


def loss_and_gradient(x: np.ndarray, y: np.ndarray, w: float, b: float) -> tuple[float, Gradient]:
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
        The mean squared error and ``(dw, db)``.
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
    return squares / n, Gradient(dw=2 * products / n, db=2 * residuals / n)


def central_difference(
    f: Callable[[np.ndarray], float], point: ArrayLike, h: float = 1e-6
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

    Examples
    --------
    >>> central_difference(lambda p: float(p[0] ** 2 + 3 * p[1]), [1.0, 0.0]).round(6).tolist()
    [2.0, 3.0]
    """
    if not callable(f):
        raise TypeError(f"f must be callable, got {type(f).__name__}")
    p = as_float_vector("point", point)
    h = as_positive_real("h", h)
    grad = np.empty_like(p)
    for i in range(p.size):
        step = np.zeros_like(p)
        step[i] = h
        grad[i] = (float(f(p + step)) - float(f(p - step))) / (2 * h)
    return grad
