"""Empirical graphons of masks (spec graphon §2.3, §2.5).

A mask M (n x d) is the biadjacency matrix of a bipartite graph: rows = hidden/output units (u), columns =
input units (v).  This module holds the networkx views, the step graphon, the orderings (degree, latent),
the degree-sorted block histogram with K fixed blocks (the object of the rate tests) and the SAS picture
(sort-and-smooth, block size int(ln n), total-variation smoothing) which is for pictures only.
"""
from __future__ import annotations

import math

import networkx as nx
import numpy as np

from simulations.graphs.cutnorm import as_matrix


# ------------------------------------------------------------------------------------------ networkx
def mask_to_networkx(M) -> nx.Graph:
    """Bipartite graph: nodes ("r", i) with bipartite=0 and ("c", j) with bipartite=1, one edge per kept entry;
    isolated units are kept as nodes.  Graph attributes n, d record the shape."""
    m = as_matrix(M, "M")
    if not np.all((m == 0) | (m == 1)):
        raise ValueError("M must be a 0/1 (or boolean) mask")
    n, d = m.shape
    G = nx.Graph(n=n, d=d)
    G.add_nodes_from((("r", i) for i in range(n)), bipartite=0)
    G.add_nodes_from((("c", j) for j in range(d)), bipartite=1)
    ii, jj = np.nonzero(m)
    G.add_edges_from(zip((("r", int(i)) for i in ii), (("c", int(j)) for j in jj)))
    return G


def networkx_to_mask(G: nx.Graph) -> np.ndarray:
    """Inverse of :func:`mask_to_networkx`: boolean (n, d) mask from a bipartite graph whose nodes carry
    ``bipartite`` 0 (rows) / 1 (columns); rows and columns in sorted node order."""
    rows = sorted(v for v, b in G.nodes(data="bipartite") if b == 0)
    cols = sorted(v for v, b in G.nodes(data="bipartite") if b == 1)
    if len(rows) + len(cols) != G.number_of_nodes():
        raise ValueError("every node of G must carry a bipartite attribute 0 (row) or 1 (column)")
    if not rows or not cols:
        raise ValueError("G must have at least one row node and one column node")
    side = dict(G.nodes(data="bipartite"))
    if any(side[a] == side[b] for a, b in G.edges()):
        raise ValueError("G has edges inside one side; it is not bipartite with the given labels")
    ri = {v: i for i, v in enumerate(rows)}
    ci = {v: j for j, v in enumerate(cols)}
    M = np.zeros((len(rows), len(cols)), dtype=bool)
    e = [(ri[a], ci[b]) if side[a] == 0 else (ri[b], ci[a]) for a, b in G.edges()]
    if e:
        ii, jj = np.array(e).T
        M[ii, jj] = True
    return M


# ------------------------------------------------------------------------------------- step graphon
def step_graphon(A):
    """W_A(u, v) = A[ceil(n u), ceil(d v)] (1-based), vectorised; u = 0 maps to the first row."""
    a = as_matrix(A)
    n, d = a.shape

    def W(u, v):
        u, v = np.asarray(u, float), np.asarray(v, float)
        if np.any((u < 0) | (u > 1)) or np.any((v < 0) | (v > 1)):
            raise ValueError("u and v must lie in [0, 1]")
        i = np.clip(np.ceil(n * u).astype(int) - 1, 0, n - 1)
        j = np.clip(np.ceil(d * v).astype(int) - 1, 0, d - 1)
        return a[i, j]

    return W


# ------------------------------------------------------------------------------------------ orderings
def degree_order(M, descending: bool = False) -> tuple[np.ndarray, np.ndarray]:
    """Row and column permutations sorting by degree, separately, with a stable sort (ascending default)."""
    m = as_matrix(M, "M")
    r, c = m.sum(axis=1), m.sum(axis=0)
    if descending:
        r, c = -r, -c
    return np.argsort(r, kind="stable"), np.argsort(c, kind="stable")


def latent_order(row_factor, col_factor=None, d: int | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Rows ascending in their latent factor (u_i = F_r(r_i)); columns ascending in relevance, or identity
    when ``col_factor`` is None (then ``d`` is required)."""
    r = np.asarray(row_factor, float).ravel()
    if col_factor is None:
        if d is None:
            raise ValueError("give col_factor or the number of columns d")
        cols = np.arange(int(d))
    else:
        cols = np.argsort(np.asarray(col_factor, float).ravel(), kind="stable")
    return np.argsort(r, kind="stable"), cols


def permute(A, rows, cols) -> np.ndarray:
    a = np.asarray(A)
    rows, cols = np.asarray(rows), np.asarray(cols)
    if sorted(rows.tolist()) != list(range(a.shape[0])) or sorted(cols.tolist()) != list(range(a.shape[1])):
        raise ValueError("rows and cols must be permutations of the row and column indices")
    return a[np.ix_(rows, cols)]


# ------------------------------------------------------------------------------------ block histograms
def block_starts(n: int, K: int) -> np.ndarray:
    """Start indices of K near-equal contiguous blocks of range(n) (sizes differ by at most one)."""
    if not isinstance(K, (int, np.integer)) or K < 1 or K > n:
        raise ValueError(f"number of blocks K must be an int in [1, {n}], got {K!r}")
    return (np.arange(K) * n) // K


def block_histogram(A, K: int = 16, K_cols: int | None = None) -> np.ndarray:
    """K x K_cols matrix of block means over near-equal contiguous blocks (A in its current order)."""
    a = as_matrix(A)
    n, d = a.shape
    rs, cs = block_starts(n, K), block_starts(d, K if K_cols is None else K_cols)
    sums = np.add.reduceat(np.add.reduceat(a, rs, axis=0), cs, axis=1)
    rsz, csz = np.diff(np.append(rs, n)), np.diff(np.append(cs, d))
    return sums / np.outer(rsz, csz)


def degree_sorted_histogram(M, K: int = 16) -> np.ndarray:
    """Degree order (ascending, stable), then K fixed blocks per side: the object of the rate tests."""
    r, c = degree_order(M)
    return block_histogram(as_matrix(M, "M")[np.ix_(r, c)], K)


def midpoint_grid(W, n: int, d: int) -> np.ndarray:
    """W((i - 1/2)/n, (j - 1/2)/d) for a vectorised callable graphon."""
    u = (np.arange(n) + 0.5) / n
    v = (np.arange(d) + 0.5) / d
    return np.asarray(W(u[:, None], v[None, :]), float) * np.ones((n, d))


# ------------------------------------------------------------------------------------------------ SAS
def sas_blocks(M) -> np.ndarray:
    """SAS histogram before smoothing: degree order descending, blocks of h_r = int(ln n) rows and
    h_c = int(ln d) columns (n // h blocks of near-equal size)."""
    m = as_matrix(M, "M")
    n, d = m.shape
    hr, hc = max(1, int(math.log(n))), max(1, int(math.log(d)))
    r, c = degree_order(m, descending=True)
    return block_histogram(m[np.ix_(r, c)], max(1, n // hr), max(1, d // hc))


def tv_denoise(f: np.ndarray, weight: float = 15.0, iters: int = 20, bregman: float = 1.0) -> np.ndarray:
    """Anisotropic TV denoising by split Bregman (Goldstein-Osher), Jacobi sweeps, replicate boundary:
    argmin_u |grad u|_1 + (weight/2) |u - f|^2."""
    f = np.asarray(f, float)
    if f.ndim != 2 or min(f.shape) < 1:
        raise ValueError(f"f must be a non-empty 2-D picture, got shape {f.shape}")
    if weight <= 0 or iters < 1 or bregman <= 0:
        raise ValueError("weight and bregman must be positive and iters >= 1")
    u = f.copy()
    dx, dy, bx, by = (np.zeros_like(f) for _ in range(4))
    lam = bregman

    def gx(a):
        return np.diff(a, axis=1, append=a[:, -1:])

    def gy(a):
        return np.diff(a, axis=0, append=a[-1:, :])

    def shrink(x, t):
        return np.sign(x) * np.maximum(np.abs(x) - t, 0.0)

    for _ in range(iters):
        p = np.pad(u, 1, mode="edge")
        nb = p[:-2, 1:-1] + p[2:, 1:-1] + p[1:-1, :-2] + p[1:-1, 2:]
        qx, qy = dx - bx, dy - by
        div = qx - np.pad(qx, ((0, 0), (1, 0)))[:, :-1] + qy - np.pad(qy, ((1, 0), (0, 0)))[:-1, :]
        u = (weight * f + lam * (nb - div)) / (weight + 4 * lam)
        ux, uy = gx(u), gy(u)
        dx, dy = shrink(ux + bx, 1 / lam), shrink(uy + by, 1 / lam)
        bx, by = bx + ux - dx, by + uy - dy
    return u


def sas_picture(M, mu: float = 7.5, iters: int = 20) -> np.ndarray:
    """Sort-and-smooth picture (pygraphon SAS adapted to bipartite masks): SAS blocks, TV smoothing with
    weight 2 mu, clipped to [0, 1].  For figures only -- its block size grows too slowly for rate tests."""
    if not mu > 0:
        raise ValueError(f"mu must be > 0, got {mu}")
    return np.clip(tv_denoise(sas_blocks(M), weight=2 * mu, iters=iters), 0.0, 1.0)


from theory.checks import guard_module  # noqa: E402  (last: wraps the public functions above)

guard_module(globals(), per_function={"permute": {"ndim": {"A": 2, "rows": 1, "cols": 1}}})
