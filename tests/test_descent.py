"""Chapters 2 and 3: gradients, and batch, stochastic and mini-batch descent."""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch
from hypothesis import example, given, settings
from hypothesis import strategies as st

from dlpractice.cost_landscape import least_squares
from dlpractice.curvature import critical_learning_rate, hessian
from dlpractice.data import course_data, noisy_line
from dlpractice.descent import gradient_descent, minibatch_descent, stochastic_descent
from dlpractice.divergence import DivergenceError
from dlpractice.gradients import central_difference, cost_and_gradient, mse_gradient
from dlpractice.linear_model import mse

X, Y = course_data()


def course_gradient_descent() -> tuple[float, list[float], float, float]:
    """The course's lecture-3 program, verbatim but for printing."""
    x_data, y_data = [1.0, 2.0, 3.0], [2.0, 4.0, 6.0]
    w = 1.0

    def forward(x):
        return x * w

    def cost(xs, ys):
        total = 0
        for x, y in zip(xs, ys, strict=True):
            total += (forward(x) - y) ** 2
        return total / len(xs)

    def gradient(xs, ys):
        grad = 0
        for x, y in zip(xs, ys, strict=True):
            grad += 2 * x * (x * w - y)
        return grad / len(xs)

    before = forward(4)
    costs = []
    for _ in range(100):
        costs.append(cost(x_data, y_data))
        w -= 0.01 * gradient(x_data, y_data)
    return w, costs, before, forward(4)


def course_sgd() -> tuple[float, float]:
    """The course's SGD program: update on each sample, loss measured after the update."""
    w = 1.0
    loss = None
    for _ in range(100):
        for x, y in zip([1.0, 2.0, 3.0], [2.0, 4.0, 6.0], strict=True):
            w = w - 0.01 * 2 * x * (x * w - y)
            loss = (x * w - y) ** 2
    return w, loss


def test_gradient_descent_reproduces_the_course_to_the_bit():
    w, costs, before, after = course_gradient_descent()
    run = gradient_descent(X, Y, w0=1.0, learning_rate=0.01, epochs=100)
    assert run.w[-1] == w
    assert f"{w:.8f}" == "1.99994444" and str(w).startswith("1.99994443")
    assert run.loss.tolist() == costs  # the loss printed each epoch, before the update
    assert before == 4.0 and 4 * run.w[-1] == after
    assert after == pytest.approx(7.999777758621207, abs=1e-15)


def test_sgd_reproduces_the_course_to_the_bit():
    w, loss = course_sgd()
    run = stochastic_descent(X, Y, w0=1.0, learning_rate=0.01, epochs=100)
    assert run.updates == 300
    assert run.w[-1] == w
    assert (3 * run.w[-1] - 6) ** 2 == loss


def test_convergence_law_on_the_course_data():
    """w_k - 2 = (1 - lr * 28/3)^k (w_0 - 2), the chapter's closed form."""
    for lr in [0.01, 0.1, 0.2]:
        run = gradient_descent(X, Y, w0=1.0, learning_rate=lr, epochs=40)
        k = np.arange(41)
        np.testing.assert_allclose(run.w - 2, (1 - lr * 28 / 3) ** k * (1.0 - 2), atol=1e-12)


def test_divergence_above_the_critical_rate_is_reported():
    critical = critical_learning_rate(X, with_bias=False)
    assert critical == pytest.approx(3 / 14, rel=1e-12)
    converged = gradient_descent(X, Y, w0=1.0, learning_rate=0.99 * critical, epochs=2000)
    assert converged.w[-1] == pytest.approx(2.0, abs=1e-6)
    with pytest.raises(DivergenceError, match=r"learning_rate < 0\.2143"):
        gradient_descent(X, Y, w0=1.0, learning_rate=1.01 * critical, epochs=5000)
    run = gradient_descent(
        X, Y, w0=1.0, learning_rate=1.01 * critical, epochs=5000, allow_divergence=True
    )
    assert run.diverged and run.updates < 5000
    assert np.all(np.isfinite(run.cost)) and np.all(np.isfinite(run.w))


def test_divergent_run_never_returns_nan():
    run = gradient_descent(X, Y, w0=1.0, learning_rate=50.0, epochs=10_000, allow_divergence=True)
    assert run.diverged
    assert np.all(np.isfinite(run.w)) and np.all(np.isfinite(run.cost))


def test_hessian_of_the_course_data():
    np.testing.assert_allclose(hessian(X), 2 / 3 * np.array([[14.0, 6.0], [6.0, 3.0]]))
    np.testing.assert_allclose(hessian(X, with_bias=False), [[28 / 3]])


finite = st.floats(-10, 10, allow_nan=False, allow_infinity=False)


@settings(max_examples=100, deadline=None)
@given(w=finite, b=finite, seed=st.integers(0, 1000))
def test_gradient_matches_finite_differences(w, b, seed):
    x, y = noisy_line(20, w=1.5, b=-0.5, noise=0.3, seed=seed)
    grad = mse_gradient(x, y, w, b)
    numeric = central_difference(lambda p: mse(x, y, p[0], p[1]), [w, b], h=1e-5)
    np.testing.assert_allclose([grad.dw, grad.db], numeric, rtol=1e-6, atol=1e-6)


@settings(max_examples=50, deadline=None)
@given(w=finite, b=finite, seed=st.integers(0, 1000))
def test_gradient_matches_torch_autograd(w, b, seed):
    x, y = noisy_line(20, w=1.5, b=-0.5, noise=0.3, seed=seed)
    w_t = torch.tensor(w, dtype=torch.float64, requires_grad=True)
    b_t = torch.tensor(b, dtype=torch.float64, requires_grad=True)
    cost = torch.mean((torch.from_numpy(x) * w_t + b_t - torch.from_numpy(y)) ** 2)
    cost.backward()
    grad = mse_gradient(x, y, w, b)
    assert grad.dw == pytest.approx(w_t.grad.item(), rel=1e-12, abs=1e-12)
    assert grad.db == pytest.approx(b_t.grad.item(), rel=1e-12, abs=1e-12)


def test_every_flavour_converges_to_least_squares():
    x, y = noisy_line(500, w=2.5, b=1.0, noise=1.0, seed=0)
    exact = least_squares(x, y)
    batch = gradient_descent(x, y, w0=0.0, b0=0.0, learning_rate=0.1, epochs=3000)
    assert batch.final() == pytest.approx((exact.w, exact.b), abs=1e-8)
    # With a constant rate, stochastic methods hover around the minimum: their average over
    # the second half of the run is close to it, and larger batches hover more tightly.
    worst_excess = []
    for size in [1, 16, 64]:
        run = minibatch_descent(
            x, y, w0=0.0, b0=0.0, learning_rate=0.01, epochs=200, batch_size=size, seed=1
        )
        half = run.updates // 2
        assert run.w[half:].mean() == pytest.approx(exact.w, abs=0.01)
        assert run.b[half:].mean() == pytest.approx(exact.b, abs=0.01)
        worst_excess.append(run.cost[half:].max() / exact.cost - 1)
    assert worst_excess[0] > worst_excess[1] > worst_excess[2] > 0


def test_minibatch_is_deterministic_and_shuffles():
    x, y = noisy_line(100, seed=0)
    a = minibatch_descent(x, y, w0=0.0, b0=0.0, learning_rate=0.01, epochs=3, batch_size=10)
    b = minibatch_descent(x, y, w0=0.0, b0=0.0, learning_rate=0.01, epochs=3, batch_size=10)
    c = minibatch_descent(x, y, w0=0.0, b0=0.0, learning_rate=0.01, epochs=3, batch_size=10, seed=5)
    np.testing.assert_array_equal(a.w, b.w)
    assert not np.array_equal(a.w, c.w)
    assert a.updates == 30 and a.epoch.tolist() == [e for e in range(3) for _ in range(10)]


def test_uneven_last_batch():
    x, y = noisy_line(10, seed=0)
    run = minibatch_descent(x, y, w0=0.0, learning_rate=0.01, epochs=2, batch_size=4)
    assert run.updates == 6  # batches of 4, 4 and 2, twice
    assert run.b.tolist() == [0.0] * 7  # no bias trained


def test_full_batch_minibatch_equals_gradient_descent():
    x, y = noisy_line(30, seed=2)
    gd = gradient_descent(x, y, w0=0.5, b0=0.0, learning_rate=0.05, epochs=20)
    mb = minibatch_descent(
        x, y, w0=0.5, b0=0.0, learning_rate=0.05, epochs=20, batch_size=30, shuffle=False
    )
    np.testing.assert_array_equal(gd.w, mb.w)
    np.testing.assert_array_equal(gd.b, mb.b)


def course_loops(xs, ys, w, b):
    """The course's cost() and gradient() loops, with the bias added."""
    cost = grad_w = grad_b = 0
    for x, y in zip(xs, ys, strict=True):
        # the course writes ** 2; Python computes that with C's pow(), which can differ from
        # r * r in the last bit (the @example below): an effect of the power function, not of
        # the summation order this test is about, and on the course's data both agree
        cost += (x * w + b - y) * (x * w + b - y)
        grad_w += 2 * x * (x * w + b - y)
        grad_b += 2 * (x * w + b - y)
    return cost / len(xs), grad_w / len(xs), grad_b / len(xs)


# Zero, or a magnitude between 1e-100 and 1e3: every product then stays a normal float. In
# the subnormal range (below 2.2e-308) 2 * (x * r) and (2 * x) * r round differently, an
# effect of the order of multiplication, not of the summation the chapter talks about.
small = st.one_of(
    st.just(0.0),
    st.floats(1e-100, 1e3),
    st.floats(-1e3, -1e-100),
)


@settings(max_examples=200, deadline=None)
@given(data=st.lists(st.tuples(small, small), min_size=1, max_size=7), w=small, b=small)
@example(  # r ** 2 and r * r differ in the last bit here
    data=[(762.7426303651607, -376.5812641783758)], w=-67.48705468200387, b=762.7426303651607
)
def test_fewer_than_8_samples_sum_in_the_course_order_to_the_bit(data, w, b):
    """numpy.sum adds fewer than 8 numbers one by one, in order: the chapter's claim."""
    xs, ys = [p[0] for p in data], [p[1] for p in data]
    cost, grad = cost_and_gradient(np.array(xs), np.array(ys), w, b)
    assert (cost, grad.dw, grad.db) == course_loops(xs, ys, w, b)


@settings(max_examples=50, deadline=None)
@given(n=st.integers(8, 5000), seed=st.integers(0, 1000))
def test_longer_sums_stay_within_the_rounding_bound(n, seed):
    """From 8 samples numpy sums pairwise: it may differ from a loop, but both stay within
    the worst-case bound of a loop, (n - 1) * eps * sum|terms|, of the exact sum."""
    terms = np.random.default_rng(seed).standard_normal(n)
    exact = math.fsum(terms)
    bound = (n - 1) * np.finfo(float).eps * float(np.sum(np.abs(terms)))
    loop = 0.0
    for t in terms:
        loop += t
    assert abs(float(np.sum(terms)) - exact) <= bound
    assert abs(loop - exact) <= bound
