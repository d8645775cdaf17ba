"""Row counts follow the documented scale formula (datagen/README.md)."""

import math

import pytest

import datagen

SCALE = 0.4


@pytest.fixture(scope="module")
def day0():
    return datagen.generate_day(scale=SCALE, day=0, seed=3)


def test_initial_load_counts_follow_the_formula(day0):
    rows = {name: table.num_rows for name, table in day0.tables.items()}
    assert rows["customers"] == round(1000 * SCALE)
    assert rows["products"] == max(20, round(500 * math.sqrt(SCALE)))
    assert rows["orders"] == round(5000 * SCALE)
    assert rows["web_events"] == 5 * rows["orders"]
    assert 2.2 * rows["orders"] < rows["order_items"] < 2.7 * rows["orders"]


def test_seed_sizes_at_scale_one():
    batch = datagen.generate_day(scale=1.0, day=0, seed=1)
    assert [batch.tables[name].num_rows for name in ("customers", "products", "orders")] == [1000, 500, 5000]


def test_increment_counts_follow_the_formula():
    batch = datagen.generate_day(scale=2.0, day=4, seed=3)
    base = 2000
    assert len(batch.changes["customers"]["new"]) == math.ceil(base * 0.002)
    assert len(batch.changes["customers"]["moved"]) == math.ceil(base * 0.002)
    assert len(batch.changes["customers"]["email_changed"]) == math.ceil(base * 0.001)
    products = round(500 * math.sqrt(2.0))
    assert len(batch.changes["products"]["price_changed"]) == math.ceil(products * 0.01)
    assert len(batch.changes["products"]["category_changed"]) == math.ceil(products * 0.002)
    new_orders = len(batch.changes["orders"]["new"])
    assert batch.tables["web_events"].num_rows == 5 * new_orders
    assert batch.tables["orders"].num_rows == new_orders + len(batch.changes["orders"]["status_changed"])


def test_tiny_scale_is_valid_and_small():
    batch = datagen.generate_day(scale=0.001, day=0, seed=1)
    assert batch.tables["customers"].num_rows == 1
    assert batch.tables["orders"].num_rows == 5


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [({"scale": 0}, "scale=0"), ({"day": -1}, "day=-1"), ({"dirty_rate": 1.5}, "dirty_rate=1.5")],
)
def test_bad_arguments_are_named_with_the_fix(kwargs, message):
    arguments = {"scale": 1.0, "day": 0, "seed": 1} | kwargs
    with pytest.raises(datagen.GenerationError, match=message):
        datagen.generate_day(**arguments)
