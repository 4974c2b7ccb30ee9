"""An order's fate: drawn in a fixed number of values, stored compactly, read by name."""

from __future__ import annotations

import random

import numpy as np

from sim.model.orders import FATE_FIELDS, FATE_SIZE, Order, draw_fate, fate_block, fate_rows


def test_fate_rows_hold_the_block_exactly():
    block = fate_block(np.random.default_rng(7), 5)
    rows = fate_rows(block)
    assert len(rows) == 5
    assert [row.tolist() for row in rows] == block.tolist()
    assert fate_rows(block[:0]) == []


def test_an_order_reads_its_fate_by_field_name():
    fate = fate_rows(fate_block(np.random.default_rng(3), 1))[0]
    order = Order(0, None, 0.0, True, fate)
    for index, name in enumerate(FATE_FIELDS):
        assert getattr(order, name) == fate[index], name


def test_a_later_order_draws_the_same_fate_from_the_same_stream():
    first = draw_fate(random.Random(42))
    assert len(first) == FATE_SIZE
    assert first == draw_fate(random.Random(42))
    assert first != draw_fate(random.Random(43))
    # The documented draw order: 24 uniforms, then a normal for every z_ field, in order.
    rng = random.Random(42)
    expected = [rng.random() for _ in range(FATE_SIZE)]
    for i, name in enumerate(FATE_FIELDS):
        if name.startswith("z_"):
            expected[i] = rng.gauss(0.0, 1.0)
    assert first.tolist() == expected
