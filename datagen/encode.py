"""Tables to raw file bytes: CSV with a header (pyarrow's writer) or newline-delimited JSON
(built with Arrow string kernels from the same columns). Plus the row-at-a-time
encoders used only for the few injected dirty rows."""

from __future__ import annotations

import io
import json
from datetime import date, datetime
from decimal import Decimal

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from datagen.columns import with_affixes

TIMESTAMP_FORMAT = "%Y-%m-%d %H:%M:%S"
JSON_TEXT = pa.large_string()  # 64-bit offsets: a file's text may exceed 2 GB


def csv_bytes(table: pa.Table, header: bool = True) -> bytes:
    sink = io.BytesIO()
    pacsv.write_csv(table, sink, pacsv.WriteOptions(include_header=header, quoting_style="needed"))
    return sink.getvalue()


def ndjson_bytes(table: pa.Table) -> bytes:
    """Newline-delimited JSON; dates, timestamps and decimals are rendered as in CSV, as strings.

    Built with Arrow string kernels: each column becomes its members' text (`"key":value`), one
    element-wise join makes the lines, and the lines' values, end to end, are the file."""
    if table.num_rows == 0:
        return b""
    members, closing = [], ""
    for i, (name, column) in enumerate(zip(table.column_names, table.columns, strict=True)):
        opening = "{" if i == 0 else closing + ","
        member, closing = _json_member(opening + json.dumps(name) + ":", column.combine_chunks())
        members.append(member)
    end = pa.scalar(closing + "}\n", JSON_TEXT)
    return bytes(_values_bytes(pc.binary_join_element_wise(*members, end, pa.scalar("", JSON_TEXT))))


def _json_member(start: str, column: pa.Array) -> tuple[pa.Array, str]:
    """`start` (the key, after what the previous member left open) and the column's JSON values; plus
    the closing quote left for the next member to write (a string column without nulls leaves it,
    to save a pass over the values)."""
    if pa.types.is_integer(column.type) or pa.types.is_boolean(column.type):
        text, quote = pc.cast(column, JSON_TEXT), ""
    elif pa.types.is_string(column.type) or _rendered_as_text(column.type):
        text, quote = _json_string_body(column), '"'
    else:
        raise TypeError(f"no NDJSON rendering for {column.type}")
    if not column.null_count:
        return with_affixes(text, prefix=start + quote), quote
    return pc.fill_null(with_affixes(text, prefix=start + quote, suffix=quote), start + "null"), ""


def _json_string_body(column: pa.Array) -> pa.Array:
    """The text between a JSON string's quotes, escaped as json.dumps does (non-ASCII kept as is)."""
    text = pc.cast(column, JSON_TEXT)
    value_bytes = np.frombuffer(_values_bytes(text), np.uint8)
    if not ((value_bytes < 0x20) | (value_bytes == ord('"')) | (value_bytes == ord("\\"))).any():
        return text
    return pa.array(
        [None if v is None else json.dumps(v, ensure_ascii=False)[1:-1] for v in text.to_pylist()],
        JSON_TEXT,
    )


def _values_bytes(text: pa.Array) -> pa.Buffer | bytes:
    """A JSON_TEXT array's values laid end to end, without copying them."""
    _, offsets, data = text.buffers()
    bounds = np.frombuffer(offsets, np.int64, len(text) + 1, text.offset * 8)
    return data[int(bounds[0]) : int(bounds[-1])] if data is not None else b""


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
