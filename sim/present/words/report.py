"""Words of the scenario report (``sim report``): the page, its summary, tables, charts, footer
and the Excel workbook, in English and Simplified Chinese.

Texts are *trusted HTML templates*: the report fills their ``{fields}`` with
:meth:`markupsafe.Markup.format`, which escapes every value that is not itself marked safe (see
:func:`sim.report.builder.tr`). Keys are looked up as ``report.KEY``; the STRESS-DES section's
texts are in :mod:`.stress`. Both languages must have the same keys (a test checks it).
"""

from __future__ import annotations

#: The report page and workbook: ``TEXT[lang][key]``.
TEXT: dict[str, dict[str, str]] = {
    "en": {
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
        "fact.sampled": "Sampled run",
        "sampled": "{pct} of the visitors and bad actors, every team scaled to match; counts "
                   "and money scaled back (x {factor}), shares and means as simulated: the "
                   "rating is noisier, and rounded teams are not quite the same queues",
        "period": "{start} to {end} ({days} days, after a {warmup}-day warm-up)",
        "contents": "Contents",
        "platform.taobao": "Taobao",
        "platform.tmall": "Tmall",
        "platform.jd": "JD",
        "platform.pdd": "Pinduoduo",
        "yes": "yes",
        "no": "no",
        "none": "–",
        "sec.summary": "Executive summary",
        "sec.policies": "Policies compared",
        "sec.kpis": "KPIs per policy",
        "sec.charts": "Charts",
        "sec.assumptions": "Scenario, assumptions and parameters",
        "sec.stress": "Model and experiment (STRESS-DES)",
        "sec.repro": "Reproducibility",
        "sum.profit": "<strong>Profit.</strong> {winner} earns the most: {mean} over the "
                      "{days}-day period.",
        "sum.rating": "<strong>Shop rating.</strong> {winner} keeps the highest mean shop "
                      "rating: {mean} stars.",
        "sum.repeat": "<strong>Repeat purchases.</strong> {winner} has the highest "
                      "repeat-purchase rate: {mean} of its buyers ordered more than once.",
        "sum.vs_base_clear": "That is {diff} against {baseline} (95% interval {ci}), a clear "
                             "difference.",
        "sum.vs_base_unclear": "Against {baseline} the difference is {diff} (95% interval {ci}): "
                               "<em>not clear at this precision</em>.",
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
        "sum.no_tradeoff": "<strong>Trade-off.</strong> {p} leads on both profit and shop "
                           "rating, so this study shows no trade-off between the two.",
        "sum.cost_rating": "Against the baseline, {p} changes the after-sales cost by {dc} (95% "
                           "interval {cic}) and the mean shop rating by {dr} (95% interval "
                           "{cir}).",
        "sum.pbest": "<strong>Chance of being best on profit</strong> (share of the {n} "
                     "replications in which a policy earned the most): {items}.",
        "sum.precision": "All intervals are 95% confidence intervals from {n} paired "
                         "replications per policy with common random numbers: the same buyers, "
                         "with the same luck, meet every policy. A difference is called clear "
                         "only when its interval excludes zero; more replications (--reps) "
                         "narrow the intervals.",
        "sum.caveat": "These are the outcomes of a model, not forecasts: they show how the "
                      "policies compare under the scenario's assumptions (section {assumptions}).",
        "sum.penalties": "Platform penalties weigh on this result: {items}. The rules behind "
                         "them are assumptions with no source (docs/FACTS.md): "
                         "{points} penalty point(s) per lost case, {loss} of the conversion lost "
                         "per active point, and a {hide}-day hide at {threshold} points. Before "
                         "relying on the verdict, rerun with "
                         "<code>--sensitivity platform.penalty_points_per_lost_case=0,2</code> "
                         "and <code>--sensitivity platform.traffic_loss_per_point=0,0.01</code>.",
        "sum.item_sep": "; ",
        "sum.penalty_item": "{policy} {points} points a year on average, hidden {days} days",
        "sum.list_sep": ", ",
        "sum.join": " ",
        "ref.baseline": "the baseline",
        "ref.baseline_initial": "The baseline",
        "pol.name": "Policy",
        "pol.id": "identifier",
        "pol.description": "What it does",
        "pol.baseline_mark": "baseline",
        "kpi.intro": "Means over {n} replications with 95% confidence intervals. The difference "
                     "against {baseline} is paired by replication (common random numbers), so it "
                     "is much more precise than a comparison of the two means. <span class=\"v "
                     "better\">better</span> and <span class=\"v worse\">worse</span> are said "
                     "only when the 95% interval of the difference excludes zero. Every KPI and "
                     "replication is in the Excel workbook (sim report --xlsx).",
        "kpi.glance": "At a glance",
        "kpi.glance_note": "Mean per policy; below it the paired difference against the baseline.",
        "kpi.col.kpi": "KPI",
        "kpi.col.mean": "Mean",
        "kpi.col.ci": "95% interval",
        "kpi.col.diff": "Difference vs baseline",
        "kpi.col.dci": "95% interval of the difference",
        "kpi.col.verdict": "Verdict",
        "kpi.col.unit": "Unit",
        "kpi.is_baseline": "This is the baseline: the other policies are compared with it.",
        "chart.money": "Profit and its parts",
        "chart.money.cap": "Mean per policy with its 95% confidence interval; the baseline is "
                           "the diamond and the dashed line.",
        "chart.diff": "Differences from the baseline",
        "chart.diff.cap": "Paired difference of each policy from the baseline with its 95% "
                          "interval: green better, red worse, grey not clear at this precision.",
        "chart.cost": "After-sales cost by ledger type",
        "chart.cost.cap": "Mean cost per replication by type of ledger entry (refunds and the "
                          "cost of goods are not after-sales costs). Hatched parts below zero "
                          "are credits, such as insurance payouts.",
        "chart.rating": "Shop rating over time",
        "chart.rating.cap": "Daily shop rating (rolling mean of recent reviews) averaged over "
                            "the replications; the band spans 5% to 95% of the replications.",
        "chart.negrep": "Negative reviews and repeat purchases",
        "chart.negrep.cap": "Share of 1–2 star reviews and share of buyers with two or more "
                            "orders, per policy, with 95% confidence intervals.",
        "chart.tradeoff": "Cost versus rating",
        "chart.tradeoff.cap": "Each policy at its mean after-sales cost and mean shop rating, "
                              "with 95% intervals both ways. Up and to the left is cheaper and "
                              "better rated.",
        "chart.tornado": "Sensitivity (tornado chart)",
        "chart.tornado.cap": "{kpi} of {policy} when one parameter at a time is set to its low "
                             "or high value, the others at their scenario values ({reps} "
                             "replications per point, same seeds).",
        "chart.no_tornado": "No sensitivity run is part of this report. Add one with "
                            "<code>--sensitivity PATH=LOW,HIGH</code>.",
        "chart.alt": "Chart: {title}",
        "sens.col.parameter": "Parameter",
        "sens.col.low": "Low",
        "sens.col.high": "High",
        "sens.col.at_low": "{kpi} at low",
        "sens.col.at_high": "{kpi} at high",
        "sens.col.swing": "Swing",
        "as.description": "Scenario description",
        "as.header": "Notes of the scenario file",
        "as.header_note": "As written by the scenario's author in {file}:",
        "as.no_header": "The scenario file carries no notes on its sources.",
        "as.key": "Key inputs (baseline)",
        "as.products": "Products",
        "as.prod.name": "Product",
        "as.prod.price": "Price",
        "as.prod.cost": "Unit cost",
        "as.prod.share": "Share of sales",
        "as.prod.defect": "Defect probability",
        "as.prod.mismatch": "Not as described",
        "as.prod.whim": "Whim-return factor",
        "as.diff": "Every parameter that differs between policies",
        "as.diff_note": "Values of the resolved scenarios; a dash means the same as the baseline.",
        "as.no_diff": "The policies do not differ in any parameter.",
        "as.overrides": "Values set on the command line (--set) for every policy: {items}.",
        "as.col.parameter": "Parameter",
        "as.col.value": "Value",
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
        "key.repeat.alpha_days": "Repeat purchases: BG/NBD rate parameter α (days)",
        "key.feedback.strength": "Strength of the rating → demand feedback",
        "key.rating.window_days": "Rating window (days)",
        "key.bad_actors.extortion.rate_per_day": "Extortion reviewers per day",
        "ft.version": "Tool",
        "ft.file": "Scenario file",
        "ft.sha": "file SHA-256",
        "ft.hashes": "Scenario hashes (resolved, per policy)",
        "ft.seed": "Seed",
        "ft.streams": "Random streams",
        "ft.streams.text": "replication r: SeedSequence({seed}, spawn_key=(r,)), r = 0 … {last}",
        "ft.command": "Command to reproduce",
        "ft.generated": "Generated",
        "ft.python": "Python",
        "ft.no_command": "(built from Python; see sim.report.build_report)",
        "exec.serial": "one process (serial)",
        "exec.pool": "a local process pool of {n} workers",
        "exec.dask": "a Dask cluster",
        "exec.unknown": "an unrecorded executor",
        "xlsx.sheet.about": "About",
        "xlsx.sheet.comparison": "Comparison",
        "xlsx.sheet.reps": "KPIs per replication",
        "xlsx.sheet.money": "Money by type",
        "xlsx.sheet.params": "Parameters",
        "xlsx.scenario": "scenario",
        "xlsx.seed": "seed",
        "xlsx.reps": "replications",
        "xlsx.baseline": "baseline",
        "xlsx.policies": "policies",
        "xlsx.hash": "scenario hash",
        "xlsx.command": "command",
        "xlsx.generated": "generated",
        "xlsx.summary": "summary",
        "xlsx.source": "scenario file",
        "xlsx.key_inputs": "Key inputs (baseline)",
        "xlsx.differs": "Parameters that differ between policies",
        "xlsx.path": "parameter",
        "xlsx.mean_per_policy": "Mean per replication",
        "xlsx.per_rep": "Per replication",
        "xlsx.label": "label",
        "xlsx.p_best": "P(best on profit)",
        "xlsx.replication": "replication",
        "xlsx.entry": "entry type",
        "xlsx.policy_id": "policy id",
    },
    "zh": {
        "title": "售后政策评估报告：{scenario}",
        "doc_title": "售后政策评估报告 – {scenario}",
        "lede": "用仿真比较网店的各项售后政策在钱、口碑和回头客三方面的影响，并说明结果的不确定性"
                "。",
        "fact.platform": "平台",
        "fact.period": "统计期",
        "fact.policies": "参与比较的策略",
        "fact.reps": "每个策略的重复次数",
        "fact.sampled": "抽样模拟",
        "sampled": "只模拟 {pct} 的访客和恶意买家, 各团队按比例缩小; 计数和金额放大回来 "
                   "(x {factor}), 比例和均值按模拟结果: 评分波动更大, 取整后的团队与原团队"
                   "不完全是同一个排队系统",
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
        "sum.vs_base_unclear": "与{baseline}相比为 {diff}（95% 置信区间 "
                               "{ci}）：<em>在当前精度下差异不明确</em>。",
        "sum.lead_clear": "它领先第二名{second} {diff}（95% 置信区间 "
                          "{ci}），在当前精度下差异明确。",
        "sum.lead_unclear": "它领先第二名{second} {diff}（95% 置信区间 "
                            "{ci}），<em>在当前精度下差异不明确</em>：重复 {n} 次还无法区分二者。",
        "sum.base_first": "平均而言，没有哪个策略优于基准。",
        "sum.tie": "第二名{second}在每次重复中的数值都与它完全相同。",
        "pol.unmodified": "场景原样（baseline）",
        "sum.tradeoff": "<strong>权衡。</strong>{p}比{r}多赚 {dp}（95% 置信区间 "
                        "{cip}），但平均店铺评分低 {dr}（95% 置信区间 {cir}）。",
        "sum.tradeoff_unclear": "这一权衡的部分差异在当前精度下并不明确。",
        "sum.no_tradeoff": "<strong>权衡。</strong>{p}在利润和店铺评分上都领先，因此本次研究中二"
                           "者之间没有此消彼长。",
        "sum.cost_rating": "与基准相比，{p}使售后成本变化 {dc}（95% 置信区间 "
                           "{cic}），平均店铺评分变化 {dr}（95% 置信区间 {cir}）。",
        "sum.pbest": "<strong>利润最优的概率</strong>（{n} 次重复中某策略利润最高的比例）：{items"
                     "}。",
        "sum.precision": "所有区间均为 95% 置信区间，来自每个策略 {n} "
                         "次配对重复，并使用共同随机数：同样的买家、同样的运气会遇到每一个策略。"
                         "只有当区间不包含零时才称差异明确；增加重复次数（--reps）可以缩小区间。",
        "sum.caveat": "以上是模型的结果而非预测：它们说明在本场景的假设（第 {assumptions} "
                      "节）下各策略的相对优劣。",
        "sum.penalties": "平台处罚对本结果影响很大：{items}。这些处罚规则是没有出处的假设"
                         "（见 docs/FACTS.md）：每败诉一件扣 {points} 分、每个有效扣分损失 {loss} "
                         "的转化率、累计 {threshold} 分屏蔽店铺 {hide} 天。"
                         "在依赖这一结论之前，请用 "
                         "<code>--sensitivity platform.penalty_points_per_lost_case=0,2</code> 和 "
                         "<code>--sensitivity platform.traffic_loss_per_point=0,0.01</code> "
                         "重新运行。",
        "sum.item_sep": "；",
        "sum.penalty_item": "{policy}平均每年扣 {points} 分、被屏蔽 {days} 天",
        "sum.list_sep": "，",
        "sum.join": "",
        "ref.baseline": "基准",
        "ref.baseline_initial": "基准",
        "pol.name": "策略",
        "pol.id": "标识",
        "pol.description": "内容",
        "pol.baseline_mark": "基准",
        "kpi.intro": "表中为 {n} 次重复的均值及 95% 置信区间。与{baseline}的差值按重复配对计算（"
                     "共同随机数），比直接比较两个均值精确得多。只有当差值的 95% "
                     "置信区间不包含零时，才判为<span class=\"v better\">更好</span>或<span "
                     "class=\"v worse\">更差</span>。全部指标和每次重复的数值见 Excel "
                     "工作簿（sim report --xlsx）。",
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
        "chart.diff.cap": "各策略与基准的配对差值及 95% 置信区间：绿色更好，红色更差，灰色表示在"
                          "当前精度下差异不明确。",
        "chart.cost": "按账目类型的售后成本",
        "chart.cost.cap": "每次重复按账目类型的平均成本（退款和商品成本不属于售后成本）。零以下的"
                          "斜线部分为抵减，例如运费险理赔。",
        "chart.rating": "店铺评分随时间的变化",
        "chart.rating.cap": "每日店铺评分（近期评价的滚动平均）在各次重复上的均值；阴影覆盖 5% "
                            "至 95% 的重复。",
        "chart.negrep": "差评率与复购率",
        "chart.negrep.cap": "各策略 1–2 星评价的占比和下单两次及以上买家的占比，附 95% 置信区间。",
        "chart.tradeoff": "成本与评分的权衡",
        "chart.tradeoff.cap": "每个策略位于其平均售后成本和平均店铺评分处，两个方向都有 95% "
                              "置信区间。越往左上，成本越低、评分越高。",
        "chart.tornado": "敏感性分析（龙卷风图）",
        "chart.tornado.cap": "{policy}的{kpi}：每次只把一个参数设为低值或高值，其余参数保持场景取"
                             "值（每个点重复 {reps} 次，随机种子相同）。",
        "chart.no_tornado": "本报告不含敏感性分析。可用 <code>--sensitivity PATH=LOW,HIGH</code> "
                            "加入。",
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
        "key.repeat.alpha_days": "复购：BG/NBD 购买率参数 α（天）",
        "key.feedback.strength": "评分→需求反馈强度",
        "key.rating.window_days": "评分统计窗口（天）",
        "key.bad_actors.extortion.rate_per_day": "每天差评师人数",
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
        "exec.serial": "单个进程（串行）",
        "exec.pool": "本机 {n} 个工作进程的进程池",
        "exec.dask": "Dask 集群",
        "exec.unknown": "未记录的执行器",
        "xlsx.sheet.about": "说明",
        "xlsx.sheet.comparison": "比较",
        "xlsx.sheet.reps": "每次重复的指标",
        "xlsx.sheet.money": "按类型的金额",
        "xlsx.sheet.params": "参数",
        "xlsx.scenario": "场景",
        "xlsx.seed": "随机种子",
        "xlsx.reps": "重复次数",
        "xlsx.baseline": "基准",
        "xlsx.policies": "策略",
        "xlsx.hash": "场景哈希",
        "xlsx.command": "复现命令",
        "xlsx.generated": "生成时间",
        "xlsx.summary": "摘要",
        "xlsx.source": "场景文件",
        "xlsx.key_inputs": "主要输入（基准）",
        "xlsx.differs": "各策略之间不同的参数",
        "xlsx.path": "参数",
        "xlsx.mean_per_policy": "每次重复的平均值",
        "xlsx.per_rep": "每次重复",
        "xlsx.label": "名称",
        "xlsx.p_best": "利润最优概率",
        "xlsx.replication": "重复序号",
        "xlsx.entry": "账目类型",
        "xlsx.policy_id": "策略标识",
    },
}
