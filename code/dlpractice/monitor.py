"""Watching training: record metrics per step, draw them live, send them to a dashboard.

The course suggests visdom for live plots of training. :class:`TrainingMonitor` records every
metric it is given and can, at the same time,

- redraw a figure in the notebook as training runs (``live=True``, in Jupyter or Binder);
- show a progress bar for long loops (``progress=<total steps>``, with tqdm);
- forward every value to dashboards: :class:`VisdomBackend` (a visdom server, as in the
  course) and :class:`TensorBoardBackend` (``torch.utils.tensorboard``), both optional;
- draw the final figure, which is what the static book shows.

It has the one method that :func:`dlpractice.training.train` calls, ``log(step, **values)``.
"""

from __future__ import annotations

import logging
import math
import sys
from collections.abc import Sequence
from numbers import Real
from pathlib import Path
from typing import Protocol

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.figure import Figure

from ._validation import as_count


class BackendUnavailable(RuntimeError):
    """A dashboard backend cannot be used: its package is missing or its server is down."""


class Backend(Protocol):
    """Where a monitor forwards its values: ``log(step, values)`` and ``close()``."""

    def log(self, step: int, values: dict[str, float]) -> None: ...

    def close(self) -> None: ...


class TrainingMonitor:
    """Record metrics per step; optionally show them live, as a progress bar, in dashboards.

    Parameters
    ----------
    backends : list of Backend
        Dashboards that receive every logged value.
    live : bool
        Redraw a figure in the notebook every ``every`` steps (needs a Jupyter kernel).
    every : int
        Steps between live redraws.
    progress : int, optional
        Show a tqdm progress bar for this many steps.
    log_scale : bool
        Draw the values on a logarithmic axis (losses usually are).

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
        self.backends = list(backends)
        for backend in self.backends:
            if not (callable(getattr(backend, "log", None)) and hasattr(backend, "close")):
                raise TypeError(f"a backend needs log() and close(), got {type(backend).__name__}")
        self.every = as_count("every", every)
        self.log_scale = log_scale
        self._steps: dict[str, list[int]] = {}
        self._values: dict[str, list[float]] = {}
        self._live = _LiveFigure(self) if live else None
        self._bar = None
        if progress is not None:
            total = as_count("progress", progress)
            from tqdm.std import tqdm  # text bar: no ipywidgets needed, same in Jupyter and here

            self._bar = tqdm(  # redrawn every quarter of the way, by count, not by time,
                total=total,  # so the bar left on a built page is the same on every build
                file=sys.stdout,
                ascii=True,
                miniters=max(1, total // 4),
                mininterval=0,
                maxinterval=math.inf,
                bar_format="{l_bar}{bar:30}| {n_fmt}/{total_fmt} steps",
            )

    def log(self, step: int, **values: float) -> None:
        """Record ``values`` (name = number) at ``step`` and pass them on.

        Raises
        ------
        ValueError
            If no value is given, or a value is not finite.
        TypeError
            If ``step`` is not an integer or a value is not a real number.
        """
        step = as_count("step", step, minimum=0)
        if not values:
            raise ValueError("log() needs at least one value, such as loss=0.5")
        clean = {}
        for name, value in values.items():
            if isinstance(value, bool) or not isinstance(value, Real):
                raise TypeError(f"{name} must be a real number, got {type(value).__name__}")
            if not math.isfinite(value):
                raise ValueError(f"{name} must be finite, got {value} at step {step}")
            clean[name] = float(value)
            self._steps.setdefault(name, []).append(step)
            self._values.setdefault(name, []).append(float(value))
        for backend in self.backends:
            backend.log(step, clean)
        if self._bar is not None:
            self._bar.update(1)
        if self._live is not None and step % self.every == 0:
            self._live.update()

    def history(self, name: str) -> tuple[np.ndarray, np.ndarray]:
        """The steps and values recorded for ``name``."""
        if name not in self._values:
            raise KeyError(f"no metric {name!r}; recorded: {sorted(self._values)}")
        return np.array(self._steps[name]), np.array(self._values[name])

    @property
    def names(self) -> list[str]:
        """The metrics recorded so far, in the order they first appeared."""
        return list(self._values)

    def figure(self, title: str = "Training") -> Figure:
        """A new figure with every metric against the step."""
        fig, ax = plt.subplots()
        self._draw(ax, title)
        fig.tight_layout()
        return fig

    def close(self) -> None:
        """Finish the progress bar, the live figure and the backends."""
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

    def _draw(self, ax, title: str) -> None:
        ax.clear()
        for name in self.names:
            steps, values = self.history(name)
            ax.plot(steps, values, label=name)
        if self.log_scale and all(min(v) > 0 for v in self._values.values()):
            ax.set_yscale("log")
        ax.set(
            xlabel="step", ylabel="value" + (" (log scale)" if self.log_scale else ""), title=title
        )
        if self.names:
            ax.legend()


class _LiveFigure:
    """A figure shown once in the notebook and then updated in place."""

    def __init__(self, monitor: TrainingMonitor) -> None:
        try:
            from IPython import get_ipython
            from IPython.display import display
        except ImportError as err:
            raise ValueError("live=True needs IPython (run inside Jupyter)") from err
        if get_ipython() is None:
            raise ValueError("live=True needs a running Jupyter kernel; use figure() instead")
        self.monitor = monitor
        self.fig, self.ax = plt.subplots()
        self.handle = display(self.fig, display_id=True)

    def update(self) -> None:
        self.monitor._draw(self.ax, "Training (live)")
        self.fig.tight_layout()
        self.handle.update(self.fig)

    def finish(self) -> None:
        self.monitor._draw(self.ax, "Training")
        self.fig.tight_layout()
        self.handle.update(self.fig)
        plt.close(self.fig)  # shown through the display handle, not a second time


class VisdomBackend:
    """Send every value to a visdom server, one line chart per metric (the course's tool).

    Start a server first, in a terminal: ``python -m visdom.server`` (it listens on port
    8097 and serves the dashboard at http://localhost:8097).

    Raises
    ------
    BackendUnavailable
        If visdom is not installed, or no server answers at ``server:port``.
    """

    def __init__(
        self, server: str = "http://localhost", port: int = 8097, env: str = "main"
    ) -> None:
        try:
            import visdom
        except ImportError as err:
            raise BackendUnavailable(
                "the visdom backend needs the visdom package: pip install visdom "
                "(see the book's README)"
            ) from err
        self.address = f"{server}:{port}"
        hint = f"start one with: python -m visdom.server -port {port}"
        quiet = logging.getLogger("visdom")  # it warns "Setting up a new session..." on every
        level = quiet.level  # connection; the monitor reports problems itself
        quiet.setLevel(logging.ERROR)
        try:
            self._viz = visdom.Visdom(
                server=server, port=port, env=env, raise_exceptions=True, use_incoming_socket=False
            )
            alive = self._viz.check_connection(timeout_seconds=2)
        except Exception as err:  # visdom raises plain exceptions of several kinds
            raise BackendUnavailable(f"no visdom server at {self.address}; {hint}") from err
        finally:
            quiet.setLevel(level)
        if not alive:
            raise BackendUnavailable(f"no visdom server at {self.address}; {hint}")
        self._windows: set[str] = set()

    def log(self, step: int, values: dict[str, float]) -> None:
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
        pass


class TensorBoardBackend:
    """Write every value as a TensorBoard scalar; view with ``tensorboard --logdir DIR``.

    Raises
    ------
    BackendUnavailable
        If the tensorboard package is not installed.
    """

    def __init__(self, log_dir: str | Path) -> None:
        try:
            from torch.utils.tensorboard import SummaryWriter
        except ImportError as err:
            raise BackendUnavailable(
                "the TensorBoard backend needs the tensorboard package: pip install tensorboard"
            ) from err
        self.log_dir = Path(log_dir)
        self._writer = SummaryWriter(log_dir=str(self.log_dir))

    def log(self, step: int, values: dict[str, float]) -> None:
        for name, value in values.items():
            self._writer.add_scalar(name, value, step)

    def close(self) -> None:
        self._writer.close()


def read_tensorboard_scalars(log_dir: str | Path, name: str) -> list[tuple[int, float]]:
    """Read back the ``(step, value)`` pairs of one scalar from TensorBoard event files."""
    from tensorboard.backend.event_processing.event_accumulator import EventAccumulator

    accumulator = EventAccumulator(str(log_dir))
    accumulator.Reload()
    if name not in accumulator.Tags()["scalars"]:
        raise KeyError(f"no scalar {name!r} in {log_dir}")
    return [(event.step, event.value) for event in accumulator.Scalars(name)]
