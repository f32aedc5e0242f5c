"""A fair race between PyTorch's optimizers on one small problem (the course's homework).

Fair means: every optimizer starts from the *same* initial weights (one ``state_dict`` per
seed, shared by all), runs the same number of steps on the same data and loss, is judged by
its mean over several seeds, and is scored twice, at a common learning rate and at the rate
from a grid that suits it best. Every optimizer gets one loss evaluation per step: L-BFGS,
which by default iterates up to 20 times inside one ``step()``, is run with ``max_iter=1``
(its curvature memory still carries over from step to step), and the evaluations are
counted to show it.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import torch

from .descent import DivergenceError
from .training import train

#: Settings that differ from PyTorch's defaults, to give every optimizer one evaluation a step.
EXTRA_SETTINGS: dict[str, dict[str, int]] = {"LBFGS": {"max_iter": 1}}

#: The optimizers of the course's homework, by name.
OPTIMIZERS: dict[str, type[torch.optim.Optimizer]] = {
    "SGD": torch.optim.SGD,
    "ASGD": torch.optim.ASGD,
    "Adagrad": torch.optim.Adagrad,
    "Adam": torch.optim.Adam,
    "Adamax": torch.optim.Adamax,
    "RMSprop": torch.optim.RMSprop,
    "Rprop": torch.optim.Rprop,
    "LBFGS": torch.optim.LBFGS,
}


@dataclass(frozen=True)
class RaceResult:
    """One optimizer's results, each a mean over the seeds.

    Attributes
    ----------
    name : str
    common_loss : float
        Final loss at the common learning rate (``inf`` if a run diverged).
    tuned_rate : float
        The rate of the grid with the lowest mean final loss.
    tuned_loss : float
        Final loss at ``tuned_rate``.
    evaluations_per_step : float
        Loss evaluations per optimizer step at the tuned rate.
    common_curve, tuned_curve : numpy.ndarray
        Mean loss per epoch at the common and at the tuned rate.
    """

    name: str
    common_loss: float
    tuned_rate: float
    tuned_loss: float
    evaluations_per_step: float
    common_curve: np.ndarray
    tuned_curve: np.ndarray


#: Optimizers whose update treats every coordinate on its own, so that several independent
#: models can be trained side by side as one (L-BFGS couples all coordinates: not in here).
PER_COORDINATE = {"SGD", "ASGD", "Adagrad", "Adam", "Adamax", "RMSprop", "Rprop"}


class SideBySide(torch.nn.Module):
    """Several independent models ``y = w x + b`` in one module, one per starting state.

    With the loss :class:`SummedLoss` (the sum of each model's own mean squared error), each
    model's gradient is exactly its own, so an optimizer that treats coordinates separately
    updates each model exactly as if it were trained alone, in a single pass for all.
    """

    def __init__(self, states: Sequence[dict[str, torch.Tensor]]) -> None:
        super().__init__()
        self.weight = torch.nn.Parameter(torch.stack([s["weight"] for s in states]))
        self.bias = torch.nn.Parameter(torch.stack([s["bias"] for s in states]))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """``x`` of shape ``(N, 1)`` gives predictions of shape ``(models, N, 1)``."""
        return x @ self.weight.transpose(1, 2) + self.bias[:, None, :]


class SummedLoss(torch.nn.Module):
    """Sum over models of each model's mean squared error; records each one and the calls."""

    def __init__(self) -> None:
        super().__init__()
        self.calls = 0
        self.per_model: list[np.ndarray] = []

    def forward(self, prediction: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
        """The sum of the models' mean squared errors (a scalar to call backward on)."""
        self.calls += 1
        if prediction.ndim == target.ndim:  # a single model
            losses = ((prediction - target) ** 2).mean()[None]
        else:
            losses = ((prediction - target) ** 2).mean(dim=(1, 2))
        self.per_model.append(losses.detach().numpy().copy())
        return losses.sum()


def initial_states(seeds: Sequence[int]) -> list[dict[str, torch.Tensor]]:
    """One seeded ``nn.Linear(1, 1)`` starting point per seed, to be shared by all optimizers."""
    states = []
    for seed in seeds:
        torch.manual_seed(seed)
        states.append({k: v.clone() for k, v in torch.nn.Linear(1, 1).state_dict().items()})
    return states


def run(
    name: str,
    learning_rate: float,
    states: Sequence[dict[str, torch.Tensor]],
    x: torch.Tensor,
    y: torch.Tensor,
    epochs: int,
) -> tuple[np.ndarray, float]:
    """Loss curves (one row per starting state) and loss evaluations per step.

    Runs that diverge get a curve of ``inf``.

    Raises
    ------
    ValueError
        If ``name`` is not one of :data:`OPTIMIZERS`.
    """
    if name not in OPTIMIZERS:
        raise ValueError(f"name must be one of {sorted(OPTIMIZERS)}, got {name!r}")
    if name in PER_COORDINATE:
        groups = [(SideBySide(states), list(range(len(states))))]
    else:
        groups = []
        for row, state in enumerate(states):
            single = torch.nn.Linear(1, 1)
            single.load_state_dict(state)
            groups.append((single, [row]))
    curves = np.full((len(states), epochs), math.inf)
    calls = 0
    for model, rows in groups:
        loss_fn = SummedLoss()
        optimizer = OPTIMIZERS[name](
            model.parameters(), lr=learning_rate, **EXTRA_SETTINGS.get(name, {})
        )
        try:
            train(model, loss_fn, optimizer, x, y, epochs=epochs, record_parameters=False)
            # the first evaluation of each step is the loss before that step's update
            firsts = np.stack(loss_fn.per_model[:: len(loss_fn.per_model) // epochs])
            curves[rows] = firsts[:epochs].T
        except DivergenceError:
            pass
        calls += loss_fn.calls * len(rows)
    return curves, calls / (len(states) * epochs)


def race(
    x: torch.Tensor,
    y: torch.Tensor,
    *,
    names: Sequence[str] = tuple(OPTIMIZERS),
    common_rate: float = 0.01,
    rate_grid: Sequence[float] = (0.003, 0.01, 0.03, 0.1, 0.3, 1.0),
    seeds: Sequence[int] = (0, 1, 2),
    epochs: int = 100,
) -> list[RaceResult]:
    """Run every optimizer at the common rate and at each rate of the grid.

    Returns
    -------
    list of RaceResult
        In the order of ``names``.
    """
    states = initial_states(seeds)
    results = []
    for name in names:
        by_rate = {rate: run(name, rate, states, x, y, epochs) for rate in rate_grid}
        common = (by_rate.get(common_rate) or run(name, common_rate, states, x, y, epochs))[0]
        tuned_rate = min(rate_grid, key=lambda rate: by_rate[rate][0][:, -1].mean())
        tuned, evaluations = by_rate[tuned_rate]
        results.append(
            RaceResult(
                name=name,
                common_loss=float(common[:, -1].mean()),
                tuned_rate=tuned_rate,
                tuned_loss=float(tuned[:, -1].mean()),
                evaluations_per_step=evaluations,
                common_curve=common.mean(axis=0),
                tuned_curve=tuned.mean(axis=0),
            )
        )
    return results
