"""Every bad input refused: a meta-test over the public functions of every engine and of ``theory/``.

Enumeration: every public (no leading underscore) function defined in a module of ``simulations/{pai,
graphs,ntk,iht,lyapunov,plateau}`` (subpackages included), ``simulations/rng.py``, ``simulations/data.py``
and ``theory/*.py`` -- except the claim machinery another part of the project owns (``theory/claims``,
``registry``, ``decide``, ``ledger``, ``*_rules``).  Each function is either

* **fuzzed**: it has a valid baseline call (``BASE`` in ``bad_input_tables.py``: argument values by parameter name and
  annotation, overridden per function), and each argument in turn is replaced by hostile values --
  NaN and inf scalars and arrays (hypothesis picks where the NaN goes), negative and zero sizes,
  out-of-range levels, probabilities and densities, wrong shapes, empty arrays, wrong dtypes.  Every call
  must either return a finite result (NaN only inside a dict that flags it) or raise ``ValueError`` /
  ``TypeError`` whose message names the parameter.  A NaN scalar, a negative size and an out-of-range
  probability must raise (a result would be a silent wrong answer); or
* **excluded**, listed in ``EXCLUDED`` / ``EXCLUDED_RULES`` (or, fuzzable in principle but without a baseline,
  ``NO_BASELINE``) with its reason.  The coverage test fails when a public function is neither, so nothing is
  excluded silently.  The tables live in the sibling module ``bad_input_tables.py``.

``KNOWN_GAPS`` lists (function, parameter, case) triples that still fail the contract, each with a note;
the test asserts they still fail (so the list shrinks as they are fixed, and cannot hide a fixed one).
"""
from __future__ import annotations

import importlib
import inspect
import math
import pkgutil
import re
import warnings

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from .bad_input_tables import (ALWAYS_INVALID_PROB, BASE, EXCLUDED, EXCLUDED_RULES, KNOWN_GAPS, NAME_TABLE,
                               NEG_INT_OK, NEG_INT_OK_FOR, NO_BASELINE, PROB_OK_FOR, RESULT)

ENGINES = ["simulations.pai", "simulations.graphs", "simulations.ntk", "simulations.iht", "simulations.lyapunov",
           "simulations.plateau"]
SINGLE = ["simulations.rng", "simulations.data"]
THEORY_OWNED_ELSEWHERE = {"theory.claims", "theory.registry", "theory.decide", "theory.ledger"}


def _modules() -> list[str]:
    mods = []
    for pkgname in ENGINES:
        pkg = importlib.import_module(pkgname)
        mods += [m.name for m in pkgutil.walk_packages(pkg.__path__, prefix=pkgname + ".") if not m.ispkg]
    mods += SINGLE
    import theory

    for m in pkgutil.iter_modules(theory.__path__):
        name = f"theory.{m.name}"
        if m.ispkg or name in THEORY_OWNED_ELSEWHERE or name.endswith("_rules"):
            continue
        mods.append(name)
    return sorted(mods)


def public_functions() -> dict:
    out = {}
    for name in _modules():
        mod = importlib.import_module(name)
        for attr, obj in vars(mod).items():
            if attr.startswith("_") or getattr(obj, "__module__", None) != name:
                continue
            if inspect.isfunction(obj):
                out[f"{name}.{attr}"] = obj
    return out


# ----------------------------------------------------------------------------------- argument table


def _kind(param) -> str | None:
    ann = param.annotation
    if ann is inspect.Parameter.empty:
        return None
    ann = str(ann)
    if ann.startswith("int"):
        return "int"
    if ann.startswith("float"):
        return "float"
    if "ndarray" in ann:
        return "array"
    return None


def _value(v):
    v = v() if callable(v) else v
    return v.copy() if isinstance(v, np.ndarray) else v


def baseline(qual: str, fn) -> dict | None:
    """Keyword arguments of a valid call, or None when the table has no value for a required parameter."""
    sig = inspect.signature(fn)
    kw = {}
    override = BASE.get(qual, {})
    for name, p in sig.parameters.items():
        if p.kind in (p.VAR_POSITIONAL, p.VAR_KEYWORD):
            continue
        if name in override:
            kw[name] = _value(override[name])
            continue
        if name in NAME_TABLE and NAME_TABLE[name] is not None:
            v = NAME_TABLE[name]
            if isinstance(v, dict):
                k = _kind(p)
                v = v.get(k, v.get(None)) if k in v or None in v else None
                if v is None:
                    if p.default is p.empty:
                        return None
                    continue
            kw[name] = _value(v)
        elif p.default is p.empty:
            return None
    return kw


# ---------------------------------------------------------------------------------------- the contract


def _finite(obj, depth=0) -> bool:
    if depth > 6:
        return True
    if isinstance(obj, dict):
        if obj.get("flag") or obj.get("flags"):
            return True   # NaN flagged by the function itself: a checked result
        return all(_finite(v, depth + 1) for v in obj.values())
    if isinstance(obj, (list, tuple)):
        return all(_finite(v, depth + 1) for v in obj)
    if isinstance(obj, (bool, np.bool_, str, bytes, type(None))):
        return True
    if isinstance(obj, (int, np.integer)):
        return True
    if isinstance(obj, (float, np.floating, complex, np.complexfloating)):
        return bool(np.isfinite(obj))
    if isinstance(obj, np.ndarray):
        if obj.dtype.kind in "fc":
            return bool(np.all(np.isfinite(obj)))
        if obj.dtype == object:
            return all(_finite(v, depth + 1) for v in obj.ravel())
        return True
    if hasattr(obj, "__dataclass_fields__"):
        return all(_finite(getattr(obj, f), depth + 1) for f in obj.__dataclass_fields__)
    return True


def _names(msg: str, param: str) -> bool:
    return re.search(rf"(?<![A-Za-z0-9_]){re.escape(param)}(?![A-Za-z0-9_])", msg) is not None


def _hostile(name: str, value, kind: str | None, qual: str = ""):
    """(case, value, must_raise) triples for one argument."""
    out = []
    if isinstance(value, (bool, np.bool_)):
        return out
    if isinstance(value, (int, np.integer)):
        if name not in NEG_INT_OK and name not in NEG_INT_OK_FOR.get(qual, ()):
            out.append(("negative int", -1, True))
        out.append(("zero int", 0, False))
        out.append(("float for int", 2.5, False))
        out.append(("nan for int", float("nan"), True))
    elif isinstance(value, (float, np.floating)):
        out.append(("nan", float("nan"), True))
        out.append(("inf", float("inf"), False))
        out.append(("-inf", float("-inf"), False))
        out.append(("negative", -abs(float(value)) - 0.5, False))
        prob_like = name in ALWAYS_INVALID_PROB or (name in ("p", "alpha") and 0 < value < 1)
        if prob_like and name not in PROB_OK_FOR.get(qual, ()):
            out.append(("above 1", 1.5, True))
            out.append(("below 0", -0.1, True))
    elif isinstance(value, np.ndarray) and value.dtype.kind in "fiub" and value.size:
        a = value.astype(float)
        out.append(("nan array", "NAN", False))
        inf = a.copy()
        inf.flat[-1] = np.inf
        out.append(("inf array", inf, False))
        out.append(("empty array", a[:0], False))
        out.append(("extra axis", a[None, ...], False))
        out.append(("string array", np.array(["a"] * a.size).reshape(a.shape), False))
        if a.ndim >= 2:
            out.append(("flattened", a.ravel(), False))
    return out




def _call(fn, kw):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with np.errstate(all="ignore"):
            out = fn(**kw)
    qual = f"{fn.__module__}.{fn.__name__}"
    return RESULT[qual](out) if qual in RESULT else out


def _fuzzable():
    out = {}
    for qual, fn in public_functions().items():
        if qual in EXCLUDED or any(rule(qual, fn) for rule, _ in EXCLUDED_RULES):
            continue
        out[qual] = fn
    return out


FUNCS = _fuzzable()


def _check_one(qual, fn, kw, name, case, value, must_raise):
    """None when the call keeps the contract, else a one-line description of the breach."""
    args = dict(kw)
    args[name] = value
    try:
        out = _call(fn, args)
    except (ValueError, TypeError) as exc:
        msg = str(exc)
        if not _names(msg, name):
            return f"{type(exc).__name__} does not name {name!r}: {msg[:150]}"
        return None
    except Exception as exc:  # noqa: BLE001 - any other exception breaks the contract
        return f"{type(exc).__name__}: {str(exc)[:150]}"
    if must_raise:
        return f"returned {str(out)[:80]!r} (silent result)"
    if not _finite(out):
        return f"returned a non-finite result {str(out)[:80]!r}"
    return None


def _cases(qual):
    fn = FUNCS[qual]
    kw = baseline(qual, fn)
    if kw is None:
        return fn, None, []
    cases = []
    for name, value in kw.items():
        p = inspect.signature(fn).parameters[name]
        for case, v, must in _hostile(name, value, _kind(p), qual):
            cases.append((name, case, v, must))
    return fn, kw, cases


def test_every_public_function_is_fuzzed_or_excluded_with_a_reason():
    """No silent exclusion: each public function has a baseline that runs, or a listed reason."""
    no_base = []
    for qual in sorted(FUNCS):
        if qual in NO_BASELINE:
            continue
        fn = FUNCS[qual]
        kw = baseline(qual, fn)
        if kw is None:
            no_base.append(f"{qual}: no value for a required parameter")
            continue
        try:
            out = _call(fn, kw)
        except Exception as exc:  # noqa: BLE001
            no_base.append(f"{qual}: baseline raised {type(exc).__name__}: {str(exc)[:100]}")
            continue
        if not _finite(out):
            no_base.append(f"{qual}: baseline result not finite")
    assert not no_base, "functions without a working baseline (add one to BASE or list them):\n" + \
        "\n".join(no_base)
    stale = sorted(set(NO_BASELINE) - set(FUNCS))
    assert not stale, f"NO_BASELINE names functions that are gone or excluded: {stale}"




@pytest.mark.parametrize("qual", sorted(q for q in FUNCS if q not in NO_BASELINE))
def test_bad_inputs_are_refused(qual):
    fn, kw, cases = _cases(qual)
    if kw is None:
        pytest.fail(f"{qual} has no baseline (see the coverage test)")
    breaches = []
    for name, case, value, must in cases:
        if isinstance(value, str) and value == "NAN":
            continue  # hypothesis-driven below
        b = _check_one(qual, fn, kw, name, case, value, must)
        key = f"{qual}:{name}:{case}"
        if b and key not in KNOWN_GAPS:
            breaches.append(f"{name} <- {case}: {b}")
        if not b and key in KNOWN_GAPS:
            breaches.append(f"{key} is listed in KNOWN_GAPS but keeps the contract now: remove it")
    nan_params = [(n, kw[n]) for n, case, v, m in cases if isinstance(v, str) and v == "NAN"]

    @settings(max_examples=4, deadline=None, database=None, derandomize=True,
              suppress_health_check=list(HealthCheck))
    @given(st.data())
    def nan_anywhere(data):
        for name, value in nan_params:
            if f"{qual}:{name}:nan array" in KNOWN_GAPS:
                continue  # known to break; its first NaN position was checked when it was listed
            a = np.asarray(value, dtype=float).copy()
            i = data.draw(st.integers(0, a.size - 1), label=f"nan index in {name}")
            a.flat[i] = np.nan
            b = _check_one(qual, fn, kw, name, "nan array", a, False)
            key = f"{qual}:{name}:nan array"
            if b and key not in KNOWN_GAPS:
                breaches.append(f"{name} <- NaN at flat index {i}: {b}")

    if nan_params:
        nan_anywhere()
    breaches = sorted(set(breaches))
    assert not breaches, f"{qual}:\n  " + "\n  ".join(breaches)


# ------------------------------------------------------------------------- the issue's named examples


def _lin2(state, t):
    A = np.array([[0.5, 0.1], [0.0, 0.8]])
    return A @ state, A


NAMED = [
    # (call, parameter the message must name) -- each was a silent wrong result before
    (lambda: __import__("simulations.iht.topk", fromlist=["x"]).top_indices(np.array([1, np.nan, 3, 2]), 2), "a"),
    (lambda: __import__("simulations.lyapunov.order_parameters", fromlist=["x"]).ftle_variance([0.1, 0.2, 0.3], T=-1),
     "T"),
    (lambda: __import__("theory.stats", fromlist=["x"]).wilson_interval(3, 10, level=1.5), "level"),
    (lambda: __import__("simulations.pai.threshold", fromlist=["x"]).density_from_compression(float("inf")), "c"),
    (lambda: __import__("simulations.graphs.cutnorm", fromlist=["x"]).cut_norm_sdp(np.ones((3, 3)), max_iter=0),
     "max_iter"),
    (lambda: __import__("theory.ntk_kernels", fromlist=["x"]).graphon_ntk(np.ones((2, 3)), sigma_w=float("nan")),
     "sigma_w"),
    (lambda: __import__("simulations.graphs.homomorphism", fromlist=["x"]).t_of_graphon("K22", float("nan")), "W"),
    (lambda: __import__("simulations.graphs.homomorphism", fromlist=["x"]).t_of_graphon(
        "K22", lambda u, v: np.full(np.broadcast(u, v).shape, np.nan), Q=8), "W"),
    (lambda: __import__("simulations.lyapunov.estimator", fromlist=["x"]).lyapunov_spectrum(
        _lin2, np.array([np.nan, 1.0]), 2, k=2, rng=np.random.default_rng(0)), "state"),
    (lambda: __import__("simulations.lyapunov.estimator", fromlist=["x"]).lyapunov_spectrum(
        _lin2, np.array([1.0, 1.0]), 4, Q0=np.ones((3, 4))), "Q0"),
    (lambda: __import__("simulations.lyapunov.estimator", fromlist=["x"]).lyapunov_spectrum(
        _lin2, np.array([1.0, 1.0]), 2, Q0=np.array([[1.0, 0.5], [0.0, 1.0]])), "Q0"),
]


@pytest.mark.parametrize("i", range(len(NAMED)))
def test_the_issues_silent_results_are_now_errors_naming_the_parameter(i):
    call, name = NAMED[i]
    with pytest.raises((ValueError, TypeError)) as info:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            call()
    assert _names(str(info.value), name), str(info.value)
