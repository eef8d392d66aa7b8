"""Statistics of the selection-plateau checks (spec sections 3.5 and 7; standard methods, numpy/scipy only).

* paired t-test p-values (two- and one-sided) on per-seed differences d_j;
* the escape criterion of spec 3.5 (mean > 0, Holm-adjusted paired test, above the seed-mean random-swap null);
* the seed-mean null and the max-statistic (Westfall-Young) threshold of spec 7.2.
"""
from __future__ import annotations

import numpy as np
from scipy import stats as _st

from theory import stats


def paired_p(d, alternative: str = "two-sided") -> float:
    """p-value of the one-sample t-test of mean(d) = 0 ('two-sided', 'greater' or 'less'); 1.0 if d is constant 0."""
    if alternative not in ("two-sided", "greater", "less"):
        raise ValueError(f"alternative must be 'two-sided', 'greater' or 'less', got {alternative!r}")
    a = np.asarray(d, dtype=np.float64)
    if a.size < 2:
        raise ValueError(f"need at least 2 paired differences, got {a.size}")
    if np.all(a == a[0]):
        if a[0] == 0:
            return 1.0
        return 0.0 if (alternative == "two-sided" or (alternative == "greater") == (a[0] > 0)) else 1.0
    return float(_st.ttest_1samp(a, 0.0, alternative=alternative).pvalue)


def seed_mean_null(draws) -> np.ndarray:
    """Seed-mean null: replicate b is the mean over seeds of the b-th null draw, draws [J, B] -> [B]."""
    a = np.asarray(draws, dtype=np.float64)
    if a.ndim != 2:
        raise ValueError(f"draws must be [seeds, replicates], got shape {a.shape}")
    return a.mean(axis=0)


def quantile95(x) -> float:
    a = np.asarray(x, dtype=np.float64)
    if a.size == 0 or np.isnan(a).any():
        return float("nan")
    return float(np.quantile(a, 0.95))


def max_statistic(nulls) -> np.ndarray:
    """Per replicate, the maximum over scorers (rows) of their seed-mean null replicates: [K, B] -> [B]."""
    a = np.asarray(nulls, dtype=np.float64)
    if a.ndim != 2:
        raise ValueError(f"nulls must be [scorers, replicates], got shape {a.shape}")
    return a.max(axis=0)


def escapes(d_by_scorer: dict, null_p95: dict, alpha: float = 0.05, min_seeds: int = 5) -> dict:
    """Spec 3.5 escape test for several scorers at one S, Holm over the scorers given.

    ``d_by_scorer``: name -> per-seed differences (pp) to the plateau; ``null_p95``: name -> 95th percentile of
    its seed-mean null.  Returns name -> {"mean", "ci", "p", "holm_reject", "above_null", "escapes",
    "significantly_negative", "n"}; seeds where the amplitude was not reachable (NaN) are dropped, and a scorer
    left with fewer than ``min_seeds`` seeds is reported, not tested."""
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
    a = np.asarray(draws, dtype=np.float64)
    if a.ndim != 2 or a.shape[1] < 1:
        raise ValueError(f"draws must be [seeds, draws], got shape {a.shape}")
    if not isinstance(n_resamples, (int, np.integer)) or n_resamples < 1:
        raise ValueError(f"n_resamples must be a positive integer, got {n_resamples!r}")
    if not np.isfinite(observed):
        return float("nan")
    rng = np.random.default_rng(seed)
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
    if not (sd > 0 and delta > 0):
        raise ValueError(f"sd and delta must be > 0, got sd={sd}, delta={delta}")
    if not 0 < alpha < 1 or not 0 < power < 1 or k < 1:
        raise ValueError("alpha and power must be in (0, 1) and k >= 1")
    for n in range(2, n_max + 1):
        crit = _st.t.ppf(1 - alpha / k, n - 1)
        if _st.nct.sf(crit, n - 1, delta / (sd / np.sqrt(n))) >= power:
            return n
    return n_max
