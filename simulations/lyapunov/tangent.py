"""The masked-SGD random dynamical system and its tangent map on the active coordinates (spec §3.2, §7).

The state is phi ∈ R^k, the active coordinates A of theta (theta = scatter(phi, A), zeros elsewhere), so
the HVP of phi -> L_B(scatter(phi)) is exactly H_B[A, A] q: no pruned coordinate ever enters a tangent
vector.  The tangent map of step t is J_t q = q - eta (H_{B_t}(phi_t) q + gamma q), with the SAME minibatch
B_t as the update, applied matrix-free to a k x p frame by forward-over-reverse HVPs batched with vmap.
"""
from __future__ import annotations

import numpy as np
import torch
from torch.func import grad, jvp, vmap

from simulations.lyapunov.estimator import SpectrumResult, Window, lyapunov_spectrum, orthonormal_frame
from simulations.lyapunov.mlp import Layout, _device, batch_indices, grad_manual, loss_fn


class MaskedProblem:
    """Masked SGD on a tanh MLP, parametrised by the active coordinates only."""

    def __init__(self, layout: Layout, mask: torch.Tensor, x, y, eta: float, gamma: float = 0.0,
                 device: str = "cpu"):
        dev = _device(device)
        m = torch.as_tensor(mask, dtype=torch.float64).to(dev)
        if m.shape != (layout.d,) or not torch.all((m == 0) | (m == 1)):
            raise ValueError(f"mask must be a 0/1 vector of length d={layout.d}, got shape {tuple(m.shape)}")
        if not eta > 0:
            raise ValueError(f"eta must be > 0, got {eta}")
        self.layout, self.eta, self.gamma, self.device = layout, float(eta), float(gamma), dev
        self.active = torch.nonzero(m, as_tuple=True)[0]
        self.k = int(self.active.numel())
        if self.k < 1:
            raise ValueError("mask keeps no coordinate")
        self.x = torch.as_tensor(x, dtype=torch.float64).to(dev)
        self.y = torch.as_tensor(y, dtype=torch.long).to(dev)
        self._grad = grad(self.loss)

    def scatter(self, phi: torch.Tensor) -> torch.Tensor:
        return torch.zeros(self.layout.d, dtype=phi.dtype, device=phi.device).index_put((self.active,), phi)

    def gather(self, theta: torch.Tensor) -> torch.Tensor:
        return torch.as_tensor(theta, dtype=torch.float64).to(self.device)[self.active]

    def loss(self, phi: torch.Tensor, idx: torch.Tensor) -> torch.Tensor:
        return loss_fn(self.layout, self.scatter(phi), self.x[idx], self.y[idx])

    def grad(self, phi, idx):
        """Gradient on A: (grad_theta L_B)[A] by explicit backprop (equal to torch.func.grad, tested)."""
        return grad_manual(self.layout, self.scatter(phi), self.x[idx], self.y[idx])[self.active]

    def sgd(self, phi, idx):
        return phi - self.eta * (self.grad(phi, idx) + self.gamma * phi)

    def hvp(self, phi, idx, q):
        return jvp(lambda p: self._grad(p, idx), (phi,), (q,))[1]

    def hvp_batched(self, phi, idx, Q: torch.Tensor) -> torch.Tensor:
        """H_B[A,A] Q for a k x p frame: one vmapped forward-over-reverse HVP over the p columns."""
        if Q.shape[0] != self.k:
            raise ValueError(f"tangent vectors must live on the k={self.k} active coordinates, got "
                             f"{Q.shape[0]} rows (dense-and-drop over d={self.layout.d} is not allowed)")
        return vmap(lambda q: self.hvp(phi, idx, q), in_dims=1, out_dims=1)(Q)

    def hvp_loop(self, phi, idx, Q: torch.Tensor) -> torch.Tensor:
        """Baseline: one HVP per column (for the benchmark only)."""
        return torch.stack([self.hvp(phi, idx, Q[:, j]) for j in range(Q.shape[1])], dim=1)

    def tangent(self, phi, idx):
        def apply(Q):
            Q = torch.as_tensor(Q, dtype=torch.float64, device=self.device)
            return Q - self.eta * (self.hvp_batched(phi, idx, Q) + self.gamma * Q)
        return apply

    def explicit_jacobian(self, phi, idx) -> torch.Tensor:
        """I - eta (H_explicit[A,A] + gamma I) from torch.autograd.functional.hessian (k <= ~600)."""
        H = torch.autograd.functional.hessian(lambda p: self.loss(p, idx), phi, vectorize=True)
        return torch.eye(self.k, dtype=torch.float64, device=self.device) - self.eta * (H + self.gamma * torch.eye(
            self.k, dtype=torch.float64, device=self.device))

    def full_hessian_extremes(self, theta_full: torch.Tensor, idx) -> tuple[float, float]:
        """mu_min, mu_max of the full d x d minibatch Hessian at theta (for the P2 bound)."""
        H = torch.autograd.functional.hessian(
            lambda th: loss_fn(self.layout, th, self.x[idx], self.y[idx]), theta_full, vectorize=True)
        ev = torch.linalg.eigvalsh(H)
        return float(ev[0]), float(ev[-1])


def sgd_step(prob: MaskedProblem, batches: torch.Tensor, explicit: bool = False):
    """``step(phi, t) -> (phi_next, tangent)`` for the estimator; batches[t] is B_t (same noise)."""
    def step(phi, t):
        idx = batches[t]
        tan = prob.explicit_jacobian(phi, idx) if explicit else prob.tangent(phi, idx)
        return prob.sgd(phi, idx), tan
    return step


def momentum_step(prob: MaskedProblem, batches: torch.Tensor, beta: float, convention: str = "velocity"):
    """Heavy-ball state (phi, v) in R^{2k}.  ``velocity``: v' = beta v - eta g, phi' = phi + v';
    ``buffer`` (PyTorch): b' = beta b + g, phi' = phi - eta b'.  Tangent maps on stacked [dphi; dv]."""
    if convention not in ("velocity", "buffer"):
        raise ValueError(f"convention must be 'velocity' or 'buffer', got {convention!r}")
    k, eta = prob.k, prob.eta

    def step(state, t):
        phi, v = state[:k], state[k:]
        idx = batches[t]
        g = prob.grad(phi, idx) + prob.gamma * phi
        if convention == "velocity":
            v2 = beta * v - eta * g
            new = torch.cat([phi + v2, v2])
        else:
            v2 = beta * v + g
            new = torch.cat([phi - eta * v2, v2])

        def apply(Q):
            Q = torch.as_tensor(Q, dtype=torch.float64, device=prob.device)
            dp, dv = Q[:k], Q[k:]
            Hq = prob.hvp_batched(phi, idx, dp) + prob.gamma * dp
            if convention == "velocity":
                dv2 = beta * dv - eta * Hq
            else:
                dv2 = beta * dv + Hq
                return torch.cat([dp - eta * dv2, dv2])
            return torch.cat([dp + dv2, dv2])
        return new, apply
    return step


def masked_sgd_spectrum(prob: MaskedProblem, phi0: torch.Tensor, p: int, window: Window, seed: int,
                        batch: int = 32, frame_seed: int | None = None, explicit: bool = False,
                        Q0=None) -> SpectrumResult:
    """FTLEs of masked SGD from phi0 over ``window`` (minibatch noise from ``seed``, frame from frame_seed)."""
    if not 1 <= p <= prob.k:
        raise ValueError(f"p must be in [1, k={prob.k}], got {p}")
    total = window.burn_in + window.T
    batches = batch_indices(prob.x.shape[0], batch, window.t0 + total, seed, prob.device.type)
    if Q0 is None:
        Q0 = orthonormal_frame(prob.k, p, np.random.default_rng(seed if frame_seed is None else frame_seed))
    Q0 = torch.as_tensor(np.asarray(Q0), dtype=torch.float64, device=prob.device)
    return lyapunov_spectrum(sgd_step(prob, batches, explicit), phi0, p, window, Q0=Q0)


def finite_time_lyapunov(layout: Layout, theta: torch.Tensor, mask, x, y, *, eta: float = 0.05,
                         batch: int = 32, p: int = 16, burn_in: int = 50, T: int = 300, seed: int = 0,
                         gamma: float = 0.0, device: str = "cpu") -> dict:
    """FTLEs of a training trajectory continued from ``theta`` under ``mask`` (a window (0, burn_in, T)).

    Public helper for chaos-derived features (e.g. the selection-plateau part).  Returns the exponents in
    QR order, their batch-means SEs, the window and the active dimension k.
    """
    if mask is None:
        mask = torch.ones(layout.d, dtype=torch.float64)
    prob = MaskedProblem(layout, mask, x, y, eta, gamma, device)
    phi0 = prob.gather(theta)
    res = masked_sgd_spectrum(prob, phi0, min(p, prob.k), Window(0, burn_in, T, "stationary"), seed, batch)
    return {"exponents": res.exponents.tolist(), "se": res.se.tolist(), "window": res.window.to_dict(),
            "k": prob.k, "p": int(min(p, prob.k))}


from theory.checks import guard_module  # noqa: E402  (last: wraps the public functions above)

guard_module(globals())
