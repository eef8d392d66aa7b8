"""Sweep cells on small digits MLPs and quadratic maps (A-C2b/c, A-C3, A-C5, A-C6)."""
from __future__ import annotations

import math
import warnings
from functools import lru_cache

import numpy as np
import torch

from simulations.data import digits
from simulations.lyapunov import estimator as E
from simulations.lyapunov import mlp as M
from simulations.lyapunov import tangent as TG
from theory import lyapunov as TL


@lru_cache(maxsize=8)
def _trained(width: int, sparsity: float, steps: int, seed: int):
    torch.set_default_dtype(torch.float64)
    d = digits(0)
    x, y = torch.as_tensor(d["x_train"]), torch.as_tensor(d["y_train"])
    layout = M.Layout((64, width, width, 10))
    th = M.sgd_train(layout, M.init_params(layout, seed), None, x, y, steps, 0.05, 32, seed + 1)
    mask = M.global_magnitude_mask(layout, th, sparsity)
    th = M.sgd_train(layout, th, mask, x, y, steps, 0.05, 32, seed + 2)
    return layout, x, y, th, mask


def sum_rule_cell(cell) -> dict:
    c = cell.config
    rng = cell.numpy_rng()
    T = c["T"]
    mats = [rng.standard_normal((9, 9)) for _ in range(T)]
    res = E.lyapunov_spectrum(E.matrices_step(lambda t: mats[t]), None, 9, E.Window(0, 0, T), k=9, rng=rng)
    ld = float(np.mean([np.linalg.slogdet(m)[1] for m in mats]))
    random_rel = abs(res.exponents.sum() - ld) / abs(ld)
    layout, x, y, th, mask = _trained(c["width"], c["sparsity"], 300, cell.seed % 1000)
    P = TG.MaskedProblem(layout, mask, x, y, 0.05)
    batches = M.batch_indices(x.shape[0], 32, T, cell.seed)
    phi, Js = P.gather(th), []
    Q = torch.as_tensor(E.orthonormal_frame(P.k, 8, rng))
    hvp_rel = 0.0
    for t in range(T):
        J = P.explicit_jacobian(phi, batches[t])
        a, b = P.tangent(phi, batches[t])(Q), J @ Q
        hvp_rel = max(hvp_rel, float((a - b).norm() / b.norm()))
        Js.append(J)
        phi = P.sgd(phi, batches[t])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        r2 = E.lyapunov_spectrum(E.matrices_step(lambda t: Js[t]), None, P.k, E.Window(0, 0, T), k=P.k, rng=rng)
    ld2 = float(np.mean([torch.linalg.slogdet(J)[1].item() for J in Js]))
    return {"random_rel": float(random_rel), "sgd_rel": float(abs(r2.exponents.sum() - ld2) / abs(ld2)),
            "hvp_rel": hvp_rel, "k": P.k, "n_neg_inf": r2.n_neg_inf}


def quadratic_cell(cell) -> dict:
    """A-C3a: fixed Wishart H (D x D), random mask of size k, GD at eta = eta_rel / mu_max(H)."""
    c = cell.config
    rng = cell.numpy_rng()
    D, k = c["D"], c["k"]
    A = rng.standard_normal((D, 2 * D))
    H = A @ A.T / (2 * D)
    eta = c["eta_rel"] / np.linalg.eigvalsh(H)[-1]
    idx = rng.permutation(D)[:k]
    HA = H[np.ix_(idx, idx)]
    J = np.eye(k) - eta * HA
    res = E.lyapunov_spectrum(E.matrices_step(lambda t: J), None, k, E.Window(0, 500, 3000), k=k, rng=rng)
    exact = TL.quadratic_gd_exponents(np.linalg.eigvalsh(HA), eta)
    return {"max_err": float(np.abs(np.sort(res.exponents)[::-1] - exact).max())}


def p2_trajectory_cell(cell) -> dict:
    """A-C3c: per-step ln R_11 against the dense interlacing bound along a masked SGD trajectory."""
    c = cell.config
    layout, x, y, th, mask = _trained(c["width"], c["sparsity"], 300, cell.seed % 1000)
    P = TG.MaskedProblem(layout, mask, x, y, c["eta"])
    phi = P.gather(th)
    batches = M.batch_indices(x.shape[0], 32, c["steps"], cell.seed)
    Q = torch.as_tensor(E.orthonormal_frame(P.k, 1, cell.numpy_rng()))
    worst = -math.inf
    for t in range(c["steps"]):
        idx = batches[t]
        mn, mx = P.full_hessian_extremes(P.scatter(phi), idx)
        Q, R = E.qr_positive(P.tangent(phi, idx)(Q))
        worst = max(worst, math.log(abs(float(R[0, 0]))) - TL.interlacing_step_bound(mn, mx, P.eta))
        phi = P.sgd(phi, idx)
    return {"max_violation": worst, "k": P.k}


def invariance_cell(cell) -> dict:
    """A-C5: stationary window from one trained theta: two frames, two noise orders, two momentum conventions."""
    c = cell.config
    layout, x, y, th, mask = _trained(c["width"], c["sparsity"], c["train_steps"], cell.seed % 1000)
    P = TG.MaskedProblem(layout, mask, x, y, 0.05)
    phi = P.gather(th)
    W = E.Window(0, c["burn_in"], c["T"], "stationary")
    s = cell.seed % (2 ** 31)

    def z(a, b):
        return float(np.max(np.abs(a.exponents - b.exponents) / np.sqrt(a.se ** 2 + b.se ** 2)))

    base = TG.masked_sgd_spectrum(P, phi, c["p"], W, seed=s, frame_seed=s + 1)
    frame = TG.masked_sgd_spectrum(P, phi, c["p"], W, seed=s, frame_seed=s + 2)
    noise = TG.masked_sgd_spectrum(P, phi, c["p"], W, seed=s + 3, frame_seed=s + 1)
    batches = M.batch_indices(x.shape[0], 32, W.burn_in + W.T, s)
    Q0 = torch.as_tensor(E.orthonormal_frame(2 * P.k, c["p"], np.random.default_rng(s)))
    st0 = torch.cat([phi, torch.zeros(P.k)])
    mom = [E.lyapunov_spectrum(TG.momentum_step(P, batches, 0.5, cv), st0, c["p"], W, Q0=Q0)
           for cv in ("velocity", "buffer")]
    return {"frame_max_z": z(base, frame), "noise_max_z": z(base, noise), "momentum_max_z": z(*mom), "k": P.k,
            "base": base.exponents.tolist(), "noise": noise.exponents.tolist(), "se": base.se.tolist()}


def hygiene_cell(cell) -> dict:
    """A-C6: finiteness, padding invariance, refusal of d-dimensional tangent vectors."""
    c = cell.config
    layout, x, y, th, mask = _trained(c["width"], c["sparsity"], 300, cell.seed % 1000)
    P = TG.MaskedProblem(layout, mask, x, y, 0.05)
    W = E.Window(0, 5, 40)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        a = TG.masked_sgd_spectrum(P, P.gather(th), min(8, P.k), W, seed=1)
        pad = M.Layout(layout.sizes, pad=50)
        Pp = TG.MaskedProblem(pad, torch.cat([mask, torch.zeros(50)]), x, y, 0.05)
        b = TG.masked_sgd_spectrum(Pp, Pp.gather(torch.cat([th, torch.randn(50)])), min(8, P.k), W, seed=1)
    try:
        P.hvp_batched(P.gather(th), torch.arange(4), torch.zeros(layout.d, 2))
        refused = False
    except ValueError:
        refused = True
    return {"finite": bool(np.all(np.isfinite(a.exponents))), "p": int(a.exponents.size), "k": P.k,
            "padding_diff": float(np.abs(a.exponents - b.exponents).max()), "refused": refused}


@lru_cache(maxsize=8)
def _ssm_windows(cfg_json: str) -> str:
    """A-C7 secondary with a convergence criterion.  A masked tanh MLP (64-w-w-10) is trained by full-batch GD on
    the first n digits training samples, pruned, retrained; then full-batch GD with eta chosen so that
    eta * max|mu(H_AA)| = eta_mu_max runs
    over a burn-in and up to ``max_windows`` consecutive windows of ``window`` steps (the QR frame carried from
    one window to the next).  Per window: SE1 of the window's QR exponents (p = k), SE1 of |mu_i(H_AA)| and of
    ln|1 - eta mu_i| with the Hessian at the window's end.  The estimate has converged at the first window j >= 1
    for which both the change of SE1 from window j-1 and the Aitken estimate of the remaining change
    |d_j| r/(1 - r), r = d_j/d_{j-1}, are below ``conv_tol`` (relative); the run stops there.  The first window
    meeting only the change criterion is recorded too.  Also the
    spec-window value (burn-in 50, T = 300: the mean of the first three 100-step windows' exponents)."""
    from simulations.lyapunov.ftle_windows import _cpu_threads
    from simulations.lyapunov.order_parameters import se1

    import json

    c = json.loads(cfg_json)
    seed = int(c["seed"])
    torch.set_default_dtype(torch.float64)
    d = digits(0)
    n, w = int(c["n"]), int(c["width"])
    x, y = torch.as_tensor(d["x_train"][:n]), torch.as_tensor(d["y_train"][:n])
    layout = M.Layout((64, w, w, 10))
    idx = torch.arange(n)
    Tw, nmax, tol = int(c["window"]), int(c["max_windows"]), float(c["conv_tol"])
    rows, conv, spec, first = [], None, None, None
    with _cpu_threads(torch.device("cpu")):
        th = M.init_params(layout, seed)
        for _ in range(c["train_steps"]):                    # full-batch GD, dense
            th = th - c["eta_train"] * M.grad_manual(layout, th, x, y)
        mask = M.global_magnitude_mask(layout, th, c["sparsity"])
        th = th * mask
        for _ in range(c["train_steps"]):                    # full-batch GD, masked
            th = (th - c["eta_train"] * M.grad_manual(layout, th, x, y)) * mask
        P = TG.MaskedProblem(layout, mask, x, y, 1.0)

        def hess_eigs(phi):
            H = torch.autograd.functional.hessian(lambda p: P.loss(p, idx), phi, vectorize=True)
            return torch.linalg.eigvalsh(H).cpu().numpy()

        phi = P.gather(th)
        eta = c["eta_mu_max"] / float(np.abs(hess_eigs(phi)).max())
        P = TG.MaskedProblem(layout, mask, x, y, eta)
        rng = np.random.default_rng(seed + 1)
        Q = torch.as_tensor(E.orthonormal_frame(P.k, P.k, rng))
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            burn = E.lyapunov_spectrum(TG.sgd_step(P, idx[None].repeat(c["burn_in"], 1)), phi, P.k,
                                       E.Window(0, 0, c["burn_in"]), Q0=Q)
            phi, Q = burn.state, burn.frame
            exps = []
            for j in range(nmax):
                res = E.lyapunov_spectrum(TG.sgd_step(P, idx[None].repeat(Tw, 1)), phi, P.k, E.Window(0, 0, Tw),
                                          Q0=Q)
                phi, Q = res.state, res.frame
                mu = hess_eigs(phi)
                exps.append(res.exponents)
                h_qr, h_eig = se1(res.exponents)["value"], se1(mu)["value"]
                h_ex = se1(np.log(np.abs(1 - eta * mu)))["value"]
                rows.append({"steps_end": c["burn_in"] + (j + 1) * Tw, "se1_qr": h_qr, "se1_hessian": h_eig,
                             "se1_exact": h_ex, "rel_qr_vs_hessian": h_qr / h_eig - 1,
                             "rel_exact_vs_hessian": h_ex / h_eig - 1})
                if len(exps) * Tw == 300:                    # the spec window (burn-in 50, T = 300)
                    spec = {"se1_qr": se1(np.mean(exps, 0))["value"], "se1_hessian": h_eig,
                            "rel_qr_vs_hessian": se1(np.mean(exps, 0))["value"] / h_eig - 1}
                if first is None and j >= 1 and abs(rows[j]["se1_qr"] / rows[j - 1]["se1_qr"] - 1) < tol:
                    first = j                                # the first criterion (change < tol), recorded
                if conv is None and j >= 2:
                    d1 = rows[j]["se1_qr"] - rows[j - 1]["se1_qr"]
                    d0 = rows[j - 1]["se1_qr"] - rows[j - 2]["se1_qr"]
                    r = d1 / d0 if d0 != 0 else float("inf")
                    rest = abs(d1) * r / (1 - r) if 0 <= r < 1 else float("inf")   # Aitken: remaining change
                    rows[j]["remaining_est"] = rest / rows[j]["se1_qr"]
                    if abs(d1) < tol * rows[j]["se1_qr"] and rest < tol * rows[j]["se1_qr"]:
                        conv = j
                if conv is not None and spec is not None:
                    break
    last = rows[conv] if conv is not None else rows[-1]
    return json.dumps({"k": P.k, "eta": eta, "windows": rows, "converged": conv is not None,
            "converged_window": conv, "burn_in_converged": None if conv is None else c["burn_in"] + conv * Tw,
            "rel_qr_vs_hessian": last["rel_qr_vs_hessian"], "rel_exact_vs_hessian": last["rel_exact_vs_hessian"],
            "spec_window": spec, "first_criterion_window": first,
            "rel_at_first_criterion": None if first is None else rows[first]["rel_qr_vs_hessian"]})


def small_step_mlp_windows_cell(cell) -> dict:
    """Sweep cell of :func:`_ssm_windows` (cached in-process by configuration, which carries its own seed, so that
    lyapunov.small_step.mlp and lyapunov.estimator.burn_in share a run)."""
    import json

    return json.loads(_ssm_windows(json.dumps(dict(cell.config), sort_keys=True)))
