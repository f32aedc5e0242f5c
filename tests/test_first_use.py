"""Each glossary term appears as 中文（English） on its first use in every chapter (issue 15).

The rule, as this test reads it from the Chinese catalogs (no build needed):

- **The terms** are the glossary's: each definition's translation in
  ``locale/zh_CN/LC_MESSAGES/book/glossary.po`` starts with the term's Chinese name(s) and
  "：" (``代价函数，简称代价，也称成本函数：``); every name counts as a use of its term, and
  the English that must follow is the headword (``cost``) or an abbreviation the glossary
  gives in parentheses (``随机梯度下降（SGD）``). A name without Chinese characters (the
  same in both languages, like Adam or ReLU) needs no parentheses. ``Dataset`` is left out:
  its Chinese name 数据集 is also the everyday word for a data set, and the chapters name
  PyTorch's class in code.
- **The chapters** are ``book/NN_*.md`` and ``book/appendix_*.md``; each is checked on its
  own, so a term introduced in chapter 2 is introduced again in chapter 5.
- **The first use** is the first occurrence in the chapter's prose in document order, the
  catalog's messages sorted by their ``#:`` line. Prose is every paragraph, list item,
  table cell, admonition (the opening 本章内容 box included), figure caption, exercise and
  solution. Not prose: headings and titles (the chapter's, its sections', its exercises' and
  admonitions' titles: a title names, the text under it introduces, as in 《动手学深度学习》),
  alt text (heard with the figure, never the reader's first meeting with a term), and the
  non-prose parts of a message: math, code, glued numbers, citations, and the chapter titles
  a ``{ref}`` quotes (“{ref}`ch-sgd`”一章 mentions a title, it does not use its terms).
- **Longest match**: at each position the longest name wins, so 梯度 inside 梯度下降 or
  梯度范数 is not a use of 梯度 (梯度下降 is a use of gradient descent). A few Chinese
  words that contain a name but are not the term (协方差 is not 方差) are listed in
  ``NOT_A_TERM``.
- **Introduced** means the name is followed, after at most a few more characters of the
  same word (动量法, 小批量梯度下降, 收敛率), by a parenthesis （…） whose text contains the
  English, case-, space-, hyphen- and plural-insensitively (``gradients``, ``Back
  propagation``). A ``{term}`` link counts by what it shows: ``{term}`梯度下降（gradient
  descent）<gradient descent>``` introduces the term, ``{term}`梯度下降<gradient descent>```
  does not.

A failure names the chapter, the term, the catalog line and the sentence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml
from babel.messages.pofile import read_po

from conftest import chapters

ROOT = Path(__file__).resolve().parents[1]
BOOK = ROOT / "book"
LOCALE = ROOT / "locale" / "zh_CN" / "LC_MESSAGES" / "book"

#: terms left out, with the reason
UNCHECKED = {"Dataset": "数据集 is also the everyday word for a data set"}
#: words that contain a term's Chinese name without being that term
NOT_A_TERM = ["协方差", "移动量"]
#: other forms of the English the parenthesis may use (a verb, another spelling)
FORMS = {
    "centring": ["centering"],
    "validation set": ["development set"],  # the glossary's English for 开发集
    "leaf tensor": ["leaf"],  # a leaf of our engine's graph is not a tensor
    "convergence": ["converge"],
    "divergence": ["diverge"],
    "saturation": ["saturate"],
    "overfitting": ["overfit"],
    "underfitting": ["underfit"],
    "generalization": ["generalize", "generalise"],
    "normalization": ["normalize", "normalise"],
}

CJK = re.compile(r"[\u4e00-\u9fff]")
#: characters that may continue a name's word before its parenthesis (动量法（momentum）)
WORD_TAIL = r"[\u4e00-\u9fff\-]{0,8}"


def _squash(text: str) -> str:
    return " ".join(text.split())


def _folded(text: str) -> str:
    """English for comparison: lower case, no spaces, hyphens or possessive 's."""
    return re.sub(r"['’]s\b|[\s\-‐\x00\x01]+", "", text.lower())


# --- the glossary's terms ------------------------------------------------------------------


@dataclass(frozen=True)
class Term:
    english: str
    names: tuple[str, ...]
    accepted: tuple[str, ...]  # folded English forms any of which introduces the term


def _glossary_definitions() -> dict[str, str]:
    """Each headword of book/glossary.md with its definition paragraph, as gettext reads it."""
    text = (BOOK / "glossary.md").read_text(encoding="utf-8")
    block = text.split("```{glossary}", 1)[1].split("\n```", 1)[0]
    found = {}
    for entry in re.split(r"\n\s*\n", block.strip("\n")):
        head, *body = entry.splitlines()
        found[head.strip()] = _squash(" ".join(body))
    return found


def glossary_terms() -> list[Term]:
    with (LOCALE / "glossary.po").open("rb") as file:
        translated = {_squash(m.id): m.string for m in read_po(file) if m.id}
    terms = []
    for english, definition in _glossary_definitions().items():
        head = translated[definition].split("：", 1)[0]
        abbreviations = re.findall(r"（([A-Za-z]+)）", head)
        head = re.sub(r"（[^）]*）", "", head)
        names = [n for n in re.split(r"，(?:也称|简称)?|、", head) if n]
        accepted = [english, *abbreviations, *FORMS.get(english, [])]
        terms.append(Term(english, tuple(names), tuple(_folded(a) for a in accepted)))
    return terms


def test_the_glossary_gives_every_term_a_chinese_name():
    terms = {t.english: t for t in glossary_terms()}
    assert len(terms) == len(_glossary_definitions()) >= 70
    assert terms["cost"].names == ("代价函数", "代价", "成本函数")
    assert terms["gradient descent"].names == ("梯度下降",)
    assert _folded("sgd") in terms["stochastic gradient descent"].accepted
    assert all(
        t.names and all(CJK.search(n) or n.isascii() for n in t.names) for t in terms.values()
    )


# --- the chapters' prose in document order -------------------------------------------------


def _not_prose(chapter: Path) -> set[str]:
    """The English texts of a chapter's headings, titles and alt texts, whitespace-squashed."""
    text = chapter.read_text(encoding="utf-8")
    found = set()
    fence = None
    for line in text.splitlines():
        if fence is None and (match := re.match(r"^(`{3,}|:{3,})\{[\w:-]+\}\s*(.*)$", line)):
            fence = match.group(1)
            if match.group(2):
                found.add(_squash(match.group(2)))
            continue
        if fence is not None and line.strip() == fence:
            fence = None
            continue
        if match := re.match(r"^#{1,6}\s+(.+?)\s*$", line):
            found.add(_squash(match.group(1)))
        if match := re.match(r"^\s*:alt:\s*(.+)$", line):
            found.add(_squash(match.group(1)))
    # the code cells' figure options are YAML between --- lines after the fence
    for options in re.findall(r"```\{code-cell\}[^\n]*\n---\n(.*?)\n---\n", text, re.S):
        for value in _alt_texts(yaml.safe_load(options)):
            found.add(_squash(value))
    return found


def _table_rows(chapter: Path) -> dict[str, int]:
    """Each table cell's text with the line of its first row: gettext gives a table's cells
    the line of an earlier block, not their own."""
    found: dict[str, int] = {}
    lines = chapter.read_text(encoding="utf-8").splitlines()
    for number, line in enumerate(lines, start=1):
        if re.match(r"^\|.*\|\s*$", line):
            for cell in re.split(r"(?<!\\)\|", line.strip()[1:-1]):
                found.setdefault(_squash(cell), number)
    return found


def _alt_texts(node) -> list[str]:
    if isinstance(node, dict):
        return [
            v if k == "alt" and isinstance(v, str) else w
            for k, v in node.items()
            for w in ([v] if k == "alt" and isinstance(v, str) else _alt_texts(v))
        ]
    if isinstance(node, list):
        return [w for v in node for w in _alt_texts(v)]
    return []


ROLE = re.compile(r"\{([a-z:]+)\}`([^`]*)`")
SHOWN = re.compile(r"^(.*?)\s*<[^<>]+>\s*$", re.S)


HIDDEN, MARK = "\x00", "\x01"  # fillers: what is not prose, and markup around prose


def visible_prose(message: str) -> str:
    """The message with what a reader does not see as prose blanked out, character for
    character (so that positions are the message's): math, code, glued numbers, citations
    and the titles a ``{ref}`` quotes become ``HIDDEN``; the markup around shown text (a
    ``{term}``'s role and target, ``**``, a link's target) becomes ``MARK``."""

    def role(match: re.Match) -> str:
        kind, body = match.groups()
        shown = SHOWN.match(body) if kind in ("term", "ref", "numref", "doc") else None
        if kind == "term" and not shown:
            shown_text, rest = body, 1
        elif shown:
            shown_text, rest = shown.group(1), len(body) - len(shown.group(1)) + 1
        else:
            return HIDDEN * len(match.group())
        return MARK * (len(kind) + 3) + shown_text + MARK * rest

    def hide(match: re.Match) -> str:
        return HIDDEN * len(match.group())

    text = ROLE.sub(role, message)
    text = re.sub(r"\$\$.*?\$\$|(?<!\\)\$[^$]+\$", hide, text, flags=re.S)
    text = re.sub(r"`[^`]*`", hide, text)
    text = re.sub(r"\]\([^)]*\)", lambda m: MARK * len(m.group()), text)
    return text.replace("*", MARK)


@dataclass(frozen=True)
class Prose:
    line: int
    text: str  # the translated message

    @property
    def visible(self) -> tuple[str, list[int]]:
        """The message's prose without its markup, and where each character is in ``text``
        (so that 反向模式 in ``**反向**模式`` is found, and its sentence quoted as written)."""
        blanked = visible_prose(self.text)
        where = [i for i, c in enumerate(blanked) if c != MARK]
        return "".join(blanked[i] for i in where), where


def chapter_prose(chapter: Path) -> list[Prose]:
    """The chapter's translated prose messages, in the order of their first line."""
    skip = _not_prose(chapter)
    rows = _table_rows(chapter)
    with (LOCALE / f"{chapter.stem}.po").open("rb") as file:
        catalog = [m for m in read_po(file) if m.id and m.string]
    found = []
    for order, message in enumerate(catalog):
        if _squash(message.id) in skip:
            continue
        line = rows.get(_squash(message.id)) or min(n for _, n in message.locations if n)
        found.append((line, order, Prose(line, message.string)))
    return [prose for *_, prose in sorted(found, key=lambda f: f[:2])]


# --- the rule ------------------------------------------------------------------------------


def _scanner(terms: list[Term]) -> tuple[re.Pattern, dict[str, Term | None]]:
    owner: dict[str, Term | None] = {w: None for w in NOT_A_TERM}
    for term in terms:
        if term.english in UNCHECKED:
            continue
        for name in term.names:
            if CJK.search(name):
                owner[name] = term
    names = sorted(owner, key=len, reverse=True)
    return re.compile("|".join(map(re.escape, names))), owner


def introduced(text: str, end: int, term: Term) -> bool:
    """Whether the name ending at ``end`` is followed by （…） holding the term's English."""
    match = re.compile(WORD_TAIL + r"\s*[（(]([^（）()]*)[）)]").match(text, end)
    return bool(match) and any(form in _folded(match.group(1)) for form in term.accepted)


@dataclass(frozen=True)
class FirstUse:
    term: Term
    name: str
    line: int
    sentence: str
    ok: bool


def first_uses(prose: list[Prose], terms: list[Term]) -> dict[str, FirstUse]:
    pattern, owner = _scanner(terms)
    first: dict[str, FirstUse] = {}
    for piece in prose:
        visible, where = piece.visible
        for match in pattern.finditer(visible):
            term = owner[match.group()]
            if term is None or term.english in first:
                continue
            ok = introduced(visible, match.end(), term)
            sentence = _sentence(piece.text, where[match.start()])
            first[term.english] = FirstUse(term, match.group(), piece.line, sentence, ok)
    return first


def _sentence(text: str, at: int) -> str:
    start = max(text.rfind(p, 0, at) for p in "。；！？\n") + 1
    ends = [i for p in "。；！？\n" if (i := text.find(p, at)) >= 0]
    return _squash(text[start : min(ends, default=len(text)) + 1])


def test_the_rule_on_examples():
    terms = glossary_terms()

    def verdicts(text: str) -> dict[str, bool]:
        return {e: u.ok for e, u in first_uses([Prose(1, text)], terms).items()}

    assert verdicts("梯度下降（gradient descent）沿梯度走。") == {
        "gradient descent": True,
        "gradient": False,
    }
    assert verdicts("{term}`梯度下降（Gradient-Descent）<gradient descent>` 很简单。") == {
        "gradient descent": True
    }
    assert verdicts("{term}`梯度下降<gradient descent>` 很简单。") == {"gradient descent": False}
    assert verdicts("梯度（gradients）、动量法（momentum）与小批量梯度下降（mini-batch SGD）") == {
        "gradient": True,
        "momentum": True,
        "mini-batch": True,
        "gradient descent": False,
    }
    assert verdicts("见“{ref}`ch-sgd`”一章；$\\text{梯度}$ 和 `学习率` 不算；协方差也不算。") == {}
    assert verdicts("随机梯度下降（SGD）") == {"stochastic gradient descent": True}
    assert verdicts("用**反向**模式（reverse mode）求导") == {"reverse mode": True}
    [use] = first_uses([Prose(7, "前一句。沿 $w$ 的**梯度**走；后一句")], terms).values()
    assert (use.name, use.line, use.sentence) == ("梯度", 7, "沿 $w$ 的**梯度**走；")
    assert verdicts("学习率（learning rate）和学习率调度") == {
        "learning rate": True,
        "learning-rate schedule": False,
    }


def test_headings_titles_and_alt_text_are_not_prose():
    chapter = BOOK / "02_gradient_descent.md"
    skip = _not_prose(chapter)
    assert {"Gradient descent", "The best learning rate", "In this chapter"} <= skip
    assert any(s.startswith("A straight dashed line falls from the origin") for s in skip)
    assert not any(s.startswith("The change in cost made by one step") for s in skip)  # caption


@pytest.mark.parametrize("chapter", chapters(), ids=lambda p: p.stem)
def test_each_term_is_introduced_in_english_on_its_first_use(chapter: Path):
    uses = first_uses(chapter_prose(chapter), glossary_terms())
    bad = [
        f"  {u.term.english!r}: first used as {u.name} at line {u.line} of the .md without （"
        f"{u.term.english}） after it: {u.sentence}"
        for u in sorted(uses.values(), key=lambda u: u.line)
        if not u.ok
    ]
    if bad:
        pytest.fail(
            f"{chapter.relative_to(ROOT)} (catalog {LOCALE.relative_to(ROOT)}/{chapter.stem}.po): "
            f"{len(bad)} term(s) whose first use in the chapter lacks the English, as "
            "中文（English） (CONTRIBUTING.md, 'Translating'):\n" + "\n".join(bad),
            pytrace=False,
        )
