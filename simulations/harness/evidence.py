"""What an experiment returns: named metrics (read by the verdict rule), per-cell data, plot specs and an
optional counterexample.  Everything is plain JSON-able data, so the report can be rebuilt from storage."""
from __future__ import annotations

import json
import math
from dataclasses import dataclass, field

import numpy as np


def to_plain(obj):
    """Convert numpy / torch scalars and arrays, tuples and dataclass-like dicts to JSON-able python."""
    if isinstance(obj, dict):
        return {str(k): to_plain(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [to_plain(v) for v in obj]
    if isinstance(obj, np.ndarray):
        return to_plain(obj.tolist())
    if isinstance(obj, (np.bool_, bool)):
        return bool(obj)
    if isinstance(obj, (np.integer, int)):
        return int(obj)
    if isinstance(obj, (np.floating, float)):
        return float(obj)
    if hasattr(obj, "to_dict"):
        return to_plain(obj.to_dict())
    if hasattr(obj, "detach") and hasattr(obj, "cpu"):  # torch tensor, without importing torch
        return to_plain(obj.detach().cpu().numpy())
    if obj is None or isinstance(obj, str):
        return obj
    raise TypeError(f"evidence must be JSON-able data, got {type(obj).__name__}")


def json_safe(obj):
    """JSON text cannot hold NaN/inf portably: they are stored as the strings 'nan', 'inf', '-inf'."""
    if isinstance(obj, dict):
        return {k: json_safe(v) for k, v in obj.items()}
    if isinstance(obj, list):
        return [json_safe(v) for v in obj]
    if isinstance(obj, float) and not math.isfinite(obj):
        return "nan" if math.isnan(obj) else ("inf" if obj > 0 else "-inf")
    return obj


def dumps(obj) -> str:
    return json.dumps(json_safe(to_plain(obj)), indent=1, sort_keys=True, allow_nan=False)


@dataclass
class Evidence:
    metrics: dict
    cells: list = field(default_factory=list)
    plots: list = field(default_factory=list)
    counterexample: dict | None = None
    notes: str = ""
    #: the scope of this run's evidence when it differs from the declaration's (e.g. a full tier on real data)
    scope: str | None = None

    def __post_init__(self) -> None:
        if not isinstance(self.metrics, dict) or not self.metrics:
            raise ValueError("Evidence.metrics must be a non-empty dict of named measurements")
        if self.scope is not None and self.scope not in ("paper-setting", "scaled", "stand-in"):
            raise ValueError(f"Evidence.scope must be 'paper-setting', 'scaled' or 'stand-in', got {self.scope!r}")
        self.metrics = to_plain(self.metrics)
        self.cells = to_plain(self.cells)
        self.plots = to_plain(self.plots)
        self.counterexample = to_plain(self.counterexample)

    def to_dict(self) -> dict:
        out = {"metrics": self.metrics, "cells": self.cells, "plots": self.plots,
               "counterexample": self.counterexample, "notes": self.notes}
        if self.scope is not None:
            out["scope"] = self.scope
        return out
