"""Disputes: complaints to the platform, its arbitration and its penalties (MODEL.md §3.6).

Buyers complain about a refused request (and the platform arbitrates), and about a parcel that
came late or got lost, or a wait for customer service beyond their patience (counted by cause;
the platform's handling of those is not modelled beyond the complaint itself). Each step takes
the :class:`~sim.model.world.World`; the penalty points themselves are kept by
:class:`sim.model.platform.Platform`.
"""

from __future__ import annotations

from collections.abc import Generator
from typing import Any

from .ledger import Entry
from .orders import Order
from .streams import Purpose
from .world import World

#: Causes of complaints, each counted as its own KPI ``complaints_<cause>``.
CAUSES = ("refusal", "late", "lost", "service")


def file(world: World, order: Order, cause: str) -> None:
    """The buyer complains to the platform about ``cause``."""
    order.complained = True
    world.tally(order, "complaints")
    world.tally(order, "complaints_" + cause)


def complain_about(world: World, order: Order, cause: str, prob: float) -> None:
    """A buyer let down by a late or lost parcel or by customer service complains with ``prob``
    (one draw of the order's own stream per cause)."""
    if prob and order.draw(Purpose.COMPLAINT, CAUSES.index(cause)) < prob:
        file(world, order, cause)


def complain(world: World, order: Order, backed_by_law: bool) -> Generator[Any, Any, bool]:
    """A refused buyer may take the case to the platform; returns whether the buyer won.

    The platform decides after ``arbitration_days`` (a step of the order's story: it waits by
    yielding the days, see :mod:`sim.model.story`). Where the law gives the buyer the right it
    overrules the shop for certain; otherwise the buyer wins with ``buyer_win_prob`` (platforms
    lean towards buyers). A lost case costs the fine and penalty points.
    """
    if order.u_complain >= order.buyer.complain:
        return False
    file(world, order, "refusal")
    platform = world.sc.platform
    yield platform.arbitration_days
    if not backed_by_law and order.draw(Purpose.ARBITRATION) >= platform.buyer_win_prob:
        return False
    world.tally(order, "arbitration_losses")
    lose_case(world, order)
    return True


def lose_case(world: World, order: Order) -> None:
    """The shop lost a case at the platform: fine and penalty points."""
    p = world.sc.platform
    if p.fine_per_lost_case > 0:
        world.pay(order, Entry.PLATFORM_FINE, -p.fine_per_lost_case)
    world.penalise(order, p.penalty_points_per_lost_case)
