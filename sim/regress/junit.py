"""JUnit XML of a check, so that CI systems (GitHub Actions, GitLab, Jenkins) show the diff.

One ``<testsuite>`` per scenario x policy (``regress.<file stem>.<policy>``) holding one
``<testcase>`` per KPI (statistical tier; a ``<failure>`` when it shifted) and one named
``exact fingerprint`` (exact tier; a ``<failure>`` when the outputs changed and ``--fail-on``
counts the exact tier, a note in ``<system-out>`` otherwise). The file is written atomically.
"""

from __future__ import annotations

import math
import xml.etree.ElementTree as ET
from pathlib import Path

from ..files import write_text
from .core import CheckResult, KpiResult, PolicyResult


def _num(x: float) -> str:
    return "nan" if math.isnan(x) else f"{x:.10g}"


def _detail(row: KpiResult) -> str:
    rel = f" ({row.relative:+.2%})" if math.isfinite(row.relative) else ""
    return (f"{row.scenario} / {row.policy} / {row.kpi} [{row.unit}]: verdict {row.verdict}\n"
            f"baseline mean {_num(row.base_mean)}, new mean {_num(row.new_mean)}, "
            f"change {_num(row.change)}{rel}\n"
            f"tolerance +/-{_num(row.tolerance)} ({row.rule}); Welch p {_num(row.p_value)}, "
            f"Holm-adjusted p {_num(row.p_adjusted)}; shift detectable with these "
            f"replications ~{_num(row.detectable)}\n"
            f"baseline values {row.base_values}\nnew values {row.new_values}\n")


def _exact_text(pol: PolicyResult, causes: list[str]) -> str:
    if pol.exact_ok:
        return f"identical outputs, fingerprint {pol.new_fingerprint}"
    moved = pol.moved
    text = (f"outputs changed: fingerprint {pol.base_fingerprint[:16]} -> "
            f"{pol.new_fingerprint[:16]}; {len(moved)} KPI(s) moved: {', '.join(moved)}")
    if causes:
        text += "\nbesides the model code, these differ: " + "; ".join(causes)
    return text


def junit_xml(result: CheckResult) -> str:
    """The JUnit XML text of a check."""
    count_exact = result.fail_on in ("any", "exact")
    count_stat = result.fail_on in ("any", "statistical")
    root = ET.Element("testsuites", name="sim regress")
    total = failures = 0
    total_time = 0.0
    for file in result.files:
        causes = file.causes()
        for pol in file.policies:
            suite_name = f"regress.{pol.stem}.{pol.policy}"
            suite = ET.SubElement(root, "testsuite", name=suite_name)
            props = ET.SubElement(suite, "properties")
            for key, value in (("scenario", file.scenario), ("source", file.source),
                               ("baseline", file.baseline_file), ("seed", str(file.seed[1])),
                               ("reps", str(file.reps[1])), ("alpha", str(file.alpha)),
                               ("fail_on", result.fail_on)):
                ET.SubElement(props, "property", name=key, value=value)
            n = fails = 0
            case = ET.SubElement(suite, "testcase", classname=suite_name,
                                 name="exact fingerprint", time=f"{pol.seconds:.3f}")
            n += 1
            text = _exact_text(pol, causes)
            if not pol.exact_ok and count_exact:
                fails += 1
                ET.SubElement(case, "failure", message="outputs changed", type="exact").text = text
            else:
                if not pol.exact_ok:
                    text += "\n(report only: --fail-on statistical)"
                ET.SubElement(case, "system-out").text = text
            for row in pol.rows:
                case = ET.SubElement(suite, "testcase", classname=suite_name, name=row.kpi,
                                     time="0")
                n += 1
                if row.failed and count_stat:
                    fails += 1
                    rel = f" ({row.relative:+.2%})" if math.isfinite(row.relative) else ""
                    message = (f"{row.kpi} {row.verdict}: {_num(row.base_mean)} -> "
                               f"{_num(row.new_mean)}{rel}, tolerance +/-{_num(row.tolerance)}")
                    ET.SubElement(case, "failure", message=message,
                                  type=row.verdict.lower()).text = _detail(row)
                else:
                    note = "" if count_stat else "\n(report only: --fail-on exact)"
                    ET.SubElement(case, "system-out").text = _detail(row) + note
            suite.set("tests", str(n))
            suite.set("failures", str(fails))
            suite.set("errors", "0")
            suite.set("skipped", "0")
            suite.set("time", f"{pol.seconds:.3f}")
            total += n
            failures += fails
            total_time += pol.seconds
    root.set("tests", str(total))
    root.set("failures", str(failures))
    root.set("errors", "0")
    root.set("time", f"{total_time:.3f}")
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def write_junit(result: CheckResult, path: str | Path) -> Path:
    """Write the JUnit XML of ``result`` atomically (creating the folder)."""
    return write_text(path, junit_xml(result))
