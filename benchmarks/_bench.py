"""Shared by the benchmarks: what machine they ran on, and a careful timer."""

from __future__ import annotations

import os
import platform
import time
from collections.abc import Callable
from datetime import date

import numpy as np


def describe() -> dict:
    """Processor, cores, Python and numpy versions, and today's date."""
    return {
        "date": date.today().isoformat(),
        "machine": platform.machine(),
        "processor": _cpu_name(),
        "cores": os.cpu_count(),
        "python": platform.python_version(),
        "numpy": np.__version__,
    }


def _cpu_name() -> str:
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as info:
            for line in info:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def best_time(run: Callable[[], object], repeats: int) -> float:
    """The fastest of ``repeats`` runs, in seconds: the one least disturbed by other work."""
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return min(times)
