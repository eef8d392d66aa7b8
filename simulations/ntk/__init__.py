"""Empirical Graphon-NTK engines and experiment cells (docs/definitions/graphon-ntk.md#s7, #s8, checks 11-18,
20, 27, 28).

* ``models`` -- masked NTK-parameterised MLPs (masks are buffers; PaI scorers apply);
* ``empirical`` -- torch.func engines: Jacobian contraction, NTK-vector products, kept-entry kernel, loop baseline;
* ``structured`` -- structured torch engine on any device; ``contract`` -- closed-form numpy contractions;
* ``masks``, ``training`` (lazy GD, numpy and torch/cuda), ``uat``;
* experiment cells: ``cells``, ``table`` (§8.9), ``bound`` (digits / synthetic training), ``companion`` (check 28).
"""
