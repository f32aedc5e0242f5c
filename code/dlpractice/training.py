"""One small training loop for the PyTorch chapters: model, loss, optimizer, data, epochs.

It is the course's loop, written once::

    for epoch in range(epochs):
        optimizer.zero_grad()
        loss = loss_fn(model(x), y)
        loss.backward()
        optimizer.step()

with three additions a reader relies on: it returns a :class:`TrainingHistory` instead of
printing; it passes the loop body to ``optimizer.step`` as a *closure*, which is what
optimizers such as L-BFGS need and what every other optimizer accepts; and it stops with a
clear error instead of carrying on with a loss of ``nan``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Protocol

import numpy as np
import torch

from ._validation import as_count
from .descent import DIVERGENCE_FACTOR, DivergenceError


class Monitor(Protocol):
    """Anything with a method ``log(step, **values)``, such as the monitor of chapter 9."""

    def log(self, step: int, **values: float) -> None: ...


@dataclass
class TrainingHistory:
    """What happened during :func:`train`.

    Attributes
    ----------
    loss : list of float
        The loss at the start of each epoch, before that epoch's update (what the course
        prints).
    parameters : list of dict
        If recorded, the model's parameters (as numpy arrays) before the first update and
        after each epoch: ``parameters[k]`` after ``k`` epochs.
    """

    loss: list[float] = field(default_factory=list)
    parameters: list[dict[str, np.ndarray]] = field(default_factory=list)

    def parameter(self, name: str) -> np.ndarray:
        """The trajectory of one parameter, shape ``(epochs + 1, *shape)``."""
        if not self.parameters:
            raise ValueError("parameters were not recorded (record_parameters=False)")
        if name not in self.parameters[0]:
            raise KeyError(f"no parameter {name!r}; there are {sorted(self.parameters[0])}")
        return np.stack([snapshot[name] for snapshot in self.parameters])


def train(
    model: torch.nn.Module,
    loss_fn: torch.nn.Module,
    optimizer: torch.optim.Optimizer,
    x: torch.Tensor,
    y: torch.Tensor,
    *,
    epochs: int,
    monitor: Monitor | None = None,
    record_parameters: bool = True,
) -> TrainingHistory:
    """Full-batch training: one optimizer step per epoch on all of ``(x, y)``.

    Parameters
    ----------
    model : torch.nn.Module
    loss_fn : torch.nn.Module
        Called as ``loss_fn(model(x), y)``; must return a scalar tensor.
    optimizer : torch.optim.Optimizer
        Built on ``model.parameters()``.
    x, y : torch.Tensor
        Inputs and targets with the same number of rows.
    epochs : int
        Number of steps, at least 1.
    monitor : Monitor, optional
        Receives ``monitor.log(epoch, loss=...)`` every epoch.
    record_parameters : bool
        Keep a copy of every parameter after every epoch.

    Returns
    -------
    TrainingHistory

    Raises
    ------
    TypeError
        If an argument is not of the expected kind.
    ValueError
        If ``x`` and ``y`` differ in their number of rows, or ``epochs < 1``.
    DivergenceError
        If the loss grows past ``DIVERGENCE_FACTOR`` (a million) times its first value, or
        becomes infinite or NaN; the message names the epoch and the learning rate.
    """
    _check(model, loss_fn, optimizer, x, y)
    epochs = as_count("epochs", epochs)
    history = TrainingHistory()
    if record_parameters:
        history.parameters.append(_snapshot(model))

    def closure() -> torch.Tensor:
        optimizer.zero_grad()
        loss = loss_fn(model(x), y)
        loss.backward()
        return loss

    limit = math.inf
    for epoch in range(epochs):
        loss = optimizer.step(closure).item()
        if epoch == 0:
            limit = DIVERGENCE_FACTOR * max(loss, np.finfo(np.float64).tiny)
        if not loss <= limit:  # also true for inf and NaN
            rates = sorted({group.get("lr") for group in optimizer.param_groups})
            raise DivergenceError(
                f"training diverged: the loss grew to {loss:.4g} by epoch {epoch} with "
                f"{type(optimizer).__name__}(lr={rates[0] if len(rates) == 1 else rates}); "
                f"lower the learning rate"
            )
        history.loss.append(loss)
        if record_parameters:
            history.parameters.append(_snapshot(model))
        if monitor is not None:
            monitor.log(epoch, loss=loss)
    return history


def _snapshot(model: torch.nn.Module) -> dict[str, np.ndarray]:
    return {name: p.detach().cpu().numpy().copy() for name, p in model.named_parameters()}


def _check(model, loss_fn, optimizer, x, y) -> None:
    if not isinstance(model, torch.nn.Module):
        raise TypeError(f"model must be a torch.nn.Module, got {type(model).__name__}")
    if not callable(loss_fn):
        raise TypeError(f"loss_fn must be callable, got {type(loss_fn).__name__}")
    if not isinstance(optimizer, torch.optim.Optimizer):
        raise TypeError(
            f"optimizer must be a torch.optim.Optimizer, got {type(optimizer).__name__}"
        )
    for name, tensor in (("x", x), ("y", y)):
        if not isinstance(tensor, torch.Tensor):
            raise TypeError(f"{name} must be a torch.Tensor, got {type(tensor).__name__}")
        if tensor.ndim == 0 or tensor.shape[0] == 0:
            raise ValueError(
                f"{name} must hold at least one sample, got shape {tuple(tensor.shape)}"
            )
    if x.shape[0] != y.shape[0]:
        raise ValueError(
            f"x and y must have the same number of rows, got {x.shape[0]} and {y.shape[0]}"
        )
