"""Figures the reader can operate on the static site, with no kernel and no CDN.

The numbers are computed here, in Python, by the same tested functions the chapters use; the
page only receives them as JSON and a few lines of plain JavaScript that move between
precomputed frames. The result is one self-contained block of HTML and SVG, light enough to
sit in a chapter's output. Its words (labels, axes, the status line, what a screen reader
announces) are in English in the HTML and in every edition's language in the JSON; the script
shows those of the page's language (``<html lang>``), so the Chinese edition, which reuses
the English build's outputs, shows and announces the same widget in Chinese.
"""

from __future__ import annotations

import html
import json
from itertools import count

import numpy as np
from numpy.typing import ArrayLike

from ._validation import (
    as_count,
    as_data,
    as_finite_real,
    as_float_vector,
    as_interval,
    overflow_error,
)
from .cost_landscape import SufficientStatistics, least_squares
from .curvature import hessian
from .descent import gradient_descent
from .momentum import convergence_rate, momentum_descent

_ids = count()

#: The most slider positions (runs) a widget precomputes. The page carries every run as
#: JSON, so this and :data:`MAX_STEPS` keep it light.
MAX_RUNS = 1000
#: The most descent steps a widget precomputes per run.
MAX_STEPS = 10_000


def _slider_values(name: str, values: object) -> np.ndarray:
    array = as_float_vector(name, values)
    if array.size > MAX_RUNS:
        raise ValueError(f"{name} must hold at most {MAX_RUNS} values, got {array.size}")
    return array


def _tick_values(low: float, high: float) -> np.ndarray:
    """Tick positions: every integer when there are at most 21, else 1-2-5 steps."""
    first, last = np.ceil(low), np.floor(high)
    if last - first <= 20:
        return np.arange(first, last + 1)
    rough = (high - low) / 10
    power = 10.0 ** np.floor(np.log10(rough))
    step = next(m * power for m in (1, 2, 5, 10) if m * power >= rough)
    return np.arange(np.ceil(low / step), np.floor(high / step) + 1) * step


#: What a widget shows and announces, in each edition's language: the HTML carries the
#: English, the JSON every language, and the script puts in the page's (``<html lang>``,
#: "zh-CN" in the Chinese edition), so one cached output speaks both. Keys of ``"text"`` name
#: the elements marked ``data-dlp-text`` (their text) or ``data-dlp-label`` (their
#: ``aria-label``); ``"status"`` holds the status line's forms, filled in Python per run.
_DESCENT_WORDS = {
    "en": {
        "text": {
            "rate": "learning rate",
            "factor": "factor per step",
            "weight": "weight w",
            "cost": "cost",
            "title": "Gradient descent on the cost curve for the chosen learning rate",
            "valuetext": "learning rate ",
        },
        "status": {
            "diverges": "diverges: each step multiplies the error by {factor}",
            "zigzag": "converges, zig-zagging across the minimum: w after {steps} steps = {w}",
            "one_side": "converges from one side: w after {steps} steps = {w}",
        },
    },
    "zh": {
        "text": {
            "rate": "学习率",
            "factor": "每步的因子",
            "weight": "权重 w",
            "cost": "代价",
            "title": "所选学习率下的梯度下降：代价曲线上依次标出每一步的权重",
            "valuetext": "学习率 ",
        },
        "status": {
            "diverges": "发散：每一步都把误差乘以 {factor}",
            "zigzag": "收敛，在最小值两侧来回振荡：{steps} 步后 w = {w}",
            "one_side": "从一侧收敛：{steps} 步后 w = {w}",
        },
    },
}
_MOMENTUM_WORDS = {
    "en": {
        "text": {
            "rate": "learning rate",
            "momentum": "momentum",
            "rate_slider": "learning rate alpha",
            "momentum_slider": "momentum beta",
            "weight": "weight w",
            "bias": "bias b",
            "step": "step k",
            "error": "error / start",
            "run": "the run",
            "rho": "\u00a0(the rate)",
            "title": "Heavy-ball momentum on the cost's contours, and its error against the "
            "step, for the chosen learning rate and momentum",
            "rate_valuetext": "learning rate ",
            "momentum_valuetext": "momentum ",
        },
        "status": {
            "diverges": "ρ = {rho} ≥ 1: the run diverges",
            "converges": "ρ = {rho}: in the long run each step multiplies the error by "
            "{rho}; after {steps} steps it is {error} of the start",
        },
    },
    "zh": {
        "text": {
            "rate": "学习率",
            "momentum": "动量",
            "rate_slider": "学习率 α",
            "momentum_slider": "动量 β",
            "weight": "权重 w",
            "bias": "偏置 b",
            "step": "步数 k",
            "error": "误差 / 初始误差",
            "run": "本次运行",
            "rho": "（收敛率）",
            "title": "所选学习率和动量下的重球动量法：它在代价等高线上的路径，以及误差随步数的变化",
            "rate_valuetext": "学习率 ",
            "momentum_valuetext": "动量 ",
        },
        "status": {
            "diverges": "ρ = {rho} ≥ 1：这次运行发散",
            "converges": "ρ = {rho}：长期来看，每一步都把误差乘以 {rho}；"
            "{steps} 步后，误差是初始误差的 {error}",
        },
    },
}

#: The script's part that speaks the page's language: ``lang`` and ``words``, its texts.
_LANGUAGE_SCRIPT = """
  var lang = (document.documentElement.lang || "en").split(/[-_]/)[0].toLowerCase();
  if (!data.words[lang]) lang = "en";
  var words = data.words[lang];
  root.querySelectorAll("[data-dlp-text]").forEach(function (e) {
    e.textContent = words[e.getAttribute("data-dlp-text")];
  });
  root.querySelectorAll("[data-dlp-label]").forEach(function (e) {
    e.setAttribute("aria-label", words[e.getAttribute("data-dlp-label")]);
  });"""


def _statuses(words: dict, kind: str, **values: str) -> dict[str, str]:
    """The status line ``kind`` with ``values``, in every language of ``words``."""
    return {lang: w["status"][kind].format(**values) for lang, w in words.items()}


def _texts(words: dict) -> dict[str, dict[str, str]]:
    """The texts of ``words`` by language, for the page's script."""
    return {lang: w["text"] for lang, w in words.items()}


def _english(words: dict) -> dict[str, str]:
    """The English texts, escaped for the HTML, as template fields ``text_<key>``."""
    return {f"text_{k}": html.escape(v) for k, v in words["en"]["text"].items()}


_TEMPLATE = """
<div class="dlp-widget" id="{uid}" style="background:#fff;color:#111;border:1px solid #ccc;
  border-radius:6px;padding:0.6em 0.8em;max-width:640px;font-family:sans-serif">
  <label for="{uid}-rate" style="display:block;font-size:0.95em">
    <span data-dlp-text="rate">{text_rate}</span> &alpha; = <b class="dlp-rate"></b>
    &nbsp;(<span data-dlp-text="factor">{text_factor}</span>
    1 &minus; &alpha;&middot;{curvature_text} = <b class="dlp-factor"></b>)
  </label>
  <input type="range" id="{uid}-rate" min="0" max="{last}" step="1" value="{start}"
    style="width:100%" aria-label="{text_rate}" data-dlp-label="rate">
  <svg viewBox="0 0 {width} {height}" width="100%" role="img"
    aria-label="{text_title}" data-dlp-label="title" style="display:block">
    <title data-dlp-text="title">{text_title}</title>
    <rect x="0" y="0" width="{width}" height="{height}" fill="#fff"/>
    <path d="{curve}" fill="none" stroke="#555" stroke-width="1.5"/>
    <line x1="{x_min_px}" y1="{axis_y}" x2="{x_max_px}" y2="{axis_y}" stroke="#333"/>
    <line x1="{left}" y1="{top}" x2="{left}" y2="{axis_y}" stroke="#333"/>
    {ticks}
    <text x="{mid_x}" y="{label_y}" text-anchor="middle" font-size="15" fill="#111"
      data-dlp-text="weight">{text_weight}</text>
    <text x="14" y="{mid_y}" text-anchor="middle" font-size="15" fill="#111"
      transform="rotate(-90 14 {mid_y})" data-dlp-text="cost">{text_cost}</text>
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
  var ns = "http://www.w3.org/2000/svg";{language}
  function show(i) {{
    var run = data.runs[i];
    root.querySelector(".dlp-rate").textContent = run.rate;
    // a screen reader announces the rate, not the slider's position
    slider.setAttribute("aria-valuetext", words.valuetext + run.rate);
    root.querySelector(".dlp-factor").textContent = run.factor;
    root.querySelector(".dlp-path").setAttribute("points", run.points);
    var dots = root.querySelector(".dlp-dots");
    while (dots.firstChild) dots.removeChild(dots.firstChild);
    run.points.split(" ").forEach(function (p) {{
      var xy = p.split(","), c = document.createElementNS(ns, "circle");
      c.setAttribute("cx", xy[0]); c.setAttribute("cy", xy[1]); c.setAttribute("r", 3);
      dots.appendChild(c);
    }});
    root.querySelector(".dlp-status").textContent = run.status[lang];
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
        The runs are JSON in the script, each with ``rate``, ``factor``, ``points`` and
        ``status``, the status line by language (``{"en": ..., "zh": ...}``).
    """
    x_array, y_array = as_data(x, y)
    rates = _slider_values("learning_rates", learning_rates)
    if np.any(rates <= 0):
        raise ValueError("learning_rates must all be greater than 0")
    steps = as_count("steps", steps, maximum=MAX_STEPS)
    start = as_count("start", start, minimum=0, maximum=rates.size - 1)
    w0 = as_finite_real("w0", w0)
    w_low, w_high = as_interval("w_range", w_range)
    if not np.isfinite(w_high - w_low):
        raise overflow_error("w_range", "its width")

    stats = SufficientStatistics.from_data(x_array, y_array)
    width, height, left, right, top, bottom = 620, 300, 50, 15, 12, 40
    grid = np.linspace(w_low, w_high, 400)
    with np.errstate(over="ignore", invalid="ignore"):
        cost_top = 2.5 * float(stats._cost(w0, 0.0))
        if cost_top == 0:  # starting at an exact minimum: any scale will do
            cost_top = float(stats._cost(grid, 0.0).max())
    if not np.isfinite(cost_top):
        raise overflow_error("x, y, w0 and w_range", "the cost")
    if cost_top == 0:
        raise ValueError(
            "x and y must give a cost that is not 0 over all of w_range (else there is "
            "nothing to draw), got 0 everywhere"
        )

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
            status = _statuses(_DESCENT_WORDS, "diverges", factor=f"{factor:.3f}")
        else:
            kind = "zigzag" if factor < 0 else "one_side"
            status = _statuses(_DESCENT_WORDS, kind, steps=str(steps), w=f"{run.w[-1]:.5f}")
        runs.append(
            {"rate": f"{rate:.3f}", "factor": f"{factor:.3f}", "points": points, "status": status}
        )

    ticks = []
    for w_tick in _tick_values(w_low, w_high):
        u = px(np.array([w_tick]), np.array([0.0]))[0, 0]
        ticks.append(
            f'<text x="{u:.1f}" y="{height - bottom + 16}" text-anchor="middle" '
            f'font-size="14" fill="#111">{w_tick + 0.0:g}</text>'
        )
    uid = f"dlp-explorer-{next(_ids)}"
    return _TEMPLATE.format(
        uid=uid,
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
        language=_LANGUAGE_SCRIPT,
        data=json.dumps({"runs": runs, "words": _texts(_DESCENT_WORDS)}),
        **_english(_DESCENT_WORDS),
    )


_MOMENTUM_TEMPLATE = """
<div class="dlp-widget dlp-momentum" id="{uid}" style="background:#fff;color:#111;
  border:1px solid #ccc;border-radius:6px;padding:0.6em 0.8em;max-width:640px;
  font-family:sans-serif">
  <label for="{uid}-alpha" style="display:block;font-size:0.95em">
    <span data-dlp-text="rate">{text_rate}</span> &alpha; = <b class="dlp-alpha"></b></label>
  <input type="range" id="{uid}-alpha" class="dlp-alpha-slider" min="0" max="{last_alpha}"
    step="1" value="{start_alpha}" style="width:100%" aria-label="{text_rate_slider}"
    data-dlp-label="rate_slider">
  <label for="{uid}-beta" style="display:block;font-size:0.95em">
    <span data-dlp-text="momentum">{text_momentum}</span> &beta; = <b class="dlp-beta"></b>
  </label>
  <input type="range" id="{uid}-beta" class="dlp-beta-slider" min="0" max="{last_beta}"
    step="1" value="{start_beta}" style="width:100%" aria-label="{text_momentum_slider}"
    data-dlp-label="momentum_slider">
  <svg viewBox="0 0 {width} {height}" width="100%" role="img" aria-label="{text_title}"
    data-dlp-label="title" style="display:block">
    <title data-dlp-text="title">{text_title}</title>
    <defs>
      <clipPath id="{uid}-clip-path"><rect x="{left}" y="{top}" width="{plot_width}"
        height="{path_height}"/></clipPath>
      <clipPath id="{uid}-clip-error"><rect x="{left}" y="{error_top}" width="{plot_width}"
        height="{error_height}"/></clipPath>
    </defs>
    <rect x="0" y="0" width="{width}" height="{height}" fill="#fff"/>
    <g fill="none" stroke="#9a9a9a" stroke-width="0.8"
      clip-path="url(#{uid}-clip-path)">{contours}</g>
    <rect x="{left}" y="{top}" width="{plot_width}" height="{path_height}" fill="none"
      stroke="#333"/>
    {path_ticks}
    <text x="{mid_x}" y="{path_label_y}" text-anchor="middle" font-size="15"
      fill="#111" data-dlp-text="weight">{text_weight}</text>
    <text x="14" y="{path_mid_y}" text-anchor="middle" font-size="15" fill="#111"
      transform="rotate(-90 14 {path_mid_y})" data-dlp-text="bias">{text_bias}</text>
    <g clip-path="url(#{uid}-clip-path)">
      <polyline class="dlp-path" fill="none" stroke="#0072B2" stroke-width="1.5"/>
      <g class="dlp-dots" fill="#0072B2"></g>
      <path d="{star}" fill="#CC79A7"/>
    </g>
    <rect x="{left}" y="{error_top}" width="{plot_width}" height="{error_height}"
      fill="none" stroke="#333"/>
    {error_ticks}
    <text x="{mid_x}" y="{error_label_y}" text-anchor="middle" font-size="15"
      fill="#111" data-dlp-text="step">{text_step}</text>
    <text x="14" y="{error_mid_y}" text-anchor="middle" font-size="15" fill="#111"
      transform="rotate(-90 14 {error_mid_y})" data-dlp-text="error">{text_error}</text>
    <g clip-path="url(#{uid}-clip-error)">
      <line class="dlp-rate-line" stroke="#555" stroke-width="1.2"
        stroke-dasharray="5 4"/>
      <polyline class="dlp-error" fill="none" stroke="#0072B2" stroke-width="1.5"/>
    </g>
    <line x1="{legend_x}" y1="{legend_y}" x2="{legend_x2}" y2="{legend_y}" stroke="#0072B2"
      stroke-width="1.5"/>
    <text x="{legend_text_x}" y="{legend_text_y}" font-size="14" fill="#111"
      data-dlp-text="run">{text_run}</text>
    <line x1="{legend_x}" y1="{legend_y2}" x2="{legend_x2}" y2="{legend_y2}" stroke="#555"
      stroke-width="1.2" stroke-dasharray="5 4"/>
    <text x="{legend_text_x}" y="{legend_text_y2}" font-size="14" fill="#111">&#961;<tspan
      font-size="11" dy="-5">k</tspan><tspan dy="5"
      data-dlp-text="rho">{text_rho}</tspan></text>
  </svg>
  <div class="dlp-status" style="font-size:0.95em"></div>
  <script type="application/json" class="dlp-data">{data}</script>
</div>
<script>
(function () {{
  var root = document.getElementById("{uid}");
  var data = JSON.parse(root.querySelector(".dlp-data").textContent);
  var alphaSlider = root.querySelector(".dlp-alpha-slider");
  var betaSlider = root.querySelector(".dlp-beta-slider");
  var f = data.frame, ns = "http://www.w3.org/2000/svg";{language}
  function px(w) {{ return f.left + (w - f.w_low) / (f.w_high - f.w_low) * f.plot_width; }}
  function py(b) {{ return f.top + (f.b_high - b) / (f.b_high - f.b_low) * f.path_height; }}
  function ex(k) {{ return f.left + k / data.steps * f.plot_width; }}
  function ey(e) {{
    return f.error_top + (f.log_high - e) / (f.log_high - f.log_low) * f.error_height;
  }}
  function show() {{
    var i = +alphaSlider.value, j = +betaSlider.value;
    var run = data.runs[j * data.learning_rates.length + i];
    root.querySelector(".dlp-alpha").textContent = data.learning_rates[i];
    root.querySelector(".dlp-beta").textContent = data.momenta[j];
    // a screen reader announces the values, not the sliders' positions
    alphaSlider.setAttribute("aria-valuetext", words.rate_valuetext + data.learning_rates[i]);
    betaSlider.setAttribute("aria-valuetext", words.momentum_valuetext + data.momenta[j]);
    var points = run.w.map(function (w, k) {{
      return px(w).toFixed(1) + "," + py(run.b[k]).toFixed(1);
    }});
    root.querySelector(".dlp-path").setAttribute("points", points.join(" "));
    var dots = root.querySelector(".dlp-dots");
    while (dots.firstChild) dots.removeChild(dots.firstChild);
    points.forEach(function (p) {{
      var xy = p.split(","), c = document.createElementNS(ns, "circle");
      c.setAttribute("cx", xy[0]); c.setAttribute("cy", xy[1]); c.setAttribute("r", 2);
      dots.appendChild(c);
    }});
    var curve = run.log_error.map(function (e, k) {{
      return ex(k).toFixed(1) + "," + ey(e).toFixed(1);
    }});
    root.querySelector(".dlp-error").setAttribute("points", curve.join(" "));
    var slope = Math.log(Math.max(run.rate, 1e-12)) / Math.LN10;
    var line = root.querySelector(".dlp-rate-line");
    line.setAttribute("x1", ex(0)); line.setAttribute("y1", ey(0));
    line.setAttribute("x2", ex(data.steps)); line.setAttribute("y2", ey(data.steps * slope));
    root.querySelector(".dlp-status").textContent = run.status[lang];
  }}
  alphaSlider.addEventListener("input", show);
  betaSlider.addEventListener("input", show);
  show();
}})();
</script>
"""


def momentum_explorer(
    x: ArrayLike,
    y: ArrayLike,
    *,
    w0: float,
    b0: float,
    learning_rates: ArrayLike,
    momenta: ArrayLike,
    steps: int = 60,
    start: tuple[int, int] = (0, 0),
    w_range: tuple[float, float] = (-0.5, 4.5),
    b_range: tuple[float, float] = (-2.5, 2.5),
) -> str:
    r"""HTML for two sliders, the learning rate and the momentum, and the heavy-ball run they give.

    For every pair on the grid ``learning_rates`` x ``momenta``,
    :func:`~dlpractice.momentum.momentum_descent` runs ``steps`` heavy-ball steps on the
    model ``y_hat = x*w + b`` from ``(w0, b0)``, and
    :func:`~dlpractice.momentum.convergence_rate` gives the spectral radius :math:`\rho` of
    its iteration matrix. The page receives the runs as JSON and shows the chosen one: its
    path on the contours of the cost, and its error
    :math:`\lVert\theta_k - \theta^\star\rVert / \lVert\theta_0 - \theta^\star\rVert` on a
    log scale beside the line :math:`\rho^k`. A run that blows up is shown until it leaves
    the picture, and the status line says so.

    Parameters
    ----------
    x, y : array_like
        The data set; ``x`` must hold two distinct values, so that the minimum is unique.
    w0, b0 : float
        The start.
    learning_rates : array_like
        The rates the first slider steps through, 1-D, each greater than 0.
    momenta : array_like
        The momenta the second slider steps through, 1-D, each in ``[0, 1)``.
    steps : int
        Steps per run.
    start : tuple of int
        Indices of the rate and the momentum shown first.
    w_range, b_range : tuple of float
        The plotted window of the parameter plane.

    Returns
    -------
    str
        Self-contained HTML (inline SVG, the runs as JSON, and a script), to show with
        ``IPython.display.HTML``. The JSON lists the runs momentum by momentum: the run for
        ``learning_rates[i]`` and ``momenta[j]`` is ``runs[j * len(learning_rates) + i]``,
        with ``w``, ``b`` (rounded to 2 decimals), ``log_error`` (the base-10 logarithm of
        the relative error, 2 decimals), ``rate`` and ``status`` (the status line by
        language, ``{"en": ..., "zh": ...}``); ``words`` holds the widget's texts by language.
    """
    x_array, y_array = as_data(x, y)
    rates = _slider_values("learning_rates", learning_rates)
    if np.any(rates <= 0):
        raise ValueError("learning_rates must all be greater than 0")
    betas = _slider_values("momenta", momenta)
    if np.any((betas < 0) | (betas >= 1)):
        raise ValueError("momenta must all be in [0, 1)")
    if rates.size * betas.size > MAX_RUNS:
        raise ValueError(
            f"learning_rates and momenta must make at most {MAX_RUNS} pairs, got "
            f"{rates.size} x {betas.size}"
        )
    steps = as_count("steps", steps, maximum=MAX_STEPS)
    if isinstance(start, (str, bytes)) or not isinstance(start, (tuple, list)):
        raise TypeError(f"start must be a pair of indices, got {type(start).__name__}")
    if len(start) != 2:
        raise ValueError(f"start must be a pair of indices, got {len(start)} values")
    start_alpha = as_count("start[0]", start[0], minimum=0, maximum=rates.size - 1)
    start_beta = as_count("start[1]", start[1], minimum=0, maximum=betas.size - 1)
    w0, b0 = as_finite_real("w0", w0), as_finite_real("b0", b0)
    w_low, w_high = as_interval("w_range", w_range)
    b_low, b_high = as_interval("b_range", b_range)
    if not (np.isfinite(w_high - w_low) and np.isfinite(b_high - b_low)):
        raise overflow_error("w_range and b_range", "their width")

    best = least_squares(x_array, y_array)
    matrix = hessian(x_array)
    start_error = float(np.hypot(w0 - best.w, b0 - best.b))
    if start_error == 0:
        raise ValueError(
            "w0 and b0 must differ from the minimum, got the minimum itself: there is "
            "nothing to show"
        )

    width, left, right, top = 620, 50, 15, 10
    plot_width, path_height, error_height = width - left - right, 280, 150
    error_top = top + path_height + 45
    height = error_top + error_height + 40
    log_low, log_high = -8.0, 1.0

    def px(w: np.ndarray) -> np.ndarray:
        return left + (w - w_low) / (w_high - w_low) * plot_width

    def py(b: np.ndarray) -> np.ndarray:
        return top + (b_high - b) / (b_high - b_low) * path_height

    # The contours are ellipses: cost - min = (theta - theta*)^T H (theta - theta*) / 2.
    curvatures, axes = np.linalg.eigh(matrix)
    angle = np.linspace(0, 2 * np.pi, 121)
    unit = np.stack([np.cos(angle), np.sin(angle)])
    contours = []
    for level in [0.01, 0.05, 0.2, 0.5, 1, 2, 4, 8, 16]:
        ellipse = axes @ (np.sqrt(2 * level / curvatures)[:, None] * unit)
        points = zip(px(best.w + ellipse[0]), py(best.b + ellipse[1]), strict=True)
        contours.append(
            '<polyline points="' + " ".join(f"{u:.1f},{v:.1f}" for u, v in points) + '"/>'
        )

    # Runs that blow up are cut where they leave a box three times the window's size.
    w_span, b_span = w_high - w_low, b_high - b_low
    runs = []
    for beta in betas:
        for rate in rates:
            run = momentum_descent(
                x_array,
                y_array,
                w0=w0,
                b0=b0,
                learning_rate=float(rate),
                momentum=float(beta),
                steps=steps,
                allow_divergence=True,
            )
            inside = (np.abs(run.w - (w_low + w_high) / 2) <= 1.5 * w_span) & (
                np.abs(run.b - (b_low + b_high) / 2) <= 1.5 * b_span
            )
            shown = int(np.argmin(inside)) if not inside.all() else run.w.size
            error = run.distance(best.w, best.b)[:shown] / start_error
            rho = convergence_rate(matrix, learning_rate=float(rate), momentum=float(beta))
            if rho >= 1 or run.diverged:
                status = _statuses(_MOMENTUM_WORDS, "diverges", rho=f"{rho:.3f}")
            else:
                status = _statuses(
                    _MOMENTUM_WORDS,
                    "converges",
                    rho=f"{rho:.3f}",
                    steps=str(run.steps),
                    error=f"{error[-1]:.1e}",
                )
            runs.append(
                {
                    "w": np.round(run.w[:shown], 2).tolist(),
                    "b": np.round(run.b[:shown], 2).tolist(),
                    "log_error": np.round(np.log10(np.maximum(error, 1e-300)), 2).tolist(),
                    "rate": round(rho, 4),
                    "status": status,
                }
            )

    path_ticks, error_ticks = [], []
    for w_tick in _tick_values(w_low, w_high):
        path_ticks.append(
            f'<text x="{px(w_tick):.1f}" y="{top + path_height + 16}" text-anchor="middle" '
            f'font-size="14" fill="#111">{w_tick + 0.0:g}</text>'
        )
    for b_tick in _tick_values(b_low, b_high):
        path_ticks.append(
            f'<text x="{left - 6}" y="{py(b_tick) + 4:.1f}" text-anchor="end" '
            f'font-size="14" fill="#111">{b_tick + 0.0:g}</text>'
        )
    for k_tick in np.linspace(0, steps, 5):
        u = left + k_tick / steps * plot_width
        error_ticks.append(
            f'<text x="{u:.1f}" y="{error_top + error_height + 16}" text-anchor="middle" '
            f'font-size="14" fill="#111">{k_tick:g}</text>'
        )
    for exponent in range(int(log_low), int(log_high) + 1, 2):
        v = error_top + (log_high - exponent) / (log_high - log_low) * error_height
        error_ticks.append(
            f'<text x="{left - 6}" y="{v + 4:.1f}" text-anchor="end" font-size="14" '
            f'fill="#111">1e{exponent}</text>'
        )
    sx, sy = px(best.w), py(best.b)
    radii, angles = np.where(np.arange(10) % 2 == 0, 7.0, 3.0), np.arange(10) * np.pi / 5
    star = "M" + " L".join(
        f"{sx + r * np.sin(a):.1f},{sy - r * np.cos(a):.1f}"
        for r, a in zip(radii, angles, strict=True)
    )
    data = {
        "learning_rates": [f"{rate:g}" for rate in rates],
        "momenta": [f"{beta:g}" for beta in betas],
        "steps": steps,
        "frame": {
            "left": left,
            "top": top,
            "plot_width": plot_width,
            "path_height": path_height,
            "error_top": error_top,
            "error_height": error_height,
            "w_low": w_low,
            "w_high": w_high,
            "b_low": b_low,
            "b_high": b_high,
            "log_low": log_low,
            "log_high": log_high,
        },
        "runs": runs,
        "words": _texts(_MOMENTUM_WORDS),
    }
    uid = f"dlp-momentum-{next(_ids)}"
    return _MOMENTUM_TEMPLATE.format(
        uid=uid,
        last_alpha=rates.size - 1,
        start_alpha=start_alpha,
        last_beta=betas.size - 1,
        start_beta=start_beta,
        width=width,
        height=height,
        left=left,
        top=top,
        plot_width=plot_width,
        path_height=path_height,
        error_top=error_top,
        error_height=error_height,
        contours="".join(contours),
        path_ticks="".join(path_ticks),
        error_ticks="".join(error_ticks),
        mid_x=left + plot_width / 2,
        path_label_y=top + path_height + 32,
        path_mid_y=top + path_height / 2,
        error_label_y=error_top + error_height + 32,
        error_mid_y=error_top + error_height / 2,
        star=star + " Z",
        legend_x=left + 10,
        legend_x2=left + 34,
        legend_text_x=left + 40,
        legend_y=error_top + error_height - 30,
        legend_y2=error_top + error_height - 12,
        legend_text_y=error_top + error_height - 26,
        legend_text_y2=error_top + error_height - 8,
        language=_LANGUAGE_SCRIPT,
        **_english(_MOMENTUM_WORDS),
        data=json.dumps(data, separators=(",", ":"), ensure_ascii=False),
    )
