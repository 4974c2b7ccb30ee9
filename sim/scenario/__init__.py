"""Scenarios: the schema of every input, platform and policy presets, and the file loader."""

from .errors import Problem, ScenarioError
from .loader import (
    ScenarioFile,
    deep_merge,
    load_scenario,
    scenario_from_dict,
    scenario_hash,
    set_path,
    validate_files,
)
from .platforms import PLATFORM_PRESETS
from .policies import BUILTIN_POLICIES, PolicyPreset
from .schema import Scenario

__all__ = [
    "BUILTIN_POLICIES",
    "PLATFORM_PRESETS",
    "PolicyPreset",
    "Problem",
    "Scenario",
    "ScenarioError",
    "ScenarioFile",
    "deep_merge",
    "load_scenario",
    "scenario_from_dict",
    "scenario_hash",
    "set_path",
    "validate_files",
]
