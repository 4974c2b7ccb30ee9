"""The search: an optuna study over the levers, its trials kept in SQLite.

Every candidate runs the same replications (common random numbers): replication ``r`` of every
candidate uses ``SeedSequence(seed, spawn_key=(r,))``, so candidates are compared on the same
buyers with the same luck. A trial's objective values are its means over those replications;
the means of every KPI are kept with the trial (``user_attrs["kpis"]``), so that constraints
can be applied, and changed, without running anything again.

Resuming. The study lives in ``DIR/optimize.sqlite3`` under a name that hashes everything that
defines the question (the resolved scenario, the base policy, the levers, the objectives, the
replications, the seed, the sampler and its batch size): the same command finds its study
again, and a changed one starts a new study. Each finished replication is also kept in the
results store (``DIR/store``). A killed search leaves finished trials complete and the trials
it was running in the state RUNNING; the next run finishes those first (their finished
replications are loaded from the store) and then asks for new ones until the budget is spent.
A finished search asks for nothing new.

Trials are asked in batches of a fixed size, two batches in flight so that the workers never
wait for the sampler (the order of asks and tells is fixed: see :class:`_Search`), and each
batch gets a sampler seeded by the seed and the batch's number. The trials a search proposes
therefore do not depend on the number of workers or on where it was interrupted.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import warnings
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from ... import __version__
from ...scenario import Problem, Scenario, ScenarioError, ScenarioFile, scenario_hash
from ..tasks import Task
from .goals import Objective
from .levers import Lever
from .runner import Runner

#: The SQLite file of the studies inside the storage folder.
STUDY_FILE = "optimize.sqlite3"
#: Samplers a search can use.
SAMPLERS = ("tpe", "nsga2")


@dataclass
class Trial:
    """One candidate of a search: its lever values and the means of every KPI."""

    number: int
    params: dict[str, Any]
    kpis: dict[str, float] = field(default_factory=dict)
    problem: str = ""  # why the candidate could not run (an invalid combination of values)

    @property
    def valid(self) -> bool:
        return not self.problem

    def key(self) -> str:
        """The lever values as text (equal candidates, equal keys)."""
        return json.dumps(self.params, sort_keys=True, default=str)


@dataclass
class SearchOutcome:
    """What a search left: its finished trials (in the order asked) and what this run did."""

    study: str
    trials: list[Trial]
    new_trials: int
    scenario_hash: str


def study_name(base: Scenario, policy: str, levers: list[Lever], objectives: list[Objective],
               reps: int, seed: int, sampler: str, batch: int) -> str:
    """The study's name: a hash of everything that defines the search's question."""
    text = json.dumps({
        "scenario": scenario_hash(base), "policy": policy,
        "levers": [lever.spec() for lever in levers],
        "objectives": [o.kpi for o in objectives], "reps": reps, "seed": seed,
        "sampler": sampler, "batch": batch, "version": __version__,
    }, sort_keys=True, default=str)
    return "optimize-" + hashlib.sha256(text.encode()).hexdigest()[:16]


def candidate_overrides(levers: list[Lever], params: dict[str, Any]) -> dict[str, Any]:
    """The dotted-path values of one candidate: its levers and the tables they need whole."""
    out: dict[str, Any] = {}
    for lever in levers:
        out.update({p: v for p, v in lever.fill.items() if p not in params})
    out.update(params)
    return out


def run_search(file: ScenarioFile, levers: list[Lever], objectives: list[Objective], *,
               policy: str, overrides: dict[str, Any], reps: int, budget: int, seed: int,
               storage: Path, runner: Runner, sampler: str = "tpe", batch: int = 10,
               progress: bool = False) -> SearchOutcome:
    """Run (or resume, or reread) a search of ``budget`` candidates; see the module's notes."""
    optuna = _optuna()
    base = file.resolve(policy, overrides)
    name = study_name(base, policy, levers, objectives, reps, seed, sampler, batch)
    storage.mkdir(parents=True, exist_ok=True)
    with _lock(storage):
        study = optuna.create_study(
            study_name=name, storage=_sqlite(optuna, storage / STUDY_FILE),
            directions=[o.direction for o in objectives], load_if_exists=True)
        study.set_user_attr("scenario", file.name)
        search = _Search(file, levers, objectives, policy, overrides, reps, seed, runner,
                         study, lambda j: _sampler(optuna, sampler, _batch_seed(seed, j), batch))
        with _bar(budget, progress) as bar:
            search.run(budget, batch, bar)
        trials = [_trial(t, search.params) for t in search.finished()[:budget]]
    return SearchOutcome(name, trials, search.told, scenario_hash(base))


class _Search:
    """Asking, running and telling the trials of one study, two batches at a time.

    The order of what reaches the storage is fixed, whatever finishes first: batch ``j`` is
    asked once every batch before ``j - 1`` is told (so the workers run batch ``j - 1``'s last
    replications while ``j`` starts), and a trial of batch ``j`` is told once batch ``j + 1``
    has been asked (or no batch will be). Each ask therefore sees batches up to ``j - 2``
    complete and ``j - 1`` running, the same on one worker, on many, and after a restart.
    """

    def __init__(self, file: ScenarioFile, levers: list[Lever], objectives: list[Objective],
                 policy: str, overrides: dict[str, Any], reps: int, seed: int, runner: Runner,
                 study: Any, sampler: Any) -> None:
        self.file, self.levers, self.objectives = file, levers, objectives
        self.policy, self.overrides, self.reps, self.seed = policy, overrides, reps, seed
        self.runner, self.study, self.sampler = runner, study, sampler
        self.distributions = {lever.path: _distribution(lever) for lever in levers}
        self.told = 0
        self.batches: list[list[int]] = []  # trial numbers of each batch, in ask order
        self.live: dict[int, Any] = {}  # trials asked and not told: number -> live trial
        self.values: dict[int, list[dict[str, float]]] = {}  # replications' KPIs so far
        self.owner: dict[int, int] = {}  # runner task id -> trial number
        self.done: dict[int, tuple[str, Any]] = {}  # finished, waiting for their turn to tell

    def finished(self) -> list[Any]:
        from optuna.trial import TrialState

        states = (TrialState.COMPLETE, TrialState.FAIL)
        return sorted(self.study.get_trials(deepcopy=False, states=states),
                      key=lambda t: t.number)

    def run(self, budget: int, size: int, bar: Any) -> None:
        """Until ``budget`` trials are told (resuming whatever a killed run left)."""
        self._restore()
        bar.update(self._asked() - len(self.live))
        while True:
            moved = True
            while moved:
                moved = self._tell_ready(budget, bar)
                if self._asked() < budget and all(
                        not (set(b) & set(self.live)) for b in self.batches[:-1]):
                    self._ask(min(size, budget - self._asked()))
                    moved = True
            if not self.live:
                return
            key, out = self.runner.next_done()
            number = self.owner.pop(key)
            self.values[number].append(out.kpis)
            if len(self.values[number]) == self.reps:
                means = _means(self.values.pop(number))
                self.done[number] = ("complete", means)

    def _asked(self) -> int:
        return sum(len(b) for b in self.batches)

    def _restore(self) -> None:
        """Batches and running trials as a killed (or finished) run left them."""
        from optuna.trial import Trial as LiveTrial
        from optuna.trial import TrialState

        by_batch: dict[int, list[int]] = {}
        for t in sorted(self.study.get_trials(deepcopy=False), key=lambda t: t.number):
            by_batch.setdefault(int(t.user_attrs.get("batch", 0)), []).append(t.number)
            if t.state == TrialState.RUNNING:
                self._start(LiveTrial(self.study, t._trial_id))
        self.batches = [by_batch[j] for j in sorted(by_batch)]

    def _ask(self, n: int) -> None:
        j = len(self.batches)
        self.study.sampler = self.sampler(j)
        trials = [self.study.ask(self.distributions) for _ in range(n)]
        self.batches.append([t.number for t in trials])
        for trial in trials:
            trial.set_user_attr("batch", j)
            self._start(trial)

    def _start(self, trial: Any) -> None:
        """Hand a trial's replications to the runner (or note why it cannot run)."""
        self.live[trial.number] = trial
        params = self.params(trial.params)
        try:
            scenario = self.file.resolve(
                self.policy, {**self.overrides, **candidate_overrides(self.levers, params)})
        except ScenarioError as err:  # a combination the scenario refuses (cap < minimum)
            self.done[trial.number] = ("invalid", "; ".join(str(p) for p in err.problems))
            return
        self.values[trial.number] = []
        tasks = [Task(scenario, r, self.seed, (r,)) for r in range(self.reps)]
        for key in self.runner.submit(tasks):
            self.owner[key] = trial.number

    def _tell_ready(self, budget: int, bar: Any) -> bool:
        """Tell the finished trials whose turn has come; whether any was told."""
        from optuna.trial import TrialState

        batch_of = {n: j for j, b in enumerate(self.batches) for n in b}
        last = self._asked() >= budget
        ready = [n for n in sorted(self.done) if last or batch_of[n] + 1 < len(self.batches)]
        for number in ready:
            kind, what = self.done.pop(number)
            trial = self.live.pop(number)
            if kind == "invalid":
                trial.set_user_attr("problem", what)
                self.study.tell(trial, state=TrialState.FAIL)
            else:
                trial.set_user_attr("kpis", what)
                self.study.tell(trial, [what[o.kpi] for o in self.objectives])
            self.told += 1
            bar.update(1)
        return bool(ready)

    def params(self, raw: dict[str, Any]) -> dict[str, Any]:
        """A trial's values as the scenario takes them, in the levers' order."""
        return {lever.path: lever.value(raw[lever.path]) for lever in self.levers}


def _means(rows: list[dict[str, float]]) -> dict[str, float]:
    names = rows[0].keys()
    return {k: float(np.mean([row[k] for row in rows])) for k in names}


def _trial(frozen: Any, params: Any) -> Trial:
    from optuna.trial import TrialState

    problem = "" if frozen.state == TrialState.COMPLETE else str(
        frozen.user_attrs.get("problem", "failed"))
    return Trial(frozen.number, params(frozen.params), dict(frozen.user_attrs.get("kpis", {})),
                 problem)


def _distribution(lever: Lever) -> Any:
    from optuna.distributions import (
        CategoricalDistribution,
        FloatDistribution,
        IntDistribution,
    )

    if lever.kind == "float":
        return FloatDistribution(float(lever.low), float(lever.high),  # type: ignore[arg-type]
                                 step=lever.step)
    if lever.kind == "int":
        return IntDistribution(int(lever.low), int(lever.high))  # type: ignore[arg-type]
    return CategoricalDistribution(list(lever.choices))


def _batch_seed(seed: int, batch: int) -> int:
    return int(np.random.SeedSequence([seed, batch]).generate_state(1)[0])


def _sampler(optuna: Any, kind: str, seed: int, batch: int) -> Any:
    with warnings.catch_warnings():  # multivariate TPE is marked experimental
        warnings.simplefilter("ignore")
        if kind == "nsga2":
            return optuna.samplers.NSGAIISampler(population_size=max(batch, 2), seed=seed)
        if kind == "tpe":
            return optuna.samplers.TPESampler(seed=seed, multivariate=True, constant_liar=True,
                                              n_startup_trials=batch)
    raise ValueError(f"unknown sampler {kind!r}: use " + " or ".join(SAMPLERS))


def _sqlite(optuna: Any, path: Path) -> Any:
    """Optuna's storage in an SQLite file, in write-ahead-log mode without a disk flush per
    commit: optuna commits every parameter of every trial, and a flush each time cost more
    than the search's own work. A killed process loses nothing (the operating system still
    writes what was committed); only a crash of the machine could lose the last commits."""
    import sqlite3

    def connect() -> sqlite3.Connection:
        con = sqlite3.connect(str(path), timeout=60)
        con.execute("PRAGMA journal_mode=WAL")
        con.execute("PRAGMA synchronous=NORMAL")
        return con

    return optuna.storages.RDBStorage(f"sqlite:///{path}", engine_kwargs={"creator": connect})


def _optuna() -> Any:
    import optuna

    optuna.logging.set_verbosity(optuna.logging.WARNING)
    return optuna


@contextlib.contextmanager
def _lock(storage: Path) -> Iterator[None]:
    """One search at a time in a storage folder (a killed search's lock is stale, not binding)."""
    path = storage / "optimize.lock"
    try:
        pid = int(path.read_text().strip())
    except (OSError, ValueError):
        pid = None
    if pid is not None and pid != os.getpid() and _alive(pid):
        raise ScenarioError([Problem("--storage", f"another search (process {pid}) is running "
                                     f"in {storage}", "wait for it, or choose another "
                                     "--storage folder")])
    path.write_text(str(os.getpid()))
    try:
        yield
    finally:
        with contextlib.suppress(OSError):
            path.unlink()


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


@contextlib.contextmanager
def _bar(total: int, progress: bool) -> Iterator[Any]:
    if not progress:
        yield _NoBar()
        return
    from tqdm.auto import tqdm

    bar = tqdm(total=total, desc="search", unit="candidate", leave=False)
    try:
        yield bar
    finally:
        bar.close()


class _NoBar:
    def update(self, n: int = 1) -> None:
        pass
