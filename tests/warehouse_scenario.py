"""A small two-day warehouse scenario, as processed Parquet rows, with the special cases the warehouse
tests assert on, and independent Python recomputations of what the marts must show.

Day 1 loads 20 customers, 8 products, 40 orders with lines and web sessions. Day 2 brings a tracked
change (customer 1 moves city; product 1 changes price), a type-1 change (customer 2's email), new
orders after the change, a late-arriving order placed before the change, an orphan order (customer
999 does not exist) and a status update cancelling order 5.
"""

from __future__ import annotations

import random
from collections import defaultdict
from datetime import date, datetime, timedelta
from decimal import Decimal

DAY1, DAY2 = date(2026, 1, 10), date(2026, 1, 11)
CUSTOMER_MOVE_AT = datetime(2026, 1, 11, 8, 0)
PRODUCT_REPRICE_AT = datetime(2026, 1, 11, 6, 0)
LATE_ORDER_ID, ORPHAN_ORDER_ID, CANCELLED_ORDER_ID, AFTER_MOVE_ORDER_ID = 61, 62, 5, 41
CATEGORIES = ("books", "garden", "toys")
REVENUE_STATUSES = ("placed", "paid", "shipped", "delivered")
# Every table a day's load writes: a reload of the same day must leave each one as it was (but
# warehouse_loads, whose loaded_at is the time of the date's last load).
LOADED_TABLES = (
    "dim_customer",
    "dim_product",
    "dim_geography",
    "dim_channel",
    "fct_orders",
    "fct_order_items",
    "fct_web_events",
    "fct_product_daily",
)


def _customer(customer_id: int, updated_at: datetime, **changes: object) -> dict:
    row = {
        "customer_id": customer_id,
        "first_name": f"First{customer_id}",
        "last_name": f"Last{customer_id}",
        "email": f"c{customer_id}@example.com",
        "city": ("Paris", "Berlin", "Madrid")[customer_id % 3],
        "state": None,
        "country": ("FR", "DE", "ES")[customer_id % 3],
        "signup_date": date(2025, 1, 1) + timedelta(days=customer_id),
        "segment": "consumer" if customer_id % 4 else "corporate",
        "updated_at": updated_at,
    }
    return {**row, **changes}


def _product(product_id: int, updated_at: datetime, **changes: object) -> dict:
    row = {
        "product_id": product_id,
        "sku": f"SKU-{product_id}",
        "product_name": f"Product {product_id}",
        "category": CATEGORIES[product_id % 3],
        "subcategory": "general",
        "brand": f"Brand{product_id % 2}",
        "price": Decimal(f"{5 + product_id}.50"),
        "cost": Decimal(f"{2 + product_id}.25"),
        "is_active": True,
        "updated_at": updated_at,
    }
    return {**row, **changes}


def _order(order_id: int, customer_id: int, order_ts: datetime, status: str) -> dict:
    return {
        "order_id": order_id,
        "customer_id": customer_id,
        "order_ts": order_ts,
        "status": status,
        "channel": ("web", "mobile_app", "store")[order_id % 3],
        "payment_method": "card",
        "shipping_city": ("Paris", "Lyon")[order_id % 2],
        "shipping_country": "FR",
        "discount_amount": Decimal("1.00") if order_id % 5 == 0 else Decimal("0.00"),
        "shipping_amount": Decimal("4.99"),
        "updated_at": order_ts,
    }


def _lines(order_id: int, rng: random.Random, products: dict[int, dict], order_ts: datetime) -> list[dict]:
    chosen = rng.sample(sorted(products), rng.randint(1, 3))
    return [
        {
            "order_item_id": order_id * 10 + n,
            "order_id": order_id,
            "line_number": n,
            "product_id": product_id,
            "quantity": rng.randint(1, 4),
            "unit_price": products[product_id]["price"],
            "discount_amount": Decimal("0.50") if n == 2 else Decimal("0.00"),
            "updated_at": order_ts,
        }
        for n, product_id in enumerate(chosen, start=1)
    ]


def _session(
    session_id: str, customer_id: int | None, start: datetime, depth: int, product_id: int
) -> list[dict]:
    steps = ("page_view", "product_view", "add_to_cart", "checkout", "purchase")[:depth]
    return [
        {
            "event_id": f"{session_id}-{n}",
            "session_id": session_id,
            "customer_id": customer_id,
            "anonymous_id": f"anon-{session_id}",
            "event_type": step,
            "event_ts": start + timedelta(minutes=n),
            "product_id": None if step == "page_view" else product_id,
            "page_url": f"/p/{product_id}",
            "device": ("desktop", "mobile")[len(session_id) % 2],
        }
        for n, step in enumerate(steps)
    ]


def build() -> dict[date, dict[str, list[dict]]]:
    """Rows per ingest date per entity, as the processed layer holds them."""
    rng = random.Random(7)
    start = datetime(2026, 1, 1)
    customers = {i: _customer(i, start) for i in range(1, 21)}
    products = {i: _product(i, start) for i in range(1, 9)}
    day1: dict[str, list[dict]] = defaultdict(list)
    day1["customers"], day1["products"] = list(customers.values()), list(products.values())
    for order_id in range(1, 41):
        ts = datetime(2026, 1, 9) + timedelta(hours=order_id)
        day1["orders"].append(
            _order(order_id, rng.randint(1, 20), ts, "cancelled" if order_id % 9 == 0 else "paid")
        )
        day1["order_items"] += _lines(order_id, rng, products, ts)
    for n in range(12):
        day1["web_events"] += _session(
            f"s1-{n}", n % 5 or None, datetime(2026, 1, 10, 9) + timedelta(hours=n), n % 5 + 1, n % 8 + 1
        )

    repriced = {**products, 1: _product(1, PRODUCT_REPRICE_AT, price=Decimal("99.00"))}
    day2: dict[str, list[dict]] = defaultdict(list)
    day2["customers"] = [
        _customer(1, CUSTOMER_MOVE_AT, city="Lyon"),
        _customer(2, CUSTOMER_MOVE_AT, email="new2@example.com"),
        _customer(3, CUSTOMER_MOVE_AT),  # unchanged attributes, newer timestamp: no new version
    ]
    day2["products"] = [repriced[1]]
    for order_id in range(AFTER_MOVE_ORDER_ID, 61):
        ts = datetime(2026, 1, 11, 9) + timedelta(minutes=order_id)
        customer_id = 1 if order_id == AFTER_MOVE_ORDER_ID else rng.randint(1, 20)
        day2["orders"].append(_order(order_id, customer_id, ts, "paid"))
        day2["order_items"] += _lines(order_id, rng, repriced, ts)
    late_ts = datetime(2026, 1, 9, 12)
    day2["orders"].append(_order(LATE_ORDER_ID, 1, late_ts, "delivered"))
    late_lines = _lines(LATE_ORDER_ID, rng, products, late_ts)
    late_lines[0]["product_id"] = 1
    day2["order_items"] += late_lines
    orphan_ts = datetime(2026, 1, 11, 15)
    day2["orders"].append(_order(ORPHAN_ORDER_ID, 999, orphan_ts, "paid"))
    day2["order_items"] += _lines(ORPHAN_ORDER_ID, rng, repriced, orphan_ts)
    cancelled = next(o for o in day1["orders"] if o["order_id"] == CANCELLED_ORDER_ID)
    day2["orders"].append({**cancelled, "status": "cancelled", "updated_at": datetime(2026, 1, 11, 7)})
    for n in range(6):
        day2["web_events"] += _session(
            f"s2-{n}", n % 3 + 1, datetime(2026, 1, 11, 10) + timedelta(hours=n), 5 - n % 5, n % 8 + 1
        )
    return {DAY1: dict(day1), DAY2: dict(day2)}


def latest_orders(
    days: dict[date, dict[str, list[dict]]],
) -> tuple[dict[int, dict], dict[tuple[int, int], dict]]:
    """Orders and lines after all days, later days replacing earlier rows of the same key."""
    orders: dict[int, dict] = {}
    lines: dict[tuple[int, int], dict] = {}
    for day in sorted(days):
        orders |= {o["order_id"]: o for o in days[day].get("orders", [])}
        lines |= {(i["order_id"], i["line_number"]): i for i in days[day].get("order_items", [])}
    return orders, lines


def expected_daily_sales(days: dict[date, dict[str, list[dict]]]) -> dict[date, tuple[int, Decimal, int]]:
    """(orders, revenue, units) per order date over revenue orders, computed from the rows alone."""
    orders, lines = latest_orders(days)
    result: dict[date, list] = defaultdict(lambda: [0, Decimal("0"), 0])
    for order in orders.values():
        if order["status"] not in REVENUE_STATUSES:
            continue
        own = [line for (order_id, _), line in lines.items() if order_id == order["order_id"]]
        net = sum(
            (line["quantity"] * line["unit_price"] - line["discount_amount"] for line in own), Decimal(0)
        )
        entry = result[order["order_ts"].date()]
        entry[0] += 1
        entry[1] += net - order["discount_amount"] + order["shipping_amount"]
        entry[2] += sum(line["quantity"] for line in own)
    return {day: tuple(values) for day, values in result.items()}
