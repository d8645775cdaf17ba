"""IAM enforced on the emulator: a Glue job run, a Lambda invocation and a state machine's service calls
run with their role's session, so a permission missing from the role fails the run with AccessDenied
naming the action, and restoring it lets the same run pass. The admin key (Terraform's, the CLI's)
stays root; an unknown key is refused.
"""

from __future__ import annotations

import io
import json
import time
import zipfile
from collections.abc import Iterator
from typing import Any

import boto3
import pytest
import requests
from botocore.exceptions import ClientError

from emulation import launcher, service_roles

ACCOUNT = "123456789012"
BUCKET = "it-iam-enforced"
TOPIC = "it-iam-alerts"


def _trust(service: str) -> str:
    statement = {"Effect": "Allow", "Principal": {"Service": service}, "Action": "sts:AssumeRole"}
    return json.dumps({"Version": "2012-10-17", "Statement": [statement]})


def _policy(*statements: tuple[str, str, str]) -> str:
    return json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [
                {"Sid": sid, "Effect": "Allow", "Action": a, "Resource": r} for sid, a, r in statements
            ],
        }
    )


def _role(name: str, service: str, *statements: tuple[str, str, str]) -> str:
    iam = boto3.client("iam")
    arn = iam.create_role(RoleName=name, AssumeRolePolicyDocument=_trust(service))["Role"]["Arn"]
    iam.put_role_policy(RoleName=name, PolicyName="run", PolicyDocument=_policy(*statements))
    return arn


def _grant(role: str, *statements: tuple[str, str, str]) -> None:
    boto3.client("iam").put_role_policy(RoleName=role, PolicyName="run", PolicyDocument=_policy(*statements))


def _until(probe: Any, what: str, timeout: float = 90) -> Any:
    deadline = time.monotonic() + timeout
    while (result := probe()) is None:
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.3)
    return result


@pytest.fixture(scope="module")
def enforced(tmp_path_factory: pytest.TempPathFactory) -> Iterator[launcher.Emulator]:
    """An emulator of its own with IAM enforcement explicitly on, whatever the default."""
    state_dir = tmp_path_factory.mktemp("iam-emulator")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(service_roles.ENFORCED_ENV, "1")
        emulator, _ = launcher.start(port=launcher.free_port(), state_dir=state_dir)
        try:
            for key, value in emulator.sdk_environment().items():
                patch.setenv(key, value)
            boto3.client("s3").create_bucket(Bucket=BUCKET)
            yield emulator
        finally:
            launcher.stop(state_dir)


def test_the_admin_key_is_root_and_unknown_or_missing_signatures_are_refused(enforced):
    assert boto3.client("sts").get_caller_identity()["Arn"].startswith("arn:aws:")
    boto3.client("glue").get_databases()
    stranger = boto3.client("s3", aws_access_key_id="AKIAUNKNOWN000000000", aws_secret_access_key="x")
    with pytest.raises(ClientError) as refused:
        stranger.list_objects_v2(Bucket=BUCKET)
    assert refused.value.response["Error"]["Code"] == "InvalidAccessKeyId"
    anonymous = requests.get(f"{enforced.endpoint_url}/{BUCKET}/any.csv", timeout=30)
    assert anonymous.status_code == 403
    assert "Anonymous (unsigned) requests are refused: GET /it-iam-enforced/any.csv" in anonymous.text


GLUE_SCRIPT = b"""
import boto3, sys
args = dict(zip(sys.argv[1::2], sys.argv[2::2]))
boto3.client("s3").put_object(Bucket=args["--bucket"], Key="glue/out.txt", Body=b"written as the job's role")
"""


def _run_job(glue: Any, job: str) -> dict[str, Any]:
    run_id = glue.start_job_run(JobName=job)["JobRunId"]

    def finished() -> dict[str, Any] | None:
        run = glue.get_job_run(JobName=job, RunId=run_id)["JobRun"]
        return None if run["JobRunState"] in ("STARTING", "RUNNING") else run

    return _until(finished, f"job run {run_id}")


def test_a_glue_job_runs_as_its_role(enforced):
    s3, glue = boto3.client("s3"), boto3.client("glue")
    s3.put_object(Bucket=BUCKET, Key="scripts/job.py", Body=GLUE_SCRIPT)
    read = ("ReadScript", "s3:GetObject", f"arn:aws:s3:::{BUCKET}/scripts/*")
    write = ("WriteOutput", "s3:PutObject", f"arn:aws:s3:::{BUCKET}/glue/*")
    _role("it-iam-glue", "glue.amazonaws.com", read)
    glue.create_job(
        Name="it-iam-job",
        Role=f"arn:aws:iam::{ACCOUNT}:role/it-iam-glue",
        GlueVersion="5.0",
        Command={"Name": "pythonshell", "ScriptLocation": f"s3://{BUCKET}/scripts/job.py"},
        DefaultArguments={"--bucket": BUCKET},
    )

    denied = _run_job(glue, "it-iam-job")
    assert denied["JobRunState"] == "FAILED"
    assert "AccessDenied" in denied["ErrorMessage"]
    assert f"s3:PutObject on resource: arn:aws:s3:::{BUCKET}/glue/out.txt" in denied["ErrorMessage"]
    assert "assumed-role/it-iam-glue/" in denied["ErrorMessage"]

    _grant("it-iam-glue", read, write)
    assert _run_job(glue, "it-iam-job")["JobRunState"] == "SUCCEEDED"
    assert s3.get_object(Bucket=BUCKET, Key="glue/out.txt")["Body"].read() == b"written as the job's role"


def test_a_glue_job_whose_role_does_not_trust_glue_fails_naming_role_and_service(enforced):
    glue = boto3.client("glue")
    _role("it-iam-not-glue", "lambda.amazonaws.com", ("Any", "s3:*", "*"))
    glue.create_job(
        Name="it-iam-untrusted",
        Role=f"arn:aws:iam::{ACCOUNT}:role/it-iam-not-glue",
        Command={"Name": "pythonshell", "ScriptLocation": f"s3://{BUCKET}/scripts/job.py"},
    )
    run = _run_job(glue, "it-iam-untrusted")
    assert run["JobRunState"] == "FAILED"
    assert "glue.amazonaws.com cannot assume role" in run["ErrorMessage"]
    assert "it-iam-not-glue" in run["ErrorMessage"]


LAMBDA_CODE = """
import boto3

def handler(event, context):
    key = event["Records"][0]["s3"]["object"]["key"]
    boto3.client("s3").put_object(Bucket="BUCKET", Key="lambda-out/" + key.rsplit("/", 1)[-1], Body=b"seen")
""".replace("BUCKET", BUCKET)


def _invocation_lines(function: str, count: int) -> list[list[str]]:
    """The log lines of each of the function's first `count` invocations, once all are logged."""
    logs = boto3.client("logs")

    def logged() -> list[list[str]] | None:
        try:
            streams = logs.describe_log_streams(logGroupName=f"/aws/lambda/{function}")["logStreams"]
        except logs.exceptions.ResourceNotFoundException:
            return None
        if len(streams) < count:
            return None
        group = f"/aws/lambda/{function}"
        return [
            [
                e["message"]
                for e in logs.get_log_events(logGroupName=group, logStreamName=s["logStreamName"])["events"]
            ]
            for s in streams
        ]

    return _until(logged, f"{count} invocation(s) of {function}")


def test_a_lambda_runs_as_its_execution_role(enforced):
    s3 = boto3.client("s3")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("fn.py", LAMBDA_CODE)
    role = _role(
        "it-iam-lambda", "lambda.amazonaws.com", ("Read", "s3:GetObject", f"arn:aws:s3:::{BUCKET}/*")
    )
    arn = boto3.client("lambda").create_function(
        FunctionName="it-iam-fn",
        Runtime="python3.11",
        Role=role,
        Handler="fn.handler",
        Timeout=60,  # a loaded CI machine takes seconds to import boto3
        Code={"ZipFile": buffer.getvalue()},
    )["FunctionArn"]
    s3.put_bucket_notification_configuration(
        Bucket=BUCKET,
        NotificationConfiguration={
            "LambdaFunctionConfigurations": [
                {
                    "LambdaFunctionArn": arn,
                    "Events": ["s3:ObjectCreated:Put"],
                    "Filter": {"Key": {"FilterRules": [{"Name": "prefix", "Value": "lambda-in/"}]}},
                }
            ]
        },
    )

    s3.put_object(Bucket=BUCKET, Key="lambda-in/first.csv", Body=b"x")
    (denied,) = _invocation_lines("it-iam-fn", 1)
    assert any(
        line.startswith("[ERROR] ")
        and "(AccessDenied) when calling the PutObject operation" in line
        and f"s3:PutObject on resource: arn:aws:s3:::{BUCKET}/lambda-out/first.csv" in line
        for line in denied
    ), denied

    _grant("it-iam-lambda", ("Write", "s3:PutObject", f"arn:aws:s3:::{BUCKET}/lambda-out/*"))
    s3.put_object(Bucket=BUCKET, Key="lambda-in/second.csv", Body=b"x")
    _invocation_lines("it-iam-fn", 2)
    assert s3.get_object(Bucket=BUCKET, Key="lambda-out/second.csv")["Body"].read() == b"seen"


def _execute(sfn: Any, machine: str) -> dict[str, Any]:
    execution = sfn.start_execution(stateMachineArn=machine)["executionArn"]

    def finished() -> dict[str, Any] | None:
        described = sfn.describe_execution(executionArn=execution)
        return None if described["status"] == "RUNNING" else described

    return _until(finished, f"execution {execution}")


def test_a_state_machines_service_calls_run_as_its_role(enforced):
    topic = boto3.client("sns").create_topic(Name=TOPIC)["TopicArn"]
    role = _role("it-iam-pipeline", "states.amazonaws.com", ("Other", "sns:ListTopics", "*"))
    definition = {
        "StartAt": "Notify",
        "States": {
            "Notify": {
                "Type": "Task",
                "Resource": "arn:aws:states:::sns:publish",
                "Parameters": {"TopicArn": topic, "Message": "pipeline finished"},
                "End": True,
            }
        },
    }
    sfn = boto3.client("stepfunctions")
    machine = sfn.create_state_machine(
        name="it-iam-machine", definition=json.dumps(definition), roleArn=role
    )["stateMachineArn"]

    denied = _execute(sfn, machine)
    assert denied["status"] == "FAILED"
    assert "AccessDenied" in denied.get("cause", "") + denied.get("error", "")
    assert f"sns:Publish on resource: {topic}" in denied["cause"]

    _grant("it-iam-pipeline", ("Notify", "sns:Publish", topic))
    assert _execute(sfn, machine)["status"] == "SUCCEEDED"
