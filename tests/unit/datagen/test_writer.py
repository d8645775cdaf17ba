"""write_batch to a local folder: raw layout, manifest checksums, Parquet on request."""

import hashlib
import json
import re

import pyarrow.parquet as pq
import pytest

import datagen
from ecomdwh.contracts import ENTITIES

KEY = re.compile(r"^(?P<entity>\w+)/ingest_date=2026-01-04/(?P=entity)-\d{5}\.(csv|json|parquet)$")


def test_manifest_lists_every_file_with_rows_and_checksum(tmp_path):
    batch = datagen.generate_day(scale=0.3, day=3, seed=2, dirty_rate=0.01)
    manifest = datagen.write_batch(batch, tmp_path)
    on_disk = json.loads((tmp_path / "_manifests/ingest_date=2026-01-04/manifest.json").read_text())
    assert on_disk == manifest
    written = sorted(
        str(p.relative_to(tmp_path))
        for p in tmp_path.glob("*/ingest_date=*/*")
        if p.parent.parent.name in ENTITIES
    )
    assert sorted(f["key"] for f in manifest["files"]) == written
    for entry in manifest["files"]:
        data = (tmp_path / entry["key"]).read_bytes()
        assert KEY.match(entry["key"]), entry["key"]
        assert entry["sha256"] == hashlib.sha256(data).hexdigest()
        assert entry["bytes"] == len(data)
        header_lines = 1 if entry["key"].endswith(".csv") else 0
        assert entry["rows"] == data.count(b"\n") - header_lines
    for entity, rows in manifest["rows"].items():
        assert rows == batch.ground_truth["entities"][entity]["received_rows"]


def test_csv_headers_are_the_contract(tmp_path):
    batch = datagen.generate_day(scale=0.3, day=0, seed=2)
    datagen.write_batch(batch, tmp_path)
    for entity, contract in ENTITIES.items():
        (path,) = (tmp_path / entity).rglob("*-00000.*")
        first_line = path.read_text().split("\n", 1)[0]
        if contract.format == "csv":
            assert first_line == ",".join(f'"{name}"' for name in contract.column_names)
        else:
            assert list(json.loads(first_line)) == contract.column_names


def test_parquet_on_request_round_trips_the_tables(tmp_path):
    batch = datagen.generate_day(scale=0.3, day=0, seed=2)
    manifest = datagen.write_batch(batch, tmp_path, fmt="parquet")
    for entry in manifest["files"]:
        table = pq.read_table(tmp_path / entry["key"])
        original = batch.tables[entry["entity"]]
        assert table.cast(original.schema).equals(original)  # Parquet stores seconds as milliseconds
    assert not (tmp_path / "_groundtruth").exists()


def test_parquet_refuses_dirty_batches(tmp_path):
    batch = datagen.generate_day(scale=0.3, day=0, seed=2, dirty_rate=0.01)
    with pytest.raises(datagen.GenerationError, match="fmt='raw'"):
        datagen.write_batch(batch, tmp_path, fmt="parquet")


@pytest.mark.parametrize(("fmt", "dirty_rate"), [("raw", 0.02), ("parquet", 0.0)])
def test_generate_and_write_lands_the_same_bytes_as_write_batch(tmp_path, fmt, dirty_rate):
    """Writing entities while the next ones are built changes nothing: same files, manifest, truth."""
    batch = datagen.generate_day(scale=0.3, day=2, seed=4, dirty_rate=dirty_rate)
    expected = datagen.write_batch(batch, tmp_path / "sequential", fmt=fmt)
    written: list[str] = []
    overlapped_batch, manifest = datagen.generate_and_write(
        0.3, 2, 4, tmp_path / "overlapped", dirty_rate, fmt, progress=lambda file, _: written.append(file.key)
    )
    assert manifest == expected
    assert written == [entry["key"] for entry in manifest["files"]]
    assert overlapped_batch.ground_truth == batch.ground_truth
    on_disk = sorted(p.relative_to(tmp_path / "overlapped") for p in (tmp_path / "overlapped").rglob("*.*"))
    assert on_disk == sorted(
        p.relative_to(tmp_path / "sequential") for p in (tmp_path / "sequential").rglob("*.*")
    )
    for path in on_disk:
        assert (tmp_path / "overlapped" / path).read_bytes() == (tmp_path / "sequential" / path).read_bytes()
