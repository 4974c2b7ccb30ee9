"""A lean SimPy process for stories nobody waits on (an order's life, a CS question).

:class:`simpy.Process` costs two events beyond the ones a story yields: an ``Initialize`` event to
start it and a trigger of the process itself when it ends, so that others can wait on it. An
order's story needs neither: it starts at a known time and nobody waits for it to end. On a run of
a hundred thousand orders with three or four waits each, those two events are a third of all the
events. :class:`Story` starts the generator from a timeout and lets it end silently.

It relies on SimPy's documented event protocol only: an event's ``callbacks`` list (``None`` once
processed), ``_ok`` and ``_value``. An exception inside a story propagates out of ``env.run``, as
a bug should.
"""

from __future__ import annotations

from collections.abc import Generator
from typing import Any

import simpy
from simpy.events import Timeout


class Story:
    """Run ``generator`` as a process starting ``delay`` days from now."""

    __slots__ = ("generator",)

    def __init__(self, env: simpy.Environment, generator: Generator[Any, Any, Any],
                 delay: float = 0.0) -> None:
        self.generator = generator
        Timeout(env, delay).callbacks.append(self._resume)

    def _resume(self, event: simpy.Event) -> None:
        generator = self.generator
        try:
            while True:
                if event._ok:
                    event = generator.send(event._value)
                else:
                    event._defused = True
                    event = generator.throw(event._value)
                if event.callbacks is not None:  # not yet processed: wait for it
                    event.callbacks.append(self._resume)
                    return
        except StopIteration:
            return
