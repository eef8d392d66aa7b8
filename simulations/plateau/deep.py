"""B-C11 at depth 2 (full tier): MLP 64-C-C-10 with BOTH hidden layers pruned at the same S, per-layer ranking.

Each scorer is applied to each layer separately (its own statistic, rank, calibration and swap count q_l); the
random-swap null swaps q_1 channels in layer 1 and q_2 in layer 2 at the scorer's own (q_1, q_2).  A stack of
mask pairs is evaluated in one batched computation: layer-2 pre-activations are the majority-mask value plus the
varying layer-1 channels' contributions (one batched GEMM), then ReLU, the layer-2 masks and the readout.
"""
from __future__ import annotations

import json
from functools import lru_cache

import numpy as np
import torch

from simulations.plateau import scorers as SC
from simulations.plateau.models import cached_family, single_thread
from simulations.plateau.nulls import null_window, swap_null_masks
from simulations.plateau.pruning import _matmul, _n_correct
from simulations.rng import derive_seed
from theory import plateau as T
from theory import plateau_stats as PS


def depth2_accuracy(h1, w1, b1, w2, b2, y, masks1, masks2, chunk: int = 64) -> np.ndarray:
    """Accuracies (pp) of mask pairs: masks1 [M, C1] on layer 1 (activations h1 [N, C1]), masks2 [M, C2].

    Layer-2 pre-activations are z = z_ref + (masks1 - ref) @ K, with K[c] = h1[:, c] (x) w1[:, c] the layer-1
    channel contributions [V, N*C2] of the varying channels: one GEMM per chunk of masks."""
    m1 = torch.as_tensor(np.asarray(masks1), dtype=h1.dtype)
    m2 = torch.as_tensor(np.asarray(masks2), dtype=h1.dtype)
    if m1.ndim != 2 or m2.ndim != 2 or m1.shape[0] != m2.shape[0] or m1.shape[1] != h1.shape[1] \
            or m2.shape[1] != w1.shape[0]:
        raise ValueError(f"masks1 must be [M, {h1.shape[1]}] and masks2 [M, {w1.shape[0]}], got "
                         f"{tuple(m1.shape)} and {tuple(m2.shape)}")
    N, C2 = h1.shape[0], w1.shape[0]
    ref = m1.mean(0) > 0.5
    z_ref = ((h1 * ref.to(h1.dtype)) @ w1.T + b1).reshape(1, N * C2)
    delta = m1 - ref.to(h1.dtype)
    vary = delta.abs().amax(0) > 0
    dv = delta[:, vary]
    K = (h1[:, vary].T[:, :, None] * w1[:, vary].T[:, None, :]).reshape(-1, N * C2)   # [V, N*C2]
    sparse = False     # the output here is [m, N*C2] (138k columns): the dense GEMM beats CSR (measured 47 vs 164 ms)
    out = []
    with torch.no_grad():
        for i in range(0, m1.shape[0], chunk):
            z = _matmul(dv[i:i + chunk], K, sparse, z_ref).reshape(-1, N, C2)
            h2 = torch.relu(z) * m2[i:i + chunk, None, :]
            logits = (h2 @ w2.T + b2).transpose(1, 2)                         # [m, O, N]
            out.append(_n_correct(logits, y))
    return torch.cat(out).numpy().astype(np.float64) * (100.0 / N)


def _layer_scorers(w_in, w_next, chaos, S):
    st = SC.channel_statistics(w_in, np.linalg.norm(w_next, axis=0))
    sc = SC.all_scorers(st, st["L2"], chaos, S)     # G is not defined per layer here; only the nine are used
    return st, {n: sc[n] for n in SC.NINE}


@lru_cache(maxsize=4)
def _run(cfg_json: str) -> dict:
    cfg = json.loads(cfg_json)
    fam = cached_family("mlp", cfg["width"], tuple(cfg["seeds"]), 2, cfg["epochs"], cfg["batch"], cfg["train_root"],
                        "cpu", cfg.get("data", "digits"))
    p = fam.params                       # float32, as trained
    x, y = fam.x_test, fam.y_test
    C, J, Ss, nn_ = fam.width, len(fam.seeds), cfg["sparsities"], cfg["n_null"]
    chaos = [T.logistic_chaos(C, cfg["feature_seed"], f"hidden{i}") for i in (1, 2)]
    acc = {n: np.full((J, len(Ss)), np.nan) for n in SC.NINE}
    qq = {n: np.full((J, len(Ss), 2), np.nan) for n in SC.NINE}
    kappa = {n: np.full((J, len(Ss)), np.nan) for n in SC.NINE}
    nulls = {}
    for j in range(J):
        w0, w1, w2 = p["w0"][j].numpy(), p["w1"][j].numpy(), p["w2"][j].numpy()
        h1 = torch.relu(x @ p["w0"][j].T + p["b0"][j])
        ev = (h1, p["w1"][j], p["b1"][j], p["w2"][j], p["b2"][j], y)
        for si, S in enumerate(Ss):
            st1, sc1 = _layer_scorers(w0, w1, chaos[0], S)
            st2, sc2 = _layer_scorers(w1, w2, chaos[1], S)
            names = [n for n in SC.NINE if sc1[n]["mask"] is not None and sc2[n]["mask"] is not None]
            a = depth2_accuracy(*ev, np.stack([sc1[n]["mask"] for n in names]),
                                np.stack([sc2[n]["mask"] for n in names]))
            r2 = T.normalised_rank(st2["L2"])
            for i, n in enumerate(names):
                acc[n][j, si] = a[i]
                qq[n][j, si] = (sc1[n]["q"], sc2[n]["q"])
                c = T.complexity(sc2[n]["score"], r2)["kappa"]
                kappa[n][j, si] = {0: 0, 1: 1, 2: 2, "mixed": 3}[c]
            k = T.n_kept(S, C)
            w = null_window(k, C)
            pairs = sorted({(int(qq[n][j, si, 0]), int(qq[n][j, si, 1])) for n in names
                            if 0 < qq[n][j, si].min() and qq[n][j, si].max() <= w})
            if pairs:
                M1 = np.concatenate([swap_null_masks(st1["L2"], k, a1, nn_, derive_seed(cfg["null_root"], j, S, 1, a1,
                                                                                        a2)) for a1, a2 in pairs])
                M2 = np.concatenate([swap_null_masks(st2["L2"], k, a2, nn_, derive_seed(cfg["null_root"], j, S, 2, a1,
                                                                                        a2)) for a1, a2 in pairs])
                d = depth2_accuracy(*ev, M1, M2) - acc["M1"][j, si]
                for i, pr in enumerate(pairs):
                    nulls[(j, si) + pr] = d[i * nn_:(i + 1) * nn_]
    return {"cfg": cfg, "acc": acc, "q": qq, "kappa": kappa, "nulls": nulls, "dense": fam.dense_acc}


def summarise_deep(raw: dict) -> dict:
    """The fields :func:`simulations.plateau.metrics.boundary_metrics` reads: per S, each of the nine scorers' mean
    escape, kappa and seed-mean null p95, and the per-S max-statistic threshold."""
    cfg, acc = raw["cfg"], raw["acc"]
    out = {"sparsities": cfg["sparsities"], "depth": 2, "dense_mean": float(np.mean(raw["dense"])),
           "dense_sd": float(np.std(raw["dense"], ddof=1)), "per_S": {},
           "plateau": {"mean": acc["M1"].mean(0).tolist(), "sd": acc["M1"].std(0, ddof=1).tolist()}}
    J = len(cfg["seeds"])
    for si, S in enumerate(cfg["sparsities"]):
        row, smn = {"scorers": {}}, []
        for n in SC.NINE:
            d = acc[n][:, si] - acc["M1"][:, si]
            fin = np.isfinite(d)
            draws = []
            for j in np.flatnonzero(fin):
                q1, q2 = raw["q"][n][j, si]
                key = (j, si, int(q1), int(q2))
                draws.append(np.zeros(cfg["n_null"]) if q1 == 0 and q2 == 0 else raw["nulls"].get(key))
            ok = fin.sum() >= 5 and all(x is not None for x in draws)
            null = PS.seed_mean_null(np.stack(draws)) if ok else None
            p_null = (PS.resampled_null_p(np.stack(draws), float(d[fin].mean()), int(cfg.get("null_resamples", 20000)),
                                          derive_seed(cfg["null_root"], "null-resample-deep", si)) if ok else None)
            if null is not None:
                smn.append(null)
            row["scorers"][n] = {"mean": float(d[fin].mean()) if fin.sum() >= 5 else None, "d": d.tolist(),
                                 "kappa": [None if not np.isfinite(v) else int(v) for v in raw["kappa"][n][:, si]],
                                 "null_p95": PS.quantile95(null) if null is not None else None, "n": int(fin.sum()),
                                 "p_null": p_null}
        row["maxstat_p95"] = PS.quantile95(PS.max_statistic(smn)) if smn else None
        out["per_S"][f"{S:g}"] = row
    out["n_seeds"] = J
    return out


def deep_cell(cell) -> dict:
    """Sweep cell: the depth-2 design for ``cell.config`` (keys as in design.MAIN), summarised."""
    with single_thread():
        return summarise_deep(_run(json.dumps(dict(cell.config), sort_keys=True)))
