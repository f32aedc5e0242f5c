"""Chapters 6 to 8: the course's PyTorch programs, the training loop, the optimizer race."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from dlpractice.descent import DivergenceError, gradient_descent, stochastic_descent
from dlpractice.optimizer_comparison import (
    OPTIMIZERS,
    PER_COORDINATE,
    initial_states,
    race,
    run,
)
from dlpractice.torch_graph import graph_lines
from dlpractice.training import evaluate, train, train_minibatches

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


def test_train_is_the_course_loop_to_the_bit():
    model_a, model_b = linear_model(), linear_model()
    criterion = torch.nn.MSELoss(reduction="sum")
    opt_a = torch.optim.SGD(model_a.parameters(), lr=0.01)
    losses = []
    for _ in range(100):
        y_pred = model_a(X)
        loss = criterion(y_pred, Y)
        losses.append(loss.item())
        opt_a.zero_grad()
        loss.backward()
        opt_a.step()
    history = train(
        model_b, criterion, torch.optim.SGD(model_b.parameters(), lr=0.01), X, Y, epochs=100
    )
    assert history.loss == losses
    assert model_a.weight.item() == model_b.weight.item()
    assert model_a.bias.item() == model_b.bias.item()
    assert history.parameter("weight").shape == (101, 1, 1)


def test_torch_and_numpy_descent_share_a_trajectory():
    model = linear_model()
    w0, b0 = model.weight.item(), model.bias.item()
    history = train(
        model,
        torch.nn.MSELoss(reduction="sum"),
        torch.optim.SGD(model.parameters(), lr=0.01),
        X,
        Y,
        epochs=1000,
    )
    by_hand = gradient_descent([1, 2, 3], [2, 4, 6], w0=w0, b0=b0, learning_rate=0.03, epochs=1000)
    np.testing.assert_allclose(history.parameter("weight")[:, 0, 0], by_hand.w, atol=1e-6)
    np.testing.assert_allclose(history.parameter("bias")[:, 0], by_hand.b, atol=1e-6)
    assert 4 * by_hand.w[100] + by_hand.b[100] == pytest.approx(7.5619, abs=1e-4)


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


def test_train_reports_divergence_and_bad_input():
    model = linear_model()
    sgd = torch.optim.SGD(model.parameters(), lr=0.07)
    with pytest.raises(DivergenceError, match=r"SGD\(lr=0.07\)"):
        train(model, torch.nn.MSELoss(reduction="sum"), sgd, X, Y, epochs=500)
    good = torch.optim.SGD(model.parameters(), lr=0.01)
    with pytest.raises(TypeError, match="model must be a torch.nn.Module"):
        train(lambda x: x, torch.nn.MSELoss(), good, X, Y, epochs=1)
    with pytest.raises(TypeError, match="optimizer must be a torch.optim.Optimizer"):
        train(model, torch.nn.MSELoss(), "sgd", X, Y, epochs=1)
    with pytest.raises(ValueError, match="same number of rows"):
        train(model, torch.nn.MSELoss(), good, X, Y[:2], epochs=1)
    with pytest.raises(ValueError, match="epochs must be at least 1"):
        train(model, torch.nn.MSELoss(), good, X, Y, epochs=0)
    with pytest.raises(TypeError, match="x must be a torch.Tensor"):
        train(model, torch.nn.MSELoss(), good, [[1.0]], Y, epochs=1)


@pytest.mark.parametrize("name", sorted(PER_COORDINATE))
def test_side_by_side_training_equals_separate_runs(name):
    states = initial_states([0, 1, 2])
    together, evaluations = run(name, 0.03, states, X, Y, epochs=50)
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
        run("Newton", 0.1, initial_states([0]), X, Y, epochs=1)


def test_train_refuses_targets_that_mse_loss_would_broadcast():
    model = linear_model()
    sgd = torch.optim.SGD(model.parameters(), lr=0.01)
    with pytest.raises(ValueError, match=r"would broadcast them to \(3, 3\)"):
        train(model, torch.nn.MSELoss(), sgd, X, Y.squeeze(1), epochs=1)
    with pytest.raises(ValueError, match="L1Loss would broadcast"):
        train(model, torch.nn.L1Loss(), sgd, X, Y.squeeze(1), epochs=1)
    # what it prevents: the broadcast loss of the perfect line is 16/3, not 0
    perfect = linear_model()
    with torch.no_grad():
        perfect.weight.fill_(2.0)
        perfect.bias.fill_(0.0)
    with pytest.warns(UserWarning, match="different to the input size"):
        wrong = torch.nn.MSELoss()(perfect(X), Y.squeeze(1)).item()
    assert wrong == pytest.approx(16 / 3, abs=1e-6)
    assert evaluate(perfect, torch.nn.MSELoss(), X, Y) == 0.0


def test_one_full_batch_per_epoch_is_train_to_the_bit():
    model_a, model_b = linear_model(), linear_model()
    criterion = torch.nn.MSELoss(reduction="sum")
    sgd_a = torch.optim.SGD(model_a.parameters(), lr=0.01)
    full = train(model_a, criterion, sgd_a, X, Y, epochs=50)
    batched = train_minibatches(
        model_b,
        criterion,
        torch.optim.SGD(model_b.parameters(), lr=0.01),
        [(X, Y)],
        epochs=50,
    )
    assert batched.loss == full.loss
    np.testing.assert_array_equal(batched.parameter("weight"), full.parameter("weight"))
    np.testing.assert_array_equal(batched.parameter("bias"), full.parameter("bias"))


def test_train_minibatches_counts_updates_and_checks_its_input():
    model = linear_model()
    sgd = torch.optim.SGD(model.parameters(), lr=0.01)
    two_batches = [(X[:2], Y[:2]), (X[2:], Y[2:])]
    history = train_minibatches(model, torch.nn.MSELoss(), sgd, two_batches, epochs=3)
    assert len(history.loss) == 6 and history.parameter("weight").shape == (7, 1, 1)
    with pytest.raises(TypeError, match="loader must be an iterable of"):
        train_minibatches(model, torch.nn.MSELoss(), sgd, X, epochs=1)
    with pytest.raises(ValueError, match="loader must yield at least one batch, got none"):
        train_minibatches(model, torch.nn.MSELoss(), sgd, [], epochs=1)
    with pytest.raises(ValueError, match="same number of rows"):
        train_minibatches(model, torch.nn.MSELoss(), sgd, [(X, Y[:2])], epochs=1)
    with pytest.raises(ValueError, match="would broadcast"):
        train_minibatches(model, torch.nn.MSELoss(), sgd, [(X, Y.squeeze(1))], epochs=1)
    with pytest.raises(ValueError, match="epochs must be at least 1"):
        train_minibatches(model, torch.nn.MSELoss(), sgd, two_batches, epochs=0)
    fast = torch.optim.SGD(model.parameters(), lr=1.0)
    with pytest.raises(DivergenceError, match=r"by epoch \d+ with SGD\(lr=1.0\)"):
        train_minibatches(model, torch.nn.MSELoss(), fast, two_batches, epochs=200)


def test_evaluate_records_no_graph_and_restores_the_mode():
    model = linear_model()
    expected = ((model(X) - Y) ** 2).mean().item()
    model.train()
    assert evaluate(model, torch.nn.MSELoss(), X, Y) == expected
    assert model.training  # restored
    model.eval()
    evaluate(model, torch.nn.MSELoss(), X, Y)
    assert not model.training
    seen = []
    model.register_forward_hook(lambda m, i, out: seen.append(out.requires_grad))
    evaluate(model, torch.nn.MSELoss(), X, Y)
    assert seen == [False]  # inside torch.no_grad()
    with pytest.raises(TypeError, match="model must be a torch.nn.Module"):
        evaluate(lambda x: x, torch.nn.MSELoss(), X, Y)
    with pytest.raises(ValueError, match="same number of rows"):
        evaluate(model, torch.nn.MSELoss(), X, Y[:1])
