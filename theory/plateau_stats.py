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
