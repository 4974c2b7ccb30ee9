"""The lean story process (sim.model.story): waits, ordering against SimPy, errors."""

from __future__ import annotations

import numpy as np
import pytest
import simpy

from sim.model.story import Story


def test_a_number_of_days_waits_like_a_timeout_and_keeps_simpys_order():
    """``yield 1.5`` and ``yield env.timeout(1.5)`` wake at the same time, in the order asked."""
    env = simpy.Environment()
    log: list[tuple[str, float]] = []

    def by_number(name):
        yield 1.5
        log.append((name, env.now))
        yield 0.5
        log.append((name, env.now))

    def by_timeout(name):
        yield env.timeout(1.5)
        log.append((name, env.now))
        yield env.timeout(0.5)
        log.append((name, env.now))

    Story(env, by_timeout("t1"))
    Story(env, by_number("n1"))
    Story(env, by_timeout("t2"))
    Story(env, by_number("n2"), delay=0.0)
    env.run()
    assert log == [("t1", 1.5), ("n1", 1.5), ("t2", 1.5), ("n2", 1.5),
                   ("t1", 2.0), ("n1", 2.0), ("t2", 2.0), ("n2", 2.0)]


def test_a_story_starts_after_its_delay_and_waits_on_events():
    env = simpy.Environment()
    resource = simpy.Resource(env, capacity=1)
    log: list[tuple[str, float]] = []

    def customer(name, service):
        with resource.request() as turn:
            yield turn
            log.append((name, env.now))
            yield service

    Story(env, customer("a", 2.0), delay=1.0)
    Story(env, customer("b", 1.0), delay=1.5)
    env.run()
    assert log == [("a", 1.0), ("b", 3.0)]


def test_whole_and_numpy_numbers_wait_too_and_anything_else_is_a_bug():
    env = simpy.Environment()
    log: list[float] = []

    def waits():
        yield 2
        log.append(env.now)
        yield np.float64(0.25)
        log.append(env.now)
        yield "soon"

    Story(env, waits())
    with pytest.raises(TypeError, match="a SimPy event or a number of days, not 'soon'"):
        env.run()
    assert log == [2.0, 2.25]


def test_a_negative_wait_is_a_bug_and_says_so():
    env = simpy.Environment()

    def backwards():
        yield -0.1

    Story(env, backwards())
    with pytest.raises(ValueError, match="negative time"):
        env.run()
    with pytest.raises(ValueError, match="negative time"):
        Story(simpy.Environment(), backwards(), delay=-1.0)
    with pytest.raises(ValueError, match="NaN"):
        Story(simpy.Environment(), backwards(), delay=float("nan"))


def test_a_failed_event_is_thrown_into_the_story_and_an_uncaught_error_ends_the_run():
    env = simpy.Environment()
    seen: list[str] = []

    def failing():
        event = env.event()
        event.fail(KeyError("lost parcel"))
        try:
            yield event
        except KeyError as error:
            seen.append(str(error))
        yield 1
        raise RuntimeError("a bug in the story")

    Story(env, failing())
    with pytest.raises(RuntimeError, match="a bug in the story"):
        env.run()
    assert seen == ["'lost parcel'"]
