"""The training loops of the PyTorch chapters: model, loss, optimizer, data, epochs.

It is the course's loop, written once::

    for epoch in range(epochs):
        optimizer.zero_grad()
        loss = loss_fn(model(x), y)
        loss.backward()
        optimizer.step()

with three additions a reader relies on: it returns a :class:`TrainingHistory` instead
of printing; it passes the loop body to ``optimizer.step`` as a *closure*, which is what
optimizers such as L-BFGS need and what every other optimizer accepts; and it stops with
a clear error instead of carrying on with a loss of ``nan``, or with a target whose
shape ``MSELoss`` would silently broadcast.

:func:`train_minibatches` is the same loop over the batches of a
:class:`~torch.utils.data.DataLoader` (one update per batch), and :func:`evaluate`
measures a trained model on data it has not seen, without recording a graph.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Protocol

import numpy as np
import torch

from ._validation import as_bounded_count, as_flag
from .divergence import DivergenceError, divergence_limit


class Monitor(Protocol):
    """Anything with a method ``log(step, **values)``, such as chapter 10's monitor."""

    def log(self, step: int, **values: float) -> None: ...


@dataclass(frozen=True)
class TrainingHistory:
    """What happened during :func:`train` or :func:`train_minibatches`.

    The same shape as the numpy descents' :class:`~dlpractice.descent.History`: one
    ``loss`` and one ``epoch`` per update, the parameters before the first update and
    after each one.

    Attributes
    ----------
    loss : numpy.ndarray
        The loss at the start of each update, before that update (what the course
        prints): one per epoch for :func:`train`, one per batch for
        :func:`train_minibatches`.
    epoch : numpy.ndarray
        The epoch each update belongs to, counted from 0.
    parameters : list of dict
        If recorded, the model's parameters (as numpy arrays) before the first update
        and after each update: ``parameters[k]`` after ``k`` updates.

    Examples
    --------
    >>> history = TrainingHistory(loss=np.array([4.0, 1.0]), epoch=np.array([0, 1]))
    >>> history.updates
    2
    """

    loss: np.ndarray
    epoch: np.ndarray
    parameters: list[dict[str, np.ndarray]] = field(default_factory=list)

    @property
    def updates(self) -> int:
        """Number of parameter updates made."""
        return int(self.loss.size)

    def parameter(self, name: str) -> np.ndarray:
        """The trajectory of one parameter, shape ``(epochs + 1, *shape)``."""
        if not isinstance(name, str):
            raise TypeError(f"name must be a str, got {type(name).__name__}")
        if not self.parameters:
            raise ValueError(
                "name cannot be looked up: parameters were not recorded (record_parameters=False)"
            )
        if name not in self.parameters[0]:
            names = sorted(self.parameters[0])
            raise KeyError(f"name must be one of {names}, got {name!r}")
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
        If ``x`` and ``y`` differ in their number of rows, ``epochs < 1``, or
        ``loss_fn`` is one of :data:`ELEMENTWISE_LOSSES` and the model's output and
        ``y`` differ in shape (``MSELoss`` would broadcast a ``(3,)`` target against a
        ``(3, 1)`` prediction to ``(3, 3)``, with only a warning).
    DivergenceError
        If the loss grows past ``DIVERGENCE_FACTOR`` (a million) times its first value,
        or becomes infinite or NaN; the message names the epoch and the learning rate.
    """
    _check(model, loss_fn, optimizer, x, y)
    epochs = as_bounded_count("epochs", epochs, what="epochs")
    record_parameters = as_flag("record_parameters", record_parameters)
    _check_monitor(monitor)
    losses: list[float] = []
    parameters = [_snapshot(model)] if record_parameters else []

    def closure() -> torch.Tensor:
        optimizer.zero_grad()
        loss = _scalar(loss_fn(_checked(_forward(model, x), y, loss_fn), y))
        loss.backward()
        return loss

    limit = math.inf
    for epoch in range(epochs):
        loss = optimizer.step(closure).item()
        if epoch == 0:
            limit = _first_limit(loss, y)
        _stop_if_diverged(loss, limit, optimizer, f"epoch {epoch}")
        losses.append(loss)
        if record_parameters:
            parameters.append(_snapshot(model))
        if monitor is not None:
            monitor.log(epoch, loss=loss)
    return TrainingHistory(np.array(losses), np.arange(epochs), parameters)


def train_minibatches(
    model: torch.nn.Module,
    loss_fn: torch.nn.Module,
    optimizer: torch.optim.Optimizer,
    loader: Iterable[tuple[torch.Tensor, torch.Tensor]],
    *,
    epochs: int,
    monitor: Monitor | None = None,
    record_parameters: bool = True,
) -> TrainingHistory:
    """Mini-batch training: each epoch, one optimizer step per batch of ``loader``.

    The loop of chapter 3's mini-batch descent, with PyTorch's parts::

        for epoch in range(epochs):
            for xb, yb in loader:
                optimizer.zero_grad()
                loss = loss_fn(model(xb), yb)
                loss.backward()
                optimizer.step()

    With ``loss_fn = MSELoss()`` (the mean) every batch is one update of the same size
    whatever the batch holds, so each sample of a smaller last batch weighs more.

    Parameters
    ----------
    model, loss_fn, optimizer
        As in :func:`train`.
    loader : iterable
        Of ``(x, y)`` batches, iterated once per epoch, such as a
        :class:`~torch.utils.data.DataLoader` (see ``dlpractice.torch_data.seeded_loader``).
    epochs : int
        Passes over ``loader``, at least 1.
    monitor : Monitor, optional
        Receives ``monitor.log(update, loss=...)`` after every update, counted over all
        epochs from 0.
    record_parameters : bool
        Keep a copy of every parameter after every update.

    Returns
    -------
    TrainingHistory
        ``loss[k]`` is the loss of batch ``k`` before its update; ``parameters[k]`` the
        parameters after ``k`` updates, counted over all epochs.

    Raises
    ------
    TypeError
        If an argument is not of the expected kind.
    ValueError
        If ``epochs < 1``, a batch's inputs and targets differ in rows, or an
        element-wise loss would broadcast a target of another shape than the prediction.
    DivergenceError
        As in :func:`train`.

    Examples
    --------
    >>> from dlpractice.torch_data import RegressionDataset, seeded_loader
    >>> _ = torch.manual_seed(0)
    >>> model = torch.nn.Linear(1, 1)
    >>> loader = seeded_loader(RegressionDataset([1.0, 2.0, 3.0], [2.0, 4.0, 6.0]),
    ...                        batch_size=2, seed=0)
    >>> history = train_minibatches(model, torch.nn.MSELoss(),
    ...                             torch.optim.SGD(model.parameters(), lr=0.05),
    ...                             loader, epochs=10)
    >>> len(history.loss), len(history.parameters)  # 2 batches per epoch
    (20, 21)
    """
    not_batches = (torch.Tensor, str, bytes)
    if isinstance(loader, not_batches) or not isinstance(loader, Iterable):
        raise TypeError(
            f"loader must be an iterable of (x, y) batches, got {type(loader).__name__}"
        )
    if not isinstance(model, torch.nn.Module):  # before the snapshot reads its parameters
        raise TypeError(f"model must be a torch.nn.Module, got {type(model).__name__}")
    epochs = as_bounded_count("epochs", epochs, what="epochs")
    record_parameters = as_flag("record_parameters", record_parameters)
    _check_monitor(monitor)
    losses: list[float] = []
    epoch_of: list[int] = []
    parameters = [_snapshot(model)] if record_parameters else []
    limit = math.inf
    for epoch in range(epochs):
        for batch in loader:
            xb, yb = _batch(batch)
            _check(model, loss_fn, optimizer, xb, yb)
            optimizer.zero_grad()
            loss_tensor = _scalar(loss_fn(_checked(_forward(model, xb), yb, loss_fn), yb))
            loss_tensor.backward()
            optimizer.step()
            loss = loss_tensor.item()
            if not losses:
                limit = _first_limit(loss, yb)
            _stop_if_diverged(loss, limit, optimizer, f"epoch {epoch}")
            if monitor is not None:
                monitor.log(len(losses), loss=loss)
            losses.append(loss)
            epoch_of.append(epoch)
            if record_parameters:
                parameters.append(_snapshot(model))
    if not losses:
        raise ValueError("loader must yield at least one batch, got none")
    return TrainingHistory(np.array(losses), np.array(epoch_of), parameters)


def evaluate(
    model: torch.nn.Module, loss_fn: torch.nn.Module, x: torch.Tensor, y: torch.Tensor
) -> float:
    """The loss of ``model`` on ``(x, y)``, computed without recording a graph.

    Use it for a test set: the model runs in evaluation mode (``model.eval()``, which
    matters for layers such as dropout) inside ``torch.no_grad()``, and the mode it was
    in is restored afterwards.

    Parameters
    ----------
    model, loss_fn
        As in :func:`train`.
    x, y : torch.Tensor
        Inputs and targets with the same number of rows.

    Returns
    -------
    float

    Raises
    ------
    TypeError, ValueError
        As in :func:`train`.

    Examples
    --------
    >>> model = torch.nn.Linear(1, 1)
    >>> with torch.no_grad():
    ...     _ = model.weight.fill_(2.0), model.bias.fill_(0.0)
    >>> x = torch.tensor([[1.0], [2.0]])
    >>> y = torch.tensor([[3.0], [4.0]])
    >>> evaluate(model, torch.nn.MSELoss(), x, y)  # ((2 - 3)**2 + (4 - 4)**2) / 2
    0.5
    """
    if not isinstance(model, torch.nn.Module):
        raise TypeError(f"model must be a torch.nn.Module, got {type(model).__name__}")
    _check_loss_and_data(loss_fn, x, y)
    _check_dtype(model, x)
    was_training = model.training
    model.eval()
    try:
        with torch.no_grad():
            loss = _scalar(loss_fn(_checked(_forward(model, x), y, loss_fn), y)).item()
    finally:
        model.train(was_training)
    if not math.isfinite(loss):
        raise ValueError(
            f"model must give a finite loss on x and y, got {loss}; its parameters or "
            f"outputs have overflowed"
        )
    return loss


#: Losses that compare prediction and target element by element, and so broadcast them.
ELEMENTWISE_LOSSES = (
    torch.nn.MSELoss,
    torch.nn.L1Loss,
    torch.nn.SmoothL1Loss,
    torch.nn.HuberLoss,
)


def _forward(model: torch.nn.Module, x: torch.Tensor) -> torch.Tensor:
    """``model(x)``; a shape the model cannot take is reported as x's, by name."""
    try:
        return model(x)
    except RuntimeError as err:
        if "shape" not in str(err) and "size" not in str(err):
            raise
        raise ValueError(
            f"x must have the shape the model expects, got {tuple(x.shape)}; model(x) raised: {err}"
        ) from None


def _checked(
    prediction: torch.Tensor,
    target: torch.Tensor,
    loss_fn: object,
) -> torch.Tensor:
    """The prediction, once sure that an element-wise loss will not broadcast it."""
    if isinstance(loss_fn, ELEMENTWISE_LOSSES) and prediction.shape != target.shape:
        both = tuple(torch.broadcast_shapes(prediction.shape, target.shape))
        raise ValueError(
            f"the model's output has shape {tuple(prediction.shape)} but the target "
            f"has shape {tuple(target.shape)}; {type(loss_fn).__name__} would "
            f"broadcast them to {both}"
            f" and compare every prediction with every target. Give the target the "
            f"output's shape, for example y.reshape(-1, 1)"
        )
    return prediction


def _scalar(loss: object) -> torch.Tensor:
    """The loss, once sure that it is one number that ``backward`` can start from."""
    if not isinstance(loss, torch.Tensor) or loss.ndim != 0:
        got = tuple(loss.shape) if isinstance(loss, torch.Tensor) else type(loss).__name__
        raise ValueError(f"loss_fn must return a scalar tensor (use reduction='mean'), got {got}")
    return loss


def _batch(batch: object) -> tuple[object, object]:
    """A loader's batch as ``(x, y)``, or raise naming ``loader``."""
    if isinstance(batch, (tuple, list)) and len(batch) == 2:
        return batch[0], batch[1]
    kind = type(batch).__name__
    raise TypeError(f"loader must yield (x, y) pairs, got a batch of type {kind}")


def _first_limit(loss: float, y: torch.Tensor) -> float:
    """The divergence limit from the first loss, which must be finite."""
    if not math.isfinite(loss):
        raise ValueError(
            f"x and y must give a finite loss at the start, got {loss} before the first "
            f"update; the data (or the model's starting parameters) are too large for "
            f"{y.dtype}: rescale them"
        )
    reference = float(y.detach().double().pow(2).mean())  # the loss of predicting 0
    return divergence_limit(loss, reference=reference if math.isfinite(reference) else 0.0)


def _stop_if_diverged(
    loss: float, limit: float, optimizer: torch.optim.Optimizer, when: str
) -> None:
    if not loss <= limit:  # also true for inf and NaN
        rates = sorted({group.get("lr") for group in optimizer.param_groups})
        raise DivergenceError(
            f"training diverged: the loss grew to {loss:.4g} by {when} with "
            f"{type(optimizer).__name__}(lr={rates[0] if len(rates) == 1 else rates}); "
            f"lower the learning rate"
        )


def _check_monitor(monitor: object) -> None:
    if monitor is not None and not callable(getattr(monitor, "log", None)):
        kind = type(monitor).__name__
        raise TypeError(f"monitor must have a method log(step, **values), got {kind}")


def _snapshot(model: torch.nn.Module) -> dict[str, np.ndarray]:
    named = model.named_parameters()
    return {name: p.detach().cpu().numpy().copy() for name, p in named}


def _check(model, loss_fn, optimizer, x, y) -> None:
    if not isinstance(model, torch.nn.Module):
        raise TypeError(f"model must be a torch.nn.Module, got {type(model).__name__}")
    if not isinstance(optimizer, torch.optim.Optimizer):
        raise TypeError(
            f"optimizer must be a torch.optim.Optimizer, got {type(optimizer).__name__}"
        )
    _check_loss_and_data(loss_fn, x, y)
    _check_dtype(model, x)
    groups = optimizer.param_groups
    owned = {id(p) for p in model.parameters()}
    if owned and not any(id(p) in owned for group in groups for p in group["params"]):
        raise ValueError(
            "optimizer must be built on model.parameters(), got one that updates none of "
            "the model's parameters"
        )


def _check_dtype(model: torch.nn.Module, x: torch.Tensor) -> None:
    parameter = next(model.parameters(), None)
    if parameter is not None and parameter.dtype != x.dtype:
        raise TypeError(
            f"x must have the dtype of the model's parameters, {parameter.dtype}, got "
            f"{x.dtype}; convert it with x.to({parameter.dtype})"
        )


def _check_loss_and_data(loss_fn, x, y) -> None:
    if not callable(loss_fn):
        raise TypeError(f"loss_fn must be callable, got {type(loss_fn).__name__}")
    for name, tensor in (("x", x), ("y", y)):
        if not isinstance(tensor, torch.Tensor):
            kind = type(tensor).__name__
            raise TypeError(f"{name} must be a torch.Tensor, got {kind}")
        if tensor.ndim == 0 or tensor.shape[0] == 0:
            raise ValueError(
                f"{name} must hold at least one sample, got shape {tuple(tensor.shape)}"
            )
        if not (tensor.is_floating_point() and not tensor.is_complex()):
            raise TypeError(f"{name} must hold real floating-point numbers, got {tensor.dtype}")
        finite = torch.isfinite(tensor.detach())
        if not bool(finite.all()):
            bad = tuple(int(i) for i in torch.nonzero(~finite)[0])
            value = float(tensor.detach()[bad])
            raise ValueError(f"{name} must be finite, got {value} at index {bad}")
    if x.shape[0] != y.shape[0]:
        rows = f"{x.shape[0]} and {y.shape[0]}"
        raise ValueError(f"x and y must have the same number of rows, got {rows}")
