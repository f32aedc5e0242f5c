"""A generated bad-input sweep over the package's docstring examples (issue 13).

The hand-written cases (``tests/test_bad_input_core.py``, ``..._engines.py``) are picked by
people; this sweep re-measures the way the outside reviewers did, systematically. For every
docstring example of ``dlpractice`` that calls a public function, class or method with
arguments, it makes variants that replace ONE argument with a bad value chosen by the
argument's kind (a count, a rate, a real number, a flag, a name, a data vector, a tensor, an
autograd ``Value``, any other object), runs the docstring's earlier examples to set up the
names, then the variant, under :func:`bad_inputs._run`'s alarm, and classifies the outcome:

``clear``
    ``ValueError``/``TypeError`` (or an error the target's docstring documents) whose message
    names the argument (as a word) and says what was expected (:data:`bad_inputs.
    EXPECTATION_WORDS`);
``unclear``
    any other exception, or a message that does not name the argument or the expectation;
``silent``
    it returned NaN or inf, or returned anything for a value that is invalid for its kind
    (NaN, inf, a string, True, an empty or non-finite data set, a negative count, ...);
``hang``
    it ran longer than :data:`TIMEOUT` seconds, or ran out of memory (a huge allocation);
``accepted``
    it returned finite values for a value that may be valid (a rate of 0, a count of 2.5,
    a float64 tensor, numpy where torch was used): not counted as a failure.

``python tests/test_bad_input_sweep.py`` prints the counts per class and per module and the
failures; ``pytest -s`` prints the same summary. :func:`test_no_variant_is_unclear_silent_or_hung`
fails listing every variant in the three failing classes, with its call and outcome. The
whole sweep takes about two seconds, so it is not marked slow: `make check` runs it.
"""

from __future__ import annotations

import ast
import builtins
import contextlib
import copy
import doctest
import importlib
import inspect
import io
import math
import pkgutil
import re
import resource
import sys
import warnings
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import matplotlib
import numpy as np
import pytest
import torch

sys.path.insert(0, str(Path(__file__).parent))

from bad_inputs import EXPECTATION_WORDS, _Hang, _non_finite, _run  # noqa: E402

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402

import dlpractice  # noqa: E402
from dlpractice.autograd import Value  # noqa: E402

#: The generated variants are not hand-written Cases; test_bad_input_coverage reads CASES
#: from every tests/test_bad_input_*.py, so this file has an empty list.
CASES: list = []

#: Seconds a variant may take: the doctests' calls take milliseconds, so a variant that takes
#: this long is hung (bad_inputs.TIMEOUT, 20 s, is for single hand-picked cases).
TIMEOUT = 5.0

#: Memory the sweep may add to the process before an allocation counts as huge (bytes).
MEMORY_HEADROOM = 4 * 2**30

#: Arguments for which every value of their kind is valid, each with its reason.
VALID = {
    ("dlpractice.plotting.power_of_ten", "value"): "a tick-label formatter: it labels any "
    "number, 'inf' and 'nan' included, as matplotlib's own formatters do, and must not raise "
    "while a figure is drawn",
}

CLASSES = ("clear", "unclear", "silent", "hang", "accepted")
FAILING = ("unclear", "silent", "hang")

# The names of counts and rates, as tests/test_package.py's rule (plus vectors of them).
_COUNT = re.compile(
    r"n|n_\w+|num_\w+|count|\w+_count|epochs|steps|every|patience|progress|levels"
    r"|seeds?|sizes?|\w+_sizes?|degrees?|inputs|hidden|outputs"
)
_RATE = re.compile(
    r"lr|rates?|\w+_rates?|rates?_\w+|momentum|momenta|beta\d?|\w*decay|smoothing|rate_grid"
)
_BAD = "__sweep_bad_value__"


@dataclass(frozen=True)
class Bad:
    """One bad value for an argument: how to make it from the good one, and whether it is
    invalid for the argument's kind whatever the function (so returning is a failure)."""

    label: str
    make: Callable[[object], object]
    invalid: bool


@dataclass(frozen=True)
class Variant:
    """One generated call: a docstring example's call with one argument replaced."""

    module: str  # "dlpractice.descent"
    target: str  # the public callable, "dlpractice.descent.gradient_descent"
    setup: tuple[str, ...]  # the docstring's earlier examples
    call: ast.expr  # the call, its argument replaced by the name _BAD
    argument: str  # the parameter's name
    source: str  # the argument's expression in the example
    kind: str
    bad: Bad
    errors: tuple[type[BaseException], ...]  # the errors that count as clear
    also: tuple[str, ...] = ()  # other names a clear message may use instead (its pair)

    def text(self) -> str:
        return ast.unparse(self.call).replace(_BAD, self.bad.label)


@dataclass(frozen=True)
class Outcome:
    variant: Variant
    kind: str  # one of CLASSES
    detail: str


# --- the bad values, by kind -------------------------------------------------------------


def _same_container(original: object, array: np.ndarray) -> object:
    return array if isinstance(original, np.ndarray) else array.tolist()


def _with_first(original: object, value: object) -> object:
    """``original`` (nested lists/tuples, or an array) with its first leaf replaced."""
    if isinstance(original, np.ndarray):
        array = original.astype(object)
        array.flat[0] = value
        return array
    items = list(original)
    first = items[0]
    items[0] = _with_first(first, value) if isinstance(first, list | tuple) and first else value
    return items


def _floats(original: object) -> np.ndarray:
    return np.array(original, dtype=np.float64)


def _drop_last(original: object) -> object:
    if isinstance(original, torch.Tensor | np.ndarray):
        return original[:-1]
    return list(original)[:-1]


def _count_values() -> list[Bad]:
    return [
        Bad("0", lambda v: 0, False),  # a seed or a level index may be 0
        Bad("-1", lambda v: -1, True),
        Bad("2.5", lambda v: 2.5, False),
        Bad("True", lambda v: True, True),
        Bad("'3'", lambda v: "3", True),
        Bad("nan", lambda v: math.nan, True),
        Bad("10**12", lambda v: 10**12, False),  # a seed may be huge; a size may not
    ]


def _rate_values(name: str) -> list[Bad]:
    return [
        Bad("0.0", lambda v: 0.0, False),  # no momentum, no decay: often valid
        Bad("-0.1", lambda v: -0.1, name != "momentum"),
        Bad("nan", lambda v: math.nan, True),
        Bad("inf", lambda v: math.inf, True),
        Bad("-inf", lambda v: -math.inf, True),
        Bad("'0.1'", lambda v: "0.1", True),
        Bad("True", lambda v: True, True),
    ]


def _real_values() -> list[Bad]:
    return [
        Bad("nan", lambda v: math.nan, True),
        Bad("inf", lambda v: math.inf, True),
        Bad("-inf", lambda v: -math.inf, True),
        Bad("'1.0'", lambda v: "1.0", True),
        Bad("True", lambda v: True, True),
        Bad("1j", lambda v: 1j, True),
        Bad("1e308", lambda v: 1e308, False),  # valid, unless the result overflows
    ]


def _flag_values(default: object) -> list[Bad]:
    values = [Bad("'False'", lambda v: "False", True), Bad("2", lambda v: 2, True)]
    if default is not None:
        values.append(Bad("None", lambda v: None, True))
    return values


def _text_values(choice: bool) -> list[Bad]:
    return [
        Bad("'no-such-name'", lambda v: "no-such-name", choice),
        Bad("3", lambda v: 3, choice),
    ]


def _vector_values(original: object, other_lengths: bool, counts: bool) -> list[Bad]:
    values = [
        Bad("[]", lambda v: _same_container(v, _floats(v)[:0]), True),
        Bad("<with nan>", lambda v: _with_first(v, math.nan), True),
        Bad("<with inf>", lambda v: _with_first(v, math.inf), True),
        Bad("<strings>", lambda v: _same_container(v, _floats(v).astype(str)), True),
        Bad("<complex>", lambda v: _same_container(v, _floats(v) + 1j), True),
        Bad(
            "<torch, requires grad>", lambda v: torch.tensor(_floats(v), requires_grad=True), False
        ),
        Bad("<2-D>", lambda v: _same_container(v, np.stack([_floats(v)] * 2)), False),
    ]
    if other_lengths:
        values.append(Bad("<one shorter>", _drop_last, True))
    if counts:
        values += [
            Bad("<with -1>", lambda v: _with_first(v, -1), True),
            Bad("<with 2.5>", lambda v: _with_first(v, 2.5), False),
            Bad("<with 10**12>", lambda v: _with_first(v, 10**12), False),
        ]
    return values


def _tensor_values(original: torch.Tensor, other_lengths: bool) -> list[Bad]:
    def filled(value: float) -> Callable[[torch.Tensor], torch.Tensor]:
        def make(v: torch.Tensor) -> torch.Tensor:
            out = v.detach().clone().float()
            out.view(-1)[0] = value
            return out.requires_grad_(v.requires_grad)

        return make

    values = [
        Bad("<with nan>", filled(math.nan), True),
        Bad("<with inf>", filled(math.inf), True),
        Bad("<float64>", lambda v: v.detach().double(), False),
        Bad("<numpy>", lambda v: v.detach().numpy().copy(), False),
        Bad("<list>", lambda v: v.detach().tolist(), False),
        Bad(
            "<wrong shape>",
            lambda v: v.detach().reshape(-1) if v.ndim >= 2 else v.detach().unsqueeze(-1),
            False,
        ),
    ]
    if original.ndim >= 1:
        values.append(Bad("<empty>", lambda v: v.detach()[:0], True))
        if other_lengths:
            values.append(Bad("<one shorter>", lambda v: v.detach()[:-1], True))
    return values


def _value_values() -> list[Bad]:
    return [
        Bad("None", lambda v: None, True),
        Bad("'x'", lambda v: "x", True),
        Bad("nan", lambda v: math.nan, True),
        Bad("<torch tensor>", lambda v: torch.tensor(1.0, requires_grad=True), True),
    ]


def _list_values(original: object, other_lengths: bool) -> list[Bad]:
    values = [
        Bad("[]", lambda v: type(v)(), True),
        Bad("<with nan>", lambda v: _with_first(v, math.nan), True),
        Bad("<with 'x'>", lambda v: _with_first(v, "x"), True),
        Bad("<with None>", lambda v: _with_first(v, None), True),
    ]
    if other_lengths:
        values.append(Bad("<one shorter>", _drop_last, True))
    return values


def _object_values(default: object) -> list[Bad]:
    values = [Bad("'x'", lambda v: "x", True), Bad("3.0", lambda v: 3.0, False)]
    if default is not None:
        values.append(Bad("None", lambda v: None, True))
    return values


def _numeric(value: object) -> bool:
    if isinstance(value, str | bytes | dict) or value is None:
        return False
    try:
        array = np.asarray(value)
    except Exception:  # noqa: BLE001 - ragged or odd: not a numeric vector
        return False
    return array.dtype.kind in "iuf" and array.ndim >= 1 and array.size > 0


def _is_choice(target: object, module: object, name: str, value: str) -> bool:
    """A string that picks one of a fixed set: a module-level collection holds it, or the
    docstring says "One of"."""
    for item in vars(module).values():
        if isinstance(item, dict | tuple | list | frozenset | set) and not isinstance(item, str):
            try:
                if value in item:
                    return True
            except TypeError:
                continue
    doc = inspect.getdoc(target) or ""
    block = re.search(rf"^\s*{re.escape(name)} :.*\n((?:\s{{4,}}.*\n)*)", doc, re.M)
    return bool(block and "one of" in block.group(0).lower())


def bad_values(
    name: str, value: object, default: object, other_lengths: bool, choice: bool
) -> tuple[str, list[Bad]]:
    """The kind of an argument and the bad values of that kind."""
    if isinstance(value, bool | np.bool_):
        return "flag", _flag_values(default)
    if isinstance(value, int | np.integer):
        return "count", _count_values()
    if isinstance(value, float | np.floating):
        if _RATE.fullmatch(name):
            return "rate", _rate_values(name)
        return "real", _real_values()
    if isinstance(value, str):
        return ("choice" if choice else "text"), _text_values(choice)
    if isinstance(value, torch.Tensor):
        return "tensor", _tensor_values(value, other_lengths)
    if isinstance(value, Value):
        return "value", _value_values()
    if isinstance(value, list | tuple | range | np.ndarray) and _numeric(value):
        counts = bool(_COUNT.fullmatch(name)) and np.asarray(value).dtype.kind in "iu"
        kind = "count vector" if counts else ("rate vector" if _RATE.fullmatch(name) else "vector")
        return kind, _vector_values(value, other_lengths, counts)
    if isinstance(value, list | tuple) and value:
        return "list", _list_values(value, other_lengths)
    return "object", _object_values(default)


# --- finding the calls -------------------------------------------------------------------


def _exempt() -> dict[str, str]:
    from test_bad_input_coverage import EXEMPT

    return EXEMPT


def _public() -> dict[str, object]:
    from test_bad_input_coverage import _public_objects

    return _public_objects()


def _target_of(function: object, public: dict[str, object]) -> tuple[str, Callable] | None:
    """The public callable a doctest call reaches, and what to take its signature from."""
    if inspect.ismethod(function):
        owner = function.__func__
        name = f"{owner.__module__}.{owner.__qualname__}"
        return (name, function) if name in public else None
    if inspect.isfunction(function) or inspect.isclass(function):
        name = f"{function.__module__}.{function.__qualname__}"
        return (name, function) if name in public else None
    kind = type(function)
    prefix = f"{kind.__module__}.{kind.__qualname__}"
    for attr in ("__call__", "forward"):
        if f"{prefix}.{attr}" in public:
            return f"{prefix}.{attr}", getattr(function, attr)
    return None


def _documented_errors(target: object, module: object) -> tuple[type[BaseException], ...]:
    doc = inspect.getdoc(target) or ""
    found: list[type[BaseException]] = [ValueError, TypeError]
    section = re.search(r"^Raises\n-+\n((?:.*\n?)*?)(?:^\w+\n-+\n|\Z)", doc, re.M)
    for word in re.findall(
        r"\b([A-Z]\w*(?:Error|Exception))\b", section.group(1) if section else ""
    ):
        kind = getattr(module, word, None) or getattr(builtins, word, None)
        if inspect.isclass(kind) and issubclass(kind, BaseException):
            found.append(kind)
    return tuple(dict.fromkeys(found))


def _execute(sources: tuple[str, ...], globs: dict) -> None:
    with contextlib.redirect_stdout(io.StringIO()):  # the setup's prints are not the sweep's
        for source in sources:
            exec(compile(source, "<doctest setup>", "exec"), globs)  # noqa: S102


def _fresh(test: doctest.DocTest) -> dict:
    globs = dict(test.globs)
    globs["__name__"] = test.globs.get("__name__", "__sweep__")
    return globs


def _pair(first: str, second: str) -> bool:
    """Whether two arguments are the two halves of one data set (x and y, X and Y, ...)."""
    swap = str.maketrans("xyXY", "yxYX")
    return first.translate(swap) == second or "target" in first + second


def _length(value: object) -> int | None:
    try:
        if isinstance(value, str | dict | bytes) or np.ndim(value) < 1:
            return None
        return len(value)
    except Exception:  # noqa: BLE001
        return None


def _variants_of_call(
    call: ast.Call,
    globs: dict,
    test: doctest.DocTest,
    module: object,
    setup: tuple[str, ...],
    public: dict[str, object],
) -> list[Variant]:
    try:
        function = eval(compile(ast.Expression(call.func), "<f>", "eval"), globs)  # noqa: S307
        found = _target_of(function, public)
        if found is None or not (call.args or call.keywords) or found[0] in _exempt():
            return []
        target, signed = found
        signature = inspect.signature(signed)
        _run(lambda: eval(compile(ast.Expression(call), "<c>", "eval"), globs), TIMEOUT)  # noqa: S307
        values = [eval(compile(ast.Expression(a), "<a>", "eval"), globs) for a in call.args]  # noqa: S307
        values += [
            eval(compile(ast.Expression(k.value), "<a>", "eval"), globs) for k in call.keywords
        ]  # noqa: S307, E501
    except (Exception, _Hang):  # noqa: BLE001 - a call the doctest cannot make alone is skipped
        plt.close("all")
        return []
    parameters = [
        p
        for p in signature.parameters.values()
        if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)
    ]
    slots: list[tuple[str, object, ast.expr]] = []
    for index, node in enumerate(call.args):
        if isinstance(node, ast.Starred) or index >= len(parameters):
            return []
        slots.append((parameters[index].name, parameters[index].default, node))
    for keyword in call.keywords:
        if keyword.arg is None:
            return []
        parameter = signature.parameters.get(keyword.arg)
        default = parameter.default if parameter is not None else None
        slots.append((keyword.arg, default, keyword.value))
    lengths = [_length(value) for value in values]
    names = [name for name, _, _ in slots]
    # The call's own names for its data (as_column("x", ...)), which messages use.
    aliases = tuple(
        value
        for name, value in zip(names, values, strict=True)
        if name in ("name", "names") and isinstance(value, str)
    )
    errors = _documented_errors(public[target], module)
    variants = []
    for index, ((name, default, node), value) in enumerate(zip(slots, values, strict=True)):
        paired = [
            names[i]
            for i, n in enumerate(lengths)
            if i != index and n is not None and n == lengths[index] and _pair(name, names[i])
        ]
        choice = isinstance(value, str) and _is_choice(public[target], module, name, value)
        kind, bads = bad_values(name, value, default, bool(paired), choice)
        for bad in bads:
            varied = copy.deepcopy(call)
            replacement = ast.Name(id=_BAD, ctx=ast.Load())
            if index < len(call.args):
                varied.args[index] = replacement
            else:
                varied.keywords[index - len(call.args)].value = replacement
            variants.append(
                Variant(
                    module=module.__name__,
                    target=target,
                    setup=setup,
                    call=ast.fix_missing_locations(varied),
                    argument=name,
                    source=ast.unparse(node),
                    kind=kind,
                    bad=bad,
                    errors=errors,
                    also=aliases + (tuple(paired) if bad.label == "<one shorter>" else ()),
                )
            )
    plt.close("all")
    return variants


def _modules() -> list[object]:
    names = [
        i.name for i in pkgutil.iter_modules(dlpractice.__path__) if not i.name.startswith("_")
    ]
    return [importlib.import_module(f"dlpractice.{name}") for name in sorted(names)]


def generate() -> list[Variant]:
    """Every variant of every docstring example's call of a public callable."""
    public = _public()
    finder = doctest.DocTestFinder()
    variants: list[Variant] = []
    seen: set[tuple[str, str]] = set()
    for module in _modules():
        for test in finder.find(module):
            sources = [example.source for example in test.examples]
            for index, source in enumerate(sources):
                try:
                    tree = ast.parse(source)
                except SyntaxError:
                    continue
                calls = [node for node in ast.walk(tree) if isinstance(node, ast.Call)]
                if not calls:
                    continue
                setup = tuple(sources[:index])
                for call in calls:
                    key = (test.name, ast.unparse(call))
                    if key in seen:
                        continue
                    seen.add(key)
                    globs = _fresh(test)
                    try:
                        _run(lambda globs=globs, setup=setup: _execute(setup, globs), TIMEOUT)
                    except (Exception, _Hang):  # noqa: BLE001
                        break
                    variants += _variants_of_call(call, globs, test, module, setup, public)
    unique = {(variant.target, variant.text()): variant for variant in variants}
    return list(unique.values())


# --- running and classifying -------------------------------------------------------------


def _names(message: str, argument: str) -> bool:
    return (
        re.search(rf"(?<![A-Za-z0-9_]){re.escape(argument)}(?![A-Za-z0-9_])", message) is not None
    )


def classify(variant: Variant, globs: dict) -> Outcome:
    """Run one variant in ``globs`` (its setup already run) and say which class it is in."""
    code = compile(ast.Expression(variant.call), "<variant>", "eval")
    good = eval(compile(ast.parse(variant.source, mode="eval"), "<a>", "eval"), globs)  # noqa: S307
    globs[_BAD] = variant.bad.make(good)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            result = _run(lambda: eval(code, globs), TIMEOUT)  # noqa: S307
    except _Hang:
        return Outcome(variant, "hang", f"ran longer than {TIMEOUT:.0f} s")
    except MemoryError as err:
        return Outcome(variant, "hang", f"MemoryError (a huge allocation): {err}")
    except variant.errors as err:
        message = str(err)
        if not any(_names(message, name) for name in (variant.argument, *variant.also)):
            return Outcome(
                variant,
                "unclear",
                f"{type(err).__name__} not naming {variant.argument!r}: {message}",
            )
        if not any(word in message.lower() for word in EXPECTATION_WORDS):
            return Outcome(
                variant, "unclear", f"{type(err).__name__} not saying what was expected: {message}"
            )  # noqa: E501
        return Outcome(variant, "clear", f"{type(err).__name__}: {message}")
    except Exception as err:  # noqa: BLE001 - any other error is unclear
        return Outcome(variant, "unclear", f"{type(err).__name__}: {err}")
    finally:
        plt.close("all")
    if _non_finite(result):
        return Outcome(variant, "silent", f"returned {type(result).__name__} with NaN/inf")
    if variant.bad.invalid and (variant.target, variant.argument) not in VALID:
        return Outcome(variant, "silent", f"returned {type(result).__name__} for an invalid value")
    return Outcome(variant, "accepted", f"returned {type(result).__name__}")


class _MemoryLimit:
    """Cap the address space while the sweep runs, so a huge allocation fails fast."""

    def __enter__(self):
        self.previous = resource.getrlimit(resource.RLIMIT_AS)
        with open("/proc/self/statm") as statm:
            used = int(statm.read().split()[0]) * resource.getpagesize()
        limit = used + MEMORY_HEADROOM
        hard = self.previous[1]
        if hard == resource.RLIM_INFINITY or limit < hard:
            resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
        return self

    def __exit__(self, *exc):
        resource.setrlimit(resource.RLIMIT_AS, self.previous)


def sweep(variants: list[Variant] | None = None) -> list[Outcome]:
    """Generate (unless given) and run every variant; torch's RNG and thread count restored."""
    variants = generate() if variants is None else variants
    state = torch.random.get_rng_state()
    outcomes = []
    with _MemoryLimit():
        for variant in variants:
            globs = dict(vars(sys.modules[variant.module]))
            try:
                _run(lambda globs=globs, v=variant: _execute(v.setup, globs), TIMEOUT)
            except (Exception, _Hang) as err:  # noqa: BLE001
                outcomes.append(Outcome(variant, "unclear", f"setup failed: {err!r}"))
                continue
            try:
                outcomes.append(classify(variant, globs))
            except Exception:  # noqa: BLE001 - the bad value cannot be made from this argument
                continue
    torch.random.set_rng_state(state)
    return outcomes


def summary(outcomes: list[Outcome]) -> str:
    """The counts per class, overall and per module, then the failing variants."""
    total = Counter(o.kind for o in outcomes)
    lines = [
        f"{len(outcomes)} variants over {len({o.variant.target for o in outcomes})} public "
        f"callables: " + ", ".join(f"{kind} {total[kind]}" for kind in CLASSES),
        "",
        f"{'module':<24}" + "".join(f"{kind:>10}" for kind in CLASSES),
    ]
    for module in sorted({o.variant.module for o in outcomes}):
        counts = Counter(o.kind for o in outcomes if o.variant.module == module)
        lines.append(
            f"{module.removeprefix('dlpractice.'):<24}"
            + "".join(f"{counts[k]:>10}" for k in CLASSES)
        )
    return "\n".join(lines)


def failures(outcomes: list[Outcome]) -> list[str]:
    return [
        f"[{o.kind}] {o.variant.target} ({o.variant.argument}: {o.variant.kind} "
        f"{o.variant.bad.label}): {o.variant.text()} -> {o.detail[:300]}"
        for o in outcomes
        if o.kind in FAILING
    ]


# --- the tests ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def outcomes() -> list[Outcome]:
    return sweep()


def test_the_sweep_reaches_every_module_with_examples(outcomes):
    reached = {o.variant.module.removeprefix("dlpractice.") for o in outcomes}
    # widgets has no docstring examples (tests/test_package.py, NO_EXAMPLES)
    expected = {m.__name__.removeprefix("dlpractice.") for m in _modules()} - {"widgets"}
    assert expected - reached == set(), f"no variants for {sorted(expected - reached)}"
    assert len(outcomes) > 500, len(outcomes)


def test_no_variant_is_unclear_silent_or_hung(outcomes):
    print("\n" + summary(outcomes))
    failed = failures(outcomes)
    assert not failed, (
        f"{len(failed)} generated bad inputs get no clear error (fix the package at its "
        "public boundary, with a Case in tests/test_bad_input_*.py):\n" + "\n".join(failed)
    )


def _toy(x: list, *, steps: int = 1, rate: float = 0.1, flag: bool = False) -> float:
    """A function that checks nothing."""
    return float(sum(x)) * rate * 10 / (steps if not flag else steps / 2) / 1.0


def test_the_classifier_tells_the_classes_apart():
    """The sweep can fail: a function that checks nothing has silent and unclear variants,
    and a clear message is told from one that does not name the argument."""
    tree = ast.parse("_toy([1.0, 2.0], steps=2, rate=0.1, flag=True)", mode="eval").body
    kinds = {}
    for index, (name, value) in enumerate(
        [("x", [1.0, 2.0]), ("steps", 2), ("rate", 0.1), ("flag", True)]
    ):
        kind, bads = bad_values(name, value, None, False, False)
        kinds[name] = kind
        for bad in bads:
            varied = copy.deepcopy(tree)
            if index == 0:
                varied.args[0] = ast.Name(id=_BAD, ctx=ast.Load())
            else:
                varied.keywords[index - 1].value = ast.Name(id=_BAD, ctx=ast.Load())
            variant = Variant(
                module=__name__,
                target="_toy",
                setup=(),
                call=ast.fix_missing_locations(varied),
                argument=name,
                source=ast.unparse(tree.args[0] if index == 0 else tree.keywords[index - 1].value),  # noqa: E501
                kind=kind,
                bad=bad,
                errors=(ValueError, TypeError),
            )
            outcome = classify(variant, {"_toy": _toy})
            kinds[(name, bad.label)] = outcome.kind
    assert kinds["x"] == "vector" and kinds["steps"] == "count" and kinds["rate"] == "rate"
    assert kinds["flag"] == "flag"
    assert kinds[("x", "<with nan>")] == "silent"  # NaN returned
    assert kinds[("x", "<strings>")] == "unclear"  # numpy's own TypeError, naming no argument
    assert kinds[("steps", "0")] == "unclear"  # ZeroDivisionError
    assert kinds[("steps", "2.5")] == "accepted"  # may be valid
    assert kinds[("rate", "True")] == "silent"  # returned for an invalid value
    assert kinds[("flag", "'False'")] == "silent"


def test_a_clear_message_names_the_argument_as_a_word():
    assert _names("x must be finite, got nan", "x")
    assert not _names("expected a number", "x")  # the x of "expected" is not the argument
    assert _names("rates[0] must be positive", "rates")


def main() -> None:
    outcomes = sweep()
    print(summary(outcomes))
    failed = failures(outcomes)
    print(f"\n{len(failed)} failing variants:")
    print("\n".join(failed))
    if "--accepted" in sys.argv:
        print("\naccepted:")
        for o in outcomes:
            if o.kind == "accepted":
                print(
                    f"{o.variant.target} ({o.variant.argument}): {o.variant.text()} -> {o.detail}"
                )


if __name__ == "__main__":
    main()
