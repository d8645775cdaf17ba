"""Glue job runs on the emulator execute the job's script from S3 with the run's arguments."""

from __future__ import annotations

import time

import boto3
import pytest
from service_role import allow_all_role

SCRIPT = b"""
import os, signal, sys, boto3
args = dict(zip(sys.argv[1::2], sys.argv[2::2]))
if args.get("--kill") == "yes":
    print("INFO SparkContext: Running Spark version 3.5.4", file=sys.stderr, flush=True)
    os.kill(os.getpid(), signal.SIGKILL)
if args.get("--fail") == "yes":
    raise ValueError("orders batch 2026-01-02: 40% of rows quarantined, above --max_quarantine_ratio 0.2")
import helper
boto3.client("s3").put_object(Bucket=args["--out_bucket"], Key="out.txt", Body=(args["--greeting"] + helper.SUFFIX).encode())
print("wrote out.txt")
"""


def _wait(glue, job: str, run_id: str, timeout: float = 60) -> dict:
    deadline = time.monotonic() + timeout
    while (run := glue.get_job_run(JobName=job, RunId=run_id)["JobRun"])["JobRunState"] in (
        "STARTING",
        "RUNNING",
    ):
        assert time.monotonic() < deadline, f"job run {run_id} still {run['JobRunState']}"
        time.sleep(0.2)
    return run


@pytest.fixture
def glue_job(aws_env, tmp_path):
    import zipfile

    if reason := aws_env.gap("glue"):
        pytest.skip(reason)
    s3 = boto3.client("s3")
    s3.create_bucket(Bucket="it-glue-scripts")
    s3.put_object(Bucket="it-glue-scripts", Key="jobs/write_greeting.py", Body=SCRIPT)
    libs = tmp_path / "libs.zip"
    with zipfile.ZipFile(libs, "w") as archive:
        archive.writestr("helper.py", 'SUFFIX = "!"\n')
    s3.upload_file(str(libs), "it-glue-scripts", "libs/libs.zip")
    glue = boto3.client("glue")
    glue.create_job(
        Name="it-write-greeting",
        Role=allow_all_role("it-glue-jobs", "glue.amazonaws.com"),
        GlueVersion="5.0",
        Command={"Name": "glueetl", "ScriptLocation": "s3://it-glue-scripts/jobs/write_greeting.py"},
        DefaultArguments={
            "--greeting": "default",
            "--out_bucket": "it-glue-scripts",
            "--extra-py-files": "s3://it-glue-scripts/libs/libs.zip",
        },
        ExecutionProperty={"MaxConcurrentRuns": 1},
    )
    return glue


def test_run_executes_the_script_with_default_and_run_arguments(glue_job):
    run_id = glue_job.start_job_run(JobName="it-write-greeting", Arguments={"--greeting": "hello"})[
        "JobRunId"
    ]
    run = _wait(glue_job, "it-write-greeting", run_id)
    assert run["JobRunState"] == "SUCCEEDED", run.get("ErrorMessage")
    body = boto3.client("s3").get_object(Bucket="it-glue-scripts", Key="out.txt")["Body"].read()
    assert body == b"hello!"
    output = boto3.client("logs").get_log_events(logGroupName="/aws-glue/jobs/output", logStreamName=run_id)
    assert [e["message"] for e in output["events"]] == ["wrote out.txt"]


def test_failing_script_fails_the_run_with_its_error(glue_job):
    run_id = glue_job.start_job_run(JobName="it-write-greeting", Arguments={"--fail": "yes"})["JobRunId"]
    run = _wait(glue_job, "it-write-greeting", run_id)
    assert run["JobRunState"] == "FAILED"
    assert run["ErrorMessage"].startswith("ValueError: orders batch 2026-01-02: 40% of rows quarantined")


def test_a_killed_script_fails_the_run_saying_it_was_killed(glue_job):
    run_id = glue_job.start_job_run(JobName="it-write-greeting", Arguments={"--kill": "yes"})["JobRunId"]
    run = _wait(glue_job, "it-write-greeting", run_id)
    assert run["JobRunState"] == "FAILED"
    assert run["ErrorMessage"].startswith("Job script was killed by SIGKILL"), run["ErrorMessage"]
    assert "INFO" not in run["ErrorMessage"]


def test_concurrent_runs_beyond_the_limit_are_refused(glue_job):
    first = glue_job.start_job_run(JobName="it-write-greeting")["JobRunId"]
    with pytest.raises(glue_job.exceptions.ConcurrentRunsExceededException):
        glue_job.start_job_run(JobName="it-write-greeting")
    _wait(glue_job, "it-write-greeting", first)
