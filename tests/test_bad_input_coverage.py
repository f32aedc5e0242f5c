"""Every public callable of dlpractice has bad-input cases, or a reason why not (issue 13).

The public callables are found by introspection: every module of the package whose name
does not start with ``_``, every function and class defined in it whose name does not start
with ``_``, and every method, property, classmethod and staticmethod defined in the body of
such a class (plus ``__getitem__`` and ``__call__``, which users call through syntax). A new
public function without a Case in some ``tests/test_bad_input_<group>.py`` and without an
entry in :data:`EXEMPT` fails :func:`test_every_public_callable_has_bad_input_cases`.
The failure marks the callables that take no arguments (besides ``self``): an EXEMPT
entry is the usual answer for them, unless the object's state can be bad (``Value(1000.0)
.exp()`` takes no arguments and still overflows: it needs a Case).
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from pathlib import Path

import dlpractice
from bad_inputs import Case

#: Dunder methods that are part of a class's public interface.
PUBLIC_DUNDERS = {"__getitem__", "__call__"}

_NO_ARGS = "takes no arguments: there is no bad input to give it"
_RECORD = "a record (dataclass or NamedTuple) the package builds; its fields are not checked"

#: Public callables with no bad-input cases, each with its reason.
EXEMPT: dict[str, str] = {
    # engines group (the other helper's modules): methods without arguments
    "dlpractice.autograd.Value.topological_order": _NO_ARGS,
    "dlpractice.autograd.Value.zero_grad": _NO_ARGS,
    "dlpractice.engine_nn.Linear.parameters": _NO_ARGS,
    "dlpractice.engine_nn.MLP.parameters": _NO_ARGS,
    "dlpractice.engine_nn.ScalarTwoLayerNet.parameters": _NO_ARGS,
    "dlpractice.monitor.EarlyStopping.close": _NO_ARGS + " (closing twice is harmless)",
    "dlpractice.monitor.EarlyStopping.should_stop": _NO_ARGS + " (a property)",
    "dlpractice.monitor.TensorBoardBackend.close": _NO_ARGS + " (closing twice is harmless)",
    "dlpractice.monitor.TrainingMonitor.close": _NO_ARGS + " (closing twice is harmless)",
    "dlpractice.monitor.TrainingMonitor.names": _NO_ARGS + " (a property)",
    "dlpractice.monitor.VisdomBackend.close": _NO_ARGS + " (closing twice is harmless)",
    "dlpractice.two_layer_net.SavedForBackward.size": _NO_ARGS + " (a property)",
    # core group
    "dlpractice.data.course_data": _NO_ARGS,
    "dlpractice.descent.History.final": _NO_ARGS,
    "dlpractice.descent.History.updates": _NO_ARGS + " (a property)",
    "dlpractice.training.TrainingHistory.updates": _NO_ARGS + " (a property)",
    "dlpractice.generalization.DegreeErrors.best_degree": _NO_ARGS + " (a property)",
    "dlpractice.generalization.PolynomialFit.degree": _NO_ARGS + " (a property)",
    "dlpractice.momentum.MomentumRun.steps": _NO_ARGS + " (a property)",
    "dlpractice.plotting.use_book_style": _NO_ARGS,
    "dlpractice.cost_landscape.Minimum": _RECORD,
    "dlpractice.cost_landscape.Surface": _RECORD + "; grid_minimum and the figures check it",
    "dlpractice.cost_landscape.SufficientStatistics": _RECORD + "; built by from_data",
    "dlpractice.data.Dataset": _RECORD,
    "dlpractice.divergence.DivergenceError": "an exception class: it is raised, not called",
    "dlpractice.descent.History": _RECORD,
    "dlpractice.graph_drawing.GraphGeometry": _RECORD,
    "dlpractice.generalization.DegreeErrors": _RECORD,
    "dlpractice.generalization.PolynomialFit": _RECORD + "; built by fit_polynomial",
    "dlpractice.generalization.Split": _RECORD,
    "dlpractice.momentum.MomentumRun": _RECORD,
    "dlpractice.momentum.Settings": _RECORD,
    "dlpractice.optimizer_comparison.GridFit": _RECORD,
    "dlpractice.optimizer_comparison.RaceResult": _RECORD,
    "dlpractice.training.Monitor": "a typing.Protocol: it describes an interface, holds no code",
    "dlpractice.training.Monitor.log": "the Protocol's method signature, with no body",
    "dlpractice.training.TrainingHistory": _RECORD + "; train fills it",
}


def _takes_no_arguments(value: object) -> bool:
    """Whether a function, method or property takes nothing but ``self`` (or ``cls``)."""
    function = value.fget if isinstance(value, property) else value
    function = getattr(function, "__func__", function)  # classmethod, staticmethod
    if not callable(function):
        return False
    try:
        parameters = list(inspect.signature(function).parameters.values())
    except (TypeError, ValueError):  # a builtin without a signature, such as an exception
        return False
    if parameters and parameters[0].name in ("self", "cls"):
        parameters = parameters[1:]
    return not parameters


def no_argument_callables() -> set[str]:
    """Public callables that take no arguments: there is no bad input to give them."""
    return {name for name, value in _public_objects().items() if _takes_no_arguments(value)}


def public_callables() -> set[str]:
    """The qualified names of every public function, class and method of dlpractice."""
    return set(_public_objects())


def _public_objects() -> dict[str, object]:
    found = {}
    for info in pkgutil.iter_modules(dlpractice.__path__):
        if info.name.startswith("_"):
            continue
        module = importlib.import_module(f"dlpractice.{info.name}")
        for name, obj in vars(module).items():
            if name.startswith("_") or getattr(obj, "__module__", None) != module.__name__:
                continue
            if not (inspect.isfunction(obj) or inspect.isclass(obj)):
                continue
            found[f"{module.__name__}.{name}"] = obj
            if not inspect.isclass(obj):
                continue
            for attr, value in vars(obj).items():
                if attr.startswith("_") and attr not in PUBLIC_DUNDERS:
                    continue
                kinds = (property, classmethod, staticmethod)
                if inspect.isfunction(value) or isinstance(value, kinds):
                    found[f"{module.__name__}.{name}.{attr}"] = value
    return found


def all_cases() -> list[Case]:
    """The CASES of every ``tests/test_bad_input_<group>.py``."""
    cases = []
    for path in sorted(Path(__file__).parent.glob("test_bad_input_*.py")):
        if path.stem == Path(__file__).stem:
            continue
        module = importlib.import_module(path.stem)
        cases.extend(module.CASES)
    return cases


def test_every_public_callable_has_bad_input_cases():
    covered = {case.target for case in all_cases()}
    missing = sorted(public_callables() - covered - set(EXEMPT))
    no_arguments = no_argument_callables()
    lines = [f"{name} (takes no arguments)" if name in no_arguments else name for name in missing]
    assert not missing, (
        f"{len(missing)} public callables have no bad-input Case and no EXEMPT entry "
        f"(tests/test_bad_input_coverage.py):\n" + "\n".join(lines)
    )


def test_cases_and_exemptions_name_real_callables():
    public = public_callables()
    stale_cases = sorted({case.target for case in all_cases()} - public)
    stale_exempt = sorted(set(EXEMPT) - public)
    assert not stale_cases, f"Cases target no public callable: {stale_cases}"
    assert not stale_exempt, f"EXEMPT names no public callable: {stale_exempt}"


def test_nothing_is_both_covered_and_exempt():
    both = sorted({case.target for case in all_cases()} & set(EXEMPT))
    assert not both, f"these have Cases and an EXEMPT entry; drop the entry: {both}"
