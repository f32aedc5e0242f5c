"""The book's figure style: every series has its own colour and line style."""

from __future__ import annotations

import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import pytest
from matplotlib.colors import to_hex

from dlpractice.plotting import SERIES_STYLES, series_styles, use_book_style


@pytest.mark.parametrize("count", [2, 8, 11, 12, 20, 44])
def test_series_styles_give_each_series_its_own_colour_and_line_style(count):
    pairs = [(s["color"], s["linestyle"]) for s in series_styles(count)]
    assert len(set(pairs)) == count
    # and neighbours differ in both, so two curves side by side are never told apart by
    # one cue alone
    for a, b in zip(pairs, pairs[1:], strict=False):
        assert a[0] != b[0] and a[1] != b[1]


def test_twelve_series_have_twelve_pairs_and_eleven_colours():
    twelve = series_styles(12)
    assert len({(s["color"], s["linestyle"]) for s in twelve}) == 12
    assert len({s["color"] for s in twelve[:11]}) == 11
    assert twelve[11]["color"] == twelve[0]["color"]
    assert twelve[11]["linestyle"] != twelve[0]["linestyle"]


def test_the_book_style_gives_unstyled_series_distinct_colour_and_line_style(monkeypatch):
    """Chapter 8 once drew eight optimizers with a seven-colour cycle: SGD and Rprop came
    out the same blue. Under the book's style even a plot that names no style gets a
    distinct (colour, line style) pair for each of 44 series."""
    # no IPython here: its inline backend would start a shell that later tests take for a
    # running kernel
    monkeypatch.setitem(sys.modules, "matplotlib_inline.backend_inline", None)
    with matplotlib.rc_context():
        use_book_style()
        fig, ax = plt.subplots()
        lines = [ax.plot([0, 1], [i, i + 1])[0] for i in range(len(SERIES_STYLES))]
        pairs = [(to_hex(line.get_color()), line.get_linestyle()) for line in lines]
        plt.close(fig)
    assert len(set(pairs)) == len(SERIES_STYLES)
    assert pairs[0] == ("#0072b2", "-")
