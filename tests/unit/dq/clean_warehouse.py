"""A small, clean warehouse: every shipped check passes on it; each test then breaks it in one place."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal

from dq_warehouse import DuckDBWarehouse

LATEST_ORDER_AT = datetime(2026, 3, 2, 18, 0)
AS_OF = datetime(2026, 3, 3, 0, 0)
CUSTOMERS, PRODUCTS, ORDERS = 20, 4, 20
OPEN_END = datetime(9999, 12, 31)


def _customers() -> list[dict]:
    return [
        {
            "customer_sk": n,
            "customer_id": n,
            "first_name": f"First{n}",
            "last_name": f"Last{n}",
            "email": f"c{n}@example.com",
            "city": "Paris",
            "country": "FR",
            "segment": "consumer",
            "signup_date": datetime(2025, 1, n).date(),
            "tracked_hash": "0" * 32,
            "valid_from": datetime(2025, 1, 1),
            "valid_to": OPEN_END,
            "is_current": True,
        }
        for n in range(1, CUSTOMERS + 1)
    ]


def _products() -> list[dict]:
    return [
        {
            "product_sk": n,
            "product_id": n,
            "sku": f"SKU-{n}",
            "product_name": f"Product {n}",
            "category": "books",
            "brand": "Acme",
            "price": Decimal(f"{n}.50"),
            "cost": Decimal(f"{n}.00"),
            "is_active": True,
            "tracked_hash": "0" * 32,
            "valid_from": datetime(2025, 1, 1),
            "valid_to": OPEN_END,
            "is_current": True,
        }
        for n in range(1, PRODUCTS + 1)
    ]


def _orders_and_lines() -> tuple[list[dict], list[dict]]:
    orders, lines = [], []
    for order_id in range(1, ORDERS + 1):
        order_ts = LATEST_ORDER_AT - timedelta(hours=6 * (ORDERS - order_id))
        own = []
        for line_number, product_id in ((1, order_id % PRODUCTS + 1), (2, (order_id + 1) % PRODUCTS + 1)):
            unit_price, quantity = Decimal(f"{product_id}.50"), line_number
            discount = Decimal("0.50") if line_number == 2 else Decimal("0.00")
            own.append(
                {
                    "order_item_id": order_id * 10 + line_number,
                    "order_id": order_id,
                    "line_number": line_number,
                    "order_date_key": int(order_ts.strftime("%Y%m%d")),
                    "order_ts": order_ts,
                    "customer_sk": order_id,
                    "product_sk": product_id,
                    "customer_id": order_id,
                    "product_id": product_id,
                    "quantity": quantity,
                    "unit_price": unit_price,
                    "discount_amount": discount,
                    "gross_amount": quantity * unit_price,
                    "net_amount": quantity * unit_price - discount,
                }
            )
        items_net = sum(line["net_amount"] for line in own)
        orders.append(
            {
                "order_id": order_id,
                "order_date_key": int(order_ts.strftime("%Y%m%d")),
                "order_ts": order_ts,
                "customer_sk": order_id,
                "customer_id": order_id,
                "geography_sk": -1,
                "channel_sk": -1,
                "payment_method": "card",
                "status": "paid",
                "is_revenue": True,
                "item_count": len(own),
                "units": sum(line["quantity"] for line in own),
                "items_net_amount": items_net,
                "discount_amount": Decimal("1.00"),
                "shipping_amount": Decimal("4.99"),
                "order_total_amount": items_net - Decimal("1.00") + Decimal("4.99"),
            }
        )
        lines += own
    return orders, lines


def _web_events() -> list[dict]:
    return [
        {
            "event_id": f"e{n}",
            "session_id": f"s{n // 4}",
            "event_date_key": int(LATEST_ORDER_AT.strftime("%Y%m%d")),
            "event_ts": LATEST_ORDER_AT - timedelta(minutes=n),
            "customer_sk": -1,
            "product_sk": -1,
            "event_type": ("page_view", "product_view", "add_to_cart", "checkout")[n % 4],
            "device": "mobile",
        }
        for n in range(20)
    ]


def build_clean_warehouse() -> DuckDBWarehouse:
    warehouse = DuckDBWarehouse()
    orders, lines = _orders_and_lines()
    events = _web_events()
    warehouse.insert("dim_customer", _customers())
    warehouse.insert("dim_product", _products())
    warehouse.insert("fct_orders", orders)
    warehouse.insert("fct_order_items", lines)
    warehouse.insert("fct_web_events", events)
    warehouse.insert(
        "load_reconciliation",
        [
            {
                "ingest_date": AS_OF.date(),
                "entity": entity,
                "staged_rows": len(rows),
                "loaded_rows": len(rows),
            }
            for entity, rows in (("orders", orders), ("order_items", lines), ("web_events", events))
        ],
    )
    return warehouse
