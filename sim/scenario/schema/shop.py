"""The shop: catalogue, dispatch, customer service, repair bench; the carrier (MODEL.md §2, §6)."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, model_validator

from .base import Count, Days, Money, NonNegative, Positive, Probability, Strict


class Product(Strict):
    """One catalogue line (MODEL.md §2)."""

    name: str = Field(min_length=1)
    price: Positive
    unit_cost: NonNegative
    share: Positive = Field(1.0, description="Relative share of sales (normalised).")
    defect_prob: Probability = 0.02
    mismatch_prob: Probability = Field(0.02, description="Differs from its description.")
    failure_in_use_prob: Probability = Field(
        0.0, description="Chance of a failure during the warranty (repairable goods)."
    )
    warranty_days: Days = Field(365.0, description="FACTS: 三包 warranty 6-12 months.")
    listing_violation_prob: Probability = Field(
        0.01, description="Chance the listing breaks a rule (what claim hunters look for)."
    )
    resale_fraction: Probability = Field(
        0.8, description="Share of unit cost recovered when a returned unit is restocked."
    )
    repairable: bool = False
    culture_mismatch_prob: Probability = Field(
        0.0, description="Chance a buyer abroad finds the item clashes with their culture or "
        "religion once it arrives (the source article on cross-border bad reviews); it hurts "
        "satisfaction by satisfaction.culture_mismatch (assumption; 0: a domestic shop)."
    )
    no_reason_eligible: bool = Field(True, description="Law: custom-made, perishable ... excluded.")
    food: bool = Field(False, description="Food: 10x damages, at least 1000 yuan (FACTS).")
    whim_return_factor: NonNegative = Field(
        1.0, description="Category factor on buyers.whim_return_prob: the category's share of "
        "flawless deliveries sent back without a reason is their product (apparel high, "
        "FACTS M: 20-40%, women's clothing 50-80%)."
    )


class DispatchSection(Strict):
    """The dispatch team (MODEL.md §3.2)."""

    daily_capacity: Annotated[int, Field(ge=1)] = 400
    dispatch_hour: Annotated[float, Field(ge=0, lt=24)] = Field(
        17.0, description="Hour of the daily dispatch batch."
    )
    stockout_prob: Probability = Field(0.01, description="Chance an order finds no stock.")
    wage_per_parcel_capacity: Money = Field(
        1.2, description="Daily wage of the packing team per parcel of its daily capacity, paid "
        "for the capacity of each day (peaks included): a packer at ~200 yuan a day packs "
        "~170 parcels (assumption)."
    )
    excusable_late_share: Probability = Field(
        0.1, description="Share of late dispatches with a cause the platform accepts when the "
        "shop files an exception in time (报备: incomplete address, carrier damage; 003; "
        "assumption)."
    )
    handling_median_days: NonNegative = Field(
        0.0, description="Median picking and packing time before a parcel can join the batch "
        "(log-normal; 0 = ready at once). Olist: about 2 days from purchase to carrier."
    )
    handling_sigma: NonNegative = Field(0.8, description="Log-sd of the handling time.")


class CustomerServiceSection(Strict):
    """The CS team: agents with working hours and an optional bot (MODEL.md §6)."""

    agents: Count = 3
    open_hour: Annotated[float, Field(ge=0, le=24)] = 9.0
    close_hour: Annotated[float, Field(ge=0, le=24)] = 23.0
    handle_minutes: Positive = Field(8.0, description="Mean agent time per message.")
    bot: bool = Field(False, description="FACTS: ~75% of consultations at Alibaba go to bots.")
    bot_miss_share: Probability = Field(0.2, description="Share of messages the bot fails.")
    missed_notice_hours: Positive = Field(6.0, description="Mean delay until a miss is noticed.")
    contact_prob: Probability = Field(0.3, description="Chance an order brings a question.")
    agent_daily_wage: Money = Field(250.0, description="Cost of one agent-day (assumption).")
    bot_cost_per_message: Money = Field(0.1, description="FACTS: self-service $0.10/contact.")

    @model_validator(mode="after")
    def _staffed(self) -> CustomerServiceSection:
        if self.close_hour <= self.open_hour:
            raise ValueError("close_hour must be later than open_hour")
        if self.agents == 0 and not (self.bot and self.bot_miss_share == 0.0):
            raise ValueError(
                "agents is 0, so messages the bot misses (or all, without a bot) are never "
                "answered: set agents >= 1, or bot = true with bot_miss_share = 0"
            )
        return self


class RepairSection(Strict):
    """The repair bench (MODEL.md §6): an M/M/c queue when service is exponential."""

    technicians: Count = Field(
        2, description="0: the shop has no repair bench; failures that the policy would repair "
        "are answered with a new unit instead."
    )
    repair_days_mean: Positive = Field(2.0, description="Mean bench time of one repair.")
    distribution: Literal["exponential", "lognormal"] = "exponential"
    lognormal_sigma: NonNegative = 0.5
    success_prob: Probability = Field(0.9, description="Chance one repair fixes the fault.")
    parts_cost_share: Probability = Field(0.1, description="Parts per repair, share of unit cost.")
    technician_daily_wage: Money = Field(300.0, description="Cost of a technician-day.")
    replace_after_days: Days | None = Field(
        None, description="三包: a unit under repair this many days (from the buyer's request, "
        "checked when a bench attempt ends) is replaced, as after two failed repairs (FACTS "
        "H: 30 days). None (default) leaves the day limit out; only the two failed repairs "
        "count."
    )


class ShopSection(Strict):
    """The shop: catalogue, teams and per-parcel costs (MODEL.md §2)."""

    products: list[Product] = Field(min_length=1)
    dispatch: DispatchSection = Field(default_factory=DispatchSection)
    cs: CustomerServiceSection = Field(default_factory=CustomerServiceSection)
    repair: RepairSection = Field(default_factory=RepairSection)
    outbound_shipping_cost: Money = Field(6.0, description="Shop's courier fee per parcel.")
    return_shipping_cost: Money = Field(10.0, description="Real cost of a return leg (FACTS).")
    refund_delay_days: Days = Field(2.0, description="Receipt of a return to refund (law: <= 7).")
    disposal_cost: Money = Field(1.0, description="Cost of writing off a returned unit.")


class CarrierSection(Strict):
    """Dispatch-to-delivery time, damage and loss (MODEL.md §2)."""

    transit_median_days: Positive = 2.5
    transit_sigma: NonNegative = Field(0.5, description="Log-sd: a heavy right tail.")
    promised_transit_days: Positive = Field(
        4.0, description="Transit allowed in the delivery date promised to the buyer."
    )
    damage_prob: Probability = 0.01
    loss_prob: Probability = 0.002
    proof_of_delivery_prob: Probability = Field(
        0.8, description="Chance the carrier's tracking proves a delivery when the shop asks "
        "for evidence against a claim of non-delivery (policy.cross_border.non_delivery; "
        "assumption)."
    )
