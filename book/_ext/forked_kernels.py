"""Start Jupyter kernels as forks of a process that has already imported torch.

Every chapter runs in a fresh ipykernel. A fresh kernel of a torch chapter spends about 8.8 s
before its first line of its own: the interpreter and ipykernel start, ``import torch``
(2.6 s), numpy and matplotlib, and the first ``torch.optim`` optimizer, which imports
``torch._dynamo`` (1.7 s). Each chapter paid that again, which put the torch chapters over
the 10 s budget per chapter. Here a *zygote* pays it once: a plain interpreter, started
exactly as a kernel would be (same executable, same environment, same working folder), that
imports those modules and then waits. Each kernel is a ``fork()`` of it, which shares those
imports for free and runs ``ipykernel_launcher`` in the child as ``python -m`` would.

Why it gives the same results as a fresh kernel:

- The preloads live in ``sys.modules`` only; the user namespace is made by IPython in the
  child, so the first cell sees no ``torch``, and execution counts start at 1.
- matplotlib reads ``MPLBACKEND`` and ``./matplotlibrc`` when it is imported, so the zygote
  sets ``MPLBACKEND`` as ipykernel does (``init_gui_pylab``) and runs in the chapter's
  folder. It never imports ``matplotlib.pyplot`` or the inline backend: the inline backend
  hooks itself into the running IPython shell when it is imported, so it must be imported
  by the kernel. A zygote whose preloads pulled either in is not used.
- The hash seed is fixed when an interpreter starts, so a zygote serves only kernels whose
  environment (``PYTHONHASHSEED`` included) is exactly its own; any other launch, and any
  launch that asks for something else (other arguments, redirected streams), spawns a
  normal kernel. The child re-seeds Python's and numpy's global generators from the OS, as a
  fresh process does; torch's default generator starts from its fixed seed in both cases
  (the zygote draws no random numbers).

Why forking is safe here: the zygote is single-threaded when it forks (it checks; torch's
OpenMP pool starts at the first parallel operation, which the zygote never runs) and holds
no zmq context or event loop; each kernel creates its own. The kernel is forked twice
(zygote -> short-lived middle process -> kernel) and the process that manages kernels (the
build worker) is a Linux *child subreaper*, so the kernel is re-parented to it: it becomes
that process's child, as a spawned kernel is, and the usual ``Popen``-style handle
(``poll``/``wait``/signals, which ``jupyter_client`` uses for interrupts, timeouts and
dead kernels) works unchanged, and nothing is left as a zombie. The kernel starts a new
session, as ``jupyter_client`` starts kernels, so an interrupt reaches its process group.

Linux only (``fork``, ``prctl``). Elsewhere, or if the zygote cannot start, kernels are
spawned normally.
"""

from __future__ import annotations

import gc
import os
import pickle
import signal
import struct
import subprocess
import sys
import time

INLINE_BACKEND = "module://matplotlib_inline.backend_inline"  # what ipykernel sets
# What a chapter's kernel imports before its own work starts to pay off, in import order.
# Never matplotlib.pyplot or the inline backend (see the module docstring).
PRELOAD = (
    "numpy",
    "torch",
    "torch.nn",
    "torch.optim",
    "torch.utils.data",
    "matplotlib",
    "matplotlib.figure",
    "matplotlib.patches",
    "matplotlib.ticker",
    "IPython",
    "ipykernel.kernelapp",
    "ipykernel.ipkernel",
    "dlpractice",
)
MUST_NOT_PRELOAD = ("matplotlib.pyplot", "matplotlib_inline.backend_inline")
PR_SET_PDEATHSIG = 1
PR_SET_CHILD_SUBREAPER = 36
READY_TIMEOUT = 120.0


def supported() -> bool:
    """Whether kernels can be forked here: Linux, with ``fork``."""
    return sys.platform.startswith("linux") and hasattr(os, "fork")


def _prctl(option: int, value: int) -> None:
    import ctypes

    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(option, value, 0, 0, 0) != 0:
        error = ctypes.get_errno()
        raise OSError(error, os.strerror(error))


def _send(fd: int, message: object) -> None:
    data = pickle.dumps(message)
    os.write(fd, struct.pack("!I", len(data)) + data)


def _read_exactly(fd: int, size: int) -> bytes | None:
    chunks = []
    while size:
        chunk = os.read(fd, size)
        if not chunk:
            return None
        chunks.append(chunk)
        size -= len(chunk)
    return b"".join(chunks)


def _receive(fd: int) -> object | None:
    """The next message on ``fd``, or None when the other side has closed it."""
    header = _read_exactly(fd, 4)
    if header is None:
        return None
    body = _read_exactly(fd, struct.unpack("!I", header)[0])
    return None if body is None else pickle.loads(body)


# --------------------------------------------------------------------------------------------
# The zygote: runs in its own interpreter, started by ``Zygote`` below.


def _safe_package_modules(package: str) -> list[str]:
    """The package's submodules that import neither pyplot nor a module that does.

    A module is left out when its source mentions ``pyplot`` or imports (``from .name``) a
    module left out; the zygote checks ``sys.modules`` afterwards anyway.
    """
    import importlib.util
    from pathlib import Path

    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        return []
    sources = {
        path.stem: path.read_text(encoding="utf-8")
        for folder in spec.submodule_search_locations
        for path in sorted(Path(folder).glob("*.py"))
        if path.stem != "__init__"
    }
    unsafe = {name for name, text in sources.items() if "pyplot" in text}
    while True:
        more = {
            name
            for name, text in sources.items()
            if name not in unsafe
            and any(f"from .{bad} " in text or f"from . import {bad}" in text for bad in unsafe)
        }
        if not more:
            break
        unsafe |= more
    return [f"{package}.{name}" for name in sorted(sources) if name not in unsafe]


def _preload() -> list[str]:
    """Import what kernels will need; return the reasons not to fork from here (if any)."""
    import importlib
    import threading

    problems = []
    for name in PRELOAD:
        try:
            importlib.import_module(name)
        except ImportError:
            pass  # not installed: a kernel that needs it fails as a fresh one would
    if "torch" in sys.modules:
        import torch

        # The first optimizer imports torch._dynamo (torch._disable_dynamo wraps
        # add_param_group). A zeros tensor: no random numbers drawn, no parallel region.
        torch.optim.SGD([torch.zeros(1, requires_grad=True)], lr=0.1)
    if "dlpractice" in sys.modules:
        for name in _safe_package_modules("dlpractice"):
            try:
                importlib.import_module(name)
            except Exception:
                pass  # the chapter that imports it will show the error itself
    problems += [f"{name} was imported" for name in MUST_NOT_PRELOAD if name in sys.modules]
    # numpy's OpenBLAS starts a thread pool when it loads, and stops it in a fork handler
    # of its own before each fork (restarting it lazily on both sides). A probe fork stops
    # it; any thread still alive after that would be copied mid-work into every kernel.
    probe = os.fork()
    if probe == 0:
        os._exit(0)
    os.waitpid(probe, 0)
    threads = len(os.listdir("/proc/self/task"))
    if threads != 1 or threading.active_count() != 1:
        problems.append(f"{threads} threads after the preloads; forking needs one")
    return problems


def zygote_main(request_fd: int, reply_fd: int, manager_pid: int) -> None:
    """Preload, then fork one kernel per request until the manager closes ``request_fd``.

    Returns only in a forked kernel, which then runs ``ipykernel_launcher`` (the stack
    above it is the ``-c`` bootstrap: nothing to unwind but a return).
    """
    _prctl(PR_SET_PDEATHSIG, signal.SIGTERM)  # the zygote goes when its manager goes
    if os.getppid() != manager_pid:
        os._exit(1)
    start = time.perf_counter()
    launch_env = dict(os.environ)
    if not os.environ.get("MPLBACKEND"):
        os.environ["MPLBACKEND"] = INLINE_BACKEND  # as ipykernel does, before matplotlib
    if sys.path and sys.path[0] == "":
        del sys.path[0]  # as ipykernel_launcher does while it imports
    problems = _preload()
    os.environ.clear()
    os.environ.update(launch_env)
    _send(reply_fd, ("ready", time.perf_counter() - start, problems))
    if problems:
        return
    # Every object alive now goes to the permanent generation, which the collector never
    # walks: the kernels' collections (and the several at interpreter exit, 1.5 s of CPU
    # over torch's objects) skip them, and do not dirty the shared pages (the use `gc.freeze`
    # is documented for). Objects the kernel creates are collected as usual.
    gc.freeze()
    request = _serve(request_fd, reply_fd, manager_pid, launch_env)
    if request is not None:
        _become_kernel(request, request_fd, reply_fd)


def _serve(request_fd: int, reply_fd: int, manager_pid: int, launch_env: dict) -> tuple | None:
    """Fork a kernel per request. Returns None in the zygote at the end, the request in a
    kernel."""
    while True:
        request = _receive(request_fd)
        if request is None:
            return None
        argv, env, cwd = request
        if env != launch_env or os.path.realpath(cwd) != os.path.realpath(os.getcwd()):
            _send(reply_fd, ("refused", "environment or folder differs from the zygote's"))
            continue
        sys.stdout.flush()
        sys.stderr.flush()
        ready_r, ready_w = os.pipe()
        middle = os.fork()
        if middle == 0:
            try:
                os.close(ready_r)
                kernel = os.fork()
            except BaseException:
                os._exit(1)
            if kernel == 0:
                return (argv, env, manager_pid, ready_w)
            os._exit(0)  # the kernel is re-parented to the manager (a child subreaper)
        os.close(ready_w)
        os.waitpid(middle, 0)
        pid = _receive(ready_r)
        os.close(ready_r)
        if pid is None:
            _send(reply_fd, ("refused", "the forked kernel did not start"))
        else:
            _send(reply_fd, ("forked", pid))


def _become_kernel(request: tuple, request_fd: int, reply_fd: int) -> None:
    """In the forked child: become what ``python -m ipykernel_launcher -f FILE`` would be."""
    import runpy
    import types

    argv, env, manager_pid, ready_w = request
    os.setsid()  # jupyter_client starts kernels in a new session (start_new_session=True)
    deadline = time.monotonic() + 10
    while os.getppid() != manager_pid:  # until the middle process has gone
        if time.monotonic() > deadline:
            os._exit(1)
        time.sleep(0.0005)
    os.close(request_fd)
    os.close(reply_fd)
    # stdin as launch_kernel leaves it: a pipe whose writing end is closed
    stdin_r, stdin_w = os.pipe()
    os.dup2(stdin_r, 0)
    os.close(stdin_r)
    os.close(stdin_w)
    os.environ.clear()
    os.environ.update(env)
    # fresh processes seed these from the OS; forks would share the zygote's state
    if "random" in sys.modules:
        sys.modules["random"].seed()
    if "numpy.random" in sys.modules:
        sys.modules["numpy.random"].seed()
    if "torch" in sys.modules:  # torch seeds its default generator from the OS as well
        sys.modules["torch"].default_generator.seed()
    sys.path.insert(0, os.getcwd())  # what `python -m` puts first; the launcher removes it
    main = types.ModuleType("__main__")
    main.__builtins__ = __builtins__
    sys.modules["__main__"] = main
    sys.argv = [argv[0], *argv[3:]]  # runpy replaces argv[0] with the launcher's path
    _send(ready_w, os.getpid())
    os.close(ready_w)
    runpy._run_module_as_main(argv[2], alter_argv=True)


_BOOT = (
    "import importlib.util as u, sys\n"
    "s = u.spec_from_file_location('_forked_kernels_zygote', sys.argv[1])\n"
    "m = u.module_from_spec(s)\n"
    "s.loader.exec_module(m)\n"
    "m.zygote_main(*map(int, sys.argv[2:]))\n"
)


# --------------------------------------------------------------------------------------------
# The manager's side: one zygote per launch environment, the Popen-like kernel handle.


class ForkedKernelProcess:
    """A ``subprocess.Popen`` look-alike for a forked kernel, which is our child (we are its
    subreaper): ``jupyter_client``'s ``LocalProvisioner`` polls, waits on and signals it."""

    stdin = stdout = stderr = None

    def __init__(self, pid: int, args: list[str]):
        self.pid = pid
        self.args = args
        self.returncode: int | None = None

    def poll(self) -> int | None:
        if self.returncode is None:
            try:
                pid, status = os.waitpid(self.pid, os.WNOHANG)
            except ChildProcessError:
                self.returncode = -signal.SIGKILL  # reaped elsewhere: gone all the same
            else:
                if pid:
                    self.returncode = os.waitstatus_to_exitcode(status)
        return self.returncode

    def wait(self, timeout: float | None = None) -> int:
        deadline = None if timeout is None else time.monotonic() + timeout
        while self.poll() is None:
            if deadline is not None and time.monotonic() > deadline:
                raise subprocess.TimeoutExpired(self.args, timeout)
            time.sleep(0.01)
        _LIVE.discard(self)
        return self.returncode

    def send_signal(self, signum: int) -> None:
        if self.poll() is None:
            os.kill(self.pid, signum)

    def terminate(self) -> None:
        self.send_signal(signal.SIGTERM)

    def kill(self) -> None:
        self.send_signal(signal.SIGKILL)


class Zygote:
    """A preloaded interpreter that forks kernels for one executable, folder and
    environment."""

    def __init__(self, executable: str, cwd: str, env: dict[str, str]):
        self.executable, self.cwd, self.env = executable, os.path.realpath(cwd), dict(env)
        request_r, self._requests = os.pipe()
        self._replies, reply_w = os.pipe()
        try:
            self.process = subprocess.Popen(
                [executable, "-c", _BOOT, __file__, str(request_r), str(reply_w), str(os.getpid())],
                cwd=self.cwd,
                env=self.env,
                stdin=subprocess.DEVNULL,
                pass_fds=(request_r, reply_w),
            )
        finally:
            os.close(request_r)
            os.close(reply_w)
        self.ready_seconds: float | None = None
        self.problems: list[str] = []

    def wait_ready(self) -> bool:
        """Wait for the preloads; True when kernels can be forked from it."""
        import select

        readable, _, _ = select.select([self._replies], [], [], READY_TIMEOUT)
        message = _receive(self._replies) if readable else None
        if message is None:
            self.problems = ["the zygote did not start"]
            self.close()
            return False
        _, self.ready_seconds, self.problems = message
        if self.problems:
            self.close()
        return not self.problems

    def fork(self, argv: list[str]) -> ForkedKernelProcess | None:
        """A kernel forked for ``argv``; None if the zygote refused or is gone (then the
        caller spawns the kernel)."""
        try:
            _send(self._requests, (argv, self.env, self.cwd))
            reply = _receive(self._replies)
        except OSError:
            reply = None
        if reply is None or reply[0] != "forked":
            return None
        process = ForkedKernelProcess(reply[1], argv)
        _LIVE.add(process)
        return process

    def close(self) -> None:
        """Stop the zygote: it exits when its request pipe closes."""
        for fd in (self._requests, self._replies):
            try:
                os.close(fd)
            except OSError:
                pass
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


_ZYGOTES: dict[tuple, Zygote] = {}
_LIVE: set[ForkedKernelProcess] = set()
STATS = {"forked": 0, "spawned": 0}


def _key(executable: str, cwd: str, env: dict[str, str]) -> tuple:
    return executable, os.path.realpath(cwd), tuple(sorted(env.items()))


def launch_env(kernel_name: str = "python3") -> tuple[str, dict[str, str]]:
    """The executable and environment ``jupyter_client`` launches this kernel with, from here.

    As ``KernelProvisionerBase.pre_launch`` (the kernelspec's ``env``, ``PYTHONEXECUTABLE``
    dropped for Python) and ``launch_kernel`` (``JPY_PARENT_PID``) build them.
    """
    from string import Template

    from jupyter_client.kernelspec import KernelSpecManager

    spec = KernelSpecManager().get_kernel_spec(kernel_name)
    env = dict(os.environ)
    env.update({k: Template(v).safe_substitute(env) for k, v in (spec.env or {}).items()})
    if spec.language.lower().startswith("python"):
        env.pop("PYTHONEXECUTABLE", None)
    env["JPY_PARENT_PID"] = str(os.getpid())
    executable = spec.argv[0]
    major, minor = sys.version_info[:2]
    if executable in {"python", f"python{major}", f"python{major}.{minor}"}:
        executable = sys.executable
    return os.path.expanduser(executable), env


def prepare(cwd: str, kernel_name: str = "python3") -> Zygote:
    """Make this process ready to fork kernels run in ``cwd``: become a child subreaper,
    start a zygote and wait for its preloads. Check ``.problems`` (empty: ready)."""
    _prctl(PR_SET_CHILD_SUBREAPER, 1)
    executable, env = launch_env(kernel_name)
    zygote = Zygote(executable, cwd, env)
    if zygote.wait_ready():
        _ZYGOTES[_key(executable, cwd, env)] = zygote
    return zygote


def fork_kernel(cmd: list[str], kwargs: dict) -> ForkedKernelProcess | None:
    """A forked kernel for this launch, or None when no zygote serves it exactly."""
    if set(kwargs) - {"env", "cwd"}:
        return None  # redirected streams, `independent`, ...: spawn it
    argv = [os.path.expanduser(part) for part in cmd]
    env = dict(kwargs.get("env") or os.environ)
    env["JPY_PARENT_PID"] = str(os.getpid())
    cwd = kwargs.get("cwd") or os.getcwd()
    zygote = _ZYGOTES.get(_key(argv[0], str(cwd), env))
    if zygote is None or argv[1:3] != ["-m", "ipykernel_launcher"]:
        return None
    return zygote.fork(argv)


def shutdown() -> None:
    """Stop the zygotes, kill and reap any kernel still running, reap orphans adopted."""
    while _ZYGOTES:
        _ZYGOTES.popitem()[1].close()
    for process in list(_LIVE):
        if process.poll() is None:
            try:
                os.killpg(process.pid, signal.SIGKILL)
            except OSError:
                process.kill()
        process.wait()
    while True:  # as subreaper we adopt the kernels' own orphans: reap them
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            break
        if pid == 0:
            break


def kernel_manager_class():
    """``AsyncKernelManager`` whose local kernels are forked when a zygote serves them.

    (Built on first use, so that the zygote, which loads this file, does not import the
    kernel-management half of ``jupyter_client``.)
    """
    global _MANAGER
    if _MANAGER is not None:
        return _MANAGER
    import pathlib
    import uuid

    from jupyter_client.manager import AsyncKernelManager
    from jupyter_client.provisioning import LocalProvisioner

    class ForkedProvisioner(LocalProvisioner):
        async def launch_kernel(self, cmd, **kwargs):
            scrubbed = LocalProvisioner._scrub_kwargs(kwargs)
            process = fork_kernel(cmd, scrubbed)
            if process is None:
                STATS["spawned"] += 1
                return await super().launch_kernel(cmd, **kwargs)
            STATS["forked"] += 1
            self.process = process
            self.pid = process.pid
            self.pgid = os.getpgid(process.pid)
            self.cwd = kwargs.get("cwd", pathlib.Path.cwd())
            return self.connection_info

    class ForkedKernelManager(AsyncKernelManager):
        async def _async_pre_start_kernel(self, **kw):
            metadata = self.kernel_spec.metadata or {}
            if self.provisioner is None and "kernel_provisioner" not in metadata:
                self.kernel_id = self.kernel_id or kw.pop("kernel_id", str(uuid.uuid4()))
                self.provisioner = ForkedProvisioner(
                    kernel_id=self.kernel_id, kernel_spec=self.kernel_spec, parent=self
                )
            return await super()._async_pre_start_kernel(**kw)

    _MANAGER = ForkedKernelManager
    return _MANAGER


_MANAGER = None
