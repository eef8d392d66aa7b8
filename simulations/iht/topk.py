"""Hard thresholding H_t with the suite's tie-break (spec §2.3): keep the t entries of largest magnitude,
ties broken by the smaller flat index.  Dense (numpy and torch) and streaming (O(t + chunk) state) forms give
bit-identical results on identical inputs."""
from __future__ import annotations

import numpy as np


def _check_t(t, size: int) -> int:
    if isinstance(t, bool) or not isinstance(t, (int, np.integer)) or t < 0:
        raise ValueError(f"level t must be a non-negative integer, got {t!r}")
    return int(min(int(t), size))


def top_indices(a, t: int):
    """Indices (ascending) of the t largest values of the non-negative 1-D array ``a`` (numpy or torch),
    ties broken by smaller index.  Linear time (partition / topk), no full sort."""
    if len(getattr(a, "shape", ())) != 1:
        raise ValueError(f"a must be a 1-D array, got shape {tuple(getattr(a, 'shape', ()))}")
    n = a.shape[0]
    t = _check_t(t, n)
    if hasattr(a, "detach"):
        import torch

        if t == 0:
            return torch.zeros(0, dtype=torch.long, device=a.device)
        thr = torch.topk(a, t, sorted=False).values.min()
        above = a > thr
        need = t - int(above.sum())
        ties = (a == thr) & (torch.cumsum((a == thr).to(torch.long), 0) <= need)
        return torch.nonzero(above | ties).ravel()
    if t == 0:
        return np.zeros(0, dtype=np.int64)
    thr = np.partition(a, n - t)[n - t]
    above = a > thr
    need = t - int(above.sum())
    eq = a == thr
    ties = eq & (np.cumsum(eq) <= need)
    return np.flatnonzero(above | ties)


def hard_threshold(x, t: int):
    """H_t(x) for a 1-D numpy array or torch tensor; the result has the same type, dtype and device."""
    if len(getattr(x, "shape", ())) != 1:
        raise ValueError(f"x must be a 1-D array, got shape {tuple(getattr(x, 'shape', ()))}")
    idx = top_indices(abs(x), t)
    out = x * 0
    out[idx] = x[idx]
    return out


class StreamingTopK:
    """Streaming H_t over chunks of candidates (indices, values): keeps at most t + (chunk size) entries.

    ``push`` appends a chunk's nonzero candidates and truncates the buffer back to t entries (largest
    magnitude first, then smaller flat index).  ``peak`` records the largest buffer ever held.
    """

    def __init__(self, t: int):
        if isinstance(t, bool) or not isinstance(t, (int, np.integer)) or t < 0:
            raise ValueError(f"level t must be a non-negative integer, got {t!r}")
        self.t = int(t)
        self.idx = np.zeros(0, dtype=np.int64)
        self.val = np.zeros(0)
        self.peak = 0

    def push(self, idx, val) -> None:
        idx = np.asarray(idx, dtype=np.int64).ravel()
        val = np.asarray(val).ravel()
        if idx.shape != val.shape:
            raise ValueError(f"idx and val must have the same length, got {idx.size} and {val.size}")
        nz = val != 0
        self.idx = np.concatenate([self.idx, idx[nz]])
        self.val = np.concatenate([self.val.astype(val.dtype, copy=False), val[nz]])
        self.peak = max(self.peak, self.idx.size)
        if self.idx.size > self.t:
            order = np.argsort(self.idx, kind="stable")          # tie-break needs index order
            self.idx, self.val = self.idx[order], self.val[order]
            keep = top_indices(np.abs(self.val), self.t)
            self.idx, self.val = self.idx[keep], self.val[keep]

    def result(self) -> tuple[np.ndarray, np.ndarray]:
        """(indices ascending, values) of the retained entries."""
        order = np.argsort(self.idx, kind="stable")
        return self.idx[order], self.val[order]


from theory.checks import guard_module  # noqa: E402  (last: wraps the public functions above)

guard_module(globals(), per_function={"top_indices": {"skip": ("t",)}, "hard_threshold": {"skip": ("t",)}})
