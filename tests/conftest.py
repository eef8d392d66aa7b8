"""Shared fixtures and settings: hypothesis profiles, device and seed fixtures, float64 default, gpu skips."""
from __future__ import annotations

import os

import numpy as np
import pytest
from hypothesis import HealthCheck, settings

# Hypothesis: "ci" prints a reproduction blob and has no deadline; the default user profile is derandomised
# and keeps no example database, so a user's run repeats exactly.
settings.register_profile("ci", deadline=None, print_blob=True, max_examples=60,
                          suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("repro", deadline=None, derandomize=True, database=None, max_examples=60,
                          suppress_health_check=[HealthCheck.too_slow])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "repro"))


def _cuda_available() -> bool:
    try:
        import torch
    except ImportError:
        return False
    return torch.cuda.is_available()


CUDA = _cuda_available()


def pytest_configure(config):
    """float64 by default; one BLAS / torch thread per test process (CI runs ``-n 2`` on 2 cores, and
    oversubscribed threads slow small tensor ops by an order of magnitude)."""
    from threadpoolctl import threadpool_limits

    from theory.registry import PREFIX_INFO

    for prefix, info in PREFIX_INFO.items():   # one marker per claim-id prefix (theory/papers.json)
        config.addinivalue_line("markers", f"{prefix}: {info.get('description', prefix)}")
    config._sparse_claims_threads = threadpool_limits(limits=int(os.environ.get("SPARSE_CLAIMS_THREADS", "1")))
    try:
        import torch

        torch.set_default_dtype(torch.float64)
        torch.set_num_threads(int(os.environ.get("SPARSE_CLAIMS_THREADS", "1")))
    except ImportError:
        pass


def pytest_collection_modifyitems(config, items):
    if CUDA:
        return
    skip = pytest.mark.skip(reason="needs CUDA: torch.cuda.is_available() is False on this machine")
    for item in items:
        if "gpu" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session", params=["cpu", pytest.param("cuda", marks=pytest.mark.gpu)])
def device(request):
    """cpu, plus cuda when present (the cuda parameter is skipped with its reason otherwise)."""
    return request.param


@pytest.fixture
def seed():
    """Seeds random, numpy and torch; returns the seed."""
    from simulations.rng import seed_everything

    s = 20260206
    seed_everything(s)
    return s


@pytest.fixture
def rng(seed):
    return np.random.default_rng(seed)


def _best_seconds(fn, rounds: int = 3) -> float:
    import time

    best = float("inf")
    for _ in range(rounds):
        t0 = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t0)
    return best


@pytest.fixture
def best_time():
    """``best_time(fn, rounds=3)`` -> the fastest of ``rounds`` wall-clock timings (for same-run baselines)."""
    return _best_seconds


@pytest.fixture
def bench(benchmark):
    """``bench(fn, args=(), rounds=3)`` -> (result, best seconds).

    The engine runs under pytest-benchmark, so its statistics appear in the benchmark report when benchmarks
    are enabled (``pytest -p no:xdist --benchmark-only``); under xdist pytest-benchmark disables itself, and
    the engine is then timed with ``perf_counter`` instead, so every ratio assertion holds in both modes."""

    def run(fn, args=(), rounds: int = 3):
        out = benchmark.pedantic(fn, args=args, rounds=rounds, iterations=1)
        if getattr(benchmark, "stats", None) is not None:
            return out, float(benchmark.stats.stats.min)
        return out, _best_seconds(lambda: fn(*args), rounds)

    return run


@pytest.fixture
def interleaved_times():
    """``interleaved_times({"engine": f, "baseline": g}, rounds=5)`` -> {name: best seconds}.

    The functions are timed in turn within each round, so engine and baselines see the same machine load
    (CI runs two test processes on two cores); the minimum over rounds filters transient interference."""
    import time

    def run(fns: dict, rounds: int = 5) -> dict:
        best = {k: float("inf") for k in fns}
        for _ in range(rounds):
            for k, f in fns.items():
                t0 = time.perf_counter()
                f()
                best[k] = min(best[k], time.perf_counter() - t0)
        return best

    return run
