"""What a contributor reads agrees with what the tests enforce and with what is there.

CONTRIBUTING.md's checklist names each rule and the test that enforces it; book/_template.md,
the file a new chapter starts from, meets it; the README lists every file of book/_ext/ and
links to the repository that _config.yml names (the one place that names it).
"""

from __future__ import annotations

import re

import yaml

from conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")
CONTRIBUTING = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
GITHUB_LINK = r"https://(?:github\.com|[\w-]+\.github\.io|mybinder\.org)[^\s)`>]*"
TEMPLATE = (ROOT / "book" / "_template.md").read_text(encoding="utf-8")


def checklist() -> str:
    match = re.search(r"^## Add a chapter: the checklist\n(.*?)^## ", CONTRIBUTING, re.M | re.S)
    assert match, "CONTRIBUTING.md has no section `## Add a chapter: the checklist`"
    return match.group(1)


def test_the_checklist_names_every_rule_the_tests_enforce():
    text = " ".join(checklist().split())
    for rule in [
        "book/NN_short_name.md",  # tests/conftest.py finds chapters by this pattern
        "_toc.yml",
        "imports `dlpractice`",
        "at least three exercises",
        ":class: dropdown",
        "SVG",
        "`EXPECTED` in `tests/test_book.py`",
        "glued",
        "at most 88 characters",
        "`binder/requirements.txt`",
        "`locale/zh_CN/LC_MESSAGES/book/NN_short_name.po`",
        "make translations",
        "make check",
    ]:
        assert rule in text, f"CONTRIBUTING.md's checklist does not say {rule!r}"
    named = set(re.findall(r"`(tests/test_\w+\.py)`", text))
    assert named, "the checklist names no test"
    for test in sorted(named):
        assert (ROOT / test).is_file(), f"CONTRIBUTING.md's checklist names {test}: no such file"


def test_the_template_meets_the_checklist():
    assert TEMPLATE.startswith("---\njupytext:") and "name: python3" in TEMPLATE
    assert "from dlpractice" in TEMPLATE and "use_book_style()" in TEMPLATE
    assert ":class: tip" in TEMPLATE and "In this chapter" in TEMPLATE
    assert "\n## Summary\n" in TEMPLATE
    exercises = re.findall(r"^```\{exercise\}", TEMPLATE, re.M)
    solutions = re.findall(r"^`{3,4}\{solution(?:-start)?\} ", TEMPLATE, re.M)
    assert len(exercises) >= 3, f"book/_template.md has {len(exercises)} exercises, not three"
    assert len(solutions) == len(exercises), "each of the template's exercises needs a solution"
    folding = re.findall(r"^:class: dropdown$", TEMPLATE, re.M)
    assert len(folding) == len(solutions), "each of the template's solutions must fold"
    assert "glue(" in TEMPLATE and "{glue:text}" in TEMPLATE and "remove-cell" in TEMPLATE
    assert "plt.show()" in TEMPLATE, "the template draws no figure"


def test_pre_commit_is_installed_by_make_or_not_mentioned():
    installed = "pre-commit" in (ROOT / "pyproject.toml").read_text()
    for name, text in [("README.md", README), ("CONTRIBUTING.md", CONTRIBUTING)]:
        assert installed or "pre-commit" not in text, (
            f"{name} tells contributors to use pre-commit, which `make` does not install"
        )


def test_the_readme_lists_every_extension_with_one_line():
    section = re.search(r"^### The book's extensions, `book/_ext/`\n(.*?)^#", README, re.M | re.S)
    assert section, "README.md has no section `### The book's extensions, `book/_ext/``"
    listed = re.findall(r"^- `(\w+)`: \S", section.group(1), re.M)
    present = sorted(p.stem for p in (ROOT / "book" / "_ext").glob("*.py"))
    assert sorted(listed) == present, (
        f"README.md lists {sorted(listed)} in book/_ext/, which holds {present}: give each file "
        "one line, `- `name`: what it does`"
    )


def test_the_readmes_links_agree_with_config():
    config = yaml.safe_load((ROOT / "_config.yml").read_text())
    url, branch = config["repository"]["url"], config["repository"]["branch"]
    owner, name = url.removeprefix("https://github.com/").split("/")
    allowed = {
        url,
        f"https://{owner}.github.io/{name}/",
        f"https://mybinder.org/v2/gh/{owner}/{name}/{branch}",
    }
    for doc, text in [("README.md", README), ("CONTRIBUTING.md", CONTRIBUTING)]:
        links = re.findall(
            r"https://(?:github\.com|[\w-]+\.github\.io|mybinder\.org)[^\s)`>]*", text
        )
        for link in links:
            link = link.rstrip(".,;")
            assert link in allowed or link.startswith(url + "/"), (
                f"{doc} links to {link}, which is not the repository _config.yml names ({url})"
            )
    for link in allowed:
        assert link in README, f"README.md does not give {link}"
