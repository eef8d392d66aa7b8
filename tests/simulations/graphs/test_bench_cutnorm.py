"""Speed (issue 3 item 7): the cut-norm bounds at n = d = 1024, the cases of ``sparse-claims bench cutnorm``
(:func:`simulations.harness.bench.cutnorm_cases`, same code), each engine with its baselines timed in the same
run (one thread, interleaved rounds, CPU time).

Budgets from flop counts, against a dense 1024 x 1024 x 1024 product timed in the same run: the alternating
bound does <= 2 x 30 products of (1024 x 1024) @ (1024 x 16), i.e. at most about one dense product of flops,
run as thin GEMMs -> ratio <= 10.  The spectral bound is one Gram product plus a LAPACK subset eigensolve of a
1024 x 1024 symmetric matrix (tridiagonalisation, about 4/3 n^3 flops) -> ratio <= 20.  The batched restarts
must also beat the same algorithm with a Python loop over restarts.
"""
from __future__ import annotations

import pytest

from simulations.harness import bench as B


@pytest.fixture(scope="module")
def cases():
    return {c.engine: c for c in B.cutnorm_cases(quick=True)}


@pytest.mark.benchmark
def test_bench_alternating_bound(benchmark, cases):
    c = cases["graphs.cutnorm_alternating"]
    benchmark.pedantic(c.extra["fn"], rounds=1, iterations=1)
    ratio = c.seconds / c.extra["gemm_s"]
    benchmark.extra_info.update({"ratio": ratio, "alternating_s": c.seconds, "dense_product_s": c.extra["gemm_s"],
                                 "looped_restarts_s": c.baseline_seconds, "speedup_vs_loop": c.ratio,
                                 "peak_bytes": c.peak_bytes})
    assert ratio <= 10.0, f"alternating bound took {ratio:.1f}x a dense product"
    assert c.ratio > 1, "batched restarts must beat a Python loop over restarts"


@pytest.mark.benchmark
def test_bench_spectral_bound(benchmark, cases):
    c = cases["graphs.cutnorm_spectral"]
    benchmark.pedantic(c.extra["fn"], rounds=1, iterations=1)
    ratio = c.seconds / c.extra["gemm_s"]
    benchmark.extra_info.update({"ratio": ratio, "spectral_s": c.seconds, "dense_product_s": c.extra["gemm_s"],
                                 "full_svd_s": c.baseline_seconds, "peak_bytes": c.peak_bytes})
    assert ratio <= 20.0, f"spectral bound took {ratio:.1f}x a dense product"
