"""A lean SimPy process for stories nobody waits on (an order's life, a CS question).

:class:`simpy.Process` costs two events beyond the ones a story yields: an ``Initialize`` event to
start it and a trigger of the process itself when it ends, so that others can wait on it. An
order's story needs neither: it starts at a known time and nobody waits for it to end. On a run of
a hundred thousand orders with three or four waits each, those two events are a third of all the
events. :class:`Story` starts the generator at its start time and lets it end silently.

A story waits by yielding a SimPy event (a resource request, a parcel's delivery) or a plain
number of days, ``yield 2.5``. A number costs less than ``env.timeout(2.5)``: the story puts
itself in SimPy's schedule as its own wake-up, so no new event is made. Both are scheduled the
same way (normal priority, in the order they are asked for), so the two spellings give the same
run. The steps of an order's story (:mod:`sim.model.aftersales`, :mod:`sim.model.bad_actors`, ...)
wait this way; code that also runs in plain SimPy processes yields events
(:meth:`CustomerService.answer`, :meth:`RepairBench.repair`: the queueing tests run them so).

It uses one public SimPy method, :meth:`simpy.Environment.schedule`, and the attributes SimPy's
own :class:`simpy.Process` reads from an event: its ``callbacks`` list (``None`` once
processed) and the private ``_ok``, ``_value`` and ``_defused``. Those private names are stable
throughout SimPy 4 but not promised by its documentation, so ``pyproject.toml`` pins
``simpy<5`` and ``tests/test_model_story.py`` checks the behaviour this module relies on. An
exception inside a story propagates out of ``env.run``, as a bug should.
"""

from __future__ import annotations

from collections.abc import Generator
from typing import Any

import simpy
from simpy.events import NORMAL


class Story:
    """Run ``generator`` as a process starting ``delay`` days from now."""

    __slots__ = ("_ok", "_value", "_wake", "callbacks", "env", "generator")

    def __init__(self, env: simpy.Environment, generator: Generator[Any, Any, Any],
                 delay: float = 0.0) -> None:
        self.env = env
        self.generator = generator
        self._ok = True  # as a wake-up event: always a success, with no value
        self._value = None
        # The callback list SimPy runs when the story wakes up, made once and reused for every
        # wait (it forms a reference cycle with the story, broken when the story ends).
        self._wake = [self._resume]
        self._sleep(delay)

    def _sleep(self, days: float) -> None:
        """Schedule the story itself to wake up in ``days``."""
        if not days >= 0.0:  # also catches NaN, which would corrupt SimPy's schedule
            raise ValueError(f"a story cannot wait a negative time or NaN ({days} days)")
        self.callbacks = self._wake
        self.env.schedule(self, NORMAL, days)

    def _resume(self, event: Any) -> None:
        generator = self.generator
        try:
            while True:
                if event._ok:
                    event = generator.send(event._value)
                else:
                    event._defused = True
                    event = generator.throw(event._value)
                if event.__class__ is float:  # the common case first
                    self._sleep(event)
                    return
                try:
                    callbacks = event.callbacks
                except AttributeError:  # not an event: a whole number of days, or a mistake
                    self._sleep(_days(event))
                    return
                if callbacks is not None:  # not yet processed: wait for it
                    callbacks.append(self._wake[0])
                    return
        except StopIteration:
            self._wake = None


def _days(value: Any) -> float:
    """A wait given as a number (an int or a numpy float); anything else is a bug in a story."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    raise TypeError(f"a story must yield a SimPy event or a number of days, not {value!r}")
