"""Experiments, one module per paper part; each function is bound to a claim id with ``@experiment``.
Every module here is imported by the runner; nothing needs listing."""
