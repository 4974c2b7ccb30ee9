"""Words of the KPIs: display names and short definitions, English and Chinese.

The English definitions are the model's own (:data:`sim.model.kpis.KPIS`); the Chinese ones are
written here. A test checks that every KPI has both.
"""

from __future__ import annotations

from ...model.kpis import KPIS

#: KPI display names: (English, Chinese).
NAMES: dict[str, tuple[str, str]] = {
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

#: Chinese short definitions of the KPIs.
_DEFINITIONS_ZH: dict[str, str] = {
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

#: Short definitions: ``DEFINITIONS[lang][kpi]``.
DEFINITIONS: dict[str, dict[str, str]] = {
    "en": {k.name: k.definition for k in KPIS},
    "zh": _DEFINITIONS_ZH,
}
