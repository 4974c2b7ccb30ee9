"""Reading scenario files: TOML in, validated :class:`Scenario` out, one per policy.

A scenario file holds a base scenario and optional ``[policies.NAME]`` tables. Resolving a policy
means: take the platform preset named in ``scenario.platform``, deep-merge the file's
``[platform]`` overrides onto it, deep-merge the policy's overrides onto the whole, and validate.
Scenario files are data: they are parsed with :mod:`tomllib`, never executed.
"""

from __future__ import annotations

import copy
import difflib
import hashlib
import json
import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from .errors import Problem, ScenarioError, problems_from_validation
from .platforms import PLATFORM_PRESETS
from .policies import BUILTIN_POLICIES, PolicyPreset
from .schema import PLATFORMS, Scenario
from .schema.plausible import parse_plausible
from .tomlfile import read_toml

_POLICY_META_KEYS = ("description", "description_zh")


def deep_merge(base: dict[str, Any], over: dict[str, Any]) -> dict[str, Any]:
    """A new dict: ``over`` merged onto ``base``; tables merge, everything else replaces."""
    out = copy.deepcopy(base)
    for key, value in over.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = deep_merge(out[key], value)
        else:
            out[key] = copy.deepcopy(value)
    return out


def set_path(raw: dict[str, Any], path: str, value: Any) -> dict[str, Any]:
    """A copy of ``raw`` with the value at a dotted ``path`` replaced (``shop.products[0].price``).

    Raises :class:`ScenarioError` naming the path when a part of it does not exist.
    """
    out = copy.deepcopy(raw)
    node: Any = out
    parts = _split_path(path)
    for i, part in enumerate(parts):
        last = i == len(parts) - 1
        where = ".".join(str(p) for p in parts[: i + 1])
        if isinstance(part, int):
            if not isinstance(node, list) or not -len(node) <= part < len(node):
                raise ScenarioError([Problem(path, f"no list item [{part}] at '{where}'",
                                             "check the index")])
        elif not isinstance(node, dict):
            raise ScenarioError([Problem(path, f"'{where}' is not a table", "check the path")])
        if last:
            node[part] = value
        else:
            if isinstance(part, str) and part not in node:
                node[part] = {}
            node = node[part]
    return out


def get_path(data: Any, path: str) -> Any:
    """The value at a dotted ``path`` of nested dicts and lists (e.g. a scenario's
    ``model_dump()``); ``KeyError`` when it is not there."""
    node = data
    for part in _split_path(path):
        try:
            node = node[part]
        except (KeyError, IndexError, TypeError):
            raise KeyError(path) from None
    return node


def _split_path(path: str) -> list[str | int]:
    parts: list[str | int] = []
    for chunk in path.split("."):
        if not chunk:
            raise ScenarioError([Problem(path, "empty part in the path", "remove the extra dot")])
        name, _, rest = chunk.partition("[")
        if name:
            parts.append(name)
        while rest:
            index, _, rest = rest.partition("]")
            try:
                parts.append(int(index))
            except ValueError:
                raise ScenarioError([Problem(path, f"'[{index}]' is not a list index",
                                             "write a whole number, e.g. products[0]")]) from None
            rest = rest.lstrip("[")
    return parts


@dataclass
class ScenarioFile:
    """A parsed scenario file: its base tables, the policies it can be run under, and the
    levels it says its baseline gives (``[expect]``: KPI name -> (low, high))."""

    source: str
    raw: dict[str, Any]
    policies: dict[str, PolicyPreset] = field(default_factory=dict)
    expect: dict[str, tuple[float, float]] = field(default_factory=dict)
    #: ``[plausible]``: dotted path -> (low, high) for the inputs that are assumptions.
    plausible: dict[str, tuple[float, float]] = field(default_factory=dict)

    @property
    def name(self) -> str:
        return str(self.raw.get("scenario", {}).get("name", Path(self.source).stem))

    @property
    def policy_names(self) -> list[str]:
        return list(self.policies)

    def raw_for(self, policy: str = "baseline",
                overrides: dict[str, Any] | None = None) -> dict[str, Any]:
        """The unvalidated tables of the scenario under ``policy`` and dotted-path ``overrides``.

        Precedence, lowest first: the platform preset, the file's tables, the policy's
        overrides, then ``overrides``. The preset is merged last, under everything else, and is
        the one of the platform the merged tables name: ``--set scenario.platform=tmall`` or a
        policy that moves the shop to Tmall gets Tmall's rules, exactly as a file that names
        Tmall does.
        """
        if policy not in self.policies:
            near = difflib.get_close_matches(policy, self.policies, n=1)
            fix = f"did you mean '{near[0]}'?" if near else "known: " + ", ".join(self.policies)
            raise ScenarioError([Problem("policy", f"unknown policy '{policy}'", fix)],
                                self.source)
        merged = deep_merge(self.raw, self.policies[policy].overrides)
        for path, value in (overrides or {}).items():
            merged = set_path(merged, path, value)
        platform = _platform_of(merged)
        preset = PLATFORM_PRESETS.get(platform, {}) if isinstance(platform, str) else {}
        own = merged.get("platform", {})
        merged["platform"] = deep_merge(preset, own) if isinstance(own, dict) else own
        merged["policy_name"] = policy
        return merged

    def resolve(self, policy: str = "baseline",
                overrides: dict[str, Any] | None = None) -> Scenario:
        """Validate the scenario under ``policy``, with optional dotted-path ``overrides``."""
        return validate_raw(self.raw_for(policy, overrides), self.source)

    def problems(self) -> list[Problem]:
        """Every problem in the base scenario and in each of its policies."""
        found: list[Problem] = []
        base = _problems_of(self.raw_for("baseline"))
        found.extend(base)
        base_text = {str(p) for p in base}
        for name in self.policies:
            if name == "baseline":
                continue
            for p in _problems_of(self.raw_for(name)):
                if str(p) not in base_text:
                    found.append(Problem(f"policies.{name}: {p.path}", p.message, p.fix))
        if not base:
            found.extend(self.plausible_problems(self.plausible))
        return found

    def plausible_problems(self, ranges: dict[str, tuple[float, float]],
                           policy: str = "baseline",
                           overrides: dict[str, Any] | None = None,
                           where: str = "plausible.") -> list[Problem]:
        """Problems of plausible ranges: a path the scenario does not have, or an end outside
        the field's own bounds (each end is validated as a ``--set`` value would be)."""
        found: list[Problem] = []
        for path, (low, high) in ranges.items():
            for end, value in (("low", low), ("high", high)):
                try:
                    resolved = self.resolve(policy, {**(overrides or {}), path: value})
                    kept = get_path(resolved.model_dump(), path)
                    if isinstance(kept, bool) or not isinstance(kept, int | float):
                        found.append(Problem(f"{where}{path}", "is not a number of the scenario "
                                             f"({type(kept).__name__})",
                                             "give plausible ranges to numeric fields only"))
                        break
                except ScenarioError as err:
                    reason = "; ".join(f"{p.path}: {p.message}" if p.path != path
                                       else p.message for p in err.problems)
                    found.append(Problem(f"{where}{path}", f"{end} end {value!r}: {reason}",
                                         "name a numeric field of the scenario (as --set does) "
                                         "and keep both ends within its bounds"))
                    break
        return found


def _problems_of(raw: dict[str, Any]) -> list[Problem]:
    try:
        validate_raw(raw, "")
    except ScenarioError as err:
        return err.problems
    return []


def _platform_of(raw: dict[str, Any]) -> Any:
    section = raw.get("scenario")
    return section.get("platform", "taobao") if isinstance(section, dict) else "taobao"


def validate_raw(raw: dict[str, Any], source: str = "") -> Scenario:
    """Validate merged tables into a :class:`Scenario`, or raise :class:`ScenarioError`.

    Every problem is reported at once; an unknown platform is reported and the rest is checked
    against the Taobao preset.
    """
    problems: list[Problem] = []
    platform = _platform_of(raw)
    if platform not in PLATFORMS:
        problems.append(Problem("scenario.platform", f"unknown platform {platform!r}",
                                "use one of " + ", ".join(PLATFORMS)))
        own = raw.get("platform") if isinstance(raw.get("platform"), dict) else {}
        raw = deep_merge(raw, {"scenario": {"platform": "taobao"},
                               "platform": deep_merge(PLATFORM_PRESETS["taobao"], own)})
    try:
        scenario = Scenario.model_validate(raw)
    except ValidationError as err:
        problems += problems_from_validation(err, Scenario)
    if problems:
        raise ScenarioError(problems, source)
    return scenario


def parse_policies(raw_policies: Any, source: str) -> dict[str, PolicyPreset]:
    """Built-in presets, then the file's own ``[policies.NAME]`` tables on top."""
    policies = dict(BUILTIN_POLICIES)
    if raw_policies is None:
        return policies
    if not isinstance(raw_policies, dict):
        raise ScenarioError([Problem("policies", "must be a table of named policies",
                                     "write [policies.NAME] tables")], source)
    problems = []
    for name, table in raw_policies.items():
        if not isinstance(table, dict):
            problems.append(Problem(f"policies.{name}", "must be a table",
                                    f"write [policies.{name}] with the keys it overrides"))
            continue
        overrides = {k: v for k, v in table.items() if k not in _POLICY_META_KEYS}
        if "policies" in overrides or "policy_name" in overrides:
            problems.append(Problem(f"policies.{name}", "a policy cannot define policies",
                                    "override scenario tables only"))
        policies[name] = PolicyPreset(name, str(table.get("description", "")),
                                      str(table.get("description_zh", "")), overrides)
    if problems:
        raise ScenarioError(problems, source)
    return policies


def parse_expect(raw_expect: Any, source: str) -> dict[str, tuple[float, float]]:
    """The file's ``[expect]`` table: ``KPI = [low, high]``, two numbers, low <= high.

    Whether each name is a KPI is checked where the KPIs are known
    (:func:`sim.experiment.expect.expectation_problems`).
    """
    if raw_expect is None:
        return {}
    if not isinstance(raw_expect, dict):
        raise ScenarioError([Problem("expect", "must be a table of KPI = [low, high]",
                                     "write [expect] and lines such as "
                                     "return_rate = [0.20, 0.30]")], source)
    expect, problems = {}, []
    for name, value in raw_expect.items():
        pair = value if isinstance(value, list) else None
        if (pair is None or len(pair) != 2 or not all(
                isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v)
                for v in pair)):
            problems.append(Problem(f"expect.{name}", f"{value!r} is not [low, high]",
                                    "write two numbers, e.g. [0.20, 0.30]"))
        elif pair[0] > pair[1]:
            problems.append(Problem(f"expect.{name}", f"low {pair[0]} is above high {pair[1]}",
                                    "write the smaller number first"))
        else:
            expect[str(name)] = (float(pair[0]), float(pair[1]))
    if problems:
        raise ScenarioError(problems, source)
    return expect


def load_scenario(path: str | Path) -> ScenarioFile:
    """Read a scenario file. Raises :class:`ScenarioError` for unreadable or malformed files."""
    source = str(path)
    raw = read_toml(path, missing_fix="check the path; shipped scenarios are in scenarios/")
    return scenario_from_dict(raw, source)


def scenario_from_dict(raw: dict[str, Any], source: str = "<dict>") -> ScenarioFile:
    """Build a :class:`ScenarioFile` from already-parsed tables (e.g. edited in a notebook)."""
    raw = copy.deepcopy(raw)
    policies = parse_policies(raw.pop("policies", None), source)
    expect = parse_expect(raw.pop("expect", None), source)
    plausible, problems = parse_plausible(raw.pop("plausible", None))
    if problems:
        raise ScenarioError(problems, source)
    return ScenarioFile(source, raw, policies, expect, plausible)


def validate_files(paths: Iterable[str | Path]) -> dict[str, list[Problem]]:
    """Problems per file (an empty list for a valid file)."""
    out: dict[str, list[Problem]] = {}
    for path in paths:
        try:
            out[str(path)] = load_scenario(path).problems()
        except ScenarioError as err:
            out[str(path)] = err.problems
    return out


def scenario_hash(scenario: Scenario) -> str:
    """A short stable hash of a resolved scenario: equal inputs, equal hash."""
    text = json.dumps(scenario.model_dump(mode="json"), sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()[:16]
