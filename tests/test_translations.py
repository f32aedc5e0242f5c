"""The Chinese edition's catalogs: complete, in step with the English text, markup intact.

Each page of the book has a catalog ``locale/zh_CN/LC_MESSAGES/book/<page>.po``. A message
of the English text that has no translation, or whose translation is marked fuzzy, fails
here, named with its page, so an English edit cannot reach the site without its
translation. A translation must also keep what is not prose: every glued number, cross
reference, citation, glossary link, formula and piece of code of its message.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[1]
LOCALE = ROOT / "locale" / "zh_CN" / "LC_MESSAGES"

ROLE = re.compile(r"\{([a-z:]+)\}`([^`]*)`")
MATH = re.compile(r"(?<![\\$])\$[^$]+\$")
CODE = re.compile(r"(?<![}`])`([^`]+)`")
URL = re.compile(r"\]\(([^)]+)\)")


def catalogs() -> list[Path]:
    return sorted(LOCALE.rglob("*.po"))


def messages(path: Path) -> list:
    with path.open("rb") as file:
        return [message for message in read_po(file) if message.id]


def _target(role: str, text: str) -> str:
    """What a role points at: for ``{term}`shown <target>``` the target, case-folded."""
    match = re.search(r"<([^<>]+)>\s*$", text)
    target = match.group(1) if match else text
    return target.strip().lower() if role == "term" else target.strip()


def markup(text: str) -> Counter:
    """The parts of a message a translation must carry over unchanged, counted."""
    found: Counter = Counter()
    for role, body in ROLE.findall(text):
        found[(role, _target(role, body))] += 1
    rest = ROLE.sub(" ", text)
    found.update(("math", m) for m in MATH.findall(rest))
    found.update(("code", c) for c in CODE.findall(MATH.sub(" ", rest)))
    found.update(("url", u) for u in URL.findall(rest))
    return found


def problems(message) -> list[str]:
    """Why a message's translation is not acceptable (empty list when it is)."""
    if not message.string:
        return ["not translated"]
    if message.fuzzy:
        return ["fuzzy: the English changed since it was translated"]
    source, translated = markup(message.id), markup(message.string)
    found = []
    if missing := source - translated:
        found.append(f"lost {sorted(missing)}")
    if extra := translated - source:
        found.append(f"added {sorted(extra)}")
    return found


def test_markup_scanner_finds_what_a_translation_must_keep():
    text = "After {glue:text}`n:d` steps, $w$ is {term}`weight` in `fit(x)` [here](a.md)."
    assert markup(text) == Counter(
        {
            ("glue:text", "n:d"): 1,
            ("term", "weight"): 1,
            ("math", "$w$"): 1,
            ("code", "fit(x)"): 1,
            ("url", "a.md"): 1,
        }
    )
    good = "{term}`权重（weight）<weight>` $w$，{glue:text}`n:d` 步：`fit(x)` [此处](a.md)。"
    assert markup(good) == markup(text)
    lost_number = "权重 $w$，`fit(x)` [此处](a.md)。{term}`权重<weight>`"
    assert ("glue:text", "n:d") in markup(text) - markup(lost_number)


#: The terms issue 15 names as the least the Chinese glossary must hold.
REQUIRED_TERMS = (
    "梯度 导数 偏导数 特征值 特征向量 曲率 收敛 发散 局部最优 全局最优 过拟合 泛化 "
    "训练集 验证集 测试集 动量 权重衰减 自动微分 前向模式 反向模式 拓扑排序 闭包 "
    "单精度浮点数 方差 中心化 归一化 早停"
).split()


def test_the_chinese_glossary_defines_the_terms_the_edition_promised():
    with (LOCALE / "book" / "glossary.po").open("rb") as file:
        definitions = [m for m in read_po(file) if m.id and "\u4e00" <= m.id[0] <= "\u9fff"]
    names = [message.string.split("：")[0] for message in definitions]  # 闭包 (bìbāo). A ...
    named = "、".join(names)  # one definition may name two (局部最优/全局最优)
    missing = [term for term in REQUIRED_TERMS if term not in named]
    assert not missing, f"the Chinese glossary does not name {missing}"


def test_there_is_a_catalog_for_every_page():
    pages = {p.stem for p in (ROOT / "book").glob("*.md") if not p.name.startswith("_")}
    have = {p.stem for p in catalogs()}
    assert pages <= have, f"pages without a Chinese catalog: {sorted(pages - have)}"


@pytest.mark.parametrize("catalog", catalogs(), ids=lambda p: p.stem)
def test_every_message_is_translated_with_its_markup(catalog: Path):
    bad = [
        f"  line {m.lineno}: {m.id[:70]!r}: {'; '.join(why)}"
        for m in messages(catalog)
        if (why := problems(m))
    ]
    assert not bad, (
        f"{catalog.relative_to(ROOT)}: {len(bad)} message(s) to translate or mend "
        "(see CONTRIBUTING.md, 'Translating'):\n" + "\n".join(bad)
    )


# --- the built Chinese edition -------------------------------------------------------------

ZH = "zh"


def _pasted(page: Path) -> Counter:
    """The glued values a page shows (myst-nb renders each as a ``pasted-text`` span)."""
    return Counter(re.findall(r'class="pasted-text">([^<]*)<', page.read_text(encoding="utf-8")))


def test_the_chinese_build_executes_nothing(chinese_build_log):
    executed = [
        line
        for line in chinese_build_log.splitlines()
        if "Executed notebook" in line or "Executing notebook" in line or "executing" in line
    ]
    assert not executed, "the Chinese build ran code instead of using the cache:\n" + "\n".join(
        executed
    )


def test_the_chinese_build_translated_every_message(built_book):
    report = json.loads((ROOT / "_build" / "untranslated-zh_CN.json").read_text("utf-8"))
    listing = [
        f"  {doc}, line {line}: {msg[:70]!r}"
        for doc, found in report.items()
        for line, msg in found
    ]
    assert not listing, (
        f"{len(listing)} message(s) of the English text have no Chinese translation: run "
        "`make translations`, then translate them (CONTRIBUTING.md, 'Translating'):\n"
        + "\n".join(listing)
    )


@pytest.mark.parametrize(
    "page", sorted(p.stem for p in (ROOT / "book").glob("*.md") if not p.name.startswith("_"))
)
def test_each_page_has_its_chinese_twin_with_the_same_numbers(built_book, page):
    english = built_book / "book" / f"{page}.html"
    chinese = built_book / ZH / "book" / f"{page}.html"
    assert chinese.is_file(), f"no Chinese page for book/{page}.md"
    html = chinese.read_text(encoding="utf-8")
    assert '<html lang="zh-CN"' in html
    assert _pasted(chinese) == _pasted(english), (
        f"book/{page}: the Chinese page shows other glued numbers than the English one: "
        f"missing {sorted((_pasted(english) - _pasted(chinese)).elements())}, "
        f"extra {sorted((_pasted(chinese) - _pasted(english)).elements())}"
    )


def _search_index(root: Path) -> dict:
    text = (root / "searchindex.js").read_text(encoding="utf-8")
    return json.loads(text[text.index("(") + 1 : text.rindex(")")])


@pytest.mark.parametrize(
    ("query", "page"),
    [("梯度下降", "book/02_gradient_descent"), ("反向传播", "book/04_backpropagation")],
)
def test_chinese_search_finds_the_chapter_not_only_the_glossary(built_book, query, page):
    """Sphinx splits Chinese text into words with jieba, when it indexes a page and when it
    reads a query; a page is found when it has every word of the query."""
    import jieba

    index = _search_index(built_book / ZH)
    words = [w for w in jieba.cut_for_search(query) if w in index["terms"]]
    assert words, f"none of the words of {query} is in the Chinese search index"
    found = set.intersection(
        *(
            {index["docnames"][i] for i in _as_list(index["terms"][w])}
            | {index["docnames"][i] for i in _as_list(index["titleterms"].get(w))}
            for w in words
        )
    )
    assert page in found, f"searching {query} ({words}) finds {sorted(found)}, not {page}"
    assert found != {"book/glossary"}


def _as_list(found) -> list[int]:
    if found is None:
        return []
    return [found] if isinstance(found, int) else list(found)


def test_the_chinese_navigation_names_the_parts_in_chinese(built_book):
    """The parts' captions come from _toc.yml, added to the pages after translation."""
    caption = re.compile(r'class="caption-text">([^<]*)<')
    page = "book/02_gradient_descent.html"
    english = caption.findall((built_book / page).read_text(encoding="utf-8"))
    chinese = caption.findall((built_book / ZH / page).read_text(encoding="utf-8"))
    assert len(chinese) == len(english) >= 5, (english, chinese)
    untranslated = [c for c in chinese if c in english and c not in ("PyTorch",)]
    assert not untranslated, f"parts still in English in the Chinese navigation: {untranslated}"


# --- what the pages call an exercise ------------------------------------------------------

#: an exercise's own heading: "<span class="caption-number">Exercise 4.2 </span> (Title)"
EXERCISE = re.compile(
    r'<div class="exercise admonition" id="([^"]+)">\s*<p class="admonition-title">(.*?)</p>',
    re.S,
)
#: a solution's title names its exercise: "Solution to<span class="exercise-name"> ...</span>"
SOLUTION = re.compile(r'<span class="exercise-name">(.*?)</span></p>', re.S)
#: a cross-reference's text, "Exercise 4.2" for {ref}`ch4-ex-sigmoid`
REFERENCE = re.compile(r'<a class="reference internal" href="[^"]*#([^"]+)"[^>]*>(.*?)</a>', re.S)


def _text(fragment: str) -> str:
    """What a piece of HTML reads as: no tags, one space between words."""
    return " ".join(re.sub(r"<[^>]+>", "", fragment).split())


def _exercises(page: Path) -> dict[str, str]:
    """Each exercise of a page, by label, with its heading ("Exercise 4.2 (Title)")."""
    return {label: _text(title) for label, title in EXERCISE.findall(page.read_text("utf-8"))}


def _exercise_title(heading: str) -> str:
    """The title the author gave an exercise: "Title" of "Exercise 4.2 (Title)"."""
    match = re.search(r"\((.*)\)$", heading)
    return match.group(1) if match else ""


def _plain(text: str) -> str:
    """``text`` with straight apostrophes (sigmoid’s -> sigmoid's)."""
    return text.replace("\u2019", "'")


PAGES_WITH_EXERCISES = sorted(
    p.stem for p in (ROOT / "book").glob("[!_]*.md") if "```{exercise}" in p.read_text("utf-8")
)


@pytest.mark.parametrize("edition", ["en", ZH])
@pytest.mark.parametrize("page", PAGES_WITH_EXERCISES)
def test_a_solution_names_its_exercise_as_the_exercise_s_heading_does(built_book, page, edition):
    """sphinx-exercise builds a solution's title from a copy of its exercise taken before
    the Chinese build translates the page, and before the smart quotes: the title would read
    "练习 4.2 (The sigmoid's derivative)" under the heading "练习 4.2 (sigmoid 的导数)", and
    the English "(The sigmoid's ...)" under "(The sigmoid’s ...)" (exercise_titles.py)."""
    html = built_book / ("" if edition == "en" else ZH) / "book" / f"{page}.html"
    headings = set(_exercises(html).values())  # typography too: sigmoid’s, not sigmoid's
    named = [_text(name) for name in SOLUTION.findall(html.read_text("utf-8"))]
    assert named and len(named) == len(headings), (page, edition, named, headings)
    wrong = [name for name in named if name not in headings]
    assert not wrong, (
        f"{edition}: book/{page}: solutions whose title names their exercise otherwise than "
        f"its heading: {wrong}; the headings: {sorted(headings)}"
    )


@pytest.mark.parametrize("page", PAGES_WITH_EXERCISES)
def test_no_chinese_page_calls_an_exercise_by_its_english_title(built_book, page):
    """Not in a solution's title, not in a cross-reference's text, not in the search index's
    titles; while the English page names each exercise by its English title in its solution."""
    english = built_book / "book" / f"{page}.html"
    titles = {_plain(_exercise_title(h)) for h in _exercises(english).values()} - {""}
    assert titles, f"book/{page}: no exercise with a title found on the English page"
    named = " | ".join(_plain(_text(n)) for n in SOLUTION.findall(english.read_text("utf-8")))
    assert all(title in named for title in titles), (
        f"book/{page}: English solutions that do not name their exercise's title: "
        f"{sorted(t for t in titles if t not in named)}; the solutions name {named}"
    )

    chinese = (built_book / ZH / "book" / f"{page}.html").read_text("utf-8")
    said = [("solution", _text(n)) for n in SOLUTION.findall(chinese)]
    said += [("reference", _text(text)) for _, text in REFERENCE.findall(chinese)]
    said += [("search title", t) for t in _search_index(built_book / ZH)["alltitles"]]
    in_english = [(where, text) for where, text in said if any(t in _plain(text) for t in titles)]
    assert not in_english, (
        f"the Chinese book/{page} calls exercises by their English title: {in_english}"
    )
