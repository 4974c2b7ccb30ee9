"""After-sales policy simulator for marketplace shops (Taobao, Tmall, JD, Pinduoduo).

Quick start::

    import sim
    scenario = sim.load_scenario("scenarios/taobao_apparel.toml")
    result = sim.simulate(scenario.resolve("seven_day_return"), seed=1)
    result.kpis, result.daily, result.ledger
"""

from .model import KPI_NAMES, KPIS, RunResult, simulate
from .scenario import Scenario, ScenarioError, ScenarioFile, load_scenario

__version__ = "0.3.0"

__all__ = [
    "KPIS",
    "KPI_NAMES",
    "RunResult",
    "Scenario",
    "ScenarioError",
    "ScenarioFile",
    "__version__",
    "load_scenario",
    "simulate",
]
