"""Words of "what would change the verdict" (``sim verdict``, the report's section, its chart),
in English and Simplified Chinese. Looked up as ``flip.KEY``.

The report's texts are trusted HTML templates (their ``{fields}`` are filled with escaped
values); the command line prints the same sentences as plain text.
"""

from __future__ import annotations

#: ``TEXT[lang][key]``.
TEXT: dict[str, dict[str, str]] = {
    "en": {
        "title": "What would change the verdict: {policy} against {baseline} on {scenario}, "
                 "{kpi} ({unit})",
        "higher": "{policy} gives a higher {kpi} than {baseline}: {diff} (95% interval {ci}), "
                  "paired over {reps} replications.",
        "lower": "{policy} gives a lower {kpi} than {baseline}: {diff} (95% interval {ci}), "
                 "paired over {reps} replications.",
        "higher_one": "{policy} gives a higher {kpi} than {baseline}: {diff} in one paired "
                      "replication (no interval).",
        "lower_one": "{policy} gives a lower {kpi} than {baseline}: {diff} in one paired "
                     "replication (no interval).",
        "equal": "{policy} and {baseline} give exactly the same {kpi} in every replication: "
                 "there is no verdict to flip.",
        "setup": "Morris screening of the paired difference: {trajectories} trajectories over "
                 "{k} uncertain inputs ({points} points), {reps} paired replications per point; "
                 "{runs} simulations in all.",
        "screen_head": "Screening, largest effect first. mu* is how far the difference moves "
                       "across the parameter's plausible range (mean absolute elementary "
                       "effect); sigma the spread of those effects (interactions, curvature, "
                       "noise); mu the signed mean.",
        "even_head": "Break-even of the top {top}, each alone (the others at the scenario's "
                     "values):",
        "below": "this verdict flips if {param} is below {value}",
        "above": "this verdict flips if {param} is above {value}",
        "none": "{param} does not flip it within its range {low} to {high} (difference "
                "{at_low} at {low}, {at_high} at {high})",
        "skipped": "Left out: {param} ({why}).",
        "why.policy": "set by the policy itself",
        "why.whole": "a whole-number field with fewer than two whole values in its range",
        "col.rank": "rank",
        "col.parameter": "parameter",
        "col.range": "plausible range",
        "col.value": "scenario",
        "col.mu_star": "mu*",
        "col.sigma": "sigma",
        "col.mu": "mu",
        "range": "{low} to {high}",
        # The report's section
        "sec": "What would change this verdict",
        "rep.intro": "Each verdict above rests on inputs that are assumptions or of low "
                     "confidence (docs/FACTS.md grades them); the scenario states how far each "
                     "could plausibly lie in its <code>[plausible]</code> table. For each "
                     "policy, the paired difference against {baseline} on {kpi} was screened "
                     "over those ranges with Morris elementary effects ({trajectories} "
                     "trajectories, {reps} paired replications per point, {runs} simulations), "
                     "then the top {top} were moved alone to find where the verdict flips.",
        "rep.small": "A small study: the screening ranks the inputs and the break-even values "
                     "are estimates on {reps} replications; rerun <code>sim verdict</code> with "
                     "more trajectories and replications before a decision rests on them.",
        "rep.none_flip": "None of the top {top} inputs flips this verdict within its plausible "
                         "range.",
        "rep.col.parameter": "Parameter",
        "rep.col.range": "Plausible range",
        "rep.col.value": "Scenario value",
        "rep.col.mu_star": "mu* (effect across the range)",
        "rep.col.sigma": "sigma",
        "rep.chart": "Which inputs move the difference: {policy} against {baseline}",
        "rep.chart.cap": "Morris screening of the paired difference in {kpi}: the bar is mu*, "
                         "how far the difference moves across the input's plausible range; "
                         "the whisker its 95% bootstrap interval.",
        "rep.absent": "Not studied in this report: run <code>sim report … --verdict</code> "
                      "or <code>sim verdict</code>.",
        "plot.x": "mu*: change of the difference across the plausible range ({unit})",
    },
    "zh": {
        "title": "什么会改变结论: 场景 {scenario}, {policy} 对比 {baseline}, {kpi} ({unit})",
        "higher": "{policy} 的{kpi}高于{baseline}: {diff} (95% 区间 {ci}), "
                  "基于 {reps} 次配对重复。",
        "lower": "{policy} 的{kpi}低于{baseline}: {diff} (95% 区间 {ci}), "
                 "基于 {reps} 次配对重复。",
        "higher_one": "{policy} 的{kpi}高于{baseline}: {diff} (仅一次配对重复, 无区间)。",
        "lower_one": "{policy} 的{kpi}低于{baseline}: {diff} (仅一次配对重复, 无区间)。",
        "equal": "{policy} 与{baseline}在每次重复中的{kpi}完全相同: 没有可以反转的结论。",
        "setup": "配对差值的 Morris 筛选: {k} 个不确定输入, {trajectories} 条轨迹 "
                 "(共 {points} 个点), 每个点 {reps} 次配对重复; 共模拟 {runs} 次。",
        "screen_head": "筛选结果, 按影响从大到小排列。"
                       "mu* 为参数在其合理范围内变动时差值的变化幅度 "
                       "(基本效应绝对值的均值); "
                       "sigma 为这些效应的离散程度 (交互作用、非线性、噪声); "
                       "mu 为带符号的均值。",
        "even_head": "影响最大的前 {top} 个参数的盈亏平衡点, 逐个变动 (其余参数保持场景取值):",
        "below": "如果 {param} 低于 {value}, 这一结论就会反转",
        "above": "如果 {param} 高于 {value}, 这一结论就会反转",
        "none": "{param} 在其合理范围 {low} 至 {high} 内不会使结论反转 "
                "(取 {low} 时差值为 {at_low}, 取 {high} 时为 {at_high})",
        "skipped": "未纳入: {param} ({why})。",
        "why.policy": "该参数由策略本身设定",
        "why.whole": "整数字段, 合理范围内不足两个整数值",
        "col.rank": "排名",
        "col.parameter": "参数",
        "col.range": "合理范围",
        "col.value": "场景取值",
        "col.mu_star": "mu*",
        "col.sigma": "sigma",
        "col.mu": "mu",
        "range": "{low} 至 {high}",
        "sec": "什么会改变这个结论",
        "rep.intro": "上述每个结论都依赖一些属于假设或可信度较低的输入 "
                     "(docs/FACTS.md 为其标注了等级); "
                     "场景文件在 <code>[plausible]</code> 表中给出了每个输入的合理范围。"
                     "对每个策略, 我们在这些范围内用 Morris 基本效应法"
                     "筛选其与{baseline}在{kpi}上的配对差值 "
                     "({trajectories} 条轨迹, 每个点 {reps} 次配对重复, 共模拟 {runs} 次), "
                     "再将影响最大的前 {top} 个输入逐个变动, 找出结论反转的位置。",
        "rep.small": "这是一个小规模研究: 筛选给出输入的排序, "
                     "盈亏平衡点是基于 {reps} 次重复的估计; "
                     "在据此做决定之前, 请用更多轨迹和重复次数重新运行 <code>sim verdict</code>。",
        "rep.none_flip": "影响最大的前 {top} 个输入在各自的合理范围内都不会使这一结论反转。",
        "rep.col.parameter": "参数",
        "rep.col.range": "合理范围",
        "rep.col.value": "场景取值",
        "rep.col.mu_star": "mu* (在范围内的影响)",
        "rep.col.sigma": "sigma",
        "rep.chart": "哪些输入会改变差值: {policy} 对比 {baseline}",
        "rep.chart.cap": "{kpi}配对差值的 Morris 筛选: 条形为 mu*, "
                         "即输入在其合理范围内变动时差值的变化幅度; "
                         "误差线为其 95% 自助法区间。",
        "rep.absent": "本报告未做此项研究: 请运行 <code>sim report … --verdict</code> "
                      "或 <code>sim verdict</code>。",
        "plot.x": "mu*: 在合理范围内差值的变化 ({unit})",
    },
}
