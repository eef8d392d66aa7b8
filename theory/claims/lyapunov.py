"""Claims of Ghosh 2026 (Lyapunov spectra and the pruning transition), one per numbered check of the reference
specification (spec §10, A-C1 ... A-C13; docs/papers/lyapunov.md).  The paper's full text is unavailable: every
definition here is the project's reconstruction (spec §6-§8), labelled so.  Recorded statuses are what the quick
tier measured (docs/papers/lyapunov.md §Claims and verdicts).

Kinds: the estimator, theorem-level and mean-field checks are ``validation`` (a failure is a bug of the suite's
engines); the three claims the paper's abstract makes about pruned training (A-C9 co-location, A-C11 sharpness,
A-C12 static vs dynamic) are ``paper`` claims on a stand-in (the paper's data, architecture and sizes are
unknown); the suite's own derived consequences (A-C10 direction, the A-C7 MLP identity, the finite-N crossing)
are ``finding``s."""
from __future__ import annotations

from theory import lyapunov as T
from theory import lyapunov_rules as R
from theory.registry import Falsifier, Reading, Revision, Setting, declare

SPEC = "docs/papers/lyapunov.md; spec"
TODAY = "2026-12-02"
PAPER_SETTING = ("Ghosh 2026 (abstract only): sparse neural networks, pruning plus training; architecture, data set, "
                 "sizes, optimiser and pruning schedule unknown")
DIGITS = ("tanh MLP 64-32-32-10 (float64) on sklearn digits (1257/540 split), dense SGD (eta 0.05, batch 32) -> "
          "global magnitude pruning -> masked SGD retraining, 12 sparsities 0 ... 0.99; stationary-window QR "
          "spectrum; 3 seeds x (1000 + 1000) steps, p = 8, window (20, 100) at the quick tier, 5 seeds x "
          "(2000 + 2000) steps, p = 16, window (50, 300) at the full tier")


def _conv(claim_id: str, before: str, after: str, extra: str = "") -> Revision:
    """The conversion of a rule onto theory.decide (2026-12-02), with the verdicts before and after on the same
    quick-tier evidence."""
    return Revision(TODAY, "rule rewritten on theory.decide (kind, setting and falsifiers declared)" + extra,
                    "the decision library is the one way a verdict is decided: intervals for noisy quantities, "
                    "all_hold / exact for validation checks", before, after)
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




def _broken(*names, label_ok=()):
    """Falsifier metrics of a validation check: the named criteria fail (what a broken engine gives)."""
    return lambda: {"checks": {**{n: False for n in names}, **{n: True for n in label_ok}}}


# ------------------------------------------------------------------ validation: estimator and theorem level
declare(id="lyapunov.estimator.newman",
        statement="The QR estimator reproduces Newman's exact spectrum of products of i.i.d. Gaussian matrices at "
                  "N = 5, 20, 50 in both variance conventions (A-C1).",
        provenance="reconstructed", status="supported", rule=R.newman, prediction=_pred_newman, kind="validation",
        decision={"tol": 0.03, "sd_factor": 4, "label": "tolerance", "bias_R": 64, "bias_T": [200, 1000],
                  "bias_margin": 1.0, "bias_level": 0.95},
        decision_notes="0.03 from spec A-C1; where the exact per-exponent sd (sqrt(psi'/4), i.i.d. ln chi steps) "
                       "exceeds it, 4 sd/sqrt(T) is used (the last exponent at N = 50). Defended in advance: a correct "
                       "estimator's errors are exactly centred with sd_i/sqrt(T), and with 175 exponents over the 8 "
                       "runs P(max |z| > 4) <= 175 * 2 Phi(-4) = 1.1%, a family-wise false-alarm bound. Bias test: 64 "
                       "replicates at N = 5, 20, 50 (sigma 1.3, T = 200 quick / 1000 full, burn-in 50); the mean "
                       "error of each exponent in units of one run's sd must be <= 1 (a bias at most one run's "
                       "spread leaves >= 3 of the 4-sd budget to noise), decided on its simultaneous 95% "
                       "(Bonferroni over 75 exponents) interval; under no bias the upper end is ~0.8, and an "
                       "accumulation over burn-in + T (a classic bug) gives ~6 (T = 200) or ~3 (T = 1000) at the last "
                       "N = 50 exponent",
        falsifiers=(Falsifier("variance convention mixed", lambda: {**_broken("all_within_tol", label_ok=(
                        "convention_shift",))(), "bias_max_abs_ci": [40.0, 41.0]}),
                    Falsifier("convention shift wrong", lambda: {**_broken("convention_shift", label_ok=(
                        "all_within_tol",))(), "bias_max_abs_ci": [0.0, 0.8]}),
                    Falsifier("biased within the tolerance", lambda: {**_broken(label_ok=(
                        "all_within_tol", "convention_shift"))(), "bias_max_abs_ci": [2.6, 3.5]})),
        revisions=(Revision("2026-11-23", "tolerance 0.03 -> max(0.03, 4 sd_i/sqrt(T)) with the exact per-exponent "
                            "sd of ln chi steps (sd_factor 4)",
                            "the last exponent at N = 50 has an exact finite-T spread (sd 0.0175 at T = 4000) that "
                            "makes 0.03 a 1.7-sd tolerance; max error 0.048 failed 0.03. Recorded retroactively "
                            "on 2026-12-02 (the change predates the repository history)", "refuted", "supported",
                            "quick tier, root seed 0 (first pass)"),
                   _conv("lyapunov.estimator.newman", "supported", "supported"),
                   Revision(TODAY, "bias test over 64 replicates added (simultaneous interval of the max standardised "
                            "mean error <= 1 run sd), in a family with the tolerance check; the tolerance "
                            "max(0.03, 4 sd_i/sqrt(T)) kept and its 4 justified as a 1.1% family-wise bound",
                            "re-judging issue item 9: a tolerance that widens with the spread cannot detect a wrong "
                            "estimator whose error hides in the spread; a bias over replicates does", "supported",
                            "supported")),
        tags=("estimator", "golden"), source=f"{SPEC} §4.1, A-C1")

declare(id="lyapunov.estimator.oracles",
        statement="The estimator passes the dynamical oracles: Hénon (window and exact sum), logistic r=4 (exact "
                  "finite-T identity), two-trajectory agreement, generalised exponents of Gaussian products, exact "
                  "short horizons and Engelken's rate network at g<1 (A-C1b).",
        provenance="reconstructed", status="supported", rule=R.checks, prediction=_pred_oracles, kind="validation",
        decision={"henon_sum_tol": 1e-12, "logistic_identity_tol": 1e-8, "logistic_dev_tol": 1e-4,
                  "two_traj_tol": 1e-6, "L_tol": 2e-3, "chi_rel_tol": 0.05, "engelken_tol": 2e-3,
                  "label": "oracles"},
        decision_notes="spec §4.4-4.7; Hénon lambda_1 tolerance max(0.005, 4*0.37/sqrt(T)) from the finite-time sd",
        falsifiers=(Falsifier("Hénon sum identity broken", _broken("henon_sum", label_ok=("henon_window",))),
                    Falsifier("short horizons thresholded to 0", _broken("short_horizons"))),
        revisions=(_conv("lyapunov.estimator.oracles", "supported", "supported"),),
        tags=("estimator", "golden"), source=f"{SPEC} §4.4-4.7, A-C1b")

declare(id="lyapunov.sum_rule",
        statement="With p = k the exponents sum to (1/T) sum_t ln|det J_t| for random maps and for masked-SGD "
                  "Jacobians on the active coordinates, and the HVP tangent map equals the explicit Hessian route "
                  "(A-C2).",
        provenance="reconstructed", status="supported", rule=R.checks, kind="validation",
        decision={"sum_rel_tol": 1e-8, "hvp_rel_tol": 1e-10, "label": "sum rule"},
        falsifiers=(Falsifier("log-det mismatch on masked SGD", _broken("masked_sgd", label_ok=("random_maps",))),
                    Falsifier("HVP differs from explicit Hessian", _broken("hvp_vs_explicit"))),
        revisions=(_conv("lyapunov.sum_rule", "supported", "supported"),),
        tags=("theorem",), source=f"{SPEC} §4.2, A-C2")

declare(id="lyapunov.interlacing",
        statement="Masked quadratic GD has exponents ln|1 - eta mu_i(H_AA)|, the masked Hessian interlaces the "
                  "dense one, and along a masked SGD trajectory ln R_11,t never exceeds the dense one-step bound "
                  "(P2, A-C3).",
        provenance="reconstructed", status="supported", rule=R.checks, kind="validation",
        decision={"exp_tol": 2e-3, "interlacing_tol": 1e-12, "search_examples": 300, "label": "interlacing"},
        decision_notes="Cauchy interlacing is a theorem (Horn & Johnson): a counterexample or a violated per-step "
                       "bound is a bug of the Hessian / tangent engine",
        falsifiers=(Falsifier("P2 bound violated on a step", _broken("p2_bound_every_step")),
                    Falsifier("interlacing counterexample", _broken("interlacing_no_counterexample"))),
        revisions=(_conv("lyapunov.interlacing", "supported", "supported"),),
        tags=("theorem", "P2"), source=f"{SPEC} §9 P2, A-C3")

declare(id="lyapunov.p1.solvable",
        statement="Masked least squares has a sharp trainability transition at rho_c = n/d: zero loss above, a "
                  "floor below, exactly max(k-n,0) neutral exponents, the slowest exponent and the SE1* minimum at "
                  "k = n, and mu_min+ near the Marchenko-Pastur edge (P1, A-C4).",
        provenance="reconstructed", status="supported", rule=R.checks, kind="validation",
        decision={"loss_low": 1e-8, "loss_high": 1e-3, "ratio100": [1.0, 1.5], "ratio400": [1.0, 1.2],
                  "k_window": 5, "label": "P1"},
        decision_notes="spec A-C4 criteria 1-5 (median MP ratios, not per-draw windows); the interpolation "
                       "threshold and the MP edge are literature results, so a failure is an engine bug",
        falsifiers=(Falsifier("neutral count off by one", _broken("neutral_count")),
                    Falsifier("SE1* minimum away from k = n", _broken("se1_star_cusp_at_kc", "slowest_at_kc"))),
        revisions=(_conv("lyapunov.p1.solvable", "supported", "supported"),),
        tags=("theorem", "P1", "critical-slowing-down"), source=f"{SPEC} §9 P1, A-C4")

declare(id="lyapunov.invariance",
        statement="The stationary-window spectrum of masked SGD on the digits MLP is a property of the RDS: two "
                  "initial frames, two minibatch orders and the two momentum conventions agree within 3 SE (A-C5).",
        provenance="reconstructed", status="supported", rule=R.invariance, kind="validation",
        decision={"max_z": 3.0},
        decision_notes="3 combined batch-means SE (spec A-C5), a tolerance from the estimator's own spread",
        falsifiers=(Falsifier("frame dependence", {"frame_max_z": 6.0, "noise_max_z": 0.5, "momentum_max_z": 0.5}),
                    Falsifier("momentum conventions differ", {"frame_max_z": 1.0, "noise_max_z": 1.0,
                                                              "momentum_max_z": 12.0})),
        revisions=(_conv("lyapunov.invariance", "supported", "supported"),),
        tags=("estimator", "rds"), source=f"{SPEC} §3.2, A-C5")

declare(id="lyapunov.hygiene",
        statement="Masked-SGD spectra live on the active coordinates only: no -inf or NaN, padding with masked "
                  "parameters changes nothing, and d-dimensional tangent vectors are refused (A-C6).",
        provenance="reconstructed", status="supported", rule=R.checks, kind="validation",
        decision={"padding_tol": 1e-10, "label": "hygiene"},
        falsifiers=(Falsifier("dense-and-drop accepted", _broken("dense_refused", label_ok=("finite",))),
                    Falsifier("padding changes the spectrum", _broken("padding"))),
        revisions=(_conv("lyapunov.hygiene", "supported", "supported"),),
        tags=("theorem",), source=f"{SPEC} §7.2, A-C6")

declare(id="lyapunov.small_step",
        statement="In the small-step limit the exponents are -eta mu_i to relative error eta mu_max/2, so the SE1 "
                  "spectral entropy equals the Hessian-spectrum entropy within 2% (A-C7).",
        provenance="reconstructed", status="supported", rule=R.checks, prediction=_pred_small_step,
        kind="validation",
        decision={"rel_bound": 0.026, "se1_rel_tol": 0.02, "exp_rel_tol": 0.05, "label": "small step"},
        falsifiers=(Falsifier("QR entropy off", _broken("c_se1_qr_vs_eigs", label_ok=("a_log_expansion",))),
                    Falsifier("exponents off at the prescribed burn-in", _broken("d_exponents_prescribed_burn_in"))),
        revisions=(_conv("lyapunov.small_step", "supported", "supported"),),
        tags=("theorem",), source=f"{SPEC} A-C7")

declare(id="lyapunov.mean_field",
        statement="Through depth, random masked nets follow mean field: linear layers shift by (1/2) ln rho "
                  "(exactly undone by rescaling), tanh nets collapse on f = g sqrt(rho) with the sign change of "
                  "lambda_1 at f in [1, 1.15] (edge of chaos g_c = 1/sqrt(rho)), and annihilation gives -inf (A-C8).",
        provenance="reconstructed", status="supported", rule=R.checks, prediction=T.p3_prediction,
        kind="validation",
        decision={"linear_tol": 0.01, "rescaled_tol": 0.02, "rescaled_drop_at_c2": -0.03, "identity_tol": 1e-12,
                  "ordered_tol": 0.01, "collapse_tol": 0.006, "crossing": [1.0, 1.15], "label": "mean field"},
        decision_notes="spec A-C8 tolerances (mean field: Poole et al. 2016, Schoenholz et al. 2017; Newman for the "
                       "linear offsets); the depth-wise engine must reproduce them",
        falsifiers=(Falsifier("rescaling identity broken", _broken("rescale_identity", label_ok=("linear_half_log_rho",))),
                    Falsifier("NaN instead of -inf at c = 1", _broken("annihilation_c1_neg_inf"))),
        revisions=(_conv("lyapunov.mean_field", "supported", "supported"),),
        tags=("P3", "P4", "edge-of-chaos"), source=f"{SPEC} §9 P3-P4, A-C8")

declare(id="lyapunov.definitions",
        statement="The order-parameter definitions satisfy their stated properties (SE1 range and invariances, "
                  "h_KS and D_KY bounds, SE2 bounds and identities); a counterexample search finds none (A-C13).",
        provenance="reconstructed", status="supported", rule=R.checks, kind="validation",
        decision={"search_examples": 200, "label": "definitions"},
        falsifiers=(Falsifier("counterexample found", _broken("no_counterexample")),),
        revisions=(_conv("lyapunov.definitions", "supported", "supported"),),
        tags=("definitions",), source=f"{SPEC} §5, §6, A-C13")

# ------------------------------------------------------------------ findings: the suite's derived consequences
declare(id="lyapunov.small_step.mlp",
        statement="On a masked tanh MLP (digits) under full-batch GD with eta * max|mu| = 0.05, the QR estimator's "
                  "SE1 over the stationary window (burn-in 50, T = 300) equals the normalised entropy of the "
                  "Hessian spectrum at the window's end within 5% (A-C7, secondary comparison).",
        provenance="reconstructed", status="inconclusive", rule=R.small_step_mlp, kind="finding",
        prediction=_pred_small_step,
        setting=Setting(paper="none (a consequence the suite derives: spec A-C7, small-step limit)",
                        suite="tanh MLP 64-8-8-10 at sparsity 0.8 (k = 157) on 128 digits samples, full-batch GD",
                        scope="stand-in"),
        decision={"rel_tol": 0.05, "eta_mu_max": 0.05},
        decision_notes="5% on SE1 and the window (50, 300) from spec A-C7 (secondary); MLP 64-8-8-10 at sparsity 0.8 "
                       "on the first 128 training samples (project choice, so that the full spectrum p = k = 157 "
                       "by HVPs fits the CPU budget)",
        falsifiers=(Falsifier("entropy 15% off in every replicate", {"rel_qr_vs_hessian": [0.163, 0.144, 0.159]}),
                    Falsifier("replicates scattered", {"rel_qr_vs_hessian": [0.3, -0.25, 0.01]},
                              expect="not_supported"),
                    Falsifier("one replicate only", {"rel_qr_vs_hessian": [0.01]}, expect="not_supported")),
        revisions=(_conv("lyapunov.small_step.mlp", "refuted", "inconclusive",
                         "; the replicate t-interval replaces 'every replicate within 5%'"),),
        tags=("theorem", "small-step", "mlp"), source=f"{SPEC} A-C7 (secondary)")

declare(id="lyapunov.mean_field.finite_n",
        statement="The finite-N offset of the tanh edge of chaos shrinks with width: the sign change of lambda_1 "
                  "(rho = 1, f = g sqrt(rho)) moves toward the mean-field f = 1 as N grows (A-C8, optional).",
        provenance="reconstructed", status="supported", rule=R.finite_n_crossing, prediction=T.p3_prediction,
        kind="finding",
        decision={"replicates": 4, "level": 0.95},
        decision_notes="per-replicate crossings by linear interpolation on an f grid of step 0.05 (spec A-C8c); "
                       "least-squares slope of f* against ln N over all replicates, 95% t-CI (N = 50, 100, 200 quick; "
                       "100, 200, 400 full as in the spec): below 0; the crossing at the largest N stays above 1 "
                       "(replicate t-interval)",
        falsifiers=(Falsifier("crossing moves away", {"all_found": True, "crossing_slope_ci": [0.02, 0.2],
                                                      "crossing_largest_n_ci": [1.05, 1.2]}),
                    Falsifier("flat within noise", {"all_found": True, "crossing_slope_ci": [-0.2, 0.2],
                                                    "crossing_largest_n_ci": [0.95, 1.2]}, expect="not_supported")),
        revisions=(_conv("lyapunov.mean_field.finite_n", "supported", "supported",
                         "; 'above f = 1' decided on the replicate interval at the largest N"),),
        tags=("P3", "edge-of-chaos", "finite-size"), source=f"{SPEC} §9 P3, A-C8 (optional)")

declare(id="lyapunov.direction",
        statement="Past the accuracy collapse masked SGD does not become unstable: lambda_max stays <= 0 (P2), the "
                  "change being a loss or persistence of contraction (A-C10).",
        provenance="reconstructed", status="supported", rule=R.direction, prediction=_pred_direction,
        kind="finding", setting=Setting(paper=PAPER_SETTING, suite=DIGITS, scope="stand-in"),
        decision={"level": 0.95},
        decision_notes="seed t-interval of lambda_max averaged over the sparsities past s*_acc; refuted only when it "
                       "lies entirely above 0",
        falsifiers=(Falsifier("unstable past the collapse", {"lambda_max_after_ci": [1e-4, 3e-4],
                                                             "d_lambda_max": 2e-4, "d_near_neutral": 0.0}),
                    Falsifier("sign undetermined", {"lambda_max_after_ci": [-1e-4, 1e-4], "d_lambda_max": 0.0,
                                                    "d_near_neutral": 0.0}, expect="not_supported")),
        revisions=(_conv("lyapunov.direction", "supported", "supported"),),
        tags=("mechanism", "digits"), source=f"{SPEC} A-C10; paper A-claim-5")

# ------------------------------------------------------------------ the paper's claims (digits stand-in)
declare(id="lyapunov.colocation",
        statement="On digits (MLP dense-trained, globally magnitude-pruned, retrained masked), at least one Lyapunov "
                  "order parameter (lambda_max, SE1, h_KS, FTLE variance chi_lambda) changes at the same sparsity "
                  "as accuracy collapses (A-C9; project definitions, reconstructed).",
        provenance="paper", status="inconclusive", rule=R.colocation, prediction=_pred_colocation, kind="paper",
        setting=Setting(paper=PAPER_SETTING, suite=DIGITS, scope="stand-in"),
        decision={"order_parameters": OPS, "max_index_gap": 1, "min_acc_drop": 0.2, "max_null_rate": 0.05,
                  "null_sims": 2000, "alpha": 0.05},
        decision_notes="spec §8.2 co-location within one grid step, decided on the seed-bootstrap (1000 resamples) "
                       "interval of the index gap; the accuracy drop's seed t-interval must lie above 0.2; noise-only "
                       "control: an s-independent order parameter with the measured seed noise, 2000 simulations, "
                       "its co-location rate a Monte-Carlo p-value, Holm over the four order parameters at α = 0.05; "
                       "chi_lambda = T Var(lambda_1^(T)) over 20 windows (X8) added to the spec's lambda_max, SE1, "
                       "h_KS",
        readings=(Reading("se2_c", "the spectral entropy order parameter is the SE2 heat capacity C(beta) at "
                                   "beta = 1/mean|lambda| (spec §6) in place of SE1"),
                  Reading("se3", "the spectral entropy order parameter is the normalised SE3 effective-rank "
                                 "entropy of e^{T lambda} (spec §6) in place of SE1")),
        falsifiers=(Falsifier("order parameters far from the collapse",
                              lambda: {"acc_drop_ci": [0.5, 0.8], "s_acc_interval": [0.95, 0.97],
                                       "gap_ci": {k: [3.0, 5.0] for k in OPS},
                                       "null_colocation_rate": {k: 0.3 for k in OPS}}),
                    Falsifier("co-located, but noise co-locates as often",
                              lambda: {"acc_drop_ci": [0.5, 0.8], "s_acc_interval": [0.95, 0.97],
                                       "gap_ci": {k: [0.0, 0.0] for k in OPS},
                                       "null_colocation_rate": {k: 0.68 for k in OPS}}, expect="not_supported"),
                    Falsifier("locations undetermined", lambda: {"acc_drop_ci": [0.5, 0.8], "s_acc_interval": [0.95, 0.97],
                                                                 "gap_ci": {k: [-4.0, 4.0] for k in OPS},
                                                                 "null_colocation_rate": {k: 0.5 for k in OPS}},
                              expect="not_supported")),
        revisions=(Revision("2026-11-23", "noise-only control: a co-location counts only if an s-independent order "
                            "parameter with the measured seed noise co-locates in <= 5% of 2000 simulations",
                            "on the spec's non-uniform grid the narrow intervals near s = 0.97-0.99 amplify slope "
                            "noise, so a noise-only parameter co-locates with a high-sparsity collapse most of the "
                            "time. Recorded retroactively on 2026-12-02", "supported", "inconclusive",
                            "quick tier, root seed 0 (the pre-control rule applied to the 2026-12-02 evidence)"),
                   _conv("lyapunov.colocation", "inconclusive", "inconclusive",
                         "; seed-bootstrap interval of the index gap; Holm over the order parameters for the noise "
                         "control")),
        tags=("central", "digits"), source=f"{SPEC} A-C9; paper abstract A-claim-1, A-claim-4")

declare(id="lyapunov.finite_size",
        statement="The accuracy collapse under magnitude pruning sharpens with hidden width (16-128): the maximal "
                  "slope grows and the transition window shrinks, i.e. a phase transition, not a crossover (A-C11).",
        provenance="paper", status="supported", rule=R.finite_size, prediction=_pred_fss, kind="paper",
        setting=Setting(paper=PAPER_SETTING, suite="tanh MLP 64-w-w-10 on sklearn digits, w = 16, 32, 64, 128, "
                        "dense SGD -> global magnitude pruning -> masked retraining, 12 sparsities; 2 seeds x (1000 "
                        "+ 1000) steps quick, 5 seeds x (2000 + 2000) full", scope="stand-in"),
        decision={"widths": [16, 32, 64, 128], "level": 0.95},
        decision_notes="log-log least-squares slopes over all (width, seed) points, 95% t-intervals",
        falsifiers=(Falsifier("slope falls with width (crossover)", {"slope_fit_ci": [-0.6, -0.1],
                                                                      "window_fit_ci": [-0.4, 0.3]}),
                    Falsifier("flat within noise", {"slope_fit_ci": [-0.5, 0.8], "window_fit_ci": [-0.6, 0.6]},
                              expect="not_supported")),
        revisions=(Revision("2026-11-23", "log-log fit over per-seed points (8 points quick, 20 full) instead of "
                            "over the seed means (4 points)",
                            "with 4 seed-mean points the slope interval was too wide to decide ([-0.04, 1.34] at the "
                            "full tier); per-seed points carry the seed spread. Recorded retroactively on "
                            "2026-12-02; item 1 of the re-judging issue questions this choice",
                            "inconclusive", "supported", "full tier, root seed 0 (docs, 2026-11-23)"),
                   _conv("lyapunov.finite_size", "supported", "supported",
                         "; a flat slope (interval straddling 0) is now inconclusive, not refuted")),
        tags=("finite-size", "digits"), source=f"{SPEC} A-C11; paper A-claim-1 ('sharp')")

declare(id="lyapunov.static_vs_dynamic",
        statement="A dynamic (Lyapunov: lambda_max, SE1 or chi_lambda) signal locates the accuracy collapse closer "
                  "than the static Ramanujan criterion of the mask graphs (A-C12).",
        provenance="paper", status="inconclusive", rule=R.static_vs_dynamic, prediction=_pred_static, kind="paper",
        setting=Setting(paper=PAPER_SETTING, suite=DIGITS, scope="stand-in"),
        decision={"dynamic": DYNAMIC, "max_index_gap": 1, "max_null_rate": 0.05, "null_sims": 2000, "alpha": 0.05},
        decision_notes="dynamic signals lambda_max, SE1 and chi_lambda (X8); each is decided on the seed-bootstrap "
                       "interval of (its grid distance to s*_acc) - (the Ramanujan point's), which must lie at or "
                       "below -1; noise control: the rate at which a noise-only signal with its seed noise lands "
                       "strictly closer than the static point (2000 simulations), a Monte-Carlo p-value, Holm over "
                       "the three signals at α = 0.05",
        readings=(Reading("any_seed", "the static point s*_Ram is the first sparsity at which any seed's mask "
                                      "violates the Ramanujan-type bound (instead of at least half the seeds)"),),
        falsifiers=(Falsifier("dynamic farther than static",
                              lambda: {"dist_static": 1, "dist_diff_ci": {k: [1.0, 3.0] for k in DYNAMIC},
                                       "null_rate_dynamic": {k: 0.3 for k in DYNAMIC}}),
                    Falsifier("closer, but noise lands as close",
                              lambda: {"dist_static": 4, "dist_diff_ci": {k: [-4.0, -2.0] for k in DYNAMIC},
                                       "null_rate_dynamic": {k: 0.99 for k in DYNAMIC}}, expect="not_supported")),
        revisions=(Revision("2026-11-23", "noise-only control (a dynamic signal counts only if a noise-only signal "
                            "does as well in <= 5% of 2000 simulations); then (2026-11-24) the dynamic family "
                            "lambda_max, SE1, chi_lambda and the control 'lands strictly closer than the static point'",
                            "the static point lands 4 grid steps before s*_acc and a noise-only signal lands closer "
                            "almost always on this grid. Recorded retroactively on 2026-12-02", "supported",
                            "inconclusive", "quick tier, root seed 0 (the pre-control rule applied to the 2026-12-02 "
                            "evidence)"),
                   _conv("lyapunov.static_vs_dynamic", "inconclusive", "inconclusive",
                         "; seed-bootstrap interval of the distance difference; Holm over the signals for the noise "
                         "control")),
        tags=("ramanujan", "digits"), source=f"{SPEC} A-C12; paper A-claim-2")
