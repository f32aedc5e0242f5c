"""How long the book takes to build, cold and after each kind of edit, and its page weight.

Everything runs on a temporary copy of the repository (book, package, configuration), so
the working tree is never touched. Prints, for this machine:

- cold build: no ``_build`` at all, every chapter executed;
- warm rebuild with no change;
- rebuild after a prose-only edit of one chapter;
- rebuild after a code-cell edit of one chapter (re-executes that chapter only);
- rebuild after a change in ``code/dlpractice/__init__.py`` (re-executes every chapter),
  and in one module (re-executes the chapters that import it, directly or not);
- each chapter's own execution time (as the build records it: kernel start included)
  against the 10 s budget per chapter, whether its kernel was forked from a preloaded
  interpreter or spawned, their sum, and so the build's own overhead;
- with ``--make-test``, ``make test`` end to end on the real tree.

Then the page weight of the cold build's site (see ``page_weight.py``).

``--cold-only`` stops after the cold build (the chapter times are all in it);
``--no-fork`` builds with ``parallel_execution_fork_kernels: false`` (every kernel spawned
fresh, as before forked kernels), to measure what they save on the same machine.

    .venv/bin/python benchmarks/build.py [--repeats 3] [--make-test] [--cold-only] [--no-fork]
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _bench import describe
from page_weight import report as page_weight_report

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
FLAGS = ["--warningiserror", "--nitpick", "--keep-going"]
COPIED = ["book", "code", "_config.yml", "_toc.yml", "constraints.txt"]
EXECUTED = re.compile(r"(\w+)\.md: Executed notebook in ([\d.]+) seconds")
KERNEL = re.compile(r"(\w+)\.md: Executed notebook in [\d.]+ seconds \[parallel\] \((\w+) kernel\)")
WORKER = re.compile(r"\[parallel_execution\] worker \d+: (.*)")
BUDGET = 10.0  # seconds of execution per chapter, kernel start included (issue 14)


LAST_LOG: list[str] = []  # the latest build's output, for the kernel and worker lines


LAST_CPU: list[float] = [0.0]  # the latest build's CPU seconds, every process it started


def build(tree: Path) -> tuple[float, dict[str, float]]:
    """Build once; return the wall-clock seconds and each executed chapter's seconds."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    run = subprocess.run(
        [str(BIN / "jupyter-book"), "build", str(tree), *FLAGS],
        cwd=tree,
        capture_output=True,
        text=True,
    )
    seconds = time.perf_counter() - start
    if run.returncode != 0:
        raise SystemExit(f"build failed:\n{run.stdout[-3000:]}\n{run.stderr[-3000:]}")
    LAST_LOG[:] = [run.stdout]
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    LAST_CPU[0] = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return seconds, {name: float(t) for name, t in EXECUTED.findall(run.stdout)}


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    if old not in text:
        raise SystemExit(f"{path.name}: cannot find {old!r} to edit")
    path.write_text(text.replace(old, new, 1))


def median_of(repeats: int, prepare, tree: Path) -> tuple[float, dict[str, float]]:
    """Median wall-clock of ``repeats`` builds, each after ``prepare(i)``."""
    times, executed = [], {}
    for i in range(repeats):
        prepare(i)
        seconds, executed = build(tree)
        times.append(seconds)
    return statistics.median(times), executed


def print_chapters(per_chapter: dict[str, float], kernels: dict[str, str], cold: float) -> None:
    """Each chapter's execution seconds against the budget, its kernel, the sum."""
    total = sum(per_chapter.values())
    print(f"\nchapter execution times (cold build), budget {BUDGET:.0f} s each:")
    for name, seconds in sorted(per_chapter.items()):
        verdict = "within" if seconds <= BUDGET else "OVER"
        kernel = kernels.get(name, "myst-nb's own")
        print(f"  {name:<36} {seconds:6.1f} s  {verdict:<6}  ({kernel} kernel)")
    over = [name for name, seconds in per_chapter.items() if seconds > BUDGET]
    print(f"  {'sum of chapters':<36} {total:6.1f} s")
    print(
        f"  {'cold build minus that sum':<36} {cold - total:6.1f} s"
        "  (negative when chapters run side by side)"
    )
    print(
        f"{'meets' if not over else 'MISSES'}: every chapter <= {BUDGET:.0f} s"
        + (f" (over: {', '.join(sorted(over))})" if over else "")
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--make-test", action="store_true", help="also time `make test`")
    parser.add_argument("--cold-only", action="store_true", help="only the cold build")
    parser.add_argument(
        "--allow-warnings",
        action="store_true",
        help="measure even if the strict build fails on a warning (a tree being edited)",
    )
    parser.add_argument(
        "--no-fork", action="store_true", help="spawn every kernel fresh (no forked kernels)"
    )
    args = parser.parse_args()
    if args.allow_warnings:
        FLAGS.remove("--warningiserror")

    with tempfile.TemporaryDirectory() as scratch:
        tree = Path(scratch) / "tree"
        tree.mkdir()
        for name in COPIED:
            source = ROOT / name
            if source.is_dir():
                shutil.copytree(source, tree / name, ignore=shutil.ignore_patterns("__pycache__"))
            else:
                shutil.copy2(source, tree / name)
        chapter = tree / "book" / "01_linear_model.md"
        init = tree / "code" / "dlpractice" / "__init__.py"
        if args.no_fork:
            edit(
                tree / "_config.yml",
                "    nb_execution_show_tb: true\n",
                "    nb_execution_show_tb: true\n    parallel_execution_fork_kernels: false\n",
            )

        cold, per_chapter = build(tree)
        cold_log = LAST_LOG[0]
        print("book build times;", ", ".join(f"{k}={v}" for k, v in describe().items()))
        print(f"kernels: {'spawned fresh (--no-fork)' if args.no_fork else 'forked if possible'}")
        for line in sorted(set(WORKER.findall(cold_log))):
            print(f"  worker: {line}")
        print(
            f"\ncold build, every chapter executed: {cold:.1f} s "
            f"({LAST_CPU[0]:.1f} s of CPU in all its processes, kernels included)"
        )
        print_chapters(per_chapter, dict(KERNEL.findall(cold_log)), cold)
        if args.cold_only:
            return
        rows = [("cold build, every chapter executed", cold, per_chapter)]
        rows.append(("warm rebuild, no change", *median_of(args.repeats, lambda i: None, tree)))
        prose_marker = "You see the answer at once: 8."
        rows.append(
            (
                "prose edit of one chapter",
                *median_of(
                    args.repeats,
                    lambda i: edit(chapter, prose_marker, f"{prose_marker} Edit {i}."),
                    tree,
                ),
            )
        )
        code_marker = "x_data, y_data = course_data()"
        rows.append(
            (
                "code-cell edit of one chapter",
                *median_of(
                    args.repeats,
                    lambda i: edit(chapter, code_marker, f"{code_marker}  # edit {i}"),
                    tree,
                ),
            )
        )
        rows.append(
            (
                "change in code/dlpractice",
                *median_of(1, lambda i: init.write_text(init.read_text() + f"# edit {i}\n"), tree),
            )
        )
        for module in ("monitor", "momentum"):  # imported by chapter 10; by 2 and 8
            path = tree / "code" / "dlpractice" / f"{module}.py"
            rows.append(
                (
                    f"change in dlpractice/{module}.py",
                    *median_of(
                        1, lambda i, p=path: p.write_text(p.read_text() + f"# edit {i}\n"), tree
                    ),
                )
            )
        site = tree / "_build" / "html"

        print(f"\n{'case':<38} {'seconds':>8}  chapters executed")
        for name, seconds, executed in rows:
            names = ", ".join(sorted(executed)) or "none"
            print(f"{name:<38} {seconds:8.1f}  {names}")
        code_edit = rows[3]
        limit = code_edit[2].get("01_linear_model", 0.0) + 10
        # issue 14's limit: the chapters' execution shared by the cores, plus a warm render
        floor = sum(per_chapter.values()) / (os.cpu_count() or 1) + rows[1][1]
        print(
            f"\ncold build / (execution over {os.cpu_count()} cores + warm render): "
            f"{cold:.1f} / {floor:.1f} s = {cold / floor:.2f}x"
        )
        checks = [
            ("cold build <= 60 s", cold <= 60),
            ("cold build within 1.15x of that limit", cold <= 1.15 * floor),
            ("warm rebuild <= 5 s", rows[1][1] <= 5),
            ("prose edit <= 10 s", rows[2][1] <= 10),
            (f"code-cell edit <= chapter execution + 10 s ({limit:.1f} s)", code_edit[1] <= limit),
        ]
        print()
        for text, ok in checks:
            print(f"{'meets' if ok else 'MISSES'}: {text}")
        print()
        page_weight_report(site)

    if args.make_test:
        start = time.perf_counter()
        run = subprocess.run(["make", "test"], cwd=ROOT, capture_output=True, text=True)
        seconds = time.perf_counter() - start
        verdict = "passed" if run.returncode == 0 else "FAILED"
        print(
            f"\nmake test: {seconds:.0f} s ({verdict}); target <= 300 s: "
            f"{'meets' if seconds <= 300 else 'MISSES'}"
        )


if __name__ == "__main__":
    main()
