"""A Glue workflow run on the emulator fires its triggers in order: crawler -> job -> crawler, each
executed for real, and GetWorkflowRun reports per-node status."""

from __future__ import annotations

import time

import boto3
import pytest
from service_role import allow_all_role

ROLE = "arn:aws:iam::123456789012:role/glue"
RAW, PROCESSED, SCRIPTS = "it-wf-raw", "it-wf-processed", "it-wf-scripts"
WORKFLOW = "it-daily"
# A tiny job in the shape of ours: reads the day from the workflow run's properties, as Glue jobs do.
SCRIPT = b"""
import sys, boto3
args = dict(zip(sys.argv[1::2], sys.argv[2::2]))
day = boto3.client("glue").get_workflow_run_properties(
    Name=args["--WORKFLOW_NAME"], RunId=args["--WORKFLOW_RUN_ID"])["RunProperties"]["ingest_date"]
if day == "1999-01-01":
    raise ValueError(f"no raw data for ingest_date={day}")
s3 = boto3.client("s3")
body = s3.get_object(Bucket=args["--raw_bucket"], Key=f"orders/ingest_date={day}/orders.csv")["Body"].read()
s3.put_object(Bucket=args["--processed_bucket"], Key=f"orders/ingest_date={day}/part-0.csv", Body=body.upper())
"""


def _wait_completed(glue, run_id: str, timeout: float = 120) -> dict:
    deadline = time.monotonic() + timeout
    while (run := glue.get_workflow_run(Name=WORKFLOW, RunId=run_id, IncludeGraph=True)["Run"])[
        "Status"
    ] == "RUNNING":
        assert time.monotonic() < deadline, f"workflow run {run_id} still RUNNING: {run['Statistics']}"
        time.sleep(0.5)
    return run


@pytest.fixture(scope="module")
def workflow(aws_module_env):
    if reason := aws_module_env.gap("glue"):
        pytest.skip(reason)
    s3, glue = boto3.client("s3"), boto3.client("glue")
    for bucket in (RAW, PROCESSED, SCRIPTS):
        s3.create_bucket(Bucket=bucket)
    s3.put_object(
        Bucket=RAW,
        Key="orders/ingest_date=2026-01-01/orders.csv",
        Body=b"order_id,status\n1,paid\n2,shipped\n",
    )
    s3.put_object(Bucket=SCRIPTS, Key="jobs/load_day.py", Body=SCRIPT)
    for database in ("it_wf_raw", "it_wf_processed"):
        glue.create_database(DatabaseInput={"Name": database})
    for name, bucket, database in (
        ("it-wf-raw", RAW, "it_wf_raw"),
        ("it-wf-processed", PROCESSED, "it_wf_processed"),
    ):
        glue.create_crawler(
            Name=name,
            Role=ROLE,
            DatabaseName=database,
            Targets={"S3Targets": [{"Path": f"s3://{bucket}/"}]},
        )
    glue.create_job(
        Name="it-wf-load-day",
        Role=allow_all_role("glue", "glue.amazonaws.com"),
        GlueVersion="5.0",
        Command={"Name": "glueetl", "ScriptLocation": f"s3://{SCRIPTS}/jobs/load_day.py"},
        DefaultArguments={"--raw_bucket": RAW, "--processed_bucket": PROCESSED},
    )
    glue.create_workflow(Name=WORKFLOW, DefaultRunProperties={"ingest_date": "2026-01-01"})
    glue.create_trigger(
        Name="it-wf-start",
        WorkflowName=WORKFLOW,
        Type="SCHEDULED",
        Schedule="cron(0 2 * * ? *)",
        Actions=[{"CrawlerName": "it-wf-raw"}],
    )
    glue.create_trigger(
        Name="it-wf-after-raw-crawl",
        WorkflowName=WORKFLOW,
        Type="CONDITIONAL",
        StartOnCreation=True,
        Predicate={
            "Logical": "AND",
            "Conditions": [
                {"LogicalOperator": "EQUALS", "CrawlerName": "it-wf-raw", "CrawlState": "SUCCEEDED"}
            ],
        },
        Actions=[{"JobName": "it-wf-load-day"}],
    )
    glue.create_trigger(
        Name="it-wf-after-load",
        WorkflowName=WORKFLOW,
        Type="CONDITIONAL",
        StartOnCreation=True,
        Predicate={
            "Logical": "ANY",
            "Conditions": [{"LogicalOperator": "EQUALS", "JobName": "it-wf-load-day", "State": "SUCCEEDED"}],
        },
        Actions=[{"CrawlerName": "it-wf-processed"}],
    )
    yield glue


def _nodes(run: dict) -> dict[str, dict]:
    return {node["Name"]: node for node in run["Graph"]["Nodes"]}


def test_a_run_loads_the_day_and_reports_each_node(workflow, aws_env):
    run_id = workflow.start_workflow_run(Name=WORKFLOW)["RunId"]
    run = _wait_completed(workflow, run_id)

    assert run["Status"] == "COMPLETED"
    assert run["Statistics"]["TotalActions"] == 3 and run["Statistics"]["SucceededActions"] == 3
    nodes = _nodes(run)
    assert [c["State"] for c in nodes["it-wf-raw"]["CrawlerDetails"]["Crawls"]] == ["SUCCEEDED"]
    job_runs = nodes["it-wf-load-day"]["JobDetails"]["JobRuns"]
    assert [(r["JobRunState"], r["TriggerName"]) for r in job_runs] == [
        ("SUCCEEDED", "it-wf-after-raw-crawl")
    ]
    assert job_runs[0]["Arguments"]["--WORKFLOW_RUN_ID"] == run_id
    assert [c["State"] for c in nodes["it-wf-processed"]["CrawlerDetails"]["Crawls"]] == ["SUCCEEDED"]
    assert {"SourceId": "crawler-it-wf-raw", "DestinationId": "trigger-it-wf-after-raw-crawl"} in run[
        "Graph"
    ]["Edges"]
    body = boto3.client("s3").get_object(Bucket=PROCESSED, Key="orders/ingest_date=2026-01-01/part-0.csv")[
        "Body"
    ]
    assert body.read() == b"ORDER_ID,STATUS\n1,PAID\n2,SHIPPED\n"
    tables = workflow.get_tables(DatabaseName="it_wf_processed")["TableList"]
    assert [t["Name"] for t in tables] == ["orders"]


def test_a_failed_job_stops_the_chain_and_is_counted(workflow, aws_env):
    run_id = workflow.start_workflow_run(Name=WORKFLOW, RunProperties={"ingest_date": "1999-01-01"})["RunId"]
    run = _wait_completed(workflow, run_id)

    assert run["Status"] == "COMPLETED"
    assert {k: run["Statistics"][k] for k in ("TotalActions", "SucceededActions", "FailedActions")} == {
        "TotalActions": 2,
        "SucceededActions": 1,
        "FailedActions": 1,
    }
    nodes = _nodes(run)
    [job_run] = nodes["it-wf-load-day"]["JobDetails"]["JobRuns"]
    assert job_run["JobRunState"] == "FAILED"
    assert "no raw data for ingest_date=1999-01-01" in job_run["ErrorMessage"]
    assert nodes["it-wf-processed"]["CrawlerDetails"]["Crawls"] == []


def test_get_workflow_shows_the_static_graph(workflow, aws_env):
    graph = workflow.get_workflow(Name=WORKFLOW, IncludeGraph=True)["Workflow"]["Graph"]
    assert sorted((n["Type"], n["Name"]) for n in graph["Nodes"]) == [
        ("CRAWLER", "it-wf-processed"),
        ("CRAWLER", "it-wf-raw"),
        ("JOB", "it-wf-load-day"),
        ("TRIGGER", "it-wf-after-load"),
        ("TRIGGER", "it-wf-after-raw-crawl"),
        ("TRIGGER", "it-wf-start"),
    ]
