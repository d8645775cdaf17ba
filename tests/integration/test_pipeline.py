"""The whole warehouse through the one state machine, on a fresh emulator with envs/local applied.

Day 0 and two change days run end to end; the warehouse must show the SCD2 history the change days
created and hold exactly the order lines datagen generated. A day whose ETL job fails must fail the
execution with the reason, notify SNS, and leave the warehouse as it was.
"""

from __future__ import annotations

import dataclasses
import json
import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import boto3
import pytest
from rich.console import Console

from datagen.batch import generate_day
from datagen.writer import write_batch
from ecomdwh.config import bucket
from ecomdwh.pipeline.demo import run_day
from ecomdwh.pipeline.execution import run_pipeline, state_machine_arn
from ecomdwh.pipeline.summary import warehouse_overview
from ecomdwh.warehouse.runner import RedshiftData
from emulation import launcher
from etl.storage.state import read_audit

REPO_ROOT = Path(__file__).resolve().parents[2]
SCALE, SEED = 0.05, 7


@pytest.fixture(scope="module")
def deployed_stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[launcher.Emulator]:
    """Its own emulator (the pipeline owns the ecomdwh-local-* names), with envs/local applied."""
    state_dir = tmp_path_factory.mktemp("pipeline-emulator")
    emulator, _ = launcher.start(port=launcher.free_port(), state_dir=state_dir)
    try:  # a failed deploy must not leave the emulator running
        with pytest.MonkeyPatch.context() as patch:
            for key, value in emulator.sdk_environment().items():
                patch.setenv(key, value)
            deploy = subprocess.run(
                ["bash", "scripts/terraform.sh", "deploy"],
                cwd=REPO_ROOT,
                env={**os.environ, "TF_WORK_DIR": str(state_dir / "terraform"), "AUTO_APPROVE": "1"},
                capture_output=True,
                text=True,
            )
            assert deploy.returncode == 0, deploy.stdout[-3000:] + deploy.stderr[-3000:]
            yield emulator
    finally:
        launcher.stop(state_dir)


def _order_lines(days: range) -> set[tuple[int, int]]:
    lines = set()
    for day in days:
        items = generate_day(scale=SCALE, day=day, seed=SEED).tables["order_items"]
        lines |= set(zip(items["order_id"].to_pylist(), items["line_number"].to_pylist(), strict=True))
    return lines


def test_day0_and_two_change_days_build_the_warehouse(deployed_stack):
    console = Console(file=open(os.devnull, "w"))  # noqa: SIM115 - the demo's printing is not under test
    for day, dirty_rate in ((0, 0.01), (1, 0.0), (2, 0.0)):
        assert run_day(day, scale=SCALE, seed=SEED, dirty_rate=dirty_rate, console=console).succeeded

    warehouse = RedshiftData()
    loaded = {
        (int(r["order_id"]), int(r["line_number"]))
        for r in warehouse.query("select order_id, line_number from fct_order_items")
    }
    assert loaded == _order_lines(range(3))

    changes = [generate_day(scale=SCALE, day=day, seed=SEED).changes for day in (1, 2)]
    moved = sorted({c for change in changes for c in change["customers"]["moved"]})
    assert moved, "datagen's change days must move some customers"
    versions = warehouse.query(
        "select customer_id, count(*) as versions, sum(case when is_current then 1 else 0 end) as current_rows "
        "from dim_customer where customer_sk > 0 group by customer_id"
    )
    by_customer = {int(r["customer_id"]): r for r in versions}
    assert all(int(r["current_rows"]) == 1 for r in versions)
    assert all(int(by_customer[c]["versions"]) >= 2 for c in moved)


def test_a_day_with_zero_web_events_said_by_an_empty_file_loads(deployed_stack):
    """The web-events producer says "nothing today" with a 0-byte NDJSON file: the raw validation Lambda
    lets it land, the ETL commits an empty batch, and the warehouse loads the day with the other entities."""
    batch = generate_day(scale=SCALE, day=3, seed=SEED)
    no_events = dataclasses.replace(
        batch, tables={**batch.tables, "web_events": batch.tables["web_events"].slice(0, 0)}
    )
    write_batch(no_events, f"s3://{bucket('raw')}")
    empty_key = f"web_events/ingest_date={batch.ingest_date}/web_events-00000.json"
    boto3.client("s3").put_object(Bucket=bucket("raw"), Key=empty_key, Body=b"")

    result = run_pipeline(batch.ingest_date, machine_arn=state_machine_arn())

    assert result.succeeded, f"{result.error}: {result.cause}"
    audit = read_audit(bucket("processed"), "web_events", str(batch.ingest_date))
    assert (audit.received, audit.landed) == (0, True), (
        "the Lambda let the empty file land and the ETL read it"
    )
    staged = RedshiftData().query(
        "select entity, staged_rows from load_reconciliation where ingest_date = cast(:day as date)",
        {"day": str(batch.ingest_date)},
    )
    by_entity = {row["entity"]: int(row["staged_rows"]) for row in staged}
    assert by_entity["web_events"] == 0
    assert by_entity["orders"] == batch.tables["orders"].num_rows > 0


def test_a_failing_etl_job_fails_the_run_notifies_and_leaves_the_warehouse_alone(deployed_stack):
    sqs, sns = boto3.client("sqs"), boto3.client("sns")
    queue_url = sqs.create_queue(QueueName="it-pipeline-alerts")["QueueUrl"]
    queue_arn = sqs.get_queue_attributes(QueueUrl=queue_url, AttributeNames=["QueueArn"])["Attributes"][
        "QueueArn"
    ]
    topic_arn = next(t["TopicArn"] for t in sns.list_topics()["Topics"] if "ecomdwh-local" in t["TopicArn"])
    sns.subscribe(TopicArn=topic_arn, Protocol="sqs", Endpoint=queue_arn)
    before = warehouse_overview()["tables"]

    batch = generate_day(scale=SCALE, day=4, seed=SEED, dirty_rate=0.6)  # far above the quarantine threshold
    write_batch(batch, f"s3://{bucket('raw')}")
    result = run_pipeline(batch.ingest_date, machine_arn=state_machine_arn())

    assert result.status == "FAILED"
    assert "quarantined" in (result.cause or "")
    messages = sqs.receive_message(QueueUrl=queue_url, MaxNumberOfMessages=10, WaitTimeSeconds=5)["Messages"]
    bodies = [json.loads(json.loads(m["Body"])["Message"]) for m in messages]
    assert any(
        b.get("status") == "FAILED" and b.get("ingest_date") == batch.ingest_date.isoformat() for b in bodies
    )
    assert warehouse_overview()["tables"] == before
