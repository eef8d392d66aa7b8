"""FTLE variance chi_lambda = T Var(lambda_1^(T)) over M independent windows (spec §5, order parameter X8).

The M windows start from the same state theta (one per model: e.g. every sparsity of a pruning run) and are
driven by M independent minibatch streams (independent noise realisations of the RDS).  All S models x M
windows run side by side: one forward-mode JVP through the batched manual backprop gives, per step, the
gradient (for the masked SGD update) and the HVP H_B[A,A] q (for the tangent map), on the same minibatch.

The tangent vector is a k-vector on the active set A, stored embedded in R^d with exact zeros on the pruned
coordinates and re-projected after every step (J = P_A (I - eta(H + gamma I)) P_A, spec §7.2): its growth is
the growth on R^A, and no pruned coordinate ever carries a tangent component.  With p = 1 the QR step is the
normalisation q <- Jq / |Jq|, so lambda_1^(T) = (1/T) sum_t ln |J_t q_t| over the accumulation steps.
"""
from __future__ import annotations

from contextlib import contextmanager

import numpy as np
import torch
from torch.func import jvp

from simulations.lyapunov.estimator import Window
from simulations.lyapunov.mlp import Layout, batch_indices, grad_manual
from simulations.lyapunov.order_parameters import ftle_variance

MIN_WINDOWS = 20   # spec §5 / X8: M >= 20 independent windows


@contextmanager
def _cpu_threads(device: torch.device, n: int = 1):
    """Small batched GEMMs on a shared CPU run faster on one thread (the per-op work is tiny); restored after."""
    old = torch.get_num_threads()
    if device.type == "cpu":
        torch.set_num_threads(n)
    try:
        yield
    finally:
        torch.set_num_threads(old)


def lambda1_windows(layout: Layout, thetas: torch.Tensor, masks: torch.Tensor, x: torch.Tensor, y: torch.Tensor,
                    eta: float, batch: int, M: int, window: Window, seed: int, gamma: float = 0.0) -> np.ndarray:
    """lambda_1^(T) of masked SGD for S models (thetas, masks: (S, d)) over M independent windows each.

    Window m uses minibatch stream m (shared by the S models: common random numbers) and an independent
    random unit start vector on each model's active set.  ``thetas`` is the state at the window's start: the
    window.t0 steps, if any, are propagated and not accumulated, like the burn-in.  Returns an (S, M) array."""
    thetas = torch.as_tensor(thetas, dtype=torch.float64)
    masks = torch.as_tensor(masks, dtype=torch.float64, device=thetas.device)
    if thetas.ndim != 2 or thetas.shape != masks.shape or thetas.shape[1] != layout.d:
        raise ValueError(f"thetas and masks must both be (S, d={layout.d}), got {tuple(thetas.shape)} and "
                         f"{tuple(masks.shape)}")
    if not torch.all((masks == 0) | (masks == 1)) or torch.any(masks.sum(1) < 1):
        raise ValueError("masks must be 0/1 and keep at least one coordinate per model")
    if M < 2:
        raise ValueError(f"M (number of windows) must be >= 2, got {M}")
    if not eta > 0:
        raise ValueError(f"eta must be > 0, got {eta}")
    S, d = thetas.shape
    dev = thetas.device
    steps = window.t0 + window.burn_in + window.T
    idx = batch_indices(x.shape[0], batch, steps * M, seed, dev.type).reshape(M, steps, batch)
    m = masks.repeat_interleave(M, 0)                                  # (S*M, d), model-major
    th = (thetas * masks).repeat_interleave(M, 0)
    g = torch.Generator().manual_seed(int(seed) % (2 ** 63 - 1) + 1)
    q = torch.randn(S * M, d, generator=g, dtype=torch.float64).to(dev) * m
    q = q / q.norm(dim=1, keepdim=True)
    acc = torch.zeros(S * M, dtype=torch.float64, device=dev)
    with _cpu_threads(dev):
        acc = _propagate(layout, th, q, m, x, y, idx, S, eta, gamma, window, acc)
    return (acc / window.T).reshape(S, M).cpu().numpy()


def _propagate(layout, th, q, m, x, y, idx, S, eta, gamma, window, acc):
    for t in range(idx.shape[1]):
        b = idx[:, t].repeat(S, 1)                                     # (S*M, batch): window m's minibatch
        xb, yb = x[b], y[b]
        grad, hv = jvp(lambda p: grad_manual(layout, p, xb, yb), (th,), (q,))
        v = (q - eta * (hv + gamma * q)) * m
        th = (th - eta * (grad + gamma * th)) * m
        nrm = v.norm(dim=1)
        if t >= window.t0 + window.burn_in:
            acc += torch.log(nrm)
        q = v / nrm[:, None]
    return acc


def chi_lambda(lam1: np.ndarray, T: int) -> np.ndarray:
    """chi_lambda = T Var(lambda_1^(T)) per model from an (S, M) array of window exponents (M >= 20)."""
    lam1 = np.atleast_2d(lam1)
    if lam1.ndim != 2:
        raise ValueError(f"lam1 must be an (S, M) array of window exponents (or one row of M), got shape "
                         f"{lam1.shape}")
    if lam1.shape[1] < MIN_WINDOWS:
        raise ValueError(f"chi_lambda needs M >= {MIN_WINDOWS} windows (spec X8) in lam1, got {lam1.shape[1]}")
    return np.array([ftle_variance(r, T) for r in lam1])


from theory.checks import guard_module  # noqa: E402  (last: wraps the public functions above)

guard_module(globals())
