"""Random numbers: one seed, named streams, day-keyed blocks and order-keyed draws.

The scheme (a report states it, STRESS-DES item 5.2) makes common random numbers exact by
design: every random decision has its own source, so a policy that changes one mechanism never
shifts the draws of another.

* A run's seed becomes a :class:`numpy.random.SeedSequence`, spawned into one child per named
  stream, in the fixed order of :data:`STREAM_NAMES`.
* Streams that create entities are keyed by the *day*: day ``d`` of stream ``arrivals`` is a
  numpy generator seeded by ``SeedSequence(entropy, spawn_key=child.spawn_key + (d,))``. It
  draws that day's potential visitors as blocks: arrival times, the uniform that decides whether
  each visitor converts, a 62-bit seed, the buyer's traits, the first order's *fate* (see
  :mod:`sim.model.orders`) and, last, the buyer's purchase rate and dropout chance (see
  :mod:`sim.model.loyalty`), for every candidate visitor whether or not the visitor converts
  under the policy at hand. Each kind of bad actor has its own day-keyed stream
  (``extortion``, ``claim_hunters``, ``competitors``), so paying extortioners, which brings more
  of them, leaves the claim hunters and competitors where they were.
* A buyer's seed keys the fates of the buyer's later orders
  (:meth:`sim.model.buyers.Buyer.later_order_stream`), again in a fixed number of draws.
* Decisions that only some orders ever reach (a repair's bench time and outcome, an
  arbitration, an inspection, a refund-only grant, a revision, a review's removal, screening)
  draw from the order's own counter-based stream, :func:`order_uniform`: a uniform that depends
  only on the buyer's seed, the order's number, the purpose (:class:`Purpose`) and an index.
  A draw costs about a microsecond and nothing is kept per order, so a path taken by one order
  in ten costs the others nothing.
* Customer service's handling times and the bot's misses come from the event stream ``cs``
  (a :class:`random.Random`), in the order messages are handled: they depend on the queue, as
  service times do in any queueing simulation, and on nothing else.

So visitor *k* of day *d* has the same traits, the same fate for their *n*-th order and the same
answer to every rare decision under every policy; policies change only who converts and what
the shop does with a fate.
"""

from __future__ import annotations

import random
from enum import IntEnum

import numpy as np

STREAM_NAMES: tuple[str, ...] = (
    "arrivals",  # visitors per day: arrival times, conversion uniforms, seeds, traits, fates
    "extortion",  # extortion reviewers per day (差评师)
    "claim_hunters",  # professional claimants per day (职业打假人)
    "competitors",  # competitors' bought orders per day
    "cs",  # customer-service handling times and the bot's misses
)


class Purpose(IntEnum):
    """What an order-keyed draw decides (:func:`order_uniform`); one stream per purpose."""

    SCREENING = 1
    REFUND_ONLY_GRANT = 2
    INSPECTION = 3
    REVISION = 4
    ARBITRATION = 5
    REPORT_REMOVAL = 6
    REPAIR_TIME = 7
    REPAIR_SUCCESS = 8
    EXTORTION = 9
    PAID_REVISION_FOUND = 10
    LATE_CLAIM = 11
    COMPLAINT = 12
    FOLLOWUP = 13
    RETURN_VISIT = 14
    REPEAT_DROPOUT = 15
    REPEAT_WAIT = 16
    EXPERIENCE_DROPOUT = 17
    INSURANCE_TAKE_UP = 18
    INSURANCE_PICKUP = 19
    NON_DELIVERY_CLAIM = 20
    PROOF_OF_DELIVERY = 21
    CULTURE_MISMATCH = 22
    ATTENDANCE = 23  # a coached buyer's attendance trait (drawn with order number 0)
    SESSION = 24  # whether the buyer attends the index-th session
    RESCHEDULE = 25  # whether a buyer who cannot attend asks to move the session
    NO_EFFECT_DAY = 26  # when a coached buyer judges the effect
    NO_EFFECT = 27  # whether the device had no effect
    THREAT = 28  # whether a buyer with no effect threatens a follow-up instead of claiming
    THREAT_CARRY_OUT = 29
    FOLLOWUP_LIKES = 30  # onlookers' likes of a negative follow-up review
    UNREAD_FOLLOWUP = 31  # an angry follow-up after a message left unread


_MASK = (1 << 64) - 1


def _mix(x: int) -> int:
    """SplitMix64's finaliser: a 64-bit integer to a well-scrambled 64-bit integer."""
    x = (x + 0x9E3779B97F4A7C15) & _MASK
    x = ((x ^ (x >> 30)) * 0xBF58476D1CE4E5B9) & _MASK
    x = ((x ^ (x >> 27)) * 0x94D049BB133111EB) & _MASK
    return x ^ (x >> 31)


def order_uniform(buyer_seed: int, order_number: int, purpose: Purpose, index: int = 0) -> float:
    """A uniform on [0, 1) owned by one order and one purpose (the ``index``-th of them).

    Counter-based, like Philox: the value is a hash of its coordinates, so it never depends on
    which other draws were made before it.
    """
    x = _mix((buyer_seed ^ (order_number << 48)) & _MASK)
    x = _mix(x ^ ((int(purpose) << 32) | index))
    return (x >> 11) * 1.1102230246251565e-16  # 2**-53


class Streams:
    """The named random streams of one replication."""

    def __init__(self, seed: int | np.random.SeedSequence) -> None:
        root = seed if isinstance(seed, np.random.SeedSequence) else np.random.SeedSequence(seed)
        self.root = root
        children = root.spawn(len(STREAM_NAMES))
        self._seq = dict(zip(STREAM_NAMES, children, strict=True))
        self._rng = {name: random.Random(_seed_int(seq)) for name, seq in self._seq.items()}

    def __getitem__(self, name: str) -> random.Random:
        """The event stream ``name`` (a :class:`random.Random`)."""
        return self._rng[name]

    def day(self, name: str, day: int) -> np.random.Generator:
        """A numpy generator for stream ``name`` on day ``day``: the same for every policy."""
        seq = self._seq[name]
        child = np.random.SeedSequence(seq.entropy, spawn_key=(*seq.spawn_key, day))
        return np.random.Generator(np.random.PCG64(child))


def _seed_int(seq: np.random.SeedSequence) -> int:
    return int.from_bytes(seq.generate_state(4, np.uint64).tobytes(), "little")

