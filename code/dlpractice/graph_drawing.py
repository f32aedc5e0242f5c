"""Pictures of the computation graphs that :mod:`dlpractice.autograd` records.

The picture is drawn from the engine's own records (each node's ``op``, ``data``, ``grad``
and ``parents``) with matplotlib alone, so it renders wherever the book runs, Binder
included, with no Graphviz to install. Inputs stand on the left, the output on the right;
each box shows what a node is, its value from the forward pass and its gradient from the
backward pass.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
from matplotlib.figure import Figure
from matplotlib.patches import FancyBboxPatch

from .autograd import Value
from .plotting import COLORS


def graph_layout(root: Value) -> dict[int, tuple[int, int]]:
    """Column and row of every node, keyed by ``id(node)``.

    The output stands in the last column, and every other node in the column just before the
    leftmost node that uses it (its longest path to the output decides), so every edge points
    right and is as short as it can be. Rows are ordered column by column from the output
    backwards, each node near the mean row of the nodes that use it, which keeps edges from
    crossing needlessly.
    """
    if not isinstance(root, Value):
        raise TypeError(f"root must be a Value, got {type(root).__name__}")
    order = root.topological_order()
    consumers: dict[int, list[Value]] = {id(node): [] for node in order}
    for node in order:
        for parent in node.parents:
            consumers[id(parent)].append(node)
    to_output: dict[int, int] = {}
    for node in reversed(order):  # the output first, then every node after all its users
        users = consumers[id(node)]
        to_output[id(node)] = 1 + max(to_output[id(u)] for u in users) if users else 0
    last = max(to_output.values())
    column = {key: last - steps for key, steps in to_output.items()}
    by_column: dict[int, list[Value]] = {}
    for node in order:
        by_column.setdefault(column[id(node)], []).append(node)
    row: dict[int, float] = {}
    for col in sorted(by_column, reverse=True):

        def mean_user_row(node: Value) -> float:
            rows = [row[id(user)] for user in consumers[id(node)] if id(user) in row]
            return sum(rows) / len(rows) if rows else 0.0

        for index, node in enumerate(sorted(by_column[col], key=mean_user_row)):
            row[id(node)] = index
    return {key: (column[key], int(row[key])) for key in column}


def draw_graph(root: Value, *, title: str = "Computation graph", show_grad: bool = True) -> Figure:
    """Draw the graph that produced ``root``: value and gradient in every node.

    Parameters
    ----------
    root : Value
        The output node (usually a loss after ``backward()``).
    title : str
        The figure's title.
    show_grad : bool
        Also print each node's gradient (turn off to show a forward pass only).

    Returns
    -------
    matplotlib.figure.Figure
    """
    nodes = root.topological_order()
    position = graph_layout(root)
    columns = 1 + max(col for col, _ in position.values())
    rows = 1 + max(row for _, row in position.values())
    fig, ax = plt.subplots(figsize=(max(4.0, 1.9 * columns), max(2.2, 1.15 * rows + 0.8)))
    x_step, y_step, width, height = 1.9, 1.15, 1.45, 0.8 if show_grad else 0.6

    def centre(node: Value) -> tuple[float, float]:
        col, row = position[id(node)]
        return col * x_step, -(row - (rows - 1) / 2) * y_step

    for node in nodes:
        for parent in node.parents:
            (x0, y0), (x1, y1) = centre(parent), centre(node)
            ax.annotate(
                "",
                xy=(x1 - width / 2, y1),
                xytext=(x0 + width / 2, y0),
                arrowprops={"arrowstyle": "-|>", "color": COLORS["reference"], "lw": 1},
            )
    for node in nodes:
        x, y = centre(node)
        is_input = not node.parents
        ax.add_patch(
            FancyBboxPatch(
                (x - width / 2, y - height / 2),
                width,
                height,
                boxstyle="round,pad=0.02,rounding_size=0.08",
                facecolor="#eef5fb" if is_input else "#fdf1e6",
                edgecolor=COLORS["data"] if is_input else COLORS["model"],
            )
        )
        name = node.label or ("constant" if is_input else node.op)
        if node.label and node.op:
            name = f"{node.op}  →  {node.label}"
        lines = [name, f"value {node.data:.4g}"]
        if show_grad:
            lines.append(f"grad {node.grad:.4g}")
        ax.text(x, y, "\n".join(lines), ha="center", va="center", fontsize=8, color="#111111")
    ax.set_xlim(-x_step / 2 - 0.1, (columns - 1) * x_step + x_step / 2 + 0.1)
    half = rows * y_step / 2 + 0.1
    ax.set_ylim(-half, half)
    ax.set_aspect("equal")
    ax.axis("off")
    ax.set_title(title)
    fig.tight_layout()
    return fig
