"""Chapter 10: the training monitor, its dashboards (against a real visdom server and
real TensorBoard files), smoothing, early stopping and the gradient norm."""

from __future__ import annotations

import json
import math
import socket
import subprocess
import sys
import time

import IPython
import IPython.display
import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from dlpractice.monitor import (
    BackendUnavailable,
    EarlyStopping,
    TensorBoardBackend,
    TrainingMonitor,
    VisdomBackend,
    exponential_moving_average,
    gradient_norm,
    read_tensorboard_scalars,
)
from dlpractice.plotting import SERIES_STYLES
from dlpractice.training import train

X = torch.Tensor([[1.0], [2.0], [3.0]])
Y = torch.Tensor([[2.0], [4.0], [6.0]])


def train_seeded(epochs: int, monitor: TrainingMonitor):
    """The course's linear regression, seeded, reporting to ``monitor``."""
    torch.manual_seed(0)
    model = torch.nn.Linear(1, 1)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.03)
    return train(model, torch.nn.MSELoss(), optimizer, X, Y, epochs=epochs, monitor=monitor)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def visdom_server(tmp_path_factory):
    """A real visdom server on loopback, started and stopped by the test.

    ``python -m visdom.server`` first downloads its web page's scripts from CDNs, which
    this machine cannot reach; the server itself does not need them, so we start it
    directly.
    """
    port = free_port()
    env_path = tmp_path_factory.mktemp("visdom")
    code = (
        "import sys; from visdom.server.run_server import main; "
        f"sys.argv = ['visdom', '-port', '{port}', '--hostname', '127.0.0.1', "
        f"'-env_path', r'{env_path}']; main()"
    )
    server = subprocess.Popen(
        [sys.executable, "-c", code],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                break
        if server.poll() is not None:
            pytest.fail(f"visdom server exited: {server.stdout.read()[-2000:]}")
        time.sleep(0.2)
    else:
        server.kill()
        pytest.fail("visdom server did not start within 60 s")
    yield port
    server.terminate()
    server.wait(timeout=10)


def test_monitor_records_and_validates():
    monitor = TrainingMonitor()
    for step in range(3):
        monitor.log(step, loss=1.0 / (step + 1), w=float(step))
    steps, values = monitor.history("w")
    assert steps.tolist() == [0, 1, 2] and values.tolist() == [0.0, 1.0, 2.0]
    assert monitor.names == ["loss", "w"]
    with pytest.raises(ValueError, match="loss must be finite"):
        monitor.log(3, loss=float("nan"))
    with pytest.raises(ValueError, match="at least one value"):
        monitor.log(3)
    with pytest.raises(TypeError, match="loss must be a real number"):
        monitor.log(3, loss=torch.tensor(1.0))
    with pytest.raises(ValueError, match="step must be at least 0"):
        monitor.log(-1, loss=1.0)
    with pytest.raises(KeyError, match="no metric 'b'"):
        monitor.history("b")
    with pytest.raises(TypeError, match="a backend needs log"):
        TrainingMonitor(backends=[object()])
    fig = monitor.figure()
    assert [line.get_label() for line in fig.axes[0].lines] == ["loss", "w"]


class Recorder:
    """A backend that keeps what it is given, and can be told to fail."""

    def __init__(self, fail_at: int | None = None) -> None:
        self.calls: list[tuple[int, dict[str, float]]] = []
        self.fail_at = fail_at
        self.closed = 0

    def log(self, step, **values):
        if step == self.fail_at:
            raise OSError("disk full")
        self.calls.append((step, dict(values)))

    def close(self):
        self.closed += 1


def test_log_is_all_or_nothing():
    """A call that raises records nothing and passes nothing on: not the values before a
    NaN, not the values of a call whose backend failed."""
    first, second = Recorder(), Recorder(fail_at=2)
    monitor = TrainingMonitor(backends=[first, second])
    monitor.log(0, loss=1.0, acc=0.5)
    with pytest.raises(ValueError, match="acc must be finite, got nan at step 1"):
        monitor.log(1, loss=0.9, acc=float("nan"))
    assert monitor.history("loss")[1].tolist() == [1.0] and len(first.calls) == 1
    with pytest.raises(OSError, match="disk full"):
        monitor.log(2, loss=0.8, acc=0.6)
    assert monitor.history("loss")[0].tolist() == [0] and monitor._calls == 1
    monitor.log(3, loss=0.7, acc=0.7)
    assert monitor.history("acc")[0].tolist() == [0, 3]


def test_steps_go_forward_per_metric():
    monitor = TrainingMonitor()
    monitor.log(10, loss=1.0)
    monitor.log(10, val_loss=2.0)  # another metric at the same step is fine
    with pytest.raises(ValueError, match="step must be greater than 10, the last step at"):
        monitor.log(10, loss=0.5)
    with pytest.raises(ValueError, match="steps go forward"):
        monitor.log(3, val_loss=0.5)
    monitor.log(11, loss=0.5, val_loss=1.5)
    assert monitor.history("val_loss")[0].tolist() == [10, 11]


def test_closed_monitor_and_backends_refuse_values(tmp_path):
    recorder = Recorder()
    monitor = TrainingMonitor(backends=[recorder])
    monitor.log(0, loss=1.0)
    monitor.close()
    monitor.close()  # a second close does nothing more
    assert recorder.closed == 1
    with pytest.raises(RuntimeError, match="TrainingMonitor is closed"):
        monitor.log(1, loss=0.5)
    assert monitor.history("loss")[1].tolist() == [1.0]  # still readable

    board = TensorBoardBackend(tmp_path)
    board.log(0, loss=1.0)
    board.close()
    with pytest.raises(RuntimeError, match="TensorBoardBackend is closed"):
        board.log(1, loss=0.5)
    assert read_tensorboard_scalars(tmp_path, "loss") == [(0, 1.0)]

    stopper = EarlyStopping("val_loss", patience=1)
    stopper.log(0, val_loss=1.0)
    stopper.close()
    with pytest.raises(RuntimeError, match="EarlyStopping is closed"):
        stopper.log(1, val_loss=0.5)
    assert stopper.best_step == 0


def test_early_stopping_steps_go_forward():
    stopper = EarlyStopping("val_loss", patience=3)
    stopper.log(5, val_loss=1.0)
    stopper.log(5, train_loss=1.0)  # without its metric a call is ignored
    with pytest.raises(ValueError, match="step must be greater than 5"):
        stopper.log(4, val_loss=0.5)
    assert (stopper.best_step, stopper.best_value, stopper.waited) == (5, 1.0, 0)


def test_live_needs_a_kernel():
    with pytest.raises(ValueError, match="live=True needs a running Jupyter kernel"):
        TrainingMonitor(live=True)


def test_progress_bar_is_drawn_by_count(capsys):
    with TrainingMonitor(progress=40) as monitor:
        for step in range(40):
            monitor.log(step, loss=1.0)
    out = capsys.readouterr().out
    states = [part.strip() for part in out.split("\r") if part.strip()]
    assert states[0].startswith("0%") and states[-1].endswith("40/40 steps")
    assert [s.split("|")[0] for s in states] == ["0%", "25%", "50%", "75%", "100%"]
    assert out.count("40/40 steps") == 1, "close() must not draw the last state twice"
    assert out.endswith("\n")


def test_progress_bar_stopped_early_shows_where_it_stopped_once(capsys):
    with TrainingMonitor(progress=40) as monitor:
        for step in range(13):  # a run that ends early, between two redraws
            monitor.log(step, loss=1.0)
    states = [part.strip() for part in capsys.readouterr().out.split("\r")]
    states = [state for state in states if state]
    assert [s.split("|")[0] for s in states] == ["0%", "25%", "32%"]
    assert states[-1].endswith("13/40 steps")


def test_train_feeds_the_monitor_every_epoch():
    monitor = TrainingMonitor()
    history = train_seeded(25, monitor)
    steps, losses = monitor.history("loss")
    assert steps.tolist() == list(range(25))
    assert losses.tolist() == history.loss.tolist()


def test_visdom_backend_sends_every_value_to_a_real_server(visdom_server):
    backend = VisdomBackend(server="http://127.0.0.1", port=visdom_server, env="test")
    with TrainingMonitor(backends=[backend]) as monitor:
        for step in range(5):
            monitor.log(step, loss=10.0 / (step + 1), accuracy=step / 4)
    for name, expected in [
        ("loss", [10.0 / (s + 1) for s in range(5)]),
        ("accuracy", [s / 4 for s in range(5)]),
    ]:
        window = json.loads(backend._viz.get_window_data(name, env="test"))
        trace = window["content"]["data"][0]
        assert trace["x"] == [0, 1, 2, 3, 4]
        assert trace["y"] == pytest.approx(expected)
        assert window["title"] == name


def test_visdom_backend_explains_a_missing_server():
    with pytest.raises(BackendUnavailable, match=r"no visdom server at .*python -m visdom.server"):
        VisdomBackend(server="http://127.0.0.1", port=free_port())


def test_tensorboard_backend_writes_readable_events(tmp_path):
    with TrainingMonitor(backends=[TensorBoardBackend(tmp_path)]) as monitor:
        history = train_seeded(10, monitor)
    scalars = read_tensorboard_scalars(tmp_path, "loss")
    assert [step for step, _ in scalars] == list(range(10))
    assert [value for _, value in scalars] == pytest.approx(history.loss, rel=1e-6)
    with pytest.raises(KeyError, match="no scalar 'accuracy'"):
        read_tensorboard_scalars(tmp_path, "accuracy")


# --- the live figure, with IPython's display replaced by a recorder


class _Handle:
    def __init__(self, calls):
        self.calls = calls

    def update(self, fig):
        self.calls.append(("update", fig.axes[0].lines[0].get_xdata().size))


@pytest.fixture
def fake_kernel(monkeypatch):
    calls = []

    def display(fig, display_id=False):
        assert display_id is True
        calls.append(("display", fig.axes[0].lines[0].get_xdata().size))
        return _Handle(calls)

    monkeypatch.setattr(IPython, "get_ipython", lambda: object())
    monkeypatch.setattr(IPython.display, "display", display)
    return calls


@pytest.mark.parametrize(
    "logs, expected",
    [
        (6, [("display", 3), ("update", 6)]),  # ends on a redraw: nothing more to draw
        (7, [("display", 3), ("update", 6), ("update", 7)]),  # the last step is drawn
        (2, [("display", 2)]),  # fewer steps than every: drawn once, at the end
    ],
)
def test_live_figure_is_drawn_every_few_steps_and_at_the_end(fake_kernel, logs, expected):
    with TrainingMonitor(live=True, every=3) as monitor:
        for step in range(logs):
            monitor.log(step, loss=1.0 / (step + 1))
    assert fake_kernel == expected


# --- the figure


def test_each_series_has_its_own_colour_and_style_and_the_legend_is_outside():
    monitor = TrainingMonitor()
    for step in range(5):
        monitor.log(step, a=1.0 + step, b=2.0, c=3.0, d=4.0, e=5.0)
    fig = monitor.figure(title="t")
    lines = fig.axes[0].lines
    styles = [(line.get_color(), line.get_linestyle()) for line in lines]
    assert len(set(styles)) == 5
    assert styles == [(s["color"], s["linestyle"]) for s in SERIES_STYLES[:5]]
    legend = fig.axes[0].get_legend()
    assert legend.get_bbox_to_anchor().x0 > fig.axes[0].get_window_extent().x1
    assert fig.axes[0].get_yscale() == "log"
    only = monitor.figure(names=["b"])
    assert [line.get_label() for line in only.axes[0].lines] == ["b"]
    with pytest.raises(KeyError, match="no metric 'z'"):
        monitor.figure(names=["z"])


# --- smoothing


def tensorboard_smoothing(values, weight):
    """TensorBoard's ``classicSmoothing`` (tensorboard/webapp/widgets/line_chart_v2/lib/
    data_transformer.ts), transcribed line for line for finite values."""
    if all(value == values[0] for value in values):
        return list(values)  # a constant series is drawn unchanged
    last, accumulated, smoothed = 0.0, 0, []
    for value in values:
        last = last * weight + (1 - weight) * value
        accumulated += 1
        debias = 1 - weight**accumulated if weight != 1 else 1
        smoothed.append(last / debias)
    return smoothed


@pytest.mark.parametrize("beta", [0.0, 0.3, 0.6, 0.9, 0.99])
def test_ema_of_a_constant_has_its_closed_form(beta):
    c, t = 2.5, np.arange(1, 51)
    raw = exponential_moving_average(np.full(50, c), beta=beta, bias_correction=False)
    np.testing.assert_allclose(raw, c * (1 - beta**t), rtol=1e-13)
    corrected = exponential_moving_average(np.full(50, c), beta=beta)
    np.testing.assert_allclose(corrected, c, rtol=1e-13)


def test_ema_agrees_with_its_direct_formula_and_with_tensorboard():
    x = np.random.default_rng(0).normal(3.0, 1.0, size=200)
    for beta in [0.0, 0.6, 0.9]:
        direct = [
            sum(beta ** (t - k) * x[k] for k in range(t + 1))
            / sum(beta ** (t - k) for k in range(t + 1))
            for t in range(x.size)
        ]
        raw_direct = [
            (1 - beta) * sum(beta ** (t - k) * x[k] for k in range(t + 1)) for t in range(x.size)
        ]
        smoothed = exponential_moving_average(x, beta=beta)
        np.testing.assert_allclose(smoothed, direct, rtol=1e-12)
        np.testing.assert_allclose(smoothed, tensorboard_smoothing(list(x), beta), rtol=1e-12)
        raw = exponential_moving_average(x, beta=beta, bias_correction=False)
        np.testing.assert_allclose(raw, raw_direct, rtol=1e-12)
    np.testing.assert_array_equal(exponential_moving_average(x, beta=0.0), x)
    assert exponential_moving_average(iter([1.0, 3.0]), beta=0.5).tolist() == [1.0, 7 / 3]


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.floats(-1e6, 1e6), min_size=1, max_size=60),
    st.floats(0.0, 0.999),
)
def test_corrected_ema_is_a_weighted_average_of_the_values_so_far(values, beta):
    smoothed = exponential_moving_average(values, beta=beta)
    x = np.array(values)
    for t in range(x.size):
        low, high = x[: t + 1].min(), x[: t + 1].max()
        slack = 1e-9 * max(1.0, abs(low), abs(high))
        assert low - slack <= smoothed[t] <= high + slack


@pytest.mark.parametrize(
    "values, beta, error, message",
    [
        ([1.0, 2.0], 1.0, ValueError, r"beta must be in \[0, 1\), got 1.0"),
        ([1.0, 2.0], -0.1, ValueError, r"beta must be in \[0, 1\), got -0.1"),
        ([1.0, 2.0], math.nan, ValueError, "beta must be finite"),
        ([1.0, 2.0], "0.5", TypeError, "beta must be a real number, got str"),
        ([], 0.5, ValueError, "values must not be empty"),
        ([1.0, math.inf], 0.5, ValueError, "values must be finite, got inf at index 1"),
        ([[1.0], [2.0]], 0.5, ValueError, "values must be one-dimensional"),
        ("abc", 0.5, TypeError, "values must be a sequence of numbers, got str"),
    ],
)
def test_ema_rejects_bad_input(values, beta, error, message):
    with pytest.raises(error, match=message):
        exponential_moving_average(values, beta=beta)


# --- early stopping


def test_early_stopping_counts_evaluations_without_improvement():
    stopper = EarlyStopping("val_loss", patience=3)
    values = [5.0, 4.0, 4.5, 4.2, 3.9, 4.0, 4.1, 4.0, 1.0]
    stopped_at = None
    for step, value in enumerate(values):
        stopper.log(step * 10, val_loss=value, loss=0.0)
        stopper.log(step * 10 + 5, loss=0.0)  # steps without the metric: ignored
        if stopper.should_stop:
            stopped_at = step * 10
            break
    assert (stopper.best_step, stopper.best_value) == (40, 3.9)
    assert stopped_at == stopper.stopped_step == 70  # 3 evaluations after the best
    assert not EarlyStopping("val_loss", patience=3).should_stop


def test_min_delta_ignores_small_improvements():
    stopper = EarlyStopping("val_loss", patience=2, min_delta=0.1)
    for step, value in enumerate([1.0, 0.95, 0.92, 0.5]):
        stopper.log(step, val_loss=value)
    assert stopper.stopped_step == 2 and stopper.best_step == 3
    assert stopper.best_value == 0.5  # an improvement after the stop is still recorded


def test_early_stopping_restores_the_weights_of_the_best_step():
    generator = torch.Generator().manual_seed(0)
    x = torch.rand(40, 3, generator=generator)
    y = x @ torch.tensor([[1.0], [-2.0], [0.5]]) + 0.3 * torch.randn(40, 1, generator=generator)
    torch.manual_seed(0)
    model = torch.nn.Sequential(torch.nn.Linear(3, 16), torch.nn.Tanh(), torch.nn.Linear(16, 1))
    optimizer = torch.optim.Adam(model.parameters(), lr=0.05)
    stopper = EarlyStopping("val_loss", patience=15, model=model)
    snapshots, losses = [], []
    with TrainingMonitor(backends=[stopper]) as monitor:
        for step in range(2000):
            with torch.no_grad():
                val_loss = torch.nn.functional.mse_loss(model(x[30:]), y[30:]).item()
            snapshots.append({k: v.clone() for k, v in model.state_dict().items()})
            losses.append(val_loss)
            monitor.log(step, val_loss=val_loss)
            if stopper.should_stop:
                break
            optimizer.zero_grad()
            torch.nn.functional.mse_loss(model(x[:30]), y[:30]).backward()
            optimizer.step()
    assert stopper.should_stop and step < 1999, "the run should overfit and stop"
    assert stopper.best_step == int(np.argmin(losses)) < step
    assert stopper.stopped_step == step == stopper.best_step + 15
    stopper.restore()
    for name, value in model.state_dict().items():
        torch.testing.assert_close(value, snapshots[stopper.best_step][name], rtol=0, atol=0)
    with torch.no_grad():
        restored = torch.nn.functional.mse_loss(model(x[30:]), y[30:]).item()
    assert restored == stopper.best_value


def test_early_stopping_rejects_bad_input():
    with pytest.raises(ValueError, match="patience must be at least 1, got 0"):
        EarlyStopping("val_loss", patience=0)
    with pytest.raises(TypeError, match="patience must be an integer, got float"):
        EarlyStopping("val_loss", patience=2.5)
    with pytest.raises(ValueError, match="min_delta must be 0 or more, got -0.1"):
        EarlyStopping("val_loss", patience=2, min_delta=-0.1)
    with pytest.raises(TypeError, match="metric must be a string, got int"):
        EarlyStopping(3, patience=2)
    with pytest.raises(TypeError, match="model must be a torch.nn.Module, got list"):
        EarlyStopping("val_loss", patience=2, model=[])
    with pytest.raises(ValueError, match="restore\\(\\) needs the model"):
        EarlyStopping("val_loss", patience=2).restore()
    with pytest.raises(RuntimeError, match="nothing to restore: no 'val_loss'"):
        EarlyStopping("val_loss", patience=2, model=torch.nn.Linear(1, 1)).restore()
    with pytest.raises(ValueError, match="val_loss must be finite, got nan"):
        EarlyStopping("val_loss", patience=2).log(0, val_loss=math.nan)


# --- the gradient norm


def test_gradient_norm_by_hand_and_against_clip_grad_norm():
    model = torch.nn.Linear(1, 1)
    with torch.no_grad():
        model.weight.fill_(0.0), model.bias.fill_(0.0)
    torch.nn.functional.mse_loss(model(X), Y).backward()
    # d/dw mean((w x + b - y)^2) = -2 mean(x y) = -56/3, d/db = -2 mean(y) = -8
    assert gradient_norm(model.parameters()) == pytest.approx(math.hypot(56 / 3, 8), rel=1e-6)
    torch.manual_seed(0)
    net = torch.nn.Sequential(torch.nn.Linear(4, 8), torch.nn.ReLU(), torch.nn.Linear(8, 2))
    net(torch.randn(5, 4)).pow(2).sum().backward()
    ours = gradient_norm(net.parameters())
    theirs = torch.nn.utils.clip_grad_norm_(net.parameters(), max_norm=math.inf).item()
    assert ours == pytest.approx(theirs, rel=1e-6)


def test_gradient_norm_skips_parameters_without_a_gradient_and_rejects_bad_input():
    used = torch.tensor([3.0, 4.0], requires_grad=True)
    unused = torch.tensor([1.0], requires_grad=True)
    (used * used).sum().div(2).backward()  # gradient = used
    assert gradient_norm([used, unused]) == 5.0
    with pytest.raises(ValueError, match="parameters must include one with a gradient"):
        gradient_norm([unused])
    with pytest.raises(ValueError, match="parameters must include one with a gradient"):
        gradient_norm([])
    with pytest.raises(TypeError, match=r"parameters\[1\] must be a torch.Tensor, got float"):
        gradient_norm([used, 1.0])
    used.grad[0] = math.inf
    with pytest.raises(ValueError, match="the gradient norm is not finite"):
        gradient_norm([used])


def test_every_log_method_has_one_signature():
    """One logging protocol (issue 13): ``log(step, **values)`` for the monitor, its
    backends, early stopping and the training loops' Monitor."""
    import inspect

    from dlpractice.monitor import Backend
    from dlpractice.training import Monitor

    for owner in (Backend, Monitor, TrainingMonitor, EarlyStopping, TensorBoardBackend):
        parameters = list(inspect.signature(owner.log).parameters.values())
        kinds = [(p.name, p.kind) for p in parameters]
        assert kinds == [
            ("self", inspect.Parameter.POSITIONAL_OR_KEYWORD),
            ("step", inspect.Parameter.POSITIONAL_OR_KEYWORD),
            ("values", inspect.Parameter.VAR_KEYWORD),
        ], owner.__name__
    assert inspect.signature(VisdomBackend.log) == inspect.signature(TensorBoardBackend.log)


def test_a_monitor_forwards_keywords_to_its_backends_and_early_stopping():
    stopper = EarlyStopping("val_loss", patience=1)
    recorder = Recorder()
    with TrainingMonitor(backends=[recorder, stopper]) as monitor:
        monitor.log(0, loss=2.0, val_loss=1.0)
        monitor.log(1, loss=1.0, val_loss=1.5)
    assert recorder.calls == [
        (0, {"loss": 2.0, "val_loss": 1.0}),
        (1, {"loss": 1.0, "val_loss": 1.5}),
    ]
    assert (stopper.best_step, stopper.best_value, stopper.stopped_step) == (0, 1.0, 1)
