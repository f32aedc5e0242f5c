"""The scalar engine of chapter 5 against micrograd and torch: per node, and as graphs grow.

Part 1, scaling. One expression, the cost of a linear model summed term by term,

    total = (w * x_0 + b) ** 2 + (w * x_1 + b) ** 2 + ... ,

built with 10^3, 10^4, 10^5 and 10^6 graph nodes (five per term: the constant x_i, the
product, the sum, the square, and the addition into the total) in three engines that all
make one node per scalar operation: :class:`dlpractice.autograd.Value`, Karpathy's micrograd
(``micrograd==0.1.0`` from PyPI, the ``bench`` extra) and torch on 0-d tensors. Forward
(building the graph) and backward (one ``backward()`` on the fresh graph) are timed
separately, with the garbage collector on, as a user runs them, in CPU time of this process
(``time.process_time``): the benchmark machine is shared, and wall time there measures the
other jobs as much as the engines. The script prints the time
per node, ours / micrograd, and the growth of each time per 10x more nodes (10 when the
time is linear in the size). micrograd sorts the graph recursively, so its backward fails
once the chain of additions is deeper than Python's recursion limit: that is reported as
"recursion limit".

Part 2, what a scalar engine costs against tensors: forward and backward of a 1-16-1 tanh
MLP on 256 samples, :mod:`dlpractice.engine_nn` against the same network in
``torch.autograd`` on whole tensors.

Both parts are written to ``book/data/autograd_engine_times.json``, which chapter 5 reads
(timing inside the book would make its pages differ from build to build).

    .venv/bin/python benchmarks/autograd_engine.py             # writes the JSON
    .venv/bin/python benchmarks/autograd_engine.py --freeze    # imports out of the GC's way
"""

from __future__ import annotations

import argparse
import gc
import json
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import torch

from _bench import best_time, describe
from dlpractice.autograd import Value
from dlpractice.engine_nn import ScalarTwoLayerNet, mean_squared_error
from dlpractice.two_layer_net import TwoLayerParams

try:
    from micrograd.engine import Value as MicrogradValue
except ImportError:  # the optional `bench` extra is not installed
    MicrogradValue = None

OUT = Path(__file__).resolve().parents[1] / "book" / "data" / "autograd_engine_times.json"

SIZES = (10**3, 10**4, 10**5, 10**6)
NODES_PER_TERM = 5
REPEATS = {10**3: 7, 10**4: 5, 10**5: 2, 10**6: 1}
SAMPLES, HIDDEN = 256, 16


# -- part 1: the same expression in three engines, at four sizes


def linear_cost(make: Callable[[float], object], xs: list[float]) -> object:
    """sum_i (w x_i + b)^2 as a chain of additions, in the engine whose leaves ``make`` makes."""
    w, b = make(0.5), make(-0.25)
    total = (w * xs[0] + b) ** 2
    for x in xs[1:]:
        total = total + (w * x + b) ** 2
    return total


def torch_scalar(number: float) -> torch.Tensor:
    return torch.tensor(number, dtype=torch.float64, requires_grad=True)


ENGINES = {
    "ours": Value,
    "micrograd": MicrogradValue,
    "torch": torch_scalar,
}


COLLECTOR_ON = True  # --no-gc turns it off while timing


def time_engine(make: Callable[[float], object], xs: list[float], repeats: int) -> dict:
    """Best forward and backward seconds of ``repeats`` fresh graphs (backward may be None)."""
    forward, backward = [], []
    for _ in range(repeats):
        gc.collect()
        if not COLLECTOR_ON:
            gc.disable()
        start = time.process_time()
        total = linear_cost(make, xs)
        forward.append(time.process_time() - start)
        start = time.process_time()
        try:
            total.backward()
        except RecursionError:  # micrograd's recursive topological sort
            backward.append(None)
        else:
            backward.append(time.process_time() - start)
        gc.enable()
        del total
    return {
        "forward": min(forward),
        "backward": None if None in backward else min(backward),
    }


def count_nodes(root: object) -> int:
    """Nodes of a graph of ours or of micrograd, counted without recursion."""
    seen, stack = {id(root)}, [root]
    while stack:
        node = stack.pop()
        for parent in getattr(node, "parents", None) or getattr(node, "_prev", ()):
            if id(parent) not in seen:
                seen.add(id(parent))
                stack.append(parent)
    return len(seen)


def scaling() -> dict:
    rng = np.random.default_rng(0)
    results: dict = {}
    for size in SIZES:
        terms = (size - 2) // NODES_PER_TERM
        xs = [float(x) for x in rng.uniform(-2, 2, terms)]
        nodes = count_nodes(linear_cost(Value, xs))
        if MicrogradValue is not None:
            assert count_nodes(linear_cost(MicrogradValue, xs)) == nodes, "same graph"
        row = {"nodes": nodes}
        for name, make in ENGINES.items():
            if make is not None:
                row[name] = time_engine(make, xs, REPEATS[size])
        results[str(size)] = row
    return results


def print_scaling(results: dict) -> None:
    engines = [name for name, make in ENGINES.items() if make is not None]
    for phase in ("forward", "backward"):
        print(f"\n{phase}: ns per node (growth of the time per 10x nodes)")
        header = f"{'nodes':>9} " + "".join(f"{name:>22}" for name in engines)
        print(header + f"{'ours / micrograd':>18}")
        previous: dict = {}
        for row in results.values():
            cells = []
            for name in engines:
                seconds = row[name][phase]
                if seconds is None:
                    cells.append(f"{'recursion limit':>22}")
                    continue
                growth = f"({seconds / previous[name]:5.1f}x)" if previous.get(name) else ""
                cells.append(f"{seconds / row['nodes'] * 1e9:13.0f} {growth:>8}")
                previous[name] = seconds
            ratio = ""
            if "micrograd" in row and row["micrograd"][phase] is not None:
                ratio = f"{row['ours'][phase] / row['micrograd'][phase]:.2f}"
            print(f"{row['nodes']:>9,d} " + "".join(cells) + f"{ratio:>18}")


# -- part 2: a small MLP, scalar engine against tensors


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


def mlp() -> dict:
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
    return {
        "samples": SAMPLES,
        "hidden": HIDDEN,
        "engine_seconds": engine_seconds,
        "engine_nodes": nodes,
        "torch_seconds": torch_seconds,
        "torch_nodes": 8,  # matmul, add, tanh, matmul, add, sub, pow, mean
    }


def print_mlp(result: dict) -> None:
    print(f"\nMLP 1-{HIDDEN}-1 (tanh), {SAMPLES} samples, forward + backward of the MSE")
    print(f"{'':<16} {'seconds':>10} {'graph nodes':>12}")
    for name, key in [("scalar engine", "engine"), ("torch.autograd", "torch")]:
        print(f"{name:<16} {result[key + '_seconds']:10.5f} {result[key + '_nodes']:12,d}")
    print(f"engine / torch: {result['engine_seconds'] / result['torch_seconds']:,.0f}x slower")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--freeze",
        action="store_true",
        help="gc.freeze() after the imports, so that the collector's full collections no "
        "longer walk the ~170,000 objects of torch and numpy (the engines' own growth)",
    )
    parser.add_argument(
        "--no-gc",
        action="store_true",
        help="the cyclic garbage collector off while timing (a graph of ours has no cycles, "
        "so nothing leaks): the growth without the collector's full collections",
    )
    parser.add_argument(
        "--no-write", action="store_true", help=f"print only; leave {OUT.name} as it is"
    )
    args = parser.parse_args()
    if args.freeze:
        gc.collect()
        gc.freeze()
        print(f"gc.freeze(): {gc.get_freeze_count():,} objects out of the collector's walks")
    if args.no_gc:
        global COLLECTOR_ON
        COLLECTOR_ON = False
        print("the garbage collector is off while timing")
    machine = {
        **describe(),
        "torch": torch.__version__,
        "torch_threads": torch.get_num_threads(),
        "micrograd": "0.1.0" if MicrogradValue is not None else "not installed",
        "recursion_limit": sys.getrecursionlimit(),
    }
    print("machine:", ", ".join(f"{k}={v}" for k, v in machine.items()))
    if MicrogradValue is None:
        print("micrograd is not installed: pip install -c constraints.txt -e '.[bench]'")
    results = scaling()
    print_scaling(results)
    small = mlp()
    print_mlp(small)
    if args.no_write or args.freeze or args.no_gc:  # the book quotes a user's run
        return
    OUT.write_text(json.dumps({"scaling": results, "mlp": small, **machine}, indent=2) + "\n")
    print(f"\nwrote {OUT}")


if __name__ == "__main__":
    main()
