"""Pre-registration ledger: a fingerprint of each claim's decision constants and rule source, locked in a
committed file, so that no rule or constant changes after a run without a recorded revision.

``python -m theory.ledger check``   lists claims whose fingerprint or revision count differs from the lock
``python -m theory.ledger update [PREFIX ...]``  rewrites the lock (only the claims whose id starts with one
                                    of the prefixes, when given); it refuses (exit 1, nothing written) while any
                                    of those claims' fingerprint changed without a new ``Revision``

The fingerprint is the SHA-256 of (a) the decision constants as canonical JSON and (b) the source text of the
rule, of every function it closes over, and of every helper it calls that lives in the rule's own module, in
``theory.claims`` or in a ``theory.*_rules`` module (the shared decision library ``theory.decide`` and the
statistics helpers are tested on their own and are not part of any one claim's fingerprint).  Source text is
compared with trailing whitespace stripped, so the fingerprint is the same on every Python version.
"""
from __future__ import annotations

import hashlib
import inspect
import json
import sys
import textwrap
import types
from pathlib import Path

LOCK = Path(__file__).with_name("ledger.lock.json")


def _owned(mod: str | None, home: str) -> bool:
    if not mod:
        return False
    return mod == home or mod.startswith("theory.claims") or (mod.startswith("theory.") and mod.endswith("_rules"))


def _code_names(code: types.CodeType) -> set[str]:
    names = set(code.co_names)
    for c in code.co_consts:
        if isinstance(c, types.CodeType):
            names |= _code_names(c)
    return names


def _canon(v) -> str:
    if isinstance(v, (types.FunctionType, types.BuiltinFunctionType)):
        return f"<function {getattr(v, '__module__', '?')}.{getattr(v, '__qualname__', '?')}>"
    try:
        return json.dumps(v, sort_keys=True, default=repr)
    except (TypeError, ValueError):
        return repr(v)


def _source(fn) -> str:
    try:
        src = inspect.getsource(fn)
    except (OSError, TypeError):
        return f"<no source: {fn.__code__.co_code.hex()}>"
    return "\n".join(line.rstrip() for line in textwrap.dedent(src).splitlines())


def rule_sources(rule, home: str | None = None) -> list[str]:
    """Source texts that define ``rule``'s behaviour (see the module docstring), in a stable order."""
    home = home or getattr(rule, "__module__", "")
    out: list[str] = []
    seen: set[int] = set()

    def visit(fn) -> None:
        fn = inspect.unwrap(fn) if callable(fn) else fn
        if id(fn) in seen:
            return
        seen.add(id(fn))
        if isinstance(fn, types.FunctionType):
            out.append(f"# {fn.__module__}:{fn.__qualname__}\n{_source(fn)}")
            for cell in fn.__closure__ or ():
                try:
                    v = cell.cell_contents
                except ValueError:
                    continue
                if isinstance(v, types.FunctionType):
                    visit(v)
                else:
                    out.append(f"# closure value\n{_canon(v)}")
            g = fn.__globals__
            for name in sorted(_code_names(fn.__code__)):
                obj = g.get(name)
                if isinstance(obj, types.FunctionType) and _owned(obj.__module__, home):
                    visit(obj)
        else:
            out.append(f"# callable\n{_canon(fn)}")

    visit(rule)
    return out


def uses_module(rule, module: str) -> bool:
    """Whether the rule (or a helper it calls, as collected for the fingerprint) refers to ``module`` or to a
    function defined in it."""
    home = getattr(rule, "__module__", "")
    seen: set[int] = set()

    def visit(fn) -> bool:
        if id(fn) in seen or not isinstance(fn, types.FunctionType):
            return False
        seen.add(id(fn))
        g = fn.__globals__
        for name in _code_names(fn.__code__):
            obj = g.get(name)
            if isinstance(obj, types.ModuleType) and obj.__name__ == module:
                return True
            if isinstance(obj, types.FunctionType):
                if obj.__module__ == module:
                    return True
                if _owned(obj.__module__, home) and visit(obj):
                    return True
        for cell in fn.__closure__ or ():
            try:
                v = cell.cell_contents
            except ValueError:
                continue
            if isinstance(v, types.FunctionType) and visit(v):
                return True
        return False

    return visit(inspect.unwrap(rule))


def fingerprint(claim) -> str:
    """SHA-256 (first 16 hex digits) of the claim's decision constants and rule sources."""
    payload = json.dumps({"decision": json.loads(json.dumps(dict(claim.decision), sort_keys=True, default=repr)),
                          "rule": rule_sources(claim.rule)}, sort_keys=True)
    return hashlib.sha256(payload.encode()).hexdigest()[:16]


def load_lock(path: Path = LOCK) -> dict:
    if not path.exists():
        return {}
    data = json.loads(path.read_text(encoding="utf-8"))
    if not isinstance(data, dict) or not isinstance(data.get("claims"), dict):
        raise ValueError(f"{path}: not a ledger lock file (needs a 'claims' object)")
    return data["claims"]


def current() -> dict:
    from theory import registry

    return {c.id: {"fingerprint": fingerprint(c), "revisions": len(c.revisions)} for c in registry.claims()}


def problems(lock: dict | None = None, now: dict | None = None) -> list[str]:
    """Every way the registry differs from the lock, one line each (empty when in step)."""
    lock = load_lock() if lock is None else lock
    now = current() if now is None else now
    out = []
    for cid, cur in sorted(now.items()):
        old = lock.get(cid)
        if old is None:
            out.append(f"{cid}: not in the ledger (new claim): run `python -m theory.ledger update`")
            continue
        changed = cur["fingerprint"] != old["fingerprint"]
        if changed and cur["revisions"] <= old["revisions"]:
            out.append(f"{cid}: rule or decision constants changed (fingerprint {old['fingerprint']} -> "
                       f"{cur['fingerprint']}) without a new Revision in its declaration (date, change, why, "
                       f"verdict before and after on the same evidence)")
        elif changed or cur["revisions"] != old["revisions"]:
            out.append(f"{cid}: revision recorded but the lock is stale: run `python -m theory.ledger update`")
    for cid in sorted(set(lock) - set(now)):
        out.append(f"{cid}: in the ledger but no longer declared: run `python -m theory.ledger update`")
    return out


def unrevised_changes(lock: dict, now: dict) -> list[str]:
    return [cid for cid, cur in now.items() if cid in lock and cur["fingerprint"] != lock[cid]["fingerprint"]
            and cur["revisions"] <= lock[cid]["revisions"]]


def update(path: Path = LOCK, prefixes: tuple[str, ...] = ()) -> list[str]:
    """Rewrite the lock from the registry (only claims whose id starts with one of ``prefixes`` when given);
    returns the refused claim ids (and writes nothing) when any such fingerprint changed without a new
    revision."""
    lock, now = load_lock(path), current()
    if prefixes:
        now = {**{k: v for k, v in lock.items() if not k.startswith(prefixes) and k in now},
               **{k: v for k, v in now.items() if k.startswith(prefixes) or k not in lock}}
    bad = unrevised_changes(lock, now)
    if bad:
        return bad
    text = json.dumps({"about": "fingerprints of every claim's decision constants and rule (theory/ledger.py); "
                                "update with `python -m theory.ledger update`",
                       "claims": now}, indent=1, sort_keys=True) + "\n"
    tmp = path.with_suffix(".tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(path)
    return []


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if not argv or argv[0] not in ("check", "update") or (argv[0] == "check" and len(argv) > 1):
        print("usage: python -m theory.ledger check | update [PREFIX ...]", file=sys.stderr)
        return 2
    if argv == ["check"]:
        pr = problems()
        print("\n".join(pr) if pr else "ledger in step with the registry")
        return 1 if pr else 0
    bad = update(prefixes=tuple(argv[1:]))
    if bad:
        print("refused: fingerprint changed without a recorded revision: " + ", ".join(bad), file=sys.stderr)
        return 1
    print(f"ledger written: {LOCK}")
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
