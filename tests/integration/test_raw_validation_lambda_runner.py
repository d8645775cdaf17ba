"""The emulator's Lambda runner reports a function's failure and timeout the way Lambda logs them."""

from __future__ import annotations

import io
import time
import zipfile

import boto3
import pytest
from service_role import allow_all_role

CODE = """
import time

def fail(event, context):
    raise ValueError(f"cannot validate {event['Records'][0]['s3']['object']['key']}")

def sleep(event, context):
    time.sleep(30)
"""
BUCKET = "it-lambda-runner"


def _zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("fn.py", CODE)
    return buffer.getvalue()


def _log_lines(function: str, timeout: float = 60) -> list[str]:
    logs = boto3.client("logs")
    deadline = time.monotonic() + timeout
    while True:
        try:
            events = logs.filter_log_events(logGroupName=f"/aws/lambda/{function}")["events"]
        except logs.exceptions.ResourceNotFoundException:
            events = []
        if any(e["message"].startswith("REPORT RequestId") for e in events):
            return [e["message"] for e in events]
        assert time.monotonic() < deadline, f"no invocation of {function} logged"
        time.sleep(0.3)


@pytest.fixture(scope="module")
def functions(aws_module_env):
    if aws_module_env.backend != "moto":
        pytest.skip("Lambda execution without Docker is an ecomdwh moto patch")
    yield _deploy()


def _deploy():
    role = allow_all_role("it-lambda-runner", "lambda.amazonaws.com")
    awslambda, s3 = boto3.client("lambda"), boto3.client("s3")
    s3.create_bucket(Bucket=BUCKET)
    configurations = []
    for name, handler, prefix, timeout in (
        ("it-runner-fail", "fn.fail", "fail/", 30),
        ("it-runner-sleep", "fn.sleep", "sleep/", 1),
    ):
        arn = awslambda.create_function(
            FunctionName=name,
            Runtime="python3.11",
            Role=role,
            Handler=handler,
            Code={"ZipFile": _zip()},
            Timeout=timeout,
        )["FunctionArn"]
        configurations.append(
            {
                "LambdaFunctionArn": arn,
                "Events": ["s3:ObjectCreated:Put"],
                "Filter": {"Key": {"FilterRules": [{"Name": "prefix", "Value": prefix}]}},
            }
        )
    s3.put_bucket_notification_configuration(
        Bucket=BUCKET, NotificationConfiguration={"LambdaFunctionConfigurations": configurations}
    )
    return s3


def test_an_exception_is_logged_as_lambda_logs_it(functions, aws_env):
    functions.put_object(Bucket=BUCKET, Key="fail/a b.csv", Body=b"x")
    lines = _log_lines("it-runner-fail")
    assert "[ERROR] ValueError: cannot validate fail/a+b.csv" in lines
    assert lines[0].startswith("START RequestId: ") and lines[-1].startswith("REPORT RequestId: ")


def test_a_function_past_its_timeout_is_stopped(functions, aws_env):
    functions.put_object(Bucket=BUCKET, Key="sleep/x.csv", Body=b"x")
    lines = _log_lines("it-runner-sleep")
    assert "Task timed out after 1.00 seconds" in lines
