"""The reader's notebook of a translated edition: its prose from the page's gettext catalog.

``reader_notebooks`` converts a chapter's MyST source to plain markdown. In the Chinese
edition that source is still the English one, so before converting it this module swaps each
message for its translation, from the same catalog the Sphinx build uses
(``locale/<language>/LC_MESSAGES/book/<page>.po``), and the converter's own words
("Exercise", "Solutions", ...) for the edition's.

A message is what Sphinx's ``Locale`` transform translates: a paragraph, a heading, a list
item's paragraph, a table cell, a definition's term, a directive's title or caption. Sphinx
reads the source with MyST's markdown-it parser and takes each such block's text, its lines
joined by spaces, as the message; this module runs the same parser, with the build's MyST
settings, over each markdown block the converter sees, and replaces the lines of every block
whose text the catalog translates by the translation (on the block's first line, behind its
list marker, quote sign or indentation). The translation keeps the markup of the English
(roles, glued values, math), so the converter then resolves it as before: a glued value
becomes the same number, a ``{term}`` its Chinese title. Code is no message and stays as it
is; a block the catalog lacks stays in English, as on the page (``editions.FindUntranslated``
reports it).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

#: The converter's own words, by language; ``{}`` fields are filled in by the converter.
WORDS = {
    "en": {
        "exercise": "Exercise",
        "exercise_heading": "{exercise} {number}",
        "titled": "{words} ({title})",
        "solution_heading": "Solution to {exercise}",
        "solution_link": "*[Solution](#solution-{label}) at the end of the notebook.*",
        "solutions": "Solutions",
        "references": "References",
        "figure": "Figure",
        "caption": "{figure}. {caption}",
        "interactive": "*{figure}, interactive on the book's page (its sliders run there): "
        "{caption}*",
    },
    "zh_CN": {
        "exercise": "练习",
        "exercise_heading": "{exercise} {number}",
        "titled": "{words}（{title}）",
        "solution_heading": "{exercise}的解答",
        "solution_link": "*[解答](#solution-{label})在本笔记本的末尾。*",
        "solutions": "解答",
        "references": "参考文献",
        "figure": "图",
        "caption": "{figure} {caption}",
        "interactive": "*{figure}，可在本书网页上交互操作（滑块在网页上才能运行）：{caption}*",
    },
}


def _key(text: str) -> str:
    """A message as the catalog is looked up: its whitespace collapsed."""
    return " ".join(text.split())


class Translation:
    """The messages of one page in one language, and the converter's words in it.

    Parameters
    ----------
    messages : dict of str to str
        Each English message with its translation (empty for the English edition).
    words : dict of str to str
        The converter's own words, one of :data:`WORDS`.
    parse : callable, optional
        MyST's markdown-it parser (``MarkdownIt.parse``); needed only with ``messages``.
    """

    def __init__(
        self,
        messages: dict[str, str] | None = None,
        words: dict[str, str] | None = None,
        parse: Callable | None = None,
    ) -> None:
        self.messages = {_key(k): v for k, v in (messages or {}).items()}
        self.words = words or WORDS["en"]
        self.parse = parse
        self.used: set[str] = set()  # the messages translated, for the tests

    def message(self, text: str) -> str:
        """``text`` translated if it is a message of the catalog, else as it is."""
        translation = self.messages.get(_key(text)) if text else None
        if translation is None:
            return text
        self.used.add(_key(text))
        return translation

    def markdown(self, source: str) -> str:
        """A markdown block (no directives) with every translated message replaced."""
        if not self.messages or not source.strip():
            return source
        lines: list[str | None] = list(source.split("\n"))
        cursor: dict[int, int] = {}  # a line's end of the last replacement (table cells)
        for token in self.parse(source):
            if token.type != "inline" or not token.map or not token.content.strip():
                continue
            translation = self.message(token.content)
            if translation == token.content:
                continue
            start, end = token.map[0], max(token.map[1], token.map[0] + 1)
            content = token.content.split("\n")
            first = content[0].strip()
            line = lines[start]
            at = line.find(first, cursor.get(start, 0)) if line is not None else -1
            if at < 0:
                continue  # not where the parser said: leave the English rather than guess
            if len(content) == 1:  # a heading, a cell: keep what follows on the line
                lines[start] = line[:at] + translation + line[at + len(first) :]
                cursor[start] = at + len(translation)
            else:  # a paragraph: the translation on its first line, its other lines gone
                lines[start] = line[:at] + translation
                for index in range(start + 1, min(end, len(lines))):
                    lines[index] = None
        return "\n".join(line for line in lines if line is not None)


def page_translation(app, docname: str) -> Translation:
    """The translation of page ``docname`` for the edition ``app`` builds."""
    from myst_parser.parsers.mdit import create_md_parser
    from sphinx.util.i18n import docname_to_domain

    from editions import LOCALE_DIR, translated_messages

    language = app.config.language or "en"
    if language == "en":
        return Translation()
    domain = docname_to_domain(docname, app.config.gettext_compact)
    po = Path(app.srcdir, LOCALE_DIR, language, "LC_MESSAGES", domain + ".po")
    from markdown_it.renderer import RendererHTML

    parser = create_md_parser(app.env.myst_config, RendererHTML)
    return Translation(translated_messages(po), WORDS.get(language, WORDS["en"]), parser.parse)
