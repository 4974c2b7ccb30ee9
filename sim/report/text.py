"""Every word of the report, in English and Simplified Chinese.

Texts are *trusted HTML templates*: :func:`tr` fills their ``{fields}`` with
:meth:`markupsafe.Markup.format`, which escapes every value that is not itself marked safe. So
a policy or scenario name typed by a scenario author is always shown as text, whatever it holds.
KPI, ledger and policy labels come from :mod:`sim.i18n` (shared with the plots).

Both languages must have the same keys (a test checks it).
"""

from __future__ import annotations

from typing import Any

from markupsafe import Markup

EN: dict[str, str] = {
    # -- page ------------------------------------------------------------------------------
    "title": "After-sales policy report: {scenario}",
    "doc_title": "After-sales policy report – {scenario}",
    "lede": "A simulation study comparing after-sales policies of an online shop on money, "
            "reputation and loyalty, with the uncertainty stated.",
    "fact.platform": "Platform",
    "fact.period": "Period measured",
    "fact.policies": "Policies compared",
    "fact.reps": "Replications per policy",
    "fact.generated": "Generated",
    "fact.baseline": "Baseline",
    "period": "{start} to {end} ({days} days, after a {warmup}-day warm-up)",
    "contents": "Contents",
    "platform.taobao": "Taobao", "platform.tmall": "Tmall", "platform.jd": "JD",
    "platform.pdd": "Pinduoduo",
    "yes": "yes", "no": "no", "none": "–",
    # -- section titles ----------------------------------------------------------------------
    "sec.summary": "Executive summary",
    "sec.policies": "Policies compared",
    "sec.kpis": "KPIs per policy",
    "sec.charts": "Charts",
    "sec.assumptions": "Scenario, assumptions and parameters",
    "sec.stress": "Model and experiment (STRESS-DES)",
    "sec.repro": "Reproducibility",
    # -- summary ---------------------------------------------------------------------------
    "sum.profit": "<strong>Profit.</strong> {winner} earns the most: {mean} over the "
                  "{days}-day period.",
    "sum.rating": "<strong>Shop rating.</strong> {winner} keeps the highest mean shop rating: "
                  "{mean} stars.",
    "sum.repeat": "<strong>Repeat purchases.</strong> {winner} has the highest "
                  "repeat-purchase rate: {mean} of its buyers ordered more than once.",
    "sum.vs_base_clear": "That is {diff} against {baseline} (95% interval {ci}), "
                         "a clear difference.",
    "sum.vs_base_unclear": "Against {baseline} the difference is {diff} "
                           "(95% interval {ci}): <em>not clear at this precision</em>.",
    "sum.lead_clear": "Its lead over the runner-up {second} is {diff} (95% interval {ci}), "
                      "clear at this precision.",
    "sum.lead_unclear": "Its lead over the runner-up {second} ({diff}, 95% interval {ci}) is "
                        "<em>not clear at this precision</em>: with {n} replications the two "
                        "cannot yet be told apart.",
    "sum.base_first": "No policy beats the baseline on average.",
    "sum.tie": "The runner-up {second} has exactly the same value in every replication.",
    "pol.unmodified": "baseline (scenario as written)",
    "sum.tradeoff": "<strong>Trade-off.</strong> {p} earns {dp} more than {r} (95% interval "
                    "{cip}) but its mean shop rating is {dr} lower (95% interval {cir}).",
    "sum.tradeoff_unclear": "Part of this trade-off is not clear at this precision.",
    "sum.no_tradeoff": "<strong>Trade-off.</strong> {p} leads on both profit and shop rating, "
                       "so this study shows no trade-off between the two.",
    "sum.cost_rating": "Against the baseline, {p} changes the after-sales cost by {dc} "
                       "(95% interval {cic}) and the mean shop rating by {dr} "
                       "(95% interval {cir}).",
    "sum.pbest": "<strong>Chance of being best on profit</strong> (share of the {n} "
                 "replications in which a policy earned the most): {items}.",
    "sum.precision": "All intervals are 95% confidence intervals from {n} paired replications "
                     "per policy with common random numbers: the same buyers, with the same "
                     "luck, meet every policy. A difference is called clear only when its "
                     "interval excludes zero; more replications (--reps) narrow the intervals.",
    "sum.caveat": "These are the outcomes of a model, not forecasts: they show how the "
                  "policies compare under the scenario's assumptions (section 5).",
    "sum.list_sep": ", ",
    "sum.join": " ",
    "ref.baseline": "the baseline", "ref.baseline_initial": "The baseline",
    "verdict.identical": "identical",
    # -- policies --------------------------------------------------------------------------
    "pol.name": "Policy", "pol.id": "identifier", "pol.description": "What it does",
    "pol.baseline_mark": "baseline",
    # -- KPI tables ------------------------------------------------------------------------
    "kpi.intro": "Means over {n} replications with 95% confidence intervals. The difference "
                 "against {baseline} is paired by replication (common random "
                 "numbers), so it is much more precise than a comparison of the two means. "
                 "<span class=\"v better\">better</span> and <span class=\"v worse\">worse</span> "
                 "are said only when the 95% interval of the difference excludes zero. Every "
                 "KPI and replication is in the Excel workbook (sim report --xlsx).",
    "kpi.glance": "At a glance",
    "kpi.glance_note": "Mean per policy; below it the paired difference against the baseline.",
    "kpi.col.kpi": "KPI", "kpi.col.mean": "Mean", "kpi.col.ci": "95% interval",
    "kpi.col.diff": "Difference vs baseline", "kpi.col.dci": "95% interval of the difference",
    "kpi.col.verdict": "Verdict", "kpi.col.unit": "Unit",
    "kpi.is_baseline": "This is the baseline: the other policies are compared with it.",
    # -- charts ----------------------------------------------------------------------------
    "chart.money": "Profit and its parts",
    "chart.money.cap": "Mean per policy with its 95% confidence interval; the baseline is the "
                       "diamond and the dashed line.",
    "chart.diff": "Differences from the baseline",
    "chart.diff.cap": "Paired difference of each policy from the baseline with its 95% "
                      "interval: green better, red worse, grey not clear at this precision.",
    "chart.cost": "After-sales cost by ledger type",
    "chart.cost.cap": "Mean cost per replication by type of ledger entry (refunds and the "
                      "cost of goods are not after-sales costs). Hatched parts below zero are "
                      "credits, such as insurance payouts.",
    "chart.rating": "Shop rating over time",
    "chart.rating.cap": "Daily shop rating (rolling mean of recent reviews) averaged over the "
                        "replications; the band spans 5% to 95% of the replications.",
    "chart.negrep": "Negative reviews and repeat purchases",
    "chart.negrep.cap": "Share of 1–2 star reviews and share of buyers with two or more "
                        "orders, per policy, with 95% confidence intervals.",
    "chart.tradeoff": "Cost versus rating",
    "chart.tradeoff.cap": "Each policy at its mean after-sales cost and mean shop rating, with "
                          "95% intervals both ways. Up and to the left is cheaper and "
                          "better rated.",
    "chart.tornado": "Sensitivity (tornado chart)",
    "chart.tornado.cap": "{kpi} of {policy} when one parameter at a time is set to its "
                         "low or high value, the others at their scenario values "
                         "({reps} replications per point, same seeds).",
    "chart.no_tornado": "No sensitivity run is part of this report. Add one with "
                        "<code>--sensitivity PATH=LOW,HIGH</code>.",
    "chart.alt": "Chart: {title}",
    "sens.col.parameter": "Parameter", "sens.col.low": "Low", "sens.col.high": "High",
    "sens.col.at_low": "{kpi} at low", "sens.col.at_high": "{kpi} at high",
    "sens.col.swing": "Swing",
    # -- assumptions -----------------------------------------------------------------------
    "as.description": "Scenario description",
    "as.header": "Notes of the scenario file",
    "as.header_note": "As written by the scenario's author in {file}:",
    "as.no_header": "The scenario file carries no notes on its sources.",
    "as.key": "Key inputs (baseline)",
    "as.products": "Products",
    "as.prod.name": "Product", "as.prod.price": "Price", "as.prod.cost": "Unit cost",
    "as.prod.share": "Share of sales", "as.prod.defect": "Defect probability",
    "as.prod.mismatch": "Not as described", "as.prod.whim": "Whim-return factor",
    "as.diff": "Every parameter that differs between policies",
    "as.diff_note": "Values of the resolved scenarios; a dash means the same as the baseline.",
    "as.no_diff": "The policies do not differ in any parameter.",
    "as.overrides": "Values set on the command line (--set) for every policy: {items}.",
    "as.col.parameter": "Parameter", "as.col.value": "Value",
    "key.scenario.platform": "Platform",
    "key.scenario.start_date": "Start date (day 0)",
    "key.scenario.warmup_days": "Warm-up (days)",
    "key.scenario.horizon_days": "Measured period (days)",
    "key.market.daily_visitors": "Visitors per day (before peaks)",
    "key.market.base_conversion": "Base conversion",
    "key.market.return_fraudster_share": "Return fraudsters among new buyers",
    "key.shop.dispatch.daily_capacity": "Dispatch capacity (parcels per day)",
    "key.platform.dispatch_promise_hours": "Dispatch promise (hours)",
    "key.carrier.transit_median_days": "Median transit time (days)",
    "key.shop.cs.agents": "Customer-service agents",
    "key.shop.cs.bot": "Customer-service bot",
    "key.shop.repair.technicians": "Repair technicians",
    "key.repeat.base_prob": "Base chance to buy again",
    "key.feedback.strength": "Strength of the rating → demand feedback",
    "key.rating.window_days": "Rating window (days)",
    "key.bad_actors.extortion.rate_per_day": "Extortion reviewers per day",
    # -- STRESS-DES ------------------------------------------------------------------------
    "st.intro": "The model and the experiment, reported in the structure of the STRESS-DES "
                "guideline (Monks et al. 2019, Strengthening the reporting of empirical "
                "simulation studies).",
    "st.1": "1. Objectives",
    "st.1.1": "1.1 Purpose of the model",
    "st.1.1.text": "To compare after-sales policies of the online shop described by scenario "
                   "{scenario} ({platform}) before its owner tries them on real buyers. Every "
                   "policy moves money (refunds, shipping, compensation, repairs, service "
                   "labour), reputation (reviews and the shop rating that the next buyers see) "
                   "and loyalty (whether a buyer comes back); the model shows these trade-offs "
                   "side by side, with their uncertainty.",
    "st.1.2": "1.2 Model outputs",
    "st.1.2.text": "KPIs per replication, summed over a ledger of typed money entries and "
                   "counted over the orders placed in the measured period (KPIs shown in "
                   "this report):",
    "st.1.3": "1.3 Experimentation aims",
    "st.1.3.text": "Compare {k} policies with {baseline}: {policies}. Each "
                   "policy's effect is estimated as the paired difference from the baseline "
                   "with its 95% confidence interval, and the chance of being best on profit.",
    "st.2": "2. Logic",
    "st.2.1": "2.1 Base model overview",
    "st.2.1.text": "One order's story, from placement to the buyer's decision to come back:",
    "flow.1": "Placement", "flow.1.d": "risk screening, stock-outs",
    "flow.2": "Dispatch", "flow.2.d": "daily capacity, late-dispatch compensation",
    "flow.3": "Transit", "flow.3.d": "carrier time, damage, loss",
    "flow.4": "Delivery and use", "flow.4.d": "defects, not as described, failures",
    "flow.5": "After-sales", "flow.5.d": "returns, refunds, repairs, replacements",
    "flow.6": "Disputes", "flow.6.d": "complaints, platform arbitration, penalties",
    "flow.7": "Review", "flow.7.d": "stars and text, follow-up, revision",
    "flow.8": "Close", "flow.8.d": "money final, buy again or churn",
    "st.2.2": "2.2 Base model logic",
    "st.2.2.text": "Each order yields a latent satisfaction score built from what happened "
                   "(lateness against the promise, defects, damage, waiting for customer "
                   "service, how a request was resolved) and the buyer's own pickiness. Review "
                   "stars follow from it through an ordered probit model whose lateness curve "
                   "is fitted to the Olist data. The shop rating is a rolling mean of recent "
                   "reviews (DSR style); conversion = base × f(rating) × g(visible negatives on "
                   "the first page of text reviews) × h(policy badges) × a penalty traffic "
                   "multiplier, so a policy's effect on reviews feeds back into sales. "
                   "Extortion reviewers (差评师), claim hunters (职业打假人) and malicious "
                   "competitors arrive through their own streams; extortion grows when the "
                   "shop is known to pay. After an order closes the buyer returns with a "
                   "probability that rises with satisfaction, after a gamma-distributed wait.",
    "st.2.3": "2.3 Scenario logic",
    "st.2.3.text": "A policy is a named set of overrides on the base scenario. The policies of "
                   "this study and every parameter they change are listed in sections 2 and 5; "
                   "everything else is identical across policies.",
    "st.2.4": "2.4 Algorithms",
    "st.2.4.text": "Visitors per day Poisson around the daily mean × weekday and seasonal "
                   "factors; conversion per visitor from the feedback formula; handling and "
                   "carrier transit times log-normal (slower in peaks); defects, damage, "
                   "returns and reviews Bernoulli draws with the scenario's probabilities; "
                   "review stars from an ordered probit on satisfaction; repair bench with "
                   "exponential or log-normal service (an M/M/c queue, validated against Erlang "
                   "C); time to the next order gamma-distributed; platform arbitration with a "
                   "delay and a chance that the buyer wins.",
    "st.2.5": "2.5 Components",
    "st.2.5.entities": "<strong>Entities:</strong> orders, buyers (honest buyers, return "
                       "fraudsters, extortion reviewers, claim hunters, malicious "
                       "competitors), reviews, customer-service messages, repair jobs.",
    "st.2.5.activities": "<strong>Activities:</strong> handling and dispatch, transit, use, "
                         "return shipping and inspection, refunds, repairs, customer-service "
                         "answers, platform arbitration, reviewing.",
    "st.2.5.resources": "<strong>Resources:</strong> the dispatch team (parcels per day), "
                        "customer-service agents in working hours and an optional bot, repair "
                        "technicians.",
    "st.2.5.queues": "<strong>Queues:</strong> the dispatch backlog (first in, first out), "
                     "customer-service messages waiting for an agent, the repair queue.",
    "st.2.5.entry": "<strong>Entry and exit:</strong> orders enter when placed during the "
                    "warm-up and the measured period; each is followed to its end (closed, "
                    "refunded, repaired or its review window lapsed) or reported as still "
                    "open at the cut-off.",
    "st.3": "3. Data",
    "st.3.1": "3.1 Data sources",
    "st.3.1.facts": "<strong>FACTS.md</strong> (shared/design/FACTS.md): the project's "
                    "collection of figures from Chinese law, platform rules and published "
                    "studies, each with a confidence grade (H, M, L): the platform presets, "
                    "compensation rules, return-shipping insurance, return rates.",
    "st.3.1.olist": "<strong>Olist</strong>: Brazilian E-Commerce Public Dataset by Olist "
                    "(Olist Store, Kaggle, CC BY-NC-SA 4.0), orders of 2016–2017: lateness "
                    "against the estimated delivery date and its effect on review scores, "
                    "handling times and stock-outs; the model is also checked against it.",
    "st.3.1.assume": "Every other number is an assumption, marked as such in the scenario "
                     "file (section 5) and meant to be swept.",
    "st.3.2": "3.2 Pre-processing",
    "st.3.2.text": "The Olist export is read as is; the review model's lateness curve and "
                   "cut-points were fitted to it. No other data enter the model directly.",
    "st.3.3": "3.3 Input parameters",
    "st.3.3.text": "The key inputs and every parameter that differs between policies are in "
                   "section 5; the complete resolved scenario of each policy is identified by "
                   "its hash in the reproducibility footer.",
    "st.3.4": "3.4 Assumptions",
    "st.3.4.intro": "Besides the scenario's own assumptions (section 5), the model simplifies:",
    "st.3.4.a": "Shipping-insurance payouts appear in the ledger only when they reimburse a "
                "return leg the shop paid; when the insurer pays the buyer's leg, the shop's "
                "only flow is the premium.",
    "st.3.4.b": "A refunded order cannot be reviewed (Taobao's rule), unless the buyer reviewed "
                "before asking.",
    "st.3.4.c": "Conversion never exceeds three times the base conversion.",
    "st.3.4.d": "The default review thresholds describe a Chinese marketplace (about 97–98% "
                "positive reviews for flawless orders), an assumption.",
    "st.4": "4. Experimentation",
    "st.4.1": "4.1 Initialisation",
    "st.4.1.text": "A warm-up of {warmup} days ({start} to {warm_end}) is simulated and "
                   "excluded from the KPIs; the shop starts with {prior} earlier reviews "
                   "averaging {prior_mean} stars.",
    "st.4.2": "4.2 Run length",
    "st.4.2.text": "Orders placed in the {horizon} days from {h_start} to {h_end} form the "
                   "measured cohort; each is followed to its end, for at most {drain} days "
                   "after the period (follow-up reviews run 180 days).",
    "st.4.3": "4.3 Estimation approach",
    "st.4.3.text": "{reps} replications per policy, paired across policies by common random "
                   "numbers. Means with two-sided 95% Student-t confidence intervals; paired "
                   "differences against the baseline with their own t-intervals; a verdict "
                   "(better, worse, no clear difference) from whether that interval excludes "
                   "zero; the chance of being best is the share of replications in which a "
                   "policy had the best value.",
    "st.4.3.precision": "The number of replications was chosen by a precision rule: "
                        "replications were added until the 95% interval was narrow enough "
                        "({reps} needed).",
    "st.5": "5. Implementation",
    "st.5.1": "5.1 Software",
    "st.5.1.text": "aftersales-sim {version} (this tool), written in Python {python} on the "
                   "discrete-event library SimPy {simpy}, with NumPy {numpy}, pandas {pandas}, "
                   "SciPy {scipy}, pydantic {pydantic} and matplotlib {matplotlib}.",
    "st.5.2": "5.2 Random sampling",
    "st.5.2.text": "One seed per study ({seed}). Replication r runs with NumPy's "
                   "SeedSequence(seed, spawn_key=(r,)), the same for every policy. Inside a run "
                   "it is spawned into named streams (arrivals, bad_actors, service, platform, "
                   "decisions). Visitors are drawn per day from a day-keyed generator, "
                   "independent of the policy; each buyer's traits and the first order's fate "
                   "come from that day's block and later orders from the buyer's own stream, "
                   "always in a fixed number of draws. So the same buyers with the same luck "
                   "meet every policy (common random numbers) and comparisons are paired by "
                   "replication.",
    "st.5.3": "5.3 Model execution",
    "st.5.3.text": "Discrete-event simulation in SimPy, time in days. Replications ran on "
                   "{executor}; {cached} of {total} were reused from the results store "
                   "{store}; the simulations took {seconds} of computing time in all.",
    "st.5.3.no_store": "no store",
    "st.5.4": "5.4 System specification",
    "st.5.4.text": "{system}, {cores} CPU cores.",
    "st.6": "6. Code access",
    "st.6.1.text": "The simulator's source code, the scenario file and this report's command "
                   "(below) reproduce every number here: the same seed gives the same results "
                   "whatever executor runs the replications.",
    "st.kpi.name": "KPI", "st.kpi.unit": "Unit", "st.kpi.def": "Definition",
    # -- footer ----------------------------------------------------------------------------
    "ft.version": "Tool", "ft.file": "Scenario file", "ft.sha": "file SHA-256",
    "ft.hashes": "Scenario hashes (resolved, per policy)", "ft.seed": "Seed",
    "ft.streams": "Random streams", "ft.streams.text": "replication r: SeedSequence({seed}, "
                  "spawn_key=(r,)), r = 0 … {last}",
    "ft.command": "Command to reproduce", "ft.generated": "Generated",
    "ft.python": "Python",
    "ft.no_command": "(built from Python; see sim.report.build_report)",
    # -- verdicts kept here for table classes (words come from sim.i18n) -------------------
    "unit.stars": "stars",
}

ZH: dict[str, str] = {
    "title": "售后政策评估报告：{scenario}",
    "doc_title": "售后政策评估报告 – {scenario}",
    "lede": "用仿真比较网店的各项售后政策在钱、口碑和回头客三方面的影响，并说明结果的不确定性。",
    "fact.platform": "平台",
    "fact.period": "统计期",
    "fact.policies": "参与比较的策略",
    "fact.reps": "每个策略的重复次数",
    "fact.generated": "生成时间",
    "fact.baseline": "基准",
    "period": "{start} 至 {end}（{days} 天，之前有 {warmup} 天预热期）",
    "contents": "目录",
    "platform.taobao": "淘宝",
    "platform.tmall": "天猫",
    "platform.jd": "京东",
    "platform.pdd": "拼多多",
    "yes": "是",
    "no": "否",
    "none": "–",
    "sec.summary": "摘要",
    "sec.policies": "参与比较的策略",
    "sec.kpis": "各策略的关键指标",
    "sec.charts": "图表",
    "sec.assumptions": "场景、假设与参数",
    "sec.stress": "模型与实验设置（STRESS-DES）",
    "sec.repro": "可复现性",
    "sum.profit": "<strong>利润。</strong>{winner}赚得最多：{days} 天统计期内 {mean}。",
    "sum.rating": "<strong>店铺评分。</strong>{winner}的平均店铺评分最高：{mean} 星。",
    "sum.repeat": "<strong>复购。</strong>{winner}的复购率最高：{mean} 的买家下单不止一次。",
    "sum.vs_base_clear": "与{baseline}相比为 {diff}（95% 置信区间 {ci}），差异明确。",
    "sum.vs_base_unclear": "与{baseline}相比为 {diff}（95% 置信区间 {ci}）：<em>在当前精度下差异不"
                           "明确</em>。",
    "sum.lead_clear": "它领先第二名{second} {diff}（95% 置信区间 {ci}），在当前精度下差异明确。",
    "sum.lead_unclear": "它领先第二名{second} {diff}（95% 置信区间 {ci}），<em>在当前精度下差异不"
                        "明确</em>：重复 {n} 次还无法区分二者。",
    "sum.base_first": "平均而言，没有哪个策略优于基准。",
    "sum.tie": "第二名{second}在每次重复中的数值都与它完全相同。",
    "pol.unmodified": "场景原样（baseline）",
    "sum.tradeoff": "<strong>权衡。</strong>{p}比{r}多赚 {dp}（95% 置信区间 {cip}），但平均店铺评"
                    "分低 {dr}（95% 置信区间 {cir}）。",
    "sum.tradeoff_unclear": "这一权衡的部分差异在当前精度下并不明确。",
    "sum.no_tradeoff": "<strong>权衡。</strong>{p}在利润和店铺评分上都领先，因此本次研究中二者之间"
                       "没有此消彼长。",
    "sum.cost_rating": "与基准相比，{p}使售后成本变化 {dc}（95% 置信区间 {cic}），平均店铺评分变化"
                       " {dr}（95% 置信区间 {cir}）。",
    "sum.pbest": "<strong>利润最优的概率</strong>（{n} 次重复中某策略利润最高的比例）：{items}。",
    "sum.precision": "所有区间均为 95% 置信区间，来自每个策略 {n} 次配对重复，并使用共同随机数：同"
                     "样的买家、同样的运气会遇到每一个策略。只有当区间不包含零时才称差异明确；增加"
                     "重复次数（--reps）可以缩小区间。",
    "sum.caveat": "以上是模型的结果而非预测：它们说明在本场景的假设（第 5 节）下各策略的相对优劣。",
    "sum.list_sep": "，",
    "sum.join": "",
    "ref.baseline": "基准",
    "ref.baseline_initial": "基准",
    "verdict.identical": "完全相同",
    "pol.name": "策略",
    "pol.id": "标识",
    "pol.description": "内容",
    "pol.baseline_mark": "基准",
    "kpi.intro": "表中为 {n} 次重复的均值及 95% 置信区间。与{baseline}的差值按重复配对计算（共同随"
                 "机数），比直接比较两个均值精确得多。只有当差值的 95% 置信区间不包含零时，才判为<"
                 "span class=\"v better\">更好</span>或<span class=\"v worse\">更差</span>。全部指"
                 "标和每次重复的数值见 Excel 工作簿（sim report --xlsx）。",
    "kpi.glance": "一览",
    "kpi.glance_note": "各策略的均值；下方为与基准的配对差值。",
    "kpi.col.kpi": "指标",
    "kpi.col.mean": "均值",
    "kpi.col.ci": "95% 置信区间",
    "kpi.col.diff": "与基准之差",
    "kpi.col.dci": "差值的 95% 置信区间",
    "kpi.col.verdict": "结论",
    "kpi.col.unit": "单位",
    "kpi.is_baseline": "这是基准策略：其他策略都与它比较。",
    "chart.money": "利润及其构成",
    "chart.money.cap": "各策略的均值及 95% 置信区间；菱形和虚线为基准。",
    "chart.diff": "与基准的差值",
    "chart.diff.cap": "各策略与基准的配对差值及 95% 置信区间：绿色更好，红色更差，灰色表示在当前精"
                      "度下差异不明确。",
    "chart.cost": "按账目类型的售后成本",
    "chart.cost.cap": "每次重复按账目类型的平均成本（退款和商品成本不属于售后成本）。零以下的斜线"
                      "部分为抵减，例如运费险理赔。",
    "chart.rating": "店铺评分随时间的变化",
    "chart.rating.cap": "每日店铺评分（近期评价的滚动平均）在各次重复上的均值；阴影覆盖 5% 至 95% "
                        "的重复。",
    "chart.negrep": "差评率与复购率",
    "chart.negrep.cap": "各策略 1–2 星评价的占比和下单两次及以上买家的占比，附 95% 置信区间。",
    "chart.tradeoff": "成本与评分的权衡",
    "chart.tradeoff.cap": "每个策略位于其平均售后成本和平均店铺评分处，两个方向都有 95% 置信区间。"
                          "越往左上，成本越低、评分越高。",
    "chart.tornado": "敏感性分析（龙卷风图）",
    "chart.tornado.cap": "{policy}的{kpi}：每次只把一个参数设为低值或高值，其余参数保持场景取值（"
                         "每个点重复 {reps} 次，随机种子相同）。",
    "chart.no_tornado": "本报告不含敏感性分析。可用 <code>--sensitivity PATH=LOW,HIGH</code> 加入"
                        "。",
    "chart.alt": "图表：{title}",
    "sens.col.parameter": "参数",
    "sens.col.low": "低值",
    "sens.col.high": "高值",
    "sens.col.at_low": "低值时的{kpi}",
    "sens.col.at_high": "高值时的{kpi}",
    "sens.col.swing": "摆幅",
    "as.description": "场景说明",
    "as.header": "场景文件中的注释",
    "as.header_note": "以下为场景作者在 {file} 中所写的原文（英文）：",
    "as.no_header": "场景文件中没有关于数据来源的注释。",
    "as.key": "主要输入（基准）",
    "as.products": "商品",
    "as.prod.name": "商品",
    "as.prod.price": "售价",
    "as.prod.cost": "单位成本",
    "as.prod.share": "销量占比",
    "as.prod.defect": "次品概率",
    "as.prod.mismatch": "与描述不符概率",
    "as.prod.whim": "无理由退货系数",
    "as.diff": "各策略之间不同的全部参数",
    "as.diff_note": "取值来自解析后的场景；“–”表示与基准相同。",
    "as.no_diff": "各策略的参数完全相同。",
    "as.overrides": "命令行（--set）为所有策略设定的取值：{items}。",
    "as.col.parameter": "参数",
    "as.col.value": "取值",
    "key.scenario.platform": "平台",
    "key.scenario.start_date": "开始日期（第 0 天）",
    "key.scenario.warmup_days": "预热期（天）",
    "key.scenario.horizon_days": "统计期（天）",
    "key.market.daily_visitors": "日访客数（不含大促）",
    "key.market.base_conversion": "基础转化率",
    "key.market.return_fraudster_share": "新买家中的退货欺诈者比例",
    "key.shop.dispatch.daily_capacity": "发货能力（包裹/天）",
    "key.platform.dispatch_promise_hours": "承诺发货时限（小时）",
    "key.carrier.transit_median_days": "运输时间中位数（天）",
    "key.shop.cs.agents": "客服人数",
    "key.shop.cs.bot": "客服机器人",
    "key.shop.repair.technicians": "维修技师人数",
    "key.repeat.base_prob": "基础复购概率",
    "key.feedback.strength": "评分→需求反馈强度",
    "key.rating.window_days": "评分统计窗口（天）",
    "key.bad_actors.extortion.rate_per_day": "每天差评师人数",
    "st.intro": "按 STRESS-DES 指南（Monks 等，2019，《加强实证仿真研究的报告》）的结构说明模型与"
                "实验。",
    "st.1": "1. 目标",
    "st.1.1": "1.1 模型目的",
    "st.1.1.text": "在店主真正对买家实行之前，比较场景 {scenario}（{platform}）所描述网店的各项售"
                   "后政策。每个政策都会同时影响钱（退款、运费、赔付、维修、客服人工）、口碑（评价"
                   "以及后来的买家看到的店铺评分）和忠诚度（买家是否回购）；模型把这些权衡并列展示"
                   "，并给出不确定性。",
    "st.1.2": "1.2 模型输出",
    "st.1.2.text": "每次重复的指标：金额类指标由分类型记账的流水汇总而来，计数类指标统计统计期内下"
                   "的订单（本报告展示的指标）：",
    "st.1.3": "1.3 实验目的",
    "st.1.3.text": "把 {k} 个策略与{baseline}比较：{policies}。每个策略的效果以与基准的配对差值及"
                   "其95% 置信区间估计，并给出利润最优的概率。",
    "st.2": "2. 逻辑",
    "st.2.1": "2.1 基础模型概览",
    "st.2.1.text": "一个订单从下单到买家决定是否回购的全过程：",
    "flow.1": "下单",
    "flow.1.d": "风控筛查、缺货",
    "flow.2": "发货",
    "flow.2.d": "日发货能力、延迟发货赔付",
    "flow.3": "运输",
    "flow.3.d": "快递时效、破损、丢件",
    "flow.4": "签收与使用",
    "flow.4.d": "次品、与描述不符、使用中故障",
    "flow.5": "售后",
    "flow.5.d": "退货、退款、维修、换新",
    "flow.6": "纠纷",
    "flow.6.d": "投诉、平台仲裁、扣分",
    "flow.7": "评价",
    "flow.7.d": "星级与文字、追评、修改",
    "flow.8": "完结",
    "flow.8.d": "金额确定，回购或流失",
    "st.2.2": "2.2 基础模型逻辑",
    "st.2.2.text": "每个订单根据发生的事情（相对承诺的延迟、次品、破损、等待客服、售后请求的处理结"
                   "果）和买家自身的挑剔程度得到一个潜在满意度。评价星级由满意度经有序 probit 模型"
                   "得出，其中延迟曲线根据 Olist 数据拟合。店铺评分是近期评价的滚动平均（类似 DSR"
                   "）；转化率 = 基础转化率 × f(评分) × g(文字评价首页的可见差评) × h(政策标识) × "
                   "扣分导致的流量系数，因此政策对评价的影响会反过来影响销量。差评师、职业打假人和"
                   "恶意竞争者各有独立的到达过程；店铺被知道会付钱时，差评师会增多。订单完结后，买"
                   "家以随满意度上升的概率、在服从伽马分布的等待时间之后再次购买。",
    "st.2.3": "2.3 场景逻辑",
    "st.2.3.text": "一个策略是对基础场景的一组命名覆盖。本研究的策略及其改变的每个参数见第 2 节和"
                   "第 5 节；其余参数在各策略之间完全相同。",
    "st.2.4": "2.4 算法",
    "st.2.4.text": "每日访客数服从泊松分布，均值为日均访客 × 星期系数 × 季节系数；每位访客的转化率"
                   "来自反馈公式；备货与快递运输时间服从对数正态分布（大促期间更慢）；次品、破损、"
                   "退货和评价为伯努利抽样，概率取自场景；评价星级由满意度的有序 probit 模型得出；"
                   "维修台服务时间为指数或对数正态分布（M/M/c 排队，已用 Erlang C 公式验证）；下次"
                   "购买的等待时间服从伽马分布；平台仲裁有延迟，并有一定概率判买家胜。",
    "st.2.5": "2.5 组成部分",
    "st.2.5.entities": "<strong>实体：</strong>订单、买家（普通买家、退货欺诈者、差评师、职业打假"
                       "人、恶意竞争者）、评价、客服消息、维修工单。",
    "st.2.5.activities": "<strong>活动：</strong>备货与发货、运输、使用、退货寄回与验货、退款、维"
                         "修、客服回复、平台仲裁、评价。",
    "st.2.5.resources": "<strong>资源：</strong>发货团队（每日包裹数）、工作时间内的客服和可选的客"
                        "服机器人、维修技师。",
    "st.2.5.queues": "<strong>排队：</strong>待发货订单（先进先出）、等待客服的消息、维修队列。",
    "st.2.5.entry": "<strong>进入与离开：</strong>订单在预热期和统计期内下单时进入模型；每个订单都"
                    "被跟踪到结束（完结、退款、维修完成或评价期结束），或在截止时报告为未完结。",
    "st.3": "3. 数据",
    "st.3.1": "3.1 数据来源",
    "st.3.1.facts": "<strong>FACTS.md</strong>（shared/design/FACTS.md）：本项目整理的中国法律、平"
                    "台规则和公开研究中的数据，每条标有可信度（H、M、L）：平台预设、赔付规则、运费"
                    "险、退货率。",
    "st.3.1.olist": "<strong>Olist</strong>：Brazilian E-Commerce Public Dataset by Olist（Olist S"
                    "tore，Kaggle，CC BY-NC-SA 4.0），2016–2017 年的订单：相对预计送达日期的延迟及"
                    "其对评分的影响、备货时间和缺货；模型也用它来检验。",
    "st.3.1.assume": "其余数字均为假设，在场景文件中已注明（第 5 节），应通过参数扫描检验。",
    "st.3.2": "3.2 数据预处理",
    "st.3.2.text": "Olist 数据按原样读取；评价模型的延迟曲线和分界点据此拟合。没有其他数据直接进入"
                   "模型。",
    "st.3.3": "3.3 输入参数",
    "st.3.3.text": "主要输入和各策略之间不同的全部参数见第 5 节；每个策略解析后的完整场景由页脚中"
                   "的哈希值标识。",
    "st.3.4": "3.4 假设",
    "st.3.4.intro": "除场景本身的假设（第 5 节）外，模型还做了以下简化：",
    "st.3.4.a": "运费险理赔只在补偿店铺已付的退货运费时记入账目；保险公司赔付买家运费时，店铺的支"
                "出只有保费。",
    "st.3.4.b": "已退款的订单不能评价（淘宝规则），除非买家在申请退款前已经评价。",
    "st.3.4.c": "转化率不会超过基础转化率的三倍。",
    "st.3.4.d": "默认的评价分界点描述的是中国电商平台（无瑕疵订单约 97–98% 为好评），属于假设。",
    "st.4": "4. 实验",
    "st.4.1": "4.1 初始化",
    "st.4.1.text": "先模拟 {warmup} 天预热期（{start} 至 {warm_end}），不计入指标；店铺开始时已有 "
                   "{prior} 条历史评价，平均 {prior_mean} 星。",
    "st.4.2": "4.2 运行长度",
    "st.4.2.text": "{h_start} 至 {h_end} 这 {horizon} 天内下的订单构成统计批次；每个订单都跟踪到结"
                   "束，最多到统计期后 {drain} 天（追评期为 180 天）。",
    "st.4.3": "4.3 估计方法",
    "st.4.3.text": "每个策略重复 {reps} 次，各策略之间用共同随机数配对。均值附双侧 95% t 置信区间"
                   "；与基准的配对差值有各自的 t 区间；结论（更好、更差、无明显差异）取决于该区间"
                   "是否包含零；最优概率是某策略取得最佳值的重复所占的比例。",
    "st.4.3.precision": "重复次数由精度规则决定：不断增加重复，直到 95% 置信区间足够窄（共需 {reps"
                        "} 次）。",
    "st.5": "5. 实现",
    "st.5.1": "5.1 软件",
    "st.5.1.text": "aftersales-sim {version}（本工具），使用 Python {python} 和离散事件仿真库 SimP"
                   "y {simpy} 编写，另用 NumPy {numpy}、pandas {pandas}、SciPy {scipy}、pydantic {"
                   "pydantic} 和 matplotlib {matplotlib}。",
    "st.5.2": "5.2 随机抽样",
    "st.5.2.text": "每项研究一个随机种子（{seed}）。第 r 次重复使用 NumPy 的 SeedSequence(seed, sp"
                   "awn_key=(r,))，所有策略相同。在一次运行内部，它再派生出命名的随机流（arrivals"
                   "、bad_actors、service、platform、decisions）。访客按天从以日期为键的生成器抽取"
                   "，与策略无关；每位买家的特征和第一个订单的“命运”来自当天的数据块，之后的订单来"
                   "自买家自己的随机流，抽样次数固定。因此同样的买家、同样的运气会遇到每一个策略（"
                   "共同随机数），比较按重复配对进行。",
    "st.5.3": "5.3 模型运行",
    "st.5.3.text": "用 SimPy 做离散事件仿真，时间单位为天。重复运行于 {executor}；{total} 次中有 {"
                   "cached} 次直接取自结果缓存 {store}；仿真共耗计算时间 {seconds}。",
    "st.5.3.no_store": "（未使用缓存）",
    "st.5.4": "5.4 系统配置",
    "st.5.4.text": "{system}，{cores} 个 CPU 核。",
    "st.6": "6. 代码获取",
    "st.6.1.text": "仿真器的源代码、场景文件和本报告的命令（见下）可以复现这里的每一个数字：同一随"
                   "机种子无论用哪种执行器运行，结果都相同。",
    "st.kpi.name": "指标",
    "st.kpi.unit": "单位",
    "st.kpi.def": "定义",
    "ft.version": "工具",
    "ft.file": "场景文件",
    "ft.sha": "文件 SHA-256",
    "ft.hashes": "场景哈希（解析后，按策略）",
    "ft.seed": "随机种子",
    "ft.streams": "随机流",
    "ft.streams.text": "第 r 次重复：SeedSequence({seed}, spawn_key=(r,))，r = 0 … {last}",
    "ft.command": "复现命令",
    "ft.generated": "生成时间",
    "ft.python": "Python",
    "ft.no_command": "（由 Python 生成；见 sim.report.build_report）",
    "unit.stars": "星",
}

TEXTS: dict[str, dict[str, str]] = {"en": EN, "zh": ZH}

#: Executor descriptions (5.3).
EXECUTORS: dict[str, dict[str, str]] = {
    "en": {"serial": "one process (serial)", "pool": "a local process pool of {n} workers",
           "dask": "a Dask cluster", "unknown": "an unrecorded executor"},
    "zh": {"serial": "单个进程（串行）", "pool": "本机 {n} 个工作进程的进程池",
           "dask": "Dask 集群", "unknown": "未记录的执行器"},
}


def tr(lang: str, key: str, **kw: Any) -> Markup:
    """The text ``key`` in ``lang`` as safe HTML, its fields filled with escaped values."""
    text = TEXTS.get(lang, EN).get(key)
    if text is None:
        text = EN[key]
    return Markup(text).format(**kw) if kw else Markup(text)
