"""The book's two editions, English and Chinese, built from one set of sources.

The Chinese edition is not a copy of the chapters: Sphinx's gettext builder extracts every
translatable message of the English sources into message catalogs (one ``.pot`` per page),
``sphinx-intl`` keeps one Chinese catalog per page under ``locale/zh_CN/LC_MESSAGES/``, and a
second build of the same sources with ``language = "zh_CN"`` swaps each message for its
translation. Code cells, their outputs and the figures are shared: the second build is served
from the execution cache the English build filled, and executes nothing.

Run as a script, this module drives those builds (the Makefile calls it)::

    python book/_ext/editions.py gettext     # English sources -> _build/gettext/*.pot
    python book/_ext/editions.py catalogs    # gettext, then update locale/zh_CN/*.po
    python book/_ext/editions.py html zh_CN  # the Chinese edition -> _build/html/zh/

Each builder keeps its own doctree directory: sharing the HTML build's would make the next
HTML build fail ("This environment is incompatible with the selected builder").

As a Sphinx extension (listed in ``_config.yml``), it

- gives every page a link to the same page in the other edition (``language-switch.html``,
  in the article header), and
- lets glued numbers survive translation. myst-nb looks a ``{glue:text}`key``` up in the
  notebook being parsed, but Sphinx parses each translated message as a document of its own,
  which has no notebook, so the number would be dropped with "No key ... found in glue data
  for this document". In such a message the glue roles here qualify the key with the page's
  own path (``/book/02_gradient_descent.md::key``), myst-nb's form for gluing from another
  page, which it resolves after reading from the glue data the page stored. The English
  text keeps the short form.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

from docutils import nodes
from docutils.transforms import Transform
from myst_nb.ext.glue.roles import PasteRoleAny, PasteTextRole
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.transforms import SphinxTransform
from sphinx.util import logging

logger = logging.getLogger(__name__)

ROOT = Path(__file__).resolve().parents[2]
#: language code -> (name of the edition, folder of that edition inside _build/html)
EDITIONS = {"en": ("English", ""), "zh_CN": ("简体中文", "zh")}
#: what the switch shows, short enough for a phone's header
SHORT = {"en": "EN", "zh_CN": "中文"}
#: settings of an edition other than the language: the site's title is not a page message
TITLES = {"zh_CN": "PyTorch 深度学习实践"}
LOCALE_DIR = "locale"
STRICT = {"warningiserror": True, "keep_going": True}
#: how Sphinx names the message of an image's path, which is not translated (its alt text is)
IMAGE = ".. image::"


# --- the language switch ------------------------------------------------------------------


def other_edition_url(pagename: str, language: str) -> tuple[str, str]:
    """Relative URL of ``pagename`` in the other edition, and that edition's label.

    >>> other_edition_url("book/01_linear_model", "en")
    ('../zh/book/01_linear_model.html', '简体中文')
    >>> other_edition_url("book/01_linear_model", "zh_CN")
    ('../../book/01_linear_model.html', 'English')
    >>> other_edition_url("search", "en")
    ('zh/search.html', '简体中文')
    """
    if language not in EDITIONS:
        raise ValueError(f"language: expected one of {sorted(EDITIONS)}, got {language!r}")
    up = "../" * pagename.count("/")
    if language == "en":
        label, folder = EDITIONS["zh_CN"]
        return f"{up}{folder}/{pagename}.html", label
    label, _ = EDITIONS["en"]
    return f"{up}../{pagename}.html", label


def _page_context(app: Sphinx, pagename: str, templatename: str, context: dict, doctree):
    language = app.config.language or "en"
    url, label = other_edition_url(pagename, language if language in EDITIONS else "en")
    context["edition_switch_url"] = url
    context["edition_switch_label"] = label
    context["edition_switch_lang"] = "zh-CN" if language == "en" else "en"
    context["edition_switch_short"] = SHORT["zh_CN" if language == "en" else "en"]


# --- glued values inside translated messages ----------------------------------------------


def _glue_data(document: nodes.document) -> dict:
    """The glue data of the notebook behind ``document`` (empty for a translated message,
    which myst-nb parses as a notebook of its own, without code cells)."""
    renderer = document.get("nb_renderer")
    client = getattr(getattr(renderer, "renderer", None), "nb_client", None)
    return getattr(client, "glue_data", None) or {}


def _qualifying(role_class: type) -> type:
    """A glue role that, parsing a translated message, glues from the page's stored data."""

    class Qualifying(role_class):
        def run(self):
            text_role = isinstance(self, PasteTextRole)
            key = self.text.rsplit(":", 1)[0] if text_role else self.text
            if "::" not in key and key not in _glue_data(self.document):
                env = self.document.settings.env
                page = "/" + str(env.doc2path(env.docname, False))
                # "page::key" alone would read as key "page:" with format "key": the text
                # role takes what follows the last colon as the format, so give it one
                spec = "" if not text_role or ":" in self.text else ":s"
                self.text = f"{page}::{self.text}{spec}"
            return super().run()

    Qualifying.__name__ = f"Qualifying{role_class.__name__}"
    return Qualifying


def _install_glue_roles(app: Sphinx) -> None:
    """Swap the glue domain's roles for qualifying ones, in this build's domain only."""
    roles = app.env.get_domain("glue").roles
    roles["text"] = _qualifying(PasteTextRole)()
    for name in ("", "any"):
        roles[name] = _qualifying(PasteRoleAny)()


class TranslateTocCaptions(SphinxTransform):
    """Translate the captions of the book's parts ("Part I: Learning by hand").

    sphinx-external-toc adds the toctrees to the root page (priority 100) after Sphinx's
    ``Locale`` transform (20) has translated the page, so their captions would stay English
    in the navigation. The gettext builder does extract them (from the collected toctrees),
    so the root page's catalog has their translations: apply them here.
    """

    default_priority = 101

    def apply(self, **kwargs) -> None:
        language = self.config.language
        if not language or language == "en":
            return
        from sphinx.locale import init as init_locale
        from sphinx.util.i18n import docname_to_domain

        domain = docname_to_domain(self.env.docname, self.config.gettext_compact)
        dirs = [str(Path(self.env.srcdir, d)) for d in self.config.locale_dirs]
        catalog, found = init_locale(dirs, language, domain)
        if not found:
            return
        for toctree in self.document.findall(addnodes.toctree):
            caption = toctree.get("caption")
            if caption and catalog.gettext(caption) != caption:
                toctree["caption"] = toctree["rawcaption"] = catalog.gettext(caption)


class KeepMathUntranslated(Transform):
    """Display math is notation, the same in both editions: leave it out of the catalogs.

    Runs before Sphinx's ``Locale`` transform (priority 20), so the gettext builder does not
    extract display equations and the Chinese build keeps them as they are.
    """

    default_priority = 10

    def apply(self, **kwargs) -> None:
        for node in self.document.findall(nodes.math_block):
            node["translatable"] = False


class TranslateExerciseTitles(Transform):
    """sphinx-exercise puts an exercise's title in a subtitle node without a source, which
    Sphinx's i18n skips as a "built-in message": give it its directive's source, so its
    title is a message like any heading, and leave out the composite title node around it
    (its text, "Exercise" glued to the title, is not a sentence of the page)."""

    default_priority = 10

    def apply(self, **kwargs) -> None:
        for node in self.document.findall(nodes.subtitle):
            parent = node.parent
            if type(node).__name__ != "exercise_subtitle":
                continue  # a solution's title is sphinx-exercise's own, translated by it
            if node.source is None and parent is not None and parent.source is not None:
                node.source, node.line = parent.source, parent.line
                parent["translatable"] = False


def translated_messages(po: Path) -> dict[str, str]:
    """The messages of catalog ``po`` that have a translation (neither empty nor fuzzy),
    each with its translation."""
    from babel.messages.pofile import read_po

    if not po.is_file():
        return {}
    with po.open("rb") as file:
        return {m.id: m.string for m in read_po(file) if m.id and m.string and not m.fuzzy}


class FindUntranslated(Transform):
    """In a translated edition, note each message of the page that has no translation.

    Runs after Sphinx's ``Locale`` transform, which silently keeps the English of a message
    its catalog lacks (new or changed English text, an empty or fuzzy entry). The messages
    are kept per page and written to ``_build/untranslated-<language>.json`` when the build
    ends; ``tests/test_translations.py`` fails on any, naming page and message, and ``make
    book`` prints how many there are. (Not a build warning: a contributor who writes only
    English still gets the site, with English where the translation is missing.)
    """

    default_priority = 25

    def apply(self, **kwargs) -> None:
        from sphinx.util.i18n import docname_to_domain
        from sphinx.util.nodes import extract_messages

        env = self.document.settings.env
        language = env.config.language
        if not language or language == "en":
            return
        domain = docname_to_domain(env.docname, env.config.gettext_compact)
        po = Path(env.srcdir, LOCALE_DIR, language, "LC_MESSAGES", domain + ".po")
        done = translated_messages(po)
        chinese = set(done.values())  # an image's alt text is its translation by now
        missing = [
            (node.line or 0, msg)
            for node, msg in extract_messages(self.document)
            if msg not in done
            and msg not in chinese
            and not node.get("translated")
            and _page_prose(node, msg)
        ]
        store = env.__dict__.setdefault("editions_untranslated", {})
        store[env.docname] = missing


def _page_prose(node: nodes.Element, msg: str) -> bool:
    """Whether a message is the page's own text, which must be translated: not a figure's
    path, not a docstring (the API reference keeps them in English), not the front
    matter's fields (jupytext's settings), not a text Sphinx or the Locale transform has
    already put in Chinese (a translated alt text, a docstring's "Parameters")."""
    if msg.startswith(IMAGE) or not str(node.source or "").endswith(".md"):
        return False
    if not node.line or not re.search("[A-Za-z]", msg):
        return False  # made by an extension, not written (no line), or already translated
    parent = node
    while parent is not None:
        if isinstance(parent, (nodes.docinfo, nodes.meta)):
            return False
        parent = parent.parent
    return True


def _write_untranslated(app: Sphinx, exception) -> None:
    language = app.config.language
    if exception is not None or not language or language == "en":
        return
    store = getattr(app.env, "editions_untranslated", {})
    found = {doc: found for doc, found in sorted(store.items()) if found}
    path = Path(app.srcdir, "_build", f"untranslated-{language}.json")
    path.write_text(json.dumps(found, ensure_ascii=False, indent=1), encoding="utf-8")
    count = sum(len(v) for v in found.values())
    logger.info(
        f"[editions] {language}: {count} untranslated messages on {len(found)} pages"
        + (" (make translations; tests/test_translations.py lists them)" if count else "")
    )


def _forget_untranslated(app: Sphinx, env, docname: str) -> None:
    env.__dict__.setdefault("editions_untranslated", {}).pop(docname, None)


def _merge_untranslated(app: Sphinx, env, docnames, other) -> None:
    store = env.__dict__.setdefault("editions_untranslated", {})
    store.update({d: v for d, v in other.__dict__.get("editions_untranslated", {}).items()})


def _messages_made_at_read(app: Sphinx, doctree: nodes.document) -> None:
    """Give the gettext builder the messages that post-transforms would hide from it.

    The builder extracts messages from each page's final doctree, in which sphinx-exercise
    has rebuilt every exercise's title and myst-nb has re-placed every figure, without the
    ids it needs: the exercise titles and the figures' alt text would be missing from the
    catalogs (the Chinese build translates them while reading, when they still exist).
    """
    if app.builder.name != "gettext":
        return
    from sphinx.util.i18n import docname_to_domain

    catalog = app.builder.catalogs[docname_to_domain(app.env.docname, app.config.gettext_compact)]
    for node in doctree.findall(nodes.Element):
        if isinstance(node, nodes.subtitle) and node.source is not None:
            message = node.rawsource.replace("\n", " ").strip()
        elif isinstance(node, nodes.image) and node.get("alt"):
            message = node["alt"]
        else:
            continue
        if not hasattr(node, "uid"):
            node.uid = ""  # the builder's own hack for nodes it adds without one (toctrees)
        catalog.add(message, node)


def _forget_message_documents(app: Sphinx, doctree: nodes.document) -> None:
    """Tie every node to its page's document, not to the one its message was parsed in.

    Each translated message is parsed as a document of its own, and the nodes Sphinx moves
    from it into the page keep a reference to it, and through its settings to the whole
    build environment: pickled with the page, that made every Chinese doctree about 3 MB
    larger, and a rebuild with nothing to do took 16 s instead of 5 loading them.
    """
    if app.config.language in (None, "en"):
        return
    for node in doctree.findall():
        if getattr(node, "_document", None) not in (None, doctree):
            node.document = doctree


def _no_untranslated_glue(app: Sphinx, doctree: nodes.document) -> None:
    """A glue role that still failed in a translated message would drop a number: refuse."""
    for node in doctree.findall(nodes.system_message):
        text = node.astext()
        if "glue data" in text:
            logger.warning(f"{app.env.docname}: a glued number is missing: {text}")


def setup(app: Sphinx) -> dict:
    app.add_transform(KeepMathUntranslated)
    app.add_transform(TranslateExerciseTitles)
    app.add_transform(TranslateTocCaptions)
    app.add_transform(FindUntranslated)
    app.connect("env-purge-doc", _forget_untranslated)
    app.connect("env-merge-info", _merge_untranslated)
    app.connect("build-finished", _write_untranslated)
    app.connect("builder-inited", _install_glue_roles)
    app.connect("html-page-context", _page_context)
    app.connect("doctree-read", _no_untranslated_glue)
    app.connect("doctree-read", _messages_made_at_read)
    app.connect("doctree-read", _forget_message_documents)
    return {"parallel_read_safe": True, "parallel_write_safe": True}


# --- the builds ---------------------------------------------------------------------------


def build(
    builder: str, language: str, outdir: Path, doctreedir: Path, fresh=False, strict=True
) -> int:
    """Build the book at ``ROOT`` with ``builder`` and ``language``, strictly, like ``make``."""
    from jupyter_book.sphinx import build_sphinx

    overrides = {
        "external_toc_path": (ROOT / "_toc.yml").as_posix(),
        "latex_individualpages": False,
        "nitpicky": True,
        "language": language,
    }
    if language in TITLES:
        overrides["html_title"] = TITLES[language]
    return build_sphinx(
        ROOT,
        outdir,
        use_external_toc=True,
        noconfig=True,
        path_config=str(ROOT / "_config.yml"),
        confoverrides=overrides,
        builder=builder,
        doctreedir=doctreedir,
        freshenv=fresh,
        **(STRICT if strict else {}),
    )


def gettext() -> int:
    """Extract the English messages into ``_build/gettext`` (one ``.pot`` per page)."""
    # A fresh environment: _messages_made_at_read sees only the pages that are read. Not
    # strict: a warning of the English text is for its strict build (make book) to report.
    doctrees = ROOT / "_build/.doctrees-gettext"
    return build("gettext", "en", ROOT / "_build/gettext", doctrees, fresh=True, strict=False)


def drop_untranslated_kinds(pot: Path) -> int:
    """Remove the messages that are not translated; return how many went.

    They are those that come only from docstrings (the API reference is code: its names,
    signatures and docstrings stay in English in both editions, what the reader types and
    what ``help()`` prints; the page's own prose is translated like any other), and the
    paths of figures (shared by both editions; their alt text is translated).
    """
    from babel.messages.pofile import read_po, write_po

    with pot.open("rb") as file:
        catalog = read_po(file)
    # a docstring's location is "docstring of dlpractice...", a page's "../../book/x.md"
    docstrings = [
        message.id
        for message in catalog
        if message.id
        and (
            not any(path.endswith(".md") for path, _ in message.locations)
            or message.id.startswith(IMAGE)
        )
    ]
    for msgid in docstrings:
        del catalog[msgid]
    with pot.open("wb") as file:
        write_po(file, catalog, width=0)
    return len(docstrings)


def _is_empty(pot: Path) -> bool:
    from babel.messages.pofile import read_po

    with pot.open("rb") as file:
        return not any(message.id for message in read_po(file))


def update_catalogs(language: str = "zh_CN") -> int:
    """Refresh ``locale/<language>/LC_MESSAGES/*.po`` from fresh ``.pot`` files."""
    status = gettext()
    if status:
        return status
    for pot in sorted((ROOT / "_build/gettext").rglob("*.pot")):
        dropped = drop_untranslated_kinds(pot)
        if dropped:
            print(f"{pot.name}: {dropped} messages of docstrings or figure paths left out")
        if _is_empty(pot):  # sphinx.pot, of the theme's templates: nothing to translate,
            pot.unlink()  # and sphinx-intl would leave an empty sphinx.po in locale/
    from click.testing import CliRunner
    from sphinx_intl.commands import main as sphinx_intl

    result = CliRunner().invoke(
        sphinx_intl,
        ["update", "-p", str(ROOT / "_build/gettext"), "-d", str(ROOT / LOCALE_DIR)]
        + ["-l", language, "-w", "0", "--no-obsolete"],
    )
    print(result.output, end="")
    return result.exit_code


def html(language: str) -> int:
    """Build one edition's HTML: English into ``_build/html``, the others in a folder."""
    folder = EDITIONS[language][1]
    outdir = ROOT / "_build/html" / folder
    doctreedir = ROOT / ("_build/.doctrees" if language == "en" else f"_build/.doctrees-{language}")
    return build("html", language, outdir, doctreedir)


def main(argv: list[str]) -> int:
    commands = {"gettext": lambda: gettext(), "catalogs": lambda: update_catalogs()}
    if len(argv) == 2 and argv[0] == "html" and argv[1] in EDITIONS:
        return html(argv[1])
    if len(argv) == 1 and argv[0] in commands:
        return commands[argv[0]]()
    print(__doc__.split("::")[1].split("Each builder")[0], file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
