"""Chapter 1, held-out data: the split, the polynomial fit and the errors per degree."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dlpractice.cost_landscape import least_squares
from dlpractice.data import noisy_line, noisy_sine
from dlpractice.generalization import (
    DegreeErrors,
    PolynomialFit,
    Split,
    errors_by_degree,
    fit_polynomial,
    holdout_split,
)

# The chapter's experiment: 60 noisy samples of sin(2 pi x), a quarter held out for
# validation and a quarter for the test.
DATA = noisy_sine(60, noise=0.3, seed=0)
SPLIT = holdout_split(60, validation=0.25, test=0.25, seed=0)
X_TRAIN, Y_TRAIN = DATA.x[SPLIT.train], DATA.y[SPLIT.train]
X_VAL, Y_VAL = DATA.x[SPLIT.validation], DATA.y[SPLIT.validation]


# --- the split ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("n", "validation", "test", "sizes"),
    [
        (60, 0.25, 0.25, (30, 15, 15)),
        (10, 0.2, 0.3, (5, 2, 3)),
        (10, 0.25, 0.25, (4, 3, 3)),  # 2.5 rounds up, not to the even 2
        (50, 0.29, 0.0, (35, 15, 0)),  # 0.29 * 50 = 14.499999999999998 is the decimal 14.5
        (7, 0.0, 0.0, (7, 0, 0)),
        (1, 0.0, 0.0, (1, 0, 0)),
        (3, 0.34, 0.34, (1, 1, 1)),
    ],
)
def test_split_sizes(n, validation, test, sizes):
    split = holdout_split(n, validation=validation, test=test, seed=1)
    assert (split.train.size, split.validation.size, split.test.size) == sizes


@settings(max_examples=100, deadline=None)
@given(
    n=st.integers(1, 500),
    validation=st.floats(0.0, 0.45),
    test=st.floats(0.0, 0.45),
    seed=st.integers(0, 2**32),
)
def test_split_is_disjoint_sorted_and_covers_the_data(n, validation, test, seed):
    held_out = sum(math.floor(share * n + 0.5 + 1e-9) for share in (validation, test))
    if held_out >= n:  # e.g. n = 2 at 0.25 and 0.25: both halves round up, none to train
        with pytest.raises(ValueError, match="at least one sample to train on"):
            holdout_split(n, validation=validation, test=test, seed=seed)
        return
    split = holdout_split(n, validation=validation, test=test, seed=seed)
    parts = [split.train, split.validation, split.test]
    joined = np.concatenate(parts)
    assert joined.size == n
    assert np.array_equal(np.sort(joined), np.arange(n))  # disjoint and covering
    assert all(np.array_equal(part, np.sort(part)) for part in parts)
    assert all(part.dtype.kind == "i" for part in parts)
    assert split.train.size >= 1


def test_split_is_seeded_and_random():
    a, b = holdout_split(100, seed=7), holdout_split(100, seed=7)
    assert all(
        np.array_equal(getattr(a, part), getattr(b, part))
        for part in ("train", "validation", "test")
    )
    assert not np.array_equal(a.test, holdout_split(100, seed=8).test)
    # a random split, not the first 60 samples for training
    assert not np.array_equal(a.train, np.arange(60))


def test_split_indexes_numpy_arrays():
    x = np.arange(10.0) * 10
    split = holdout_split(10, validation=0.2, test=0.2, seed=0)
    assert np.array_equal(x[split.test], split.test * 10.0)
    assert isinstance(split, Split)


# --- the polynomial fit ---------------------------------------------------------------


def test_degree_one_is_the_closed_form_least_squares_line():
    x, y = noisy_line(200, w=2.5, b=1.0, noise=1.0, seed=0)
    line = fit_polynomial(x, y, 1)
    exact = least_squares(x, y)
    power = np.polynomial.Legendre(line.coefficients, domain=line.domain).convert(
        kind=np.polynomial.Polynomial
    )
    b, w = power.coef
    assert (w, b) == pytest.approx((exact.w, exact.b), rel=1e-12)
    assert line.mse(x, y) == pytest.approx(exact.cost, rel=1e-12)


def test_degree_zero_is_the_mean():
    fit = fit_polynomial(X_TRAIN, Y_TRAIN, 0)
    assert fit.degree == 0
    np.testing.assert_allclose(fit.predict([0.0, 0.5, 1.0]), Y_TRAIN.mean(), rtol=1e-13)
    assert fit.mse(X_TRAIN, Y_TRAIN) == pytest.approx(Y_TRAIN.var(), rel=1e-12)


def test_a_cubic_is_recovered_exactly_by_every_degree_from_three():
    x = np.linspace(-2.0, 3.0, 25)
    y = 1.0 - 2.0 * x + 0.5 * x**2 + 0.25 * x**3
    for degree in [3, 6, 12]:
        fit = fit_polynomial(x, y, degree)
        assert fit.degree == degree
        np.testing.assert_allclose(fit.predict([-1.0, 0.0, 4.0]), [3.25, 1.0, 17.0])
        assert fit.mse(x, y) < 1e-24


def test_degree_n_minus_one_interpolates():
    x, y = X_TRAIN[:10], Y_TRAIN[:10]
    fit = fit_polynomial(x, y, x.size - 1)
    np.testing.assert_allclose(fit.predict(x), y, atol=1e-10)
    assert fit.mse(x, y) < 1e-20


@pytest.mark.parametrize("degree", [0, 1, 4, 9, 15])
def test_agrees_with_numpys_legendre_fit(degree):
    ours = fit_polynomial(X_TRAIN, Y_TRAIN, degree)
    theirs = np.polynomial.Legendre.fit(X_TRAIN, Y_TRAIN, degree)
    np.testing.assert_allclose(ours.coefficients, theirs.coef, rtol=1e-9, atol=1e-9)
    np.testing.assert_allclose(ours.domain, theirs.domain)
    np.testing.assert_allclose(ours.predict(DATA.x), theirs(DATA.x), atol=1e-9)


def test_residual_is_orthogonal_to_the_basis():
    """The normal equations: Phi^T (Phi c - y) = 0."""
    fit = fit_polynomial(X_TRAIN, Y_TRAIN, 7)
    t = 2 * (X_TRAIN - fit.domain[0]) / (fit.domain[1] - fit.domain[0]) - 1
    design = np.polynomial.legendre.legvander(t, 7)
    np.testing.assert_allclose(design.T @ (fit.predict(X_TRAIN) - Y_TRAIN), 0, atol=1e-12)


def test_the_legendre_basis_is_better_conditioned_than_the_powers():
    powers = np.vander(X_TRAIN, 16, increasing=True)
    t = 2 * (X_TRAIN - X_TRAIN.min()) / (X_TRAIN.max() - X_TRAIN.min()) - 1
    legendre = np.polynomial.legendre.legvander(t, 15)
    assert np.linalg.cond(powers) > 1e10
    assert np.linalg.cond(legendre) < 1e4


def test_a_given_domain_is_used():
    fit = fit_polynomial([0.0, 1.0, 2.0], [1.0, 2.0, 5.0], 2, domain=(-5.0, 5.0))
    assert fit.domain == (-5.0, 5.0)
    np.testing.assert_allclose(fit.predict([3.0]), [10.0])


def test_equal_inputs_fit_a_constant():
    fit = fit_polynomial([2.0, 2.0, 2.0], [1.0, 2.0, 6.0], 0)
    assert fit.domain == (1.0, 3.0)
    np.testing.assert_allclose(fit.predict([2.0, 10.0]), [3.0, 3.0])


# --- errors per degree ----------------------------------------------------------------


def test_training_error_never_rises_with_the_degree():
    errors = errors_by_degree(X_TRAIN, Y_TRAIN, X_VAL, Y_VAL, range(16))
    assert isinstance(errors, DegreeErrors)
    assert errors.degrees.tolist() == list(range(16))
    assert np.all(np.diff(errors.train) <= 1e-12 * errors.train[:-1])
    assert errors.train[-1] < 0.1 * errors.train[1]


@settings(max_examples=50, deadline=None)
@given(seed=st.integers(0, 10_000), n=st.integers(12, 40))
def test_training_error_never_rises_on_any_data(seed, n):
    x, y = noisy_sine(n, noise=1.0, seed=seed)
    errors = errors_by_degree(x, y, x, y, range(min(11, n)))
    assert np.all(np.diff(errors.train) <= 1e-10 * errors.train[0] + 1e-15)


def test_the_chapters_validation_curve_has_a_minimum_in_the_middle():
    errors = errors_by_degree(X_TRAIN, Y_TRAIN, X_VAL, Y_VAL, range(16))
    best = errors.best_degree
    assert 3 <= best <= 9
    assert errors.validation[best] == errors.validation.min()
    assert errors.validation[0] > 3 * errors.validation[best]  # a constant underfits
    assert errors.validation[15] > 100 * errors.validation[best]  # degree 15 overfits
    assert errors.train[15] < errors.train[best]


def test_each_entry_is_a_fit_on_training_data():
    errors = errors_by_degree(X_TRAIN, Y_TRAIN, X_VAL, Y_VAL, [2, 5])
    for i, degree in enumerate([2, 5]):
        fit = fit_polynomial(X_TRAIN, Y_TRAIN, degree)
        assert errors.train[i] == pytest.approx(fit.mse(X_TRAIN, Y_TRAIN), rel=1e-12)
        assert errors.validation[i] == pytest.approx(fit.mse(X_VAL, Y_VAL), rel=1e-12)


def test_best_degree_takes_the_smallest_on_ties():
    errors = DegreeErrors(
        degrees=np.array([5, 1, 3]),
        train=np.zeros(3),
        validation=np.array([0.5, 0.5, 0.7]),
    )
    assert errors.best_degree == 1


# --- bad input ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("call", "error", "words"),
    [
        (lambda: holdout_split(0), ValueError, "n must be at least 1"),
        (lambda: holdout_split(2.5), TypeError, "n must be an integer"),
        (lambda: holdout_split(10, validation=1.0), ValueError, "validation must be at least 0"),
        (lambda: holdout_split(10, test=-0.1), ValueError, "less than 1 (a fraction)"),
        (lambda: holdout_split(10, test="0.2"), TypeError, "test must be a real number"),
        (lambda: holdout_split(10, validation=math.nan), ValueError, "must be finite"),
        (lambda: holdout_split(10, validation=0.5, test=0.5), ValueError, "at least one"),
        (lambda: holdout_split(10, seed=-1), ValueError, "seed must be at least 0"),
        (lambda: fit_polynomial([1, 2], [1, 2, 3], 1), ValueError, "same length"),
        (lambda: fit_polynomial([1, 2], [1, math.inf], 1), ValueError, "y must be finite"),
        (lambda: fit_polynomial([1, 2, 3], [1, 2, 3], -1), ValueError, "degree must be at"),
        (lambda: fit_polynomial([1, 2, 3], [1, 2, 3], 1.0), TypeError, "degree must be an"),
        (lambda: fit_polynomial([1, 1, 2], [1, 2, 3], 2), ValueError, "distinct inputs (2)"),
        (
            lambda: fit_polynomial([1, 2], [1, 2], 1, domain=(2.0, 1.0)),
            ValueError,
            "low < high",
        ),
        (
            lambda: fit_polynomial([1, 2], [1, 2], 1, domain=(0.0, 1.0, 2.0)),
            ValueError,
            "domain must be a pair",
        ),
        (
            lambda: fit_polynomial([1, 2], [1, 2], 1, domain="01"),
            TypeError,
            "domain must be a pair",
        ),
        (
            lambda: errors_by_degree([1, 2, 3], [1, 2, 3], [1, 2], [1], [0]),
            ValueError,
            "x_validation and y_validation must have the same length",
        ),
        (
            lambda: errors_by_degree([1, 2, 3], [1, 2, math.nan], [1], [1], [0]),
            ValueError,
            "y_train must be finite",
        ),
        (
            lambda: errors_by_degree([1, 2, 3], [1, 2, 3], [], [], [0]),
            ValueError,
            "x_validation must not be empty",
        ),
        (
            lambda: errors_by_degree([1, 2, 3], [1, 2, 3], [1], [1], []),
            ValueError,
            "degrees must not be empty",
        ),
        (
            lambda: errors_by_degree([1, 2, 3], [1, 2, 3], [1], [1], 2),
            TypeError,
            "degrees must be a sequence",
        ),
        (
            lambda: errors_by_degree([1, 2, 3], [1, 2, 3], [1], [1], [0, 1.5]),
            TypeError,
            "degrees[1] must be an integer",
        ),
        (
            lambda: errors_by_degree([1, 2, 3], [1, 2, 3], [1], [1], [0, 3]),
            ValueError,
            "degrees[1] must be less than the number of distinct training inputs (3)",
        ),
        (lambda: noisy_sine(0), ValueError, "n must be at least 1"),
        (lambda: noisy_sine(5, noise=-0.1), ValueError, "noise must be at least 0"),
        (lambda: noisy_sine(5, x_low=1.0, x_high=1.0), ValueError, "x_low must be less"),
        (lambda: noisy_sine(5, seed=1.0), TypeError, "seed must be an integer"),
    ],
)
def test_bad_input_is_named(call, error, words):
    with pytest.raises(error) as caught:
        call()
    assert words in str(caught.value)


def test_predictions_are_finite_far_from_the_data():
    fit = fit_polynomial(X_TRAIN, Y_TRAIN, 15)
    assert isinstance(fit, PolynomialFit)
    assert np.all(np.isfinite(fit.predict([-10.0, 10.0])))
    with pytest.raises(ValueError, match="x must be finite"):
        fit.predict([math.nan])
