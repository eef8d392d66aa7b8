"""Claim declarations, one module per paper part (``graphon.py``, ``ntk.py``, ``iht.py``, ...).

Every module in this package is imported by :func:`theory.registry.claims`; a new module is picked up
without being listed anywhere.
"""
