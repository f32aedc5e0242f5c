"""Numbers in the prose are computed, not typed.

A number that the build computed reaches a sentence through MyST-NB's glue
(``{glue:text}`key:.4f` ``), so prose and output cannot disagree. This test reads every
chapter's prose (what lies outside code cells, inline code, roles' targets, links and
comments) and its figures' captions and alt text (a code cell's ``mystnb:`` figure
metadata, a directive's ``:alt:`` option, a figure directive's body), and fails on any
number with three or more significant digits that is typed. A caption glues like a
sentence; alt text cannot hold a role, so ``book/_ext/glued_alt.py`` pastes the glued value
of a ``{glue:text}`` in it into the page.

A chapter may allow a typed number, with the reason, in a comment of its own:

    <!-- typed: 8097 (visdom's default port), 0.999 (Adam's default beta2) -->

Allow only inputs, defaults quoted from documentation, ports, versions and years: values
that no cell of the chapter computes.

Captions and alt text are held to a stricter rule: a figure is where a reader is told what a
computed curve does, and "about 16 down to about 0.02" is a reading of the output however
few its digits. There any number with a decimal point, an exponent or two or more digits
(``0.02``, ``16``, ``1e-8``, ``10⁻¹¹``) must be glued or allowed in the same comments; only
single digits (``w = 2``, ``layers 1 to 7``) pass unasked.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from conftest import chapters

# What is not prose: code cells (and other fenced blocks), comments, inline code, the targets
# of roles and directives' option lines, link targets and labels.
_FENCE = re.compile(r"^(`{3,}|~{3,}|:{3,}).*?$", re.M)
_COMMENT = re.compile(r"<!--.*?-->", re.S)
_ALLOWED = re.compile(r"<!--\s*typed:(.*?)-->", re.S)
_ROLE = re.compile(r"\{[\w:-]+\}`[^`]*`")
_INLINE_CODE = re.compile(r"``.*?``|`[^`\n]*`")
_LINK_TARGET = re.compile(r"\]\([^)]*\)")
_OPTION = re.compile(r"^:[\w-]+:.*$", re.M)
_ALT_OPTION = re.compile(r"^:alt:(.*)$", re.M)
_LABEL = re.compile(r"^\([\w-]+\)=$", re.M)
# A number: digits with optional thousands separators and decimals, optional exponent.
_NUMBER = re.compile(
    r"(?<![\w.])[-−]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?:[eE][-+−]?\d+)?(?![\w.]*\d)"
)
_VERSION = re.compile(r"\b\d+\.\d+\.\d+\b")
# In captions and alt text a number may carry a superscript exponent: 10⁻¹¹.
_FIGURE_NUMBER = re.compile(
    r"(?<![\w.])[-−]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?:[eE][-+−]?\d+|[⁻⁺]?[⁰¹²³⁴⁵⁶⁷⁸⁹]+)?"
    r"(?![\w.]*\d)"
)
_FIGURE_FENCE = re.compile(r"^(`{3,}|~{3,})\{(?:glue:)?figure\}")


def _figure_metadata(header: list[str]) -> list[str]:
    """The captions and alt text in a code cell's ``---`` options (``mystnb: figure:
    caption:`` and ``mystnb: image: alt:``)."""
    options = yaml.safe_load("\n".join(header)) or {}
    mystnb = options.get("mystnb", {}) if isinstance(options, dict) else {}
    found = []
    for part, key in (("figure", "caption"), ("image", "alt")):
        value = (mystnb.get(part) or {}).get(key)
        if isinstance(value, str):
            found.append(value)
    return found


def _events(source: str) -> Iterator[tuple[str, object]]:
    """A chapter's body as both scanners read it, comments removed: ``("open", match)`` when
    a fence opens, ``("close", None)`` when it closes, ``("figure", text)`` for each caption
    or alt text in a code cell's ``---`` options (the options themselves are not yielded),
    and ``("line", line)`` for every other line, inside a fence or not."""
    body = source.split("\n---\n", 1)[1] if source.startswith("---") else source
    body = _COMMENT.sub(" ", body)
    fence, header = None, None
    for line in body.splitlines():
        match = re.match(r"^(`{3,}|~{3,})(.*)$", line)
        if fence is None and match:
            fence = match.group(1)
            header = [] if match.group(2).startswith("{code-cell}") else None
            yield "open", match
            continue
        if fence is not None and line.strip() == fence:
            fence = None
            yield "close", None
            continue
        if header is not None:
            # a code cell's options: a "---" block at its top, YAML
            if line.strip() == "---":
                if header:
                    for text in _figure_metadata(header[1:]):
                        yield "figure", text
                    header = None
                else:
                    header.append(line)
                continue
            if header:
                header.append(line)
                continue
            header = None
        yield "line", line


def prose(source: str) -> str:
    """The chapter's text with code, comments, roles' targets and link targets removed;
    its figures' captions and alt text are part of it."""
    kept, in_code = [], False
    for kind, item in _events(source):
        if kind == "open":
            # prose-bearing directives (admonitions, exercises) keep their body
            opener = item.group(2)
            in_code = opener.startswith("{code-cell}") or not opener.startswith("{")
        elif kind == "close":
            in_code = False
        elif kind == "figure" or not in_code:
            kept.append(item)
    text = "\n".join(kept)
    # an alt option holds prose; the other options are settings
    text = _ALT_OPTION.sub(r"\1", text)
    for pattern in (_ROLE, _INLINE_CODE, _LINK_TARGET, _OPTION, _LABEL, _VERSION):
        text = pattern.sub(" ", text)
    return text


def figure_texts(source: str) -> list[str]:
    """The captions and alt text of a chapter's figures: a code cell's ``mystnb:`` figure
    caption and image alt, any directive's ``:alt:`` option, and the body (the caption) of a
    ``{figure}`` or ``{glue:figure}`` directive."""
    found, caption = [], None
    for kind, item in _events(source):
        if kind == "open":
            caption = [] if _FIGURE_FENCE.match(item.group(0)) else None
        elif kind == "close":
            if caption:
                found.append(" ".join(caption).strip())
            caption = None
        elif kind == "figure":
            found.append(item)
        elif alt := _ALT_OPTION.match(item):
            found.append(alt.group(1).strip())
        elif caption is not None and not _OPTION.match(item):
            caption.append(item)
    return found


def typed_in_figures(source: str) -> list[str]:
    """Numbers in captions and alt text with a decimal point, an exponent or two or more
    digits, and not allowed by the chapter's ``<!-- typed: -->`` comments."""
    allow = allowed(source)
    typed = []
    for text in figure_texts(source):
        for pattern in (_ROLE, _INLINE_CODE, _VERSION):
            text = pattern.sub(" ", text)
        for n in _FIGURE_NUMBER.findall(text):
            bare = n.lstrip("-−").replace(",", "")
            digits = sum(c.isdigit() for c in bare)
            if ("." in bare or digits >= 2) and bare not in allow:
                typed.append(n)
    return typed


def significant_digits(number: str) -> int:
    """How many significant digits a typed number has (trailing zeros of integers don't
    count: 1000 epochs is one digit of information)."""
    mantissa = re.split(r"[eE]", number.lstrip("-−").replace(",", ""))[0]
    if "." in mantissa:
        digits = mantissa.replace(".", "").lstrip("0")
    else:
        digits = mantissa.lstrip("0").rstrip("0")
    return len(digits)


def allowed(source: str) -> set[str]:
    """The numbers a chapter's ``<!-- typed: ... -->`` comments allow."""
    found = set()
    for block in _ALLOWED.findall(source):
        found.update(n.lstrip("-−").replace(",", "") for n in _FIGURE_NUMBER.findall(block))
    return found


def typed_numbers(source: str) -> list[str]:
    """Numbers of three or more significant digits typed in the prose and not allowed."""
    allow = allowed(source)
    return [
        n
        for n in _NUMBER.findall(prose(source))
        if significant_digits(n) >= 3 and n.lstrip("-−").replace(",", "") not in allow
    ]


@pytest.mark.parametrize("chapter", chapters(), ids=lambda p: p.stem)
def test_prose_numbers_are_glued_not_typed(chapter: Path):
    typed = typed_numbers(chapter.read_text(encoding="utf-8"))
    assert not typed, (
        f"book/{chapter.name} types these numbers in its prose, captions or alt text: {typed}. "
        "Glue each computed value from a cell (myst_nb.glue, then {glue:text}`key:format`, "
        "which book/_ext/glued_alt.py pastes into alt text too), or, for an input, "
        "a documented default, a port or a year, allow it with the reason in a comment: "
        "<!-- typed: 8097 (visdom's default port) -->"
    )


@pytest.mark.parametrize("chapter", chapters(), ids=lambda p: p.stem)
def test_figure_numbers_are_glued_not_typed(chapter: Path):
    typed = typed_in_figures(chapter.read_text(encoding="utf-8"))
    assert not typed, (
        f"book/{chapter.name} types these numbers in its figures' captions or alt text: "
        f"{typed}. There even a rough reading (about 0.02, step 160) of a computed result "
        "is glued: {glue:text}`key:.2g` (book/_ext/glued_alt.py pastes it into alt text). "
        "An input the code sets (a rate, a start, a number of steps) or an exact value the "
        "text derives is allowed with its reason: <!-- typed: 0.05 (the learning rate) -->"
    )


_ALT_CELL = "```{{code-cell}} ipython3\n---\nmystnb:\n  image:\n    alt: {}\n---\nx = 1\n```"


@pytest.mark.parametrize(
    "text, expected",
    [
        (_ALT_CELL.format("a loss from about 16 down to about 0.02"), ["16", "0.02"]),
        (
            _ALT_CELL.format("it jumps up around step 160, to 10⁻¹¹ or 1e-8"),
            ["160", "10⁻¹¹", "1e-8"],
        ),
        (_ALT_CELL.format("layers 1 to 7, w = 2, from about {glue:text}`low:.2g`"), []),
        # an input allowed in the chapter's comment passes; the same number unallowed fails
        (
            _ALT_CELL.format("at rate 0.05 for 300 steps") + "\n<!-- typed: 0.05 (input) -->",
            ["300"],
        ),
        (_ALT_CELL.format("at rate 0.05, from -1.5") + "<!-- typed: 0.05, 1.5 (inputs) -->", []),
        # a figure directive's caption and alt option; its width is no caption
        ("```{figure} f.svg\n:alt: near 0.18\n:width: 480\n\nIt peaks at 42.\n```", ["0.18", "42"]),
        ("```{glue:figure} key\n:alt: x\n\nThe first 20 steps.\n```", ["20"]),
        # prose outside figures keeps the looser rule
        ("the loss falls to about 0.02 in 16 steps", []),
    ],
)
def test_the_figure_scanner_is_stricter(text, expected):
    assert typed_in_figures(text) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("the cost is 4.667 at w = 1", ["4.667"]),
        ("after 100 epochs, with rate 0.01 and 1,448 inputs", ["1,448"]),
        ("the floor is 7.5e-4 here", []),  # two significant digits
        ("the floor is 7.52e-4 here", ["7.52e-4"]),
        ("glued: {glue:text}`floor:.3e` and `x = 123.4` in code", []),
        ("```{code-cell} ipython3\nprint(123.456)\n```\nthe rate 3/14", []),
        ("$w_{100} = 1.99994$", ["1.99994"]),
        ("torch 2.13.0 and port 8097 <!-- typed: 8097 (visdom's port) -->", []),
        ("```{exercise} Title\nShow that 0.2143 is the limit.\n```", ["0.2143"]),
        # a code cell's figure caption and alt text are prose; its other options are not
        (
            "```{code-cell} ipython3\n---\nmystnb:\n  figure:\n    caption: b is 6.881,"
            "\n      n is {glue:text}`n:.4g`\n    name: fig-x-123\n  image:\n"
            "    alt: o = 0.7071 at the bottom\n    width: 640\n---\nb = 6.881\n```",
            ["6.881", "0.7071"],
        ),
        ("```{code-cell} ipython3\n:tags: [remove-cell]\n\nassert b == 6.881\n```", []),
        # a directive's alt option and its caption (the body) are prose; its width is not
        (
            "```{figure} fig.svg\n:alt: a peak of 12.34\n:width: 480\n\nIt ends at 0.02345.\n```",
            ["12.34", "0.02345"],
        ),
        ("```{glue:figure} key\n:alt: the loss {glue:text}`loss:.3f`\n\nCaption.\n```", []),
    ],
)
def test_the_scanner_finds_typed_numbers(text, expected):
    assert typed_numbers(text) == expected
