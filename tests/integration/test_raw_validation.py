"""An upload to a raw bucket with the validation Lambda wired by an S3 notification runs the handler,
from its deployed zip, on the embedded emulator: good objects stay, malformed ones move to rejected/."""

from __future__ import annotations

import io
import json
import time

import boto3
import pytest
from boto3.s3.transfer import TransferConfig
from service_role import allow_all_role

from datagen.batch import generate_day
from datagen.writer import write_batch
from ecomdwh.contracts import ENTITIES
from lambdas.raw_validation.package import HANDLER, build_zip

BUCKET = "it-rawval-raw"
FUNCTION = "it-raw-validation"
ORDERS_HEADER = ",".join(ENTITIES["orders"].column_names)
ORDER_ROW = (
    "1,7,2026-01-01T10:00:00,paid,web,card,1 Main St,Springfield,IL,62701,US,0.00,4.99,2026-01-01T10:00:00"
)


def _eventually(probe, what: str, timeout: float = 60):
    deadline = time.monotonic() + timeout
    while not (found := probe()):
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.3)
    return found


def _verdict_logged(key: str) -> dict | None:
    logs = boto3.client("logs")
    try:
        events = logs.filter_log_events(logGroupName=f"/aws/lambda/{FUNCTION}")["events"]
    except logs.exceptions.ResourceNotFoundException:
        return None
    for event in events:
        if event["message"].startswith("{") and json.loads(event["message"]).get("key") == key:
            return json.loads(event["message"])
    return None


def _exists(key: str) -> bool:
    return "Contents" in boto3.client("s3").list_objects_v2(Bucket=BUCKET, Prefix=key)


@pytest.fixture(scope="module")
def raw_bucket(aws_module_env, tmp_path_factory):
    if aws_module_env.backend != "moto":
        pytest.skip("Lambda execution without Docker is an ecomdwh moto patch")
    role = allow_all_role("it-raw-validation", "lambda.amazonaws.com")
    archive = build_zip(tmp_path_factory.mktemp("lambda") / "raw_validation.zip")
    function_arn = boto3.client("lambda").create_function(
        FunctionName=FUNCTION,
        Runtime="python3.11",
        Role=role,
        Handler=HANDLER,
        Code={"ZipFile": archive.read_bytes()},
        Timeout=60,
    )["FunctionArn"]
    s3 = boto3.client("s3")
    s3.create_bucket(Bucket=BUCKET)
    s3.put_bucket_notification_configuration(
        Bucket=BUCKET,
        NotificationConfiguration={
            "LambdaFunctionConfigurations": [
                {"LambdaFunctionArn": function_arn, "Events": ["s3:ObjectCreated:*"]}
            ]
        },
    )
    yield BUCKET


def test_a_malformed_object_is_moved_to_rejected_with_its_reason(raw_bucket, aws_env):
    key = "orders/ingest_date=2026-01-01/orders-semicolon.csv"
    body = f"{ORDERS_HEADER}\n{ORDER_ROW}\n".replace(",", ";").encode()
    boto3.client("s3").put_object(Bucket=raw_bucket, Key=key, Body=body)

    logged = _eventually(lambda: _verdict_logged(key), f"the log line of {key}")
    assert logged["verdict"] == "rejected" and logged["moved_to"] == f"rejected/{key}"
    s3 = boto3.client("s3")
    assert not _exists(key)
    assert s3.get_object(Bucket=raw_bucket, Key=f"rejected/{key}")["Body"].read() == body
    tags = {
        t["Key"]: t["Value"]
        for t in s3.get_object_tagging(Bucket=raw_bucket, Key=f"rejected/{key}")["TagSet"]
    }
    assert tags["ecomdwh:rejected-rule"] == "delimiter"
    assert tags["ecomdwh:rejected-reason"].startswith("the file is semicolon-separated")
    metrics = boto3.client("cloudwatch").list_metrics(
        Namespace="ecomdwh/RawValidation", MetricName="ObjectsRejected"
    )
    assert {"Name": "Entity", "Value": "orders"} in [d for m in metrics["Metrics"] for d in m["Dimensions"]]


def test_a_good_multipart_upload_passes(raw_bucket, aws_env):
    key = "orders/ingest_date=2026-01-01/orders-big.csv"
    body = (ORDERS_HEADER + "\n" + (ORDER_ROW + "\n") * 60_000).encode()  # ~7 MB, 2 parts
    config = TransferConfig(multipart_threshold=5 * 1024 * 1024, multipart_chunksize=5 * 1024 * 1024)
    boto3.client("s3").upload_fileobj(io.BytesIO(body), raw_bucket, key, Config=config)

    logged = _eventually(lambda: _verdict_logged(key), f"the log line of {key}")
    assert logged["verdict"] == "accepted" and logged["entity"] == "orders" and logged["size"] == len(body)
    assert _exists(key) and not _exists(f"rejected/{key}")


def test_a_datagen_day_with_dirty_rows_is_all_accepted(raw_bucket, aws_env):
    """Row-level dirt is ETL's to quarantine; the Lambda must not reject datagen's files for it."""
    manifest = write_batch(generate_day(0.02, 0, seed=11, dirty_rate=0.05), f"s3://{raw_bucket}")
    keys = [f["key"] for f in manifest["files"]]
    assert keys, "datagen wrote no files"
    verdicts = {key: _eventually(lambda k=key: _verdict_logged(k), f"the log line of {key}") for key in keys}
    assert {key: v["verdict"] for key, v in verdicts.items()} == dict.fromkeys(keys, "accepted")
