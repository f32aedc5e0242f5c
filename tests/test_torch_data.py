"""Chapter 7's data pipeline: column tensors, the Dataset, seeded loaders, and the
PyTorch mini-batch run that must be chapter 3's numpy mini-batch descent, step for
step."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from torch.utils.data import DataLoader

from dlpractice.data import noisy_line
from dlpractice.descent import minibatch_descent
from dlpractice.torch_data import (
    PermutationSampler,
    RegressionDataset,
    as_column,
    course_tensors,
    seeded_loader,
)
from dlpractice.training import train_minibatches

# float32 rounds the data and every product to a 24-bit significand: a few spacings of
# float32 numbers near 2 (2.4e-7 each). float64 differs only in the order of operations.
TOLERANCE = {torch.float32: 2e-6, torch.float64: 1e-12}


def batches(loader) -> list[list[int]]:
    """One epoch of a loader over ``x_n = n``, as lists of indices."""
    return [xb.squeeze(1).int().tolist() for xb, _ in loader]


def test_course_tensors_are_the_course_s():
    x, y = course_tensors()
    assert torch.equal(x, torch.Tensor([[1.0], [2.0], [3.0]]))
    assert torch.equal(y, torch.Tensor([[2.0], [4.0], [6.0]]))
    x64, _ = course_tensors(dtype=torch.float64)
    assert x64.dtype == torch.float64 and x64.shape == (3, 1)


def test_as_column_accepts_flat_columns_and_tensors_and_rejects_the_rest():
    assert as_column("x", [1, 2]).tolist() == [[1.0], [2.0]]
    assert as_column("x", np.array([[1.0], [2.0]])).shape == (2, 1)
    assert as_column("x", torch.tensor([3.0, 4.0])).tolist() == [[3.0], [4.0]]
    with pytest.raises(ValueError, match="x must be flat or one column, got shape"):
        as_column("x", [[1.0, 2.0], [3.0, 4.0]])
    with pytest.raises(ValueError, match="y must not be empty"):
        as_column("y", [])
    with pytest.raises(ValueError, match="x must be finite, got nan at index 1"):
        as_column("x", [1.0, float("nan")])
    with pytest.raises(TypeError, match="x must be a sequence of numbers, got str"):
        as_column("x", "123")
    with pytest.raises(TypeError, match="dtype must be a floating torch.dtype"):
        as_column("x", [1.0], dtype=torch.int64)
    with pytest.raises(ValueError, match="x must be one-dimensional"):
        as_column("x", np.zeros((2, 1, 1)))


def test_dataset_serves_samples_and_the_loader_stacks_them():
    data = RegressionDataset([1.0, 2.0, 3.0], [2.0, 4.0, 6.0])
    assert len(data) == 3
    x1, y1 = data[1]
    assert x1.shape == (1,) and x1.item() == 2.0 and y1.item() == 4.0
    xb, yb = next(iter(DataLoader(data, batch_size=3)))
    assert torch.equal(xb, data.x) and torch.equal(yb, data.y) and xb.shape == (3, 1)
    with pytest.raises(ValueError, match="got 3 inputs and 2 targets"):
        RegressionDataset([1.0, 2.0, 3.0], [2.0, 4.0])


def test_seeded_loader_shuffles_each_epoch_and_ignores_the_global_seed():
    data = RegressionDataset(np.arange(10.0), np.zeros(10))
    loader = seeded_loader(data, batch_size=4, seed=5)
    first, second = batches(loader), batches(loader)
    assert [len(b) for b in first] == [4, 4, 2]
    assert sorted(sum(first, [])) == list(range(10)) and first != second

    torch.manual_seed(0)
    replay = seeded_loader(data, batch_size=4, seed=5)
    torch.nn.Linear(10, 10)  # uses the global generator between creating and iterating
    assert [batches(replay), batches(replay)] == [first, second]

    dropping = seeded_loader(data, batch_size=4, drop_last=True)
    assert [len(b) for b in batches(dropping)] == [4, 4]
    assert batches(seeded_loader(data, batch_size=5, shuffle=False)) == [
        [0, 1, 2, 3, 4],
        [5, 6, 7, 8, 9],
    ]


def test_seeded_loader_rejects_bad_arguments():
    data = RegressionDataset([1.0, 2.0], [1.0, 2.0])
    with pytest.raises(ValueError, match="batch_size must be at least 1 and at most 2"):
        seeded_loader(data, batch_size=3)
    with pytest.raises(ValueError, match="batch_size must be at least 1"):
        seeded_loader(data, batch_size=0)
    with pytest.raises(TypeError, match="dataset must be a torch.utils.data.Dataset"):
        seeded_loader([(1.0, 2.0)], batch_size=1)
    with pytest.raises(ValueError, match="seed must be at least 0"):
        seeded_loader(data, batch_size=1, seed=-1)


def test_permutation_sampler_draws_numpy_s_orders():
    sampler = PermutationSampler(7, seed=11)
    rng = np.random.default_rng(11)
    for _ in range(4):
        assert list(sampler) == rng.permutation(7).tolist()
    assert len(sampler) == 7
    with pytest.raises(ValueError, match="n must be at least 1"):
        PermutationSampler(0)


def test_mean_loss_weighs_each_sample_by_one_over_its_batch():
    for size in [1, 3, 32]:
        prediction = torch.zeros(size, 1, requires_grad=True)
        target = torch.arange(size, dtype=torch.float32).reshape(-1, 1)
        torch.nn.MSELoss()(prediction, target).backward()
        torch.testing.assert_close(prediction.grad, 2 * (prediction - target) / size)


def torch_minibatch_run(
    x,
    y,
    *,
    w0,
    b0,
    rate,
    epochs,
    batch_size,
    seed,
    shuffle,
    dtype,
):
    model = torch.nn.Linear(1, 1).to(dtype)
    with torch.no_grad():
        model.weight.fill_(w0)
        model.bias.fill_(b0)
    data = RegressionDataset(x, y, dtype=dtype)
    sampler = PermutationSampler(len(data), seed=seed) if shuffle else None
    loader = DataLoader(data, batch_size=batch_size, sampler=sampler)
    history = train_minibatches(
        model,
        torch.nn.MSELoss(),
        torch.optim.SGD(model.parameters(), lr=rate),
        loader,
        epochs=epochs,
    )
    return (
        history.parameter("weight")[:, 0, 0],
        history.parameter("bias")[:, 0],
        np.array(history.loss),
    )


@pytest.mark.parametrize("dtype", [torch.float32, torch.float64], ids=str)
@pytest.mark.parametrize(
    "size, shuffle",
    [(32, True), (7, True), (1, True), (150, False), (32, False)],
)
def test_torch_minibatches_are_chapter_3s_numpy_descent_step_for_step(
    dtype,
    size,
    shuffle,
):
    x, y = noisy_line(150, w=2.0, b=0.0, noise=1.0, x_low=0.0, x_high=4.0, seed=3)
    w0, b0 = float(np.float32(-0.25)), float(np.float32(0.5))  # exact in both dtypes
    common = dict(w0=w0, b0=b0, epochs=4, batch_size=size, shuffle=shuffle, seed=7)
    by_numpy = minibatch_descent(x, y, learning_rate=0.05, **common)
    w, b, losses = torch_minibatch_run(x, y, rate=0.05, dtype=dtype, **common)
    assert w.shape == by_numpy.w.shape  # the same number of updates: same batches
    atol = TOLERANCE[dtype]
    np.testing.assert_allclose(w, by_numpy.w, rtol=0, atol=atol)
    np.testing.assert_allclose(b, by_numpy.b, rtol=0, atol=atol)
    # a batch loss is a square: near 0 its float32 rounding is absolute, not relative
    tol = 10 * atol
    np.testing.assert_allclose(losses, by_numpy.loss, rtol=tol, atol=tol)


def test_the_agreement_is_float32_rounding_not_a_different_algorithm():
    x, y = noisy_line(150, w=2.0, b=0.0, noise=1.0, x_low=0.0, x_high=4.0, seed=0)
    common = dict(w0=0.0, b0=0.0, rate=0.05, epochs=20, batch_size=32, seed=1)
    by_numpy = minibatch_descent(
        x,
        y,
        w0=0.0,
        b0=0.0,
        learning_rate=0.05,
        epochs=20,
        batch_size=32,
        seed=1,
    )
    w32, _, _ = torch_minibatch_run(x, y, shuffle=True, dtype=torch.float32, **common)
    w64, _, _ = torch_minibatch_run(x, y, shuffle=True, dtype=torch.float64, **common)
    gap32 = np.abs(w32 - by_numpy.w).max()
    gap64 = np.abs(w64 - by_numpy.w).max()
    assert gap32 > 1e-9 and gap64 < 1e-13  # float32 is visibly rounded, float64 is not
    # another order of the same samples is a different run, far outside the tolerance
    w_other, _, _ = torch_minibatch_run(
        x, y, shuffle=True, dtype=torch.float64, **{**common, "seed": 2}
    )
    assert np.abs(w_other - by_numpy.w).max() > 1e-3
