"""Chapter 9: the training monitor and its dashboards, against real servers and files."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time

import pytest
import torch

from dlpractice.monitor import (
    BackendUnavailable,
    TensorBoardBackend,
    TrainingMonitor,
    VisdomBackend,
    read_tensorboard_scalars,
)
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

    ``python -m visdom.server`` first downloads its web page's scripts from CDNs, which this
    machine cannot reach; the server itself does not need them, so we start it directly.
    """
    port = free_port()
    env_path = tmp_path_factory.mktemp("visdom")
    code = (
        "import sys; from visdom.server.run_server import main; "
        f"sys.argv = ['visdom', '-port', '{port}', '--hostname', '127.0.0.1', "
        f"'-env_path', r'{env_path}']; main()"
    )
    server = subprocess.Popen(
        [sys.executable, "-c", code], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
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
    assert [s.split("|")[0] for s in states[:5]] == ["0%", "25%", "50%", "75%", "100%"]


def test_train_feeds_the_monitor_every_epoch():
    monitor = TrainingMonitor()
    history = train_seeded(25, monitor)
    steps, losses = monitor.history("loss")
    assert steps.tolist() == list(range(25))
    assert losses.tolist() == history.loss


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
