"""``sparse-claims bench``: the command line, the JSON rows and their meaning (ratio, peak bytes).  The default
run uses ``--quick`` (small IHT problems, a few seconds); the paper-size IHT run is ``slow``."""
from __future__ import annotations

import json

import pytest

from simulations.harness import bench
from simulations.harness.cli import main

KEYS = {"engine", "case", "seconds", "baseline", "baseline_seconds", "ratio", "peak_bytes"}


def _bench_json(capsys, *args) -> list[dict]:
    assert main(["bench", *args, "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert isinstance(rows, list) and rows
    for r in rows:
        assert set(r) == KEYS
    return rows


def test_bench_iht_quick_json_rows(capsys):
    rows = _bench_json(capsys, "iht", "--quick")
    by = {(r["engine"], r["baseline"]): r for r in rows}
    it = by[("iht.iteration", "dense GEMM")]
    loop = by[("iht.iteration", "per-block loop")]
    aiht = by[("iht.aiht_step", "authors' per-block AIHT step")]
    # speed-ups are baseline seconds over engine seconds ...
    for r in (loop, aiht):
        assert r["ratio"] == pytest.approx(r["baseline_seconds"] / r["seconds"], rel=1e-12)
    # ... but against a GEMM the ratio is per flop, with the engine's flop count stated in the case
    assert "flops" in it["case"] and it["ratio"] != pytest.approx(it["baseline_seconds"] / it["seconds"])
    assert it["ratio"] > 0.2 and loop["ratio"] > 3 and aiht["ratio"] > 10
    # traced peaks of numpy engines: positive, and far below a materialised A (n d p doubles)
    n, d, p, s = bench.IHT_QUICK
    for r in (it, aiht):
        assert isinstance(r["peak_bytes"], int) and 0 < r["peak_bytes"] < 8 * n * d * p / 4


def test_bench_table_and_unknown_engine(capsys, monkeypatch):
    """The table prints one row per case under the seven keys (a stub engine: the formatting, not timing)."""
    fake = lambda quick=False: [bench.Case("stub.engine", "n=1", 0.5, "stub baseline", 1.0, 2.0, 123),
                                bench.Case("stub.engine", "n=2", 0.25, "none", float("nan"), float("nan"), None)]
    monkeypatch.setitem(bench.ENGINES, "stub", fake)
    assert main(["bench", "stub"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].split() == list(bench.KEYS)
    assert [line.split()[0] for line in out[2:]] == ["stub.engine", "stub.engine"]
    assert "123" in out[2] and out[3].split()[-1] == "-"
    assert main(["bench", "nosuch"]) == 2


def test_rows_json_serialise_nan_and_none():
    c = bench.Case("e", "c", 1.0, "none", float("nan"), float("nan"), None)
    row = bench.to_json([c])[0]
    assert row["baseline_seconds"] is None and row["ratio"] is None and row["peak_bytes"] is None
    json.dumps(row)


@pytest.mark.slow
def test_bench_iht_paper_size_meets_the_issue(capsys):
    """At n = 50 000, d = 100, p = 1000, s = 1000 (float64, one thread): the iteration's and the AIHT step's
    traced peaks are at most 1e8 bytes, the iteration's per-flop throughput is >= 0.8 of a same-run GEMM,
    and the AIHT step is >= 50x faster than the authors' per-block design (minutes: the baseline loops)."""
    rows = _bench_json(capsys, "iht")
    by = {(r["engine"], r["baseline"]): r for r in rows}
    it, aiht = by[("iht.iteration", "dense GEMM")], by[("iht.aiht_step", "authors' per-block AIHT step")]
    assert "n=50000 d=100 p=1000 s=1000" in it["case"]
    assert it["peak_bytes"] <= 1e8 and aiht["peak_bytes"] <= 1e8
    assert it["ratio"] >= 0.8, it
    assert aiht["ratio"] >= 50, aiht


@pytest.mark.slow
@pytest.mark.parametrize("engine", ["lyapunov", "cutnorm", "plateau", "ntk", "pai"])
def test_bench_other_engines_quick(capsys, engine):
    rows = _bench_json(capsys, engine, "--quick")
    for r in rows:
        assert r["engine"].split(".")[0] == {"cutnorm": "graphs"}.get(engine, engine)
        assert r["seconds"] > 0 and r["baseline_seconds"] > 0 and r["ratio"] > 0
        assert r["peak_bytes"] is None or r["peak_bytes"] > 0
        if r["peak_bytes"] is None:
            assert "tracemalloc" in r["case"]


def test_bench_device_cuda_without_cuda_is_a_usage_error(capsys, monkeypatch):
    import torch

    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    assert main(["bench", "cutnorm", "--quick", "--device", "cuda"]) == 2
    assert "--device cuda" in capsys.readouterr().err
    with pytest.raises(ValueError, match="cuda"):
        bench.run(["cutnorm"], quick=True, device="cuda")


def test_bench_device_passed_to_engines_that_take_it(monkeypatch):
    """``run`` hands ``device`` to an engine with a ``device`` parameter; one without runs on the CPU and its case
    text says so (stubs: the dispatch, not timing; cuda 'available' by monkeypatch)."""
    import torch

    monkeypatch.setattr(torch.cuda, "is_available", lambda: True)
    seen = {}

    def with_device(quick=False, device="cpu"):
        seen["device"] = device
        return [bench.Case("stub.gpu", "n=1", 1.0, "b", 1.0, 1.0, None)]

    monkeypatch.setitem(bench.ENGINES, "stub-gpu", with_device)
    monkeypatch.setitem(bench.ENGINES, "stub-cpu",
                        lambda quick=False: [bench.Case("stub.cpu", "n=1", 1.0, "b", 1.0, 1.0, None)])
    gpu, cpu = bench.run(["stub-gpu", "stub-cpu"], device="cuda")
    assert seen["device"] == "cuda" and gpu.case == "n=1"
    assert "ran on the CPU" in cpu.case
    for name in ("iht", "lyapunov", "cutnorm", "plateau", "ntk", "pai"):
        assert bench.takes_device(bench.ENGINES[name]), name
    with pytest.raises(ValueError, match="device"):
        bench.run(["stub-gpu"], device="tpu")


@pytest.mark.gpu
@pytest.mark.parametrize("engine", ["iht", "lyapunov", "cutnorm", "pai"])
def test_bench_engines_on_cuda_quick(capsys, engine):
    """The cheap engines' cuda paths at the quick size: positive times and ratios, cuda peaks as integers (the
    GPU check's bench step runs every engine on cuda at full size)."""
    rows = _bench_json(capsys, engine, "--quick", "--device", "cuda")
    for r in rows:
        assert r["seconds"] > 0 and r["baseline_seconds"] > 0 and r["ratio"] > 0
        assert r["peak_bytes"] is None or (isinstance(r["peak_bytes"], int) and r["peak_bytes"] >= 0)
        assert "cuda" in r["case"] or r["engine"] == "ntk.closed_form", r
