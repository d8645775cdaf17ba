"""`write_batch` and `generate_and_write`: the only places datagen writes. Land a batch's files in a
local folder or an S3 bucket (boto3 multipart above MULTIPART_BYTES), then its manifest and its
ground truth."""

from __future__ import annotations

import hashlib
import io
import json
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

import boto3
import pyarrow as pa
from boto3.exceptions import S3UploadFailedError
from boto3.s3.transfer import TransferConfig
from botocore.exceptions import ClientError

from datagen import volumes
from datagen.batch import Batch, GenerationError, build_day
from datagen.dirty import DirtyRows
from datagen.layout import RawFile, output_files

MULTIPART_BYTES = 16 * 1024 * 1024
WRITERS = 2  # rendering (pyarrow) and hashing release the GIL, so two threads use both cores
FORMATS = ("raw", "parquet")


class WriteError(RuntimeError):
    """A destination that cannot take the batch, worded with the fix."""


def manifest_key(batch: Batch) -> str:
    return f"_manifests/ingest_date={batch.ingest_date.isoformat()}/manifest.json"


def ground_truth_key(batch: Batch) -> str:
    return f"_groundtruth/ingest_date={batch.ingest_date.isoformat()}/dirty.json"


class LocalSink:
    def __init__(self, root: Path) -> None:
        self.root = root

    def put(self, key: str, data: bytes) -> None:
        path = self.root / key
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)


class S3Sink:
    def __init__(self, bucket: str, prefix: str) -> None:
        self.bucket, self.prefix = bucket, prefix
        self.client = boto3.client("s3")
        self.config = TransferConfig(multipart_threshold=MULTIPART_BYTES, multipart_chunksize=MULTIPART_BYTES)

    def put(self, key: str, data: bytes) -> None:
        full_key = f"{self.prefix}{key}"
        try:
            self.client.upload_fileobj(io.BytesIO(data), self.bucket, full_key, Config=self.config)
        except (ClientError, S3UploadFailedError) as exc:
            raise WriteError(
                f"could not upload s3://{self.bucket}/{full_key}: {exc}. Check that the bucket exists "
                "(local: `make local-up` then create it, or `make deploy`) and that credentials allow writes."
            ) from exc


def open_sink(dest: str | Path) -> LocalSink | S3Sink:
    text = str(dest)
    if text.startswith("s3://"):
        bucket, _, prefix = text.removeprefix("s3://").partition("/")
        return S3Sink(bucket, prefix.rstrip("/") + "/" if prefix else "")
    return LocalSink(Path(text))


def _json(document: dict) -> bytes:
    return (json.dumps(document, indent=1, sort_keys=False) + "\n").encode()


def write_batch(
    batch: Batch,
    dest: str | Path,
    fmt: str = "raw",
    progress: Callable[[RawFile, int], None] | None = None,
) -> dict:
    """Writes the batch's files, then `_manifests/.../manifest.json` (files, rows, bytes, sha256)
    and, for raw files, `_groundtruth/.../dirty.json`. Returns the manifest.
    `progress(file, bytes)` is called once per written file."""
    _check_format(fmt, batch.dirty_rate)
    sink = open_sink(dest)
    with ThreadPoolExecutor(max_workers=WRITERS) as pool:
        landing = {file.key: pool.submit(_land, sink, file) for file in batch.files(fmt)}
        return _finish(sink, batch, fmt, landing, progress)


def generate_and_write(
    scale: float,
    day: int,
    seed: int,
    dest: str | Path,
    dirty_rate: float = 0.0,
    fmt: str = "raw",
    progress: Callable[[RawFile, int], None] | None = None,
) -> tuple[Batch, dict]:
    """`write_batch(generate_day(...), ...)` with the same files and manifest, but overlapped: an
    entity's files are rendered and written while the next entities are being built."""
    _check_format(fmt, dirty_rate)
    sink = open_sink(dest)
    landing: dict[str, Future[dict]] = {}
    with ThreadPoolExecutor(max_workers=WRITERS) as pool:

        def write_entity(entity: str, table: pa.Table, dirty: DirtyRows) -> None:
            for file in output_files(fmt, entity, table, dirty, volumes.ingest_date(day)):
                landing[file.key] = pool.submit(_land, sink, file)

        batch = build_day(scale, day, seed, dirty_rate, on_entity=write_entity)
        return batch, _finish(sink, batch, fmt, landing, progress)


def _check_format(fmt: str, dirty_rate: float) -> None:
    if fmt not in FORMATS:
        raise GenerationError(f"fmt={fmt!r}: use one of {', '.join(FORMATS)}")
    if fmt == "parquet" and dirty_rate > 0:
        raise GenerationError(
            "dirty rows exist only in the raw CSV/NDJSON files: use fmt='raw' or dirty_rate=0"
        )


def _land(sink: LocalSink | S3Sink, file: RawFile) -> dict:
    data = file.render()
    sink.put(file.key, data)
    return {
        "key": file.key,
        "entity": file.entity,
        "rows": file.rows,
        "bytes": len(data),
        "sha256": hashlib.sha256(data).hexdigest(),
    }


def _finish(
    sink: LocalSink | S3Sink,
    batch: Batch,
    fmt: str,
    landing: dict[str, Future[dict]],
    progress: Callable[[RawFile, int], None] | None,
) -> dict:
    """Waits for the batch's files (`landing`, by key) in write order, then writes the manifest and,
    for raw files, the ground truth."""
    entries = []
    for file in batch.files(fmt):
        entries.append(landing[file.key].result())
        if progress:
            progress(file, entries[-1]["bytes"])
    rows: dict[str, int] = {}
    for entry in entries:
        rows[entry["entity"]] = rows.get(entry["entity"], 0) + entry["rows"]
    manifest = {
        "day": batch.day,
        "ingest_date": batch.ingest_date.isoformat(),
        "seed": batch.seed,
        "scale": batch.scale,
        "dirty_rate": batch.dirty_rate,
        "format": fmt,
        "rows": rows,
        "files": entries,
    }
    sink.put(manifest_key(batch), _json(manifest))
    if fmt == "raw":
        sink.put(ground_truth_key(batch), _json(batch.ground_truth))
    return manifest
