"""Report a failing chapter cell in one line, then its traceback once, and stop the build.

With ``raise_on_error``, myst-nb reports a cell that raises by logging the cell's traceback
and raising an exception; Sphinx then prints the traceback again, asks the reader to report
a bug in Sphinx, and Jupyter Book prints it a third time, chained: about 190 lines, none of
which names the line of the ``.md`` file. This extension catches the failure as myst-nb's
cache executor returns it and prints, on standard error::

    book/08_momentum.md:212: code cell 6 ("# Checks the claims ...") raised AssertionError: ...

-- file, line where the cell starts, the cell's number (the ``In[6]`` of the traceback), its
first line, the exception and its message (with the line of the ``.md`` that raised, when
the traceback names it) -- then the cell's traceback once, and ends the build with exit
status 1, without Sphinx's bug-report banner. A cell that times out or a kernel that dies is
reported the same way.

It also completes myst-nb's "stderr was found in the cell outputs of cell 4" warning with
the text the cell wrote to stderr (its first lines), so the warning says what to fix.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import Any

from sphinx.application import Sphinx

STDERR_LINES = 20  # how much of a cell's stderr the warning quotes
_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
_CELL_LINE = re.compile(r"Cell In\[\d*\], line (\d+)")


class _CellFailed(Exception):
    """A notebook's execution failed; carries jupyter-cache's result (notebook and error)."""

    def __init__(self, result: Any) -> None:
        super().__init__(str(result.err))
        self.result = result


def strip_colours(text: str) -> str:
    """``text`` without ANSI colour codes."""
    return _ANSI.sub("", text)


_RUNNING: dict[str, int | None] = {"index": None}  # the cell the kernel was last given


def failed_cell(notebook: Any) -> int | None:
    """The index of the first cell with an error output, else of the cell the kernel was
    running (nbclient's ``on_cell_execute`` hook), else of the last cell that ran."""
    if _RUNNING["index"] is not None and not any(
        out.get("output_type") == "error"
        for cell in notebook.cells
        for out in cell.get("outputs", [])
    ):
        return _RUNNING["index"]
    last_run = None
    for index, cell in enumerate(notebook.cells):
        if cell.get("cell_type") != "code":
            continue
        if any(out.get("output_type") == "error" for out in cell.get("outputs", [])):
            return index
        if cell.get("execution_count") is not None or cell.get("outputs"):
            last_run = index
    return last_run


def _cell_body_line(lines: list[str], fence_line: int, source: str) -> int:
    """The 1-based line of the ``.md`` holding the cell's first source line."""
    first = source.splitlines()[0] if source.strip() else ""
    for number in range(fence_line + 1, min(len(lines), fence_line + 40) + 1):
        if lines[number - 1] == first:
            return number
    return fence_line + 1


def summary(
    path: Path, root: Path, notebook: Any, error: BaseException | None, what: str = ""
) -> str:
    """One line naming the file, the cell's start line and number, its first line, the error.

    ``what`` describes a failure that is not a cell's exception (a timeout, a dead kernel).
    """
    try:
        name = path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        name = str(path)
    index = failed_cell(notebook)
    if index is None:
        return f"{name}: {what or type(error).__name__}: {error}"
    cell = notebook.cells[index]
    source_map = notebook.metadata.get("source_map") or []
    fence = source_map[index] if index < len(source_map) else None
    number = sum(1 for c in notebook.cells[: index + 1] if c.get("cell_type") == "code")
    first = next((line.strip() for line in cell.source.splitlines() if line.strip()), "")
    if len(first) > 70:
        first = first[:67] + "..."
    where = f"{name}:{fence}" if fence else name
    if what:
        return f'{where}: code cell {number} ("{first}") {what}'
    ename = getattr(error, "ename", None) or type(error).__name__
    evalue = strip_colours(str(getattr(error, "evalue", error)).strip())
    evalue = evalue.splitlines()[0] if evalue else "(no message)"
    message = f'{where}: code cell {number} ("{first}") raised {ename}: {evalue}'
    raised = _CELL_LINE.search(strip_colours(str(getattr(error, "traceback", ""))))
    if fence and raised:
        lines = path.read_text(encoding="utf-8").splitlines()
        line = _cell_body_line(lines, fence, cell.source) + int(raised.group(1)) - 1
        message += f" (line {line})"
    return message


def _report(line: str, detail: str) -> None:
    colour = sys.stderr.isatty()
    detail = detail if colour else strip_colours(detail)
    head = f"\x1b[91m{line}\x1b[0m" if colour else line
    print(f"\n{head}\n{detail.rstrip()}\n", file=sys.stderr, flush=True)


def _patch_execution() -> None:
    from myst_nb.core.execute import cache as nb_cache
    from nbclient.exceptions import CellTimeoutError, DeadKernelError

    client = nb_cache.NotebookClientCache
    if getattr(client, "_clear_failures", False):
        return
    run_notebook = nb_cache.single_nb_execution
    start_client = client.start_client

    def remember(cell: Any = None, cell_index: int | None = None, **_: Any) -> None:
        _RUNNING["index"] = cell_index

    def single_nb_execution(notebook, **kwargs):
        _RUNNING["index"] = None
        result = run_notebook(notebook, on_cell_execute=remember, **kwargs)
        if result.err is not None:
            raise _CellFailed(result)
        return result

    def reporting_start_client(self) -> None:
        if not self.nb_config.execution_raise_on_error:
            return start_client(self)
        root = Path(getattr(self, "_clear_failures_root", "."))
        try:
            return start_client(self)
        except _CellFailed as failed:
            error = failed.result.err
            if isinstance(error, CellTimeoutError):
                what = f"timed out (timeout: {self.nb_config.execution_timeout} s)"
                line = summary(self.path, root, self.notebook, error, what)
            else:
                line = summary(self.path, root, self.notebook, error)
            _report(line, str(getattr(error, "traceback", "") or failed.result.exc_string))
        except DeadKernelError as error:
            line = summary(self.path, root, self.notebook, error, "killed its kernel")
            _report(line, str(error))
        raise SystemExit(1)

    nb_cache.single_nb_execution = single_nb_execution
    client.start_client = reporting_start_client
    client._clear_failures = True


class _QuotingLogger:
    """A logger whose warnings and errors end with the text a cell wrote to stderr."""

    def __init__(self, logger: Any, text: str) -> None:
        self._logger = logger
        lines = strip_colours(text).rstrip().splitlines()
        quoted = [f"    {line}" for line in lines[:STDERR_LINES]]
        if len(lines) > STDERR_LINES:
            quoted.append(f"    ... ({len(lines) - STDERR_LINES} more lines)")
        self._quote = "; it wrote:\n" + "\n".join(quoted)

    def warning(self, msg: str, *args: Any, **kwargs: Any) -> None:
        self._logger.warning(msg + self._quote, *args, **kwargs)

    def error(self, msg: str, *args: Any, **kwargs: Any) -> None:
        self._logger.error(msg + self._quote, *args, **kwargs)

    def critical(self, msg: str, *args: Any, **kwargs: Any) -> None:
        self._logger.critical(msg + self._quote, *args, **kwargs)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._logger, name)


def _patch_stderr_warning() -> None:
    from myst_nb.core.render import NbElementRenderer

    if getattr(NbElementRenderer, "_clear_failures", False):
        return
    render_stderr = NbElementRenderer.render_stderr

    def quoting_render_stderr(self, output, cell_metadata, cell_index, source_line):
        logger = self._logger
        self._logger = _QuotingLogger(logger, output.get("text", ""))
        try:
            return render_stderr(self, output, cell_metadata, cell_index, source_line)
        finally:
            self._logger = logger

    NbElementRenderer.render_stderr = quoting_render_stderr
    NbElementRenderer._clear_failures = True


def _remember_root(app: Sphinx) -> None:
    from myst_nb.core.execute import cache as nb_cache

    nb_cache.NotebookClientCache._clear_failures_root = str(app.srcdir)


def setup(app: Sphinx) -> dict:
    _patch_execution()
    _patch_stderr_warning()
    app.connect("builder-inited", _remember_root)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
