"""The report's model and experiment section, in the structure of the STRESS-DES guideline
(Monks et al. 2019): objectives, logic, data, experimentation, implementation, code access.

Its texts are :mod:`sim.present.words.stress`; the sources they cite are the project's
docs/FACTS.md and docs/MODEL.md.
"""

from __future__ import annotations

import datetime as dt
import importlib.metadata
import os
import platform
from typing import Any

from markupsafe import Markup

from .. import __version__
from ..present import numbers
from ..present.words import kpi_definition
from .parts import Parts

#: Software whose versions the report names (STRESS-DES 5.1).
SOFTWARE = ("simpy", "numpy", "pandas", "scipy", "pydantic", "matplotlib")


def _version(package: str) -> str:
    try:
        return importlib.metadata.version(package)
    except importlib.metadata.PackageNotFoundError:
        return "?"


def stress(page: Parts) -> dict[str, Any]:
    """Every paragraph of the section, filled in for this comparison."""
    s = page.base.scenario
    start = s.start_date
    warm_end = start + dt.timedelta(days=max(s.warmup_days - 1, 0))
    h_start = start + dt.timedelta(days=s.warmup_days)
    h_end = h_start + dt.timedelta(days=s.horizon_days - 1)
    lang = page.lang
    others = [p for p in page.policies if p != page.baseline]
    sep = Markup(page.t("sum.list_sep"))
    sec = page.number["assumptions"]  # the section the texts refer to for the assumptions
    outputs = [(page.kpi_label(k), k, page.unit_label(k, always=True),
                kpi_definition(k, lang))
               for k in page.table_kpis()]
    outs = page.c.outputs
    cached = sum(1 for o in outs if getattr(o, "cached", False))
    seconds = float(sum(o.seconds for o in outs))
    executor = page.meta.executor or "unknown"
    if executor not in ("serial", "pool", "dask"):
        executor = "unknown"
    ex_text = page.t(f"exec.{executor}", n=page.meta.workers or os.cpu_count() or 1)
    versions = {p: _version(p) for p in SOFTWARE}
    experiment = [page.t("st.4.3.text", reps=page.n)]
    if page.c.reps_needed is not None:
        experiment.append(page.t("st.4.3.precision", reps=page.c.reps_needed))
    return {
        "intro": page.t("st.intro"),
        "purpose": page.t("st.1.1.text", scenario=page.c.scenario,
                          platform=page.t(f"platform.{s.platform}")),
        "outputs_intro": page.t("st.1.2.text"), "outputs": outputs,
        "aims": page.t("st.1.3.text", k=len(others), baseline=page.bref(),
                       policies=sep.join(page.pstrong(p) for p in others)),
        "flow": [(page.t(f"flow.{i}"), page.t(f"flow.{i}.d")) for i in range(1, 9)],
        "components": [page.t(f"st.2.5.{k}") for k in ("entities", "activities",
                                                       "resources", "queues", "entry")],
        "logic": page.t("st.2.2.text", loyalty=page.number["loyalty"]),
        "scenario_logic": page.t("st.2.3.text", assumptions=sec),
        "data": [page.t("st.3.1.facts"), page.t("st.3.1.olist"),
                 page.t("st.3.1.assume", assumptions=sec)],
        "inputs": page.t("st.3.3.text", assumptions=sec),
        "assumptions_intro": page.t("st.3.4.intro", assumptions=sec),
        "assumptions": [page.t(f"st.3.4.{k}") for k in "abcd"],
        "init": page.t("st.4.1.text", warmup=s.warmup_days,
                       start=numbers.date(start, lang), warm_end=numbers.date(warm_end, lang),
                       prior=f"{page.base.rating.prior_reviews:,}",
                       prior_mean=f"{page.base.rating.prior_mean:.2f}"),
        "runlength": page.t("st.4.2.text", horizon=f"{s.horizon_days:,}",
                            h_start=numbers.date(h_start, lang), h_end=numbers.date(h_end, lang),
                            drain=f"{s.drain_days:,}"),
        "estimation": Markup(" ").join(experiment),
        "software": page.t("st.5.1.text", version=__version__,
                           python=platform.python_version(), **versions),
        "random": page.t("st.5.2.text", seed=page.c.seed),
        "execution": page.t("st.5.3.text", executor=ex_text, cached=cached, total=len(outs),
                            store=page.meta.store or page.t("st.5.3.no_store"),
                            seconds=numbers.duration(seconds, lang)),
        "system": page.t("st.5.4.text", system=f"{platform.system()} "
                         f"{platform.release()} ({platform.machine()})",
                         cores=os.cpu_count() or 1),
        "code": page.t("st.6.1.text"),
    }
