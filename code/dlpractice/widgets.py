"""Figures the reader can operate on the static site, with no kernel and no CDN.

The numbers are computed here, in Python, by the same tested functions the chapters use; the
page only receives them as JSON and a few lines of plain JavaScript that move between
precomputed frames. The result is one self-contained block of HTML and SVG, light enough to
sit in a chapter's output.
"""

from __future__ import annotations

import html
import json
from itertools import count

import numpy as np
from numpy.typing import ArrayLike

from ._validation import as_count, as_data, as_finite_real, as_float_vector
from .cost_landscape import SufficientStatistics
from .descent import gradient_descent

_ids = count()

_TEMPLATE = """
<div class="dlp-widget" id="{uid}" style="background:#fff;color:#111;border:1px solid #ccc;
  border-radius:6px;padding:0.6em 0.8em;max-width:640px;font-family:sans-serif">
  <label for="{uid}-rate" style="display:block;font-size:0.95em">
    {label} &alpha; = <b class="dlp-rate"></b>
    &nbsp;(factor per step 1 &minus; &alpha;&middot;{curvature_text} = <b class="dlp-factor"></b>)
  </label>
  <input type="range" id="{uid}-rate" min="0" max="{last}" step="1" value="{start}"
    style="width:100%" aria-label="learning rate">
  <svg viewBox="0 0 {width} {height}" width="100%" role="img"
    aria-label="{title}" style="display:block">
    <title>{title}</title>
    <rect x="0" y="0" width="{width}" height="{height}" fill="#fff"/>
    <path d="{curve}" fill="none" stroke="#555" stroke-width="1.5"/>
    <line x1="{x_min_px}" y1="{axis_y}" x2="{x_max_px}" y2="{axis_y}" stroke="#333"/>
    <line x1="{left}" y1="{top}" x2="{left}" y2="{axis_y}" stroke="#333"/>
    {ticks}
    <text x="{mid_x}" y="{label_y}" text-anchor="middle" font-size="13" fill="#111">weight w</text>
    <text x="14" y="{mid_y}" text-anchor="middle" font-size="13" fill="#111"
      transform="rotate(-90 14 {mid_y})">cost</text>
    <polyline class="dlp-path" fill="none" stroke="#E69F00" stroke-width="1.5"/>
    <g class="dlp-dots" fill="#D55E00"></g>
  </svg>
  <div class="dlp-status" style="font-size:0.95em"></div>
</div>
<script>
(function () {{
  var data = {data};
  var root = document.getElementById("{uid}");
  var slider = root.querySelector("input");
  var ns = "http://www.w3.org/2000/svg";
  function show(i) {{
    var run = data.runs[i];
    root.querySelector(".dlp-rate").textContent = run.rate;
    root.querySelector(".dlp-factor").textContent = run.factor;
    root.querySelector(".dlp-path").setAttribute("points", run.points);
    var dots = root.querySelector(".dlp-dots");
    while (dots.firstChild) dots.removeChild(dots.firstChild);
    run.points.split(" ").forEach(function (p) {{
      var xy = p.split(","), c = document.createElementNS(ns, "circle");
      c.setAttribute("cx", xy[0]); c.setAttribute("cy", xy[1]); c.setAttribute("r", 3);
      dots.appendChild(c);
    }});
    root.querySelector(".dlp-status").textContent = run.status;
  }}
  slider.addEventListener("input", function () {{ show(+slider.value); }});
  show(+slider.value);
}})();
</script>
"""


def descent_explorer(
    x: ArrayLike,
    y: ArrayLike,
    *,
    w0: float,
    learning_rates: ArrayLike,
    steps: int = 20,
    start: int = 0,
    w_range: tuple[float, float] = (-0.5, 4.5),
) -> str:
    r"""HTML for a slider that picks the learning rate and draws the descent on the cost curve.

    For each rate, :func:`~dlpractice.descent.gradient_descent` runs ``steps`` updates of the
    model ``y_hat = x*w`` from ``w0``; the figure shows the cost curve and the iterates on it,
    and says whether the run converges, oscillates or diverges. The cost axis reaches 2.5
    times the starting cost, so the steps stay visible; iterates that leave the plotted
    range are cut off, and the status line says what happened to them.

    Parameters
    ----------
    x, y : array_like
        The data set.
    w0 : float
        Starting weight.
    learning_rates : array_like
        The rates the slider steps through, 1-D, each greater than 0.
    steps : int
        Updates per run.
    start : int
        Index of the rate shown first.
    w_range : tuple of float
        The plotted interval of ``w``.

    Returns
    -------
    str
        Self-contained HTML (inline SVG and script), to show with ``IPython.display.HTML``.
    """
    x_array, y_array = as_data(x, y)
    rates = as_float_vector("learning_rates", learning_rates)
    if np.any(rates <= 0):
        raise ValueError("learning_rates must all be greater than 0")
    steps = as_count("steps", steps)
    start = as_count("start", start, minimum=0, maximum=rates.size - 1)
    w0 = as_finite_real("w0", w0)
    w_low, w_high = (as_finite_real("w_range", v) for v in w_range)
    if not w_low < w_high:
        raise ValueError(f"w_range must be increasing, got {w_range}")

    stats = SufficientStatistics.from_data(x_array, y_array)
    width, height, left, right, top, bottom = 620, 300, 50, 15, 12, 40
    grid = np.linspace(w_low, w_high, 400)
    cost_top = 2.5 * float(stats.cost(w0))
    if cost_top == 0:  # starting at an exact minimum: any scale will do
        cost_top = float(stats.cost(grid).max())

    def px(w: np.ndarray, c: np.ndarray) -> np.ndarray:
        u = left + (w - w_low) / (w_high - w_low) * (width - left - right)
        v = height - bottom - np.minimum(c, cost_top) / cost_top * (height - top - bottom)
        return np.column_stack([u, v])

    grid = grid[stats.cost(grid) <= cost_top]  # the part of the curve inside the frame
    curve = "M" + " L".join(f"{u:.1f},{v:.1f}" for u, v in px(grid, stats.cost(grid)))
    curvature = 2 * stats.var_x + 2 * stats.mean_x**2  # d2 cost / dw2 = 2 mean(x^2)
    runs = []
    for rate in rates:
        run = gradient_descent(
            x_array,
            y_array,
            w0=w0,
            learning_rate=float(rate),
            epochs=steps,
            allow_divergence=True,
        )
        inside = (run.w >= w_low) & (run.w <= w_high) & (stats.cost(run.w) <= cost_top)
        shown = run.w[: int(np.argmin(inside)) if not inside.all() else run.w.size]
        points = " ".join(f"{u:.1f},{v:.1f}" for u, v in px(shown, stats.cost(shown)))
        factor = 1 - rate * curvature
        if run.diverged or abs(factor) > 1:
            status = f"diverges: each step multiplies the error by {factor:.3f}"
        elif factor < 0:
            status = f"converges, zig-zagging across the minimum: w after {steps} steps = "
            status += f"{run.w[-1]:.5f}"
        else:
            status = f"converges from one side: w after {steps} steps = {run.w[-1]:.5f}"
        runs.append(
            {"rate": f"{rate:.3f}", "factor": f"{factor:.3f}", "points": points, "status": status}
        )

    ticks = []
    for w_tick in np.arange(np.ceil(w_low), np.floor(w_high) + 1):
        u = px(np.array([w_tick]), np.array([0.0]))[0, 0]
        ticks.append(
            f'<text x="{u:.1f}" y="{height - bottom + 16}" text-anchor="middle" '
            f'font-size="12" fill="#111">{w_tick + 0.0:g}</text>'
        )
    uid = f"dlp-explorer-{next(_ids)}"
    return _TEMPLATE.format(
        uid=uid,
        label="learning rate",
        curvature_text=f"{curvature:g}",
        last=rates.size - 1,
        start=start,
        width=width,
        height=height,
        left=left,
        top=top,
        axis_y=height - bottom,
        x_min_px=left,
        x_max_px=width - right,
        mid_x=(left + width - right) / 2,
        label_y=height - 6,
        mid_y=(top + height - bottom) / 2,
        curve=curve,
        ticks="".join(ticks),
        title=html.escape("Gradient descent on the cost curve for the chosen learning rate"),
        data=json.dumps({"runs": runs}),
    )
