"""Speed (issue 7 item 6): the 300 random-swap null masks of one cell, evaluated as one batched tensor computation,
against rebuilding and running the pruned model once per mask; the case of ``sparse-claims bench plateau``
(:func:`simulations.harness.bench.plateau_cases`, same code), both timed in the same run."""
import pytest

from simulations.harness import bench as B

THRESHOLD = 10.0


@pytest.mark.benchmark
def test_batched_null_is_10x_faster_than_per_mask_rebuild(benchmark):
    (c,) = B.plateau_cases(quick=True)
    assert c.extra["max_diff"] <= 1e-9                         # the same 300 accuracies
    benchmark.pedantic(c.extra["fn"], rounds=3, iterations=1)
    benchmark.extra_info.update({"ratio": c.ratio, "baseline_s": c.baseline_seconds, "batched_s": c.seconds})
    assert c.ratio >= THRESHOLD, f"batched null only {c.ratio:.1f}x faster than per-mask rebuild (need {THRESHOLD}x)"
