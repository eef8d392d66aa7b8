"""Statistical helpers shared by verdict rules and experiments (numpy/scipy only).

Every function validates its inputs and returns plain floats / dicts, so results store as JSON.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np
from scipy import stats as _st


def _finite_1d(name: str, x) -> np.ndarray:
    a = np.asarray(x, dtype=np.float64).ravel()
    if a.size == 0:
        raise ValueError(f"{name} must be non-empty")
    if not np.all(np.isfinite(a)):
        raise ValueError(f"{name} must be finite, got NaN or inf")
    return a


@dataclass(frozen=True)
class RateFit:
    """Fit of log y = intercept + slope * log x, with a two-sided CI on the slope."""

    slope: float
    intercept: float
    stderr: float
    ci_low: float
    ci_high: float
    level: float
    n_points: int

    def to_dict(self) -> dict:
        return asdict(self)

    def contains(self, value: float) -> bool:
        return self.ci_low <= value <= self.ci_high

    @property
    def ci_width(self) -> float:
        return self.ci_high - self.ci_low


def loglog_fit(x, y, level: float = 0.95) -> RateFit:
    """Least-squares log-log rate fit over all (x, y) pairs (replicates as separate points).

    The CI is the regression standard error times the Student-t quantile with n-2 degrees of freedom.
    Needs at least three distinct x values (a rate from two sizes has no interval).
    """
    xs, ys = _finite_1d("x", x), _finite_1d("y", y)
    if xs.shape != ys.shape:
        raise ValueError(f"x and y must have the same length, got {xs.size} and {ys.size}")
    if np.any(xs <= 0) or np.any(ys <= 0):
        raise ValueError("x and y must be positive for a log-log fit")
    if np.unique(xs).size < 3:
        raise ValueError("a rate fit needs at least three distinct sizes x")
    if not 0 < level < 1:
        raise ValueError(f"level must be in (0, 1), got {level}")
    lx, ly = np.log(xs), np.log(ys)
    res = _st.linregress(lx, ly)
    dof = lx.size - 2
    q = _st.t.ppf(0.5 + level / 2, dof)
    se = float(res.stderr)
    return RateFit(float(res.slope), float(res.intercept), se, float(res.slope - q * se),
                   float(res.slope + q * se), level, int(lx.size))


def wilson_interval(k: int, n: int, level: float = 0.95) -> tuple[float, float]:
    """Wilson score interval for a binomial proportion k/n."""
    if not isinstance(k, (int, np.integer)) or not isinstance(n, (int, np.integer)):
        raise ValueError("k and n must be integers")
    if n <= 0 or k < 0 or k > n:
        raise ValueError(f"need 0 <= k <= n and n > 0, got k={k}, n={n}")
    z = _st.norm.ppf(0.5 + level / 2)
    ph = k / n
    den = 1 + z * z / n
    centre = (ph + z * z / (2 * n)) / den
    half = z * np.sqrt(ph * (1 - ph) / n + z * z / (4 * n * n)) / den
    lo = 0.0 if k == 0 else max(0.0, centre - half)   # exact endpoints at k = 0 and k = n
    hi = 1.0 if k == n else min(1.0, centre + half)
    return float(lo), float(hi)


def clopper_pearson(k: int, n: int, level: float = 0.95) -> tuple[float, float]:
    """Exact (Clopper-Pearson) interval for a binomial proportion k/n."""
    if n <= 0 or k < 0 or k > n:
        raise ValueError(f"need 0 <= k <= n and n > 0, got k={k}, n={n}")
    ci = _st.binomtest(int(k), int(n)).proportion_ci(confidence_level=level, method="exact")
    return float(ci.low), float(ci.high)


def mean_ci(x, level: float = 0.95) -> dict:
    """Mean with a Student-t confidence interval across replicates (seeds)."""
    a = _finite_1d("x", x)
    m = float(a.mean())
    if a.size < 2:
        return {"mean": m, "ci_low": float("-inf"), "ci_high": float("inf"), "sd": float("nan"), "n": 1}
    sd = float(a.std(ddof=1))
    q = _st.t.ppf(0.5 + level / 2, a.size - 1)
    h = q * sd / np.sqrt(a.size)
    return {"mean": m, "ci_low": m - h, "ci_high": m + h, "sd": sd, "n": int(a.size)}


def paired_comparison(a, b, level: float = 0.95) -> dict:
    """Paired comparison of a and b across the same seeds: difference a-b with t CI, Wilcoxon and sign tests."""
    x, y = _finite_1d("a", a), _finite_1d("b", b)
    if x.shape != y.shape:
        raise ValueError(f"a and b must be paired (same length), got {x.size} and {y.size}")
    d = x - y
    out = mean_ci(d, level)
    out = {"diff_mean": out["mean"], "ci_low": out["ci_low"], "ci_high": out["ci_high"], "sd": out["sd"],
           "n": int(d.size), "n_positive": int(np.sum(d > 0)), "n_negative": int(np.sum(d < 0))}
    nz = d[d != 0]
    out["sign_p"] = float(_st.binomtest(int(np.sum(nz > 0)), int(nz.size)).pvalue) if nz.size else 1.0
    out["wilcoxon_p"] = float(_st.wilcoxon(nz).pvalue) if nz.size >= 2 else 1.0
    return out


def holm(pvalues, alpha: float = 0.05) -> list[bool]:
    """Holm step-down: which hypotheses are rejected at familywise level alpha."""
    p = _finite_1d("pvalues", pvalues)
    if not 0.0 <= alpha <= 1.0:
        raise ValueError(f"alpha must lie in [0, 1], got {alpha}")
    order = np.argsort(p)
    m = p.size
    reject = np.zeros(m, dtype=bool)
    for rank, idx in enumerate(order):
        if p[idx] <= alpha / (m - rank):
            reject[idx] = True
        else:
            break
    return reject.tolist()


def matrix_compare(actual, expected) -> dict:
    """Relative Frobenius error and mean absolute error together; NaN anywhere is reported, never hidden."""
    A = np.asarray(actual, dtype=np.float64)
    E = np.asarray(expected, dtype=np.float64)
    if A.shape != E.shape:
        raise ValueError(f"actual and expected must have the same shape, got {A.shape} and {E.shape}")
    has_nan = bool(np.isnan(A).any() or np.isnan(E).any())
    diff = A - E
    ne = float(np.linalg.norm(E))
    rel = float(np.linalg.norm(diff) / ne) if ne > 0 else float(np.linalg.norm(diff))
    return {"rel_frobenius": rel, "mean_abs": float(np.mean(np.abs(diff))), "has_nan": has_nan}


def assert_close_matrices(actual, expected, rtol: float, atol: float = np.inf) -> dict:
    """Fail if relative Frobenius error > rtol, mean |diff| > atol, or NaN; returns both errors either way."""
    for name, tol in (("rtol", rtol), ("atol", atol)):
        if not tol >= 0:
            raise ValueError(f"{name} must be >= 0, got {tol}")
    c = matrix_compare(actual, expected)
    if c["has_nan"] or not (c["rel_frobenius"] <= rtol and c["mean_abs"] <= atol):
        raise AssertionError(f"matrices differ: {c} (rtol={rtol}, atol={atol})")
    return c


from theory.checks import guard_module  # noqa: E402  (last: wraps the public functions above)

# matrix_compare and assert_close_matrices report NaN in their inputs (has_nan) instead of refusing them
guard_module(globals(), per_function={"matrix_compare": {"skip": ("actual", "expected")},
                                      "assert_close_matrices": {"skip": ("actual", "expected")}})
