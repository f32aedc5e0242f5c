r"""A one-dimensional cost that is not convex: a saddle, a local and a global minimum.

Chapter 2's costs are bowls, where every downhill path ends at the one minimum. This module
holds the smallest counterexample the chapter needs, a polynomial of degree six built from
its derivative:

.. math::

    f'(x) = x^2\,(x-1)(x-2)(x-3), \qquad
    f(x) = \frac{x^6}{6} - \frac{6x^5}{5} + \frac{11x^4}{4} - 2x^3, \qquad
    f''(x) = 5x^4 - 24x^3 + 33x^2 - 12x .

The slope is zero at 0, 1, 2 and 3. It changes sign from minus to plus at 1 and 3 (minima,
:math:`f(1) = -17/60`, :math:`f(3) = -27/20`, the global one), from plus to minus at 2 (a
maximum), and not at all at 0, where the factor :math:`x^2` touches zero: there
:math:`f'' = 0` and :math:`f'` is negative on both sides, so the cost flattens out and goes
on falling, a stationary inflection point, the only kind of saddle one dimension has.

:func:`descend` runs gradient descent on it (or on any function of one variable) from a
chosen start, and :func:`stationary_kind` says what a stationary point is from the signs of
the slope on either side.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from numpy.typing import ArrayLike

from ._validation import (
    as_bounded_count,
    as_finite_real,
    as_float_vector,
    check_scalar,
)
from .divergence import DivergenceError

#: Where the slope of :func:`cost` is zero, by kind.
STATIONARY_POINTS: dict[str, float] = {
    "saddle": 0.0,
    "local minimum": 1.0,
    "maximum": 2.0,
    "global minimum": 3.0,
}


def _evaluate(x: ArrayLike, formula: Callable[[np.ndarray], np.ndarray]) -> float | np.ndarray:
    """Apply ``formula`` to a checked scalar or 1-D ``x``; refuse to return inf or NaN."""
    scalar = np.ndim(x) == 0
    values = (
        np.array([as_finite_real("x", x)]) if scalar else as_float_vector("x", x, allow_empty=True)
    )
    with np.errstate(over="ignore", invalid="ignore"):
        result = formula(values) + 0.0  # + 0.0 turns -0.0 into 0.0
    if not np.all(np.isfinite(result)):
        bad = float(values[np.flatnonzero(~np.isfinite(result))[0]])
        raise ValueError(f"x must be small enough for float64, got {bad}: the value overflows")
    return float(result[0]) if scalar else result


def cost(x: ArrayLike) -> float | np.ndarray:
    r"""The cost :math:`f(x) = \frac{x^6}{6} - \frac{6x^5}{5} + \frac{11x^4}{4} - 2x^3`.

    Evaluated in Horner's form, :math:`x^3\bigl(x\,(x\,(x/6 - 6/5) + 11/4) - 2\bigr)`.

    Parameters
    ----------
    x : float or array_like
        Where to evaluate: a number, or a 1-D sequence of numbers.

    Returns
    -------
    float or numpy.ndarray
        A float for a number, an array of the same length for a sequence.

    Raises
    ------
    TypeError
        If ``x`` is not a real number or a sequence of them.
    ValueError
        If ``x`` is not finite or so large that the value overflows.

    Examples
    --------
    >>> [round(cost(x), 4) for x in (0.0, 1.0, 2.0, 3.0)]
    [0.0, -0.2833, 0.2667, -1.35]
    """
    return _evaluate(x, lambda v: v**3 * (v * (v * (v / 6 - 6 / 5) + 11 / 4) - 2))


def gradient(x: ArrayLike) -> float | np.ndarray:
    r"""The slope :math:`f'(x) = x^2 (x-1)(x-2)(x-3)`.

    The factored form makes the four stationary points exact zeros in floating point.

    Parameters
    ----------
    x : float or array_like
        A number, or a 1-D sequence of numbers.

    Returns
    -------
    float or numpy.ndarray

    Raises
    ------
    TypeError, ValueError
        As :func:`cost`.

    Examples
    --------
    >>> [gradient(x) == 0 for x in (0.0, 1.0, 2.0, 3.0)]
    [True, True, True, True]
    >>> gradient(-1.0)
    -24.0
    """
    return _evaluate(x, _slope)


def _slope(x):
    """:func:`gradient` without the checks: for floats in :func:`descend`'s loop, and arrays."""
    return x * x * (x - 1) * (x - 2) * (x - 3)


def curvature(x: ArrayLike) -> float | np.ndarray:
    r"""The second derivative :math:`f''(x) = 5x^4 - 24x^3 + 33x^2 - 12x`.

    Parameters
    ----------
    x : float or array_like
        A number, or a 1-D sequence of numbers.

    Returns
    -------
    float or numpy.ndarray

    Raises
    ------
    TypeError, ValueError
        As :func:`cost`.

    Examples
    --------
    >>> [curvature(x) for x in (0.0, 1.0, 2.0, 3.0)]
    [0.0, 2.0, -4.0, 18.0]
    """
    return _evaluate(x, lambda v: v * (v * (v * (5 * v - 24) + 33) - 12))


def stationary_kind(
    slope: Callable[[float], float], point: float, *, h: float = 1e-3, tol: float = 1e-12
) -> str:
    r"""What a stationary point of a function of one variable is, from the slope around it.

    At a point where :math:`f'(p) = 0`, compare the signs of :math:`f'(p - h)` and
    :math:`f'(p + h)`:

    - minus then plus: a ``"minimum"`` (the cost falls into ``p`` and rises after it);
    - plus then minus: a ``"maximum"``;
    - the same sign on both sides: a ``"saddle"``, that is a stationary inflection point,
      where the cost flattens out and then goes on the way it went (:math:`x^3` at 0);
    - zero on a side: ``"flat"`` (the function is constant there, at this resolution).

    The test looks only at ``p - h`` and ``p + h``: ``h`` must be smaller than the distance
    to the next stationary point. It does not need :math:`f''`, so it also classifies
    degenerate points such as :math:`x^4` at 0 (a minimum with :math:`f'' = 0`).

    Parameters
    ----------
    slope : callable
        The derivative :math:`f'`, mapping a float to a float.
    point : float
        The point to classify.
    h : float
        How far either side to look, greater than 0.
    tol : float
        The largest :math:`|f'(p)|` accepted as zero, greater than 0.

    Returns
    -------
    str
        ``"minimum"``, ``"maximum"``, ``"saddle"`` or ``"flat"``.

    Raises
    ------
    TypeError
        If ``slope`` is not callable.
    ValueError
        If ``point`` is not stationary: :math:`|f'(p)| > ` ``tol``.

    Examples
    --------
    >>> [stationary_kind(gradient, p) for p in STATIONARY_POINTS.values()]
    ['saddle', 'minimum', 'maximum', 'minimum']
    >>> stationary_kind(lambda x: 4 * x**3, 0.0)  # x**4: flat at 0, but a minimum
    'minimum'
    """
    if not callable(slope):
        raise TypeError(f"slope must be callable, got {type(slope).__name__}")
    p = as_finite_real("point", point)
    h = check_scalar("h", h, low=0, closed="neither")
    tol = check_scalar("tol", tol, low=0, closed="neither")
    if not (np.isfinite(p - h) and np.isfinite(p + h)):
        raise ValueError(f"point and h must keep point +- h finite, got {p:g} and {h:g}")
    at_point = _slope_value(slope, p)
    if not abs(at_point) <= tol:
        raise ValueError(
            f"point must be stationary (|slope| <= {tol:g}), got slope {at_point:.6g} at {p:g}"
        )
    left, right = np.sign(_slope_value(slope, p - h)), np.sign(_slope_value(slope, p + h))
    if left == 0 or right == 0:
        return "flat"
    if left == right:
        return "saddle"
    return "minimum" if left < 0 else "maximum"


def _slope_value(slope: Callable[[float], float], x: float) -> float:
    """``slope(x)`` as a finite float, or raise naming ``slope``."""
    try:
        value = slope(x)
    except OverflowError:
        raise ValueError(
            f"point must be where the slope is finite: slope({x:g}) overflowed (OverflowError)"
        ) from None
    if isinstance(value, np.ndarray) and value.size == 1:
        value = value.reshape(())[()]
    number = check_scalar(f"slope({x:g})", value)
    return number


def descend(
    *,
    x0: float,
    learning_rate: float,
    steps: int,
    slope: Callable[[float], float] = gradient,
) -> np.ndarray:
    r"""Gradient descent on a function of one variable: :math:`x_{k+1} = x_k - \alpha f'(x_k)`.

    Parameters
    ----------
    x0 : float
        The start.
    learning_rate : float
        The step factor :math:`\alpha`, greater than 0.
    steps : int
        Number of updates, at least 1.
    slope : callable
        The derivative :math:`f'`, mapping a float to a float; by default :func:`gradient`.

    Returns
    -------
    numpy.ndarray
        The iterates :math:`x_0, x_1, \dots, x_{\text{steps}}`.

    Raises
    ------
    TypeError
        If ``slope`` is not callable, or an argument has the wrong type.
    ValueError
        If ``x0`` is not finite, ``learning_rate`` is not greater than 0, or ``steps`` is
        less than 1.
    DivergenceError
        If an iterate or its slope stops being a finite number.

    Examples
    --------
    >>> path = descend(x0=1.9, learning_rate=0.05, steps=200)
    >>> round(float(path[-1]), 6)  # left of the maximum at 2: the local minimum
    1.0
    >>> round(float(descend(x0=2.1, learning_rate=0.05, steps=200)[-1]), 6)
    3.0
    """
    if not callable(slope):
        raise TypeError(f"slope must be callable, got {type(slope).__name__}")
    x = as_finite_real("x0", x0)
    learning_rate = check_scalar("learning_rate", learning_rate, low=0, closed="neither")
    steps = as_bounded_count("steps", steps, what="steps")
    if slope is gradient:
        slope = _slope  # the same formula; the inputs are checked here, once
    path = np.empty(steps + 1)
    path[0] = x
    for k in range(steps):
        try:
            g = slope(x)
        except (ValueError, OverflowError) as err:
            raise DivergenceError(
                f"gradient descent diverged at update {k + 1}: the slope at x = {x:.4g} "
                f"is not a finite number (learning_rate={learning_rate}, x0={x0:g}); "
                f"use a smaller learning rate or another x0"
            ) from err
        if isinstance(g, np.ndarray) and g.size == 1:
            g = g.reshape(())[()]
        if isinstance(g, (bool, np.bool_)) or not isinstance(
            g, (int, float, np.integer, np.floating)
        ):
            raise TypeError(f"slope must return a real number, got {type(g).__name__}")
        g = float(g)
        x = x - learning_rate * g
        if not np.isfinite(g) or not np.isfinite(x):
            raise DivergenceError(
                f"gradient descent diverged at update {k + 1}: x left the floating-point "
                f"range (learning_rate={learning_rate}, x0={x0:g}); use a smaller learning "
                f"rate or another x0"
            )
        path[k + 1] = x
    return path
