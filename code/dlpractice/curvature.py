r"""The curvature of the linear model's cost: its Hessian, and the learning rate it allows.

The MSE of :math:`\hat y = x w + b` is a quadratic in :math:`(w, b)`, so its second
derivatives do not depend on where they are taken, nor on the targets:

.. math:: H = \frac{2}{N}\begin{pmatrix}\sum x_n^2 & \sum x_n\\ \sum x_n & N\end{pmatrix} .

The gradient (first derivatives) is in :mod:`dlpractice.gradients`; the descents that
these numbers predict are in :mod:`dlpractice.descent`.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from ._validation import as_flag, as_float_vector, overflow_error


def critical_learning_rate(x: ArrayLike, *, with_bias: bool = True) -> float:
    r"""The learning rate above which batch gradient descent diverges on inputs ``x``.

    The MSE is a quadratic with Hessian
    :math:`H = 2\begin{pmatrix}\overline{x^2} & \bar x\\ \bar x & 1\end{pmatrix}`
    (just :math:`2\,\overline{x^2}` without bias). Along each eigenvector of :math:`H`
    the error is multiplied by :math:`1 - \alpha\lambda` per step, so descent converges
    exactly when :math:`\alpha < 2/\lambda_{\max}`.

    Examples
    --------
    >>> round(critical_learning_rate([1.0, 2.0, 3.0], with_bias=False), 6)  # 3/14
    0.214286

    Raises
    ------
    ValueError
        If ``x`` is not a data set, or every input is 0 without bias (the cost is then
        flat in ``w`` and every learning rate converges).
    TypeError
        If ``with_bias`` is not a bool.
    """
    x_array = as_float_vector("x", x)
    return _critical_rate(x_array, as_flag("with_bias", with_bias))


def _critical_rate(x_array: np.ndarray, with_bias: bool) -> float:
    """:func:`critical_learning_rate` on checked values."""
    largest = float(np.linalg.eigvalsh(_hessian(x_array, with_bias)).max())
    if largest == 0:
        raise ValueError(
            "x must hold a non-zero value: the cost is flat in w, so every learning rate "
            "converges and there is no critical one"
        )
    return 2.0 / largest


def hessian(x: ArrayLike, *, with_bias: bool = True) -> np.ndarray:
    r"""The Hessian of the MSE of the linear model; it depends on the inputs only.

    .. math:: H = \frac{2}{N}\begin{pmatrix}\sum x_n^2 & \sum x_n\\ \sum x_n & N\end{pmatrix}

    Returns a 2x2 array, or 1x1 for the model without bias.

    Examples
    --------
    >>> hessian([1.0, 2.0, 3.0]).round(4).tolist()
    [[9.3333, 4.0], [4.0, 2.0]]

    Raises
    ------
    ValueError
        If ``x`` is not a data set or so large that ``mean(x**2)`` overflows float64.
    TypeError
        If ``with_bias`` is not a bool.
    """
    x_array = as_float_vector("x", x)
    return _hessian(x_array, as_flag("with_bias", with_bias))


def _hessian(x_array: np.ndarray, with_bias: bool) -> np.ndarray:
    """:func:`hessian` on checked values."""
    with np.errstate(over="ignore", invalid="ignore"):
        mean_x, mean_xx = float(np.mean(x_array)), float(np.mean(x_array * x_array))
    if not (np.isfinite(mean_x) and np.isfinite(2.0 * mean_xx)):
        raise overflow_error("x", "the mean of x**2")
    if not with_bias:
        return np.array([[2.0 * mean_xx]])
    return 2.0 * np.array([[mean_xx, mean_x], [mean_x, 1.0]])
