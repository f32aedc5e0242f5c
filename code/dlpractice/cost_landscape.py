r"""The cost of the linear model over many parameters at once, and its exact minimum.

Chapter 1 searches for the best weight by trying every value on a grid. Evaluating the cost
afresh for each grid point costs ``O(N)`` per point. But the MSE of a linear model depends on
the data only through five numbers, its *sufficient statistics*: the means
:math:`\bar x, \bar y`, the variance :math:`s_{xx}` of ``x``, the covariance :math:`s_{xy}`
and the variance :math:`s_{yy}` of ``y`` (all with :math:`1/N`). Expanding the square,

.. math::

    \text{cost}(w, b) = s_{xx}\,(w - w^\star)^2 + r_{\min} + (w\bar x + b - \bar y)^2,
    \qquad w^\star = s_{xy}/s_{xx},\quad r_{\min} = s_{yy} - s_{xy}^2/s_{xx},

a sum of three terms that are never negative. A grid of any size then costs ``O(1)`` per
point after one ``O(N)`` pass over the data, and the minimum can be read off: ``w = w*``,
``b = y_bar - w* x_bar``, cost ``r_min``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np
from numpy.typing import ArrayLike

from ._validation import (
    as_data,
    as_float_array,
    as_float_vector,
    as_size,
    check_scalar,
    overflow_error,
)


@dataclass(frozen=True)
class SufficientStatistics:
    r"""Everything the MSE of ``y_hat = x*w + b`` needs to know about a data set.

    Attributes
    ----------
    n : int
        Number of samples.
    mean_x, mean_y : float
        :math:`\bar x` and :math:`\bar y`.
    var_x, cov_xy : float
        :math:`s_{xx} = \frac1N\sum (x_n-\bar x)^2` and
        :math:`s_{xy} = \frac1N\sum (x_n-\bar x)(y_n-\bar y)`.
    slope : float
        :math:`w^\star = s_{xy}/s_{xx}`, the least-squares slope (0 when all ``x`` are equal).
    residual : float
        :math:`r_{\min}`, the mean squared residual of the least-squares line; computed from
        the residuals themselves, so it is never negative.
    """

    n: int
    mean_x: float
    mean_y: float
    var_x: float
    cov_xy: float
    slope: float
    residual: float

    @classmethod
    def from_data(cls, x: ArrayLike, y: ArrayLike) -> SufficientStatistics:
        """One two-pass sweep over the data (centred first, for accuracy).

        Raises
        ------
        ValueError
            For a bad data set, or data so large that their variance overflows float64.
        """
        x_array, y_array = as_data(x, y)
        return cls._of(x_array, y_array)

    @classmethod
    def _of(cls, x_array: np.ndarray, y_array: np.ndarray) -> SufficientStatistics:
        """:meth:`from_data` on checked arrays (the private core)."""
        with np.errstate(over="ignore", invalid="ignore"):
            mean_x, mean_y = float(x_array.mean()), float(y_array.mean())
            dx, dy = x_array - mean_x, y_array - mean_y
            var_x, cov_xy = float(dx @ dx) / dx.size, float(dx @ dy) / dx.size
            slope = cov_xy / var_x if var_x > 0 else 0.0
            rest = dy - slope * dx
            residual = float(rest @ rest) / rest.size
        if not all(map(math.isfinite, (mean_x, mean_y, var_x, cov_xy, slope, residual))):
            raise overflow_error("x and y", "the variance or covariance of the data")
        return cls(
            n=int(x_array.size),
            mean_x=mean_x,
            mean_y=mean_y,
            var_x=var_x,
            cov_xy=cov_xy,
            slope=slope,
            residual=residual,
        )

    def cost(self, w: ArrayLike, b: ArrayLike = 0.0) -> np.ndarray:
        """The MSE at ``(w, b)``; ``w`` and ``b`` broadcast like numpy arrays.

        Raises
        ------
        TypeError, ValueError
            If ``w`` or ``b`` are not finite real numbers, do not broadcast, or give a
            cost that overflows float64.
        """
        w_array, b_array = as_float_array("w", w), as_float_array("b", b)
        try:
            shape = np.broadcast_shapes(w_array.shape, b_array.shape)
        except ValueError as err:
            raise ValueError(
                f"w and b must broadcast together, got shapes {w_array.shape} and {b_array.shape}"
            ) from err
        as_size("w and b", math.prod(shape), what="points")
        cost = self._cost(w_array, b_array)
        if not np.all(np.isfinite(cost)):
            raise overflow_error("w and b", "the cost")
        return cost

    def _cost(self, w_array: np.ndarray | float, b_array: np.ndarray | float) -> np.ndarray:
        """:meth:`cost` on checked values; may return inf where the cost overflows."""
        w_array, b_array = np.asarray(w_array, np.float64), np.asarray(b_array, np.float64)
        with np.errstate(over="ignore", invalid="ignore"):
            intercept_error = w_array * self.mean_x + b_array - self.mean_y
            return (
                self.var_x * (w_array - self.slope) ** 2
                + self.residual
                + intercept_error * intercept_error
            )


class Surface(NamedTuple):
    """A cost surface on a grid, in :func:`numpy.meshgrid`'s default ``"xy"`` layout.

    ``cost[i, j]`` is the cost at ``w = w[i, j] = w_values[j]`` and
    ``b = b[i, j] = b_values[i]``: rows follow ``b``, columns follow ``w``, which is what
    ``plot_surface(w, b, cost)`` and ``contour(w, b, cost)`` expect.
    """

    w: np.ndarray
    b: np.ndarray
    cost: np.ndarray


class Minimum(NamedTuple):
    """A point ``(w, b)`` of the parameter plane and the cost there."""

    w: float
    b: float
    cost: float


def parameter_grid(start: float, stop: float, step: float) -> np.ndarray:
    """Evenly spaced values from ``start`` to ``stop``, both included.

    ``np.arange(0.0, 4.1, 0.1)``, the seed's grid, computes ``k * 0.1``; but ``0.1`` has no
    exact binary form, so ``3 * 0.1`` is ``0.30000000000000004``, and whether ``stop`` is
    included depends on rounding (hence the seed's ``4.1``). Here the value is
    ``start + k * (stop - start) / count`` with the division done last, which for a grid
    like this one gives the double nearest to the decimal value, and ``stop`` exactly.

    Parameters
    ----------
    start, stop : float
        First and last value, ``start < stop``.
    step : float
        Spacing, greater than 0; ``(stop - start) / step`` must be a whole number.

    Returns
    -------
    numpy.ndarray

    Raises
    ------
    ValueError
        If ``start >= stop``, ``step <= 0``, or ``step`` does not divide the interval.

    Examples
    --------
    >>> float(parameter_grid(0.0, 4.0, 0.1)[3])
    0.3
    >>> parameter_grid(0.0, 4.0, 0.1).size
    41
    """
    start = check_scalar("start", start)
    stop = check_scalar("stop", stop)
    step = check_scalar("step", step, low=0, closed="neither")
    if not start < stop:
        raise ValueError(f"start must be less than stop, got start={start}, stop={stop}")
    intervals = (stop - start) / step
    if not math.isfinite(intervals):
        raise ValueError(
            f"step must divide stop - start into a whole number of steps, got "
            f"(stop - start) / step = {intervals:g}"
        )
    as_size("(stop - start) / step", int(intervals), what="grid points")
    count = round(intervals)
    if count < 1 or not math.isclose(intervals, count, rel_tol=1e-9, abs_tol=1e-9):
        raise ValueError(
            f"step must divide stop - start into a whole number of steps, got "
            f"(stop - start) / step = {intervals:g}"
        )
    grid = start + np.arange(count + 1) * (stop - start) / count
    grid[-1] = stop
    return grid


def cost_curve(x: ArrayLike, y: ArrayLike, w_values: ArrayLike, b: float = 0.0) -> np.ndarray:
    """The cost of ``y_hat = x*w + b`` at every ``w`` in ``w_values`` (``b`` fixed).

    Parameters
    ----------
    x, y : array_like
        The data set.
    w_values : array_like
        Weights to try, 1-D.
    b : float
        The fixed bias; 0 for the course's model ``y_hat = x*w``.

    Returns
    -------
    numpy.ndarray
        ``cost[j] = mse(x, y, w_values[j], b)``.

    Examples
    --------
    >>> cost_curve([1, 2, 3], [2, 4, 6], [1.0, 2.0, 3.0]).round(6).tolist()
    [4.666667, 0.0, 4.666667]
    """
    stats = SufficientStatistics.from_data(x, y)
    w_array = as_float_vector("w_values", w_values)
    cost = stats._cost(w_array, check_scalar("b", b))
    if not np.all(np.isfinite(cost)):
        raise overflow_error("w_values and b", "the cost")
    return cost


def cost_surface(x: ArrayLike, y: ArrayLike, w_values: ArrayLike, b_values: ArrayLike) -> Surface:
    """The cost of ``y_hat = x*w + b`` on the grid ``w_values`` x ``b_values``.

    Parameters
    ----------
    x, y : array_like
        The data set.
    w_values, b_values : array_like
        The grid's axes, 1-D.

    Returns
    -------
    Surface
        Arrays of shape ``(len(b_values), len(w_values))``; see :class:`Surface`.

    Examples
    --------
    >>> surface = cost_surface([1, 2, 3], [2, 4, 6], [1.0, 2.0, 3.0], [-1.0, 0.0])
    >>> surface.cost.shape
    (2, 3)
    >>> float(surface.cost[1, 1])
    0.0
    """
    stats = SufficientStatistics.from_data(x, y)
    w_axis = as_float_vector("w_values", w_values)
    b_axis = as_float_vector("b_values", b_values)
    as_size("w_values and b_values", w_axis.size * b_axis.size, what="grid points")
    w_grid, b_grid = np.meshgrid(w_axis, b_axis)
    cost = stats._cost(w_grid, b_grid)
    if not np.all(np.isfinite(cost)):
        raise overflow_error("w_values and b_values", "the cost")
    return Surface(w=w_grid, b=b_grid, cost=cost)


def grid_minimum(surface: Surface) -> Minimum:
    """The grid point of least cost on a :class:`Surface` (the first one, if tied)."""
    if not isinstance(surface, Surface):
        raise TypeError(f"surface must be a Surface, got {type(surface).__name__}")
    cost = as_float_array("surface.cost", surface.cost)
    if cost.size == 0 or cost.ndim != 2:
        raise ValueError(f"surface.cost must be a non-empty 2-D grid, got shape {cost.shape}")
    for part in ("w", "b"):
        if np.shape(getattr(surface, part)) != cost.shape:
            got = np.shape(getattr(surface, part))
            raise ValueError(
                f"surface.{part} must have the shape of surface.cost {cost.shape}, got {got}"
            )
    i, j = np.unravel_index(int(np.argmin(surface.cost)), surface.cost.shape)
    return Minimum(
        w=float(surface.w[i, j]), b=float(surface.b[i, j]), cost=float(surface.cost[i, j])
    )


def least_squares(x: ArrayLike, y: ArrayLike) -> Minimum:
    r"""The exact minimum of the cost of ``y_hat = x*w + b``: ordinary least squares.

    .. math:: w^\star = \frac{s_{xy}}{s_{xx}}, \qquad b^\star = \bar y - w^\star \bar x .

    Parameters
    ----------
    x, y : array_like
        The data set; ``x`` must hold at least two distinct values.

    Returns
    -------
    Minimum
        ``(w, b, cost)`` at the exact minimum.

    Raises
    ------
    ValueError
        If all inputs are equal, so that every slope fits equally well.

    Examples
    --------
    >>> least_squares([1, 2, 3], [2, 4, 6])
    Minimum(w=2.0, b=0.0, cost=0.0)
    """
    stats = SufficientStatistics.from_data(x, y)
    if stats.var_x == 0:
        raise ValueError("x must hold at least two distinct values to fix a slope")
    return Minimum(w=stats.slope, b=stats.mean_y - stats.slope * stats.mean_x, cost=stats.residual)


def least_squares_through_origin(x: ArrayLike, y: ArrayLike) -> float:
    r"""The exact best weight of the model without bias, ``y_hat = x*w``.

    .. math:: w^\star = \frac{\sum_n x_n y_n}{\sum_n x_n^2}

    Raises
    ------
    ValueError
        If every input is 0.

    Examples
    --------
    >>> least_squares_through_origin([1, 2, 3], [2, 4, 6])
    2.0
    """
    x_array, y_array = as_data(x, y)
    with np.errstate(over="ignore", invalid="ignore"):
        sum_xx, sum_xy = float(x_array @ x_array), float(x_array @ y_array)
        weight = sum_xy / sum_xx if sum_xx != 0 else 0.0
    if sum_xx == 0:
        raise ValueError("x must hold a non-zero value to fix a weight")
    if not (math.isfinite(sum_xx) and math.isfinite(sum_xy) and math.isfinite(weight)):
        raise overflow_error("x and y", "the sum of x*x or x*y")
    return weight
