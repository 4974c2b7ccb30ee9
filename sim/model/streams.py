"""Random numbers: one seed, named streams, and entity streams for common random numbers.

The scheme (a report states it, STRESS-DES item 5.2):

* A run's seed becomes a :class:`numpy.random.SeedSequence`. It is spawned into one child per
  named stream, in the fixed order of :data:`STREAM_NAMES`.
* Streams that are consumed event by event (service times, platform decisions, ...) are Python
  :class:`random.Random` generators (Mersenne Twister, ~30 ns a draw) seeded from their child.
* Streams that create entities are keyed by the *day*: day ``d`` of stream ``arrivals`` is a
  numpy generator seeded by ``SeedSequence(entropy, spawn_key=child.spawn_key + (d,))``. It draws
  that day's potential visitors as vectors: arrival times, the uniform that decides whether each
  visitor converts, and a 63-bit seed per visitor.
* A buyer's seed makes the buyer's own stream. It draws the buyer's traits first and then, for
  every order the buyer places, a fixed number of values (the order's *fate*: defect, damage,
  transit time, taste, decision times, ...). The number of draws never depends on what happens,
  so visitor *k* of day *d* has the same traits and the same fate for their *n*-th order under
  every policy. Policies change only who converts and what the shop does with a fate.

Paths that only some orders take (a repair's bench time, an arbitration's outcome) draw from the
shared event streams; they are the only place where two policies' random numbers can drift apart.
"""

from __future__ import annotations

import random

import numpy as np

STREAM_NAMES: tuple[str, ...] = (
    "arrivals",  # visitors per day, their arrival times, conversion uniforms, buyer seeds
    "bad_actors",  # extortion reviewers, claim hunters, competitors per day
    "service",  # CS handling times, bot misses, repair bench times and outcomes
    "platform",  # arbitration outcomes, review removals, insurance
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


def entity_stream(seed: int) -> random.Random:
    """The private stream of one buyer (or bad actor), from the seed drawn for it."""
    return random.Random(seed)
