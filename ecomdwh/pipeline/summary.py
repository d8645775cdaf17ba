"""What a pipeline run produced, layer by layer: raw rows landed, processed and quarantined rows,
warehouse tables, SCD2 history and a taste of the analytics. Read through the same APIs as the
pipeline (S3 for the ETL audit records, the Redshift Data API for the warehouse)."""

from __future__ import annotations

from typing import Any

from ecomdwh.config import bucket
from ecomdwh.contracts import ENTITIES
from ecomdwh.warehouse.runner import RedshiftData
from etl.storage.state import read_audit

WAREHOUSE_TABLES = (
    "dim_customer",
    "dim_product",
    "dim_date",
    "dim_geography",
    "fct_orders",
    "fct_order_items",
    "fct_web_events",
)
WAREHOUSE_COUNTS_SQL = " union all ".join(
    f"select '{table}' as table_name, count(*) as row_count from {table}" for table in WAREHOUSE_TABLES
)
SCD2_SQL = """
select 'dim_customer' as dimension, count(*) as versions, sum(case when is_current then 1 else 0 end) as current_rows
from dim_customer where customer_sk > 0
union all
select 'dim_product', count(*), sum(case when is_current then 1 else 0 end) from dim_product where product_sk > 0
"""
TOP_PRODUCTS_SQL = """
select product_name, category, units_sold, net_revenue_amount
from mart_product_performance order by net_revenue_amount desc limit 5
"""


def processed_counts(ingest_date: str) -> dict[str, dict[str, int]]:
    """The ETL's audit record per entity: received = accepted + quarantined + deduplicated."""
    counts = {}
    for entity in ENTITIES:
        audit = read_audit(bucket("processed"), entity, ingest_date)
        if audit is not None:
            counts[entity] = {
                "received": audit.received,
                "accepted": audit.accepted,
                "quarantined": audit.quarantined,
                "deduplicated": audit.deduplicated,
            }
    return counts


def warehouse_overview(warehouse: RedshiftData | None = None) -> dict[str, Any]:
    warehouse = warehouse or RedshiftData()
    return {
        "tables": {row["table_name"]: int(row["row_count"]) for row in warehouse.query(WAREHOUSE_COUNTS_SQL)},
        "scd2": {
            row["dimension"]: {"versions": int(row["versions"]), "current": int(row["current_rows"])}
            for row in warehouse.query(SCD2_SQL)
        },
        "top_products": warehouse.query(TOP_PRODUCTS_SQL),
    }
