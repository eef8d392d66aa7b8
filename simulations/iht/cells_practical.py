"""Sweep-cell functions and helpers of the practical and counterexample claims (IHT-14b, IHT-19): the
Assumption-2-versus-RSC property the harness searches, and one IHT-versus-IMP comparison cell."""
from __future__ import annotations

from itertools import combinations

import numpy as np

from simulations.iht import patterns as pat
from simulations.iht.imp import imp_converged, imp_run
from simulations.iht.memory import iht_ledger, imp_ledger
from simulations.iht.operator import GatedOperator
from simulations.iht.problems import code_planted
from simulations.iht.scp import psnr, scp_aiht
from theory.checks import as_float_array, guard_module

SEARCH_N, SEARCH_D, GAMMA = 400, 3, 0.1


def _search_data():
    return np.random.default_rng(12345).standard_normal((SEARCH_N, SEARCH_D))


def assumption2_holds(X, H, gamma=GAMMA) -> bool:
    """Coverage in 0.5 ± 3/√n for every generator and pairwise Hamming >= γ n for every pair (two-sided
    separation is NOT required: that is the reading F1 tests)."""
    if np.shape(H)[0] != np.shape(X)[1]:
        raise ValueError(f"H must be d x p with d = X.shape[1] = {np.shape(X)[1]} rows, got shape {np.shape(H)}")
    n = X.shape[0]
    P = pat.pattern_matrix(X, H)
    if np.any(np.abs(P.mean(0) - 0.5) > 3 / np.sqrt(n)):
        return False
    pairs = np.array(list(combinations(range(H.shape[1]), 2)))
    return bool(np.all(pat.hamming_fractions(P, pairs) >= gamma))


def min_restricted_eig(X, H, size: int = 4) -> float:
    """min over all supports of the given size of λ_min(A_SᵀA_S/n) (explicit A; tiny d p only)."""
    if np.shape(H)[0] != np.shape(X)[1]:
        raise ValueError(f"H must be d x p with d = X.shape[1] = {np.shape(X)[1]} rows, got shape {np.shape(H)}")
    if not 1 <= size <= np.shape(X)[1] * np.shape(H)[1]:
        raise ValueError(f"size must lie in [1, d p] = [1, {np.shape(X)[1] * np.shape(H)[1]}], got {size}")
    A = np.asarray(GatedOperator(X, H).dense())
    G = A.T @ A / X.shape[0]
    S = np.array(list(combinations(range(A.shape[1]), size)))
    sub = G[S[:, :, None], S[:, None, :]]
    return float(np.linalg.eigvalsh(sub)[:, 0].min())


def rsc_property(gens) -> bool:
    """The conjecture 'Assumption 2 implies α₄ > 0' on a generator list; False = counterexample."""
    H = as_float_array(gens, "gens", ndim=2).T
    if H.shape[0] != SEARCH_D:
        raise ValueError(f"gens must be a list of generators in R^{SEARCH_D}, got shape {H.T.shape}")
    if np.any(np.all(H == 0, axis=0)):
        return True
    X = _search_data()
    if not assumption2_holds(X, H):
        return True
    return min_restricted_eig(X, H) > 1e-10


def vs_imp_cell(cell) -> dict:
    """IHT-19 on one planted problem (seed = replicate), the same data for every method: the authors' SCP-AIHT
    (15 steps, R = 10), the code-faithful IMP (15 full-batch Adam steps per round) and IMP trained to
    convergence at every pruning level (L-BFGS, rewinding to the initial weights, ``evaluate`` as configured);
    every IMP counts all its weights (output layer included) against the budget s, as the authors' code does."""
    c = cell.config
    rep = int(cell.replicate)
    cp = code_planted(rep, c["n"], c["d"], c["m"], c["s"], dtype=np.float32)
    X = cp.X.astype(np.float64)
    iht_out = scp_aiht(X, cp.y, c["m"], c["s"], steps=15, R=10, seed=rep)
    faithful = imp_run(X, cp.y, c["m"], [c["s"]], epochs=15, seed=rep)["scores"][c["s"]]
    conv = imp_converged(X, cp.y, c["m"], [c["s"]], seed=rep, maxiter=c.get("maxiter", 300),
                         evaluate=c.get("evaluate", "trained"))
    led = iht_ledger(c["n"], c["d"], c["m"], c["s"], 1, scheme="per_block", itemsize=4)
    iht_store = led["persistent_state"]["scalars"] + 2 * (c["s"] + c["d"])     # state + merge buffer
    sc = conv["scores"][c["s"]]
    return {"iht_psnr": psnr(cp.y, iht_out["pred"]), "imp_faithful_psnr": faithful["psnr"],
            "imp_faithful_steps_per_round": faithful["steps_per_round"], "imp_psnr": sc["psnr"],
            "imp_nnz": sc["nnz"], "imp_rounds": conv["rounds"], "imp_lbfgs_iterations": conv["iterations"],
            "iht_store": iht_store, "imp_store": imp_ledger(c["d"], c["m"])["total"]["scalars"]}


# gamma: a fraction of the n samples; the sweep cell (vs_imp_cell) is left as it is
guard_module(globals(), ndim={"X": 2, "H": 2, "gens": 2}, per_function={"assumption2_holds": {"prob": ("gamma",)}})
