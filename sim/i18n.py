"""Words in English and Simplified Chinese: KPIs, units, ledger entries, verdicts, headers, plots.

Every label that a table or a plot shows comes from here, looked up by a dotted key with
:func:`label`::

    label("kpi.profit", "zh")            # 利润
    label("kpi_def.return_rate", "zh")   # the KPI's short definition
    label("unit.yuan", "zh")             # 元
    label("entry.return_shipping", "zh") # 退货运费 (店铺承担)
    label("verdict.better", "zh")        # 更好
    label("col.mean", "zh")              # 均值
    label("plot.cost_breakdown", "zh")   # a plot title

A key with no Chinese text falls back to English, and a key unknown in both to its last part
(``kpi.my_new_kpi`` -> ``my_new_kpi``), so a new KPI or ledger type never breaks a table; the
tests check that every KPI and entry type has both languages. KPI and policy *identifiers* stay
English everywhere: they are what a user types.
"""

from __future__ import annotations

from .model.kpis import KPIS

LANGS = ("en", "zh")

#: KPI display names: (English, Chinese).
_KPI_NAMES: dict[str, tuple[str, str]] = {
    "orders": ("Orders", "订单数"),
    "revenue": ("Revenue (GMV)", "销售额 (GMV)"),
    "refunds": ("Refunds", "退款额"),
    "net_revenue": ("Net revenue", "净销售额"),
    "cogs": ("Cost of goods", "商品成本"),
    "aftersales_cost": ("After-sales cost", "售后成本"),
    "profit": ("Profit", "利润"),
    "profit_per_order": ("Profit per order", "单均利润"),
    "return_rate": ("Return rate", "退货率"),
    "refund_rate": ("Refund rate", "退款率"),
    "repairs": ("Repairs", "维修次数"),
    "mean_repair_days": ("Repair turnaround", "平均维修天数"),
    "negative_review_share": ("Negative-review share", "差评率"),
    "late_negative_review_share": ("Negative share, late deliveries", "延误订单差评率"),
    "ontime_negative_review_share": ("Negative share, on-time deliveries", "准时订单差评率"),
    "mean_review_score": ("Mean review score", "平均评分"),
    "rating_end": ("Shop rating at the end", "期末店铺评分"),
    "rating_mean": ("Mean shop rating", "平均店铺评分"),
    "rating_min": ("Lowest shop rating", "最低店铺评分"),
    "visible_negatives_mean": ("Visible negatives (first page)", "首页可见差评数"),
    "conversion_mean": ("Mean conversion", "平均转化率"),
    "repeat_purchase_rate": ("Repeat-purchase rate", "复购率"),
    "orders_per_buyer": ("Orders per buyer", "人均订单数"),
    "late_dispatch_share": ("Late-dispatch share", "延迟发货占比"),
    "late_delivery_share": ("Late-delivery share", "延迟送达占比"),
    "complaints": ("Complaints", "平台投诉"),
    "arbitration_losses": ("Arbitration losses", "仲裁败诉"),
    "penalty_points": ("Penalty points", "扣分"),
    "days_hidden": ("Days hidden", "店铺被屏蔽天数"),
    "cs_escalations": ("CS escalations", "客服升级投诉"),
    "extortion_attempts": ("Extortion attempts", "差评师勒索次数"),
    "extortion_paid": ("Paid to extortioners", "付给差评师的钱"),
    "claims_lost": ("Claims lost", "职业打假败诉"),
    "cs_wait_hours_mean": ("CS waiting time", "客服平均等待"),
    "mean_satisfaction": ("Mean satisfaction", "平均满意度"),
    "open_orders_end": ("Open orders at the cut-off", "截止时未完结订单"),
}

#: Chinese short definitions of the KPIs (the English ones are :data:`sim.model.kpis.KPIS`).
_KPI_DEFS_ZH: dict[str, str] = {
    "orders": "观察期内 (预热期之后) 下的订单数",
    "revenue": "成交额 GMV: 全部销售入账之和",
    "refunds": "退给买家的金额 (正数)",
    "net_revenue": "销售额减去退款",
    "cogs": "已售商品的成本 (正数)",
    "aftersales_cost": "售后与纠纷成本: 退货运费、运费险、报废、维修、换新、赔付、法定赔偿、"
                       "差评师、罚款、客服、验货、补偿",
    "profit": "该批订单全部账目之和",
    "profit_per_order": "利润 / 订单数",
    "return_rate": "商品被退回 (退款或换新) 的订单 / 订单数",
    "refund_rate": "有退款的订单 / 订单数",
    "repairs": "完成的维修次数",
    "mean_repair_days": "从报修到修好的商品寄回买家的平均天数",
    "negative_review_share": "最终显示的 1-2 星评价 / 有评分的评价",
    "late_negative_review_share": "延迟送达订单中的差评率",
    "ontime_negative_review_share": "准时送达订单中的差评率",
    "mean_review_score": "最终显示的评价的平均星级",
    "rating_end": "观察期最后一天的店铺评分",
    "rating_mean": "观察期内每日店铺评分的平均值",
    "rating_min": "观察期内每日店铺评分的最低值",
    "visible_negatives_mean": "文字评价首页上的平均差评条数",
    "conversion_mean": "访客每日转化率的平均值",
    "repeat_purchase_rate": "下单两次及以上的买家 / 买家数",
    "orders_per_buyer": "订单数 / 买家数",
    "late_dispatch_share": "延迟发货 / 已发货订单",
    "late_delivery_share": "晚于承诺日期送达 / 已送达订单",
    "complaints": "被拒绝的买家向平台投诉的次数",
    "arbitration_losses": "店铺在平台仲裁中败诉的案件数",
    "penalty_points": "店铺受到的扣分",
    "days_hidden": "扣分累计达到阈值后店铺被平台屏蔽的天数",
    "cs_escalations": "客服等待超过买家耐心的消息数",
    "extortion_attempts": "差评师发布的勒索差评数",
    "extortion_paid": "付给差评师的钱",
    "claims_lost": "职业打假人胜诉的案件数",
    "cs_wait_hours_mean": "等待客服回复的平均时间",
    "mean_satisfaction": "已完结订单的平均满意度 (0 = 毫无问题)",
    "open_orders_end": "截止时仍未完结的该批订单数",
}

#: Units: (English, Chinese).
_UNITS: dict[str, tuple[str, str]] = {
    "orders": ("orders", "单"), "yuan": ("yuan", "元"), "yuan/order": ("yuan/order", "元/单"),
    "share": ("share", "比例"), "repairs": ("repairs", "次"), "days": ("days", "天"),
    "stars": ("stars", "星"), "reviews": ("reviews", "条"),
    "orders/buyer": ("orders/buyer", "单/人"), "cases": ("cases", "件"),
    "points": ("points", "分"), "attempts": ("attempts", "次"), "hours": ("hours", "小时"),
    "score": ("score", "分值"), "messages": ("messages", "条"),
}

#: Ledger entry types (lower-case names of :class:`sim.model.ledger.Entry`): short labels.
_ENTRIES: dict[str, tuple[str, str]] = {
    "sale": ("Sales", "销售额"),
    "cogs": ("Cost of goods", "商品成本"),
    "commission": ("Commission and fees", "平台佣金与支付手续费"),
    "shipping_out": ("Outbound shipping", "发货运费"),
    "refund": ("Refunds", "退款"),
    "return_shipping": ("Return shipping", "退货运费 (店铺承担)"),
    "insurance_premium": ("Shipping-insurance premium", "运费险保费"),
    "insurance_payout": ("Shipping-insurance payout", "运费险理赔"),
    "restock_credit": ("Restock credit", "退货再售回收"),
    "write_off": ("Write-offs", "退货报废"),
    "repair_labour": ("Repair labour", "维修人工"),
    "repair_parts": ("Repair parts", "维修配件"),
    "replacement_unit": ("Replacement units", "换新商品"),
    "reship": ("Reshipping", "补寄运费"),
    "late_compensation": ("Late compensation", "延迟赔付"),
    "statutory_damages": ("Statutory damages", "法定赔偿"),
    "extortion_payment": ("Extortion payments", "付给差评师"),
    "platform_fine": ("Platform fines", "平台罚款"),
    "cs_labour": ("Customer service", "客服人工"),
    "coupon": ("Retention coupons", "回购优惠券"),
    "inspection": ("Return inspection", "退货验货"),
    "goodwill": ("Goodwill remedies", "差评补偿"),
    "claim_answer": ("Answering claims", "应对投诉与勒索"),
    "screening": ("Risk screening", "下单风控"),
    "compliance_audit": ("Compliance audits", "合规审查"),
    "other": ("Other", "其他"),
}

#: Chinese meanings of the ledger entry types (the English ones are ``ENTRY_DOCS``).
_ENTRY_DOCS_ZH: dict[str, str] = {
    "sale": "买家支付的货款 (GMV)",
    "cogs": "已售商品的成本",
    "commission": "平台佣金及销售的支付手续费",
    "shipping_out": "发出包裹的快递费",
    "refund": "退还给买家的钱",
    "return_shipping": "由店铺承担的退货运费",
    "insurance_premium": "运费险保费",
    "insurance_payout": "保险公司赔付的、店铺已付的退货运费",
    "restock_credit": "退回商品重新上架回收的价值",
    "write_off": "无法再售的退回商品的处置",
    "repair_labour": "维修技师工资 (按天)",
    "repair_parts": "维修用的配件",
    "replacement_unit": "换新寄出的商品成本",
    "reship": "寄出换新商品或修好商品的快递费",
    "late_compensation": "延迟发货或送达的赔付",
    "statutory_damages": "付给索赔者的赔偿 (3 倍、10 倍, 至少 500 / 1000 元)",
    "extortion_payment": "付给差评师的钱",
    "platform_fine": "败诉后向平台缴纳的罚款",
    "cs_labour": "客服工资 (按天) 和机器人费用 (按消息)",
    "coupon": "回购订单使用的优惠券",
    "inspection": "退货包裹验货",
    "goodwill": "回应差评时的补偿和联系成本",
    "claim_answer": "应对索赔者或勒索的成本",
    "screening": "订单风险筛查",
    "compliance_audit": "商品页面合规审查 (按天)",
}

#: Short names of the built-in policies (plots; tables show the identifiers).
_POLICIES: dict[str, tuple[str, str]] = {
    "baseline": ("baseline", "基准"),
    "seven_day_return": ("seven_day_return", "7天无理由退货"),
    "review_window_returns": ("review_window_returns", "评价期内可退货"),
    "strict_delay_compensation": ("strict_delay_compensation", "延迟从严赔付"),
    "repair_failures": ("repair_failures", "故障维修"),
    "replace_failures": ("replace_failures", "故障换新"),
    "refund_failures": ("refund_failures", "故障退款"),
    "pay_extortion": ("pay_extortion", "向差评师付钱"),
    "refuse_extortion": ("refuse_extortion", "拒绝勒索并举报"),
    "answer_bad_reviews": ("answer_bad_reviews", "回应差评并补偿"),
    "retention_coupon": ("retention_coupon", "回购优惠券"),
    "risk_screening": ("risk_screening", "下单风控"),
    "compliance_audit": ("compliance_audit", "合规审查"),
}

#: Verdicts of a comparison (the words in :func:`sim.experiment.stats.verdict`).
_VERDICTS: dict[str, tuple[str, str]] = {
    "better": ("better", "更好"),
    "worse": ("worse", "更差"),
    "no clear difference": ("no clear difference", "无明显差异"),
    "higher": ("higher", "更高"),
    "lower": ("lower", "更低"),
    "baseline": ("baseline", "基准"),
}

#: Column headers of tables and axis words of plots.
_COLUMNS: dict[str, tuple[str, str]] = {
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
}

#: Plot titles, axis labels and legend words.
_PLOTS: dict[str, tuple[str, str]] = {
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
    "pp": ("pp", "个百分点"),
}

_TABLES = {"kpi": _KPI_NAMES, "unit": _UNITS, "entry": _ENTRIES, "policy": _POLICIES,
           "verdict": _VERDICTS, "col": _COLUMNS, "plot": _PLOTS}


def _build() -> dict[str, dict[str, str]]:
    out: dict[str, dict[str, str]] = {"en": {}, "zh": {}}
    for prefix, words in _TABLES.items():
        for key, (en, zh) in words.items():
            out["en"][f"{prefix}.{key}"] = en
            out["zh"][f"{prefix}.{key}"] = zh
    for k in KPIS:
        out["en"][f"kpi_def.{k.name}"] = k.definition
    for key, text in _KPI_DEFS_ZH.items():
        out["zh"][f"kpi_def.{key}"] = text
    from .model.ledger import ENTRY_DOCS

    for entry, text in ENTRY_DOCS.items():
        out["en"][f"entry_doc.{entry.name.lower()}"] = text
    for key, text in _ENTRY_DOCS_ZH.items():
        out["zh"][f"entry_doc.{key}"] = text
    return out


#: Every label: ``LABELS[lang][key]``.
LABELS: dict[str, dict[str, str]] = _build()

#: Chinese KPI names and units (as used by ``sim run --lang zh`` and ``sim kpis``).
KPI_ZH: dict[str, str] = {k: zh for k, (_, zh) in _KPI_NAMES.items()}
UNIT_ZH: dict[str, str] = {k: zh for k, (_, zh) in _UNITS.items()}


def label(key: str, lang: str = "en", **fmt: object) -> str:
    """The text of ``key`` (``"kpi.profit"``, ``"verdict.better"`` ...) in ``lang``.

    Falls back to English, then to the key's last part. Keyword arguments fill ``{...}`` fields.
    """
    text = LABELS.get(lang, LABELS["en"]).get(key) or LABELS["en"].get(key)
    if text is None:
        text = key.split(".", 1)[-1]
    return text.format(**fmt) if fmt else text


def kpi_name(kpi: str, lang: str = "en") -> str:
    """Display name of a KPI."""
    return label(f"kpi.{kpi}", lang)


def kpi_definition(kpi: str, lang: str = "en") -> str:
    """Short definition of a KPI."""
    return label(f"kpi_def.{kpi}", lang)


def unit_name(unit: str, lang: str = "en") -> str:
    """A unit in ``lang`` (``yuan`` -> ``元``)."""
    return label(f"unit.{unit}", lang)


def entry_name(entry: str, lang: str = "en") -> str:
    """Short label of a ledger entry type (lower-case name, e.g. ``return_shipping``)."""
    return label(f"entry.{entry}", lang)


def verdict_word(verdict: str, lang: str = "en") -> str:
    """A verdict (``better``, ``worse``, ``no clear difference`` ...) in ``lang``."""
    return label(f"verdict.{verdict}", lang)


def policy_name(policy: str, lang: str = "en") -> str:
    """Short display name of a policy: Chinese for built-in policies, else the identifier."""
    return LABELS.get(lang, LABELS["en"]).get(f"policy.{policy}", policy)
