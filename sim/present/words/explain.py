"""Words of ``sim explain`` and of the report's "why" paragraphs and waterfall charts (the split
of a policy's difference from the baseline into channels, :mod:`sim.experiment.explain`), in
English and Simplified Chinese. Looked up as ``explain.KEY``; the report's templates are trusted
HTML whose ``{fields}`` the report fills with escaped values.
"""

from __future__ import annotations

#: ``TEXT[lang][key]``.
TEXT: dict[str, dict[str, str]] = {
    "en": {
        "part.total": "Total difference",
        "part.direct": "Direct after-sales money (same demand)",
        "part.badges": "Policy badges",
        "part.penalties": "Platform penalties (lost traffic, hiding)",
        "part.reputation": "Rating and visible negatives",
        "part.loyalty": "Loyalty (repeat purchases)",
        "col.part": "part",
        "title": "Why {policy} differs from {baseline}: {kpi} ({unit}), {reps} replications",
        "method.shapley": "Shapley split over the four demand channels (every order of "
                          "releasing them averaged; 16 counterfactual runs per replication). "
                          "The parts add up exactly to the total.",
        "method.ordered": "Ordered split: channels released one after another (badges, "
                          "penalties, rating, loyalty); each part is what its release adds to "
                          "those before it, so the parts depend on that order. The parts add "
                          "up exactly to the total.",
        "note": "Direct: the policy's own rules at the baseline's demand (every channel held at "
                "the baseline's path, same random numbers). Intervals: 95% over replications.",
        # The report.
        "sec": "Why each policy wins or loses",
        "intro": "Each policy's difference in profit from the baseline, split into where it "
                 "comes from. Every replication is run again with the demand channels held at "
                 "the baseline's path (same buyers, same random numbers): what is left with "
                 "everything held is the <strong>direct</strong> after-sales money of the "
                 "policy's rules at the same demand; the rest goes to the channels by "
                 "{method}. The parts add up exactly to the difference. {reps} replications "
                 "per policy; intervals are 95%.",
        "method_name.shapley": "a Shapley split (every order of the channels averaged)",
        "method_name.ordered": "an ordered split (badges, penalties, rating, loyalty, in that "
                               "order)",
        "why.gain": "<strong>{policy}</strong> earns {amount} more than the baseline: {parts}.",
        "why.loss": "<strong>{policy}</strong> earns {amount} less than the baseline: {parts}.",
        "why.same": "<strong>{policy}</strong> is not clearly different from the baseline "
                    "(a mean of {amount}): {parts}.",
        "amount_part": "{amount} {part}",
        "joiner": "; ",
        "hidden": "hidden {days} days against the baseline's {base}",
        "hidden_note": " ({note})",
        "penalty_caveat": " Penalty points and the hiding they cause follow assumed platform "
                          "rules (MODEL.md §7): check them before acting on this part.",
        "chart": "{policy}: where the difference in {kpi} comes from",
        "axis": "{kpi} against the baseline ({unit})",
        "small.direct": "direct after-sales money",
        "small.badges": "from the policy's badges",
        "small.penalties": "from platform penalties",
        "small.reputation": "from the rating and visible negatives",
        "small.loyalty": "from repeat purchases",
    },
    "zh": {
        "part.total": "总差异",
        "part.direct": "直接售后资金（需求相同）",
        "part.badges": "政策标识",
        "part.penalties": "平台处罚（流量损失、屏蔽）",
        "part.reputation": "评分与可见差评",
        "part.loyalty": "忠诚度（复购）",
        "col.part": "组成部分",
        "title": "{policy} 与 {baseline} 的差异从何而来：{kpi}（{unit}），{reps} 次重复",
        "method.shapley": "对四个需求渠道做沙普利分解（对渠道放开的所有顺序取平均；每次重复 16 "
                          "次反事实运行）。各部分之和恰好等于总差异。",
        "method.ordered": "顺序分解：依次放开各渠道（标识、处罚、评分、忠诚度），每部分是放开该"
                          "渠道在前面渠道之上增加的量，因此结果取决于顺序。各部分之和恰好等于总"
                          "差异。",
        "note": "直接：在基准的需求下（所有渠道固定在基准的路径上，随机数相同）该政策自身规则带来"
                "的差异。区间：按重复计算的 95% 置信区间。",
        "sec": "每个政策为何更好或更差",
        "intro": "把每个政策与基准的利润差拆成来源。每次重复都在需求渠道固定于基准路径（同样的"
                 "买家、同样的随机数）的条件下重新运行：所有渠道都固定时剩下的是该政策规则在相同"
                 "需求下的<strong>直接</strong>售后资金；其余部分按{method}分给各渠道。各部分之和"
                 "恰好等于差异。每个政策 {reps} 次重复；区间为 95%。",
        "method_name.shapley": "沙普利分解（对渠道的所有顺序取平均）",
        "method_name.ordered": "顺序分解（依次为标识、处罚、评分、忠诚度）",
        "why.gain": "<strong>{policy}</strong> 比基准多赚 {amount}：{parts}。",
        "why.loss": "<strong>{policy}</strong> 比基准少赚 {amount}：{parts}。",
        "why.same": "<strong>{policy}</strong> 与基准没有明显差异（均值 {amount}）：{parts}。",
        "amount_part": "{part} {amount}",
        "joiner": "；",
        "hidden": "被屏蔽 {days} 天，基准为 {base} 天",
        "hidden_note": "（{note}）",
        "penalty_caveat": "处罚分及其导致的屏蔽依据的是假定的平台规则（MODEL.md §7），据此行动前"
                          "请先核实。",
        "chart": "{policy}：{kpi}差异的来源",
        "axis": "相对基准的{kpi}（{unit}）",
        "small.direct": "直接售后资金",
        "small.badges": "来自政策标识",
        "small.penalties": "来自平台处罚",
        "small.reputation": "来自评分与可见差评",
        "small.loyalty": "来自复购",
    },
}
