"""Words of the charts: titles, axis labels and legend entries, English and Chinese."""

from __future__ import annotations

#: Plot titles, axis labels and legend words: (English, Chinese).
WORDS: dict[str, tuple[str, str]] = {
    "kpi_comparison": ("Mean per policy with 95% confidence interval",
                       "各策略均值及 95% 置信区间"),
    "kpi_differences": ("Paired difference from the baseline with 95% confidence interval",
                        "与基准的配对差值及 95% 置信区间"),
    "cost_breakdown": ("After-sales cost by type (mean per replication)",
                       "按类型的售后成本 (每次模拟的平均值)"),
    "rating_over_time": ("Shop rating over time (mean, band: 5-95% of replications)",
                         "店铺评分随时间变化 (均值, 阴影: 各次模拟的 5-95% 范围)"),
    "tradeoff": ("Trade-off between policies (95% confidence intervals)",
                 "策略之间的权衡 (95% 置信区间)"),
    "tornado": ("Sensitivity of {kpi} (one parameter at a time)",
                "{kpi}的敏感性 (每次只改变一个参数)"),
    "negative_and_repeat": ("Negative reviews and repeat purchases (95% confidence intervals)",
                            "差评率与复购率 (95% 置信区间)"),
    "baseline_mean": ("baseline mean", "基准均值"),
    "baseline_marked": ("baseline", "基准"),
    "no_difference": ("no difference", "无差异"),
    "credits": ("credits (below zero)", "抵减 (零以下)"),
    "total": ("total", "合计"),
    "cost_axis": ("after-sales cost per replication (yuan)", "每次模拟的售后成本 (元)"),
    "rating_axis": ("shop rating (stars)", "店铺评分 (星)"),
    "at_low": ("parameter at its low value", "参数取低值"),
    "at_high": ("parameter at its high value", "参数取高值"),
    "base_value": ("base: {value}", "基准: {value}"),
    "scenario": ("scenario {name}, {reps} replications", "场景 {name}, 重复 {reps} 次"),
    "warmup": ("Warm-up of {name}: daily series from empty (mean of {reps} replications, "
               "7-day average)", "{name} 的预热期: 从空状态开始的每日序列 ({reps} 次模拟均值, "
               "7 日平均)"),
    "warmup_cut": ("recommended warm-up: {days} days", "建议预热期: {days} 天"),
    "series_cut": ("MSER-5: {days} days", "MSER-5: {days} 天"),
    "series.orders": ("orders per day", "每日订单"),
    "series.rating": ("shop rating", "店铺评分"),
    "series.open_orders": ("open orders", "未完结订单"),
    "series.returns": ("returns per day", "每日退货"),
    "days_from_start": ("days from the start of the run", "距开始的天数"),
}
