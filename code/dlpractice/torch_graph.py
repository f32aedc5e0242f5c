"""Reading the graph that PyTorch records, as text.

Every tensor computed from a tensor with ``requires_grad=True`` carries a ``grad_fn``: the
node of the backward graph that will differentiate the operation that made it. Each node
lists the nodes of its inputs in ``next_functions``, down to ``AccumulateGrad`` nodes, which
deposit gradients into leaf tensors' ``.grad``. :func:`graph_lines` walks that structure so a
chapter can print it, and :func:`count_nodes` says how many nodes it holds.

The graph is a directed acyclic graph, not a tree: a tensor used twice (``w * w``) is one
node with two edges into it. Printing it as a tree would repeat everything below a shared
node once per path, and the number of paths can grow exponentially with depth (``x = x + x``
forty times has 2**40 paths), so each node is printed once and later edges into it are
printed as references to it.
"""

from __future__ import annotations

import torch

__all__ = ["count_nodes", "graph_lines"]


def _root(tensor: object) -> object:
    """The ``grad_fn`` of ``tensor``, after checking that there is one."""
    if not isinstance(tensor, torch.Tensor):
        raise TypeError(f"tensor must be a torch.Tensor, got {type(tensor).__name__}")
    if tensor.grad_fn is None:
        raise ValueError(
            "tensor has no grad_fn: it is a leaf, or it was computed from tensors that do "
            "not require grad (or under torch.no_grad()); it must be computed from a "
            "tensor with requires_grad=True"
        )
    return tensor.grad_fn


def _children(node: object) -> list[object]:
    # next_functions holds (node, input_nr) pairs; None stands for an input that needs no
    # gradient (a constant tensor), which is not part of the graph.
    return [child for child, _ in node.next_functions if child is not None]


def _in_degrees(root: object) -> dict[object, int]:
    """Each node reachable from ``root``, with the number of edges that point at it.

    Iterative, so that a graph deeper than Python's recursion limit is fine; each node is
    expanded once, so the cost is the number of edges, not the number of paths.
    """
    degrees = {root: 0}
    stack = [root]
    while stack:
        for child in _children(stack.pop()):
            if child in degrees:
                degrees[child] += 1
            else:
                degrees[child] = 1
                stack.append(child)
    return degrees


def count_nodes(tensor: torch.Tensor) -> int:
    """The number of distinct nodes in the backward graph below ``tensor``.

    A node reached along several paths (a tensor used twice) counts once: this is the
    number of backward nodes, with their saved values, that ``tensor`` keeps alive.

    Parameters
    ----------
    tensor : torch.Tensor
        A tensor that has a ``grad_fn``.

    Returns
    -------
    int
        The number of nodes, ``grad_fn`` itself and the ``AccumulateGrad`` nodes of the
        leaves included.

    Raises
    ------
    TypeError
        If ``tensor`` is not a tensor.
    ValueError
        If ``tensor`` has no graph (it is a leaf, or was computed without gradients).

    Examples
    --------
    >>> w = torch.tensor(1.0, requires_grad=True)
    >>> count_nodes(w * w)  # MulBackward0 and w's AccumulateGrad, reached twice
    2
    >>> x = w
    >>> for _ in range(40):
    ...     x = x + x
    >>> count_nodes(x)  # 40 additions and one leaf, though 2**40 paths reach the leaf
    41
    """
    return len(_in_degrees(_root(tensor)))


def graph_lines(tensor: torch.Tensor, names: dict[int, str] | None = None) -> list[str]:
    """The backward graph below ``tensor``, one indented line per edge.

    The graph is walked depth first from ``tensor.grad_fn``, children in the order of
    ``next_functions`` (the operation's inputs), each one indented two spaces more than its
    parent. A node that several edges point at is printed in full once, the first time it
    is reached, with a number (``#1``); every later edge into it is one line,
    ``<name> (see #1)``, and its subgraph is not repeated. The output has one line per
    edge plus one for the root, so its length grows with the size of the graph, not with
    the number of paths through it.

    Parameters
    ----------
    tensor : torch.Tensor
        A tensor that has a ``grad_fn`` (computed from tensors that require grad).
    names : dict, optional
        Names for leaf tensors (``{id(tensor): name}``), shown next to their
        ``AccumulateGrad`` node.

    Returns
    -------
    list of str

    Raises
    ------
    TypeError
        If ``tensor`` is not a tensor, or ``names`` is not a dict from ``id(tensor)`` to
        strings (a common slip: ``{w: "w"}`` for ``{id(w): "w"}``).
    ValueError
        If ``tensor`` has no graph (it is a leaf, or was computed without gradients).

    Examples
    --------
    >>> w = torch.tensor(1.0, requires_grad=True)
    >>> print("\\n".join(graph_lines((2 * w - 1) ** 2, {id(w): "w"})))
    PowBackward0
      SubBackward0
        MulBackward0
          AccumulateGrad (w)

    A tensor used more than once is one node, shown once and then referred to:

    >>> print("\\n".join(graph_lines(w * w + w, {id(w): "w"})))
    AddBackward0
      MulBackward0
        AccumulateGrad (w) #1
        AccumulateGrad (w) (see #1)
      AccumulateGrad (w) (see #1)
    """
    root = _root(tensor)
    names = _check_names(names)
    degrees = _in_degrees(root)
    numbers: dict[object, int] = {}
    lines: list[str] = []
    stack = [(root, 0)]
    while stack:
        node, depth = stack.pop()
        label = type(node).__name__
        variable = getattr(node, "variable", None)
        if variable is not None and id(variable) in names:
            label += f" ({names[id(variable)]})"
        indent = "  " * depth
        if node in numbers:  # reached again: refer to where it was printed
            lines.append(f"{indent}{label} (see #{numbers[node]})")
            continue
        if degrees[node] > 1:  # will be reached again: number it
            numbers[node] = len(numbers) + 1
            label += f" #{numbers[node]}"
        lines.append(indent + label)
        # reversed, so that the first input is popped (and printed) first
        stack.extend((child, depth + 1) for child in reversed(_children(node)))
    return lines


def _check_names(names: object) -> dict[int, str]:
    """``names`` checked: a dict from ``id(tensor)`` (an int) to a string, or None."""
    if names is None:
        return {}
    if not isinstance(names, dict):
        raise TypeError(f"names must be a dict {{id(tensor): name}}, got {type(names).__name__}")
    for key, name in names.items():
        if isinstance(key, torch.Tensor):
            raise TypeError(
                "names must map id(tensor) to a name, got a tensor as a key: write "
                "{id(w): 'w'}, not {w: 'w'}"
            )
        if isinstance(key, bool) or not isinstance(key, int):
            raise TypeError(f"names must map id(tensor), an int, to a name, got a key {key!r}")
        if not isinstance(name, str):
            raise TypeError(f"names must map id(tensor) to a string, got {name!r}")
    return names
