"""Limit properties: property-based tests of a finite-width statistic against a predicted limit.

A *limit property* says: for every configuration drawn from the space a theorem covers, the statistic that a
finite simulation measures lies within an envelope around the limit the theory predicts.  It has five parts:

* ``configs``: a hypothesis strategy of configuration dicts (the theorem's hypotheses, written as ranges);
* ``simulate(config, seed) -> statistic``: a float, or a dict ``{name: float}`` of several statistics;
* ``limit(config) -> value`` (same shape as the statistic): what the theory predicts;
* the envelope, ``radius = bias(config) + scale(config) * t``: ``bias`` bounds the systematic gap at finite
  size (e.g. the expected cut norm of centred noise, a quadrature error), ``scale`` is a sub-Gaussian scale of
  the fluctuation (e.g. ``C / sqrt(n)``), both declared with their derivation before any run;
* ``delta``: the family-wise false-alarm rate of one run of the property.

The *standardised deviation* of one statistic is ``z = (|statistic - limit| - bias) / scale``.  Under the
property's own assumptions ``P(z > t) <= 2 exp(-t^2 / 2)`` (a sub-Gaussian tail with variance proxy 1, which a
Gaussian, a Hoeffding-bounded average and a binomial proportion with ``scale = 1 / (2 sqrt(m))`` all satisfy).
A run draws at most ``m = max_examples + len(examples)`` configurations with ``K`` statistics each; every
statistic is tested at level ``delta / (m K)``, i.e. against the critical value
``t* = sqrt(2 log(2 m K / delta))``.  By the union bound, a run of a correct engine with a correct envelope fails
with probability at most ``delta`` (``DEFAULT_DELTA = 1e-4``).  Simulation seeds are derived from the config
(:func:`seed_of`), so a failing configuration reproduces exactly, and hypothesis shrinks it to a minimal one.

:func:`check_limit` runs a property; :func:`null_deviations` draws the null distribution of ``z`` at one
configuration over many seeds (calibration).  numpy + hypothesis only.
"""
from __future__ import annotations

import hashlib
import json
import math
from dataclasses import dataclass, field
from typing import Any, Callable, Mapping

import numpy as np
from hypothesis import HealthCheck, example, given, note, settings
from hypothesis.strategies import SearchStrategy

DEFAULT_DELTA = 1e-4



class LimitViolation(AssertionError):
    """A statistic left its envelope; the message says how to reproduce and pin the configuration."""


def _zero(config) -> float:
    return 0.0


@dataclass(frozen=True)
class Pinned:
    """A configuration that once failed, kept as an explicit hypothesis ``@example`` with what it showed."""

    config: dict
    why: str


@dataclass(frozen=True)
class LimitProperty:
    """See the module docstring.  ``hypotheses``: the theorem's hypotheses in words (shown in reports);
    ``derivation``: where ``bias`` and ``scale`` come from (declared before any run, never tuned after one)."""

    name: str
    configs: SearchStrategy
    simulate: Callable[[dict, int], Any]
    limit: Callable[[dict], Any]
    scale: Callable[[dict], Any]
    bias: Callable[[dict], Any] = _zero
    delta: float = DEFAULT_DELTA
    hypotheses: str = ""
    derivation: str = ""

    def __post_init__(self):
        if not isinstance(self.name, str) or not self.name:
            raise ValueError("name must be a non-empty string")
        if not isinstance(self.configs, SearchStrategy):
            raise ValueError(f"configs must be a hypothesis strategy, got {type(self.configs).__name__}")
        for k in ("simulate", "limit", "scale", "bias"):
            if not callable(getattr(self, k)):
                raise ValueError(f"{k} must be callable")
        _check_delta(self.delta)


@dataclass
class LimitReport:
    """Outcome of one run: the worst standardised deviation seen, where, and the critical value used."""

    name: str
    examples_run: int = 0
    worst_z: float = -math.inf
    worst_config: dict | None = None
    worst_statistic: str | None = None
    critical: float = math.nan
    delta: float = DEFAULT_DELTA
    per_test_level: float = math.nan
    history: list = field(default_factory=list)

    def summary(self) -> str:
        return (f"{self.name}: {self.examples_run} configurations, worst z = {self.worst_z:.3g} "
                f"({self.worst_statistic}) at {self.worst_config}; critical t* = {self.critical:.3g} "
                f"(family-wise delta = {self.delta:g}, per test {self.per_test_level:.3g})")


# ---------------------------------------------------------------------------------------------- pieces
def _check_delta(delta) -> float:
    if not isinstance(delta, (int, float)) or not 0.0 < float(delta) < 1.0:
        raise ValueError(f"delta must be a float in (0, 1), got {delta!r}")
    return float(delta)


def _canonical(config) -> str:
    if not isinstance(config, Mapping):
        raise ValueError(f"config must be a dict, got {type(config).__name__}")
    return json.dumps(config, sort_keys=True, default=repr, separators=(",", ":"))


def seed_of(config: Mapping, salt: int = 0) -> int:
    """A 63-bit seed derived from the configuration (and ``salt``): the same config always simulates the same."""
    if not isinstance(salt, (int, np.integer)) or salt < 0:
        raise ValueError(f"salt must be a non-negative integer, got {salt!r}")
    h = hashlib.sha256(f"{_canonical(config)}|{int(salt)}".encode()).digest()
    return int.from_bytes(h[:8], "little") >> 1


def critical_value(level: float) -> float:
    """t with 2 exp(-t^2/2) = level: the sub-Gaussian two-sided critical value at this level."""
    if not 0.0 < level < 1.0:
        raise ValueError(f"level must be in (0, 1), got {level!r}")
    return math.sqrt(2.0 * math.log(2.0 / level))


def _as_dict(x, what: str) -> dict:
    if isinstance(x, Mapping):
        if not x:
            raise ValueError(f"{what} returned an empty dict")
        return {str(k): float(v) for k, v in x.items()}
    return {"value": float(x)}


def _broadcast(x, keys, what: str) -> dict:
    if isinstance(x, Mapping):
        d = {str(k): float(v) for k, v in x.items()}
        missing = set(keys) - set(d)
        if missing:
            raise ValueError(f"{what} lacks statistics {sorted(missing)}")
        return d
    return {k: float(x) for k in keys}


def deviations(prop: LimitProperty, config: dict, seed: int) -> dict:
    """{statistic: (value, limit, bias, scale, z)} for one simulation of ``config`` with ``seed``."""
    stat = _as_dict(prop.simulate(config, seed), "simulate")
    keys = list(stat)
    lim = _broadcast(prop.limit(config), keys, "limit")
    bias = _broadcast(prop.bias(config), keys, "bias")
    scale = _broadcast(prop.scale(config), keys, "scale")
    out = {}
    for k in keys:
        if not scale[k] > 0 or not math.isfinite(scale[k]):
            raise ValueError(f"scale of {k!r} must be positive and finite, got {scale[k]!r} at {config}")
        if bias[k] < 0 or not math.isfinite(bias[k]):
            raise ValueError(f"bias of {k!r} must be non-negative and finite, got {bias[k]!r} at {config}")
        v, l = stat[k], lim[k]
        z = math.inf if not (math.isfinite(v) and math.isfinite(l)) else (abs(v - l) - bias[k]) / scale[k]
        out[k] = (v, l, bias[k], scale[k], z)
    return out


# ------------------------------------------------------------------------------------------------ runs
def check_limit(prop: LimitProperty, *, max_examples: int, examples=(), salt: int = 0,
                test_id: str | None = None) -> LimitReport:
    """Run ``prop`` on ``max_examples`` drawn configurations plus the pinned ``examples`` (:class:`Pinned`).

    Every statistic is tested against ``t* = critical_value(delta / (m K))``.  On a violation hypothesis
    shrinks to a minimal configuration and :class:`LimitViolation` says how to reproduce and pin it.  The
    hypothesis profile in force (random ``ci`` or derandomised ``repro``) decides which configurations are
    drawn; ``salt`` changes the seeds derived from them."""
    if not isinstance(prop, LimitProperty):
        raise ValueError(f"prop must be a LimitProperty, got {type(prop).__name__}")
    if not isinstance(max_examples, int) or max_examples < 1:
        raise ValueError(f"max_examples must be a positive integer, got {max_examples!r}")
    pins = list(examples)
    for p in pins:
        if not isinstance(p, Pinned):
            raise ValueError(f"examples must be Pinned(config, why) entries, got {type(p).__name__}")
    m = max_examples + len(pins)
    report = LimitReport(prop.name, delta=prop.delta)
    where = test_id or prop.name

    def run_one(config):
        seed = seed_of(config, salt)
        dev = deviations(prop, config, seed)
        level = prop.delta / (m * len(dev))
        tcrit = critical_value(level)
        report.critical, report.per_test_level = tcrit, level
        report.examples_run += 1
        name, (v, l, b, s, z) = max(dev.items(), key=lambda kv: kv[1][4])
        report.history.append((dict(config), name, z))
        if z > report.worst_z:
            report.worst_z, report.worst_config, report.worst_statistic = z, dict(config), name
        note(f"{prop.name}: seed {seed}; " + "; ".join(
            f"{k}: stat {a:.6g} limit {c:.6g} bias {d:.3g} scale {e:.3g} z {f:.3g}"
            for k, (a, c, d, e, f) in dev.items()))
        if z > tcrit:
            raise LimitViolation(
                f"{prop.name}: statistic {name!r} = {v:.6g} is outside the envelope of the limit {l:.6g}: "
                f"|dev| = {abs(v - l):.4g} > bias {b:.4g} + scale {s:.4g} x t* {tcrit:.3f} "
                f"(z = {z:.3f}; per-test level {level:.3g}, family-wise {prop.delta:g} over {m} x {len(dev)} tests)."
                f"\n  config: {config}\n  seed: {seed} (= seed_of(config, salt={salt}))"
                f"\n  reproduce: deviations(PROPERTY, {config!r}, seed_of({config!r}, {salt}))  [in {where}]"
                f"\n  pin it:   Pinned({config!r}, why='...what it showed...')")

    def _property(config):
        run_one(config)

    # one example-database key per property (the inner function's source is shared by every property)
    _property._hypothesis_internal_add_digest = f"{prop.name}|{where}|{salt}".encode()
    _property = given(prop.configs)(_property)
    _property = settings(parent=settings.default, max_examples=max_examples, deadline=None,
                         suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much,
                                                HealthCheck.data_too_large])(_property)
    for p in reversed(pins):
        _property = example(config=p.config)(_property)
    _property()
    return report


def null_deviations(prop: LimitProperty, config: dict, seeds) -> np.ndarray:
    """Max-over-statistics z at ``config`` for each seed (the null distribution, for calibration)."""
    seeds = list(seeds)
    if not seeds:
        raise ValueError("seeds must be a non-empty sequence of integers")
    return np.array([max(d[4] for d in deviations(prop, config, int(s)).values()) for s in seeds])


def coverage(z: np.ndarray, level: float, n_stats: int = 1) -> float:
    """Empirical coverage P(z <= t) of the envelope at nominal level ``level`` (per statistic, K = n_stats)."""
    z = np.asarray(z, float)
    if z.ndim != 1 or z.size == 0:
        raise ValueError("z must be a non-empty 1-D array")
    return float(np.mean(z <= critical_value(level / n_stats)))
