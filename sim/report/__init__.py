"""Scenario reports: a policy comparison as one self-contained HTML page (English or Chinese),
with an Excel workbook of its tables and an optional PDF.

    from sim.experiment import compare
    from sim.report import build_report, write_report
    result = compare(file, ["seven_day_return", "review_window_returns"], reps=10)
    write_report("reports/apparel.html", result, file, lang="zh")

The builder only presents: it takes a finished :class:`~sim.experiment.Comparison` (and,
optionally, a sensitivity table); ``sim report`` (:mod:`sim.cli.report`) runs the comparison,
reusing stored replications, and calls it. Words and numbers come from :mod:`sim.present`.
"""

from .builder import ReportMeta, build_report, report_content, write_report

__all__ = ["ReportMeta", "build_report", "report_content", "write_report"]
