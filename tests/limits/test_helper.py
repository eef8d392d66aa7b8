"""The limit-property helper (simulations/harness/limits.py): envelope arithmetic, false-alarm control, shrinking
to a minimal failing configuration, pinned examples, clear errors on bad input, and the worked example of
docs/limit-properties.md (executed from the page itself)."""
from __future__ import annotations

import math
import re
from pathlib import Path

import numpy as np
import pytest
from hypothesis import strategies as st

from simulations.harness.limits import (LimitProperty, LimitViolation, Pinned, check_limit, critical_value,
                                        deviations, null_deviations, seed_of)

pytestmark = [pytest.mark.limit]

DOC = Path(__file__).resolve().parents[2] / "docs" / "limit-properties.md"


def _mean_property(shift=0.0, threshold=None):
    """Mean of n Uniform(0, 1) draws -> 1/2, scale 1/(2 sqrt n) (Hoeffding).  ``threshold``: from this n on, the
    simulation is deliberately wrong by 1 (to test shrinking)."""

    def simulate(c, seed):
        x = np.random.default_rng(seed).random(c["n"]).mean()
        return x + (1.0 if threshold is not None and c["n"] >= threshold else 0.0)

    name = "uniform mean" + ("" if threshold is None else f" (broken from n = {threshold})")
    name += f" + {shift}" if shift else ""
    return LimitProperty(name=name, configs=st.fixed_dictionaries({"n": st.integers(1, 1000)}),
                         simulate=simulate, limit=lambda c: 0.5 + shift, scale=lambda c: 0.5 / math.sqrt(c["n"]))


def test_limit_helper_correct_property_passes_and_reports_worst_deviation():
    rep = check_limit(_mean_property(), max_examples=25)
    assert rep.examples_run >= 25 and rep.worst_config is not None
    assert rep.worst_z <= rep.critical
    assert rep.per_test_level == pytest.approx(1e-4 / 25)
    assert rep.critical == pytest.approx(math.sqrt(2 * math.log(2 * 25 / 1e-4)))
    assert "worst z" in rep.summary()


def test_limit_helper_failure_shrinks_to_the_minimal_configuration():
    with pytest.raises(LimitViolation) as e:
        check_limit(_mean_property(threshold=137), max_examples=200)
    msg = str(e.value)
    assert "config: {'n': 137}" in msg             # shrunk to the smallest failing n
    assert "reproduce:" in msg and "Pinned(" in msg and "seed:" in msg


def test_limit_helper_pinned_example_runs_and_fails():
    prop = _mean_property(threshold=900)
    with pytest.raises(LimitViolation, match="'n': 950"):
        check_limit(prop, max_examples=1, examples=[Pinned({"n": 950}, why="test")])


def test_limit_helper_seed_derives_from_config_and_salt():
    a, b = {"n": 3, "p": 0.5}, {"p": 0.5, "n": 3}
    assert seed_of(a) == seed_of(b) and 0 <= seed_of(a) < 2 ** 63
    assert seed_of(a) != seed_of({"n": 4, "p": 0.5}) and seed_of(a) != seed_of(a, salt=1)
    prop = _mean_property()
    d1, d2 = deviations(prop, {"n": 10}, seed_of({"n": 10})), deviations(prop, {"n": 10}, seed_of({"n": 10}))
    assert d1 == d2


def test_limit_helper_critical_value_matches_subgaussian_tail():
    for level in (0.1, 1e-3, 1e-7):
        t = critical_value(level)
        assert 2 * math.exp(-t * t / 2) == pytest.approx(level)


def test_limit_helper_null_deviations_and_standardisation():
    z = null_deviations(_mean_property(), {"n": 400}, range(50))
    assert z.shape == (50,) and np.all(z < critical_value(1e-4))
    v = deviations(_mean_property(shift=0.1), {"n": 400}, 1)["value"]
    assert v[4] == pytest.approx((abs(v[0] - v[1]) - v[2]) / v[3])


@pytest.mark.parametrize("bad, param", [
    (dict(name=""), "name"), (dict(configs=[1, 2]), "configs"), (dict(simulate=3), "simulate"),
    (dict(delta=0.0), "delta"), (dict(delta=1.5), "delta"), (dict(scale=None), "scale"),
])
def test_limit_helper_bad_property_raises_value_error_naming_the_parameter(bad, param):
    kw = dict(name="x", configs=st.just({"n": 1}), simulate=lambda c, s: 0.0, limit=lambda c: 0.0,
              scale=lambda c: 1.0)
    kw.update(bad)
    with pytest.raises(ValueError, match=param):
        LimitProperty(**kw)


def test_limit_helper_bad_run_arguments_raise_value_error():
    prop = _mean_property()
    with pytest.raises(ValueError, match="max_examples"):
        check_limit(prop, max_examples=0)
    with pytest.raises(ValueError, match="examples"):
        check_limit(prop, max_examples=1, examples=[{"n": 3}])
    with pytest.raises(ValueError, match="prop"):
        check_limit("not a property", max_examples=1)
    with pytest.raises(ValueError, match="salt"):
        seed_of({"n": 1}, salt=-1)
    with pytest.raises(ValueError, match="config"):
        seed_of([1, 2])
    with pytest.raises(ValueError, match="level"):
        critical_value(0.0)
    zero_scale = LimitProperty(name="z", configs=st.just({"n": 1}), simulate=lambda c, s: 0.0,
                               limit=lambda c: 0.0, scale=lambda c: 0.0)
    with pytest.raises(ValueError, match="scale"):
        deviations(zero_scale, {"n": 1}, 0)
    with pytest.raises(ValueError, match="limit lacks"):
        deviations(LimitProperty(name="k", configs=st.just({}), simulate=lambda c, s: {"a": 1.0, "b": 2.0},
                                 limit=lambda c: {"a": 1.0}, scale=lambda c: 1.0), {}, 0)


def _doc_blocks() -> list[str]:
    return re.findall(r"```python\n(.*?)```", DOC.read_text(), flags=re.S)


def test_limit_properties_doc_worked_example_runs():
    """The worked example of docs/limit-properties.md runs and passes; its deliberately wrong conjecture fails
    with a shrunk configuration."""
    blocks = _doc_blocks()
    assert len(blocks) >= 2, "docs/limit-properties.md must hold the worked example and its broken variant"
    ns: dict = {}
    exec(compile(blocks[0], str(DOC), "exec"), ns)
    assert ns["report"].worst_z <= ns["report"].critical
    with pytest.raises(LimitViolation, match="config:"):
        exec(compile(blocks[1], str(DOC), "exec"), ns)
