"""Input checks shared by the public functions.

Every public function of the package checks what it is given at its boundary, so that a
mistake is reported where it was made, with the argument's name, what was expected and what
came. Nothing downstream has to guard against NaN or shape surprises.
"""

from __future__ import annotations

import math
from numbers import Real

import numpy as np


def as_float_vector(name: str, value: object, *, allow_empty: bool = False) -> np.ndarray:
    """Return ``value`` as a 1-D float64 array, or raise naming ``name``.

    Accepts lists, tuples and arrays of real numbers (a 0-d input is not a data set).
    """
    if isinstance(value, (str, bytes)) or value is None:
        raise TypeError(f"{name} must be a sequence of numbers, got {type(value).__name__}")
    try:
        array = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError) as err:
        raise TypeError(f"{name} must be a sequence of real numbers, got {value!r}") from err
    if array.ndim != 1:
        raise ValueError(f"{name} must be one-dimensional, got shape {array.shape}")
    if array.size == 0 and not allow_empty:
        raise ValueError(f"{name} must not be empty")
    if not np.all(np.isfinite(array)):
        bad = int(np.flatnonzero(~np.isfinite(array))[0])
        raise ValueError(f"{name} must be finite, got {array[bad]} at index {bad}")
    return array


def as_data(
    x: object, y: object, *, names: tuple[str, str] = ("x", "y")
) -> tuple[np.ndarray, np.ndarray]:
    """Check a data set of inputs ``x`` and targets ``y``: equal lengths, finite, not empty.

    ``names`` are the caller's names for the two arguments, used in the messages.
    """
    x_name, y_name = names
    x_array = as_float_vector(x_name, x)
    y_array = as_float_vector(y_name, y)
    if x_array.shape != y_array.shape:
        raise ValueError(
            f"{x_name} and {y_name} must have the same length, got {x_array.size} inputs "
            f"and {y_array.size} targets"
        )
    return x_array, y_array


def as_finite_real(name: str, value: object) -> float:
    """Return ``value`` as a finite float, or raise naming ``name``."""
    if isinstance(value, bool) or not isinstance(value, (Real, np.floating, np.integer)):
        raise TypeError(f"{name} must be a real number, got {type(value).__name__}")
    number = float(value)
    if not math.isfinite(number):
        raise ValueError(f"{name} must be finite, got {number}")
    return number


def as_positive_real(name: str, value: object) -> float:
    """Return ``value`` as a finite float greater than zero, or raise naming ``name``."""
    number = as_finite_real(name, value)
    if number <= 0:
        raise ValueError(f"{name} must be greater than 0, got {number}")
    return number


def as_count(name: str, value: object, *, minimum: int = 1, maximum: int | None = None) -> int:
    """Return ``value`` as an int in ``[minimum, maximum]``, or raise naming ``name``."""
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        raise TypeError(f"{name} must be an integer, got {type(value).__name__}")
    count = int(value)
    if count < minimum or (maximum is not None and count > maximum):
        upper = "" if maximum is None else f" and at most {maximum}"
        raise ValueError(f"{name} must be at least {minimum}{upper}, got {count}")
    return count
