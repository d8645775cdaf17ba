from collections import defaultdict
from datetime import datetime

import pytest
import warehouse_scenario as scenario
from local_warehouse import LocalWarehouse

OPEN_END = datetime(9999, 12, 31)
BEGINNING = datetime(1900, 1, 1)


@pytest.fixture(scope="module")
def loaded():
    warehouse = LocalWarehouse()
    days = scenario.build()
    for day in sorted(days):
        warehouse.load_day(day, days[day])
    return warehouse


def _versions(warehouse, table, key):
    versions = defaultdict(list)
    for row in warehouse.rows(f"select * from {table} where {key} <> -1 order by {key}, valid_from"):
        versions[row[key]].append(row)
    return versions


@pytest.mark.parametrize(("table", "key"), [("dim_customer", "customer_id"), ("dim_product", "product_id")])
def test_each_key_has_one_current_version_and_contiguous_ranges(loaded, table, key):
    for versions in _versions(loaded, table, key).values():
        assert [v["is_current"] for v in versions] == [False] * (len(versions) - 1) + [True]
        assert versions[0]["valid_from"] == BEGINNING
        assert versions[-1]["valid_to"] == OPEN_END
        for earlier, later in zip(versions, versions[1:], strict=False):
            assert earlier["valid_to"] == later["valid_from"], "gap or overlap between versions"


def test_tracked_change_opens_exactly_one_version_and_others_none(loaded):
    customers = _versions(loaded, "dim_customer", "customer_id")
    assert [v["city"] for v in customers[1]] == ["Berlin", "Lyon"]
    assert customers[1][1]["valid_from"] == scenario.CUSTOMER_MOVE_AT
    assert len(customers[2]) == 1, "an email change is type 1: no new version"
    assert customers[2][0]["email"] == "new2@example.com"
    assert len(customers[3]) == 1, "a re-sent unchanged customer must not open a version"
    assert sum(len(v) for v in customers.values()) == 21
    products = _versions(loaded, "dim_product", "product_id")
    assert [str(v["price"]) for v in products[1]] == ["6.50", "99.00"]
    assert sum(len(v) for v in products.values()) == 9


def test_reloading_a_day_changes_nothing(warehouse):
    days = scenario.build()
    for day in sorted(days):
        warehouse.load_day(day, days[day])
    tables = scenario.LOADED_TABLES
    before = {t: sorted(map(repr, warehouse.rows(f"select * from {t}"))) for t in tables}
    warehouse.load_day(scenario.DAY2, days[scenario.DAY2])
    after = {t: sorted(map(repr, warehouse.rows(f"select * from {t}"))) for t in tables}
    assert after == before


def test_facts_join_the_version_valid_at_order_time(loaded):
    sk = {
        row["order_id"]: row
        for row in loaded.rows(
            "select o.order_id, c.city, o.customer_sk from fct_orders o "
            "join dim_customer c on c.customer_sk = o.customer_sk"
        )
    }
    assert sk[scenario.AFTER_MOVE_ORDER_ID]["city"] == "Lyon"
    assert sk[scenario.LATE_ORDER_ID]["city"] == "Berlin", "a late order placed before the move"
    late_line = loaded.rows(
        "select p.price from fct_order_items i join dim_product p on p.product_sk = i.product_sk "
        f"where i.order_id = {scenario.LATE_ORDER_ID} and i.product_id = 1"
    )
    assert [str(r["price"]) for r in late_line] == ["6.50"]


def test_orphan_order_gets_the_unknown_member(loaded):
    orphan = loaded.rows(
        f"select customer_sk, customer_id from fct_orders where order_id = {scenario.ORPHAN_ORDER_ID}"
    )
    assert orphan == [{"customer_sk": -1, "customer_id": 999}]
    lines = loaded.rows(
        f"select distinct customer_sk from fct_order_items where order_id = {scenario.ORPHAN_ORDER_ID}"
    )
    assert lines == [{"customer_sk": -1}]


def test_status_update_replaces_the_order_row(loaded):
    rows = loaded.rows(
        f"select status, is_revenue from fct_orders where order_id = {scenario.CANCELLED_ORDER_ID}"
    )
    assert rows == [{"status": "cancelled", "is_revenue": False}]


def test_type_1_changes_to_and_from_null_overwrite_the_current_version(warehouse):
    day1_at, day2_at = datetime(2026, 1, 10, 8), datetime(2026, 1, 11, 8)
    warehouse.load_day(
        scenario.DAY1,
        {
            "customers": [
                scenario._customer(1, day1_at, phone="111"),
                scenario._customer(2, day1_at, phone=None),
            ]
        },
    )
    warehouse.load_day(
        scenario.DAY2,
        {
            "customers": [
                scenario._customer(1, day2_at, phone=None),
                scenario._customer(2, day2_at, phone="222"),
            ]
        },
    )
    current = warehouse.rows(
        "select customer_id, phone from dim_customer where is_current and customer_id > 0"
    )
    assert sorted((row["customer_id"], row["phone"]) for row in current) == [(1, None), (2, "222")]
    assert len(warehouse.rows("select * from dim_customer where customer_id > 0")) == 2, "type 1: no version"
