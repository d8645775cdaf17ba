"""Writing one batch output so that readers never see half of it.

S3 has no atomic rename, so a batch is written in full to a staging prefix first; only a complete
staging write is committed: its parts are copied under the final prefix, then the manifest listing
exactly those parts (Redshift COPY manifest format) is replaced (the commit point), then parts of any
earlier run of the batch are deleted, and so is the batch's staging (with any a killed run left).
Readers that load through the manifest see the old batch or the new one, never a mix or a part; a
reader listing the prefix instead may see both runs' parts for the moment between the copy and the
delete. Re-running a batch replaces it (idempotent)."""

from __future__ import annotations

from pyspark.sql import DataFrame

from ecomdwh.manifests import copy_manifest, manifest_key
from etl.storage import s3

STAGING = "_staging"


def write_batch(df: DataFrame, bucket: str, prefix: str, *, run_id: str) -> None:
    """Writes `df` as Parquet under s3://bucket/prefix (which ends with /), replacing what was there."""
    staging_prefix = f"{STAGING}/{run_id}/{prefix}"
    df.write.mode("overwrite").parquet(s3.uri(bucket, staging_prefix))
    staged = [k for k in s3.list_keys(bucket, staging_prefix) if k.endswith(".parquet")]
    if not staged:
        raise RuntimeError(
            f"Spark reported success but wrote no Parquet under s3://{bucket}/{staging_prefix}; "
            "check the Spark log of this run"
        )
    committed = [prefix + key[len(staging_prefix) :] for key in staged]
    for source, dest in zip(staged, committed, strict=True):
        s3.copy(bucket, source, dest)
    s3.put_json(bucket, manifest_key(prefix), copy_manifest([_sized(bucket, key) for key in committed]))
    keep = set(committed)
    s3.delete(bucket, [k for k in s3.list_keys(bucket, prefix) if k not in keep])
    s3.delete(bucket, _staged_for(bucket, prefix))


def _staged_for(bucket: str, prefix: str) -> list[str]:
    """Staging keys of `prefix` from any run: this one's, and those a killed run left behind."""
    keys = []
    for key in s3.list_keys(bucket, f"{STAGING}/"):
        _run_id, _, staged = key.removeprefix(f"{STAGING}/").partition("/")
        if staged.startswith(prefix):
            keys.append(key)
    return keys


def _sized(bucket: str, key: str) -> tuple[str, int]:
    return s3.uri(bucket, key), s3.client().head_object(Bucket=bucket, Key=key)["ContentLength"]
