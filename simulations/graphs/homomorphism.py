"""Homomorphism densities t(F, .) of small bipartite F (spec graphon §6.4).

For a matrix A (n x d, step-graphon units): t(F, A) = n^-|L| d^-|R| sum over maps of prod_edges A[u_a, v_b].
Fast paths (matrix products): edge = mean A; K22 = ||A^T A||_F^2 / (n d)^2; row s-star = mean over rows of
(row density)^s; column s-star likewise.  Any other small F goes through one einsum.  Graphon side
(closed forms via sympy for block-constant W, quadrature otherwise) is the theory module's, re-exported.
"""
from __future__ import annotations

import numpy as np

from simulations.graphs.cutnorm import as_matrix
from theory.graphon import as_f, parse_f, t_graphon, t_piecewise_constant, t_weighted  # noqa: F401

NAMED = ("K2", "K22", "row_star_2", "col_star_2", "row_star_3")


def t_matrix(F, A, device: str = "cpu") -> float:
    """t(F, W_A) for the step graphon of A (exact counting)."""
    if device not in ("cpu", "cuda"):
        raise ValueError(f"device must be 'cpu' or 'cuda', got {device!r}")
    a = as_matrix(A)
    n, d = a.shape
    if isinstance(F, str):
        if F == "K2":
            return float(a.mean())
        if F == "K22":
            if device == "cuda":
                import torch

                t = torch.as_tensor(a, device=device)
                g = t.T @ t if d <= n else t @ t.T
                return float((g * g).sum()) / (n * d) ** 2
            g = a.T @ a if d <= n else a @ a.T
            return float(np.sum(g * g)) / (n * d) ** 2
        L, R, _ = parse_f(F)
        if F.startswith("row_star_"):
            return float(np.mean(a.mean(axis=1) ** R))
        if F.startswith("col_star_"):
            return float(np.mean(a.mean(axis=0) ** L))
    return t_weighted(F, a, np.full(n, 1.0 / n), np.full(d, 1.0 / d))


def t_profile(A, names=NAMED) -> dict:
    """t(F, A) for each named F."""
    return {F: t_matrix(F, A) for F in names}


def t_of_graphon(F, W, Q: int = 128, u_breaks=(), v_breaks=()):
    """t(F, W) by the most exact route: a constant (number or sympy expression) or a block-constant graphon
    ``{"values", "row_widths", "col_widths"}`` gives the sympy closed form; a callable W(u, v) is integrated by
    composite Gauss-Legendre quadrature (pass its discontinuities as breaks)."""
    import numbers

    import sympy as sp

    if isinstance(W, (numbers.Number, sp.Basic)) and not callable(W):
        return t_piecewise_constant(F, [[W]], [1], [1])
    if isinstance(W, dict):
        missing = {"values", "row_widths", "col_widths"} - set(W)
        if missing:
            raise ValueError(f"block graphon dict lacks {sorted(missing)}")
        return t_piecewise_constant(F, W["values"], W["row_widths"], W["col_widths"])
    if callable(W):
        return t_graphon(F, W, Q=Q, u_breaks=u_breaks, v_breaks=v_breaks)
    raise ValueError("W must be a number, a block dict {values, row_widths, col_widths} or a callable W(u, v)")


def edges_of(F) -> int:
    return len(as_f(F)[2])


from theory.checks import guard_module  # noqa: E402  (last: wraps the public functions above)

guard_module(globals())
