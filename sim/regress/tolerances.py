"""Tolerances of the statistical tier: the smallest shift of each KPI that matters.

A KPI has a *margin* (minimal relevant difference) ``max(abs, rel * |baseline mean|)``: a shift
of the mean smaller than the margin passes even when it is real. Defaults depend on the KPI's
unit (money 2 % of the baseline, shares half a percentage point, ratings 0.02 stars, ...) with a
few KPIs set on their own; a side file (TOML, never the scenario file: the scenario schema rejects
unknown tables) changes them for every scenario or for one::

    alpha = 0.05                       # family-wise error rate per scenario file (Holm)

    [kpis]                             # every scenario
    profit = { rel = 0.03 }            # a field left out keeps its default
    open_orders_end = { ignore = true }

    [scenarios.taobao_apparel.kpis]    # one scenario (its file stem), on top of [kpis]
    return_rate = { abs = 0.01 }
"""

from __future__ import annotations

import difflib
import math
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from ..model.kpis import KPI_NAMES, KPIS
from ..scenario import Problem, ScenarioError
from ..scenario.tomlfile import read_toml

#: Default family-wise error rate of the statistical tier (per scenario file, Holm).
DEFAULT_ALPHA = 0.05


class ToleranceError(ScenarioError):
    """A tolerance side file that cannot be used (printed one problem a line, exit status 2)."""


@dataclass(frozen=True)
class Tolerance:
    """Minimal relevant difference of one KPI: ``max(abs, rel * |baseline mean|)``."""

    rel: float = 0.0
    abs: float = 0.0
    ignore: bool = False

    def margin(self, baseline_mean: float) -> float:
        return max(self.abs, self.rel * abs(baseline_mean))

    def describe(self) -> str:
        if self.ignore:
            return "ignored"
        parts = []
        if self.rel:
            parts.append(f"{self.rel:.3g} x |mean|")
        if self.abs or not parts:
            parts.append(f"{self.abs:.6g}")
        return "max(" + ", ".join(parts) + ")" if len(parts) > 1 else parts[0]


#: Defaults by unit (see docs/ci-howto.md for the reasoning).
UNIT_DEFAULTS: dict[str, Tolerance] = {
    "yuan": Tolerance(rel=0.02, abs=1.0),          # 2 % of the money
    "yuan/order": Tolerance(rel=0.02, abs=0.01),
    "orders": Tolerance(rel=0.02, abs=1.0),
    "share": Tolerance(rel=0.02, abs=0.005),       # half a percentage point
    "stars": Tolerance(abs=0.02),                  # ratings move in hundredths of a star
    "score": Tolerance(rel=0.02, abs=0.01),
    "orders/buyer": Tolerance(rel=0.01, abs=0.005),
    "days": Tolerance(rel=0.05, abs=0.05),
    "hours": Tolerance(rel=0.05, abs=0.05),
    "reviews": Tolerance(rel=0.05, abs=0.1),
    # small counts of rare events: Poisson noise is large, 10 % (at least one case) matters
    "repairs": Tolerance(rel=0.10, abs=1.0),
    "cases": Tolerance(rel=0.10, abs=1.0),
    "points": Tolerance(rel=0.10, abs=1.0),
    "attempts": Tolerance(rel=0.10, abs=1.0),
    "messages": Tolerance(rel=0.10, abs=1.0),
}
#: A KPI with a unit not listed above (a KPI added later): 5 % of the baseline mean.
FALLBACK = Tolerance(rel=0.05, abs=1e-9)

#: KPIs whose default differs from their unit's.
KPI_DEFAULTS: dict[str, Tolerance] = {
    "conversion_mean": Tolerance(rel=0.02, abs=0.0005),  # ~3 %: half a point would be 17 %
    "extortion_paid": Tolerance(rel=0.10, abs=10.0),     # a few payments of 100-200 yuan
    "open_orders_end": Tolerance(rel=0.10, abs=2.0),     # the cut-off tail, not an outcome
}


def default_tolerances() -> dict[str, Tolerance]:
    """The built-in tolerance of every KPI."""
    return {k.name: KPI_DEFAULTS.get(k.name, UNIT_DEFAULTS.get(k.unit, FALLBACK)) for k in KPIS}


@dataclass
class Tolerances:
    """Per-KPI tolerances, per-scenario overrides and the error rate of the test."""

    alpha: float = DEFAULT_ALPHA
    kpis: dict[str, Tolerance] = field(default_factory=default_tolerances)
    scenarios: dict[str, dict[str, Tolerance]] = field(default_factory=dict)
    source: str = "built-in defaults"

    def for_scenario(self, *names: str) -> dict[str, Tolerance]:
        """Tolerances of one scenario (looked up by file stem, then scenario name)."""
        for name in names:
            if name in self.scenarios:
                return {**self.kpis, **self.scenarios[name]}
        return dict(self.kpis)

    def get(self, kpi: str, *scenario_names: str) -> Tolerance:
        return self.for_scenario(*scenario_names).get(kpi, FALLBACK)


_FIELDS = ("rel", "abs", "ignore")


def load_tolerances(path: str | Path | None) -> Tolerances:
    """Read a side file (``None``: the built-in defaults). Every problem is reported at once."""
    if path is None:
        return Tolerances()
    raw = read_toml(path, error=ToleranceError, missing_fix="check the path, or leave out "
                    "--tolerances for the built-in defaults")
    return tolerances_from_dict(raw, str(path))


def tolerances_from_dict(raw: dict[str, Any], source: str = "<dict>") -> Tolerances:
    """Build :class:`Tolerances` from parsed tables (see the module docstring for the layout)."""
    problems: list[Problem] = []
    out = Tolerances(source=source)
    for key in raw:
        if key not in ("alpha", "kpis", "scenarios"):
            problems.append(_unknown(key, key, ("alpha", "kpis", "scenarios")))
    alpha = raw.get("alpha", DEFAULT_ALPHA)
    if isinstance(alpha, bool) or not isinstance(alpha, int | float) or not 0 < alpha < 1:
        problems.append(Problem("alpha", f"{alpha!r} is not a probability",
                                "use a number between 0 and 1, e.g. 0.05"))
    else:
        out.alpha = float(alpha)
    out.kpis = _kpi_table(raw.get("kpis", {}), "kpis", out.kpis, problems)
    scenarios = raw.get("scenarios", {})
    if not isinstance(scenarios, dict):
        problems.append(Problem("scenarios", "must be a table",
                                "write [scenarios.NAME.kpis] tables"))
        scenarios = {}
    for name, table in scenarios.items():
        where = f"scenarios.{name}"
        if not isinstance(table, dict):
            problems.append(Problem(where, "must be a table", f"write [{where}.kpis]"))
            continue
        for key in table:
            if key != "kpis":
                problems.append(_unknown(f"{where}.{key}", key, ("kpis",)))
        out.scenarios[name] = _kpi_table(table.get("kpis", {}), f"{where}.kpis", out.kpis,
                                         problems, only_named=True)
    if problems:
        raise ToleranceError(problems, source)
    return out


def _kpi_table(raw: Any, where: str, base: dict[str, Tolerance], problems: list[Problem],
               only_named: bool = False) -> dict[str, Tolerance]:
    out = {} if only_named else dict(base)
    if not isinstance(raw, dict):
        problems.append(Problem(where, "must be a table", "write KPI = { rel = ..., abs = ... }"))
        return out
    for kpi, spec in raw.items():
        path = f"{where}.{kpi}"
        if kpi not in KPI_NAMES:
            problems.append(_unknown(path, kpi, KPI_NAMES, what="KPI", see="see `sim kpis`"))
            continue
        if not isinstance(spec, dict):
            problems.append(Problem(path, "must be a table",
                                    f"write {kpi} = {{ rel = 0.02, abs = 1.0 }}"))
            continue
        tol = base.get(kpi, FALLBACK)
        for key, value in spec.items():
            if key not in _FIELDS:
                problems.append(_unknown(f"{path}.{key}", key, _FIELDS))
            elif key == "ignore":
                if not isinstance(value, bool):
                    problems.append(Problem(f"{path}.ignore", f"{value!r} is not true or false",
                                            "write true or false"))
                else:
                    tol = replace(tol, ignore=value)
            elif (isinstance(value, bool) or not isinstance(value, int | float)
                  or not math.isfinite(value) or value < 0):
                problems.append(Problem(f"{path}.{key}", f"{value!r} is not a number >= 0",
                                        "write a number such as 0.02"))
            else:
                tol = replace(tol, **{key: float(value)})
        out[kpi] = tol
    return out


def _unknown(path: str, key: str, known: tuple[str, ...], what: str = "key",
             see: str = "") -> Problem:
    near = difflib.get_close_matches(key, known, n=1)
    fix = f"did you mean '{near[0]}'?" if near else (see or "known: " + ", ".join(known))
    return Problem(path, f"unknown {what} '{key}'", fix)
