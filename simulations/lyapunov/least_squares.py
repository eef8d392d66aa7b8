"""P1: masked least squares, the solvable trainability transition at rho_c = n/d (spec §9 P1, A-C4).

Full-batch GD from w = 0 on L(w) = (1/2n)||X_A w - y||^2 is linear with J = I - eta H_A, H_A = X_A^T X_A / n.
Everything is closed form through the eigendecomposition; the QR estimator cross-checks the neutral count.
"""
from __future__ import annotations

import numpy as np

from simulations.lyapunov.estimator import Window, lyapunov_spectrum, matrices_step
from simulations.lyapunov.order_parameters import se1


def draw(n: int, d: int, rng: np.random.Generator) -> dict:
    """X (n x d) i.i.d. N(0,1), y = X beta*, beta* ~ N(0, I/d), a random order of features (nested masks)."""
    if n < 1 or d < 1:
        raise ValueError(f"n and d must be positive, got n={n}, d={d}")
    X = rng.standard_normal((n, d))
    y = X @ (rng.standard_normal(d) / np.sqrt(d))
    perm = rng.permutation(d)
    mu_full = float(np.linalg.eigvalsh(X.T @ X / n)[-1]) if d <= n else float(np.linalg.eigvalsh(X @ X.T / n)[-1])
    return {"X": X, "y": y, "perm": perm, "mu_max_full": mu_full, "n": n, "d": d}


def _check_k(prob: dict, k: int) -> None:
    d = np.shape(prob["X"])[1]
    if not 1 <= k <= d:
        raise ValueError(f"k must lie in [1, d] = [1, {d}] (features kept), got {k}")


def masked_spectrum(prob: dict, k: int, eta: float, steps: int = 100_000) -> dict:
    """Hessian eigenvalues on the first k features, exact exponents, GD loss after ``steps`` (closed form;
    ``steps = 0`` skips the loss: NaN)."""
    _check_k(prob, k)
    n = prob["n"]
    XA = prob["X"][:, prob["perm"][:k]]
    H = XA.T @ XA / n
    mu, V = np.linalg.eigh(H)
    scale = max(1.0, float(mu[-1]))
    zero = np.abs(mu) < 1e-10 * scale
    with np.errstate(divide="ignore"):
        lam = np.log(np.abs(1.0 - eta * mu))
    lam[zero] = 0.0                       # exactly neutral: J v = v on the null space of H
    if steps == 0:                        # spectrum only (no loss)
        nz = mu[~zero]
        return {"k": k, "mu_min_pos": float(nz.min()) if nz.size else float("nan"), "n_zero": int(zero.sum()),
                "loss": float("nan"), "slowest": float(lam[~zero].max()) if nz.size else float("nan"),
                "se1_star": se1(lam, star=True)["value"], "exponents": lam}
    # loss: residual r_t = -(I - U U^T) y - sum_i (1 - eta mu_i)^t u_i u_i^T y over the nonzero modes
    U, s, _ = np.linalg.svd(XA, full_matrices=False)
    keep = s ** 2 / n > 1e-10 * scale
    U, s = U[:, keep], s[keep]
    c = U.T @ prob["y"]
    floor = float(np.sum(prob["y"] ** 2) - np.sum(c ** 2))
    decay = (1.0 - eta * s ** 2 / n) ** (2 * steps)
    loss = (max(floor, 0.0) + float(np.sum(decay * c ** 2))) / (2 * n)
    nz = mu[~zero]
    mu_min_pos = float(nz.min()) if nz.size else float("nan")
    nonneutral = lam[~zero]
    return {"k": k, "mu_min_pos": mu_min_pos, "n_zero": int(zero.sum()), "loss": loss,
            "slowest": float(nonneutral.max()) if nonneutral.size else float("nan"),
            "se1_star": se1(lam, star=True)["value"], "exponents": lam}


def qr_neutral_count(prob: dict, k: int, eta: float, rng: np.random.Generator, relax_factor: float = 30.0,
                     T: int = 200, tol: float = 1e-10, macro: int = 50) -> dict:
    """Neutral count on the QR spectrum (p = k): burn-in = relax_factor x the predicted relaxation time
    1/(eta mu_min+) so the frame has aligned to e^-30; count |lambda_i| < tol over the next T steps.
    The fixed map is applied ``macro`` steps at a time (J^macro; |1 - eta mu| <= 0.9 keeps it well
    conditioned), exponents divided by ``macro``."""
    _check_k(prob, k)
    if not relax_factor > 0:
        raise ValueError(f"relax_factor must be > 0 (burn-in in relaxation times), got {relax_factor}")
    if macro < 1:
        raise ValueError(f"macro must be >= 1 (steps per applied power of the map), got {macro}")
    n = prob["n"]
    XA = prob["X"][:, prob["perm"][:k]]
    H = XA.T @ XA / n
    J = np.eye(k) - eta * H
    mu = np.linalg.eigvalsh(H)
    pos = mu[mu > 1e-10 * max(1.0, mu[-1])]
    tau = 1.0 / (eta * pos.min())
    burn = int(np.ceil(relax_factor * tau / macro))
    Jm = np.linalg.matrix_power(J, macro)
    res = lyapunov_spectrum(matrices_step(lambda t: Jm), None, k, Window(0, burn, max(T // macro, 1)), k=k, rng=rng)
    lam = res.exponents / macro
    return {"k": k, "burn_in_steps": burn * macro, "n_neutral_qr": int(np.sum(np.abs(lam) < tol)),
            "max_neutral_abs": float(np.sort(np.abs(lam))[: max(k - n, 1)].max())}


from theory.checks import guard_module  # noqa: E402  (last: wraps the public functions above)

guard_module(globals())
