"""The pre-registration ledger: no claim's rule or decision constants change without a recorded revision."""
from __future__ import annotations

from dataclasses import replace

from theory import ledger, registry


def test_ledger_in_step_with_registry():
    pr = ledger.problems()
    assert not pr, "\n".join(pr)


def test_fingerprint_follows_constants_and_rule():
    c = registry.claims()[0]
    fp = ledger.fingerprint(c)
    assert ledger.fingerprint(replace(c, decision={**c.decision, "__extra": 1})) != fp
    assert ledger.fingerprint(replace(c, rule=lambda m, p, d: None)) != fp
    assert ledger.fingerprint(replace(c, statement="another sentence")) == fp


def test_unrevised_change_is_refused_and_revised_change_accepted():
    now = ledger.current()
    cid = next(iter(now))
    lock = {k: dict(v) for k, v in now.items()}
    lock[cid]["fingerprint"] = "0" * 16
    assert ledger.unrevised_changes(lock, now) == [cid]
    assert any(cid in p and "without a new Revision" in p for p in ledger.problems(lock, now))
    lock[cid]["revisions"] = now[cid]["revisions"] - 1
    assert ledger.unrevised_changes(lock, now) == []
    assert any(cid in p and "stale" in p for p in ledger.problems(lock, now))


def test_update_refuses_without_revision(tmp_path):
    now = ledger.current()
    cid = next(iter(now))
    import json

    lock = {k: dict(v) for k, v in now.items()}
    lock[cid]["fingerprint"] = "f" * 16
    p = tmp_path / "lock.json"
    p.write_text(json.dumps({"claims": lock}))
    assert ledger.update(p) == [cid]
    assert json.loads(p.read_text())["claims"][cid]["fingerprint"] == "f" * 16   # nothing written


def test_revisions_are_well_formed():
    for c in registry.claims():
        for r in c.revisions:
            assert r.before in registry.VERDICTS + ("unknown", "error") and r.after in registry.VERDICTS, c.id
