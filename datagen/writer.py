"""`write_batch`: the only place datagen writes. Lands a batch's files in a local folder or an S3
bucket (boto3 multipart above MULTIPART_BYTES), then its manifest and its ground truth."""

from __future__ import annotations

import hashlib
import io
import json
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import boto3
from boto3.exceptions import S3UploadFailedError
from boto3.s3.transfer import TransferConfig
from botocore.exceptions import ClientError

from datagen.batch import Batch, GenerationError
from datagen.layout import RawFile

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
    if fmt not in FORMATS:
        raise GenerationError(f"fmt={fmt!r}: use one of {', '.join(FORMATS)}")
    if fmt == "parquet" and batch.dirty_rate > 0:
        raise GenerationError(
            "dirty rows exist only in the raw CSV/NDJSON files: use fmt='raw' or dirty_rate=0"
        )
    sink = open_sink(dest)
    files = batch.raw_files() if fmt == "raw" else batch.parquet_files()

    def land(file: RawFile) -> dict:
        data = file.render()
        sink.put(file.key, data)
        return {
            "key": file.key,
            "entity": file.entity,
            "rows": file.rows,
            "bytes": len(data),
            "sha256": hashlib.sha256(data).hexdigest(),
        }

    entries = []
    with ThreadPoolExecutor(max_workers=WRITERS) as pool:
        for file, entry in zip(files, pool.map(land, files), strict=True):
            entries.append(entry)
            if progress:
                progress(file, entry["bytes"])
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
