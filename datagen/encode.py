"""Tables to raw file bytes: CSV with a header (pyarrow's writer) or newline-delimited JSON
(polars' writer, from the same Arrow columns). Plus the row-at-a-time
encoders used only for the few injected dirty rows."""

from __future__ import annotations

import io
import json
from datetime import date, datetime
from decimal import Decimal

import polars as pl
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

TIMESTAMP_FORMAT = "%Y-%m-%d %H:%M:%S"


def csv_bytes(table: pa.Table, header: bool = True) -> bytes:
    sink = io.BytesIO()
    pacsv.write_csv(table, sink, pacsv.WriteOptions(include_header=header, quoting_style="needed"))
    return sink.getvalue()


def ndjson_bytes(table: pa.Table) -> bytes:
    """Newline-delimited JSON; dates, timestamps and decimals are rendered as in CSV, as strings."""
    if table.num_rows == 0:
        return b""
    textual = pa.table(
        [pc.cast(c, pa.string()) if _rendered_as_text(c.type) else c for c in table.columns],
        names=table.column_names,
    )
    sink = io.BytesIO()
    pl.from_arrow(textual).lazy().sink_ndjson(sink)  # the streaming sink serialises on all cores
    return sink.getvalue()


def _rendered_as_text(kind: pa.DataType) -> bool:
    return pa.types.is_timestamp(kind) or pa.types.is_date(kind) or pa.types.is_decimal(kind)


def _csv_field(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        return value.strftime(TIMESTAMP_FORMAT)
    if isinstance(value, int | Decimal | date):
        return str(value)
    return '"' + str(value).replace('"', '""') + '"'


def csv_line(values: list[object]) -> bytes:
    return (",".join(_csv_field(v) for v in values) + "\n").encode()


def _json_default(value: object) -> str:
    if isinstance(value, datetime):
        return value.strftime(TIMESTAMP_FORMAT)
    return str(value)


def json_line(record: dict[str, object]) -> bytes:
    return (
        json.dumps(record, separators=(",", ":"), ensure_ascii=False, default=_json_default) + "\n"
    ).encode()
