"""Words of tables: verdicts and column headers, English and Chinese.

One table of verdicts serves every kind of judgement the project prints: a comparison with the
baseline (:func:`sim.experiment.stats.verdict`), a regression check (``sim regress``) and a
calibration's holdout validation (``sim calibrate``).
"""

from __future__ import annotations

#: Verdicts: (English, Chinese).
VERDICTS: dict[str, tuple[str, str]] = {
    # a comparison with the baseline
    "better": ("better", "更好"),
    "worse": ("worse", "更差"),
    "no clear difference": ("no clear difference", "无明显差异"),
    "higher": ("higher", "更高"),
    "lower": ("lower", "更低"),
    "baseline": ("baseline", "基准"),
    "identical": ("identical", "完全相同"),
    # a regression check
    "noise": ("noise", "噪声内"),
    "within tolerance": ("within tolerance", "容差内"),
    "SHIFTED": ("SHIFTED", "偏移"),
    "new KPI": ("new KPI", "新指标"),
    "REMOVED": ("REMOVED", "已删除"),
    "ignored": ("ignored", "忽略"),
    # a holdout validation
    "fits": ("fits", "吻合"),
    "misses": ("misses", "不吻合"),
    "no data": ("no data", "无数据"),
}

#: Column headers of tables and axis words of plots: (English, Chinese).
COLUMNS: dict[str, tuple[str, str]] = {
    "policy": ("policy", "策略"),
    "kpi": ("KPI", "指标"),
    "name": ("name", "中文名"),
    "unit": ("unit", "单位"),
    "value": ("value", "数值"),
    "n": ("n", "次数"),
    "reps": ("replications", "重复次数"),
    "mean": ("mean", "均值"),
    "sd": ("sd", "标准差"),
    "ci": ("95% CI", "95% 置信区间"),
    "ci_low": ("CI low", "置信下限"),
    "ci_high": ("CI high", "置信上限"),
    "diff": ("vs baseline", "与基准之差"),
    "diff_mean": ("difference", "差值"),
    "diff_ci_low": ("difference CI low", "差值置信下限"),
    "diff_ci_high": ("difference CI high", "差值置信上限"),
    "verdict": ("verdict", "结论"),
    "p_best": ("P(best)", "最优概率"),
    "point": ("point", "取值点"),
    "parameter": ("parameter", "参数"),
    "low": ("low", "低值"),
    "high": ("high", "高值"),
    "kpi_at_low": ("at low", "取低值时"),
    "kpi_at_high": ("at high", "取高值时"),
    "base": ("base", "基准值"),
    "swing": ("swing", "摆幅"),
    "var_common": ("var, common RNs", "方差 (共同随机数)"),
    "var_independent": ("var, independent RNs", "方差 (独立随机数)"),
    "ratio": ("ratio", "比值"),
    "date": ("date", "日期"),
    "day": ("day", "天"),
    "amount": ("amount", "金额"),
    "type": ("type", "类型"),
    "better": ("better", "方向"),
    "definition": ("definition", "定义"),
    "description": ("description", "说明"),
    "source": ("source", "来源"),
    "stated": ("stated range", "声明范围"),
    "series": ("series", "序列"),
    "truncation": ("MSER-5 truncation (days)", "MSER-5 截断 (天)"),
}
