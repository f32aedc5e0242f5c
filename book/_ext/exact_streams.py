"""Show each cell's printed text exactly as the program wrote it.

The kernel sends what a cell prints in chunks, cut wherever its output buffer happened to be
flushed, which can be in the middle of a line: ``print("w =", w)`` writes ``"w ="``, ``" "``,
the number and the newline one after another. myst-nb's ``nb_merge_streams`` joins the
chunks of a stream, but it strips each chunk's end and adds a newline, so a line cut in two
shows on the page as two lines, on some builds and not others; a progress bar's ``\\r``
updates, stripped the same way, each show as a line of their own.

This extension joins the chunks exactly, by concatenation, before myst-nb's merge runs: a
printed line reaches the page whole on every build, and ``\\r`` overwrites what it should.
"""

from __future__ import annotations

from nbformat import NotebookNode
from sphinx.application import Sphinx


def join_streams(outputs: list[NotebookNode]) -> list[NotebookNode]:
    """The outputs with every stream's chunks concatenated into its first chunk, in order.

    >>> from nbformat.v4 import new_output
    >>> parts = [new_output("stream", text=t) for t in ("w = ", "2.0\\n", "done\\n")]
    >>> [o.text for o in join_streams(parts)]
    ['w = 2.0\\ndone\\n']
    """
    joined: list[NotebookNode] = []
    first: dict[str, NotebookNode] = {}
    for output in outputs or []:
        if output.get("output_type") == "stream":
            name = output["name"]
            if name in first:
                first[name]["text"] += output["text"]
                continue
            output = NotebookNode({**output, "text": output["text"]})
            first[name] = output
        joined.append(output)
    return joined


def setup(app: Sphinx) -> dict:
    from myst_nb.core import render

    merge = render.coalesce_streams
    if getattr(merge, "__wrapped__", None) is None:

        def coalesce_exactly(outputs: list[NotebookNode]) -> list[NotebookNode]:
            return merge(join_streams(outputs))

        coalesce_exactly.__wrapped__ = merge
        render.coalesce_streams = coalesce_exactly
    return {"parallel_read_safe": True, "parallel_write_safe": True}
