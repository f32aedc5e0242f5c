"""Printed lines reach the page whole: book/_ext/exact_streams.py."""

from __future__ import annotations

import sys

from nbformat.v4 import new_output

from conftest import ROOT

sys.path.insert(0, str(ROOT / "book" / "_ext"))
import exact_streams  # noqa: E402


def merged(*chunks: str, name: str = "stdout") -> str:
    """What myst-nb renders for a cell whose stream arrived in these chunks."""
    from myst_nb.core import render

    exact_streams.setup(app=None)
    outputs = [new_output("stream", name=name, text=chunk) for chunk in chunks]
    return "".join(o.text for o in render.coalesce_streams(outputs))


def test_a_line_cut_between_chunks_stays_one_line():
    # print("the same loop in float64: w =", w) can arrive as two chunks
    assert merged("the same loop in float64: w =", " 1.9999\n") == (
        "the same loop in float64: w = 1.9999\n"
    )


def test_a_progress_bar_shows_only_its_last_state():
    # what tqdm writes: each state after a carriage return, a newline when it closes
    bar = merged("\r 50%|###   | 1/2", "\r100%|######| 2/2", "\n", "done\n")
    assert bar == "100%|######| 2/2\ndone\n"


def test_other_outputs_keep_their_place_and_streams_their_order():
    from myst_nb.core import render

    exact_streams.setup(app=None)
    picture = new_output("display_data", data={"text/plain": "<Figure>"})
    outputs = [
        new_output("stream", name="stdout", text="a"),
        picture,
        new_output("stream", name="stdout", text="b\n"),
    ]
    result = render.coalesce_streams(outputs)
    assert [o.output_type for o in result] == ["stream", "display_data"]
    assert result[0].text == "ab\n"


def test_setting_up_twice_wraps_once():
    from myst_nb.core import render

    exact_streams.setup(app=None)
    once = render.coalesce_streams
    exact_streams.setup(app=None)
    assert render.coalesce_streams is once
