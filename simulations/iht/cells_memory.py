"""Sweep cell of the memory claim (spec §3.10, IHT-04): the traced peak of one real solver step.

The data X, y and the operator (which holds X) are built before tracing starts, so the peak is the working set
of the step itself: products with A, the streaming threshold, the refinement, and the returned iterate.
``solver``: ``aiht`` (the authors' AIHT, one outer step from an s-sparse state, R = 10 refinement steps) or
``iht`` (streaming IHT with a fixed step, two iterations from 0, the second one from an s-sparse iterate).
When the engine provides :func:`simulations.iht.memory.measure_step_peaks` (one full step from a real iterate,
y = A w*), the cell uses it."""
from __future__ import annotations

import numpy as np

from simulations.iht.memory import traced_peak

try:                        # the engine's own measurement of a full step (streaming engine), when it provides one
    from simulations.iht.memory import measure_step_peaks
except ImportError:         # pragma: no cover - older engine
    measure_step_peaks = None
from simulations.iht.operator import GatedOperator
from simulations.iht.problems import SeededGenerators
from simulations.iht.solvers import aiht_code, iht_streaming


def memory_step_cell(cell) -> dict:
    c = cell.config
    rng = cell.numpy_rng()
    n, d, p, s = c["n"], c["d"], c["p"], c["s"]
    if measure_step_peaks is not None:
        row = measure_step_peaks([(n, d, p, s)], kind=c["solver"], R=10, seed=int(cell.seed % 2**31),
                                 chunk=c["chunk"])[0]
        return {"peak_bytes": int(row["peak_bytes"]), "state_bytes": int(row["state_bytes"]), "nnz": s,
                "data_bytes": int(row["data_bytes"]), "dense_A_bytes": int(8 * n * d * p),
                "measured_by": "simulations.iht.memory.measure_step_peaks"}
    X, y = rng.standard_normal((n, d)), rng.standard_normal(n)
    op = GatedOperator(X, SeededGenerators(int(rng.integers(2**31)), d, p), chunk=c["chunk"])
    if c["solver"] == "aiht":
        idx = np.sort(rng.choice(d * p, size=s, replace=False)).astype(np.int64)
        val = rng.standard_normal(s)
        peak, out = traced_peak(lambda: aiht_code(op, y, s, steps=1, R=10, state=(idx, val)))
    elif c["solver"] == "iht":
        peak, out = traced_peak(lambda: iht_streaming(op, y, s, eta=1e-4, max_iter=2, tol=0.0))
    else:
        raise ValueError(f"solver must be 'aiht' or 'iht', got {c['solver']!r}")
    i, v = out.w
    return {"peak_bytes": int(peak), "state_bytes": int(np.asarray(i).nbytes + np.asarray(v).nbytes),
            "nnz": int(np.asarray(i).size), "data_bytes": int(X.nbytes + y.nbytes),
            "dense_A_bytes": int(8 * n * d * p), "measured_by": "cells_memory (tracemalloc around the solver)"}
