"""What the Chinese pages call an exercise: its translated title, as its heading does.

sphinx-exercise keeps a copy of each exercise in ``env.sphinx_exercise_registry``, taken
when its directive runs, before Sphinx's ``Locale`` transform has translated the page. It
builds every solution's title from that copy ("Solution to Exercise 4.2 (title)"), and
Sphinx's search index takes those titles too: on the Chinese pages each solution read
"解答 练习 4.2 (The sigmoid's derivative)" under the heading "练习 4.2 (sigmoid 的导数)".

The copy also predates the smart quotes, so the English solutions read "(The sigmoid's
derivative)" under a heading with a curly apostrophe. Once a page is read (every transform
done), this replaces each of its exercises' copies with one of the exercise as the page
has it: translated in the Chinese edition, with its typography in both.
"""

from __future__ import annotations

from docutils import nodes
from sphinx.application import Sphinx
from sphinx_exercise.nodes import exercise_enumerable_node, exercise_node

EXERCISES = (exercise_node, exercise_enumerable_node)


def _keep_translated_exercises(app: Sphinx, doctree: nodes.document) -> None:
    registry = getattr(app.env, "sphinx_exercise_registry", {})
    for node in doctree.findall(lambda n: isinstance(n, EXERCISES)):
        entry = registry.get(node.get("label"))
        if entry is None or entry.get("docname") != app.env.docname:
            continue
        copy = node.deepcopy()  # the post-transforms rebuild the page's node: not that one
        for part in copy.findall():
            part.document = doctree  # not the message's document it was parsed in
        entry["node"] = copy


def setup(app: Sphinx) -> dict:
    # after editions' doctree-read handlers (500), which tie the page's nodes to it
    app.connect("doctree-read", _keep_translated_exercises, priority=600)
    # env_version: a build environment read before this changed what it stores is read anew
    return {"env_version": 2, "parallel_read_safe": True, "parallel_write_safe": True}
