"""What machine a benchmark ran on, recorded next to its numbers."""

from __future__ import annotations

import os
import platform
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
