"""What a search aims at: objectives (KPIs to raise or lower) and constraints on KPIs.

Objectives are KPI names (``sim kpis``); each KPI knows whether higher is better, and a KPI
with no better direction (a count such as ``repairs``) cannot be an objective. A constraint is
``KPI>=VALUE`` (or ``<=``, ``>``, ``<``); one that no policy can meet, because the KPI cannot
take such a value (a rating above 5 stars, a share above 100%), is refused before anything runs.
"""

from __future__ import annotations

import difflib
import math
import operator
import re
from collections.abc import Callable
from dataclasses import dataclass

from ...model.kpis import KPI_NAMES, KPIS
from ...scenario import Problem, ScenarioError

_HIGHER = {k.name: k.higher_is_better for k in KPIS}
_UNIT = {k.name: k.unit for k in KPIS}
#: The values a KPI of this unit can take (other units are unbounded).
UNIT_RANGES: dict[str, tuple[float, float]] = {
    "stars": (1.0, 5.0), "share": (0.0, 1.0),
    **{unit: (0.0, math.inf) for unit in (
        "orders", "cases", "requests", "reviews", "attempts", "buyers", "messages", "repairs",
        "days", "hours", "points", "orders/buyer")},
}
_OPS: dict[str, Callable[[float, float], bool]] = {
    ">=": operator.ge, "<=": operator.le, ">": operator.gt, "<": operator.lt}
_CONSTRAINT = re.compile(r"^\s*([A-Za-z_][A-Za-z0-9_]*)\s*(>=|<=|>|<)\s*(\S+)\s*$")


@dataclass(frozen=True)
class Objective:
    """A KPI to raise (``higher``) or to lower."""

    kpi: str
    higher: bool

    @property
    def direction(self) -> str:
        """Optuna's word for it: ``maximize`` or ``minimize``."""
        return "maximize" if self.higher else "minimize"

    def better(self, a: float, b: float) -> bool:
        """Whether ``a`` is strictly better than ``b``."""
        return a > b if self.higher else a < b


@dataclass(frozen=True)
class Constraint:
    """``kpi op bound``: a level a recommended policy must reach."""

    kpi: str
    op: str
    bound: float

    @property
    def text(self) -> str:
        return f"{self.kpi}{self.op}{self.bound:g}"

    def met(self, value: float) -> bool:
        return bool(math.isfinite(value) and _OPS[self.op](value, self.bound))

    def shortfall(self, value: float) -> float:
        """How far ``value`` is from meeting the constraint (0 when it does)."""
        if self.met(value):
            return 0.0
        return abs(value - self.bound) if math.isfinite(value) else math.inf


def _kpi_problem(flag: str, name: str, what: str) -> Problem:
    near = difflib.get_close_matches(name, KPI_NAMES, n=1)
    fix = f"did you mean {near[0]}? (every KPI: sim kpis)" if near else "see: sim kpis"
    return Problem(flag, f"unknown {what} '{name}'", fix)


def make_objectives(names: list[str]) -> list[Objective]:
    """Objectives from KPI names; every problem at once (:class:`ScenarioError`)."""
    problems, out = [], []
    if not names:
        problems.append(Problem("--objectives", "no objective",
                                "give KPIs, e.g. --objectives profit,rating_mean"))
    for name in names:
        if name not in KPI_NAMES:
            problems.append(_kpi_problem("--objectives", name, "objective"))
        elif _HIGHER.get(name) is None:
            problems.append(Problem("--objectives", f"'{name}' has no better direction "
                                    "(neither higher nor lower is better)",
                                    "choose a KPI that is better higher or lower (sim kpis)"))
        elif any(o.kpi == name for o in out):
            problems.append(Problem("--objectives", f"'{name}' is given twice",
                                    "name each objective once"))
        else:
            out.append(Objective(name, bool(_HIGHER[name])))
    if problems:
        raise ScenarioError(problems)
    return out


def make_constraints(texts: list[str]) -> list[Constraint]:
    """Constraints from ``KPI>=VALUE`` texts; every problem at once (:class:`ScenarioError`)."""
    problems, out = [], []
    for text in texts:
        flag = f"--constraint {text.strip()}"
        match = _CONSTRAINT.match(text)
        bound = _float(match.group(3)) if match else None
        if match is None or bound is None:
            problems.append(Problem(flag, "is not KPI>=VALUE",
                                    "write e.g. 'rating_mean>=4.7' (or <=, >, <)"))
            continue
        kpi, op = match.group(1), match.group(2)
        if kpi not in KPI_NAMES:
            problems.append(_kpi_problem(flag, kpi, "KPI"))
            continue
        constraint = Constraint(kpi, op, bound)
        impossible = _impossible(constraint)
        if impossible:
            problems.append(Problem(flag, impossible, "ask for a level the KPI can reach"))
            continue
        out.append(constraint)
    if problems:
        raise ScenarioError(problems)
    return out


def _float(text: str) -> float | None:
    try:
        value = float(text.rstrip("%")) / (100.0 if text.endswith("%") else 1.0)
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def _impossible(c: Constraint) -> str | None:
    """Why no candidate can meet ``c`` (outside the values the KPI can take), or ``None``."""
    unit = _UNIT.get(c.kpi, "")
    low, high = UNIT_RANGES.get(unit, (-math.inf, math.inf))
    reach = {">=": c.bound <= high, ">": c.bound < high,
             "<=": c.bound >= low, "<": c.bound > low}[c.op]
    if reach:
        return None
    edge = f"at most {high:g}" if c.op in (">=", ">") else f"at least {low:g}"
    return f"no candidate can meet it: {c.kpi} is {edge} ({unit})"
