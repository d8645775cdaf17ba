"""The processed contract in Arrow terms: what the warehouse COPYs, for tests and the benchmark to
write the same Parquet the ETL writes (contract columns in order, typed, then `ingest_date`)."""

from __future__ import annotations

import io
import json
import re
from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from ecomdwh.contracts import ENTITIES
from ecomdwh.manifests import ROWS_PER_PART, copy_manifest, manifest_key

DECIMAL = re.compile(r"decimal\((\d+),\s*(\d+)\)")
SIMPLE_TYPES = {
    "int": pa.int64(),
    "string": pa.string(),
    "date": pa.date32(),
    "timestamp": pa.timestamp("us"),
    "boolean": pa.bool_(),
}


def arrow_type(contract_type: str) -> pa.DataType:
    if match := DECIMAL.fullmatch(contract_type):
        return pa.decimal128(int(match.group(1)), int(match.group(2)))
    return SIMPLE_TYPES[contract_type]


def processed_schema(entity: str) -> pa.Schema:
    contract = ENTITIES[entity]
    fields = [pa.field(c.name, arrow_type(c.type)) for c in contract.columns]
    return pa.schema([*fields, pa.field("ingest_date", pa.date32())])


def processed_table(entity: str, columns: Mapping[str, Any], ingest_date: date) -> pa.Table:
    """A processed table from column arrays (or lists); columns the contract marks optional may be left out."""
    schema = processed_schema(entity)
    length = len(next(iter(columns.values()), []))
    arrays = []
    for field in schema:
        if field.name == "ingest_date":
            arrays.append(pa.array([ingest_date] * length, field.type))
        elif isinstance(columns.get(field.name), pa.Array):
            arrays.append(columns[field.name].cast(field.type))
        elif field.name in columns:
            arrays.append(pa.array(columns[field.name], field.type))
        else:
            arrays.append(pa.nulls(length, field.type))
    return pa.Table.from_arrays(arrays, schema=schema)


def processed_rows(entity: str, rows: Iterable[Mapping[str, Any]], ingest_date: date) -> pa.Table:
    rows = list(rows)
    names = {name for row in rows for name in row}
    return processed_table(entity, {n: [row.get(n) for row in rows] for n in names}, ingest_date)


def parquet_bytes(table: pa.Table) -> bytes:
    sink = io.BytesIO()
    pq.write_table(table, sink)
    return sink.getvalue()


def processed_prefix(entity: str, ingest_date: date) -> str:
    return f"{entity}/ingest_date={ingest_date.isoformat()}/"


def processed_key(entity: str, ingest_date: date, part: int = 0) -> str:
    return f"{processed_prefix(entity, ingest_date)}part-{part:05d}.parquet"


def put_processed(s3_client: Any, bucket: str, table: pa.Table, entity: str, ingest_date: date) -> None:
    """Lands `table` as the ETL's commit does: Parquet parts of at most ROWS_PER_PART rows, then the
    batch's COPY manifest."""
    parts = []
    for part, offset in enumerate(range(0, max(table.num_rows, 1), ROWS_PER_PART)):
        key, body = (
            processed_key(entity, ingest_date, part),
            parquet_bytes(table.slice(offset, ROWS_PER_PART)),
        )
        s3_client.put_object(Bucket=bucket, Key=key, Body=body)
        parts.append((f"s3://{bucket}/{key}", len(body)))
    s3_client.put_object(
        Bucket=bucket,
        Key=manifest_key(processed_prefix(entity, ingest_date)),
        Body=json.dumps(copy_manifest(parts)),
    )
