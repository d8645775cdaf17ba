"""Warehouse benchmark through the emulator's Redshift Data API (the pipeline's own path).

Builds the warehouse from 1M orders (with ~2.5M lines, 100k customers, 5k products, ~1M web events
over two years), then applies a change batch where 10% of customers and 10% of products change a
tracked attribute (plus one day of new orders and web sessions), then times every analytics query over the marts.
Prints wall time (client, including Data API polling) and server time (DescribeStatement Duration:
translation plus DuckDB),
each with its ratio to the target: build < 15 s, change batch < 3 s, each analytics query < 500 ms.

    .venv/bin/python bench/bench_warehouse.py [--orders 1000000]
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from datetime import date
from pathlib import Path

import boto3
import numpy as np
import pyarrow as pa

from ecomdwh.warehouse import runner
from ecomdwh.warehouse.processed import processed_table, put_processed
from emulation import launcher
from emulation.redshift_cluster import create_cluster

BUILD_DAY, CHANGE_DAY = date(2026, 1, 1), date(2026, 1, 2)
TARGETS = {"build": 15.0, "change batch": 3.0, "query": 0.5}
CITIES = np.array([f"City{i}" for i in range(300)])
COUNTRIES = np.array(["US", "GB", "DE", "FR", "ES", "IT", "NL", "CA"])
SEGMENTS = np.array(["consumer", "small_business", "corporate"])
CATEGORIES = np.array([f"category{i}" for i in range(20)])
CHANNELS = np.array(["web", "mobile_app", "marketplace", "store"])
PAYMENTS = np.array(["card", "paypal", "apple_pay", "gift_card", "bank_transfer"])
STATUSES = np.array(["delivered"] * 6 + ["shipped", "paid", "cancelled", "returned"])
EVENT_TYPES = np.array(["page_view", "product_view", "add_to_cart", "checkout", "purchase"])
DEVICES = np.array(["desktop", "mobile", "tablet"])
ANALYTICS_QUERIES = {
    "sales daily (2 years)": "select * from mart_sales_daily order by order_date",
    "sales monthly, YoY": "select * from mart_sales_monthly order by month_start_date",
    "product performance top 100": "select * from mart_product_performance order by net_revenue_amount desc limit 100",
    "customer 360 top 100": "select * from mart_customer_360 order by revenue_amount desc limit 100",
    "customer LTV by cohort": "select cohort_month, count(*) as customers, avg(projected_ltv_36m_amount) as ltv "
    "from mart_customer_ltv group by cohort_month order by cohort_month",
    "cohort retention": "select * from mart_cohort_retention order by cohort_month, months_since_first_order",
    "market basket top 100 lift": "select * from mart_market_basket order by lift desc, pair_orders desc limit 100",
    "funnel by day and device": "select * from mart_funnel order by event_date, device",
}


def _timestamps(rng: np.random.Generator, n: int, start: str, days: int) -> pa.Array:
    seconds = rng.integers(0, days * 86400, n)
    return pa.array(np.datetime64(start, "s") + seconds.astype("timedelta64[s]")).cast(pa.timestamp("us"))


def _money(values: np.ndarray) -> pa.Array:
    return pa.array(np.round(values, 2)).cast(pa.decimal128(12, 2))


def customers(rng: np.random.Generator, ids: np.ndarray, updated: str) -> dict:
    n = len(ids)
    return {
        "customer_id": ids,
        "first_name": np.char.add("F", ids.astype(str)),
        "last_name": np.char.add("L", ids.astype(str)),
        "email": np.char.add(ids.astype(str), "@example.com"),
        "city": rng.choice(CITIES, n),
        "country": rng.choice(COUNTRIES, n),
        "signup_date": pa.array(np.datetime64("2023-01-01") + rng.integers(0, 365, n)),
        "segment": rng.choice(SEGMENTS, n),
        "updated_at": _timestamps(rng, n, updated, 1),
    }


def products(rng: np.random.Generator, ids: np.ndarray, updated: str) -> dict:
    n = len(ids)
    price = rng.uniform(5, 500, n)
    return {
        "product_id": ids,
        "sku": np.char.add("SKU", ids.astype(str)),
        "product_name": np.char.add("Product ", ids.astype(str)),
        "category": rng.choice(CATEGORIES, n),
        "subcategory": rng.choice(CATEGORIES, n),
        "brand": rng.choice(CATEGORIES, n),
        "price": _money(price),
        "cost": _money(price * 0.6),
        "is_active": np.ones(n, bool),
        "updated_at": _timestamps(rng, n, updated, 1),
    }


def orders_and_lines(
    rng: np.random.Generator, first_id: int, n: int, n_customers: int, n_products: int, start: str, days: int
) -> tuple[dict, dict]:
    order_ids = np.arange(first_id, first_id + n)
    order_ts = _timestamps(rng, n, start, days)
    orders = {
        "order_id": order_ids,
        "customer_id": rng.integers(1, n_customers + 1, n),
        "order_ts": order_ts,
        "status": rng.choice(STATUSES, n),
        "channel": rng.choice(CHANNELS, n),
        "payment_method": rng.choice(PAYMENTS, n),
        "shipping_city": rng.choice(CITIES, n),
        "shipping_country": rng.choice(COUNTRIES, n),
        "discount_amount": _money(np.where(rng.random(n) < 0.2, 5.0, 0.0)),
        "shipping_amount": _money(np.full(n, 4.99)),
        "updated_at": order_ts,
    }
    lines_per_order = rng.integers(1, 5, n)
    line_order = np.repeat(order_ids, lines_per_order)
    line_number = (
        np.arange(len(line_order))
        - np.repeat(np.cumsum(lines_per_order) - lines_per_order, lines_per_order)
        + 1
    )
    m = len(line_order)
    lines = {
        "order_item_id": np.arange(m) + first_id * 4,
        "order_id": line_order,
        "line_number": line_number,
        "product_id": rng.integers(1, n_products + 1, m),
        "quantity": rng.integers(1, 4, m),
        "unit_price": _money(rng.uniform(5, 500, m)),
        "discount_amount": _money(np.zeros(m)),
        "updated_at": pa.array(np.repeat(order_ts.to_numpy(zero_copy_only=False), lines_per_order)).cast(
            pa.timestamp("us")
        ),
    }
    return orders, lines


def web_events(
    rng: np.random.Generator,
    first_session: int,
    n_sessions: int,
    n_customers: int,
    n_products: int,
    start: str,
    days: int,
) -> dict:
    depth = rng.integers(1, 6, n_sessions)
    session = np.repeat(np.arange(first_session, first_session + n_sessions), depth)
    step = np.arange(len(session)) - np.repeat(np.cumsum(depth) - depth, depth)
    session_start = np.datetime64(start, "s") + rng.integers(0, days * 86400, n_sessions).astype(
        "timedelta64[s]"
    )
    customer = np.where(rng.random(n_sessions) < 0.6, rng.integers(1, n_customers + 1, n_sessions), 0)
    product = rng.integers(1, n_products + 1, n_sessions)
    return {
        "event_id": np.char.add(np.char.add(session.astype(str), "-"), step.astype(str)),
        "session_id": np.char.add("s", session.astype(str)),
        "customer_id": pa.array(np.repeat(customer, depth), mask=np.repeat(customer == 0, depth)),
        "anonymous_id": np.char.add("a", session.astype(str)),
        "event_type": EVENT_TYPES[step],
        "event_ts": pa.array(np.repeat(session_start, depth) + (step * 30).astype("timedelta64[s]")).cast(
            pa.timestamp("us")
        ),
        "product_id": pa.array(np.repeat(product, depth), mask=step == 0),
        "page_url": np.char.add("/p/", np.repeat(product, depth).astype(str)),
        "device": np.repeat(rng.choice(DEVICES, n_sessions), depth),
    }


def upload(day: date, entities: dict[str, dict]) -> int:
    s3 = boto3.client("s3")
    rows = 0
    for entity, columns in entities.items():
        table = processed_table(
            entity, {k: v if isinstance(v, pa.Array) else pa.array(v) for k, v in columns.items()}, day
        )
        put_processed(s3, runner.bucket("processed"), table, entity, day)
        rows += table.num_rows
    return rows


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of process `pid` so far, all its threads (the emulator's: DuckDB's included)."""
    return stat_cpu_seconds(Path(f"/proc/{pid}/stat"))


def stat_cpu_seconds(stat: Path) -> float:
    """User + system CPU time so far from a /proc stat file: a process's, or one thread's (task/<tid>/stat)."""
    fields = stat.read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def timed(label: str, target: float, action, pid: int) -> None:
    """Runs `action`, which returns the DescribeStatement of each Data API call it made."""
    cpu_before, started = cpu_seconds(pid), time.perf_counter()
    described = action()
    wall, cpu = time.perf_counter() - started, cpu_seconds(pid) - cpu_before
    server = sum(call["Duration"] for call in described) / 1e9
    print(
        f"  {label:<28} wall {wall:7.3f} s  server {server:7.3f} s  emulator cpu {cpu:7.2f} s  "
        f"target {target:5.2f} s  wall/target {wall / target:5.2f}  {'OK' if wall < target else 'OVER'}"
    )


def print_slowest_statements(warehouse: runner.RedshiftData, day: date, top: int = 8) -> None:
    """The build's slowest statements by server time, named by SQL file and line."""
    sources = {
        phase: [statement.source for statement in batch]
        for phase, batch in runner.day_statements(day).batches().items()
    }
    timings = []
    for phase in sources:
        listed = warehouse.client.list_statements(StatementName=f"ecomdwh-{phase}-{day.isoformat()}")
        described = warehouse.client.describe_statement(Id=listed["Statements"][0]["Id"])
        timings += [
            (sub["Duration"] / 1e9, f"{phase}: {source}")
            for sub, source in zip(described["SubStatements"], sources[phase], strict=True)
        ]
    print(f"  slowest statements of the {day} load (server seconds):")
    for seconds, source in sorted(timings, reverse=True)[:top]:
        print(f"    {seconds:6.3f}  {source}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", type=int, default=1_000_000)
    args = parser.parse_args()
    n_orders = args.orders
    n_customers, n_products = max(n_orders // 10, 100), max(n_orders // 200, 50)
    n_sessions = n_orders // 3
    rng = np.random.default_rng(42)
    with tempfile.TemporaryDirectory(prefix="bench-warehouse-") as state:
        emulator, _ = launcher.start(port=launcher.free_port(), state_dir=Path(state))
        try:
            os.environ.update(emulator.sdk_environment())
            boto3.client("s3").create_bucket(Bucket=runner.bucket("processed"))
            print(f"generating and uploading {n_orders:,} orders ...", flush=True)
            orders, lines = orders_and_lines(rng, 1, n_orders, n_customers, n_products, "2024-01-01", 730)
            day1 = {
                "customers": customers(rng, np.arange(1, n_customers + 1), "2023-12-31"),
                "products": products(rng, np.arange(1, n_products + 1), "2023-12-31"),
                "orders": orders,
                "order_items": lines,
                "web_events": web_events(rng, 0, n_sessions, n_customers, n_products, "2024-01-01", 730),
            }
            print(f"  build day: {upload(BUILD_DAY, day1):,} processed rows", flush=True)
            changed_customers = rng.choice(np.arange(1, n_customers + 1), n_customers // 10, replace=False)
            changed_products = rng.choice(np.arange(1, n_products + 1), n_products // 10, replace=False)
            new_orders, new_lines = orders_and_lines(
                rng, n_orders + 1, n_orders // 730, n_customers, n_products, "2026-01-01", 1
            )
            day2 = {
                "customers": customers(rng, changed_customers, "2026-01-01"),
                "products": products(rng, changed_products, "2026-01-01"),
                "orders": new_orders,
                "order_items": new_lines,
                "web_events": web_events(
                    rng, n_sessions, n_orders // 730, n_customers, n_products, "2026-01-01", 1
                ),
            }
            print(
                f"  change day: {upload(CHANGE_DAY, day2):,} processed rows "
                f"({len(changed_customers):,} customers, {len(changed_products):,} products changed)",
                flush=True,
            )

            create_cluster(runner.LOCAL_CLUSTER_ID, runner.LOCAL_DATABASE)
            warehouse = runner.RedshiftData(poll_seconds=0.02)
            print(
                f"warehouse (Redshift Data API on the emulator; {os.cpu_count()} cores, "
                f"load average {os.getloadavg()[0]:.1f} before timing):"
            )
            steps = [
                ("schema (DDL, calendar)", TARGETS["build"], lambda: [runner.apply_schema(warehouse)]),
                (
                    "full build: load the orders",
                    TARGETS["build"],
                    lambda: runner.load_day(BUILD_DAY, warehouse),
                ),
                (
                    "10% SCD2 change batch",
                    TARGETS["change batch"],
                    lambda: runner.load_day(CHANGE_DAY, warehouse),
                ),
            ]
            for label, target, action in steps:
                timed(label, target, action, emulator.pid)
            for day in (BUILD_DAY, CHANGE_DAY):
                print_slowest_statements(warehouse, day)
            versions = warehouse.query("select count(*) as n from dim_customer where not is_current")[0]["n"]
            print(f"  closed customer versions after the change batch: {versions:,}")
            print("analytics queries:")
            for label, sql in ANALYTICS_QUERIES.items():
                timed(label, TARGETS["query"], lambda sql=sql: [warehouse.execute(sql)], emulator.pid)
        finally:
            launcher.stop(Path(state))


if __name__ == "__main__":
    main()
