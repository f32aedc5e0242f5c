"""Pictures of the computation graphs that :mod:`dlpractice.autograd` records.

The picture is drawn from the engine's own records (each node's ``op``, ``data``,
``grad`` and ``parents``) with matplotlib alone, so it renders wherever the book runs,
Binder included, with no Graphviz to install. Inputs stand at the top, the output at the
bottom; each box shows what a node is, its value from the forward pass and its gradient
from the backward pass.
"""

from __future__ import annotations

from dataclasses import dataclass

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
    ((0, 0), (1, 0))
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

#: The most nodes :func:`graph_geometry` places and :func:`draw_graph` draws: beyond that
#: the boxes' text is unreadable and the routing takes many seconds.
MAX_NODES = 1000

#: The width of a box, in inches at full scale.
BOX_WIDTH = 1.4
#: The room a box takes in its row, in inches (the box and a gap).
BOX_STEP = 1.5
#: The room an edge takes in a row it passes (a lane beside the boxes), in inches.
LANE = 0.4


@dataclass(frozen=True)
class GraphGeometry:
    """Where :func:`draw_graph` puts boxes and edges, in inches at full scale.

    ``boxes`` maps ``id(node)`` to ``(x_centre, y_centre, width, height)``; ``edges`` holds
    one ``(id(parent), id(node), points)`` per use of a parent (a node that uses ``x``
    twice has two edges from ``x``), ``points`` the polyline from the parent's box down to
    the node's box. ``width`` is the span of the widest row.
    """

    boxes: dict[int, tuple[float, float, float, float]]
    edges: list[tuple[int, int, list[tuple[float, float]]]]
    width: float
    levels: int
    row_step: float


def graph_geometry(root: Value, *, show_grad: bool = True) -> GraphGeometry:
    r"""Place the boxes and route the edges of ``root``'s graph so that no edge crosses a box.

    The levels of :func:`graph_layout` become rows, inputs at the top. An edge that skips
    rows passes each row it skips in a lane of its own, beside the boxes (a "dummy node"
    in the layered-drawing method of Sugiyama et al.), so every straight piece of an edge
    runs between two neighbouring rows, where there are no boxes. The edges leaving or
    entering a box are spread along its bottom or top edge, in the order of their other
    ends, so two edges between the same pair of nodes (``x * x``) run side by side instead
    of on top of each other.

    Raises
    ------
    TypeError
        If ``root`` is not a :class:`~dlpractice.autograd.Value` or ``show_grad`` not a bool.
    ValueError
        If the graph has more than :data:`MAX_NODES` nodes.

    Examples
    --------
    >>> x = Value(3.0, "x")
    >>> geometry = graph_geometry(x * x + x)
    >>> len(geometry.boxes), len(geometry.edges)  # x, x*x, the sum; three uses of x, one of x*x
    (3, 4)
    """
    if not isinstance(root, Value):
        raise TypeError(f"root must be a Value, got {type(root).__name__}")
    show_grad = as_flag("show_grad", show_grad)
    order = root.topological_order()
    if len(order) > MAX_NODES:
        raise ValueError(
            f"root's graph must have at most {MAX_NODES} nodes to be drawn readably, got "
            f"{len(order)}"
        )
    level = {key: lvl for key, (lvl, _) in graph_layout(root).items()}
    levels = 1 + max(level.values())
    row_step = 0.95 if show_grad else 0.75
    height = 0.66 if show_grad else 0.46
    # the items of each row: nodes, and one lane per edge passing the row; users[item] are
    # the items of the next row it feeds, to order each row by the mean slot of its users
    users: dict[object, list[object]] = {id(node): [] for node in order}
    rows: list[list[object]] = [[] for _ in range(levels)]
    for node in order:
        rows[level[id(node)]].append(id(node))
    chains: list[tuple[int, int, list[object]]] = []
    for node in order:
        for use, parent in enumerate(node.parents):
            lanes = []
            for lvl in range(level[id(parent)] + 1, level[id(node)]):
                lane = ("lane", id(node), use, lvl)
                rows[lvl].append(lane)
                users[lane] = []
                lanes.append(lane)
            path = [id(parent), *lanes, id(node)]
            for upper, lower in zip(path, path[1:], strict=False):
                users[upper].append(lower)
            chains.append((id(parent), id(node), lanes))
    slot: dict[object, int] = {}
    for lvl in reversed(range(levels)):

        def mean_user_slot(item: object) -> float:
            slots = [slot[user] for user in users[item] if user in slot]
            return sum(slots) / len(slots) if slots else 0.0

        rows[lvl] = sorted(rows[lvl], key=mean_user_slot)  # stable: ties keep their order
        for index, item in enumerate(rows[lvl]):
            slot[item] = index

    def room(item: object) -> float:
        return LANE if isinstance(item, tuple) else BOX_STEP

    x_of: dict[object, float] = {}
    widest = 0.0
    for items in rows:
        span = sum(room(item) for item in items)
        widest = max(widest, span)
        left = -span / 2
        for item in items:
            x_of[item] = left + room(item) / 2
            left += room(item)
    boxes = {key: (x_of[key], -lvl * row_step, BOX_WIDTH, height) for key, lvl in level.items()}

    # where each edge leaves its parent and enters its node: spread along the box's edge,
    # in the order of where the edge goes (or comes from), over the middle 60 % of the box
    def spread(count: int, index: int) -> float:
        return 0.0 if count == 1 else (index / (count - 1) - 0.5) * 0.6 * BOX_WIDTH

    def first_step(chain: tuple[int, int, list[object]]) -> float:
        return x_of[chain[2][0]] if chain[2] else x_of[chain[1]]

    def last_step(chain: tuple[int, int, list[object]]) -> float:
        return x_of[chain[2][-1]] if chain[2] else x_of[chain[0]]

    leaving: dict[int, list[int]] = {}
    entering: dict[int, list[int]] = {}
    for index, (parent, child, _) in enumerate(chains):
        leaving.setdefault(parent, []).append(index)
        entering.setdefault(child, []).append(index)
    start: dict[int, float] = {}
    end: dict[int, float] = {}
    for parent, indices in leaving.items():
        indices.sort(key=lambda i: (first_step(chains[i]), i))
        for rank, i in enumerate(indices):
            start[i] = x_of[parent] + spread(len(indices), rank)
    for child, indices in entering.items():
        indices.sort(key=lambda i: (last_step(chains[i]), i))
        for rank, i in enumerate(indices):
            end[i] = x_of[child] + spread(len(indices), rank)
    edges = []
    for index, (parent, child, lanes) in enumerate(chains):
        points = [(start[index], boxes[parent][1] - height / 2)]
        for lane in lanes:
            y = -lane[3] * row_step
            points += [(x_of[lane], y + height / 2), (x_of[lane], y - height / 2)]
        points.append((end[index], boxes[child][1] + height / 2))
        edges.append((parent, child, points))
    return GraphGeometry(boxes, edges, widest, levels, row_step)


def draw_graph(root: Value, *, title: str = "Computation graph", show_grad: bool = True) -> Figure:
    r"""Draw the graph that produced ``root``: value and gradient in every node.

    The graph is drawn from top to bottom: the inputs stand at the top, the output at
    the bottom, so values flow down and gradients flow up. Boxes and edges are placed by
    :func:`graph_geometry` (no edge crosses a box, no two edges lie on each other). The
    figure is at most :data:`MAX_WIDTH` inches wide, with its text at 10 points as long as
    the widest row fits (the text shrinks for wider graphs).

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
    if not isinstance(title, str):
        raise TypeError(f"title must be a string, got {type(title).__name__}")
    geometry = graph_geometry(root, show_grad=show_grad)  # checks root and show_grad
    nodes = root.topological_order()
    # the figure is drawn at full scale (1 unit = 1 in) up to the column's width; the 0.1 in
    # is the inline backend's padding
    scale = min(1.0, MAX_WIDTH / (geometry.width + 0.1))
    fig_width = min(MAX_WIDTH, max(3.2, geometry.width * scale + 0.1))
    fig_height = geometry.levels * geometry.row_step * scale + 0.5
    fig, ax = plt.subplots(figsize=(fig_width, fig_height))
    for _, _, points in geometry.edges:
        xs, ys = zip(*points, strict=True)
        if len(points) > 2:  # the lanes past skipped rows: no arrow head until the last piece
            ax.plot(xs[:-1], ys[:-1], color=COLORS["reference"], lw=1, solid_capstyle="butt")
        ax.annotate(
            "",
            xy=points[-1],
            xytext=points[-2],
            arrowprops={
                "arrowstyle": "-|>",
                "color": COLORS["reference"],
                "lw": 1,
                "shrinkA": 0,
                "shrinkB": 0,
            },
        )
    for node in nodes:
        x, y, width, height = geometry.boxes[id(node)]
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
    half_width = geometry.width / 2 + 0.05
    ax.set_xlim(-half_width, half_width)
    row_step = geometry.row_step
    ax.set_ylim(-(geometry.levels - 1) * row_step - row_step / 2, row_step / 2)
    ax.set_aspect("equal")
    ax.axis("off")
    ax.set_title(title)
    fig.subplots_adjust(left=0, right=1, bottom=0, top=1 - 0.4 / fig_height)
    return fig
