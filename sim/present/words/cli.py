"""Messages of the ``sim`` command line: English and Simplified Chinese.

Keys are looked up as ``cli.KEY`` (and ``regress.KEY`` for ``sim regress``) with
:func:`sim.present.words.word`. Column headers shared with other tables are in :mod:`.tables`.
Both languages must have the same keys (a test checks it).
"""

from __future__ import annotations

#: Messages of validate, run, policies, kpis, bench and the experiment commands.
TEXT: dict[str, dict[str, str]] = {
    "en": {
        "builtin": "built-in",
        "file": "file",
        "scenario": "scenario",
        "seed": "seed",
        "hash": "scenario hash",
        "ok": "OK: {file} ({n} policies)",
        "summary": "{files} file(s) checked: {ok} valid, {bad} with problems ({problems} in all)",
        "error": "error: {msg}",
        "running": "Simulating {scenario} under policy {policy}, seed {seed} ...",
        "wrote": "Wrote {n} files to {out}",
        "needs_out": "{flag} writes files: add --out DIR",
        "interrupted": "interrupted",
        "kpis_title": "KPIs of one replication (defined in docs/MODEL.md). Money in yuan; "
                      "'better' says which direction is good.",
        "policies_title": "Policies of {file} (run one with: sim run {file} --policy NAME)",
        "bench_title": "Speed benchmark: {scenario}, policy {policy}, seed {seed}, {days} days "
                       "of arrivals ({warmup} warm-up + {horizon} horizon)",
        "runner": "runner",
        "orders": "orders",
        "seconds": "seconds",
        "orders_per_s": "orders/s",
        "model": "model",
        "skeleton": "bare SimPy skeleton",
        "ratio": "ratio model / skeleton",
        "peak_rss": "peak memory (RSS, whole process)",
        "rss_before": "before the runs",
        "fastest": "timings: the fastest of {n} runs each",
        "memory_title": "Memory check: {scenario}, policy {policy}, seed {seed}, no warm-up; "
                        "order log and ledger detail off",
        "days": "days",
        "max_open": "max open orders",
        "max_pending": "max pending events",
        "peak_traced": "peak traced MB",
        "per_event": "KB per event",
        "retained": "retained MB",
        "growth": "From {d0} to {d1} days: horizon x{days:.1f}, orders x{orders:.1f}, pending "
                  "events x{load:.2f}, peak traced memory x{mem:.2f}",
        "memory_running": "Tracing memory over {days} days (tracemalloc slows the model down "
                          "several times) ...",
        "higher_better": "higher is better",
        "lower_better": "lower is better",
        "compare_title": "Comparison of {n} policies on {scenario}: {reps} paired replications "
                         "(common random numbers), seed {seed}, baseline '{baseline}'",
        "kpi_block": "{name} ({kpi}, {unit}{direction})",
        "p_best": "Chance of being best on profit (share of replications in which the policy had "
                  "the highest profit):",
        "precision_met": "Replications needed: {reps} (95% CI half-width of every difference in "
                         "{kpi} within {target}; widest {widest})",
        "precision_not_met": "Replications: {reps} (the maximum) without reaching the precision: "
                             "widest 95% CI half-width of a difference in {kpi} {widest}, target "
                             "{target}; raise --max-reps",
        "of_baseline": "{pct} of the baseline's mean",
        "wrote_study": "Wrote {n} files to {out} (replications kept in {store})",
        "sweep_title": "Sweep on {scenario}, policy {policy}: {points} point(s) x {reps} "
                       "replications, seed {seed} (paired: every point uses the same random "
                       "numbers)",
        "sens_title": "Sensitivity of {kpi} ({unit}) on {scenario}, policy {policy}: one "
                      "parameter at a time, {reps} replications per value; largest swing first",
        "sens_title_diff": "Sensitivity of the paired difference {policy} minus {baseline} in "
                           "{kpi} ({unit}) on {scenario}: one parameter at a time (moved in "
                           "both policies), {reps} paired replications per value; largest "
                           "swing first",
        "crn_title": "Common random numbers on {scenario}: variance of the paired difference "
                     "against '{baseline}', {reps} replications each way",
        "crn_note": "ratio = variance with independent random numbers / with common random "
                    "numbers: how many times fewer replications common random numbers need for "
                    "the same precision",
        "plot_wrote": "Wrote {path}",
        "reused": "(every replication was reused from the results store)",
        "penalty_note": "note: penalty points weigh on {policies}; their rules (points per lost "
                        "case, visitors lost per point, the hide at 12 points) are assumptions "
                        "with no source: check with sim sensitivity FILE --range "
                        "platform.penalty_points_per_lost_case=0,2 --range "
                        "platform.traffic_loss_per_point=0,0.01",
        "warn_warmup": "warning: {file}: the warm-up ({warmup} days) is shorter than the "
                       "slowest pipeline, the {pipeline} ({days:.0f} days): the KPIs may "
                       "still carry the start-up (fix: sim warmup {file})",
        "levels_title": "{file}: the levels its [expect] table states, against {reps} paired "
                        "replications of the baseline (95% interval of the mean)",
        "level_met": "met",
        "level_missed": "MISSED",
        "levels_missed": "{file}: {n} stated level(s) missed: {kpis} (fix the model or the "
                         "scenario, or state what the model gives)",
        "warmup_title": "Warm-up of {scenario} under {policy}: {reps} replications of {days} "
                        "days from empty, seasonal peaks and weekly pattern off; MSER-5 on the "
                        "mean daily series",
        "warmup_advice": "Recommended warm-up: {days} days (the scenario has {current}); the "
                         "slowest pipeline is the {pipeline} ({pipeline_days:.0f} days)",
        "warmup_ok": "The scenario's warm-up is long enough.",
        "warn_bench": "warning: {file}: policy {policy} loads the repair bench at about "
                      "{load:.2f} of what it can serve (new buyers alone): at 1 or more its "
                      "queue grows without end and no warm-up reaches a steady state (fix: more "
                      "technicians or shorter bench times)",
        "pipeline_rating_window": "rating window (rating.window_days)",
        "pipeline_warranty": "warranty of the products that fail in use "
                             "(shop.products[].warranty_days)",
        "warmup_short": "The scenario's warm-up is too short: set scenario.warmup_days = {days}",
        "estimate": "Estimate: {orders} orders ({events} simulated events) in {runs} "
                    "replication(s), about {time} on this machine with {workers} worker(s); "
                    "peak memory about {memory} ({available} available)",
        "too_big": "{field}: this work cannot fit in this machine's memory: {what} needs "
                   "about {memory} at its peak, and {available} are available ({orders} "
                   "orders, about {time} of computing). Fix: {fixes}",
        "too_big_one": "one replication",
        "too_big_workers": "{n} replications at once (one per worker)",
        "fix_sample": "--sample {fraction} (simulate that fraction of the visitors and bad "
                      "actors with every team scaled to match; counts and money are scaled "
                      "back)",
        "fix_days": "fewer days (--set scenario.horizon_days=N)",
        "fix_cluster": "a Dask cluster with bigger machines (sim compare --scheduler ADDR)",
        "fix_jobs": "fewer workers at once (--jobs {n})",
        "fix_capacity": "a packing team that keeps up with the orders (shop.dispatch."
                        "daily_capacity of at least {orders} a day; the backlog holds the "
                        "memory)",
        "fix_records": "leave out --out and --order-log (they keep a record of every order "
                       "of the run)",
        "or": "; or ",
        "dur_hours": "{n} h",
        "dur_days": "{n} days",
        "running_sampled": "Simulating {scenario} under policy {policy}, seed {seed}, on {pct} "
                           "of its visitors ...",
        "progress_days": "simulated days",
        "sampled_note": "Sampled: {pct} of the visitors and bad actors, every team scaled to "
                        "match; counts and money scaled back by 1/{fraction}, shares and means "
                        "as simulated (a noisier rating; ceil(F x c) agents are not the same "
                        "queue as c)",
        "implausible_buyers": "warning: {file}: market.daily_visitors = {value:,.6g} is more "
                              "visitors a day than a marketplace has buyers (about "
                              "{limit:,.0f}): check the value",
        "implausible_market": "warning: {file}: market.daily_visitors = {value:,.6g} gives "
                              "about {orders:,.0f} orders a day, more than the {limit:,.0f} the "
                              "model was built for (a shop, not a whole market): check the "
                              "value; run a shop this big with --sample",
        "implausible_capacity": "warning: {file}: shop.dispatch.daily_capacity = {value:,} is "
                                "less than an ordinary day's orders (about {orders:,.0f}): the "
                                "packing backlog grows without end",
        "implausible_agents": "warning: {file}: shop.cs.agents = {value:,} cannot answer an "
                              "ordinary day's messages (about {messages:,.0f}, {hours:,.0f} "
                              "agent-hours) in their working hours: the queue grows without end",
        "warn_collapsed": "warning: --sample {fraction}: {field} differs between {labels} "
                          "({sizes}) but is {sampled} in each once sampled: the sampled study "
                          "runs the same team for them and cannot tell them apart (only the "
                          "wages differ); use --sample {needed} or more",
        "warn_penalty": "warning: --sample {fraction}: {field} = {points} gives {sampled} "
                        "points per case in the sampled shop, at least the {threshold} that "
                        "hide the shop: every such case hides it at once and the points above "
                        "the threshold are lost, so the sampled shop is hidden less often than "
                        "the full one (days_hidden and the orders it costs are biased low); "
                        "use --sample {needed} or more where penalties matter",
        "warn_size": "warning: {file}: market.daily_visitors: one replication needs about "
                     "{memory} of memory at its peak ({available} available): sim run, "
                     "compare, sweep and report will refuse it (fix: --sample {fraction})",
    },
    "zh": {
        "builtin": "内置",
        "file": "场景文件",
        "scenario": "场景",
        "seed": "随机种子",
        "hash": "场景哈希",
        "ok": "通过 OK: {file} (共 {n} 个策略)",
        "summary": "已检查 {files} 个文件: {ok} 个有效, {bad} 个有问题 (共 {problems} 处)",
        "error": "错误: {msg}",
        "running": "正在模拟 {scenario}, 策略 {policy}, 随机种子 {seed} ...",
        "wrote": "已写入 {n} 个文件到 {out}",
        "needs_out": "{flag} 会写文件: 请加上 --out DIR",
        "interrupted": "已中断",
        "kpis_title": "单次模拟的指标 (定义见 docs/MODEL.md)。金额单位为元; "
                      "“方向”说明哪个方向更好。",
        "policies_title": "{file} 的策略 (运行: sim run {file} --policy 名称)",
        "bench_title": "速度基准: {scenario}, 策略 {policy}, 随机种子 {seed}, 下单期 {days} 天 "
                       "(预热 {warmup} 天 + 观察期 {horizon} 天)",
        "runner": "运行方式",
        "orders": "订单数",
        "seconds": "秒",
        "orders_per_s": "订单/秒",
        "model": "完整模型",
        "skeleton": "SimPy 空骨架",
        "ratio": "速度比 模型/骨架",
        "peak_rss": "内存峰值 (RSS, 整个进程)",
        "rss_before": "运行前",
        "fastest": "计时: 每项取 {n} 次中最快的一次",
        "memory_title": "内存检查: {scenario}, 策略 {policy}, 随机种子 {seed}, 无预热; "
                        "不记录订单日志和账目明细",
        "days": "天数",
        "max_open": "最多同时未完结订单",
        "max_pending": "最多待处理事件",
        "peak_traced": "追踪内存峰值 MB",
        "per_event": "每个事件 KB",
        "retained": "结束时占用 MB",
        "growth": "从 {d0} 天到 {d1} 天: 时长 x{days:.1f}, 订单 x{orders:.1f}, 待处理事件 "
                  "x{load:.2f}, 追踪内存峰值 x{mem:.2f}",
        "memory_running": "正在追踪 {days} 天的内存 (tracemalloc 会让模型慢好几倍) ...",
        "higher_better": "越高越好",
        "lower_better": "越低越好",
        "compare_title": "策略比较: 场景 {scenario} 的 {n} 个策略, 每个策略配对模拟 {reps} 次 "
                         "(共同随机数), 随机种子 {seed}, 基准 '{baseline}'",
        "kpi_block": "{name} ({kpi}, {unit}{direction})",
        "p_best": "利润最优的概率 (该策略利润最高的模拟次数占比):",
        "precision_met": "所需重复次数: {reps} (每个差值在 {kpi} 上的 95% 置信区间半宽均不超过 "
                         "{target}; 最宽 {widest})",
        "precision_not_met": "重复次数: {reps} (已达上限), 精度未达到: {kpi} 差值的 95% "
                             "置信区间半宽最大为 {widest}, 目标 {target}; 请调高 --max-reps",
        "of_baseline": "基准均值的 {pct}",
        "wrote_study": "已写入 {n} 个文件到 {out} (模拟结果保存在 {store})",
        "sweep_title": "参数扫描: 场景 {scenario}, 策略 {policy}: {points} 个取值点 x 重复 "
                       "{reps} 次, 随机种子 {seed} (配对: 每个取值点使用相同的随机数)",
        "sens_title": "{kpi} ({unit}) 的敏感性: 场景 {scenario}, 策略 {policy}; "
                      "每次只改变一个参数, 每个取值重复 {reps} 次; 按摆幅从大到小排列",
        "sens_title_diff": "{policy} 减去 {baseline} 的{kpi} ({unit}) 配对差值的敏感性: "
                           "场景 {scenario}; 每次只改变一个参数 (两个策略同时改变), "
                           "每个取值配对重复 {reps} 次; 按摆幅从大到小排列",
        "crn_title": "共同随机数的效果: 场景 {scenario}, 与 '{baseline}' 的配对差值的方差, "
                     "两种方式各重复 {reps} 次",
        "crn_note": "比值 = 独立随机数的方差 / 共同随机数的方差: 达到同样精度时, "
                    "共同随机数所需的重复次数少这么多倍",
        "plot_wrote": "已写入 {path}",
        "reused": "(所有模拟结果都取自结果缓存)",
        "penalty_note": "注意: 扣分对 {policies} 的结果影响较大; 扣分规则 (每败诉一件的扣分、"
                        "每分损失的访客、累计 12 分屏蔽店铺) 是没有出处的假设: 请用 "
                        "sim sensitivity FILE --range platform.penalty_points_per_lost_case=0,2 "
                        "--range platform.traffic_loss_per_point=0,0.01 检验",
        "warn_warmup": "警告: {file}: 预热期 ({warmup} 天) 短于最慢的过程, 即{pipeline} "
                       "({days:.0f} 天): 指标可能仍带有起步阶段的偏差 (解决: sim warmup {file})",
        "levels_title": "{file}: [expect] 表声明的水平, 与基准策略 {reps} 次配对模拟对照 "
                        "(均值的 95% 置信区间)",
        "level_met": "符合",
        "level_missed": "不符",
        "levels_missed": "{file}: {n} 个声明的水平不符: {kpis} (请修正模型或场景, "
                         "或按模型结果声明)",
        "warmup_title": "{scenario} 在策略 {policy} 下的预热期: 从空状态运行 {days} 天, "
                        "重复 {reps} 次, 关闭季节高峰和星期效应; 对每日均值序列做 MSER-5",
        "warmup_advice": "建议预热期: {days} 天 (场景当前为 {current} 天); 最慢的过程是"
                         "{pipeline} ({pipeline_days:.0f} 天)",
        "warmup_ok": "场景的预热期足够长。",
        "warn_bench": "警告: {file}: 策略 {policy} 的维修台负荷约为其处理能力的 {load:.2f} "
                      "(仅计新买家): 达到 1 及以上时排队会无限增长, 任何预热期都达不到稳态 "
                      "(解决: 增加技师或缩短维修时间)",
        "pipeline_rating_window": "评分窗口 (rating.window_days)",
        "pipeline_warranty": "会在使用中出故障的商品的保修期 (shop.products[].warranty_days)",
        "warmup_short": "场景的预热期太短: 请设置 scenario.warmup_days = {days}",
        "estimate": "预估: {runs} 次模拟共 {orders} 个订单 ({events} 个仿真事件), 本机 "
                    "{workers} 个进程约需 {time}; 内存峰值约 {memory} (可用 {available})",
        "too_big": "{field}: 本机内存容纳不下这项计算: {what}在峰值时约需 {memory} 内存, "
                   "而可用内存只有 {available} ({orders} 个订单, 约需计算 {time})。"
                   "解决: {fixes}",
        "too_big_one": "一次模拟",
        "too_big_workers": "同时运行的 {n} 次模拟 (每个进程一次)",
        "fix_sample": "--sample {fraction} (只模拟这一比例的访客和恶意买家, 各团队按比例缩小; "
                      "计数和金额按比例放大回来)",
        "fix_days": "减少天数 (--set scenario.horizon_days=N)",
        "fix_cluster": "使用配置更高的 Dask 集群 (sim compare --scheduler ADDR)",
        "fix_jobs": "减少同时运行的进程 (--jobs {n})",
        "fix_capacity": "让打包团队跟上订单 (shop.dispatch.daily_capacity 至少每天 {orders} 单; "
                        "内存被积压的订单占满)",
        "fix_records": "去掉 --out 和 --order-log (它们会保存本次模拟每个订单的记录)",
        "or": "; 或 ",
        "dur_hours": "{n} 小时",
        "dur_days": "{n} 天",
        "running_sampled": "正在模拟 {scenario}, 策略 {policy}, 随机种子 {seed}, 抽样 {pct} "
                           "的访客 ...",
        "progress_days": "模拟天数",
        "sampled_note": "抽样模拟: 只模拟 {pct} 的访客和恶意买家, 各团队按比例缩小; 计数和金额"
                        "乘以 1/{fraction} 放大回来, 比例和均值按模拟结果 (评分波动更大; "
                        "ceil(F x c) 个客服与 c 个客服不是同一个排队系统)",
        "implausible_buyers": "警告: {file}: market.daily_visitors = {value:,.6g}, 每天的访客比"
                              "整个平台的买家 (约 {limit:,.0f}) 还多: 请检查数值",
        "implausible_market": "警告: {file}: market.daily_visitors = {value:,.6g}, 每天约 "
                              "{orders:,.0f} 个订单, 超出模型的设计范围 {limit:,.0f} "
                              "(模型描述的是店铺, 不是整个市场): 请检查数值; 这么大的店铺请用 "
                              "--sample 运行",
        "implausible_capacity": "警告: {file}: shop.dispatch.daily_capacity = {value:,}, "
                                "少于平常一天的订单 (约 {orders:,.0f}): 待发货积压会无限增长",
        "implausible_agents": "警告: {file}: shop.cs.agents = {value:,}, 在工作时间内回复不完"
                              "平常一天的消息 (约 {messages:,.0f} 条, 需 {hours:,.0f} "
                              "人·小时): 排队会无限增长",
        "warn_collapsed": "警告: --sample {fraction}: {labels} 的 {field} 不同 ({sizes}), "
                          "抽样后却都是 {sampled}: 抽样模拟中它们的团队完全一样, 无法区分 "
                          "(只有工资不同); 请用 --sample {needed} 或更大的比例",
        "warn_penalty": "警告: --sample {fraction}: {field} = {points}, 抽样后每件案子扣 "
                        "{sampled} 分, 达到屏蔽店铺的 {threshold} 分: 每件这样的案子都会立即"
                        "屏蔽店铺, 超出的分数作废, 因此抽样店铺被屏蔽的次数少于完整店铺 "
                        "(days_hidden 及其损失的订单偏低); 扣分重要时请用 --sample {needed} "
                        "或更大的比例",
        "warn_size": "警告: {file}: market.daily_visitors: 一次模拟在峰值时约需 {memory} 内存 "
                     "(可用 {available}): sim run、compare、sweep 和 report 会拒绝运行 "
                     "(解决: --sample {fraction})",
    },
}

#: Messages of ``sim regress``.
REGRESS: dict[str, dict[str, str]] = {
    "en": {
        "recorded": "Recorded {scenario}: {policies} policies x {reps} reps, seed {seed} -> "
                    "{path}",
        "blessed": "Re-baselined {scenario} -> {path}",
        "bless_same": "  {policy}: unchanged (fingerprint {fp})",
        "bless_moved": "  {policy}: {n} of {total} KPIs moved: {kpis}",
        "bless_new": "  {policy}: new",
        "exists": "baseline '{path}' exists",
        "exists_fix": "re-record it with --update, or re-run its stored study with: sim regress "
                      "bless {file} --baseline {dir}",
        "title": "sim regress check: {n} scenario file(s) against {dir} (alpha {alpha}, Holm per "
                 "file; fails on: {fail_on})",
        "study": "  {policies} policies x {reps} reps, seed {seed}{overrides}",
        "exact": "  exact tier:",
        "identical": "identical",
        "changed": "CHANGED: {n} of {total} KPIs moved",
        "report_only": "(report only)",
        "causes": "  besides the model code, these differ: {causes}",
        "no_moves": "  statistical tier: every KPI identical",
        "stat_tier": "  statistical tier:",
        "hidden": "  ({n} more KPI(s) identical; --show all lists them)",
        "sensitivity": "  sensitivity: for {n} of {total} KPIs a real shift larger than the "
                       "tolerance can still pass as noise with {reps} replications; shift seen "
                       "about half the time vs tolerance: {worst}. More replications or a longer "
                       "horizon sharpen the test.",
        "result": "Result: statistical tier {stat} ({shifted} of {kpis} KPIs shifted); exact "
                  "tier {exact} ({changed} of {outputs} outputs changed){note} -> exit {code}",
        "pass": "PASS",
        "fail": "FAIL",
        "not_counted": "; {tier} tier not counted (--fail-on {fail_on})",
        "junit": "JUnit XML written to {path}",
        "rebless": "After an intended change, re-baseline with: sim regress bless "
                   "{files}--baseline {dir}",
        "base_mean": "baseline mean",
        "new_mean": "new mean",
        "change": "change",
        "tolerance": "tolerance",
        "p": "p (Holm)",
    },
    "zh": {
        "recorded": "已记录 {scenario}: {policies} 个策略 x {reps} 次重复, 随机种子 {seed} -> "
                    "{path}",
        "blessed": "已更新基线 {scenario} -> {path}",
        "bless_same": "  {policy}: 无变化 (指纹 {fp})",
        "bless_moved": "  {policy}: {total} 个指标中 {n} 个变化: {kpis}",
        "bless_new": "  {policy}: 新增",
        "exists": "基线 '{path}' 已存在",
        "exists_fix": "加 --update 重新记录, 或按已存设置重跑: sim regress bless {file} "
                      "--baseline {dir}",
        "title": "sim regress check: {n} 个场景文件, 基线目录 {dir} (alpha {alpha}, 每个文件 "
                 "Holm 校正; 失败条件: {fail_on})",
        "study": "  {policies} 个策略 x {reps} 次重复, 随机种子 {seed}{overrides}",
        "exact": "  精确层:",
        "identical": "完全相同",
        "changed": "有变化: {total} 个指标中 {n} 个变化",
        "report_only": "(仅报告)",
        "causes": "  除模型代码外, 这些也不同: {causes}",
        "no_moves": "  统计层: 所有指标完全相同",
        "stat_tier": "  统计层:",
        "hidden": "  (另有 {n} 个指标完全相同; 用 --show all 列出)",
        "sensitivity": "  灵敏度: {total} 个指标中有 {n} 个, 在 {reps} "
                       "次重复下超过容差的真实偏移仍可能被当作噪声; 约半数情况下能发现的偏移 vs "
                       "容差: {worst}。增加重复次数或延长观察期可提高灵敏度。",
        "result": "结果: 统计层 {stat} ({kpis} 个指标中 {shifted} 个偏移); 精确层 {exact} "
                  "({outputs} 个输出中 {changed} 个变化){note} -> 退出码 {code}",
        "pass": "通过",
        "fail": "失败",
        "not_counted": "; {tier} 层不计入 (--fail-on {fail_on})",
        "junit": "JUnit XML 已写入 {path}",
        "rebless": "若变化是有意的, 更新基线: sim regress bless {files}--baseline {dir}",
        "base_mean": "基线均值",
        "new_mean": "新均值",
        "change": "变化",
        "tolerance": "容差",
        "p": "p (Holm)",
    },
}
