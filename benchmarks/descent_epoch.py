"""One epoch of batch gradient descent on 10^7 samples, three ways, against memory speed.

An epoch of batch gradient descent on ``y_hat = x*w + b`` reads every sample once, does a
handful of arithmetic per sample, and writes two numbers. It is memory-bound: the floor is the
time to read ``x`` and ``y`` (16 bytes a sample) from main memory. This script times

- the course's pure-Python loops (cost, then gradient, one sample at a time),
- the package's numpy epoch (:func:`dlpractice.gradients.cost_and_gradient`, chunked), and
  the same arithmetic on whole arrays (what a first numpy version does),
- torch on the CPU, on the same memory (``torch.from_numpy`` shares it),

and prints each as a multiple of the read-once floor, with the bandwidth it achieves. The
target for the package is an epoch within 3x of reading the data once.

    .venv/bin/python benchmarks/descent_epoch.py [--samples 10000000]
"""

from __future__ import annotations

import argparse

import numpy as np
import torch

from _bench import best_time, describe
from dlpractice.data import noisy_line
from dlpractice.gradients import cost_and_gradient


def course_epoch(xs: list[float], ys: list[float], w: float, b: float) -> tuple[float, float]:
    """The course's cost() and gradient() loops, extended with the bias."""
    cost = 0.0
    for x, y in zip(xs, ys, strict=True):
        cost += (x * w + b - y) ** 2
    grad_w = grad_b = 0.0
    for x, y in zip(xs, ys, strict=True):
        grad_w += 2 * x * (x * w + b - y)
        grad_b += 2 * (x * w + b - y)
    n = len(xs)
    return cost / n, grad_w / n


def whole_array_epoch(x: np.ndarray, y: np.ndarray, w: float, b: float) -> tuple[float, float]:
    """The same arithmetic on whole arrays: every temporary goes to memory and back."""
    residual = x * w + b - y
    return float(np.mean(residual * residual)), float(np.mean(2 * x * residual))


def torch_epoch(x: torch.Tensor, y: torch.Tensor, w: float, b: float) -> tuple[float, float]:
    residual = x * w + b - y
    return float((residual * residual).mean()), float((2 * x * residual).mean())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--samples", type=int, default=10_000_000)
    parser.add_argument("--repeats", type=int, default=7)
    args = parser.parse_args()
    n = args.samples

    x, y = noisy_line(n, w=2.5, b=1.0, noise=1.0, seed=0)
    w, b = 1.0, 0.0
    data_bytes = x.nbytes + y.nbytes

    read_once = best_time(lambda: (np.add.reduce(x), np.add.reduce(y)), args.repeats)
    timings = {
        "numpy, package (chunked)": best_time(lambda: cost_and_gradient(x, y, w, b), args.repeats),
        "numpy, whole arrays": best_time(lambda: whole_array_epoch(x, y, w, b), args.repeats),
    }
    x_t, y_t = torch.from_numpy(x), torch.from_numpy(y)
    timings[f"torch CPU ({torch.get_num_threads()} threads)"] = best_time(
        lambda: torch_epoch(x_t, y_t, w, b), args.repeats
    )
    xs, ys = x.tolist(), y.tolist()
    timings["pure Python (course loops)"] = best_time(lambda: course_epoch(xs, ys, w, b), 1)

    print("one epoch of batch gradient descent:", f"{n:,} samples, {data_bytes / 1e6:.0f} MB")
    print("machine:", ", ".join(f"{k}={v}" for k, v in describe().items()))
    print(f"{'method':<30} {'seconds':>9} {'x read-once':>12} {'GB/s':>7} {'vs package':>11}")
    print(
        f"{'read x and y once (floor)':<30} {read_once:9.4f} {1:12.2f} "
        f"{data_bytes / read_once / 1e9:7.2f} {'':>11}"
    )
    package = timings["numpy, package (chunked)"]
    for name, seconds in timings.items():
        print(
            f"{name:<30} {seconds:9.4f} {seconds / read_once:12.2f} "
            f"{data_bytes / seconds / 1e9:7.2f} {seconds / package:11.2f}"
        )
    ratio = package / read_once
    verdict = "meets" if ratio <= 3 else "misses"
    print(f"package epoch = {ratio:.2f} x read-once: {verdict} the target of 3x")


if __name__ == "__main__":
    main()
