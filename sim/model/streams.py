"""Random numbers: one seed, named streams, and day-keyed blocks for common random numbers.

The scheme (a report states it, STRESS-DES item 5.2):

* A run's seed becomes a :class:`numpy.random.SeedSequence`. It is spawned into one child per
  named stream, in the fixed order of :data:`STREAM_NAMES`.
* Streams that are consumed event by event (service times, platform decisions, ...) are Python
  :class:`random.Random` generators (Mersenne Twister, ~30 ns a draw) seeded from their child.
* Streams that create entities are keyed by the *day*: day ``d`` of stream ``arrivals`` (or
  ``bad_actors``) is a numpy generator seeded by
  ``SeedSequence(entropy, spawn_key=child.spawn_key + (d,))``. It draws that day's potential
  visitors as blocks: arrival times, the uniform that decides whether each visitor converts, a
  63-bit seed, the buyer's traits and the first order's *fate* (defect, damage, transit time,
  taste, decision times, ...; see :mod:`sim.model.orders`), always for every candidate visitor,
  whether or not the visitor converts under the policy at hand.
* A buyer's seed keys the fates of the buyer's later orders
  (:meth:`sim.model.buyers.Buyer.later_order_stream`), again in a fixed number of draws.

So visitor *k* of day *d* has the same traits and the same fate for their *n*-th order under
every policy; policies change only who converts and what the shop does with a fate.

Paths that only some orders take draw from the shared event streams instead: a repair's bench
time and outcome and the CS handling times (``service``), arbitration outcomes, refund-only
grants and review removals (``platform``), screening, inspection, the revision after a remedy
and the time of a return leg (``decisions``). There two policies' random numbers can drift
apart: a policy that sends more parcels through one of these paths shifts the draws of every
later user of the same stream.
"""

from __future__ import annotations

import random

import numpy as np

STREAM_NAMES: tuple[str, ...] = (
    "arrivals",  # visitors per day, their arrival times, conversion uniforms, buyer seeds
    "bad_actors",  # extortion reviewers, claim hunters, competitors per day
    "service",  # CS handling times, bot misses, repair bench times and outcomes
    "platform",  # arbitration outcomes, refund-only grants, review removals
    "decisions",  # the shop's and buyers' path-dependent choices
)


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

