"""The data-quality step on the real path: checks through the emulator's Redshift Data API on DuckDB,
results in dq_results, metrics in CloudWatch, the alert on SNS, and the stop decision and exit code."""

from __future__ import annotations

import json
import uuid
from datetime import datetime, timedelta

import boto3
import pytest
from scenario_load import load_scenario, own_warehouse
from typer.testing import CliRunner

from ecomdwh.cli import app
from ecomdwh.dq.checks import load_checks
from ecomdwh.dq.step import run_data_quality
from ecomdwh.warehouse import runner
from emulation.redshift_cluster import create_cluster

AS_OF = "2026-01-12 00:00:00"  # the scenario's second day ends 2026-01-11


@pytest.fixture
def warehouse(aws_env, monkeypatch):
    warehouse = own_warehouse(aws_env, monkeypatch)
    load_scenario(warehouse)
    return warehouse


@pytest.fixture
def alerts_queue(aws_env, monkeypatch):
    """An alerts topic with a queue subscribed, and a pipeline name of this test's own."""
    suffix = uuid.uuid4().hex[:8]
    topic_arn = boto3.client("sns").create_topic(Name=f"it-dq-alerts-{suffix}")["TopicArn"]
    sqs = boto3.client("sqs")
    queue_url = sqs.create_queue(QueueName=f"it-dq-alerts-{suffix}")["QueueUrl"]
    queue_arn = sqs.get_queue_attributes(QueueUrl=queue_url, AttributeNames=["QueueArn"])["Attributes"][
        "QueueArn"
    ]
    boto3.client("sns").subscribe(TopicArn=topic_arn, Protocol="sqs", Endpoint=queue_arn)
    monkeypatch.setenv("ECOMDWH_ALERTS_TOPIC_ARN", topic_arn)
    monkeypatch.setenv(
        "ECOMDWH_STATE_MACHINE_ARN", f"arn:aws:states:us-east-1:123456789012:stateMachine:it-dq-{suffix}"
    )
    return queue_url, f"it-dq-{suffix}"


def _messages(queue_url: str) -> list[dict]:
    answer = boto3.client("sqs").receive_message(
        QueueUrl=queue_url, MaxNumberOfMessages=10, WaitTimeSeconds=2
    )
    return [json.loads(m["Body"]) for m in answer.get("Messages", [])]


def _metric_sum(pipeline: str, name: str, **dimensions: str) -> float | None:
    points = boto3.client("cloudwatch").get_metric_statistics(
        Namespace="ecomdwh",
        MetricName=name,
        Dimensions=[{"Name": "Pipeline", "Value": pipeline}]
        + [{"Name": k, "Value": v} for k, v in dimensions.items()],
        StartTime=datetime(2000, 1, 1),
        EndTime=datetime.now() + timedelta(days=1),
        Period=86400 * 365 * 30,
        Statistics=["Sum"],
    )["Datapoints"]
    return sum(p["Sum"] for p in points) if points else None


def test_a_warning_is_stored_published_and_alerted_but_does_not_stop(warehouse, alerts_queue):
    queue_url, pipeline = alerts_queue
    outcome = run_data_quality(warehouse=warehouse, as_of=datetime.fromisoformat(AS_OF))

    # The scenario's order 62 names customer 999, whom the warehouse never received.
    assert [r.check.name for r in outcome.run.failures] == ["order_known_customer"]
    assert outcome.stop is False
    stored = warehouse.query(
        "select check_name, dimension, checked_rows, passing_rows, passed from dq_results where run_id = :run_id",
        {"run_id": outcome.run.run_id},
    )
    assert len(stored) == len(load_checks())
    orphan = next(row for row in stored if row["check_name"] == "order_known_customer")
    assert orphan == {
        "check_name": "order_known_customer",
        "dimension": "consistency",
        "checked_rows": 62,
        "passing_rows": 61,
        "passed": False,
    }
    assert _metric_sum(pipeline, "DataQualityFailures") == 1
    assert _metric_sum(pipeline, "DataQualityScore", Dimension="consistency") == pytest.approx(
        100 * 61 / 62, abs=1e-3
    )
    assert _metric_sum(pipeline, "DataQualityScore", Dimension="accuracy") == 100
    [message] = _messages(queue_url)
    assert "warnings only, the pipeline goes on" in message["Subject"]
    assert (
        "- [warn] order_known_customer (consistency, fct_orders): 98.39% of 62 rows pass"
        in message["Message"]
    )


def test_an_error_check_failing_stops_the_pipeline_with_exit_code_2(warehouse, alerts_queue):
    queue_url, pipeline = alerts_queue
    warehouse.execute("update fct_orders set status = 'lost' where order_id in (1, 2)")

    result = CliRunner().invoke(app, ["dq", "run", "--as-of", AS_OF], env={"COLUMNS": "200"})

    assert result.exit_code == 2, result.output
    assert "the pipeline stops" in result.output
    assert "order_status_valid" in result.output
    assert _metric_sum(pipeline, "DataQualityFailures") == 2  # the orphan warning and the status error
    [message] = _messages(queue_url)
    assert "- [error] order_status_valid (validity, fct_orders): 96.77% of 62 rows pass" in message["Message"]


def test_a_looser_threshold_lets_the_same_data_pass(warehouse, alerts_queue):
    queue_url, _ = alerts_queue
    result = CliRunner().invoke(
        app,
        ["dq", "run", "--ingest-date", "2026-01-11", "--threshold", "consistency=0.98"],
        env={"COLUMNS": "200"},
    )
    assert result.exit_code == 0, result.output
    assert "all checks passed" in result.output
    assert _messages(queue_url) == []


def test_checks_on_a_warehouse_without_tables_name_the_check_and_the_fix(aws_env, monkeypatch):
    if reason := aws_env.gap("redshift-data"):
        pytest.skip(f"EMULATOR={aws_env.backend}: {reason}")
    cluster = create_cluster(f"it-dq-bare-{uuid.uuid4().hex[:8]}", runner.LOCAL_DATABASE)
    monkeypatch.setenv("ECOMDWH_REDSHIFT_CLUSTER_ID", cluster)

    result = CliRunner().invoke(app, ["dq", "run"], env={"COLUMNS": "300"})

    assert result.exit_code == 1
    assert "data-quality check 'customer_required_fields' on dim_customer could not run" in result.output
    assert "build the warehouse first (`make demo`)" in result.output
