"""Small S3 helpers over boto3 (which finds the emulator itself through AWS_ENDPOINT_URL)."""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Iterator
from typing import Any

import boto3

# What the SDK reads from the environment; a change (tests switch emulators) means a new client.
_CLIENT_ENVIRONMENT = ("AWS_ENDPOINT_URL", "AWS_ACCESS_KEY_ID", "AWS_REGION", "AWS_DEFAULT_REGION")
_per_thread = threading.local()


def client() -> Any:
    """This thread's S3 client: boto3 sessions are not thread-safe, and a client costs milliseconds to
    build, which a batch's many small requests would pay each time."""
    environment = tuple(os.environ.get(name) for name in _CLIENT_ENVIRONMENT)
    cached = getattr(_per_thread, "client", None)
    if cached is None or cached[0] != environment:
        cached = _per_thread.client = (environment, boto3.session.Session().client("s3"))
    return cached[1]


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
