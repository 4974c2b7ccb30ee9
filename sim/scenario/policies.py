"""Built-in policy presets (MODEL.md §10).

A policy is a named set of overrides on a base scenario: a nested table that is deep-merged onto
the scenario before validation. Every scenario gets these presets; a scenario's own
``[policies.NAME]`` tables add new ones or replace a preset of the same name.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class PolicyPreset:
    """A named policy: what it means in English and Chinese, and what it overrides."""

    name: str
    description: str
    description_zh: str
    overrides: dict[str, Any] = field(default_factory=dict)


def _p(name: str, en: str, zh: str, **policy: Any) -> PolicyPreset:
    return PolicyPreset(name, en, zh, {"policy": policy} if policy else {})


BUILTIN_POLICIES: dict[str, PolicyPreset] = {
    p.name: p
    for p in [
        _p("baseline", "The scenario as written: platform rules and the law's minimum.",
           "基准：按场景原样，平台规则与法定最低要求。"),
        _p("seven_day_return",
           "Advertised 7-day no-reason return with seller-bought return-shipping insurance.",
           "7天无理由退货（明示），卖家购买运费险。",
           returns={"no_reason_days": 7.0, "window_basis": "receipt",
                    "shipping_insurance": True, "advertise": True}),
        _p("review_window_returns",
           "Returns only while the review window is open; none after a negative review.",
           "仅在评价期内接受退货；买家给出差评后不再退货。",
           returns={"window_basis": "review_window", "refuse_after_negative_review": True}),
        _p("strict_delay_compensation",
           "Automatic compensation for late dispatch or delivery, above the platform minimum.",
           "发货或送达延迟时自动赔付，高于平台最低标准。",
           delay={"mode": "strict"}),
        _p("repair_failures",
           "Failures in use are repaired (the repair side of repair vs replace).",
           "使用中故障：维修（维修与换新之比较中的维修方）。", remedy={"failure": "repair"}),
        _p("replace_failures", "Failures in use are answered with a new unit.",
           "使用中故障：直接换新。", remedy={"failure": "replace"}),
        _p("refund_failures", "Failures in use are refunded.", "使用中故障：直接退款。",
           remedy={"failure": "refund"}),
        _p("pay_extortion", "Pay extortion reviewers to change their review.",
           "向差评师付钱以修改差评。", extortion={"response": "pay"}),
        _p("refuse_extortion", "Refuse extortion and report it to the platform.",
           "拒绝差评师勒索并向平台举报。", extortion={"response": "refuse_and_report"}),
        _p("refund_for_revision",
           "Refund an extortion reviewer's price in exchange for a revision (seed 002).",
           "退还差评师货款，换取其修改差评。", extortion={"response": "refund_for_revision"}),
        _p("legal_threat",
           "Refuse extortion firmly with a legal threat, and report if it does not work.",
           "态度坚决拒绝勒索并以法律警告，无效则举报。",
           extortion={"response": "refuse_with_legal_threat"}),
        _p("cancel_as_out_of_stock",
           "Screen orders for extortion signals and cancel suspicious ones as 'out of stock'.",
           "下单风控：以“缺货”为由取消疑似差评师的订单。",
           screening={"enabled": True, "cancel_as": "out_of_stock"}),
        _p("answer_bad_reviews",
           "Contact every negative reviewer and offer a goodwill remedy.",
           "联系每位差评买家并给予补偿。", bad_reviews={"response": "contact_and_remedy"}),
        _p("retention_coupon", "Hand a retention coupon to every buyer when an order closes.",
           "订单完成后向买家发放回购优惠券。", coupon={"enabled": True}),
        _p("risk_screening", "Screen orders for extortion signals and cancel suspicious ones.",
           "下单风控：识别疑似差评师并取消订单。", screening={"enabled": True}),
        _p("compliance_audit", "Audit listings to lower the chance they break a rule.",
           "定期合规审查，降低商品页面违规概率。", compliance={"audit": True}),
    ]
}
