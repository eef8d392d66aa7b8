"""Finite-width engines (scorers, masks, graph limits, NTK, IHT, Lyapunov, training) and the harness
(runner, sweeps, report, CLI) that binds each claim id to its experiment."""
