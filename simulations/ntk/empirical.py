"""Empirical NTK of masked torch networks with ``torch.func`` (spec §8.5) [ref-impl: PyTorch torch.func NTK
tutorial; neural-tangents test design].

Two implementations, batched over inputs (chunks of rows, each chunk one vmapped call):

* :func:`ntk_jacobian` -- Jacobian contraction: a single-example function through ``functional_call``,
  ``jacrev`` over the parameter dict, ``vmap`` over the batch, then Σ_params J₁ J₂ᵀ;
* :func:`ntk_vp` -- NTK-vector products: ``vjp`` of the batch output, then ``jvp`` through the second batch,
  vmapped over the output basis.

Masks are buffers; pruned entries contribute exactly zero through ``mask * weight``.  :func:`ntk_kept_entries`
differentiates with respect to the kept entries only (gathered), the check of spec §8.5 / check 27.
Single scalar output (no trace axis).  The model is put in ``eval()`` mode and restored.
"""
from __future__ import annotations

from typing import Iterable

import torch
from torch import nn
from torch.func import functional_call, jacrev, jvp, vjp, vmap


def _params(model: nn.Module, names: Iterable[str] | None):
    params = {k: v.detach() for k, v in model.named_parameters()}
    if names is not None:
        names = list(names)
        bad = [n for n in names if n not in params]
        if bad:
            raise ValueError(f"unknown parameter names {bad}; the model has {sorted(params)}")
        params = {k: params[k] for k in names}
    buffers = {k: v.detach() for k, v in model.named_buffers()}
    return params, buffers


def _check_x(x: torch.Tensor, name: str) -> torch.Tensor:
    if not isinstance(x, torch.Tensor) or x.ndim != 2:
        raise ValueError(f"{name} must be a 2-D torch tensor (N, d)")
    return x


def _chunk(chunk: int) -> int:
    if isinstance(chunk, bool) or not isinstance(chunk, int) or chunk < 1:
        raise ValueError(f"chunk must be a positive integer, got {chunk!r}")
    return chunk


class _Eval:
    def __init__(self, model):
        self.model, self.was = model, model.training

    def __enter__(self):
        self.model.eval()

    def __exit__(self, *exc):
        self.model.train(self.was)


def jacobians(model: nn.Module, x: torch.Tensor, names=None, chunk: int = 256) -> dict:
    """Per-example Jacobians {name: (N, *shape)} of the scalar output (vmap of jacrev, in chunks of rows)."""
    _check_x(x, "x")
    params, buffers = _params(model, names)
    rest = {k: v.detach() for k, v in model.named_parameters() if k not in params}

    def single(p, xi):
        return functional_call(model, ({**rest, **p}, buffers), (xi.unsqueeze(0),)).reshape(())

    f = vmap(jacrev(single), in_dims=(None, 0))
    with _Eval(model):
        parts = [f(params, x[s:s + chunk]) for s in range(0, x.shape[0], _chunk(chunk))]
    return {k: torch.cat([p[k] for p in parts]) for k in params}


def _mask_index(model: nn.Module) -> dict:
    """{weight name: flat indices of kept entries} for every parameter with a sibling ``mask`` buffer."""
    buffers = dict(model.named_buffers())
    out = {}
    for name, _ in model.named_parameters():
        if name.endswith("weight") and name[: -len("weight")] + "mask" in buffers:
            m = buffers[name[: -len("weight")] + "mask"].reshape(-1)
            out[name] = torch.nonzero(m != 0).reshape(-1)
    return out


def ntk_jacobian(model: nn.Module, x1: torch.Tensor, x2: torch.Tensor | None = None, names=None,
                 chunk: int = 256, kept_only: bool = True) -> torch.Tensor:
    """Θ(x1, x2) = Σ_params J(x1) J(x2)ᵀ by Jacobian contraction; (N1, N2).

    ``kept_only``: contract masked weights over their kept entries only (the Jacobian is exactly 0 at pruned
    entries, so the kernel is identical and the contraction costs N² K instead of N² n d)."""
    same = x2 is None
    keep = _mask_index(model) if kept_only else {}
    J1 = jacobians(model, x1, names, chunk)
    J2 = J1 if same else jacobians(model, _check_x(x2, "x2"), names, chunk)
    out = None
    for k in J1:
        a = J1[k].reshape(J1[k].shape[0], -1)
        b = a if same else J2[k].reshape(J2[k].shape[0], -1)
        if k in keep:
            a = a[:, keep[k]]
            b = a if same else b[:, keep[k]]
        t = a @ b.T
        out = t if out is None else out + t
    return out


def ntk_vp(model: nn.Module, x1: torch.Tensor, x2: torch.Tensor | None = None, names=None,
           chunk: int = 256) -> torch.Tensor:
    """Θ(x1, x2) by NTK-vector products: rows e_k ↦ J(x2) J(x1)ᵀ e_k (vjp then jvp, vmapped over e_k)."""
    _check_x(x1, "x1")
    x2 = x1 if x2 is None else _check_x(x2, "x2")
    params, buffers = _params(model, names)
    rest = {k: v.detach() for k, v in model.named_parameters() if k not in params}

    def batch_fn(p, xb):
        return functional_call(model, ({**rest, **p}, buffers), (xb,)).reshape(-1)

    rows = []
    with _Eval(model):
        for s in range(0, x1.shape[0], _chunk(chunk)):
            xb = x1[s:s + chunk]
            out, vjp_fn = vjp(lambda p: batch_fn(p, xb), params)

            def row(v):
                (ct,) = vjp_fn(v)
                return jvp(lambda p: batch_fn(p, x2), (params,), (ct,))[1]

            basis = torch.eye(out.numel(), dtype=out.dtype, device=out.device)
            rows.append(vmap(row)(basis))
    return torch.cat(rows)


def ntk_kept_entries(model: nn.Module, x1: torch.Tensor, x2: torch.Tensor | None = None,
                     chunk: int = 256) -> torch.Tensor:
    """Kernel over the kept entries only: every masked weight is re-parameterised as a scatter of its kept
    entries (a vector) into zeros, and the Jacobian is taken with respect to those vectors."""
    _check_x(x1, "x1")
    params, buffers = _params(model, None)
    masked = {}
    for name in params:
        mname = name[: -len("weight")] + "mask" if name.endswith("weight") else None
        if mname in buffers:
            masked[name] = buffers[mname] != 0
    idx = {k: torch.nonzero(masked[k].reshape(-1)).reshape(-1) for k in masked}
    free = {k: (params[k].reshape(-1)[idx[k]] if k in masked else params[k]) for k in params}

    def single(fv, xi):
        full = {k: (torch.zeros(params[k].numel(), dtype=v.dtype, device=v.device).scatter(0, idx[k], v)
                    .reshape(params[k].shape) if k in masked else v) for k, v in fv.items()}
        return functional_call(model, (full, buffers), (xi.unsqueeze(0),)).reshape(())

    f = vmap(jacrev(single), in_dims=(None, 0))

    def jac(x):
        parts = [f(free, x[s:s + chunk]) for s in range(0, x.shape[0], _chunk(chunk))]
        return {k: torch.cat([p[k] for p in parts]).reshape(x.shape[0], -1) for k in free}

    with _Eval(model):
        J1 = jac(x1)
        J2 = J1 if x2 is None else jac(_check_x(x2, "x2"))
    return sum(J1[k] @ J2[k].T for k in J1)


def per_sample_loop_ntk(model: nn.Module, x: torch.Tensor) -> torch.Tensor:
    """Baseline for the speed benchmark: one autograd call per sample, stacked Jacobian, then J Jᵀ."""
    params = [p for p in model.parameters()]
    rows = []
    with _Eval(model):
        for i in range(x.shape[0]):   # deliberately per sample: this is the baseline being beaten
            out = model(x[i:i + 1]).reshape(())
            g = torch.autograd.grad(out, params)
            rows.append(torch.cat([t.reshape(-1) for t in g]))
    J = torch.stack(rows)
    return J @ J.T
