"""The daily Glue workflow, shaped as modules/glue_workflow deploys it, loads a datagen day through the
real ETL job (etl/jobs/raw_to_processed.py on local PySpark) on the emulator; a second run of the same
workflow finds nothing new and leaves the processed layer as it was."""

from __future__ import annotations

import time
from pathlib import Path

import boto3
import pytest
from service_role import allow_all_role

from datagen.batch import generate_day
from datagen.writer import write_batch
from ecomdwh.contracts import ENTITIES

REPO_ROOT = Path(__file__).resolve().parents[2]
ROLE = "arn:aws:iam::123456789012:role/glue"
RAW, PROCESSED, SCRIPTS = "it-wfe-raw", "it-wfe-processed", "it-wfe-scripts"
WORKFLOW, JOB = "it-wfe-daily", "it-wfe-raw-to-processed"
DAY = generate_day(scale=0.01, day=0, seed=5)


def _run_to_completion(glue) -> dict:
    run_id = glue.start_workflow_run(Name=WORKFLOW)["RunId"]
    deadline = time.monotonic() + 600
    while (run := glue.get_workflow_run(Name=WORKFLOW, RunId=run_id, IncludeGraph=True)["Run"])[
        "Status"
    ] == "RUNNING":
        assert time.monotonic() < deadline, f"workflow run {run_id} still RUNNING: {run['Statistics']}"
        time.sleep(1)
    return run


def _processed_parts() -> dict[str, str]:
    pages = boto3.client("s3").get_paginator("list_objects_v2").paginate(Bucket=PROCESSED)
    return {
        o["Key"]: o["ETag"]
        for page in pages
        for o in page.get("Contents", [])
        if o["Key"].endswith(".parquet")
    }


@pytest.fixture(scope="module")
def daily_workflow(aws_module_env):
    if reason := aws_module_env.gap("glue"):
        pytest.skip(reason)
    s3, glue = boto3.client("s3"), boto3.client("glue")
    for bucket in (RAW, PROCESSED, SCRIPTS):
        s3.create_bucket(Bucket=bucket)
    s3.upload_file(str(REPO_ROOT / "etl/jobs/raw_to_processed.py"), SCRIPTS, "glue/jobs/raw_to_processed.py")
    write_batch(DAY, f"s3://{RAW}")
    for layer, bucket, exclusions in (("raw", RAW, []), ("processed", PROCESSED, ["quarantine/**"])):
        glue.create_database(DatabaseInput={"Name": f"it_wfe_{layer}"})
        glue.create_crawler(
            Name=f"it-wfe-{layer}",
            Role=ROLE,
            DatabaseName=f"it_wfe_{layer}",
            Targets={"S3Targets": [{"Path": f"s3://{bucket}/", "Exclusions": exclusions}]},
        )
    glue.create_job(
        Name=JOB,
        Role=allow_all_role("glue", "glue.amazonaws.com"),
        GlueVersion="5.0",
        Command={"Name": "glueetl", "ScriptLocation": f"s3://{SCRIPTS}/glue/jobs/raw_to_processed.py"},
        DefaultArguments={"--raw_bucket": RAW, "--processed_bucket": PROCESSED},
        Timeout=20,
    )
    glue.create_workflow(Name=WORKFLOW, MaxConcurrentRuns=1)
    glue.create_trigger(
        Name=f"{WORKFLOW}-start",
        WorkflowName=WORKFLOW,
        Type="SCHEDULED",
        Schedule="cron(0 2 * * ? *)",
        Actions=[{"CrawlerName": "it-wfe-raw"}],
    )
    for name, condition, action in (
        ("after-raw-crawl", {"CrawlerName": "it-wfe-raw", "CrawlState": "SUCCEEDED"}, {"JobName": JOB}),
        ("after-etl", {"JobName": JOB, "State": "SUCCEEDED"}, {"CrawlerName": "it-wfe-processed"}),
    ):
        glue.create_trigger(
            Name=f"{WORKFLOW}-{name}",
            WorkflowName=WORKFLOW,
            Type="CONDITIONAL",
            StartOnCreation=True,
            Predicate={"Logical": "AND", "Conditions": [{"LogicalOperator": "EQUALS", **condition}]},
            Actions=[action],
        )
    yield glue


def test_a_workflow_run_loads_the_day_and_a_second_run_changes_nothing(daily_workflow, aws_env):
    first = _run_to_completion(daily_workflow)

    nodes = {node["Name"]: node for node in first["Graph"]["Nodes"]}
    [raw_crawl] = nodes["it-wfe-raw"]["CrawlerDetails"]["Crawls"]
    assert raw_crawl["State"] == "SUCCEEDED", raw_crawl.get("ErrorMessage")
    [job_run] = nodes[JOB]["JobDetails"]["JobRuns"]
    assert job_run["JobRunState"] == "SUCCEEDED", job_run.get("ErrorMessage")
    assert first["Statistics"]["SucceededActions"] == 3 == first["Statistics"]["TotalActions"]
    ingest_date = DAY.ingest_date.isoformat()
    parts = _processed_parts()
    loaded = {key.split("/")[0] for key in parts if f"/ingest_date={ingest_date}/" in key}
    expected = {entity for entity, table in DAY.tables.items() if table.num_rows}
    assert expected <= loaded <= set(ENTITIES) | {"quarantine"}
    tables = {t["Name"] for t in daily_workflow.get_tables(DatabaseName="it_wfe_processed")["TableList"]}
    assert expected <= tables

    second = _run_to_completion(daily_workflow)

    assert second["Statistics"]["SucceededActions"] == 3
    assert _processed_parts() == parts
