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
from matplotlib.figure import Figure

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
            "axes.prop_cycle": mpl.cycler(color=list(COLORS.values())),
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
    """Cost against ``w`` as points (the search), optionally with the exact curve and best ``w``."""
    fig, ax = plt.subplots()
    if closed_form is not None:
        dense = np.linspace(float(np.min(w_values)), float(np.max(w_values)), 400)
        ax.plot(dense, closed_form(dense), color=COLORS["reference"], lw=1, label="closed form")
    ax.plot(w_values, costs, "o", ms=4, color=COLORS["cost"], label="grid search")
    if best_w is not None:
        ax.axvline(best_w, color=COLORS["minimum"], ls="--", lw=1, label=f"best w = {best_w:g}")
    ax.set(xlabel="weight w", ylabel="cost (MSE)", title=title)
    ax.legend()
    fig.tight_layout()
    return fig


def surface_and_contour_figure(
    surface: Surface, *, minimum: tuple[float, float] | None = None, levels: int = 20
) -> Figure:
    """The cost surface over ``(w, b)``: a 3-D view beside a contour map of the same grid."""
    fig = plt.figure(figsize=(11, 4.4))
    ax3d = fig.add_subplot(1, 2, 1, projection="3d")
    ax3d.plot_surface(surface.w, surface.b, surface.cost, cmap="viridis", linewidth=0)
    ax3d.set(xlabel="w", ylabel="b", zlabel="cost", title="Cost surface")
    ax3d.view_init(elev=28, azim=-130)
    ax = fig.add_subplot(1, 2, 2)
    filled = ax.contourf(surface.w, surface.b, surface.cost, levels=levels, cmap="viridis")
    ax.contour(surface.w, surface.b, surface.cost, levels=levels, colors="white", linewidths=0.4)
    fig.colorbar(filled, ax=ax, label="cost (MSE)")
    if minimum is not None:
        ax.plot(*minimum, "*", ms=14, color=COLORS["minimum"], mec="white", label="minimum")
        ax.legend(loc="upper right")
    ax.set(xlabel="weight w", ylabel="bias b", title="Contours of the cost")
    ax.grid(False)
    fig.tight_layout()
    return fig
