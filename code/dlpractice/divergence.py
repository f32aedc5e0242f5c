"""When a training run counts as divergent, and the error it raises.

Both the numpy loops (:mod:`dlpractice.descent`, :mod:`dlpractice.momentum`,
:mod:`dlpractice.nonconvex`) and the PyTorch loop (:mod:`dlpractice.training`) stop a run
whose cost grows past :data:`DIVERGENCE_FACTOR` times its start. They import the rule from
here, so that neither kind of loop depends on the other.
"""

from __future__ import annotations

import numpy as np

from ._validation import check_scalar

#: A run is declared divergent once its cost exceeds this multiple of its starting cost.
DIVERGENCE_FACTOR = 1e6


class DivergenceError(ArithmeticError):
    """Raised when a training run blows up instead of converging.

    Examples
    --------
    >>> issubclass(DivergenceError, ArithmeticError)
    True
    """


def divergence_limit(start: float, *, reference: float) -> float:
    """The cost above which a run that started at cost ``start`` counts as divergent.

    ``DIVERGENCE_FACTOR`` times the starting cost. A run that starts at cost 0 (exactly at
    a minimum) is measured against ``reference`` instead (a cost of the same problem
    elsewhere, such as at the origin), so that rounding noise around the minimum is not
    taken for divergence.

    Raises
    ------
    ValueError
        If ``start`` is not finite: the data and the start overflow before any update.

    Examples
    --------
    >>> divergence_limit(2.0, reference=5.0), divergence_limit(0.0, reference=5.0)
    (2000000.0, 5000000.0)
    """
    start = check_scalar("start", start, low=0)
    reference = check_scalar("reference", reference, low=0)
    base = start if start > 0 else reference
    # Capped at float64's largest value: a start near it would give inf, a limit that no
    # cost exceeds (a cost that overflows is inf, and still counts as divergent).
    return min(DIVERGENCE_FACTOR * max(base, np.finfo(float).tiny), np.finfo(float).max)
