"""Dense training -> global magnitude pruning -> masked retraining on digits, with the stationary-window
Lyapunov spectrum and the mask-graph spectral (Ramanujan-type) quantities per sparsity (spec §10.1, A-C9..12).

All sparsities of one seed are retrained side by side (one batched GEMM per layer, the same minibatch
sequence: common random numbers).  Results are cached in-process by configuration, so the claims that read
the same runs (co-location, direction, static-vs-dynamic) do not recompute them.
"""
from __future__ import annotations

import json
from functools import lru_cache

import numpy as np
import torch

from simulations.data import digits
from simulations.lyapunov import mlp as M
from simulations.lyapunov.estimator import Window
from simulations.lyapunov.ftle_windows import chi_lambda, lambda1_windows
from simulations.lyapunov.order_parameters import order_parameters
from simulations.lyapunov.tangent import MaskedProblem, masked_sgd_spectrum
from theory.lyapunov import ramanujan_bound

SPARSITY_GRID = (0.0, 0.3, 0.5, 0.7, 0.8, 0.85, 0.9, 0.93, 0.95, 0.97, 0.98, 0.99)


def mask_graph_spectra(layer_masks: list[np.ndarray]) -> list[dict]:
    """Per layer: sigma_2 of the biadjacency, mean degrees, the bound sqrt(d_L-1)+sqrt(d_R-1), violation."""
    import networkx as nx

    out = []
    for Mb in layer_masks:
        o, i = Mb.shape
        G = nx.algorithms.bipartite.from_biadjacency_matrix(__import__("scipy").sparse.csr_matrix(Mb))
        e = G.number_of_edges()
        dL, dR = e / i, e / o          # mean degree of input (left) and output (right) nodes
        sv = np.linalg.svd(Mb, compute_uv=False)
        s2 = float(sv[1]) if sv.size > 1 else 0.0
        # a mean degree <= 1 (or an empty layer) violates by definition (spec A-C12); no bound is computed
        bound = ramanujan_bound(dL, dR) if (dL > 1 and dR > 1) else float("nan")
        out.append({"sigma2": s2, "d_left": dL, "d_right": dR, "bound": bound,
                    "violated": bool(not np.isfinite(bound) or s2 > bound), "edges": int(e)})
    return out


@lru_cache(maxsize=64)
def _pipeline(cfg_json: str) -> str:
    cfg = json.loads(cfg_json)
    torch.set_default_dtype(torch.float64)
    device = cfg.get("device", "cpu")
    d = digits(0)
    dev = torch.device(device)
    x, y = torch.as_tensor(d["x_train"], device=dev), torch.as_tensor(d["y_train"], device=dev)
    xt, yt = torch.as_tensor(d["x_test"], device=dev), torch.as_tensor(d["y_test"], device=dev)
    w = int(cfg["width"])
    layout = M.Layout((64, w, w, 10))
    seed, grid = int(cfg["seed"]), [float(s) for s in cfg["grid"]]
    eta, batch = float(cfg["eta"]), int(cfg["batch"])
    th = M.init_params(layout, seed, device)
    th = M.sgd_train(layout, th, None, x, y, int(cfg["dense_steps"]), eta, batch, seed + 1)
    dense_acc = M.accuracy(layout, th, xt, yt)
    masks = torch.stack([M.global_magnitude_mask(layout, th, s) for s in grid])
    ths = M.sgd_train(layout, th[None].repeat(len(grid), 1), masks, x, y, int(cfg["retrain_steps"]), eta, batch,
                      seed + 2)
    accs = M.accuracy(layout, ths, xt, yt)
    with torch.no_grad():
        train_loss = [float(M.loss_fn(layout, t, x, y)) for t in ths]
    n_win = int(cfg.get("chi_windows", 0))
    if cfg.get("lyap", True) and n_win:
        # X8: chi_lambda = T Var(lambda_1^(T)) over M independent windows (noise realisations) from each state
        lam1 = lambda1_windows(layout, ths, masks, x, y, eta, batch, n_win,
                               Window(0, int(cfg["burn_in"]), int(cfg["T"])),
                               seed + 4)
        chi = chi_lambda(lam1, int(cfg["T"]))
    rows = []
    for j, s in enumerate(grid):
        row = {"s": s, "acc": accs[j], "train_loss": train_loss[j]}
        if cfg.get("graphs", True):
            g = mask_graph_spectra(M.layer_masks(layout, masks[j]))
            row["graph"] = g
            row["ramanujan_violated"] = any(l["violated"] for l in g)
        if cfg.get("lyap", True):
            prob = MaskedProblem(layout, masks[j], x, y, eta, device=device)
            p = min(int(cfg["p"]), prob.k)
            res = masked_sgd_spectrum(prob, prob.gather(ths[j]), p, Window(0, int(cfg["burn_in"]), int(cfg["T"]),
                                                                             "stationary"),
                                      seed=seed + 3, batch=batch)
            row.update({"k": prob.k, "exponents": res.exponents.tolist(), "se": res.se.tolist(),
                        **order_parameters(res.exponents, prob.k, T=int(cfg["T"]))})
            if n_win:
                row.update({"chi_lambda": float(chi[j]), "lambda1_windows_mean": float(lam1[j].mean()),
                            "chi_windows": n_win})
        rows.append(row)
    return json.dumps({"dense_acc": dense_acc, "rows": rows, "width": w, "seed": seed})


def digits_pipeline(cfg: dict) -> dict:
    """Run (or fetch from the in-process cache) one seed of the pruning pipeline; ``cfg`` keys: seed, width,
    grid, eta, batch, dense_steps, retrain_steps, p, burn_in, T, lyap (bool), graphs (bool), device, and
    chi_windows (M >= 20 windows for the FTLE variance X8; 0 or absent: not computed)."""
    for key in ("seed", "width", "grid", "eta", "batch", "dense_steps", "retrain_steps"):
        if key not in cfg:
            raise ValueError(f"pipeline config needs {key!r}")
    if cfg.get("lyap", True):
        for key in ("p", "burn_in", "T"):
            if key not in cfg:
                raise ValueError(f"pipeline config with lyap=True needs {key!r}")
    return json.loads(_pipeline(json.dumps(cfg, sort_keys=True)))


def digits_cell(cell) -> dict:
    """Sweep cell: one seed of the pipeline (all sparsities); the config carries its own seed so that claims
    reading the same runs share them."""
    return digits_pipeline(dict(cell.config, device=cell.device))
