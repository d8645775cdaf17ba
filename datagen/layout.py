"""Where a batch's rows go: files cut at fixed row counts, dirty lines at the end of an entity's
first file, the extra-column file last; and the ground truth that follows from that layout."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

import pyarrow as pa
import pyarrow.parquet as pq

from datagen.dirty import DirtyRows, with_extra_column
from datagen.encode import csv_bytes, ndjson_bytes
from ecomdwh.contracts import ENTITIES

# Rows per raw object, so objects land at tens of MB (multipart uploads) at large scales.
PART_ROWS = {
    "customers": 200_000,
    "products": 200_000,
    "orders": 200_000,
    "order_items": 500_000,
    "web_events": 150_000,
}


@dataclass(frozen=True)
class RawFile:
    key: str  # relative to the destination: <entity>/ingest_date=YYYY-MM-DD/<entity>-<part>.<ext>
    entity: str
    rows: int  # records in the file (data lines; a CSV header is not a record)
    render: Callable[[], bytes]


def parquet_bytes(table: pa.Table) -> bytes:
    sink = pa.BufferOutputStream()
    pq.write_table(table, sink, compression="zstd")
    return sink.getvalue().to_pybytes()


def _render(entity: str, table: pa.Table, extra_lines: list[bytes]) -> Callable[[], bytes]:
    encode = ndjson_bytes if ENTITIES[entity].format == "json" else csv_bytes

    def render() -> bytes:
        return encode(table) + b"".join(extra_lines)

    return render


def prefix(entity: str, ingest_date: date) -> str:
    return f"{entity}/ingest_date={ingest_date.isoformat()}"


def entity_files(
    entity: str, table: pa.Table, dirty: DirtyRows, ingest_date: date
) -> list[tuple[RawFile, int]]:
    """(file, number of its first record's line) for an entity: clean parts, dirty lines at the end
    of the first part, then the extra-column file."""
    extension, header_lines = ("json", 0) if ENTITIES[entity].format == "json" else ("csv", 1)
    main_rows = table.num_rows - dirty.extra_column_rows
    part_rows = PART_ROWS[entity]
    parts = max(1, -(-main_rows // part_rows)) if main_rows or dirty.lines else 0
    files = []
    for part in range(parts):
        chunk = table.slice(part * part_rows, min(part_rows, main_rows - part * part_rows))
        lines = dirty.lines if part == 0 else []
        key = f"{prefix(entity, ingest_date)}/{entity}-{part:05d}.{extension}"
        files.append(
            (
                RawFile(key, entity, chunk.num_rows + len(lines), _render(entity, chunk, lines)),
                header_lines + 1,
            )
        )
    if dirty.extra_column_rows:
        chunk = with_extra_column(table.slice(main_rows))
        key = f"{prefix(entity, ingest_date)}/{entity}-{parts:05d}.{extension}"
        files.append((RawFile(key, entity, chunk.num_rows, _render(entity, chunk, [])), header_lines + 1))
    return files


def output_files(
    fmt: str, entity: str, table: pa.Table, dirty: DirtyRows, ingest_date: date
) -> list[RawFile]:
    """An entity's files: its raw parts (fmt "raw") or one Parquet file of its clean rows."""
    if fmt == "raw":
        return [file for file, _ in entity_files(entity, table, dirty, ingest_date)]
    if not table.num_rows:
        return []
    key = f"{prefix(entity, ingest_date)}/{entity}-00000.parquet"
    return [RawFile(key, entity, table.num_rows, lambda: parquet_bytes(table))]


def ground_truth(tables: dict[str, pa.Table], dirty_rows: dict[str, DirtyRows], ingest_date: date) -> dict:
    """Per entity: received = accepted + quarantined + deduplicated, and every injected row's place."""
    entities = {}
    for entity, table in tables.items():
        dirty = dirty_rows[entity]
        layout = entity_files(entity, table, dirty, ingest_date)
        injected = []
        if dirty.lines:
            first_file, first_line = layout[0]
            dirty_start = first_line + first_file.rows - len(dirty.lines)
            injected += [
                record | {"file": first_file.key, "line": dirty_start + i}
                for i, record in enumerate(dirty.line_records)
            ]
        if dirty.extra_column_rows:
            extra_file, first_line = layout[-1]
            keys = table.slice(table.num_rows - dirty.extra_column_rows).select(
                list(ENTITIES[entity].business_key)
            )
            injected += [
                {
                    "kind": "extra_column",
                    "action": "accept",
                    "key": key,
                    "file": extra_file.key,
                    "line": first_line + i,
                }
                for i, key in enumerate(keys.to_pylist())
            ]
        counts: dict[str, int] = {}
        for record in injected:
            counts[record["kind"]] = counts.get(record["kind"], 0) + 1
        actions = [record["action"] for record in injected]
        entities[entity] = {
            "received_rows": sum(file.rows for file, _ in layout),
            "accepted_rows": table.num_rows,
            "quarantined_rows": actions.count("quarantine"),
            "deduplicated_rows": actions.count("dedupe"),
            "counts": counts,
            "injected": injected,
        }
    return entities
