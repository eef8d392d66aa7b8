"""Speed: scoring and masking a one-hidden-layer net of width n = 4096 (d = 1024, batch B = 256, float64),
against a dense matrix product of the same shape (B x d times d x n) timed in the same run.

Cost model behind the bound.  SNIP needs one forward GEMM and one weight-gradient GEMM of that shape, plus
about 27 elementwise passes over the n*d entries (effective weight, w*G, abs, normalisation, mask bookkeeping,
the O(nd) selection, the data-free path check); Magnitude has no GEMM and about 19 passes.  A pass over the
4M float64 entries moves 64 MB, about 1/10 to 1/4 of the GEMM's time on a 2-core box depending on how much
memory bandwidth the other test process takes, so the model predicts t / t_GEMM of 2 + 27/10 ... 2 + 27/4,
i.e. 5-9 for SNIP (measured 5.4-9.6) and 2-5 for Magnitude (measured 4.7).  We assert the ratio stays below
twice the top of that range (SNIP <= 18, Magnitude <= 10): a Python loop over neurons (>= 100x) or a full
sort with copies fails, while the load of the other CI process does not decide the outcome.  The time of one
elementwise pass (``W.abs()``) is recorded for reference but not asserted on: allocator reuse makes it vary
by an order of magnitude between runs.  ``extra_info["ratio"]`` is t_engine / t_GEMM.
"""
from __future__ import annotations

import pytest
import torch

from simulations.pai import OneHiddenLayer, prune

N_HIDDEN, D, B = 4096, 1024, 256


@pytest.mark.benchmark
@pytest.mark.parametrize("method,max_ratio", [("snip", 18.0), ("magnitude", 10.0)])
def test_bench_score_and_mask_width_4096(benchmark, interleaved_times, method, max_ratio):
    model = OneHiddenLayer(D, N_HIDDEN, seed=0)
    g = torch.Generator().manual_seed(1)
    X = torch.randn(B, D, generator=g, dtype=torch.float64)
    y = X[:, :128].sum(1)
    W = model.hidden.weight.detach()
    run = lambda: prune(model, method, 0.1, (X, y))
    masks = benchmark.pedantic(run, rounds=3, iterations=1)   # statistics for the benchmark report
    assert int(masks["hidden.weight"].sum()) == round(0.1 * N_HIDDEN * D)
    t = interleaved_times({"engine": run, "gemm": lambda: X @ W.T, "pass": lambda: W.abs()}, rounds=5)
    t_eng, t_gemm, t_pass = t["engine"], t["gemm"], t["pass"]
    benchmark.extra_info.update({"ratio": t_eng / t_gemm, "ratio_to_pass": t_eng / t_pass, "engine_s": t_eng,
                                 "matmul_s": t_gemm, "pass_s": t_pass, "shape": [B, D, N_HIDDEN]})
    assert t_eng / t_gemm <= max_ratio, (f"{method}: {t_eng:.4f}s is {t_eng / t_gemm:.1f}x a dense GEMM of the same "
                                         f"shape ({t_gemm:.4f}s); the cost model allows {max_ratio}x")
