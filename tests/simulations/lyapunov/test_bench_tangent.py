"""Speed (issue 6 item 7): a spectrum step with p = 32 tangent vectors through batched HVPs is >= 5x faster
than the same step with a loop of single HVPs; re-orthonormalisation (sign-fixed QR) costs <= 1.5x a bare QR
of the same matrix.  The cases of ``sparse-claims bench lyapunov`` (:func:`simulations.harness.bench.
lyapunov_cases`, same code), baselines timed in the same run."""
from __future__ import annotations

import pytest

from simulations.harness import bench as B


@pytest.mark.benchmark
def test_bench_batched_hvp_step_and_reortho(benchmark):
    step, reortho = B.lyapunov_cases(quick=True)
    assert step.extra["max_diff"] < 1e-10                      # same result either way
    benchmark.pedantic(step.extra["fn"], rounds=1, iterations=1)
    benchmark.extra_info.update({"ratio": step.ratio, "loop_s": step.baseline_seconds, "batched_s": step.seconds,
                                 "reortho_over_qr": reortho.seconds / reortho.baseline_seconds,
                                 "k": step.extra["k"], "p": 32})
    assert step.ratio >= 5.0, benchmark.extra_info
    assert reortho.seconds / reortho.baseline_seconds <= 1.5, benchmark.extra_info
