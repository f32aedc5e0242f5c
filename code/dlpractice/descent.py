r"""Gradient descent on the linear model: batch, stochastic and mini-batch.

All three repeat the update of lecture 3,

.. math:: w \leftarrow w - \alpha\,\frac{\partial\,\text{cost}}{\partial w},
          \qquad b \leftarrow b - \alpha\,\frac{\partial\,\text{cost}}{\partial b},

and differ only in which samples the cost is averaged over for each update: all of them
(batch), one (stochastic), or a few (mini-batch). Each function returns a :class:`History`
instead of printing, so a chapter can print, plot or test whatever it needs.

With ``b0=None`` the model is the course's ``y_hat = x*w``: ``b`` stays 0 and is not trained.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
from numpy.typing import ArrayLike

from ._validation import (
    as_count,
    as_data,
    as_flag,
    as_size,
    check_scalar,
    overflow_error,
)
from .cost_landscape import SufficientStatistics
from .curvature import _critical_rate
from .divergence import DivergenceError, divergence_limit
from .gradients import _cost_and_gradient


@dataclass(frozen=True)
class History:
    """The trajectory of one descent run.

    The PyTorch loops return the same shape (:class:`~dlpractice.training.TrainingHistory`):
    ``loss`` and ``epoch`` per update, the parameters before the first update and after
    each one, and :attr:`updates`.

    Attributes
    ----------
    w, b : numpy.ndarray
        Parameters before the first update and after each one: ``w[k]`` after ``k`` updates.
    cost : numpy.ndarray
        The cost on the **whole** data set at ``(w[k], b[k])``.
    loss : numpy.ndarray
        For update ``k``, the mean loss over the samples it used, measured **before** the
        update (what a training loop usually prints). One entry fewer than ``w``.
    epoch : numpy.ndarray
        The epoch each update belongs to, counted from 0.
    learning_rate : float
    batch_size : int
        Samples per update (the data set's size for batch gradient descent).
    diverged : bool
        True if the run was stopped because the cost blew up (only with
        ``allow_divergence=True``; otherwise that raises
        :class:`~dlpractice.divergence.DivergenceError`).
    """

    w: np.ndarray
    b: np.ndarray
    cost: np.ndarray
    loss: np.ndarray
    epoch: np.ndarray
    learning_rate: float
    batch_size: int
    diverged: bool

    @property
    def updates(self) -> int:
        """Number of parameter updates made."""
        return self.w.size - 1

    def final(self) -> tuple[float, float]:
        """The parameters after the last update, ``(w, b)``."""
        return float(self.w[-1]), float(self.b[-1])


def gradient_descent(
    x: ArrayLike,
    y: ArrayLike,
    *,
    w0: float,
    b0: float | None = None,
    learning_rate: float,
    epochs: int,
    allow_divergence: bool = False,
) -> History:
    """Batch gradient descent: one update per epoch, on the gradient over all samples.

    Parameters
    ----------
    x, y : array_like
        The data set.
    w0 : float
        Starting weight.
    b0 : float or None
        Starting bias; ``None`` for the model without bias.
    learning_rate : float
        The step factor, greater than 0.
    epochs : int
        Number of updates, at least 1.
    allow_divergence : bool
        If True, a run that blows up stops and is returned with ``diverged=True``;
        otherwise it raises.

    Returns
    -------
    History

    Raises
    ------
    DivergenceError
        If the cost blows up and ``allow_divergence`` is False; the message gives the
        learning rate above which batch descent diverges on this data.

    Examples
    --------
    >>> run = gradient_descent([1.0, 2.0, 3.0], [2.0, 4.0, 6.0], w0=1.0,
    ...                        learning_rate=0.01, epochs=100)
    >>> print(f"{run.w[-1]:.10f}")
    1.9999444397
    """
    x_array, y_array = as_data(x, y)
    return _descend(
        x_array,
        y_array,
        *_settings(w0, b0, learning_rate, epochs, allow_divergence),
        batch_size=x_array.size,
        shuffle=False,
        seed=0,
    )


def stochastic_descent(
    x: ArrayLike,
    y: ArrayLike,
    *,
    w0: float,
    b0: float | None = None,
    learning_rate: float,
    epochs: int,
    shuffle: bool = False,
    seed: int = 0,
    allow_divergence: bool = False,
) -> History:
    """Stochastic gradient descent (SGD): one update per sample.

    The course visits the samples in order (``shuffle=False``, the default here); shuffling
    each epoch is the usual practice. Parameters as in :func:`minibatch_descent`.

    Examples
    --------
    >>> run = stochastic_descent([1.0, 2.0, 3.0], [2.0, 4.0, 6.0], w0=1.0,
    ...                          learning_rate=0.01, epochs=100)
    >>> run.updates
    300
    """
    x_array, y_array = as_data(x, y)
    return _descend(
        x_array,
        y_array,
        *_settings(w0, b0, learning_rate, epochs, allow_divergence),
        batch_size=1,
        shuffle=as_flag("shuffle", shuffle),
        seed=as_count("seed", seed, minimum=0),
    )


def _settings(
    w0: object, b0: object, learning_rate: object, epochs: object, allow_divergence: object
) -> tuple[float, float | None, float, int, bool]:
    """Check the settings the three descents share."""
    return (
        check_scalar("w0", w0),
        None if b0 is None else check_scalar("b0", b0),
        check_scalar("learning_rate", learning_rate, low=0, closed="neither"),
        as_count("epochs", epochs),
        as_flag("allow_divergence", allow_divergence),
    )


def minibatch_descent(
    x: ArrayLike,
    y: ArrayLike,
    *,
    w0: float,
    b0: float | None = None,
    learning_rate: float,
    epochs: int,
    batch_size: int,
    shuffle: bool = True,
    seed: int = 0,
    allow_divergence: bool = False,
) -> History:
    """Mini-batch gradient descent: each epoch, cut the data into batches, update per batch.

    Each update uses the gradient of the mean loss over one batch. With ``shuffle`` the order
    of the samples is redrawn every epoch from ``numpy.random.default_rng(seed)``; the last
    batch of an epoch may be smaller when ``batch_size`` does not divide the data.

    Parameters
    ----------
    x, y : array_like
        The data set.
    w0 : float
        Starting weight.
    b0 : float or None
        Starting bias; ``None`` for the model without bias (``b`` stays 0).
    learning_rate : float
        The step factor, greater than 0.
    epochs : int
        Passes over the data, at least 1.
    batch_size : int
        Samples per update, from 1 to the size of the data set.
    shuffle : bool
        Redraw the order of the samples every epoch.
    seed : int
        Seed for the shuffling.
    allow_divergence : bool
        If True, a run that blows up stops and is returned with ``diverged=True``;
        otherwise it raises :class:`~dlpractice.divergence.DivergenceError`.

    Returns
    -------
    History

    Raises
    ------
    ValueError
        For an empty or mismatched data set, a learning rate that is not a positive finite
        number, a batch size or epoch count out of range, more than ``MAX_SIZE`` updates
        in all, or data and a start so large that the starting cost overflows float64.
    TypeError
        If an argument has the wrong type (flags must be True or False).
    DivergenceError
        If the cost blows up and ``allow_divergence`` is False.
    """
    x_array, y_array = as_data(x, y)
    return _descend(
        x_array,
        y_array,
        *_settings(w0, b0, learning_rate, epochs, allow_divergence),
        batch_size=as_count("batch_size", batch_size, maximum=x_array.size),
        shuffle=as_flag("shuffle", shuffle),
        seed=as_count("seed", seed, minimum=0),
    )


def _descend(
    x_array: np.ndarray,
    y_array: np.ndarray,
    w: float,
    b0: float | None,
    learning_rate: float,
    epochs: int,
    allow_divergence: bool,
    *,
    batch_size: int,
    shuffle: bool,
    seed: int,
) -> History:
    """The descent loop on checked values (the private core of the three descents)."""
    n = x_array.size
    train_bias = b0 is not None
    b = b0 if train_bias else 0.0
    stats = SufficientStatistics._of(x_array, y_array)  # full cost in O(1) per step
    rng = np.random.default_rng(seed)
    batches_per_epoch = -(-n // batch_size)
    total = epochs * batches_per_epoch
    as_size("epochs", total, what="updates (epochs times batches per epoch)")
    ws, bs, costs = np.empty(total + 1), np.empty(total + 1), np.empty(total + 1)
    losses = np.empty(total)
    epoch_of = np.repeat(np.arange(epochs), batches_per_epoch)
    ws[0], bs[0], costs[0] = w, b, float(stats._cost(w, b))
    if not np.isfinite(costs[0]):
        raise overflow_error("w0, b0, x and y", "the starting cost")
    limit = divergence_limit(costs[0], reference=float(stats._cost(0.0, 0.0)))

    k = 0
    diverged = False
    with np.errstate(over="ignore", invalid="ignore"):
        for _ in range(epochs):
            if shuffle:  # one copy per epoch; the batches below are views into it
                order = rng.permutation(n)
                xs, ys = x_array[order], y_array[order]
            else:
                xs, ys = x_array, y_array
            for start in range(0, n, batch_size):
                xb, yb = xs[start : start + batch_size], ys[start : start + batch_size]
                losses[k], grad = _cost_and_gradient(xb, yb, w, b)
                w -= learning_rate * grad.dw
                if train_bias:
                    b -= learning_rate * grad.db
                k += 1
                ws[k], bs[k], costs[k] = w, b, float(stats._cost(w, b))
                diverged = not costs[k] <= limit  # also true for inf and NaN
                if diverged:
                    break
            if diverged:
                break
    history = History(
        ws[: k + 1],
        bs[: k + 1],
        costs[: k + 1],
        losses[:k],
        epoch_of[:k],
        learning_rate,
        batch_size,
        diverged,
    )
    if diverged:
        return _stop_divergent(history, x_array, train_bias, allow_divergence)
    return history


def _stop_divergent(
    history: History, x: np.ndarray, train_bias: bool, allow_divergence: bool
) -> History:
    """Raise with a diagnosis, or return the run without its last, blown-up update."""
    if not allow_divergence:
        critical = _critical_rate(x, train_bias)
        raise DivergenceError(
            f"gradient descent diverged at update {history.updates}: the cost grew from "
            f"{history.cost[0]:.4g} to {history.cost[-1]:.4g} with "
            f"learning_rate={history.learning_rate}. On this data, batch gradient descent "
            f"converges only for learning_rate < {critical:.4g}; use a smaller learning rate "
            f"(or pass allow_divergence=True to inspect the run)."
        )
    if np.isfinite(history.cost[-1]) and np.isfinite(history.w[-1]):
        return history
    return replace(
        history,
        w=history.w[:-1],
        b=history.b[:-1],
        cost=history.cost[:-1],
        loss=history.loss[:-1],
        epoch=history.epoch[:-1],
    )
