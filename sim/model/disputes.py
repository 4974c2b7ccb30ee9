"""Disputes: a refused buyer complains, the platform arbitrates and may penalise (MODEL.md §3.6).

Each step takes the :class:`~sim.model.world.World`; the penalty points themselves are kept by
:class:`sim.model.platform.Platform`.
"""

from __future__ import annotations

from collections.abc import Generator
from typing import Any

from .ledger import Entry
from .orders import Order
from .streams import Purpose
from .world import World


def complain(world: World, order: Order) -> Generator[Any, Any, bool]:
    """A refused buyer may take the case to the platform; returns whether the buyer won.

    The platform decides after ``arbitration_days`` (a step of the order's story: it waits by
    yielding the days, see :mod:`sim.model.story`); a lost case forces the refund, costs the
    fine and adds penalty points.
    """
    if order.u_complain >= order.buyer.complain:
        return False
    order.complained = True
    world.tally(order, "complaints")
    yield world.sc.platform.arbitration_days
    if order.draw(Purpose.ARBITRATION) >= world.sc.platform.buyer_win_prob:
        return False
    world.tally(order, "arbitration_losses")
    lose_case(world, order)
    return True


def lose_case(world: World, order: Order) -> None:
    """The shop lost a case at the platform: fine and penalty points."""
    p = world.sc.platform
    if p.fine_per_lost_case > 0:
        world.pay(order, Entry.PLATFORM_FINE, -p.fine_per_lost_case)
    world.platform.penalise(world.env.now, p.penalty_points_per_lost_case)
    world.tally(order, "penalty_points", p.penalty_points_per_lost_case)
