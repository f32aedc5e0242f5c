r"""Watching training: record metrics, draw them live, smooth them, act on them.

The course suggests visdom for live plots of training. :class:`TrainingMonitor` records
every metric it is given and can, at the same time,

- redraw a figure in the notebook as training runs (``live=True``, in Jupyter);
- show a progress bar for long loops (``progress=<total steps>``, with tqdm);
- forward every value to backends: dashboards such as :class:`VisdomBackend` (a visdom
  server, as in the course) and :class:`TensorBoardBackend`
  (``torch.utils.tensorboard``), or :class:`EarlyStopping`, which watches a validation
  loss and keeps the best weights;
- draw the final figure, which is what the static book shows.

It has the one method that :func:`dlpractice.training.train` calls,
``log(step, **values)``. Two helpers go with it: :func:`exponential_moving_average`
smooths a noisy curve as TensorBoard's smoothing slider does, and :func:`gradient_norm`
is the number to log next to the loss.
"""

from __future__ import annotations

import logging
import math
import sys
from collections.abc import Iterable, Iterator, Mapping, Sequence
from numbers import Real
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

import matplotlib.pyplot as plt
import numpy as np
from matplotlib import ticker
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from ._validation import as_count, as_finite_real, as_flag, as_float_vector
from .plotting import SERIES_STYLES

if TYPE_CHECKING:
    import torch


class BackendUnavailable(RuntimeError):
    """A dashboard cannot be used: its package is missing or its server is down."""


class Backend(Protocol):
    """Where a monitor forwards its values: ``log(step, **values)`` and ``close()``.

    The same protocol as the monitor's own :meth:`TrainingMonitor.log` and as
    :class:`dlpractice.training.Monitor`: one way to log, everywhere.
    """

    def log(self, step: int, **values: float) -> None: ...

    def close(self) -> None: ...


class TrainingMonitor:
    """Record metrics per step; show them live, as a progress bar, in backends.

    Parameters
    ----------
    backends : list of Backend
        Objects with ``log(step, **values)`` and ``close()`` that receive every logged
        value: dashboards, or an :class:`EarlyStopping`.
    live : bool
        Redraw a figure in the notebook after every ``every`` calls of :meth:`log`
        (needs a Jupyter kernel).
    every : int
        Calls of :meth:`log` between live redraws.
    progress : int, optional
        Show a tqdm progress bar for this many calls of :meth:`log`.
    log_scale : bool
        Draw the values on a logarithmic axis (losses usually are).

    Raises
    ------
    TypeError
        If ``backends`` is not a list of objects with ``log()`` and ``close()``, a flag
        is not a bool, or ``every`` or ``progress`` is not an integer.
    ValueError
        If ``every`` or ``progress`` is less than 1, or ``live=True`` outside Jupyter.

    Notes
    -----
    The rules of :meth:`log`: a call is recorded whole or not at all; each metric's
    steps go forward (a step at or before the last step of a metric is refused: start a
    new monitor for a new run); and a closed monitor accepts no more values.

    Examples
    --------
    >>> monitor = TrainingMonitor()
    >>> for step in range(3):
    ...     monitor.log(step, loss=1.0 / (step + 1))
    >>> monitor.history("loss")[1].tolist()
    [1.0, 0.5, 0.3333333333333333]
    """

    def __init__(
        self,
        *,
        backends: Sequence[Backend] = (),
        live: bool = False,
        every: int = 10,
        progress: int | None = None,
        log_scale: bool = True,
    ) -> None:
        if isinstance(backends, (str, bytes)) or not isinstance(backends, Sequence):
            raise TypeError(f"backends must be a list of backends, got {type(backends).__name__}")
        self.backends = list(backends)
        for backend in self.backends:
            if not (callable(getattr(backend, "log", None)) and hasattr(backend, "close")):
                kind = type(backend).__name__
                raise TypeError(f"a backend needs log() and close(), got {kind}")
        self.every = as_count("every", every)
        live = as_flag("live", live)
        self.log_scale = as_flag("log_scale", log_scale)
        self._closed = False
        self._steps: dict[str, list[int]] = {}
        self._values: dict[str, list[float]] = {}
        self._calls = 0
        self._live = _LiveFigure(self) if live else None
        self._bar = None
        if progress is not None:
            self._bar = _count_bar(as_count("progress", progress))

    def log(self, step: int, **values: float) -> None:
        """Record ``values`` (name = number) at ``step`` and pass them on.

        Everything is checked before anything is recorded or passed on, so a call that
        raises leaves the monitor as it was.

        Raises
        ------
        ValueError
            If no value is given, a value is not finite, or ``step`` is not after the
            last step of a metric it logs (steps go forward).
        TypeError
            If ``step`` is not an integer or a value is not a real number.
        RuntimeError
            If the monitor is closed.
        """
        if self._closed:
            raise RuntimeError(
                "log() after close(): this TrainingMonitor is closed and cannot take new "
                "values; start a new one"
            )
        if not values:
            raise ValueError("log() needs at least one value, such as loss=0.5")
        step, clean = _checked_log(step, values)
        for name in clean:
            _check_step_forward(step, name, self._steps.get(name))
        for backend in self.backends:
            backend.log(step, **clean)
        for name, value in clean.items():
            self._steps.setdefault(name, []).append(step)
            self._values.setdefault(name, []).append(value)
        self._calls += 1
        if self._bar is not None:
            self._bar.update(1)
        if self._live is not None and self._calls % self.every == 0:
            self._live.update()

    def history(self, name: str) -> tuple[np.ndarray, np.ndarray]:
        """The steps and values recorded for ``name``.

        Raises
        ------
        TypeError
            If ``name`` is not a string.
        KeyError
            If no value of ``name`` was logged.
        """
        if not isinstance(name, str):
            raise TypeError(f"name must be a string, got {type(name).__name__}")
        if name not in self._values:
            raise KeyError(
                f"no metric {name!r}; name must be one of the recorded metrics: "
                f"{sorted(self._values)}"
            )
        return np.array(self._steps[name]), np.array(self._values[name])

    @property
    def names(self) -> list[str]:
        """The metrics recorded so far, in the order they first appeared."""
        return list(self._values)

    def figure(self, title: str = "Training", *, names: Sequence[str] | None = None) -> Figure:
        """A new figure of the metrics ``names`` (by default all) against the step.

        Raises
        ------
        TypeError
            If ``title`` is not a string or ``names`` not a list of strings.
        ValueError
            If nothing was logged yet, or ``names`` is empty.
        KeyError
            If a name was never logged.
        """
        _check_title(title)
        self._chosen(names)  # before a figure is made
        fig, ax = plt.subplots()
        self.draw(ax, title=title, names=names)
        fig.tight_layout()
        return fig

    def draw(
        self, ax: Axes, *, title: str = "Training", names: Sequence[str] | None = None
    ) -> None:
        """Draw the metrics ``names`` (by default all) into ``ax``, clearing it first.

        Each metric gets its own colour and line style; the legend stands outside the
        axes, to the right, so that it never hides a curve. With ``log_scale`` and only
        positive values the y-axis is logarithmic (:func:`plain_log_yaxis`).

        Parameters
        ----------
        ax : matplotlib.axes.Axes
            Where to draw.
        title : str
            The axes' title.
        names : sequence of str, optional
            The metrics to draw, in this order.

        Raises
        ------
        TypeError
            If ``ax`` is not a matplotlib Axes, ``title`` not a string or ``names`` not a
            list of strings.
        ValueError
            If nothing was logged yet, or ``names`` is empty.
        KeyError
            If a name was never logged.
        """
        _check_axes(ax)
        _check_title(title)
        chosen = self._chosen(names)
        curves = [self.history(name) for name in chosen]
        ax.clear()
        for i, (name, (steps, values)) in enumerate(zip(chosen, curves, strict=True)):
            style = SERIES_STYLES[i % len(SERIES_STYLES)]
            ax.plot(steps, values, label=name, **style)
        log_axis = self.log_scale and all(values.min() > 0 for _, values in curves)
        if log_axis:
            plain_log_yaxis(ax)
        ylabel = "value (log scale)" if log_axis else "value"
        ax.set(xlabel="step", ylabel=ylabel, title=title)
        if chosen:
            ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0))

    def _chosen(self, names: Sequence[str] | None) -> list[str]:
        """The metrics to draw: all, or ``names`` checked (each one recorded)."""
        if not self._values:
            raise ValueError("nothing to draw yet: log() must record a value first")
        if names is None:
            return self.names
        if isinstance(names, (str, bytes)) or not isinstance(names, Sequence):
            raise TypeError(
                f"names must be a list of metric names, such as ['loss'], got "
                f"{type(names).__name__}"
            )
        if len(names) == 0:
            raise ValueError("names must list at least one metric, got none")
        for name in names:
            self.history(name)  # raises for a name that is not a recorded metric
        return list(names)

    def close(self) -> None:
        """Finish the progress bar, the live figure and the backends.

        Closing twice does nothing more; after it, :meth:`log` refuses new values.
        """
        if self._closed:
            return
        self._closed = True
        if self._bar is not None:
            self._bar.close()
            self._bar = None
        if self._live is not None:
            self._live.finish()
            self._live = None
        for backend in self.backends:
            backend.close()

    def __enter__(self) -> TrainingMonitor:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


_SUPERSCRIPT = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")


class _PlainLogFormatter(ticker.LogFormatter):
    """Tick labels of a log axis as plain text: 10⁻³ and 0.2 rather than mathtext."""

    def __call__(self, x: float, pos: int | None = None) -> str:
        if not super().__call__(x, pos):  # the parent decides which ticks get a label
            return ""
        exponent = math.log10(x)
        if abs(exponent - round(exponent)) < 1e-9:
            return "10" + str(round(exponent)).translate(_SUPERSCRIPT)
        return f"{x:g}"


def plain_log_yaxis(ax: Axes) -> None:
    """Put the y-axis of ``ax`` on a log scale labelled in plain text.

    The labels read as matplotlib's own (10⁻³ at the powers of ten, 0.2 or 3 between
    them when the axis spans little), but they are written with Unicode superscripts
    instead of mathtext, whose parser is the slowest part of drawing a small figure.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> fig, ax = plt.subplots()
    >>> _ = ax.plot([0, 1], [1e-4, 10.0])
    >>> plain_log_yaxis(ax)
    >>> fig.canvas.draw()
    >>> [label.get_text() for label in ax.get_yticklabels()][1:-1]
    ['10⁻⁴', '10⁻³', '10⁻²', '10⁻¹', '10⁰', '10¹']
    >>> plt.close(fig)
    """
    _check_axes(ax)
    ax.set_yscale("log")
    ax.yaxis.set_major_formatter(_PlainLogFormatter())
    ax.yaxis.set_minor_formatter(_PlainLogFormatter(labelOnlyBase=False))


def _count_bar(total: int):
    """A text progress bar redrawn by count, each state drawn once."""
    from tqdm.std import (
        tqdm,
    )  # text bar: no ipywidgets needed, same in Jupyter and here

    class CountBar(tqdm):
        # tqdm's close() draws the bar's last state again. A terminal or Jupyter draws
        # it over the first copy (a carriage return); a static page keeps both lines.
        _shown = -1

        def display(self, msg=None, pos=None):
            if msg is None and self.n == self._shown:
                return True
            if msg is None:
                self._shown = self.n
            return super().display(msg, pos)

    return CountBar(
        total=total,  # redrawn every quarter of the way, by count, not by time,
        file=sys.stdout,  # so the bar left on a built page is the same on every build
        ascii=True,
        miniters=max(1, total // 4),
        mininterval=0,
        maxinterval=math.inf,
        bar_format="{l_bar}{bar:30}| {n_fmt}/{total_fmt} steps",
    )


class _LiveFigure:
    """A figure shown in the notebook at its first redraw, then updated in place."""

    def __init__(self, monitor: TrainingMonitor) -> None:
        try:
            from IPython import get_ipython
        except ImportError as err:
            raise ValueError("live=True needs IPython (run inside Jupyter)") from err
        if get_ipython() is None:
            raise ValueError("live=True needs a running Jupyter kernel; use figure() instead")
        self.monitor = monitor
        self.fig = Figure()  # not pyplot's: shown only through the display handle
        self.ax = self.fig.subplots()
        # fixed margins, with room for the legend on the right: a layout engine would
        # measure every label again at every redraw
        self.fig.subplots_adjust(left=0.12, right=0.78, bottom=0.12, top=0.92)
        self.handle = None
        self.drawn = 0  # calls of monitor.log() in the last drawing

    def update(self) -> None:
        from IPython.display import display

        self.monitor.draw(self.ax, title="Training")
        if self.handle is None:
            self.handle = display(self.fig, display_id=True)
        else:
            self.handle.update(self.fig)
        self.drawn = self.monitor._calls

    def finish(self) -> None:
        if self.monitor._calls and self.drawn != self.monitor._calls:
            self.update()  # the values logged since the last redraw


class EarlyStopping:
    r"""Stop training when a metric has not improved for ``patience`` evaluations.

    Give it to a monitor as a backend (or call :meth:`log` yourself) and log the
    validation loss of the model's *current* weights. A value improves on the best so
    far when

    .. math:: v_t < v_\text{best} - \delta ,

    with :math:`\delta` = ``min_delta``. Each improvement records the step, the value
    and, if a model was given, a copy of its weights; each other evaluation counts
    towards the patience, and after ``patience`` evaluations in a row without an
    improvement :attr:`should_stop` turns true. :meth:`restore` then puts the best
    weights back into the model.

    Parameters
    ----------
    metric : str
        The name of the logged value to watch, such as ``"val_loss"``; calls of
        :meth:`log` without it are ignored.
    patience : int
        Evaluations without improvement before stopping, at least 1.
    min_delta : float
        How much lower than the best a value must be to count as an improvement, 0 or
        more.
    model : torch.nn.Module, optional
        The model whose weights are copied at every improvement.

    Attributes
    ----------
    best_value : float
        The lowest value seen (``inf`` before the first).
    best_step : int or None
        The step at which it was logged.
    stopped_step : int or None
        The step at which the patience ran out, if it has.
    waited : int
        Evaluations since the last improvement.

    Raises
    ------
    TypeError
        If ``metric`` is not a string, ``patience`` not an integer, ``min_delta`` not a
        real number, or ``model`` has no ``state_dict``.
    ValueError
        If ``metric`` is empty, ``patience < 1`` or ``min_delta < 0``.

    Examples
    --------
    >>> stopper = EarlyStopping("val_loss", patience=2)
    >>> for step, value in enumerate([5.0, 3.0, 4.0, 2.0, 2.5, 2.1, 9.0]):
    ...     stopper.log(step, val_loss=value)
    ...     if stopper.should_stop:
    ...         break
    >>> stopper.best_step, stopper.best_value, stopper.stopped_step
    (3, 2.0, 5)
    """

    def __init__(
        self,
        metric: str,
        *,
        patience: int,
        min_delta: float = 0.0,
        model: torch.nn.Module | None = None,
    ) -> None:
        if not isinstance(metric, str):
            raise TypeError(f"metric must be a string, got {type(metric).__name__}")
        if not metric:
            raise ValueError("metric must name a logged value, such as 'val_loss', got ''")
        self.metric = metric
        self.patience = as_count("patience", patience)
        self.min_delta = as_finite_real("min_delta", min_delta)
        if self.min_delta < 0:
            raise ValueError(f"min_delta must be 0 or more, got {self.min_delta}")
        if model is not None and not callable(getattr(model, "state_dict", None)):
            kind = type(model).__name__
            raise TypeError(f"model must be a torch.nn.Module, got {kind}")
        self.model = model
        self.best_value = math.inf
        self.best_step: int | None = None
        self.stopped_step: int | None = None
        self.waited = 0  # evaluations since the last improvement
        self._best_state: dict[str, torch.Tensor] | None = None
        self._last_step: int | None = None
        self._closed = False

    @property
    def should_stop(self) -> bool:
        """True once ``patience`` evaluations in a row have not improved on the best."""
        return self.stopped_step is not None

    def log(self, step: int, **values: float) -> None:
        """Look at ``values[metric]`` (if logged) at ``step``, as in ``log(3, val_loss=0.2)``.

        Raises
        ------
        TypeError
            If ``step`` is not an integer or the value not a real number.
        ValueError
            If the value is not finite, or ``step`` is not after the last step logged.
        RuntimeError
            If it is closed.
        """
        _check_open(self, "EarlyStopping")
        step, values = _checked_log(step, values)
        if self.metric not in values:
            return
        _check_step_forward(step, self.metric, self._last_step)
        self._last_step = step
        value = values[self.metric]
        if value < self.best_value - self.min_delta:
            self.best_value, self.best_step, self.waited = value, step, 0
            if self.model is not None:
                state = self.model.state_dict()
                self._best_state = {k: v.detach().clone() for k, v in state.items()}
            return
        self.waited += 1
        if self.waited >= self.patience and self.stopped_step is None:
            self.stopped_step = step

    def restore(self) -> None:
        """Load the weights of the best step back into the model.

        Raises
        ------
        ValueError
            If no model was given.
        RuntimeError
            If no value of the metric has been logged yet.
        """
        if self.model is None:
            raise ValueError("restore() needs the model: pass model= to EarlyStopping")
        if self._best_state is None:
            raise RuntimeError(
                f"nothing to restore: no {self.metric!r} has been logged yet; restore() "
                f"needs a logged value"
            )
        self.model.load_state_dict(self._best_state)

    def close(self) -> None:
        """Stop taking values (:meth:`log` raises afterwards); the best step is kept."""
        self._closed = True


def exponential_moving_average(
    values: Iterable[float], *, beta: float = 0.6, bias_correction: bool = True
) -> np.ndarray:
    r"""Smooth a curve with an exponential moving average, as TensorBoard does.

    Starting from :math:`s_0 = 0`,

    .. math::

        s_t = \beta\, s_{t-1} + (1 - \beta)\, x_t
            = (1 - \beta) \sum_{k=1}^{t} \beta^{t-k} x_k ,

    a weighted average whose weights add up to :math:`1 - \beta^t`, not 1: the missing
    :math:`\beta^t` is the weight of the starting zero, which drags the first values
    towards 0. The bias-corrected average divides it out,

    .. math::

        \hat s_t = \frac{s_t}{1 - \beta^t}
                 = \frac{\sum_{k=1}^{t} \beta^{t-k} x_k}{\sum_{k=1}^{t} \beta^{t-k}} ,

    so that a constant series stays constant. This is TensorBoard's smoothing slider
    (``beta`` is its smoothing weight, 0.6 by default) and Adam's correction of its
    moving averages.

    Parameters
    ----------
    values : iterable of float
        The curve :math:`x_1, \dots, x_T`, finite, not empty.
    beta : float
        The smoothing weight, in :math:`[0, 1)`; 0 returns the values unchanged.
    bias_correction : bool
        Divide by :math:`1 - \beta^t` (True) or return the raw :math:`s_t`.

    Returns
    -------
    numpy.ndarray
        :math:`\hat s_1, \dots, \hat s_T` (or :math:`s_1, \dots, s_T`).

    Raises
    ------
    ValueError
        If ``values`` is empty, not one-dimensional or not finite, or ``beta`` is not in
        :math:`[0, 1)`.
    TypeError
        If ``values`` are not real numbers or ``beta`` is not a real number.

    Examples
    --------
    A constant series: the raw average starts at :math:`(1 - \beta) c`, the corrected
    one at :math:`c`.

    >>> exponential_moving_average([2.0, 2.0, 2.0], beta=0.5, bias_correction=False)
    array([1.  , 1.5 , 1.75])
    >>> exponential_moving_average([2.0, 2.0, 2.0], beta=0.5)
    array([2., 2., 2.])
    """
    if isinstance(values, Iterator):
        values = list(values)
    x = as_float_vector("values", values)
    beta = as_finite_real("beta", beta)
    bias_correction = as_flag("bias_correction", bias_correction)
    if not 0 <= beta < 1:
        raise ValueError(f"beta must be in [0, 1), got {beta}")
    smoothed = np.empty_like(x)
    running = 0.0
    for t, value in enumerate(x):
        running = beta * running + (1 - beta) * value
        smoothed[t] = running
    if bias_correction:
        smoothed /= 1 - beta ** np.arange(1, x.size + 1)
    return smoothed


def gradient_norm(parameters: Iterable[torch.Tensor]) -> float:
    r"""The Euclidean norm of all the gradients together.

    .. math:: \lVert g \rVert = \sqrt{\textstyle\sum_p \sum_i g_{p,i}^2}

    over every element :math:`i` of every parameter :math:`p`: the number that
    ``torch.nn.utils.clip_grad_norm_`` compares with its threshold. Log it next to the
    loss, after ``backward()``. Parameters without a gradient are skipped.

    Parameters
    ----------
    parameters : iterable of torch.Tensor
        Such as ``model.parameters()``.

    Returns
    -------
    float

    Raises
    ------
    TypeError
        If an item is not a tensor.
    ValueError
        If no parameter has a gradient (call ``backward()`` first), or a gradient is not
        finite.

    Examples
    --------
    >>> import torch
    >>> w = torch.tensor([3.0], requires_grad=True)
    >>> b = torch.tensor([1.0], requires_grad=True)
    >>> (2 * w + 2 * b).sum().backward()  # gradients 2 and 2
    >>> round(gradient_norm([w, b]), 6)  # sqrt(2**2 + 2**2)
    2.828427
    """
    import torch

    if isinstance(parameters, torch.Tensor):
        raise TypeError(
            "parameters must be an iterable of tensors, such as model.parameters(), got "
            "one Tensor: pass [tensor]"
        )
    if isinstance(parameters, (str, bytes)) or not isinstance(parameters, Iterable):
        raise TypeError(
            f"parameters must be an iterable of tensors, got {type(parameters).__name__}"
        )
    squares = []
    for i, parameter in enumerate(parameters):
        if not isinstance(parameter, torch.Tensor):
            kind = type(parameter).__name__
            raise TypeError(f"parameters[{i}] must be a torch.Tensor, got {kind}")
        if parameter.grad is not None:
            squares.append(parameter.grad.detach().double().pow(2).sum())
    if not squares:
        raise ValueError(
            "parameters must include one with a gradient, got none: backward() must run "
            "before gradient_norm()"
        )
    norm = math.sqrt(float(torch.stack(squares).sum()))
    if not math.isfinite(norm):
        raise ValueError(
            f"the gradient norm is not finite ({norm}): the loss has diverged; gradients "
            f"must be finite"
        )
    return norm


class VisdomBackend:
    """Send every value to a visdom server (the course's tool), a chart per metric.

    Start a server first, in a terminal: ``python -m visdom.server`` (it listens on port
    8097 and serves the dashboard at http://localhost:8097).

    Raises
    ------
    TypeError
        If ``server`` or ``env`` is not a string, or ``port`` not an integer.
    ValueError
        If ``port`` is not in 1..65535.
    BackendUnavailable
        If visdom is not installed, or no server answers at ``server:port``.
    """

    def __init__(
        self, server: str = "http://localhost", port: int = 8097, env: str = "main"
    ) -> None:
        for name, text in (("server", server), ("env", env)):
            if not isinstance(text, str):
                raise TypeError(f"{name} must be a string, got {type(text).__name__}")
        port = as_count("port", port, minimum=1, maximum=65535)
        try:
            import visdom
        except ImportError as err:
            raise BackendUnavailable(
                "the visdom backend needs the visdom package: pip install visdom "
                "(see the book's README)"
            ) from err
        self.address = f"{server}:{port}"
        hint = f"the backend needs one running: python -m visdom.server -port {port}"
        quiet = logging.getLogger("visdom")  # it warns "Setting up a new session..." on
        level = quiet.level  # every connection; the monitor reports problems itself
        quiet.setLevel(logging.ERROR)
        try:
            self._viz = visdom.Visdom(
                server=server,
                port=port,
                env=env,
                raise_exceptions=True,
                use_incoming_socket=False,
            )
            alive = self._viz.check_connection(timeout_seconds=2)
        except Exception as err:  # visdom raises plain exceptions of several kinds
            raise BackendUnavailable(f"no visdom server at {self.address}; {hint}") from err
        finally:
            quiet.setLevel(level)
        if not alive:
            raise BackendUnavailable(f"no visdom server at {self.address}; {hint}")
        self._windows: set[str] = set()
        self._last_steps: dict[str, int] = {}
        self._closed = False

    def log(self, step: int, **values: float) -> None:
        """Append each value to its metric's chart (errors as
        :meth:`TensorBoardBackend.log`)."""
        step, values = _checked_backend_log(self, step, values)
        for name, value in values.items():
            self._viz.line(
                X=np.array([step]),
                Y=np.array([value]),
                win=name,
                update="append" if name in self._windows else None,
                opts={"title": name, "xlabel": "step", "ylabel": name},
            )
            self._windows.add(name)

    def close(self) -> None:
        """Stop taking values: :meth:`log` raises afterwards."""
        self._closed = True


class TensorBoardBackend:
    """Write every value as a TensorBoard scalar; view them with ``tensorboard``.

    Raises
    ------
    TypeError
        If ``log_dir`` is not a path.
    ValueError
        If ``log_dir`` exists and is not a folder.
    BackendUnavailable
        If the tensorboard package is not installed.
    """

    def __init__(self, log_dir: str | Path) -> None:
        log_dir = _check_path("log_dir", log_dir)
        if log_dir.exists() and not log_dir.is_dir():
            raise ValueError(f"log_dir must be a folder, got the file {log_dir}")
        try:
            from torch.utils.tensorboard import SummaryWriter
        except ImportError as err:
            raise BackendUnavailable(
                "the TensorBoard backend needs the tensorboard package: pip install tensorboard"
            ) from err
        self.log_dir = Path(log_dir)
        self._writer = SummaryWriter(log_dir=str(self.log_dir))
        self._last_steps: dict[str, int] = {}
        self._closed = False

    def log(self, step: int, **values: float) -> None:
        """Write each value (name = number) as a scalar at ``step``.

        Raises
        ------
        TypeError
            If ``step`` is not an integer or a value not a real number.
        ValueError
            If a value is not finite or ``step`` is not after a metric's last step.
        RuntimeError
            If the backend is closed.
        """
        step, values = _checked_backend_log(self, step, values)
        for name, value in values.items():
            self._writer.add_scalar(name, value, step)

    def close(self) -> None:
        """Flush and close the event file: :meth:`log` raises afterwards."""
        if not self._closed:
            self._closed = True
            self._writer.close()


def read_tensorboard_scalars(log_dir: str | Path, name: str) -> list[tuple[int, float]]:
    """Read back the ``(step, value)`` pairs of one scalar from TensorBoard's files.

    Raises
    ------
    TypeError
        If ``log_dir`` is not a path or ``name`` not a string.
    ValueError
        If ``log_dir`` is not an existing folder.
    KeyError
        If no scalar ``name`` was written there.
    """
    log_dir = _check_path("log_dir", log_dir)
    if not log_dir.is_dir():
        raise ValueError(f"log_dir must be an existing folder, got {str(log_dir)!r}")
    if not isinstance(name, str):
        raise TypeError(f"name must be a string, got {type(name).__name__}")
    from tensorboard.backend.event_processing.event_accumulator import EventAccumulator

    accumulator = EventAccumulator(str(log_dir))
    accumulator.Reload()
    if name not in accumulator.Tags()["scalars"]:
        raise KeyError(
            f"no scalar {name!r} in {log_dir}; name must be one of "
            f"{sorted(accumulator.Tags()['scalars'])}"
        )
    return [(event.step, event.value) for event in accumulator.Scalars(name)]


def _checked_log(step: object, values: object) -> tuple[int, dict[str, float]]:
    """``step`` and ``values`` of one call of ``log``, checked, the values as floats."""
    step = as_count("step", step, minimum=0)
    if not isinstance(values, Mapping):
        raise TypeError(f"values must be a dict {{name: number}}, got {type(values).__name__}")
    clean = {}
    for name, value in values.items():
        if not isinstance(name, str):
            raise TypeError(f"the names of values must be strings, got {name!r}")
        if hasattr(value, "item") and not isinstance(value, Real):
            kind = type(value).__name__
            raise TypeError(f"{name} must be a real number, got {kind}: pass {name}.item()")
        if isinstance(value, bool) or not isinstance(value, Real):
            raise TypeError(f"{name} must be a real number, got {type(value).__name__}")
        try:
            number = float(value)
        except OverflowError:
            number = math.inf  # an integer beyond the largest float
        if not math.isfinite(number):
            raise ValueError(f"{name} must be finite, got {value} at step {step}")
        clean[name] = number
    return step, clean


def _check_step_forward(step: int, name: str, last: int | list[int] | None) -> None:
    """Refuse a step at or before ``last``, the latest step at which ``name`` was logged."""
    if isinstance(last, list):
        last = last[-1] if last else None
    if last is not None and step <= last:
        raise ValueError(
            f"step must be greater than {last}, the last step at which {name} was logged, "
            f"got {step}: steps go forward (start a new monitor for a new run)"
        )


def _check_open(backend: object, kind: str) -> None:
    if backend._closed:
        raise RuntimeError(f"log() after close(): this {kind} is closed and cannot take new values")


def _checked_backend_log(
    backend: VisdomBackend | TensorBoardBackend, step: object, values: object
) -> tuple[int, dict[str, float]]:
    """A dashboard's ``log`` arguments checked: open, finite values, steps forward."""
    _check_open(backend, type(backend).__name__)
    step, clean = _checked_log(step, values)
    for name in clean:
        _check_step_forward(step, name, backend._last_steps.get(name))
    for name in clean:
        backend._last_steps[name] = step
    return step, clean


def _check_axes(ax: object) -> None:
    if not isinstance(ax, Axes):
        raise TypeError(f"ax must be a matplotlib Axes, got {type(ax).__name__}")


def _check_title(title: object) -> None:
    if not isinstance(title, str):
        raise TypeError(f"title must be a string, got {type(title).__name__}")


def _check_path(name: str, path: object) -> Path:
    if isinstance(path, bool) or not isinstance(path, (str, Path)):
        raise TypeError(f"{name} must be a path (str or Path), got {type(path).__name__}")
    return Path(path)
