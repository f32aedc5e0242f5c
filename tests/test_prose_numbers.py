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
"""

from __future__ import annotations

import re
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


def prose(source: str) -> str:
    """The chapter's text with code, comments, roles' targets and link targets removed;
    its figures' captions and alt text are part of it."""
    body = source.split("\n---\n", 1)[1] if source.startswith("---") else source
    body = _COMMENT.sub(" ", body)
    kept, fence, header = [], None, None
    for line in body.splitlines():
        match = re.match(r"^(`{3,}|~{3,})(.*)$", line)
        if fence is None and match:
            # a fence opens; prose-bearing directives (admonitions, exercises) keep their body
            is_code = match.group(2).startswith("{code-cell}") or not match.group(2).startswith("{")
            fence = (match.group(1), is_code)
            header = [] if match.group(2).startswith("{code-cell}") else None
            continue
        if fence is not None and line.strip() == fence[0]:
            fence = None
            continue
        if header is not None:
            # a code cell's options: a "---" block at its top, YAML
            if line.strip() == "---":
                if header:
                    kept.extend(_figure_metadata(header[1:]))
                    header = None
                else:
                    header.append(line)
                continue
            if header:
                header.append(line)
                continue
            header = None
        if fence is not None and fence[1]:
            continue
        kept.append(line)
    text = "\n".join(kept)
    # an alt option holds prose; the other options are settings
    text = _ALT_OPTION.sub(r"\1", text)
    for pattern in (_ROLE, _INLINE_CODE, _LINK_TARGET, _OPTION, _LABEL, _VERSION):
        text = pattern.sub(" ", text)
    return text


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
        found.update(n.replace(",", "") for n in _NUMBER.findall(block))
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
