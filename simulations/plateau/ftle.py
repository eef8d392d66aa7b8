"""Per-channel finite-time Lyapunov exponents of the SGD training dynamics: a data-dependent chaos-derived feature.

Project definition (reconstructed; the paper's chaos features are unknown).  docs/definitions/plateau.md#s3-8b
asks for Lyapunov exponents of the weight dynamics aggregated per channel (by Rosenstein's time-series method);
this module measures the same object with the direct tangent-map (Benettin) estimator instead, which the
Jacobian of the update map makes available exactly:

* the update map is plain SGD, theta_{t+1} = theta_t - eta grad L_{B_t}(theta_t), continued for T steps from the
  trained weights (the same minibatch B_t for state and tangent, as in the Lyapunov engine's masked SGD);
* its Jacobian is J_t = I - eta H_{B_t}(theta_t), applied matrix-free by forward-over-reverse HVPs;
* channel c's tangent vector v_c is the unit vector along its incoming weights W_in[c,:] (zero elsewhere);
* lambda_c = (1/T) ln(|J_{T-1} ... J_0 v_c| / |v_c|), accumulated as a sum of per-step log norms (each column
  renormalised after every step, never re-orthogonalised: each channel keeps its own direction's growth).

All channels' tangent vectors (and all training seeds) are the columns of one tangent matrix pushed through one
vmapped HVP per step; there is no Python loop over channels.
"""
from __future__ import annotations

import numpy as np
import torch
import torch.nn.functional as F
from torch.func import grad, jvp, vmap

from simulations.data import digits
from simulations.plateau.models import SPLIT_SEED, logits_of
from simulations.rng import derive_seed, torch_generator


def tangent_growth(loss, params: dict, tangents: dict, batches, eta: float, hvp=None) -> np.ndarray:
    """Finite-time growth rates of K tangent columns under the SGD map of ``loss`` (seeds stacked on axis 0).

    ``loss(params, batch) -> scalar`` must be a sum of independent per-seed losses (parameters stacked on axis 0,
    one seed per index), so its HVP acts on each seed separately.  ``tangents[name]`` has shape
    [K, *params[name].shape]: column k of seed j is the slice [k, j].  ``batches`` is a sequence of T minibatch
    arguments, B_t for step t.  ``hvp(theta, V, batch) -> (grad, H V)`` optionally replaces the generic
    torch.func path (vmap over the K columns of a forward-over-reverse HVP) by a hand-batched one.
    Returns lambda [J, K] = (1/T) sum_t ln(|v_{t+1}| / |v_t|) per (seed, column).
    """
    if not eta > 0:
        raise ValueError(f"eta must be > 0, got {eta!r}")
    if set(tangents) != set(params):
        raise ValueError(f"tangents must have the parameters' keys {sorted(params)}, got {sorted(tangents)}")
    T = len(batches)
    if T < 1:
        raise ValueError("batches must hold at least one step (T >= 1)")
    names = list(params)
    J = params[names[0]].shape[0]
    K = tangents[names[0]].shape[0]
    for n in names:
        if tangents[n].shape != (K,) + tuple(params[n].shape) or params[n].shape[0] != J:
            raise ValueError(f"tangent {n!r} must have shape {(K,) + tuple(params[n].shape)}, "
                             f"got {tuple(tangents[n].shape)}")
    theta = {n: params[n].detach().clone() for n in names}
    V = {n: tangents[n].detach().clone() for n in names}

    def _norm(V):
        return torch.sqrt(sum(V[n].reshape(K, J, -1).pow(2).sum(-1) for n in names))          # [K, J]

    n0 = _norm(V)
    if not torch.all(n0 > 0):
        raise ValueError("every tangent column must be nonzero for every seed")
    V = {n: V[n] / n0.reshape((K, J) + (1,) * (V[n].ndim - 2)) for n in names}
    acc = torch.zeros(K, J, dtype=torch.float64, device=n0.device)
    for t in range(T):
        b = batches[t]
        if hvp is None:
            g = grad(lambda p: loss(p, b))
            hv = vmap(lambda v: jvp(g, (theta,), (v,))[1])(V)            # one batched HVP for all K columns
            step = g(theta)
        else:
            step, hv = hvp(theta, V, b)
        for n in names:
            V[n].add_(hv[n], alpha=-eta)
        nt = _norm(V)
        acc += torch.log(nt).double()
        for n in names:
            V[n].div_(nt.reshape((K, J) + (1,) * (V[n].ndim - 2)))
        theta = {n: theta[n] - eta * step[n] for n in names}
    return (acc / T).T.cpu().numpy()


def mlp_loss(depth: int = 1):
    """Sum over seeds of the mean cross-entropy of the stacked 64-C-10 ReLU MLP on a minibatch (x [J,B,64], y)."""
    def loss(p, batch):
        x, y = batch
        out = logits_of("mlp", p, x, depth)
        return F.cross_entropy(out.reshape(-1, out.shape[-1]), y.reshape(-1), reduction="sum") / x.shape[1]
    return loss


def mlp1_grad_hvp(theta: dict, V: dict, batch):
    """Gradient and Hessian-vector products of :func:`mlp_loss` (depth 1) by hand, as batched GEMMs.

    theta: w0 [J,C,I], b0 [J,C], w1 [J,O,C], b1 [J,O]; V: the same with a leading column axis K.  Returns
    (grad, HV) with HV[name] [K, ...].  Forward-over-reverse written out (ReLU'' = 0 almost everywhere):
    dz = x dW0^T + db0, dh = dz*1[z>0], do = dh W1^T + h dW1^T + db1, d(delta_o) = (p*do - p<p,do>)/B,
    d(gW1) = d(delta_o)^T h + delta_o^T dh, d(delta_h) = d(delta_o) W1 + delta_o dW1, d(gW0) = (d(delta_h)*1[z>0])^T x.
    """
    x, y = batch                                                         # [J,B,I], [J,B]
    w0, b0, w1, b1 = theta["w0"], theta["b0"], theta["w1"], theta["b1"]
    J, B, _ = x.shape
    K, C, O = V["w0"].shape[0], w0.shape[1], w1.shape[1]
    z = torch.baddbmm(b0[:, None, :], x, w0.transpose(1, 2))            # [J,B,C]
    on = (z > 0).to(z.dtype)
    h = z * on
    o = torch.baddbmm(b1[:, None, :], h, w1.transpose(1, 2))            # [J,B,O]
    p = torch.softmax(o, -1)
    do_ = (p - F.one_hot(y, O).to(p.dtype)) / B                          # delta_o [J,B,O]
    dh_ = do_ @ w1                                                       # delta_h [J,B,C]
    dz_ = dh_ * on
    g = {"w0": dz_.transpose(1, 2) @ x, "b0": dz_.sum(1), "w1": do_.transpose(1, 2) @ h, "b1": do_.sum(1)}
    # tangents, column-major [K, J, ...]: (column, seed) pairs are the batch of small GEMMs, no transposed copies
    KJ = K * J
    dW0, dW1 = V["w0"], V["w1"]                                          # [K,J,C,I], [K,J,O,C]
    xe = x.expand(K, J, B, x.shape[-1]).reshape(KJ, B, -1)
    tz = torch.bmm(xe, dW0.reshape(KJ, C, -1).transpose(1, 2)).view(K, J, B, C) + V["b0"][:, :, None, :]
    th = tz * on                                                         # [K,J,B,C]
    to = th @ w1.transpose(1, 2) + h @ dW1.transpose(2, 3) + V["b1"][:, :, None, :]        # [K,J,B,O]
    tdo = (p * to - p * (p * to).sum(-1, keepdim=True)) / B             # d(delta_o) [K,J,B,O]
    hw1 = tdo.transpose(2, 3) @ h + do_.transpose(1, 2) @ th            # [K,J,O,C]
    tdz = (tdo @ w1 + do_ @ dW1) * on                                   # [K,J,B,C]
    hw0 = torch.bmm(tdz.reshape(KJ, B, C).transpose(1, 2), xe).view(K, J, C, -1)
    hv = {"w0": hw0, "b0": tdz.sum(2), "w1": hw1, "b1": tdo.sum(2)}
    return g, hv


def channel_tangents(params: dict, depth: int = 1) -> dict:
    """v_c: the unit vector along channel c's incoming weights W_in[c,:] (zero on every other parameter),
    for all channels and seeds at once: tangents[name] [C, J, ...]."""
    w = params[f"w{depth - 1}"]                                          # [J, C, fan_in]
    J, C, _ = w.shape
    out = {n: torch.zeros((C,) + tuple(v.shape), dtype=v.dtype, device=v.device) for n, v in params.items()}
    eye = torch.eye(C, dtype=w.dtype, device=w.device)                  # column c lives on row c only
    out[f"w{depth - 1}"] = eye[:, None, :, None] * (w / w.norm(dim=-1, keepdim=True))[None]
    return out


def channel_ftle(params: dict, *, steps: int, eta: float = 0.05, batch: int = 32, seed: int = 0, depth: int = 1,
                 dtype=torch.float64, device: str = "cpu", seed_chunk: int = 1) -> np.ndarray:
    """lambda [J, C]: per-channel FTLE of SGD (step ``eta``, minibatch ``batch``) continued for ``steps`` steps
    from the trained stacked MLP ``params`` on the digits training split; minibatches drawn from ``seed`` (one
    independent stream per training seed).  All C channel columns go through each HVP together; training seeds
    (independent systems) are processed ``seed_chunk`` at a time, which keeps the [C, chunk, C, fan_in] tangent
    block small enough for the allocator to reuse (the results do not depend on it)."""
    if not isinstance(seed_chunk, (int, np.integer)) or seed_chunk < 1:
        raise ValueError(f"seed_chunk must be a positive integer, got {seed_chunk!r}")
    if not isinstance(steps, (int, np.integer)) or steps < 1:
        raise ValueError(f"steps must be an integer >= 1, got {steps!r}")
    if not isinstance(batch, (int, np.integer)) or batch < 1:
        raise ValueError(f"batch must be a positive integer, got {batch!r}")
    if device not in ("cpu", "cuda"):
        raise ValueError(f"device must be 'cpu' or 'cuda', got {device!r}")
    dev = torch.device(device)
    p = {n: v.detach().to(device=dev, dtype=dtype) for n, v in params.items()}
    J = p["w0"].shape[0]
    d = digits(SPLIT_SEED)
    x = torch.as_tensor(d["x_train"], dtype=dtype, device=dev)
    y = torch.as_tensor(d["y_train"], device=dev)
    n = x.shape[0]
    gens = [torch_generator(derive_seed(seed, "plateau-ftle-batches", j)) for j in range(J)]
    idx = torch.stack([torch.stack([torch.randperm(n, generator=g)[:batch] for g in gens]) for _ in range(steps)])
    idx = idx.to(dev)                                                    # [T, J, B]
    hvp = mlp1_grad_hvp if depth == 1 else None
    out = []
    for a in range(0, J, seed_chunk):
        pj = {n: v[a:a + seed_chunk] for n, v in p.items()}
        batches = [(x[idx[t, a:a + seed_chunk]], y[idx[t, a:a + seed_chunk]]) for t in range(steps)]
        out.append(tangent_growth(mlp_loss(depth), pj, channel_tangents(pj, depth), batches, eta, hvp=hvp))
    return np.concatenate(out, 0)


from theory.checks import guard_module  # noqa: E402  (last: wraps the public functions above)

guard_module(globals())
