"""Exact recovery of planted sparse two-layer ReLU networks by iterative hard thresholding
(Fridovich-Keil & Pilanci 2025; definitions in ``docs/definitions/iht.md``).

Modules: ``problems`` (planted networks, generator sets, Gaussian sensing task), ``operator`` (the matrix-free
gated sensing operator, numpy and torch), ``topk`` (hard threshold with a fixed tie-break, streaming top-t),
``solvers`` (IHT, NIHT, the authors' AIHT), ``scp`` (sequential-convex generator updates), ``memory`` (ledger
and traced peaks), ``patterns`` (activation-pattern enumeration, RSC/RSS measurement), ``imp`` (the iterative
magnitude pruning baseline, torch).
"""
