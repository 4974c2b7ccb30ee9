"""Words of the report's loyalty section ("Loyalty and the customer base") and of the summary's
paragraph on the value of the customer base, in English and Simplified Chinese.

Looked up as ``report.KEY`` like the rest of the report (:mod:`.report`); trusted HTML templates
whose ``{fields}`` the report fills with escaped values. What the KPIs mean is docs/MODEL.md §8.
"""

from __future__ import annotations

#: The loyalty section and the summary's customer-base paragraph: ``TEXT[lang][key]``.
TEXT: dict[str, dict[str, str]] = {
    "en": {
        "sec.loyalty": "Loyalty and the customer base",
        "loy.intro": "What buyers live through after they buy decides whether they come back. "
                     "The model follows every buyer with the BG/NBD model of repeat buying "
                     "(docs/MODEL.md §8): each has a buying rate of their own and, after each "
                     "purchase, a chance to leave for good. Both move with what happened to "
                     "their orders (who paid the return leg, a refused request, a slow repair, "
                     "dissatisfaction left over) and with the shop's reputation when they would "
                     "buy again.",
        "loy.table": "Repeat purchases and the value of the customer base",
        "loy.table_note": "Mean per policy; below it the paired difference against the "
                          "baseline. Intervals are in the KPI tables of section {kpis}.",
        "loy.unmeasured": "Repeat purchases within {windows} days are not measured in this "
                          "study: the period is shorter than the window and the warm-up holds "
                          "no buyers acquired early enough.",
        "loy.value_title": "What the value of the customer base means",
        "loy.value": "Profit counts only the orders of the {days}-day period, but the buyers a "
                     "policy won in that period keep buying after it, more or less depending on "
                     "how they were treated. The <strong>customer-base value</strong> "
                     "(<code>customer_value</code>) is the expected margin of those buyers' "
                     "orders after the period, discounted at {rate} a year. For each of them "
                     "still active at the end, the model takes its own conditional expectation "
                     "of their future purchases, from their buying rate, their chance to leave "
                     "after a purchase, the time since their last order{forget} and the shop's "
                     "mean reputation over the period (assumed to persist), and values each "
                     "purchase at the mean margin of an order of the period (price less goods, "
                     "courier, commission and after-sales; wages not included). The "
                     "<strong>long-run value</strong> (<code>long_run_value</code>) is profit "
                     "plus customer-base value: what the period earned and what it leaves "
                     "behind.",
        "loy.forget": " (a buyer silent for {days} days has gone elsewhere)",
        "loy.value_caveat": "The customer-base value rests on the repeat model's parameters "
                            "(the scenario's <code>repeat</code> section) and on its assumed "
                            "experience effects; the discount rate is "
                            "<code>repeat.discount_rate_per_year</code>.",
        "chart.repeat": "Repeat curves",
        "chart.repeat.cap": "Share of new buyers who ordered again within 90, 180 and 365 days "
                            "of their first order, per policy, with 95% confidence intervals "
                            "(left), and each policy's paired difference from the baseline "
                            "with its 95% interval (right; filled: clear, hollow: not clear at "
                            "this precision). A window counts the buyers acquired at least "
                            "that many days before the end of the period; when the period is "
                            "too short for that, the buyers acquired just before it, in the "
                            "warm-up, under the same policy.",
        "chart.value": "Value of the customer base",
        "chart.value.cap": "Left: profit in the period and the customer-base value after it, "
                           "stacked; the diamond is the long-run value (their sum) with its 95% "
                           "confidence interval. Right: paired differences from the baseline "
                           "with 95% intervals (filled: clear, hollow: not clear at this "
                           "precision).",
        "sum.value": "<strong>Value of the customer base.</strong> {winner} builds the most "
                     "valuable customer base: the buyers it won in the period are expected to "
                     "bring {mean} of margin after it (discounted at {rate} a year).",
        "sum.value_none": "<strong>Value of the customer base.</strong> In this scenario no "
                          "buyer is expected to order again after the period, so no policy "
                          "builds a customer base beyond it.",
        "sum.long_run_same": "Counting it does not change the profit verdict: {p} also has the "
                             "highest long-run value (profit plus customer-base value), {mean}.",
        "sum.long_run_changes": "Counting it changes the profit verdict: {lr} has the highest "
                                "long-run value (profit plus customer-base value), {mean}: "
                                "{diff} more (95% interval {ci}) than {p}, which earns the "
                                "most in the period.",
        "sum.long_run_clear": "The difference is clear.",
        "sum.long_run_unclear": "That difference is <em>not clear at this precision</em>.",
    },
    "zh": {
        "sec.loyalty": "复购与客户资产",
        "loy.intro": "买家下单之后的经历决定他们会不会再来。模型用 BG/NBD 复购模型跟踪每一位买家（"
                     "docs/MODEL.md 第 8 节）：每人有自己的购买频率，每次购买后有一定概率永久流失"
                     "。二者都会随订单经历而变化（退货运费由谁承担、请求被拒、维修太慢、残留的不满"
                     "），也会受到买家想再次购买时店铺口碑的影响。",
        "loy.table": "复购与客户资产价值",
        "loy.table_note": "各策略的均值；下方为与基准的配对差值。置信区间见第 {kpis} "
                          "节的指标表。",
        "loy.unmeasured": "本次研究没有统计 {windows} 天内复购率：统计期比该窗口短，预热期中也没有"
                          "足够早获得的买家。",
        "loy.value_title": "客户资产价值的含义",
        "loy.value": "利润只计算 {days} 天统计期内的订单，但一个策略在统计期内获得的买家在统计期之"
                     "后还会继续购买，买多少取决于他们受到的对待。<strong>客户资产价值</strong>（<"
                     "code>customer_value</code>）就是这些买家在统计期之后订单的预期毛利，按每年 "
                     "{rate} 折现。对统计期结束时仍然活跃的每位买家，模型根据其购买频率、每次购买"
                     "后的流失概率、距上次下单的时间{forget}以及统计期内店铺口碑的平均水平（假定保持不变）"
                     "，按模型自身的条件期望计算其未来购买次数，每次购买按统计期内每单的平均毛利计"
                     "价（售价减去货品、快递、佣金和售后成本，不含工资）。<strong>长期价值</strong"
                     ">（<code>long_run_value</code>）= 利润 + 客户资产价值：统计期内赚到的，加上"
                     "它留下的。",
        "loy.forget": "（{days} 天没有下单的买家视为已流失）",
        "loy.value_caveat": "客户资产价值取决于复购模型的参数（场景文件的 <code>repeat</code> 部分"
                            "）及其假设的经历效应；折现率为 <code>repeat.discount_rate_per_year</c"
                            "ode>。",
        "chart.repeat": "复购曲线",
        "chart.repeat.cap": "左：各策略的新买家在首单后 90、180、365 天内再次下单的比例及 95% "
                            "置信区间；右：各策略与基准的配对差值及 95% 置信区间（实心：差异明确，"
                            "空心：在当前精度下不明确）。每个窗口统计在统计期结束前至少该天数获得的"
                            "买家；统计期不够长时，统计同一策略下预热期末尾获得的买家。",
        "chart.value": "客户资产价值",
        "chart.value.cap": "左：统计期内利润与统计期后的客户资产价值叠加；菱形为长期价值（二者之和"
                           "）及其 95% 置信区间。右：与基准的配对差值及 95% 置信区间（实心：差异明"
                           "确，空心：在当前精度下不明确）。",
        "sum.value": "<strong>客户资产。</strong>{winner}积累的客户资产价值最高：统计期内获得的"
                     "买家预计在统计期之后还会带来 {mean} 的毛利（按每年 {rate} 折现）。",
        "sum.value_none": "<strong>客户资产。</strong>本场景中预计没有买家会在统计期之后再次下单，"
                          "因此没有哪个策略能积累统计期之外的客户资产。",
        "sum.long_run_same": "把它算进去，利润的结论不变：{p}的长期价值（利润 + 客户资产价值）"
                             "也最高，为 {mean}。",
        "sum.long_run_changes": "把它算进去，利润的结论就变了：长期价值（利润 + 客户资产价值）"
                                "最高的是{lr}，为 {mean}，比统计期内利润最高的{p}多 {diff}"
                                "（95% 置信区间 {ci}）。",
        "sum.long_run_clear": "差异明确。",
        "sum.long_run_unclear": "<em>在当前精度下差异不明确</em>。",
    },
}
