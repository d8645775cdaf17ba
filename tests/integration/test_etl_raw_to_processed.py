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
from ecomdwh.manifests import manifest_key
from etl.options import ENTITY_ORDER, JobOptions
from etl.pipeline import run
from etl.schemas import processed_schema, quarantine_schema
from etl.storage import s3
from etl.storage.layout import batch_prefix, quarantine_prefix
from etl.storage.state import Watermark, read_audit

REPO_ROOT = Path(__file__).resolve().parents[2]
JOB_SCRIPT = REPO_ROOT / "etl" / "jobs" / "raw_to_processed.py"
SCALE, SEED, DIRTY_RATE = 0.01, 11, 0.1


def _land(raw_bucket: str, day: int, dirty_rate: float = DIRTY_RATE) -> dict:
    """Lands one dirty day in the raw bucket; returns datagen's ground truth for it."""
    batch = datagen.generate_day(scale=SCALE, day=day, seed=SEED, dirty_rate=dirty_rate)
    datagen.write_batch(batch, f"s3://{raw_bucket}")
    return batch.ground_truth


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


def _assert_reconciles(truth: dict, raw_bucket: str, processed_bucket: str) -> None:
    ingest_date = truth["ingest_date"]
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
    snapshot = _snapshot(processed_bucket, {ingest_date: truth})
    for (entity, _, kind), rows in snapshot.items():
        expected = truth["entities"][entity]
        if kind == "processed":
            assert len(rows) == expected["accepted_rows"], (entity, ingest_date)
        else:
            # Each injected row is quarantined under its kind's own rule. (A duplicate's copy lands after the
            # row it copies and wins: the rows quarantined as duplicates are counted, in the audit.)
            injected = {
                (i["file"], i["line"]): i["rule"] for i in expected["injected"] if i["action"] == "quarantine"
            }
            located = {
                (r["_source_file"].split(f"{raw_bucket}/", 1)[1], r["_source_line"]): r["rule"] for r in rows
            }
            assert {place: located.get(place) for place in injected} == injected, f"{entity} {ingest_date}"
            assert len(rows) == expected["quarantined_rows"] + expected["deduplicated_rows"]
            assert all(r["rule"] and r["reason"] for r in rows)


def _landed_entities(truth: dict) -> set[str]:
    return {entity for entity, expected in truth["entities"].items() if expected["received_rows"]}


@pytest.fixture
def buckets(aws_env) -> tuple[str, str]:
    s3_client = boto3.client("s3")
    names = ("it-etl-raw", "it-etl-processed")
    for name in names:
        s3_client.create_bucket(Bucket=name)
    return names


def test_dirty_days_reconcile_with_ground_truth_incrementally_and_a_rerun_changes_nothing(
    spark_on_emulator, buckets
):
    spark, (raw_bucket, processed_bucket) = spark_on_emulator, buckets
    # No ingest date: each run picks up the landed batches the watermark has not seen.
    options = JobOptions("it-etl", raw_bucket, processed_bucket, None, ENTITY_ORDER, 0.9)

    day0 = _land(raw_bucket, day=0)
    assert {a.entity for a in run(spark, options)} == set(ENTITY_ORDER)
    _assert_reconciles(day0, raw_bucket, processed_bucket)

    day1 = _land(raw_bucket, day=1)  # its orders reference day 0's processed customers
    audits = run(spark, options)
    assert {(a.entity, a.ingest_date) for a in audits} == {
        (e, day1["ingest_date"]) for e in _landed_entities(day1)
    }
    _assert_reconciles(day1, raw_bucket, processed_bucket)
    watermark = Watermark(processed_bucket, "it-etl")
    for entity in ENTITY_ORDER:
        expected = {t["ingest_date"] for t in (day0, day1) if entity in _landed_entities(t)}
        assert watermark.processed(entity) == expected
    assert run(spark, options) == [], "the watermark leaves nothing new to process"

    truths = {day0["ingest_date"]: day0, day1["ingest_date"]: day1}
    before = _snapshot(processed_bucket, truths)
    rerun = run(spark, dataclasses.replace(options, ingest_date=day0["ingest_date"]))
    assert {a.entity for a in rerun} == set(ENTITY_ORDER)
    assert _snapshot(processed_bucket, truths) == before, "re-running a batch changes nothing"


def test_the_job_script_fails_a_batch_over_the_quarantine_threshold_naming_entity_batch_and_counts(aws_env):
    raw_bucket, processed_bucket = "it-etl-threshold-raw", "it-etl-threshold-processed"
    for name in (raw_bucket, processed_bucket):
        boto3.client("s3").create_bucket(Bucket=name)
    expected = _land(raw_bucket, day=0, dirty_rate=0.5)["entities"]["customers"]

    # As Glue (or the emulator's StartJobRun) runs it: the script in its own process.
    args = ["--JOB_NAME", "it-threshold", "--raw_bucket", raw_bucket, "--processed_bucket", processed_bucket]
    args += ["--ingest_date", "2026-01-01", "--entities", "customers", "--max_quarantine_ratio", "0.05"]
    job = subprocess.run(
        [sys.executable, str(JOB_SCRIPT), *args], capture_output=True, text=True, timeout=600
    )

    assert job.returncode != 0
    counts = f"{expected['quarantined_rows']} of {expected['received_rows']} rows quarantined"
    assert f"QuarantineThresholdExceeded: customers batch 2026-01-01: {counts}" in job.stderr
    assert not list(s3.list_keys(processed_bucket, batch_prefix("customers", "2026-01-01")))
    assert read_audit(processed_bucket, "customers", "2026-01-01").status.startswith("failed:")
    assert Watermark(processed_bucket, "it-threshold").processed("customers") == set()
