r"""A fair race between PyTorch's optimizers on one small problem (the course's homework).

Fair means: every optimizer starts from the *same* initial weights (one ``state_dict`` per
seed, shared by all), runs the same number of steps on the same data and loss, is judged by
its mean over several seeds, and is scored twice, at a common learning rate and at the rate
from a grid that suits it best. Every optimizer gets one loss evaluation per step: L-BFGS,
which by default iterates up to 20 times inside one ``step()``, is run with ``max_iter=1``
(its curvature memory still carries over from step to step), and the evaluations are
counted to show it. Its memory holds 10 pairs of past steps and gradient changes (SciPy's
default) instead of PyTorch's 100: on two parameters a short memory loses little, and a
long one makes every step slower.

The race is cheap because it is vectorised: an optimizer that treats every coordinate on
its own trains all seeds *and* all learning rates of the grid at once, one parameter group
per rate (:func:`run_grid`). Only L-BFGS, which couples the coordinates, runs one model at
a time.

The module also holds the two closed forms and the one helper that the chapter's additions
check the race against: the ridge solution that L2 weight decay converges to
(:func:`ridge_solution`), and the learning rate a ``torch.optim.lr_scheduler`` sets at each
step (:func:`learning_rates`).
"""

from __future__ import annotations

import functools
import inspect
import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import torch
from numpy.typing import ArrayLike

from ._validation import (
    as_bounded_count,
    as_count,
    as_data,
    as_size,
    check_scalar,
    overflow_error,
)
from .divergence import DIVERGENCE_FACTOR

# Builds an optimizer from parameters (or parameter groups) and ``lr``.
OptimizerFactory = Callable[..., torch.optim.Optimizer]
# Builds a learning-rate scheduler for an optimizer, e.g.
# ``lambda opt: torch.optim.lr_scheduler.StepLR(opt, step_size=30)``.
Schedule = Callable[[torch.optim.Optimizer], torch.optim.lr_scheduler.LRScheduler]

#: The settings that differ from PyTorch's defaults, to give every optimizer one loss
#: evaluation a step, and L-BFGS a memory of 10 pairs (ample for two parameters, quicker).
EXTRA_SETTINGS: dict[str, dict[str, int]] = {"LBFGS": {"max_iter": 1, "history_size": 10}}

#: Momentum of the heavy-ball and Nesterov entries (PyTorch's usual choice; chapter 8).
MOMENTUM = 0.9

#: The optimizers by name, those of the course's homework, heavy-ball momentum and Nesterov
#: (``torch.optim.SGD`` with ``momentum``, and ``nesterov=True``), and AdamW.
OPTIMIZERS: dict[str, OptimizerFactory] = {
    "SGD": torch.optim.SGD,
    "Momentum": functools.partial(torch.optim.SGD, momentum=MOMENTUM),
    "Nesterov": functools.partial(torch.optim.SGD, momentum=MOMENTUM, nesterov=True),
    "ASGD": torch.optim.ASGD,
    "Adagrad": torch.optim.Adagrad,
    "Adam": torch.optim.Adam,
    "AdamW": torch.optim.AdamW,
    "Adamax": torch.optim.Adamax,
    "RMSprop": torch.optim.RMSprop,
    "Rprop": torch.optim.Rprop,
    "LBFGS": torch.optim.LBFGS,
}

#: The entrants of :func:`race`, every optimizer but AdamW, whose default weight decay
#: makes it minimise a different loss (the chapter treats it on its own).
RACE: tuple[str, ...] = tuple(name for name in OPTIMIZERS if name != "AdamW")

#: Optimizers whose update treats every coordinate on its own, so that several independent
#: models can be trained side by side as one (L-BFGS couples all coordinates: not in here).
PER_COORDINATE = {
    "SGD",
    "Momentum",
    "Nesterov",
    "ASGD",
    "Adagrad",
    "Adam",
    "AdamW",
    "Adamax",
    "RMSprop",
    "Rprop",
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
    grid_losses : dict
        Mean final loss at every rate of the grid (``inf`` where a run diverged).
    common_theta, tuned_theta : numpy.ndarray
        Final ``(w, b)`` from each seed at the common and at the tuned rate, shape
        ``(seeds, 2)``.
    """

    name: str
    common_loss: float
    tuned_rate: float
    tuned_loss: float
    evaluations_per_step: float
    common_curve: np.ndarray
    tuned_curve: np.ndarray
    grid_losses: dict[float, float] = field(default_factory=dict)
    common_theta: np.ndarray = field(default_factory=lambda: np.empty((0, 2)))
    tuned_theta: np.ndarray = field(default_factory=lambda: np.empty((0, 2)))


class SideBySide(torch.nn.Module):
    """Several independent models ``y = w x + b`` in one module, one per starting state.

    Row ``m`` of the single parameter ``theta`` is model ``m``'s ``(w, b)``. The loss to call
    ``backward`` on is the *sum* of each model's own mean squared error, so each model's
    gradient is exactly its own, and an optimizer that treats coordinates separately
    updates each model exactly as if it were trained alone, in a single pass for all.

    Examples
    --------
    >>> models = SideBySide(initial_states([0, 1]))
    >>> models(torch.tensor([[1.0], [2.0], [3.0]])).shape  # (models, N, 1)
    torch.Size([2, 3, 1])
    """

    def __init__(self, states: Sequence[Mapping[str, torch.Tensor]]) -> None:
        super().__init__()
        self.theta = torch.nn.Parameter(_as_theta(_check_states(states)))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """``x`` of shape ``(N, 1)`` gives predictions of shape ``(models, N, 1)``."""
        _check_column("x", x)
        return _predict(self.theta, x)


def _as_theta(states: Sequence[Mapping[str, torch.Tensor]]) -> torch.Tensor:
    """The ``(w, b)`` of each ``nn.Linear(1, 1)`` state, one row per state."""
    return torch.stack([torch.cat([s["weight"].reshape(1), s["bias"].reshape(1)]) for s in states])


def _predict(theta: torch.Tensor, x: torch.Tensor) -> torch.Tensor:
    return theta[:, None, :1] * x + theta[:, None, 1:]


def initial_states(seeds: Sequence[int]) -> list[dict[str, torch.Tensor]]:
    """One seeded ``nn.Linear(1, 1)`` starting point per seed, to be shared by all optimizers.

    Each state is the one ``torch.manual_seed(seed)`` followed by ``nn.Linear(1, 1)``
    gives, drawn inside ``torch.random.fork_rng()``: the caller's random generator is
    left as it was.

    Raises
    ------
    TypeError, ValueError
        If ``seeds`` is not a non-empty sequence of integers from 0 to ``2**64 - 1``.

    Examples
    --------
    >>> state = torch.random.get_rng_state()
    >>> states = initial_states([0, 1])
    >>> bool(torch.equal(state, torch.random.get_rng_state()))  # the caller's RNG is intact
    True
    """
    seeds = _check_seeds("seeds", seeds)
    states = []
    with torch.random.fork_rng(devices=[]):
        for seed in seeds:
            torch.manual_seed(seed)
            layer = torch.nn.Linear(1, 1)
            states.append({k: v.clone() for k, v in layer.state_dict().items()})
    return states


def _check_seeds(name: str, seeds: object) -> list[int]:
    if isinstance(seeds, (str, bytes)) or not isinstance(seeds, (Sequence, range)):
        raise TypeError(f"{name} must be a sequence of integers, got {type(seeds).__name__}")
    if len(seeds) == 0:
        raise ValueError(f"{name} must hold at least one seed, got none")
    as_size(name, len(seeds), what="seeds")
    top = 2**64 - 1
    return [as_count(f"{name}[{i}]", s, minimum=0, maximum=top) for i, s in enumerate(seeds)]


def _check_states(states: object) -> Sequence[Mapping[str, torch.Tensor]]:
    """Check starting states: a non-empty sequence of ``nn.Linear(1, 1)`` state dicts."""
    if isinstance(states, (str, bytes, Mapping)) or not isinstance(states, Sequence):
        raise TypeError(
            f"states must be a sequence of nn.Linear(1, 1) state dicts, got {type(states).__name__}"
        )
    if len(states) == 0:
        raise ValueError("states must hold at least one starting state, got none")
    as_size("states", len(states), what="starting states")
    for i, state in enumerate(states):
        if not isinstance(state, Mapping) or not {"weight", "bias"} <= set(state):
            raise TypeError(
                f"states[{i}] must be an nn.Linear(1, 1) state dict with 'weight' and "
                f"'bias', got {type(state).__name__}"
            )
        for key in ("weight", "bias"):
            value = state[key]
            if not isinstance(value, torch.Tensor) or value.numel() != 1:
                raise ValueError(
                    f"states[{i}]['{key}'] must be a tensor of one number, got "
                    f"{type(value).__name__} of {getattr(value, 'numel', lambda: '?')()}"
                )
            if not value.is_floating_point() or not bool(torch.isfinite(value).all()):
                raise ValueError(
                    f"states[{i}]['{key}'] must be a finite floating-point number, got "
                    f"{value.reshape(-1).tolist()} ({value.dtype})"
                )
    return states


def _check_column(label: str, tensor: object) -> torch.Tensor:
    if not isinstance(tensor, torch.Tensor):
        raise TypeError(f"{label} must be a torch.Tensor, got {type(tensor).__name__}")
    if tensor.ndim != 2 or tensor.shape[1] != 1 or tensor.shape[0] == 0:
        raise ValueError(f"{label} must have shape (N, 1), got {tuple(tensor.shape)}")
    if not tensor.is_floating_point():
        raise TypeError(f"{label} must hold floating-point numbers, got {tensor.dtype}")
    if not bool(torch.isfinite(tensor).all()):
        raise ValueError(f"{label} must be finite, got a NaN or infinite entry")
    return tensor


def _factory(name: str, label: str = "name") -> OptimizerFactory:
    if not isinstance(name, str) or name not in OPTIMIZERS:
        raise ValueError(f"{label} must be one of {sorted(OPTIMIZERS)}, got {name!r}")
    return OPTIMIZERS[name]


def _check_rates(label: str, rates: object) -> list[float]:
    if isinstance(rates, (str, bytes)) or not isinstance(rates, Sequence) or not rates:
        raise ValueError(f"{label} must be a non-empty sequence of numbers, got {rates!r}")
    as_size(label, len(rates), what="learning rates")
    return [
        check_scalar(f"{label}[{i}]", rate, low=0, closed="neither") for i, rate in enumerate(rates)
    ]


def _check_schedule(schedule: object) -> None:
    if schedule is not None and not callable(schedule):
        kind = type(schedule).__name__
        raise TypeError(f"schedule must be callable (optimizer -> scheduler), got {kind}")


def _check_settings(name: str, factory: OptimizerFactory, settings: Mapping) -> None:
    accepted = inspect.signature(factory).parameters
    takes_any = any(p.kind is p.VAR_KEYWORD for p in accepted.values())
    for key in settings:
        if key in ("params", "lr"):
            raise TypeError(f"settings must not hold {key!r}: the learning rates come from rates")
        if not takes_any and key not in accepted:
            known = sorted(k for k in accepted if k not in ("params", "lr"))
            raise TypeError(f"settings must be keyword arguments of {name} ({known}), got {key!r}")


def _check_run(rates, states, x, y, epochs) -> tuple[list[float], int]:
    checked = _check_rates("rates", rates)
    _check_states(states)
    _check_column("x", x)
    _check_column("y", y)
    if x.shape != y.shape:
        raise ValueError(
            f"x and y must have the same shape, got {tuple(x.shape)} and {tuple(y.shape)}"
        )
    if x.dtype != y.dtype:
        raise TypeError(f"y must have the dtype of x, {x.dtype}, got {y.dtype}")
    epochs = as_count("epochs", epochs)
    total = len(checked) * len(states) * epochs
    as_size("epochs", total, what="recorded losses (rates x states x epochs)")
    return checked, epochs


@dataclass(frozen=True)
class GridFit:
    """What :func:`fit_grid` trained: every learning rate of a grid from every start.

    Attributes
    ----------
    curves : numpy.ndarray
        Shape ``(rates, states, epochs)``: the loss before each step (``inf`` from the step
        where a run blew up).
    theta : numpy.ndarray
        Shape ``(rates, states, 2)``: each model's final ``(w, b)`` (NaN or infinite for a
        run that diverged).
    evaluations_per_step : float
        Loss evaluations per optimizer step taken, over all runs.
    """

    curves: np.ndarray
    theta: np.ndarray
    evaluations_per_step: float


def fit_grid(
    name: str,
    states: Sequence[Mapping[str, torch.Tensor]],
    x: torch.Tensor,
    y: torch.Tensor,
    *,
    rates: Sequence[float],
    epochs: int,
    schedule: Schedule | None = None,
    **settings: object,
) -> GridFit:
    r"""Train ``y = w x + b`` from every starting state at every learning rate of a grid.

    Each model is trained full-batch on the mean squared error
    :math:`\frac1N\sum_n (w x_n + b - y_n)^2`. A per-coordinate optimizer
    (:data:`PER_COORDINATE`) trains all of them in one loop, one parameter group per rate
    and one row of it per starting state; L-BFGS trains them one at a time.

    A run whose loss becomes infinite, NaN, or larger than ``DIVERGENCE_FACTOR`` times its
    first loss counts as diverged: its curve is ``inf`` from that step on.

    Parameters
    ----------
    name : str
        A key of :data:`OPTIMIZERS`.
    states : sequence of dict
        Starting ``state_dict``\ s of ``nn.Linear(1, 1)``, see :func:`initial_states`.
    x, y : torch.Tensor
        Inputs and targets, shape ``(N, 1)``.
    rates : sequence of float
        Learning rates, each greater than 0.
    epochs : int
        Optimizer steps, at least 1.
    schedule : callable, optional
        ``schedule(optimizer)`` returns a ``torch.optim.lr_scheduler`` scheduler, stepped
        once after every optimizer step; it scales every rate of the grid alike.
    **settings
        Passed to the optimizer (``weight_decay=0.1``, ``momentum=0.5``, ...).

    Returns
    -------
    GridFit

    Raises
    ------
    ValueError
        If ``name`` is not one of :data:`OPTIMIZERS`, a rate is not positive, ``states``
        is empty, ``epochs < 1``, or ``x`` and ``y`` are not two ``(N, 1)`` tensors.

    Examples
    --------
    >>> x = torch.tensor([[1.0], [2.0], [3.0]]); y = 2 * x
    >>> fit = fit_grid("SGD", initial_states([0]), x, y, rates=[0.1], epochs=500)
    >>> fit.theta.round(4).tolist()  # the least-squares line y = 2x
    [[[2.0, 0.0]]]
    """
    factory = _factory(name)
    rates, epochs = _check_run(rates, states, x, y, epochs)
    _check_schedule(schedule)
    _check_settings(name, factory, settings)
    return _fit_grid(name, factory, rates, states, x, y, epochs, schedule, settings)


def _fit_grid(name, factory, rates, states, x, y, epochs, schedule, settings) -> GridFit:
    """:func:`fit_grid` on checked values."""
    settings = {**EXTRA_SETTINGS.get(name, {}), **settings}
    if name in PER_COORDINATE:
        curves, theta = _run_together(factory, rates, states, x, y, epochs, schedule, settings)
        return GridFit(curves=curves, theta=theta, evaluations_per_step=1.0)
    curves = np.full((len(rates), len(states), epochs), math.inf)
    theta = np.empty((len(rates), len(states), 2))
    calls = steps = 0
    for r, rate in enumerate(rates):
        for s, state in enumerate(states):
            curves[r, s], theta[r, s], used, taken = _run_alone(
                factory, rate, state, x, y, epochs, schedule, settings
            )
            calls, steps = calls + used, steps + taken
    return GridFit(curves, theta, calls / steps)


def run_grid(
    name: str,
    states: Sequence[Mapping[str, torch.Tensor]],
    x: torch.Tensor,
    y: torch.Tensor,
    *,
    rates: Sequence[float],
    epochs: int,
    schedule: Schedule | None = None,
    **settings: object,
) -> tuple[np.ndarray, float]:
    """Loss curves for every learning rate and starting state, and evaluations per step.

    :func:`fit_grid` without the final weights: ``curves[r, s, t]`` is the loss of the
    model that started from ``states[s]`` with rate ``rates[r]``, before step ``t``.

    Returns
    -------
    curves : numpy.ndarray
        Shape ``(len(rates), len(states), epochs)``.
    evaluations_per_step : float

    Raises
    ------
    ValueError
        As :func:`fit_grid`.

    Examples
    --------
    >>> x = torch.tensor([[1.0], [2.0], [3.0]]); y = 2 * x
    >>> states = initial_states([0])
    >>> curves, evaluations = run_grid("SGD", states, x, y, rates=[0.01, 0.1], epochs=50)
    >>> curves.shape, evaluations
    ((2, 1, 50), 1.0)
    >>> bool(curves[1, 0, -1] < curves[0, 0, -1])  # the larger stable rate gets further
    True
    """
    fit = fit_grid(name, states, x, y, rates=rates, epochs=epochs, schedule=schedule, **settings)
    return fit.curves, fit.evaluations_per_step


def _run_together(factory, rates, states, x, y, epochs, schedule, settings) -> np.ndarray:
    # one leaf tensor per rate: each is its own parameter group, with its own rate
    thetas = [torch.nn.Parameter(_as_theta(states)) for _ in rates]
    optimizer = factory(
        [{"params": [theta], "lr": rate} for theta, rate in zip(thetas, rates, strict=True)],
        **settings,
    )
    scheduler = schedule(optimizer) if schedule is not None else None
    curves = np.empty((len(rates), len(states), epochs))
    for t in range(epochs):
        optimizer.zero_grad()
        losses = ((_predict(torch.cat(thetas), x) - y) ** 2).mean(dim=(1, 2))
        # each model's gradient is its own, because d(sum)/d(loss_m) = 1
        losses.sum().backward()
        curves[:, :, t] = losses.detach().numpy().reshape(len(rates), len(states))
        optimizer.step()
        if scheduler is not None:
            scheduler.step()
    theta = torch.stack([t.detach() for t in thetas]).numpy().astype(np.float64)
    return _stop_diverged(curves, _reference(y)), theta


def _run_alone(factory, rate, state, x, y, epochs, schedule, settings):
    theta = torch.nn.Parameter(_as_theta([state]))
    optimizer = factory([theta], lr=rate, **settings)
    scheduler = schedule(optimizer) if schedule is not None else None
    calls = 0

    def closure() -> torch.Tensor:
        nonlocal calls
        calls += 1
        optimizer.zero_grad()
        loss = ((_predict(theta, x) - y) ** 2).mean()
        loss.backward()
        return loss

    curve = np.full(epochs, math.inf)
    limit = math.inf
    for t in range(epochs):
        # the loss the closure returns first is the one before this step's update
        curve[t] = optimizer.step(closure).item()
        if t == 0:
            limit = float(_first_limit(curve[:1], _reference(y))[0])
        if not curve[t] <= limit:  # also true for inf and NaN: a diverged run stops here
            curve[t:] = math.inf
            return curve, np.full(2, math.nan), calls, t + 1
        if scheduler is not None:
            scheduler.step()
    return curve, theta.detach().numpy()[0].astype(np.float64), calls, epochs


def _reference(y: torch.Tensor) -> float:
    """The loss of predicting 0: the scale a run that starts at loss 0 is measured by."""
    reference = float(y.detach().double().pow(2).mean())
    return reference if math.isfinite(reference) else 0.0


def _first_limit(first: np.ndarray, reference: float) -> np.ndarray:
    """The divergence limit of each run from its first loss, which must be finite."""
    if not np.all(np.isfinite(first)):
        raise ValueError(
            "x and y must give a finite loss at the start, got a NaN or infinite loss "
            "before the first update; the data are too large for their dtype: rescale them"
        )
    base = np.where(first > 0, first, reference)  # a start at loss 0 uses the data's scale
    return DIVERGENCE_FACTOR * np.maximum(base, np.finfo(np.float64).tiny)


def _stop_diverged(curves: np.ndarray, reference: float) -> np.ndarray:
    """Set each curve to ``inf`` from the first step where it blew up."""
    limit = _first_limit(curves[..., :1], reference)
    blown = np.cumsum(~(curves <= limit), axis=-1) > 0  # ~(<=) also catches NaN
    return np.where(blown, math.inf, curves)


def run(
    name: str,
    states: Sequence[Mapping[str, torch.Tensor]],
    x: torch.Tensor,
    y: torch.Tensor,
    *,
    learning_rate: float,
    epochs: int,
    schedule: Schedule | None = None,
    **settings: object,
) -> tuple[np.ndarray, float]:
    """Loss curves (one row per starting state) and loss evaluations per step.

    :func:`run_grid` for a single learning rate; runs that diverge are ``inf`` from the
    step where they blew up.

    Raises
    ------
    ValueError
        If ``name`` is not one of :data:`OPTIMIZERS`.

    Examples
    --------
    >>> x = torch.tensor([[1.0], [2.0], [3.0]]); y = 2 * x
    >>> states = initial_states([0, 1])
    >>> curves, evaluations = run("LBFGS", states, x, y, learning_rate=1.0, epochs=20)
    >>> curves.shape, evaluations
    ((2, 20), 1.0)
    """
    check_scalar("learning_rate", learning_rate, low=0, closed="neither")
    curves, evaluations = run_grid(
        name, states, x, y, rates=[learning_rate], epochs=epochs, schedule=schedule, **settings
    )
    return curves[0], evaluations


def race(
    x: torch.Tensor,
    y: torch.Tensor,
    *,
    names: Sequence[str] = RACE,
    common_rate: float = 0.01,
    rate_grid: Sequence[float] = (0.01, 0.03, 0.1, 0.3, 1.0, 3.0),
    seeds: Sequence[int] = (0, 1, 2),
    epochs: int = 50,
    schedule: Schedule | None = None,
) -> list[RaceResult]:
    """Run every optimizer at the common rate and at each rate of the grid.

    Every optimizer starts from the same ``initial_states(seeds)``; each is scored by its
    mean final loss over the seeds, at ``common_rate`` and at the best rate of
    ``rate_grid``.

    Returns
    -------
    list of RaceResult
        In the order of ``names``.

    Raises
    ------
    ValueError
        If a name is unknown, a rate is not positive, or ``seeds`` is empty.

    Examples
    --------
    >>> x = torch.tensor([[1.0], [2.0], [3.0]]); y = 2 * x
    >>> [r.tuned_rate for r in race(x, y, names=["SGD"], rate_grid=[0.01, 0.1], epochs=20)]
    [0.1]
    """
    if isinstance(names, (str, bytes)) or not isinstance(names, Sequence) or not names:
        raise ValueError(f"names must be a non-empty sequence of optimizer names, got {names!r}")
    factories = [_factory(name, f"names[{i}]") for i, name in enumerate(names)]
    if isinstance(rate_grid, (str, bytes)) or not isinstance(rate_grid, Iterable):
        kind = type(rate_grid).__name__
        raise ValueError(f"rate_grid must be a non-empty sequence of numbers, got {kind}")
    grid = list(rate_grid)
    _check_rates("rate_grid", grid)
    check_scalar("common_rate", common_rate, low=0, closed="neither")
    states = initial_states(seeds)
    rates = grid if common_rate in grid else [*grid, common_rate]
    checked_rates, epochs = _check_run(rates, states, x, y, epochs)
    _check_schedule(schedule)
    results = []
    for name, factory in zip(names, factories, strict=True):
        fit = _fit_grid(name, factory, checked_rates, states, x, y, epochs, schedule, {})
        curves = fit.curves
        final = {rate: float(curves[i, :, -1].mean()) for i, rate in enumerate(rates)}
        best = min(range(len(grid)), key=lambda i: final[grid[i]])
        common = curves[rates.index(common_rate)]
        results.append(
            RaceResult(
                name=name,
                common_loss=final[common_rate],
                tuned_rate=grid[best],
                tuned_loss=final[grid[best]],
                evaluations_per_step=fit.evaluations_per_step,
                common_curve=common.mean(axis=0),
                tuned_curve=curves[best].mean(axis=0),
                grid_losses={rate: final[rate] for rate in grid},
                common_theta=fit.theta[rates.index(common_rate)],
                tuned_theta=fit.theta[best],
            )
        )
    return results


def learning_rates(schedule: Schedule, *, base_rate: float, epochs: int) -> np.ndarray:
    r"""The learning rate a scheduler sets for each of ``epochs`` steps.

    Builds the scheduler on a throw-away optimizer with rate ``base_rate`` and steps it as
    :func:`run_grid` does (once after every optimizer step), so entry ``t`` is the rate
    used by step ``t``. For ``StepLR(step_size=s, gamma=g)`` that is
    :math:`\alpha\,g^{\lfloor t/s \rfloor}`; for ``CosineAnnealingLR(T_max=T)``,
    :math:`\tfrac{\alpha}{2}\,(1 + \cos(\pi t / T))`.

    Raises
    ------
    ValueError
        If ``base_rate`` is not positive or ``epochs < 1``.

    Examples
    --------
    >>> step = lambda opt: torch.optim.lr_scheduler.StepLR(opt, step_size=2, gamma=0.5)
    >>> learning_rates(step, base_rate=0.4, epochs=5).tolist()
    [0.4, 0.4, 0.2, 0.2, 0.1]
    """
    _check_schedule(schedule)
    if schedule is None:
        raise TypeError("schedule must be callable (optimizer -> scheduler), got None")
    base_rate = check_scalar("base_rate", base_rate, low=0, closed="neither")
    epochs = as_bounded_count("epochs", epochs, what="steps")
    optimizer = torch.optim.SGD([torch.zeros(1, requires_grad=True)], lr=base_rate)
    scheduler = schedule(optimizer)
    if not isinstance(scheduler, torch.optim.lr_scheduler.LRScheduler):
        kind = type(scheduler).__name__
        raise TypeError(f"schedule must return a scheduler with a step() method, got {kind}")
    rates = np.empty(epochs)
    for t in range(epochs):
        rates[t] = optimizer.param_groups[0]["lr"]
        optimizer.step()  # no gradient, no change; the scheduler expects a step first
        scheduler.step()
    return rates


def ridge_solution(x: ArrayLike, y: ArrayLike, *, weight_decay: float) -> np.ndarray:
    r"""Where L2 weight decay ``weight_decay`` = :math:`\lambda` leads ``y = w x + b``.

    PyTorch's ``weight_decay`` adds :math:`\lambda\theta` to the gradient of every
    parameter :math:`\theta = (w, b)`, which is the gradient of
    :math:`L(\theta) + \tfrac{\lambda}{2}\lVert\theta\rVert^2` with
    :math:`L = \tfrac1N\lVert X\theta - y\rVert^2` and :math:`X = [x, 1]`. Setting it to
    zero gives ridge regression:

    .. math:: \theta_\lambda = \Bigl(X^\top X + \tfrac{N\lambda}{2} I\Bigr)^{-1} X^\top y,

    which shrinks the least-squares solution toward 0 as :math:`\lambda` grows.

    Parameters
    ----------
    x, y : array_like
        Inputs and targets, 1-D, of equal length.
    weight_decay : float
        :math:`\lambda \ge 0`; 0 gives ordinary least squares.

    Returns
    -------
    numpy.ndarray
        ``[w, b]``.

    Raises
    ------
    ValueError
        If ``weight_decay`` is negative or not finite, if the data are not a data set, or
        if ``weight_decay`` is 0 and all inputs are equal (no unique solution).

    Examples
    --------
    >>> ridge_solution([1.0, 2.0, 3.0], [2.0, 4.0, 6.0], weight_decay=0.0).round(12).tolist()
    [2.0, 0.0]
    >>> theta = ridge_solution([1.0, 2.0, 3.0], [2.0, 4.0, 6.0], weight_decay=1.0)
    >>> theta.round(6).tolist()  # 8/5, 8/15
    [1.6, 0.533333]
    """
    x_array, y_array = as_data(x, y)
    weight_decay = check_scalar("weight_decay", weight_decay, low=0)
    design = np.column_stack([x_array, np.ones_like(x_array)])
    shift = x_array.size * weight_decay / 2.0
    try:
        with np.errstate(over="ignore", invalid="ignore"):
            gram, moment = design.T @ design + shift * np.eye(2), design.T @ y_array
        if not (np.all(np.isfinite(gram)) and np.all(np.isfinite(moment))):
            raise overflow_error("x, y and weight_decay", "the normal equations")
        solution = np.linalg.solve(gram, moment)
        if not np.all(np.isfinite(solution)):
            raise overflow_error("x, y and weight_decay", "the solution")
        return solution
    except np.linalg.LinAlgError as err:
        raise ValueError(
            "weight_decay = 0 needs at least two distinct inputs x (else w and b are not "
            f"determined), got x = {x_array.tolist()}"
        ) from err
