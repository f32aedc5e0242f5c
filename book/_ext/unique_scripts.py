"""Give each page every script once: Sphinx 7 writes some inline scripts twice.

An extension that adds an inline script (``app.add_js_file(None, body=...)``) after the HTML
builder started gets it written twice into every page: Sphinx 7 hands the builder the script
once with the file name ``None`` and once, from its registry, with ``''``, and does not see
that the two are the same (fixed in Sphinx 8.2, sphinx-doc/sphinx#13402, out of reach while
Jupyter Book 1 requires Sphinx 7). sphinx-thebe's configuration is such a script; its second
copy declares ``const THEBE_JS_URL`` again, which is a ``SyntaxError`` in the reader's
console on every page. This extension drops the second copy of any script from the page.
"""

from __future__ import annotations

from sphinx.application import Sphinx


def script_key(script) -> tuple:
    """What makes two of Sphinx's script entries the same script on the page."""
    attributes = getattr(script, "attributes", {})
    return (
        getattr(script, "filename", script) or "",
        getattr(script, "priority", 500),
        tuple(sorted((str(k), str(v)) for k, v in attributes.items())),
    )


def unique(scripts: list) -> list:
    """``scripts`` in their order, each kept at its first appearance only."""
    seen: set[tuple] = set()
    kept = []
    for script in scripts:
        key = script_key(script)
        if key not in seen:
            seen.add(key)
            kept.append(script)
    return kept


def _drop_repeated_scripts(app: Sphinx, pagename, templatename, context, doctree) -> None:
    scripts = context.get("script_files")
    if isinstance(scripts, list):
        scripts[:] = unique(scripts)


def setup(app: Sphinx) -> dict:
    # after the other extensions have added their page scripts (default priority is 500)
    app.connect("html-page-context", _drop_repeated_scripts, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
