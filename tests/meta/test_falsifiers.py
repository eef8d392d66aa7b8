"""Every registered check can fail: each rule is run on its declared falsifiers.

* a ``paper`` claim or ``finding`` declares at least one falsifier its rule must call ``refuted`` and one
  noise-only case it must not call ``supported``;
* a ``validation`` check declares at least one broken-engine case its rule must call ``refuted``.

A rule that cannot return ``refuted`` fails here, in the default ``pytest`` run.
"""
from __future__ import annotations

import pytest

from theory import registry
from theory.ledger import uses_module

CLAIMS = registry.claims()


def _ids(cs):
    return [pytest.param(c, id=c.id) for c in cs]


@pytest.mark.parametrize("claim", _ids(CLAIMS))
def test_declares_kind_and_setting(claim):
    assert claim.kind in registry.KINDS, f"{claim.id}: kind must be one of {registry.KINDS}, got {claim.kind!r}"
    if claim.kind == "paper":
        assert claim.setting is not None, f"{claim.id}: a paper claim declares the paper's setting and its scope"


@pytest.mark.parametrize("claim", _ids(CLAIMS))
def test_declares_falsifiers(claim):
    expects = [f.expect for f in claim.falsifiers]
    assert "refuted" in expects, f"{claim.id}: declares no falsifier on which its rule must return 'refuted'"
    if claim.kind in ("paper", "finding"):
        assert "not_supported" in expects, (f"{claim.id}: a {claim.kind} declares a noise-only case on which "
                                            f"its rule must not return 'supported'")


def falsifier_failures(claim) -> list[str]:
    """Every falsifier on which the claim's rule decides the wrong way (empty: the rule can fail as declared)."""
    out = []
    for f in claim.falsifiers:
        metrics, pred = f.resolve()
        v = claim.judge(metrics, pred)
        if f.expect == "refuted" and v.verdict != "refuted":
            out.append(f"{claim.id} falsifier {f.name!r}: rule says {v.verdict} ({v.reason})")
        if f.expect == "not_supported" and v.verdict == "supported":
            out.append(f"{claim.id} noise-only case {f.name!r}: rule says supported ({v.reason})")
    return out


@pytest.mark.parametrize("claim", _ids(CLAIMS))
def test_rule_decides_falsifiers(claim):
    assert claim.falsifiers, f"{claim.id}: no falsifiers"
    failures = falsifier_failures(claim)
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("claim", _ids(CLAIMS))
def test_rule_uses_decision_library(claim):
    assert uses_module(claim.rule, "theory.decide"), (
        f"{claim.id}: its rule must decide through theory.decide (interval decisions, rates, paired "
        f"comparisons, proportions, Holm, exact checks)")


def test_a_rule_that_always_supports_is_caught():
    """The meta-test itself can fail: the same check flags a claim whose rule always says supported."""
    from dataclasses import replace

    withf = [c for c in CLAIMS if any(f.expect == "refuted" for f in c.falsifiers)]
    assert withf, "no claim declares falsifiers yet"
    assert falsifier_failures(withf[0]) == []
    broken = replace(withf[0], rule=lambda m, p, d: registry.Verdict("supported", "always"))
    assert falsifier_failures(broken), "an always-supported rule passed its falsifiers"
