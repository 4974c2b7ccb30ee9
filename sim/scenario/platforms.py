"""Platform presets (MODEL.md §7). Every value can be overridden in a scenario's [platform] table.

Figures are from ``docs/FACTS.md``; the confidence given there is repeated in the
comment beside each value. Values marked *assumption* have no source and are meant to be swept.
"""

from __future__ import annotations

from typing import Any

PLATFORM_PRESETS: dict[str, dict[str, Any]] = {
    "taobao": {
        "dispatch_promise_hours": 72.0,  # FACTS H: Taobao default 72 h
        # FACTS H: 5% of the price, min 5 yuan, max 30 yuan (long-standing rule)
        "late_dispatch": {"rate": 0.05, "minimum": 5.0, "cap": 30.0},
        "auto_confirm_days": 10.0,  # FACTS H: 10 days after dispatch by express
        "review_window_days": 15.0,  # FACTS H
        "followup_window_days": 180.0,  # FACTS H
        "revision_window_days": 30.0,  # FACTS H: once, within 30 days
        "arbitration_days": 2.0,  # FACTS H: public jury verdict in about 2 days
        "buyer_win_prob": 0.7,  # assumption: platforms lean towards buyers
        "refund_only_grant_prob": 0.5,  # FACTS M: refund-only spread to Taobao by 2023
        "commission_rate": 0.006,  # assumption: payment fee only, no sales commission
        "commission_refunded": False,  # assumption: the payment fee is kept
        "late_dispatch_paid": "on_claim",  # FACTS M (seed 003): paid once the buyer claims
        "fine_per_lost_case": 0.0,
        "penalty_points_per_lost_case": 1.0,  # assumption
        "report_removal_prob": 0.5,  # assumption
    },
    "tmall": {
        "dispatch_promise_hours": 48.0,  # FACTS M: 48 h for ordinary goods (2023-25)
        "late_dispatch": {"rate": 0.30, "minimum": 0.0, "cap": 500.0},  # FACTS H: classic rule
        "auto_confirm_days": 10.0,  # FACTS H (Taobao rule, shared platform)
        "review_window_days": 15.0,
        "followup_window_days": 180.0,
        "revision_window_days": 30.0,
        "arbitration_days": 3.0,  # FACTS H: 3-5 days by staff
        "buyer_win_prob": 0.7,  # assumption
        "refund_only_grant_prob": 0.4,  # assumption
        "commission_rate": 0.05,  # assumption: technical service fee 2-5%
        "commission_refunded": True,  # FACTS M: the fee is returned with a refund
        "out_of_stock": {"rate": 0.30, "minimum": 0.0, "cap": 500.0},  # FACTS L-M (2025)
        "late_dispatch_paid": "on_claim",  # FACTS M (seed 003): 30% once the claim succeeds
        "fine_per_lost_case": 0.0,
        "penalty_points_per_lost_case": 1.0,  # assumption; 12 points hide the shop (FACTS L-M)
        "report_removal_prob": 0.6,  # assumption
    },
    "jd": {
        "dispatch_promise_hours": 48.0,  # assumption: no figure in FACTS
        "late_dispatch": {"rate": 0.10, "minimum": 5.0, "cap": 100.0},  # assumption (as PDD)
        "auto_confirm_days": 7.0,  # assumption
        "review_window_days": 15.0,  # assumption (as Taobao)
        "followup_window_days": 180.0,
        "revision_window_days": 30.0,
        "arbitration_days": 3.0,
        "buyer_win_prob": 0.6,  # assumption
        "refund_only_grant_prob": 0.3,  # assumption
        "commission_rate": 0.08,  # assumption: category commission 2-10%
        "commission_refunded": True,  # FACTS M: the commission is returned with a refund
        "late_dispatch_paid": "automatically",  # assumption
        "fine_per_lost_case": 0.0,
        "penalty_points_per_lost_case": 1.0,  # assumption
        "report_removal_prob": 0.6,
    },
    "pdd": {
        "dispatch_promise_hours": 48.0,  # assumption: PDD's common 48 h promise
        "late_dispatch": {"rate": 0.10, "minimum": 5.0, "cap": 100.0},  # FACTS M
        "auto_confirm_days": 10.0,  # assumption
        "review_window_days": 15.0,  # assumption
        "followup_window_days": 180.0,
        "revision_window_days": 30.0,
        "arbitration_days": 2.0,
        "buyer_win_prob": 0.85,  # assumption: PDD leans hardest towards buyers
        "refund_only_grant_prob": 0.8,  # FACTS M: refund-only rates up to 80% for some sellers
        "commission_rate": 0.006,  # assumption: payment fee only
        "commission_refunded": False,  # assumption
        "late_dispatch_paid": "automatically",  # assumption: PDD compensates by itself
        "fine_per_lost_case": 10.0,  # FACTS M: compensation paid again to the platform
        "penalty_points_per_lost_case": 1.0,
        "report_removal_prob": 0.4,
    },
}
