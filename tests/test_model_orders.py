"""An order's fate: drawn in a fixed number of values, stored compactly, read by name."""

from __future__ import annotations

import random
from types import SimpleNamespace

import numpy as np

from sim.model.orders import FATE_FIELDS, FATE_SIZE, Order, draw_fate, fate_block, fate_rows
from sim.model.streams import Purpose


def test_fate_rows_hold_the_block_exactly():
    block = fate_block(np.random.default_rng(7), 5)
    rows = fate_rows(block)
    assert len(rows) == 5
    assert [row.tolist() for row in rows] == block.tolist()
    assert fate_rows(block[:0]) == []


def test_an_order_reads_its_fate_by_field_name():
    fate = fate_rows(fate_block(np.random.default_rng(3), 1))[0]
    order = Order(0, SimpleNamespace(n_orders=0, seed=9), 0.0, True, fate)
    for index, name in enumerate(FATE_FIELDS):
        assert getattr(order, name) == fate[index], name


def test_an_order_owns_one_stream_per_purpose():
    """Order-keyed draws depend on the buyer, the order's number, the purpose and the index
    only: never on which other draws were made first."""
    fate = fate_rows(fate_block(np.random.default_rng(3), 1))[0]
    first = Order(0, SimpleNamespace(n_orders=0, seed=9), 0.0, True, fate)
    second = Order(1, SimpleNamespace(n_orders=1, seed=9), 0.0, True, fate)
    other = Order(2, SimpleNamespace(n_orders=0, seed=10), 0.0, True, fate)
    repair = first.draw(Purpose.REPAIR_TIME)
    first.draw(Purpose.ARBITRATION)  # an unrelated draw in between changes nothing
    assert first.draw(Purpose.REPAIR_TIME) == repair
    assert first.draw(Purpose.REPAIR_TIME, 1) != repair
    assert first.draw(Purpose.REPAIR_SUCCESS) != repair
    assert second.draw(Purpose.REPAIR_TIME) != repair
    assert other.draw(Purpose.REPAIR_TIME) != repair
    draws = [Order(0, SimpleNamespace(n_orders=n, seed=s), 0.0, True, fate).draw(p, k)
             for s in range(40) for n in range(3) for p in Purpose for k in range(3)]
    assert min(draws) >= 0.0 and max(draws) < 1.0
    assert abs(np.mean(draws) - 0.5) < 4 * (1 / 12 / len(draws)) ** 0.5


def test_a_later_order_draws_the_same_fate_from_the_same_stream():
    first = draw_fate(random.Random(42))
    assert len(first) == FATE_SIZE
    assert first == draw_fate(random.Random(42))
    assert first != draw_fate(random.Random(43))
    # The documented draw order: a uniform for every field, then a normal for every z_ field.
    rng = random.Random(42)
    expected = [rng.random() for _ in range(FATE_SIZE)]
    for i, name in enumerate(FATE_FIELDS):
        if name.startswith("z_"):
            expected[i] = rng.gauss(0.0, 1.0)
    assert first.tolist() == expected
