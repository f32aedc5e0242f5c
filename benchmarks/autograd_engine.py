"""Forward and backward of one small MLP: the scalar engine against torch.autograd.

The network has 1 input, one hidden layer of 16 tanh units and 1 output, on 256 samples,
with the mean squared error as the loss: the same computation in
:mod:`dlpractice.engine_nn` (one graph node per scalar operation) and in PyTorch (one node
per tensor operation). The script prints the time of each, the ratio, and how many graph
nodes per second each processes, so that chapter 5 can say honestly what a scalar engine
costs.

    .venv/bin/python benchmarks/autograd_engine.py
"""

from __future__ import annotations

import numpy as np
import torch

from _bench import best_time, describe
from dlpractice.engine_nn import ScalarTwoLayerNet, mean_squared_error
from dlpractice.two_layer_net import TwoLayerParams

SAMPLES, HIDDEN = 256, 16


def engine_step(net: ScalarTwoLayerNet, x: np.ndarray, y: np.ndarray) -> int:
    """One forward and backward pass; returns the number of nodes in the graph."""
    loss = mean_squared_error([net([float(v)]) for v in x], [[float(t)] for t in y])
    loss.backward()
    for p in net.parameters():
        p.grad = 0.0
    return len(loss.topological_order())


def torch_step(params: dict[str, torch.Tensor], x: torch.Tensor, y: torch.Tensor) -> None:
    hidden = torch.tanh(x @ params["W1"].T + params["b1"])
    loss = ((hidden @ params["W2"].T + params["b2"] - y) ** 2).mean()
    loss.backward()
    for p in params.values():
        p.grad = None


def main() -> None:
    rng = np.random.default_rng(0)
    x = rng.uniform(-2, 2, SAMPLES)
    y = np.sin(x)
    start = TwoLayerParams.random(1, HIDDEN, 1, seed=0)
    net = ScalarTwoLayerNet(start, activation="tanh")
    nodes = engine_step(net, x, y)
    engine_seconds = best_time(lambda: engine_step(net, x, y), 5)

    params = {
        k: torch.tensor(getattr(start, k), requires_grad=True) for k in ["W1", "b1", "W2", "b2"]
    }
    x_t, y_t = torch.tensor(x)[:, None], torch.tensor(y)[:, None]
    torch_step(params, x_t, y_t)  # warm up
    torch_seconds = best_time(lambda: torch_step(params, x_t, y_t), 50)
    torch_nodes = 8  # matmul, add, tanh, matmul, add, sub, pow, mean

    print(f"MLP 1-{HIDDEN}-1 (tanh), {SAMPLES} samples, forward + backward of the MSE")
    print(
        "machine:",
        ", ".join(f"{k}={v}" for k, v in describe().items()),
        f"torch={torch.__version__} ({torch.get_num_threads()} threads)",
    )
    print(f"{'':<16} {'seconds':>10} {'graph nodes':>12} {'nodes/s':>12}")
    print(
        f"{'scalar engine':<16} {engine_seconds:10.5f} {nodes:12,d} {nodes / engine_seconds:12,.0f}"
    )
    print(
        f"{'torch.autograd':<16} {torch_seconds:10.5f} {torch_nodes:12,d} "
        f"{torch_nodes / torch_seconds:12,.0f}"
    )
    print(f"engine / torch: {engine_seconds / torch_seconds:,.0f}x slower")
    print(
        f"scalar operations per second in the engine: {nodes / engine_seconds:,.0f}; "
        f"torch does the same arithmetic {engine_seconds / torch_seconds:,.0f}x faster"
    )


if __name__ == "__main__":
    main()
