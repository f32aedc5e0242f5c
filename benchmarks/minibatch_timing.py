"""Wall-clock cost of one update of mini-batch gradient descent, by batch size.

Chapter 3 plots the cost against wall-clock time. Timing inside the book would make its
pages differ from build to build, so the times are measured here, on the chapter's data set
and batch sizes, and written to ``book/data/update_times.json``, which the chapter reads.
Run it again on a new machine to redraw that figure with its numbers:

    .venv/bin/python benchmarks/minibatch_timing.py
"""

from __future__ import annotations

import json
import time
from pathlib import Path

from _bench import describe
from dlpractice.data import noisy_line
from dlpractice.descent import minibatch_descent

OUT = Path(__file__).resolve().parents[1] / "book" / "data" / "update_times.json"

# Must match chapter 3: the data set and the batch sizes it compares.
N_SAMPLES = 2000
BATCH_SIZES = [1, 16, 128, N_SAMPLES]


def seconds_per_update(batch_size: int, updates: int = 4000, repeats: int = 7) -> float:
    """Fastest of ``repeats`` runs of (run time / updates), each about ``updates`` long."""
    x, y = noisy_line(N_SAMPLES, w=2.5, b=1.0, noise=1.0, x_low=-2.0, x_high=2.0, seed=0)
    updates_per_epoch = -(-N_SAMPLES // batch_size)
    epochs = -(-updates // updates_per_epoch)
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        run = minibatch_descent(
            x, y, w0=0.0, b0=0.0, learning_rate=0.1, epochs=epochs, batch_size=batch_size, seed=1
        )
        times.append((time.perf_counter() - start) / run.updates)
    return min(times)


def main() -> None:
    per_update = {str(size): seconds_per_update(size) for size in BATCH_SIZES}
    record = {"n_samples": N_SAMPLES, "seconds_per_update": per_update, **describe()}
    OUT.write_text(json.dumps(record, indent=2) + "\n")
    print(f"wrote {OUT}")
    base = per_update["1"]
    for size, seconds in per_update.items():
        print(
            f"batch {size:>5}: {seconds * 1e6:8.1f} µs per update, "
            f"{seconds / base:6.2f}x the time of a single-sample update"
        )


if __name__ == "__main__":
    main()
