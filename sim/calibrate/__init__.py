"""Calibration: fit a scenario to a shop's own order export, and show how well it fits.

``sim calibrate DATA -o scenarios/NAME.toml`` (see :mod:`.cli`) and, from Python::

    from sim.calibrate import calibrate
    result = calibrate("data/olist_sample", "scenarios/olist_shop.toml",
                       holdout_from="2017-09-01", report="reports/olist_shop_fit.html")
    result.validation.rows        # simulated vs observed, side by side
    result.calibration.values     # every fitted value with its interval, rows and method

The layers, each usable alone:

* :mod:`.readers` — an export (Olist layout, or any layout through a column-mapping file) into
  one normalised orders frame, with every unusable row counted and its reason;
* :mod:`.fit` — every part of the model the data can speak to, with its uncertainty;
* :mod:`.refine` — the score model's cut-points refined by simulating the whole model;
* :mod:`.writer` — the documented scenario file (validated, written atomically);
* :mod:`.holdout` — simulation of a later period and the side-by-side comparison, with the
  repeat-purchase model's own check on the fitted period's buyers (:mod:`.holdout_repeat`);
* :mod:`.report` — the HTML fit report (English or Chinese).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from ..scenario import Problem, ScenarioError
from ..scenario.schema import PLATFORMS
from .fit import Calibration, Fitted, fit_export
from .holdout import Validation, check_split, validate
from .readers import Export, read_export
from .refine import refine_by_simulation
from .writer import OLIST_ATTRIBUTION, ScenarioPlan, check_text, default_plan, scenario_text

__all__ = [
    "OLIST_ATTRIBUTION",
    "Calibration",
    "CalibrationResult",
    "Export",
    "Fitted",
    "Validation",
    "calibrate",
    "fit_export",
    "read_export",
    "validate",
]


@dataclass
class CalibrationResult:
    """What :func:`calibrate` produced."""

    export: Export
    calibration: Calibration
    text: str
    scenario_path: Path | None
    validation: Validation | None
    report_path: Path | None


def _date(value: str | dt.date | None) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise ScenarioError([Problem("--holdout-from", f"{value!r} is not a date",
                                     "write it as YYYY-MM-DD, e.g. 2017-09-01")]) from None


def calibrate(data: str | Path | list[str | Path], out: str | Path | None = None, *,
              platform: str = "taobao", holdout_from: str | dt.date | None = None,
              report: str | Path | None = None, mapping: str | Path | None = None,
              name: str | None = None, reps: int = 20, seed: int = 1, jobs: int = 1,
              lang: str = "en", command: str = "", refine: bool = True) -> CalibrationResult:
    """Read an export, fit, refine, optionally validate on a holdout, write scenario and report.

    ``out`` is the scenario file to write (None: only return its text). With ``holdout_from``
    the fit uses the orders purchased before that date and the later ones validate it; the
    written scenario is the one validated (fitted on the earlier orders).
    """
    if platform not in PLATFORMS:
        raise ScenarioError([Problem("--platform", f"unknown platform {platform!r}",
                                     "use one of " + ", ".join(PLATFORMS))])
    cut = _date(holdout_from)
    export = read_export(data, mapping)
    if cut is not None:
        check_split(export.orders, cut)
    scenario_name = name or (Path(out).stem if out is not None else "calibrated")
    cal = fit_export(export, platform, cut, scenario_name)
    plan = default_plan(cal, scenario_name, command)
    if cut is not None:
        plan.holdout_note = (f"Fitted on the orders before {cut}; validated on the "
                             f"{int((export.orders['purchased_at'] >= str(cut)).sum()):,} "
                             "later orders (see the fit report). Run without --holdout-from "
                             "to fit on all the data.")
    if refine:
        refine_by_simulation(cal, plan, seed=seed + 7919)
    text = scenario_text(cal, plan)
    check_text(text, str(out) if out is not None else "<calibrated scenario>")
    validation = validate(cal, cut, reps=reps, seed=seed, jobs=jobs) if cut is not None else None
    scenario_path = None
    if out is not None:
        from .writer import write_atomic

        scenario_path = write_atomic(out, text)
    report_path = None
    if report is not None:
        from .report import write_report

        report_path = write_report(report, cal, validation, lang=lang,
                                   scenario_path=scenario_path, command=command)
    return CalibrationResult(export, cal, text, scenario_path, validation, report_path)


# Re-exported for callers that build their own plan.
__all__ += ["ScenarioPlan"]
