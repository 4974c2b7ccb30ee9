"""Words of the ledger: short labels and meanings of the entry types, English and Chinese.

Keys are the lower-case names of :class:`sim.model.ledger.Entry`. The English meanings are the
model's own (``ENTRY_DOCS``); the Chinese ones are written here.
"""

from __future__ import annotations

from ...model.ledger import ENTRY_DOCS

#: Ledger entry types: short labels (English, Chinese).
NAMES: dict[str, tuple[str, str]] = {
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
    "packing_labour": ("Packing team", "打包发货人工"),
    "other": ("Other", "其他"),
}

#: Chinese meanings of the ledger entry types.
_DOCS_ZH: dict[str, str] = {
    "sale": "买家支付的货款 (GMV)",
    "cogs": "已售商品的成本",
    "commission": "平台佣金及销售的支付手续费 (退款时平台退还的部分为正数)",
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
    "late_compensation": "延迟发货或送达的赔付, 以及以缺货取消订单的赔付",
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
    "packing_labour": "打包团队按每日发货能力计的工资 (按天)",
}

#: Meanings of the entry types: ``DOCS[lang][entry]``.
DOCS: dict[str, dict[str, str]] = {
    "en": {entry.name.lower(): text for entry, text in ENTRY_DOCS.items()},
    "zh": _DOCS_ZH,
}
