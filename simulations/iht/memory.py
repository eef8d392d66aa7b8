"""Memory accounting (spec §3.10): an analytic ledger of stored scalars and bytes, and measured peaks
(tracemalloc for numpy paths, torch.cuda.max_memory_allocated for GPU paths)."""
from __future__ import annotations

import tracemalloc
from typing import Callable

import numpy as np


def _item(scalars: int, bytes_each: int) -> dict:
    return {"scalars": int(scalars), "bytes": int(scalars * bytes_each)}


def iht_ledger(n: int, d: int, p: int, t: int, b: int, *, itemsize: int = 8, cache_patterns: bool = False,
               scheme: str = "streaming") -> dict:
    """Ledger of one streaming IHT / AIHT step at level t with chunks of b generators (§3.10).

    ``persistent_state``: t indices + t values + 2 step-size scalars + 2 generator-seed scalars.
    ``transient_peak``: the larger of the two phases of a step --
      gradient phase: n residual + n b pre-activations + n b booleans + n b masked residual + b d chunk
      gradient + 2 (t + b d) merge buffer (indices and values);
      product phase (A x over the support, b d entries at a time): n output + n b·d restricted columns + n b d
      booleans (patterns, gathered per entry).
    ``scheme='per_block'`` is the authors' layout: n d block + n + d, plus a buffer of t + d.
    """
    for name, v in (("n", n), ("d", d), ("p", p), ("t", t), ("b", b)):
        if isinstance(v, bool) or not isinstance(v, (int, np.integer)) or v < (0 if name == "t" else 1):
            raise ValueError(f"{name} must be a positive integer, got {v!r}")
    if scheme not in ("streaming", "per_block"):
        raise ValueError(f"scheme must be 'streaming' or 'per_block', got {scheme!r}")
    b = min(b, p)
    persistent = _item(2 * t + 4, itemsize)
    if scheme == "streaming":
        grad_f = n + 2 * n * b + b * d + 2 * (t + b * d)     # floats (pre-activations, masked residual, ...)
        grad_bool = n * b
        prod_f = n + n * min(t, b * d)
        prod_bool = n * min(t, b * d)
        f, bo = (grad_f, grad_bool) if grad_f * itemsize + grad_bool >= prod_f * itemsize + prod_bool \
            else (prod_f, prod_bool)
        transient = {"scalars": f + bo, "bytes": f * itemsize + bo}
    else:
        f = n * d + n + d + t + d
        transient = _item(f, itemsize)
    cache = {"scalars": n * p if cache_patterns else 0, "bytes": -(-n * p // 8) if cache_patterns else 0}
    return {"persistent_state": persistent, "transient_peak": transient, "pattern_cache": cache,
            "data": _item(n * d + n, itemsize), "dense_equivalent": _item(n * d * p, itemsize),
            "level": int(t)}


def imp_ledger(d: int, m: int, k_out: int = 1, hidden_layers: int = 1, itemsize: int = 4) -> dict:
    """IMP storage (§3.10, §5.5), each item counted: N = d m + (L-1) m² + m k_out weights; gradients N; Adam
    moments 2N; masks N; the pruning reparametrisation's masked copy N (weight_orig is the weight itself);
    rewind copy N."""
    N = d * m + (hidden_layers - 1) * m * m + m * k_out
    items = {"weights": N, "gradients": N, "adam_moments": 2 * N, "masks": N, "masked_copy": N, "rewind_copy": N}
    total = sum(items.values())
    return {"items": {k: _item(v, itemsize) for k, v in items.items()}, "total": _item(total, itemsize),
            "n_params": N}


def traced_peak(fn: Callable[[], object]) -> tuple[int, object]:
    """(peak bytes allocated while ``fn`` runs, above what was allocated before; fn's return value).

    numpy reports its buffers to tracemalloc, so this measures the numpy working set of ``fn``."""
    was = tracemalloc.is_tracing()
    if not was:
        tracemalloc.start()
    tracemalloc.reset_peak()
    base = tracemalloc.get_traced_memory()[0]
    try:
        out = fn()
        peak = tracemalloc.get_traced_memory()[1] - base
    finally:
        if not was:
            tracemalloc.stop()
    return int(peak), out


def cuda_peak(fn: Callable[[], object]) -> tuple[int, object]:
    """Peak CUDA bytes allocated during ``fn`` (after a peak reset), above the allocation before it."""
    import torch

    torch.cuda.synchronize()
    torch.cuda.reset_peak_memory_stats()
    base = torch.cuda.memory_allocated()
    out = fn()
    torch.cuda.synchronize()
    return int(torch.cuda.max_memory_allocated() - base), out
