"""The harness: experiments bound to claim ids, sweeps with a resumable cache, runner, report and CLI.

Public surface used by experiment modules::

    from simulations.harness import experiment, Context, Evidence, plots
"""
from simulations.harness.evidence import Evidence
from simulations.harness.experiments import experiment, get_experiment
from simulations.harness.context import Context
from simulations.harness import plots

__all__ = ["Evidence", "experiment", "get_experiment", "Context", "plots"]
