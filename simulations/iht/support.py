"""Products with the gated operator restricted to a sparse support, A_S v, A_Sᵀ r and the fused A_Sᵀ(A_S v - y),
without forming the n x |S| matrix (:class:`SupportProducts`, returned by
:meth:`simulations.iht.operator.GatedOperator.support`); stored activation patterns stay within the operator's
``pattern_budget``.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from simulations.iht.operator import GatedOperator

#: bound on the gathered support slice of one row chunk in the support sweeps (numpy): cache-sized, since a
#: sweep is bandwidth-bound and runs up to R + 2 times per AIHT step
SWEEP_BYTES = 256 * 2**10
#: generators regenerated (seeded source) or gathered per range when a support's patterns are recomputed
GEN_RANGE = 256
#: blocks whose generators are gathered (d x FILL_BLOCKS floats) and multiplied with a row chunk at a time when
#: patterns are computed (numpy): the fill's working set does not grow with the number a of active blocks
FILL_BLOCKS = 64


class SupportProducts:
    """A_S for a sparse support S (flat indices ``idx``, any order, no duplicates) of a :class:`GatedOperator`,
    never materialised: over chunks of rows, the chunk's n_c x |S| slice is gathered from X and from the
    patterns of the a active blocks, used, and dropped (at most ``work_bytes`` per working array).

    Pattern storage is bounded by the operator's ``pattern_budget`` (bytes, independent of n and s):

    * when the patterns of all a blocks fit (numpy: a x ceil(n/8) bytes bit-packed; torch: a x n booleans), they
      are computed once and kept, or taken from ``patterns`` = (blocks, rows, row of each block) as returned by
      the streaming threshold (its slot store, shared), or from the operator's pattern cache;
    * otherwise every sweep recomputes them window by window: a window of M rows (a M/8 bytes within the budget,
      at least one sweep chunk) holds the patterns of all a blocks, filled from X and the generators, a range of
      ``GEN_RANGE`` generators at a time (regenerated or gathered, as the full operator streams them), then used
      by the sweep's row chunks inside it.  The sweep then costs one n x d x a product more (2 n d a flops); the
      values are the same (the same indicator of the same products, to rounding of X h_j).

    ``apply(v, shift)`` is the fused pass of the refinement: u = A_S v - shift and g = A_Sᵀ u in one sweep over
    the rows (both products of a row chunk use the same gathered slice).
    """

    def __init__(self, op: GatedOperator, idx, patterns=None):
        self.op = op
        idx = np.asarray(idx.cpu() if hasattr(idx, "cpu") else idx, dtype=np.int64).ravel()
        N = op.d * op.p
        if idx.size and (idx.min() < 0 or idx.max() >= N):
            raise ValueError(f"indices must lie in [0, d*p = {N}), got range [{idx.min()}, {idx.max()}]")
        self.idx, self.s, self.n = idx, int(idx.size), op.n
        blocks, feats = idx // op.d, idx % op.d
        self.blocks, self.bmap = np.unique(blocks, return_inverse=True)
        self.a = int(self.blocks.size)
        self._feats, self._bmap = op._index(feats), op._index(self.bmap)
        self._packed = self._bool = None
        self._slots = None                                      # rows of self._packed holding the a blocks
        self.windowed = False                                   # patterns recomputed per window in every sweep
        if op._P is not None:                                   # operator-level cache: a x n booleans view
            self._bool = op._P[:, op._index(self.blocks)].T
        elif patterns is not None:                              # (blocks, rows, row of each block)
            pb, rows, where = patterns
            pb = np.asarray(pb, dtype=np.int64)
            pos = np.searchsorted(pb, self.blocks)
            if pb.size == 0 or np.any(pos >= pb.size) or np.any(pb[np.minimum(pos, pb.size - 1)] != self.blocks):
                raise ValueError("patterns do not cover the support's blocks")
            self._slots = np.asarray(where, dtype=np.int64)[pos]
            if op._t:
                self._bool = rows[op._index(self._slots)]
            else:
                self._packed = rows                             # shared, rows picked per chunk (no copy)
        elif op.fits_patterns(self.a):
            buf = self._new_store(self.n)
            self._fill(0, self.n, buf)
            if op._t:
                self._bool = buf
            else:
                self._packed = buf
        else:
            self.windowed = self.a > 0

    @property
    def pattern_bytes(self) -> int:
        """Bytes of the pattern store this object reads (shared with the threshold's store when given); when the
        patterns are recomputed per window, the window's bytes (allocated during each sweep)."""
        if self.windowed:
            m = self._sweep_rows()
            return self.a * (self._window_rows(m) if self.op._t else self._window_rows(m) // 8)
        a = self._packed if self._packed is not None else self._bool
        if a is None:
            return 0
        return int(a.nbytes) if hasattr(a, "nbytes") else int(a.numel() * a.element_size())

    # ------------------------------------------------------------------ pattern windows
    def _new_store(self, rows: int):
        """Pattern rows of the a blocks for ``rows`` rows: numpy bit-packed along n, torch booleans."""
        op = self.op
        if op._t:
            return op._t.empty((self.a, rows), dtype=op._t.bool, device=op.device)
        return np.empty((self.a, -(-rows // 8)), dtype=np.uint8)

    def _gen_ranges(self):
        """(g0, g1, k0, k1): generator ranges [g0, g1) of ``GEN_RANGE`` (or the operator's chunk, or the seeded
        source's group, whichever is largest, aligned to the group) holding the active blocks k0..k1-1."""
        op = self.op
        grp = int(getattr(op._gens, "group", 1)) if op._gens is not None else 1
        G = -(-max(op.chunk, GEN_RANGE) // grp) * grp
        cuts = np.searchsorted(self.blocks, np.arange(0, op.p + G, G))
        out = []
        for r in range(len(cuts) - 1):
            k0, k1 = int(cuts[r]), int(cuts[r + 1])
            if k1 > k0:
                out.append((r * G, min((r + 1) * G, op.p), k0, k1))
        return out

    def _fill(self, W0: int, W1: int, buf, scratch=None):
        """Patterns of the a blocks on rows W0..W1-1 (W0 a multiple of 8) into ``buf`` (from column 0): one range
        of generators at a time, over row sub-chunks whose pre-activations stay within the sweep budget."""
        op = self.op
        ranges = self._gen_ranges()
        if not ranges:
            return
        if op._t is None:                                     # one pair of buffers for all ranges (flat peak)
            kb = FILL_BLOCKS
            if scratch is not None:                           # the sweep's gather buffer ((s + d) m floats)
                m = scratch.size // kb
                m = max(8, m - m % 8)
                Zb = scratch.reshape(-1)
            else:
                m = self._sub_rows(W0, W1, kb, min(op.work_bytes, SWEEP_BYTES))[0]
                m = m[1] - m[0]
                Zb = np.empty(kb * m, op.dtype)
            Bb = np.empty(kb * m, bool)
            sub = [(i0, min(i0 + m, W1)) for i0 in range(W0, W1, m)]
            ge = np.greater if op.strict else np.greater_equal
        for g0, g1, k0, k1 in ranges:
            HJ = op.gen_chunk(g0, g1)
            if op._t:
                Ht = HJ[:, op._index(self.blocks[k0:k1] - g0)].T.contiguous()
                del HJ
                for i0, i1 in self._sub_rows(W0, W1, k1 - k0, op.work_bytes):
                    buf[k0:k1, i0 - W0:i1 - W0] = op._indicator(Ht @ op._xt(i0, i1))
                del Ht
                continue
            for c0 in range(k0, k1, kb):                      # at most kb blocks' generators gathered at a time
                c1 = min(c0 + kb, k1)
                Ht = np.ascontiguousarray(HJ[:, self.blocks[c0:c1] - g0].T)
                for i0, i1 in sub:
                    Z = Zb[:(c1 - c0) * (i1 - i0)].reshape(c1 - c0, i1 - i0)
                    B = Bb[:(c1 - c0) * (i1 - i0)].reshape(c1 - c0, i1 - i0)
                    np.matmul(Ht, op._xt(i0, i1), out=Z)
                    ge(Z, 0, out=B)
                    buf[c0:c1, (i0 - W0) // 8:-(-(i1 - W0) // 8)] = np.packbits(B, axis=1)
                del Ht
            del HJ                                            # (gone before the next range is generated)

    @staticmethod
    def _sub_rows(W0: int, W1: int, width: int, budget: int):
        m = budget // (8 * max(int(width), 1))
        m = max(8, m - m % 8)
        return [(i0, min(i0 + m, W1)) for i0 in range(W0, W1, m)]

    def _width(self) -> int:
        """Floats per row of a sweep chunk: the s gathered entries, and on numpy the chunk's d x m copy of X
        (the gather reads a contiguous copy), so that one chunk's working set is the same for every s."""
        return self.s if self.op._t else self.s + self.op.d

    def _sweep_rows(self) -> int:
        op = self.op
        return next(iter(op.row_chunks(self._width(), None if op._t else min(op.work_bytes, SWEEP_BYTES))),
                    (0, 8))[1]

    def _window_rows(self, m: int) -> int:
        """Rows per window: a multiple of the sweep chunk m with a x rows patterns within the budget (>= m)."""
        per_row = self.a if self.op._t else self.a / 8
        k = int(self.op.pattern_budget // max(per_row * m, 1))
        return m * max(1, k)

    # ------------------------------------------------------------------ sweeps
    def _rows(self, i0: int, i1: int, buf=None, src=None, off: int = 0):
        """The s x m slice (A_S)[i0:i1]ᵀ = P[bmap] ⊙ Xᵀ[feats] on rows i0..i1-1; ``src`` = (window store, first
        row of the window) when the patterns are recomputed per window."""
        op = self.op
        if op._t:
            P = self._bool if src is None else src
            Pc = P[:, i0 - off:i1 - off].to(op.X.dtype)
            return op._t.index_select(op._xt(i0, i1), 0, self._feats) * op._t.index_select(Pc, 0, self._bmap)
        k = i1 - i0
        # the s x k indicator picked from the patterns per support entry (bytes, never an a x k float array):
        # the working set of a chunk depends on s and the chunk only, not on the a active blocks
        if src is not None:
            Qb = np.unpackbits(src[self.bmap, (i0 - off) // 8:-(-(i1 - off) // 8)], axis=1, count=k)
        elif self._packed is not None:
            rows = self.bmap if self._slots is None else self._slots[self.bmap]
            Qb = np.unpackbits(self._packed[rows, i0 // 8:-(-i1 // 8)], axis=1, count=k)
        else:
            Qb = self._bool[self.bmap, i0:i1]
        if buf is None:
            buf = np.empty(self._width() * k, op.dtype)
        R = buf[:self.s * k].reshape(self.s, k)
        Xc = buf[self.s * k:(self.s + op.d) * k].reshape(op.d, k)
        np.copyto(Xc, op._xt(i0, i1))
        np.take(Xc, self._feats, axis=0, out=R, mode="clip")
        np.multiply(R, Qb, out=R)
        return R

    def _sweep(self, v=None, shift=None, r=None, want_u=True, want_g=True):
        op = self.op
        if v is not None:
            v = op.asarray(v)
            if tuple(v.shape) != (self.s,):
                raise ValueError(f"v must have length |S| = {self.s}, got shape {tuple(v.shape)}")
        if r is not None:
            r = op.asarray(r)
            if tuple(r.shape) != (self.n,):
                raise ValueError(f"r must have length n = {self.n}, got shape {tuple(r.shape)}")
        if shift is not None:
            shift = op.asarray(shift)
        u = op.zeros(self.n) if want_u and v is not None else None
        g = op.zeros(self.s) if want_g else None
        buf = None
        chunks = list(op.row_chunks(self._width(), None if op._t else min(op.work_bytes, SWEEP_BYTES)))
        if op._t is None and chunks:
            buf = np.empty(self._width() * (chunks[0][1] - chunks[0][0]), op.dtype)
        if self.windowed and chunks:
            M = self._window_rows(chunks[0][1] - chunks[0][0])
            store = self._new_store(min(M, self.n))
            windows = [(W0, min(W0 + M, self.n)) for W0 in range(0, self.n, M)]
        else:
            store, windows = None, [(0, self.n)]
        c = 0
        for W0, W1 in windows:
            if store is not None:                             # (pre-activations in the gather buffer R)
                self._fill(W0, W1, store, buf)
            while c < len(chunks) and chunks[c][0] < W1:
                i0, i1 = chunks[c]
                c += 1
                R = self._rows(i0, i1, buf, store, W0)
                if v is not None:
                    uc = v @ R
                    if shift is not None:
                        uc = uc - shift[i0:i1]
                    if u is not None:
                        u[i0:i1] = uc
                else:
                    uc = r[i0:i1]
                if g is not None:
                    g += R @ uc
        return u, g

    def matvec(self, v):
        """A_S v (n)."""
        return self._sweep(v=v, want_g=False)[0]

    def rmatvec(self, r):
        """A_Sᵀ r (|S|)."""
        return self._sweep(r=r, want_u=False)[1]

    def apply(self, v, shift=None):
        """(u, g) with u = A_S v - shift (n) and g = A_Sᵀ u (|S|), in one sweep over the rows."""
        return self._sweep(v=v, shift=shift)
