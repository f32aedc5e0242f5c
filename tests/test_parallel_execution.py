"""Chapters executed in forked, pre-warmed kernels give exactly the outputs of fresh kernels.

``book/_ext/parallel_execution.py`` executes the chapters in worker processes whose kernels
are forks of a preloaded interpreter (``book/_ext/forked_kernels.py``). Forking needs care:
these tests run notebooks both ways and compare every output, and check that the user
namespace is clean, that a crash, a timeout and an interrupt behave as with a normal kernel,
that no process is left behind, and that a failing chapter still fails the real build.

The forked side runs in a subprocess (this file run as a script, ``scenario`` below): a
process that forks kernels becomes a Linux child subreaper, which the test session itself
should not become.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import jupytext
import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_notebook

ROOT = Path(__file__).resolve().parents[1]
EXT = ROOT / "book" / "_ext"
sys.path.insert(0, str(EXT))

import forked_kernels  # noqa: E402
import parallel_execution  # noqa: E402
from exact_streams import join_streams  # noqa: E402

# every test here runs kernels or a small book of its own: not in `make check`
pytestmark = pytest.mark.slow

KERNELSPEC = {"name": "python3", "display_name": "Python 3", "language": "python"}

# What a chapter's kernel could notice about where it runs: its namespace, counts, paths,
# environment, matplotlib's backend and settings, the random generators, threads, figures.
PROBE_CELLS = [
    "sorted(name for name in globals() if not name.startswith('_'))",
    "print(f\"{'torch' in globals()} {'np' in globals()} {'plt' in globals()}\")",
    "import os, sys\nprint(sys.argv[0])\nprint(sys.path)\nprint(os.getcwd())\n"
    "print({k: v for k, v in os.environ.items() if k != 'JPY_PARENT_PID'})",
    "import matplotlib\nprint(matplotlib.get_backend())\n"
    "print(sorted((k, str(v)) for k, v in matplotlib.rcParams.items()))",
    "import torch, numpy as np, random\n"
    "print(torch.initial_seed() != 0, torch.get_num_threads())\n"
    "torch.manual_seed(0); np.random.seed(0); random.seed(0)\n"
    "print(torch.rand(3), np.random.rand(3), random.random())",
    "x = torch.randn(400, 400)\nprint(f'{float((x @ x.T).trace()):.3f}')",
    "m = torch.nn.Linear(3, 1)\nopt = torch.optim.SGD(m.parameters(), lr=0.1)\n"
    "loss = m(torch.ones(2, 3)).pow(2).mean(); loss.backward(); opt.step()\n"
    "print(m.weight.detach())",
    "from dlpractice.plotting import use_book_style\nimport matplotlib.pyplot as plt\n"
    "use_book_style()\nfig, ax = plt.subplots(figsize=(3, 2))\nax.plot([1, 3, 2])\n"
    "ax.set_title('probe')",
    "print(f'{os.getppid() == int(os.environ[\"JPY_PARENT_PID\"])} {os.getpgid(0) == os.getpid()}')"
    "\nprint(repr(sys.stdin.read()))",
    "import warnings\nwarnings.warn_explicit('a warning shows', UserWarning, 'probe', 1)",
    "print(In[1][:6], len(Out))",
]


def probe_notebook() -> nbformat.NotebookNode:
    return new_notebook(
        cells=[new_code_cell(source) for source in PROBE_CELLS], metadata={"kernelspec": KERNELSPEC}
    )


def comparable(notebook: dict) -> list:
    """Each cell's execution count and outputs as the page shows them; no execution metadata.

    A printed stream reaches the client in chunks cut wherever the kernel's buffer was
    flushed, which differs from run to run in any two kernels; the book joins them before
    rendering (``book/_ext/exact_streams.py``), and so does this comparison.
    """
    return [
        (cell.get("execution_count"), join_streams(nbformat.from_dict(cell.get("outputs", []))))
        for cell in notebook["cells"]
        if cell["cell_type"] == "code"
    ]


def run_scenario(tmp_path: Path, name: str, *notebooks: Path, timeout: int = 600) -> dict:
    """Run ``scenario(name, ...)`` below in a fresh interpreter; return what it wrote."""
    out = tmp_path / f"{name}.json"
    env = {**os.environ, "PYTHONHASHSEED": "0"}  # as the build runs (tests/conftest.py)
    run = subprocess.run(
        [sys.executable, __file__, name, str(out), *map(str, notebooks)],
        capture_output=True,
        text=True,
        env=env,
        timeout=timeout,
    )
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    return json.loads(out.read_text())


def children(pid: int) -> list[str]:
    """The processes whose parent is ``pid``: their state and command line."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:
            continue
        fields = stat.rsplit(")", 1)[1].split()
        if int(fields[1]) == pid:
            found.append(f"{entry.name} {fields[0]} {cmdline.strip()}")
    return found


def scenario(name: str, out: Path, paths: list[Path]) -> None:
    """In a subprocess: set up a worker as the build does, run notebooks, record results."""
    import nbclient
    from jupyter_cache.executors.utils import single_nb_execution

    folder = str(paths[0].parent) if paths else str(ROOT / "book")
    parallel_execution._start_worker(None if name == "no-fork" else folder, "python3")
    record: dict = {"worker": parallel_execution._WORKER.get("how"), "results": []}
    for path in paths:
        notebook = nbformat.read(path, 4) if path.suffix == ".ipynb" else jupytext.read(path)
        entry: dict = {"path": str(path)}
        if name == "compare":  # a fresh kernel, as myst-nb runs one
            fresh = nbformat.from_dict(json.loads(json.dumps(notebook)))
            start = time.perf_counter()
            result = single_nb_execution(
                fresh, cwd=str(path.parent), allow_errors=False, timeout=300, meta_override=True
            )
            entry["fresh"] = fresh
            entry["fresh_seconds"] = time.perf_counter() - start
            entry["fresh_error"] = None if result.err is None else str(result.err)[-2000:]
        start = time.perf_counter()
        _, executed, seconds, succeeded, kernel, _ = parallel_execution._execute(
            str(path), notebook, 5 if name == "interrupt" else 60
        )
        entry.update(
            forked=executed,
            seconds=seconds,
            wall=time.perf_counter() - start,
            succeeded=succeeded,
            kernel=kernel,
        )
        record["results"].append(entry)
    if name == "interrupt":  # nbclient interrupts a cell that runs past its timeout
        notebook = new_notebook(
            cells=[
                new_code_cell("import time\ntime.sleep(60)"),
                new_code_cell("print('after the interrupt')"),
            ],
            metadata={"kernelspec": KERNELSPEC},
        )
        start = time.perf_counter()
        nbclient.NotebookClient(
            notebook,
            timeout=3,
            interrupt_on_timeout=True,
            allow_errors=True,
            kernel_manager_class=forked_kernels.kernel_manager_class(),
            resources={"metadata": {"path": folder}},
        ).execute()
        record["interrupt"] = {
            "seconds": time.perf_counter() - start,
            "outputs": [cell.outputs for cell in notebook.cells],
        }
    record["stats"] = forked_kernels.STATS
    record["children_after_notebooks"] = children(os.getpid())
    forked_kernels.shutdown()
    record["children_after_shutdown"] = children(os.getpid())
    out.write_text(json.dumps(record, default=dict))


def write(tmp_path: Path, name: str, cells: list[str]) -> Path:
    path = tmp_path / name
    nbformat.write(
        new_notebook(cells=[new_code_cell(c) for c in cells], metadata={"kernelspec": KERNELSPEC}),
        path,
    )
    return path


def test_a_forked_kernel_gives_a_fresh_kernels_outputs_with_a_clean_namespace(tmp_path):
    path = tmp_path / "probe.ipynb"
    nbformat.write(probe_notebook(), path)
    record = run_scenario(tmp_path, "compare", path)
    assert record["worker"].startswith("forked kernels, preloaded in"), record["worker"]
    [result] = record["results"]
    assert result["fresh_error"] is None and result["succeeded"], result
    assert result["kernel"] == "forked" and record["stats"]["forked"] == 1
    forked, fresh = comparable(result["forked"]), comparable(result["fresh"])
    assert [count for count, _ in forked] == list(range(1, len(PROBE_CELLS) + 1))
    for number, (a, b) in enumerate(zip(forked, fresh, strict=True), start=1):
        assert a == b, f"cell {number} differs:\nforked {a}\nfresh  {b}"
    outputs = [outputs for _, outputs in forked]
    names = outputs[0][0]["data"]["text/plain"]
    assert "torch" not in names and "np" not in names and "In" in names
    assert outputs[1][0]["text"] == "False False False\n"  # the preloads are not in globals()
    assert "module://matplotlib_inline.backend_inline" in outputs[3][0]["text"]
    assert any("image/svg+xml" in o.get("data", {}) for o in outputs[7]), "the figure is shown"
    assert outputs[8][0]["text"] == "True True\n''\n"  # our child, own session, stdin at EOF
    assert outputs[9][0]["text"] == "probe:1: UserWarning: a warning shows\n"
    assert outputs[10][0]["text"] == "sorted 2\n"  # counts from 1, as in a fresh kernel
    # the kernels are reaped as they finish; only the zygote remains, then nothing
    [zygote] = record["children_after_notebooks"]
    assert "forked_kernels.py" in zygote, zygote
    assert record["children_after_shutdown"] == []


def test_chapter_3_gives_the_same_outputs_in_a_forked_kernel(tmp_path):
    chapter = next((ROOT / "book").glob("03_*.md"))
    record = run_scenario(tmp_path, "compare", chapter)
    [result] = record["results"]
    assert result["fresh_error"] is None and result["succeeded"] and result["kernel"] == "forked"
    forked, fresh = comparable(result["forked"]), comparable(result["fresh"])
    assert len(forked) > 5 and any(outputs for _, outputs in forked)
    for number, (a, b) in enumerate(zip(forked, fresh, strict=True), start=1):
        assert a == b, f"{chapter.name}, code cell {number} differs"
    assert record["children_after_shutdown"] == []


def test_a_crashing_cell_is_a_failure_not_a_hang(tmp_path):
    crash = write(tmp_path, "crash.ipynb", ["print('before')", "import os\nos._exit(1)", "2"])
    fails = write(tmp_path, "fails.ipynb", ["raise ValueError('broken')"])
    works = write(tmp_path, "works.ipynb", ["import torch\nprint(torch.ones(2).sum().item())"])
    record = run_scenario(tmp_path, "crash", crash, fails, works, timeout=120)
    crashed, failed, worked = record["results"]
    assert crashed["kernel"] == "forked" and not crashed["succeeded"]
    assert crashed["wall"] < 30, "a dead kernel is noticed, not waited for"
    assert failed["kernel"] == "forked" and not failed["succeeded"]
    assert worked["kernel"] == "forked" and worked["succeeded"]
    assert worked["forked"]["cells"][0]["outputs"][0]["text"] == "2.0\n"
    assert len(record["children_after_notebooks"]) == 1  # the zygote, no dead kernel
    assert record["children_after_shutdown"] == []


def test_timeouts_and_interrupts_reach_a_forked_kernel(tmp_path):
    slow = write(tmp_path, "slow.ipynb", ["import time\ntime.sleep(120)"])
    record = run_scenario(tmp_path, "interrupt", slow, timeout=120)
    [timed_out] = record["results"]  # _execute's timeout is 5 s here
    assert timed_out["kernel"] == "forked" and not timed_out["succeeded"]
    assert timed_out["wall"] < 30
    interrupted = record["interrupt"]
    assert interrupted["seconds"] < 30
    first, second = interrupted["outputs"]
    assert first[0]["output_type"] == "error" and first[0]["ename"] == "KeyboardInterrupt"
    assert second[0]["text"] == "after the interrupt\n"
    assert record["children_after_shutdown"] == []


def test_without_fork_the_workers_spawn_normal_kernels(tmp_path, monkeypatch):
    works = write(tmp_path, "works.ipynb", ["print(1 + 1)"])
    record = run_scenario(tmp_path, "no-fork", works)
    [result] = record["results"]
    assert record["worker"] is None and result["kernel"] == "spawned" and result["succeeded"]
    assert record["stats"] == {"forked": 0, "spawned": 0}  # the plain manager: no fork code
    monkeypatch.setattr(sys, "platform", "darwin")
    assert not parallel_execution._fork_supported()


def small_book(tmp_path: Path, chapters: dict[str, str]) -> Path:
    """The book's configuration, extensions and package, with the given chapters."""
    copy = tmp_path / "small-book"
    (copy / "book").mkdir(parents=True)
    for name in ["_config.yml", "constraints.txt", "book/references.bib", "book/references.md"]:
        shutil.copy2(ROOT / name, copy / name)
    for folder in ["book/_static", "book/_templates", "book/_ext"]:
        if (ROOT / folder).exists():
            shutil.copytree(ROOT / folder, copy / folder, ignore=shutil.ignore_patterns("__py*"))
    shutil.copytree(ROOT / "code", copy / "code", ignore=shutil.ignore_patterns("__pycache__"))
    names = list(chapters)
    toc = "".join(f"  - file: book/{name}\n" for name in names[1:])
    (copy / "_toc.yml").write_text(
        f"format: jb-book\nroot: book/{names[0]}\nchapters:\n{toc}  - file: book/references\n"
    )
    for name, text in chapters.items():
        (copy / "book" / f"{name}.md").write_text(text)
    return copy


def processes_in(folder: Path) -> list[str]:
    """Processes whose working folder is inside ``folder`` (kernels, zygotes)."""
    found = []
    for entry in Path("/proc").iterdir():
        try:
            cwd = os.readlink(entry / "cwd")
        except OSError:
            continue
        if entry.name.isdigit() and cwd.startswith(str(folder)):
            found.append(f"{entry.name} {cwd}")
    return found


def test_a_failing_chapter_fails_the_build_with_myst_nbs_report(tmp_path):
    from conftest import build_book

    template = (ROOT / "book" / "_template.md").read_text()

    def relabelled(label: str) -> str:
        return template.replace("ch-template", f"ch-{label}").replace(
            "template-ex-", f"{label}-ex-"
        )

    broken = relabelled("second") + (
        "\n```{code-cell} ipython3\nraise ValueError('broken in a worker')\n```\n"
    )
    crashing = relabelled("third") + "\n```{code-cell} ipython3\nimport os\nos._exit(3)\n```\n"
    copy = small_book(tmp_path, {"01_small": template, "02_small": broken, "03_small": crashing})
    run = build_book(copy)
    log = run.stdout + run.stderr
    assert run.returncode != 0
    assert "01_small.md: Executed notebook in" in log and "[parallel] (forked kernel)" in log
    assert "forked kernels, preloaded in" in log
    assert "02_small.md: failed in a worker" in log and "03_small.md: failed in a worker" in log
    # myst-nb ran the failing chapter itself and reported its cell
    assert "broken in a worker" in log and "02_small.md" in log
    assert processes_in(copy) == [], "a kernel or zygote outlived the build"


if __name__ == "__main__":
    scenario(sys.argv[1], Path(sys.argv[2]), [Path(p) for p in sys.argv[3:]])
