"""Short display names of the built-in policies (plots, reports; tables show the identifiers)."""

from __future__ import annotations

#: Built-in policies: (English, Chinese). English keeps the identifier: it is what users type.
NAMES: dict[str, tuple[str, str]] = {
    "baseline": ("baseline", "基准"),
    "seven_day_return": ("seven_day_return", "7天无理由退货"),
    "review_window_returns": ("review_window_returns", "评价期内可退货"),
    "strict_delay_compensation": ("strict_delay_compensation", "延迟从严赔付"),
    "repair_failures": ("repair_failures", "故障维修"),
    "replace_failures": ("replace_failures", "故障换新"),
    "refund_failures": ("refund_failures", "故障退款"),
    "pay_extortion": ("pay_extortion", "向差评师付钱"),
    "refuse_extortion": ("refuse_extortion", "拒绝勒索并举报"),
    "refund_for_revision": ("refund_for_revision", "退款换改评"),
    "legal_threat": ("legal_threat", "法律警告"),
    "cancel_as_out_of_stock": ("cancel_as_out_of_stock", "以缺货取消"),
    "answer_bad_reviews": ("answer_bad_reviews", "回应差评并补偿"),
    "retention_coupon": ("retention_coupon", "回购优惠券"),
    "risk_screening": ("risk_screening", "下单风控"),
    "compliance_audit": ("compliance_audit", "合规审查"),
}
