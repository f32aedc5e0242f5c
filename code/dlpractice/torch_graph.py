"""Reading the graph that PyTorch records, as text.

Every tensor computed from a tensor with ``requires_grad=True`` carries a ``grad_fn``: the
node of the backward graph that will differentiate the operation that made it. Each node
lists the nodes of its inputs in ``next_functions``, down to ``AccumulateGrad`` nodes, which
deposit gradients into leaf tensors' ``.grad``. :func:`graph_lines` walks that structure so a
chapter can print it.
"""

from __future__ import annotations

import torch


def graph_lines(tensor: torch.Tensor, names: dict[int, str] | None = None) -> list[str]:
    """The backward graph below ``tensor``, one indented line per node.

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
        If ``tensor`` is not a tensor.
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
    """
    if not isinstance(tensor, torch.Tensor):
        raise TypeError(f"tensor must be a torch.Tensor, got {type(tensor).__name__}")
    if tensor.grad_fn is None:
        raise ValueError(
            "tensor has no grad_fn: it is a leaf, or it was computed from tensors that do "
            "not require grad (or under torch.no_grad())"
        )
    names = names or {}
    lines: list[str] = []

    def visit(node, depth: int) -> None:
        label = type(node).__name__
        variable = getattr(node, "variable", None)
        if variable is not None and id(variable) in names:
            label += f" ({names[id(variable)]})"
        lines.append("  " * depth + label)
        for child, _ in node.next_functions:
            if child is not None:
                visit(child, depth + 1)

    visit(tensor.grad_fn, 0)
    return lines
