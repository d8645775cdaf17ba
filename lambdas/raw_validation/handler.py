"""Lambda: validates each object created in the raw bucket against its entity's contract.

Invoked by the raw bucket's s3:ObjectCreated:* notification. An object that fails a rule is moved to
`rejected/<original key>` (copied, tagged `ecomdwh:rejected-reason` and `ecomdwh:rejected-rule`, then
deleted), so ETL, which reads only `<entity>/ingest_date=.../`, never sees it. Every verdict is logged
as one JSON line and counted in CloudWatch (namespace ecomdwh/RawValidation, metrics ObjectsAccepted and
ObjectsRejected, dimension Entity).

Environment: RAW_VALIDATION_MAX_BYTES (largest accepted object, default 5 GiB).
"""

from __future__ import annotations

import json
import os
import re
from typing import Any
from urllib.parse import unquote_plus

import boto3
from botocore.exceptions import ClientError

from .rules import Verdict, is_ignored, validate

SAMPLE_BYTES = 64 * 1024
DEFAULT_MAX_BYTES = 5 * 1024**3
REJECTED_PREFIX = "rejected/"
METRIC_NAMESPACE = "ecomdwh/RawValidation"
UNKNOWN_ENTITY = "unknown"
TAG_VALUE_LIMIT = 256
TAG_UNSAFE = re.compile(r"[^\w\s.:/=+\-@]")


def tag_value(text: str) -> str:
    """S3 tag values allow letters, digits, spaces and `_ . : / = + - @`, up to 256 characters."""
    return re.sub(r"\s+", " ", TAG_UNSAFE.sub(" ", text)).strip()[:TAG_VALUE_LIMIT]


def _sample(s3: Any, bucket: str, key: str, size: int) -> bytes:
    if size == 0:
        return b""
    return s3.get_object(Bucket=bucket, Key=key, Range=f"bytes=0-{SAMPLE_BYTES - 1}")["Body"].read()


def _reject(s3: Any, bucket: str, key: str, verdict: Verdict) -> str:
    target = REJECTED_PREFIX + key
    s3.copy({"Bucket": bucket, "Key": key}, bucket, target)
    s3.put_object_tagging(
        Bucket=bucket,
        Key=target,
        Tagging={
            "TagSet": [
                {"Key": "ecomdwh:rejected-reason", "Value": tag_value(verdict.reason)},
                {"Key": "ecomdwh:rejected-rule", "Value": verdict.rule or ""},
            ]
        },
    )
    s3.delete_object(Bucket=bucket, Key=key)
    return target


def _metric(verdict: Verdict) -> dict[str, Any]:
    return {
        "MetricName": "ObjectsAccepted" if verdict.accepted else "ObjectsRejected",
        "Dimensions": [{"Name": "Entity", "Value": verdict.entity or UNKNOWN_ENTITY}],
        "Value": 1,
        "Unit": "Count",
    }


def validate_object(s3: Any, bucket: str, key: str, max_bytes: int) -> dict[str, Any] | None:
    """Validates one object; None when it is gone (overwritten or moved before this event arrived)."""
    try:
        size = s3.head_object(Bucket=bucket, Key=key)["ContentLength"]
    except ClientError as exc:
        if exc.response["Error"]["Code"] in ("404", "NoSuchKey", "NotFound"):
            return None
        raise
    verdict = validate(key, size, _sample(s3, bucket, key, size), max_bytes=max_bytes)
    outcome: dict[str, Any] = {"bucket": bucket, "key": key, "entity": verdict.entity, "size": size}
    if verdict.accepted:
        outcome["verdict"] = "accepted"
    else:
        target = _reject(s3, bucket, key, verdict)
        outcome |= {"verdict": "rejected", "rule": verdict.rule, "reason": verdict.reason, "moved_to": target}
    outcome["metric"] = _metric(verdict)
    return outcome


def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    s3 = boto3.client("s3")
    max_bytes = int(os.environ.get("RAW_VALIDATION_MAX_BYTES", DEFAULT_MAX_BYTES))
    outcomes = []
    for record in event.get("Records", []):
        bucket = record["s3"]["bucket"]["name"]
        key = unquote_plus(record["s3"]["object"]["key"])
        if is_ignored(key):
            continue
        outcome = validate_object(s3, bucket, key, max_bytes)
        if outcome is None:
            print(json.dumps({"bucket": bucket, "key": key, "verdict": "gone"}))
            continue
        print(json.dumps({k: v for k, v in outcome.items() if k != "metric"}))
        outcomes.append(outcome)
    if outcomes:
        boto3.client("cloudwatch").put_metric_data(
            Namespace=METRIC_NAMESPACE, MetricData=[outcome.pop("metric") for outcome in outcomes]
        )
    return {"objects": outcomes}
