"""Glued numbers in alt text: book/_ext/glued_alt.py pastes them like the glue role would.

In a build, a key the page did not glue is a warning, so the strict build fails; here, the
pasting itself.
"""

from __future__ import annotations

import sys

from conftest import ROOT

sys.path.insert(0, str(ROOT / "book" / "_ext"))
import glued_alt  # noqa: E402

GLUE = {
    "b": {"data": {"text/plain": "6.881373587019543"}},
    "steps": {"data": {"text/plain": "500"}},
    "grad": {"data": {"text/plain": "-0.048981234"}},
}


def test_each_role_becomes_its_formatted_value():
    alt = "b = {glue:text}`b:.4g` after {glue:text}`steps:d` steps; x: {glue:text}`grad:.4g`."
    assert glued_alt.paste(alt, GLUE) == ("b = 6.881 after 500 steps; x: -0.04898.", [])


def test_alt_text_without_roles_is_unchanged():
    assert glued_alt.paste("A falling curve near 0.5.", GLUE) == ("A falling curve near 0.5.", [])


def test_a_key_the_page_did_not_glue_is_reported_and_left_visible():
    pasted, missing = glued_alt.paste("n = {glue:text}`n:.4g`", GLUE)
    assert missing == ["n"]
    assert pasted == "n = {glue:text}`n:.4g`"
