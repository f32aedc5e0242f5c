"""The notebook behind each chapter's download button: executed, plain markdown, solutions apart.

The built site's notebooks (``book/_ext/reader_notebooks.py``) are checked by following the
button's link on each chapter page; the converter's rules are checked on small sources.
"""

from __future__ import annotations

import re
import sys
from urllib.parse import urljoin

import pytest

from conftest import ROOT
from test_book import EXPECTED, chapter_page, normalised

sys.path.insert(0, str(ROOT / "book" / "_ext"))
import reader_notebooks  # noqa: E402

#: MyST that Jupyter shows as raw text: a role, a directive fence, a target
MYST_ROLE = re.compile(r"\{[A-Za-z][\w.:+-]*\}`")
MYST_FENCE = re.compile(r"^\s*(`{3,}|:{3,})\{", re.MULTILINE)
MYST_TARGET = re.compile(r"^\([^()\s]+\)=\s*$", re.MULTILINE)
DOWNLOAD = re.compile(r'<a href="([^"]+\.ipynb)"[^>]*\bbtn-download-notebook-button\b')


def downloaded(built, name: str):
    """The notebook the chapter page's download button links to, read and validated."""
    import nbformat

    page = chapter_page(built, name)
    links = DOWNLOAD.findall(page.read_text(encoding="utf-8"))
    assert len(links) == 1, f"{name}: {len(links)} notebook download links"
    target = built / urljoin(f"{page.relative_to(built).as_posix()}", links[0])
    assert target.resolve().is_relative_to(built.resolve()) and target.is_file(), links[0]
    notebook = nbformat.read(target, as_version=4)
    nbformat.validate(notebook)
    return notebook


def output_text(notebook) -> str:
    """Everything the notebook's outputs print or show as text."""
    texts = []
    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            if output.output_type == "stream":
                texts.append(output.text)
            elif output.output_type == "error":
                texts.append(f"{output.ename}: {output.evalue}")
            else:
                texts.append(output.get("data", {}).get("text/plain", ""))
    return normalised("\n".join(texts))


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_download_button_gives_the_executed_chapter_in_plain_markdown(built_book, name):
    import jupytext

    notebook = downloaded(built_book, name)
    source = jupytext.read(ROOT / "book" / f"{name}.md")
    assert notebook.metadata["kernelspec"]["name"] == "python3"

    # the chapter's code, in the order it runs (test_binder runs it)
    def code(nb):
        return [c.source.strip() for c in nb.cells if c.cell_type == "code"]

    assert code(notebook) == code(source)

    # executed: the page's figures and the values the page shows
    images = [
        output
        for cell in notebook.cells
        for output in cell.get("outputs", [])
        if "image/svg+xml" in output.get("data", {})
    ]
    assert images, f"{name}: no SVG figure among the outputs"
    text = output_text(notebook)
    for expected in EXPECTED[name]:
        assert normalised(expected) in text, f"{name}: {expected!r} not in the outputs"

    # no MyST markup left for Jupyter to show as raw text
    for cell in notebook.cells:
        if cell.cell_type != "markdown":
            continue
        for pattern in (MYST_ROLE, MYST_FENCE, MYST_TARGET):
            found = pattern.search(cell.source)
            assert found is None, f"{name}: MyST left in markdown: {found.group(0)!r}"

    # a reference to an exercise names it as its heading does, "Exercise 8.1 (title)"
    titles = {
        title.strip()
        for chapter in (ROOT / "book").glob("*.md")
        for title in re.findall(r"^```\{exercise\}(.*)$", chapter.read_text(), re.M)
    }
    markdown = "\n".join(c.source for c in notebook.cells if c.cell_type == "markdown")
    for title in re.findall(r"Exercise \d+\.\d+ \(([^()]*(?:\([^()]*\))?[^()]*)\)", markdown):
        title = title.replace("\u2019", "'")  # the page's typography (sigmoid’s), as typed
        assert title in titles, f"{name}: a reference names no exercise: {title!r}"

    # every exercise a heading, every solution after the last exercise, under "Solutions"
    headings = [
        (index, line)
        for index, cell in enumerate(notebook.cells)
        if cell.cell_type == "markdown"
        for line in cell.source.splitlines()
        if line.startswith("#")
    ]
    exercises = [i for i, line in headings if re.match(r"### Exercise \d", line)]
    solutions = [i for i, line in headings if line.startswith("### Solution to Exercise")]
    (gathered,) = [i for i, line in headings if line == "## Solutions"]
    count = len(re.findall(r"^```\{exercise\}", (ROOT / "book" / f"{name}.md").read_text(), re.M))
    assert len(exercises) == len(solutions) == count >= 3
    assert max(exercises) < gathered < min(solutions)


def test_the_theme_s_notebook_without_outputs_is_not_offered(built_book):
    stale = sorted((built_book / "_sources").rglob("*.ipynb"))
    assert not stale, f"notebooks without outputs left in the site: {stale}"


# --- the converter on small sources -----------------------------------------------------


def resolver() -> reader_notebooks.Resolver:
    return reader_notebooks.Resolver(
        glue={"rate": "0.21428571428571427", "count": "26163", "word": "'ok'"},
        label_text={"ch-sgd": "Stochastic gradient descent"}.__getitem__,
        number=lambda label, kind: {"ch1-ex-a": "1.1", "ch1-ex-b": "1.2", "fig-x": "1.3"}[label],
        doc_title={"glossary": "Glossary"}.__getitem__,
        cite_label=lambda key: ("Liu20", "Hongpu Liu. The course. 2020."),
        include=lambda path, options: f"# {path} {options['pyobject']}\n",
    )


def notebook(*cells):
    import nbformat

    return nbformat.v4.new_notebook(
        cells=[
            nbformat.v4.new_code_cell(c[5:])
            if c.startswith("code:")
            else nbformat.v4.new_markdown_cell(c)
            for c in cells
        ]
    )


def test_roles_become_their_text_and_glued_values_their_formatted_value():
    r = resolver()
    text = reader_notebooks.convert_inline(
        "(sec-x)=\n## Rates\n<!-- typed: 3 -->\nA {term}`gradient <gradient descent>` at "
        "{glue:text}`rate:.4f` ({glue:text}`count:,d` steps, {glue:text}`word`), see "
        "{ref}`ch-sgd`, {ref}`the glossary <glossary>`, {numref}`fig-x`, "
        "{func}`~dlpractice.descent.gradient_descent`, {class}`dlpractice.monitor.Monitor`, "
        "{doc}`glossary` and {cite}`liu2020course`.",
        r,
    )
    assert text == (
        "## Rates\nA gradient at 0.2143 (26,163 steps, ok), see Stochastic gradient descent, "
        "the glossary, Fig. 1.3, `gradient_descent()`, `dlpractice.monitor.Monitor`, "
        "Glossary and [Liu20]."
    )
    assert r.cited == {"Liu20": "Hongpu Liu. The course. 2020."}


def test_exercises_become_headings_and_solutions_move_to_the_end_with_their_code():
    source = notebook(
        ":::{admonition} In this chapter\n:class: tip\n\n- one {term}`cost`\n:::\n\nText.",
        "code:x = 1",
        "```{exercise} First\n:label: ch1-ex-a\n\nDo {glue:text}`count`.\n```\n\n"
        "````{solution-start} ch1-ex-a\n:class: dropdown\n````\n\nBecause.",
        "code:print(x)",
        "````{solution-end}\n````\n\n```{exercise} Second\n:label: ch1-ex-b\n\nAgain.\n```"
        "\n\n````{solution} ch1-ex-b\n:class: dropdown\n\nSee:\n\n"
        "```{literalinclude} ../code/m.py\n:pyobject: f\n:language: python\n```\n````",
        "## Summary\n\nDone.",
    )
    converted = reader_notebooks.reader_notebook(source, resolver())
    cells = [(c.cell_type, c.source) for c in converted.cells]
    assert cells == [
        ("markdown", "> **In this chapter**\n>\n> - one cost\n\nText."),
        ("code", "x = 1"),
        (
            "markdown",
            '### Exercise 1.1 (First)\n<a id="ch1-ex-a"></a>\n\nDo 26163.\n\n'
            "*[Solution](#solution-ch1-ex-a) at the end of the notebook.*",
        ),
        (
            "markdown",
            '### Exercise 1.2 (Second)\n<a id="ch1-ex-b"></a>\n\nAgain.\n\n'
            "*[Solution](#solution-ch1-ex-b) at the end of the notebook.*",
        ),
        ("markdown", "## Summary\n\nDone."),
        ("markdown", "## Solutions"),
        (
            "markdown",
            '### Solution to Exercise 1.1 (First)\n<a id="solution-ch1-ex-a"></a>\n\nBecause.',
        ),
        ("code", "print(x)"),
        (
            "markdown",
            '### Solution to Exercise 1.2 (Second)\n<a id="solution-ch1-ex-b"></a>\n\n'
            "See:\n\n```python\n# ../code/m.py f\n```",
        ),
    ]
    import nbformat

    nbformat.validate(converted)


def test_markup_it_cannot_convert_fails_the_build_by_name():
    from sphinx.errors import ExtensionError

    with pytest.raises(ExtensionError, match=r"\{tab-set\}"):
        reader_notebooks.reader_notebook(notebook("```{tab-set}\nx\n```"), resolver())
    with pytest.raises(ExtensionError, match=r"\{sup\}"):
        reader_notebooks.convert_inline("x{sup}`2`", resolver())
    with pytest.raises(ExtensionError, match="no glued value 'missing'"):
        reader_notebooks.convert_inline("{glue:text}`missing:.2f`", resolver())


def test_a_glued_interactive_figure_keeps_its_number_and_caption():
    source = (
        "```{glue:figure} explorer\n:name: fig-x\n\nSteps at the rate {glue:text}`rate:.2f`.\n```"
    )
    converted = reader_notebooks.reader_notebook(notebook(source), resolver())
    text = converted.cells[0].source
    assert text.startswith("*Figure 1.3, interactive on the book's page")
    assert "Steps at the rate 0.21." in text
    assert "{" not in text


# --- the Chinese edition's notebooks ------------------------------------------------------

import notebook_translation  # noqa: E402

ZH_PO = ROOT / "locale" / "zh_CN" / "LC_MESSAGES" / "book"


def myst_parse():
    """MyST's markdown-it parser, with the book's extensions (as Sphinx reads the pages)."""
    from markdown_it.renderer import RendererHTML
    from myst_parser.config.main import MdParserConfig
    from myst_parser.parsers.mdit import create_md_parser

    extensions = {"colon_fence", "deflist", "dollarmath", "amsmath"}
    return create_md_parser(MdParserConfig(enable_extensions=extensions), RendererHTML).parse


def test_a_translation_replaces_each_message_where_sphinx_finds_it():
    parse = myst_parse()
    translation = notebook_translation.Translation(
        {
            "Rates": "学习率",
            "A {term}`rate <learning rate>` of {glue:text}`rate:.2f` here.": "此处的"
            "{term}`学习率<learning rate>`为 {glue:text}`rate:.2f`。",
            "one item that wraps": "一个换行的条目",
            "cell": "单元格",
            "ce": "不该替换",
        },
        notebook_translation.WORDS["zh_CN"],
        parse,
    )
    source = (
        "## Rates\n\nA {term}`rate <learning rate>` of\n{glue:text}`rate:.2f` here.\n\n"
        "- one item\n  that wraps\n- untranslated\n\n$$\nx = 1\n$$\n\n"
        "| ce | cell |\n| --- | --- |\n| cell | x |\n"
    )
    assert translation.markdown(source) == (
        "## 学习率\n\n此处的{term}`学习率<learning rate>`为 {glue:text}`rate:.2f`。\n\n"
        "- 一个换行的条目\n- untranslated\n\n$$\nx = 1\n$$\n\n"
        "| 不该替换 | 单元格 |\n| --- | --- |\n| 单元格 | x |\n"
    )
    # the glued value and the term of the translation then resolve as in English
    r = resolver()
    r.translation = translation
    text = reader_notebooks.convert_inline(translation.markdown(source), r)
    assert "此处的学习率为 0.21。" in text


def test_a_chinese_notebook_heads_exercises_and_solutions_in_chinese():
    source = notebook(
        "```{exercise} First\n:label: ch1-ex-a\n\nDo it.\n```\n\n"
        "````{solution} ch1-ex-a\n:class: dropdown\n\nDone.\n````",
        "```{glue:figure} explorer\n:name: fig-x\n\nSteps.\n```",
    )
    r = resolver()
    r.translation = notebook_translation.Translation(
        {"First": "第一题", "Do it.": "做吧。", "Done.": "做完了。", "Steps.": "步。"},
        notebook_translation.WORDS["zh_CN"],
        myst_parse(),
    )
    r.words = r.translation.words
    cells = [c.source for c in reader_notebooks.reader_notebook(source, r).cells]
    assert cells == [
        '### 练习 1.1（第一题）\n<a id="ch1-ex-a"></a>\n\n做吧。\n\n'
        "*[解答](#solution-ch1-ex-a)在本笔记本的末尾。*",
        "*图 1.3，可在本书网页上交互操作（滑块在网页上才能运行）：步。*",
        "## 解答",
        '### 练习 1.1（第一题）的解答\n<a id="solution-ch1-ex-a"></a>\n\n做完了。',
    ]


@pytest.mark.parametrize("name", ["01_linear_model", "02_gradient_descent", "04_backpropagation"])
def test_the_chinese_edition_s_notebook_has_the_chinese_prose(built_book, name):
    import html

    from babel.messages.pofile import read_po

    english = downloaded(built_book, name)
    chinese = downloaded(built_book / "zh", name)

    # code and outputs are the same notebook's
    def code(nb):
        return [(c.source, c.get("outputs")) for c in nb.cells if c.cell_type == "code"]

    assert code(chinese) == code(english), f"{name}: the Chinese notebook's code differs"

    def markdown(nb):
        return normalised("\n".join(c.source for c in nb.cells if c.cell_type == "markdown"))

    english_text, chinese_text = markdown(english), markdown(chinese)
    # every message that reaches the English notebook word for word (no markup to resolve)
    # is there in Chinese, and its English is gone
    with (ZH_PO / f"{name}.po").open("rb") as file:
        messages = [m for m in read_po(file) if m.id and m.string and not m.fuzzy]
    shown = [
        m
        for m in messages
        if re.search("[\u4e00-\u9fff]", m.string)  # not a formula the same in both
        and len(m.id) > 12
        and normalised(m.id) in english_text
    ]
    assert len(shown) >= 20, f"{name}: only {len(shown)} plain messages to compare"
    for message in shown:
        assert normalised(message.string) in chinese_text, (
            f"{name}: the Chinese notebook lacks {message.string[:60]!r}"
        )
        assert normalised(message.id) not in chinese_text, (
            f"{name}: the Chinese notebook keeps the English {message.id[:60]!r}"
        )

    # every number glued into the Chinese page is in its notebook's prose
    page = (built_book / "zh" / "book" / f"{name}.html").read_text(encoding="utf-8")
    glued = {html.unescape(v) for v in re.findall(r'class="pasted-text">([^<]*)<', page)}
    assert glued, f"{name}: no glued values on the page"
    missing = sorted(v for v in glued if normalised(v) not in chinese_text)
    assert not missing, f"{name}: glued values missing from the Chinese notebook: {missing}"

    # the converter's own headings in Chinese
    assert "## 解答" in chinese_text and "### 练习 " in chinese_text
    for english_words in ("Exercise", "Solution to", "at the end of the notebook", "Fig. "):
        assert english_words not in chinese_text, f"{name}: {english_words!r} left in English"
