"""The warehouse built through the emulator's Redshift Data API: real COPY from the emulator's S3,
the runner's batches, SCD2 over two days, an idempotent re-run, and marts equal to sums recomputed
from the processed rows."""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal

import boto3
import pytest
import warehouse_scenario as scenario
from typer.testing import CliRunner

from ecomdwh.cli import app
from ecomdwh.warehouse import runner
from ecomdwh.warehouse.processed import processed_rows, put_processed
from emulation.redshift_cluster import create_cluster

TABLES = scenario.LOADED_TABLES


@pytest.fixture
def warehouse(aws_env, monkeypatch):
    if reason := aws_env.gap("redshift-data"):
        pytest.skip(f"EMULATOR={aws_env.backend}: {reason}")
    suffix = uuid.uuid4().hex[:8]
    monkeypatch.setenv("ECOMDWH_PROCESSED_BUCKET", f"it-processed-{suffix}")
    monkeypatch.setenv(
        "ECOMDWH_REDSHIFT_CLUSTER_ID", create_cluster(f"it-wh-{suffix}", runner.LOCAL_DATABASE)
    )
    boto3.client("s3").create_bucket(Bucket=f"it-processed-{suffix}")
    return runner.RedshiftData()


def _upload(day: date, rows: dict[str, list[dict]]) -> None:
    s3 = boto3.client("s3")
    bucket = runner.bucket("processed")
    for entity, entity_rows in rows.items():
        put_processed(s3, bucket, processed_rows(entity, entity_rows, day), entity, day)


def _fingerprint(warehouse: runner.RedshiftData) -> dict[str, list[dict]]:
    return {t: sorted(map(repr, warehouse.query(f"select * from {t}"))) for t in TABLES}


def test_two_days_build_scd2_and_marts_through_the_data_api(warehouse):
    days = scenario.build()
    for day, rows in days.items():
        _upload(day, rows)
    runner.apply_schema(warehouse)
    runner.apply_schema(warehouse)  # idempotent DDL and seeds
    for day in sorted(days):
        runner.load_day(day, warehouse)

    versions = warehouse.query(
        "select city, is_current from dim_customer where customer_id = :id order by valid_from", {"id": "1"}
    )
    assert versions == [{"city": "Berlin", "is_current": False}, {"city": "Lyon", "is_current": True}]
    late = warehouse.query(
        "select c.city from fct_orders o join dim_customer c on c.customer_sk = o.customer_sk "
        "where o.order_id = :id",
        {"id": str(scenario.LATE_ORDER_ID)},
    )
    assert late == [{"city": "Berlin"}]

    expected = scenario.expected_daily_sales(days)
    daily = warehouse.query("select order_date, orders, revenue_amount, units from mart_sales_daily")
    assert {
        date.fromisoformat(r["order_date"]): (r["orders"], Decimal(r["revenue_amount"]), r["units"])
        for r in daily
    } == expected

    before = _fingerprint(warehouse)
    runner.load_day(scenario.DAY2, warehouse)
    assert _fingerprint(warehouse) == before, "re-running a day must change nothing"


def test_a_missing_day_fails_naming_the_sql_file_and_line(warehouse):
    runner.apply_schema(warehouse)
    with pytest.raises(runner.WarehouseError, match=r"warehouse_sql/staging/stg_\w+\.sql:\d+: .*manifest"):
        runner.load_day(date(2031, 1, 1), warehouse)


def test_warehouse_query_reads_through_the_data_api_and_never_writes(warehouse):
    runner.apply_schema(warehouse)
    channels = warehouse.query("select count(*) as n from dim_channel")[0]["n"]
    cli = CliRunner()
    deleting = cli.invoke(app, ["warehouse", "query", "with x as (select 1) delete from dim_channel"])
    assert deleting.exit_code == 2 and "holds DELETE" in deleting.output, deleting.output
    counted = cli.invoke(app, ["warehouse", "query", "select count(*) as n from dim_channel"])
    assert counted.exit_code == 0, counted.output
    assert f"'n': {channels}" in counted.output
    assert warehouse.query("select count(*) as n from dim_channel")[0]["n"] == channels > 0
