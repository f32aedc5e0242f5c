"""Chapters 6 to 8: the course's PyTorch programs and the optimizer race side by side
(the training loop itself: tests/test_training.py)."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from dlpractice.descent import stochastic_descent
from dlpractice.optimizer_comparison import (
    OPTIMIZERS,
    PER_COORDINATE,
    initial_states,
    race,
    run,
)
from dlpractice.torch_graph import graph_lines
from dlpractice.training import train

X = torch.Tensor([[1.0], [2.0], [3.0]])
Y = torch.Tensor([[2.0], [4.0], [6.0]])


def course_torch_sgd(dtype=torch.float32) -> tuple[float, float, float]:
    """The course's lecture-4 program: per-sample updates through w.data."""
    w = torch.tensor([1.0], dtype=dtype, requires_grad=True)
    loss = None
    for _ in range(100):
        for x, y in zip([1.0, 2.0, 3.0], [2.0, 4.0, 6.0], strict=True):
            loss = (x * w - y) ** 2
            loss.backward()
            w.data = w.data - 0.01 * w.grad.data
            w.grad.data.zero_()
    return w.item(), loss.item(), (4 * w).item()


def test_course_torch_loop_numbers():
    w, loss, prediction = course_torch_sgd()
    assert loss == 9.094947017729282e-13
    assert prediction == 7.999998569488525
    assert w == pytest.approx(1.9999996423721313, abs=0)
    w64, _, _ = course_torch_sgd(torch.float64)
    assert (
        w64
        == stochastic_descent([1, 2, 3], [2, 4, 6], w0=1.0, learning_rate=0.01, epochs=100).w[-1]
    )


def test_graph_lines_show_the_recorded_graph():
    w = torch.tensor(1.0, requires_grad=True)
    lines = graph_lines((1.0 * w - 2.0) ** 2, {id(w): "w"})
    assert lines == [
        "PowBackward0",
        "  SubBackward0",
        "    MulBackward0",
        "      AccumulateGrad (w)",
    ]
    with pytest.raises(ValueError, match="has no grad_fn"):
        graph_lines(w)
    with pytest.raises(TypeError, match="must be a torch.Tensor"):
        graph_lines(1.0)


def linear_model(seed: int = 0) -> torch.nn.Module:
    torch.manual_seed(seed)
    return torch.nn.Linear(1, 1)


def test_mean_at_three_times_the_rate_is_sum():
    def weights(reduction, rate):
        model = linear_model()
        return train(
            model,
            torch.nn.MSELoss(reduction=reduction),
            torch.optim.SGD(model.parameters(), lr=rate),
            X,
            Y,
            epochs=100,
        ).parameter("weight")

    np.testing.assert_allclose(weights("sum", 0.01), weights("mean", 0.03), atol=1e-6)


@pytest.mark.parametrize("name", sorted(PER_COORDINATE))
def test_side_by_side_training_equals_separate_runs(name):
    states = initial_states([0, 1, 2])
    together, evaluations = run(name, states, X, Y, learning_rate=0.03, epochs=50)
    assert evaluations == 1.0
    for row, state in enumerate(states):
        model = torch.nn.Linear(1, 1)
        model.load_state_dict(state)
        alone = train(
            model,
            torch.nn.MSELoss(),
            OPTIMIZERS[name](model.parameters(), lr=0.03),
            X,
            Y,
            epochs=50,
            record_parameters=False,
        )
        # float32: the side-by-side loop sums each model's gradient in another order than
        # a lone model does, and momentum carries those last-bit differences forward; after
        # 50 steps they reach ~5e-5 relative on some CPUs. Models mixed up would differ at O(1).
        np.testing.assert_allclose(together[row], alone.loss, rtol=3e-4, atol=1e-8)


def test_race_is_deterministic_and_fair():
    first = race(X, Y, names=("SGD", "Adam", "LBFGS"), rate_grid=(0.01, 0.1, 1.0), epochs=30)
    again = race(X, Y, names=("SGD", "Adam", "LBFGS"), rate_grid=(0.01, 0.1, 1.0), epochs=30)
    for a, b in zip(first, again, strict=True):
        np.testing.assert_array_equal(a.tuned_curve, b.tuned_curve)
        assert a.evaluations_per_step == 1.0
    by_name = {r.name: r for r in first}
    assert by_name["LBFGS"].tuned_loss < by_name["SGD"].tuned_loss  # curvature pays
    assert by_name["Adam"].common_loss > by_name["Adam"].tuned_loss
    with pytest.raises(ValueError, match="name must be one of"):
        run("Newton", initial_states([0]), X, Y, learning_rate=0.1, epochs=1)
