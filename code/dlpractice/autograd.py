r"""A reverse-mode automatic differentiation engine on scalars, small enough to read.

Every arithmetic operation on a :class:`Value` creates a new node that remembers

- its number (``data``) and the gradient of the final output with respect to it (``grad``),
- the nodes it was computed from (``parents``) and the name of the operation (``op``),
- the derivative of its number with respect to each parent's (``local_grads``), computed
  with the number itself. The backward pass adds to each parent's ``grad`` its share, the
  local derivative times the node's own ``grad``, which is the chain rule,

.. math:: \frac{\partial L}{\partial \text{parent}}
          \mathrel{+}= \frac{\partial L}{\partial \text{node}}
          \cdot \frac{\partial\, \text{node}}{\partial\, \text{parent}} .

:meth:`Value.backward` visits the nodes from the output back to the inputs in reverse
topological order, so a node passes its gradient on only after every path through it has
delivered its share. A node refers only to its parents, never to itself or its results, so
a graph holds no reference cycle: dropped, it is freed at once, without the garbage
collector. As in PyTorch, the gradients of the inputs *accumulate* across calls to
``backward()`` until they are reset with :meth:`Value.zero_grad` (or by setting
``grad = 0``).

A node records the numbers its local derivatives were computed from (a sum records none:
its derivatives are 1 whatever the numbers). Change the ``data`` of such a number after the
graph was built (a training step, ``w.data -= 0.1 * w.grad``) and the graph is *stale*: its
local derivatives are those of the old numbers, not of the current ones. ``backward()``
then raises a ``RuntimeError``, as PyTorch does when a tensor that a backward step saved
was modified in place; compute the output again from the current values.

Every value is finite: an operation whose result overflows a float, or a backward pass
whose gradient does, raises a ``ValueError`` saying where (and a failed backward pass
leaves every gradient as it was).

The design follows Andrej Karpathy's micrograd.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from itertools import count
from math import isfinite
from numbers import Real
from operator import attrgetter

from ._validation import as_finite_real


class Value:
    """A scalar in a computation graph, with the gradient of the output with respect to it.

    Parameters
    ----------
    data : float
        The number, finite.
    label : str
        A name for pictures of the graph (optional).
    op, parents, local_grads
        Set by the operations that build the graph: the operation's name, the nodes it
        was computed from, and the derivative of this node with respect to each of them.

    Raises
    ------
    TypeError
        If ``data`` is not a real number or ``label`` not a string.
    ValueError
        If ``data`` is not finite, an operation's result overflows a float
        (``Value(1000.0).exp()``), or ``local_grads`` does not hold one number per parent.

    Examples
    --------
    >>> x, w, y = Value(1.0, "x"), Value(1.0, "w"), Value(2.0, "y")
    >>> loss = (x * w - y) ** 2
    >>> loss.backward()
    >>> loss.data, w.grad
    (1.0, -2.0)
    """

    __slots__ = ("data", "grad", "label", "op", "parents", "local_grads", "_inputs", "_created")
    __array_ufunc__ = None  # numpy defers to us: array + Value raises a clear TypeError

    def __init__(
        self,
        data: float,
        label: str = "",
        *,
        op: str = "",
        parents: tuple[Value, ...] = (),
        local_grads: tuple[float, ...] = (),
    ) -> None:
        if type(data) is not float or not isfinite(data):
            data = _checked_data(data, op, parents)  # not a float, or an overflow: say which
        if not isinstance(label, str):
            raise TypeError(f"label must be a string, got {type(label).__name__}")
        self.data = data
        self.grad = 0.0
        self.label = label
        self.op = op
        self.parents = parents
        self.local_grads = local_grads  # d(self)/d(parent), for each parent
        # the numbers local_grads were computed from, which backward() compares with the
        # parents' data then; a sum needs none (its derivatives are 1 whatever the numbers)
        inputs = _data_of(parents)  # (which also checks that parents holds Values)
        self._inputs = inputs if op != "+" else ()
        self._created = next(_CREATED)  # made after its parents: see topological_order
        if not (type(parents) is type(local_grads) is tuple and len(parents) == len(local_grads)):
            raise _structure_error(local_grads, parents)  # one derivative per parent

    def __repr__(self) -> str:
        name = f"{self.label}=" if self.label else ""
        return f"Value({name}{self.data:.6g}, grad={self.grad:.6g})"

    # -- building the graph: each operation returns a node and its local derivatives

    def __add__(self, other: Value | float) -> Value:
        if not isinstance(other, Value):
            other = _as_value(other, "+")
        return _node(
            self.data + other.data,
            op="+",
            parents=(self, other),
            local_grads=(1.0, 1.0),  # d(a+b)/da = 1, d(a+b)/db = 1
        )

    def __mul__(self, other: Value | float) -> Value:
        if not isinstance(other, Value):
            other = _as_value(other, "*")
        return _node(
            self.data * other.data,
            op="*",
            parents=(self, other),
            local_grads=(other.data, self.data),  # d(ab)/da = b, d(ab)/db = a
        )

    def __pow__(self, exponent: float) -> Value:
        n, power, slope = _power(self.data, exponent)  # a^n, and d(a^n)/da = n a^(n-1)
        return _node(
            power, op=_POWER_NAMES.get(n) or f"**{n:g}", parents=(self,), local_grads=(slope,)
        )

    def exp(self) -> Value:
        e = _exp(self.data)
        return _node(e, op="exp", parents=(self,), local_grads=(e,))  # d(e^a)/da = e^a

    def log(self) -> Value:
        if self.data <= 0:
            raise ValueError(
                f"log is defined for positive values, got {self.data}: the argument of "
                f"log must be greater than 0"
            )
        return _node(
            math.log(self.data),
            op="log",
            parents=(self,),
            local_grads=(1 / self.data,),  # d(ln a)/da = 1/a
        )

    def tanh(self) -> Value:
        t = math.tanh(self.data)
        return _node(
            t,
            op="tanh",
            parents=(self,),
            local_grads=(1 - t * t,),  # d(tanh a)/da = 1 - tanh(a)^2
        )

    def sigmoid(self) -> Value:
        s = 1 / (1 + math.exp(-self.data)) if self.data >= 0 else _sigmoid_negative(self.data)
        return _node(
            s,
            op="sigmoid",
            parents=(self,),
            local_grads=(s * (1 - s),),  # d(sigma(a))/da = sigma(a) (1 - sigma(a))
        )

    def relu(self) -> Value:
        return _node(
            max(self.data, 0.0),
            op="relu",
            parents=(self,),
            local_grads=(1.0 if self.data > 0 else 0.0,),  # 0 at a = 0, as in PyTorch
        )

    # -- the rest of arithmetic, written with the operations above

    def __neg__(self) -> Value:
        return self * -1.0

    def __sub__(self, other: Value | float) -> Value:
        return self + (-_as_value(other, "-"))

    def __truediv__(self, other: Value | float) -> Value:
        other = _as_value(other, "/")
        if other.data == 0:
            raise ZeroDivisionError("division of a Value by zero: the divisor must not be 0")
        return self * other**-1

    def __radd__(self, other: float) -> Value:
        return self + other

    def __rmul__(self, other: float) -> Value:
        return self * other

    def __rsub__(self, other: float) -> Value:
        return _as_value(other, "-") - self

    def __rtruediv__(self, other: float) -> Value:
        return _as_value(other, "/") / self

    # -- differentiating

    def backward(self, gradient: float = 1.0) -> None:
        """Add the gradient of this node to every node it was computed from.

        Seeds ``self.grad`` with ``gradient`` (``dL/dL = 1`` for a loss) and applies every
        node's chain-rule step in reverse topological order. As in PyTorch, the gradients of
        the inputs (nodes without parents) accumulate across calls, so call
        :meth:`zero_grad` to start afresh; intermediate nodes hold the gradient of the
        latest pass only (otherwise a second pass would push the first pass's gradient
        through the graph again). A pass that fails changes no gradient.

        Parameters
        ----------
        gradient : float
            ``dL/dself``; the default 1 makes ``self`` the quantity being differentiated.

        Raises
        ------
        TypeError
            If ``gradient`` is not a real number.
        ValueError
            If ``gradient`` is not finite, or a gradient overflows a float.
        RuntimeError
            If the graph is stale: the ``data`` of a node that a local derivative was
            computed from changed after the graph was built (compute the output again, as
            in PyTorch).
        """
        seed = as_finite_real("gradient", gradient)
        order = self.topological_order()
        _check_not_stale(order)
        grads_before = list(map(_GRAD, order))
        for node in order:  # intermediate results carry only this pass's gradient ...
            if node.parents:
                node.grad = 0.0
        self.grad = seed  # ... while inputs (leaves) accumulate across passes
        try:
            for node in reversed(order):  # the chain rule: parent.grad += local_grad * grad
                parents = node.parents
                if len(parents) == 2:  # x + y, x * y, x ** y: written out (the hot loop)
                    (a, b), (da, db) = parents, node.local_grads
                    a.grad += da * node.grad
                    b.grad += db * node.grad
                elif len(parents) == 1:  # tanh(x), exp(x), x ** 2, ...
                    parents[0].grad += node.local_grads[0] * node.grad
                else:  # an input passes nothing on; an operation of 3 or more, in a loop
                    for parent, local_grad in zip(parents, node.local_grads):  # noqa: B905
                        parent.grad += local_grad * node.grad
            _check_gradients(order)
        except Exception:  # undo the whole pass: all or nothing
            for restored, grad in zip(order, grads_before, strict=True):
                restored.grad = grad
            raise

    def topological_order(self) -> list[Value]:
        """Every node this one depends on, each after all of its parents (itself last)."""
        found, seen = [self], {self}
        for node in found:  # the list grows as it is read: each node's parents join it
            for parent in node.parents:
                if parent not in seen:
                    seen.add(parent)
                    found.append(parent)
        found.sort(key=_CREATION)  # each node was made after its parents, so this order
        return found  # is topological, and no recursion can overflow on a deep graph

    def zero_grad(self) -> None:
        """Set the gradient of this node and of every node it depends on to 0."""
        for node in self.topological_order():
            node.grad = 0.0


_NEW = object.__new__


def _node(
    data: float, *, op: str, parents: tuple[Value, ...], local_grads: tuple[float, ...]
) -> Value:
    """A node made by the engine's own operations: ``Value(...)`` without its checks.

    The constructor checks what a user gives it; an operation already knows that its
    parents are Values and that it has one local derivative per parent, so it skips those
    checks (and a constructor call's handling of keywords), which makes a node about half
    as costly to make. Only the number itself can still be wrong: an overflow. The state
    set here is the state ``Value.__init__`` sets (tests/test_autograd.py compares).
    """
    if not isfinite(data):
        _checked_data(data, op, parents)  # raises, naming the operation that overflowed
    node = _NEW(Value)
    node.data = data
    node.grad = 0.0
    node.label = ""
    node.op = op
    node.parents = parents
    node.local_grads = local_grads
    node._inputs = _data_of(parents) if op != "+" else ()
    node._created = next(_CREATED)
    return node


def value_sum(values: Iterable[Value | float]) -> Value:
    """The sum of several values, as one chain of ``+`` nodes.

    Parameters
    ----------
    values : iterable of Value or float
        At least one; plain numbers must be finite.

    Returns
    -------
    Value

    Raises
    ------
    TypeError
        If ``values`` is not iterable or holds something other than Values and real
        numbers.
    ValueError
        If ``values`` is empty or a number in it is not finite.

    Examples
    --------
    >>> value_sum([Value(1.0), 2.0, Value(3.0)]).data
    6.0
    """
    if isinstance(values, (str, bytes, Value)) or not isinstance(values, Iterable):
        raise TypeError(
            f"values must be an iterable of Values and numbers, got {type(values).__name__}"
        )
    items = list(values)
    if not items:
        raise ValueError("values must hold at least one value, got none")
    items = [
        item if isinstance(item, Value) else Value(_operand(item, f"values[{i}]"))
        for i, item in enumerate(items)
    ]
    total = items[0]
    for item in items[1:]:
        total = total + item
    return total


def _operand(number: object, name: str) -> float:
    """``number`` as a finite float, or an error naming it (``name``)."""
    if type(number) is float and math.isfinite(number):  # the common cases, quickly
        return number
    if type(number) is int and -_EXACT_INT < number < _EXACT_INT:
        return float(number)
    return as_finite_real(name, number)


_EXACT_INT = 2**53  # every int below it in size is exactly a float


def _as_value(other: object, operation: str) -> Value:
    if isinstance(other, Value):
        return other
    if type(other) is float and math.isfinite(other):  # the common case, quickly
        return _node(other, op="", parents=(), local_grads=())
    if isinstance(other, bool) or not isinstance(other, Real):
        raise TypeError(
            f"unsupported operand for {operation}: a Value combines only with Values and real "
            f"numbers, got {type(other).__name__}"
        )
    number = _operand(other, f"the operand of {operation}")  # a finite float, or an error
    return _node(number, op="", parents=(), local_grads=())


def _checked_data(data: object, op: str, parents: tuple[Value, ...]) -> float:
    """The number of a new node as a finite float; an overflow is named by its operation."""
    if not parents:  # a number from the user
        return _operand(data, "data")
    if not isinstance(parents, tuple) or not all(isinstance(p, Value) for p in parents):
        raise TypeError(f"parents must be a tuple of Values, got {parents!r}")
    if not isinstance(op, str):
        raise TypeError(f"op must be a string, got {type(op).__name__}")
    if not (isinstance(data, float) and math.isinf(data)):
        return _operand(data, "data")
    operands = [f"{parent.data:.6g}" for parent in parents]
    if op in _FUNCTIONS:
        expression = f"{op}({operands[0]})"
    elif len(operands) == 1:
        expression = f"{operands[0]}{op}"
    else:
        expression = f" {op} ".join(operands)
    raise ValueError(
        f"{expression} overflows a float (gives {data}); data must be finite, so keep "
        f"the values of the graph within about 1e308"
    )


def _structure_error(local_grads: object, parents: object) -> Exception:
    if type(parents) is not tuple:
        return TypeError(f"parents must be a tuple of Values, got {type(parents).__name__}")
    if not isinstance(local_grads, tuple):
        return TypeError(f"local_grads must be a tuple, got {type(local_grads).__name__}")
    return ValueError(
        f"local_grads must hold one derivative per parent ({len(parents)}), got {local_grads!r}"
    )


_FUNCTIONS = ("exp", "log", "tanh", "sigmoid", "relu")


def _data_of(parents: tuple[Value, ...]) -> tuple[float, ...]:
    """The numbers of ``parents`` now, which :meth:`Value.backward` compares later."""
    try:
        count = len(parents)  # the common cases spelled out: this runs for every node
        if count == 2:
            return (parents[0].data, parents[1].data)
        if count == 1:
            return (parents[0].data,)
        if count == 0:
            return ()
        return tuple([parent.data for parent in parents])
    except (AttributeError, TypeError, KeyError):
        raise TypeError(f"parents must be a tuple of Values, got {parents!r}") from None


def _exp(a: float) -> float:
    try:
        return math.exp(a)
    except OverflowError:
        return math.inf  # reported by Value(), naming the operation


def _power(a: float, exponent: object) -> tuple[float, float, float]:
    """The exponent ``n`` as a float, ``a ** n`` and its derivative ``n a^(n-1)``.

    Raises if ``n`` is not a finite real number or ``a ** n`` is not a real number; an
    overflow gives inf, which ``Value()`` (or ``backward()``, for the derivative) reports.
    """
    if type(exponent) is int and -_EXACT_INT < exponent < _EXACT_INT:
        n = float(exponent)  # x ** 2, the common case
    elif isinstance(exponent, Value):
        raise TypeError("the exponent of ** must be a plain number, not a Value")
    else:
        n = _operand(exponent, "the exponent of **")  # a finite float, or an error naming it
    if a == 0 and n < 0:
        raise ZeroDivisionError(
            f"0 ** {n:g} is undefined: the base must not be 0 for a negative exponent"
        )
    if a < 0 and not n.is_integer():
        raise ValueError(
            f"a negative number to the power {n:g} is not real: the base must be positive "
            f"for a non-integer exponent, got {a:g}"
        )
    try:
        power = a**n
    except OverflowError:
        return n, math.inf, math.inf
    try:
        return n, power, n * a ** (n - 1)
    except (OverflowError, ZeroDivisionError):  # overflow, or 0 to a negative power
        return n, power, math.inf


_POWER_NAMES = {2.0: "**2", 3.0: "**3", -1.0: "**-1", 0.5: "**0.5"}  # f"**{n:g}", cached


def _check_not_stale(order: list[Value]) -> None:
    """Raise if a number that a node's local derivatives used has changed since."""
    for node in order:
        used = node._inputs
        if not used:  # a leaf
            continue
        parents = node.parents
        # one or two parents, unrolled: this runs for every node of every backward pass
        if len(used) == 1:
            same = parents[0].data == used[0]
        elif len(used) == 2:
            same = parents[0].data == used[0] and parents[1].data == used[1]
        else:
            same = tuple([parent.data for parent in parents]) == used
        if not same:
            _raise_stale(node)


def _raise_stale(node: Value) -> None:
    parent, used = next(
        (p, u) for p, u in zip(node.parents, node._inputs, strict=True) if p.data != u
    )
    name = parent.label or parent.op or "an input"
    raise RuntimeError(
        f"backward() on a stale graph: the data of {name} changed from {used:.6g} to "
        f"{parent.data:.6g} after the graph was built, so its gradients would be those of "
        f"the old values; the output must be computed again from the current values "
        f"(PyTorch raises here too)"
    )


def _check_gradients(order: list[Value]) -> None:
    """Raise if a gradient is not finite after the backward pass, saying where it broke."""
    if math.isfinite(sum(map(_GRAD, order))):  # quick: inf and NaN spread into the sum
        return
    for node in order:  # a local derivative that is infinite (sqrt at 0) or NaN
        if not all(map(math.isfinite, node.local_grads)):
            at = ", ".join(f"{parent.data:.6g}" for parent in node.parents)
            raise ValueError(
                f"the gradient through {node.op} at {at} is not finite (its local "
                f"derivative is {', '.join(map(str, node.local_grads))}): the derivative "
                f"must be finite where the graph is evaluated"
            )
    for node in order:
        if not math.isfinite(node.grad):
            name = node.label or node.op or "an input"
            raise ValueError(
                f"the gradient of {name} is {node.grad}; gradients must be finite (one "
                f"overflowed a float: scale the loss or the gradient down; or a grad was "
                f"set to {node.grad} by hand)"
            )


_GRAD = attrgetter("grad")
_CREATION = attrgetter("_created")
_CREATED = count()  # numbers the nodes in the order they are made


def _sigmoid_negative(a: float) -> float:
    """sigma(a) for a < 0, written so that exp does not overflow for very negative a."""
    e = math.exp(a)
    return e / (1 + e)
