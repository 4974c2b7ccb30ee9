"""Customer service in an order's story: a question, and the wait for its answer (MODEL.md §6).

The queue itself (agents, working hours, the bot) is :class:`sim.model.capacity.CustomerService`;
these steps book what a wait means for the buyer and for the shop. Each takes the
:class:`~sim.model.world.World`.
"""

from __future__ import annotations

from collections.abc import Generator
from typing import Any

from . import disputes
from .ledger import Entry
from .orders import Order
from .world import Steps, World


def ask_question(world: World, order: Order) -> None:
    """A question to customer service, answered at once by the bot or waited for."""
    if world.cs.bot_answers():
        cs_waited(world, order, 0.0)
    else:
        world.side_story(order, _wait_for_agent(world, order))


def _wait_for_agent(world: World, order: Order) -> Steps:
    waited = yield from world.cs.answer(bot_tried=True)
    cs_waited(world, order, waited)


def contact(world: World, order: Order) -> Generator[Any, Any, float]:
    """The buyer writes to customer service about a request and waits for the answer; returns
    the days waited."""
    waited = yield from world.cs.answer()
    cs_waited(world, order, waited)
    return waited


def cs_waited(world: World, order: Order, waited: float) -> None:
    """Book the bot fee and the buyer's disappointment at waiting.

    A wait beyond the buyer's patience is an escalation: it hurts more, and may become a
    complaint to the platform (MODEL.md §6).
    """
    sc = world.sc
    cs, sat, buyer = sc.shop.cs, sc.satisfaction, order.buyer
    if cs.bot:
        world.pay(order, Entry.CS_LABOUR, -cs.bot_cost_per_message)
    order.satisfaction -= buyer.pickiness * sat.cs_wait_per_day * waited
    if waited > buyer.patience:
        order.satisfaction -= buyer.pickiness * sat.lost_patience
        world.tally(order, "cs_escalations")
        disputes.complain_about(world, order, "service", sc.buyers.complain_service_prob)
    if order.counts:
        world.counts["cs_messages"] += 1
        world.counts["cs_wait_days"] += waited
