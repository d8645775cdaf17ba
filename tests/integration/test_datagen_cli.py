"""`ecomdwh generate` without --dest lands in the raw bucket of the current target (the emulator)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import boto3

BUCKET = "it-datagen-cli-raw"
CLI = Path(sys.executable).parent / "ecomdwh"


def test_generate_defaults_to_the_targets_raw_bucket(aws_env, monkeypatch, tmp_path):
    monkeypatch.setenv("ECOMDWH_RAW_BUCKET", BUCKET)
    s3 = boto3.client("s3")
    s3.create_bucket(Bucket=BUCKET)
    result = subprocess.run(
        [
            str(CLI),
            "generate",
            "--scale",
            "0.01",
            "--days",
            "2",
            "--dirty-rate",
            "0.05",
            "--ground-truth-dir",
            str(tmp_path),
        ],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    for ingest_date in ("2026-01-01", "2026-01-02"):
        body = s3.get_object(Bucket=BUCKET, Key=f"_manifests/ingest_date={ingest_date}/manifest.json")["Body"]
        manifest = json.loads(body.read())
        for entry in manifest["files"]:
            assert s3.head_object(Bucket=BUCKET, Key=entry["key"])["ContentLength"] == entry["bytes"]
        key = f"_groundtruth/ingest_date={ingest_date}/dirty.json"
        s3.head_object(Bucket=BUCKET, Key=key)
        assert json.loads((tmp_path / key).read_text())["ingest_date"] == ingest_date
