"""Input checks shared by the public functions.

Every public function of the package checks what it is given at its boundary, so that a
mistake is reported where it was made, with the argument's name, what was expected and what
came. Nothing downstream has to guard against NaN or shape surprises: the private cores
behind the public functions take checked values and do not check them again.

:func:`check_scalar` is the one bounded-number check (in the style of scikit-learn's
``check_scalar``); :func:`as_finite_real`, :func:`as_positive_real` and :func:`as_count`
are its common cases.
"""

from __future__ import annotations

import math
from numbers import Integral, Real

import numpy as np

#: The largest number of elements a function allocates or loops over on the caller's
#: behalf (samples drawn, grid points, recorded updates): ten million float64 values are
#: 80 MB. A larger request is almost always a typo (``10**10`` for ``10**1``).
MAX_SIZE = 10_000_000

_INTERVALS = {
    "both": (True, True),
    "left": (True, False),
    "right": (False, True),
    "neither": (False, False),
}


def _type_name(value: object) -> str:
    return type(value).__name__


def _bounds_text(low: float | None, high: float | None, low_closed: bool, high_closed: bool) -> str:
    def show(bound: float) -> str:
        return str(bound) if isinstance(bound, int) else f"{bound:g}"

    parts = []
    if low is not None:
        parts.append(f"{'at least' if low_closed else 'greater than'} {show(low)}")
    if high is not None:
        parts.append(f"{'at most' if high_closed else 'less than'} {show(high)}")
    return " and ".join(parts)


def check_scalar(
    name: str,
    value: object,
    *,
    integer: bool = False,
    low: float | None = None,
    high: float | None = None,
    closed: str = "both",
    why: str = "",
) -> float | int:
    """Return ``value`` checked as one number in an interval, or raise naming ``name``.

    Parameters
    ----------
    name : str
        The argument's name, for the message.
    value : object
        The value to check. Booleans, strings, complex numbers and arrays are refused.
    integer : bool
        Demand an integer (returned as ``int``); otherwise a finite real (returned as
        ``float``).
    low, high : float, optional
        The interval's ends; ``None`` leaves that side open.
    closed : {"both", "left", "right", "neither"}
        Which ends belong to the interval.
    why : str
        A reason appended to the message, in parentheses.

    Returns
    -------
    float or int

    Raises
    ------
    TypeError
        If ``value`` is not a real number (an integer, with ``integer=True``).
    ValueError
        If it is not finite, too large for a float, or outside the interval.

    Examples
    --------
    >>> check_scalar("momentum", 0.5, low=0, high=1, closed="left")
    0.5
    >>> check_scalar("epochs", 0, integer=True, low=1)
    Traceback (most recent call last):
    ...
    ValueError: epochs must be at least 1, got 0
    """
    low_closed, high_closed = _INTERVALS[closed]
    if integer:
        if isinstance(value, (bool, np.bool_)) or not isinstance(value, (Integral, np.integer)):
            raise TypeError(f"{name} must be an integer, got {_type_name(value)}")
        number: float | int = int(value)
    else:
        if isinstance(value, (bool, np.bool_)) or not isinstance(
            value, (Real, np.floating, np.integer)
        ):
            raise TypeError(f"{name} must be a real number, got {_type_name(value)}")
        try:
            number = float(value)
        except OverflowError:
            digits = len(str(abs(int(value))))
            raise ValueError(
                f"{name} must be finite (within float64), got an integer of {digits} digits"
            ) from None
        if not math.isfinite(number):
            raise ValueError(f"{name} must be finite, got {number}")
    too_low = low is not None and (number < low if low_closed else number <= low)
    too_high = high is not None and (number > high if high_closed else number >= high)
    if too_low or too_high:
        reason = f" ({why})" if why else ""
        bounds = _bounds_text(low, high, low_closed, high_closed)
        raise ValueError(f"{name} must be {bounds}{reason}, got {number}")
    return number


def as_finite_real(name: str, value: object) -> float:
    """Return ``value`` as a finite float, or raise naming ``name``."""
    return check_scalar(name, value)


def as_positive_real(name: str, value: object) -> float:
    """Return ``value`` as a finite float greater than zero, or raise naming ``name``."""
    return check_scalar(name, value, low=0, closed="neither")


def as_count(name: str, value: object, *, minimum: int = 1, maximum: int | None = None) -> int:
    """Return ``value`` as an int in ``[minimum, maximum]``, or raise naming ``name``."""
    return check_scalar(name, value, integer=True, low=minimum, high=maximum)


def as_flag(name: str, value: object) -> bool:
    """Return ``value`` as a bool, refusing anything that is not one (``"False"`` is truthy)."""
    if not isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{name} must be True or False, got {value!r}")
    return bool(value)


def as_size(name: str, size: int, *, what: str = "values") -> int:
    """Refuse a request to allocate or loop over more than :data:`MAX_SIZE` elements."""
    if size > MAX_SIZE:
        raise ValueError(
            f"{name} must ask for at most {MAX_SIZE:,} {what}, got {size:,}; a larger "
            f"request is almost certainly a mistake"
        )
    return size


def as_bounded_count(name: str, value: object, *, what: str = "values") -> int:
    """Return ``value`` as a count from 1 to :data:`MAX_SIZE`, or raise naming ``name``.

    The check of every "how many" argument that the function allocates or loops over
    (samples, steps, epochs): :func:`as_count`, then :func:`as_size`.

    Examples
    --------
    >>> as_bounded_count("n", 3, what="samples")
    3
    """
    return as_size(name, as_count(name, value), what=what)


def as_interval(name: str, value: object) -> tuple[float, float]:
    """Return ``value`` as a pair ``(low, high)`` of finite floats with ``low < high``."""
    if isinstance(value, (str, bytes)) or not isinstance(value, (tuple, list, np.ndarray)):
        raise TypeError(f"{name} must be a pair (low, high), got {_type_name(value)}")
    if len(value) != 2:
        raise ValueError(f"{name} must be a pair (low, high), got {len(value)} values")
    low = as_finite_real(f"{name}[0]", value[0])
    high = as_finite_real(f"{name}[1]", value[1])
    if not low < high:
        raise ValueError(f"{name} must have low < high (be increasing), got ({low}, {high})")
    return low, high


def _from_torch(name: str, value: object) -> object:
    """A torch tensor as a numpy array; a tensor that requires grad is refused, by name."""
    if type(value).__module__.startswith("torch") and hasattr(value, "detach"):
        if getattr(value, "requires_grad", False):
            raise TypeError(
                f"{name} must be plain numbers, got a torch.Tensor that requires grad; "
                f"pass {name}.detach() to use its values"
            )
        return value.cpu().numpy()
    return value


def _as_real_array(name: str, value: object) -> np.ndarray:
    """``value`` as a float64 array of any shape, refusing what numpy would convert silently.

    Strings, booleans and complex numbers are refused (numpy turns ``"1"`` into 1.0, True
    into 1.0 and drops imaginary parts); integers too large for a float raise by name.
    """
    if isinstance(value, (str, bytes)) or value is None:
        raise TypeError(f"{name} must be a sequence of numbers, got {_type_name(value)}")
    value = _from_torch(name, value)
    try:
        raw = np.asarray(value)
    except (TypeError, ValueError) as err:
        raise TypeError(f"{name} must be a sequence of real numbers, got {value!r}") from err
    kind = raw.dtype.kind
    if kind in "iuf":
        return raw.astype(np.float64, copy=False)
    if kind == "O":
        for item in raw.flat:
            if isinstance(item, (bool, np.bool_)) or not isinstance(
                item, (Real, np.floating, np.integer)
            ):
                raise TypeError(
                    f"{name} must be a sequence of real numbers, got an element of type "
                    f"{_type_name(item)}: {item!r}"
                )
        try:
            return raw.astype(np.float64)
        except OverflowError:
            raise ValueError(
                f"{name} must be finite (within float64), got an integer too large for a float"
            ) from None
    what = {"b": "booleans", "c": "complex numbers", "U": "strings", "S": "bytes"}
    got = what.get(kind, f"dtype {raw.dtype}")
    raise TypeError(f"{name} must be a sequence of real numbers, got {got}")


def as_float_vector(name: str, value: object, *, allow_empty: bool = False) -> np.ndarray:
    """Return ``value`` as a 1-D float64 array, or raise naming ``name``.

    Accepts lists, tuples and arrays of real numbers, and torch tensors that do not require
    grad (a 0-d input is not a data set).
    """
    array = _as_real_array(name, value)
    if array.ndim != 1:
        raise ValueError(f"{name} must be one-dimensional, got shape {array.shape}")
    if array.size == 0 and not allow_empty:
        raise ValueError(f"{name} must not be empty")
    return _finite(name, array)


def as_float_array(name: str, value: object) -> np.ndarray:
    """Return ``value`` as a float64 array of any shape with finite entries."""
    return _finite(name, _as_real_array(name, value))


def _finite(name: str, array: np.ndarray) -> np.ndarray:
    if not np.all(np.isfinite(array)):
        flat = array.reshape(-1)
        bad = int(np.flatnonzero(~np.isfinite(flat))[0])
        where = bad if array.ndim == 1 else np.unravel_index(bad, array.shape)
        raise ValueError(f"{name} must be finite, got {flat[bad]} at index {where}")
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


def overflow_error(names: str, what: str) -> ValueError:
    """The error for finite inputs whose result does not fit in float64."""
    return ValueError(
        f"{names} must be small enough for float64: {what} overflows; rescale the data"
    )
