"""Lyapunov spectra of pruned training (Ghosh 2026; docs/definitions/lyapunov.md)."""
