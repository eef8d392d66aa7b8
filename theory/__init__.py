"""What the papers predict: closed forms, limits, bounds, predicted rates and the claim registry.

This package imports numpy, scipy and sympy only; never ``simulations`` and never torch.
"""
