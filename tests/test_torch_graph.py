"""dlpractice.torch_graph: the recorded graph as text, each node once (chapter 6).

The chain case and the bad-input messages of graph_lines are in test_torch_training.py.
"""

from __future__ import annotations

import re
import sys
import time

import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from dlpractice.torch_graph import count_nodes, graph_lines


def tree_lines(tensor: torch.Tensor, names: dict[int, str]) -> list[str]:
    """The graph printed as a tree, every path in full (graph_lines before issue 11)."""
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


def expand(lines: list[str]) -> list[str]:
    """Undo the references of graph_lines: put each numbered subgraph back in full."""
    depth = [(len(line) - len(line.lstrip(" "))) // 2 for line in lines]
    subgraphs: dict[str, list[str]] = {}
    for i, line in enumerate(lines):
        match = re.search(r" #(\d+)$", line)
        if match:
            end = i + 1
            while end < len(lines) and depth[end] > depth[i]:
                end += 1
            subgraphs[match.group(1)] = [
                text[2 * depth[i] :] for text in lines[i:end]
            ]  # relative indentation

    def full(line: str, d: int) -> list[str]:
        match = re.search(r" \(see #(\d+)\)$", line)
        if match is None:
            return ["  " * d + re.sub(r" #\d+$", "", line.strip())]
        out: list[str] = []
        for text in subgraphs[match.group(1)]:
            out += full(text, d + (len(text) - len(text.lstrip(" "))) // 2)
        return out

    result: list[str] = []
    for line, d in zip(lines, depth, strict=True):
        result += full(line, d)
    return result


def edges(tensor: torch.Tensor) -> int:
    """The number of edges of the graph below tensor, each distinct node expanded once."""
    seen, stack, count = {tensor.grad_fn}, [tensor.grad_fn], 0
    while stack:
        for child, _ in stack.pop().next_functions:
            if child is None:
                continue
            count += 1
            if child not in seen:
                seen.add(child)
                stack.append(child)
    return count


def test_a_leaf_used_twice_is_one_node_shown_once():
    w = torch.tensor(2.0, requires_grad=True)
    lines = graph_lines(w * w + w, {id(w): "w"})
    assert lines == [
        "AddBackward0",
        "  MulBackward0",
        "    AccumulateGrad (w) #1",
        "    AccumulateGrad (w) (see #1)",
        "  AccumulateGrad (w) (see #1)",
    ]
    assert count_nodes(w * w + w) == 3


def test_shared_nodes_are_numbered_in_the_order_they_are_printed():
    w = torch.tensor(2.0, requires_grad=True)
    a = w * 2
    b = a * a
    lines = graph_lines(b + b, {id(w): "w"})
    assert lines == [
        "AddBackward0",
        "  MulBackward0 #1",
        "    MulBackward0 #2",
        "      AccumulateGrad (w)",
        "    MulBackward0 (see #2)",
        "  MulBackward0 (see #1)",
    ]
    # the subgraph below a shared node is not repeated
    assert sum("AccumulateGrad" in line for line in lines) == 1


def test_forty_doublings_finish_fast():
    # 2**40 paths lead from the result to w: a tree printer would never finish
    w = torch.tensor(1.0, requires_grad=True)
    x = w
    for _ in range(40):
        x = x + x
    start = time.perf_counter()
    lines = graph_lines(x, {id(w): "w"})
    nodes = count_nodes(x)
    elapsed = time.perf_counter() - start
    assert elapsed < 2.0, f"graph_lines took {elapsed:.1f} s on 41 nodes"
    assert nodes == 41
    assert len(lines) == 1 + 2 * 40  # the root, then two edges per addition
    assert lines[0] == "AddBackward0"
    assert lines[1] == "  AddBackward0 #1"
    assert lines[40] == "  " * 40 + "AccumulateGrad (w) #40"
    assert lines[41] == "  " * 40 + "AccumulateGrad (w) (see #40)"
    assert lines[-1] == "  AddBackward0 (see #1)"
    x.backward()
    assert w.grad.item() == 2.0**40  # autograd, too, visits each node once


def test_a_chain_deeper_than_the_recursion_limit():
    w = torch.tensor(1.0, requires_grad=True)
    x = w
    depth = sys.getrecursionlimit() + 500
    for _ in range(depth):
        x = x * 1.0
    lines = graph_lines(x, {id(w): "w"})
    assert len(lines) == depth + 1 == count_nodes(x)
    assert lines[-1] == "  " * depth + "AccumulateGrad (w)"


def test_a_sum_of_losses_keeps_every_graph_but_one_leaf():
    # the chapter's loop: 30 per-sample losses summed as tensors
    w = torch.tensor([1.0], requires_grad=True)
    total = 0
    for x, y in [(1.0, 2.0), (2.0, 4.0), (3.0, 6.0)] * 10:
        total = total + (x * w - y) ** 2
    # per sample: Add, Pow, Sub, Mul; one AccumulateGrad for w shared by all
    assert count_nodes(total) == 30 * 4 + 1
    lines = graph_lines(total, {id(w): "w"})
    assert len(lines) == 30 * 5  # one line per edge, plus the root
    assert sum(line.endswith("(see #1)") for line in lines) == 29


def test_leaves_without_a_name_and_constants():
    w = torch.tensor(1.0, requires_grad=True)
    c = torch.tensor(3.0)  # requires no grad: not a node
    assert graph_lines(w * c) == ["MulBackward0", "  AccumulateGrad"]
    assert count_nodes(w * c) == 2


def test_python_control_flow_changes_the_graph_per_call():
    def f(x):
        return x * 2 if x.item() > 0 else -x

    positive = torch.tensor(1.0, requires_grad=True)
    negative = torch.tensor(-1.0, requires_grad=True)
    assert graph_lines(f(positive))[0] == "MulBackward0"
    assert graph_lines(f(negative))[0] == "NegBackward0"


def test_bad_input():
    w = torch.tensor(1.0, requires_grad=True)
    with pytest.raises(ValueError, match="has no grad_fn"):
        count_nodes(w)
    with torch.no_grad():
        z = w * 2
    with pytest.raises(ValueError, match="has no grad_fn"):
        graph_lines(z)
    with pytest.raises(TypeError, match="tensor must be a torch.Tensor, got float"):
        count_nodes(1.0)


OPS = ["add", "mul", "sub", "sin"]


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(st.sampled_from(OPS), st.integers(0, 50), st.integers(0, 50)),
        min_size=1,
        max_size=8,
    )
)
def test_references_expand_to_the_full_tree(program):
    """On random expressions: one line per edge, one unnumbered-or-first line per node,
    and putting the referenced subgraphs back gives the tree, path by path."""
    a = torch.tensor(0.5, requires_grad=True)
    b = torch.tensor(-1.5, requires_grad=True)
    pool = [a, b]
    for op, i, j in program:
        u, v = pool[i % len(pool)], pool[j % len(pool)]
        pool.append({"add": u + v, "mul": u * v, "sub": u - v, "sin": u.sin()}[op])
    out = pool[-1]
    names = {id(a): "a", id(b): "b"}
    lines = graph_lines(out, names)
    assert len(lines) == 1 + edges(out)
    assert sum("(see #" not in line for line in lines) == count_nodes(out)
    assert expand(lines) == tree_lines(out, names)


def test_names_are_checked():
    """A common slip, ``{w: "w"}`` for ``{id(w): "w"}``, is named instead of ignored."""
    w = torch.tensor(1.0, requires_grad=True)
    with pytest.raises(TypeError, match=r"write \{id\(w\): 'w'\}, not \{w: 'w'\}"):
        graph_lines(w * w, {w: "w"})
    with pytest.raises(TypeError, match="names must be a dict"):
        graph_lines(w * w, ["w"])
    assert (
        graph_lines(w * w, {})
        == graph_lines(w * w, None)
        == [
            "MulBackward0",
            "  AccumulateGrad #1",
            "  AccumulateGrad (see #1)",
        ]
    )
