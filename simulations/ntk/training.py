"""Lazy-regime training of the masked one-hidden-layer model (spec §2.1, §8.7): full-batch gradient descent on
L = (1/(2N)) Σ (f(x_k) - y_k)² over the kept entries of ω and the readout α, with a small step.

The step is η = lr_scale · N / λ_max(Θ₀) (Θ₀ the empirical NTK Gram at initialisation), so the linearised
dynamics are stable (η λ_max / N < 2) for any lr_scale < 2.  Laziness is recorded as the relative change of
the weights and of the NTK Gram between initialisation and the end of training.  Numpy with closed-form
gradients: every step is two GEMMs over the batch (no loop over samples or neurons).
"""
from __future__ import annotations

import numpy as np

from simulations.ntk.contract import one_layer_ntk


def _relu(h):
    return np.maximum(h, 0.0)


def forward(X, omega, alpha, mask, sigma_w=1.0, sigma_a=1.0):
    d, n = omega.shape[1], omega.shape[0]
    H = (sigma_w / np.sqrt(d)) * X @ (mask * omega).T
    return (sigma_a / np.sqrt(n)) * _relu(H) @ alpha, H


def train_lazy(X, y, omega, alpha, mask, *, steps: int = 300, lr_scale: float = 1.0, sigma_w: float = 1.0,
               sigma_a: float = 1.0, X_test=None, y_test=None, track_kernel: bool = True) -> dict:
    """Train (ω on kept entries, α) by full-batch GD; returns predictions, errors and laziness measures.

    Labels y ∈ {±1} (binary task); test 0-1 error uses sign(f).  ``H0`` is the NTK Gram at initialisation.
    """
    X = np.asarray(X, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64).ravel()
    if X.ndim != 2 or y.size != X.shape[0]:
        raise ValueError(f"X must be (N, d) with one label per row; got X {X.shape}, y {y.shape}")
    if steps < 1 or not 0 < lr_scale < 2:
        raise ValueError(f"need steps >= 1 and lr_scale in (0, 2); got {steps}, {lr_scale}")
    omega = np.array(omega, dtype=np.float64)
    alpha = np.array(alpha, dtype=np.float64).ravel()
    mask = np.asarray(mask, dtype=np.float64)
    w0, a0 = omega.copy(), alpha.copy()
    N, d = X.shape
    n = omega.shape[0]
    H0 = one_layer_ntk(X, omega, alpha, mask, sigma_w=sigma_w, sigma_a=sigma_a)
    lam_max = float(np.linalg.eigvalsh(H0)[-1])
    eta = lr_scale * N / lam_max
    cw, ca = sigma_w / np.sqrt(d), sigma_a / np.sqrt(n)
    losses = []
    for _ in range(steps):   # GD iterations (sequential by nature); each is batched over samples and neurons
        f, H = forward(X, omega, alpha, mask, sigma_w, sigma_a)
        r = f - y
        losses.append(0.5 * float(r @ r) / N)
        S = _relu(H)
        g_alpha = ca * S.T @ r / N
        G = (r[:, None] * (H > 0) * (ca * alpha)[None, :])          # (N, n) = dL/dh * N
        g_omega = mask * (cw * G.T @ X / N)
        alpha -= eta * g_alpha
        omega -= eta * g_omega
    f_train, _ = forward(X, omega, alpha, mask, sigma_w, sigma_a)
    out = {"eta": eta, "lambda_max0": lam_max, "H0": H0, "loss_first": losses[0],
           "loss_final": 0.5 * float(np.sum((f_train - y) ** 2)) / N,
           "train_error": float(np.mean(np.sign(f_train) != y)),
           "weight_change": float(np.sqrt(np.sum((omega - w0) ** 2) + np.sum((alpha - a0) ** 2))
                                  / np.sqrt(np.sum((mask * w0) ** 2) + np.sum(a0 ** 2)))}
    if track_kernel:
        H1 = one_layer_ntk(X, omega, alpha, mask, sigma_w=sigma_w, sigma_a=sigma_a)
        out["kernel_change"] = float(np.linalg.norm(H1 - H0) / np.linalg.norm(H0))
    if X_test is not None:
        yt = np.asarray(y_test, dtype=np.float64).ravel()
        ft, _ = forward(np.asarray(X_test, dtype=np.float64), omega, alpha, mask, sigma_w, sigma_a)
        out["test_error"] = float(np.mean(np.sign(ft) != yt))
        out["test_ramp"] = float(np.mean(np.clip(1.0 - yt * ft, 0.0, 1.0)))   # 1-Lipschitz, bounds 0-1 error
        out["test_mse"] = float(np.mean((ft - yt) ** 2))
    return out


def train_lazy_torch(X, y, omega, alpha, mask, *, steps: int = 300, lr_scale: float = 1.0, sigma_w: float = 1.0,
                     sigma_a: float = 1.0, X_test=None, y_test=None, device: str = "cpu",
                     dtype=None) -> dict:
    """:func:`train_lazy` in torch on ``device`` ("cpu" or "cuda"; paper-scale widths on a GPU).  Same update
    rule, step and outputs (without the kernel-change measure); float64 unless ``dtype`` says otherwise."""
    import torch

    if device not in ("cpu", "cuda"):
        raise ValueError(f"device must be 'cpu' or 'cuda', got {device!r}")
    if device == "cuda" and not torch.cuda.is_available():
        raise ValueError("device='cuda' requested but torch.cuda.is_available() is False")
    dt = torch.float64 if dtype is None else dtype
    t = lambda a: torch.as_tensor(np.asarray(a, dtype=np.float64), dtype=dt, device=device)
    X_, y_, om, al, M = t(X), t(y).reshape(-1), t(omega).clone(), t(alpha).reshape(-1).clone(), t(mask)
    if steps < 1 or not 0 < lr_scale < 2:
        raise ValueError(f"need steps >= 1 and lr_scale in (0, 2); got {steps}, {lr_scale}")
    N, d = X_.shape
    n = om.shape[0]
    cw, ca = sigma_w / np.sqrt(d), sigma_a / np.sqrt(n)

    def fwd(Z):
        H = cw * Z @ (M * om).T
        return ca * torch.relu(H) @ al, H

    H0 = _ntk_torch(X_, om, al, M, cw, ca)
    lam_max = float(torch.linalg.eigvalsh(H0)[-1])
    eta = lr_scale * N / lam_max
    w0, a0 = om.clone(), al.clone()
    first = None
    for _ in range(steps):   # GD iterations; each batched over samples and neurons on the device
        f, H = fwd(X_)
        r = f - y_
        if first is None:
            first = 0.5 * float(r @ r) / N
        g_alpha = ca * torch.relu(H).T @ r / N
        G = r[:, None] * (H > 0) * (ca * al)[None, :]
        g_omega = M * (cw * G.T @ X_ / N)
        al -= eta * g_alpha
        om -= eta * g_omega
    f_train, _ = fwd(X_)
    out = {"eta": eta, "lambda_max0": lam_max, "H0": H0.cpu().double().numpy(), "loss_first": first,
           "loss_final": 0.5 * float(((f_train - y_) ** 2).sum()) / N,
           "train_error": float((torch.sign(f_train) != y_).double().mean()),
           "weight_change": float(torch.sqrt(((om - w0) ** 2).sum() + ((al - a0) ** 2).sum())
                                  / torch.sqrt(((M * w0) ** 2).sum() + (a0 ** 2).sum()))}
    if X_test is not None:
        yt = t(y_test).reshape(-1)
        ft, _ = fwd(t(X_test))
        out["test_error"] = float((torch.sign(ft) != yt).double().mean())
        out["test_ramp"] = float(torch.clamp(1.0 - yt * ft, 0.0, 1.0).mean())
        out["test_mse"] = float(((ft - yt) ** 2).mean())
    return out


def _ntk_torch(X, om, al, M, cw, ca, max_block: int = 4_000_000):
    """Closed-form one-hidden-layer NTK on the tensors' device: readout term + masked hidden term by the pair
    route rowsum((P M) ⊙ Q), chunked over rows (same formula as :func:`simulations.ntk.contract.one_layer_ntk`)."""
    import torch

    H = cw * X @ (M * om).T
    S = torch.relu(H)
    out = (ca ** 2) * S @ S.T
    A = (H > 0).to(X.dtype) * al[None, :]
    N, n = A.shape
    step = max(1, max_block // max(1, N * n))
    for s in range(0, N, step):
        P = (A[s:s + step, None, :] * A[None, :, :]).reshape(-1, n)
        Q = (X[s:s + step, None, :] * X[None, :, :]).reshape(-1, X.shape[1])
        out[s:s + step] += (ca * cw) ** 2 * ((P @ M) * Q).sum(1).reshape(-1, N)
    return out


from theory.checks import guard_module  # noqa: E402  (last: wraps the public functions above)

guard_module(globals(), ndim={"X": 2, "omega": 2, "mask": 2},
             per_function={"forward": {"ndim": {"X": 2, "omega": 2, "mask": 2, "alpha": 1}}})
