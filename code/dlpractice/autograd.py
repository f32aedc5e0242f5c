r"""A reverse-mode automatic differentiation engine on scalars, small enough to read.

Every arithmetic operation on a :class:`Value` creates a new node that remembers

- its number (``data``) and the gradient of the final output with respect to it (``grad``),
- the nodes it was computed from (``parents``) and the name of the operation (``op``),
- a rule that, given its own ``grad``, adds its share to each parent's ``grad``: the local
  derivative times the incoming gradient, which is the chain rule,

.. math:: \frac{\partial L}{\partial \text{parent}}
          \mathrel{+}= \frac{\partial L}{\partial \text{node}}
          \cdot \frac{\partial\, \text{node}}{\partial\, \text{parent}} .

:meth:`Value.backward` visits the nodes from the output back to the inputs in reverse
topological order, so a node's rule runs only after every path through it has delivered its
gradient. As in PyTorch, the gradients of the inputs *accumulate* across calls to
``backward()`` until they are reset with :meth:`Value.zero_grad` (or by setting
``grad = 0``).

The design follows Andrej Karpathy's micrograd.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from numbers import Real


class Value:
    """A scalar in a computation graph, with the gradient of the output with respect to it.

    Parameters
    ----------
    data : float
        The number.
    label : str
        A name for pictures of the graph (optional).

    Examples
    --------
    >>> x, w, y = Value(1.0, "x"), Value(1.0, "w"), Value(2.0, "y")
    >>> loss = (x * w - y) ** 2
    >>> loss.backward()
    >>> loss.data, w.grad
    (1.0, -2.0)
    """

    __slots__ = ("data", "grad", "label", "op", "parents", "_backward")

    def __init__(
        self,
        data: float,
        label: str = "",
        *,
        op: str = "",
        parents: tuple[Value, ...] = (),
    ) -> None:
        if isinstance(data, bool) or not isinstance(data, Real):
            raise TypeError(f"Value holds a real number, got {type(data).__name__}")
        self.data = float(data)
        self.grad = 0.0
        self.label = label
        self.op = op
        self.parents = parents
        self._backward: Callable[[], None] = lambda: None

    def __repr__(self) -> str:
        name = f"{self.label}=" if self.label else ""
        return f"Value({name}{self.data:.6g}, grad={self.grad:.6g})"

    # -- building the graph: each operation returns a node and says how to differentiate it

    def __add__(self, other: Value | float) -> Value:
        other = _as_value(other, "+")
        out = Value(self.data + other.data, op="+", parents=(self, other))

        def backward() -> None:  # d(a+b)/da = 1, d(a+b)/db = 1
            self.grad += out.grad
            other.grad += out.grad

        out._backward = backward
        return out

    def __mul__(self, other: Value | float) -> Value:
        other = _as_value(other, "*")
        out = Value(self.data * other.data, op="*", parents=(self, other))

        def backward() -> None:  # d(ab)/da = b, d(ab)/db = a
            self.grad += other.data * out.grad
            other.grad += self.data * out.grad

        out._backward = backward
        return out

    def __pow__(self, exponent: float) -> Value:
        if isinstance(exponent, Value) or isinstance(exponent, bool):
            raise TypeError("the exponent of ** must be a plain number, not a Value")
        if not isinstance(exponent, Real):
            raise TypeError(f"the exponent of ** must be a number, got {type(exponent).__name__}")
        if self.data == 0 and exponent < 0:
            raise ZeroDivisionError(f"0 ** {exponent} is undefined")
        if self.data < 0 and not float(exponent).is_integer():
            raise ValueError(f"a negative number to the power {exponent} is not real")
        out = Value(self.data**exponent, op=f"**{exponent:g}", parents=(self,))

        def backward() -> None:  # d(a^n)/da = n a^(n-1)
            self.grad += exponent * self.data ** (exponent - 1) * out.grad

        out._backward = backward
        return out

    def exp(self) -> Value:
        out = Value(math.exp(self.data), op="exp", parents=(self,))

        def backward() -> None:  # d(e^a)/da = e^a
            self.grad += out.data * out.grad

        out._backward = backward
        return out

    def log(self) -> Value:
        if self.data <= 0:
            raise ValueError(f"log is defined for positive values, got {self.data}")
        out = Value(math.log(self.data), op="log", parents=(self,))

        def backward() -> None:  # d(ln a)/da = 1/a
            self.grad += out.grad / self.data

        out._backward = backward
        return out

    def tanh(self) -> Value:
        out = Value(math.tanh(self.data), op="tanh", parents=(self,))

        def backward() -> None:  # d(tanh a)/da = 1 - tanh(a)^2
            self.grad += (1 - out.data * out.data) * out.grad

        out._backward = backward
        return out

    def sigmoid(self) -> Value:
        s = 1 / (1 + math.exp(-self.data)) if self.data >= 0 else _sigmoid_negative(self.data)
        out = Value(s, op="sigmoid", parents=(self,))

        def backward() -> None:  # d(sigma(a))/da = sigma(a) (1 - sigma(a))
            self.grad += out.data * (1 - out.data) * out.grad

        out._backward = backward
        return out

    def relu(self) -> Value:
        out = Value(max(self.data, 0.0), op="relu", parents=(self,))

        def backward() -> None:  # d relu(a)/da = 1 if a > 0 else 0 (0 at a = 0, as in PyTorch)
            self.grad += (self.data > 0) * out.grad

        out._backward = backward
        return out

    # -- the rest of arithmetic, written with the operations above

    def __neg__(self) -> Value:
        return self * -1.0

    def __sub__(self, other: Value | float) -> Value:
        return self + (-_as_value(other, "-"))

    def __truediv__(self, other: Value | float) -> Value:
        other = _as_value(other, "/")
        if other.data == 0:
            raise ZeroDivisionError("division of a Value by zero")
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
        through the graph again).

        Parameters
        ----------
        gradient : float
            ``dL/dself``; the default 1 makes ``self`` the quantity being differentiated.

        Raises
        ------
        TypeError
            If ``gradient`` is not a real number.
        ValueError
            If ``gradient`` is not finite.
        """
        if isinstance(gradient, bool) or not isinstance(gradient, Real):
            raise TypeError(f"gradient must be a real number, got {type(gradient).__name__}")
        if not math.isfinite(gradient):
            raise ValueError(f"gradient must be finite, got {gradient}")
        order = self.topological_order()
        for node in order:  # intermediate results carry only this pass's gradient ...
            if node.parents:
                node.grad = 0.0
        self.grad = float(gradient)  # ... while inputs (leaves) accumulate across passes
        for node in reversed(order):
            node._backward()

    def topological_order(self) -> list[Value]:
        """Every node this one depends on, each after all of its parents (itself last)."""
        order: list[Value] = []
        seen: set[int] = set()
        stack: list[tuple[Value, bool]] = [(self, False)]
        while stack:  # depth-first, without recursion, so deep graphs do not overflow
            node, parents_done = stack.pop()
            if parents_done:
                order.append(node)
                continue
            if id(node) in seen:
                continue
            seen.add(id(node))
            stack.append((node, True))
            stack.extend((parent, False) for parent in node.parents if id(parent) not in seen)
        return order

    def zero_grad(self) -> None:
        """Set the gradient of this node and of every node it depends on to 0."""
        for node in self.topological_order():
            node.grad = 0.0


def value_sum(values: Iterable[Value | float]) -> Value:
    """The sum of several values, as one chain of ``+`` nodes.

    Raises
    ------
    ValueError
        If ``values`` is empty.
    """
    items = list(values)
    if not items:
        raise ValueError("value_sum needs at least one value")
    total = _as_value(items[0], "value_sum")
    for item in items[1:]:
        total = total + item
    return total


def _as_value(other: object, operation: str) -> Value:
    if isinstance(other, Value):
        return other
    if isinstance(other, bool) or not isinstance(other, Real):
        raise TypeError(
            f"unsupported operand for {operation}: a Value combines with Values and real "
            f"numbers, got {type(other).__name__}"
        )
    return Value(float(other))


def _sigmoid_negative(a: float) -> float:
    """sigma(a) for a < 0, written so that exp does not overflow for very negative a."""
    e = math.exp(a)
    return e / (1 + e)
