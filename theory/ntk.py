"""Graphon-NTK predictions (docs/definitions/graphon-ntk.md#s7, #s8): public surface over theory/ntk_*.py.

* kernels: :func:`graphon_ntk` (one hidden layer, general graphon, ReLU closed form / erf, tanh by Gauss-Hermite,
  readout coupling m(u)), :func:`deep_constant_ntk` (c^L rule), :func:`dense_ntk`;
* diagnostics: :func:`complexity_term`, :func:`alignment`, :func:`effective_rank`, :func:`lambda_min`,
  :func:`top_k_share`, :func:`spectrum_summary`;
* path density: :func:`path_density_graphon`, :func:`path_density_masks`, :func:`linear_path_kernel`,
  :func:`path_bound`;
* graphons: :func:`snip_graphon` (τ calibrated per p), :func:`random_graphon`, :func:`fsm_grid`;
* UAT: :func:`uat_floor`, :func:`full_neuron_prediction`.

Conventions pinned here (spec §10 items 8-10): σ_w = σ_a = 1, NTK parameterisation, no mask rescaling, ReLU
without biases, both-layer kernel, Q = 64 midpoint u-nodes, m ≡ 1 unless the coupled readout is asked for, deep
readout masked (c^L).  Provenance: [reconstructed] ("project reconstruction, not the paper's formula") unless a
docstring says otherwise.
"""
from __future__ import annotations

from theory.ntk_diagnostics import (alignment, complexity_term, effective_rank, eigenvalues, entropy_rank,
                                    lambda_min, linear_path_kernel, path_bound, path_density_graphon,
                                    path_density_masks, spectrum_summary, top_k_share, weighted_column_density)
from theory.ntk_graphons import (c_power, calibrate_tau, column_profile, fsm_grid, full_neuron_prediction,
                                 random_graphon, snip_graphon, uat_floor, uat_target)
from theory.ntk_kernels import (ACTIVATIONS, abs_normal_quantile, activation_kernels, coupled_readout,
                                deep_constant_ntk, deep_graphon_ntk, dense_ntk, erf_kernels_closed,
                                gauss_hermite_kernels,
                                graphon_grid, graphon_ntk, layer_covariances, midpoints, relu_kernels)

#: §4.4 / §8.3 synthetic FSM setup: τ* at p = 0.2 on a 2000-node u grid and the two column masses.
FSM_REFERENCE = {"p": 0.2, "tau": 0.21190, "rho_other": 0.0538, "rho_informative": 0.6386,
                 "c_other": 0.1, "c_informative": 1.0, "informative_share": 0.25}

__all__ = [
    "ACTIVATIONS", "FSM_REFERENCE", "abs_normal_quantile", "activation_kernels", "alignment", "c_power",
    "calibrate_tau", "column_profile", "complexity_term", "coupled_readout", "deep_constant_ntk",
    "deep_graphon_ntk", "dense_ntk",
    "effective_rank", "eigenvalues", "entropy_rank", "erf_kernels_closed", "fsm_grid", "full_neuron_prediction",
    "gauss_hermite_kernels", "graphon_grid", "graphon_ntk", "lambda_min", "layer_covariances",
    "linear_path_kernel", "midpoints", "path_bound", "path_density_graphon", "path_density_masks",
    "random_graphon", "relu_kernels", "snip_graphon", "spectrum_summary", "top_k_share", "uat_floor",
    "uat_target", "weighted_column_density",
]
