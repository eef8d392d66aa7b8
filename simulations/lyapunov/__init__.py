"""Lyapunov spectra of pruned training (Ghosh 2026; spec lyapunov_pruning.md)."""
