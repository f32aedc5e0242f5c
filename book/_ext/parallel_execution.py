"""Execute the chapters that need it side by side, before Sphinx reads them one by one.

Sphinx can read documents in parallel, but one of Jupyter Book's extensions
(sphinx-multitoc-numbering) does not allow it, so myst-nb executes the chapters one after
the other. On a cold build, or after a change to the package, that is most of the build's
time. This extension runs first: it parses each document that is about to be read exactly as
myst-nb will, asks myst-nb's execution cache whether an executed copy exists, executes the
missing ones in a pool of worker processes, and stores the results in that cache. When
Sphinx then reads the chapters, myst-nb finds every one of them cached.

A notebook that fails in a worker is not cached: myst-nb then executes it itself and fails
the build with its usual report of the chapter and the cell. Set
``parallel_execution_workers`` to 1 to switch this off.
"""

from __future__ import annotations

import os
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from multiprocessing import get_context
from pathlib import Path

from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.util import logging

logger = logging.getLogger(__name__)


def _execute(path: str, notebook, timeout: int | None):
    """Run in a worker: execute one notebook in its own folder, as myst-nb would."""
    from jupyter_cache.executors.utils import single_nb_execution

    start = time.perf_counter()
    result = single_nb_execution(
        notebook,
        cwd=str(Path(path).parent),
        allow_errors=False,
        timeout=timeout,
        meta_override=True,
    )
    return path, notebook, time.perf_counter() - start, result.err is None


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
    with ProcessPoolExecutor(
        max_workers=min(workers, len(pending)), mp_context=get_context("fork")
    ) as pool:
        jobs = [
            pool.submit(_execute, path, nb, config.execution_timeout) for path, nb, _ in pending
        ]
        for job in as_completed(jobs):
            path, executed, seconds, succeeded = job.result()
            if not succeeded:
                logger.info(f"{path}: failed in a worker; myst-nb will run it and report")
                continue
            record = cache.add_nb_to_project(path, read_data=formats[path])
            cache.cache_notebook_bundle(
                CacheBundleIn(executed, record.uri, data={"execution_seconds": seconds}),
                check_validity=False,
                overwrite=True,
            )
            logger.info(f"{path}: Executed notebook in {seconds:.2f} seconds [parallel]")


def setup(app: Sphinx) -> dict:
    app.add_config_value("parallel_execution_workers", 0, "env", [int])
    app.connect("env-before-read-docs", _pre_execute)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
