from collections import defaultdict
from datetime import date, datetime, timedelta
from decimal import Decimal
from itertools import combinations

import pytest
import warehouse_scenario as scenario
from local_warehouse import LocalWarehouse


@pytest.fixture(scope="module")
def days():
    return scenario.build()


@pytest.fixture(scope="module")
def loaded(days):
    warehouse = LocalWarehouse()
    for day in sorted(days):
        warehouse.load_day(day, days[day])
    return warehouse


def test_daily_sales_equal_sums_recomputed_from_processed_rows(loaded, days):
    expected = scenario.expected_daily_sales(days)
    actual = {
        row["order_date"]: (row["orders"], row["revenue_amount"], row["units"])
        for row in loaded.rows("select order_date, orders, revenue_amount, units from mart_sales_daily")
    }
    assert actual == expected


def test_monthly_sales_equal_the_daily_total(loaded, days):
    expected = scenario.expected_daily_sales(days)
    monthly = loaded.rows("select month_start_date, orders, revenue_amount from mart_sales_monthly")
    assert monthly == [
        {
            "month_start_date": date(2026, 1, 1),
            "orders": sum(v[0] for v in expected.values()),
            "revenue_amount": sum(v[1] for v in expected.values()),
        }
    ]


def test_product_performance_units_and_revenue_match_the_lines(loaded, days):
    orders, lines = scenario.latest_orders(days)
    units, revenue = defaultdict(int), defaultdict(Decimal)
    for (order_id, _), line in lines.items():
        if orders[order_id]["status"] in scenario.REVENUE_STATUSES:
            units[line["product_id"]] += line["quantity"]
            revenue[line["product_id"]] += line["quantity"] * line["unit_price"] - line["discount_amount"]
    actual = loaded.rows("select product_id, units_sold, net_revenue_amount from mart_product_performance")
    assert {r["product_id"]: (r["units_sold"], r["net_revenue_amount"]) for r in actual} == {
        p: (units[p], revenue[p]) for p in units
    }


def _baskets(days) -> dict[int, set[int]]:
    """The distinct products of each revenue order, from the processed rows alone."""
    orders, lines = scenario.latest_orders(days)
    baskets = defaultdict(set)
    for (order_id, _), line in lines.items():
        if orders[order_id]["status"] in scenario.REVENUE_STATUSES:
            baskets[order_id].add(line["product_id"])
    return baskets


def _pair_orders(baskets: dict[int, set[int]]) -> dict[tuple[int, int], int]:
    pair_orders = defaultdict(int)
    for basket in baskets.values():
        for pair in combinations(sorted(basket), 2):
            pair_orders[pair] += 1
    return {pair: n for pair, n in pair_orders.items() if n >= 2}


def test_market_basket_pair_counts_support_and_lift(loaded, days):
    baskets = _baskets(days)
    product_orders = defaultdict(int)
    for basket in baskets.values():
        for product in basket:
            product_orders[product] += 1
    rows = loaded.rows("select * from mart_market_basket")
    assert {(r["product_a_id"], r["product_b_id"]): r["pair_orders"] for r in rows} == _pair_orders(baskets)
    for row in rows:
        a, b, n = row["product_a_id"], row["product_b_id"], row["pair_orders"]
        assert row["support"] == pytest.approx(n / len(baskets), abs=1e-6)
        lift = n * len(baskets) / (product_orders[a] * product_orders[b])
        assert row["lift"] == pytest.approx(lift, abs=1e-4)


def test_market_basket_counts_follow_cancelled_orders_and_re_sent_lines():
    """The load keeps pair counts incrementally: an order cancelled later leaves them, and an order
    whose lines are re-sent with one more product counts with its new basket, once."""
    start, day1, day2 = datetime(2026, 1, 9), date(2026, 1, 10), date(2026, 1, 11)
    products = {i: scenario._product(i, start) for i in (1, 2, 3)}

    def line(order_id: int, line_number: int, product_id: int) -> dict:
        return {
            "order_item_id": order_id * 10 + line_number,
            "order_id": order_id,
            "line_number": line_number,
            "product_id": product_id,
            "quantity": 1,
            "unit_price": products[product_id]["price"],
            "discount_amount": Decimal("0.00"),
            "updated_at": start,
        }

    orders = {n: scenario._order(n, 1, start + timedelta(hours=n), "paid") for n in (1, 2, 3)}
    days = {
        day1: {
            "customers": [scenario._customer(1, start)],
            "products": list(products.values()),
            "orders": list(orders.values()),
            "order_items": [line(n, k, k) for n in (1, 2, 3) for k in (1, 2)],
        },
        day2: {
            "orders": [{**orders[1], "status": "cancelled"}, orders[2]],
            "order_items": [line(2, 1, 1), line(2, 2, 2), line(2, 3, 3)],
        },
    }
    warehouse = LocalWarehouse()
    for day in (day1, day2):
        warehouse.load_day(day, days[day])
    rows = warehouse.rows(
        "select product_a_id, product_b_id, pair_orders from mart_basket_pairs where pair_orders > 0"
    )
    assert {(r["product_a_id"], r["product_b_id"]): r["pair_orders"] for r in rows} == {
        (1, 2): 2,
        (1, 3): 1,
        (2, 3): 1,
    }
    basket_rows = warehouse.rows("select product_a_id, product_b_id, pair_orders from mart_market_basket")
    assert {(r["product_a_id"], r["product_b_id"]): r["pair_orders"] for r in basket_rows} == _pair_orders(
        _baskets(days)
    )


def test_funnel_counts_sessions_reaching_each_step(loaded, days):
    steps = defaultdict(set)
    for day_rows in days.values():
        for event in day_rows["web_events"]:
            steps[event["event_type"]].add(event["session_id"])
    totals = loaded.rows(
        "select sum(sessions) as sessions, sum(add_to_cart_sessions) as carts, "
        "sum(purchase_sessions) as purchases from mart_funnel"
    )[0]
    assert totals == {
        "sessions": len(steps["page_view"]),
        "carts": len(steps["add_to_cart"]),
        "purchases": len(steps["purchase"]),
    }


def test_cohort_month_zero_retains_everyone_and_ltv_sums_revenue(loaded, days):
    cohorts = loaded.rows(
        "select retention_rate, active_customers, cohort_customers from mart_cohort_retention "
        "where months_since_first_order = 0"
    )
    assert cohorts and all(r["active_customers"] == r["cohort_customers"] for r in cohorts)
    ltv_total = loaded.rows("select sum(revenue_amount) as revenue from mart_customer_ltv")[0]["revenue"]
    assert ltv_total == sum(v[1] for v in scenario.expected_daily_sales(days).values())
    customer_360 = loaded.rows("select sum(orders) as orders, count(*) as customers from mart_customer_360")[
        0
    ]
    revenue_orders_of_known = sum(
        1
        for o in scenario.latest_orders(days)[0].values()
        if o["status"] in scenario.REVENUE_STATUSES and o["customer_id"] != 999
    )
    assert customer_360 == {"orders": revenue_orders_of_known, "customers": 20}


def test_each_load_reconciles_its_staged_fact_rows_with_the_facts(loaded, days):
    expected = {
        (day, entity): len(days[day].get(entity, []))
        for day in days
        for entity in ("orders", "order_items", "web_events")
    }
    recorded = loaded.rows("select ingest_date, entity, staged_rows, loaded_rows from load_reconciliation")
    assert {(r["ingest_date"], r["entity"]): r["staged_rows"] for r in recorded} == expected
    assert all(r["loaded_rows"] == r["staged_rows"] for r in recorded)


def test_product_daily_rebuilds_the_day_a_re_sent_row_moved_away_from():
    """An order and an event re-sent with corrected timestamps move to another day: the snapshot of
    the day they left loses them, not only the day they arrive on gains them."""
    start, day1, day2 = datetime(2026, 1, 8), date(2026, 1, 10), date(2026, 1, 11)
    product = scenario._product(1, start)
    order = scenario._order(1, 1, datetime(2026, 1, 9, 10), "paid")
    line = {
        "order_item_id": 11,
        "order_id": 1,
        "line_number": 1,
        "product_id": 1,
        "quantity": 2,
        "unit_price": product["price"],
        "discount_amount": Decimal("0.00"),
        "updated_at": order["order_ts"],
    }
    view = scenario._session("s1", 1, datetime(2026, 1, 9, 9), 2, 1)[1]
    moved = datetime(2026, 1, 10, 10)
    days = {
        day1: {
            "customers": [scenario._customer(1, start)],
            "products": [product],
            "orders": [order],
            "order_items": [line],
            "web_events": [view],
        },
        day2: {
            "orders": [{**order, "order_ts": moved, "updated_at": moved}],
            "order_items": [{**line, "updated_at": moved}],
            "web_events": [{**view, "event_ts": moved}],
        },
    }
    warehouse = LocalWarehouse()
    for day in (day1, day2):
        warehouse.load_day(day, days[day])
    rows = warehouse.rows(
        "select date_key, units_sold, product_views from fct_product_daily "
        "where units_sold > 0 or product_views > 0"
    )
    assert rows == [{"date_key": 20260110, "units_sold": 2, "product_views": 1}]


def test_lines_sent_without_their_order_keep_its_keys_and_update_its_totals():
    """A corrected line and an added line of an order loaded on an earlier day, sent without the order:
    they take the order's date and customer version, and the order's line totals follow."""
    start, day1, day2 = datetime(2026, 1, 8), date(2026, 1, 10), date(2026, 1, 11)
    products = {i: scenario._product(i, start) for i in (1, 2, 3)}
    order = scenario._order(1, 1, datetime(2026, 1, 9, 10), "paid")

    def line(line_number: int, quantity: int) -> dict:
        return {
            "order_item_id": 10 + line_number,
            "order_id": 1,
            "line_number": line_number,
            "product_id": line_number,
            "quantity": quantity,
            "unit_price": products[line_number]["price"],
            "discount_amount": Decimal("0.00"),
            "updated_at": order["order_ts"],
        }

    days = {
        day1: {
            "customers": [scenario._customer(1, start)],
            "products": list(products.values()),
            "orders": [order],
            "order_items": [line(1, 1), line(2, 1)],
        },
        day2: {"order_items": [line(2, 3), line(3, 1)]},
    }
    warehouse = LocalWarehouse()
    for day in (day1, day2):
        warehouse.load_day(day, days[day])
    customer_sk = warehouse.rows("select customer_sk from dim_customer where customer_id = 1")[0][
        "customer_sk"
    ]
    lines = warehouse.rows(
        "select line_number, order_date_key, customer_sk, customer_id from fct_order_items order by line_number"
    )
    assert lines == [
        {"line_number": n, "order_date_key": 20260109, "customer_sk": customer_sk, "customer_id": 1}
        for n in (1, 2, 3)
    ]
    net = sum(line(n, q)["unit_price"] * q for n, q in ((1, 1), (2, 3), (3, 1)))
    totals = warehouse.rows("select item_count, units, items_net_amount, order_total_amount from fct_orders")
    assert totals == [
        {
            "item_count": 3,
            "units": 5,
            "items_net_amount": net,
            "order_total_amount": net + order["shipping_amount"],
        }
    ]
    daily = warehouse.rows("select sum(units_sold) as units from fct_product_daily where date_key = 20260109")
    assert daily == [{"units": 5}]
