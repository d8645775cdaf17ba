"""The warehouse scenario (tests/warehouse_scenario.py) loaded the real way for the data-quality and
report tests: processed Parquet in the emulator's S3, COPY and the day loads through the Redshift
Data API, on a cluster and bucket of the test's own."""

from __future__ import annotations

import uuid

import boto3
import pytest
import warehouse_scenario as scenario

from ecomdwh.warehouse import runner
from ecomdwh.warehouse.processed import parquet_bytes, processed_key, processed_rows


def own_warehouse(aws_env, monkeypatch: pytest.MonkeyPatch) -> runner.RedshiftData:
    """An empty warehouse (schema applied) that no other test touches."""
    if reason := aws_env.gap("redshift-data"):
        pytest.skip(f"EMULATOR={aws_env.backend}: {reason}")
    suffix = uuid.uuid4().hex[:8]
    monkeypatch.setenv("ECOMDWH_PROCESSED_BUCKET", f"it-dq-processed-{suffix}")
    monkeypatch.setenv("ECOMDWH_REDSHIFT_CLUSTER_ID", f"it-dq-{suffix}")
    boto3.client("s3").create_bucket(Bucket=f"it-dq-processed-{suffix}")
    warehouse = runner.RedshiftData()
    runner.apply_schema(warehouse)
    return warehouse


def load_scenario(warehouse: runner.RedshiftData) -> None:
    s3 = boto3.client("s3")
    days = scenario.build()
    for day in sorted(days):
        for entity, rows in days[day].items():
            table = processed_rows(entity, rows, day)
            s3.put_object(
                Bucket=runner.bucket("processed"), Key=processed_key(entity, day), Body=parquet_bytes(table)
            )
        runner.load_day(day, warehouse)
