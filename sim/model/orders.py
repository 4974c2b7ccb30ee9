"""Orders: their fate (the random facts of one order) and their record (MODEL.md §3).

An order's *fate* is drawn from its buyer's stream at placement in a fixed number of draws:
whether a defect, damage or loss will happen, the carrier's time, the buyer's taste, when the
buyer would decide things. The model then plays the policy against that fate. Keeping the draw
count fixed is what gives common random numbers across policies (see :mod:`sim.model.streams`).
"""

from __future__ import annotations

import math
import random

#: Final states an order can end in; ``open`` means still running at the cut-off.
STATUSES = ("completed", "returned", "refunded", "cancelled", "lost", "open")

ORDER_LOG_COLUMNS = (
    "order_id", "buyer_id", "buyer_type", "product", "price", "placed_at", "dispatched_at",
    "delivered_at", "promised_delivery_at", "days_late", "late_dispatch", "status",
    "review_score", "followup_score", "returned", "refunded", "repaired", "replaced",
    "complained", "satisfaction", "closed_at", "in_kpis",
)


class Order:
    """One order: identity, fate, and what happened to it so far."""

    __slots__ = (
        # identity
        "buyer", "counts", "id", "placed_at", "price", "product",
        # fate (fixed draws)
        "u_ask", "u_complain", "u_confirm", "u_contact", "u_damage", "u_defect", "u_failure",
        "u_failure_time", "u_loss", "u_mismatch", "u_product", "u_refund_only", "u_repeat",
        "u_review", "u_review_delay", "u_review_first", "u_stockout", "u_text", "u_whim",
        "u_whim_day", "z_repeat_wait", "z_taste", "z_transit",
        # record
        "complained", "delivered_at", "dispatch_event", "dispatched_at", "followup_score",
        "late_dispatch", "money", "negative_posted", "promised_delivery_at", "refunded",
        "repaired", "replaced", "returned", "review", "satisfaction", "status",
    )

    def __init__(self, order_id: int, buyer, placed_at: float, counts: bool,
                 rng: random.Random) -> None:
        self.id = order_id
        self.buyer = buyer
        self.placed_at = placed_at
        self.counts = counts
        r = rng.random
        g = rng.gauss
        # The fate: 20 uniforms and 3 normals, always, in this order.
        self.u_product = r()
        self.u_stockout = r()
        self.z_transit = g(0.0, 1.0)
        self.u_damage = r()
        self.u_loss = r()
        self.u_defect = r()
        self.u_mismatch = r()
        self.u_failure = r()
        self.u_failure_time = r()
        self.z_taste = g(0.0, 1.0)
        self.u_review = r()
        self.u_text = r()
        self.u_review_delay = r()
        self.u_confirm = r()
        self.u_whim = r()
        self.u_whim_day = r()
        self.u_ask = r()
        self.u_review_first = r()
        self.u_refund_only = r()
        self.u_contact = r()
        self.u_complain = r()
        self.u_repeat = r()
        self.z_repeat_wait = g(0.0, 1.0)
        # The record.
        self.product = None
        self.price = 0.0
        self.dispatch_event = None
        self.dispatched_at = math.nan
        self.delivered_at = math.nan
        self.promised_delivery_at = math.nan
        self.late_dispatch = False
        self.satisfaction = 0.0
        self.review = None  # the Review on the board, if any
        self.followup_score = 0
        self.negative_posted = False
        self.returned = False
        self.refunded = False
        self.repaired = 0
        self.replaced = False
        self.complained = False
        self.status = "open"
        self.money = 0.0

    @property
    def days_late(self) -> float:
        """Delivered minus promised, in days (negative when early; NaN if never delivered)."""
        return self.delivered_at - self.promised_delivery_at
