"""Offer each chapter for download as a notebook a reader can open anywhere: run and readable.

sphinx-book-theme's download button offers the ``.ipynb`` that myst-nb wrote before it took
the outputs from the execution cache: no outputs, and the chapter's MyST markup as raw text
(``{exercise}``, ``{solution-start}``, ``{term}``, ``{glue:text}``, ``{literalinclude}``)
that Jupyter does not render, with each solution right under its exercise.

This extension writes, for every page that is a notebook, ``_notebooks/<page>.ipynb``: the
chapter's cells with the outputs of the build's execution cache (jupyter-cache, the same
outputs the page shows), its markup turned into plain markdown, and points the download
button at it. In the markdown cells

- a glued value is replaced by its value, formatted as on the page;
- a glossary term, a cross-reference or a document link becomes its text, an API role
  (``{func}`` ...) inline code, a citation its label (``[Liu20]``), the cited works listed
  under "References" at the end;
- an admonition becomes a block quote with a bold title, an exercise a heading
  ("Exercise 1.2 (title)") followed by its text, a ``{literalinclude}`` the code it includes;
- a figure made by a code cell gets its number and caption in a cell after it;
- MyST targets ``(label)=`` and maintainers' HTML comments are dropped.

Solutions, and the code cells inside them, move to the end under "Solutions", in the order
of their exercises; the code runs in the same order as in the chapter (the exercises come
last in a chapter, so only solution code follows them). Markup the converter does not know
fails the build with its name, so that a new directive cannot slip through as raw text.

In the Chinese edition the notebook's prose is the page's: each message of the source is
swapped for its translation from the page's catalog before the conversion, and the
converter's own words are Chinese (``notebook_translation.py``); code and outputs are the
English notebook's.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable
from pathlib import Path

import nbformat
import yaml
from sphinx.application import Sphinx
from sphinx.errors import ExtensionError

from notebook_translation import Translation, page_translation

FOLDER = "_notebooks"
#: an inline role, ``{name}`content```: group 1 the name, group 3 the content
ROLE = re.compile(r"\{([A-Za-z][\w.:+-]*)\}(`+)(.+?)\2", re.DOTALL)
#: the opening line of a directive fence: ```{name} argument, ::::{name} argument
FENCE = re.compile(r"^(?P<fence>`{3,}|:{3,})\{(?P<name>[\w:-]+)\}\s*(?P<argument>.*)$")
TARGET = re.compile(r"^\(([^()\s]+)\)=\s*$")
COMMENT = re.compile(r"<!--.*?-->\n?", re.DOTALL)
#: roles of Python objects: shown as inline code, like the page does
API_ROLES = {"func", "meth", "class", "mod", "attr", "data", "obj", "exc"}
CALLABLE_ROLES = {"func", "meth"}
ADMONITIONS = {
    "admonition",
    "note",
    "tip",
    "hint",
    "important",
    "warning",
    "caution",
    "attention",
    "danger",
    "error",
    "seealso",
}


class Resolver:
    """What the converter asks the build: glued values, labels, numbers, includes."""

    def __init__(
        self,
        glue: dict[str, str],
        label_text: Callable[[str], str],
        number: Callable[[str, str], str],
        doc_title: Callable[[str], str],
        cite_label: Callable[[str], tuple[str, str]],
        include: Callable[[str, dict], str],
        translation: Translation | None = None,
        figure_format: str = "Fig. %s",
    ) -> None:
        self.glue = glue
        self.label_text = label_text
        self.number = number
        self.doc_title = doc_title
        self.cite_label = cite_label
        self.include = include
        #: the edition's messages and words (English: none, and the English words)
        self.translation = translation or Translation()
        self.words = self.translation.words
        self.figure_format = figure_format  # "Fig. %s", as the edition numbers figures
        self.cited: dict[str, str] = {}  # label -> the formatted entry, in order of citing


def _title_and_target(content: str) -> tuple[str | None, str]:
    """Split a role's ``title <target>`` content."""
    match = re.fullmatch(r"(.*?)\s*<([^<>]+)>", content, re.DOTALL)
    if match and match.group(1):
        return match.group(1), match.group(2)
    return None, content


def convert_role(name: str, content: str, resolver: Resolver) -> str:
    """The plain markdown for one role."""
    from myst_nb.core.variables import format_plain_text

    if name in ("glue:text", "glue", "glue:any"):
        # as myst-nb reads it: the last colon starts the format
        key, _, spec = content.rpartition(":") if ":" in content else (content, "", "")
        if key not in resolver.glue:
            raise ExtensionError(f"reader_notebooks: no glued value {key!r}")
        return format_plain_text(resolver.glue[key], spec)
    if name == "term":
        title, target = _title_and_target(content)
        return title or target
    if name in ("ref", "numref", "doc", "eq"):
        title, target = _title_and_target(content)
        if name == "numref":
            number = resolver.number(target, "figure")
            return (
                (title or resolver.figure_format).replace("%s", number).replace("{number}", number)
            )
        if title:
            return title
        if name == "doc":
            return resolver.doc_title(target)
        return resolver.label_text(target)
    if name == "cite" or name.startswith("cite:"):
        labels = []
        for key in (k.strip() for k in content.split(",")):
            label, entry = resolver.cite_label(key)
            resolver.cited.setdefault(label, entry)
            labels.append(label)
        return "[" + ", ".join(labels) + "]"
    bare = name.split(":")[-1]
    if bare in API_ROLES:
        title, target = _title_and_target(content)
        if title is None:
            target = target.lstrip("!")
            title = target.lstrip("~").split(".")[-1] if target.startswith("~") else target
            if bare in CALLABLE_ROLES and not title.endswith(")"):
                title += "()"
        return f"`{title}`"
    if name == "math":
        return f"${content}$"
    raise ExtensionError(f"reader_notebooks: no plain markdown for the role {{{name}}}")


def convert_inline(text: str, resolver: Resolver) -> str:
    """Text with every role replaced, MyST targets and HTML comments dropped."""
    text = COMMENT.sub("", text)
    text = "\n".join(line for line in text.split("\n") if not TARGET.match(line))
    return ROLE.sub(lambda m: convert_role(m.group(1), m.group(3), resolver), text)


def split_directive(lines: list[str]) -> tuple[dict, list[str]]:
    """A directive's options (``:key: value`` lines or a ``---`` YAML block) and its body."""
    options: dict = {}
    if lines and lines[0].strip() == "---":
        end = lines.index("---", 1)
        options = yaml.safe_load("\n".join(lines[1:end])) or {}
        lines = lines[end + 1 :]
    else:
        option_lines = []
        while lines and re.match(r"^:[\w-]+:", lines[0]):
            option_lines.append(lines.pop(0)[1:].replace(":", ": ", 1))
        if option_lines:
            options = yaml.safe_load("\n".join(option_lines)) or {}
    return options, lines


def blocks(source: str) -> list[tuple[str, object]]:
    """A markdown cell's source as ``("text", str)`` and ``("directive", dict)`` blocks."""
    lines = source.split("\n")
    result: list[tuple[str, object]] = []
    text: list[str] = []
    i = 0
    while i < len(lines):
        match = FENCE.match(lines[i])
        if not match:
            text.append(lines[i])
            i += 1
            continue
        fence = match.group("fence")
        closing = re.compile(rf"^{re.escape(fence[0])}{{{len(fence)},}}\s*$")
        end = i + 1
        while end < len(lines) and not closing.match(lines[end]):
            end += 1
        if end == len(lines):
            raise ExtensionError(f"reader_notebooks: unclosed directive {lines[i]!r}")
        options, body = split_directive(lines[i + 1 : end])
        if text:
            result.append(("text", "\n".join(text)))
            text = []
        result.append(
            (
                "directive",
                {
                    "name": match.group("name"),
                    "argument": match.group("argument").strip(),
                    "options": options,
                    "body": "\n".join(body).strip("\n"),
                },
            )
        )
        i = end + 1
    if text:
        result.append(("text", "\n".join(text)))
    return result


def convert_markdown(source: str, resolver: Resolver) -> str:
    """Markdown with no MyST markup left: directives as plain markdown, roles as text."""
    parts = []
    for kind, block in blocks(source):
        if kind == "text":
            parts.append(convert_inline(resolver.translation.markdown(block), resolver))
        else:
            parts.append(convert_directive(block, resolver))
    return "\n".join(parts)


def quote(text: str) -> str:
    return "\n".join(f"> {line}".rstrip() for line in text.split("\n"))


def convert_directive(block: dict, resolver: Resolver) -> str:
    """The plain markdown for one directive that stays where it is."""
    name, argument, options = block["name"], block["argument"], block["options"]
    body = convert_markdown(block["body"], resolver) if block["body"] else ""
    if name in ADMONITIONS:
        title = resolver.translation.message(argument) if name == "admonition" else ""
        title = title or _admonition_label(name)
        title = convert_inline(title, resolver) if title else ""
        return quote(f"**{title}**\n\n{body}" if title else body) + "\n"
    if name == "literalinclude":
        code = resolver.include(argument, options)
        language = options.get("language", "")
        return f"```{language}\n{code.rstrip()}\n```\n"
    if name in ("code-block", "code", "sourcecode"):
        return f"```{argument}\n{block['body']}\n```\n"
    if name == "math":
        return f"$$\n{block['body']}\n$$\n"
    if name in ("figure", "image"):
        alt = resolver.translation.message(options.get("alt", ""))
        image = f"![{alt}]({argument})"
        return f"{image}\n\n*{body}*\n" if body else image + "\n"
    if name == "glue:figure":
        # a glued interactive figure (a slider widget): its script needs the page, so the
        # notebook gives its number and caption and says where to find it
        label = options.get("name", "")
        number = resolver.number(label, "figure") if label else ""
        words = resolver.words
        heading = words["figure"] + (f" {number}" if number else "")
        return words["interactive"].format(figure=heading, caption=body) + "\n"
    raise ExtensionError(f"reader_notebooks: no plain markdown for the directive {{{name}}}")


def exercise_words(label: str, title: str, resolver: Resolver) -> str:
    """The words that head an exercise on the page: "Exercise 1.2 (title)"."""
    number = resolver.number(label, "exercise") if label else ""
    words = resolver.words
    heading = (
        words["exercise_heading"].format(exercise=words["exercise"], number=number)
        if number
        else words["exercise"]
    )
    return words["titled"].format(words=heading, title=title) if title else heading


def _admonition_label(name: str) -> str:
    """The title Sphinx gives a named admonition ("Note"), in the edition's language."""
    from sphinx.locale import admonitionlabels

    return str(admonitionlabels[name]) if name in admonitionlabels else name.capitalize()


def reader_notebook(notebook, resolver: Resolver, captions: dict[int, str] | None = None):
    """The readable notebook: ``notebook``'s cells converted, solutions gathered at the end.

    ``notebook`` has the chapter's cells with their outputs; ``captions`` maps the index of
    a code cell that draws a numbered figure to the caption shown after it.
    """
    main: list = []
    solutions: list = []
    exercises: dict[str, str] = {}  # label -> title, to head each solution
    target = main
    buffer: list[str] = []

    def flush() -> None:
        text = "\n\n".join(part.strip("\n") for part in buffer if part.strip())
        buffer.clear()
        if text:
            target.append(nbformat.v4.new_markdown_cell(text))

    for index, cell in enumerate(notebook.cells):
        if cell.cell_type != "markdown":
            flush()
            target.append(copy.deepcopy(cell))
            if captions and index in captions:
                caption = convert_inline(captions[index], resolver)
                target.append(nbformat.v4.new_markdown_cell(caption))
            continue
        for kind, block in blocks(cell.source):
            if kind == "text":
                buffer.append(convert_inline(resolver.translation.markdown(block), resolver))
                continue
            name = block["name"]
            if name == "exercise":
                label = block["options"].get("label", "")
                title = convert_inline(resolver.translation.message(block["argument"]), resolver)
                exercises[label] = title
                body = convert_markdown(block["body"], resolver)
                anchor = f'<a id="{label}"></a>\n\n' if label else ""
                link = "\n\n" + resolver.words["solution_link"].format(label=label)
                words = exercise_words(label, title, resolver)
                buffer.append(f"### {words}\n{anchor}{body}{link if label else ''}")
            elif name in ("solution-start", "solution"):
                flush()
                label = block["argument"]
                if label not in exercises:
                    raise ExtensionError(f"reader_notebooks: solution to unknown {label!r}")
                target = solutions
                words = exercise_words(label, exercises[label], resolver)
                heading = resolver.words["solution_heading"].format(exercise=words)
                buffer.append(f'### {heading}\n<a id="solution-{label}"></a>')
                if name == "solution":
                    buffer.append(convert_markdown(block["body"], resolver))
                    flush()
                    target = main
            elif name == "solution-end":
                flush()
                target = main
            else:
                buffer.append(convert_directive(block, resolver))
        flush()
    cells = list(main)
    if solutions:
        cells.append(nbformat.v4.new_markdown_cell(f"## {resolver.words['solutions']}"))
        cells.extend(solutions)
    if resolver.cited:
        entries = "\n".join(f"- [{label}] {entry}" for label, entry in resolver.cited.items())
        heading = resolver.words["references"]
        cells.append(nbformat.v4.new_markdown_cell(f"## {heading}\n\n{entries}"))
    metadata = {
        key: notebook.metadata[key]
        for key in ("kernelspec", "language_info")
        if key in notebook.metadata
    }
    for number, cell in enumerate(cells):  # ids that do not change from build to build
        cell["id"] = f"cell-{number}"
    return nbformat.v4.new_notebook(cells=cells, metadata=metadata)


# --- the build's side: executed cells, glued values, labels, numbers ---------------------


def executed_notebook(app: Sphinx, docname: str):
    """The chapter as myst-nb reads it, with the outputs of the execution cache."""
    from jupyter_cache import get_cache
    from myst_nb.core.read import create_nb_reader

    env = app.env
    config = env.mystnb_config
    path = str(env.doc2path(docname))
    content = Path(path).read_text(encoding="utf-8")
    reader = create_nb_reader(path, env.myst_config, config, content)
    if reader is None:
        return None
    notebook = reader.read(content)
    if config.execution_mode != "cache":
        return notebook
    cache = get_cache(config.execution_cache_path or ".jupyter_cache")
    try:
        _, executed = cache.merge_match_into_notebook(notebook)
    except KeyError as error:
        raise ExtensionError(f"reader_notebooks: {docname} is not in the cache") from error
    return executed


def glue_values(notebook) -> dict[str, str]:
    """Each glued key's ``text/plain``; glue-only outputs removed, as the page does."""
    values = {}
    for cell in notebook.cells:
        if cell.cell_type != "code":
            continue
        kept = []
        for output in cell.get("outputs", []):
            scrapbook = output.get("metadata", {}).get("scrapbook")
            if scrapbook is None:
                kept.append(output)
                continue
            prefix = scrapbook.get("mime_prefix", "")
            data = {k[len(prefix) :]: v for k, v in output.get("data", {}).items()}
            values[scrapbook["name"]] = data.get("text/plain", "")
            if not prefix:
                kept.append(output)
        cell.outputs = kept
    return values


def _resolver(
    app: Sphinx, docname: str, glue: dict[str, str], translation: Translation
) -> Resolver:
    from sphinx.directives.code import LiteralIncludeReader

    env = app.env
    labels = env.domaindata["std"]["labels"]
    exercises = getattr(env, "sphinx_exercise_registry", {})

    def number(label: str, kind: str) -> str:
        owner = labels.get(label, (docname,))[0]
        if kind == "exercise" and label in exercises:
            owner = exercises[label]["docname"]
        found = env.toc_fignumbers.get(owner, {}).get(kind, {}).get(label)
        if found is None:
            raise ExtensionError(f"reader_notebooks: no {kind} number for {label!r}")
        return ".".join(map(str, found))

    def label_text(label: str) -> str:
        if label in exercises and exercises[label]["type"] == "exercise":
            node = exercises[label]["node"]
            subtitles = [
                child.astext().strip()
                for child in (node.children[0].children if node.children else [])
                if type(child).__name__ == "exercise_subtitle"
            ]
            # the registry keeps the English title (the page's reference shows it too)
            title = translation.message(subtitles[0]) if subtitles else ""
            words = translation.words["exercise_heading"].format(
                exercise=translation.words["exercise"], number=number(label, "exercise")
            )
            return translation.words["titled"].format(words=words, title=title) if title else words
        if label not in labels:
            raise ExtensionError(f"reader_notebooks: unknown label {label!r}")
        return labels[label][2]

    def doc_title(target: str) -> str:
        other = str(Path(docname).parent / target) if not target.startswith("/") else target
        other = str(Path(other.lstrip("/"))).removesuffix(".md")
        return env.titles[other].astext()

    def cite_label(key: str) -> tuple[str, str]:
        domain = env.get_domain("cite")
        for citation in domain.citations:
            if citation.key == key:
                entry = citation.formatted_entry
                # plain text: pybtex's markdown escapes every full stop; the bibliography
                # writes a URL field as \url{...}, which is no markup in a notebook
                text = re.sub(r"\\url\s*", "", entry.text.render_as("text"))
                return entry.label, " ".join(text.split())
        raise ExtensionError(f"reader_notebooks: unknown citation {key!r}")

    def include(argument: str, options: dict) -> str:
        path = (Path(env.doc2path(docname)).parent / argument).resolve()
        options = {k: v for k, v in options.items() if k != "language"}
        text, _ = LiteralIncludeReader(str(path), options, app.config).read()
        return text

    return Resolver(
        glue,
        label_text,
        number,
        doc_title,
        cite_label,
        include,
        translation,
        figure_format(app),
    )


def figure_format(app: Sphinx) -> str:
    """How the edition numbers a figure: "Fig. %s", in Chinese "图 %s"."""
    return (app.config.numfig_format or {}).get("figure", "Fig. %s")


def captions(
    app: Sphinx, docname: str, notebook, translation: Translation | None = None
) -> dict[int, str]:
    """The number and caption shown under each figure that a code cell draws."""
    translation = translation or Translation()
    found = {}
    for index, cell in enumerate(notebook.cells):
        figure = cell.get("metadata", {}).get("mystnb", {}).get("figure")
        if cell.cell_type != "code" or not figure or "caption" not in figure:
            continue
        name = figure.get("name")
        numbers = app.env.toc_fignumbers.get(docname, {}).get("figure", {})
        caption = translation.message(" ".join(figure["caption"].split()))
        if name in numbers:
            number = figure_format(app) % ".".join(map(str, numbers[name]))
            caption = translation.words["caption"].format(figure=number, caption=caption)
        anchor = f'<a id="{name}"></a>\n\n' if name else ""
        found[index] = f"{anchor}*{caption}*"
    return found


def write_reader_notebook(app: Sphinx, docname: str) -> Path | None:
    """Write ``_notebooks/<docname>.ipynb`` into the site; return its path."""
    notebook = executed_notebook(app, docname)
    if notebook is None:
        return None
    glue = glue_values(notebook)
    translation = page_translation(app, docname)
    readable = reader_notebook(
        notebook,
        _resolver(app, docname, glue, translation),
        captions(app, docname, notebook, translation),
    )
    nbformat.validate(readable)
    path = Path(app.outdir) / FOLDER / f"{docname}.ipynb"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(nbformat.writes(readable) + "\n", encoding="utf-8")
    return path


def _point_download_button(app: Sphinx, pagename, templatename, context, doctree) -> None:
    if app.builder.format != "html" or not context.get("ipynb_source"):
        return
    if write_reader_notebook(app, pagename) is None:
        return
    url = f"{context['pathto'](FOLDER, 1)}/{pagename}.ipynb"
    for group in context.get("header_buttons", []):
        for button in group.get("buttons", []):
            if button.get("label") == "download-notebook-button":
                button["url"] = url
    # the theme's copy has no outputs and raw markup: do not leave it in the site
    stale = Path(app.outdir) / "_sources" / f"{pagename}.ipynb"
    stale.unlink(missing_ok=True)


def setup(app: Sphinx) -> dict:
    # after sphinx-book-theme (priority 501) has copied its notebook and made the buttons
    app.connect("html-page-context", _point_download_button, priority=502)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
