"""Experiments for theory/claims/graphon_conjectures.py (the worked example of adding a conjecture)."""
import numpy as np
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from simulations.graphs.cutnorm import cut_norm_alternating, cut_norm_exact
from simulations.harness import Evidence, experiment, plots
from theory import stats


def alternating_gap(A) -> float:
    """exact - alternating cut norm (>= 0; 0 when the alternating bound attains the exact value)."""
    A = np.asarray(A, dtype=np.float64)
    return cut_norm_exact(A).value - cut_norm_alternating(A).value


def random_gap_cell(cell) -> dict:
    """Gaussian n x n matrices: how often the alternating bound falls short of the exact cut norm."""
    rng = cell.numpy_rng()
    n, k = cell.config["n"], cell.config["cases"]
    gaps = np.array([alternating_gap(rng.standard_normal((n, n))) for _ in range(k)])
    return {"failures": int(np.sum(gaps > cell.config["gap_tol"])), "cases": k, "max_gap": float(gaps.max())}


@experiment("graphon.conjecture.alternating_attains_exact")
def alternating_attains_exact(ctx):
    dec = ctx.decision
    lo, hi = dec["entries"]
    shapes = st.tuples(st.integers(1, dec["max_side"]), st.integers(1, dec["max_side"]))
    matrices = shapes.flatmap(lambda s: hnp.arrays(np.int64, s, elements=st.integers(lo, hi)))
    found = ctx.search(lambda A: alternating_gap(A) <= dec["gap_tol"], matrices,
                       max_examples=dec["search_examples"], to_data=lambda A: A.tolist(), label="small-integer")
    rows = ctx.sweep(random_gap_cell, [{"n": n, "cases": dec["random_per_size"], "gap_tol": dec["gap_tol"]}
                                       for n in dec["random_sizes"]])
    fails, cases = sum(r["failures"] for r in rows), sum(r["cases"] for r in rows)
    metrics = {"counterexample_found": found["found"], "search_examples": dec["search_examples"],
               "random_failures": fails, "random_cases": cases,
               "random_failure_rate_ci": list(stats.wilson_interval(fails, cases))}
    if found["found"]:
        # Zero rows and columns only rescale both bounds by the same n d, so removing them keeps the
        # counterexample and finishes the shrinking hypothesis cannot do across shapes.
        A = np.asarray(found["example"], dtype=np.float64)
        A = A[(A != 0).any(axis=1)][:, (A != 0).any(axis=0)]
        found = {**found, "example": A.astype(int).tolist(), "shrunk": "hypothesis, then zero rows/columns removed"}
        # re-evaluate the stored plain data: it must reproduce the failure on its own
        metrics.update({"counterexample_shape": list(A.shape), "counterexample_exact": cut_norm_exact(A).value,
                        "counterexample_alternating": cut_norm_alternating(A).value,
                        "counterexample_gap": alternating_gap(A)})
    rates = [r["failures"] / r["cases"] for r in rows]
    cis = [stats.wilson_interval(r["failures"], r["cases"]) for r in rows]
    return Evidence(metrics=metrics, cells=rows, counterexample=found, plots=[plots.line(
        "random-failure-rate", "alternating bound short of the exact cut norm (Gaussian n x n, Wilson 95%)",
        "n", "failure rate",
        [plots.series("failure rate", dec["random_sizes"], rates,
                      yerr=[[r - c[0] for r, c in zip(rates, cis)], [c[1] - r for r, c in zip(rates, cis)]])])])
