"""Small S3 helpers over boto3 (which finds the emulator itself through AWS_ENDPOINT_URL)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import boto3


def client() -> Any:
    # Not cached: the endpoint comes from the environment at call time (tests switch emulators).
    return boto3.client("s3")


def uri(bucket: str, key: str = "") -> str:
    """The s3:// URI Spark reads and writes (S3A locally, EMRFS in Glue)."""
    return f"s3://{bucket}/{key}"


def list_keys(bucket: str, prefix: str) -> Iterator[str]:
    for page in client().get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=prefix):
        yield from (obj["Key"] for obj in page.get("Contents", []))


def list_subfolders(bucket: str, prefix: str) -> list[str]:
    """Names of the folders directly under `prefix` (which ends with /)."""
    pages = client().get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=prefix, Delimiter="/")
    return [p["Prefix"][len(prefix) :].rstrip("/") for page in pages for p in page.get("CommonPrefixes", [])]


def get_json(bucket: str, key: str) -> Any | None:
    """The JSON document at the key, or None when there is none."""
    s3 = client()
    try:
        body = s3.get_object(Bucket=bucket, Key=key)["Body"].read()
    except s3.exceptions.NoSuchKey:
        return None
    return json.loads(body)


def put_json(bucket: str, key: str, document: Any) -> None:
    body = json.dumps(document, indent=2, sort_keys=True, default=str).encode()
    client().put_object(Bucket=bucket, Key=key, Body=body, ContentType="application/json")


def copy(bucket: str, source_key: str, dest_key: str) -> None:
    client().copy_object(Bucket=bucket, Key=dest_key, CopySource={"Bucket": bucket, "Key": source_key})


def delete(bucket: str, keys: list[str]) -> None:
    s3 = client()
    for start in range(0, len(keys), 1000):  # the DeleteObjects limit
        chunk = [{"Key": key} for key in keys[start : start + 1000]]
        s3.delete_objects(Bucket=bucket, Delete={"Objects": chunk, "Quiet": True})
