"""Glue crawler runs executed for real: schemas inferred from the files under the crawler's S3 targets.

As an AWS crawler does for our layouts: each folder directly under a target is a table (or the target
itself, when it holds data or `key=value` folders); `key=value` path segments become string partition
keys and partitions; the format comes from the file extension (csv, json, parquet); CSV and JSON
column types are inferred from a sample of the newest file, Parquet's come from its schema. Paths
with a segment starting with `_` or `.` (Spark's `_SUCCESS`, our `_manifests/`, `_state/`) are skipped,
as are the target's `Exclusions` globs. Tables are created, or updated in place.
"""

from __future__ import annotations

import fnmatch
import io
import json
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

import pyarrow as pa
import pyarrow.csv as pa_csv
import pyarrow.json as pa_json
import pyarrow.parquet as pq

SAMPLE_BYTES = 1024 * 1024
FORMATS = {
    "csv": {
        "classification": "csv",
        "InputFormat": "org.apache.hadoop.mapred.TextInputFormat",
        "OutputFormat": "org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat",
        "SerdeInfo": {
            "SerializationLibrary": "org.apache.hadoop.hive.serde2.lazy.LazySimpleSerDe",
            "Parameters": {"field.delim": ","},
        },
        "Parameters": {"skip.header.line.count": "1"},
    },
    "json": {
        "classification": "json",
        "InputFormat": "org.apache.hadoop.mapred.TextInputFormat",
        "OutputFormat": "org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat",
        "SerdeInfo": {"SerializationLibrary": "org.openx.data.jsonserde.JsonSerDe", "Parameters": {}},
        "Parameters": {},
    },
    "parquet": {
        "classification": "parquet",
        "InputFormat": "org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat",
        "OutputFormat": "org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat",
        "SerdeInfo": {
            "SerializationLibrary": "org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe",
            "Parameters": {},
        },
        "Parameters": {},
    },
}


class CrawlError(RuntimeError):
    """A crawl that cannot produce a table, naming the object and the reason."""


@dataclass
class DiscoveredTable:
    name: str
    location: str
    format: str
    partition_keys: list[str] = field(default_factory=list)
    partitions: dict[tuple[str, ...], str] = field(default_factory=dict)  # values -> location
    newest_key: str = ""
    newest_modified: Any = None


def glue_type(arrow_type: pa.DataType) -> str:
    if pa.types.is_boolean(arrow_type):
        return "boolean"
    if pa.types.is_integer(arrow_type):
        return "bigint" if arrow_type.bit_width > 32 else "int"
    if pa.types.is_floating(arrow_type):
        return "double"
    if pa.types.is_decimal(arrow_type):
        return f"decimal({arrow_type.precision},{arrow_type.scale})"
    if pa.types.is_timestamp(arrow_type):
        return "timestamp"
    if pa.types.is_date(arrow_type):
        return "date"
    return "string"


def infer_columns(fmt: str, data: bytes) -> list[dict[str, str]]:
    """Columns of a sample. Like AWS's classifiers, malformed rows and bytes don't sink the schema:
    lines that don't parse are left out of the inference."""
    if fmt == "parquet":
        schema = pq.read_schema(io.BytesIO(data))
    elif fmt == "csv":
        parse = pa_csv.ParseOptions(invalid_row_handler=lambda _row: "skip")
        schema = pa_csv.read_csv(io.BytesIO(_clean_lines(data)), parse_options=parse).schema
    else:
        schema = _json_schema(_json_lines(_clean_lines(data)))
    return [{"Name": f.name.lower(), "Type": glue_type(f.type)} for f in schema]


def _json_kind(value: Any) -> str:
    return (
        "number" if isinstance(value, int | float) and not isinstance(value, bool) else type(value).__name__
    )


def _json_schema(lines: list[bytes]) -> pa.Schema:
    """The sample's schema; a field whose values are of more than one JSON kind (a dirty row's "12a" among
    numbers) is a string, as AWS's JSON classifier types it, instead of failing the crawl."""
    rows = [json.loads(line) for line in lines]
    kinds: dict[str, set[str]] = defaultdict(set)
    for row in rows:
        for name, value in row.items():
            if value is not None:
                kinds[name].add(_json_kind(value))
    mixed = {name for name, found in kinds.items() if len(found) > 1}
    if not mixed:
        return pa_json.read_json(io.BytesIO(b"".join(lines))).schema
    rest = [json.dumps({k: v for k, v in row.items() if k not in mixed}).encode() + b"\n" for row in rows]
    typed = {field.name: field for field in pa_json.read_json(io.BytesIO(b"".join(rest))).schema}
    names = dict.fromkeys(name for row in rows for name in row)  # in order of first appearance
    return pa.schema([pa.field(name, pa.string()) if name in mixed else typed[name] for name in names])


def _clean_lines(sample: bytes) -> bytes:
    """Whole lines only (a byte-range sample may end mid-line), as valid UTF-8."""
    end = sample.rfind(b"\n")
    whole = sample[: end + 1] if end >= 0 else sample
    return whole.decode("utf-8", errors="replace").encode("utf-8")


def _json_lines(sample: bytes) -> list[bytes]:
    parsed = []
    for line in sample.splitlines(keepends=True):
        try:
            if isinstance(json.loads(line), dict):
                parsed.append(line)
        except ValueError:
            continue
    return parsed


def _skipped(relative_key: str, exclusions: list[str]) -> bool:
    segments = relative_key.split("/")
    return any(s.startswith(("_", ".")) for s in segments) or any(
        fnmatch.fnmatch(relative_key, pattern) for pattern in exclusions
    )


def discover_tables(
    target_path: str, objects: list[dict[str, Any]], exclusions: list[str]
) -> list[DiscoveredTable]:
    """Groups the objects under `target_path` (s3://bucket/prefix/) into tables and partitions."""
    bucket, _, prefix = target_path.removeprefix("s3://").partition("/")
    prefix = prefix.rstrip("/") + "/" if prefix.strip("/") else ""
    tables: dict[str, DiscoveredTable] = {}
    for obj in objects:
        relative = obj["Key"][len(prefix) :]
        extension = relative.rsplit(".", 1)[-1].lower() if "." in relative.rsplit("/", 1)[-1] else ""
        if _skipped(relative, exclusions) or extension not in FORMATS:
            continue
        segments = relative.split("/")[:-1]
        if segments and "=" not in segments[0]:
            name, table_root, partition_segments = (
                segments[0],
                f"s3://{bucket}/{prefix}{segments[0]}/",
                segments[1:],
            )
        else:
            name = prefix.rstrip("/").rsplit("/", 1)[-1] or bucket
            table_root, partition_segments = f"s3://{bucket}/{prefix}", segments
        if not all("=" in s for s in partition_segments):
            continue  # deeper non-partition folders: not a layout this crawler models
        table = tables.setdefault(name, DiscoveredTable(name=name, location=table_root, format=extension))
        if table.format != extension:
            raise CrawlError(
                f"{table_root} mixes .{table.format} and .{extension} files (s3://{bucket}/{obj['Key']})"
            )
        keys = [s.split("=", 1)[0] for s in partition_segments]
        if table.partitions and keys != table.partition_keys:
            raise CrawlError(f"{table_root} has inconsistent partition folders at s3://{bucket}/{obj['Key']}")
        table.partition_keys = keys
        if keys:
            values = tuple(s.split("=", 1)[1] for s in partition_segments)
            table.partitions[values] = table_root + "/".join(partition_segments) + "/"
        # The schema is read from the newest file holding bytes: an empty file (a producer's "nothing
        # today") has none to classify, as AWS's classifiers skip it.
        if obj.get("Size", 0) and (
            table.newest_modified is None or obj["LastModified"] > table.newest_modified
        ):
            table.newest_key, table.newest_modified = obj["Key"], obj["LastModified"]
    return sorted((t for t in tables.values() if t.newest_key), key=lambda t: t.name)


def _storage(table: DiscoveredTable, columns: list[dict[str, str]], location: str) -> dict[str, Any]:
    fmt = FORMATS[table.format]
    return {
        "Columns": columns,
        "Location": location,
        "InputFormat": fmt["InputFormat"],
        "OutputFormat": fmt["OutputFormat"],
        "SerdeInfo": fmt["SerdeInfo"],
        "Parameters": {"classification": fmt["classification"], **fmt["Parameters"]},
    }


def crawl(s3: Any, glue: Any, crawler: dict[str, Any]) -> list[str]:
    """Runs one crawl of `crawler` (as get_crawler returns it); returns the tables written."""
    written = []
    prefix = crawler.get("TablePrefix") or ""
    for target in crawler.get("Targets", {}).get("S3Targets", []):
        bucket, _, key_prefix = target["Path"].removeprefix("s3://").partition("/")
        pages = s3.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=key_prefix)
        objects = [obj for page in pages for obj in page.get("Contents", [])]
        for table in discover_tables(target["Path"], objects, target.get("Exclusions", [])):
            _write_table(s3, glue, crawler["DatabaseName"], prefix + table.name, table, bucket)
            written.append(prefix + table.name)
    return written


def _write_table(s3: Any, glue: Any, database: str, name: str, table: DiscoveredTable, bucket: str) -> None:
    byte_range = {} if table.format == "parquet" else {"Range": f"bytes=0-{SAMPLE_BYTES - 1}"}
    sample = s3.get_object(Bucket=bucket, Key=table.newest_key, **byte_range)["Body"].read()
    try:
        columns = infer_columns(table.format, sample)
    except (pa.ArrowInvalid, OSError) as exc:
        raise CrawlError(f"cannot infer a schema from s3://{bucket}/{table.newest_key}: {exc}") from exc
    partition_names = set(table.partition_keys)
    columns = [c for c in columns if c["Name"] not in partition_names]
    table_input = {
        "Name": name,
        "TableType": "EXTERNAL_TABLE",
        "Parameters": {"classification": FORMATS[table.format]["classification"]},
        "StorageDescriptor": _storage(table, columns, table.location),
        "PartitionKeys": [{"Name": k, "Type": "string"} for k in table.partition_keys],
    }
    try:
        glue.create_table(DatabaseName=database, TableInput=table_input)
    except glue.exceptions.AlreadyExistsException:
        glue.update_table(DatabaseName=database, TableInput=table_input)
    _add_partitions(glue, database, name, table, columns)


def _add_partitions(
    glue: Any, database: str, name: str, table: DiscoveredTable, columns: list[dict[str, str]]
) -> None:
    pages = glue.get_paginator("get_partitions").paginate(DatabaseName=database, TableName=name)
    known = {tuple(p["Values"]) for page in pages for p in page["Partitions"]}
    new = [(values, location) for values, location in sorted(table.partitions.items()) if values not in known]
    by_batch: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for index, (values, location) in enumerate(new):
        by_batch[index // 100].append(
            {"Values": list(values), "StorageDescriptor": _storage(table, columns, location)}
        )
    for batch in by_batch.values():
        glue.batch_create_partition(DatabaseName=database, TableName=name, PartitionInputList=batch)
