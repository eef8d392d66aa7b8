"""Experiments of the IHT claims (Fridovich-Keil & Pilanci 2025), one module per part: recovery (Theorem 1,
sample complexity, identifiability by solving), structure (identities, operator, Assumption 2, Lemma 1,
memory), practical (the authors' algorithm, IMP, configuration)."""
