"""Experiments of the Lyapunov claims (Ghosh 2026; docs/papers/lyapunov.md): ``core`` binds the estimator,
theorem-level and mean-field checks (A-C1 ... A-C8, A-C13), ``digits`` the digits pruning claims (A-C9 ... A-C12).
``simulations.harness.experiments`` imports both on load."""
