"""Statistics of the selection-plateau checks (spec sections 3.5 and 7; standard methods, numpy/scipy only).

* paired t-test p-values (two- and one-sided) on per-seed differences d_j;
* the escape criterion of spec 3.5 (mean > 0, Holm-adjusted paired test, above the seed-mean random-swap null);
* the seed-mean null and the max-statistic (Westfall-Young) threshold of spec 7.2.
"""
from __future__ import annotations

import numpy as np
from scipy import stats as _st

from theory import stats
from theory.checks import as_float_array, check_int, check_real, guard_module


def paired_p(d, alternative: str = "two-sided") -> float:
    """p-value of the one-sample t-test of mean(d) = 0 ('two-sided', 'greater' or 'less'); 1.0 if d is constant 0."""
    if alternative not in ("two-sided", "greater", "less"):
        raise ValueError(f"alternative must be 'two-sided', 'greater' or 'less', got {alternative!r}")
    a = as_float_array(d, "d", ndim=1, allow_empty=True)
    if a.size < 2:
        raise ValueError(f"d must hold at least 2 paired differences, got {a.size}")
    if np.all(a == a[0]):
        if a[0] == 0:
            return 1.0
        return 0.0 if (alternative == "two-sided" or (alternative == "greater") == (a[0] > 0)) else 1.0
    return float(_st.ttest_1samp(a, 0.0, alternative=alternative).pvalue)


def seed_mean_null(draws) -> np.ndarray:
    """Seed-mean null: replicate b is the mean over seeds of the b-th null draw, draws [J, B] -> [B]."""
    a = as_float_array(draws, "draws")
    if a.ndim != 2:
        raise ValueError(f"draws must be [seeds, replicates], got shape {a.shape}")
    return a.mean(axis=0)


def quantile95(x) -> float:
    """95th percentile of a non-empty finite sample (e.g. a seed-mean null)."""
    return float(np.quantile(as_float_array(x, "x"), 0.95))


def max_statistic(nulls) -> np.ndarray:
    """Per replicate, the maximum over scorers (rows) of their seed-mean null replicates: [K, B] -> [B]."""
    a = as_float_array(nulls, "nulls")
    if a.ndim != 2:
        raise ValueError(f"nulls must be [scorers, replicates], got shape {a.shape}")
    return a.max(axis=0)


def escapes(d_by_scorer: dict, null_p95: dict, alpha: float = 0.05, min_seeds: int = 5) -> dict:
    """Spec 3.5 escape test for several scorers at one S, Holm over the scorers given.

    ``d_by_scorer``: name -> per-seed differences (pp) to the plateau; ``null_p95``: name -> 95th percentile of
    its seed-mean null.  Returns name -> {"mean", "ci", "p", "holm_reject", "above_null", "escapes",
    "significantly_negative", "n"}; seeds where the amplitude was not reachable (NaN) are dropped, and a scorer
    left with fewer than ``min_seeds`` seeds is reported, not tested."""
    alpha = check_real(alpha, "alpha")
    if not 0.0 < alpha < 1.0:
        raise ValueError(f"alpha must lie in (0, 1), got {alpha}")
    if check_int(min_seeds, "min_seeds") < 2:
        raise ValueError(f"min_seeds must be >= 2 (a paired t-test needs two seeds), got {min_seeds}")
    if not isinstance(d_by_scorer, dict) or not isinstance(null_p95, dict):
        raise TypeError("d_by_scorer and null_p95 must be dicts keyed by scorer name, got "
                        f"{type(d_by_scorer).__name__} and {type(null_p95).__name__}")
    for n, d in d_by_scorer.items():   # NaN marks a seed whose amplitude was not reachable: dropped below
        a = np.asarray(d)
        if a.dtype.kind not in "fiub" or a.ndim != 1:
            raise TypeError(f"d_by_scorer[{n!r}] must be a 1-D numeric array of per-seed differences (NaN: "
                            f"not reachable), got dtype {a.dtype} and shape {a.shape}")
    clean = {n: np.asarray(d, dtype=np.float64)[np.isfinite(np.asarray(d, dtype=np.float64))]
             for n, d in d_by_scorer.items()}
    names = [n for n, d in clean.items() if d.size >= min_seeds]
    ps = [paired_p(clean[n]) for n in names]
    rej = stats.holm(ps, alpha) if names else []
    out = {}
    for n, d in d_by_scorer.items():
        if n not in names:
            out[n] = {"mean": float("nan"), "ci": [float("nan")] * 2, "p": float("nan"), "holm_reject": False,
                      "above_null": False, "escapes": False, "significantly_negative": False, "tested": False}
            continue
        i = names.index(n)
        ci = stats.mean_ci(clean[n])
        mean = ci["mean"]
        above = bool(mean > null_p95.get(n, float("nan")))
        out[n] = {"mean": mean, "ci": [ci["ci_low"], ci["ci_high"]], "p": ps[i], "holm_reject": bool(rej[i]),
                  "above_null": above, "escapes": bool(mean > 0 and rej[i] and above),
                  "significantly_negative": bool(mean < 0 and rej[i]), "tested": True, "n": int(clean[n].size)}
    return out


def resampled_null_p(draws, observed: float, n_resamples: int, seed: int) -> float:
    """Randomisation p-value of an observed seed-mean escape against the seed-mean random-swap null.

    ``draws`` [J, B]: B null draws per seed at that seed's own swap count.  A null replicate takes one draw per
    seed, independently and uniformly from that seed's B draws, and averages over seeds; ``n_resamples`` such
    replicates resolve p-values far below 1/B (the spec's 300 paired replicates cannot go below 1/301, too coarse
    for a family-wise test over many cells).  Returns (1 + #{null >= observed}) / (1 + n_resamples)."""
    a = as_float_array(draws, "draws")
    if a.ndim != 2 or a.shape[1] < 1:
        raise ValueError(f"draws must be [seeds, draws], got shape {a.shape}")
    if not isinstance(n_resamples, (int, np.integer)) or n_resamples < 1:
        raise ValueError(f"n_resamples must be a positive integer, got {n_resamples!r}")
    observed = check_real(observed, "observed")
    rng = np.random.default_rng(check_int(seed, "seed"))
    J, B = a.shape
    hits = 0
    for lo in range(0, n_resamples, 5000):          # chunks keep the index array small
        n = min(5000, n_resamples - lo)
        idx = rng.integers(0, B, size=(n, J))
        hits += int(np.sum(a[np.arange(J)[None, :], idx].mean(axis=1) >= observed))
    return float((1 + hits) / (1 + n_resamples))


def paired_seeds_for_power(sd: float, delta: float, alpha: float = 0.05, power: float = 0.8, k: int = 1,
                           n_max: int = 2000) -> int:
    """Smallest number of paired seeds n for which a one-sided paired t-test at level alpha/k (Bonferroni over k)
    detects a true mean difference ``delta`` with per-seed SD ``sd`` with at least ``power`` (noncentral t).

    Equivalently: with that n, the (1 - 2 alpha/k) two-sided interval lies entirely on the far side of a
    boundary ``delta`` away from the true mean with probability >= power."""
    for name, v in (("sd", sd), ("delta", delta)):
        if not check_real(v, name) > 0:
            raise ValueError(f"{name} must be > 0, got {v}")
    for name, v in (("alpha", alpha), ("power", power)):
        if not 0 < check_real(v, name) < 1:
            raise ValueError(f"{name} must lie in (0, 1), got {v}")
    if check_int(k, "k") < 1:
        raise ValueError(f"k must be >= 1 (the number of tests Bonferroni divides alpha over), got {k}")
    if check_int(n_max, "n_max") < 2:
        raise ValueError(f"n_max must be >= 2 (a paired t-test needs two seeds), got {n_max}")
    for n in range(2, n_max + 1):
        crit = _st.t.ppf(1 - alpha / k, n - 1)
        if _st.nct.sf(crit, n - 1, delta / (sd / np.sqrt(n))) >= power:
            return n
    return n_max


guard_module(globals(), ndim={"d": 1})
