"""Memory accounting (spec §3.10): an analytic ledger of stored scalars and bytes, and measured peaks
(tracemalloc for numpy paths, torch.cuda.max_memory_allocated for GPU paths)."""
from __future__ import annotations

import tracemalloc
from typing import Callable

import numpy as np

from theory.checks import check_int, guard_module


def _item(scalars: int, bytes_each: int) -> dict:
    return {"scalars": int(scalars), "bytes": int(scalars * bytes_each)}


def iht_ledger(n: int, d: int, p: int, t: int, b: int, *, itemsize: int = 8, cache_patterns: bool = False,
               scheme: str = "streaming", work_bytes: int = 4 * 2**20, gen_group: int = 0) -> dict:
    """Ledger of one streaming IHT / AIHT step at level t with chunks of b generators (§3.10).

    ``persistent_state``: t indices + t values + 2 step-size scalars + 2 generator-seed scalars.
    ``transient_peak``: the larger of the two phases of a step, with m = min(n, work_bytes / (8 b)) rows per
    chunk (the operator's row chunks) --
      gradient phase: m b pre-activations or masked residuals (one alive at a time) + m b booleans + b d chunk
      gradient + b d candidates + b d candidate indices + 2 (t + b d) merge buffer (indices and values)
      + d·gen_group regenerated generators (seeded generators only);
      product phase (A x over the support, m' = min(n, min(work_bytes, SWEEP_BYTES) / (8 (t + d))) rows at a
      time): n output + m' (t + d) floats (the gathered slice and the chunk's copy of X) + m' t indicator bytes
      + min(a·n/8, PATTERN_BYTES) bit-packed patterns of the a <= min(t, p) blocks (beyond the operator's
      pattern budget they are recomputed per window of rows, FILL_BLOCKS generators gathered at a time).
    ``scheme='per_block'`` is the authors' layout: n d block + n + d, plus a buffer of t + d.
    """
    for name, v in (("n", n), ("d", d), ("p", p), ("t", t), ("b", b)):
        if isinstance(v, bool) or not isinstance(v, (int, np.integer)) or v < (0 if name == "t" else 1):
            raise ValueError(f"{name} must be a positive integer, got {v!r}")
    for name, v in (("itemsize", itemsize), ("work_bytes", work_bytes)):
        check_int(v, name, minimum=1)
    if scheme not in ("streaming", "per_block"):
        raise ValueError(f"scheme must be 'streaming' or 'per_block', got {scheme!r}")
    b = min(b, p)
    persistent = _item(2 * t + 4, itemsize)
    if scheme == "streaming":
        m = min(n, max(8, work_bytes // (8 * b)))
        grad_f = m * b + 3 * b * d + 2 * (t + b * d) + d * gen_group
        grad_bool = m * b
        from simulations.iht.operator import PATTERN_BYTES
        from simulations.iht.support import SWEEP_BYTES

        a = min(t, p)
        m2 = min(n, max(8, min(work_bytes, SWEEP_BYTES) // (8 * (t + d))))
        prod_f = n + m2 * (t + d)
        prod_bool = m2 * t + min(a * (-(-n // 8)), PATTERN_BYTES)
        phases = {"gradient": {"scalars": grad_f + grad_bool, "bytes": grad_f * itemsize + grad_bool},
                  "product": {"scalars": prod_f + prod_bool, "bytes": prod_f * itemsize + prod_bool}}
        transient = max(phases.values(), key=lambda v: v["bytes"])
    else:
        f = n * d + n + d + t + d
        transient = _item(f, itemsize)
        phases = {"gradient": transient, "product": transient}
    cache = {"scalars": n * p if cache_patterns else 0, "bytes": -(-n * p // 8) if cache_patterns else 0}
    return {"persistent_state": persistent, "transient_peak": transient, "phases": phases, "pattern_cache": cache,
            "data": _item(n * d + n, itemsize), "dense_equivalent": _item(n * d * p, itemsize),
            "level": int(t)}


def imp_ledger(d: int, m: int, k_out: int = 1, hidden_layers: int = 1, itemsize: int = 4) -> dict:
    """IMP storage (§3.10, §5.5), each item counted: N = d m + (L-1) m² + m k_out weights; gradients N; Adam
    moments 2N; masks N; the pruning reparametrisation's masked copy N (weight_orig is the weight itself);
    rewind copy N."""
    for name, v in (("d", d), ("m", m), ("k_out", k_out), ("hidden_layers", hidden_layers), ("itemsize", itemsize)):
        check_int(v, name, minimum=1)
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


def measure_step_peaks(sizes, *, kind: str = "aiht", R: int = 10, seed: int = 0, chunk: int = 256,
                       work_bytes: int | None = None, generators: str = "seeded", timed: bool = False) -> list[dict]:
    """Measured peak traced bytes (tracemalloc) of one full streaming step for each (n, d, p, s) in ``sizes``.

    The problem: X ~ N(0, I) (n x d, feature-major), Gaussian generators (``generators='seeded'``:
    :class:`SeededGenerators`, regenerated per chunk, never stored d x p; ``'array'``: a stored d x p
    array), y = A w* for a random s-sparse w*, and a real iterate (two AIHT steps from 0).  Then one step is
    traced, everything it needs allocated before: ``kind='aiht'``: :func:`aiht_step` with R refinement
    steps, stateless (it computes the old support's patterns, the step size, the streaming threshold, the
    refinement sweeps); ``kind='iht'``: :func:`iht_step` (A w over the support, then the streaming threshold).

    Returns one dict per size: n, d, p, s, kind, peak_bytes (the step's traced peak above what existed
    before it), data_bytes (X and y, excluded), state_bytes (the iterate's indices and values afterwards),
    active_blocks, and with ``timed`` the step's CPU seconds (process time, untraced run).
    """
    import time

    from simulations.iht.operator import GatedOperator
    from simulations.iht.problems import SeededGenerators
    from simulations.iht.solvers import aiht_step, iht_step

    if kind not in ("aiht", "iht"):
        raise ValueError(f"kind must be 'aiht' or 'iht', got {kind!r}")
    if generators not in ("seeded", "array"):
        raise ValueError(f"generators must be 'seeded' or 'array', got {generators!r}")
    out = []
    for size in sizes:
        if np.ndim(size) != 1 or len(size) != 4:
            raise ValueError(f"sizes must hold (n, d, p, s) quadruples, got {size!r}")
        n, d, p, s = (check_int(v, "sizes") for v in size)
        if min(n, d, p, s) < 1 or s > d * p:
            raise ValueError(f"sizes must hold positive (n, d, p, s) with s <= d p, got {size!r}")
        rng = np.random.default_rng([seed, n, d, p, s])
        X = rng.standard_normal((d, n)).T
        gens = SeededGenerators(seed, d, p) if generators == "seeded" else rng.standard_normal((d, p))
        kw = {} if work_bytes is None else {"work_bytes": work_bytes}
        op = GatedOperator(X, gens, chunk=min(chunk, p), **kw)
        idx = np.sort(rng.choice(d * p, size=s, replace=False))
        y = op.matvec_sparse(idx, rng.standard_normal(s))
        st = aiht_step(op, y, s, None, R=2)
        st = aiht_step(op, y, s, (st.idx, st.val), R=2)
        state = (st.idx, st.val)
        if kind == "aiht":
            step = lambda: aiht_step(op, y, s, state, R=R)
        else:
            step = lambda: iht_step(op, y, state[0], state[1], 1e-6, s)
        peak, res = traced_peak(step)
        ri, rv = (res.idx, res.val) if kind == "aiht" else res[:2]
        row = {"n": n, "d": d, "p": p, "s": s, "kind": kind, "peak_bytes": int(peak),
               "data_bytes": int(X.nbytes + y.nbytes), "state_bytes": int(ri.nbytes + rv.nbytes),
               "active_blocks": int(np.unique(state[0] // d).size)}
        if timed:
            t0 = time.process_time()
            step()
            row["seconds"] = time.process_time() - t0
        out.append(row)
    return out


# R = 0: an AIHT step without refinement sweeps
guard_module(globals(), exclude=("traced_peak", "cuda_peak"), ndim={"sizes": 2},
             per_function={"measure_step_peaks": {"nonpositive_ok": ("R",)}})
