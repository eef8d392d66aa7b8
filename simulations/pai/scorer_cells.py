"""Sweep cells for the scorer claims (spec graphon §9 checks 7-10).  Each cell is a pure function of its
configuration and seed and returns small JSON-able data (statistics, 16 x 16 block images, profiles)."""
from __future__ import annotations

import numpy as np
import torch
from scipy import stats as st

from simulations.graphs.graphon import block_histogram, degree_sorted_histogram
from simulations.pai import homogeneity as H
from simulations.pai.masks import prune
from simulations.pai.models import OneHiddenLayer
from simulations.pai.scorers import score
from simulations.pai.threshold import top_k_mask
from theory import pai_scores as P

K_IMG = 16


def _model_seed(cell) -> int:
    return int(cell.seed % (2 ** 62))


def _gaussian_task(rng, N: int, d: int, k_inf: int, scale: float = 1.0):
    X = rng.standard_normal((N, d))
    beta = np.zeros(d)
    beta[:k_inf] = scale
    return X, X @ beta, beta


def _t(a, cell) -> torch.Tensor:
    return torch.from_numpy(a).to(cell.device)


def _latent_image(Pm, row, col):
    r, c = np.argsort(row, kind="stable"), np.argsort(col, kind="stable")
    return block_histogram(Pm[np.ix_(r, c)], K_IMG)


def snip_linear_cell(cell) -> dict:
    """Check #7: SNIP on the linear one-hidden-layer model vs |W||a||c_hat|/sqrt(nd)."""
    c = cell.config
    n, d, N = c["n"], c["d"], c["N"]
    rng = cell.numpy_rng()
    m = OneHiddenLayer(d, n, seed=_model_seed(cell), activation="linear", sigma_w=c["sigma_w"],
                       sigma_a=c["sigma_a"], device=cell.device)
    X, y, _ = _gaussian_task(rng, N, d, max(1, d // 4))
    y = y + rng.standard_normal(N)
    S = score(m, "snip", (_t(X, cell), _t(y, cell)), normalize=False).scores["hidden.weight"]
    S = S.cpu().numpy()
    om, al = m.hidden.weight.detach().cpu().numpy(), m.readout.weight.detach().cpu().numpy().ravel()
    S_pred, c_hat = P.snip_linear_scores(om, al, np.ones((n, d)), X, y, c["sigma_w"], c["sigma_a"])
    pos = S_pred > 0
    err = float(np.max(np.abs(S[pos] / S_pred[pos] - 1.0))) if pos.any() else 0.0
    out = {"max_rel_err": err, "zero_mismatch": int(np.sum(S[~pos] != 0))}
    if c.get("image"):
        p = c["p"]
        M = top_k_mask(S, p)
        row, col = np.abs(c["sigma_a"] * al), np.abs(c_hat) / np.sqrt(n * d)
        tau = P.fsm_tau_for_factors(row, col, p, c["sigma_w"])
        Pm = P.fsm_edge_probability(row, col, tau, c["sigma_w"])
        out.update({"img_mask_degree": degree_sorted_histogram(M, K_IMG), "img_mask_latent":
                    _latent_image(M.astype(float), row, col), "img_pred_latent": _latent_image(Pm, row, col)})
    return out


def _relu_setup(cell):
    """Theory model and Gaussian linear-target task of checks #8 and #9: (model, torch data, beta, W, a)."""
    c = cell.config
    rng = cell.numpy_rng()
    m = OneHiddenLayer(c["d"], c["n"], seed=_model_seed(cell), device=cell.device)
    X, y, beta = _gaussian_task(rng, c["N"], c["d"], c["k_inf"])
    om, al = m.hidden.weight.detach().cpu().numpy(), m.readout.weight.detach().cpu().numpy().ravel()
    return m, (_t(X, cell), _t(y, cell)), beta, om, al


def snip_relu_cell(cell) -> dict:
    """Check #8: SNIP (ReLU) vs the FSM mask built from |a_i||W_ij||c_j| with the population c_j."""
    c = cell.config
    p, k = c["p"], c["k_inf"]
    m, data, beta, om, al = _relu_setup(cell)
    M = prune(m, "snip", p, data)["hidden.weight"].cpu().numpy()
    col = P.relu_population_column_factor(om, al, beta)
    M_fsm = top_k_mask(P.fsm_scores(al, col, om), p)
    cd = H.column_density(M)
    ag = H.agreement(M, M_fsm)
    out = {"spearman_row_a": H.spearman(H.row_density(M), np.abs(al)),
           "col_density_inf": float(cd[:k].mean()), "col_density_non": float(cd[k:].mean()),
           "agreement": ag["agreement"], "jaccard": ag["jaccard"]}
    if c.get("image"):
        tau = P.fsm_tau_for_factors(np.abs(al), np.abs(col), p)
        Pm = P.fsm_edge_probability(np.abs(al), np.abs(col), tau)
        out.update({"img_mask_degree": degree_sorted_histogram(M, K_IMG),
                    "img_pred_latent": _latent_image(Pm, np.abs(al), np.abs(col))})
    return out


TAXONOMY_METHODS = ("random", "magnitude", "snip", "grasp_abs", "grasp", "synflow")


def taxonomy_cell(cell) -> dict:
    """Check #9: column / row chi-square homogeneity of every method's mask on the same model and data."""
    c = cell.config
    p, k = c["p"], c["k_inf"]
    m, data, beta, om, al = _relu_setup(cell)
    al = np.abs(al)
    col = np.abs(P.relu_population_column_factor(om, al, beta))
    tau = P.fsm_tau_for_factors(al, col, p)
    Pm = P.fsm_edge_probability(al, col, tau)
    out = {"img_pred_snip": _latent_image(Pm, al, col), "pred_col_density_snip": Pm.mean(axis=0)}
    for meth in TAXONOMY_METHODS:
        M = prune(m, meth, p, data, seed=_model_seed(cell) + 1, rounds=1)["hidden.weight"].cpu().numpy()
        cd = H.column_density(M)
        out[meth] = {"col_p": H.chi2_homogeneity(M, "column")["p"], "row_p": H.chi2_homogeneity(M, "row")["p"],
                     "col_density": cd, "ratio_inf_non": float(cd[:k].mean() / max(cd[k:].mean(), 1e-12)),
                     "img": degree_sorted_histogram(M, K_IMG)}
    return out


def _pooled_groups(groups, q, d, min_expected: float = 5.0):
    """Merge adjacent groups until each has >= 5 expected kept and >= 5 expected pruned entries (Cochran's rule
    for the chi-square approximation); rows with |a| near 0 have expected counts near 0."""
    out, cur = [], np.array([], dtype=int)
    for g in groups:
        cur = np.concatenate([cur, g])
        e = d * q[cur].sum()
        if e >= min_expected and d * cur.size - e >= min_expected:
            out.append(cur)
            cur = np.array([], dtype=int)
    if cur.size:
        if out:
            out[-1] = np.concatenate([out[-1], cur])
        else:
            out.append(cur)
    return out


def synflow_cell(cell) -> dict:
    """Check #10: SynFlow masks of the one-hidden-layer model are row-only (depend on |a_i| only)."""
    c = cell.config
    n, d, p = c["n"], c["d"], c["p"]
    m = OneHiddenLayer(d, n, seed=_model_seed(cell), device=cell.device)
    M = prune(m, "synflow", p, rounds=c["rounds"])["hidden.weight"].cpu().numpy()
    a = np.abs(m.readout.weight.detach().cpu().numpy().ravel())
    om = np.abs(m.hidden.weight.detach().cpu().numpy())
    tau_n = float((a[:, None] * om)[M].min())          # smallest kept score, in units |alpha||omega|
    # conditional FSM prediction: threshold equation solved on this draw's row factors (tau_n fluctuates at
    # rate n^(-1/2) through the row factors; tau_n vs tau* is tested separately with that s.d.)
    tau_cond = P.fsm_tau_for_factors(a, np.ones(1), p)   # columns are all 1: one column suffices
    q = 2.0 * st.norm.sf(tau_cond / np.where(a > 0, a, 1e-300))
    deg = M.sum(axis=1).astype(float)
    order = np.argsort(a, kind="stable")
    groups = _pooled_groups(np.array_split(order, K_IMG), q, d)   # rows ascending in |a|
    obs = np.array([deg[g].sum() for g in groups])
    exp = np.array([d * q[g].sum() for g in groups])
    var = np.array([d * (q[g] * (1 - q[g])).sum() for g in groups])
    gstat = float(np.sum((obs - exp) ** 2 / var))
    dof = len(groups) - 1        # sum(obs) = K and sum(exp) = p n d by the threshold equation: one constraint
    z = (tau_n - P.synflow_tau(p)) / P.synflow_tau_sd(p, n, d)
    return {"col_p": H.chi2_homogeneity(M, "column")["p"], "row_p": H.chi2_homogeneity(M, "row")["p"],
            "spearman_row_a": H.spearman(deg, a), "profile_chi2": gstat,
            "profile_p": float(st.chi2.sf(gstat, dof)), "profile_groups": len(groups), "tau_n": tau_n, "tau_z": float(z),
            "tau_p": float(2 * st.norm.sf(abs(z))),
            "row_density_sorted": deg[order] / d, "pred_sorted": P.synflow_row_density_given_a(a[order], p),
            "abs_a_sorted": a[order], "img": degree_sorted_histogram(M, K_IMG)}


# ------------------------------------------------------------- real scorer masks vs their predicted limits
LIMIT_METHODS = ("snip_linear", "synflow")
SNIP_TARGET_SCALE = 10.0


def hadamard_design(d: int, rng) -> np.ndarray:
    """N = d inputs with X^T X / N = I exactly: Hadamard rows (entries +-1) with random column signs."""
    if d < 1 or d & (d - 1):
        raise ValueError(f"d must be a power of two for the Hadamard design, got {d}")
    from scipy.linalg import hadamard

    return hadamard(d).astype(np.float64) * rng.choice([-1.0, 1.0], size=d)[None, :]


def scorer_limit_mask(method: str, n: int, p: float, seed: int, device: str = "cpu"):
    """A real scorer mask on the one-hidden-layer model (n = d) and its predicted limit on the midpoint grid.

    * ``synflow``: single shot on the ReLU model; limit W*(u, v) = 2 Phibar(tau*/A(u)) (``limit_graphon``).
    * ``snip_linear``: SNIP on the linear model with the Hadamard design and target y = <beta, x>, beta =
      SNIP_TARGET_SCALE x the §4.4 column profile (75% of inputs at 0.1, 25% at 1, ascending).  Then
      c_hat = b - beta exactly, b_j = (1/sqrt(nd)) sum_i a_i W_ij ~ N(0, 1/d) the net's own coefficient, so the
      column factor tends to beta and the limit is the §4.4 FSM graphon (the scale is absorbed into tau*).
    Returns (mask as float array, W* grid), both n x n, rows ascending in latent factor for W*."""
    from theory import graphon as G

    W = limit_grid(method, n, p)
    if method == "synflow":
        m = OneHiddenLayer(n, n, seed=seed, device=device)
        M = prune(m, "synflow", p, rounds=1)["hidden.weight"]
    else:
        rng = np.random.default_rng([seed, 7])
        m = OneHiddenLayer(n, n, seed=seed, activation="linear", device=device)
        setup = G.FSMSetup(density=p)
        X = hadamard_design(n, rng)
        y = X @ (SNIP_TARGET_SCALE * setup.column_factors(n))
        M = prune(m, "snip", p, (torch.from_numpy(X).to(device), torch.from_numpy(y).to(device)))["hidden.weight"]
    return M.cpu().numpy().astype(np.float64), W


def limit_grid(method: str, n: int, p: float) -> np.ndarray:
    """Predicted limit (theory.graphon.limit_graphon) of :func:`scorer_limit_mask` on the n x n midpoint grid."""
    from simulations.graphs.graphon import midpoint_grid
    from theory import graphon as G

    if method not in LIMIT_METHODS:
        raise ValueError(f"method must be one of {LIMIT_METHODS}, got {method!r}")
    if method == "synflow":
        return midpoint_grid(G.limit_graphon("synflow", p), n, n)
    return midpoint_grid(G.limit_graphon("snip", p, G.FSMSetup(density=p)), n, n)


def scorer_limit_cell(cell) -> dict:
    """Degree-sorted K = 16 block RMSE, spectral upper and alternating lower cut-norm bounds (degree order)
    and homomorphism densities of a real SNIP (linear) / SynFlow mask against its predicted limit."""
    from simulations.graphs.cutnorm import cut_norm_alternating, cut_norm_spectral
    from simulations.graphs.graphon import degree_order
    from simulations.graphs.homomorphism import NAMED, t_matrix

    c = cell.config
    M, W = scorer_limit_mask(c["method"], int(c["n"]), float(c["p"]), _model_seed(cell), cell.device)
    r, k = degree_order(M)
    D = M[np.ix_(r, k)] - W
    h, hw = block_histogram(M[np.ix_(r, k)], K_IMG), block_histogram(W, K_IMG)
    return {"block_rmse": float(np.sqrt(np.mean((h - hw) ** 2))), "block_max": float(np.abs(h - hw).max()),
            "block_rmse_vs_p": float(np.sqrt(np.mean((h - c["p"]) ** 2))),
            "spectral": cut_norm_spectral(D, cell.device).value,
            "lower": cut_norm_alternating(D, seed=int(cell.seed % 2 ** 31), device=cell.device).value,
            "t": {F: t_matrix(F, M, cell.device) for F in NAMED},
            "hist": h if cell.replicate == 0 else None}


from theory.checks import guard_module  # noqa: E402  (last: wraps the public functions above)

guard_module(globals(), per_function={"limit_grid": {"prob": ("p",)}, "scorer_limit_mask": {"prob": ("p",)}})
