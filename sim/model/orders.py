"""Orders: their fate (the random facts of one order) and their record (MODEL.md §3).

An order's *fate* is drawn in a fixed number of draws (a new buyer's first order from the day's
block, later orders from a stream keyed by the buyer's seed and order number):
whether a defect, damage or loss will happen, the carrier's and the return legs' times, the
buyer's taste, when the buyer would decide things. The model then plays the policy against that
fate. Keeping the draw count fixed is what gives common random numbers across policies; each
field decides one thing only. Decisions only a few orders reach draw from the order's own
counter-based stream instead (:meth:`Order.draw`; see :mod:`sim.model.streams`).
"""

from __future__ import annotations

import math
import random
from array import array

import numpy as np

from .streams import Purpose, order_uniform

#: Final states an order can end in; ``open`` means still running at the cut-off.
STATUSES = ("completed", "returned", "refunded", "cancelled", "lost", "open")

ORDER_LOG_COLUMNS = (
    "order_id", "buyer_id", "buyer_type", "product", "price", "placed_at", "dispatched_at",
    "delivered_at", "promised_delivery_at", "days_late", "late_dispatch", "status",
    "reviewed_at", "review_score", "followup_score", "request_kind", "requested_at",
    "request_outcome", "returned", "refunded", "repaired", "replaced", "complained",
    "satisfaction", "closed_at", "in_kpis",
)


#: The random facts of one order, in the order they are drawn. ``z_`` fields are standard
#: normal, ``u_`` fields uniform on [0, 1).
FATE_FIELDS = (
    "u_product", "u_stockout", "z_transit", "u_damage", "u_loss", "u_defect", "u_mismatch",
    "u_failure", "u_failure_time", "z_taste", "u_review", "u_text", "u_review_delay",
    "u_confirm", "u_whim", "u_whim_day", "u_ask", "u_review_first", "u_refund_only",
    "u_contact", "u_complain", "z_handling", "u_leg_back", "u_leg_out",
)
FATE_SIZE = len(FATE_FIELDS)
_NORMAL_COLUMNS = [i for i, name in enumerate(FATE_FIELDS) if name.startswith("z_")]


def fate_block(gen: np.random.Generator, n: int) -> np.ndarray:
    """Fates of ``n`` orders as one block (rows) from a day generator: new buyers' first orders."""
    block = gen.random((n, FATE_SIZE))
    block[:, _NORMAL_COLUMNS] = gen.standard_normal((n, len(_NORMAL_COLUMNS)))
    return block


def draw_fate(rng: random.Random) -> array:
    """One order's fate from a buyer's own stream (their later orders): always the same draws."""
    fate = [rng.random() for _ in range(FATE_SIZE)]
    for i in _NORMAL_COLUMNS:
        fate[i] = rng.gauss(0.0, 1.0)
    return array("d", fate)


def fate_rows(block: np.ndarray) -> list[array]:
    """The rows of a fate block as arrays of doubles, without making a float object per value."""
    raw = memoryview(np.ascontiguousarray(block, dtype=np.float64).tobytes())
    size = FATE_SIZE * 8
    rows = []
    for start in range(0, len(raw), size):
        row = array("d")
        row.frombytes(raw[start:start + size])
        rows.append(row)
    return rows


class Order:
    """One order: identity, fate, and what happened to it so far.

    The fate is kept as one array of doubles (:attr:`fate`, in the order of :data:`FATE_FIELDS`)
    and read through properties named after its fields (``order.u_defect``). A float object per
    field for every open order costs more than the property calls: an order stays open for weeks,
    and objects that live long and die scattered make allocation and freeing miss the cache
    (about 3% of a run, measured with ``scripts/bench_compare.py``).
    """

    __slots__ = (
        # identity
        "buyer", "counts", "fate", "id", "number", "placed_at", "price", "product",
        # record
        "attended", "closing_as", "complained", "coupon_granted", "delay_hurt", "delay_relief",
        "delivered_at",
        "dispatched_at",
        "followup_score", "late_dispatch", "money", "pending", "promised_delivery_at",
        "refunded", "repair_days", "repaired", "replaced", "request_kind", "request_outcome",
        "requested_at", "return_paid_by", "returned", "review", "reviewed_at", "satisfaction",
        "sessions", "status",
    )

    def __init__(self, order_id: int, buyer, placed_at: float, counts: bool,
                 fate: array) -> None:
        self.id = order_id
        self.buyer = buyer
        self.placed_at = placed_at
        self.counts = counts
        self.fate = fate
        self.number = buyer.n_orders  # the buyer's first order is number 0
        # The record.
        self.product = None
        self.price = 0.0
        self.dispatched_at = math.nan
        self.delivered_at = math.nan
        self.promised_delivery_at = math.nan
        self.late_dispatch = False
        self.satisfaction = 0.0
        self.review = None  # the Review on the board, if any
        self.reviewed_at = math.nan  # when the buyer wrote the initial review
        self.followup_score = 0
        self.request_kind = "none"  # the (last) after-sales request, see sim.model.aftersales
        self.requested_at = math.nan
        self.request_outcome = "none"
        self.returned = False
        self.refunded = False
        self.repaired = 0
        self.repair_days = 0.0  # failure reported to a working unit back, if repaired
        self.return_paid_by = ""  # who paid the leg back: buyer, seller or insurance
        self.replaced = False
        self.complained = False
        self.coupon_granted = False  # a coupon for a late repair (sim.model.repair_coupon)
        self.status = "open"
        self.money = 0.0
        self.pending = 0  # side stories still running (see Shop.side_story)
        self.delay_hurt = 0.0  # harm of delays not yet offset by compensation
        self.delay_relief = 0.0  # compensation relief not yet matched by harm
        self.closing_as = ""  # the status to close with once they end
        self.sessions = 0  # coaching sessions held since delivery (sim.model.coaching)
        self.attended = 0  # of which the buyer attended

    def draw(self, purpose: Purpose, index: int = 0) -> float:
        """A uniform of this order's own stream for ``purpose`` (the ``index``-th one)."""
        return order_uniform(self.buyer.seed, self.number, purpose, index)

    @property
    def days_late(self) -> float:
        """Delivered minus promised, in days (negative when early; NaN if never delivered)."""
        return self.delivered_at - self.promised_delivery_at


def _fate_field(index: int, name: str) -> property:
    def read(order: Order) -> float:
        return order.fate[index]

    read.__name__ = name
    return property(read, doc=f"The order's fate: {name} (see FATE_FIELDS).")


for _index, _name in enumerate(FATE_FIELDS):
    setattr(Order, _name, _fate_field(_index, _name))
