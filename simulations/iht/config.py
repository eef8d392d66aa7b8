"""Code-faithful run configurations of the authors' experiments (voilalab/MLP-IHT at 2783c93, its ``runner.py``
flags and README) and a validator that rejects the README's Fig 1 command as written: the command passes no
``--output_dim`` and the runner's default is 10, so as written Fig 1 would be a vector-output run (finding F7)."""
from __future__ import annotations

import shlex

#: defaults of the authors' ``runner.py`` argument parser for the flags the planted task reads [code]
RUNNER_DEFAULTS = {"method": "aiht", "output_dim": 10, "input_dim": 100, "nmeasurements": 50_000,
                   "num_epochs": 15, "batch_size": 0, "num_layers": 1, "prune_iters": 0.1}

GRID = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000]

#: the suite's Fig 1 (scalar-output, one hidden layer, AIHT) in the runner's flag names, output dimension explicit
FIG1 = {"task": "mlp_planted", "method": "aiht", "mlist": GRID, "slist": GRID, "seedlist": [0, 1, 2],
        "num_epochs": 15, "batch_size": 0, "num_layers": 1, "nmeasurements": 50_000, "input_dim": 100,
        "output_dim": 1}
#: the Gaussian sanity task: the runner asserts ``method == 'aiht'`` (the README calls it an IMP sanity check, F8)
GAUSSIAN_TASK = {"task": "gaussian_sparse", "method": "aiht", "R": 3}

#: the README's first Fig 1 command, verbatim (it ends with a stray double quote)
README_FIG1 = ('python runner.py --task mlp_planted --method aiht --mlist 1 2 5 10 20 50 100 200 500 1000 '
               '--slist 1 2 5 10 20 50 100 200 500 1000 --seedlist 0 1 2  --num_epochs 15 --save_results"')


def _value(vals: list):
    if not vals:
        return True                                  # a store_true flag such as --save_results
    nums = []
    for v in vals:
        try:
            nums.append(int(v))
        except ValueError:
            try:
                nums.append(float(v))
            except ValueError:
                nums.append(v)
    return nums[0] if len(nums) == 1 else nums


def parse(command: str) -> dict:
    """The runner's configuration for a README command line: its flags over the parser defaults.  An unbalanced
    quote (the README's stray ``"``) is dropped, as a shell user would have to."""
    try:
        toks = shlex.split(command)
    except ValueError:
        toks = shlex.split(command.replace('"', ""))
    if len(toks) < 2 or toks[1] != "runner.py":
        raise ValueError(f"not a runner.py command: {command!r}")
    cfg = dict(RUNNER_DEFAULTS)
    key, vals = None, []
    for tok in toks[2:] + ["--"]:
        if tok.startswith("--"):
            if key is not None:
                cfg[key] = _value(vals)
            key, vals = (tok[2:] or None), []
        else:
            vals.append(tok)
    for k in ("mlist", "slist", "seedlist"):
        if k in cfg and not isinstance(cfg[k], list):
            cfg[k] = [cfg[k]]
    return cfg


def validate_fig1(cfg: dict) -> dict:
    """Raise ValueError unless the configuration is the scalar-output Fig 1 run."""
    if int(cfg.get("output_dim", RUNNER_DEFAULTS["output_dim"])) != 1:
        raise ValueError(f"Fig 1 is a scalar-output experiment: output_dim must be 1, got {cfg.get('output_dim')} "
                         "(finding F7: the README command omits --output_dim and the runner's default is 10)")
    return cfg


def validate_gaussian(cfg: dict) -> dict:
    if cfg.get("method") != "aiht":
        raise ValueError(f"the gaussian_sparse task runs only with method 'aiht', got {cfg.get('method')!r} "
                         "(finding F8: the README calls it an IMP sanity check)")
    return cfg
