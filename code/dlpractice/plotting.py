"""The book's figure style and the figures that recur across chapters.

Call :func:`use_book_style` once at the top of a chapter. Figures are then drawn as SVG
(sharp at any zoom, light to download), on a white card that stays readable when the site is
switched to dark mode, and with the same colours for the same things in every chapter.
Each helper returns the matplotlib ``Figure`` it drew, so a chapter can add to it.
"""

from __future__ import annotations

from collections.abc import Callable

import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axis import Axis
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter

from ._validation import as_count, as_data, as_float_array, check_scalar
from .cost_landscape import Surface

#: The colours the book gives to its recurring roles (colour-blind safe, Okabe-Ito).
COLORS = {
    "data": "#0072B2",
    "model": "#D55E00",
    "cost": "#009E73",
    "minimum": "#CC79A7",
    "path": "#E69F00",
    "reference": "#555555",
}

#: Eleven colours for series that have no role of their own, the seven Okabe-Ito colours
#: that read well on white (yellow is left out, too pale), then grey and three colours of
#: Paul Tol's colour-blind-safe "muted" scheme (wine, olive, indigo).
SERIES_COLORS = (
    "#0072B2",
    "#D55E00",
    "#009E73",
    "#CC79A7",
    "#E69F00",
    "#56B4E9",
    "#000000",
    "#555555",
    "#882255",
    "#999933",
    "#332288",
)
#: The line styles to go with them.
SERIES_LINESTYLES = ("-", "--", ":", "-.")

#: Colour and line style for the ``i``-th of many series, ``ax.plot(x, y, **SERIES_STYLES[i])``.
#: Series ``i`` gets colour ``i % 11`` and style ``i % 4``; 11 and 4 share no factor, so all
#: 44 pairs differ, any 11 consecutive series differ in colour and any 4 in style.
SERIES_STYLES: tuple[dict[str, str], ...] = tuple(
    {"color": SERIES_COLORS[i % 11], "linestyle": SERIES_LINESTYLES[i % 4]} for i in range(44)
)


def series_styles(count: int) -> list[dict[str, str]]:
    """Keyword arguments for ``count`` series, each with its own colour and line style.

    Up to 11 series all get different colours (and neighbours different line styles);
    past 11 a colour comes back, always with another line style.

    Parameters
    ----------
    count : int
        Number of series, from 1 to ``len(SERIES_STYLES)`` (44).

    Returns
    -------
    list of dict
        ``{"color": ..., "linestyle": ...}`` for each series, to pass to ``ax.plot``.

    Raises
    ------
    ValueError
        If ``count`` is below 1 or above 44: past that, pairs would repeat.

    Examples
    --------
    >>> styles = series_styles(12)
    >>> len({s["color"] for s in styles[:11]})  # eleven different colours
    11
    >>> styles[0], styles[11]  # the same colour comes back with another line style
    ({'color': '#0072B2', 'linestyle': '-'}, {'color': '#0072B2', 'linestyle': '-.'})
    """
    count = as_count("count", count, maximum=len(SERIES_STYLES))
    return [dict(style) for style in SERIES_STYLES[:count]]


_SUPERSCRIPT = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")


def power_of_ten(value: float, position: int | None = None) -> str:
    """Label a tick of a log axis as ``10⁻⁴`` (or ``2×10⁻⁴``) in plain Unicode.

    Matplotlib's own log labels are TeX-like mathtext, which it parses for every new label;
    these look the same and are quicker to draw. ``position`` is ignored (matplotlib's
    formatters receive it).

    Examples
    --------
    >>> power_of_ten(1e-4), power_of_ten(100.0), power_of_ten(2e-3), power_of_ten(0.0)
    ('10⁻⁴', '10²', '2×10⁻³', '0')
    """
    if isinstance(value, (bool, np.bool_)) or not isinstance(
        value, (int, float, np.integer, np.floating)
    ):
        raise TypeError(f"value must be a real number, got {type(value).__name__}")
    if value <= 0 or not np.isfinite(value):
        return f"{value:g}"
    exponent = int(np.floor(np.log10(value) + 1e-9))
    mantissa = value / 10.0**exponent
    power = f"10{str(exponent).translate(_SUPERSCRIPT)}"
    return power if abs(mantissa - 1) < 1e-6 else f"{mantissa:g}×{power}"


def label_powers_of_ten(axis: Axis) -> None:
    """Label a log-scaled axis (``ax.yaxis``) with :func:`power_of_ten`."""
    if not isinstance(axis, Axis):
        kind = type(axis).__name__
        raise TypeError(f"axis must be a matplotlib Axis such as ax.yaxis, got {kind}")
    axis.set_major_formatter(FuncFormatter(power_of_ten))


def use_book_style() -> None:
    """Set matplotlib up for the book: SVG output, white cards, labelled defaults.

    Also fixes the SVG's element ids and drops its date stamp, so an unchanged figure is
    byte-for-byte the same on every build.
    """
    mpl.rcParams.update(
        {
            "figure.figsize": (6.4, 4.0),
            "figure.facecolor": "white",
            "axes.facecolor": "white",
            "savefig.facecolor": "white",
            "axes.edgecolor": "#333333",
            "axes.labelcolor": "#111111",
            "text.color": "#111111",
            "xtick.color": "#333333",
            "ytick.color": "#333333",
            "axes.grid": True,
            "grid.alpha": 0.3,
            "axes.spines.top": False,
            "axes.spines.right": False,
            "axes.titlesize": "medium",
            "font.size": 10,
            "legend.frameon": False,
            # series drawn without a style of their own still get a colour AND a line
            # style each: 44 distinct pairs before one comes back (SERIES_STYLES)
            "axes.prop_cycle": mpl.cycler(
                color=[style["color"] for style in SERIES_STYLES],
                linestyle=[style["linestyle"] for style in SERIES_STYLES],
            ),
            "svg.hashsalt": "dlpractice",
            "svg.fonttype": "path",
        }
    )
    try:
        from matplotlib_inline.backend_inline import set_matplotlib_formats
    except ImportError:  # outside IPython there is nothing inline to configure
        return
    set_matplotlib_formats("svg", metadata={"Date": None})


def cost_curve_figure(
    w_values: np.ndarray,
    costs: np.ndarray,
    *,
    closed_form: Callable[[np.ndarray], np.ndarray] | None = None,
    best_w: float | None = None,
    title: str = "Cost of ŷ = x·w against the weight w",
) -> Figure:
    """Cost against ``w`` as points (the search), optionally with the exact curve and best ``w``.

    Raises
    ------
    TypeError, ValueError
        If ``w_values`` and ``costs`` are not two finite 1-D sequences of one length,
        ``closed_form`` is not callable, ``best_w`` is not finite or ``title`` not a str.
    """
    w_values, costs = as_data(w_values, costs, names=("w_values", "costs"))
    if closed_form is not None and not callable(closed_form):
        kind = type(closed_form).__name__
        raise TypeError(f"closed_form must be callable or None, got {kind}")
    if best_w is not None:
        best_w = check_scalar("best_w", best_w)
    if not isinstance(title, str):
        raise TypeError(f"title must be a str, got {type(title).__name__}")
    fig, ax = plt.subplots()
    if closed_form is not None:
        dense = np.linspace(float(np.min(w_values)), float(np.max(w_values)), 400)
        ax.plot(dense, closed_form(dense), color=COLORS["reference"], lw=1, label="closed form")
    ax.plot(w_values, costs, "o", ms=4, color=COLORS["cost"], label="grid search")
    if best_w is not None:
        ax.axvline(best_w, color=COLORS["minimum"], ls="--", lw=1, label=f"best w = {best_w:g}")
    ax.set(xlabel="weight w", ylabel="cost (MSE)", title=title)
    ax.legend(frameon=True, framealpha=1)  # opaque: no curve shows through it
    fig.tight_layout()
    return fig


def surface_and_contour_figure(
    surface: Surface, *, minimum: tuple[float, float] | None = None, levels: int = 20
) -> Figure:
    """The cost surface over ``(w, b)``: a 3-D view above a contour map of the same grid.

    Raises
    ------
    TypeError, ValueError
        If ``surface`` is not a :class:`~dlpractice.cost_landscape.Surface` of finite
        grids of one shape, at least 2 x 2; ``minimum`` is not a pair of finite numbers;
        or ``levels`` is not a count from 1 to 1000.
    """
    if not isinstance(surface, Surface):
        raise TypeError(f"surface must be a Surface, got {type(surface).__name__}")
    grids = [as_float_array(f"surface.{part}", getattr(surface, part)) for part in "wb"]
    cost = as_float_array("surface.cost", surface.cost)
    if cost.ndim != 2 or min(cost.shape) < 2:
        raise ValueError(f"surface.cost must be a grid of at least 2 x 2, got {cost.shape}")
    for part, grid in zip("wb", grids, strict=True):
        if grid.shape != cost.shape:
            raise ValueError(
                f"surface.{part} must have the shape of surface.cost {cost.shape}, got {grid.shape}"
            )
    if minimum is not None:
        if isinstance(minimum, (str, bytes)) or not isinstance(minimum, (tuple, list)):
            kind = type(minimum).__name__
            raise TypeError(f"minimum must be a pair (w, b), got {kind}")
        if len(minimum) != 2:
            raise ValueError(f"minimum must be a pair (w, b), got {len(minimum)} values")
        minimum = (check_scalar("minimum[0]", minimum[0]), check_scalar("minimum[1]", minimum[1]))
    levels = as_count("levels", levels, maximum=1000)
    # stacked, at the column's width: side by side, each panel would be half as wide and
    # on a phone too narrow to read
    fig = plt.figure(figsize=(6.4, 7.6))
    ax3d = fig.add_subplot(2, 1, 1, projection="3d")
    ax3d.plot_surface(surface.w, surface.b, surface.cost, cmap="viridis", linewidth=0)
    ax3d.set(xlabel="w", ylabel="b", zlabel="cost", title="Cost surface")
    ax3d.view_init(elev=28, azim=-130)
    ax = fig.add_subplot(2, 1, 2)
    filled = ax.contourf(surface.w, surface.b, surface.cost, levels=levels, cmap="viridis")
    ax.contour(surface.w, surface.b, surface.cost, levels=levels, colors="white", linewidths=0.4)
    fig.colorbar(filled, ax=ax, label="cost (MSE)")
    title = "Contours of the cost"
    if minimum is not None:
        # named in the title, not in a legend, whose star would look like a second minimum
        ax.plot(*minimum, "*", ms=14, color=COLORS["minimum"], mec="white")
        title += "; the star is the minimum"
    ax.set(xlabel="weight w", ylabel="bias b", title=title)
    ax.grid(False)
    fig.tight_layout()
    return fig
