"""Measure pymc-marketing's BG/NBD (its CLV module's BetaGeoModel) against the project's own
scipy fitter (sim/calibrate/fit/bgnbd.py): install size, import time, fit time, estimates.

It needs a throwaway environment that has the project, pymc-marketing and (for the CDNOW data
the BG/NBD paper was fitted to, which lifetimes ships) lifetimes; it is not part of the project's
dependencies or of its tests:

    python3 -m venv /tmp/clv
    /tmp/clv/bin/pip install pymc-marketing lifetimes -e .
    /tmp/clv/bin/python scripts/measure_clv_libraries.py [--mcmc] [--json FILE]

Data sets: the Olist sample shipped in data/olist_sample (each person's visits, as `sim
calibrate` reads them); CDNOW's 2,357-customer summary (if lifetimes is installed; weeks, as in
the paper: r = 0.243, alpha = 4.414, a = 0.793, b = 2.426, log-likelihood -9582.4); a cohort
simulated from the CDNOW parameters. pymc-marketing is fitted by maximum a posteriori with flat
priors (then the same maximum-likelihood estimate as ours) and, with --mcmc, by its default NUTS
sampling (2 chains of 1,000 draws after 1,000 tuning steps).
"""

from __future__ import annotations

import argparse
import importlib.metadata as md
import json
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sim.calibrate import read_export  # noqa: E402
from sim.calibrate.fit.bgnbd import BGNBDParams, fit_bgnbd, simulate_cohort  # noqa: E402
from sim.calibrate.fit.repeat import histories  # noqa: E402

CDNOW = BGNBDParams(0.243, 4.414, 0.793, 2.426)  # weeks, as in the paper


# ------------------------------------------------------------------------------------------------
# Install size and import time
# ------------------------------------------------------------------------------------------------
def _name(requirement: str) -> str:
    return re.split(r"[\s;<>=!~\[(]", requirement, maxsplit=1)[0].lower().replace("_", "-")


def closure(dist: str) -> set[str]:
    """The distribution and everything it requires (installed, without optional extras)."""
    seen: set[str] = set()
    todo = [dist.lower()]
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        try:
            requires = md.requires(name) or []
        except md.PackageNotFoundError:
            continue
        seen.add(name)
        todo += [_name(r) for r in requires if "extra ==" not in r]
    return seen


def size_mb(dists: set[str]) -> float:
    total = 0
    for name in dists:
        for f in md.files(name) or []:
            path = Path(f.locate())
            if path.is_file():
                total += path.stat().st_size
    return total / 1e6


def import_seconds(statement: str, repeats: int = 3) -> float:
    """Median wall time of a fresh interpreter running ``statement`` (minus a bare start)."""
    def once(code: str) -> float:
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT)
        return time.perf_counter() - start

    bare = statistics.median(once("pass") for _ in range(repeats))
    return statistics.median(once(statement) for _ in range(repeats)) - bare


# ------------------------------------------------------------------------------------------------
# Data and fits
# ------------------------------------------------------------------------------------------------
def olist_histories() -> pd.DataFrame:
    orders = read_export(ROOT / "data" / "olist_sample").orders
    h = histories(orders, orders["purchased_at"].max())
    return h[["x", "t_x", "T"]].reset_index(drop=True)


def cdnow_histories() -> pd.DataFrame | None:
    try:
        from lifetimes.datasets import load_cdnow_summary
    except ImportError:
        return None
    d = load_cdnow_summary()
    return pd.DataFrame({"x": d["frequency"], "t_x": d["recency"], "T": d["T"]}).astype(float)


def simulated_histories(seed: int = 7) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    T = rng.uniform(27.0, 39.0, 2357)  # first purchases spread over the paper's 12 weeks
    c = simulate_cohort(CDNOW, T, rng)
    return pd.DataFrame({"x": c.x, "t_x": c.t_x, "T": c.T})


def ours(h: pd.DataFrame) -> dict:
    start = time.perf_counter()
    fit = fit_bgnbd(h["x"], h["t_x"], h["T"])
    return {"seconds": time.perf_counter() - start, "r": fit.params.r,
            "alpha": fit.params.alpha, "a": fit.params.a, "b": fit.params.b,
            "loglik": fit.log_likelihood, "se": list(fit.se.as_array())}


def pymc_marketing(h: pd.DataFrame, method: str) -> dict:
    from pymc_extras.prior import Prior
    from pymc_marketing.clv import BetaGeoModel

    data = pd.DataFrame({"customer_id": np.arange(len(h)), "frequency": h["x"],
                         "recency": h["t_x"], "T": h["T"]})
    config = None
    kwargs: dict = {}
    if method == "map":
        config = {name: Prior("HalfFlat") for name in ("r", "alpha", "a", "b")}
    else:
        kwargs = {"draws": 1000, "tune": 1000, "chains": 2, "cores": 1, "random_seed": 1,
                  "progressbar": False}
    start = time.perf_counter()
    model = BetaGeoModel(data=data, model_config=config)
    model.fit(method=method, **kwargs)
    seconds = time.perf_counter() - start
    post = model.idata.posterior
    out = {"seconds": seconds}
    for name in ("r", "alpha", "a", "b"):
        out[name] = float(post[name].mean())
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mcmc", action="store_true", help="also time NUTS sampling")
    parser.add_argument("--json", metavar="FILE", help="write the figures here")
    args = parser.parse_args()
    report: dict = {"versions": {d: md.version(d) for d in ("pymc-marketing", "pymc", "scipy")}}
    mine, theirs = closure("aftersales-sim"), closure("pymc-marketing")
    report["size_mb"] = {"pymc-marketing with its dependencies": size_mb(theirs),
                         "of which not already needed by the project": size_mb(theirs - mine),
                         "the project with its dependencies": size_mb(mine)}
    report["import_s"] = {
        "pymc_marketing.clv": import_seconds("import pymc_marketing.clv"),
        "scipy.optimize + scipy.special": import_seconds("import scipy.optimize, scipy.special"),
        "sim.calibrate.fit.bgnbd": import_seconds("import sim.calibrate.fit.bgnbd"),
    }
    sets = {"olist_sample": olist_histories(), "simulated_cdnow": simulated_histories()}
    cdnow = cdnow_histories()
    if cdnow is not None:
        sets["cdnow_summary"] = cdnow
    report["fits"] = {}
    for name, h in sets.items():
        row = {"customers": len(h), "repeat_buyers": int((h["x"] > 0).sum()),
               "ours": ours(h), "pymc_marketing_map": pymc_marketing(h, "map")}
        if args.mcmc and name != "olist_sample":
            row["pymc_marketing_mcmc"] = pymc_marketing(h, "mcmc")
        report["fits"][name] = row
    text = json.dumps(report, indent=2, default=float)
    print(text)
    if args.json:
        Path(args.json).write_text(text + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
