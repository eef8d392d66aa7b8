"""Structured one-shot pruning (spec 3.2) and its batched evaluation.

The engine: with channel contributions ``contrib`` [C, O, N] (logits = b + sum_c mask_c contrib_c), a stack of M
keep-masks [M, C] is evaluated as ONE batched GEMM, logits = fixed + (masks - reference) @ contrib.reshape(C, O*N),
instead of rebuilding and running M pruned networks.  :func:`rebuild_and_evaluate` is that per-mask baseline (a
fresh ``nn.Sequential`` with row c of W_in, entry c of b_in and column c of W_out zeroed, run on the test set),
used by the tests and the benchmark.
"""
from __future__ import annotations

import warnings

import numpy as np
import torch

from simulations.plateau.models import Family, logits_of


def _as_masks(masks, C: int, dtype, device) -> torch.Tensor:
    m = torch.as_tensor(np.asarray(masks) if not torch.is_tensor(masks) else masks)
    if m.ndim == 1:
        m = m[None]
    if m.ndim != 2 or m.shape[1] != C:
        raise ValueError(f"masks must have shape [M, {C}], got {tuple(m.shape)}")
    return m.to(device=device, dtype=dtype)


#: below this density of (mask - reference) the GEMM runs on a CSR sparse matrix
SPARSE_BELOW = 0.25


def _matmul(a: torch.Tensor, b: torch.Tensor, sparse: bool, bias: torch.Tensor) -> torch.Tensor:
    """bias + a @ b, with a as a CSR matrix when it is sparse (CPU)."""
    if a.shape[1] == 0:
        return bias.expand(a.shape[0], -1).clone()
    if not sparse or a.device.type != "cpu":
        return torch.addmm(bias, a, b)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)   # "sparse CSR support is in beta"
        return torch.addmm(bias, a.to_sparse_csr(), b)


def _n_correct(L: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    """Per mask, how many samples ``argmax`` over classes (first maximal index) assigns to their label.

    logits L are [M, O, N].  With t the label's logit and r the best other logit, a sample is correct when t > r;
    an exact float tie t == r (rare) is resolved by argmax on the tied entries only."""
    M, O, N = L.shape
    t = L.gather(1, y.view(1, 1, N).expand(M, 1, N))[:, 0]
    pen = torch.zeros(O, N, dtype=L.dtype, device=L.device)
    pen[y, torch.arange(N, device=L.device)] = -torch.inf
    r = (L + pen).amax(1)
    correct = t > r
    tied = t == r
    if bool(tied.any()):
        mi, ni = torch.nonzero(tied, as_tuple=True)
        correct[mi, ni] = L[mi, :, ni].argmax(1) == y[ni]
    return correct.sum(-1)


def batched_accuracy(contrib: torch.Tensor, b_out: torch.Tensor, y: torch.Tensor, masks,
                     chunk: int = 512) -> np.ndarray:
    """Test accuracy (pp) of every mask in a stack [M, C], as one batched GEMM per chunk of masks.

    ``contrib`` is [C, O, N].  A sample counts as correct exactly when ``argmax`` over classes would return its
    label (first maximal index), see :func:`_n_correct`."""
    if contrib.ndim != 3:
        raise ValueError(f"contrib must be [C, O, N], got shape {tuple(contrib.shape)}")
    C, O, N = contrib.shape
    if y.shape != (N,):
        raise ValueError(f"y must have shape ({N},), got {tuple(y.shape)}")
    m = _as_masks(masks, C, contrib.dtype, contrib.device)
    flat = contrib.reshape(C, O * N)
    # logits = b + (reference channels) + (mask - reference) @ contrib: the reference is the column-wise majority of
    # the stack, so for swap masks the difference is sparse (2q nonzeros per row) and goes through a sparse GEMM
    ref = m.mean(0) > 0.5
    # b_out: [O] (a bias) or [O, N] (a per-sample base, e.g. the ViT's class-token residual, simulations.plateau.vit)
    fixed = (flat[ref].sum(0) if bool(ref.any()) else torch.zeros_like(flat[0])).reshape(O, N) + (
        b_out[:, None] if b_out.ndim == 1 else b_out)
    delta = m - ref.to(m.dtype)
    vary = delta.abs().amax(0) > 0
    dv, fv = delta[:, vary], flat[vary]
    sparse = bool(dv.numel()) and float((dv != 0).float().mean()) < SPARSE_BELOW
    fixed = fixed.reshape(1, O * N)
    out = []
    with torch.no_grad():
        for i in range(0, m.shape[0], chunk):
            L = _matmul(dv[i:i + chunk], fv, sparse, fixed).reshape(-1, O, N)
            out.append(_n_correct(L, y))
    return torch.cat(out).cpu().numpy().astype(np.float64) * (100.0 / N)


def family_accuracy(fam: Family, j: int, masks) -> np.ndarray:
    """Accuracies (pp) of a stack of masks for training seed index j of a family."""
    if not 0 <= j < len(fam.seeds):
        raise ValueError(f"seed index j must be in [0, {len(fam.seeds)}), got {j}")
    return batched_accuracy(fam.contrib[j], fam.b_out[j], fam.y_test, masks)


def pruned_params(fam: Family, j: int, mask) -> dict:
    """A fresh copy of seed j's parameters with the pruned channels' in-row, bias and out-column zeroed."""
    keep = torch.as_tensor(np.asarray(mask, dtype=bool))
    if keep.shape != (fam.width,):
        raise ValueError(f"mask must have shape ({fam.width},), got {tuple(keep.shape)}")
    p = {k: v[j:j + 1].clone() for k, v in fam.params.items()}
    drop = ~keep
    if fam.arch == "mlp":
        i = fam.depth - 1
        p[f"w{i}"][0, drop] = 0
        p[f"b{i}"][0, drop] = 0
        p[f"w{fam.depth}"][0][:, drop] = 0
    else:
        p["c2"][0, drop] = 0
        p["cb2"][0, drop] = 0
        p["w"][0][:, drop] = 0
    return p


def rebuild_model(fam: Family, j: int, mask) -> torch.nn.Module:
    """The pruned MLP of seed j as a fresh ``nn.Sequential`` (what a per-mask evaluation has to build)."""
    if fam.arch != "mlp":
        raise ValueError(f"rebuild_model builds MLPs only, got arch {fam.arch!r}")
    p = pruned_params(fam, j, mask)
    dims = [fam.x_test.shape[1]] + [fam.width] * fam.depth + [fam.b_out.shape[1]]
    layers = []
    for i, (a, b) in enumerate(zip(dims[:-1], dims[1:])):
        lin = torch.nn.Linear(a, b, dtype=p["w0"].dtype)
        with torch.no_grad():
            lin.weight.copy_(p[f"w{i}"][0])
            lin.bias.copy_(p[f"b{i}"][0])
        layers += [lin, torch.nn.ReLU()]
    return torch.nn.Sequential(*layers[:-1]).eval()


def rebuild_and_evaluate(fam: Family, j: int, mask) -> float:
    """Baseline: rebuild the pruned network for one mask and run it on the test set; accuracy in pp."""
    with torch.no_grad():
        if fam.arch == "mlp":
            logits = rebuild_model(fam, j, mask)(fam.x_test)
        else:
            logits = logits_of(fam.arch, pruned_params(fam, j, mask), fam.x_test[None], fam.depth)[0]
    return float(logits.argmax(-1).eq(fam.y_test).double().mean() * 100)


from theory.checks import guard_module  # noqa: E402  (last: wraps the public functions above)

guard_module(globals())
