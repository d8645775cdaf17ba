import io
import json
from datetime import date

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from ecomdwh.warehouse import processed

DAY = date(2026, 1, 2)


class RecordingS3:
    """Just enough of an S3 client for put_processed: what it stores, by key."""

    def __init__(self) -> None:
        self.objects: dict[str, bytes] = {}

    def put_object(self, Bucket: str, Key: str, Body: bytes | str) -> None:  # noqa: N803 - boto3's names
        self.objects[f"{Bucket}/{Key}"] = Body.encode() if isinstance(Body, str) else Body


def _landed(s3: RecordingS3) -> tuple[list[dict], pa.Table]:
    manifest = json.loads(s3.objects["b/_manifests/orders/ingest_date=2026-01-02/manifest.json"])
    parts = [s3.objects[entry["url"].removeprefix("s3://")] for entry in manifest["entries"]]
    assert [entry["meta"]["content_length"] for entry in manifest["entries"]] == [len(p) for p in parts]
    return manifest["entries"], pa.concat_tables(pq.read_table(io.BytesIO(p)) for p in parts)


@pytest.mark.parametrize(("rows", "parts"), [(0, 1), (3, 1), (4, 1), (9, 3)])
def test_a_batch_lands_in_parts_of_at_most_rows_per_part_listed_by_its_manifest(monkeypatch, rows, parts):
    monkeypatch.setattr(processed, "ROWS_PER_PART", 4)
    table = processed.processed_table("orders", {"order_id": list(range(rows))}, DAY)
    s3 = RecordingS3()
    processed.put_processed(s3, "b", table, "orders", DAY)
    entries, landed = _landed(s3)
    assert len(entries) == parts
    assert landed.equals(table)
