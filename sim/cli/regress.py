"""``sim regress record | check | bless``: the command-line side of regression checks (the
checks themselves are :mod:`sim.regress`), and the diff table a check prints.

Exit status of ``check``: 0 every counted tier passed, 1 a KPI shifted beyond its tolerance (or,
unless ``--fail-on statistical``, the exact outputs changed), 2 bad input (missing or damaged
baseline, bad scenario, bad tolerance file, bad argument).
"""

from __future__ import annotations

import argparse
import math
import sys
from pathlib import Path
from typing import Any

from ..present import numbers
from ..present.words import verdict_word, word
from ..regress import core
from ..regress.baseline import baseline_path, read_baseline, write_baseline
from ..regress.junit import write_junit
from ..regress.tolerances import load_tolerances
from ..scenario import Problem, ScenarioError
from .common import count, lang_option, seed, set_option, table, wrap

EXIT_OK, EXIT_SHIFTED, EXIT_USAGE = 0, 1, 2


def t(lang: str, key: str, **fields: Any) -> str:
    """The ``sim regress`` message ``key`` (``regress.KEY``) in ``lang``."""
    return word(f"regress.{key}", lang, **fields)


# ------------------------------------------------------------------------------------------------
# Argument types
# ------------------------------------------------------------------------------------------------
def _policies(text: str) -> list[str]:
    names = [p.strip() for p in text.split(",") if p.strip()]
    if not names:
        raise argparse.ArgumentTypeError("empty policy name")
    return names


def _alpha(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a number") from None
    if not 0 < value < 1:
        raise argparse.ArgumentTypeError(f"{value} is not between 0 and 1")
    return value


def _reps(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a whole number") from None
    if value < 2:
        raise argparse.ArgumentTypeError(f"{value} replication(s): the statistical tier needs "
                                         "at least 2 (5 or more recommended)")
    return value


# ------------------------------------------------------------------------------------------------
# Formatting
# ------------------------------------------------------------------------------------------------
def _fmt(value: float, unit: str, lang: str) -> str:
    return numbers.value(value, unit, lang)


def _change(row, lang: str) -> str:
    """The change of the mean, signed, with the relative change in brackets."""
    d = row.change
    if math.isnan(d):
        return numbers.MISSING
    rel = f" ({row.relative:+.1%})" if math.isfinite(row.relative) and d else ""
    return numbers.difference(d, row.unit, lang) + rel


def _size(value: float, unit: str, lang: str) -> str:
    """A margin in the KPI's unit (shares in percentage points), unsigned."""
    if unit == "share":
        return numbers.points(value, lang, signed=False)
    return numbers.value(value, unit, lang)


def _tolerance(row, lang: str) -> str:
    if row.verdict == "ignored":
        return verdict_word("ignored", lang)
    if math.isnan(row.tolerance):
        return numbers.MISSING
    return "±" + _size(row.tolerance, row.unit, lang)


def _sensitivity(file, lang: str) -> str | None:
    """One line naming the KPIs whose tolerance is below what the replications can resolve."""
    worst: dict[str, Any] = {}
    kpis = set()
    for pol in file.policies:
        for row in pol.rows:
            if math.isnan(row.detectable) or row.verdict == "ignored":
                continue
            kpis.add(row.kpi)
            if row.detectable > row.tolerance and (
                    row.kpi not in worst or row.detectable / max(row.tolerance, 1e-300)
                    > worst[row.kpi].detectable / max(worst[row.kpi].tolerance, 1e-300)):
                worst[row.kpi] = row
    if not worst:
        return None
    ranked = sorted(worst.values(), key=lambda r: -r.detectable / max(r.tolerance, 1e-300))
    shown = ", ".join(f"{r.kpi} ~{_size(r.detectable, r.unit, lang)} vs "
                      f"±{_size(r.tolerance, r.unit, lang)}" for r in ranked[:4])
    if len(ranked) > 4:
        shown += f" (+{len(ranked) - 4} more)"
    return t(lang, "sensitivity", n=len(worst), total=len(kpis), reps=min(file.reps),
             worst=shown)


def _p(value: float) -> str:
    if math.isnan(value):
        return numbers.MISSING
    return "<0.001" if value < 0.001 else f"{value:.3f}"


def render(result, directory: str, lang: str = "en", show: str = "moved") -> str:
    """The diff table and verdicts of a check, for people."""
    lines = [t(lang, "title", n=len(result.files), dir=directory, alpha=result.files[0].alpha
               if result.files else "-", fail_on=result.fail_on), ""]
    count_exact = result.fail_on in ("any", "exact")
    for file in result.files:
        overrides = ", ".join(f"{k}={v}" for k, v in file.overrides.items())
        lines.append(f"{file.scenario} ({file.source}; baseline {file.baseline_file})")
        lines.append(t(lang, "study", policies=len(file.policies), reps=file.reps[1],
                       seed=file.seed[1], overrides=f"; {overrides}" if overrides else ""))
        lines.append(t(lang, "exact"))
        width = max(len(p.policy) for p in file.policies)
        for pol in file.policies:
            if pol.exact_ok:
                state = f"{t(lang, 'identical')} (fingerprint {pol.new_fingerprint[:12]})"
            else:
                state = t(lang, "changed", n=len(pol.moved), total=len(pol.rows))
                if not count_exact:
                    state += " " + t(lang, "report_only")
            lines.append(f"    {pol.policy:<{width}}  {state}")
        causes = file.causes()
        if causes and not file.exact_ok:
            lines.append(t(lang, "causes", causes="; ".join(causes)))
        rows, hidden = [], 0
        for pol in file.policies:
            for row in pol.rows:
                keep = (show == "all" or (show == "moved" and row.verdict != "identical")
                        or (show == "failed" and row.failed))
                if not keep:
                    hidden += row.verdict == "identical"
                    continue
                rows.append([row.policy, row.kpi, _fmt(row.base_mean, row.unit, lang),
                             _fmt(row.new_mean, row.unit, lang), _change(row, lang),
                             _tolerance(row, lang), _p(row.p_adjusted),
                             verdict_word(row.verdict, lang)])
        if rows:
            lines.append(t(lang, "stat_tier"))
            headers = [word("col.policy", lang), word("col.kpi", lang),
                       *[t(lang, k) for k in ("base_mean", "new_mean", "change", "tolerance",
                                              "p")], word("col.verdict", lang)]
            text = table(headers, rows, right=[False, False, True, True, True, True, True,
                                               False])
            lines += ["    " + line for line in text.splitlines()]
            if hidden and show == "moved":
                lines.append(t(lang, "hidden", n=hidden))
        elif show != "failed":
            lines.append(t(lang, "no_moves"))
        note = _sensitivity(file, lang)
        if note:
            first, *rest = wrap(note, 96)
            lines += [first, *("    " + line for line in rest)]
        lines.append("")
    pols = [p for f in result.files for p in f.policies]
    kpis = sum(len(p.rows) for p in pols)
    shifted = sum(len(p.shifted) for p in pols)
    changed = sum(not p.exact_ok for p in pols)
    note = ""
    if result.fail_on != "any":
        tier = "exact" if result.fail_on == "statistical" else "statistical"
        note = t(lang, "not_counted", tier=tier, fail_on=result.fail_on)
    lines.append(t(lang, "result", stat=t(lang, "pass" if result.statistical_ok else "fail"),
                   shifted=shifted, kpis=kpis,
                   exact=t(lang, "pass" if result.exact_ok else "fail"), changed=changed,
                   outputs=len(pols), note=note, code=result.exit_code))
    return "\n".join(lines)


# ------------------------------------------------------------------------------------------------
# Commands
# ------------------------------------------------------------------------------------------------
def cmd_record(args: argparse.Namespace) -> int:
    lang = getattr(args, "lang", "en")
    policies = [p for chunk in (args.policies or []) for p in chunk] or None
    overrides = dict(args.set or [])
    stems: dict[str, str] = {}
    problems: list[Problem] = []
    studies = []
    for file in args.files:
        stem = Path(file).stem
        if stem in stems:
            problems.append(Problem("", f"'{file}' and '{stems[stem]}' would share the "
                                        f"baseline {stem}.json", "rename one of them"))
            continue
        stems[stem] = file
        path = baseline_path(args.baseline, file)
        if path.exists() and not args.update:
            problems.append(Problem("", t(lang, "exists", path=path),
                                    t(lang, "exists_fix", file=file, dir=args.baseline)))
            continue
        try:
            studies.append(core.plan(file, policies, args.reps, args.seed, overrides))
        except ScenarioError as err:
            problems += _located(err, file)
    if problems:
        raise ScenarioError(problems)
    _check_writable(args.baseline)
    for rec in core.run_studies(studies, args.jobs):
        path = _writing(write_baseline, rec, baseline_path(args.baseline, rec.source))
        print(t(lang, "recorded", scenario=rec.scenario, policies=len(rec.policies),
                reps=rec.reps, seed=rec.seed, path=path))
    return EXIT_OK


def cmd_bless(args: argparse.Namespace) -> int:
    """Re-run the studies stored in the baselines and overwrite them (after an intended change)."""
    lang = getattr(args, "lang", "en")
    if args.files:
        files = list(args.files)
        olds = core.load_baselines(files, args.baseline)
    else:
        paths = core.baselines_in(args.baseline)
        olds = [read_baseline(p) for p in paths]
        files = [o.source for o in olds]
        _distinct_stems(files, paths)
    problems: list[Problem] = []
    studies = []
    for file, old in zip(files, olds, strict=True):
        try:
            studies.append(core.study_of(old, file))
        except ScenarioError as err:
            problems += _located(err, file)
    if problems:
        raise ScenarioError(problems)
    _check_writable(args.baseline)
    for file, old, new in zip(files, olds, core.run_studies(studies, args.jobs), strict=True):
        path = _writing(write_baseline, new, baseline_path(args.baseline, file))
        print(t(lang, "blessed", scenario=new.scenario, path=path))
        for policy, rec in new.policies.items():
            before = old.policies.get(policy)
            if before is None:
                print(t(lang, "bless_new", policy=policy))
            elif before.fingerprint == rec.fingerprint:
                print(t(lang, "bless_same", policy=policy, fp=rec.fingerprint[:12]))
            else:
                moved = [k for k in rec.kpis if rec.kpis[k] != before.kpis.get(k)]
                print(t(lang, "bless_moved", policy=policy, n=len(moved), total=len(rec.kpis),
                        kpis=", ".join(moved)))
    return EXIT_OK


def cmd_check(args: argparse.Namespace) -> int:
    lang = getattr(args, "lang", "en")
    tol_path = args.tolerances
    if tol_path is None and (Path(args.baseline) / "tolerances.toml").is_file():
        tol_path = Path(args.baseline) / "tolerances.toml"
    tolerances = load_tolerances(tol_path)
    if args.alpha is not None:
        tolerances.alpha = args.alpha
    files = list(args.files)
    if not files:
        paths = core.baselines_in(args.baseline)
        files = [read_baseline(p).source for p in paths]
        _distinct_stems(files, paths)
    if args.junit:
        _check_writable(Path(args.junit).parent)
        if Path(args.junit).is_dir():
            raise ScenarioError([Problem("--junit", f"'{args.junit}' is a folder",
                                         "give a file name, e.g. out/regress.xml")])
    result = core.check(files, args.baseline, tolerances, args.seed, args.jobs, args.fail_on)
    print(render(result, args.baseline, lang, args.show))
    if args.junit:
        path = _writing(write_junit, result, args.junit)
        print(t(lang, "junit", path=path), file=sys.stderr)
    if not result.passed and args.seed is None:
        print(t(lang, "rebless", files=" ".join(args.files) + " " if args.files else "",
                dir=args.baseline), file=sys.stderr)
    return result.exit_code


def _located(err: ScenarioError, file: str) -> list[Problem]:
    where = err.source or file
    return [Problem(f"{where}: {p.path}" if p.path else where, p.message, p.fix)
            for p in err.problems]


def _distinct_stems(files: list[str], paths: list[Path]) -> None:
    """A baseline must sit under its scenario's stem (else check and bless would miss it)."""
    problems = [Problem(str(p), f"records '{f}', whose baseline would be {Path(f).stem}.json",
                        "rename the file, or record it again")
                for f, p in zip(files, paths, strict=True) if Path(f).stem != p.stem]
    if problems:
        raise ScenarioError(problems)


def _writing(write: Any, obj: Any, path: str | Path) -> Path:
    try:
        return write(obj, path)
    except OSError as err:
        raise ScenarioError([Problem("", f"cannot write '{path}': {err.strerror or err}",
                                     "check the path and its permissions")]) from None


def _check_writable(directory: str | Path) -> None:
    d = Path(directory)
    try:
        d.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise ScenarioError([Problem("", f"cannot create folder '{d}': {err.strerror}",
                                     "choose another folder")]) from None
    if not d.is_dir():
        raise ScenarioError([Problem("", f"'{d}' is not a folder", "choose another path")])


# ------------------------------------------------------------------------------------------------
# The parser
# ------------------------------------------------------------------------------------------------
def add_commands(sub: Any) -> None:
    """Add ``sim regress`` (record, check, bless) to the ``sim`` parser."""
    top = sub.add_parser(
        "regress", parents=[lang_option()],
        help="regression checks of model outputs for CI (回归检查)",
        description="Record the KPIs of a study as a baseline; check that a rerun still matches "
                    "it, exactly (same floats) and statistically (a shift beyond each KPI's "
                    "tolerance fails). See docs/ci-howto.md.",
        epilog="Examples:\n"
               "  sim regress record scenarios/*.toml --policies baseline,seven_day_return "
               "--reps 6 \\\n"
               "      --set scenario.horizon_days=90 --baseline regress\n"
               "  sim regress check scenarios/*.toml --baseline regress --junit out/regress.xml\n"
               "  sim regress bless --baseline regress\n\n"
               "Exit status of check: 0 pass, 1 a KPI shifted (or exact outputs changed), "
               "2 bad input.",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    rsub = top.add_subparsers(dest="regress_command", metavar="ACTION", required=True)

    def common(p: argparse.ArgumentParser) -> None:
        p.add_argument("--baseline", required=True, metavar="DIR",
                       help="folder of baseline files (one DIR/<file stem>.json per scenario)")
        p.add_argument("--jobs", type=count, default=None, metavar="N",
                       help="parallel worker processes (default: every core; 1 = in process); "
                            "results do not depend on it")

    p = rsub.add_parser("record", parents=[lang_option(), set_option()],
                        help="run a study and store its KPIs as a baseline",
                        description="Run each scenario file under the policies for N "
                                    "replications and store every KPI value, a fingerprint, "
                                    "the resolved scenario hash and the tool version in "
                                    "DIR/<file stem>.json. --set overrides are stored too, so "
                                    "check and bless rerun exactly the same study.")
    p.add_argument("files", nargs="+", metavar="FILE", help="scenario files (.toml)")
    common(p)
    p.add_argument("--policies", type=_policies, nargs="+", action="extend", metavar="NAME",
                   help="policies to record (names or comma lists; default: baseline)")
    p.add_argument("--reps", type=_reps, default=8, metavar="N",
                   help="replications per policy (default: 8; at least 2)")
    p.add_argument("--seed", type=seed, default=1, help="random seed (default: 1)")
    p.add_argument("--update", action="store_true",
                   help="overwrite existing baselines (re-baseline with new settings)")
    p.set_defaults(func=cmd_record)

    p = rsub.add_parser("check", parents=[lang_option()],
                        help="rerun the baselines' studies and compare (exit 1 on a shift)",
                        description="Rerun the study stored in each baseline and compare in two "
                                    "tiers: exact (identical fingerprint) and statistical (Welch "
                                    "t-test per KPI, Holm-adjusted per scenario file, and a "
                                    "shift larger than the KPI's tolerance). Without FILE, every "
                                    "baseline in DIR is checked. Exit 0 pass, 1 shift, 2 bad "
                                    "input.")
    p.add_argument("files", nargs="*", metavar="FILE",
                   help="scenario files (default: the sources stored in every DIR/*.json)")
    common(p)
    p.add_argument("--tolerances", metavar="FILE",
                   help="tolerance side file (TOML; default: DIR/tolerances.toml if present, "
                        "else built-in defaults)")
    p.add_argument("--alpha", type=_alpha, default=None,
                   help="family-wise error rate per scenario file (default: the tolerance "
                        "file's, else 0.05)")
    p.add_argument("--seed", type=seed, default=None,
                   help="rerun with another seed (the exact tier then fails by design; the "
                        "statistical tier should pass)")
    p.add_argument("--fail-on", choices=("any", "statistical", "exact"), default="any",
                   help="which tier decides the exit status (default: any; 'statistical' "
                        "reports exact changes without failing)")
    p.add_argument("--junit", metavar="FILE", help="also write the results as JUnit XML")
    p.add_argument("--show", choices=("moved", "failed", "all"), default="moved",
                   help="table rows: KPIs whose values moved (default), failures only, or all")
    p.set_defaults(func=cmd_check)

    p = rsub.add_parser("bless", parents=[lang_option()],
                        help="re-baseline after an intended change (reruns the stored study)",
                        description="Rerun the study stored in each baseline (same policies, "
                                    "reps, seed and overrides) and overwrite the baseline; says "
                                    "which KPIs moved. Without FILE, every baseline in DIR. "
                                    "Review the diff of the baseline files before committing.")
    p.add_argument("files", nargs="*", metavar="FILE",
                   help="scenario files (default: the sources stored in every DIR/*.json)")
    common(p)
    p.set_defaults(func=cmd_bless)
