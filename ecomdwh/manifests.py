"""Batch manifests of the processed layer, in Redshift's COPY manifest format: the ETL's commit writes
one per batch output (etl/storage/commit.py), listing exactly the committed Parquet parts, and the
warehouse loads a batch through it (COPY ... MANIFEST), so it never reads half of a batch."""

from __future__ import annotations

MANIFESTS = "_manifests"
# Rows per Parquet part of a batch: a smaller batch is one part. COPY loads a batch's parts in parallel
# (Redshift one per slice, DuckDB one per thread), so a batch of 1M rows is four parts, not one.
ROWS_PER_PART = 250_000


def manifest_key(prefix: str) -> str:
    """The manifest of the batch output under `prefix` (which ends with /)."""
    return f"{MANIFESTS}/{prefix}manifest.json"


def copy_manifest(parts: list[tuple[str, int]]) -> dict[str, object]:
    """The manifest of (s3 url, size in bytes) parts; COPY ... FORMAT PARQUET MANIFEST needs each size."""
    return {
        "entries": [{"url": url, "mandatory": True, "meta": {"content_length": size}} for url, size in parts]
    }
