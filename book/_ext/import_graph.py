"""Which files of a package a piece of code runs, found statically with ``ast``.

``code_cache_guard`` uses it to re-execute only the chapters a package change can affect.
The rules, conservative wherever the text does not say for sure:

- ``import pkg.a.b`` and ``from pkg.a import b`` run ``pkg.a.b`` (or ``pkg.a``, whose name
  ``b`` is) and the ``__init__`` of each package on the way;
- a module that runs counts with everything it imports, anywhere in its text (also inside
  functions), relative imports included, and so on transitively;
- ``from pkg import name``, where ``pkg/__init__.py`` re-exports ``name`` (``from .m import
  name``), resolves to the module that defines it, ``m``; the ``__init__`` itself counts by
  its own text only, not with every module it imports (a package's modules define things;
  importing one has no effect on another's results). A name the ``__init__`` neither
  defines nor re-exports by name counts as everything it imports;
- ``import pkg`` alone (any module reachable as an attribute), ``from pkg import *`` of the
  top package, ``importlib.import_module`` or ``__import__`` next to the package's name,
  and code that does not parse: the whole package;
- files of the package that are not Python (data it reads) count for every user.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from pathlib import Path

WHOLE = "*"  # stands for every file of the package


@dataclass
class Package:
    """A package's modules, read once: what each defines, re-exports and imports."""

    name: str
    folder: Path
    files: dict[str, Path] = field(default_factory=dict)  # dotted module name -> file
    data_files: list[Path] = field(default_factory=list)
    trees: dict[str, ast.Module | None] = field(default_factory=dict)

    @classmethod
    def load(cls, folder: Path) -> Package:
        package = cls(folder.name, folder)
        for path in sorted(folder.rglob("*")):
            if not path.is_file() or "__pycache__" in path.parts:
                continue
            parts = path.relative_to(folder.parent).with_suffix("").parts
            if path.suffix != ".py":
                package.data_files.append(path)
                continue
            name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
            package.files[name] = path
            try:
                package.trees[name] = ast.parse(path.read_text(encoding="utf-8"))
            except (SyntaxError, UnicodeDecodeError, ValueError):
                package.trees[name] = None
        return package

    def is_package(self, module: str) -> bool:
        return self.files.get(module, Path()).name == "__init__.py"

    def parents(self, module: str) -> set[str]:
        """The packages whose ``__init__`` runs before ``module``: ``a``, ``a.b`` of ``a.b.c``."""
        parts = module.split(".")
        return {".".join(parts[:i]) for i in range(1, len(parts))} & set(self.files)

    # -- what one piece of code imports ---------------------------------------------------

    def imports_of(self, tree: ast.AST | None, module: str | None = None) -> tuple[set, set]:
        """``(run, text_only)``: modules whose imports count too, and ``__init__`` files whose
        own text counts. ``module`` is the dotted name of the code's module, for relative
        imports (None for a chapter). ``WHOLE`` in ``run`` means the whole package."""
        run: set[str] = set()
        text_only: set[str] = set()
        if tree is None:
            return {WHOLE}, text_only
        dynamic = mentioned = False
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                for alias in node.names:
                    self._absolute(alias.name, run, text_only)
            elif isinstance(node, ast.ImportFrom):
                base = self._base(node, module)
                if base is None:
                    continue
                for alias in node.names:
                    self._from(base, alias.name, run, text_only)
            elif isinstance(node, ast.Call) and _dynamic_import(node):
                dynamic = True
            elif isinstance(node, ast.Constant) and isinstance(node.value, str):
                mentioned = mentioned or self.name in node.value
        if dynamic and (run or text_only or mentioned):
            run.add(WHOLE)  # a module named at run time: any of the package's
        return run, text_only

    def _absolute(self, name: str, run: set, text_only: set) -> None:
        if name != self.name and not name.startswith(self.name + "."):
            return
        if name == self.name:
            run.add(WHOLE)  # ``import pkg``: any module may be reached as an attribute
            return
        target = name
        while target not in self.files and "." in target:
            target = target.rsplit(".", 1)[0]  # a name the files do not know: its package
        run.add(target)
        text_only.update(self.parents(target))

    def _base(self, node: ast.ImportFrom, module: str | None) -> str | None:
        if node.level == 0:
            name = node.module or ""
            return name if name == self.name or name.startswith(self.name + ".") else None
        if module is None:
            return None  # a relative import in a chapter: not this package
        here = module if self.is_package(module) else module.rsplit(".", 1)[0]
        parts = here.split(".")
        if node.level - 1 >= len(parts):
            return None
        base = ".".join(parts[: len(parts) - (node.level - 1)])
        return f"{base}.{node.module}" if node.module else base

    def _from(self, base: str, name: str, run: set, text_only: set) -> None:
        if base not in self.files:
            self._absolute(base, run, text_only)
            return
        text_only.update(self.parents(base))
        if not self.is_package(base):
            run.add(base)
            return
        text_only.add(base)
        if name == "*":
            if base == self.name:
                run.add(WHOLE)
            else:
                run.add(base)
            return
        if f"{base}.{name}" in self.files:
            run.add(f"{base}.{name}")
            return
        run.update(self._defining(base, name))

    def _defining(self, package: str, name: str, seen: frozenset = frozenset()) -> set[str]:
        """The modules that give ``package`` (an ``__init__``) its attribute ``name``."""
        tree = self.trees.get(package)
        if tree is None or package in seen:
            return {package}
        seen = seen | {package}
        sources: set[str] = set()
        for node in tree.body:
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                if node.name == name:
                    return {package}  # defined right there: its imports count
            elif isinstance(node, (ast.Assign, ast.AnnAssign)):
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                names = {n.id for t in targets for n in ast.walk(t) if isinstance(n, ast.Name)}
                if name in names:
                    return {package}
            elif isinstance(node, ast.ImportFrom):
                base = self._base(node, package)
                if base is None:
                    continue
                for alias in node.names:
                    if (alias.asname or alias.name) == name or alias.name == "*":
                        sources.add(base)
        if sources:
            return sources
        return {package}  # not found by name: the __init__ with everything it imports

    # -- the transitive closure ------------------------------------------------------------

    def files_run_by(self, tree: ast.AST | None, module: str | None = None) -> set[Path]:
        """Every file of the package that running ``tree`` can depend on."""
        run, text_only = self.imports_of(tree, module)
        seen: set[str] = set()
        texts = set(text_only)
        stack = list(run)
        while stack:
            current = stack.pop()
            if current == WHOLE:
                return set(self.files.values()) | set(self.data_files)
            if current in seen:
                continue
            seen.add(current)
            more, more_text = self.imports_of(self.trees.get(current), current)
            stack.extend(more)
            texts.update(more_text)
        modules = seen | texts
        if not modules:
            return set()
        return {self.files[m] for m in modules if m in self.files} | set(self.data_files)


def _dynamic_import(node: ast.Call) -> bool:
    func = node.func
    name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
    return name in {"import_module", "__import__"}


def parse_cells(sources: list[str]) -> ast.Module | None:
    """The chapter's code cells as one module; IPython magics and shell lines left out."""
    body: list[ast.stmt] = []
    for source in sources:
        lines = [
            "" if line.lstrip().startswith(("%", "!")) else line for line in source.splitlines()
        ]
        try:
            body.extend(ast.parse("\n".join(lines)).body)
        except (SyntaxError, ValueError):
            return None
    return ast.Module(body=body, type_ignores=[])
