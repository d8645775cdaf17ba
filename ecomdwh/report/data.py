"""What the report shows, read through the same paths as everything else: the marts and dq_results
through the Redshift Data API, the pipeline's run history from Step Functions."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import boto3

from ecomdwh.dq.runner import Warehouse
from ecomdwh.pipeline.execution import PipelineError, state_machine_arn
from ecomdwh.warehouse.runner import WarehouseError

Rows = list[dict[str, Any]]
TOP = 10
HISTOGRAM_BUCKETS = 20

QUERIES: dict[str, str] = {
    "revenue_trend": """
        select order_date, orders, revenue_amount
        from mart_sales_daily
        order by order_date""",
    "top_products": f"""
        select product_id, product_name, category, net_revenue_amount, units_sold
        from mart_product_performance
        order by net_revenue_amount desc, product_id
        limit {TOP}""",
    "top_categories": f"""
        select category, sum(net_revenue_amount) as net_revenue_amount, sum(units_sold) as units_sold
        from mart_product_performance
        group by category
        order by net_revenue_amount desc, category
        limit {TOP}""",
    "cohort_retention": """
        select cohort_month, months_since_first_order, cohort_customers, retention_rate
        from mart_cohort_retention
        order by cohort_month, months_since_first_order""",
    # Bucketed in the warehouse: a histogram needs HISTOGRAM_BUCKETS rows, not one per customer.
    "clv_distribution": f"""
        with ltv as (
            select projected_ltv_36m_amount as amount
            from mart_customer_ltv
            where projected_ltv_36m_amount is not null
        ),
        bounds as (
            select min(amount) as low_amount, max(amount) as high_amount from ltv
        )
        select
            least(coalesce(cast(floor({HISTOGRAM_BUCKETS} * (ltv.amount - b.low_amount)
                / nullif(b.high_amount - b.low_amount, 0)) as integer), 0), {HISTOGRAM_BUCKETS - 1}) as bucket,
            b.low_amount,
            b.high_amount,
            count(*) as customers
        from ltv
        cross join bounds as b
        group by 1, 2, 3
        order by 1""",
    "basket_pairs": f"""
        select a.product_name as product_a_name, b.product_name as product_b_name, m.pair_orders, m.lift
        from mart_market_basket as m
        join dim_product as a on a.product_id = m.product_a_id and a.is_current
        join dim_product as b on b.product_id = m.product_b_id and b.is_current
        order by m.pair_orders desc, m.lift desc, a.product_name, b.product_name
        limit {TOP}""",
    "funnel": """
        select
            coalesce(sum(sessions), 0) as sessions,
            coalesce(sum(page_view_sessions), 0) as page_view_sessions,
            coalesce(sum(product_view_sessions), 0) as product_view_sessions,
            coalesce(sum(add_to_cart_sessions), 0) as add_to_cart_sessions,
            coalesce(sum(checkout_sessions), 0) as checkout_sessions,
            coalesce(sum(purchase_sessions), 0) as purchase_sessions
        from mart_funnel""",
    "dq_scores": """
        select run_id, checked_at, dimension, min(score) as score,
            sum(case when passed then 0 else 1 end) as failed_checks
        from dq_results
        group by run_id, checked_at, dimension
        order by checked_at, run_id, dimension""",
    "dq_latest_failures": """
        select check_name, dimension, table_name, score, threshold, severity
        from dq_results
        where not passed
          and checked_at = (select max(checked_at) from dq_results)
        order by severity, check_name""",
}


class ReportError(RuntimeError):
    """The report cannot be built, worded with the fix."""


@dataclass(frozen=True)
class PipelineRun:
    name: str
    status: str
    started_at: datetime
    seconds: float | None  # None while running


def read_warehouse(warehouse: Warehouse, on_query: Callable[[str], None] | None = None) -> dict[str, Rows]:
    """Rows of every report query, by name."""
    data = {}
    for name, sql in QUERIES.items():
        try:
            data[name] = warehouse.query(sql)
        except WarehouseError as exc:
            raise ReportError(
                f"report query {name!r} failed: {exc}\nThe warehouse has no marts yet: load it first "
                "(`make demo`, or `ecomdwh run` for one day), then `make report`."
            ) from exc
        if on_query:
            on_query(name)
    return data


def pipeline_runs(limit: int = 30) -> list[PipelineRun]:
    """The latest executions of the pipeline state machine, oldest first; none when it is not deployed."""
    sfn = boto3.client("stepfunctions")
    try:
        executions = sfn.list_executions(stateMachineArn=state_machine_arn(), maxResults=limit)
    except (PipelineError, sfn.exceptions.StateMachineDoesNotExist):
        return []
    runs = [
        PipelineRun(
            name=e["name"],
            status=e["status"],
            started_at=e["startDate"],
            seconds=(e["stopDate"] - e["startDate"]).total_seconds() if e.get("stopDate") else None,
        )
        for e in executions["executions"]
    ]
    return sorted(runs, key=lambda run: run.started_at)
