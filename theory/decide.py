"""The one decision library: every verdict rule of the suite decides through these functions.

Semantics (``docs/verdicts.md`` states them in the same words):

* An **interval decision** compares a confidence interval ``[lo, hi]`` with the region the prediction allows
  ``[a, b]`` (either end may be infinite): ``supported`` only when the whole interval lies inside the region,
  ``refuted`` only when the whole interval lies outside it, ``inconclusive`` otherwise (it straddles an edge).
  A NaN interval is ``inconclusive`` (the evidence cannot decide), never ``supported``.
* **Equivalence** ("equal within a margin m") is a TOST: the (1 - 2α) interval of the difference must lie in
  ``[-m, m]`` for ``supported``; it is ``refuted`` when that interval lies entirely outside ``[-m, m]``.
* **Rates**: the fitted slope's interval against the predicted exponent ± tolerance (or a one-sided bound).
* **Comparisons**: a paired interval of the difference across seeds against the predicted side (and margin).
* **Proportions**: Wilson or Clopper–Pearson intervals against the predicted band.
* **Families**: Holm over the family's p-values; :func:`family` combines member verdicts (all supported ->
  supported, any refuted -> refuted, else inconclusive).
* **First crossing**: the first index of an ordered family whose test rejects under Holm's family-wise
  control (a single uncorrected early crossing cannot decide).
* **Exact checks** (:func:`exact`, :func:`all_hold`) are for quantities with no sampling error (identities of
  the suite's own code, closed forms); their tolerance is a rounding budget, not a confidence level.

Every function returns a :class:`theory.registry.Verdict` (verdict + one-line reason naming the interval and
the region) or plain data, so rules stay small and their reasons say what was compared with what.
"""
from __future__ import annotations

import math
from typing import Iterable, Mapping, Sequence

import numpy as np
from scipy import stats as _st

from theory import stats
from theory.registry import Verdict

INF = math.inf


def _num(name: str, x) -> float:
    try:
        v = float(x)
    except (TypeError, ValueError):
        raise TypeError(f"{name} must be a number, got {type(x).__name__}") from None
    return v


def _level(level: float) -> float:
    level = _num("level", level)
    if not 0 < level < 1:
        raise ValueError(f"level must be in (0, 1), got {level}")
    return level


def _pair(name: str, v) -> tuple[float, float]:
    try:
        a, b = v
    except (TypeError, ValueError):
        raise TypeError(f"{name} must be a pair (low, high), got {v!r}") from None
    return _num(f"{name}[0]", a), _num(f"{name}[1]", b)


def fmt(x: float) -> str:
    if isinstance(x, float) and math.isinf(x):
        return "∞" if x > 0 else "-∞"
    return f"{x:.4g}"


def fmt_interval(ci) -> str:
    lo, hi = ci
    return f"[{fmt(float(lo))}, {fmt(float(hi))}]"


def classify(ci, region) -> str:
    """'inside', 'outside' or 'straddles' (NaN: 'undefined') for an interval against a region."""
    lo, hi = _pair("ci", ci)
    a, b = _pair("region", region)
    if math.isnan(a) or math.isnan(b) or a > b:
        raise ValueError(f"region must be an ordered pair (low <= high), got {region!r}")
    if math.isnan(lo) or math.isnan(hi):
        return "undefined"
    if lo > hi:
        raise ValueError(f"ci must be ordered (low <= high), got {ci!r}")
    if a <= lo and hi <= b:
        return "inside"
    if hi < a or lo > b:
        return "outside"
    return "straddles"


_OUTCOME = {"inside": "supported", "outside": "refuted", "straddles": "inconclusive", "undefined": "inconclusive"}


def interval(ci, region, what: str, *, unit: str = "") -> Verdict:
    """Three-outcome interval decision of ``ci`` against the predicted ``region``."""
    where = classify(ci, region)
    verdict = _OUTCOME[where]
    words = {"inside": "lies inside", "outside": "lies outside", "straddles": "straddles",
             "undefined": "is undefined (NaN) against"}[where]
    return Verdict(verdict, f"{what} {fmt_interval(ci)}{unit} {words} the predicted region "
                            f"{fmt_interval(region)}{unit}")


def at_least(ci, bound: float, what: str, **kw) -> Verdict:
    """Prediction ``value >= bound``."""
    return interval(ci, (_num("bound", bound), INF), what, **kw)


def at_most(ci, bound: float, what: str, **kw) -> Verdict:
    """Prediction ``value <= bound``."""
    return interval(ci, (-INF, _num("bound", bound)), what, **kw)


def within(ci, centre: float, tol: float, what: str, **kw) -> Verdict:
    """Prediction ``|value - centre| <= tol``."""
    c, t = _num("centre", centre), _num("tol", tol)
    if not t >= 0:
        raise ValueError(f"tol must be >= 0, got {tol}")
    return interval(ci, (c - t, c + t), what, **kw)


def rate(ci, predicted: float, tol: float, what: str = "fitted slope") -> Verdict:
    """A fitted rate's CI against the predicted exponent ± tol."""
    return within(ci, predicted, tol, what)


def fit_ci(fit) -> tuple[float, float]:
    """The slope interval of a :class:`theory.stats.RateFit` or of its dict form."""
    if isinstance(fit, Mapping):
        return float(fit["ci_low"]), float(fit["ci_high"])
    return float(fit.ci_low), float(fit.ci_high)


def mean_interval(x, level: float = 0.95) -> tuple[float, float]:
    """Student-t interval of the mean across replicates (needs >= 2 replicates)."""
    a = np.asarray(x, dtype=np.float64).ravel()
    if a.size < 2:
        raise ValueError(f"x needs at least 2 replicates for an interval, got {a.size}")
    r = stats.mean_ci(a, _level(level))
    return r["ci_low"], r["ci_high"]


def paired_interval(a, b, level: float = 0.95) -> tuple[float, float]:
    """Paired-t interval of mean(a - b) across the same seeds."""
    r = stats.paired_comparison(a, b, _level(level))
    if r["n"] < 2:
        raise ValueError("a paired interval needs at least 2 pairs")
    return r["ci_low"], r["ci_high"]


def paired(a, b, what: str, *, direction: str = "greater", margin: float = 0.0, level: float = 0.95) -> Verdict:
    """Paired comparison across seeds: prediction ``mean(a - b) > margin`` (``direction='greater'``) or
    ``mean(a - b) < -margin`` (``'less'``)."""
    if direction not in ("greater", "less"):
        raise ValueError(f"direction must be 'greater' or 'less', got {direction!r}")
    m = _num("margin", margin)
    ci = paired_interval(a, b, level)
    region = (m, INF) if direction == "greater" else (-INF, -m)
    return interval(ci, region, f"{what} (paired {int(round(level * 100))}% CI of the difference, "
                                f"n = {len(np.ravel(a))})")


def equivalence_interval(diff_ci_2alpha, margin: float, what: str) -> Verdict:
    """TOST with a declared margin, given the (1 - 2α) interval of the difference."""
    m = _num("margin", margin)
    if not m > 0:
        raise ValueError(f"margin must be > 0, got {margin}")
    lo, hi = _pair("diff_ci_2alpha", diff_ci_2alpha)
    where = classify((lo, hi), (-m, m))
    if where == "inside":
        return Verdict("supported", f"{what}: TOST interval {fmt_interval((lo, hi))} inside ±{fmt(m)} "
                                    f"(equivalent within the margin)")
    if where == "undefined":
        return Verdict("inconclusive", f"{what}: TOST interval undefined (NaN)")
    if hi < -m or lo > m:
        return Verdict("refuted", f"{what}: TOST interval {fmt_interval((lo, hi))} entirely outside ±{fmt(m)}")
    return Verdict("inconclusive", f"{what}: TOST interval {fmt_interval((lo, hi))} straddles ±{fmt(m)}")


def equivalence(a, b, margin: float, what: str, *, alpha: float = 0.05, paired_samples: bool = True) -> Verdict:
    """TOST equivalence of a and b (paired across seeds by default) with margin ``margin`` at level α."""
    al = _num("alpha", alpha)
    if not 0 < al < 0.5:
        raise ValueError(f"alpha must be in (0, 0.5), got {alpha}")
    if paired_samples:
        ci = paired_interval(a, b, 1 - 2 * al)
    else:
        x, y = np.asarray(a, float).ravel(), np.asarray(b, float).ravel()
        if x.size < 2 or y.size < 2:
            raise ValueError("equivalence needs at least 2 values on each side")
        d = x.mean() - y.mean()
        se = math.sqrt(x.var(ddof=1) / x.size + y.var(ddof=1) / y.size)
        dof = (x.var(ddof=1) / x.size + y.var(ddof=1) / y.size) ** 2 / (
            (x.var(ddof=1) / x.size) ** 2 / (x.size - 1) + (y.var(ddof=1) / y.size) ** 2 / (y.size - 1)) \
            if se > 0 else 1.0
        q = _st.t.ppf(1 - al, dof)
        ci = (d - q * se, d + q * se)
    return equivalence_interval(ci, margin, what)


def proportion_interval(k: int, n: int, *, method: str = "wilson", level: float = 0.95) -> tuple[float, float]:
    if method == "wilson":
        return stats.wilson_interval(int(k), int(n), _level(level))
    if method in ("clopper-pearson", "cp", "exact"):
        return stats.clopper_pearson(int(k), int(n), _level(level))
    raise ValueError(f"method must be 'wilson' or 'clopper-pearson', got {method!r}")


def proportion(k: int, n: int, region, what: str, *, method: str = "wilson", level: float = 0.95) -> Verdict:
    """A binomial proportion's interval against the predicted band."""
    ci = proportion_interval(k, n, method=method, level=level)
    return interval(ci, region, f"{what} ({k}/{n}, {method} {int(round(level * 100))}%)")


def holm(pvalues, alpha: float = 0.05) -> list[bool]:
    """Holm step-down rejections at family-wise level α."""
    return stats.holm(pvalues, alpha)


def holm_adjusted(pvalues) -> list[float]:
    """Holm-adjusted p-values (monotone)."""
    p = np.asarray(pvalues, dtype=np.float64).ravel()
    if p.size == 0 or not np.all(np.isfinite(p)) or np.any((p < 0) | (p > 1)):
        raise ValueError("pvalues must be a non-empty array of numbers in [0, 1]")
    order = np.argsort(p)
    m = p.size
    adj = np.empty(m)
    running = 0.0
    for rank, idx in enumerate(order):
        running = max(running, min(1.0, (m - rank) * p[idx]))
        adj[idx] = running
    return adj.tolist()


def first_crossing(pvalues, alpha: float = 0.05) -> int | None:
    """Index of the first (in the given order) hypothesis rejected by Holm at family-wise level α, or None.

    With the family-wise error controlled at α, the probability that any reported crossing is a false one
    (in particular a false early crossing) is at most α."""
    rej = holm(pvalues, alpha)
    for i, r in enumerate(rej):
        if r:
            return i
    return None


def family(members: Mapping[str, Verdict], what: str = "") -> Verdict:
    """Combine member decisions: all supported -> supported, any refuted -> refuted, else inconclusive.

    Members are decisions on intervals already adjusted for the family where that matters (Holm); the
    reason lists each member."""
    if not members:
        raise ValueError("family needs at least one member decision")
    for k, v in members.items():
        if not isinstance(v, Verdict):
            raise TypeError(f"family member {k!r} must be a Verdict, got {type(v).__name__}")
    vs = [v.verdict for v in members.values()]
    if "refuted" in vs:
        out = "refuted"
    elif all(v == "supported" for v in vs):
        out = "supported"
    else:
        out = "inconclusive"
    body = "; ".join(f"{k}: {v.verdict} ({v.reason})" for k, v in members.items())
    return Verdict(out, f"{what + ': ' if what else ''}{body}")


def exact(value: float, tol: float, what: str) -> Verdict:
    """A quantity with no sampling error (an identity, a closed form) against a rounding budget ``tol``:
    supported when ``|value| <= tol``, refuted otherwise (NaN refutes: the identity did not hold)."""
    v, t = _num("value", value), _num("tol", tol)
    if not t >= 0:
        raise ValueError(f"tol must be >= 0, got {tol}")
    ok = (not math.isnan(v)) and abs(v) <= t
    return Verdict("supported" if ok else "refuted", f"{what} = {fmt(v)} ({'<=' if ok else 'not <='} {fmt(t)})")


def all_hold(flags: Mapping[str, bool], what: str = "checks") -> Verdict:
    """Deterministic boolean facts (validation checks): supported when all hold, refuted otherwise."""
    if not flags:
        raise ValueError("flags must name at least one check")
    bad = [k for k, v in flags.items() if not bool(v)]
    return Verdict("refuted" if bad else "supported",
                   f"{what}: failed {bad}" if bad else f"{what}: all of {sorted(flags)} hold")


def significant(p: float, alpha: float, what: str, *, predicted: bool = True) -> Verdict:
    """A test of a predicted effect (``predicted=True``): supported when p <= α; refuted is not available from
    a p-value alone, so a non-significant result is inconclusive.  For a predicted *absence* use
    :func:`equivalence` instead (a non-rejection is never support)."""
    pv, al = _num("p", p), _num("alpha", alpha)
    if not 0 <= pv <= 1:
        raise ValueError(f"p must be in [0, 1], got {p}")
    if not predicted:
        raise ValueError("a predicted absence of effect needs an equivalence test, not a p-value")
    if pv <= al:
        return Verdict("supported", f"{what}: p = {fmt(pv)} <= α = {fmt(al)}")
    return Verdict("inconclusive", f"{what}: p = {fmt(pv)} > α = {fmt(al)} (no evidence either way)")


def with_note(v: Verdict, note: str) -> Verdict:
    """The same decision with extra context appended to its reason."""
    return Verdict(v.verdict, f"{v.reason}; {note}" if note else v.reason)


def downgrade(v: Verdict, when: bool, why: str) -> Verdict:
    """A failed control makes a decision inconclusive (never flips it to the other side)."""
    if when and v.verdict != "inconclusive":
        return Verdict("inconclusive", f"{why} (would have been {v.verdict}: {v.reason})")
    return v


def verdicts(items: Iterable[Verdict]) -> Sequence[str]:
    return [v.verdict for v in items]
