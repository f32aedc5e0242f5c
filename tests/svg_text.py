"""The text sizes inside an SVG figure, as matplotlib writes it or as a widget writes it.

The book saves figures with ``svg.fonttype = "path"`` (:func:`dlpractice.plotting.use_book_style`):
each piece of text becomes a comment holding the string, then a group
``<g transform="translate(x y) scale(s -s)">`` of ``<use>`` glyphs, where matplotlib draws
glyphs at 100 units per point (``matplotlib.textpath.TextToPath.FONT_SCALE``), so the font
size is ``100 s`` user units; a ``<use>`` may scale its glyph again (mathtext's sub- and
superscripts, ``scale(0.7)``), which counts as part of a formula of the group's size.
Hand-written SVG (the widgets) and ``svg.fonttype = "none"`` use ``<text>`` with a
``font-size`` attribute or style.
Either way the size is in the SVG's user units; :func:`user_unit_in_css_px` turns those
into CSS pixels at the SVG's own size.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass

SVG = "{http://www.w3.org/2000/svg}"
XLINK_HREF = "{http://www.w3.org/1999/xlink}href"
#: matplotlib's glyph paths are drawn at this many units per point of font size
FONT_SCALE = 100.0
_SCALE = re.compile(r"scale\(\s*([-+0-9.eE]+)(?:[\s,]+([-+0-9.eE]+))?\s*\)")
_FONT_SIZE = re.compile(r"font-size:\s*([0-9.]+)(px|pt)?")
#: CSS pixels per unit of an SVG length
UNITS_IN_PX = {"": 1.0, "px": 1.0, "pt": 4 / 3, "in": 96.0, "cm": 96 / 2.54, "mm": 9.6 / 2.54}


@dataclass(frozen=True)
class TextSize:
    """One piece of text: its size in the SVG's user units and what it says."""

    size: float
    text: str


def _scale(transform: str) -> float:
    """The product of the ``scale(...)`` factors in ``transform`` (their vertical part)."""
    factor = 1.0
    for x, y in _SCALE.findall(transform or ""):
        factor *= abs(float(y or x))
    return factor


def _parse(svg: str) -> ET.Element:
    """The SVG's root element, comments kept (matplotlib writes each text there)."""
    parser = ET.XMLParser(target=ET.TreeBuilder(insert_comments=True))
    parser.feed(svg)
    return parser.close()


def text_sizes(svg: str) -> list[TextSize]:
    """Every piece of text in ``svg`` with its size in user units (glyph by glyph for paths)."""
    root = _parse(svg)
    found: list[TextSize] = []
    label = ""

    def walk(element: ET.Element, scale: float) -> None:
        nonlocal label
        for child in element:
            if not isinstance(child.tag, str):  # a comment: matplotlib's text before its glyphs
                label = (child.text or "").strip()
                continue
            tag = child.tag.removeprefix(SVG)
            if tag in ("defs", "clipPath", "style", "title", "desc"):
                continue
            inner = scale * _scale(child.get("transform", ""))
            if tag == "text":
                size = child.get("font-size")
                match = _FONT_SIZE.search(child.get("style", ""))
                if match:
                    size = float(match.group(1)) * (4 / 3 if match.group(2) == "pt" else 1.0)
                if size is not None:
                    words = "".join(child.itertext()).strip()
                    found.append(TextSize(float(size) * inner, words))
                continue
            if tag == "use" and (child.get(XLINK_HREF) or child.get("href", "")).startswith("#"):
                # a glyph: the group around it has scale(s -s) with s = size / FONT_SCALE; the
                # glyph's own scale (mathtext's scripts at 0.7) is left out, as a formula's
                # size is that of its text, exponents included, in print as here
                found.append(TextSize(FONT_SCALE * scale, label))
                continue
            walk(child, inner)

    walk(root, 1.0)
    # markers are <use> of a path too, but never inside a scaled text group: a glyph group
    # scales by size / 100, far below 1, so anything at 1 is a marker, not text
    return [t for t in found if t.size < 0.5 * FONT_SCALE]


def user_unit_in_css_px(svg: str) -> float:
    """CSS pixels per user unit when the SVG is drawn at its own width."""
    root = ET.fromstring(svg)
    width = root.get("width", "")
    match = re.fullmatch(r"\s*([0-9.]+)\s*([a-z%]*)\s*", width)
    view_box = root.get("viewBox")
    if not match or match.group(2) == "%" or not view_box:
        return 1.0
    own_px = float(match.group(1)) * UNITS_IN_PX[match.group(2)]
    return own_px / float(view_box.split()[2])


def natural_width_px(svg: str) -> float:
    """The SVG's own width in CSS pixels (what an ``<img>`` of it is at 100 %)."""
    root = ET.fromstring(svg)
    view_box = root.get("viewBox")
    return float(view_box.split()[2]) * user_unit_in_css_px(svg)


def smallest_text(svg: str) -> TextSize:
    """The smallest text of ``svg`` in CSS pixels at the SVG's own width."""
    sizes = text_sizes(svg)
    if not sizes:
        return TextSize(float("inf"), "")
    unit = user_unit_in_css_px(svg)
    least = min(sizes, key=lambda t: t.size)
    return TextSize(least.size * unit, least.text)


def panels_across(svg: str) -> int:
    """The most panels (matplotlib axes) of ``svg`` that stand side by side in one band.

    A panel is an ``axes_N`` group whose background patch is at least 10 % of the figure
    wide (narrower ones are colour bars); panels whose vertical spans all contain one
    panel's middle stand side by side.
    """
    root = _parse(svg)
    width = float(root.get("viewBox").split()[2])
    boxes = []
    for group in root.iter(f"{SVG}g"):
        if not re.fullmatch(r"axes_\d+", group.get("id", "")):
            continue
        patch = next(
            (g for g in group if g.tag == f"{SVG}g" and g.get("id", "").startswith("patch")),
            None,
        )
        path = patch.find(f"{SVG}path") if patch is not None else None
        if path is None:
            continue
        numbers = [float(v) for v in re.findall(r"-?[0-9.]+(?:e-?[0-9]+)?", path.get("d", ""))]
        xs, ys = numbers[0::2], numbers[1::2]
        if not xs or max(xs) - min(xs) < 0.1 * width:
            continue
        boxes.append((min(ys), max(ys)))
    return max(
        (sum(low <= (top + bottom) / 2 <= high for low, high in boxes) for top, bottom in boxes),
        default=0,
    )
