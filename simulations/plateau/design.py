"""One design run = one trained family (arch, width, depth, all training seeds) evaluated for every scorer, every
sparsity and the random-swap null; and its JSON summary, which every plateau claim reads.

The trained family and the raw design are memoised per process (``lru_cache`` on the canonical config), so the
claims that share a design train and evaluate it once.  :func:`design_cell` is the module-level sweep cell.
"""
from __future__ import annotations

import json
from functools import lru_cache

import numpy as np
import torch
from scipy.stats import spearmanr

from simulations.plateau import scorers as SC
from simulations.plateau.ftle import channel_ftle
from simulations.plateau.models import cached_family, single_thread
from simulations.plateau.nulls import swap_null_masks, null_window
from simulations.plateau.pruning import family_accuracy
from simulations.rng import derive_seed
from theory import plateau as T
from theory import plateau_stats as PS

KAPPA_CODE = {0: 0, 1: 1, 2: 2, "mixed": 3}
#: a scorer whose amplitude is reachable on fewer seeds than this is reported, not tested
MIN_SEEDS = 5
#: the four channel statistics of B-C2 as scorer names (L2 = M1, L1 = M3) and their six pairs
STAT_SCORERS = ("M1", "M3", "Linf", "inout")
PAIRS = tuple((a, b) for i, a in enumerate(STAT_SCORERS) for b in STAT_SCORERS[i + 1:])
#: scorers whose randomisation p-value against the resampled null is computed
RESAMPLED = SC.NON_MONOTONE + ("S1w",)

MAIN = {"arch": "mlp", "width": 256, "depth": 1, "seeds": list(range(10)), "epochs": 30, "batch": 32,
        "sparsities": [0.3, 0.4, 0.5, 0.6, 0.65, 0.7, 0.75, 0.8, 0.85, 0.9], "n_null": 300, "null_root": 7,
        "feature_seed": 20260510, "alphas_at": [0.7, 0.8], "train_root": 0,
        # per-channel FTLE feature (simulations.plateau.ftle): SGD window length (0 = off), step, minibatch seed
        "ftle_steps": 24, "ftle_eta": 0.05, "ftle_root": 11,
        # resampled seed-mean null replicates behind each scorer's randomisation p-value (theory.plateau_stats)
        "null_resamples": 20000,
        # data set of the stand-in (simulations.plateau.models.DATASETS); "mnist" is the MLP 784-C-10 on MNIST
        "data": "digits"}


def design_config(**over) -> dict:
    cfg = dict(MAIN)
    unknown = set(over) - set(cfg)
    if unknown:
        raise ValueError(f"unknown design keys {sorted(unknown)}; allowed: {sorted(cfg)}")
    cfg.update(over)
    return cfg


@lru_cache(maxsize=8)
def _run(cfg_json: str, device: str = "cpu") -> dict:
    cfg = json.loads(cfg_json)
    fam = cached_family(cfg["arch"], cfg["width"], tuple(cfg["seeds"]), cfg["depth"], cfg["epochs"], cfg["batch"],
                        cfg["train_root"], device, cfg.get("data", "digits"))
    C, J, Ss = fam.width, len(fam.seeds), cfg["sparsities"]
    chaos = T.logistic_chaos(C, cfg["feature_seed"], "hidden")
    lam = ftle_of(fam, cfg, device)
    acc, q, A, kappa, nulls, jac = {}, {}, {}, {}, {}, {}
    for j in range(J):
        stats = SC.channel_statistics(fam.w_in[j].double().flatten(1).cpu().numpy(),
                                      fam.out_norm[j].double().cpu().numpy())
        r = T.normalised_rank(stats["L2"])
        for si, S in enumerate(Ss):
            alphas = SC.ALPHAS if any(abs(S - a) < 1e-9 for a in cfg["alphas_at"]) else ()
            sc = SC.all_scorers(stats, fam.taylor[j].double().cpu().numpy(), chaos, S, alphas,
                                None if lam is None else lam[j])
            names = [n for n in sc if sc[n]["mask"] is not None]
            accs = family_accuracy(fam, j, np.stack([sc[n]["mask"] for n in names]))
            for a, b in PAIRS:
                jac.setdefault(f"{a}-{b}", np.zeros((J, len(Ss))))[j, si] = T.jaccard(sc[a]["mask"], sc[b]["mask"])
            for n in sc:
                for d in (acc, q, A, kappa):
                    d.setdefault(n, np.full((J, len(Ss)), np.nan))
                q[n][j, si], A[n][j, si] = sc[n]["q"], sc[n]["A"]
                if sc[n]["mask"] is not None:
                    acc[n][j, si] = accs[names.index(n)]
                    kappa[n][j, si] = KAPPA_CODE[T.complexity(sc[n]["score"], r)["kappa"]]
            # random-swap null at every swap count realised by a scorer (one batched evaluation per seed and S)
            k = T.n_kept(S, C)
            qs = sorted({int(q[n][j, si]) for n in sc if np.isfinite(q[n][j, si]) and 0 < q[n][j, si]
                         <= null_window(k, C)})
            if qs:
                masks = np.concatenate([swap_null_masks(stats["L2"], k, qq, cfg["n_null"],
                                                        derive_seed(cfg["null_root"], fam.seeds[j], S, qq))
                                        for qq in qs])
                d = family_accuracy(fam, j, masks) - acc["M1"][j, si]
                for i, qq in enumerate(qs):
                    nulls[(j, si, qq)] = d[i * cfg["n_null"]:(i + 1) * cfg["n_null"]]
    ftle = None
    if lam is not None:
        rho = [float(spearmanr(lam[j], fam.w_in[j].double().flatten(1).norm(dim=1).cpu().numpy()).statistic)
               for j in range(J)]
        ftle = {"spearman_r": rho, "lam_mean": lam.mean(1).tolist(), "lam_min": lam.min(1).tolist(),
                "lam_max": lam.max(1).tolist(), "steps": cfg["ftle_steps"], "eta": cfg["ftle_eta"]}
    return {"cfg": cfg, "acc": acc, "q": q, "A": A, "kappa": kappa, "nulls": nulls, "dense": fam.dense_acc,
            "jaccard": jac, "ftle": ftle}


def ftle_of(fam, cfg: dict, device: str = "cpu"):
    """Per-channel FTLEs [J, C] of the family's SGD dynamics (float32 tangents; None when ftle_steps = 0 or the
    family is not a depth-1 MLP)."""
    if not cfg.get("ftle_steps") or fam.arch != "mlp" or fam.depth != 1:
        return None
    return channel_ftle(fam.params, steps=int(cfg["ftle_steps"]), eta=float(cfg["ftle_eta"]), batch=cfg["batch"],
                        seed=derive_seed(cfg["ftle_root"], "plateau-ftle", cfg["width"]), dtype=torch.float32,
                        device=device, seed_chunk=len(fam.seeds) if device == "cuda" else 1)


def run_design(cfg: dict, device: str = "cpu") -> dict:
    """The raw design for ``cfg`` on ``device`` ("cpu" | "cuda"), memoised per process on its canonical JSON;
    CPU work runs single-threaded."""
    if device not in ("cpu", "cuda"):
        raise ValueError(f"device must be 'cpu' or 'cuda', got {device!r}")
    with single_thread():
        return _run(json.dumps(cfg, sort_keys=True), device)


def null_draws(raw: dict, name: str, si: int) -> np.ndarray | None:
    """[J', n_null] null draws at scorer ``name``'s own per-seed q_j (zeros where q_j = 0), over the seeds where
    the scorer's amplitude was reachable (q_j finite); None if fewer than MIN_SEEDS such seeds."""
    J = len(raw["cfg"]["seeds"])
    rows = []
    for j in range(J):
        qj = raw["q"][name][j, si]
        if not np.isfinite(qj):
            continue
        if qj == 0:
            rows.append(np.zeros(raw["cfg"]["n_null"]))
        elif (j, si, int(qj)) in raw["nulls"]:
            rows.append(raw["nulls"][(j, si, int(qj))])
        else:
            return None
    return np.stack(rows) if len(rows) >= MIN_SEEDS else None


def summarise(raw: dict, family=SC.NON_MONOTONE, paper_grid=T.PAPER_GRID) -> dict:
    """Per-S and per-scorer statistics (JSON-able): escapes with Holm over ``family``, null quantiles, the per-S
    and global max-statistic thresholds over the nine scorers."""
    cfg, acc = raw["cfg"], raw["acc"]
    Ss = cfg["sparsities"]
    base = acc["M1"]
    out = {"sparsities": Ss, "dense_mean": float(np.mean(raw["dense"])), "dense_sd": float(np.std(raw["dense"],
                                                                                                    ddof=1)),
           "plateau": {"mean": base.mean(0).tolist(), "sd": base.std(0, ddof=1).tolist(),
                       "per_seed": base.tolist()}, "per_S": {}}
    global_nulls = []
    for si, S in enumerate(Ss):
        row = {"scorers": {}, "null_p95": {}, "jaccard": {k: float(v[:, si].mean()) for k, v in raw["jaccard"].items()}}
        smn = {}
        for n in acc:
            d = acc[n][:, si] - base[:, si]
            draws = null_draws(raw, n, si)
            if draws is not None:
                smn[n] = PS.seed_mean_null(draws)
            qn = raw["q"][n][:, si]
            kap = raw["kappa"][n][:, si]
            fin = np.isfinite(d)
            ok = int(fin.sum()) >= MIN_SEEDS
            p_null = (PS.resampled_null_p(draws, float(np.mean(d[fin])), int(cfg.get("null_resamples", 20000)),
                                          derive_seed(cfg["null_root"], "null-resample", si))
                      if draws is not None and ok and n in RESAMPLED else None)
            row["scorers"][n] = {"d": d.tolist(), "n_reachable": int(fin.sum()),
                                 "mean": float(np.mean(d[fin])) if ok else None,
                                 "q": qn.tolist(), "A_median": float(np.nanmedian(raw["A"][n][:, si]))
                                 if np.isfinite(raw["A"][n][:, si]).any() else None,
                                 "kappa": [int(x) if np.isfinite(x) else None for x in kap],
                                 "acc_mean": float(np.mean(acc[n][fin, si])) if ok else None,
                                 "null_mean": float(smn[n].mean()) if n in smn else None,
                                 "null_sd": float(smn[n].std(ddof=1)) if n in smn else None,
                                 "null_p95": PS.quantile95(smn[n]) if n in smn else None,
                                 # randomisation p-value of the observed mean against the seed-mean null, and
                                 # each seed's own null mean at its q_j (NaN where not reachable)
                                 "p_null": p_null, "null_seed_mean": _seed_null_means(raw, n, si)}
            row["null_p95"][n] = row["scorers"][n]["null_p95"] if n in smn else float("nan")
        d_fam = {n: np.asarray(row["scorers"][n]["d"]) for n in family if n in acc}
        row["escape"] = PS.escapes(d_fam, row["null_p95"])
        nine = [smn[n] for n in SC.NINE if n in smn]
        mx = PS.max_statistic(nine)
        row["maxstat_p95"] = PS.quantile95(mx)
        if any(abs(S - g) < 1e-9 for g in paper_grid):
            global_nulls.extend(nine)
        row["null_table"] = _null_table(raw, si, T.q_target(T.n_kept(S, cfg["width"])))
        qs = sorted({q for (_, s_, q) in raw["nulls"] if s_ == si})
        row["null_tables"] = {str(q): t for q in qs if (t := _null_table(raw, si, q))}
        out["per_S"][f"{S:g}"] = row
        # pairs of independent null replicates -> SD of a difference of two seed-mean null scorers (B-C10)
        for a, b in (("S2", "S1"), ("R1", "S1"), ("SL", "S1"), ("RL", "S1"), ("RL", "R1"), ("SL", "S2")):
            if a in smn and b in smn:
                h = cfg["n_null"] // 2
                row.setdefault("diff_null_sd", {})[f"{a}-{b}"] = float(np.std(smn[a][:h] - smn[b][h:2 * h],
                                                                              ddof=1))
    out["global_maxstat_p95"] = PS.quantile95(PS.max_statistic(global_nulls)) if global_nulls else None
    out["ftle"] = raw.get("ftle")
    return out


def _seed_null_means(raw, name, si) -> list:
    out = []
    for j in range(len(raw["cfg"]["seeds"])):
        qj = raw["q"][name][j, si]
        if not np.isfinite(qj):
            out.append(float("nan"))
        elif qj == 0:
            out.append(0.0)
        else:
            v = raw["nulls"].get((j, si, int(qj)))
            out.append(float("nan") if v is None else float(np.mean(v)))
    return out


def _null_table(raw, si, qq) -> dict:
    J = len(raw["cfg"]["seeds"])
    keys = [(j, si, qq) for j in range(J)]
    if not all(k in raw["nulls"] for k in keys):
        return {}
    D = np.stack([raw["nulls"][k] for k in keys])
    return {"q": qq, "mean": float(D.mean()), "within_seed_sd": float(D.std(1, ddof=1).mean()),
            "mean_per_seed_p95": float(np.quantile(D, 0.95, axis=1).mean()), "p_positive": float((D > 0).mean()),
            "seed_mean_sd": float(D.mean(0).std(ddof=1)), "seed_mean_p05": float(np.quantile(D.mean(0), 0.05)),
            "seed_mean_p95": float(np.quantile(D.mean(0), 0.95))}


def design_cell(cell) -> dict:
    """Sweep cell: the full design for ``cell.config`` (a design config), summarised."""
    return summarise(run_design(dict(cell.config), cell.device))
