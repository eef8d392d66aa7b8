"""Speed (issue 7 item 6): the 300 random-swap null masks of one cell, evaluated as one batched tensor computation,
against rebuilding and running the pruned model once per mask; both timed in the same pytest-benchmark run."""
import numpy as np
import pytest
import torch

from simulations.plateau.models import train_family
from simulations.plateau.nulls import swap_null_masks
from simulations.plateau.pruning import family_accuracy, rebuild_and_evaluate
from theory import plateau as T

THRESHOLD = 10.0


@pytest.mark.benchmark
def test_batched_null_is_10x_faster_than_per_mask_rebuild(benchmark, interleaved_times):
    old = torch.get_num_threads()
    torch.set_num_threads(1)                                  # both sides single-threaded, as sweep cells run
    try:
        _run(benchmark, interleaved_times)
    finally:
        torch.set_num_threads(old)


def _run(benchmark, interleaved_times):
    fam = train_family("mlp", 256, (0,), epochs=2)          # timing needs the real shapes, not a trained optimum
    m = fam.w_in[0].double().norm(dim=1).numpy()
    S = 0.7                                                   # the paper's critical cell
    k = T.n_kept(S, 256)
    masks = swap_null_masks(m, k, T.q_target(k), 300, seed=1)
    fast = benchmark.pedantic(family_accuracy, args=(fam, 0, masks), rounds=10, iterations=1)
    slow = np.array([rebuild_and_evaluate(fam, 0, mk) for mk in masks])
    np.testing.assert_allclose(fast, slow, atol=1e-9)         # the same 300 accuracies
    t = interleaved_times({"batched": lambda: family_accuracy(fam, 0, masks),
                           "rebuild": lambda: [rebuild_and_evaluate(fam, 0, mk) for mk in masks]}, rounds=3)
    ratio = t["rebuild"] / t["batched"]
    benchmark.extra_info.update({"ratio": ratio, "baseline_s": t["rebuild"], "batched_s": t["batched"]})
    assert ratio >= THRESHOLD, f"batched null only {ratio:.1f}x faster than per-mask rebuild (need {THRESHOLD}x)"
