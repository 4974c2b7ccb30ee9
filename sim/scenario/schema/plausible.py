"""The ``[plausible]`` table of a scenario file: how far an uncertain input could plausibly lie.

A scenario states, for the parameters that are assumptions or of low confidence
(``docs/FACTS.md`` grades them), the range within which their true value plausibly lies::

    [plausible]
    "platform.penalty_points_per_lost_case" = [0.0, 2.0]   # assumption (FACTS: presets)
    "feedback.visible_negative_effect" = [0.0, 0.084]      # FACTS: sweep between 0 and 0.084

Keys are dotted paths of the scenario (as ``--set`` takes them), quoted, or nested tables
(``[plausible.platform]`` then ``penalty_points_per_lost_case = [0, 2]``). ``sim verdict``
screens the paired difference between two policies over these ranges (Morris) and looks for the
value at which the verdict flips. This module checks the shape (two finite numbers, low below
high); whether each path exists and both ends lie within the field's own bounds is checked
against the resolved scenario (:meth:`sim.scenario.ScenarioFile.plausible_problems`).
"""

from __future__ import annotations

import math
from typing import Annotated, Any

from pydantic import AfterValidator, RootModel, StrictFloat, StrictInt, ValidationError

from ..errors import Problem


def _low_below_high(pair: tuple[float, float]) -> tuple[float, float]:
    low, high = pair
    if not (math.isfinite(low) and math.isfinite(high)):
        raise ValueError("both ends must be finite numbers")
    if not low < high:
        raise ValueError(f"low {low:g} is not below high {high:g}")
    return (float(low), float(high))


#: One range: ``[low, high]``, two finite numbers (whole or decimal), low strictly below high.
PlausibleRange = Annotated[tuple[StrictInt | StrictFloat, StrictInt | StrictFloat],
                           AfterValidator(_low_below_high)]


class PlausibleTable(RootModel[dict[str, PlausibleRange]]):
    """Dotted parameter path -> plausible ``(low, high)``."""


def flatten(table: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    """Nested TOML tables to dotted paths; a leaf is whatever is not a table."""
    out: dict[str, Any] = {}
    for key, value in table.items():
        path = f"{prefix}.{key}" if prefix else str(key)
        if isinstance(value, dict):
            out.update(flatten(value, path))
        else:
            out[path] = value
    return out


def parse_plausible(raw: Any) -> tuple[dict[str, tuple[float, float]], list[Problem]]:
    """The ``[plausible]`` table as ``{path: (low, high)}``, and a problem per bad entry."""
    if raw is None:
        return {}, []
    if not isinstance(raw, dict):
        return {}, [Problem("plausible", "must be a table of \"PATH\" = [low, high]",
                            'write [plausible] and lines such as '
                            '"feedback.visible_negative_effect" = [0.0, 0.084]')]
    flat = flatten(raw)
    try:
        return dict(PlausibleTable.model_validate(flat).root), []
    except ValidationError as err:
        problems, bad = [], set()
        for e in err.errors():
            path = str(e["loc"][0]) if e["loc"] else ""
            if path in bad:
                continue
            bad.add(path)
            reason = (str(e["msg"]).removeprefix("Value error, ") if e["type"] == "value_error"
                      else "is not [low, high], two numbers")
            problems.append(Problem(f"plausible.{path}",
                                    f"{flat.get(path)!r}: {reason}",
                                    "write two numbers, the smaller first, e.g. [0.0, 0.084]"))
        good = {p: v for p, v in flat.items() if p not in bad}
        return dict(PlausibleTable.model_validate(good).root), problems
