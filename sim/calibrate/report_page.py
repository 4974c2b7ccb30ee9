"""Words and the page template of the fit report (English and Simplified Chinese).

Texts are plain (no HTML): the page is rendered with Jinja2 autoescaping, so every value is
escaped, ours and the export's alike. Both languages must have the same keys (a test checks it).
"""

# ruff: noqa: E501  (texts and the HTML template keep their long lines)

from __future__ import annotations

from .metrics import LATE_BUCKETS

# ------------------------------------------------------------------------------------------------
# Words
# ------------------------------------------------------------------------------------------------
TEXT: dict[str, dict[str, str]] = {
    "en": {
        "title": "Calibration and fit report: {name}",
        "lede": "How well the model, fitted to this shop's own order export, behaves like the "
                "shop, shown on a period the fit did not see.",
        "fact.data": "Data", "fact.orders": "Orders read", "fact.fitted": "Fitted on",
        "fact.holdout": "Validated on", "fact.platform": "Platform rules",
        "fact.reps": "Replications", "fact.generated": "Generated",
        "fact.fitted_v": "{n} orders, {first} to {last}",
        "fact.holdout_v": "{n} orders, {first} to {last}",
        "fact.none": "no holdout (fit only)",
        "contents": "Contents",
        "sec.summary": "Summary", "sec.validation": "Validation on the holdout period",
        "sec.charts": "Charts", "sec.fitted": "Fitted values",
        "sec.defaults": "What the export cannot identify", "sec.rows": "Rows read and set aside",
        "sec.repro": "Reproducibility",
        "sum.count": "{fits} of {total} statistics of the holdout period fit: the simulated "
                     "value lies inside the observed value's 95% sampling interval (for score "
                     "distributions: the total-variation distance is within what sampling "
                     "alone gives 95% of the time).",
        "sum.targets": "Quality targets:",
        "sum.target": "{label}: simulated {sim} (95% interval {sim_ci}), observed {obs} "
                      "({obs_ci}), n = {n}: {verdict}.",
        "sum.target_tv": "{label}: total-variation distance {tv} against {thr} from sampling "
                         "alone (n = {n}): {verdict}.",
        "sum.misses": "Where the model misses:",
        "sum.no_misses": "The model misses none of the statistics compared.",
        "sum.miss": "{label}: simulated {sim}, observed {obs} ({obs_ci}); {before} in the fitted period. {hint}",
        "sum.miss_tv": "{label}: total-variation distance {tv} between simulated and observed, "
                       "more than the {thr} that sampling alone gives. {hint}",
        "sum.no_holdout": "No holdout period: run with --holdout-from DATE to fit on the "
                          "earlier orders and validate on the later ones.",
        "sum.notes": "Notes:",
        "v.fits": "fits", "v.misses": "misses", "v.no data": "no data",
        "col.stat": "Statistic", "col.sim": "Simulated", "col.sim_ci": "Simulated 95% interval",
        "col.obs": "Observed", "col.obs_ci": "Observed 95% interval", "col.n": "n",
        "col.dist": "Distance", "col.verdict": "Verdict", "col.inside": "Observed inside "
        "simulated interval",
        "col.param": "Value", "col.key": "Scenario key", "col.value": "Estimate",
        "col.ci": "95% interval", "col.rows": "Rows", "col.period": "Dates",
        "col.method": "Method", "col.status": "Status", "col.table": "Table",
        "col.reason": "Reason", "col.count": "Rows", "col.effect": "What happened",
        "col.section": "Section", "col.fields": "Values kept at their default",
        "yes": "yes", "no": "no",
        "val.intro": "The scenario fitted on the orders before {cut} simulates the period "
                     "{first} to {last} ({days} days, after a {warmup}-day warm-up; demand "
                     "feedback off) {reps} times, each replication with the fitted parameters "
                     "drawn from their uncertainty. Simulated: mean and 2.5-97.5% of the "
                     "replications. Observed: the holdout orders, with 95% sampling intervals "
                     "(Wilson for shares, order statistics for quantiles, exact Poisson for "
                     "rates). Distance: simulated minus observed; for score distributions the "
                     "total-variation distance and, in brackets, the distance sampling alone "
                     "stays below 95% of the time at the observed n.",
        "grp.volume": "Orders", "grp.delivery": "Dispatch and delivery",
        "grp.reviews": "Reviews", "grp.loyalty": "Repeat purchases",
        "fit.intro": "Every value the export could speak to, with its 95% interval, the rows "
                     "and dates behind it and the method. 'measured' values describe the data "
                     "and are not written to the scenario.",
        "st.fitted": "fitted", "st.set": "set", "st.default": "default",
        "st.measured": "measured",
        "def.intro": "These values stay at the schema's or the platform's default; the scenario "
                     "file says so beside each of them.",
        "rows.intro": "Rows read: {read}. Rows that could not be used, or only in part:",
        "rows.none": "Every row was used.",
        "notes.fit": "Notes from the fit", "notes.val": "Notes on the holdout",
        "ch.orders": "Orders per day",
        "ch.orders.cap": "Observed orders per day (dots), the fitted level (line) and, over the "
                         "holdout period, the simulated mean with its 5-95% band.",
        "ch.delivery": "Purchase to delivery",
        "ch.delivery.cap": "Left: days from purchase to delivery in the fitted period, observed "
                           "(bars) and as the fitted model produces them (line). Right: "
                           "quantiles in the holdout period, observed (95% interval) and "
                           "simulated (2.5-97.5% of replications).",
        "ch.lateness": "Negative reviews by lateness",
        "ch.lateness.cap": "Share of 1-2 star reviews by days late: the fitted score model "
                           "(line, 95% band from the fit's uncertainty), observed by bucket in "
                           "the fitted and holdout periods (95% intervals) and simulated in "
                           "the holdout (2.5-97.5% of replications).",
        "ch.scores": "Review-score distributions in the holdout",
        "ch.scores.cap": "Share of each score among reviewed deliveries: observed and "
                         "simulated (error bars: 2.5-97.5% of replications).",
        "ax.date": "date", "ax.orders": "orders per day", "ax.observed": "observed",
        "ax.fitted": "fitted", "ax.simulated": "simulated", "ax.days": "days",
        "ax.density": "share of orders", "ax.quantile": "quantile", "ax.days_late":
        "days late (0 = on the promised date)", "ax.neg": "share of 1-2 star reviews",
        "ax.obs_fit": "observed, fitted period", "ax.obs_hold": "observed, holdout",
        "ax.model": "fitted model", "ax.score": "score (stars)", "ax.share": "share",
        "ax.all": "all deliveries", "ax.on_time": "on time", "ax.late": "late",
        "ax.fit_period": "fitted period", "ax.holdout": "holdout",
        "ft.version": "Software", "ft.scenario": "Scenario written", "ft.command": "Command",
        "ft.seed": "Seed", "ft.generated": "Generated", "ft.attribution": "Data attribution",
        "ft.none": "not written",
    },
    "zh": {
        "title": "校准与拟合报告：{name}",
        "lede": "用店铺自己的订单导出数据拟合模型后，模型与店铺的实际表现有多接近——并在拟合时未使用的时期上检验。",
        "fact.data": "数据", "fact.orders": "读取订单", "fact.fitted": "拟合数据",
        "fact.holdout": "检验数据", "fact.platform": "平台规则", "fact.reps": "重复次数",
        "fact.generated": "生成时间",
        "fact.fitted_v": "{n} 单，{first} 至 {last}",
        "fact.holdout_v": "{n} 单，{first} 至 {last}",
        "fact.none": "无检验期 (仅拟合)",
        "contents": "目录",
        "sec.summary": "摘要", "sec.validation": "检验期对比", "sec.charts": "图表",
        "sec.fitted": "拟合值", "sec.defaults": "导出数据无法识别的参数",
        "sec.rows": "读取与未使用的行", "sec.repro": "可复现信息",
        "sum.count": "检验期的 {total} 项统计中有 {fits} 项吻合：模拟值落在观测值的 95% 抽样区间内"
                     "(评分分布：总变差距离不超过仅由抽样造成的 95% 水平)。",
        "sum.targets": "质量目标：",
        "sum.target": "{label}：模拟 {sim} (95% 区间 {sim_ci})，观测 {obs} ({obs_ci})，"
                      "n = {n}：{verdict}。",
        "sum.target_tv": "{label}：总变差距离 {tv}，仅抽样造成的水平为 {thr} (n = {n})：{verdict}。",
        "sum.misses": "模型未能吻合之处：",
        "sum.no_misses": "所比较的统计全部吻合。",
        "sum.miss": "{label}：模拟 {sim}，观测 {obs} ({obs_ci})；拟合期为 {before}。{hint}",
        "sum.miss_tv": "{label}：模拟与观测的总变差距离为 {tv}，超过仅由抽样造成的 {thr}。{hint}",
        "sum.no_holdout": "没有检验期：加上 --holdout-from 日期，用较早的订单拟合、较晚的订单检验。",
        "sum.notes": "说明：",
        "v.fits": "吻合", "v.misses": "不吻合", "v.no data": "无数据",
        "col.stat": "统计量", "col.sim": "模拟", "col.sim_ci": "模拟 95% 区间", "col.obs": "观测",
        "col.obs_ci": "观测 95% 区间", "col.n": "n", "col.dist": "差距", "col.verdict": "结论",
        "col.inside": "观测值在模拟区间内",
        "col.param": "数值", "col.key": "场景参数", "col.value": "估计值", "col.ci": "95% 区间",
        "col.rows": "行数", "col.period": "日期", "col.method": "方法", "col.status": "类别",
        "col.table": "表", "col.reason": "原因", "col.count": "行数", "col.effect": "处理方式",
        "col.section": "部分", "col.fields": "保持默认值的参数",
        "yes": "是", "no": "否",
        "val.intro": "用 {cut} 之前的订单拟合的场景，模拟 {first} 至 {last} ({days} 天，先预热 {warmup} "
                     "天；关闭需求反馈) 共 {reps} 次，每次都从拟合的不确定性中抽取参数。模拟：各次的均值"
                     "与 2.5-97.5% 区间。观测：检验期订单及其 95% 抽样区间 (比例用 Wilson，分位数用"
                     "次序统计量，速率用精确泊松)。差距：模拟减观测；评分分布为总变差距离，括号内为在"
                     "观测样本量下仅由抽样造成的 95% 水平。",
        "grp.volume": "订单量", "grp.delivery": "发货与送达", "grp.reviews": "评价",
        "grp.loyalty": "复购",
        "fit.intro": "导出数据能够说明的每个参数，附 95% 区间、所依据的行数与日期、以及方法。"
                     "“观测”类数值描述数据本身，不写入场景。",
        "st.fitted": "拟合", "st.set": "设定", "st.default": "默认", "st.measured": "观测",
        "def.intro": "以下参数保持模型或平台的默认值，场景文件中每个值旁都注明了这一点。",
        "rows.intro": "读取行数：{read}。无法使用或仅部分使用的行：",
        "rows.none": "所有行都已使用。",
        "notes.fit": "拟合说明", "notes.val": "检验期说明",
        "ch.orders": "每日订单",
        "ch.orders.cap": "每日实际订单 (点)、拟合水平 (线)，以及检验期内模拟均值与 5-95% 区间带。",
        "ch.delivery": "下单到送达",
        "ch.delivery.cap": "左：拟合期内下单到送达的天数，实际 (柱) 与拟合模型 (线)。右：检验期的"
                           "分位数，实际 (95% 区间) 与模拟 (各次的 2.5-97.5%)。",
        "ch.lateness": "按延迟天数的差评率",
        "ch.lateness.cap": "按延迟天数的 1-2 星评价占比：拟合的评分模型 (线，带为拟合不确定性的 95%)，"
                           "拟合期与检验期按区间的实际值 (95% 区间)，以及检验期的模拟值。",
        "ch.scores": "检验期评分分布",
        "ch.scores.cap": "有评价的已送达订单中各星级的占比：实际与模拟 (误差线：各次的 2.5-97.5%)。",
        "ax.date": "日期", "ax.orders": "每日订单", "ax.observed": "实际", "ax.fitted": "拟合",
        "ax.simulated": "模拟", "ax.days": "天", "ax.density": "订单占比",
        "ax.quantile": "分位数", "ax.days_late": "延迟天数 (0 = 承诺日期当天)",
        "ax.neg": "1-2 星评价占比", "ax.obs_fit": "实际，拟合期", "ax.obs_hold": "实际，检验期",
        "ax.model": "拟合模型", "ax.score": "评分 (星)", "ax.share": "占比",
        "ax.all": "全部送达", "ax.on_time": "准时", "ax.late": "延迟",
        "ax.fit_period": "拟合期", "ax.holdout": "检验期",
        "ft.version": "软件", "ft.scenario": "写入的场景", "ft.command": "命令",
        "ft.seed": "随机种子", "ft.generated": "生成时间", "ft.attribution": "数据来源",
        "ft.none": "未写入",
    },
}

#: Statistic labels: (English, Chinese).
STAT_LABELS: dict[str, tuple[str, str]] = {
    "orders_per_day": ("Orders per day", "日均订单"),
    "late_share": ("Late deliveries (share of delivered orders)", "延迟送达占比"),
    "late_dispatch_share": ("Dispatched after the deadline", "超时发货占比"),
    "cancelled_share": ("Cancelled before dispatch", "发货前取消占比"),
    "not_delivered_share": ("Dispatched but never delivered", "发货后未送达占比"),
    "review_share": ("Delivered orders with a review", "有评价的已送达订单占比"),
    "neg_share_on_time": ("Negative reviews (1-2 stars), on-time deliveries", "准时订单差评率"),
    "neg_share_late": ("Negative reviews, late deliveries", "延迟订单差评率"),
    "scores_all": ("Score distribution, all deliveries (TV distance)",
                   "评分分布，全部送达 (总变差距离)"),
    "scores_on_time": ("Score distribution, on-time deliveries (TV)", "评分分布，准时 (总变差)"),
    "scores_late": ("Score distribution, late deliveries (TV)", "评分分布，延迟 (总变差)"),
    "repeat_rate": ("Buyers with two or more orders", "下单两次及以上的买家占比"),
}
for _q in (10, 25, 50, 75, 90):
    STAT_LABELS[f"delivery_days_q{_q}"] = (f"Purchase to delivery, {_q}% quantile (days)",
                                           f"下单到送达天数，{_q}% 分位")
for _b in LATE_BUCKETS:
    STAT_LABELS[f"neg_share_{_b}"] = (f"Negative reviews, {_b} days late",
                                      f"差评率，延迟 {_b} 天")
    STAT_LABELS[f"scores_{_b}"] = (f"Score distribution, {_b} days late (TV)",
                                   f"评分分布，延迟 {_b} 天 (总变差)")

#: Why a statistic may miss: (English, Chinese).
HINTS: dict[str, tuple[str, str]] = {
    "orders_per_day": ("The fitted trend and peaks do not carry into this period (a peak the "
                       "fitted period did not show, or growth that changed).",
                       "拟合的趋势与高峰不适用于这一时期 (拟合期未出现的高峰，或增长发生了变化)。"),
    "late_share": ("Carrier times or promises changed after the fitted period; the model "
                   "carries the fitted period's forward.",
                   "拟合期之后承运时间或承诺时效发生了变化；模型沿用拟合期的数值。"),
    "delivery": ("Deliveries took a different time than in the fitted period; the model "
                 "carries the fitted period's dispatch and carrier times forward.",
                 "送达所需时间与拟合期不同；模型沿用拟合期的发货与运输时间。"),
    "late_dispatch_share": ("Dispatch took a different time than in the fitted period.",
                            "发货所需时间与拟合期不同。"),
    "cancelled_share": ("The cancellation rate changed between the periods.",
                        "两个时期的取消率不同。"),
    "not_delivered_share": ("The non-delivery rate changed between the periods.",
                            "两个时期的未送达率不同。"),
    "review_share": ("In the model, buyers whose order is refunded (returns, lost parcels) "
                     "never review; this export has a review for nearly every delivered order.",
                     "模型中退款的订单 (退货、丢件) 不会评价；而该导出数据几乎每个已送达订单都有评价。"),
    "on_time": ("The review mix of on-time deliveries changed between the periods; the model "
                "carries the fitted period's forward.",
                "准时订单的评分构成在两个时期间发生了变化；模型沿用拟合期的构成。"),
    "late": ("Few late deliveries in the fitted period: the lateness curve is uncertain; "
             "also, the mix of how late the late orders were differs.",
             "拟合期延迟订单较少，延迟曲线不确定；且延迟订单的延迟天数构成也不同。"),
    "scores_all": ("The overall mix follows the share of late deliveries and the on-time mix "
                   "(see those rows).", "总体构成取决于延迟占比与准时订单的构成 (见相应行)。"),
    "repeat_rate": ("Repeat purchases are rare and the fitted period short.",
                    "复购很少，且拟合期较短。"),
}


_EXTRA_CSS = """
.v.fits { color:#1a7f37; font-weight:600; } .v.misses { color:#c62828; font-weight:600; }
.v.no-data { color:#6e7781; }
ul.targets li.fits { color:#1a7f37; } ul.targets li.misses { color:#c62828; }
ul.targets li { font-weight:600; }
table.validation { font-size:0.84rem; }
table.validation td:first-child { min-width:14em; }
table.validation td.dist { white-space:normal; min-width:7.5em; font-size:0.78rem;
  text-align:left; }
tr.group td { background:#eef3f8 !important; font-weight:600; }
ul.misses li { margin:4px 0; }
.attribution { color:#59636e; font-size:0.86rem; }
td.method { font-size:0.82rem; color:#3d444d; max-width:26em; }
"""

TEMPLATE = r"""<!DOCTYPE html>
<html lang="{{ html_lang }}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy"
      content="default-src 'none'; img-src data:; style-src 'unsafe-inline'">
<meta name="generator" content="aftersales-sim {{ version }}">
<title>{{ title }}</title>
<style>{{ css }}</style>
</head>
<body>
<div class="page">
<header class="top">
<h1 id="title">{{ title }}</h1>
<p class="lede">{{ lede }}</p>
<dl class="facts">
{% for name, value in facts %}<div><dt>{{ name }}</dt><dd>{{ value }}</dd></div>
{% endfor %}</dl>
{% if attribution %}<p class="attribution" id="attribution">{{ attribution }}</p>{% endif %}
</header>

<nav class="toc"><strong>{{ t("contents") }}</strong><ol>
{% for id, name in sections %}<li><a href="#{{ id }}">{{ name }}</a></li>
{% endfor %}</ol></nav>

<main>
<section id="summary" class="summary">
<h2>{{ t("sec.summary") }}</h2>
{% if validation %}
<p>{{ summary.count }}</p>
<p><strong>{{ t("sum.targets") }}</strong></p>
<ul class="plain targets" id="targets">{% for line, verdict in summary.targets %}<li class="{{ verdict }}">{{ line }}</li>{% endfor %}</ul>
<p><strong>{{ t("sum.misses") }}</strong></p>
{% if summary.misses %}<ul class="plain misses" id="misses">{% for line in summary.misses %}<li>{{ line }}</li>{% endfor %}</ul>
{% else %}<p>{{ t("sum.no_misses") }}</p>{% endif %}
{% if summary.notes %}<p><strong>{{ t("sum.notes") }}</strong></p><ul class="plain">{% for n in summary.notes %}<li>{{ n }}</li>{% endfor %}</ul>{% endif %}
{% else %}<p id="no-holdout">{{ t("sum.no_holdout") }}</p>{% endif %}
</section>

{% if validation %}
<section id="validation">
<h2>{{ t("sec.validation") }}</h2>
<p>{{ validation.intro }}</p>
<div class="tablewrap"><table class="validation" id="validation-table">
<thead><tr><th>{{ t("col.stat") }}</th><th class="num">{{ t("col.sim") }}</th><th class="num">{{ t("col.sim_ci") }}</th><th class="num">{{ t("col.obs") }}</th><th class="num">{{ t("col.obs_ci") }}</th><th class="num">{{ t("col.n") }}</th><th class="num">{{ t("col.dist") }}</th><th>{{ t("col.verdict") }}</th><th>{{ t("col.inside") }}</th></tr></thead>
<tbody>
{% for group, rows in validation.groups %}<tr class="group"><td colspan="9">{{ group }}</td></tr>
{% for r in rows %}<tr data-stat="{{ r.name }}"><td>{{ r.label }}</td><td class="num{% if r.dist %} dist{% endif %}">{{ r.sim }}</td><td class="num">{{ r.sim_ci }}</td><td class="num{% if r.dist %} dist{% endif %}">{{ r.obs }}</td><td class="num">{{ r.obs_ci }}</td><td class="num">{{ r.n }}</td><td class="num">{{ r.distance }}</td><td><span class="v {{ r.verdict_class }}">{{ r.verdict }}</span></td><td>{{ r.inside }}</td></tr>
{% endfor %}{% endfor %}</tbody></table></div>
</section>
{% endif %}

<section id="charts">
<h2>{{ t("sec.charts") }}</h2>
{% for chart in charts %}<figure id="{{ chart.id }}">
<h3>{{ chart.title }}</h3>
<img src="data:image/png;base64,{{ chart.png }}" alt="{{ chart.title }}">
<figcaption>{{ chart.caption }}</figcaption>
</figure>
{% endfor %}
</section>

<section id="fitted">
<h2>{{ t("sec.fitted") }}</h2>
<p>{{ t("fit.intro") }}</p>
<div class="tablewrap"><table class="fitted" id="fitted-table">
<thead><tr><th>{{ t("col.param") }}</th><th class="num">{{ t("col.value") }}</th><th class="num">{{ t("col.ci") }}</th><th class="num">{{ t("col.rows") }}</th><th>{{ t("col.period") }}</th><th>{{ t("col.method") }}</th><th>{{ t("col.status") }}</th></tr></thead>
<tbody>{% for f in fitted %}<tr><td>{{ f.label }}{% if f.key %}<span class="id"><code>{{ f.key }}</code></span>{% endif %}</td><td class="num">{{ f.value }}</td><td class="num">{{ f.ci }}</td><td class="num">{{ f.n }}</td><td>{{ f.period }}</td><td class="method">{{ f.method }}{% if f.note %}<br>{{ f.note }}{% endif %}</td><td>{{ f.status }}</td></tr>
{% endfor %}</tbody></table></div>
{% if fit_notes %}<h3>{{ t("notes.fit") }}</h3><ul class="plain">{% for n in fit_notes %}<li>{{ n }}</li>{% endfor %}</ul>{% endif %}
</section>

<section id="defaults">
<h2>{{ t("sec.defaults") }}</h2>
<p>{{ t("def.intro") }}</p>
<div class="tablewrap"><table class="defaults">
<thead><tr><th>{{ t("col.section") }}</th><th>{{ t("col.fields") }}</th><th>{{ t("col.reason") }}</th></tr></thead>
<tbody>{% for sec, fields, reason in defaults %}<tr><td><code>{{ sec }}</code></td><td>{{ fields }}</td><td>{{ reason }}</td></tr>
{% endfor %}</tbody></table></div>
</section>

<section id="rows">
<h2>{{ t("sec.rows") }}</h2>
<p>{{ rows.intro }}</p>
{% if rows.issues %}<div class="tablewrap"><table class="accounting" id="accounting">
<thead><tr><th>{{ t("col.table") }}</th><th>{{ t("col.reason") }}</th><th class="num">{{ t("col.count") }}</th><th>{{ t("col.effect") }}</th></tr></thead>
<tbody>{% for i in rows.issues %}<tr><td>{{ i.table }}</td><td>{{ i.reason }}</td><td class="num">{{ i.count }}</td><td>{{ i.effect }}</td></tr>
{% endfor %}</tbody></table></div>{% else %}<p>{{ t("rows.none") }}</p>{% endif %}
</section>
</main>

<footer class="repro" id="repro">
<h2>{{ t("sec.repro") }}</h2>
<dl>
<dt>{{ t("ft.version") }}</dt><dd>aftersales-sim {{ version }}</dd>
<dt>{{ t("ft.scenario") }}</dt><dd><code>{{ scenario_path }}</code></dd>
<dt>{{ t("ft.command") }}</dt><dd>{% if command %}<pre id="command">{{ command }}</pre>{% else %}–{% endif %}</dd>
{% if seed is not none %}<dt>{{ t("ft.seed") }}</dt><dd>{{ seed }}</dd>{% endif %}
{% if attribution %}<dt>{{ t("ft.attribution") }}</dt><dd>{{ attribution }}</dd>{% endif %}
<dt>{{ t("ft.generated") }}</dt><dd>{{ generated }}</dd>
</dl>
</footer>
</div>
</body>
</html>
"""


#: Chinese names of the fitted values (English labels from :mod:`.fit` as keys).
FIT_LABELS_ZH: dict[str, str] = {
    "orders per day": "日均订单",
    "orders per day at the end of the fitted period": "拟合期末的日均订单",
    "weekday factors (Mon..Sun, mean 1)": "星期系数 (周一..周日，均值 1)",
    "trend (relative growth per year)": "趋势 (每年相对增长)",
    "catalogue (price bands)": "商品目录 (价格段)",
    "catalogue: price bands (mean price, share)": "商品目录：价格段 (平均价格，占比)",
    "mean order value": "平均订单金额",
    "outbound shipping cost per order": "每单发货运费",
    "hour of the daily dispatch batch": "每日集中发货时刻",
    "handling time (median)": "备货时间 (中位数)",
    "handling time before the batch (median)": "发货前备货时间 (中位数)",
    "handling time log-sd": "备货时间对数标准差",
    "purchase-to-dispatch days (median)": "下单到发货天数 (中位数)",
    "share dispatched after the seller's deadline": "超过卖家发货期限的占比",
    "dispatch promise (hours)": "发货承诺 (小时)",
    "transit time (median)": "运输时间 (中位数)",
    "transit time log-sd": "运输时间对数标准差",
    "share of deliveries after the promised date": "晚于承诺日期送达的占比",
    "promised transit days": "承诺运输天数",
    "purchase-to-delivery days (median)": "下单到送达天数 (中位数)",
    "cancelled before dispatch": "发货前取消",
    "dispatched but never delivered": "发货后未送达",
    "review propensity": "评价倾向",
    "review delay after delivery (median)": "送达后评价延迟 (中位数)",
    "negative-review share of cancelled orders": "取消订单的差评率",
    "negative-review share of orders never delivered": "未送达订单的差评率",
    "review cut-points (1|2, 2|3, 3|4, 4|5)": "评分切点 (1|2, 2|3, 3|4, 4|5)",
    "lateness penalty: maximum": "延迟惩罚：最大值",
    "lateness penalty: half-way days": "延迟惩罚：半程天数",
    "lateness penalty: steepness": "延迟惩罚：陡度",
    "late-dispatch penalty": "延迟发货惩罚",
    "customers who bought again within the fitted period": "拟合期内再次购买的顾客占比",
    "chance to buy again": "再次购买的概率",
    "customers who bought again after a 1-2 star first order": "首单 1-2 星后再次购买的顾客占比",
    "customers who bought again after a 3-5 star first order": "首单 3-5 星后再次购买的顾客占比",
    "time to the next order (mean)": "距下次下单时间 (均值)",
    "time to the next order (gamma shape)": "距下次下单时间 (伽马形状)",
    "dependence of coming back on satisfaction": "回购对满意度的依赖",
}
