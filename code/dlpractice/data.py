"""The book's data sets: the course's three points, seeded noisy lines, a noisy sine.

Every data set is a :class:`Dataset`, a named pair of float64 vectors that unpacks like a
tuple: ``x, y = course_data()``.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from ._validation import (
    as_bounded_count,
    as_count,
    as_finite_real,
    check_scalar,
    overflow_error,
)


class Dataset(NamedTuple):
    """Inputs ``x`` and targets ``y`` of equal length, as 1-D float64 arrays."""

    x: np.ndarray
    y: np.ndarray


def course_data() -> Dataset:
    """The course's data set: three hours of study and the points they earn.

    ``x = [1, 2, 3]`` and ``y = [2, 4, 6]``: exactly ``y = 2x``, so the best model
    ``y_hat = x*w`` has ``w = 2`` and zero cost.

    Returns
    -------
    Dataset
        ``Dataset(x=array([1., 2., 3.]), y=array([2., 4., 6.]))``

    Examples
    --------
    >>> x, y = course_data()
    >>> (y / x).tolist()
    [2.0, 2.0, 2.0]
    """
    return Dataset(x=np.array([1.0, 2.0, 3.0]), y=np.array([2.0, 4.0, 6.0]))


def noisy_line(
    n: int,
    *,
    w: float = 2.0,
    b: float = 0.0,
    noise: float = 1.0,
    x_low: float = 0.0,
    x_high: float = 4.0,
    seed: int = 0,
) -> Dataset:
    """A seeded sample of the line ``y = w*x + b`` plus Gaussian noise.

    ``x`` is uniform on ``[x_low, x_high)`` and ``y = w*x + b + noise*eps`` with
    ``eps ~ N(0, 1)``, both from ``numpy.random.default_rng(seed)``, so the same arguments
    always give the same data.

    Parameters
    ----------
    n : int
        Number of samples, at least 1.
    w, b : float
        Slope and intercept of the true line.
    noise : float
        Standard deviation of the noise, zero or more.
    x_low, x_high : float
        The interval the inputs are drawn from, ``x_low < x_high``.
    seed : int
        Seed of the random generator.

    Returns
    -------
    Dataset

    Raises
    ------
    ValueError
        If ``n < 1`` or ``n`` is above ``MAX_SIZE`` (ten million), ``noise < 0``,
        ``x_low >= x_high``, any number is not finite, or a sample overflows float64.

    Examples
    --------
    >>> x, y = noisy_line(100, w=2.0, b=1.0, noise=0.5, seed=1)
    >>> x.shape, y.shape
    ((100,), (100,))
    """
    n = as_bounded_count("n", n, what="samples")
    w = as_finite_real("w", w)
    b = as_finite_real("b", b)
    noise = _noise(noise)
    x_low, x_high = _interval(x_low, x_high)
    seed = as_count("seed", seed, minimum=0)
    rng = np.random.default_rng(seed)
    with np.errstate(over="ignore", invalid="ignore"):
        x = rng.uniform(x_low, x_high, size=n)
        y = w * x + b + noise * rng.standard_normal(n)
    return _finite_dataset(x, y, "w, b, noise, x_low and x_high")


def _noise(value: object) -> float:
    return check_scalar("noise", value, low=0)


def _interval(low: object, high: object) -> tuple[float, float]:
    x_low = as_finite_real("x_low", low)
    x_high = as_finite_real("x_high", high)
    if not x_low < x_high:
        raise ValueError(f"x_low must be less than x_high, got x_low={x_low}, x_high={x_high}")
    if not np.isfinite(x_high - x_low):
        raise overflow_error("x_low and x_high", "the width x_high - x_low")
    return x_low, x_high


def _finite_dataset(x: np.ndarray, y: np.ndarray, names: str) -> Dataset:
    if not (np.all(np.isfinite(x)) and np.all(np.isfinite(y))):
        raise overflow_error(names, "a sample")
    return Dataset(x=x, y=y)


def noisy_sine(
    n: int,
    *,
    noise: float = 0.3,
    x_low: float = 0.0,
    x_high: float = 1.0,
    seed: int = 0,
) -> Dataset:
    r"""A seeded sample of one period of a sine wave plus Gaussian noise.

    .. math:: y_n = \sin(2\pi x_n) + \sigma\,\varepsilon_n, \qquad
              x_n \sim U[x_\text{low}, x_\text{high}), \quad \varepsilon_n \sim N(0, 1),

    both drawn from ``numpy.random.default_rng(seed)``. No polynomial is the true curve,
    so a polynomial of low degree misses its shape and one of high degree chases the
    noise: the data set on which chapter 1 shows overfitting (after Bishop's *Pattern
    Recognition and Machine Learning*, section 1.1, with the same curve and noise).

    Parameters
    ----------
    n : int
        Number of samples, at least 1.
    noise : float
        Standard deviation :math:`\sigma` of the noise, zero or more.
    x_low, x_high : float
        The interval the inputs are drawn from, ``x_low < x_high``.
    seed : int
        Seed of the random generator, 0 or more.

    Returns
    -------
    Dataset

    Raises
    ------
    ValueError
        If ``n < 1`` or ``n`` is above ``MAX_SIZE`` (ten million), ``noise < 0``,
        ``x_low >= x_high``, any number is not finite, or a sample overflows float64.
    TypeError
        If ``n`` or ``seed`` is not an integer, or a number is not real.

    Examples
    --------
    >>> x, y = noisy_sine(5, noise=0.0, seed=0)
    >>> bool(np.allclose(y, np.sin(2 * np.pi * x)))
    True
    >>> bool((noisy_sine(5, seed=3).y == noisy_sine(5, seed=3).y).all())
    True
    """
    n = as_bounded_count("n", n, what="samples")
    noise = _noise(noise)
    x_low, x_high = _interval(x_low, x_high)
    seed = as_count("seed", seed, minimum=0)
    rng = np.random.default_rng(seed)
    with np.errstate(over="ignore", invalid="ignore"):
        x = rng.uniform(x_low, x_high, size=n)
        y = np.sin(2 * np.pi * x) + noise * rng.standard_normal(n)
    return _finite_dataset(x, y, "noise, x_low and x_high")
