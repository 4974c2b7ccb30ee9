"""The recommended policy as a ``[policies.NAME]`` table to paste into the scenario file.

The table holds everything the policy sets on top of the file: the base policy's own overrides
(a search that starts from ``seven_day_return`` keeps its insurance and badge), the ``--set``
values on policy and capacity fields, the tables the levers need whole, and the levers' values.
Study settings (``scenario.*``, the market ...) stay out: they describe the study, not the
policy. :func:`check_policy_toml` proves that the table validates: it reads it back as TOML,
adds it to the file's policies and resolves it.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import re
import tomllib
from typing import Any

from ...scenario import Scenario, ScenarioFile, scenario_from_dict
from .levers import SHOP_LEVERS, Lever
from .search import candidate_overrides

_BARE = re.compile(r"^[A-Za-z0-9_-]+$")


def is_policy_path(path: str) -> bool:
    """Whether a dotted path belongs to a policy (a lever's ground), not to the study."""
    return path.startswith("policy.") or path in SHOP_LEVERS


def flatten(nested: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    """Nested tables to dotted paths: ``{"policy": {"coupon": {"enabled": True}}}`` gives
    ``{"policy.coupon.enabled": True}``."""
    out: dict[str, Any] = {}
    for key, value in nested.items():
        path = f"{prefix}.{key}" if prefix else str(key)
        if isinstance(value, dict) and value:
            out.update(flatten(value, path))
        else:
            out[path] = value
    return out


def policy_values(file: ScenarioFile, policy: str, overrides: dict[str, Any],
                  levers: list[Lever], params: dict[str, Any]) -> dict[str, Any]:
    """Every dotted value the recommended policy sets (see the module's notes)."""
    out = flatten(file.policies[policy].overrides)
    out.update({p: v for p, v in overrides.items() if is_policy_path(p)})
    out.update(candidate_overrides(levers, params))
    return out


def free_name(file: ScenarioFile, wanted: str = "optimized") -> str:
    """``wanted``, or ``wanted_2``, ``wanted_3`` ... if the file already has that policy."""
    name, n = wanted, 1
    while name in file.policies:
        n += 1
        name = f"{wanted}_{n}"
    return name


def toml_key(path: str) -> str:
    """A dotted key, each part bare or quoted."""
    return ".".join(p if _BARE.match(p) else json.dumps(p, ensure_ascii=False)
                    for p in path.split("."))


def toml_value(value: Any) -> str:
    """A value as TOML writes it (numbers exactly, text quoted, tables inline)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if math.isnan(value):
            return "nan"
        if math.isinf(value):
            return "inf" if value > 0 else "-inf"
        text = repr(value)
        return text if any(c in text for c in ".en") else text + ".0"
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{toml_key(str(k))} = {toml_value(v)}"
                               for k, v in value.items()) + "}"
    raise TypeError(f"cannot write {value!r} as TOML")


def policy_toml(name: str, values: dict[str, Any], description: str = "",
                description_zh: str = "") -> str:
    """The ``[policies.NAME]`` table of ``values`` (dotted path -> value)."""
    lines = [f"[policies.{toml_key(name)}]"]
    if description:
        lines.append(f"description = {toml_value(description)}")
    if description_zh:
        lines.append(f"description_zh = {toml_value(description_zh)}")
    lines += [f"{toml_key(path)} = {toml_value(value)}" for path, value in values.items()]
    return "\n".join(lines) + "\n"


def with_policy(file: ScenarioFile, snippet: str) -> ScenarioFile:
    """``file`` as it reads with the ``[policies.NAME]`` table ``snippet`` pasted at its end."""
    tables = tomllib.loads(snippet)["policies"]
    raw = dict(file.raw)
    own = {n: _table(p) for n, p in file.policies.items()}
    raw["policies"] = {**own, **tables}
    return scenario_from_dict(raw, file.source)


def check_policy_toml(file: ScenarioFile, snippet: str,
                      overrides: dict[str, Any] | None = None) -> Scenario:
    """The scenario the pasted table gives (raises if the table does not validate)."""
    (name,) = tomllib.loads(snippet)["policies"]
    return with_policy(file, snippet).resolve(name, overrides)


def _table(preset: Any) -> dict[str, Any]:
    return {"description": preset.description, "description_zh": preset.description_zh,
            **preset.overrides}
