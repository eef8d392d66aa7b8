"""Sweep-cell functions for the structural claims (IHT-01 to IHT-09, IHT-14b/c, IHT-15, IHT-17 to IHT-20)."""
from __future__ import annotations

import numpy as np

from simulations.iht import patterns as pat
from simulations.iht.operator import GatedOperator, matvec_loop, rmatvec_loop
from simulations.iht.problems import code_planted, network_output, planted_problem, relu, sparse_sign_vectors
from simulations.iht.scp import psnr, recovery_error, scp_aiht


def reformulation_cell(cell) -> dict:
    """IHT-01: ‖A w* - y‖/‖y‖ for both sign settings and indicators; negative control h_j = w_j with v_j < 0."""
    c = cell.config
    rng = cell.numpy_rng()
    pp = planted_problem(rng, c["n"], c["d"], c["k"], c["s_prime"], c["k"] + c["extra"], outputs=c["outputs"],
                         check=False)
    out = {}
    for strict in (False, True):
        r = GatedOperator(pp.X, pp.H, strict=strict).matvec(pp.w_star) - pp.y
        out[f"err_strict_{strict}"] = float(np.linalg.norm(r) / np.linalg.norm(pp.y))
    if np.any(pp.v < 0):
        H = pp.H.copy()
        H[:, pp.blocks] = pp.U * pp.v                 # fused weight as generator
        r = GatedOperator(pp.X, H).matvec(pp.w_star) - pp.y
        out["control_err"] = float(np.linalg.norm(r) / np.linalg.norm(pp.y))
    return out


def operator_cell(cell) -> dict:
    """IHT-02: matrix-product form vs per-block loop vs dense A, and the adjoint identity, at a random shape
    (with the pinned cases: a zero generator, a duplicate, an antipodal pair)."""
    c = cell.config
    rng = cell.numpy_rng()
    n, d, p = c["n"], c["d"], c["p"]
    X, H = rng.standard_normal((n, d)), rng.standard_normal((d, p))
    if c.get("special") == "zero":
        H[:, 0] = 0
    elif c.get("special") == "duplicate" and p > 1:
        H[:, 1] = H[:, 0]
    elif c.get("special") == "antipodal" and p > 1:
        H[:, 1] = -H[:, 0]
    w, r = rng.standard_normal(d * p), rng.standard_normal(n)
    out = {}
    for be in ("numpy", "torch"):
        op = GatedOperator(X, H, chunk=int(rng.integers(1, p + 1)), backend=be)
        A = np.asarray(op.dense())
        Aw, Atr = np.asarray(op.matvec(w)), np.asarray(op.rmatvec(r))
        e1 = np.linalg.norm(Aw - A @ w) / max(np.linalg.norm(A @ w), 1e-300)
        e2 = np.linalg.norm(Atr - A.T @ r) / max(np.linalg.norm(A.T @ r), 1e-300)
        e3 = np.linalg.norm(matvec_loop(X, H, w) - Aw) / max(np.linalg.norm(Aw), 1e-300)
        e4 = np.linalg.norm(rmatvec_loop(X, H, r) - Atr) / max(np.linalg.norm(Atr), 1e-300)
        adj = abs(Aw @ r - w @ Atr) / (np.linalg.norm(Aw) * np.linalg.norm(r) + np.linalg.norm(w) *
                                      np.linalg.norm(Atr) + 1e-300)
        out[f"{be}_max_rel"] = float(max(e1, e2, e3, e4))
        out[f"{be}_adjoint"] = float(adj)
    return out


def coverage_cell(cell) -> dict:
    """IHT-06: coverage tr(D_j)/n of p generators (Gaussian or s'-sparse ±1)."""
    c = cell.config
    rng = cell.numpy_rng()
    X = rng.standard_normal((c["n"], c["d"]))
    H = rng.standard_normal((c["d"], c["p"])) if c["kind"] == "gaussian" else \
        sparse_sign_vectors(rng, c["p"], c["d"], c["s_prime"])
    cov = pat.coverage(pat.pattern_matrix(X, H))
    return {"frac_in_band": float(np.mean(np.abs(cov - 0.5) <= 3 / np.sqrt(c["n"]))), "min": float(cov.min())}


def separation_cell(cell) -> dict:
    """IHT-07: Hamming counts of 200 pairs of 3-sparse ±1 vectors and their angles; the closest distinct pair
    (config ``alphabet``: 'exact' = differ in one support index, same signs elsewhere; 'atmost' = a vector and
    its restriction to s'-1 entries); antipodes; the failing Gaussian case u' = u + 1e-3 e."""
    c = cell.config
    rng = cell.numpy_rng()
    n = c["n"]
    X = rng.standard_normal((n, c["d"]))
    V = sparse_sign_vectors(rng, 2 * c["pairs"], c["d"], c["s_prime"])
    pairs = np.arange(2 * c["pairs"]).reshape(-1, 2)
    P = pat.pattern_matrix(X, V)
    ham, ang = pat.hamming_fractions(P, pairs), pat.angles(V, pairs)
    counts = np.rint(ham * n).astype(int)
    u = np.zeros(c["d"]); u[:c["s_prime"]] = 1
    u2 = u.copy()
    u2[c["s_prime"] - 1] = 0
    if c.get("alphabet", "exact") == "exact":
        u2[c["s_prime"]] = 1
    Pc = pat.pattern_matrix(X, np.stack([u, u2, -u], 1))
    g = rng.standard_normal(c["d"])
    e = rng.standard_normal(c["d"]); e /= np.linalg.norm(e)
    Pg = pat.pattern_matrix(X, np.stack([g, g + 1e-3 * e], 1))
    distinct = ang > 1e-12
    return {"max_dev": float(np.max(np.abs(ham - ang / np.pi))), "min_pair": float(ham[distinct].min()),
            "pair_counts": counts.tolist(), "pair_angles": ang.tolist(),
            "min_pair_count": int(counts[distinct].min()),
            "closest_pair": float(np.mean(Pc[:, 0] != Pc[:, 1])), "closest_count": int(np.sum(Pc[:, 0] != Pc[:, 1])),
            "antipodal": float(np.mean(Pc[:, 0] != Pc[:, 2])), "antipodal_count": int(np.sum(Pc[:, 0] != Pc[:, 2])),
            "gaussian_close": float(np.mean(Pg[:, 0] != Pg[:, 1])),
            "gaussian_close_count": int(np.sum(Pg[:, 0] != Pg[:, 1]))}


def rsc_cell(cell) -> dict:
    """IHT-08a: λ_min, λ_max of A_SᵀA_S/n on the planted support and random 2s supports, for a generator set
    and supports fixed by ``set_seed``; X redrawn from the cell seed."""
    c = cell.config
    base = np.random.default_rng(c["set_seed"])
    pp = planted_problem(base, c["n"], c["d"], c["k"], c["s_prime"], c["p"], check=False)
    sup = [np.flatnonzero(pp.w_star)] + pat.random_supports(base, c["d"] * c["p"], 2 * pp.s, c["supports"])
    X = cell.numpy_rng().standard_normal((c["n"], c["d"]))
    ev = pat.restricted_eigs(GatedOperator(X, pp.H), sup)
    return {"planted_min": float(ev[0, 0]), "planted_max": float(ev[0, 1]), "lam_min": ev[:, 0].tolist(),
            "lam_max": ev[:, 1].tolist()}


def population_cell(cell) -> dict:
    """IHT-08b: Monte Carlo λ_min of the 2x2 Gram of one feature in two blocks at angle θ."""
    c = cell.config
    rng = cell.numpy_rng()
    th = c["theta"]
    x = rng.standard_normal((c["samples"], 3))
    h1, h2 = np.array([1.0, 0, 0]), np.array([np.cos(th), np.sin(th), 0])
    a1, a2 = (x @ h1 >= 0), (x @ h2 >= 0)
    out = {}
    for name, e in (("orthogonal", np.array([0, 0, 1.0])), ("along_h1", h1),
                    ("bisector", np.array([np.cos(th / 2), np.sin(th / 2), 0]))):
        f = (x @ e) ** 2
        G = np.array([[np.mean(a1 * f), np.mean(a1 * a2 * f)], [np.mean(a1 * a2 * f), np.mean(a2 * f)]])
        lam, vec = np.linalg.eigh(G)
        out[name] = float(lam[0])
        # delta method: λ_min = mean_i f_i (v1 a1_i + v2 a2_i)² to first order, so its standard error is the sd
        # of that per-sample term over √samples
        q = f * (vec[0, 0] * a1 + vec[1, 0] * a2) ** 2
        out[f"{name}_se"] = float(q.std(ddof=1) / np.sqrt(q.size))
    return out


def overlap_cell(cell) -> dict:
    """IHT-09: one feature (index 0) in k blocks with Gaussian generators: λ_max, λ_min of A_SᵀA_S/n and the
    population law 1/2 + (k-1) c̄ with c̄ the mean of (π - θ_ij)/(2π)."""
    c = cell.config
    rng = cell.numpy_rng()
    X = rng.standard_normal((c["n"], c["d"]))
    H = rng.standard_normal((c["d"], c["k"]))
    AS = pat.pattern_matrix(X, H) * X[:, [0]]
    ev, vec = np.linalg.eigh(AS.T @ AS / c["n"])
    q = (AS @ vec[:, -1]) ** 2                      # λ_max = mean_i q_i to first order (delta method)
    iu = np.triu_indices(c["k"], 1)
    th = pat.angles(H, np.stack(iu, 1)) if c["k"] > 1 else np.zeros(0)
    cbar = float(np.mean((np.pi - th) / (2 * np.pi))) if th.size else 0.0
    return {"lam_max": float(ev[-1]), "lam_min": float(ev[0]), "cbar": cbar,
            "lam_max_se": float(q.std(ddof=1) / np.sqrt(q.size))}


def patterns_cell(cell) -> dict:
    """IHT-15: exact enumeration by extreme rays and random sampling of the patterns of X_S (n x s')."""
    c = cell.config
    rng = cell.numpy_rng()
    X = rng.standard_normal((c["n"], c["s_prime"]))
    E = pat.enumerate_patterns(X)
    S = pat.sampled_patterns(X, c["dirs"], rng)
    return {"exact": len(E), "sampled": len(S), "sampled_subset": bool(S <= E)}


def degeneracy_cell(cell) -> dict:
    """IHT-18: the code's planted distribution: active neurons and 1-sparse same-sign same-feature pairs."""
    c = cell.config
    rng = cell.numpy_rng()
    d, m, s = c["d"], c["m"], c["s"]
    has, npairs, active = [], [], []
    for _ in range(c["draws"]):
        W = np.zeros(d * m)
        W[rng.choice(d * m, size=s, replace=False)] = rng.standard_normal(s)
        W = W.reshape(d, m)
        nnz = (W != 0).sum(0)
        active.append(int((nnz > 0).sum()))
        one = np.flatnonzero(nnz == 1)
        feat = np.argmax(W[:, one] != 0, axis=0)
        sgn = np.sign(W[feat, one])
        keys, counts = np.unique(feat * 2 + (sgn > 0), return_counts=True)
        pairs = int(np.sum(counts * (counts - 1) // 2))
        npairs.append(pairs)
        has.append(pairs > 0)
    return {"p_pair": float(np.mean(has)), "mean_pairs": float(np.mean(npairs)), "mean_active": float(np.mean(active))}


def scp_cell(cell) -> dict:
    """IHT-17: code-faithful SCP-AIHT on the code's planted MLP (seed = replicate): PSNR, identity of the final
    model with sum_j relu(X ŵ_j), canonicalised weight-recovery error."""
    c = cell.config
    seed = int(cell.replicate)
    cp = code_planted(seed, c["n"], c["d"], c["m"], c["s"], dtype=np.float32)
    X = cp.X.astype(np.float64)
    out = scp_aiht(X, cp.y, c["m"], c["s"], steps=c["steps"], R=10, seed=seed, device=cell.device,
                   backend="torch" if cell.device == "cuda" else "numpy")
    indep = relu(X @ out["W"]).sum(1)
    den = max(np.linalg.norm(indep), 1e-300)
    return {"psnr": psnr(cp.y, out["pred"]), "model_identity": float(np.linalg.norm(indep - out["pred"]) / den),
            "recovery_error": recovery_error(cp.W, out["W"]), "alive": out["alive"]}


def sign_cell(cell) -> dict:
    """IHT-20: (a) zero generator under > and >=; (b) alive blocks after the switch; (c) negative output weight."""
    c = cell.config
    rng = cell.numpy_rng()
    n, d, m = c["n"], c["d"], c["m"]
    X = rng.standard_normal((n, d))
    H = np.zeros((d, 1))
    w = rng.standard_normal(d)
    a_ge = float(np.linalg.norm(GatedOperator(X, H).matvec(w) - X @ w))
    a_gt = float(np.linalg.norm(GatedOperator(X, H, strict=True).matvec(w)))
    U = rng.standard_normal((d, m)) * (rng.random((d, m)) < 0.3)
    U[0, :] = np.where(U[0, :] == 0, 1.0, U[0, :])
    s = int((U != 0).sum())
    out = {"zero_gen_ge_err": a_ge, "zero_gen_gt_norm": a_gt}
    for name, v in (("neg", np.r_[-1.0, np.ones(m - 1)]), ("plus", np.ones(m))):
        y = network_output(X, U, v)
        r = scp_aiht(X, y, m, s, steps=c["steps"], R=10, seed=1)
        out[f"{name}_min_pred"] = float(r["pred"].min())
        out[f"{name}_psnr"] = psnr(y, r["pred"])
        out[f"{name}_alive_increase"] = int(max(np.diff(r["alive"][1:]), default=0))
    return out


__all__ = ["reformulation_cell", "operator_cell", "coverage_cell", "separation_cell", "rsc_cell",
           "population_cell", "overlap_cell", "patterns_cell", "degeneracy_cell", "scp_cell", "sign_cell"]
