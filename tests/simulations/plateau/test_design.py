"""A small design end to end: summary structure, null properties and every check's metric extraction."""
import numpy as np
import pytest

from simulations.plateau import metrics as MX
from simulations.plateau.design import design_config, run_design, summarise
from theory import plateau as T

CFG = design_config(width=32, seeds=list(range(5)), epochs=2, sparsities=[0.5, 0.6, 0.65, 0.7, 0.75, 0.8], n_null=60,
                    alphas_at=[0.7, 0.8])


@pytest.fixture(scope="module")
def design():
    raw = run_design(CFG)
    return raw, summarise(raw)


def test_design_config_rejects_unknown_keys():
    with pytest.raises(ValueError, match="unknown design keys"):
        design_config(widht=3)


def test_monotone_transform_and_statistics_in_the_summary(design):
    raw, s = design
    for S in CFG["sparsities"]:
        row = s["per_S"][f"{S:g}"]
        assert row["scorers"]["M2"]["d"] == [0.0] * 5 and row["scorers"]["M2"]["q"] == [0.0] * 5
        assert row["jaccard"]["M1-M3"] <= 1.0
        k = T.n_kept(S, 32)
        for n in ("S1", "R1", "F", "SL", "RL"):
            q = np.asarray(row["scorers"][n]["q"])
            assert np.all(q[np.isfinite(q)] >= T.q_target(k))


def test_max_statistic_dominates_each_scorer_null(design):
    _, s = design
    for S, row in s["per_S"].items():
        p95 = [v["null_p95"] for n, v in row["scorers"].items() if v["null_p95"] is not None
               and n in ("M1", "M2", "M3", "S1", "S2", "S3", "R1", "R2", "F")]
        assert row["maxstat_p95"] >= max(p95) - 1e-12
        assert s["global_maxstat_p95"] >= row["maxstat_p95"] - 1e-12


def test_null_draws_are_shared_by_scorers_with_equal_q(design):
    from simulations.plateau.design import null_draws

    raw, _ = design
    assert run_design(CFG) is raw                                   # memoised on the canonical config
    si = CFG["sparsities"].index(0.7)
    qa, qb = raw["q"]["S1"][:, si], raw["q"]["R1"][:, si]
    same = np.isfinite(qa) & (qa == qb)
    if same.all():
        np.testing.assert_array_equal(null_draws(raw, "S1", si), null_draws(raw, "R1", si))
    assert all(v.shape == (60,) for v in raw["nulls"].values())


def test_every_metric_extractor_runs(design):
    _, s = design
    assert MX.statistics_metrics(s)["sparsities"] == CFG["sparsities"]
    c = MX.curve_metrics(s)
    assert len(c["plateau_mean"]) == 6
    assert set(MX.regime_metrics(s, [0.5, 0.6])["table"]) == {"0.5", "0.6"}
    cr = MX.critical_metrics(s)
    assert 0 <= cr["alignment_p_greater"] <= 1 and set(cr["table"]) == {"0.65", "0.7", "0.75"}
    ind = MX.independence_metrics(s)
    assert len(ind["per_S"]["0.7"]["means"]) == 5
    bc = MX.bump_chaos_metrics(s)
    assert set(bc["per_chaos"]) == {"S2", "R1", "SL", "RL"} and set(bc["ftle_vs_logistic"]) == {"RL-R1", "SL-S2"}
    rho = bc["ftle"]["spearman_r"]
    assert len(rho) == 5 and all(-1 <= x <= 1 for x in rho) and bc["ftle"]["steps"] == CFG["ftle_steps"]
    mm = MX.multiplicity_metrics(s)
    assert mm["global_threshold"] == s["global_maxstat_p95"]
    b = MX.boundary_metrics([s], [32])
    assert len(b["S1_hat"]) == 1 and len(b["first_above"]) == 1
    nm = MX.null_metrics(s)
    for S, tables in nm["null_table"].items():
        for q, t in tables.items():
            assert 0 <= t["p_positive"] <= 1 and t["q"] == int(q) and t["within_seed_sd"] >= 0
    assert MX.delta_plot(s)["kind"] == "line"


def test_cnn_design_runs_through_the_same_engine():
    cfg = design_config(arch="cnn", width=16, seeds=list(range(5)), epochs=1, sparsities=[0.5, 0.7], n_null=20,
                        alphas_at=[])
    s = summarise(run_design(cfg))
    row = s["per_S"]["0.7"]
    assert row["scorers"]["M2"]["q"] == [0.0] * 5 and row["maxstat_p95"] is not None
    assert len(MX.curve_metrics(s)["plateau_mean"]) == 2


def test_run_design_rejects_an_unknown_device():
    with pytest.raises(ValueError, match="device"):
        run_design(CFG, device="tpu")


@pytest.mark.gpu
def test_cuda_design_matches_cpu():
    """The same seeds on cuda: the stacked training is float32 on both, so accuracies agree to a few samples."""
    cfg = design_config(width=32, seeds=list(range(5)), epochs=2, sparsities=[0.7], n_null=20, alphas_at=[])
    a, b = run_design(cfg, "cpu"), run_design(cfg, "cuda")
    np.testing.assert_allclose(a["dense"], b["dense"], atol=1.0)
    np.testing.assert_allclose(a["acc"]["M1"], b["acc"]["M1"], atol=2.0)
