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
import json
import pkgutil
import re
from pathlib import Path
from dataclasses import dataclass, field
from typing import Any, Callable, Mapping

PROVENANCES = ("paper", "secondary", "reconstructed")
STATUSES = ("supported", "refuted", "inconclusive", "open")
VERDICTS = ("supported", "refuted", "inconclusive")
#: what a registered check is: a claim of the paper, the suite's own result about a paper, or a check that the
#: suite's engines are right.  Only ``paper`` claims make a paper's verdict tally.
KINDS = ("paper", "finding", "validation")
#: how close a run's evidence is to the paper's own setting
SCOPES = ("paper-setting", "scaled", "stand-in")
#: what a falsifier expects of its claim's rule
FALSIFIER_EXPECT = ("refuted", "not_supported")


@dataclass(frozen=True)
class Paper:
    key: str          # id prefix(es) map to it, e.g. "graphon" and "ntk" -> "pham2026"
    reference: str    # arXiv id or DOI
    title: str
    page: str = ""    # the paper's page under docs/


PAPERS_FILE = Path(__file__).with_name("papers.json")


def _read_papers(path: Path = PAPERS_FILE) -> tuple[dict[str, Paper], dict[str, str], dict[str, dict]]:
    data = json.loads(path.read_text(encoding="utf-8"))
    papers = {k: Paper(k, v["reference"], v["title"], v.get("page", "")) for k, v in data["papers"].items()}
    prefixes = {k: v["paper"] for k, v in data["prefixes"].items()}
    bad = {k: v for k, v in prefixes.items() if v not in papers}
    if bad:
        raise ValueError(f"{path}: prefixes map to unknown papers {bad}")
    return papers, prefixes, dict(data["prefixes"])


#: paper key -> Paper; claim-id prefix -> paper key; prefix -> {paper, page, description} (theory/papers.json)
PAPERS, PREFIXES, PREFIX_INFO = _read_papers()


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
class Setting:
    """The paper's setting (model, data, sizes, as far as known) and what the suite runs in its place.

    ``scope`` is the scope of the suite's evidence, one of ``SCOPES``, either one value for every tier or a
    mapping tier -> scope (``{"quick": "stand-in", "full": "scaled"}``).  An experiment may state a narrower
    scope for a particular run through ``Evidence.scope``."""

    paper: str
    suite: str
    scope: str | Mapping[str, str]

    def __post_init__(self) -> None:
        if not self.paper.strip() or not self.suite.strip():
            raise ValueError("Setting.paper and Setting.suite must describe the settings (non-empty)")
        vals = [self.scope] if isinstance(self.scope, str) else list(dict(self.scope).values())
        bad = [v for v in vals if v not in SCOPES]
        if bad or not vals:
            raise ValueError(f"Setting.scope must be one of {SCOPES} (or a tier -> scope mapping), got {self.scope!r}")

    def scope_for(self, tier: str) -> str:
        if isinstance(self.scope, str):
            return self.scope
        sc = dict(self.scope)
        return sc.get(tier, sc.get("quick", next(iter(sc.values()))))


@dataclass(frozen=True)
class Falsifier:
    """Synthetic evidence on which the claim's rule must decide a known way.

    ``expect='refuted'``: metrics (or a perturbed prediction) that contradict the claim; for a ``validation``
    check, the metrics a broken engine would give.  ``expect='not_supported'``: a noise-only case (no effect,
    or intervals too wide) on which the rule must not say ``supported``.  ``metrics`` and ``prediction`` may be
    zero-argument callables returning the dicts (built lazily, so declarations stay cheap to import)."""

    name: str
    metrics: Any
    expect: str = "refuted"
    prediction: Any = None
    note: str = ""

    def __post_init__(self) -> None:
        if self.expect not in FALSIFIER_EXPECT:
            raise ValueError(f"Falsifier.expect must be one of {FALSIFIER_EXPECT}, got {self.expect!r}")

    def resolve(self) -> tuple[dict, dict | None]:
        m = self.metrics() if callable(self.metrics) else self.metrics
        p = self.prediction() if callable(self.prediction) else self.prediction
        return dict(m), (None if p is None else dict(p))


@dataclass(frozen=True)
class Revision:
    """A recorded change of a claim's rule or decision constants after a run: when, what, why, and the verdict
    before and after on the same evidence."""

    date: str
    change: str
    why: str
    before: str
    after: str
    evidence: str = "quick tier, root seed 0"

    def __post_init__(self) -> None:
        if not re.match(r"^\d{4}-\d{2}-\d{2}$", self.date):
            raise ValueError(f"Revision.date must be YYYY-MM-DD, got {self.date!r}")
        for name in ("before", "after"):
            v = getattr(self, name)
            if v not in VERDICTS + ("unknown", "error"):
                raise ValueError(f"Revision.{name} must be one of {VERDICTS + ('unknown', 'error')}, got {v!r}")
        if not self.change.strip() or not self.why.strip():
            raise ValueError("Revision.change and Revision.why must be non-empty")


@dataclass(frozen=True)
class Reading:
    """A plausible alternative reading of a reconstructed definition (ties, normalisation, window, ...).

    The experiment sees the reading's ``name`` as ``ctx.reading`` (``None`` is the declared reading) and
    changes its definition accordingly; the full tier re-judges the claim under every reading."""

    name: str
    description: str

    def __post_init__(self) -> None:
        if not re.match(r"^[a-z0-9_]+$", self.name):
            raise ValueError(f"Reading.name must be lower-case [a-z0-9_], got {self.name!r}")


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
    source: str = ""   # where in the paper / the docs' definitions the claim comes from
    kind: str = ""     # one of KINDS
    setting: Setting | None = None
    falsifiers: tuple[Falsifier, ...] = ()
    revisions: tuple[Revision, ...] = ()
    readings: tuple[Reading, ...] = ()
    #: recorded verdict of the full tier where it differs from the quick tier's ``status`` (None: the same)
    full_status: str | None = None
    #: recorded verdict of the paper tier where it differs from the full tier's (None: the same)
    paper_status: str | None = None

    def status_for(self, tier: str) -> str:
        """The recorded verdict a run at ``tier`` is compared with: the paper tier's, else the full tier's (at the
        full and paper tiers), else the quick tier's ``status``."""
        if tier == "paper" and self.paper_status:
            return self.paper_status
        return self.full_status if (tier != "quick" and self.full_status) else self.status

    def scope_for(self, tier: str) -> str | None:
        return self.setting.scope_for(tier) if self.setting is not None else None

    @property
    def fingerprint(self) -> str:
        from theory.ledger import fingerprint

        return fingerprint(self)

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
            decision_notes: str = "", tags: tuple[str, ...] | list[str] = (), source: str = "",
            kind: str = "", setting: Setting | None = None, falsifiers=(), revisions=(), readings=(),
            full_status: str | None = None, paper_status: str | None = None) -> Claim:
    """Declare a claim once. Raises ``ValueError`` on a malformed or duplicate declaration.

    ``kind`` is one of ``KINDS``; a ``paper`` claim declares its ``setting``; every claim declares
    ``falsifiers`` (checked by ``tests/meta/test_falsifiers.py``), its ``revisions`` (checked against the
    ledger by ``tests/meta/test_ledger.py``) and, where a reconstructed definition has alternatives, its
    ``readings``."""
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
    for name, v in (("full_status", full_status), ("paper_status", paper_status)):
        if v is not None and v not in VERDICTS:
            raise ValueError(f"claim {id!r}: {name} must be one of {VERDICTS} or None, got {v!r}")
    if kind not in KINDS + ("",):   # "" only while a declaration is being converted; tests/meta rejects it
        raise ValueError(f"claim {id!r}: kind must be one of {KINDS}, got {kind!r}")
    if kind == "paper" and setting is None:
        raise ValueError(f"claim {id!r}: a paper claim must declare its setting (Setting(paper=..., suite=..., "
                         f"scope=...))")
    if setting is not None and not isinstance(setting, Setting):
        raise ValueError(f"claim {id!r}: setting must be a Setting")
    for name, items, cls in (("falsifiers", falsifiers, Falsifier), ("revisions", revisions, Revision),
                             ("readings", readings, Reading)):
        if any(not isinstance(x, cls) for x in items):
            raise ValueError(f"claim {id!r}: {name} must be a sequence of {cls.__name__}")
    claim = Claim(id=id, statement=" ".join(statement.split()), provenance=provenance, status=status, rule=rule,
                  prediction=prediction, decision=dict(decision or {}), decision_notes=decision_notes,
                  tags=tuple(tags), source=source, kind=kind, setting=setting, falsifiers=tuple(falsifiers),
                  revisions=tuple(revisions), readings=tuple(readings), full_status=full_status,
                  paper_status=paper_status)
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


def verdict_text(verdict: str, scope: str | None, setting: Setting | None = None) -> str:
    """The verdict with the scope of its evidence, as every surface shows it, e.g.
    "refuted on a stand-in (digits MLP 64-256-10; paper: ViT-Small/CIFAR-10)"."""
    if not scope or verdict not in VERDICTS:
        return verdict
    words = {"paper-setting": "in the paper's setting", "scaled": "at a scaled setting",
             "stand-in": "on a stand-in"}[scope]
    if setting is None:
        return f"{verdict} {words}"
    return f"{verdict} {words} ({setting.suite}; paper: {setting.paper})"
