"""Regression checks on model outputs, for CI pipelines (``sim regress``).

``record`` runs a study (scenario files x policies x replications, fixed seed) and stores every
KPI value in a committed baseline file; ``check`` reruns it and compares in two tiers, *exact*
(same floats, same fingerprint) and *statistical* (a shift beyond each KPI's tolerance, judged on
the replication values); ``bless`` re-baselines after an intended change. See docs/ci-howto.md;
the command (and the diff table it prints) is :mod:`sim.cli.regress`.

Library use::

    from sim.regress import check, load_tolerances
    result = check(["scenarios/taobao_apparel.toml"], "regress",
                   load_tolerances("regress/tolerances.toml"), jobs=2)
    result.exit_code, result.files[0].policies[0].shifted
"""

from __future__ import annotations

from .baseline import (
    Baseline,
    BaselineError,
    PolicyRecord,
    baseline_path,
    fingerprint,
    read_baseline,
    write_baseline,
)
from .core import (
    CheckResult,
    FileResult,
    KpiResult,
    PolicyResult,
    Study,
    check,
    compare_file,
    holm,
    plan,
    run_studies,
    welch_p,
)
from .tolerances import Tolerance, ToleranceError, Tolerances, default_tolerances, load_tolerances

__all__ = [
    "Baseline",
    "BaselineError",
    "CheckResult",
    "FileResult",
    "KpiResult",
    "PolicyRecord",
    "PolicyResult",
    "Study",
    "Tolerance",
    "ToleranceError",
    "Tolerances",
    "baseline_path",
    "check",
    "compare_file",
    "default_tolerances",
    "fingerprint",
    "holm",
    "load_tolerances",
    "plan",
    "read_baseline",
    "run_studies",
    "welch_p",
    "write_baseline",
]

