"""Code-faithful run configurations of the authors' experiments (spec §5.2, F7, F8) and a validator that
rejects the README's literal Fig 1 command (its output dimension defaults to 10, a vector-output run)."""
from __future__ import annotations

import shlex

#: the authors' script default for the output dimension when the flag is absent [code]
DEFAULT_OUTPUT_DIM = 10

FIG1 = {"task": "planted", "n": 50_000, "d": 100, "output_dim": 1, "method": "iht", "steps": 15, "batch": None,
        "grid": [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000]}
GAUSSIAN_TASK = {"task": "gaussian_sparse", "method": "aiht", "R": 3}

#: README Fig 1 command as the spec describes it: no output-dimension flag
README_FIG1 = "python main.py --task planted --n 50000 --d 100 --steps 15"


def parse(command: str) -> dict:
    toks = shlex.split(command)
    cfg = {"output_dim": DEFAULT_OUTPUT_DIM}
    for a, b in zip(toks, toks[1:]):
        if a.startswith("--"):
            cfg[a[2:].replace("-", "_")] = b
    cfg["output_dim"] = int(cfg["output_dim"])
    return cfg


def validate_fig1(cfg: dict) -> dict:
    """Raise ValueError unless the configuration is the scalar-output Fig 1 run."""
    if int(cfg.get("output_dim", DEFAULT_OUTPUT_DIM)) != 1:
        raise ValueError(f"Fig 1 is a scalar-output experiment: output_dim must be 1, got {cfg.get('output_dim')} "
                         "(finding F7: the README command omits the flag and the default is 10)")
    return cfg


def validate_gaussian(cfg: dict) -> dict:
    if cfg.get("method") != "aiht":
        raise ValueError(f"the gaussian_sparse task runs only with method 'aiht', got {cfg.get('method')!r} "
                         "(finding F8: the README calls it an IMP sanity check)")
    return cfg
