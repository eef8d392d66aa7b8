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

DOC = "docs/papers/lyapunov.md"
DEF = "docs/definitions/lyapunov.md"   # the sections cited below
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
        tags=("estimator", "golden"), source=f"{DEF}#a-c1, {DEF}#s4-1; {DOC}")

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
        tags=("estimator", "golden"), source=f"{DEF}#a-c1b, {DEF}#s4-4 to #s4-7; {DOC}")

declare(id="lyapunov.sum_rule",
        statement="With p = k the exponents sum to (1/T) sum_t ln|det J_t| for random maps and for masked-SGD "
                  "Jacobians on the active coordinates, and the HVP tangent map equals the explicit Hessian route "
                  "(A-C2).",
        provenance="reconstructed", status="supported", rule=R.checks, kind="validation",
        decision={"sum_rel_tol": 1e-8, "hvp_rel_tol": 1e-10, "label": "sum rule"},
        falsifiers=(Falsifier("log-det mismatch on masked SGD", _broken("masked_sgd", label_ok=("random_maps",))),
                    Falsifier("HVP differs from explicit Hessian", _broken("hvp_vs_explicit"))),
        revisions=(_conv("lyapunov.sum_rule", "supported", "supported"),),
        tags=("theorem",), source=f"{DEF}#a-c2, {DEF}#s4-2; {DOC}")

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
        tags=("theorem", "P2"), source=f"{DEF}#a-c3, {DEF}#p2; {DOC}")

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
        tags=("theorem", "P1", "critical-slowing-down"), source=f"{DEF}#a-c4, {DEF}#p1; {DOC}")

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
        tags=("estimator", "rds"), source=f"{DEF}#a-c5, {DEF}#s3-2; {DOC}")

declare(id="lyapunov.hygiene",
        statement="Masked-SGD spectra live on the active coordinates only: no -inf or NaN, padding with masked "
                  "parameters changes nothing, and d-dimensional tangent vectors are refused (A-C6).",
        provenance="reconstructed", status="supported", rule=R.checks, kind="validation",
        decision={"padding_tol": 1e-10, "label": "hygiene"},
        falsifiers=(Falsifier("dense-and-drop accepted", _broken("dense_refused", label_ok=("finite",))),
                    Falsifier("padding changes the spectrum", _broken("padding"))),
        revisions=(_conv("lyapunov.hygiene", "supported", "supported"),),
        tags=("theorem",), source=f"{DEF}#a-c6, {DEF}#s7-2; {DOC}")

declare(id="lyapunov.small_step",
        statement="In the small-step limit the exponents are -eta mu_i to relative error eta mu_max/2, so the SE1 "
                  "spectral entropy equals the Hessian-spectrum entropy within 2% (A-C7).",
        provenance="reconstructed", status="supported", rule=R.checks, prediction=_pred_small_step,
        kind="validation",
        decision={"rel_bound": 0.026, "se1_rel_tol": 0.02, "exp_rel_tol": 0.05, "label": "small step"},
        falsifiers=(Falsifier("QR entropy off", _broken("c_se1_qr_vs_eigs", label_ok=("a_log_expansion",))),
                    Falsifier("exponents off at the prescribed burn-in", _broken("d_exponents_prescribed_burn_in"))),
        revisions=(_conv("lyapunov.small_step", "supported", "supported"),),
        tags=("theorem",), source=f"{DEF}#a-c7; {DOC}")

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
        tags=("P3", "P4", "edge-of-chaos"), source=f"{DEF}#a-c8, {DEF}#p3, {DEF}#p4; {DOC}")

declare(id="lyapunov.definitions",
        statement="The order-parameter definitions satisfy their stated properties (SE1 range and invariances, "
                  "h_KS and D_KY bounds, SE2 bounds and identities); a counterexample search finds none (A-C13).",
        provenance="reconstructed", status="supported", rule=R.checks, kind="validation",
        decision={"search_examples": 200, "label": "definitions"},
        falsifiers=(Falsifier("counterexample found", _broken("no_counterexample")),),
        revisions=(_conv("lyapunov.definitions", "supported", "supported"),),
        tags=("definitions",), source=f"{DEF}#a-c13, {DEF}#s5, {DEF}#s6; {DOC}")

# ------------------------------------------------------------------ findings: the suite's derived consequences
declare(id="lyapunov.small_step.mlp",
        statement="On a masked tanh MLP (digits) under full-batch GD with eta * max|mu| = 0.05, the QR estimator's "
                  "SE1, once converged, equals the normalised entropy of the Hessian spectrum within 5% (A-C7, "
                  "secondary comparison: in the small-step regime the spectral entropy is a Hessian-spectrum "
                  "entropy).",
        provenance="reconstructed", status="inconclusive", rule=R.small_step_mlp, kind="finding",
        prediction=_pred_small_step,
        setting=Setting(paper="none (a consequence the suite derives: spec A-C7, small-step limit)",
                        suite="tanh MLP 64-8-8-10 at sparsity 0.8 (k = 157) on the first 128 digits training "
                              "samples, full-batch GD; 1 replicate (quick), 3 replicates (full)",
                        scope="stand-in"),
        decision={"rel_tol": 0.05, "eta_mu_max": 0.05, "window": 100, "max_windows": 15, "conv_tol": 0.01},
        readings=(Reading("change_only", "converged at the first window whose SE1 changes by < 1% from the "
                                         "previous window's (no remaining-change condition)"),),
        decision_notes="5% on SE1 from spec A-C7 (secondary). Convergence criterion: after a burn-in of 50 steps, "
                       "consecutive 100-step windows with the QR frame carried over; the estimate has converged at "
                       "the first window j >= 2 where both the change of SE1 from window j-1 and the Aitken estimate "
                       "of the remaining change, |d_j| r/(1 - r) with r = d_j/d_{j-1}, are < 1% of SE1 (a fifth of "
                       "the tolerance); it is compared with the Hessian entropy at that window's end. Cap 15 windows "
                       "(1550 steps); a replicate that does not converge makes the verdict inconclusive. One "
                       "replicate at the quick tier (no interval: inconclusive by construction), three at the full "
                       "tier, which decides. History: the first criterion (change < 1% only) was declared after one "
                       "exploratory replicate showed a geometric approach (gap 35%, 12%, 6.8%, 4.3% ... per 100 "
                       "steps); on a smaller quick set-up (64 samples, sparsity 0.9) it stopped at 650 steps with "
                       "the gap still 4.6-6.6% and moving, so the remaining-change (Aitken) condition was added and "
                       "both tiers use the explored set-up (a recorded revision)",
        falsifiers=(Falsifier("converged entropy 15% off", {"rel_qr_vs_hessian": [0.163, 0.144, 0.159],
                                                            "converged": [True, True, True]}),
                    Falsifier("replicates scattered", {"rel_qr_vs_hessian": [0.3, -0.25, 0.01],
                                                       "converged": [True, True, True]}, expect="not_supported"),
                    Falsifier("not converged", {"rel_qr_vs_hessian": [0.01, 0.012, 0.011],
                                                "converged": [True, False, True]}, expect="not_supported")),
        revisions=(_conv("lyapunov.small_step.mlp", "refuted", "inconclusive",
                         "; the replicate t-interval replaces 'every replicate within 5%'"),
                   Revision(TODAY, "judged on converged estimates: consecutive 100-step windows after a burn-in of "
                            "50, converged at the first window where both the SE1 change and the Aitken estimate of "
                            "the remaining change are < 1% (cap 1550 steps), instead of the spec window (burn-in 50, "
                            "T = 300); 1 replicate quick, 3 full; the change-only criterion is the reading "
                            "change_only",
                            "re-judging issue item 8: the +16% gap at the spec window is estimator burn-in (frame "
                            "alignment), not the small-step identity (0.3%); the burn-in observation moved to the "
                            "validation check lyapunov.estimator.burn_in. The change-only criterion, declared first, "
                            "stopped at 650 steps with the gap still 4.6-6.6% on a smaller trial set-up (64 samples, "
                            "sparsity 0.9), hence the remaining-change condition, fixed before the full run",
                            "refuted", "inconclusive",
                            "full tier, root seed 0, 3 replicates (before: the previous rule on the same runs' "
                            "spec-window values +14.7%, +20.5%, +14.1%; after: 2 of 3 replicates not converged by "
                            "the declared criterion)")),
        tags=("theorem", "small-step", "mlp"), source=f"{DEF}#a-c7 (its secondary form); {DOC}")

declare(id="lyapunov.estimator.burn_in",
        statement="On the masked MLP of A-C7 the QR estimator's SE1 error at the spec window (burn-in 50, T = 300) is "
                  "burn-in (frame alignment): over consecutive 100-step windows the gap to the Hessian-spectrum "
                  "entropy shrinks window by window until it is within 5%, it is within 5% at the last window "
                  "(1550 steps), and the spec-window gap exceeds the last window's.",
        provenance="reconstructed", status="supported", rule=R.checks, kind="validation",
        decision={"rel_tol": 0.05, "mono_slack": 1e-3, "eta_mu_max": 0.05, "window": 100, "max_windows": 15,
                  "conv_tol": 0.01, "label": "burn-in"},
        decision_notes="frame alignment of a correct QR estimator shrinks the gap monotonically (slack 1e-3) while it "
                       "is large; near 0 the gap follows the drift of the exact-exponent entropy under continued "
                       "training (|gap| ~ 0.3%, the small-step error), so monotonicity is required only until the "
                       "gap is first within 5%; one replicate per tier (replicate 0 of lyapunov.small_step.mlp)",
        falsifiers=(Falsifier("frame reset every window (no alignment)", _broken(
                        "gap_shrinks_until_within_tol", "last_window_within_tol",
                        label_ok=("spec_window_gap_above_last",))),
                    Falsifier("converges to a wrong value", _broken(
                        "last_window_within_tol", label_ok=("spec_window_gap_above_last",
                                                            "gap_shrinks_until_within_tol")))),
        revisions=(Revision(TODAY, "new validation check (the burn-in observation moved out of "
                            "lyapunov.small_step.mlp); first formulation (Aitken-converged within the cap, gap "
                            "monotone over every window, converged gap within 5%) replaced before commit by: gap "
                            "monotone until first within 5%, last window within 5%, spec-window gap above the last",
                            "re-judging issue item 8. The first formulation failed on a correct estimator: once the "
                            "gap crosses 0 it follows the slow drift of the exact-exponent entropy as full-batch GD "
                            "keeps training (0.0%, 0.16%, 0.28%, 0.39% after 1150-1450 steps), so neither "
                            "monotonicity nor the Aitken remaining-change test can hold there; it said nothing about "
                            "the engine", "refuted", "supported",
                            "full tier, root seed 0 (replicate 0; the quick tier runs the same replicate)"),),
        tags=("estimator", "small-step", "mlp"),
        source=f"{DEF}#s3-1 (frame alignment), {DEF}#a-c7 (secondary form); {DOC}")

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
        tags=("P3", "edge-of-chaos", "finite-size"), source=f"{DEF}#a-c8 (optional part), {DEF}#p3; {DOC}")

declare(id="lyapunov.direction",
        statement="Past the accuracy collapse masked SGD does not become unstable: lambda_max stays <= 0 (P2), the "
                  "change being a loss or persistence of contraction (A-C10).",
        provenance="reconstructed", status="supported", rule=R.direction, prediction=_pred_direction,
        kind="finding", setting=Setting(paper=PAPER_SETTING, suite=DIGITS, scope="stand-in"),
        decision={"level": 0.95},
        decision_notes="seed t-interval of lambda_max averaged over the sparsities past s*_acc; refuted only when it "
                       "lies entirely above 0. What refutes it, and why that is reachable: a net expansion rate of "
                       "the masked update along the leading tangent direction past the collapse. Interlacing (P2) "
                       "does not exclude it: it bounds the masked step by the dense step at the same theta, and the "
                       "dense bound ln max(|1 - eta(mu_min + gamma)|, |1 - eta(mu_max + gamma)|) is positive "
                       "whenever the dense minibatch Hessian has negative curvature (mu_min < 0, |1 - eta mu| > 1) "
                       "or eta mu_max > 2. P2 excludes only an instability created by the masking operator at fixed "
                       "theta; a positive lambda_max would come from the trajectory (the retrained sparse net in "
                       "negative-curvature regions or at the edge of stability) and be attributed with the A-C3c "
                       "per-step bound",
        falsifiers=(Falsifier("trajectory instability past the collapse (negative curvature)",
                              {"lambda_max_after_ci": [1e-4, 3e-4],
                                                             "d_lambda_max": 2e-4, "d_near_neutral": 0.0}),
                    Falsifier("sign undetermined", {"lambda_max_after_ci": [-1e-4, 1e-4], "d_lambda_max": 0.0,
                                                    "d_near_neutral": 0.0}, expect="not_supported")),
        revisions=(_conv("lyapunov.direction", "supported", "supported"),
                   Revision(TODAY, "declaration states what refutes the claim (lambda_max interval past the collapse "
                            "above 0, reachable through negative curvature or eta mu_max > 2 on the trajectory) and "
                            "names the falsifier accordingly; rule unchanged",
                            "re-judging issue item 12: the refuted branch must be reachable; P2 bounds the masked "
                            "step by the dense one, whose bound exceeds 1 under negative curvature", "supported",
                            "supported")),
        tags=("mechanism", "digits"), source=f"{DEF}#a-c10; paper A-claim-5 ({DEF}#claims); {DOC}")

# ------------------------------------------------------------------ the paper's claims (digits stand-in)
declare(id="lyapunov.colocation",
        statement="On digits (MLP dense-trained, globally magnitude-pruned, retrained masked), at least one Lyapunov "
                  "order parameter (lambda_max, SE1, h_KS, FTLE variance chi_lambda) changes at the same sparsity "
                  "as accuracy collapses (A-C9; project definitions, reconstructed).",
        provenance="paper", status="inconclusive", full_status="supported", rule=R.colocation,
        prediction=_pred_colocation, kind="paper",
        setting=Setting(paper=PAPER_SETTING, suite=DIGITS, scope="stand-in"),
        decision={"order_parameters": OPS, "max_index_gap": 1, "min_acc_drop": 0.2, "max_null_rate": 0.05,
                  "null_sims": 2000, "alpha": 0.05, "max_gap_x": 0.35, "min_seeds": 5, "grid_dx": [0.35, 0.2],
                  "seeds": [3, 8], "p": 8, "window": [20, 100]},
        decision_notes="declared design (docs/papers/lyapunov.md, 'A design that can decide co-location'), "
                       "committed before running: logistic-step locations c (in x = ln(1/(1-s))) of accuracy and of "
                       "each order parameter; the seed-bootstrap (1000) 95% interval of c_X - c_acc against "
                       "[-0.35, 0.35] (one spec grid step at the collapse); a supported member needs its amplitude's "
                       "Bonferroni interval to exclude 0 (the noise control) and >= 5 seeds; the accuracy drop's seed "
                       "t-interval above 0.2. Grid: s = 0, 0.3, 0.5, 0.7, 0.8 and x = 2.0 ... 5.0 in steps 0.35 "
                       "(quick, 3 seeds) / 0.2 (full, 8 seeds: power 0.91 for an SE1-sized step, 0.22 for a "
                       "lambda_max-sized one, noise-only false support <= 0.01); spectrum p = 8, window (20, 100); "
                       "chi_lambda = T Var(lambda_1^(T)) over 20 windows (X8) added to the spec's lambda_max, SE1, "
                       "h_KS. The spec's grid-index statistics are kept as metrics ('legacy')",
        readings=(Reading("se2_c", "the spectral entropy order parameter is the SE2 heat capacity C(beta) at "
                                   "beta = 1/mean|lambda| (spec §6) in place of SE1"),
                  Reading("se3", "the spectral entropy order parameter is the normalised SE3 effective-rank "
                                 "entropy of e^{T lambda} (spec §6) in place of SE1")),
        falsifiers=(Falsifier("order parameters far from the collapse",
                              lambda: {"acc_drop_ci": [0.5, 0.8], "c_acc": 3.2, "seeds": 8,
                                       "gap_x_ci": {k: [0.8, 1.5] for k in OPS},
                                       "amp_ci": {k: [0.5, 1.0] for k in OPS}}),
                    Falsifier("co-located location, amplitude within noise",
                              lambda: {"acc_drop_ci": [0.5, 0.8], "c_acc": 3.2, "seeds": 8,
                                       "gap_x_ci": {k: [-0.1, 0.1] for k in OPS},
                                       "amp_ci": {k: [-0.2, 0.3] for k in OPS}}, expect="not_supported"),
                    Falsifier("locations undetermined", lambda: {"acc_drop_ci": [0.5, 0.8], "c_acc": 3.2, "seeds": 8,
                                                                 "gap_x_ci": {k: [-1.5, 1.5] for k in OPS},
                                                                 "amp_ci": {k: [-0.2, 0.3] for k in OPS}},
                              expect="not_supported"),
                    Falsifier("too few seeds", lambda: {"acc_drop_ci": [0.5, 0.8], "c_acc": 3.2, "seeds": 3,
                                                        "gap_x_ci": {k: [-0.1, 0.1] for k in OPS},
                                                        "amp_ci": {k: [0.5, 1.0] for k in OPS}},
                              expect="not_supported")),
        revisions=(Revision("2026-11-23", "noise-only control: a co-location counts only if an s-independent order "
                            "parameter with the measured seed noise co-locates in <= 5% of 2000 simulations",
                            "on the spec's non-uniform grid the narrow intervals near s = 0.97-0.99 amplify slope "
                            "noise, so a noise-only parameter co-locates with a high-sparsity collapse most of the "
                            "time. Recorded retroactively on 2026-12-02", "supported", "inconclusive",
                            "quick tier, root seed 0 (the pre-control rule applied to the 2026-12-02 evidence)"),
                   _conv("lyapunov.colocation", "inconclusive", "inconclusive",
                         "; seed-bootstrap interval of the index gap; Holm over the order parameters for the noise "
                         "control"),
                   Revision(TODAY, "declared design (committed before running): logistic-step locations in x = "
                            "ln(1/(1-s)) on a grid uniform in x near the collapse, seed-bootstrap interval of "
                            "c_X - c_acc against +-0.35, amplitude interval as the noise control, >= 5 seeds to "
                            "support; full tier dx 0.2 with 8 seeds from a power analysis",
                            "re-judging issue item 14: on the spec grid the steepest-slope locator favours the narrow "
                            "intervals at the collapse, so a noise-only parameter co-locates 46-68% of the time and "
                            "the design cannot decide", "inconclusive", "inconclusive",
                            "quick tier, root seed 0, 3 seeds on the dx 0.35 grid (before: the previous rule on the "
                            "grid-index statistics of the same runs); full tier (8 seeds, dx 0.2): inconclusive -> "
                            "supported")),
        tags=("central", "digits"), source=f"{DEF}#a-c9, {DEF}#s8-2; paper A-claim-1, A-claim-4 ({DEF}#claims); {DOC}")

declare(id="lyapunov.finite_size", full_status="refuted",
        statement="The accuracy collapse under magnitude pruning sharpens with hidden width (16-128) in the natural "
                  "coordinate x = ln(1/(1 - s)): the maximal slope -dAcc/dx grows and the transition window in x "
                  "shrinks, i.e. a phase transition, not a crossover (A-C11).",
        provenance="paper", status="inconclusive", rule=R.finite_size, prediction=_pred_fss, kind="paper",
        setting=Setting(paper=PAPER_SETTING, suite="tanh MLP 64-w-w-10 on sklearn digits, w = 16, 32, 64, 128, "
                        "dense SGD -> global magnitude pruning -> masked retraining, 12 sparsities; 2 seeds x (1000 "
                        "+ 1000) steps quick, 5 seeds x (2000 + 2000) full", scope="stand-in"),
        decision={"widths": [16, 32, 64, 128], "level": 0.95, "coordinate": "x = ln(1/(1 - s))",
                  "grid_extra": [0.993, 0.995, 0.997], "fit": "per seed"},
        decision_notes="declared before running (docs/papers/lyapunov.md, 'Finite-size scaling in the natural "
                       "coordinate'): window (90% -> 10% of plateau -> floor) and max interval slope in x = "
                       "ln(1/(1-s)) on the spec grid plus 0.993, 0.995, 0.997; log-log least-squares slopes over "
                       "all (width, seed) points, 95% t-intervals (per-seed fit chosen in advance; the seed-mean fit "
                       "is the reading seed_mean)",
        readings=(Reading("seed_mean", "the log-log fits use the seed mean per width (4 points, 2 degrees of "
                                       "freedom) instead of one point per (width, seed)"),),
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
                         "; a flat slope (interval straddling 0) is now inconclusive, not refuted"),
                   Revision(TODAY, "window and max slope measured in the natural coordinate x = ln(1/(1 - s)) on "
                            "the spec grid extended by 0.993, 0.995, 0.997 (declared and committed before running); "
                            "per-seed fit kept as declared, seed-mean fit as the reading seed_mean",
                            "re-judging issue item 1: the collapse moves from s = 0.915 to 0.985 with width, so a "
                            "fixed window in s shrinks relative to nothing; normalised by the remaining density the "
                            "window does not shrink and the slope does not grow",
                            "supported", "inconclusive",
                            "quick tier, root seed 0 (before: the s-coordinate statistics on the spec grid of the "
                            "same runs)")),
        tags=("finite-size", "digits"), source=f"{DEF}#a-c11; paper A-claim-1, 'sharp' ({DEF}#claims); {DOC}")

declare(id="lyapunov.static_vs_dynamic",
        statement="A dynamic (Lyapunov: lambda_max, SE1 or chi_lambda) signal locates the accuracy collapse closer "
                  "than the static Ramanujan criterion of the mask graphs (A-C12).",
        provenance="paper", status="inconclusive", full_status="supported", rule=R.static_vs_dynamic,
        prediction=_pred_static, kind="paper",
        setting=Setting(paper=PAPER_SETTING, suite=DIGITS, scope="stand-in"),
        decision={"dynamic": DYNAMIC, "max_index_gap": 1, "max_null_rate": 0.05, "null_sims": 2000, "alpha": 0.05,
                  "min_seeds": 5, "grid_dx": [0.35, 0.2], "seeds": [3, 8], "p": 8, "window": [20, 100]},
        decision_notes="declared design (docs/papers/lyapunov.md, 'A design that can decide co-location'), "
                       "committed before running: dynamic signals lambda_max, SE1 and chi_lambda (X8); for each the "
                       "seed-bootstrap (1000) 95% interval of |c_X - c_acc| - |x_Ram - c_acc| (logistic-step "
                       "locations in x = ln(1/(1-s)); x_Ram the first grid point where at least half the resampled "
                       "seeds violate the Ramanujan-type bound) at or below 0; a supported member needs its "
                       "amplitude's Bonferroni interval to exclude 0 and >= 5 seeds. Grid and seeds as "
                       "lyapunov.colocation (full: dx 0.2, 8 seeds; power 1.00 for a lambda_max-sized step, "
                       "noise-only false support <= 0.01). The spec's grid-index statistics are kept ('legacy')",
        readings=(Reading("any_seed", "the static point s*_Ram is the first sparsity at which any seed's mask "
                                      "violates the Ramanujan-type bound (instead of at least half the seeds)"),),
        falsifiers=(Falsifier("dynamic farther than static",
                              lambda: {"x_ram": 1.61, "seeds": 8, "dist_diff_x_ci": {k: [0.3, 1.0] for k in DYNAMIC},
                                       "amp_ci": {k: [0.5, 1.0] for k in DYNAMIC}}),
                    Falsifier("closer, but amplitude within noise",
                              lambda: {"x_ram": 1.61, "seeds": 8, "dist_diff_x_ci": {k: [-1.5, -1.0] for k in DYNAMIC},
                                       "amp_ci": {k: [-0.3, 0.2] for k in DYNAMIC}}, expect="not_supported"),
                    Falsifier("too few seeds",
                              lambda: {"x_ram": 1.61, "seeds": 3, "dist_diff_x_ci": {k: [-1.5, -1.0] for k in DYNAMIC},
                                       "amp_ci": {k: [0.5, 1.0] for k in DYNAMIC}}, expect="not_supported")),
        revisions=(Revision("2026-11-23", "noise-only control (a dynamic signal counts only if a noise-only signal "
                            "does as well in <= 5% of 2000 simulations); then (2026-11-24) the dynamic family "
                            "lambda_max, SE1, chi_lambda and the control 'lands strictly closer than the static point'",
                            "the static point lands 4 grid steps before s*_acc and a noise-only signal lands closer "
                            "almost always on this grid. Recorded retroactively on 2026-12-02", "supported",
                            "inconclusive", "quick tier, root seed 0 (the pre-control rule applied to the 2026-12-02 "
                            "evidence)"),
                   _conv("lyapunov.static_vs_dynamic", "inconclusive", "inconclusive",
                         "; seed-bootstrap interval of the distance difference; Holm over the signals for the noise "
                         "control"),
                   Revision(TODAY, "declared design (committed before running), shared with lyapunov.colocation: "
                            "seed-bootstrap interval of |c_X - c_acc| - |x_Ram - c_acc| in x at or below 0, "
                            "amplitude interval as the noise control, >= 5 seeds to support; full tier dx 0.2 with 8 "
                            "seeds from a power analysis",
                            "re-judging issue item 14: on the spec grid the static point lands 4 steps early but a "
                            "noise-only signal lands closer almost always, so the design cannot decide",
                            "inconclusive", "inconclusive",
                            "quick tier, root seed 0, 3 seeds on the dx 0.35 grid (before: the previous rule on the "
                            "grid-index statistics of the same runs); full tier (8 seeds, dx 0.2): inconclusive -> "
                            "supported")),
        tags=("ramanujan", "digits"), source=f"{DEF}#a-c12; paper A-claim-2 ({DEF}#claims); {DOC}")
