"""The fit layer: every part of the model an order export can speak to, with its uncertainty.

:func:`fit_export` turns a normalised export (:mod:`sim.calibrate.readers`) into a
:class:`Calibration`: a list of :class:`Fitted` values, each with its estimate, a 95% interval,
the rows behind it, their date range and the method, plus the internal state the validation needs
to draw parameters from their uncertainty. What is fitted, and where (details beside each
function):

* :mod:`.arrivals` — orders per day: a log-linear Poisson regression on the weekday, a trend and
  peaks found in the data (days far above the fitted level);
* :mod:`.prices` — price and freight mix: price bands (quantiles) with their shares, mean freight;
* :mod:`.fulfilment` — dispatch (a log-normal handling time matched *through the model's own
  dispatch rule*, and the dispatch promise), the carrier (a log-normal transit time, slower in
  the peaks, and the promised transit days), cancellations and non-delivery;
* :mod:`.score_model` and :mod:`.reviews` — the propensity to review, the review delay
  (measured), and the review-score model: an ordered probit with the model's pickiness mixture
  (Gauss-Hermite quadrature) and the model's own satisfaction formulas
  (:mod:`sim.model.satisfaction`), fitted by maximum likelihood to the scores of delivered orders
  given their lateness and late dispatch, then shifted by simulation so that the model, with its
  other sources of dissatisfaction (defects, damage, CS waits, bad actors), reproduces the fitted
  on-time mix (:func:`sim.calibrate.refine.refine_by_simulation`);
* :mod:`.repeat` and :mod:`.bgnbd` — repeat purchases: the BG/NBD (each buyer's purchase rate
  ~ Gamma, dropout after each repeat purchase ~ Beta) fitted by maximum likelihood to each
  person's visits, with standard errors; an export without person ids is an error;
* :mod:`.calibration` — the :class:`Calibration` and :class:`Fitted` records they all fill.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from ..metrics import derive
from ..readers import Export
from .arrivals import GAP_DAYS, fit_arrivals
from .calibration import DAY, MIN_ROWS, Calibration, Fitted, period_of
from .fulfilment import (
    fit_carrier,
    fit_dispatch,
    fit_outcomes,
    fit_promise,
    lognormal_by_quantiles,
    model_delivery_days,
    model_dispatch_days,
)
from .prices import COST_SHARE, fit_prices
from .repeat import (
    MIN_REPEAT_BUYERS,
    SCENARIO_KEYS,
    fit_repeat,
    histories,
    require_person_ids,
)
from .reviews import (
    MIN_LATE_REVIEWS,
    fit_reviews,
    fit_score_model,
    negative_curve,
    score_params,
    threshold_note,
)
from .score_model import ScoreModel, collapse, relief_of

__all__ = [
    "COST_SHARE", "DAY", "GAP_DAYS", "MIN_LATE_REVIEWS", "MIN_REPEAT_BUYERS", "MIN_ROWS",
    "SCENARIO_KEYS", "Calibration", "Fitted", "ScoreModel", "collapse", "fit_arrivals",
    "fit_carrier", "fit_dispatch", "fit_export", "fit_outcomes", "fit_prices", "fit_promise",
    "fit_repeat", "fit_reviews", "fit_score_model", "histories", "lognormal_by_quantiles",
    "model_delivery_days", "model_dispatch_days", "negative_curve", "period_of", "relief_of",
    "require_person_ids", "score_params", "threshold_note",
]


def fit_export(export: Export, platform: str = "taobao", until: dt.date | None = None,
               name: str = "calibrated") -> Calibration:
    """Fit every part of the model the export can speak to (orders purchased before ``until``).

    An export without person ids raises :class:`sim.scenario.ScenarioError` before anything is
    fitted: the repeat-purchase model needs them.
    """
    require_person_ids(export)
    derived = derive(export.orders, export.promised_is_date)
    cut = pd.Timestamp(until) if until is not None else None
    train = derived if cut is None else derived[derived["purchased_at"] < cut]
    train = train.reset_index(drop=True)
    cal = Calibration(export, platform, name, train, cut)
    cal.notes.extend(export.notes)
    fit_arrivals(cal)
    fit_prices(cal)
    fit_dispatch(cal)
    fit_carrier(cal)
    fit_outcomes(cal)
    fit_reviews(cal)
    fit_repeat(cal)
    return cal
