"""The warehouse scenario (tests/warehouse_scenario.py) loaded the real way for the data-quality and
report tests: processed Parquet in the emulator's S3, COPY and the day loads through the Redshift
Data API, on a cluster and bucket of the test's own."""

from __future__ import annotations

import uuid

import boto3
import pytest
import warehouse_scenario as scenario

from ecomdwh.warehouse import runner
from ecomdwh.warehouse.processed import processed_rows, put_processed
from emulation.redshift_cluster import create_cluster


def own_warehouse(aws_env, monkeypatch: pytest.MonkeyPatch) -> runner.RedshiftData:
    """An empty warehouse (schema applied) that no other test touches."""
    if reason := aws_env.gap("redshift-data"):
        pytest.skip(f"EMULATOR={aws_env.backend}: {reason}")
    suffix = uuid.uuid4().hex[:8]
    monkeypatch.setenv("ECOMDWH_PROCESSED_BUCKET", f"it-dq-processed-{suffix}")
    monkeypatch.setenv(
        "ECOMDWH_REDSHIFT_CLUSTER_ID", create_cluster(f"it-dq-{suffix}", runner.LOCAL_DATABASE)
    )
    boto3.client("s3").create_bucket(Bucket=f"it-dq-processed-{suffix}")
    warehouse = runner.RedshiftData()
    runner.apply_schema(warehouse)
    return warehouse


def load_scenario(warehouse: runner.RedshiftData) -> None:
    s3 = boto3.client("s3")
    days = scenario.build()
    for day in sorted(days):
        for entity, rows in days[day].items():
            put_processed(s3, runner.bucket("processed"), processed_rows(entity, rows, day), entity, day)
        runner.load_day(day, warehouse)
