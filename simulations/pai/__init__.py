"""Pruning at initialisation: models, scorers (Random, Magnitude, SNIP, GraSP, |GraSP|, SynFlow), thresholds
and masks, following the scorer conventions of ``../shared/specs/graphon_pai_and_ntk.md`` §3."""
