"""Argument checks shared by ``theory/`` and the engines: bad input is refused with a message that names the
parameter and what is allowed, never turned into a silent wrong result.

:func:`guard_module` wraps the public functions of a module (called once, at the end of the module) with
checks derived from each parameter's annotation and name:

* ``int`` / ``int | None``: an integer (an integral float is accepted; NaN, 2.5, a string or a bool are
  refused) and, unless the name is in ``NEG_INT_OK``, not negative; a size or count named in
  ``POSITIVE_INT`` must be >= 1;
* ``float`` / ``float | None``, and any other parameter given a scalar: a real number, never NaN; not
  infinite unless the name is in ``INF_OK`` or the default is infinite; a probability-like name (``PROB``)
  must lie in [0, 1]; a scale named in ``POSITIVE_REAL`` must be > 0;
* any parameter given a NumPy array: numeric (not strings or objects), no NaN, no infinity (unless the name
  is in ``INF_OK``), not empty when the parameter is required (unless listed in ``empty_ok``); a
  probability-like ``float`` parameter must lie in [0, 1].

A function's own checks still apply after these; they cover what the function's domain adds (shapes,
strict ranges).  Torch tensors and other objects pass through untouched.
"""
from __future__ import annotations

import functools
import inspect
import math
import numbers

import numpy as np

NEG_INT_OK = frozenset({"axis", "shift", "offset", "channel", "dim"})
INF_OK = frozenset({"atol", "rtol", "tol", "upper", "max_value", "bound", "cap"})
# sizes and counts that must be >= 1 (an int parameter of one of these names)
POSITIVE_INT = frozenset({"n", "d", "N", "Q", "q", "T", "nodes", "n_nodes", "n_u", "width", "m", "p", "s_prime",
                          "max_iter", "iters", "restarts", "n_blocks", "batch", "chunk", "M", "K", "n_boot", "R",
                          "tries", "depth", "n_layers", "n_gh", "roundings", "max_side"})
# scales that must be > 0 (a scalar parameter of one of these names)
POSITIVE_REAL = frozenset({"sigma", "sigma_w", "sigma_a", "sigma_w2", "temperature", "half_width", "d_left",
                           "d_right", "weight", "bregman", "lr", "lr_scale", "eta", "mu_max"})
PROB = frozenset({"density", "sparsity", "prob", "test_fraction", "p0", "rho", "level"})

__all__ = ["guard_module", "check_int", "check_real", "check_prob", "check_array", "as_float_array"]


def check_int(value, name: str, *, minimum: int | None = 0) -> int:
    """``value`` as an int; TypeError/ValueError naming ``name`` otherwise."""
    if isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{name} must be an integer, got the bool {value!r}")
    if isinstance(value, (numbers.Integral, np.integer)):
        v = int(value)
    elif isinstance(value, (numbers.Real, np.floating)):
        if not math.isfinite(float(value)) or float(value) != int(value):
            raise ValueError(f"{name} must be an integer, got {value!r}")
        v = int(value)
    else:
        raise TypeError(f"{name} must be an integer, got {type(value).__name__} {value!r:.60}")
    if minimum is not None and v < minimum:
        what = {0: "a non-negative integer", 1: "a positive integer"}.get(minimum, f"an integer >= {minimum}")
        raise ValueError(f"{name} must be {what}, got {v}")
    return v


def check_real(value, name: str, *, allow_inf: bool = False) -> float:
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (numbers.Real, np.floating, np.integer)):
        raise TypeError(f"{name} must be a real number, got {type(value).__name__} {value!r:.60}")
    v = float(value)
    if math.isnan(v):
        raise ValueError(f"{name} must be a real number, got NaN")
    if math.isinf(v) and not allow_inf:
        raise ValueError(f"{name} must be finite, got {v}")
    return v


def check_prob(value, name: str) -> float:
    v = check_real(value, name)
    if not 0.0 <= v <= 1.0:
        raise ValueError(f"{name} must lie in [0, 1], got {v}")
    return v


def check_array(value, name: str, *, prob: bool = False, allow_inf: bool = False,
                allow_empty: bool = True) -> np.ndarray:
    """A numeric array without NaN or (unless ``allow_inf``) infinities, not empty unless ``allow_empty``,
    in [0, 1] when ``prob``; the array is returned unchanged."""
    a = value if isinstance(value, np.ndarray) else np.asarray(value)
    if a.dtype.kind in "USOV" or a.dtype.kind == "M" or a.dtype.kind == "m":
        raise TypeError(f"{name} must be a numeric array, got dtype {a.dtype}")
    if not allow_empty and a.size == 0:
        raise ValueError(f"{name} must be non-empty, got shape {a.shape}")
    if a.dtype.kind in "fc" and a.size and np.isnan(a).any():
        raise ValueError(f"{name} must be free of NaN ({int(np.isnan(a).sum())} of {a.size} entries are NaN)")
    if not allow_inf and a.dtype.kind in "fc" and a.size and np.isinf(a).any():
        raise ValueError(f"{name} must be finite ({int(np.isinf(a).sum())} of {a.size} entries are infinite)")
    if prob and a.size and a.dtype.kind in "fiu" and (np.nanmin(a) < 0 or np.nanmax(a) > 1):
        raise ValueError(f"{name} must lie in [0, 1], got values in [{np.nanmin(a)}, {np.nanmax(a)}]")
    return value


def as_float_array(value, name: str, *, ndim: int | None = None, allow_inf: bool = False,
                   allow_empty: bool = False) -> np.ndarray:
    """``value`` (an array or a nested list) as a float64 array, checked as :func:`check_array` does (numeric, no
    NaN, no infinity unless ``allow_inf``, not empty unless ``allow_empty``) and, with ``ndim``, of that many
    dimensions; ValueError/TypeError naming ``name`` otherwise."""
    try:
        a = np.asarray(value)
    except ValueError as exc:          # a ragged nested list
        raise ValueError(f"{name} must be a rectangular numeric array ({exc})") from None
    check_array(a, name, allow_inf=allow_inf, allow_empty=allow_empty)
    if ndim is not None and a.ndim != ndim:
        raise ValueError(f"{name} must be a {ndim}-D array, got shape {a.shape}")
    return a.astype(np.float64)


def _kind(param: inspect.Parameter) -> str | None:
    ann = param.annotation
    if ann is inspect.Parameter.empty:
        return None
    ann = ann if isinstance(ann, str) else getattr(ann, "__name__", str(ann))
    ann = ann.replace(" ", "")
    if ann in ("int", "int|None", "Optional[int]"):
        return "int"
    if ann in ("float", "float|None", "Optional[float]"):
        return "float"
    return None


def _checker(param: inspect.Parameter, prob_names, int_neg_ok, inf_ok, empty_ok=(), nonpositive_ok=(), ndim=None):
    name, kind = param.name, _kind(param)
    allow_inf = name in inf_ok or (isinstance(param.default, float) and math.isinf(param.default))
    is_prob = name in prob_names
    required = param.default is inspect.Parameter.empty
    pos_int = POSITIVE_INT - set(nonpositive_ok)
    pos_real = POSITIVE_REAL - set(nonpositive_ok)

    def check(v):
        if v is None or isinstance(v, (str, bytes)):
            return
        if kind == "int":
            check_int(v, name, minimum=None if name in int_neg_ok else (1 if name in pos_int else 0))
            return
        if isinstance(v, np.ndarray):
            if ndim is not None and v.ndim != ndim:
                raise ValueError(f"{name} must be a {ndim}-D array, got shape {v.shape}")
            check_array(v, name, prob=is_prob and kind == "float", allow_inf=allow_inf,
                        allow_empty=not (required and name not in empty_ok))
            return
        if isinstance(v, (bool, np.bool_)):
            return
        if isinstance(v, (numbers.Real, np.floating, np.integer)):
            if kind == "float" or isinstance(v, (float, np.floating)):
                x = check_real(v, name, allow_inf=allow_inf or kind is None and not isinstance(v, float))
                if is_prob and (kind == "float" or kind is None) and not 0.0 <= x <= 1.0:
                    raise ValueError(f"{name} must lie in [0, 1], got {x}")
                if name in pos_real and not x > 0:
                    raise ValueError(f"{name} must be positive (> 0), got {x}")
            return
        if kind == "float":
            check_real(v, name)

    return check


def guard(fn, *, prob=(), int_neg_ok=(), inf_ok=(), skip=(), empty_ok=(), nonpositive_ok=(), ndim=None):
    """``fn`` wrapped with the checks of its parameters (see the module docstring)."""
    sig = inspect.signature(fn)
    prob_names = PROB | set(prob)
    neg_ok = NEG_INT_OK | set(int_neg_ok)
    infs = INF_OK | set(inf_ok)
    checks = []
    for i, p in enumerate(sig.parameters.values()):
        if p.kind in (p.VAR_POSITIONAL, p.VAR_KEYWORD) or p.name in skip:
            continue
        pos = i if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD) else None
        checks.append((pos, p.name, _checker(p, prob_names, neg_ok, infs, set(empty_ok), set(nonpositive_ok),
                                             (ndim or {}).get(p.name))))
    if not checks:
        return fn

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        n = len(args)
        for pos, name, check in checks:
            if pos is not None and pos < n:
                check(args[pos])
            elif name in kwargs:
                check(kwargs[name])
        return fn(*args, **kwargs)

    wrapper.__wrapped_by_checks__ = True
    return wrapper


def guard_module(namespace: dict, *, exclude=(), prob=(), int_neg_ok=(), inf_ok=(), per_function=None,
                 ndim=None) -> None:
    """Wrap every public function defined in the module whose ``globals()`` is ``namespace``.

    ``exclude``: names left as they are (sweep cells, functions taking callables or models);
    ``ndim``: {parameter name: number of dimensions} a NumPy array given for it must have (module-wide);
    ``per_function``: {name: dict(prob=..., int_neg_ok=..., inf_ok=..., skip=..., ndim=...)} adjustments."""
    modname = namespace["__name__"]
    per_function = per_function or {}
    for name, obj in list(namespace.items()):
        if name.startswith("_") or name in exclude or not inspect.isfunction(obj) or obj.__module__ != modname:
            continue
        if getattr(obj, "__wrapped_by_checks__", False):
            continue
        params = inspect.signature(obj).parameters
        if "cell" in params:
            continue
        opts = dict(prob=prob, int_neg_ok=int_neg_ok, inf_ok=inf_ok, ndim=ndim)
        opts.update(per_function.get(name, {}))
        namespace[name] = guard(obj, **opts)
