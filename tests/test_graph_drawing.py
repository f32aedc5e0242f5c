"""The computation-graph drawings are laid out so that they can be read: no edge runs
through a box other than its own two, no two edges lie on top of each other, and the text
stays at 10 pt in the column."""

from __future__ import annotations

import itertools
import math

import matplotlib

matplotlib.use("Agg")
import numpy as np
import pytest

from dlpractice.autograd import Value
from dlpractice.graph_drawing import MAX_WIDTH, draw_graph, graph_geometry

EPS = 1e-9


def _x_three_times() -> Value:
    x = Value(3.0, "x")
    return x * x + x  # chapter 5: x reaches f along three edges


def _neuron() -> Value:
    x1, x2 = Value(2.0, "x1"), Value(0.0, "x2")
    w1, w2 = Value(-3.0, "w1"), Value(1.0, "w2")
    b = Value(6.8813735870195432, "b")
    return (x1 * w1 + x2 * w2 + b).tanh()


def _two_layer() -> Value:
    rng = np.random.default_rng(0)
    w1 = [Value(float(v)) for v in rng.normal(size=2)]
    w2 = [Value(float(v)) for v in rng.normal(size=2)]
    x = Value(1.0, "x")
    hidden = [(w1[i] * x + 0.1).sigmoid() for i in range(2)]
    return (w2[0] * hidden[0] + w2[1] * hidden[1] + 0.1 - 2.0) ** 2


def _polynomial() -> Value:
    x, w1, w2, b = Value(1.0, "x"), Value(0.5, "w1"), Value(-1.0, "w2"), Value(0.2, "b")
    return (w1 * x * x + w2 * x + b - 2.0) ** 2


def _skips() -> Value:
    a, b = Value(1.0, "a"), Value(2.0, "b")
    c = a * b
    d = (c + a).tanh() * b  # a and b each feed a node several rows below them
    return d * d + a


GRAPHS = {
    "x used three times": _x_three_times,
    "neuron": _neuron,
    "two-layer net": _two_layer,
    "polynomial": _polynomial,
    "edges that skip rows": _skips,
}


def _crosses_box(p, q, box) -> bool:
    """Whether the segment p-q passes through the inside of ``box`` (Liang-Barsky clipping)."""
    x, y, width, height = box
    left, right, bottom, top = x - width / 2, x + width / 2, y - height / 2, y + height / 2
    t0, t1 = 0.0, 1.0
    dx, dy = q[0] - p[0], q[1] - p[1]
    for step, gap in (
        (-dx, p[0] - left),
        (dx, right - p[0]),
        (-dy, p[1] - bottom),
        (dy, top - p[1]),
    ):
        if abs(step) < EPS:
            if gap <= EPS:  # parallel to this side and outside (or on) it
                return False
            continue
        t = gap / step
        if step < 0:
            t0 = max(t0, t)
        else:
            t1 = min(t1, t)
    return t1 - t0 > EPS


def _overlap(p, q, r, s) -> bool:
    """Whether segments p-q and r-s lie on one line and share a piece of positive length."""
    d = (q[0] - p[0], q[1] - p[1])
    length = math.hypot(*d)
    for point in (r, s):
        cross = d[0] * (point[1] - p[1]) - d[1] * (point[0] - p[0])
        if abs(cross) > EPS * max(length, 1.0):
            return False
    ts = sorted(
        ((point[0] - p[0]) * d[0] + (point[1] - p[1]) * d[1]) / length**2 for point in (r, s)
    )
    return min(1.0, ts[1]) - max(0.0, ts[0]) > EPS


@pytest.mark.parametrize("name", GRAPHS)
def test_no_edge_crosses_a_box_or_lies_on_another(name):
    root = GRAPHS[name]()
    root.backward()
    geometry = graph_geometry(root)
    uses = sum(len(node.parents) for node in root.topological_order())
    assert len(geometry.edges) == uses
    for parent, child, points in geometry.edges:
        assert math.isclose(points[0][1], geometry.boxes[parent][1] - geometry.boxes[parent][3] / 2)
        assert math.isclose(points[-1][1], geometry.boxes[child][1] + geometry.boxes[child][3] / 2)
        for p, q in itertools.pairwise(points):
            for key, box in geometry.boxes.items():
                if key not in (parent, child):
                    assert not _crosses_box(p, q, box), f"{name}: an edge crosses a box"
            assert not _crosses_box(p, q, geometry.boxes[parent]) or p == points[0]
    segments = [
        (index, p, q)
        for index, (_, _, points) in enumerate(geometry.edges)
        for p, q in itertools.pairwise(points)
    ]
    for (i, p, q), (j, r, s) in itertools.combinations(segments, 2):
        if i != j:
            assert not _overlap(p, q, r, s), f"{name}: edges {i} and {j} lie on each other"
    fig = draw_graph(root)
    assert fig.get_size_inches()[0] <= MAX_WIDTH + EPS
    assert min(t.get_fontsize() for t in fig.axes[0].texts if t.get_text()) >= 10


def test_the_checks_catch_a_crossing_and_a_stacked_edge():
    box = (0.0, 0.0, 1.0, 0.5)
    assert _crosses_box((0.0, 1.0), (0.0, -1.0), box)  # straight down through it
    assert not _crosses_box((0.6, 1.0), (0.6, -1.0), box)  # beside it
    assert not _crosses_box((0.0, 0.25), (0.0, 1.0), box)  # from its top edge away
    assert _overlap((0, 0), (0, -1), (0, -0.5), (0, -2))  # two edges stacked
    assert not _overlap((0, 0), (0, -1), (0, -1), (0, -2))  # end to end only
    assert not _overlap((0, 0), (1, -1), (0, 0), (-1, -1))  # sharing an end


def test_x_used_three_times_has_three_separate_edges_from_x():
    root = _x_three_times()
    geometry = graph_geometry(root)
    x = next(node for node in root.topological_order() if node.label == "x")
    starts = [points[0] for parent, _, points in geometry.edges if parent == id(x)]
    assert len(starts) == 3 and len(set(starts)) == 3
