"""A tanh MLP on a flat float64 parameter vector, SGD training, global magnitude pruning (spec §10.1).

Layout of theta: for each layer, the weight matrix (out x in, row-major) then the bias.  Biases are never
pruned.  Everything takes an explicit seed; minibatches are drawn uniformly with replacement.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch

from simulations.pai.threshold import top_k_masks


def _device(device: str) -> torch.device:
    if device not in ("cpu", "cuda"):
        raise ValueError(f"device must be 'cpu' or 'cuda', got {device!r}")
    if device == "cuda" and not torch.cuda.is_available():
        raise ValueError("device='cuda' requested but torch.cuda.is_available() is False")
    return torch.device(device)


@dataclass(frozen=True)
class Layout:
    sizes: tuple[int, ...]      # e.g. (64, 32, 32, 10)
    pad: int = 0                # extra parameters that never enter the forward pass (padding test A-C6)

    def __post_init__(self) -> None:
        if len(self.sizes) < 2 or any(int(s) < 1 for s in self.sizes):
            raise ValueError(f"sizes must list >= 2 positive layer widths, got {self.sizes!r}")

    @property
    def slices(self) -> list[tuple[slice, slice, tuple[int, int]]]:
        out, i = [], 0
        for a, b in zip(self.sizes[:-1], self.sizes[1:]):
            w = slice(i, i + a * b)
            i += a * b
            out.append((w, slice(i, i + b), (b, a)))
            i += b
        return out

    @property
    def d_model(self) -> int:
        return sum(a * b + b for a, b in zip(self.sizes[:-1], self.sizes[1:]))

    @property
    def d(self) -> int:
        return self.d_model + self.pad

    def weight_flags(self) -> np.ndarray:
        """True on prunable weight coordinates (not biases, not padding)."""
        f = np.zeros(self.d, dtype=bool)
        for w, _, _ in self.slices:
            f[w] = True
        return f


def forward(layout: Layout, theta: torch.Tensor, x: torch.Tensor) -> torch.Tensor:
    h = x
    sl = layout.slices
    for li, (w, b, shape) in enumerate(sl):
        h = h @ theta[w].reshape(shape).T + theta[b]
        if li < len(sl) - 1:
            h = torch.tanh(h)
    return h


def loss_fn(layout: Layout, theta: torch.Tensor, x: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    return torch.nn.functional.cross_entropy(forward(layout, theta, x), y)


def init_params(layout: Layout, seed: int, device: str = "cpu") -> torch.Tensor:
    """Weights N(0, 1/fan_in), zero biases, zero padding (float64)."""
    g = torch.Generator().manual_seed(int(seed) % (2 ** 63 - 1))
    theta = torch.zeros(layout.d, dtype=torch.float64)
    for w, _, (o, i) in layout.slices:
        theta[w] = torch.randn(o * i, generator=g, dtype=torch.float64) / np.sqrt(i)
    return theta.to(_device(device))


def batch_indices(n: int, batch: int, steps: int, seed: int, device: str = "cpu") -> torch.Tensor:
    """(steps, batch) minibatch indices drawn uniformly with replacement."""
    if n < 1 or batch < 1 or steps < 0:
        raise ValueError(f"need n >= 1, batch >= 1, steps >= 0; got n={n}, batch={batch}, steps={steps}")
    g = torch.Generator().manual_seed(int(seed) % (2 ** 63 - 1))
    return torch.randint(0, n, (steps, batch), generator=g).to(_device(device))


def grad_manual(layout: Layout, theta: torch.Tensor, x: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    """Gradient of the mean cross-entropy by explicit backpropagation; ``theta`` is (d,) or (S, d) (S models,
    one batched GEMM per layer).  ``x`` (B, in) with ``y`` (B,) is one minibatch shared by the S models;
    ``x`` (S, B, in) with ``y`` (S, B) gives each model its own minibatch.  Agrees with autograd (tested) and
    is differentiable in forward mode (``torch.func.jvp`` gives gradient and HVP in one pass)."""
    single = theta.ndim == 1
    th = theta[None] if single else theta
    S = th.shape[0]
    if x.ndim == 3:
        if x.shape[0] != S or tuple(y.shape) != tuple(x.shape[:2]):
            raise ValueError(f"per-model minibatches need x (S={S}, B, in) and y (S, B); got x {tuple(x.shape)}, "
                             f"y {tuple(y.shape)}")
        h = x
    else:
        h = x.expand(S, *x.shape)
    B = h.shape[1]
    hs = []
    sl = layout.slices
    for li, (w, b, shape) in enumerate(sl):
        hs.append(h)
        h = torch.baddbmm(th[:, b][:, None, :], h, th[:, w].reshape(S, *shape).transpose(1, 2))
        if li < len(sl) - 1:
            h = torch.tanh(h)
    dz = (torch.softmax(h, dim=-1) - torch.nn.functional.one_hot(y, h.shape[-1]).to(h.dtype)) / B
    parts = []
    for li in range(len(sl) - 1, -1, -1):
        w, b, shape = sl[li]
        hin = hs[li]
        parts += [dz.sum(1), torch.bmm(dz.transpose(1, 2), hin).reshape(S, -1)]
        if li > 0:
            dz = torch.bmm(dz, th[:, w].reshape(S, *shape)) * (1.0 - hin * hin)
    parts = parts[::-1]                 # layout order: w0, b0, w1, b1, ... (then the padding, gradient 0)
    if layout.pad:
        parts.append(torch.zeros(S, layout.pad, dtype=th.dtype, device=th.device))
    g = torch.cat(parts, dim=1)
    return g[0] if single else g


def sgd_train(layout: Layout, theta: torch.Tensor, mask: torch.Tensor | None, x: torch.Tensor, y: torch.Tensor,
              steps: int, eta: float, batch: int, seed: int, gamma: float = 0.0) -> torch.Tensor:
    """Plain (masked) SGD: theta <- m ⊙ (theta - eta grad L_B - eta gamma theta).  ``theta`` and ``mask`` may
    carry a leading model dimension S (all models see the same minibatch sequence)."""
    idx = batch_indices(x.shape[0], batch, steps, seed, str(x.device.type))
    th = theta.clone() if mask is None else theta * mask
    for t in range(steps):
        b = idx[t]
        th = th - eta * (grad_manual(layout, th, x[b], y[b]) + gamma * th)
        if mask is not None:
            th = th * mask
    return th


def accuracy(layout: Layout, theta: torch.Tensor, x: torch.Tensor, y: torch.Tensor):
    """Test accuracy; a float for theta (d,), a list for (S, d)."""
    if theta.ndim == 2:
        return [accuracy(layout, t, x, y) for t in theta]
    with torch.no_grad():
        return float((forward(layout, theta, x).argmax(1) == y).double().mean())


def global_magnitude_mask(layout: Layout, theta: torch.Tensor, sparsity: float) -> torch.Tensor:
    """Global magnitude pruning of weights (biases kept) to ``sparsity``; returns a float 0/1 mask of size d."""
    if not 0.0 <= sparsity < 1.0:
        raise ValueError(f"sparsity must be in [0, 1), got {sparsity!r}")
    th = theta.detach().cpu().numpy()
    m = np.ones(layout.d)
    m[layout.d_model:] = 0.0
    if sparsity > 0:
        scores = {f"w{i}": np.abs(th[w]) for i, (w, _, _) in enumerate(layout.slices)}
        keep = top_k_masks(scores, 1.0 - sparsity, scope="global")
        for i, (w, _, _) in enumerate(layout.slices):
            m[w] = keep[f"w{i}"].astype(float)
    return torch.as_tensor(m, dtype=theta.dtype, device=theta.device)


def layer_masks(layout: Layout, mask: torch.Tensor) -> list[np.ndarray]:
    """Per-layer biadjacency matrices (out x in) of the mask."""
    m = mask.detach().cpu().numpy()
    return [m[w].reshape(shape) for w, _, shape in layout.slices]


from theory.checks import guard_module  # noqa: E402  (last: wraps the public functions above)

guard_module(globals())
