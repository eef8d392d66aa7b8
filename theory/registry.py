"""The claim registry: every claim the suite checks is declared here once.

A claim is the thread through the suite.  From its id a reader reaches

* the statement, provenance and recorded status (this registry, ``theory/claims/<paper>.py``),
* the prediction (a function of ``theory``, referenced by the declaration),
* the verdict rule (a pure function of the measured metrics, the prediction and the decision constants),
* the experiment (``simulations/experiments/<paper>.py``, bound to the id by ``@experiment``),
* the test (``tests/claims/test_claims.py`` collects every registered id).

Decision constants (alpha, widths, seeds, tolerances) are part of the declaration, fixed before running.
"""
from __future__ import annotations

import importlib
import pkgutil
import re
from dataclasses import dataclass, field
from typing import Any, Callable, Mapping

PROVENANCES = ("paper", "secondary", "reconstructed")
STATUSES = ("supported", "refuted", "inconclusive", "open")
VERDICTS = ("supported", "refuted", "inconclusive")


@dataclass(frozen=True)
class Paper:
    key: str          # id prefix(es) map to it, e.g. "graphon" and "ntk" -> "pham2026"
    seed_file: str    # record in ../shared/seeds/
    reference: str    # arXiv id or DOI
    title: str
    spec: str         # reference specification in ../shared/specs/


PAPERS: dict[str, Paper] = {
    "pham2026": Paper("pham2026", "002_d74561ecd4df6e0c.txt", "arXiv:2602.06675",
                      "Pruning at Initialisation through the lens of Graphon Limit: Convergence, "
                      "Expressivity, and Generalisation (Pham, Ta, Tran-Thanh 2026)",
                      "graphon_pai_and_ntk.md"),
    "fridovichkeil2025": Paper("fridovichkeil2025", "003_99d444bae5f03853.txt", "arXiv:2509.20323",
                               "A Recovery Guarantee for Sparse Neural Networks "
                               "(Fridovich-Keil & Pilanci 2025)", "iht_recovery.md"),
    "ghosh2026": Paper("ghosh2026", "000_f96c8c899c8c54b1.txt", "doi:10.1016/j.chaos.2025.117791",
                       "Non-equilibrium spectral thermodynamics of pruning: Phase transitions in sparse "
                       "neural networks (Ghosh 2026)", "lyapunov_pruning.md"),
    "li2026": Paper("li2026", "001_4d92c0651b0923e5.txt", "arXiv:2605.09345",
                    "Selection Plateau and a Sparsity-Dependent Hierarchy of Pruning Features (Li & Li 2026)",
                    "selection_plateau.md"),
}

#: claim-id prefix -> paper key
PREFIXES: dict[str, str] = {
    "graphon": "pham2026",
    "ntk": "pham2026",
    "iht": "fridovichkeil2025",
    "lyapunov": "ghosh2026",
    "plateau": "li2026",
}

_ID_RE = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z0-9_]+)+$")


@dataclass(frozen=True)
class Verdict:
    """Outcome of a verdict rule: one of ``VERDICTS`` and a one-line human reason."""

    verdict: str
    reason: str

    def __post_init__(self) -> None:
        if self.verdict not in VERDICTS:
            raise ValueError(f"verdict must be one of {VERDICTS}, got {self.verdict!r}")


Rule = Callable[[Mapping[str, Any], Mapping[str, Any], Mapping[str, Any]], Verdict]


@dataclass(frozen=True)
class Claim:
    """One declared claim.

    ``prediction()`` returns a JSON-able dict computed from ``theory`` only.
    ``rule(metrics, prediction, decision)`` turns measured metrics into a :class:`Verdict`.
    ``decision`` holds every constant the rule uses (alpha, tolerances, intervals), with its derivation
    in ``decision_notes`` where it is not self-explanatory.
    """

    id: str
    statement: str
    provenance: str
    status: str
    rule: Rule
    prediction: Callable[[], dict] | None = None
    decision: Mapping[str, Any] = field(default_factory=dict)
    decision_notes: str = ""
    tags: tuple[str, ...] = ()
    source: str = ""   # where in the paper / spec the claim comes from

    @property
    def prefix(self) -> str:
        return self.id.split(".", 1)[0]

    @property
    def paper(self) -> Paper:
        return PAPERS[PREFIXES[self.prefix]]

    def predict(self) -> dict:
        return dict(self.prediction()) if self.prediction is not None else {}

    def judge(self, metrics: Mapping[str, Any], prediction: Mapping[str, Any] | None = None) -> Verdict:
        pred = self.predict() if prediction is None else prediction
        out = self.rule(metrics, pred, self.decision)
        if not isinstance(out, Verdict):
            raise TypeError(f"rule of claim {self.id!r} must return a Verdict, got {type(out).__name__}")
        return out


_REGISTRY: dict[str, Claim] = {}


def declare(*, id: str, statement: str, provenance: str, status: str, rule: Rule,
            prediction: Callable[[], dict] | None = None, decision: Mapping[str, Any] | None = None,
            decision_notes: str = "", tags: tuple[str, ...] | list[str] = (), source: str = "") -> Claim:
    """Declare a claim once. Raises ``ValueError`` on a malformed or duplicate declaration."""
    if not isinstance(id, str) or not _ID_RE.match(id):
        raise ValueError(f"claim id must be dotted lower-case like 'graphon.random.constant', got {id!r}")
    prefix = id.split(".", 1)[0]
    if prefix not in PREFIXES:
        raise ValueError(f"claim id {id!r}: prefix must be one of {sorted(PREFIXES)}")
    if provenance not in PROVENANCES:
        raise ValueError(f"claim {id!r}: provenance must be one of {PROVENANCES}, got {provenance!r}")
    if status not in STATUSES:
        raise ValueError(f"claim {id!r}: status must be one of {STATUSES}, got {status!r}")
    if not statement or not statement.strip():
        raise ValueError(f"claim {id!r}: statement must be a non-empty sentence")
    if not callable(rule):
        raise ValueError(f"claim {id!r}: rule must be callable (metrics, prediction, decision) -> Verdict")
    if id in _REGISTRY:
        raise ValueError(f"claim {id!r} is declared twice")
    claim = Claim(id=id, statement=" ".join(statement.split()), provenance=provenance, status=status, rule=rule,
                  prediction=prediction, decision=dict(decision or {}), decision_notes=decision_notes,
                  tags=tuple(tags), source=source)
    _REGISTRY[id] = claim
    return claim


def _load() -> None:
    import theory.claims as pkg

    for mod in pkgutil.iter_modules(pkg.__path__):
        importlib.import_module(f"theory.claims.{mod.name}")


def claims(paper: str | None = None) -> list[Claim]:
    """All declared claims sorted by id; ``paper`` filters by paper key or id prefix."""
    _load()
    out = sorted(_REGISTRY.values(), key=lambda c: c.id)
    if paper is None:
        return out
    if paper in PREFIXES:
        return [c for c in out if c.prefix == paper]
    if paper in PAPERS:
        return [c for c in out if PREFIXES[c.prefix] == paper]
    raise ValueError(f"paper must be one of {sorted(PAPERS)} or an id prefix {sorted(PREFIXES)}, got {paper!r}")


def get(claim_id: str) -> Claim:
    _load()
    try:
        return _REGISTRY[claim_id]
    except KeyError:
        raise KeyError(f"unknown claim id {claim_id!r}; `sparse-claims list` shows the registered ids") from None
