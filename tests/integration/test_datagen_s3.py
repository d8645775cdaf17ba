"""A small dirty batch lands in the emulator's raw bucket: the manifest read back from S3 matches
every object's bytes, rows and checksum; big objects went up in multipart; ground truth sits apart."""

from __future__ import annotations

import hashlib
import json

import boto3
import pytest

import datagen
from datagen import writer

BUCKET = "it-datagen-raw"


@pytest.fixture(scope="module")
def landed(aws_module_env):
    with pytest.MonkeyPatch.context() as patch:
        # The smallest part S3 accepts, so a few-MB test object still goes up in several parts.
        patch.setattr(writer, "MULTIPART_BYTES", 5 * 1024 * 1024)
        boto3.client("s3").create_bucket(Bucket=BUCKET)
        batch = datagen.generate_day(scale=3.0, day=0, seed=8, dirty_rate=0.01)
        manifest = datagen.write_batch(batch, f"s3://{BUCKET}")
        yield batch, manifest


def test_manifest_matches_every_object(landed, aws_env):
    batch, manifest = landed
    s3 = boto3.client("s3")
    stored = json.loads(
        s3.get_object(Bucket=BUCKET, Key="_manifests/ingest_date=2026-01-01/manifest.json")["Body"].read()
    )
    assert stored == manifest
    listed = {
        o["Key"]
        for page in s3.get_paginator("list_objects_v2").paginate(Bucket=BUCKET)
        for o in page.get("Contents", [])
        if not o["Key"].startswith("_")
    }
    assert listed == {entry["key"] for entry in manifest["files"]}
    for entry in manifest["files"]:
        data = s3.get_object(Bucket=BUCKET, Key=entry["key"])["Body"].read()
        assert hashlib.sha256(data).hexdigest() == entry["sha256"]
        assert len(data) == entry["bytes"]
        assert data.count(b"\n") - (1 if entry["key"].endswith(".csv") else 0) == entry["rows"]
    assert manifest["rows"] == {e: t["received_rows"] for e, t in batch.ground_truth["entities"].items()}


def test_big_objects_are_multipart_uploads(landed, aws_env):
    _, manifest = landed
    big = [entry for entry in manifest["files"] if entry["bytes"] > 5 * 1024 * 1024]
    assert big, "scale 3 makes a web_events object over 5 MB"
    for entry in big:
        etag = boto3.client("s3").head_object(Bucket=BUCKET, Key=entry["key"])["ETag"]
        assert "-" in etag, f"{entry['key']} ({entry['bytes']} bytes) was a single PUT"


def test_ground_truth_lands_outside_the_entity_prefixes(landed, aws_env):
    batch, _ = landed
    body = boto3.client("s3").get_object(Bucket=BUCKET, Key="_groundtruth/ingest_date=2026-01-01/dirty.json")[
        "Body"
    ]
    truth = json.loads(body.read())
    assert truth == json.loads(json.dumps(batch.ground_truth))
    assert all(t["quarantined_rows"] > 0 for t in truth["entities"].values())


def test_a_missing_bucket_names_the_bucket_and_the_fix(aws_env):
    batch = datagen.generate_day(scale=0.01, day=0, seed=8)
    with pytest.raises(writer.WriteError, match="it-datagen-absent.*bucket exists"):
        datagen.write_batch(batch, "s3://it-datagen-absent")
