"""Words of the search for the best policy (``sim optimize``, its chart and its report), in
English and Simplified Chinese.

Keys are looked up as ``opt.KEY``. The report's texts are trusted HTML templates (their fields
are escaped when filled); the command line prints them as plain text, so they hold no markup.
Both languages must have the same keys (a test checks it).
"""

from __future__ import annotations

TEXT: dict[str, dict[str, str]] = {
    "en": {
        "title": "Search for the best policy on {scenario}, starting from policy '{policy}': "
                 "{trials} candidates, {reps} replications each with common random numbers "
                 "(seed {seed}, sampler {sampler})",
        "this_run": "This run: {new} new candidates, {sims} replications simulated, {loaded} "
                    "read from the storage ({storage}); {seconds}",
        "screen": "The search screened the candidates with {settings}; the final selection ran "
                  "on the scenario as given.",
        "levers": "Levers",
        "col.lever": "lever",
        "col.kind": "kind",
        "col.values": "values",
        "col.trial": "trial",
        "col.reps": "replications",
        "col.status": "status",
        "kind.float": "continuous",
        "kind.int": "whole numbers",
        "kind.choice": "choice",
        "front": "Pareto front: {n} candidates{meeting} that no other candidate beats on every "
                 "objective (means over the search's replications)",
        "meeting": " meeting {constraints}",
        "and": " and ",
        "pick_mark": "<- recommended",
        "selection": "Final selection on {kpi} (ranking and selection, Kim and Nelson's KN): "
                     "{k} finalists with {n0} first-stage replications each, fresh random "
                     "numbers shared by the finalists, on the scenario as given; indifference "
                     "zone {delta}{share}, alpha {alpha}",
        "share": " ({pct} of the best first-stage mean)",
        "status.selected": "selected",
        "status.eliminated": "behind after {r} replications",
        "status.dropped": "misses {constraint}",
        "pick": "Recommended: trial {trial}, the {best} {kpi} among the front's candidates"
                "{meeting}. The pick is made on the first objective, {kpi}; the front shows "
                "what it costs on the others.",
        "pick_one": "Recommended: trial {trial}, the {best} {kpi} among the search's best "
                    "candidates{meeting}.",
        "best.higher": "highest",
        "best.lower": "lowest",
        "pcs": "Probability of correct selection: at least {pcs} whenever the best finalist "
               "is at least {delta} better than the others (the indifference zone); estimated "
               "from the replications: {est}.",
        "pcs_capped": "KN stopped at {max} replications with finalists still within reach of "
                      "each other: the pick has the best mean, and the estimated probability "
                      "that it is the best is {est} (no guarantee: raise --max-reps or widen "
                      "--delta).",
        "pcs_single": "Only one candidate was left for the final selection (the search found "
                      "one, or one met the constraints on the scenario as given): it is the "
                      "pick, with nothing to select among.",
        "paste": "Paste this table into {file}, then compare it with: sim compare {file} "
                 "--policies baseline,{name}",
        "toml_desc": "Found by sim optimize on {scenario}: the {best} {kpi}{meeting} "
                     "(probability of correct selection {pcs})",
        "wrote_report": "Wrote the search's report to {path}",
        "wrote_plot": "Wrote the chart of the front to {path}",
        "chart.title": "Candidates of the search",
        "chart.sub": "{n} candidates, {reps} replications each (means)",
        "chart.all": "candidate",
        "chart.front": "Pareto front",
        "chart.finalist": "finalist",
        "chart.pick": "recommended",
        "chart.limit": "constraint {text}",
        "chart.better": "{higher} is better",
        "chart.higher": "higher",
        "chart.lower": "lower",
        # the report
        "r.doc_title": "Best policy search: {scenario}",
        "r.title": "Which policy is best? A search on {scenario}",
        "r.lede": "A search over the levers below for the policy that does best on {kpis}, "
                  "then a final pick among the best candidates with a stated probability of "
                  "being right.",
        "r.fact.scenario": "Scenario",
        "r.fact.policy": "Starting policy",
        "r.fact.search": "Search",
        "r.fact.search_v": "{trials} candidates × {reps} replications",
        "r.fact.selection": "Final selection",
        "r.fact.selection_v": "{k} finalists, {reps} replications in all",
        "r.fact.pcs": "Probability of correct selection",
        "r.fact.time": "Computing time of this run",
        "r.contents": "Contents",
        "r.sec.summary": "Summary",
        "r.sec.levers": "Levers and goals",
        "r.sec.front": "The Pareto front",
        "r.sec.selection": "The final selection",
        "r.sec.policy": "The recommended policy",
        "r.sec.method": "How the search works",
        "r.sec.repro": "Reproducibility",
        "r.sum.pick": "Recommended: <strong>{values}</strong>.",
        "r.sum.how": "It is the {best} {kpi} among the candidates of the Pareto front{meeting}; "
                     "on the scenario as given it reaches {estimates}.",
        "r.sum.pcs": "Probability of correct selection: <strong>at least {pcs}</strong> "
                     "whenever the best finalist is at least {delta} better than the others "
                     "(the indifference zone); estimated from the replications: {est}.",
        "r.sum.pcs_capped": "The selection stopped at {max} replications with finalists still "
                            "close: the pick has the best mean, with an estimated probability "
                            "of {est} of being the best (no guarantee).",
        "r.sum.single": "Only one candidate was left for the final selection (the search found "
                        "one, or one met the constraints on the scenario as given).",
        "r.sum.caveat": "These are outcomes of a model under the scenario's assumptions, not "
                        "forecasts; check the assumptions that matter (sim sensitivity) before "
                        "acting on the pick.",
        "r.levers.intro": "The search could move these levers; everything else stays as the "
                          "scenario and the starting policy set it.",
        "r.goals": "Objectives: {objectives}. Constraints: {constraints}.",
        "r.no_constraints": "none",
        "r.front.intro": "Each row is a candidate that meets the constraints and that no other "
                         "candidate beats on every objective at once. Values are means over the "
                         "search's {reps} replications{screened}.",
        "r.front.screened": ", on the screening settings ({settings})",
        "r.chart.cap": "Every candidate of the search at its means on {x} and {y}{colour}; the "
                       "front is outlined, the finalists ringed and the recommended policy is the "
                       "star. Dashed lines are constraints.",
        "r.chart.colour": ", coloured by {z}",
        "r.sel.intro": "The finalists ran again with fresh random numbers, shared by all of "
                       "them, on the scenario as given. Kim and Nelson's procedure (KN) gave "
                       "each {n0} replications, then one more at a time to those still close, "
                       "and dropped a finalist as soon as it fell clearly behind on {kpi}.",
        "r.sel.dropped": "Finalists whose first-stage means missed a constraint were dropped "
                         "before the comparison.",
        "r.col.mean": "{kpi}: mean",
        "r.col.ci": "95% interval",
        "r.policy.intro": "Paste this table into {file}; the policy then runs like any other "
                          "(sim compare {file} --policies baseline,{name}). It was checked: read "
                          "back with the scenario, it validates.",
        "r.method": "The search is an optuna study ({sampler}) of {budget} candidates, asked in "
                    "batches and kept in an SQLite database, so that a killed search resumes "
                    "without losing or recomputing a finished candidate. Every candidate ran "
                    "the same {reps} replications (common random numbers): replication r of "
                    "every candidate meets the same buyers with the same luck, so differences "
                    "between candidates are sharp. The front's best candidates on {kpi} then "
                    "went through ranking and selection (KN, Kim and Nelson 2001) with fresh "
                    "replications: it guarantees a probability of correct selection of at least "
                    "1 − alpha = {pcs} whenever the best is at least the indifference zone "
                    "better than the others.",
        "r.ft.version": "Tool",
        "r.ft.file": "Scenario file",
        "r.ft.study": "Study",
        "r.ft.storage": "Storage",
        "r.ft.seed": "Seed",
        "r.ft.command": "Command to reproduce",
        "r.ft.generated": "Generated",
        "r.ft.no_command": "(built from Python: sim.report.optimize.build_page)",
    },
    "zh": {
        "title": "在 {scenario} 上寻找最优政策（从政策“{policy}”出发）：{trials} 个候选方案，每个 "
                 "{reps} 次共同随机数模拟（种子 {seed}，采样器 {sampler}）",
        "this_run": "本次运行：新增 {new} 个候选方案，模拟 {sims} 次，从存储读取 {loaded} 次"
                    "（{storage}）；{seconds}",
        "screen": "搜索阶段用 {settings} 筛选候选方案；最终选择在原场景上运行。",
        "levers": "决策参数",
        "col.lever": "参数",
        "col.kind": "类型",
        "col.values": "取值",
        "col.trial": "试验",
        "col.reps": "模拟次数",
        "col.status": "状态",
        "kind.float": "连续",
        "kind.int": "整数",
        "kind.choice": "选项",
        "front": "帕累托前沿：{n} 个{meeting}候选方案，没有其他方案能在所有目标上同时胜过它们"
                 "（搜索阶段各次模拟的均值）",
        "meeting": "满足 {constraints} 的",
        "and": " 且 ",
        "pick_mark": "<- 推荐",
        "selection": "按{kpi}做最终选择（排序与选择，Kim 与 Nelson 的 KN 方法）：{k} 个入围方案，"
                     "第一阶段各 {n0} 次模拟，使用所有入围方案共享的新随机数，在原场景上运行；"
                     "无差异区间 {delta}{share}，alpha {alpha}",
        "share": "（第一阶段最佳均值的 {pct}）",
        "status.selected": "选中",
        "status.eliminated": "{r} 次模拟后落后",
        "status.dropped": "不满足 {constraint}",
        "pick": "推荐：试验 {trial}，前沿上{meeting}候选方案中{kpi}{best}者。选择依据第一个目标"
                "（{kpi}）；前沿显示它在其他目标上的代价。",
        "pick_one": "推荐：试验 {trial}，搜索中{meeting}最佳候选方案里{kpi}{best}者。",
        "best.higher": "最高",
        "best.lower": "最低",
        "pcs": "正确选择概率：只要最佳入围方案比其他方案至少好 {delta}（无差异区间），"
               "就至少为 {pcs}；由模拟结果估计为 {est}。",
        "pcs_capped": "KN 在 {max} 次模拟时停止，入围方案之间仍很接近：推荐方案均值最佳，"
                      "估计其为最佳的概率为 {est}（无保证：请提高 --max-reps 或放宽 --delta）。",
        "pcs_single": "最终选择只剩一个候选方案（搜索只找到一个，或在原场景上只有一个满足约束）："
                      "它就是推荐方案，无需再选择。",
        "paste": "把下面的表粘贴到 {file}，然后用以下命令比较：sim compare {file} "
                 "--policies baseline,{name}",
        "toml_desc": "由 sim optimize 在 {scenario} 上找到：{meeting}{kpi}{best}"
                     "（正确选择概率 {pcs}）",
        "wrote_report": "已写出搜索报告：{path}",
        "wrote_plot": "已写出前沿图：{path}",
        "chart.title": "搜索的候选方案",
        "chart.sub": "{n} 个候选方案，每个 {reps} 次模拟（均值）",
        "chart.all": "候选方案",
        "chart.front": "帕累托前沿",
        "chart.finalist": "入围方案",
        "chart.pick": "推荐方案",
        "chart.limit": "约束 {text}",
        "chart.better": "越{higher}越好",
        "chart.higher": "高",
        "chart.lower": "低",
        "r.doc_title": "最优政策搜索：{scenario}",
        "r.title": "哪种政策最好？在 {scenario} 上的搜索",
        "r.lede": "在下列决策参数中搜索{kpis}表现最好的政策，然后在最佳候选方案中做最终选择，"
                  "并给出选择正确的概率。",
        "r.fact.scenario": "场景",
        "r.fact.policy": "起始政策",
        "r.fact.search": "搜索",
        "r.fact.search_v": "{trials} 个候选方案 × {reps} 次模拟",
        "r.fact.selection": "最终选择",
        "r.fact.selection_v": "{k} 个入围方案，共 {reps} 次模拟",
        "r.fact.pcs": "正确选择概率",
        "r.fact.time": "本次运行的计算时间",
        "r.contents": "目录",
        "r.sec.summary": "摘要",
        "r.sec.levers": "决策参数与目标",
        "r.sec.front": "帕累托前沿",
        "r.sec.selection": "最终选择",
        "r.sec.policy": "推荐政策",
        "r.sec.method": "搜索方法",
        "r.sec.repro": "可复现性",
        "r.sum.pick": "推荐：<strong>{values}</strong>。",
        "r.sum.how": "它是帕累托前沿上{meeting}候选方案中{kpi}{best}者；在原场景上达到 "
                     "{estimates}。",
        "r.sum.pcs": "正确选择概率：只要最佳入围方案比其他方案至少好 {delta}（无差异区间），"
                     "就<strong>至少为 {pcs}</strong>；由模拟结果估计为 {est}。",
        "r.sum.pcs_capped": "选择在 {max} 次模拟时停止，入围方案之间仍很接近：推荐方案均值最佳，"
                            "估计其为最佳的概率为 {est}（无保证）。",
        "r.sum.single": "最终选择只剩一个候选方案"
                        "（搜索只找到一个，或在原场景上只有一个满足约束）。",
        "r.sum.caveat": "以上是模型在场景假设下的结果，不是预测；采用推荐方案前，请先检验关键假设"
                        "（sim sensitivity）。",
        "r.levers.intro": "搜索可以调整以下决策参数；其他一切保持场景和起始政策的设定。",
        "r.goals": "目标：{objectives}。约束：{constraints}。",
        "r.no_constraints": "无",
        "r.front.intro": "每一行是一个满足约束、且没有其他方案能在所有目标上同时胜过的候选方案。"
                         "数值为搜索阶段 {reps} 次模拟的均值{screened}。",
        "r.front.screened": "（使用筛选设定：{settings}）",
        "r.chart.cap": "搜索中的每个候选方案按其{x}与{y}均值画出{colour}；前沿方案加框，入围方案"
                       "加圈，星号为推荐方案。虚线为约束。",
        "r.chart.colour": "，颜色表示{z}",
        "r.sel.intro": "入围方案在原场景上用所有方案共享的新随机数重新模拟。Kim 与 Nelson 的方法"
                       "（KN）先给每个方案 {n0} 次模拟，然后每次只给仍然接近的方案再加一次，"
                       "一旦某方案在{kpi}上明显落后就将其淘汰。",
        "r.sel.dropped": "第一阶段均值不满足约束的入围方案在比较前被剔除。",
        "r.col.mean": "{kpi}：均值",
        "r.col.ci": "95% 置信区间",
        "r.policy.intro": "把这张表粘贴到 {file}，该政策即可像其他政策一样运行"
                          "（sim compare {file} --policies baseline,{name}）。已经检验：与场景一起"
                          "读回时可以通过校验。",
        "r.method": "搜索是一个 optuna 研究（{sampler}），共 {budget} 个候选方案，分批提出并保存在 "
                    "SQLite 数据库中：搜索被中断后可以继续，已完成的候选方案不会丢失或重算。每个"
                    "候选方案使用相同的 {reps} 次模拟（共同随机数）：各方案的第 r 次模拟面对相同的"
                    "买家和相同的运气，因此方案之间的差异很清晰。随后，前沿上{kpi}最佳的候选方案"
                    "用新的模拟进行排序与选择（KN，Kim 与 Nelson 2001）：只要最佳方案比其他方案至少"
                    "好一个无差异区间，正确选择的概率至少为 1 − alpha = {pcs}。",
        "r.ft.version": "工具",
        "r.ft.file": "场景文件",
        "r.ft.study": "研究",
        "r.ft.storage": "存储",
        "r.ft.seed": "随机种子",
        "r.ft.command": "复现命令",
        "r.ft.generated": "生成时间",
        "r.ft.no_command": "（由 Python 生成：sim.report.optimize.build_page）",
    },
}
