"""Sweeps: seeds, cache and resume, and identical numbers whichever executor runs the cells."""
import json
import os
import sys

import pytest

sys.path.insert(0, os.path.dirname(__file__))
import cells  # noqa: E402

from simulations.harness.sweep import Cache, Executor, ProcessExecutor, make_cells, run_sweep  # noqa: E402
from simulations.rng import derive_seed  # noqa: E402

CONFIGS = [{"n": n} for n in (8, 16, 32)]


def test_derive_seed_is_deterministic_and_key_sensitive():
    assert derive_seed(0, "a", {"n": 1}) == derive_seed(0, "a", {"n": 1})
    assert derive_seed(0, "a", {"n": 1}) != derive_seed(0, "a", {"n": 2})
    assert derive_seed(0, "a", {"n": 1}) != derive_seed(1, "a", {"n": 1})
    with pytest.raises(ValueError, match="root_seed"):
        derive_seed(-1, "a")


def test_cells_have_distinct_seeds_and_keys():
    cs = make_cells("graphon.x", cells.noisy_power, CONFIGS, 2, 0, "cpu")
    assert len({c.seed for c in cs}) == len(cs) == 6
    assert len({c.key for c in cs}) == 6
    with pytest.raises(ValueError, match="module-level"):
        make_cells("graphon.x", lambda c: {}, CONFIGS, 1, 0, "cpu")


def test_serial_and_worker_processes_give_identical_numbers():
    cs = make_cells("graphon.x", cells.noisy_power, CONFIGS, 2, 7, "cpu")
    serial = run_sweep(cs, Executor(), Cache(None))
    ex = ProcessExecutor(2)
    try:
        parallel = run_sweep(cs, ex, Cache(None))
    finally:
        ex.close()
    assert json.dumps(serial) == json.dumps(parallel)


def test_interrupted_sweep_resumes_from_cache(tmp_path):
    marker = tmp_path / "go"
    cfgs = [{"n": 1, "fail": False, "marker": str(marker)}, {"n": 2, "fail": True, "marker": str(marker)}]
    cs = make_cells("graphon.x", cells.fail_after, cfgs, 1, 0, "cpu")
    cache = Cache(tmp_path / "cache")
    with pytest.raises(RuntimeError, match="interrupted"):
        run_sweep(cs, Executor(), cache)
    assert cache.get(cs[0]) == {"n": 1} and cache.get(cs[1]) is None
    assert not list((tmp_path / "cache").rglob("*.tmp"))  # nothing half-written
    marker.write_text("")
    msgs = []
    out = run_sweep(cs, Executor(), cache, progress=msgs.append)
    assert out == [{"n": 1}, {"n": 2}]
    assert "1/2 cells reused from cache" in msgs[0]


def test_corrupt_cache_entry_is_recomputed(tmp_path):
    cs = make_cells("graphon.x", cells.noisy_power, CONFIGS[:1], 1, 0, "cpu")
    cache = Cache(tmp_path)
    first = run_sweep(cs, Executor(), cache)
    next(tmp_path.rglob("*.json")).write_text("{not json")
    assert run_sweep(cs, Executor(), cache) == first


def test_dask_local_cluster_matches_serial():
    distributed = pytest.importorskip("distributed", reason="dask.distributed is the optional extra [distributed]")
    from simulations.harness.sweep import DaskExecutor

    cs = make_cells("graphon.x", cells.noisy_power, CONFIGS, 2, 3, "cpu")
    serial = run_sweep(cs, Executor(), Cache(None))
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                                  dashboard_address=None) as cluster:
        ex = DaskExecutor(cluster.scheduler_address)
        try:
            remote = run_sweep(cs, ex, Cache(None))
        finally:
            ex.close()
    assert json.dumps(serial) == json.dumps(remote)


def test_executor_arguments_are_validated():
    with pytest.raises(ValueError, match="workers"):
        ProcessExecutor(0)


def test_atomic_write_gives_an_ordinary_readable_file(tmp_path):
    from simulations.harness.sweep import atomic_write_text

    p = tmp_path / "a" / "x.json"
    atomic_write_text(p, "{}")
    assert p.read_text() == "{}"
    umask = os.umask(0)
    os.umask(umask)
    assert p.stat().st_mode & 0o777 == 0o666 & ~umask  # not mkstemp's 0600
    assert not list(p.parent.glob(".*tmp"))


def test_tier_order_of_the_context():
    """A full-tier extra of a design also runs at the paper tier (quick < full < paper)."""
    from simulations.harness.context import Context

    ctxs = {t: Context.__new__(Context) for t in ("quick", "full", "paper")}
    for t, c in ctxs.items():
        c.tier = t
    assert [c.at_least("full") for c in ctxs.values()] == [False, True, True]
    assert [c.at_least("paper") for c in ctxs.values()] == [False, False, True]
    assert all(c.at_least("quick") for c in ctxs.values())
    assert [c.pick(1, 2) for c in ctxs.values()] == [1, 2, 2] and ctxs["paper"].pick(1, 2, 3) == 3
    with pytest.raises(ValueError, match="tier must be one of"):
        ctxs["full"].at_least("huge")
