"""Claims of Ghosh 2026 (Lyapunov spectra and the pruning transition), one per numbered check of spec
lyapunov_pruning.md §10 (A-C1 ... A-C13).  The paper's full text is unavailable: every definition here is the
project's reconstruction (spec §6-§8), labelled so.  Recorded statuses are what the quick tier measured
(docs/papers/lyapunov.md)."""
from __future__ import annotations

from theory import lyapunov as T
from theory import lyapunov_rules as R
from theory.registry import declare

SPEC = "spec lyapunov_pruning.md"
OPS = ["lambda_max", "se1", "h_ks", "chi_lambda"]   # chi_lambda (X8, FTLE variance over 20 windows) added to the
DYNAMIC = ["lambda_max", "se1", "chi_lambda"]       # spec's three (A-C9) as the spec's "susceptibility" reading


def _pred_newman():
    return {"lambda1_unit_variance": {str(n): T.newman_lambda1(n, unit_variance=True) for n in (5, 20, 50)}}


def _pred_oracles():
    return {"henon": T.HENON, "logistic": T.LOGISTIC_R4, "L_q_N10": {str(q): float(T.generalised_exponent(q, 10))
                                                                   for q in (-1.0, -0.5, 0.5, 1.0)},
            "chi_N10": T.ftle_variance_gaussian(10)}


def _pred_small_step():
    return {"rel_error_bound_at_0.05": 0.026, "se1_rel_tol": 0.02}


def _pred_colocation():
    return {"statement": "order parameters change at the accuracy collapse (paper, qualitative)",
            "rule": "interval of max |slope| within one grid step of the steepest accuracy drop (spec §8.2)"}


def _pred_direction():
    return {"p2": "a masked step never expands more than the dense step at the same theta (interlacing)",
            "lambda_max_sign_after_collapse": "<= 0"}


def _pred_static():
    return {"paper_stance": "|s*_lambda - s*_acc| < |s*_Ram - s*_acc|"}


def _pred_fss():
    return {"transition": "max slope grows and window shrinks with width", "crossover": "slope flat in width"}


declare(id="lyapunov.estimator.newman",
        statement="The QR estimator reproduces Newman's exact spectrum of products of i.i.d. Gaussian matrices at "
                  "N = 5, 20, 50 in both variance conventions (A-C1).",
        provenance="reconstructed", status="supported", rule=R.checks, prediction=_pred_newman,
        decision={"tol": 0.03, "sd_factor": 4, "label": "Newman spectrum"},
        decision_notes="0.03 from spec A-C1; where the exact per-exponent sd (psi'/4, i.i.d. chi steps) exceeds it, "
                       "4 sd/sqrt(T) is used (the last exponent at N=50)",
        tags=("estimator", "golden"), source=f"{SPEC} §4.1, A-C1")

declare(id="lyapunov.estimator.oracles",
        statement="The estimator passes the dynamical oracles: Hénon (window and exact sum), logistic r=4 (exact "
                  "finite-T identity), two-trajectory agreement, generalised exponents of Gaussian products, exact "
                  "short horizons and Engelken's rate network at g<1 (A-C1b).",
        provenance="reconstructed", status="supported", rule=R.checks, prediction=_pred_oracles,
        decision={"henon_sum_tol": 1e-12, "logistic_identity_tol": 1e-8, "logistic_dev_tol": 1e-4,
                  "two_traj_tol": 1e-6, "L_tol": 2e-3, "chi_rel_tol": 0.05, "engelken_tol": 2e-3,
                  "label": "oracles"},
        decision_notes="spec §4.4-4.7; Hénon lambda_1 tolerance max(0.005, 4*0.37/sqrt(T)) from the finite-time sd",
        tags=("estimator", "golden"), source=f"{SPEC} §4.4-4.7, A-C1b")

declare(id="lyapunov.sum_rule",
        statement="With p = k the exponents sum to (1/T) sum_t ln|det J_t| for random maps and for masked-SGD "
                  "Jacobians on the active coordinates, and the HVP tangent map equals the explicit Hessian route "
                  "(A-C2).",
        provenance="reconstructed", status="supported", rule=R.checks,
        decision={"sum_rel_tol": 1e-8, "hvp_rel_tol": 1e-10, "label": "sum rule"},
        tags=("theorem",), source=f"{SPEC} §4.2, A-C2")

declare(id="lyapunov.interlacing",
        statement="Masked quadratic GD has exponents ln|1 - eta mu_i(H_AA)|, the masked Hessian interlaces the "
                  "dense one, and along a masked SGD trajectory ln R_11,t never exceeds the dense one-step bound "
                  "(P2, A-C3).",
        provenance="reconstructed", status="supported", rule=R.checks,
        decision={"exp_tol": 2e-3, "interlacing_tol": 1e-12, "search_examples": 300, "label": "interlacing"},
        tags=("theorem", "P2"), source=f"{SPEC} §9 P2, A-C3")

declare(id="lyapunov.p1.solvable",
        statement="Masked least squares has a sharp trainability transition at rho_c = n/d: zero loss above, a "
                  "floor below, exactly max(k-n,0) neutral exponents, the slowest exponent and the SE1* minimum at "
                  "k = n, and mu_min+ near the Marchenko-Pastur edge (P1, A-C4).",
        provenance="reconstructed", status="supported", rule=R.checks,
        decision={"loss_low": 1e-8, "loss_high": 1e-3, "ratio100": [1.0, 1.5], "ratio400": [1.0, 1.2],
                  "k_window": 5, "label": "P1"},
        decision_notes="spec A-C4 criteria 1-5 (median MP ratios, not per-draw windows)",
        tags=("theorem", "P1", "critical-slowing-down"), source=f"{SPEC} §9 P1, A-C4")

declare(id="lyapunov.invariance",
        statement="The stationary-window spectrum of masked SGD on the digits MLP is a property of the RDS: two "
                  "initial frames, two minibatch orders and the two momentum conventions agree within 3 SE (A-C5).",
        provenance="reconstructed", status="supported", rule=R.invariance,
        decision={"max_z": 3.0},
        tags=("estimator", "rds"), source=f"{SPEC} §3.2, A-C5")

declare(id="lyapunov.hygiene",
        statement="Masked-SGD spectra live on the active coordinates only: no -inf or NaN, padding with masked "
                  "parameters changes nothing, and d-dimensional tangent vectors are refused (A-C6).",
        provenance="reconstructed", status="supported", rule=R.checks,
        decision={"padding_tol": 1e-10, "label": "hygiene"}, tags=("theorem",), source=f"{SPEC} §7.2, A-C6")

declare(id="lyapunov.small_step",
        statement="In the small-step limit the exponents are -eta mu_i to relative error eta mu_max/2, so the SE1 "
                  "spectral entropy equals the Hessian-spectrum entropy within 2% (A-C7).",
        provenance="reconstructed", status="supported", rule=R.checks, prediction=_pred_small_step,
        decision={"rel_bound": 0.026, "se1_rel_tol": 0.02, "exp_rel_tol": 0.05, "label": "small step"},
        tags=("theorem",), source=f"{SPEC} A-C7")

declare(id="lyapunov.small_step.mlp",
        statement="On a masked tanh MLP (digits) under full-batch GD with eta * max|mu| = 0.05, the QR estimator's "
                  "SE1 over the stationary window (burn-in 50, T = 300) equals the normalised entropy of the "
                  "Hessian spectrum at the window's end within 5% (A-C7, secondary comparison).",
        provenance="reconstructed", status="refuted", rule=R.small_step_mlp,
        prediction=_pred_small_step,
        decision={"rel_tol": 0.05, "eta_mu_max": 0.05},
        decision_notes="5% on SE1 and the window (50, 300) from spec A-C7 (secondary); MLP 64-8-8-10 at sparsity 0.8 "
                       "on the first 128 training samples (project choice, so that the full spectrum p = k = 157 "
                       "by HVPs fits the CPU budget)",
        tags=("theorem", "small-step", "mlp"), source=f"{SPEC} A-C7 (secondary)")

declare(id="lyapunov.mean_field",
        statement="Through depth, random masked nets follow mean field: linear layers shift by (1/2) ln rho "
                  "(exactly undone by rescaling), tanh nets collapse on f = g sqrt(rho) with the sign change of "
                  "lambda_1 at f in [1, 1.15] (edge of chaos g_c = 1/sqrt(rho)), and annihilation gives -inf (A-C8).",
        provenance="reconstructed", status="supported", rule=R.checks, prediction=T.p3_prediction,
        decision={"linear_tol": 0.01, "rescaled_tol": 0.02, "rescaled_drop_at_c2": -0.03, "identity_tol": 1e-12,
                  "ordered_tol": 0.01, "collapse_tol": 0.006, "crossing": [1.0, 1.15], "label": "mean field"},
        tags=("P3", "P4", "edge-of-chaos"), source=f"{SPEC} §9 P3-P4, A-C8")

declare(id="lyapunov.mean_field.finite_n",
        statement="The finite-N offset of the tanh edge of chaos shrinks with width: the sign change of lambda_1 "
                  "(rho = 1, f = g sqrt(rho)) moves toward the mean-field f = 1 as N grows (A-C8, optional).",
        provenance="reconstructed", status="supported", rule=R.finite_n_crossing, prediction=T.p3_prediction,
        decision={"replicates": 4, "level": 0.95},
        decision_notes="per-replicate crossings by linear interpolation on an f grid of step 0.05 (spec A-C8c); "
                       "least-squares slope of f* against ln N over all replicates, 95% t-CI (N = 50, 100, 200 quick; "
                       "100, 200, 400 full as in the spec); only the sign of the slope is tested",
        tags=("P3", "edge-of-chaos", "finite-size"), source=f"{SPEC} §9 P3, A-C8 (optional)")

declare(id="lyapunov.colocation",
        statement="On digits (MLP dense-trained, globally magnitude-pruned, retrained masked), at least one Lyapunov "
                  "order parameter (lambda_max, SE1, h_KS, FTLE variance chi_lambda) changes at the same sparsity "
                  "as accuracy collapses (A-C9; project definitions, reconstructed).",
        provenance="paper", status="inconclusive", rule=R.colocation, prediction=_pred_colocation,
        decision={"order_parameters": OPS, "max_index_gap": 1, "min_acc_drop": 0.2, "max_null_rate": 0.05,
                  "null_sims": 2000},
        decision_notes="spec §8.2 co-location within one grid step; accuracy collapse required to exceed 0.2; "
                       "negative control: a co-location counts only if an s-independent order parameter with the "
                       "measured seed noise co-locates in <= 5% of 2000 simulations on the same grid; chi_lambda = "
                       "T Var(lambda_1^(T)) over 20 windows (X8) added to the spec's lambda_max, SE1, h_KS",
        tags=("central", "digits"), source=f"{SPEC} A-C9; paper abstract A-claim-1, A-claim-4")

declare(id="lyapunov.direction",
        statement="Past the accuracy collapse masked SGD does not become unstable: lambda_max stays <= 0 (P2), the "
                  "change being a loss or persistence of contraction (A-C10).",
        provenance="reconstructed", status="supported", rule=R.direction, prediction=_pred_direction,
        decision={"level": 0.95}, tags=("mechanism", "digits"), source=f"{SPEC} A-C10; paper A-claim-5")

declare(id="lyapunov.finite_size",
        statement="The accuracy collapse under magnitude pruning sharpens with hidden width (16-128): the maximal "
                  "slope grows and the transition window shrinks, i.e. a phase transition, not a crossover (A-C11).",
        provenance="paper", status="supported", rule=R.finite_size, prediction=_pred_fss,
        decision={"widths": [16, 32, 64, 128], "level": 0.95},
        tags=("finite-size", "digits"), source=f"{SPEC} A-C11; paper A-claim-1 ('sharp')")

declare(id="lyapunov.static_vs_dynamic",
        statement="A dynamic (Lyapunov: lambda_max, SE1 or chi_lambda) signal locates the accuracy collapse closer "
                  "than the static Ramanujan criterion of the mask graphs (A-C12).",
        provenance="paper", status="inconclusive", rule=R.static_vs_dynamic, prediction=_pred_static,
        decision={"dynamic": DYNAMIC, "max_index_gap": 1, "max_null_rate": 0.05, "null_sims": 2000},
        decision_notes="dynamic signals lambda_max, SE1 and chi_lambda (X8); one counts only if it is strictly "
                       "closer to s*_acc than the Ramanujan point AND a noise-only signal with its seed noise lands "
                       "strictly closer than the Ramanujan point in <= 5% of 2000 simulations",
        tags=("ramanujan", "digits"), source=f"{SPEC} A-C12; paper A-claim-2")

declare(id="lyapunov.definitions",
        statement="The order-parameter definitions satisfy their stated properties (SE1 range and invariances, "
                  "h_KS and D_KY bounds, SE2 bounds and identities); a counterexample search finds none (A-C13).",
        provenance="reconstructed", status="supported", rule=R.checks,
        decision={"search_examples": 200, "label": "definitions"}, tags=("definitions",),
        source=f"{SPEC} §5, §6, A-C13")
