"""End to end on a registered claim: the CLI with --workers 2 and on a dask LocalCluster give identical
metrics for the same seed, and the report embeds the evidence."""
import json

import pytest

from simulations.harness.cli import main

CLAIM = "graphon.conjecture.alternating_attains_exact"


def test_workers_and_dask_cluster_give_identical_metrics(tmp_path):
    distributed = pytest.importorskip("distributed", reason="dask.distributed is the optional extra [distributed]")
    assert main(["run", CLAIM, "--seed", "3", "--workers", "2", "--out", str(tmp_path / "w")]) == 0
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                                  dashboard_address=None) as cluster:
        assert main(["run", CLAIM, "--seed", "3", "--scheduler", cluster.scheduler_address,
                     "--out", str(tmp_path / "d")]) == 0
    w, d = (json.loads((tmp_path / x / "results.json").read_text()) for x in "wd")
    assert w["claims"][0]["metrics"] == d["claims"][0]["metrics"]
    assert w["claims"][0]["cells"] == d["claims"][0]["cells"]
    assert w["environment"]["executor"] == "processes" and d["environment"]["executor"] == "dask"
    html = (tmp_path / "w" / "report.html").read_text()
    assert "refuted" in html and "data:image/png;base64," in html
