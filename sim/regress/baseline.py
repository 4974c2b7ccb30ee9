"""Baseline files: the KPIs of every replication of a study, fit for committing.

One JSON file per scenario file (``DIR/<file stem>.json``), indented, keys sorted, one line per
KPI, so that the diff of a pull request shows which KPIs moved::

    {
      "format": "sim-regress-baseline",
      "format_version": 1,
      "overrides": {"scenario.horizon_days": 90},
      "policies": {
        "baseline": {
          "fingerprint": "9f2c...",
          "kpis": {
            "profit": {"mean": 81234.5, "values": [80012.25, 82456.75, ...]},
            ...
          },
          "scenario_hash": "a1b2c3d4e5f6a7b8"
        }
      },
      "reps": 6, "scenario": "taobao_apparel", "seed": 1,
      "source": "scenarios/taobao_apparel.toml", "tool_version": "0.1.0", ...
    }

Values are written with Python's shortest round-trip ``repr``, so reading a file gives back the
very floats that were recorded. The fingerprint is a SHA-256 over the KPI values of every
replication in a fixed order; reading a file recomputes it, so an edited or damaged file is an
error, not a silently wrong baseline.
"""

from __future__ import annotations

import hashlib
import json
import math
import platform
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..files import write_text
from ..scenario import Problem, ScenarioError

FORMAT = "sim-regress-baseline"
FORMAT_VERSION = 1


class BaselineError(ScenarioError):
    """A baseline that is missing, unreadable or damaged (one problem a line, exit status 2)."""


def fingerprint(kpis: dict[str, list[float]]) -> str:
    """SHA-256 of the exact KPI values of every replication (KPIs sorted by name)."""
    text = json.dumps({k: [float(v) for v in kpis[k]] for k in sorted(kpis)},
                      sort_keys=True, allow_nan=True)
    return hashlib.sha256(text.encode()).hexdigest()


@dataclass
class PolicyRecord:
    """The outputs of one scenario x policy: KPI values per replication (replication order)."""

    kpis: dict[str, list[float]]
    scenario_hash: str
    fingerprint: str = ""

    def __post_init__(self) -> None:
        if not self.fingerprint:
            self.fingerprint = fingerprint(self.kpis)


@dataclass
class Baseline:
    """The recorded study of one scenario file: its settings and each policy's outputs."""

    scenario: str
    source: str
    seed: int
    reps: int
    policies: dict[str, PolicyRecord]
    overrides: dict[str, Any] = field(default_factory=dict)
    tool_version: str = ""
    environment: dict[str, str] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)  # run time per policy (not stored)

    @property
    def policy_names(self) -> list[str]:
        return list(self.policies)

    def to_dict(self) -> dict[str, Any]:
        return {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "scenario": self.scenario,
            "source": self.source,
            "seed": self.seed,
            "reps": self.reps,
            "overrides": self.overrides,
            "tool_version": self.tool_version,
            "environment": self.environment,
            "policy_order": self.policy_names,
            "policies": {
                name: {
                    "scenario_hash": rec.scenario_hash,
                    "fingerprint": rec.fingerprint,
                    "kpis": {k: {"mean": _rounded_mean(v), "values": [float(x) for x in v]}
                             for k, v in rec.kpis.items()},
                }
                for name, rec in self.policies.items()
            },
        }


def environment() -> dict[str, str]:
    """Versions that can change the exact floats (kept to explain an exact-tier failure)."""
    import numpy

    return {"python": platform.python_version(), "numpy": numpy.__version__}


def _rounded_mean(values: list[float]) -> float:
    """The mean to 7 significant digits: for people reading the diff, not for the checks."""
    if not values:
        return float("nan")
    mean = math.fsum(values) / len(values)
    return float(f"{mean:.7g}") + 0.0


def baseline_path(directory: str | Path, scenario_file: str | Path) -> Path:
    """Where the baseline of ``scenario_file`` lives: ``DIR/<file stem>.json``."""
    return Path(directory) / f"{Path(scenario_file).stem}.json"


# ------------------------------------------------------------------------------------------------
# Writing
# ------------------------------------------------------------------------------------------------
def dumps(baseline: Baseline) -> str:
    """The file text: indented JSON, keys sorted, each KPI (mean and values) on one line."""
    return _dump(baseline.to_dict(), 0) + "\n"


def _dump(obj: Any, level: int) -> str:
    if isinstance(obj, dict) and obj and not _flat(obj):
        pad, inner = "  " * level, "  " * (level + 1)
        items = [f"{inner}{json.dumps(k, ensure_ascii=False)}: {_dump(obj[k], level + 1)}"
                 for k in sorted(obj)]
        return "{\n" + ",\n".join(items) + "\n" + pad + "}"
    return json.dumps(obj, sort_keys=True, ensure_ascii=False, allow_nan=True, default=str)


def _flat(obj: dict[str, Any]) -> bool:
    """A dict of scalars and lists of scalars: written on one line (a KPI, the overrides)."""
    def scalar(x: Any) -> bool:
        return x is None or isinstance(x, str | int | float | bool)

    return all(scalar(v) or (isinstance(v, list) and all(scalar(x) for x in v))
               for v in obj.values()) and len(obj) <= 4


def write_baseline(baseline: Baseline, path: str | Path) -> Path:
    """Write atomically (:func:`sim.files.write_text`: a temporary file, then a rename)."""
    return write_text(path, dumps(baseline))


# ------------------------------------------------------------------------------------------------
# Reading
# ------------------------------------------------------------------------------------------------
def read_baseline(path: str | Path) -> Baseline:
    """Read and verify a baseline file; :class:`BaselineError` names every problem found."""
    source = str(path)
    p = Path(path)
    if not p.is_file():
        raise BaselineError([Problem("", f"no baseline file '{source}'",
                                     "record one with: sim regress record FILE --baseline "
                                     f"{p.parent}")], source)
    try:
        raw = json.loads(p.read_text(encoding="utf-8"))
    except UnicodeDecodeError:
        raise BaselineError([Problem("", "not a UTF-8 text file", _RERECORD)], source) from None
    except json.JSONDecodeError as err:
        raise BaselineError([Problem("", f"not valid JSON (line {err.lineno}, column "
                                         f"{err.colno}: {err.msg})", _RERECORD)],
                            source) from None
    return baseline_from_dict(raw, source)


_RERECORD = ("restore it from version control, or record it again: sim regress record FILE "
             "--update --baseline DIR")


def baseline_from_dict(raw: Any, source: str = "<dict>") -> Baseline:
    """Validate parsed JSON into a :class:`Baseline`; every problem is reported at once."""
    problems: list[Problem] = []

    def bad(path: str, message: str, fix: str = _RERECORD) -> None:
        problems.append(Problem(path, message, fix))

    if not isinstance(raw, dict):
        raise BaselineError([Problem("", "not a baseline (the top level is not an object)",
                                     _RERECORD)], source)
    if raw.get("format") != FORMAT:
        raise BaselineError([Problem("format", f"not a sim regress baseline (format is "
                                               f"{raw.get('format')!r}, expected '{FORMAT}')",
                                     _RERECORD)], source)
    version = raw.get("format_version")
    if version != FORMAT_VERSION:
        raise BaselineError([Problem("format_version", f"unsupported version {version!r} "
                                                       f"(this sim reads {FORMAT_VERSION})",
                                     "re-record it with this version: sim regress bless")],
                            source)
    for key, kind, word in (("scenario", str, "text"), ("source", str, "text"),
                            ("seed", int, "whole number"), ("reps", int, "whole number"),
                            ("overrides", dict, "object"), ("policies", dict, "object")):
        value = raw.get(key)
        if value is None:
            bad(key, "required key is missing")
        elif not isinstance(value, kind) or isinstance(value, bool):
            bad(key, f"{value!r} is not a {word}")
    if problems:
        raise BaselineError(problems, source)
    if raw["seed"] < 0:
        bad("seed", f"{raw['seed']} is negative")
    reps = raw["reps"]
    if reps < 2:
        bad("reps", f"{reps} replications: the statistical tier needs at least 2")
    if not raw["policies"]:
        bad("policies", "no policies recorded")
    policies: dict[str, PolicyRecord] = {}
    order = raw.get("policy_order") or list(raw["policies"])
    if not isinstance(order, list) or sorted(map(str, order)) != sorted(raw["policies"]):
        bad("policy_order", "does not list the recorded policies")
        order = list(raw["policies"])
    for name in order:
        rec = raw["policies"][name]
        where = f"policies.{name}"
        if not isinstance(rec, dict):
            bad(where, "is not an object")
            continue
        kpis_raw = rec.get("kpis")
        if not isinstance(kpis_raw, dict) or not kpis_raw:
            bad(f"{where}.kpis", "missing or empty")
            continue
        kpis: dict[str, list[float]] = {}
        for kpi, entry in kpis_raw.items():
            values = entry.get("values") if isinstance(entry, dict) else None
            if not isinstance(values, list) or not all(
                    isinstance(v, int | float) and not isinstance(v, bool) for v in values):
                bad(f"{where}.kpis.{kpi}.values", "missing or not a list of numbers")
                continue
            if len(values) != reps:
                bad(f"{where}.kpis.{kpi}.values", f"{len(values)} values for {reps} replications")
                continue
            kpis[kpi] = [float(v) for v in values]
        stored = rec.get("fingerprint")
        scenario_hash = rec.get("scenario_hash")
        if not isinstance(stored, str) or not stored:
            bad(f"{where}.fingerprint", "missing")
        if not isinstance(scenario_hash, str) or not scenario_hash:
            bad(f"{where}.scenario_hash", "missing")
        if len(kpis) != len(kpis_raw) or not isinstance(stored, str):
            continue
        if fingerprint(kpis) != stored:
            bad(f"{where}.fingerprint", "does not match the recorded values (the file was "
                                        "edited by hand or damaged)")
            continue
        policies[str(name)] = PolicyRecord(kpis, str(scenario_hash), stored)
    if problems:
        raise BaselineError(problems, source)
    env = raw.get("environment")
    return Baseline(
        scenario=raw["scenario"], source=raw["source"], seed=raw["seed"], reps=reps,
        policies=policies, overrides=raw["overrides"],
        tool_version=str(raw.get("tool_version", "")),
        environment={str(k): str(v) for k, v in env.items()} if isinstance(env, dict) else {},
    )
