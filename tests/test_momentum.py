"""Chapter 8: heavy-ball and Nesterov momentum, their exact rates, and the two-slider figure."""

from __future__ import annotations

import html
import json
import math
import re

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from dlpractice.curvature import hessian
from dlpractice.data import course_data, noisy_line
from dlpractice.descent import gradient_descent
from dlpractice.divergence import DivergenceError
from dlpractice.momentum import (
    METHODS,
    convergence_rate,
    double_root_factors,
    heavy_ball_step,
    iteration_matrix,
    momentum_descent,
    nesterov_step,
    rate_grid,
    steps_to_tolerance,
    textbook_settings,
)
from dlpractice.widgets import descent_explorer, momentum_explorer

X, Y = course_data()
H = hessian(X)
START = {"w0": 0.0, "b0": 1.5}


def torch_sgd_run(
    x: np.ndarray, y: np.ndarray, *, lr: float, momentum: float, nesterov: bool, steps: int
) -> np.ndarray:
    """``torch.optim.SGD`` on the MSE of ``x*w + b`` in float64: the parameters per step."""
    w = torch.tensor(START["w0"], dtype=torch.float64, requires_grad=True)
    b = torch.tensor(START["b0"], dtype=torch.float64, requires_grad=True)
    xs, ys = torch.from_numpy(x), torch.from_numpy(y)
    optimizer = torch.optim.SGD([w, b], lr=lr, momentum=momentum, nesterov=nesterov)
    path = [(w.item(), b.item())]
    for _ in range(steps):
        optimizer.zero_grad()
        torch.mean((xs * w + b - ys) ** 2).backward()
        optimizer.step()
        path.append((w.item(), b.item()))
    return np.array(path)


# --- the steps and the runs -----------------------------------------------------------------


def test_steps_by_hand_on_a_parabola():
    grad = lambda t: 2 * t  # noqa: E731  (f = t^2)
    theta, v = np.array([1.0]), np.array([0.0])
    theta, v = heavy_ball_step(theta, v, grad, learning_rate=0.1, momentum=0.5)
    assert theta.tolist() == [0.8] and v.tolist() == [pytest.approx(-0.2)]
    theta, v = heavy_ball_step(theta, v, grad, learning_rate=0.1, momentum=0.5)
    assert theta[0] == pytest.approx(0.54) and v[0] == pytest.approx(-0.26)  # -0.1 - 0.16
    theta, v = np.array([0.8]), np.array([-0.2])
    theta, v = nesterov_step(theta, v, grad, learning_rate=0.1, momentum=0.5)
    assert theta[0] == pytest.approx(0.56)  # gradient at the look-ahead 0.7, not at 0.8


def test_zero_momentum_is_gradient_descent_to_the_bit():
    for nesterov in [False, True]:
        run = momentum_descent(
            X, Y, **START, learning_rate=0.05, momentum=0.0, steps=200, nesterov=nesterov
        )
        plain = gradient_descent(X, Y, **START, learning_rate=0.05, epochs=200)
        assert run.w.tolist() == plain.w.tolist() and run.b.tolist() == plain.b.tolist()
        np.testing.assert_array_equal(run.cost, plain.cost)


@pytest.mark.parametrize(
    "lr, momentum, nesterov",
    [(0.05, 0.9, False), (0.27, 0.55, False), (0.01, 0.5, False), (0.12, 0.3, False),
     (0.05, 0.9, True), (0.09, 0.74, True), (0.01, 0.5, True), (0.12, 0.3, True)],
)  # fmt: skip
def test_numpy_agrees_with_torch_sgd_step_for_step(lr, momentum, nesterov):
    """PyTorch's v <- mu v + g; p <- p - lr v is the textbook v <- beta v - alpha g;
    p <- p + v with v = -lr * buffer. With Nesterov, PyTorch's parameters are the
    look-ahead points theta + beta v."""
    run = momentum_descent(
        X, Y, **START, learning_rate=lr, momentum=momentum, steps=150, nesterov=nesterov
    )
    torch_path = torch_sgd_run(X, Y, lr=lr, momentum=momentum, nesterov=nesterov, steps=150)
    ours = np.column_stack([run.w_ahead, run.b_ahead] if nesterov else [run.w, run.b])
    np.testing.assert_allclose(torch_path, ours, rtol=1e-12, atol=1e-12)
    if nesterov:  # and they are not the iterates themselves
        assert np.abs(torch_path - np.column_stack([run.w, run.b])).max() > 1e-3


def test_numpy_agrees_with_torch_on_noisy_data():
    x, y = noisy_line(50, w=1.5, b=-0.5, noise=0.3, seed=3)
    for nesterov in [False, True]:
        run = momentum_descent(
            x, y, **START, learning_rate=0.02, momentum=0.8, steps=80, nesterov=nesterov
        )
        torch_path = torch_sgd_run(x, y, lr=0.02, momentum=0.8, nesterov=nesterov, steps=80)
        ours = np.column_stack([run.w_ahead, run.b_ahead] if nesterov else [run.w, run.b])
        np.testing.assert_allclose(torch_path, ours, rtol=1e-11, atol=1e-12)


def test_the_model_without_bias_keeps_b_at_zero():
    run = momentum_descent(X, Y, w0=1.0, learning_rate=0.05, momentum=0.5, steps=100)
    assert np.all(run.b == 0) and run.w[-1] == pytest.approx(2.0, abs=1e-9)


# --- the iteration matrix and the rates -----------------------------------------------------


@pytest.mark.parametrize("nesterov", [False, True])
def test_iteration_matrix_maps_each_error_pair_to_the_next(nesterov):
    run = momentum_descent(
        X, Y, **START, learning_rate=0.1, momentum=0.6, steps=40, nesterov=nesterov
    )
    error = np.column_stack([run.w - 2.0, run.b - 0.0])
    matrix = iteration_matrix(H, learning_rate=0.1, momentum=0.6, nesterov=nesterov)
    previous = np.vstack([error[:1], error[:-1]])  # at rest: e_{-1} = e_0
    state = np.hstack([error, previous])
    np.testing.assert_allclose(state[1:], state[:-1] @ matrix.T, atol=1e-12)


def measured_rate(errors: np.ndarray) -> float:
    """The long-run factor per step, measured from a run: the slope of log(error) over the
    second half of the run, fitted through the crests when the error oscillates (a complex
    pair of roots), so that every point is taken at the same phase of the oscillation."""
    k = np.arange(errors.size // 2, errors.size - 1)
    crests = k[(errors[k] >= errors[k - 1]) & (errors[k] >= errors[k + 1])]
    fit_at = crests if crests.size >= 3 else k
    slope = np.polyfit(fit_at, np.log(errors[fit_at]), 1)[0]
    return float(np.exp(slope))


@pytest.mark.parametrize(
    "lr, momentum, nesterov",
    [(0.05, 0.0, False), (0.05, 0.5, False), (0.15, 0.8, False), (0.02, 0.3, False),
     (0.05, 0.5, True), (0.08, 0.85, True), (0.02, 0.2, True)],
)  # fmt: skip
def test_spectral_radius_is_the_rate_measured_from_runs(lr, momentum, nesterov):
    rho = convergence_rate(H, learning_rate=lr, momentum=momentum, nesterov=nesterov)
    assert 0.85 < rho < 0.995  # slow enough to measure over many steps before rounding
    steps = int(math.log(1e-12) / math.log(rho))
    run = momentum_descent(
        X, Y, **START, learning_rate=lr, momentum=momentum, steps=steps, nesterov=nesterov
    )
    assert measured_rate(run.distance(2.0, 0.0)) == pytest.approx(rho, abs=2e-3)


@settings(max_examples=60, deadline=None)
@given(
    lr=st.floats(0.001, 0.4),
    momentum=st.floats(0.0, 0.99),
    nesterov=st.booleans(),
)
def test_rate_grid_agrees_with_the_eigenvalues(lr, momentum, nesterov):
    exact = convergence_rate(H, learning_rate=lr, momentum=momentum, nesterov=nesterov)
    grid = rate_grid(H, learning_rates=[lr], momenta=[momentum], nesterov=nesterov)
    assert grid.shape == (1, 1)
    assert grid[0, 0] == pytest.approx(exact, rel=1e-6, abs=1e-7)  # double roots: ~1e-8


def test_textbook_rates_on_the_books_bowl():
    mu, big_l = np.linalg.eigvalsh(H)
    kappa = big_l / mu
    assert round(kappa, 1) == 46.1
    expected = {
        "gradient descent": (kappa - 1) / (kappa + 1),
        "heavy ball": (kappa**0.5 - 1) / (kappa**0.5 + 1),
        "nesterov": 1 - kappa**-0.5,
    }
    for method in METHODS:
        s = textbook_settings(H, method)
        assert s.rate == pytest.approx(expected[method], rel=1e-14)
        numeric = convergence_rate(
            H, learning_rate=s.learning_rate, momentum=s.momentum, nesterov=method == "nesterov"
        )
        # a double eigenvalue is computed to half the digits: agreement to about 1e-8
        assert numeric == pytest.approx(s.rate, abs=1e-7)
    assert textbook_settings(H, "heavy ball").momentum == pytest.approx(expected["heavy ball"] ** 2)
    assert textbook_settings(H, "nesterov").learning_rate == pytest.approx(1 / big_l)


def test_heavy_ball_settings_are_the_best_on_a_grid():
    best = textbook_settings(H, "heavy ball")
    rates = rate_grid(
        H, learning_rates=np.linspace(0.01, 0.45, 400), momenta=np.linspace(0.0, 0.98, 197)
    )
    assert rates.min() >= best.rate - 1e-7
    assert rates.min() < best.rate + 5e-3  # and the grid gets close to it
    assert rate_grid(H, learning_rates=np.linspace(0.01, 0.4, 400), momenta=[0.0]).min() >= (
        textbook_settings(H, "gradient descent").rate - 1e-12
    )


@settings(max_examples=40, deadline=None)
@given(mu=st.floats(0.01, 1.0), big_l=st.floats(1.0, 100.0), angle=st.floats(0, 3.1))
def test_textbook_rates_on_random_bowls(mu, big_l, angle):
    rotation = np.array([[np.cos(angle), -np.sin(angle)], [np.sin(angle), np.cos(angle)]])
    matrix = rotation @ np.diag([mu, big_l]) @ rotation.T
    matrix = (matrix + matrix.T) / 2
    for method in METHODS:
        s = textbook_settings(matrix, method)
        numeric = convergence_rate(
            matrix,
            learning_rate=s.learning_rate,
            momentum=s.momentum,
            nesterov=method == "nesterov",
        )
        assert numeric == pytest.approx(s.rate, abs=1e-6)


def test_double_root_law_is_the_run_and_the_matrix_power():
    """At the textbook settings each eigen-direction has a double root z, and starting at
    rest its error is exactly z^k (1 + k(1 - z)) e_0."""
    curvatures, axes = np.linalg.eigh(H)
    e0 = np.array([START["w0"] - 2.0, START["b0"] - 0.0])
    for method, roots in [("heavy ball", (1, -1)), ("nesterov", (1, 0))]:
        s = textbook_settings(H, method)
        run = momentum_descent(
            X,
            Y,
            **START,
            learning_rate=s.learning_rate,
            momentum=s.momentum,
            steps=120,
            nesterov=method == "nesterov",
        )
        components = np.column_stack([run.w - 2.0, run.b]) @ axes
        for i, sign in enumerate(roots):
            law = double_root_factors(sign * s.rate, steps=120) * (axes[:, i] @ e0)
            np.testing.assert_allclose(components[:, i], law, atol=1e-12)
    block = iteration_matrix([[0.25]], learning_rate=1.0, momentum=0.25)  # z = 0.5, twice
    power = [np.linalg.matrix_power(block, k) @ [1.0, 1.0] for k in range(6)]
    np.testing.assert_allclose([p[0] for p in power], double_root_factors(0.5, steps=5), atol=1e-15)


def test_steps_to_one_millionth_on_the_books_bowl():
    """The chapter's table: counted by running, and predicted by the double-root law."""
    counted = {}
    for method in METHODS:
        s = textbook_settings(H, method)
        run = momentum_descent(
            X,
            Y,
            **START,
            learning_rate=s.learning_rate,
            momentum=s.momentum,
            steps=400,
            nesterov=method == "nesterov",
        )
        counted[method] = steps_to_tolerance(run.distance(2.0, 0.0), tolerance=1e-6)
    assert counted == {"gradient descent": 319, "heavy ball": 61, "nesterov": 104}
    rate_only = {
        m: math.ceil(math.log(1e-6) / math.log(textbook_settings(H, m).rate)) for m in METHODS
    }
    assert rate_only == {"gradient descent": 319, "heavy ball": 47, "nesterov": 87}


# --- bad input --------------------------------------------------------------------------------


@pytest.mark.parametrize("momentum", [1.0, 1.5, -0.1, float("nan"), float("inf")])
def test_bad_momentum_is_named(momentum):
    with pytest.raises(ValueError, match="momentum"):
        momentum_descent(X, Y, w0=1.0, learning_rate=0.01, momentum=momentum, steps=5)
    with pytest.raises(ValueError, match="momentum"):
        heavy_ball_step(np.zeros(1), np.zeros(1), np.sin, learning_rate=0.1, momentum=momentum)
    with pytest.raises(ValueError, match="momentum"):
        convergence_rate(H, learning_rate=0.1, momentum=momentum)


@pytest.mark.parametrize("rate", [0.0, -0.1, float("nan")])
def test_bad_learning_rate_is_named(rate):
    with pytest.raises(ValueError, match="learning_rate"):
        momentum_descent(X, Y, w0=1.0, learning_rate=rate, momentum=0.5, steps=5)
    with pytest.raises(ValueError, match="learning_rate"):
        nesterov_step(np.zeros(1), np.zeros(1), np.sin, learning_rate=rate, momentum=0.5)
    with pytest.raises(ValueError, match="learning_rate"):
        iteration_matrix(H, learning_rate=rate, momentum=0.5)


def test_other_bad_inputs_are_named():
    with pytest.raises(TypeError, match="momentum"):
        momentum_descent(X, Y, w0=1.0, learning_rate=0.01, momentum="0.9", steps=5)
    with pytest.raises(ValueError, match="steps"):
        momentum_descent(X, Y, w0=1.0, learning_rate=0.01, momentum=0.5, steps=0)
    with pytest.raises(ValueError, match="w0"):
        momentum_descent(X, Y, w0=float("nan"), learning_rate=0.01, momentum=0.5, steps=5)
    with pytest.raises(ValueError, match="hessian must be a square"):
        convergence_rate([[1.0, 2.0]], learning_rate=0.1, momentum=0.5)
    with pytest.raises(ValueError, match="hessian must be symmetric"):
        convergence_rate([[1.0, 2.0], [0.0, 1.0]], learning_rate=0.1, momentum=0.5)
    with pytest.raises(ValueError, match="hessian must be finite"):
        convergence_rate([[float("nan")]], learning_rate=0.1, momentum=0.5)
    with pytest.raises(ValueError, match="method"):
        textbook_settings(H, "adam")
    with pytest.raises(ValueError, match="positive definite"):
        textbook_settings([[1.0, 0.0], [0.0, 0.0]], "heavy ball")
    with pytest.raises(ValueError, match="momenta"):
        rate_grid(H, learning_rates=[0.1], momenta=[0.5, 1.0])
    with pytest.raises(ValueError, match="learning_rates"):
        rate_grid(H, learning_rates=[0.0, 0.1], momenta=[0.5])
    with pytest.raises(ValueError, match="run longer"):
        steps_to_tolerance([1.0, 0.5, 0.25], tolerance=1e-6)
    with pytest.raises(ValueError, match="tolerance"):
        steps_to_tolerance([1.0, 0.5], tolerance=1.5)


def test_divergence_is_reported_with_the_spectral_radius():
    rho = convergence_rate(H, learning_rate=0.4, momentum=0.5)
    assert rho > 1
    with pytest.raises(
        DivergenceError, match=f"spectral radius of the iteration matrix is {rho:.4g}"
    ):
        momentum_descent(X, Y, **START, learning_rate=0.4, momentum=0.5, steps=2000)
    run = momentum_descent(
        X, Y, **START, learning_rate=0.4, momentum=0.5, steps=2000, allow_divergence=True
    )
    assert run.diverged and run.steps < 2000
    assert np.all(np.isfinite(run.w)) and np.all(np.isfinite(run.cost))


# --- the two-slider figure ----------------------------------------------------------------


RATES = np.round(np.arange(0.03, 0.301, 0.03), 2)
MOMENTA = np.round(np.arange(0.0, 0.91, 0.1), 1)


@pytest.fixture(scope="module")
def explorer() -> str:
    return momentum_explorer(
        X, Y, **START, learning_rates=RATES, momenta=MOMENTA, steps=60, start=(4, 0)
    )


def explorer_data(page: str) -> dict:
    found = re.search(r'<script type="application/json" class="dlp-data">(.*?)</script>', page)
    assert found, "the precomputed runs are not in the HTML"
    return json.loads(found.group(1))


def test_explorer_has_two_sliders_and_the_precomputed_runs(explorer):
    sliders = re.findall(r'<input type="range"[^>]*>', explorer)
    assert len(sliders) == 2
    assert (
        'aria-label="learning rate alpha"' in sliders[0] and f'max="{RATES.size - 1}"' in sliders[0]
    )
    assert 'aria-label="momentum beta"' in sliders[1] and f'max="{MOMENTA.size - 1}"' in sliders[1]
    assert 'value="4"' in sliders[0] and 'value="0"' in sliders[1]
    data = explorer_data(explorer)
    assert len(data["runs"]) == RATES.size * MOMENTA.size
    assert data["learning_rates"][4] == "0.15" and data["momenta"][6] == "0.6"
    assert "<title data-dlp-text=" in explorer and "http" not in explorer.replace(
        "http://www.w3.org/2000/svg", ""
    )  # no CDN, no external request


@pytest.mark.parametrize("i, j", [(8, 6), (4, 0), (0, 9), (5, 5)])
def test_explorer_grid_points_match_a_direct_run(explorer, i, j):
    data = explorer_data(explorer)
    shown = data["runs"][j * RATES.size + i]
    run = momentum_descent(
        X, Y, **START, learning_rate=float(RATES[i]), momentum=float(MOMENTA[j]), steps=60
    )
    np.testing.assert_allclose(shown["w"], run.w, atol=0.005 + 1e-12)
    np.testing.assert_allclose(shown["b"], run.b, atol=0.005 + 1e-12)
    relative = run.distance(2.0, 0.0) / run.distance(2.0, 0.0)[0]
    np.testing.assert_allclose(shown["log_error"], np.log10(relative), atol=0.005 + 1e-12)
    rho = convergence_rate(H, learning_rate=float(RATES[i]), momentum=float(MOMENTA[j]))
    assert shown["rate"] == pytest.approx(rho, abs=5e-5)
    assert f"ρ = {rho:.3f}" in shown["status"]["en"]
    assert f"{relative[-1]:.1e} of the start" in shown["status"]["en"]
    # the same numbers in the Chinese edition's status line
    assert f"ρ = {rho:.3f}：" in shown["status"]["zh"]
    assert shown["status"]["zh"].endswith(f"误差是初始误差的 {relative[-1]:.1e}")


def test_explorer_says_when_a_run_diverges(explorer):
    data = explorer_data(explorer)
    shown = data["runs"][0 * RATES.size + 9]  # alpha = 0.30 > 2 / lambda_max, beta = 0
    assert "diverges" in shown["status"]["en"] and "发散" in shown["status"]["zh"]
    assert len(shown["w"]) < 61
    assert all(math.isfinite(v) for v in shown["w"] + shown["b"] + shown["log_error"])


def test_explorer_rejects_bad_grids():
    with pytest.raises(ValueError, match="momenta"):
        momentum_explorer(X, Y, **START, learning_rates=[0.1], momenta=[0.5, 1.0])
    with pytest.raises(ValueError, match="learning_rates"):
        momentum_explorer(X, Y, **START, learning_rates=[-0.1], momenta=[0.5])
    with pytest.raises(ValueError, match="start"):
        momentum_explorer(X, Y, **START, learning_rates=[0.1], momenta=[0.5], start=(1, 0))


def test_chapter_two_explorer_is_unchanged():
    page = descent_explorer(X, Y, w0=1.0, learning_rates=[0.01, 0.225], steps=20, start=0)
    assert len(re.findall(r'<input type="range"', page)) == 1
    assert "dlp-explorer-" in page and html.escape("1 &minus;") not in page
    runs = json.loads(re.search(r"var data = (\{.*?\});\n", page).group(1))["runs"]
    assert [r["rate"] for r in runs] == ["0.010", "0.225"]
    assert runs[1]["status"]["en"].startswith("diverges")
    assert runs[1]["status"]["zh"].startswith("发散：每一步都把误差乘以")


@pytest.mark.parametrize("make", ["descent", "momentum"])
def test_explorers_carry_their_words_in_english_and_chinese(explorer, make):
    page = (
        descent_explorer(X, Y, w0=1.0, learning_rates=[0.01, 0.225], steps=20)
        if make == "descent"
        else explorer
    )
    found = re.search(r"var data = (\{.*?\});\n", page) or re.search(
        r'class="dlp-data">(.*?)</script>', page
    )
    words = json.loads(found.group(1))["words"]
    assert set(words) == {"en", "zh"} and set(words["en"]) == set(words["zh"])
    # the HTML shows the English before the script runs, and marks where each text goes
    keys = set(re.findall(r'data-dlp-(?:text|label)="([a-z_]+)"', page))
    assert keys and keys <= set(words["en"])
    for key in keys:
        assert html.escape(words["en"][key]) in page, key
        assert re.search("[\u4e00-\u9fff]", words["zh"][key]), (key, words["zh"][key])
    assert 'aria-label="learning rate' in page
    assert "document.documentElement.lang" in page
