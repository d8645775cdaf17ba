"""datagen (with dirty rows) -> raw bucket on the emulator -> the ETL job -> processed Parquet, quarantine,
audit and watermark; reconciled with datagen's ground truth, then re-run to show nothing changes."""

from __future__ import annotations

import dataclasses
import io
import subprocess
import sys
from pathlib import Path

import boto3
import pyarrow.parquet as pq
import pytest

import datagen
from ecomdwh.contracts import ENTITIES
from etl.options import ENTITY_ORDER, JobOptions
from etl.pipeline import QuarantineThresholdExceeded, run
from etl.schemas import processed_schema, quarantine_schema
from etl.storage import s3
from etl.storage.commit import manifest_key
from etl.storage.layout import batch_prefix, quarantine_prefix
from etl.storage.state import Watermark, read_audit

REPO_ROOT = Path(__file__).resolve().parents[2]
JOB_SCRIPT = REPO_ROOT / "etl" / "jobs" / "raw_to_processed.py"
DAYS = (0, 1)
SCALE, SEED, DIRTY_RATE = 0.01, 11, 0.1


def _land(raw_bucket: str) -> dict[str, dict]:
    """Lands two dirty days in the raw bucket; returns the ground truth per ingest date."""
    truths = {}
    for day in DAYS:
        batch = datagen.generate_day(scale=SCALE, day=day, seed=SEED, dirty_rate=DIRTY_RATE)
        datagen.write_batch(batch, f"s3://{raw_bucket}")
        truths[batch.ground_truth["ingest_date"]] = batch.ground_truth
    return truths


def _committed(bucket: str, prefix: str, columns: list[str]) -> list[dict]:
    """Rows a reader loading the batch through its manifest sees (read with pyarrow, as a non-Spark
    reader would), sorted; checks that the prefix holds exactly the manifest's parts."""
    manifest = s3.get_json(bucket, manifest_key(prefix))
    assert manifest is not None, f"no manifest for s3://{bucket}/{prefix}"
    keys = sorted(s3.list_keys(bucket, prefix))
    assert sorted(entry["url"] for entry in manifest["entries"]) == [s3.uri(bucket, key) for key in keys]
    rows = []
    for key in keys:
        table = pq.read_table(io.BytesIO(s3.client().get_object(Bucket=bucket, Key=key)["Body"].read()))
        assert table.column_names == columns, key
        rows += table.to_pylist()
    return sorted(rows, key=str)


def _snapshot(bucket: str, truths: dict[str, dict]) -> dict[tuple[str, str, str], list[dict]]:
    snapshot = {}
    for ingest_date, truth in truths.items():
        for entity, expected in truth["entities"].items():
            if expected["received_rows"] == 0:
                continue
            contract = ENTITIES[entity]
            snapshot[(entity, ingest_date, "processed")] = _committed(
                bucket, batch_prefix(entity, ingest_date), processed_schema(contract).fieldNames()
            )
            snapshot[(entity, ingest_date, "quarantine")] = _committed(
                bucket, quarantine_prefix(entity, ingest_date), quarantine_schema(contract).fieldNames()
            )
    return snapshot


@pytest.fixture
def buckets(aws_env) -> tuple[str, str]:
    s3_client = boto3.client("s3")
    names = ("it-etl-raw", "it-etl-processed")
    for name in names:
        s3_client.create_bucket(Bucket=name)
    return names


def test_dirty_days_reconcile_with_ground_truth_and_a_rerun_changes_nothing(spark_on_emulator, buckets):
    spark, (raw_bucket, processed_bucket) = spark_on_emulator, buckets
    truths = _land(raw_bucket)

    # The job as Glue (or the emulator's StartJobRun) runs it: a script in its own process.
    # No --ingest_date: it picks up every landed batch the watermark has not seen.
    args = ["--JOB_NAME", "it-etl", "--raw_bucket", raw_bucket, "--processed_bucket", processed_bucket]
    job = subprocess.run(
        [sys.executable, str(JOB_SCRIPT), *args, "--max_quarantine_ratio", "0.9"],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert job.returncode == 0, job.stderr[-3000:]

    for ingest_date, truth in truths.items():
        for entity, expected in truth["entities"].items():
            audit = read_audit(processed_bucket, entity, ingest_date)
            if expected["received_rows"] == 0:
                assert audit is None, f"{entity} {ingest_date}: nothing landed, nothing to audit"
                continue
            counts = (audit.received, audit.accepted, audit.quarantined, audit.deduplicated)
            assert counts == (
                expected["received_rows"],
                expected["accepted_rows"],
                expected["quarantined_rows"],
                expected["deduplicated_rows"],
            ), f"{entity} {ingest_date}: {audit}"
            assert audit.balanced()
    snapshot = _snapshot(processed_bucket, truths)
    for (entity, ingest_date, kind), rows in snapshot.items():
        expected = truths[ingest_date]["entities"][entity]
        if kind == "processed":
            assert len(rows) == expected["accepted_rows"], (entity, ingest_date)
        else:
            injected = {(i["file"], i["line"]) for i in expected["injected"] if i["action"] == "quarantine"}
            located = {(r["_source_file"].split(f"{raw_bucket}/", 1)[1], r["_source_line"]) for r in rows}
            assert injected <= located, f"{entity} {ingest_date}: quarantine misses injected rows"
            assert len(rows) == expected["quarantined_rows"] + expected["deduplicated_rows"]
            assert all(r["rule"] and r["reason"] for r in rows)
    watermark = Watermark(processed_bucket, "it-etl")
    for entity in ENTITY_ORDER:
        landed = {d for d, t in truths.items() if t["entities"][entity]["received_rows"]}
        assert watermark.processed(entity) == landed

    options = JobOptions("it-etl", raw_bucket, processed_bucket, None, ENTITY_ORDER, 0.9)
    assert run(spark, options) == [], "the watermark leaves nothing new to process"

    day0 = min(truths)
    rerun = run(spark, dataclasses.replace(options, ingest_date=day0))
    assert {a.entity for a in rerun} == set(ENTITY_ORDER)
    assert _snapshot(processed_bucket, truths) == snapshot, "re-running a batch changes nothing"


def test_a_batch_over_the_quarantine_threshold_fails_naming_entity_batch_and_counts(spark_on_emulator):
    spark = spark_on_emulator
    raw_bucket, processed_bucket = "it-etl-threshold-raw", "it-etl-threshold-processed"
    for name in (raw_bucket, processed_bucket):
        boto3.client("s3").create_bucket(Bucket=name)
    batch = datagen.generate_day(scale=SCALE, day=0, seed=SEED, dirty_rate=0.5)
    datagen.write_batch(batch, f"s3://{raw_bucket}")
    expected = batch.ground_truth["entities"]["customers"]
    options = JobOptions("it-threshold", raw_bucket, processed_bucket, "2026-01-01", ("customers",), 0.05)

    with pytest.raises(QuarantineThresholdExceeded) as failure:
        run(spark, options)

    assert str(failure.value).startswith(
        f"customers batch 2026-01-01: {expected['quarantined_rows']} of {expected['received_rows']} rows"
    )
    assert not list(s3.list_keys(processed_bucket, batch_prefix("customers", "2026-01-01")))
    assert read_audit(processed_bucket, "customers", "2026-01-01").status.startswith("failed:")
    assert Watermark(processed_bucket, "it-threshold").processed("customers") == set()
