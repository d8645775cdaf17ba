"""SCD2 on any arrival order (issue 23, D9/D10): a stale re-send changes nothing, a back-dated change
re-keys the facts loaded before it, and over random arrival orders of the same changes every fact
points to the version valid at its timestamp and the current versions are the newest rows."""

from __future__ import annotations

import random
from collections import defaultdict
from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
import warehouse_scenario as scenario
from local_warehouse import LocalWarehouse

DAY1, DAY2 = date(2026, 1, 10), date(2026, 1, 11)
# (fact table, its timestamp column); each holds customer_id/customer_sk and maybe product_id/product_sk
FACTS = (("fct_orders", "order_ts"), ("fct_order_items", "order_ts"), ("fct_web_events", "event_ts"))


def _current(warehouse: LocalWarehouse, table: str, key: str) -> dict[int, dict]:
    rows = warehouse.rows(f"select * from {table} where is_current and {key} <> -1")
    return {row[key]: row for row in rows}


def test_a_stale_resend_changes_neither_type_1_nor_type_2_attributes(warehouse):
    newer, stale = datetime(2026, 1, 9, 12), datetime(2026, 1, 5)
    warehouse.load_day(
        DAY1,
        {
            "customers": [scenario._customer(64, newer, email="new@example.com", phone="+331", city="Nice")],
            "products": [scenario._product(7, newer, cost=Decimal("3.00"))],
        },
    )
    warehouse.load_day(
        DAY2,
        {
            "customers": [scenario._customer(64, stale, email="old@example.com", phone="+339", city="Oslo")],
            "products": [scenario._product(7, stale, cost=Decimal("9.00"), price=Decimal("1.00"))],
        },
    )
    customers = warehouse.rows("select * from dim_customer where customer_id = 64")
    assert [(c["email"], c["phone"], c["city"], c["is_current"]) for c in customers] == [
        ("new@example.com", "+331", "Nice", True)
    ]
    assert customers[0]["source_updated_at"] == newer
    products = warehouse.rows("select * from dim_product where product_id = 7")
    assert [(str(p["cost"]), str(p["price"])) for p in products] == [("3.00", "12.50")]


def test_a_newer_resend_without_changes_still_makes_an_older_one_stale(warehouse):
    first, resent, in_between = datetime(2026, 1, 1), datetime(2026, 1, 9), datetime(2026, 1, 5)
    warehouse.load_day(DAY1, {"customers": [scenario._customer(5, first)]})
    warehouse.load_day(DAY2, {"customers": [scenario._customer(5, resent)]})
    warehouse.load_day(
        date(2026, 1, 12), {"customers": [scenario._customer(5, in_between, email="stale@example.com")]}
    )
    current = _current(warehouse, "dim_customer", "customer_id")[5]
    assert current["email"] == "c5@example.com"
    assert current["source_updated_at"] == resent


def test_a_back_dated_change_rekeys_the_facts_already_loaded_after_it(warehouse):
    """Issue 23 D10: orders dated 2025 were left on a version valid [1900-01-01, 2023-06-29)."""
    moved_at = datetime(2023, 6, 29)
    orders = [
        scenario._order(1, 64, datetime(2023, 1, 15), "paid"),  # before the move: stays on Berlin
        scenario._order(2, 64, datetime(2025, 3, 1), "paid"),
        scenario._order(3, 64, datetime(2025, 11, 30), "paid"),
    ]
    lines = [
        {
            "order_item_id": order["order_id"] * 10,
            "order_id": order["order_id"],
            "line_number": 1,
            "product_id": 7,
            "quantity": 2,
            "unit_price": Decimal("5.00"),
            "discount_amount": Decimal("0.00"),
            "updated_at": order["order_ts"],
        }
        for order in orders
    ]
    warehouse.load_day(
        DAY1,
        {
            "customers": [scenario._customer(64, datetime(2022, 1, 1), city="Berlin")],
            "products": [scenario._product(7, datetime(2022, 1, 1), category="books")],
            "orders": orders,
            "order_items": lines,
            "web_events": scenario._session("s-64", 64, datetime(2025, 5, 1, 10), 2, 7),
        },
    )
    warehouse.load_day(
        DAY2,
        {
            "customers": [scenario._customer(64, moved_at, city="Lyon")],
            "products": [scenario._product(7, moved_at, category="garden", cost=Decimal("4.00"))],
        },
    )
    keyed = warehouse.rows(
        "select o.order_id, c.city, p.category, i.cost_amount from fct_orders o "
        "join dim_customer c on c.customer_sk = o.customer_sk "
        "join fct_order_items i on i.order_id = o.order_id "
        "join dim_product p on p.product_sk = i.product_sk order by o.order_id"
    )
    assert [(k["order_id"], k["city"], k["category"], str(k["cost_amount"])) for k in keyed] == [
        (1, "Berlin", "books", "18.50"),
        (2, "Lyon", "garden", "8.00"),
        (3, "Lyon", "garden", "8.00"),
    ]
    events = warehouse.rows(
        "select distinct c.city, p.category from fct_web_events e "
        "join dim_customer c on c.customer_sk = e.customer_sk "
        "join dim_product p on p.product_sk = e.product_sk where e.product_id is not null"
    )
    assert events == [{"city": "Lyon", "category": "garden"}]
    assert_product_daily_matches_its_facts(warehouse)


def test_facts_of_a_key_that_arrives_later_are_rekeyed_from_the_unknown_member(warehouse):
    warehouse.load_day(DAY1, {"orders": [scenario._order(1, 77, datetime(2026, 1, 9, 10), "paid")]})
    assert warehouse.rows("select customer_sk from fct_orders") == [{"customer_sk": -1}]
    warehouse.load_day(DAY2, {"customers": [scenario._customer(77, datetime(2026, 1, 11))]})
    assert warehouse.rows(
        "select c.customer_id from fct_orders o join dim_customer c on c.customer_sk = o.customer_sk"
    ) == [{"customer_id": 77}]


# --- the property: any arrival order of the same changes ---------------------------------------------

CUSTOMER_IDS, PRODUCT_IDS, UNKNOWN_CUSTOMER = (1, 2, 3), (1, 2), 99
START, SPAN_DAYS = datetime(2022, 1, 1), 4 * 365


def _moment(rng: random.Random) -> datetime:
    return START + timedelta(minutes=rng.randrange(SPAN_DAYS * 24 * 60))


def _changes(rng: random.Random) -> dict[str, list[dict]]:
    """Every row the source ever sends, each with a distinct updated_at per key."""
    customers = [
        scenario._customer(
            customer_id,
            moment,
            city=rng.choice(("Paris", "Lyon", "Nice")),
            segment=rng.choice(("consumer", "corporate")),
            email=f"c{customer_id}-{n}@example.com",
        )
        for customer_id in CUSTOMER_IDS
        for n, moment in enumerate(sorted({_moment(rng) for _ in range(rng.randint(1, 4))}))
    ]
    products = [
        scenario._product(
            product_id,
            moment,
            price=Decimal(rng.choice(("5.00", "7.50"))),
            category=rng.choice(scenario.CATEGORIES),
            cost=Decimal(f"{n + 1}.00"),
        )
        for product_id in PRODUCT_IDS
        for n, moment in enumerate(sorted({_moment(rng) for _ in range(rng.randint(1, 3))}))
    ]
    orders, lines, events = [], [], []
    for order_id in range(1, 13):
        ts = _moment(rng)
        orders.append(scenario._order(order_id, rng.choice((*CUSTOMER_IDS, UNKNOWN_CUSTOMER)), ts, "paid"))
        lines += [
            {
                "order_item_id": order_id * 10 + n,
                "order_id": order_id,
                "line_number": n,
                "product_id": product_id,
                "quantity": rng.randint(1, 3),
                "unit_price": Decimal("5.00"),
                "discount_amount": Decimal("0.00"),
                "updated_at": ts,
            }
            for n, product_id in enumerate(rng.sample(PRODUCT_IDS, rng.randint(1, 2)), start=1)
        ]
    for n in range(6):
        events += scenario._session(
            f"s{n}", rng.choice((*CUSTOMER_IDS, None)), _moment(rng), 3, rng.choice(PRODUCT_IDS)
        )
    return {
        "customers": customers,
        "products": products,
        "orders": orders,
        "order_items": lines,
        "web_events": events,
    }


def _arrivals(rng: random.Random, changes: dict[str, list[dict]], days: int) -> dict[date, dict]:
    """The same rows spread over `days` ingest dates at random: a key's rows in any order (an order's
    lines with it); a key sent twice on one day keeps its newer row, as the ETL's dedupe does."""
    batches: dict[date, dict[str, list[dict]]] = defaultdict(lambda: defaultdict(list))
    ingest_dates = [DAY1 + timedelta(days=n) for n in range(days)]
    order_day = {}
    for entity in ("customers", "products", "orders", "web_events"):
        for row in changes[entity]:
            day = rng.choice(ingest_dates)
            batches[day][entity].append(row)
            if entity == "orders":
                order_day[row["order_id"]] = day
    for line in changes["order_items"]:
        batches[order_day[line["order_id"]]]["order_items"].append(line)
    for batch in batches.values():
        for entity, key in (("customers", "customer_id"), ("products", "product_id")):
            newest: dict[int, dict] = {}
            for row in batch[entity]:
                if row[key] not in newest or row["updated_at"] > newest[row[key]]["updated_at"]:
                    newest[row[key]] = row
            batch[entity] = list(newest.values())
    return {day: dict(batches[day]) for day in sorted(batches)}


def assert_every_fact_points_to_the_version_valid_at_its_time(warehouse: LocalWarehouse) -> None:
    for dimension, key in (("customer", "customer_id"), ("product", "product_id")):
        versions = defaultdict(list)
        for v in warehouse.rows(f"select * from dim_{dimension} where {key} <> -1"):
            versions[v[key]].append(v)
        for table, ts in FACTS:
            if table == "fct_orders" and dimension == "product":
                continue
            for fact in warehouse.rows(f"select * from {table}"):
                valid = [
                    v[f"{dimension}_sk"]
                    for v in versions.get(fact[key], [])
                    if fact[ts] is not None and v["valid_from"] <= fact[ts] < v["valid_to"]
                ]
                assert len(valid) <= 1, f"{dimension} {fact[key]}: overlapping versions at {fact[ts]}"
                assert fact[f"{dimension}_sk"] == (valid[0] if valid else -1), (
                    f"{table} {fact}: {dimension}_sk is not the version valid at {ts} {fact[ts]}"
                )


def assert_product_daily_matches_its_facts(warehouse: LocalWarehouse) -> None:
    expected: dict[tuple, list] = defaultdict(lambda: [0, 0, 0])
    for line in warehouse.rows(
        "select i.order_date_key, i.product_sk, i.quantity from fct_order_items i "
        "join fct_orders o on o.order_id = i.order_id and o.is_revenue"
    ):
        expected[(line["order_date_key"], line["product_sk"])][0] += line["quantity"]
    for event in warehouse.rows("select * from fct_web_events where product_sk <> -1"):
        counts = expected[(event["event_date_key"], event["product_sk"])]
        counts[1] += event["event_type"] == "product_view"
        counts[2] += event["event_type"] == "add_to_cart"
    daily = {
        (d["date_key"], d["product_sk"]): [d["units_sold"], d["product_views"], d["add_to_carts"]]
        for d in warehouse.rows("select * from fct_product_daily")
    }
    assert daily == dict(expected)


@pytest.mark.parametrize("seed", range(12))
def test_any_arrival_order_keys_every_fact_to_its_version_and_ends_on_the_newest_rows(seed):
    rng = random.Random(seed)
    changes = _changes(rng)
    warehouse = LocalWarehouse()
    for day, batch in _arrivals(rng, changes, days=rng.randint(2, 4)).items():
        warehouse.load_day(day, batch)

    assert_every_fact_points_to_the_version_valid_at_its_time(warehouse)
    assert_product_daily_matches_its_facts(warehouse)
    for entity, table, key, attributes in (
        ("customers", "dim_customer", "customer_id", ("city", "segment", "email")),
        ("products", "dim_product", "product_id", ("price", "category", "cost")),
    ):
        newest = {}
        for row in sorted(changes[entity], key=lambda r: r["updated_at"]):
            newest[row[key]] = row
        current = _current(warehouse, table, key)
        assert {k: tuple(v[a] for a in attributes) for k, v in current.items()} == {
            k: tuple(v[a] for a in attributes) for k, v in newest.items()
        }
        versions = defaultdict(list)
        for v in warehouse.rows(f"select * from {table} where {key} <> -1 order by valid_from"):
            versions[v[key]].append(v)
        for key_versions in versions.values():
            assert [v["is_current"] for v in key_versions] == [False] * (len(key_versions) - 1) + [True]
            assert key_versions[0]["valid_from"] == datetime(1900, 1, 1)
            for earlier, later in zip(key_versions, key_versions[1:], strict=False):
                assert earlier["valid_to"] == later["valid_from"] > earlier["valid_from"]
