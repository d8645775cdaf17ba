"""A quick end-to-end check of a running local AWS: S3, Glue catalog and Step Functions.

Each check creates its own uniquely named resources and removes them afterwards, so the smoke test
can run against a stack that holds real data.
"""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Callable

import boto3

from emulation.launcher import BACKEND_GAPS

PASS_MACHINE = {
    "Comment": "smoke: two Pass states",
    "StartAt": "Hello",
    "States": {
        "Hello": {"Type": "Pass", "Result": {"greeting": "hello"}, "Next": "World"},
        "World": {"Type": "Pass", "End": True},
    },
}
SMOKE_ROLE_ARN = "arn:aws:iam::123456789012:role/ecomdwh-smoke"


def check_s3(suffix: str) -> str:
    s3 = boto3.client("s3")
    bucket = f"ecomdwh-smoke-{suffix}"
    s3.create_bucket(Bucket=bucket)
    try:
        s3.put_object(Bucket=bucket, Key="hello.txt", Body=b"hello")
        body = s3.get_object(Bucket=bucket, Key="hello.txt")["Body"].read()
        if body != b"hello":
            raise AssertionError(f"s3://{bucket}/hello.txt read back {body!r}")
    finally:
        s3.delete_object(Bucket=bucket, Key="hello.txt")
        s3.delete_bucket(Bucket=bucket)
    return "put, get and delete an object"


def check_glue(suffix: str) -> str:
    glue = boto3.client("glue")
    database = f"ecomdwh_smoke_{suffix}"
    glue.create_database(DatabaseInput={"Name": database})
    try:
        glue.create_table(
            DatabaseName=database,
            TableInput={"Name": "t", "StorageDescriptor": {"Columns": [{"Name": "id", "Type": "bigint"}]}},
        )
        columns = glue.get_table(DatabaseName=database, Name="t")["Table"]["StorageDescriptor"]["Columns"]
        if columns != [{"Name": "id", "Type": "bigint"}]:
            raise AssertionError(f"glue table {database}.t read back columns {columns}")
    finally:
        glue.delete_database(Name=database)
    return "create and read a catalog database and table"


def check_step_functions(suffix: str, timeout: float = 30.0) -> str:
    sfn = boto3.client("stepfunctions")
    machine_arn = sfn.create_state_machine(
        name=f"ecomdwh-smoke-{suffix}", definition=json.dumps(PASS_MACHINE), roleArn=SMOKE_ROLE_ARN
    )["stateMachineArn"]
    try:
        execution_arn = sfn.start_execution(stateMachineArn=machine_arn, input="{}")["executionArn"]
        deadline = time.monotonic() + timeout
        while (status := sfn.describe_execution(executionArn=execution_arn)["status"]) == "RUNNING":
            if time.monotonic() > deadline:
                raise AssertionError(f"execution {execution_arn} still RUNNING after {timeout:.0f}s")
            time.sleep(0.2)
        if status != "SUCCEEDED":
            raise AssertionError(f"execution {execution_arn} ended {status}")
    finally:
        sfn.delete_state_machine(stateMachineArn=machine_arn)
    return "run a state machine to SUCCEEDED"


CHECKS: dict[str, Callable[[str], str]] = {
    "s3": check_s3,
    "glue": check_glue,
    "stepfunctions": check_step_functions,
}


def run_all(backend: str = "moto") -> dict[str, str]:
    """Runs every check the backend supports; returns what each verified (or why it was skipped).
    Raises on the first failure."""
    suffix = uuid.uuid4().hex[:8]
    gaps = BACKEND_GAPS[backend]
    return {
        name: f"skipped: {gaps[name]}" if name in gaps else check(suffix) for name, check in CHECKS.items()
    }
