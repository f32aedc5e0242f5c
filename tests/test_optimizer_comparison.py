"""Chapter 9: the vectorised optimizer race, momentum, schedules, weight decay, the styles.

The older race tests (side by side equals separate runs for the course's optimizers, a
deterministic race) live in ``test_torch_training.py``; these cover what chapter 9 added.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from torch.optim import lr_scheduler

from dlpractice.gradients import mse_gradient
from dlpractice.optimizer_comparison import (
    EXTRA_SETTINGS,
    OPTIMIZERS,
    PER_COORDINATE,
    RACE,
    SideBySide,
    fit_grid,
    initial_states,
    learning_rates,
    race,
    ridge_solution,
    run,
    run_grid,
)
from dlpractice.plotting import (
    SERIES_STYLES,
    label_powers_of_ten,
    power_of_ten,
    series_styles,
)

X = torch.Tensor([[1.0], [2.0], [3.0]])
Y = torch.Tensor([[2.0], [4.0], [6.0]])
XS, YS = [1.0, 2.0, 3.0], [2.0, 4.0, 6.0]


def alone(make, state, epochs, schedule=None):
    """One nn.Linear trained the plain way: the reference for the vectorised runs."""
    model = torch.nn.Linear(1, 1)
    model.load_state_dict(state)
    optimizer = make(model.parameters())
    scheduler = schedule(optimizer) if schedule is not None else None
    losses = []
    for _ in range(epochs):
        optimizer.zero_grad()
        loss = torch.nn.functional.mse_loss(model(X), Y)
        loss.backward()
        losses.append(loss.item())
        optimizer.step()
        if scheduler is not None:
            scheduler.step()
    return np.array(losses), np.array([model.weight.item(), model.bias.item()])


def cosine(epochs):
    return lambda opt: lr_scheduler.CosineAnnealingLR(opt, T_max=epochs)


def warm_up_then_cosine(epochs, warm=8):
    return lambda opt: lr_scheduler.SequentialLR(
        opt,
        [
            lr_scheduler.LinearLR(opt, start_factor=0.1, total_iters=warm),
            lr_scheduler.CosineAnnealingLR(opt, T_max=epochs - warm),
        ],
        milestones=[warm],
    )


# --- the new entrants ---------------------------------------------------------------


def test_momentum_and_nesterov_are_sgd_with_momentum():
    params = [torch.zeros(1, requires_grad=True)]
    momentum = OPTIMIZERS["Momentum"](params, lr=0.1)
    nesterov = OPTIMIZERS["Nesterov"](params, lr=0.1)
    assert isinstance(momentum, torch.optim.SGD) and isinstance(nesterov, torch.optim.SGD)
    assert momentum.defaults["momentum"] == 0.9 and not momentum.defaults["nesterov"]
    assert nesterov.defaults["momentum"] == 0.9 and nesterov.defaults["nesterov"]
    assert "AdamW" in PER_COORDINATE and "AdamW" not in RACE
    assert set(RACE) == set(OPTIMIZERS) - {"AdamW"}


def heavy_ball(w, b, rate, beta, steps, nesterov=False):
    """PyTorch's momentum written out: v <- beta v + g; step g + beta v (Nesterov) or v."""
    theta, velocity, losses = np.array([w, b]), np.zeros(2), []
    for _ in range(steps):
        residual = theta[0] * np.array(XS) + theta[1] - np.array(YS)
        losses.append(float(np.mean(residual**2)))
        gradient = np.array(mse_gradient(XS, YS, *theta))
        velocity = beta * velocity + gradient
        theta = theta - rate * (gradient + beta * velocity if nesterov else velocity)
    return np.array(losses), theta


@pytest.mark.parametrize("nesterov", [False, True])
def test_momentum_entries_follow_the_heavy_ball_recurrence(nesterov):
    states = initial_states([0, 1])
    name = "Nesterov" if nesterov else "Momentum"
    fit = fit_grid(name, states, X, Y, rates=[0.03, 0.1], epochs=30)
    for r, rate in enumerate([0.03, 0.1]):
        for s, state in enumerate(states):
            w, b = state["weight"].item(), state["bias"].item()
            losses, theta = heavy_ball(w, b, rate, 0.9, 30, nesterov)
            np.testing.assert_allclose(fit.curves[r, s], losses, rtol=1e-4, atol=1e-7)
            np.testing.assert_allclose(fit.theta[r, s], theta, rtol=1e-4, atol=1e-6)


def test_settings_override_the_entry_defaults():
    states = initial_states([0])
    fit = fit_grid("Momentum", states, X, Y, rates=[0.1], epochs=20, momentum=0.5)
    w, b = states[0]["weight"].item(), states[0]["bias"].item()
    losses, _ = heavy_ball(w, b, 0.1, 0.5, 20)
    np.testing.assert_allclose(fit.curves[0, 0], losses, rtol=1e-4, atol=1e-7)


# --- vectorised runs equal separate runs ------------------------------------------------


@pytest.mark.parametrize("name", ["Momentum", "Nesterov", "AdamW", "Adam", "Rprop"])
def test_every_rate_and_seed_of_a_grid_is_trained_as_if_alone(name):
    rates, states = [0.01, 0.1], initial_states([0, 1, 2])
    fit = fit_grid(name, states, X, Y, rates=rates, epochs=25)
    for r, rate in enumerate(rates):
        for s, state in enumerate(states):
            losses, theta = alone(lambda p, rate=rate: OPTIMIZERS[name](p, lr=rate), state, 25)
            np.testing.assert_allclose(fit.curves[r, s], losses, rtol=1e-5, atol=1e-9)
            np.testing.assert_allclose(fit.theta[r, s], theta, rtol=1e-5, atol=1e-7)


@pytest.mark.parametrize("name", ["SGD", "Adam"])
def test_schedules_and_weight_decay_apply_to_every_group_as_alone(name):
    rates, states, epochs = [0.03, 0.3], initial_states([0, 1]), 30
    schedule = warm_up_then_cosine(epochs)
    fit = fit_grid(
        name, states, X, Y, rates=rates, epochs=epochs, schedule=schedule, weight_decay=0.1
    )
    for r, rate in enumerate(rates):
        for s, state in enumerate(states):

            def make(p, rate=rate):
                return OPTIMIZERS[name](p, lr=rate, weight_decay=0.1)

            losses, theta = alone(make, state, epochs, schedule)
            finite = np.isfinite(fit.curves[r, s])
            np.testing.assert_allclose(fit.curves[r, s][finite], losses[finite], rtol=1e-4)
            if finite.all():
                np.testing.assert_allclose(fit.theta[r, s], theta, rtol=1e-4, atol=1e-6)


def test_lbfgs_runs_one_model_at_a_time_with_one_evaluation_per_step():
    states = initial_states([0, 1])
    fit = fit_grid("LBFGS", states, X, Y, rates=[0.1, 1.0], epochs=15)
    assert fit.evaluations_per_step == 1.0
    for r, rate in enumerate([0.1, 1.0]):
        for s, state in enumerate(states):
            model = torch.nn.Linear(1, 1)
            model.load_state_dict(state)
            optimizer = torch.optim.LBFGS(model.parameters(), lr=rate, **EXTRA_SETTINGS["LBFGS"])

            def closure(model=model, optimizer=optimizer):
                optimizer.zero_grad()
                loss = torch.nn.functional.mse_loss(model(X), Y)
                loss.backward()
                return loss

            losses = [optimizer.step(closure).item() for _ in range(15)]
            np.testing.assert_allclose(fit.curves[r, s], losses, rtol=1e-4, atol=1e-9)


def test_a_shorter_lbfgs_memory_gives_the_race_the_same_winner_and_loss():
    # the chapter's claim for history_size=10 against PyTorch's default of 100
    states, grid = initial_states([0, 1, 2]), [0.01, 0.03, 0.1, 0.3, 1.0, 3.0]
    short = fit_grid("LBFGS", states, X, Y, rates=grid, epochs=40).curves[:, :, -1].mean(axis=1)
    long = fit_grid("LBFGS", states, X, Y, rates=grid, epochs=40, history_size=100).curves
    long = long[:, :, -1].mean(axis=1)
    assert np.argmin(short) == np.argmin(long) == grid.index(1.0)
    assert short.min() == pytest.approx(long.min(), rel=0.05)
    assert EXTRA_SETTINGS["LBFGS"] == {"max_iter": 1, "history_size": 10}


def test_side_by_side_module_predicts_each_model():
    states = initial_states([0, 1])
    models = SideBySide(states)
    for m, state in enumerate(states):
        single = torch.nn.Linear(1, 1)
        single.load_state_dict(state)
        torch.testing.assert_close(models(X)[m], single(X))


def test_diverged_runs_are_inf_from_the_step_they_blew_up():
    fit = fit_grid("SGD", initial_states([0]), X, Y, rates=[0.1, 0.3], epochs=40)
    assert np.isfinite(fit.curves[0]).all()
    blown = fit.curves[1, 0]
    first = int(np.argmax(~np.isfinite(blown)))
    assert 0 < first < 40 and np.isinf(blown[first:]).all() and np.isfinite(blown[:first]).all()
    curves, _ = run("LBFGS", initial_states([0]), X, Y, learning_rate=3.0, epochs=40)
    assert np.isinf(curves[0, -1])


# --- the race ---------------------------------------------------------------------------


def test_race_reports_grid_losses_and_final_weights_and_the_chapter_verdicts():
    results = {r.name: r for r in race(X, Y, epochs=40)}
    assert list(results) == list(RACE)
    sgd = results["SGD"]
    assert sgd.grid_losses[0.3] == math.inf and sgd.tuned_rate == 0.1
    assert sgd.tuned_loss == sgd.grid_losses[0.1]
    assert sgd.common_theta.shape == sgd.tuned_theta.shape == (3, 2)
    assert min(results.values(), key=lambda r: r.common_loss).name == "Rprop"
    assert min(results.values(), key=lambda r: r.tuned_loss).name == "LBFGS"
    np.testing.assert_allclose(results["ASGD"].tuned_curve, sgd.tuned_curve, rtol=1e-3)


def test_rprop_ignores_a_learning_rate_schedule():
    states = initial_states([0, 1, 2])
    plain, _ = run_grid("Rprop", states, X, Y, rates=[0.01, 0.3], epochs=30)
    scheduled, _ = run_grid(
        "Rprop", states, X, Y, rates=[0.01, 0.3], epochs=30, schedule=cosine(30)
    )
    np.testing.assert_array_equal(plain, scheduled)


# --- schedules --------------------------------------------------------------------------


def test_learning_rates_follow_the_closed_forms():
    t = np.arange(40)
    step = learning_rates(
        lambda o: lr_scheduler.StepLR(o, step_size=20, gamma=0.1), base_rate=0.5, epochs=40
    )
    np.testing.assert_allclose(step, 0.5 * 0.1 ** (t // 20), rtol=1e-12)
    np.testing.assert_allclose(
        learning_rates(cosine(40), base_rate=0.3, epochs=40),
        0.15 * (1 + np.cos(np.pi * t / 40)),
        atol=1e-15,
    )
    warm = np.where(t < 8, 0.1 + 0.9 * t / 8, (1 + np.cos(np.pi * (t - 8) / 32)) / 2)
    np.testing.assert_allclose(
        learning_rates(warm_up_then_cosine(40), base_rate=1.0, epochs=40), warm, atol=1e-12
    )
    assert learning_rates(cosine(3), base_rate=1.0, epochs=1).tolist() == [1.0]


# --- weight decay ---------------------------------------------------------------------


def test_ridge_solution_closed_forms():
    np.testing.assert_allclose(ridge_solution(XS, YS, weight_decay=0.0), [2.0, 0.0], atol=1e-12)
    np.testing.assert_allclose(
        ridge_solution(XS, YS, weight_decay=1.0), [8 / 5, 8 / 15], rtol=1e-12
    )


@settings(max_examples=40, deadline=None)
@given(
    data=st.lists(
        st.tuples(st.floats(-5, 5), st.floats(-5, 5)),
        min_size=3,
        max_size=8,
        unique_by=lambda p: p[0],
    ),
    decay=st.floats(0.01, 10),
)
def test_ridge_is_the_stationary_point_of_the_penalised_loss_and_shrinks(data, decay):
    x, y = map(np.array, zip(*data, strict=True))
    assume(np.ptp(x) >= 1e-3)
    theta = ridge_solution(x, y, weight_decay=decay)
    gradient = np.array(mse_gradient(x, y, *theta)) + decay * theta
    np.testing.assert_allclose(gradient, 0.0, atol=1e-8 * (1 + np.abs(y).max()))
    # more decay, shorter vector
    assert (
        np.linalg.norm(ridge_solution(x, y, weight_decay=2 * decay))
        <= np.linalg.norm(theta) + 1e-12
    )


def test_l2_decay_in_sgd_and_adam_converges_to_the_ridge_solution():
    states, decay = initial_states([0, 1]), 0.5
    ridge = ridge_solution(XS, YS, weight_decay=decay)
    sgd = fit_grid("SGD", states, X, Y, rates=[0.1], epochs=150, weight_decay=decay)
    adam = fit_grid(
        "Adam", states, X, Y, rates=[0.5], epochs=200, schedule=cosine(200), weight_decay=decay
    )
    np.testing.assert_allclose(sgd.theta[0], [ridge, ridge], atol=1e-4)
    np.testing.assert_allclose(adam.theta[0], [ridge, ridge], atol=3e-3)
    adamw = fit_grid(
        "AdamW", states, X, Y, rates=[0.1], epochs=200, schedule=cosine(200), weight_decay=decay
    )
    assert np.abs(adamw.theta[0] - ridge).max() > 0.3  # decoupled decay: not the ridge point


def test_adamw_step_is_a_shrink_then_an_adam_step():
    theta0 = torch.tensor([0.5, 1.0])
    results = {}
    for label, make, scale in [
        ("adamw", lambda p: torch.optim.AdamW(p, lr=0.1, weight_decay=0.5), 1.0),
        (
            "decoupled",
            lambda p: torch.optim.Adam(p, lr=0.1, weight_decay=0.5, decoupled_weight_decay=True),
            1.0,
        ),
        ("shrunk", lambda p: torch.optim.Adam(p, lr=0.1), 1 - 0.1 * 0.5),
    ]:
        theta = torch.nn.Parameter(theta0 * scale)
        optimizer = make([theta])
        ((X[:, 0] * theta[0] + theta[1] - Y[:, 0]) ** 2).mean().backward()
        optimizer.step()
        results[label] = theta.detach().numpy()
    np.testing.assert_allclose(results["adamw"], results["shrunk"], atol=1e-6)
    np.testing.assert_array_equal(results["adamw"], results["decoupled"])


# --- bad input ------------------------------------------------------------------------


def test_bad_input_is_named():
    states = initial_states([0])
    with pytest.raises(ValueError, match="name must be one of"):
        fit_grid("Newton", states, X, Y, rates=[0.1], epochs=5)
    with pytest.raises(ValueError, match="rates must be a non-empty sequence"):
        fit_grid("SGD", states, X, Y, rates=[], epochs=5)
    with pytest.raises(ValueError, match="rates must be a non-empty sequence"):
        fit_grid("SGD", states, X, Y, rates="0.1", epochs=5)
    with pytest.raises(ValueError, match=r"rates\[1\] must be greater than 0"):
        fit_grid("SGD", states, X, Y, rates=[0.1, -0.1], epochs=5)
    with pytest.raises(TypeError, match=r"rates\[0\] must be a real number"):
        fit_grid("SGD", states, X, Y, rates=[None], epochs=5)
    with pytest.raises(ValueError, match="states must hold at least one"):
        fit_grid("SGD", [], X, Y, rates=[0.1], epochs=5)
    with pytest.raises(ValueError, match="epochs must be at least 1"):
        fit_grid("SGD", states, X, Y, rates=[0.1], epochs=0)
    with pytest.raises(ValueError, match=r"x must have shape \(N, 1\)"):
        fit_grid("SGD", states, X[:, 0], Y, rates=[0.1], epochs=5)
    with pytest.raises(TypeError, match="y must be a torch.Tensor"):
        fit_grid("SGD", states, X, [[2.0]], rates=[0.1], epochs=5)
    with pytest.raises(ValueError, match="x and y must have the same shape"):
        fit_grid("SGD", states, X, Y[:2], rates=[0.1], epochs=5)
    with pytest.raises(ValueError, match="weight_decay must be at least 0"):
        ridge_solution(XS, YS, weight_decay=-1.0)
    with pytest.raises(ValueError, match="needs at least two distinct inputs"):
        ridge_solution([1.0, 1.0], [2.0, 3.0], weight_decay=0.0)
    with pytest.raises(ValueError, match="base_rate must be greater than 0"):
        learning_rates(cosine(3), base_rate=0.0, epochs=3)
    with pytest.raises(ValueError, match="epochs must be at least 1"):
        learning_rates(cosine(3), base_rate=0.1, epochs=0)


# --- plotting additions -----------------------------------------------------------------


def test_series_styles_give_distinct_colour_and_style_pairs():
    pairs = [(s["color"], s["linestyle"]) for s in series_styles(len(SERIES_STYLES))]
    assert len(set(pairs)) == len(pairs) == 44
    eleven = series_styles(11)
    assert len({s["color"] for s in eleven}) == 11
    assert all(
        a["linestyle"] != b["linestyle"] for a, b in zip(eleven[:-1], eleven[1:], strict=True)
    )
    with pytest.raises(ValueError, match="count must be at least 1 and at most 44"):
        series_styles(45)
    with pytest.raises(TypeError, match="count must be an integer"):
        series_styles(2.0)


def test_power_of_ten_labels():
    assert [power_of_ten(v) for v in (1e-10, 1.0, 1e3, 5e-2)] == [
        "10⁻¹⁰",
        "10⁰",
        "10³",
        "5×10⁻²",
    ]
    assert power_of_ten(-1.0) == "-1"
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots()
    ax.semilogy([1, 2], [1e-4, 1e2])
    label_powers_of_ten(ax.yaxis)
    assert ax.yaxis.get_major_formatter()(1e-4, 0) == "10⁻⁴"
    plt.close(fig)
