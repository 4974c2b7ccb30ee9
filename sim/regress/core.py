"""Recording studies and checking them against baselines, in two tiers.

**Exact tier.** The same seed, scenario and model give the same floats, so the fingerprint of a
rerun equals the recorded one; when it does not, the KPIs whose values moved are listed, with the
likely causes the file can tell (a different seed, scenario hash or tool version).

**Statistical tier.** For each KPI the replication values of the baseline and of the rerun are
compared as two independent samples (Welch's t-test; no pairing, so a reseeded or reshuffled
model is judged the same way). A KPI *shifted* when both hold:

* the difference of the means is significant: Welch p-value, adjusted with Holm's method over
  every KPI and policy of one scenario file, below ``alpha`` (default 0.05). Whatever the number
  of KPIs, a rerun that only changed the noise fails a scenario file with probability at most
  ``alpha``;
* the difference is larger than the KPI's tolerance (its minimal relevant difference,
  :mod:`sim.regress.tolerances`): a real but negligible shift passes.

Verdicts: ``identical`` (same values), ``noise`` (not significant), ``within tolerance``
(significant but smaller than the tolerance), ``SHIFTED`` (fails), ``new KPI`` (not in the
baseline; passes), ``REMOVED`` (in the baseline, no longer computed; fails), ``ignored``.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .. import __version__
from ..scenario import Problem, ScenarioError, ScenarioFile, load_scenario, scenario_hash
from .baseline import Baseline, PolicyRecord, baseline_path, environment, read_baseline
from .tolerances import FALLBACK, Tolerances

PASSING = ("identical", "noise", "within tolerance", "new KPI", "ignored")
FAILING = ("SHIFTED", "REMOVED")


# ------------------------------------------------------------------------------------------------
# Running a study
# ------------------------------------------------------------------------------------------------
@dataclass
class Study:
    """What to run for one scenario file: the settings a baseline stores."""

    file: ScenarioFile
    source: str
    policies: list[str]
    reps: int
    seed: int
    overrides: dict[str, Any] = field(default_factory=dict)

    @property
    def stem(self) -> str:
        return Path(self.source).stem


def plan(source: str | Path, policies: Sequence[str] | None = None, reps: int = 8,
         seed: int = 1, overrides: dict[str, Any] | None = None) -> Study:
    """A study of one scenario file; unknown policies or bad overrides are a ScenarioError."""
    file = load_scenario(source)
    names = list(dict.fromkeys(policies or ["baseline"]))
    unknown = [p for p in names if p not in file.policies]
    if unknown:
        raise ScenarioError([Problem("policies", f"unknown policy '{p}'",
                                     "known: " + ", ".join(file.policy_names))
                             for p in unknown], str(source))
    if reps < 2:
        raise ScenarioError([Problem("reps", f"{reps} replication(s)",
                                     "the statistical tier needs at least 2; use 5 or more")])
    study = Study(file, Path(source).as_posix(), names, reps, seed, dict(overrides or {}))
    for name in names:  # fail now, with the scenario's own message, not inside a worker
        file.resolve(name, study.overrides)
    return study


def run_studies(studies: Sequence[Study], jobs: int | None = None,
                progress: bool | None = None) -> list[Baseline]:
    """Run every study (one batch of replications over all of them) and return their records.

    Replication ``r`` of every policy uses the seeds of :func:`sim.experiment.compare`, so a
    baseline holds the same numbers ``sim compare`` would print for that seed.
    """
    from ..experiment import Executor, replication_tasks, run_tasks

    tasks, spans = [], []
    for study in studies:
        resolved = {p: study.file.resolve(p, study.overrides) for p in study.policies}
        batch = replication_tasks(resolved, range(study.reps), study.seed)
        spans.append((len(tasks), len(tasks) + len(batch), resolved))
        tasks += batch
    executor = Executor("pool", jobs=jobs)
    outputs = run_tasks(tasks, executor, None, progress, "sim regress")
    env = environment()
    baselines = []
    for study, (lo, hi, resolved) in zip(studies, spans, strict=True):
        values: dict[str, dict[str, list[float]]] = {p: {} for p in study.policies}
        seconds = dict.fromkeys(study.policies, 0.0)
        for out in sorted(outputs[lo:hi], key=lambda o: o.replication):
            seconds[out.policy] += out.seconds
            for kpi, value in out.kpis.items():
                values[out.policy].setdefault(kpi, []).append(float(value))
        records = {p: PolicyRecord(values[p], scenario_hash(resolved[p]))
                   for p in study.policies}
        baselines.append(Baseline(study.file.name, study.source, study.seed, study.reps, records,
                                  study.overrides, __version__, env, seconds))
    return baselines


def study_of(baseline: Baseline, source: str | Path | None = None,
             seed: int | None = None) -> Study:
    """The study a baseline recorded (optionally from another path or with another seed)."""
    return plan(source or baseline.source, baseline.policy_names, baseline.reps,
                baseline.seed if seed is None else seed, baseline.overrides)


def load_baselines(files: Sequence[str | Path], directory: str | Path) -> list[Baseline]:
    """The baselines of ``files`` (all of them read, every problem reported at once)."""
    problems: list[Problem] = []
    found = []
    stems: dict[str, str] = {}
    for file in files:
        stem = Path(file).stem
        if stem in stems:
            raise ScenarioError([Problem("", f"'{file}' and '{stems[stem]}' would share the "
                                             f"baseline {stem}.json",
                                         "rename one of the scenario files")])
        stems[stem] = str(file)
        path = baseline_path(directory, file)
        if not path.is_file():
            problems.append(Problem(str(path), f"no baseline for '{file}'",
                                    f"record it: sim regress record {file} --baseline "
                                    f"{directory}"))
            continue
        try:
            found.append(read_baseline(path))
        except ScenarioError as err:
            problems += [Problem(f"{err.source}: {p.path}" if p.path else err.source,
                                 p.message, p.fix) for p in err.problems]
    if problems:
        raise ScenarioError(problems)
    return found


def baselines_in(directory: str | Path) -> list[Path]:
    """Every baseline file of a folder (``*.json``), sorted."""
    d = Path(directory)
    if not d.is_dir():
        raise ScenarioError([Problem("", f"no baseline folder '{directory}'",
                                     "record baselines first: sim regress record FILE... "
                                     f"--baseline {directory}")])
    paths = sorted(d.glob("*.json"))
    if not paths:
        raise ScenarioError([Problem("", f"no baselines in '{directory}'",
                                     "record some: sim regress record FILE... --baseline "
                                     f"{directory}")])
    return paths


# ------------------------------------------------------------------------------------------------
# Comparing
# ------------------------------------------------------------------------------------------------
@dataclass
class KpiResult:
    """One row of the diff table: one scenario x policy x KPI."""

    scenario: str
    policy: str
    kpi: str
    unit: str
    base_mean: float
    new_mean: float
    tolerance: float
    rule: str
    p_value: float = float("nan")  # Welch, raw
    p_adjusted: float = float("nan")  # Holm over the scenario file
    moved: bool = False  # exact tier: any replication value differs
    verdict: str = ""
    detectable: float = float("nan")  # shift the test sees about half the time (see below)
    base_values: list[float] = field(default_factory=list)
    new_values: list[float] = field(default_factory=list)

    @property
    def change(self) -> float:
        return self.new_mean - self.base_mean

    @property
    def relative(self) -> float:
        return self.change / abs(self.base_mean) if self.base_mean else float("nan")

    @property
    def failed(self) -> bool:
        return self.verdict in FAILING


@dataclass
class PolicyResult:
    """Both tiers for one scenario x policy."""

    scenario: str
    stem: str
    policy: str
    base_fingerprint: str
    new_fingerprint: str
    base_hash: str
    new_hash: str
    rows: list[KpiResult]
    seconds: float = 0.0

    @property
    def exact_ok(self) -> bool:
        return self.base_fingerprint == self.new_fingerprint

    @property
    def moved(self) -> list[str]:
        return [r.kpi for r in self.rows if r.moved]

    @property
    def shifted(self) -> list[KpiResult]:
        return [r for r in self.rows if r.failed]

    @property
    def statistical_ok(self) -> bool:
        return not self.shifted


@dataclass
class FileResult:
    """Both tiers for one scenario file, and what may explain an exact-tier failure."""

    scenario: str
    source: str
    baseline_file: str
    seed: tuple[int, int]
    reps: tuple[int, int]
    version: tuple[str, str]
    environment: tuple[dict[str, str], dict[str, str]]
    overrides: dict[str, Any]
    alpha: float
    policies: list[PolicyResult]

    @property
    def exact_ok(self) -> bool:
        return all(p.exact_ok for p in self.policies)

    @property
    def statistical_ok(self) -> bool:
        return all(p.statistical_ok for p in self.policies)

    def causes(self) -> list[str]:
        """What differs between the baseline's run and this one, besides the model code."""
        out = []
        if self.seed[0] != self.seed[1]:
            out.append(f"seed {self.seed[0]} -> {self.seed[1]}")
        hashes = [(p.policy, p.base_hash, p.new_hash) for p in self.policies
                  if p.base_hash != p.new_hash]
        if hashes:
            out.append("resolved scenario changed (scenario hash) for "
                       + ", ".join(h[0] for h in hashes))
        if self.version[0] != self.version[1]:
            out.append(f"tool version {self.version[0] or '?'} -> {self.version[1]}")
        for key in sorted(set(self.environment[0]) | set(self.environment[1])):
            old, new = self.environment[0].get(key), self.environment[1].get(key)
            if old != new:
                out.append(f"{key} {old or '?'} -> {new or '?'}")
        return out


@dataclass
class CheckResult:
    """The outcome of ``sim regress check``."""

    files: list[FileResult]
    fail_on: str = "any"  # any | statistical | exact

    @property
    def exact_ok(self) -> bool:
        return all(f.exact_ok for f in self.files)

    @property
    def statistical_ok(self) -> bool:
        return all(f.statistical_ok for f in self.files)

    @property
    def passed(self) -> bool:
        exact = self.exact_ok or self.fail_on == "statistical"
        statistical = self.statistical_ok or self.fail_on == "exact"
        return exact and statistical

    @property
    def exit_code(self) -> int:
        return 0 if self.passed else 1


def welch_p(a: Sequence[float], b: Sequence[float]) -> float:
    """Two-sided p-value of Welch's t-test of equal means (exact cases handled without NaN)."""
    from scipy import stats

    na, nb = len(a), len(b)
    if na == 0 or nb == 0:
        return float("nan")
    ma, mb = math.fsum(a) / na, math.fsum(b) / nb
    if ma == mb:
        return 1.0
    va = sum((x - ma) ** 2 for x in a) / (na - 1) if na > 1 else 0.0
    vb = sum((x - mb) ** 2 for x in b) / (nb - 1) if nb > 1 else 0.0
    se2 = va / na + vb / nb
    if se2 <= 0.0 or not math.isfinite(se2):
        return 0.0 if na > 1 and nb > 1 else float("nan")  # two constant samples that differ
    t = (mb - ma) / math.sqrt(se2)
    terms = (va / na) ** 2 / (na - 1) if na > 1 else 0.0
    terms += (vb / nb) ** 2 / (nb - 1) if nb > 1 else 0.0
    df = se2 ** 2 / terms if terms > 0 else float(na + nb - 2)
    return float(2.0 * stats.t.sf(abs(t), df))


def detectable_shift(a: Sequence[float], b: Sequence[float], alpha: float, m: int) -> float:
    """The shift of the mean that reaches significance with about even odds.

    Welch's standard error times the two-sided critical t at ``alpha / m`` (the first step of
    Holm's method over ``m`` tests). Shifts between the tolerance and this size can pass as noise:
    more replications (or a longer horizon) shrink it.
    """
    from scipy import stats

    na, nb = len(a), len(b)
    if na < 2 or nb < 2:
        return float("nan")
    ma, mb = math.fsum(a) / na, math.fsum(b) / nb
    va = sum((x - ma) ** 2 for x in a) / (na - 1)
    vb = sum((x - mb) ** 2 for x in b) / (nb - 1)
    se2 = va / na + vb / nb
    if se2 <= 0.0:
        return 0.0
    terms = (va / na) ** 2 / (na - 1) + (vb / nb) ** 2 / (nb - 1)
    df = se2 ** 2 / terms if terms > 0 else float(na + nb - 2)
    return float(stats.t.ppf(1.0 - alpha / (2.0 * max(m, 1)), df) * math.sqrt(se2))


def holm(p_values: Sequence[float]) -> list[float]:
    """Holm-adjusted p-values (NaN stays NaN and is not counted)."""
    idx = [i for i, p in enumerate(p_values) if not math.isnan(p)]
    order = sorted(idx, key=lambda i: p_values[i])
    m = len(order)
    out = [float("nan")] * len(p_values)
    running = 0.0
    for rank, i in enumerate(order):
        running = max(running, min(1.0, (m - rank) * p_values[i]))
        out[i] = running
    return out


def compare_file(base: Baseline, new: Baseline, tolerances: Tolerances,
                 baseline_file: str = "") -> FileResult:
    """Both tiers for one scenario file: ``new`` is the rerun of ``base``'s study."""
    from ..model.kpis import KPIS

    units = {k.name: k.unit for k in KPIS}
    stem = Path(base.source).stem
    tols = tolerances.for_scenario(stem, base.scenario)
    policies: list[PolicyResult] = []
    rows_all: list[KpiResult] = []
    for policy, old in base.policies.items():
        rec = new.policies[policy]
        rows = []
        for kpi in [*old.kpis, *[k for k in rec.kpis if k not in old.kpis]]:
            tol = tols.get(kpi, FALLBACK)
            b, n = old.kpis.get(kpi), rec.kpis.get(kpi)
            bm = math.fsum(b) / len(b) if b else float("nan")
            nm = math.fsum(n) / len(n) if n else float("nan")
            row = KpiResult(base.scenario, policy, kpi, units.get(kpi, ""), bm, nm,
                            tol.margin(bm) if b else float("nan"), tol.describe(),
                            base_values=list(b or []), new_values=list(n or []))
            if b is None:
                row.verdict, row.moved = "new KPI", True
            elif n is None:
                row.verdict, row.moved = "REMOVED", True
            else:
                row.moved = b != n
                if tol.ignore:
                    row.verdict = "ignored"
                elif not row.moved:
                    row.verdict, row.p_value = "identical", 1.0
                else:
                    row.p_value = welch_p(b, n)
            rows.append(row)
        policies.append(PolicyResult(base.scenario, stem, policy, old.fingerprint,
                                     rec.fingerprint, old.scenario_hash, rec.scenario_hash, rows,
                                     new.seconds.get(policy, 0.0)))
        rows_all += rows
    tested = [r for r in rows_all if not r.verdict]
    for row, p_adj in zip(tested, holm([r.p_value for r in tested]), strict=True):
        row.p_adjusted = p_adj
        if math.isnan(p_adj) or p_adj >= tolerances.alpha:
            row.verdict = "noise"
        elif abs(row.change) <= row.tolerance:
            row.verdict = "within tolerance"
        else:
            row.verdict = "SHIFTED"
    for row in rows_all:
        if row.verdict == "identical":
            row.p_adjusted = 1.0
    comparable = [r for r in rows_all if r.base_values and r.new_values and r.verdict != "ignored"]
    for row in comparable:
        row.detectable = detectable_shift(row.base_values, row.new_values, tolerances.alpha,
                                          len(comparable))
    return FileResult(base.scenario, new.source, baseline_file, (base.seed, new.seed),
                      (base.reps, new.reps), (base.tool_version, new.tool_version),
                      (base.environment, new.environment), base.overrides, tolerances.alpha,
                      policies)


def check(files: Sequence[str | Path], directory: str | Path,
          tolerances: Tolerances | None = None, seed: int | None = None,
          jobs: int | None = None, fail_on: str = "any",
          progress: bool | None = None) -> CheckResult:
    """Rerun the baselines' studies of ``files`` and compare (library form of the command).

    Every input is read and checked before anything runs: a missing or damaged baseline, a
    scenario that no longer has a recorded policy, a bad override is a ScenarioError.
    """
    if fail_on not in ("any", "statistical", "exact"):
        raise ValueError(f"fail_on must be any, statistical or exact, not {fail_on!r}")
    tolerances = tolerances or Tolerances()
    bases = load_baselines(files, directory)
    studies, problems = [], []
    for file, base in zip(files, bases, strict=True):
        try:
            studies.append(study_of(base, file, seed))
        except ScenarioError as err:
            problems += [Problem(f"{err.source or file}: {p.path}" if p.path
                                 else err.source or str(file), p.message, p.fix)
                         for p in err.problems]
    if problems:
        raise ScenarioError(problems)
    news = run_studies(studies, jobs, progress)
    results = []
    for file, base, new in zip(files, bases, news, strict=True):
        results.append(compare_file(base, new, tolerances, str(baseline_path(directory, file))))
    return CheckResult(results, fail_on)
