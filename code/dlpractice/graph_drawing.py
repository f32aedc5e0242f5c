"""Pictures of the computation graphs that :mod:`dlpractice.autograd` records.

The picture is drawn from the engine's own records (each node's ``op``, ``data``,
``grad`` and ``parents``) with matplotlib alone, so it renders wherever the book runs,
Binder included, with no Graphviz to install. Inputs stand at the top, the output at the
bottom; each box shows what a node is, its value from the forward pass and its gradient
from the backward pass.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
from matplotlib.figure import Figure
from matplotlib.patches import FancyBboxPatch

from ._validation import as_flag
from .autograd import Value
from .plotting import COLORS


def graph_layout(root: Value) -> dict[int, tuple[int, int]]:
    """Level and slot of every node, keyed by ``id(node)``: ``(level, slot)``.

    The output stands on the last level, and every other node on the level just before
    the earliest node that uses it (its longest path to the output decides), so every
    edge points from one level to a later one and is as short as it can be. The slots
    within a level are ordered level by level from the output backwards, each node near
    the mean slot of the nodes that use it, which keeps edges from crossing needlessly.
    :func:`draw_graph` draws the levels from top to bottom.

    Parameters
    ----------
    root : Value
        The output node.

    Returns
    -------
    dict
        ``id(node) -> (level, slot)`` for ``root`` and every node it depends on.

    Raises
    ------
    TypeError
        If ``root`` is not a :class:`~dlpractice.autograd.Value`.

    Examples
    --------
    >>> a = Value(2.0, "a")
    >>> out = a * 3.0
    >>> levels = graph_layout(out)
    >>> levels[id(a)], levels[id(out)]
    ((0, 1), (1, 0))
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


#: The widest a figure may be, in inches (the width of the book's content column).
MAX_WIDTH = 6.4

#: The most nodes :func:`draw_graph` draws: beyond that the boxes' text is unreadable
#: and matplotlib takes many seconds.
MAX_NODES = 1000


def draw_graph(root: Value, *, title: str = "Computation graph", show_grad: bool = True) -> Figure:
    r"""Draw the graph that produced ``root``: value and gradient in every node.

    The graph is drawn from top to bottom: the inputs stand at the top, the output at
    the bottom, so values flow down and gradients flow up. Each level of
    :func:`graph_layout` is one row of boxes; the figure is at most :data:`MAX_WIDTH`
    inches wide, with its text at 10 points as long as a level holds at most four nodes
    (the text shrinks for wider graphs).

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

    Raises
    ------
    TypeError
        If ``root`` is not a :class:`~dlpractice.autograd.Value`, ``title`` not a string
        or ``show_grad`` not a bool.
    ValueError
        If the graph has more than :data:`MAX_NODES` nodes.

    Examples
    --------
    >>> a = Value(2.0, "a")
    >>> out = (a * 3.0) ** 2
    >>> out.backward()
    >>> fig = draw_graph(out, title="(3a)²")
    >>> boxes = [t.get_text() for t in fig.axes[0].texts if t.get_text()]
    >>> len(boxes), "a\nvalue 2\ngrad 36" in boxes  # one box per node
    (4, True)
    >>> bool(fig.get_size_inches()[0] <= MAX_WIDTH)
    True
    """
    if not isinstance(root, Value):
        raise TypeError(f"root must be a Value, got {type(root).__name__}")
    if not isinstance(title, str):
        raise TypeError(f"title must be a string, got {type(title).__name__}")
    show_grad = as_flag("show_grad", show_grad)
    nodes = root.topological_order()
    if len(nodes) > MAX_NODES:
        raise ValueError(
            f"root's graph must have at most {MAX_NODES} nodes to be drawn readably, got "
            f"{len(nodes)}"
        )
    position = graph_layout(root)
    levels = 1 + max(level for level, _ in position.values())
    across = 1 + max(slot for _, slot in position.values())
    # inches between box centres, and box sizes: four boxes across, plus the 0.1 in that
    # the inline backend pads on each side, fit the 6.4 in column
    x_step, y_step = 1.5, 0.95 if show_grad else 0.75
    width, height = 1.4, 0.66 if show_grad else 0.46
    scale = min(1.0, MAX_WIDTH / (across * x_step + 0.1))
    fig_width = min(MAX_WIDTH, max(3.2, across * x_step * scale + 0.1))
    fig_height = levels * y_step * scale + 0.5
    fig, ax = plt.subplots(figsize=(fig_width, fig_height))

    in_level = [0] * levels
    for level, _ in position.values():
        in_level[level] += 1

    def centre(node: Value) -> tuple[float, float]:  # each level centred
        level, slot = position[id(node)]
        return (slot - (in_level[level] - 1) / 2) * x_step, -level * y_step

    for node in nodes:
        for parent in node.parents:
            (x0, y0), (x1, y1) = centre(parent), centre(node)
            ax.annotate(
                "",
                xy=(x1, y1 + height / 2),
                xytext=(x0, y0 - height / 2),
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
            name = f"{node.op} → {node.label}"
        lines = [name, f"value {node.data:.4g}"]
        if show_grad:
            lines.append(f"grad {node.grad:.4g}")
        ax.text(
            x,
            y,
            "\n".join(lines),
            ha="center",
            va="center",
            fontsize=10 * scale,
            linespacing=1.15,
            color="#111111",
        )
    half_width = across * x_step / 2 + 0.05
    ax.set_xlim(-half_width, half_width)
    ax.set_ylim(-(levels - 1) * y_step - y_step / 2, y_step / 2)
    ax.set_aspect("equal")
    ax.axis("off")
    ax.set_title(title)
    fig.subplots_adjust(left=0, right=1, bottom=0, top=1 - 0.4 / fig_height)
    return fig
