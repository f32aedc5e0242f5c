"""The shared shape of the bad-input suite (issue 13).

Each group of modules has a file ``tests/test_bad_input_<group>.py`` that defines
``CASES: list[Case]`` and one parametrised test running :func:`check` over them, with ids
from :func:`case_id`. ``tests/test_bad_input_coverage.py`` collects every group's CASES and
fails naming each public callable of ``dlpractice`` that has none.
"""

from __future__ import annotations

import math
import signal
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import numpy as np

# What torch imports lazily on an optimizer's first step (torch._dynamo, seconds to load),
# imported here, before any call runs under the alarm: an alarm that fires inside an import
# leaves a half-initialized module behind, and every later torch case fails with it.
import torch._dynamo  # noqa: F401

#: Seconds a bad call may take before it counts as a hang.
TIMEOUT = 20.0

#: Words of which a clear message has at least one: it says what was expected.
EXPECTATION_WORDS = (
    "must",
    "expected",
    "expects",
    "should",
    "cannot",
    "can only",
    "needs",
    "need ",
    "only",
    "not supported",
    "requires",
    "use ",
    "lower ",
    "give ",
    "pass ",
    "rescale",
)


@dataclass(frozen=True)
class Case:
    """One bad call and the error it must raise."""

    target: str  # public callable it exercises, e.g. "dlpractice.autograd.Value.exp"
    call: Callable[[], object]  # makes the bad call: lambda: Value(1000.0).exp()
    error: type[BaseException]  # ValueError / TypeError / the documented error class
    names: str  # text the message must contain: the argument's name
    why: str = ""  # what is wrong with the input, for the test id


class _Hang(BaseException):
    """Raised by the alarm inside a call that takes longer than TIMEOUT."""


def _non_finite(value: object) -> bool:
    """Whether a returned value holds NaN or inf anywhere we can cheaply look."""
    try:
        if isinstance(value, (float, np.floating)):
            return not math.isfinite(float(value))
        if isinstance(value, np.ndarray) and value.dtype.kind in "fc":
            return not bool(np.all(np.isfinite(value)))
        if type(value).__module__.startswith("torch") and hasattr(value, "isfinite"):
            return not bool(value.isfinite().all())
        if isinstance(value, (list, tuple)):
            return any(_non_finite(item) for item in value[:1000])
        if hasattr(value, "__dataclass_fields__"):
            return any(_non_finite(getattr(value, field)) for field in value.__dataclass_fields__)
    except Exception:  # noqa: BLE001 - a value we cannot inspect is not evidence
        return False
    return False


def _run(call: Callable[[], object], timeout: float | None = None) -> object:
    """Run ``call`` under an alarm of ``timeout`` (default TIMEOUT) seconds (main thread only)."""
    if threading.current_thread() is not threading.main_thread():
        return call()

    def on_alarm(signum, frame):  # noqa: ARG001
        raise _Hang

    previous = signal.signal(signal.SIGALRM, on_alarm)
    signal.setitimer(signal.ITIMER_REAL, TIMEOUT if timeout is None else timeout)
    try:
        return call()
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _name(error: type[BaseException] | tuple[type[BaseException], ...]) -> str:
    if isinstance(error, tuple):
        return " or ".join(kind.__name__ for kind in error)
    return error.__name__


def check(case: Case) -> None:
    """Raise AssertionError unless case.call() raises case.error whose message contains
    case.names (and a word for what was expected), with no NaN/inf returned silently."""
    try:
        result = _run(case.call)
    except _Hang:
        raise AssertionError(
            f"{case.target} ({case.why}): hung for more than {TIMEOUT:.0f} s instead of "
            f"raising {_name(case.error)}"
        ) from None
    except case.error as err:
        message = str(err)
        assert case.names in message, (
            f"{case.target} ({case.why}): {type(err).__name__} message does not name "
            f"{case.names!r}: {message!r}"
        )
        lowered = message.lower()
        assert any(word in lowered for word in EXPECTATION_WORDS), (
            f"{case.target} ({case.why}): message does not say what was expected "
            f"(none of {EXPECTATION_WORDS}): {message!r}"
        )
        return
    except BaseException as err:  # noqa: BLE001 - any other error is the failure reported
        if isinstance(err, (KeyboardInterrupt, SystemExit)):
            raise
        raise AssertionError(
            f"{case.target} ({case.why}): expected {_name(case.error)} naming "
            f"{case.names!r}, got {type(err).__name__}: {err}"
        ) from err
    silent = " (with NaN/inf in it)" if _non_finite(result) else ""
    raise AssertionError(
        f"{case.target} ({case.why}): expected {_name(case.error)} naming "
        f"{case.names!r}, but it returned {type(result).__name__}{silent}"
    )


def case_id(case: Case) -> str:
    """The pytest id of a case: its target without the package prefix, and why."""
    target = case.target.removeprefix("dlpractice.")
    return f"{target}[{case.why}]" if case.why else target


def targets(cases: Iterable[Case]) -> set[str]:
    """The public callables the cases exercise."""
    return {case.target for case in cases}
