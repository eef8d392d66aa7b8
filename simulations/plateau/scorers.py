"""The channel statistics, the nine feature classes of spec 3.7 (project definitions, reconstructed), the gradient
baseline G, the independence mixtures of B-C8 and the matched-q amplitude calibration of spec 3.4.

A non-monotone scorer is s_c = r_c + A g_c, with r the normalised magnitude rank (L2 statistic) and g a feature;
A is the smallest amplitude in [0, 20] (bisection, 40 halvings) whose mask has q >= q_target = max(2, round(0.1k)).
The bisection runs for all features of one (seed, S) at once (a stack of score vectors per halving).
"""
from __future__ import annotations

import numpy as np

from theory import plateau as T

NINE = ("M1", "M2", "M3", "S1", "S2", "S3", "R1", "R2", "F")
MONOTONE = ("M1", "M2", "M3")
NON_MONOTONE = ("S1", "S2", "S3", "R1", "R2", "F")
KAPPA1 = ("S1", "S2", "S3")
KAPPA2 = ("R1", "R2", "F")
STATISTICS = ("L2", "L1", "Linf", "inout")
#: FTLE-derived chaos features (simulations.plateau.ftle): SL smoothed like S2 (kappa=1 class), RL raw like R1
LYAP = ("SL", "RL")
ALPHAS = (0.0, 0.25, 0.5, 0.75, 1.0)
A_MAX = 20.0
HALVINGS = 40


def channel_statistics(w_in, out_norm) -> dict:
    """m_c for the four statistics of spec 3.1 (float64): L2, L1, L-infinity of W_in[c,:] and the in.out product."""
    w = np.asarray(w_in, dtype=np.float64)
    o = np.asarray(out_norm, dtype=np.float64)
    if w.ndim != 2 or o.shape != (w.shape[0],):
        raise ValueError(f"w_in must be [C, fan_in] and out_norm [C], got {w.shape} and {o.shape}")
    l2 = np.linalg.norm(w, axis=1)
    return {"L2": l2, "L1": np.abs(w).sum(1), "Linf": np.abs(w).max(1), "inout": l2 * o}


def bump(r, centre: float, w: float = 0.05) -> np.ndarray:
    return np.exp(-((np.asarray(r) - centre) ** 2) / (2 * w * w))


def ftle_feature(lam) -> np.ndarray:
    """The raw FTLE feature (project definition, reconstructed): per-channel exponents centred on their mean and
    scaled to max |g| = 1/2, the range of f_chaos - 1/2."""
    a = np.asarray(lam, dtype=np.float64)
    if a.ndim != 1 or not np.all(np.isfinite(a)):
        raise ValueError("lam (per-channel FTLEs) must be a finite 1-D vector")
    g = a - a.mean()
    peak = np.max(np.abs(g))
    if peak == 0:
        raise ValueError("lam is constant across channels; the FTLE feature is undefined")
    return 0.5 * g / peak


def features(m, sparsity: float, chaos, alphas=(), ftle=None) -> dict:
    """The calibrated features g (s = r + A g) at sparsity S for L2 statistic m and chaos vector f_chaos; with
    per-channel FTLEs ``ftle`` also RL (raw, like R1) and SL (smoothed by rank, like S2)."""
    m = np.asarray(m, dtype=np.float64)
    C = m.size
    r = T.normalised_rank(m)
    f = C / 8.0
    locked = np.sin(2 * np.pi * f * m / m.max())
    g = {"S1": bump(r, sparsity, 0.05), "S1w": bump(r, sparsity, 0.10), "S3": bump(r, sparsity - 0.15, 0.05),
         "S2": T.smooth_by_rank(chaos - 0.5, r, 0.05), "R1": chaos - 0.5, "R2": np.sin(2 * np.pi * f * r),
         "F": locked}
    if ftle is not None:
        if np.shape(ftle) != (C,):
            raise ValueError(f"ftle must have one exponent per channel ({C}), got shape {np.shape(ftle)}")
        g["RL"] = ftle_feature(ftle)
        g["SL"] = T.smooth_by_rank(g["RL"], r, 0.05)
    if len(alphas):
        h, c = T.zscore(locked), T.zscore(chaos)
        for a in alphas:
            g[f"mix{a:g}"] = a * h + (1 - a) * c
    return g


def calibrate(r, feats: dict, k: int, target: int, reference) -> dict:
    """Smallest A in [0, A_MAX] with q(mask(r + A g)) >= target, for every feature at once (40 halvings).

    Returns name -> {"A", "q", "mask", "score"}; a feature that cannot reach the target has A = q = NaN and no mask
    (recorded, never a silent 0)."""
    names = list(feats)
    G = np.stack([feats[n] for n in names])                    # [K, C]
    ref = np.asarray(reference, dtype=bool)
    C = np.shape(r)[0]
    if G.shape[1:] != (C,) or ref.shape != (C,):
        raise ValueError(f"feats and reference must hold one value per channel of r ({C}), got shapes {G.shape[1:]} "
                         f"and {ref.shape}")
    if not 1 <= k < C:
        raise ValueError(f"k must lie in [1, C) = [1, {C}) (channels kept), got {k}")
    lo, hi = np.zeros(len(names)), np.full(len(names), A_MAX)

    def q_of(A):
        return T.swap_count(T.topk_mask(r[None] + A[:, None] * G, k), ref[None])

    ok = q_of(hi) >= target
    for _ in range(HALVINGS):
        mid = 0.5 * (lo + hi)
        up = q_of(mid) >= target
        hi = np.where(up, mid, hi)
        lo = np.where(up, lo, mid)
    scores = r[None] + hi[:, None] * G
    masks = T.topk_mask(scores, k)
    qs = T.swap_count(masks, ref[None])
    out = {}
    for i, n in enumerate(names):
        if ok[i]:
            out[n] = {"A": float(hi[i]), "q": int(qs[i]), "mask": masks[i], "score": scores[i]}
        else:
            out[n] = {"A": float("nan"), "q": float("nan"), "mask": None, "score": None}
    return out


def all_scorers(stats: dict, taylor, chaos, sparsity: float, alphas=(), ftle=None) -> dict:
    """Every scorer's mask, swap count q, amplitude A and score vector at one (seed, S).

    Keys: the nine (M1 M2 M3 S1 S2 S3 R1 R2 F), S1w (bump width 0.1), Linf, inout, G, mix<alpha> (B-C8), and
    SL, RL (the FTLE features) when per-channel exponents ``ftle`` are given."""
    m = stats["L2"]
    C = m.size
    k = T.n_kept(sparsity, C)
    ref = T.topk_mask(m, k)
    r = T.normalised_rank(m)
    out = {}
    for name, score in (("M1", m), ("M2", np.log(m)), ("M3", stats["L1"]), ("Linf", stats["Linf"]),
                        ("inout", stats["inout"]), ("G", np.asarray(taylor, dtype=np.float64))):
        mask = T.topk_mask(score, k)
        out[name] = {"A": 0.0, "q": T.swap_count(mask, ref), "mask": mask, "score": score}
    out.update(calibrate(r, features(m, sparsity, chaos, alphas, ftle), k, T.q_target(k), ref))
    for name, v in out.items():
        if v["mask"] is not None and int(v["mask"].sum()) != k:
            raise AssertionError(f"scorer {name} kept {int(v['mask'].sum())} channels, expected k={k}")
    return out


from theory.checks import guard_module  # noqa: E402  (last: wraps the public functions above)

_ONE_PER_CHANNEL = {"m": 1, "chaos": 1, "ftle": 1, "r": 1, "reference": 1, "taylor": 1}
guard_module(globals(), per_function={f: {"ndim": _ONE_PER_CHANNEL} for f in ("features", "calibrate", "all_scorers")})
