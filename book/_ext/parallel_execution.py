"""Execute the chapters that need it side by side, before Sphinx reads them one by one.

Sphinx can read documents in parallel, but one of Jupyter Book's extensions
(sphinx-multitoc-numbering) does not allow it, so myst-nb executes the chapters one after
the other. On a cold build, or after a change to the package, that is most of the build's
time. This extension runs first: it parses each document that is about to be read exactly as
myst-nb will, asks myst-nb's execution cache whether an executed copy exists, executes the
missing ones in a pool of worker processes, and stores the results in that cache. When
Sphinx then reads the chapters, myst-nb finds every one of them cached.

Each worker also starts its kernels pre-warmed (``forked_kernels``): a fresh kernel of a
torch chapter spends about 8.8 s importing torch, numpy and matplotlib and building its
first optimizer before the chapter's own work starts, which put every torch chapter over the
10 s budget. A worker instead starts one preloaded interpreter, and each kernel is a fork of
it, so those imports are paid once per worker, not once per chapter. The forked kernel's
outputs are those of a fresh kernel (``tests/test_parallel_execution.py`` compares them
chapter by chapter). Where fork is not available (not Linux), or with
``parallel_execution_fork_kernels: false``, workers spawn normal kernels.

A notebook that fails in a worker (a failing cell, a timeout, a kernel that dies) is not
cached: myst-nb then executes it itself, in a normal kernel, and fails the build with its
usual report of the chapter and the cell. Set ``parallel_execution_workers`` to 1 to switch
all of this off: myst-nb then executes every chapter itself, in normal kernels.
"""

from __future__ import annotations

import os
import time
from collections import Counter
from concurrent.futures import ProcessPoolExecutor, as_completed
from multiprocessing import get_context
from pathlib import Path

from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.util import logging

logger = logging.getLogger(__name__)


_WORKER: dict = {}  # this worker's kernel set-up, reported with its first notebook


def _start_worker(fork_in: str | None, kernel_name: str) -> None:
    """Run in each worker as it starts: prepare forked kernels for notebooks in ``fork_in``."""
    _WORKER.update(pid=os.getpid(), how=None, reported=False)
    if fork_in is None:
        return
    try:
        from multiprocessing.util import Finalize

        import forked_kernels

        # kill what is left and stop the zygote when the worker exits (workers run
        # multiprocessing's finalizers, not atexit)
        Finalize(None, forked_kernels.shutdown, exitpriority=10)
        zygote = forked_kernels.prepare(fork_in, kernel_name)
    except Exception as error:  # never break the pool: fall back to normal kernels
        _WORKER["how"] = f"normal kernels ({error!r})"
        return
    if zygote.problems:
        _WORKER["how"] = f"normal kernels ({'; '.join(zygote.problems)})"
    else:
        _WORKER["how"] = f"forked kernels, preloaded in {zygote.ready_seconds:.1f} s"
        _WORKER["manager"] = forked_kernels.kernel_manager_class()


def _execute(path: str, notebook, timeout: int | None):
    """Run in a worker: execute one notebook in its own folder, as myst-nb would."""
    from jupyter_cache.executors.utils import single_nb_execution

    extra = {}
    forked = None
    if "manager" in _WORKER:
        import forked_kernels

        extra["kernel_manager_class"] = _WORKER["manager"]
        forked = forked_kernels.STATS["forked"]
    start = time.perf_counter()
    try:
        result = single_nb_execution(
            notebook,
            cwd=str(Path(path).parent),
            allow_errors=False,
            timeout=timeout,
            meta_override=True,
            **extra,
        )
        succeeded = result.err is None
    except Exception:  # a dead kernel, a kernel that did not start: myst-nb reports it
        succeeded = False
    seconds = time.perf_counter() - start
    if forked is not None:
        import forked_kernels

        kernel = "forked" if forked_kernels.STATS["forked"] > forked else "spawned"
    else:
        kernel = "spawned"
    worker = None
    if not _WORKER.get("reported"):
        worker = (_WORKER.get("pid"), _WORKER.get("how"))
        _WORKER["reported"] = True
    return path, notebook, seconds, succeeded, kernel, worker


def _pre_execute(app: Sphinx, env: BuildEnvironment, docnames: list[str]) -> None:
    config = getattr(env, "mystnb_config", None)
    workers = app.config.parallel_execution_workers or os.cpu_count() or 1
    if config is None or config.execution_mode != "cache" or workers < 2:
        return
    from jupyter_cache import get_cache
    from jupyter_cache.base import CacheBundleIn
    from myst_nb.core.read import create_nb_reader

    cache = get_cache(config.execution_cache_path or ".jupyter_cache")
    pending = []
    for docname in sorted(docnames):
        path = str(env.doc2path(docname))
        content = Path(path).read_text(encoding="utf-8")
        reader = create_nb_reader(path, env.myst_config, config, content)
        if reader is None:
            continue
        notebook = reader.read(content)
        try:
            cache.match_cache_notebook(notebook)
        except KeyError:
            pending.append((path, notebook, reader.read_fmt))
    if len(pending) < 2:
        return  # nothing to gain: let myst-nb execute it
    logger.info(f"[parallel_execution] executing {len(pending)} notebooks on {workers} workers")
    formats = {path: read_fmt for path, _, read_fmt in pending}
    # kernels are forked for the folder and kernel most notebooks share (in this book: all)
    folders = Counter(
        (str(Path(path).parent), nb.metadata.get("kernelspec", {}).get("name", "python3"))
        for path, nb, _ in pending
    )
    (fork_in, kernel_name), _ = folders.most_common(1)[0]
    if not (app.config.parallel_execution_fork_kernels and _fork_supported()):
        fork_in = None
    with ProcessPoolExecutor(
        max_workers=min(workers, len(pending)),
        mp_context=get_context("fork"),
        initializer=_start_worker,
        initargs=(fork_in, kernel_name),
    ) as pool:
        jobs = [
            pool.submit(_execute, path, nb, config.execution_timeout) for path, nb, _ in pending
        ]
        for job in as_completed(jobs):
            path, executed, seconds, succeeded, kernel, worker = job.result()
            if worker is not None and worker[1] is not None:
                logger.info(f"[parallel_execution] worker {worker[0]}: {worker[1]}")
            if not succeeded:
                logger.info(f"{path}: failed in a worker; myst-nb will run it and report")
                continue
            record = cache.add_nb_to_project(path, read_data=formats[path])
            cache.cache_notebook_bundle(
                CacheBundleIn(executed, record.uri, data={"execution_seconds": seconds}),
                check_validity=False,
                overwrite=True,
            )
            logger.info(
                f"{path}: Executed notebook in {seconds:.2f} seconds [parallel] ({kernel} kernel)"
            )


def _fork_supported() -> bool:
    import forked_kernels

    return forked_kernels.supported()


def setup(app: Sphinx) -> dict:
    app.add_config_value("parallel_execution_workers", 0, "env", [int])
    # how kernels start does not change what they output: no re-read when it is toggled
    app.add_config_value("parallel_execution_fork_kernels", True, "", [bool])
    app.connect("env-before-read-docs", _pre_execute)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
