"""The embedded local AWS, started as users start it, talked to through boto3 and the AWS CLI."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import boto3
import pytest
from service_role import allow_all_role

from emulation import launcher, smoke
from emulation.redshift_cluster import create_cluster

REPO_ROOT = Path(__file__).resolve().parents[2]
PART_SIZE = 5 * 1024 * 1024  # S3's minimum multipart part size


def _skip_on_gap(emulator: launcher.Emulator, feature: str) -> None:
    if reason := emulator.gap(feature):
        pytest.skip(f"EMULATOR={emulator.backend}: {reason}")


def _wait_for_execution(sfn, execution_arn: str, timeout: float = 30.0) -> dict:
    deadline = time.monotonic() + timeout
    while (execution := sfn.describe_execution(executionArn=execution_arn))["status"] == "RUNNING":
        assert time.monotonic() < deadline, f"{execution_arn} still RUNNING after {timeout}s"
        time.sleep(0.2)
    return execution


def test_multipart_upload_round_trips_bytes(aws_env):
    s3 = boto3.client("s3")
    s3.create_bucket(Bucket="it-multipart")
    parts = [os.urandom(PART_SIZE), os.urandom(PART_SIZE), b"tail"]
    upload_id = s3.create_multipart_upload(Bucket="it-multipart", Key="big.bin")["UploadId"]
    etags = [
        s3.upload_part(Bucket="it-multipart", Key="big.bin", UploadId=upload_id, PartNumber=n, Body=body)[
            "ETag"
        ]
        for n, body in enumerate(parts, start=1)
    ]
    s3.complete_multipart_upload(
        Bucket="it-multipart",
        Key="big.bin",
        UploadId=upload_id,
        MultipartUpload={"Parts": [{"ETag": e, "PartNumber": n} for n, e in enumerate(etags, start=1)]},
    )
    body = s3.get_object(Bucket="it-multipart", Key="big.bin")["Body"].read()
    assert body == b"".join(parts)


def test_a_bucket_whose_versioning_was_suspended_empties_with_its_delete_markers(aws_env):
    # What Terraform's destroy of a force_destroy bucket does after deleting its objects.
    s3 = boto3.client("s3")
    s3.create_bucket(Bucket="it-suspended")
    s3.put_bucket_versioning(Bucket="it-suspended", VersioningConfiguration={"Status": "Enabled"})
    s3.put_object(Bucket="it-suspended", Key="script.py", Body=b"print(1)")
    s3.delete_object(Bucket="it-suspended", Key="script.py")
    s3.put_bucket_versioning(Bucket="it-suspended", VersioningConfiguration={"Status": "Suspended"})
    listed = s3.list_object_versions(Bucket="it-suspended")
    versions = [
        {"Key": v["Key"], "VersionId": v["VersionId"]}
        for v in listed.get("Versions", []) + listed.get("DeleteMarkers", [])
    ]

    result = s3.delete_objects(Bucket="it-suspended", Delete={"Objects": versions})

    assert not result.get("Errors") and len(result["Deleted"]) == 2
    s3.delete_bucket(Bucket="it-suspended")


def test_state_machine_runs_to_succeeded_with_choice_and_output(aws_env):
    sfn = boto3.client("stepfunctions")
    definition = {
        "StartAt": "Route",
        "States": {
            "Route": {
                "Type": "Choice",
                "Choices": [{"Variable": "$.day", "NumericGreaterThan": 0, "Next": "Incremental"}],
                "Default": "Initial",
            },
            "Initial": {"Type": "Pass", "Result": "initial", "ResultPath": "$.load", "End": True},
            "Incremental": {"Type": "Pass", "Result": "incremental", "ResultPath": "$.load", "End": True},
        },
    }
    arn = sfn.create_state_machine(
        name="it-choice", definition=json.dumps(definition), roleArn="arn:aws:iam::123456789012:role/r"
    )["stateMachineArn"]
    execution_arn = sfn.start_execution(stateMachineArn=arn, input=json.dumps({"day": 2}))["executionArn"]
    execution = _wait_for_execution(sfn, execution_arn)
    assert execution["status"] == "SUCCEEDED"
    assert json.loads(execution["output"]) == {"day": 2, "load": "incremental"}


def test_execution_history_pages_newest_first_on_request(aws_env):
    _skip_on_gap(aws_env, "execution-history-order")
    sfn = boto3.client("stepfunctions")
    definition = {
        "StartAt": "A",
        "States": {"A": {"Type": "Pass", "Next": "B"}, "B": {"Type": "Pass", "End": True}},
    }
    arn = sfn.create_state_machine(
        name="it-history", definition=json.dumps(definition), roleArn="arn:aws:iam::123456789012:role/r"
    )["stateMachineArn"]
    execution_arn = sfn.start_execution(stateMachineArn=arn, input="{}")["executionArn"]
    _wait_for_execution(sfn, execution_arn)

    history = sfn.get_execution_history(executionArn=execution_arn)["events"]
    assert history[-1]["type"] == "ExecutionSucceeded"
    newest = sfn.get_execution_history(executionArn=execution_arn, reverseOrder=True, maxResults=2)
    assert newest["events"] == history[::-1][:2]
    older = sfn.get_execution_history(
        executionArn=execution_arn, reverseOrder=True, maxResults=2, nextToken=newest["nextToken"]
    )
    assert older["events"] == history[::-1][2:4]


def test_executions_started_without_a_name_get_unique_names(aws_env):
    sfn = boto3.client("stepfunctions")
    arn = sfn.create_state_machine(
        name="it-unnamed",
        definition=json.dumps({"StartAt": "A", "States": {"A": {"Type": "Pass", "End": True}}}),
        roleArn="arn:aws:iam::123456789012:role/r",
    )["stateMachineArn"]
    first = sfn.start_execution(stateMachineArn=arn)["executionArn"]
    second = sfn.start_execution(stateMachineArn=arn)["executionArn"]
    assert first != second
    assert _wait_for_execution(sfn, second)["status"] == "SUCCEEDED"


def test_aws_sdk_integration_takes_pascal_case_parameters_as_aws_does(aws_env):
    _skip_on_gap(aws_env, "redshift-data")
    create_cluster("it-sdk", "dev")
    sfn = boto3.client("stepfunctions")
    definition = {
        "StartAt": "Query",
        "States": {
            "Query": {
                "Type": "Task",
                "Resource": "arn:aws:states:::aws-sdk:redshiftdata:executeStatement",
                "Parameters": {
                    "ClusterIdentifier": "it-sdk",
                    "Database": "dev",
                    "DbUser": "awsuser",
                    "Sql": "select cast(:answer as integer) + 1 as answer",
                    "Parameters": [{"Name": "answer", "Value.$": "$.answer"}],
                },
                "End": True,
            }
        },
    }
    arn = sfn.create_state_machine(
        name="it-sdk-casing",
        definition=json.dumps(definition),
        roleArn=allow_all_role("it-sdk-casing", "states.amazonaws.com"),
    )["stateMachineArn"]
    execution_arn = sfn.start_execution(stateMachineArn=arn, input=json.dumps({"answer": "41"}))[
        "executionArn"
    ]
    execution = _wait_for_execution(sfn, execution_arn)
    assert execution["status"] == "SUCCEEDED", execution.get("cause")
    statement_id = json.loads(execution["output"])["Id"]
    data = boto3.client("redshift-data")
    deadline = time.monotonic() + 30
    while data.describe_statement(Id=statement_id)["Status"] not in ("FINISHED", "FAILED"):
        assert time.monotonic() < deadline
        time.sleep(0.1)
    assert data.get_statement_result(Id=statement_id)["Records"] == [[{"longValue": 42}]]


def test_step_functions_calls_terraform_needs(aws_env):
    sfn = boto3.client("stepfunctions")
    good = sfn.validate_state_machine_definition(
        definition=json.dumps({"StartAt": "A", "States": {"A": {"Type": "Pass", "End": True}}})
    )
    bad = sfn.validate_state_machine_definition(definition=json.dumps({"StartAt": "Missing", "States": {}}))
    arn = sfn.create_state_machine(
        name="it-versions",
        definition=json.dumps({"StartAt": "A", "States": {"A": {"Type": "Pass", "End": True}}}),
        roleArn="arn:aws:iam::123456789012:role/r",
    )["stateMachineArn"]
    assert good["result"] == "OK"
    assert bad["result"] == "FAIL" and bad["diagnostics"]
    assert sfn.list_state_machine_versions(stateMachineArn=arn)["stateMachineVersions"] == []


def test_redshift_cluster_reports_the_status_fields_terraform_waits_for(aws_env):
    _skip_on_gap(aws_env, "redshift-terraform-fields")
    redshift = boto3.client("redshift")
    redshift.create_cluster(
        ClusterIdentifier="it-cluster",
        NodeType="ra3.xlplus",
        MasterUsername="admin",
        MasterUserPassword="Example-only-1",  # noqa: S106 - emulator
    )
    cluster = redshift.describe_clusters(ClusterIdentifier="it-cluster")["Clusters"][0]
    assert cluster["ClusterAvailabilityStatus"] == "Available"
    assert cluster["AvailabilityZoneRelocationStatus"] == "disabled"
    assert cluster["MultiAZ"] == "Disabled"


def test_glue_database_and_table_round_trip(aws_env):
    _skip_on_gap(aws_env, "glue")
    glue = boto3.client("glue")
    glue.create_database(DatabaseInput={"Name": "it_raw", "Description": "raw landing"})
    columns = [{"Name": "order_id", "Type": "bigint"}, {"Name": "status", "Type": "string"}]
    glue.create_table(
        DatabaseName="it_raw",
        TableInput={
            "Name": "orders",
            "PartitionKeys": [{"Name": "ingest_date", "Type": "string"}],
            "StorageDescriptor": {"Columns": columns, "Location": "s3://ecomdwh-local-raw/orders/"},
        },
    )
    table = glue.get_table(DatabaseName="it_raw", Name="orders")["Table"]
    assert table["StorageDescriptor"]["Columns"] == columns
    assert table["PartitionKeys"] == [{"Name": "ingest_date", "Type": "string"}]
    assert glue.get_database(Name="it_raw")["Database"]["Description"] == "raw landing"


def test_aws_cli_lists_buckets_through_the_env_file(aws_endpoint, tmp_path):
    boto3.client("s3", **_client_kwargs(aws_endpoint)).create_bucket(Bucket="it-cli")
    env_file = launcher.write_env_file(
        launcher.Emulator(aws_endpoint.backend, aws_endpoint.host, aws_endpoint.port, tmp_path)
    )
    listing = subprocess.run(
        ["bash", "-c", f"set -a; . {env_file}; set +a; {Path(sys.executable).parent / 'aws'} s3 ls"],
        capture_output=True,
        text=True,
        check=True,
        env={"PATH": os.environ["PATH"], "HOME": str(tmp_path)},
    )
    assert "it-cli" in listing.stdout


def test_smoke_command_passes_against_the_emulator(aws_env):
    result = subprocess.run(
        [str(Path(sys.executable).parent / "ecomdwh"), "local", "smoke"],
        capture_output=True,
        text=True,
        cwd=REPO_ROOT,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    supported = [name for name in smoke.CHECKS if not aws_env.gap(name)]
    assert result.stdout.count("ok ") == len(supported)


def _client_kwargs(emulator: launcher.Emulator) -> dict:
    env = emulator.sdk_environment()
    return {
        "endpoint_url": env["AWS_ENDPOINT_URL"],
        "region_name": env["AWS_DEFAULT_REGION"],
        "aws_access_key_id": env["AWS_ACCESS_KEY_ID"],
        "aws_secret_access_key": env["AWS_SECRET_ACCESS_KEY"],
    }


@pytest.fixture
def own_emulator(tmp_path):
    """A separate emulator process of the chosen backend, which this test may stop and restart."""
    state_dir = tmp_path / "state"
    backend = os.environ.get("EMULATOR", "moto")
    yield backend, state_dir, launcher.free_port()
    launcher.stop(state_dir)


def test_restart_keeps_buckets_objects_and_catalog(own_emulator):
    backend, state_dir, port = own_emulator
    emulator, started = launcher.start(backend=backend, port=port, state_dir=state_dir)
    _skip_on_gap(emulator, "persistence")
    assert started
    s3 = boto3.client("s3", **_client_kwargs(emulator))
    s3.create_bucket(Bucket="it-persist")
    s3.put_object(Bucket="it-persist", Key="orders/part-0.csv", Body=b"order_id\n1\n")
    glue = boto3.client("glue", **_client_kwargs(emulator))
    glue.create_database(DatabaseInput={"Name": "it_persist"})

    launcher.stop(state_dir)
    assert launcher.read_status(state_dir) is None
    emulator, started = launcher.start(backend=backend, port=port, state_dir=state_dir)

    assert started
    s3 = boto3.client("s3", **_client_kwargs(emulator))
    assert s3.get_object(Bucket="it-persist", Key="orders/part-0.csv")["Body"].read() == b"order_id\n1\n"
    glue = boto3.client("glue", **_client_kwargs(emulator))
    assert glue.get_database(Name="it_persist")["Database"]["Name"] == "it_persist"


def test_starting_twice_is_harmless_and_listens_on_loopback_only(own_emulator):
    backend, state_dir, port = own_emulator
    first, started_first = launcher.start(backend=backend, port=port, state_dir=state_dir)
    second, started_second = launcher.start(backend=backend, port=port, state_dir=state_dir)
    assert started_first and not started_second
    assert second.pid == first.pid
    assert _listening_addresses(port) == {"127.0.0.1"}


def test_port_taken_by_another_process_is_a_clear_error(own_emulator, tmp_path):
    import socket

    backend, _, port = own_emulator
    with socket.socket() as squatter:
        squatter.bind(("127.0.0.1", port))
        squatter.listen()
        with pytest.raises(launcher.EmulatorError, match=f"port {port} .* already in use.*PORT="):
            launcher.start(backend=backend, port=port, state_dir=tmp_path / "other")


def _listening_addresses(port: int) -> set[str]:
    """IPv4 addresses with a socket in LISTEN state on `port`, read from /proc/net/tcp."""
    addresses = set()
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        local, state = line.split()[1], line.split()[3]
        hex_ip, hex_port = local.split(":")
        if state == "0A" and int(hex_port, 16) == port:
            addresses.add(".".join(str(int(hex_ip[i : i + 2], 16)) for i in (6, 4, 2, 0)))
    return addresses
