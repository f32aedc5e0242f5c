r"""Held-out data: does a model fitted on some samples predict the others?

A model's error on the samples it was fitted to says how well it *fits*; what we want is
how well it *predicts* samples it has not seen. So the data are split once, at random,
into three disjoint parts (:func:`holdout_split`):

- the **training set**, on which the parameters are fitted;
- the **validation set** (the course's *development set*), on which the choices the fit
  cannot make are made: the degree of a polynomial, a learning rate, when to stop;
- the **test set**, used once, at the end, to report the error of the chosen model.

The flexible model of chapter 1 is the polynomial of degree :math:`d` fitted by least
squares (:func:`fit_polynomial`). It is written in the Legendre basis on the training
inputs' interval, mapped to :math:`[-1, 1]`,

.. math::

    \hat y(x) = \sum_{k=0}^{d} c_k P_k(t), \qquad
    t = \frac{2\,(x - x_\text{lo})}{x_\text{hi} - x_\text{lo}} - 1,

because the design matrix of the powers :math:`1, x, \dots, x^d` is so ill-conditioned
at degree 10 to 15 that its least-squares solution loses most of its digits, while the
Legendre basis is nearly orthogonal on the interval. It is the same polynomial; only the
coordinates of its coefficients differ. :func:`errors_by_degree` fits every degree of a
list on the training set and measures the mean squared error on training and validation.

Nothing here is specific to polynomials except :func:`fit_polynomial`: the split is by
index, so ``x[split.train]`` works for numpy arrays and for torch tensors alike.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
from numpy.polynomial import legendre
from numpy.typing import ArrayLike

from ._validation import (
    as_count,
    as_data,
    as_float_vector,
    as_interval,
    as_size,
    check_scalar,
    overflow_error,
)


@dataclass(frozen=True)
class Split:
    """Three disjoint, sorted arrays of indices that together cover ``0, ..., n - 1``.

    Attributes
    ----------
    train, validation, test : numpy.ndarray
        Indices (int64) of the training, validation and test samples.
    """

    train: np.ndarray
    validation: np.ndarray
    test: np.ndarray


@dataclass(frozen=True)
class PolynomialFit:
    r"""A polynomial fitted by least squares, in the Legendre basis on ``domain``.

    Attributes
    ----------
    coefficients : numpy.ndarray
        :math:`c_0, \dots, c_d`, the Legendre coefficients.
    domain : tuple of float
        :math:`(x_\text{lo}, x_\text{hi})`, the interval mapped onto :math:`[-1, 1]`.
    """

    coefficients: np.ndarray
    domain: tuple[float, float]

    @property
    def degree(self) -> int:
        """The degree :math:`d` (the number of coefficients minus one)."""
        return int(self.coefficients.size - 1)

    def predict(self, x: ArrayLike) -> np.ndarray:
        r"""The prediction :math:`\hat y(x) = \sum_k c_k P_k(t)` at every input.

        Parameters
        ----------
        x : array_like
            Inputs, 1-D, finite; outside ``domain`` the polynomial extrapolates.

        Returns
        -------
        numpy.ndarray
            One prediction per input.
        """
        return self._predict(as_float_vector("x", x))

    def _predict(self, x_array: np.ndarray) -> np.ndarray:
        with np.errstate(over="ignore", invalid="ignore"):
            t = _to_unit_interval(x_array, self.domain)
            prediction = legendre.legval(t, self.coefficients)
        if not np.all(np.isfinite(prediction)):
            raise overflow_error("x", "the polynomial's value")
        return prediction

    def mse(self, x: ArrayLike, y: ArrayLike) -> float:
        r"""The mean squared error :math:`\frac1N\sum_n (\hat y(x_n) - y_n)^2`.

        Parameters
        ----------
        x, y : array_like
            Inputs and targets, 1-D, of equal length, not empty, finite.

        Returns
        -------
        float
        """
        x_array, y_array = as_data(x, y)
        return _mean_square(self._predict(x_array) - y_array, "x and y")


@dataclass(frozen=True)
class DegreeErrors:
    """Training and validation errors (MSE) of polynomial fits, one per degree.

    Attributes
    ----------
    degrees : numpy.ndarray
        The degrees tried, in the order given.
    train, validation : numpy.ndarray
        ``train[i]`` and ``validation[i]`` are the errors of the fit of degree
        ``degrees[i]`` on the training and the validation set.
    """

    degrees: np.ndarray
    train: np.ndarray
    validation: np.ndarray

    @property
    def best_degree(self) -> int:
        """The degree of least validation error (the smallest such degree, if tied)."""
        least = np.flatnonzero(self.validation == self.validation.min())
        return int(self.degrees[least].min())


def holdout_split(
    n: int,
    *,
    validation: float = 0.2,
    test: float = 0.2,
    seed: int = 0,
) -> Split:
    """Split the indices ``0, ..., n - 1`` at random into training, validation and test.

    The validation set gets ``round(validation * n)`` indices and the test set
    ``round(test * n)`` (halves rounded up); the training set the rest, at least one.
    The permutation comes from ``numpy.random.default_rng(seed)``: the same arguments
    always give the same split.

    Parameters
    ----------
    n : int
        Number of samples, at least 1.
    validation, test : float
        Fractions of the samples held out for validation and for testing, each in
        ``[0, 1)``; 0 leaves that part empty.
    seed : int
        Seed of the random permutation, 0 or more.

    Returns
    -------
    Split

    Raises
    ------
    ValueError
        If ``n < 1``, a fraction is outside ``[0, 1)``, or nothing is left to train on.
    TypeError
        If ``n`` or ``seed`` is not an integer, or a fraction is not a real number.

    Examples
    --------
    >>> split = holdout_split(10, validation=0.2, test=0.3, seed=0)
    >>> len(split.train), len(split.validation), len(split.test)
    (5, 2, 3)
    >>> sorted(np.concatenate([split.train, split.validation, split.test]).tolist())
    [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]
    """
    n = as_size("n", as_count("n", n), what="samples")
    validation = _as_fraction("validation", validation)
    test = _as_fraction("test", test)
    seed = as_count("seed", seed, minimum=0)
    n_validation, n_test = _round_half_up(validation * n), _round_half_up(test * n)
    n_train = n - n_validation - n_test
    if n_train < 1:
        raise ValueError(
            f"validation and test must leave at least one sample to train on, got "
            f"validation={validation} and test={test} of n={n}: "
            f"{n_validation} + {n_test} held out"
        )
    order = np.random.default_rng(seed).permutation(n)
    return Split(
        train=np.sort(order[:n_train]),
        validation=np.sort(order[n_train : n_train + n_validation]),
        test=np.sort(order[n_train + n_validation :]),
    )


def fit_polynomial(
    x: ArrayLike,
    y: ArrayLike,
    degree: int,
    *,
    domain: tuple[float, float] | None = None,
) -> PolynomialFit:
    r"""The polynomial of degree ``degree`` of least mean squared error on ``x, y``.

    With the design matrix :math:`\Phi_{nk} = P_k(t_n)` (Legendre polynomials at the
    mapped inputs), the coefficients minimise :math:`\lVert \Phi c - y \rVert^2`: they
    solve the normal equations :math:`\Phi^\top \Phi\, c = \Phi^\top y`, computed with
    :func:`numpy.linalg.lstsq` (an SVD), not by forming :math:`\Phi^\top \Phi`.

    Parameters
    ----------
    x, y : array_like
        Inputs and targets, 1-D, of equal length, not empty, finite.
    degree : int
        The degree :math:`d \ge 0`; the fit needs :math:`d + 1` distinct inputs or more.
    domain : tuple of float, optional
        The interval mapped to :math:`[-1, 1]`; by default the range of ``x`` (or
        ``x - 1`` to ``x + 1`` if all inputs are equal).

    Returns
    -------
    PolynomialFit

    Raises
    ------
    ValueError
        If the data are bad, ``degree < 0``, there are fewer than ``degree + 1``
        distinct inputs (then many polynomials fit equally well), or ``domain`` is not
        an interval.
    TypeError
        If ``degree`` is not an integer.

    Examples
    --------
    Three points on a parabola are fitted exactly by degree 2; degree 1 gives their
    least-squares line:

    >>> fit = fit_polynomial([0.0, 1.0, 2.0], [1.0, 2.0, 5.0], degree=2)
    >>> fit.predict([3.0]).round(10).tolist()
    [10.0]
    >>> line = fit_polynomial([0.0, 1.0, 2.0], [1.0, 2.0, 5.0], degree=1)
    >>> line.predict([0.0, 1.0]).round(10).tolist()  # y = 2x + 2/3
    [0.6666666667, 2.6666666667]
    """
    x_array, y_array = as_data(x, y)
    degree = as_count("degree", degree, minimum=0)
    distinct = int(np.unique(x_array).size)
    if degree + 1 > distinct:
        raise ValueError(
            f"degree must be less than the number of distinct inputs ({distinct}) "
            f"for the fit to be unique, got degree={degree}"
        )
    interval = _as_domain(domain, x_array)
    design = legendre.legvander(_to_unit_interval(x_array, interval), degree)
    coefficients = np.linalg.lstsq(design, y_array, rcond=None)[0]
    if not np.all(np.isfinite(coefficients)):
        raise overflow_error("x and y", "the least-squares coefficients")
    return PolynomialFit(coefficients=coefficients, domain=interval)


def errors_by_degree(
    x_train: ArrayLike,
    y_train: ArrayLike,
    x_validation: ArrayLike,
    y_validation: ArrayLike,
    degrees: Iterable[int],
) -> DegreeErrors:
    r"""Fit a polynomial of every degree on the training set; measure both errors.

    Every fit uses the training inputs' range as its domain. The training error can only
    fall as the degree grows (each polynomial space contains the one before, and least
    squares finds the best in it); the validation error says if predictions improve.

    Parameters
    ----------
    x_train, y_train : array_like
        The training set.
    x_validation, y_validation : array_like
        The validation set.
    degrees : list or range of int
        The degrees to try, each at least 0 and less than the number of distinct
        training inputs.

    Returns
    -------
    DegreeErrors

    Raises
    ------
    ValueError
        If a data set is bad, ``degrees`` is empty or holds a degree the training set
        cannot fit uniquely.
    TypeError
        If ``degrees`` is not a sequence of integers.

    Examples
    --------
    >>> x = np.linspace(0.0, 1.0, 8)
    >>> errors = errors_by_degree(x, 1 + 2 * x, x + 0.05, 1 + 2 * (x + 0.05), [0, 1, 2])
    >>> bool(errors.validation[0] > 0.4), bool(errors.validation[1] < 1e-20)
    (True, True)

    (Degrees 1 and 2 both fit the line to rounding, so which of the two has the smaller
    validation error, and is ``best_degree``, depends on the machine's arithmetic.)
    """
    x_fit, y_fit = as_data(x_train, y_train, names=("x_train", "y_train"))
    x_check, y_check = as_data(x_validation, y_validation, names=("x_validation", "y_validation"))
    if isinstance(degrees, (str, bytes)) or not isinstance(degrees, Iterable):
        kind = type(degrees).__name__
        raise TypeError(f"degrees must be a sequence of integers, got {kind}")
    distinct = int(np.unique(x_fit).size)
    degree_list = []
    for i, degree in enumerate(degrees):
        degree_list.append(as_count(f"degrees[{i}]", degree, minimum=0))
        if degree_list[-1] + 1 > distinct:
            raise ValueError(
                f"degrees[{i}] must be less than the number of distinct training "
                f"inputs ({distinct}) for the fit to be unique, got {degree}"
            )
    if not degree_list:
        raise ValueError("degrees must not be empty")
    interval = _as_domain(None, x_fit)
    # The Legendre columns of degree d are the first d + 1 columns of any higher
    # degree's: one design matrix per set serves every fit, with the numbers that
    # fit_polynomial computes.
    top = max(degree_list)
    with np.errstate(over="ignore", invalid="ignore"):
        design_fit = legendre.legvander(_to_unit_interval(x_fit, interval), top)
        design_check = legendre.legvander(_to_unit_interval(x_check, interval), top)
    train, check = [], []
    for degree in degree_list:
        columns = slice(0, degree + 1)
        coefficients = np.linalg.lstsq(design_fit[:, columns], y_fit, rcond=None)[0]
        with np.errstate(over="ignore", invalid="ignore"):
            fitted = design_fit[:, columns] @ coefficients - y_fit
            train.append(_mean_square(fitted, "x_train and y_train"))
            checked = design_check[:, columns] @ coefficients - y_check
            check.append(_mean_square(checked, "x_validation and y_validation"))
        if not (np.isfinite(train[-1]) and np.isfinite(check[-1])):
            raise overflow_error(
                "x_train, y_train, x_validation and y_validation",
                f"the error of degree {degree}",
            )
    return DegreeErrors(
        degrees=np.array(degree_list), train=np.array(train), validation=np.array(check)
    )


def _mean_square(residual: np.ndarray, names: str) -> float:
    with np.errstate(over="ignore", invalid="ignore"):
        value = float(residual @ residual) / residual.size
    if not np.isfinite(value):
        raise overflow_error(names, "the squared error")
    return value


def _as_fraction(name: str, value: object) -> float:
    return check_scalar(name, value, low=0, high=1, closed="left", why="a fraction")


def _round_half_up(value: float) -> int:
    # round() sends 2.5 to 2 (banker's rounding): sizes should not depend on parity. The
    # guard rounds 0.29 * 50 = 14.499999999999998 as the decimal 14.5 would be.
    return math.floor(value + 0.5 + 1e-9)


def _as_domain(domain: object, x: np.ndarray) -> tuple[float, float]:
    if domain is None:
        low, high = float(x.min()), float(x.max())
        interval = (low, high) if low < high else (low - 1.0, high + 1.0)
        if not np.isfinite(interval[1] - interval[0]):
            raise overflow_error("x", "the width of its range")
        return interval
    interval = as_interval("domain", domain)
    if not np.isfinite(interval[1] - interval[0]):
        raise overflow_error("domain", "its width")
    return interval


def _to_unit_interval(x: np.ndarray, domain: tuple[float, float]) -> np.ndarray:
    low, high = domain
    return (2.0 * x - (low + high)) / (high - low)
