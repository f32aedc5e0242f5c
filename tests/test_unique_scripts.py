"""Each script once per page: book/_ext/unique_scripts.py."""

from __future__ import annotations

import sys

from sphinx.builders.html._assets import _JavaScript

from conftest import ROOT

sys.path.insert(0, str(ROOT / "book" / "_ext"))

from unique_scripts import unique  # noqa: E402

CONFIG = 'const THEBE_JS_URL = "https://unpkg.com/thebe@0.8.2/lib/index.js"'


def test_an_inline_script_added_under_two_names_is_kept_once():
    # what Sphinx 7 hands the page: the same body once as None, once as ''
    first = _JavaScript(None, body=CONFIG, priority=500)
    second = _JavaScript("", body=CONFIG, priority=500)
    other = _JavaScript("", body="var togglebuttonSelector = '.toggle';", priority=500)
    assert unique([first, other, second]) == [first, other]


def test_distinct_scripts_and_their_order_are_kept():
    scripts = [
        _JavaScript("_static/doctools.js", priority=200),
        _JavaScript("_static/sphinx-thebe.js", priority=500, **{"async": "async"}),
        _JavaScript("_static/sphinx-thebe.js", priority=500),
        _JavaScript(None, body="let a = 1;", priority=500),
        _JavaScript(None, body="let b = 2;", priority=500),
        "_static/plain-string.js",
    ]
    assert unique(scripts) == scripts
